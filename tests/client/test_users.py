"""Wire tests of whoami, get_token_permission, like, unlike and list_liked_repos."""

from __future__ import annotations

import pytest
import requests
import responses
from _wire import ENDPOINT, TOKEN, WHOAMI, check_request, link, urls

from hfapi import (
    HfApi,
    LocalTokenNotFoundError,
    RepositoryNotFoundError,
    UserLikes,
)
from hfapi import constants as hf_constants

WHOAMI_URL = f"{ENDPOINT}/api/whoami-v2"
INVALID = (
    "Invalid user token. If you didn't pass a user token, make sure you are properly logged"
    " in by executing `hfapi login` (or `huggingface-cli login`), and if you did pass a user"
    " token, double-check it's correct."
)
NO_STORED = (
    "Token is required (`token=True`), but no token found. You need to provide a token or "
    "be logged in to Hugging Face with `hfapi login` (or `huggingface-cli login`) or "
    "`hfapi.login`. See https://huggingface.co/settings/tokens."
)
LIKES = [
    {
        "createdAt": "2021-09-09T21:53:27.000Z",
        "repo": {"name": "PaddlePaddle/PaddleOCR", "type": "space"},
    },
    {"createdAt": "2023-01-12T08:00:00.000Z", "repo": {"name": "gpt2", "type": "model"}},
    {"createdAt": "2023-02-03T10:15:00.000Z", "repo": {"name": "squad", "type": "dataset"}},
]


# -- whoami --------------------------------------------------------------------------------


def test_whoami_returns_json_unchanged(api, rsps):
    rsps.get(WHOAMI_URL, json=WHOAMI)
    assert api.whoami() == WHOAMI
    check_request(rsps.calls[0], "GET", WHOAMI_URL)


@pytest.mark.parametrize(
    ("instance", "arg", "sent"),
    [
        (TOKEN, None, TOKEN),
        (TOKEN, "hf_explicit", "hf_explicit"),
        (None, "hf_explicit", "hf_explicit"),
        (None, None, "hf_stored_token"),
        (None, False, "hf_stored_token"),  # a token is always sent
    ],
)
def test_whoami_token_choice(rsps, stored_token, instance, arg, sent):
    rsps.get(WHOAMI_URL, json=WHOAMI)
    HfApi(endpoint=ENDPOINT, token=instance).whoami(arg)
    assert rsps.calls[0].request.headers["authorization"] == f"Bearer {sent}"


def test_whoami_forces_stored_token_even_if_implicit_disabled(
    anon, rsps, stored_token, monkeypatch
):
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", True)
    rsps.get(WHOAMI_URL, json=WHOAMI)
    anon.whoami()
    assert rsps.calls[0].request.headers["authorization"] == "Bearer hf_stored_token"


def test_whoami_without_any_token(anon, rsps):
    with pytest.raises(LocalTokenNotFoundError) as info:
        anon.whoami()
    assert str(info.value) == NO_STORED
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("status", [401, 403, 404, 500])
def test_whoami_http_error_becomes_plain_http_error(api, rsps, status):
    rsps.get(WHOAMI_URL, status=status, json={"error": "Invalid username or password."})
    with pytest.raises(requests.HTTPError) as info:
        api.whoami()
    err = info.value
    assert type(err) is requests.HTTPError
    assert str(err) == INVALID
    assert err.response is None
    assert err.__cause__ is not None and err.__cause__.response.status_code == status
    if status == 401:
        assert isinstance(err.__cause__, RepositoryNotFoundError)


def test_whoami_transport_error_propagates(api, rsps, sleeps):
    rsps.get(WHOAMI_URL, body=requests.ConnectionError("Connection aborted."))
    with pytest.raises(requests.ConnectionError):
        api.whoami()
    assert len(sleeps) == 5


# -- get_token_permission ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["read", "write"])
def test_get_token_permission(api, rsps, role):
    rsps.get(WHOAMI_URL, json={**WHOAMI, "auth": {"accessToken": {"role": role}}})
    assert api.get_token_permission() == role
    assert api.get_token_permission("hf_other") == role
    assert rsps.calls[1].request.headers["authorization"] == "Bearer hf_other"


def test_get_token_permission_none_without_token(anon, rsps):
    assert anon.get_token_permission() is None
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("status", [401, 403, 500])
def test_get_token_permission_none_on_http_error(api, rsps, status):
    rsps.get(WHOAMI_URL, status=status)
    assert api.get_token_permission() is None


def test_get_token_permission_missing_role(api, rsps):
    rsps.get(WHOAMI_URL, json={"name": "alice"})
    with pytest.raises(KeyError):
        api.get_token_permission()


def test_get_token_permission_rejects_use_auth_token(api):
    with pytest.raises(TypeError):
        api.get_token_permission(use_auth_token="x")


# -- like / unlike -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "verb"), [("like", "POST"), ("unlike", "DELETE")])
@pytest.mark.parametrize(
    ("repo_type", "path"), [(None, "models"), ("dataset", "datasets"), ("space", "spaces")]
)
def test_like_unlike(api, rsps, method, verb, repo_type, path):
    url = f"{ENDPOINT}/api/{path}/a/b/like"
    rsps.add(verb, url, body="")
    assert getattr(api, method)("a/b", repo_type=repo_type) is None
    check_request(rsps.calls[0], verb, url)


def test_like_has_no_write_check(anon, rsps):
    rsps.post(f"{ENDPOINT}/api/models/gpt2/like", status=401)
    with pytest.raises(RepositoryNotFoundError):
        anon.like("gpt2", token=False)
    assert "authorization" not in rsps.calls[0].request.headers


def test_like_does_not_validate_repo_type(api, rsps):
    rsps.post(f"{ENDPOINT}/api/datasetss/a/b/like", body="")
    api.like("a/b", repo_type="datasets")


def test_unlike_missing_repo(api, rsps):
    rsps.delete(
        f"{ENDPOINT}/api/models/a/b/like", status=404, headers={"X-Error-Code": "RepoNotFound"}
    )
    with pytest.raises(RepositoryNotFoundError):
        api.unlike("a/b")


# -- list_liked_repos ----------------------------------------------------------------------


def test_list_liked_repos_for_user(api, rsps):
    rsps.get(f"{ENDPOINT}/api/users/bob/likes", json=LIKES)
    likes = api.list_liked_repos("bob")
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/users/bob/likes")
    assert likes == UserLikes(
        user="bob", total=3, datasets=["squad"], models=["gpt2"], spaces=["PaddlePaddle/PaddleOCR"]
    )


def test_list_liked_repos_of_token_owner(api, rsps):
    rsps.get(WHOAMI_URL, json=WHOAMI)
    rsps.get(f"{ENDPOINT}/api/users/alice/likes", json=[])
    likes = api.list_liked_repos(token="hf_mine")
    assert urls(rsps) == [WHOAMI_URL, f"{ENDPOINT}/api/users/alice/likes"]
    for call in rsps.calls:
        assert call.request.headers["authorization"] == "Bearer hf_mine"
    assert likes == UserLikes(user="alice", total=0, datasets=[], models=[], spaces=[])


def test_list_liked_repos_org_token(api, rsps):
    rsps.get(WHOAMI_URL, json={"type": "org", "name": "valid_org"})
    with pytest.raises(ValueError):
        api.list_liked_repos()
    assert len(rsps.calls) == 1


def test_list_liked_repos_without_token(anon, rsps):
    with pytest.raises(LocalTokenNotFoundError):
        anon.list_liked_repos()
    rsps.get(f"{ENDPOINT}/api/users/bob/likes", json=[])
    anon.list_liked_repos("bob")
    assert "authorization" not in rsps.calls[0].request.headers


def test_list_liked_repos_pages(api, rsps):
    first = f"{ENDPOINT}/api/users/bob/likes"
    page2 = f"{first}?cursor=2"
    rsps.get(
        page2,
        json=[
            *LIKES[2:],
            {"repo": {"name": "m", "type": "metric"}},
            {"repo": {"name": "g2", "type": "model"}},
        ],
        match=[responses.matchers.query_param_matcher({"cursor": "2"})],
    )
    rsps.get(
        first,
        json=LIKES[:2],
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({})],
    )
    likes = api.list_liked_repos("bob")
    assert urls(rsps) == [first, page2]
    assert likes.total == 5  # records of another type count but land in no list
    assert likes.models == ["gpt2", "g2"]
    assert likes.datasets == ["squad"]
    assert likes.spaces == ["PaddlePaddle/PaddleOCR"]
