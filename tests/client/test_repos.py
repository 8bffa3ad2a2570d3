"""Wire tests of repository management: create, delete, visibility, move, full names."""

from __future__ import annotations

import enum
import re

import pytest
import requests
from _wire import ENDPOINT, TOKEN, WHOAMI, check_request

from hfapi import (
    HfApi,
    HfHubHTTPError,
    HFValidationError,
    RepositoryNotFoundError,
    RepoUrl,
)

CREATE = f"{ENDPOINT}/api/repos/create"
JSON = "application/json"
NO_TOKEN = (
    "Token is required (write-access action) but no token found. You need to provide a "
    "token or be logged in to Hugging Face with `hfapi login` (or `huggingface-cli login`) or "
    "`hfapi.login`. See https://huggingface.co/settings/tokens."
)
ORG_TOKEN = (
    "You must use your personal account token for write-access methods. To generate a "
    "write-access token, go to https://huggingface.co/settings/tokens"
)
MOVE_HINT = (
    "\nFor additional documentation please see"
    " https://hf.co/docs/hub/repositories-settings#renaming-or-transferring-a-repo."
)


# -- create_repo --------------------------------------------------------------------------


def test_create_repo_without_namespace(api, rsps):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/alice/x"})
    url = api.create_repo("x", private=True)
    check_request(
        rsps.calls[0],
        "POST",
        CREATE,
        body=b'{"name": "x", "organization": null, "private": true}',
        content_type=JSON,
    )
    assert isinstance(url, RepoUrl)
    assert url == f"{ENDPOINT}/alice/x"
    assert (url.endpoint, url.repo_id, url.repo_type, url.namespace) == (
        ENDPOINT,
        "alice/x",
        "model",
        "alice",
    )


@pytest.mark.parametrize(
    ("repo_type", "body", "web"),
    [
        ("model", b'{"name": "x", "organization": "org", "private": false, "type": "model"}', ""),
        (
            "dataset",
            b'{"name": "x", "organization": "org", "private": false, "type": "dataset"}',
            "datasets/",
        ),
    ],
)
def test_create_repo_with_type(api, rsps, repo_type, body, web):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/{web}org/x"})
    url = api.create_repo("org/x", repo_type=repo_type)
    check_request(rsps.calls[0], "POST", CREATE, body=body, content_type=JSON)
    assert (url.repo_type, url.repo_id) == (repo_type, "org/x")


class Hardware(str, enum.Enum):
    T4_SMALL = "t4-small"


@pytest.mark.parametrize("hardware", ["t4-small", Hardware.T4_SMALL])
def test_create_space_with_sdk_and_hardware(api, rsps, hardware):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/spaces/org/sp"})
    url = api.create_repo("org/sp", repo_type="space", space_sdk="gradio", space_hardware=hardware)
    check_request(
        rsps.calls[0],
        "POST",
        CREATE,
        body=b'{"name": "sp", "organization": "org", "private": false, "type": "space",'
        b' "sdk": "gradio", "hardware": "t4-small"}',
        content_type=JSON,
    )
    assert repr(url) == (
        f"RepoUrl('{ENDPOINT}/spaces/org/sp', endpoint='{ENDPOINT}', repo_type='space',"
        " repo_id='org/sp')"
    )


def test_create_space_without_hardware_omits_it(api, rsps):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/spaces/org/sp"})
    api.create_repo("org/sp", repo_type="space", space_sdk="docker")
    assert rsps.calls[0].request.body == (
        b'{"name": "sp", "organization": "org", "private": false, "type": "space", "sdk": "docker"}'
    )


@pytest.mark.parametrize(
    ("sdk", "message"),
    [
        (
            None,
            "No space_sdk provided. `create_repo` expects space_sdk to be one of"
            " ['gradio', 'streamlit', 'docker', 'static'] when repo_type is 'space'`",
        ),
        (
            "flask",
            "Invalid space_sdk. Please choose one of ['gradio', 'streamlit', 'docker', 'static'].",
        ),
    ],
)
def test_create_space_sdk_checks(api, rsps, sdk, message):
    with pytest.raises(ValueError) as info:
        api.create_repo("org/sp", repo_type="space", space_sdk=sdk)
    assert str(info.value) == message
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("param", ["space_sdk", "space_hardware"])
def test_create_repo_ignores_space_args_for_non_space(api, rsps, param):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/org/x"})
    with pytest.warns(UserWarning) as record:
        api.create_repo("org/x", **{param: "gradio"})
    assert [str(w.message) for w in record] == [
        f"Ignoring provided {param} because repo_type is not 'space'."
    ]
    assert record[0].filename == __file__  # points at the caller
    assert rsps.calls[0].request.body == b'{"name": "x", "organization": "org", "private": false}'


def test_create_repo_conflict_raises(api, rsps):
    rsps.post(
        CREATE,
        status=409,
        json={"error": "You already created this model repo", "url": f"{ENDPOINT}/org/x"},
    )
    with pytest.raises(HfHubHTTPError) as info:
        api.create_repo("org/x")
    assert type(info.value) is HfHubHTTPError
    assert info.value.response.status_code == 409
    assert str(info.value) == (
        f"409 Client Error: Conflict for url: {CREATE}\n\nYou already created this model repo"
    )


def test_create_repo_conflict_exist_ok(api, rsps):
    rsps.post(
        CREATE,
        status=409,
        json={"error": "You already created this model repo", "url": f"{ENDPOINT}/datasets/o/d"},
    )
    url = api.create_repo("o/d", repo_type="dataset", exist_ok=True)
    assert (url, url.repo_type, url.repo_id, url.endpoint) == (
        f"{ENDPOINT}/datasets/o/d",
        "dataset",
        "o/d",
        ENDPOINT,
    )


@pytest.mark.parametrize(
    ("repo_type", "api_path", "web"),
    [(None, "models", ""), ("dataset", "datasets", "datasets/"), ("space", "spaces", "spaces/")],
)
def test_create_repo_forbidden_exist_ok_checks_existence(api, rsps, repo_type, api_path, web):
    rsps.post(CREATE, status=403, json={"error": "You don't have the rights"})
    rsps.get(f"{ENDPOINT}/api/{api_path}/org/x", json={"id": "org/x"})
    url = api.create_repo(
        "org/x",
        repo_type=repo_type,
        exist_ok=True,
        space_sdk="gradio" if repo_type == "space" else None,
    )
    check_request(rsps.calls[1], "GET", f"{ENDPOINT}/api/{api_path}/org/x")
    assert url == f"{ENDPOINT}/{web}org/x"
    assert url.repo_id == "org/x"
    assert url.repo_type == (repo_type or "model")
    assert url.endpoint == ENDPOINT


def test_create_repo_forbidden_exist_ok_missing_repo(api, rsps):
    rsps.post(CREATE, status=403, json={"error": "You don't have the rights"})
    rsps.get(f"{ENDPOINT}/api/models/org/x", status=404, headers={"X-Error-Code": "RepoNotFound"})
    with pytest.raises(RepositoryNotFoundError):
        api.create_repo("org/x", exist_ok=True)


def test_create_repo_forbidden_without_exist_ok(api, rsps):
    rsps.post(CREATE, status=403, json={"error": "You don't have the rights"})
    with pytest.raises(HfHubHTTPError) as info:
        api.create_repo("org/x")
    assert info.value.response.status_code == 403
    assert len(rsps.calls) == 1


# -- write-token checks, shared by every write method --------------------------------------

WRITE_CALLS = {
    "create_repo": lambda a, **kw: a.create_repo("org/x", **kw),
    "delete_repo": lambda a, **kw: a.delete_repo("org/x", **kw),
    "update_repo_visibility": lambda a, **kw: a.update_repo_visibility("org/x", True, **kw),
    "move_repo": lambda a, **kw: a.move_repo("org/x", "org/y", **kw),
    "create_branch": lambda a, **kw: a.create_branch("org/x", branch="b", **kw),
    "delete_branch": lambda a, **kw: a.delete_branch("org/x", branch="b", **kw),
    "create_tag": lambda a, **kw: a.create_tag("org/x", tag="t", **kw),
    "delete_tag": lambda a, **kw: a.delete_tag("org/x", tag="t", **kw),
}


@pytest.mark.parametrize("method", sorted(WRITE_CALLS))
def test_write_methods_need_a_personal_token(anon, api, rsps, stored_token, method):
    call = WRITE_CALLS[method]
    with pytest.raises(ValueError) as info:
        call(api, token=False)
    assert str(info.value) == NO_TOKEN
    with pytest.raises(ValueError) as info:
        call(anon, token="api_org_abcdef")
    assert str(info.value) == ORG_TOKEN
    assert "api_org_abcdef" not in str(info.value)
    with pytest.raises(ValueError) as info:
        call(HfApi(endpoint=ENDPOINT, token="api_org_instance"))
    assert str(info.value) == ORG_TOKEN
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("method", sorted(WRITE_CALLS))
def test_write_methods_without_any_token(anon, rsps, method):
    with pytest.raises(ValueError) as info:
        WRITE_CALLS[method](anon)
    assert str(info.value) == NO_TOKEN
    assert len(rsps.calls) == 0


def test_write_method_uses_stored_token(anon, rsps, stored_token):
    rsps.post(CREATE, json={"url": f"{ENDPOINT}/org/x"})
    anon.create_repo("org/x")
    assert rsps.calls[0].request.headers["authorization"] == "Bearer hf_stored_token"


@pytest.mark.parametrize("method", ["create_repo", "delete_repo", "update_repo_visibility"])
def test_invalid_repo_type_for_repo_methods(api, rsps, method):
    with pytest.raises(ValueError, match=r"^Invalid repo type$"):
        getattr(api, method)("org/x", repo_type="models")
    assert len(rsps.calls) == 0


# -- delete_repo ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo_id", "repo_type", "body"),
    [
        ("x", None, b'{"name": "x", "organization": null}'),
        ("org/x", "dataset", b'{"name": "x", "organization": "org", "type": "dataset"}'),
        ("org/x", "model", b'{"name": "x", "organization": "org", "type": "model"}'),
    ],
)
def test_delete_repo_sends_json_on_delete(api, rsps, repo_id, repo_type, body):
    rsps.delete(f"{ENDPOINT}/api/repos/delete", body="ignored, not JSON")
    assert api.delete_repo(repo_id, repo_type=repo_type) is None
    check_request(
        rsps.calls[0], "DELETE", f"{ENDPOINT}/api/repos/delete", body=body, content_type=JSON
    )


def test_delete_missing_repo(api, rsps):
    rsps.delete(
        f"{ENDPOINT}/api/repos/delete",
        status=404,
        headers={"X-Error-Code": "RepoNotFound", "X-Request-Id": "rid-9"},
        json={"error": "Repository not found"},
    )
    with pytest.raises(RepositoryNotFoundError) as info:
        api.delete_repo("org/x")
    assert str(info.value).startswith(
        "404 Client Error. (Request ID: rid-9) (Error code: RepoNotFound)\n\n"
        f"Repository Not Found for url: {ENDPOINT}/api/repos/delete."
    )


# -- update_repo_visibility ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo_type", "path"), [(None, "models"), ("dataset", "datasets"), ("space", "spaces")]
)
@pytest.mark.parametrize("private", [True, False])
def test_update_repo_visibility(api, rsps, repo_type, path, private):
    url = f"{ENDPOINT}/api/{path}/org/x/settings"
    rsps.put(url, json={"private": private, "other": 1})
    result = api.update_repo_visibility("org/x", private, repo_type=repo_type)
    assert result == {"private": private, "other": 1}
    body = b'{"private": true}' if private else b'{"private": false}'
    check_request(rsps.calls[0], "PUT", url, body=body, content_type=JSON)


def test_update_repo_visibility_ignores_organization_and_name(api, rsps):
    rsps.put(f"{ENDPOINT}/api/models/org/x/settings", json={"private": True})
    api.update_repo_visibility("org/x", private=True, organization="other", name="y")
    assert len(rsps.calls) == 1


def test_update_repo_visibility_without_namespace_asks_whoami(api, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json=WHOAMI)
    rsps.put(f"{ENDPOINT}/api/models/alice/x/settings", json={"private": True})
    assert api.update_repo_visibility("x", True, token="hf_explicit") == {"private": True}
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/whoami-v2", token="hf_explicit")
    check_request(
        rsps.calls[1],
        "PUT",
        f"{ENDPOINT}/api/models/alice/x/settings",
        token="hf_explicit",
        body=b'{"private": true}',
        content_type=JSON,
    )


# -- move_repo -----------------------------------------------------------------------------


@pytest.mark.parametrize(("repo_type", "sent"), [(None, "model"), ("dataset", "dataset")])
def test_move_repo(api, rsps, repo_type, sent):
    rsps.post(f"{ENDPOINT}/api/repos/move", body="")
    assert api.move_repo("a/b", "c/d", repo_type=repo_type) is None
    check_request(
        rsps.calls[0],
        "POST",
        f"{ENDPOINT}/api/repos/move",
        body=b'{"fromRepo": "a/b", "toRepo": "c/d", "type": "%s"}' % sent.encode(),
        content_type=JSON,
    )


@pytest.mark.parametrize(("from_id", "to_id", "bad"), [("b", "c/d", "b"), ("a/b", "d", "d")])
def test_move_repo_needs_namespaces(api, rsps, from_id, to_id, bad):
    with pytest.raises(ValueError) as info:
        api.move_repo(from_id, to_id)
    assert str(info.value) == (
        f"Invalid repo_id: {bad}. It should have a namespace (:namespace:/:repo_name:)"
    )


@pytest.mark.parametrize("bad", ["a/b--c", "a/.b", "a/b.git"])
def test_move_repo_validates_ids_fully(api, rsps, bad):
    with pytest.raises(HFValidationError):
        api.move_repo("a/b", bad)
    with pytest.raises(HFValidationError):
        api.move_repo(bad, "a/b")


def test_move_repo_error_gets_documentation_hint(api, rsps):
    rsps.post(
        f"{ENDPOINT}/api/repos/move",
        status=409,
        json={"error": "A model repository called c/d already exists"},
    )
    with pytest.raises(HfHubHTTPError) as info:
        api.move_repo("a/b", "c/d")
    assert str(info.value) == (
        f"409 Client Error: Conflict for url: {ENDPOINT}/api/repos/move\n\n"
        "A model repository called c/d already exists" + MOVE_HINT
    )


def test_move_repo_rejects_use_auth_token(api):
    with pytest.raises(TypeError):
        api.move_repo("a/b", "c/d", use_auth_token="x")


# -- get_full_repo_name --------------------------------------------------------------------


def test_get_full_repo_name_without_request(api, rsps):
    assert api.get_full_repo_name("m", organization="org") == "org/m"
    assert api.get_full_repo_name("u/m") == "u/m"  # the reference gives "u/u/m"
    assert len(rsps.calls) == 0


def test_get_full_repo_name_asks_whoami(api, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json=WHOAMI)
    assert api.get_full_repo_name("m") == "alice/m"
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/whoami-v2", token=TOKEN)
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json=dict(WHOAMI, name="bob"))
    assert api.get_full_repo_name("m", token="hf_bob") == "bob/m"
    assert rsps.calls[1].request.headers["authorization"] == "Bearer hf_bob"


def test_get_full_repo_name_invalid_token(api, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", status=401, json={"error": "Invalid credentials"})
    with pytest.raises(requests.HTTPError) as info:
        api.get_full_repo_name("m")
    assert type(info.value) is requests.HTTPError
    assert re.match(r"^Invalid user token\.", str(info.value))
