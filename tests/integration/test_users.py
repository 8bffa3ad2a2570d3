"""whoami, token permissions, full repo names, likes and organisations, over loopback."""

from __future__ import annotations

import secrets
from typing import Callable

import pytest
import requests

from hfapi import (
    HfApi,
    HfHubHTTPError,
    LocalTokenNotFoundError,
    RepositoryNotFoundError,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser


def test_whoami_describes_the_token_owner(
    hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser
) -> None:
    org = f"org-{secrets.token_hex(3)}"
    local_hub.add_org(org, {hub_user.name: "admin"})
    me = hf_api.whoami()
    assert (me["type"], me["name"], me["fullname"]) == (
        "user",
        hub_user.name,
        f"Test user {hub_user.name}",
    )
    assert me["auth"]["type"] == "access_token"
    assert me["auth"]["accessToken"]["role"] == "write"
    assert [(o["name"], o["type"], o["roleInOrg"]) for o in me["orgs"]] == [(org, "org", "admin")]
    assert me["orgs"][0]["apiToken"].startswith("api_org_")
    # An explicit token wins over the client's.
    assert hf_api.whoami(token=hub_user.read_token)["auth"]["accessToken"]["role"] == "read"


def test_whoami_with_an_invalid_token_raises_a_plain_http_error(hf_api: HfApi) -> None:
    with pytest.raises(requests.HTTPError) as caught:
        hf_api.whoami(token="hf_definitely_not_a_token")
    error = caught.value
    assert not isinstance(error, HfHubHTTPError)
    assert error.response is None
    assert str(error).startswith("Invalid user token.")
    assert "hf_definitely_not_a_token" not in str(error)
    assert isinstance(error.__cause__, HfHubHTTPError)
    assert error.__cause__.response is not None
    assert error.__cause__.response.status_code == 401


def test_whoami_without_any_token_fails_before_sending(anonymous_api: HfApi) -> None:
    with pytest.raises(LocalTokenNotFoundError):
        anonymous_api.whoami()


def test_get_token_permission(hf_api: HfApi, hub_user: HubUser, anonymous_api: HfApi) -> None:
    assert hf_api.get_token_permission() == "write"
    assert hf_api.get_token_permission(hub_user.read_token) == "read"
    assert hf_api.get_token_permission("hf_invalid") is None
    assert anonymous_api.get_token_permission() is None


def test_get_full_repo_name(hf_api: HfApi, hub_user: HubUser) -> None:
    assert hf_api.get_full_repo_name("model") == f"{hub_user.name}/model"
    assert hf_api.get_full_repo_name("model", organization="acme") == "acme/model"
    assert hf_api.get_full_repo_name("someone/model") == "someone/model"
    with pytest.raises(requests.HTTPError, match="Invalid user token"):
        hf_api.get_full_repo_name("model", token="hf_wrong")


def test_likes_are_idempotent_counted_and_listed(
    hf_api: HfApi,
    hub_user: HubUser,
    other_api: HfApi,
    other_user: HubUser,
    hub_settings: Callable,
) -> None:
    hub_settings(likes_page_size=2)
    theirs = other_user.name
    other_api.create_repo("liked")
    other_api.create_repo("liked-ds", repo_type="dataset")
    other_api.create_repo("liked-space", repo_type="space", space_sdk="static")
    other_api.create_repo("second")
    hf_api.like(f"{theirs}/liked")
    hf_api.like(f"{theirs}/liked")  # twice: still one like
    hf_api.like(f"{theirs}/liked-ds", repo_type="dataset")
    hf_api.like(f"{theirs}/liked-space", repo_type="space")
    hf_api.like(f"{theirs}/second")
    other_api.like(f"{theirs}/liked")
    assert hf_api.model_info(f"{theirs}/liked").likes == 2
    assert hf_api.dataset_info(f"{theirs}/liked-ds").likes == 1

    likes = hf_api.list_liked_repos()  # 4 records, pages of 2
    assert (likes.user, likes.total) == (hub_user.name, 4)
    assert sorted(likes.models) == [f"{theirs}/liked", f"{theirs}/second"]
    assert likes.datasets == [f"{theirs}/liked-ds"]
    assert likes.spaces == [f"{theirs}/liked-space"]
    # Anyone may list anyone's likes, even anonymously.
    anonymous = HfApi(endpoint=hf_api.endpoint)
    assert anonymous.list_liked_repos(hub_user.name).total == 4
    assert other_api.list_liked_repos(hub_user.name).models == likes.models

    hf_api.unlike(f"{theirs}/liked")
    hf_api.unlike(f"{theirs}/liked")  # twice: harmless
    assert hf_api.model_info(f"{theirs}/liked").likes == 1
    after = hf_api.list_liked_repos()
    assert after.total == 3 and after.models == [f"{theirs}/second"]


def test_likes_of_private_repos(
    hf_api: HfApi, other_api: HfApi, other_user: HubUser, hub_user: HubUser
) -> None:
    hidden = f"{other_user.name}/hidden"
    other_api.create_repo("hidden", private=True)
    with pytest.raises(RepositoryNotFoundError):
        hf_api.like(hidden)
    with pytest.raises(RepositoryNotFoundError):
        hf_api.unlike(hidden)
    with pytest.raises(RepositoryNotFoundError):
        hf_api.like(f"{other_user.name}/does-not-exist")
    other_api.like(hidden)  # the owner may like it...
    assert other_api.model_info(hidden).likes == 1
    # ...but a like of a private repo is never listed, not even to its owner.
    assert other_api.list_liked_repos().total == 0
    assert hf_api.list_liked_repos(other_user.name).total == 0
    assert hf_api.list_liked_repos().total == 0


def test_org_members_write_in_the_org_namespace(
    local_hub: LocalHub, hf_api: HfApi, hub_user: HubUser, other_api: HfApi, other_user: HubUser
) -> None:
    org = f"org-{secrets.token_hex(3)}"
    local_hub.add_org(org, {hub_user.name: "write", other_user.name: "read"})
    url = hf_api.create_repo(f"{org}/shared", private=True)
    assert url == f"{local_hub.url}/{org}/shared"
    assert (url.namespace, url.repo_id) == (org, f"{org}/shared")
    hf_api.upload_file(path_or_fileobj=b"team", path_in_repo="t.txt", repo_id=f"{org}/shared")
    # A read member sees the private repo but may not write to it or create in the org.
    assert other_api.list_repo_files(f"{org}/shared") == [".gitattributes", "t.txt"]
    with pytest.raises(HfHubHTTPError) as denied:
        other_api.create_repo(f"{org}/mine")
    assert denied.value.response is not None and denied.value.response.status_code == 403
    with pytest.raises(HfHubHTTPError) as denied:
        other_api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=f"{org}/shared")
    assert denied.value.response is not None and denied.value.response.status_code == 403
    # Outsiders do not even see it.
    outsider = HfApi(endpoint=local_hub.url, token=local_hub.add_user(f"out-{org}"))
    with pytest.raises(RepositoryNotFoundError):
        outsider.model_info(f"{org}/shared")
    hf_api.update_repo_visibility(f"{org}/shared", private=False)
    assert outsider.model_info(f"{org}/shared").private is False
    hf_api.delete_repo(f"{org}/shared")
    with pytest.raises(RepositoryNotFoundError):
        outsider.model_info(f"{org}/shared")
