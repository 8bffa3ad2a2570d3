"""Input validation: repo ids, repo types, argument types, the legacy ``use_auth_token``."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from _wire import ENDPOINT, TOKEN
from huggingface_hub.utils import HFValidationError as RefValidationError
from huggingface_hub.utils import validate_repo_id as ref_validate_repo_id
from hypothesis import given, settings
from hypothesis import strategies as st

from hfapi import HFValidationError
from hfapi._validators import quote, validate_hub_args, validate_repo_id

PATTERN_MSG = (
    "Repo id must use alphanumeric chars or '-', '_', '.', '--' and '..' are forbidden, '-' and"
    " '.' cannot start or end the name, max length is 96: '{}'."
)
FORM_MSG = (
    "Repo id must be in the form 'repo_name' or 'namespace/repo_name': '{}'. Use `repo_type`"
    " argument if needed."
)

VALID = [
    "foo",
    "123",
    "foo/bar",
    "Foo-BAR_foo.bar123",
    "_foo_",
    "foo.-bar",
    "datasets/foo",
    "foo.gitx",
    "Ünïcode/名前",
    "a" * 96,
    "n" * 200 + "/" + "a" * 96,
]
INVALID = {
    "datasets/foo/bar": FORM_MSG,
    "a/b/c/d": FORM_MSG,
    ".repo_id": PATTERN_MSG,
    "repo_id.": PATTERN_MSG,
    "-ab": PATTERN_MSG,
    "a-/b": PATTERN_MSG,
    "a/-b": PATTERN_MSG,
    "a" * 97: PATTERN_MSG,
    "a b": PATTERN_MSG,
    "a/": PATTERN_MSG,
    "/a": PATTERN_MSG,
    "": PATTERN_MSG,
    "a\n": PATTERN_MSG,  # the reference lets one trailing newline through
    "foo--bar": "Cannot have -- or .. in repo_id: '{}'.",
    "foo..bar": "Cannot have -- or .. in repo_id: '{}'.",
    "foo.git": "Repo_id cannot end by '.git': '{}'.",
    "foo/bar.git": "Repo_id cannot end by '.git': '{}'.",
}


@pytest.mark.parametrize("repo_id", VALID)
def test_valid_repo_ids(repo_id):
    validate_repo_id(repo_id)


@pytest.mark.parametrize(("repo_id", "message"), sorted(INVALID.items()))
def test_invalid_repo_ids(repo_id, message):
    with pytest.raises(HFValidationError) as info:
        validate_repo_id(repo_id)
    assert str(info.value) == message.format(repo_id)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", [Path("a/b"), 3, None, b"a"])
def test_repo_id_must_be_a_string(value):
    with pytest.raises(HFValidationError) as info:
        validate_repo_id(value)
    assert str(info.value) == f"Repo id must be a string, not {type(value)}: '{value}'."


# Deterministic runs, nothing written to disk.
DETERMINISTIC = settings(derandomize=True, database=None, deadline=None)
ID_CHARS = st.sampled_from("abcXYZ019_-.é")
WORD = st.sampled_from("abcXYZ019_é")


@st.composite
def valid_names(draw, max_inner=94):
    inner = draw(st.text(ID_CHARS, max_size=max_inner))
    name = draw(WORD) + inner + draw(WORD) if draw(st.booleans()) else draw(WORD)
    return name


@st.composite
def valid_ids(draw):
    name = draw(valid_names())
    if draw(st.booleans()):
        name = draw(valid_names(max_inner=20)) + "/" + name
    return name


@DETERMINISTIC
@given(valid_ids())
def test_generated_ids_follow_the_rules(repo_id):
    legal = "--" not in repo_id and ".." not in repo_id and not repo_id.endswith(".git")
    if legal:
        validate_repo_id(repo_id)
    else:
        with pytest.raises(HFValidationError):
            validate_repo_id(repo_id)


@DETERMINISTIC
@given(st.text(), st.text(), st.text())
def test_two_slashes_always_rejected(a, b, c):
    repo_id = f"{a}/{b}/{c}"
    with pytest.raises(HFValidationError) as info:
        validate_repo_id(repo_id)
    assert str(info.value) == FORM_MSG.format(repo_id)


@DETERMINISTIC
@given(st.one_of(st.text(), st.text(alphabet="ab/-._\n é", max_size=12), valid_ids()))
def test_same_verdict_and_message_as_reference(repo_id):
    try:
        ref_validate_repo_id(repo_id)
        expected = None
    except RefValidationError as err:
        expected = str(err)
    try:
        validate_repo_id(repo_id)
        ours = None
    except HFValidationError as err:
        ours = str(err)
    if expected is None and repo_id.endswith("\n"):  # deliberate: we refuse the newline
        assert ours == PATTERN_MSG.format(repo_id)
    else:
        assert ours == expected


def test_quote():
    assert quote("refs/pr/1") == "refs%2Fpr%2F1"
    assert quote("v1.0 é~") == "v1.0%20%C3%A9~"
    assert quote("a/b", safe="/") == "a/b"


# -- the decorator -------------------------------------------------------------------------

REPO_ID_CALLS = {
    "model_info": lambda a, r: a.model_info(r),
    "dataset_info": lambda a, r: a.dataset_info(repo_id=r),
    "space_info": lambda a, r: a.space_info(r),
    "repo_info": lambda a, r: a.repo_info(r),
    "list_files_info": lambda a, r: a.list_files_info(r),
    "list_repo_files": lambda a, r: a.list_repo_files(r),
    "list_repo_refs": lambda a, r: a.list_repo_refs(r),
    "list_repo_commits": lambda a, r: a.list_repo_commits(r),
    "create_repo": lambda a, r: a.create_repo(r),
    "delete_repo": lambda a, r: a.delete_repo(r),
    "update_repo_visibility": lambda a, r: a.update_repo_visibility(r, True),
    "move_repo_from": lambda a, r: a.move_repo(r, "c/d"),
    "move_repo_to": lambda a, r: a.move_repo("c/d", r),
    "create_branch": lambda a, r: a.create_branch(r, branch="b"),
    "delete_branch": lambda a, r: a.delete_branch(r, branch="b"),
    "create_tag": lambda a, r: a.create_tag(r, tag="t"),
    "delete_tag": lambda a, r: a.delete_tag(r, tag="t"),
    "like": lambda a, r: a.like(r),
    "unlike": lambda a, r: a.unlike(r),
}


@pytest.mark.parametrize("bad", ["a/b/c", "a--b", "x.git"])
@pytest.mark.parametrize("method", sorted(REPO_ID_CALLS))
def test_repo_id_checked_before_any_request(api, rsps, method, bad):
    # move_repo first insists on a namespace (plain ValueError), then checks the id fully
    expected = (
        ValueError if method.startswith("move_repo") and bad.count("/") != 1 else HFValidationError
    )
    with pytest.raises(expected):
        REPO_ID_CALLS[method](api, bad)
    assert len(rsps.calls) == 0


def test_use_auth_token_is_folded_into_token(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/a/b", json={})
    api.model_info("a/b", use_auth_token="hf_legacy")
    api.model_info("a/b", use_auth_token=None)
    with pytest.warns(UserWarning, match="use_auth_token") as record:
        api.model_info("a/b", token="hf_new", use_auth_token="hf_legacy")
    assert record[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api.model_info("a/b", token="hf_new", use_auth_token=None)
    sent = [c.request.headers["authorization"] for c in rsps.calls]
    assert sent == [
        "Bearer hf_legacy",
        f"Bearer {TOKEN}",
        "Bearer hf_new",
        "Bearer hf_new",
    ]


def test_use_auth_token_on_write_and_listing_methods(anon, rsps):
    rsps.delete(f"{ENDPOINT}/api/repos/delete")
    rsps.get(f"{ENDPOINT}/api/users/bob/likes", json=[])
    anon.delete_repo("a/b", use_auth_token="hf_legacy")
    anon.list_liked_repos("bob", use_auth_token="hf_legacy")
    assert all(c.request.headers["authorization"] == "Bearer hf_legacy" for c in rsps.calls)


def test_use_auth_token_on_whoami_and_full_repo_name(anon, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json={"name": "alice"})
    anon.whoami(use_auth_token="hf_legacy")
    assert anon.get_full_repo_name("m", use_auth_token="hf_legacy") == "alice/m"
    with pytest.warns(UserWarning, match="use_auth_token"):
        anon.whoami("hf_positional", use_auth_token="hf_legacy")
    sent = [c.request.headers["authorization"] for c in rsps.calls]
    assert sent == ["Bearer hf_legacy", "Bearer hf_legacy", "Bearer hf_positional"]


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.move_repo("a/b", "c/d", use_auth_token="x"),
        lambda a: a.get_token_permission(use_auth_token="x"),
    ],
)
def test_use_auth_token_rejected_where_the_reference_rejects_it(anon, rsps, call):
    with pytest.raises(TypeError):
        call(anon)


def test_decorator_checks_passed_ids_only():
    seen = []

    @validate_hub_args
    def func(repo_id=None, *, to_id=None, token=None):
        seen.append((repo_id, to_id, token))

    func()
    func("ok/id", to_id=None, use_auth_token="t")  # an optional id left to None is skipped
    with pytest.raises(HFValidationError):
        func("ok", to_id="bad/bad/bad")
    with pytest.raises(HFValidationError):
        func(repo_id="a--b")
    assert seen == [(None, None, None), ("ok/id", None, "t")]


# -- repo types and argument types ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ("create_repo", "Invalid repo type"),
        ("delete_repo", "Invalid repo type"),
        ("update_repo_visibility", "Invalid repo type"),
        ("repo_info", "Unsupported repo type."),
    ],
)
@pytest.mark.parametrize("repo_type", ["models", "Dataset", "spaces", ""])
def test_bad_repo_type_messages(api, rsps, method, message, repo_type):
    with pytest.raises(ValueError) as info:
        getattr(api, method)("a/b", repo_type=repo_type)
    assert str(info.value) == message
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("call", "verb", "path"),
    [
        (lambda a: a.list_repo_refs("a/b", repo_type="datasets"), "GET", "/api/datasetss/a/b/refs"),
        (
            lambda a: a.list_repo_commits("a/b", repo_type="datasets"),
            "GET",
            "/api/datasetss/a/b/commits/main",
        ),
        (
            lambda a: a.delete_branch("a/b", branch="x", repo_type="datasets"),
            "DELETE",
            "/api/datasetss/a/b/branch/x",
        ),
    ],
)
def test_other_methods_paste_the_repo_type(api, rsps, call, verb, path):
    rsps.add(
        verb,
        ENDPOINT + path,
        json={"branches": [], "converts": [], "tags": []} if path.endswith("refs") else [],
    )
    call(api)
    assert rsps.calls[0].request.url == ENDPOINT + path


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.create_repo("a/b", private="yes"),
        lambda a: a.create_repo("a/b", private=1),
        lambda a: a.update_repo_visibility("a/b", "true"),
        lambda a: a.create_branch("a/b", branch=3),
        lambda a: a.create_branch("a/b", branch=None),
        lambda a: a.delete_branch("a/b", branch=b"x"),
        lambda a: a.create_tag("a/b", tag=3),
        lambda a: a.delete_tag("a/b", tag=None),
    ],
)
def test_wrong_argument_types_refused_before_sending(api, rsps, call):
    with pytest.raises(TypeError):
        call(api)
    assert len(rsps.calls) == 0


# -- revisions, thread counts, paths, user names (issue 8) ---------------------------------

REVISION_CALLS = {
    "model_info": lambda a, rev: a.model_info("a/b", revision=rev),
    "repo_info": lambda a, rev: a.repo_info("a/b", revision=rev, repo_type="dataset"),
    "list_repo_files": lambda a, rev: a.list_repo_files("a/b", revision=rev),
    "list_files_info": lambda a, rev: list(a.list_files_info("a/b", "x", revision=rev)),
    "list_repo_commits": lambda a, rev: a.list_repo_commits("a/b", revision=rev),
    "create_tag": lambda a, rev: a.create_tag("a/b", tag="v1", revision=rev),
    "create_branch": lambda a, rev: a.create_branch("a/b", branch="dev", revision=rev),
    "create_commit": lambda a, rev: a.create_commit("a/b", [], commit_message="m", revision=rev),
    "upload_file": lambda a, rev: a.upload_file(
        path_or_fileobj=b"x", path_in_repo="x", repo_id="a/b", revision=rev
    ),
    "delete_file": lambda a, rev: a.delete_file("x", "a/b", revision=rev),
    "branch": lambda a, rev: a.delete_branch("a/b", branch=rev),
    "tag": lambda a, rev: a.delete_tag("a/b", tag=rev),
}


@pytest.mark.parametrize("call", REVISION_CALLS.values(), ids=list(REVISION_CALLS))
@pytest.mark.parametrize("revision", ["", ".", "..", "main\x00", "dev\n"])
def test_bad_revisions_refused_before_sending(api, rsps, call, revision):
    # "" reaches another route and ".." is dropped from the URL by urllib3.
    with pytest.raises(ValueError, match=r"^`(revision|branch|tag)` must"):
        call(api, revision)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("five", TypeError, "must be an int, not str"),
        (None, TypeError, "must be an int, not NoneType"),
        (1.5, TypeError, "must be an int, not float"),
        (1e9, TypeError, "must be an int, not float"),
        (True, TypeError, "must be an int, not bool"),
        (0, ValueError, "must be strictly positive, got 0"),
        (-1, ValueError, "must be strictly positive, got -1"),
        (257, ValueError, "must be at most 256, got 257"),
        (10**9, ValueError, "must be at most 256"),
    ],
)
def test_bad_num_threads_refused_before_sending(api, rsps, value, error, message):
    with pytest.raises(error, match=f"^`num_threads` {message}"):
        api.create_commit("a/b", [], commit_message="m", num_threads=value)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda a: a.upload_file(path_or_fileobj=b"x", path_in_repo=None, repo_id="a/b"),
        lambda a: a.upload_file(path_or_fileobj=b"x", path_in_repo=3, repo_id="a/b"),
        lambda a: a.delete_file(None, "a/b"),
        lambda a: a.delete_folder(None, "a/b"),
        lambda a: a.delete_folder(Path("x"), "a/b"),
    ],
)
def test_path_in_repo_of_wrong_type(api, rsps, call):
    # Was an AttributeError from deep inside the path normalisation.
    with pytest.raises(TypeError, match=r"^`path_in_repo` must be a string"):
        call(api)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("path", ["a/../b", "", "a\x00b", "//x", "a/./b", "x/"])
def test_bad_upload_paths_refused_before_sending(api, rsps, path):
    with pytest.raises(ValueError, match="Invalid `path_in_repo`"):
        api.upload_file(path_or_fileobj=b"x", path_in_repo=path, repo_id="a/b")
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("path", ["a/../b", "..", "a\x00"])
def test_bad_upload_folder_destination(api, rsps, tmp_path, path):
    (tmp_path / "f.txt").write_bytes(b"x")
    with pytest.raises(ValueError, match="Invalid `path_in_repo`"):
        api.upload_folder(repo_id="a/b", folder_path=tmp_path, path_in_repo=path)
    assert len(rsps.calls) == 0


def test_upload_folder_refuses_an_empty_folder_path(api, rsps, tmp_path, monkeypatch):
    # realpath("") is the working directory: it used to be uploaded whole.
    (tmp_path / "secret.txt").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match=r"^`folder_path` is empty"):
        api.upload_folder(repo_id="a/b", folder_path="")
    with pytest.raises(TypeError, match=r"^`folder_path` must be a str or Path"):
        api.upload_folder(repo_id="a/b", folder_path=None)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("user", ["../../_hub/state", "a/b", "", "..", "bob?x=1", "-bob", 3])
def test_list_liked_repos_refuses_bad_user_names(api, rsps, user):
    # "../../_hub/state" used to send GET /_hub/state/likes with the caller's token.
    error = TypeError if not isinstance(user, str) else HFValidationError
    with pytest.raises(error, match="`user` must"):
        api.list_liked_repos(user)
    assert len(rsps.calls) == 0


def test_list_liked_repos_checks_the_name_whoami_gives(api, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json={"type": "user", "name": "../admin"})
    with pytest.raises(HFValidationError, match="`user` must"):
        api.list_liked_repos()
    assert len(rsps.calls) == 1


def test_non_regular_stream_refused(api, rsps):
    # /dev/zero never ends (hashing ran forever); /dev/null silently became an empty file.
    for device in ("/dev/null", "/dev/zero"):
        with (
            open(device, "rb") as stream,
            pytest.raises(ValueError, match=f"'{device}' is not a regular file"),
        ):
            api.upload_file(path_or_fileobj=stream, path_in_repo="x", repo_id="a/b")
    assert len(rsps.calls) == 0


def test_non_regular_path_refused(api, rsps):
    with pytest.raises(ValueError, match="'/dev/zero' is not a file"):
        api.upload_file(path_or_fileobj="/dev/zero", path_in_repo="x", repo_id="a/b")
    assert len(rsps.calls) == 0
