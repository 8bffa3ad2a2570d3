"""Token resolution, write checks, token storage, and tokens never leaking."""

from __future__ import annotations

import logging
import os
import re
import stat

import pytest
import requests
import responses
from _wire import ENDPOINT
from responses import matchers

from hfapi import HfApi, HfFolder, LocalTokenNotFoundError
from hfapi import constants as hf_constants
from hfapi.auth import require_write_token, resolve_token

NO_STORED = (
    "Token is required (`token=True`), but no token found. You need to provide a token or "
    "be logged in to Hugging Face with `hfapi login` (or `huggingface-cli login`) or "
    "`hfapi.login`. See https://huggingface.co/settings/tokens."
)


# -- resolve_token (doc 01 §1.3) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "instance", "stored", "implicit_off", "expected"),
    [
        ("hf_arg", "hf_inst", "hf_file", False, "hf_arg"),
        ("hf_arg", None, None, True, "hf_arg"),
        (False, "hf_inst", "hf_file", False, None),
        (None, "hf_inst", "hf_file", False, "hf_inst"),
        (None, "hf_inst", "hf_file", True, "hf_inst"),
        (True, "hf_inst", "hf_file", False, "hf_file"),  # the instance token is not consulted
        (True, None, "hf_file", True, "hf_file"),
        (None, None, "hf_file", True, None),
        (None, None, "hf_file", False, "hf_file"),
        (None, None, None, False, None),
        (None, False, "hf_file", False, None),
        ("  hf_arg\n", None, None, False, "hf_arg"),
        ("", None, "hf_file", False, None),
    ],
)
def test_resolve_token_table(monkeypatch, arg, instance, stored, implicit_off, expected):
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", implicit_off)
    if stored:
        HfFolder.save_token(stored)
    assert resolve_token(arg, instance) == expected


def test_token_true_without_stored_token():
    with pytest.raises(LocalTokenNotFoundError) as info:
        resolve_token(True, "hf_inst")
    assert str(info.value) == NO_STORED
    assert isinstance(info.value, OSError)


def test_env_var_wins_over_file(monkeypatch):
    HfFolder.save_token("hf_file")
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", "hf_env")
    assert resolve_token(None) == "hf_env"
    assert resolve_token(True) == "hf_env"


@pytest.mark.parametrize(
    "bad", ["hf_a b", "hf_a\nb", "hf_\x00", "hf_\x7f", "hf_\tx", "hf_é", "hf_€uro", "hf_\u00a0x"]
)
def test_token_with_inner_whitespace_refused_without_echo(bad):
    with pytest.raises(ValueError) as info:
        resolve_token(bad)
    assert bad.strip() not in str(info.value)


def test_require_write_token_messages():
    assert require_write_token("hf_ok") == "hf_ok"
    with pytest.raises(ValueError, match=r"^Token is required \(write-access action\)"):
        require_write_token(None)
    with pytest.raises(ValueError, match=r"^You must use your personal account token"):
        require_write_token("api_org_x")


# -- the header on the wire ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance", "arg", "env", "file", "implicit_off", "header"),
    [
        ("hf_inst", None, None, None, False, "Bearer hf_inst"),
        ("hf_inst", "hf_arg", None, None, False, "Bearer hf_arg"),
        ("hf_inst", False, "hf_env", "hf_file", False, None),
        ("hf_inst", True, None, "hf_file", False, "Bearer hf_file"),
        (None, None, "hf_env", "hf_file", False, "Bearer hf_env"),
        (None, None, None, "hf_file", False, "Bearer hf_file"),
        (None, None, None, "hf_file", True, None),
        (None, True, None, "hf_file", True, "Bearer hf_file"),
        (None, None, None, None, False, None),
        (None, None, "  hf_env\n", None, False, "Bearer hf_env"),
    ],
)
@pytest.mark.parametrize("paginated", [False, True], ids=["single", "paginated"])
def test_authorization_header(
    rsps, monkeypatch, instance, arg, env, file, implicit_off, header, paginated
):
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", implicit_off)
    if env:
        monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", env)
    if file:
        HfFolder.save_token(file)
    client = HfApi(endpoint=ENDPOINT, token=instance)
    if paginated:
        page2 = f"{ENDPOINT}/api/models/gpt2/commits/main?cursor=2"
        rsps.get(page2, json=[], match=[matchers.query_param_matcher({"cursor": "2"})])
        rsps.get(
            f"{ENDPOINT}/api/models/gpt2/commits/main",
            json=[],
            headers={"Link": f'<{page2}>; rel="next"'},
            match=[matchers.query_param_matcher({})],
        )
        client.list_repo_commits("gpt2", token=arg)
    else:
        rsps.get(f"{ENDPOINT}/api/models/gpt2", json={})
        client.model_info("gpt2", token=arg)
    assert [c.request.headers.get("authorization") for c in rsps.calls] == [header] * (
        2 if paginated else 1
    )


def test_implicit_token_disabled_for_write_actions(anon, rsps, monkeypatch):
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", True)
    HfFolder.save_token("hf_file")
    with pytest.raises(ValueError, match=r"^Token is required \(write-access action\)"):
        anon.create_branch("a/b", branch="dev")
    rsps.post(f"{ENDPOINT}/api/models/a/b/branch/dev", json={})
    anon.create_branch("a/b", branch="dev", token=True)
    assert rsps.calls[0].request.headers["authorization"] == "Bearer hf_file"


def test_token_true_without_stored_token_sends_nothing(rsps):
    with pytest.raises(LocalTokenNotFoundError):
        HfApi(endpoint=ENDPOINT, token="hf_inst").model_info("gpt2", token=True)
    assert len(rsps.calls) == 0


# -- HfFolder ------------------------------------------------------------------------------


def test_save_token_private_atomic_and_creates_folders(tmp_path, monkeypatch):
    target = tmp_path / "deep" / "er" / "token"
    monkeypatch.setattr(HfFolder, "path_token", str(target))
    HfFolder.save_token("hf_first")
    HfFolder.save_token("hf_second")
    assert target.read_text() == "hf_second"  # raw token, no newline
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(target.parent) == ["token"]  # no temporary file left behind
    with pytest.raises(TypeError):
        HfFolder.save_token(123)


def test_get_token(monkeypatch):
    assert HfFolder.get_token() is None
    with open(HfFolder.path_token, "w") as handle:
        handle.write("hf_from_editor\n")
    assert HfFolder.get_token() == "hf_from_editor"
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", "hf_env ")
    assert HfFolder.get_token() == "hf_env"


def test_token_file_with_newline_works_on_the_wire(anon, rsps):
    with open(HfFolder.path_token, "w") as handle:
        handle.write("hf_file\n")
    rsps.get(f"{ENDPOINT}/api/models/gpt2", json={})
    anon.model_info("gpt2")
    assert rsps.calls[0].request.headers["authorization"] == "Bearer hf_file"


def test_delete_token_removes_both_files():
    HfFolder.save_token("hf_x")
    with open(HfFolder.path_old_token, "w") as handle:
        handle.write("hf_legacy")
    HfFolder.delete_token()
    assert not os.path.exists(HfFolder.path_token)
    assert not os.path.exists(HfFolder.path_old_token)
    HfFolder.delete_token()  # missing files are fine


def test_legacy_token_is_migrated():
    with open(HfFolder.path_old_token, "w") as handle:
        handle.write("hf_legacy")
    with pytest.warns(UserWarning, match="legacy location"):
        assert HfFolder.get_token() == "hf_legacy"
    with open(HfFolder.path_token) as handle:
        assert handle.read() == "hf_legacy"
    assert HfFolder.get_token() == "hf_legacy"  # no second warning (filterwarnings=error)


def test_legacy_token_ignored_when_new_file_exists():
    HfFolder.save_token("hf_new")
    with open(HfFolder.path_old_token, "w") as handle:
        handle.write("hf_legacy")
    assert HfFolder.get_token() == "hf_new"


# -- the token never leaks -----------------------------------------------------------------

SECRET = "hf_SeCrEt_token_0123456789"

CALLS = {
    "model_info": lambda a: a.model_info("a/b"),
    "dataset_info": lambda a: a.dataset_info("a/b", revision="refs/pr/1"),
    "space_info": lambda a: a.space_info("a/b"),
    "repo_info": lambda a: a.repo_info("a/b", repo_type="dataset"),
    "list_files_info": lambda a: list(a.list_files_info("a/b", ["x", "y"])),
    "list_files_info_tree": lambda a: list(a.list_files_info("a/b")),
    "list_repo_files": lambda a: a.list_repo_files("a/b"),
    "list_repo_refs": lambda a: a.list_repo_refs("a/b"),
    "list_repo_commits": lambda a: a.list_repo_commits("a/b", formatted=True),
    "create_repo": lambda a: a.create_repo("a/b"),
    "delete_repo": lambda a: a.delete_repo("a/b"),
    "update_repo_visibility": lambda a: a.update_repo_visibility("a/b", True),
    "move_repo": lambda a: a.move_repo("a/b", "c/d"),
    "create_branch": lambda a: a.create_branch("a/b", branch="dev"),
    "delete_branch": lambda a: a.delete_branch("a/b", branch="dev"),
    "create_tag": lambda a: a.create_tag("a/b", tag="v1"),
    "delete_tag": lambda a: a.delete_tag("a/b", tag="v1"),
    "like": lambda a: a.like("a/b"),
    "unlike": lambda a: a.unlike("a/b"),
    "list_liked_repos": lambda a: a.list_liked_repos(),
    "whoami": lambda a: a.whoami(),
    "get_full_repo_name": lambda a: a.get_full_repo_name("m"),
}
FAILURES = {
    "400": dict(status=400, json={"error": "bad"}),
    "401": dict(status=401, json={"error": "Invalid username or password."}),
    "403": dict(status=403, json={"error": "forbidden"}),
    "404-repo": dict(status=404, headers={"X-Error-Code": "RepoNotFound", "X-Request-Id": "r1"}),
    "404-gated": dict(status=403, headers={"X-Error-Code": "GatedRepo"}),
    "409": dict(status=409, json={"error": "exists", "url": f"{ENDPOINT}/a/b"}),
    "500": dict(status=500, body="Internal error"),
    "transport": dict(body=requests.ConnectionError("Connection aborted.")),
}


@pytest.fixture
def secret_api(sleeps):
    client = HfApi(endpoint=ENDPOINT, token=SECRET)
    client._http.sleep = sleeps
    return client


def _assert_no_secret(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        assert SECRET not in str(exc)
        assert SECRET not in repr(exc)
        assert all(SECRET not in str(arg) for arg in exc.args)
        exc = exc.__cause__ or exc.__context__


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("method", sorted(CALLS))
def test_token_not_in_exceptions(secret_api, method, failure):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for verb in ("GET", "POST", "PUT", "DELETE"):
            mock.add(verb, re.compile(".*"), **FAILURES[failure])
        with pytest.raises(Exception) as info:
            CALLS[method](secret_api)
        assert len(mock.calls) >= 1
    _assert_no_secret(info.value)


@pytest.mark.parametrize("token", ["hf_bad token", "hf_bad€"])
@pytest.mark.parametrize("method", sorted(CALLS))
def test_malformed_token_refused_before_sending(rsps, sleeps, method, token):
    client = HfApi(endpoint=ENDPOINT, token=token)
    with pytest.raises(ValueError) as info:
        CALLS[method](client)
    assert "hf_bad" not in str(info.value) and "hf_bad" not in repr(info.value.args)
    assert len(rsps.calls) == 0


def test_token_not_in_repr():
    api = HfApi(endpoint=ENDPOINT, token=SECRET)
    assert SECRET not in repr(api)
    assert repr(api) == f"HfApi(endpoint='{ENDPOINT}', token=<set>)"
    assert repr(HfApi(endpoint=ENDPOINT)) == f"HfApi(endpoint='{ENDPOINT}', token=None)"
    assert SECRET not in repr(api._http.__dict__)


def test_token_not_in_logs(secret_api, caplog):
    caplog.set_level(logging.DEBUG, logger="hfapi")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(f"{ENDPOINT}/api/models/a/b", status=503)
        mock.get(f"{ENDPOINT}/api/models/a/b", json={})
        mock.post(re.compile(".*"), status=500)
        mock.get(f"{ENDPOINT}/api/whoami-v2", body=requests.ConnectionError("reset"))
        secret_api.model_info("a/b")
        with pytest.raises(Exception):
            secret_api.create_repo("a/b")
        with pytest.raises(requests.ConnectionError):
            secret_api.whoami()
    assert caplog.records, "the client should log its requests at DEBUG level"
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(record.args)
    levels = {record.levelno for record in caplog.records}
    assert {logging.DEBUG, logging.WARNING} <= levels  # requests and retries were logged


# -- token types ---------------------------------------------------------------------------

BOB = "hf_bob_token_0123456789"
BAD_TOKENS = {
    "bytes": BOB.encode(),
    "empty-bytes": b"",
    "bytearray": bytearray(BOB.encode()),
    "list": [BOB],
    "dict": {"token": BOB},
    "int": 1,
    "zero": 0,
    "float": 2.5,
}
WITH_TOKEN = {
    "model_info": lambda a, t: a.model_info("a/b", token=t),
    "dataset_info": lambda a, t: a.dataset_info("a/b", token=t),
    "space_info": lambda a, t: a.space_info("a/b", token=t),
    "repo_info": lambda a, t: a.repo_info("a/b", token=t),
    "list_files_info": lambda a, t: list(a.list_files_info("a/b", token=t)),
    "list_repo_files": lambda a, t: a.list_repo_files("a/b", token=t),
    "list_repo_refs": lambda a, t: a.list_repo_refs("a/b", token=t),
    "list_repo_commits": lambda a, t: a.list_repo_commits("a/b", token=t),
    "create_repo": lambda a, t: a.create_repo("mine", token=t),
    "delete_repo": lambda a, t: a.delete_repo("a/b", token=t),
    "update_repo_visibility": lambda a, t: a.update_repo_visibility("a/b", True, token=t),
    "move_repo": lambda a, t: a.move_repo("a/b", "c/d", token=t),
    "create_branch": lambda a, t: a.create_branch("a/b", branch="dev", token=t),
    "delete_branch": lambda a, t: a.delete_branch("a/b", branch="dev", token=t),
    "create_tag": lambda a, t: a.create_tag("a/b", tag="v1", token=t),
    "delete_tag": lambda a, t: a.delete_tag("a/b", tag="v1", token=t),
    "like": lambda a, t: a.like("a/b", token=t),
    "unlike": lambda a, t: a.unlike("a/b", token=t),
    "list_liked_repos": lambda a, t: a.list_liked_repos(token=t),
    "whoami": lambda a, t: a.whoami(token=t),
    "get_token_permission": lambda a, t: a.get_token_permission(token=t),
    "get_full_repo_name": lambda a, t: a.get_full_repo_name("m", token=t),
    "upload_file": lambda a, t: a.upload_file(
        path_or_fileobj=b"x", path_in_repo="x", repo_id="a/b", token=t
    ),
    "delete_file": lambda a, t: a.delete_file("x", "a/b", token=t),
}


def _assert_type_error_without_value(info):
    assert isinstance(info.value, TypeError)
    assert "must be a str, True, False or None" in str(info.value)
    assert "bob" not in str(info.value) and "bob" not in repr(info.value.args)


@pytest.mark.parametrize("token", sorted(BAD_TOKENS))
@pytest.mark.parametrize("method", sorted(WITH_TOKEN))
def test_wrong_token_type_refused_before_sending(anon, rsps, stored_token, method, token):
    # Not "no token given": the machine's stored token must not be sent instead.
    with pytest.raises(TypeError) as info:
        WITH_TOKEN[method](anon, BAD_TOKENS[token])
    _assert_type_error_without_value(info)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("token", sorted(BAD_TOKENS))
def test_wrong_client_token_type_refused(rsps, stored_token, token):
    with pytest.raises(TypeError) as info:
        HfApi(endpoint=ENDPOINT, token=BAD_TOKENS[token])
    _assert_type_error_without_value(info)
    client = HfApi(endpoint=ENDPOINT)
    client.token = BAD_TOKENS[token]  # set after construction: still refused per call
    for method in ("model_info", "whoami", "create_repo"):
        with pytest.raises(TypeError):
            WITH_TOKEN[method](client, None)
    assert len(rsps.calls) == 0


def test_resolve_token_type_check():
    with pytest.raises(TypeError, match=r"not bytes \(decode it first: token.decode\(\)\)\.$"):
        resolve_token(BOB.encode())
    with pytest.raises(TypeError, match=r"not list\.$"):
        resolve_token(None, [BOB])
    assert resolve_token(False, "hf_inst") is None  # bools keep their meaning
