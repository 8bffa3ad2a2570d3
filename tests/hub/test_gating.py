"""Gated repos: the settings endpoint, info fields, refused downloads and access grants."""

from __future__ import annotations

import secrets

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.errors import HubError
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import Http, add_file


def _settings(
    http: Http, token: str, repo_id: str, repo_type: str = "model", **body: object
) -> requests.Response:
    return http("PUT", f"/api/{repo_type}s/{repo_id}/settings", token, json=body)


def _gated_repo(http: Http, user: HubUser, repo_type: str = "model") -> str:
    name = f"gated-{secrets.token_hex(3)}"
    created = http.create_repo(user.token, name, type=repo_type)
    assert created.status_code == 200, created.text
    repo_id = f"{user.name}/{name}"
    committed = http.commit(user.token, repo_id, [add_file("a.txt", b"A")], repo_type=repo_type)
    assert committed.status_code == 200, committed.text
    assert _settings(http, user.token, repo_id, repo_type, gated="auto").ok
    return repo_id


def test_settings_set_and_clear_gating(http: Http, repo: str, user: HubUser) -> None:
    assert http("GET", f"/api/models/{repo}").json()["gated"] is False
    answer = _settings(http, user.token, repo, gated="manual")
    assert answer.json() == {"private": False, "gated": "manual", "discussionsDisabled": False}
    assert http("GET", f"/api/models/{repo}").json()["gated"] == "manual"
    both = _settings(http, user.token, repo, gated="auto", private=True).json()
    assert (both["gated"], both["private"]) == ("auto", True)
    info = http("GET", f"/api/models/{repo}", user.token).json()
    assert (info["gated"], info["private"]) == ("auto", True)
    cleared = _settings(http, user.token, repo, gated=False, private=False).json()
    assert (cleared["gated"], cleared["private"]) == (False, False)


@pytest.mark.parametrize("value", ["yes", True, 3, ["auto"]])
def test_settings_refuse_bad_gated_values(
    http: Http, repo: str, user: HubUser, value: object
) -> None:
    response = _settings(http, user.token, repo, gated=value, private=True)
    assert response.status_code == 400
    assert "gated" in response.json()["error"]
    assert http("GET", f"/api/models/{repo}").status_code == 200  # private was not applied


def test_only_admins_change_gating(http: Http, hub: LocalHub, user: HubUser) -> None:
    org = f"org-{secrets.token_hex(3)}"
    writer, admin = new_hub_user(hub), new_hub_user(hub)
    hub.add_org(org, {writer.name: "write", admin.name: "admin"})
    assert http.create_repo(writer.token, "m", organization=org).ok
    refused = _settings(http, writer.token, f"{org}/m", gated="auto", private=True)
    assert refused.status_code == 403
    assert http("GET", f"/api/models/{org}/m").json()["private"] is False  # all or nothing
    assert _settings(http, writer.token, f"{org}/m", private=True).ok  # writers keep this
    assert _settings(http, admin.token, f"{org}/m", gated="auto").json()["gated"] == "auto"
    assert _settings(http, user.token, f"{org}/m", gated=False).status_code == 404  # hidden
    assert _settings(http, admin.read_token, f"{org}/m", gated=False).status_code == 403


@pytest.mark.parametrize(("repo_type", "prefix"), [("model", ""), ("dataset", "datasets/")])
def test_gated_download_is_refused_with_the_hubs_message(
    http: Http, user: HubUser, other: HubUser, repo_type: str, prefix: str
) -> None:
    repo_id = _gated_repo(http, user, repo_type)
    url = f"/{prefix}{repo_id}/resolve/main/a.txt"
    expected = (
        f"Access to {repo_type} {repo_id} is restricted and you are not in the authorized"
        f" list. Visit {http.hub.url}/{prefix}{repo_id} to ask for access."
    )
    for token in (other.token, None):
        for method in ("GET", "HEAD"):
            response = http(method, url, token)
            assert response.status_code == 403
            assert response.headers["X-Error-Code"] == "GatedRepo"
            assert response.headers["X-Error-Message"] == expected
            if method == "GET":
                assert response.json() == {"error": expected}
    assert http("GET", url, user.token).content == b"A"  # the owner downloads
    # Listings and info stay public: only downloads are gated.
    assert http("GET", f"/api/{repo_type}s/{repo_id}").json()["gated"] == "auto"
    assert http("GET", f"/api/{repo_type}s/{repo_id}/tree/main", other.token).ok


def test_granted_users_and_members_download(http: Http, hub: LocalHub, user: HubUser) -> None:
    repo_id = _gated_repo(http, user)
    org = f"org-{secrets.token_hex(3)}"
    reader, granted, stranger = new_hub_user(hub), new_hub_user(hub), new_hub_user(hub)
    hub.add_org(org, {user.name: "admin", reader.name: "read"})
    url = f"/{repo_id}/resolve/main/a.txt"
    assert http("GET", url, granted.token).status_code == 403
    hub.grant_access(repo_id, granted.name)
    assert http("GET", url, granted.token).content == b"A"
    assert http("GET", url, granted.read_token).content == b"A"
    assert http("GET", url, hub.admin_token).content == b"A"
    # Through the admin route, for an org repo: members download without a grant.
    assert http.create_repo(user.token, "m", organization=org).ok
    assert _settings(http, user.token, f"{org}/m", gated="manual").ok
    org_url = f"/{org}/m/resolve/main/.gitattributes"
    assert http("GET", org_url, reader.token).ok
    assert http("GET", org_url, stranger.token).status_code == 403
    route = f"/_hub/models/{org}/m/access"
    assert http("POST", route, user.token, json={"user": stranger.name}).status_code == 403
    assert http("POST", route, hub.admin_token, json={"user": "nobody-x"}).status_code == 404
    assert http("POST", route, hub.admin_token, json={"user": 3}).status_code == 400
    assert http("POST", route, hub.admin_token, json={"user": stranger.name}).ok
    assert http("GET", org_url, stranger.token).ok


def test_grant_access_python_api_errors(hub: LocalHub, user: HubUser) -> None:
    with pytest.raises(KeyError):
        hub.grant_access(f"{user.name}/missing", user.name)
    hub.create_repo(f"{user.name}/g")
    with pytest.raises(HubError, match="not found"):
        hub.grant_access(f"{user.name}/g", "no-such-user-x")
