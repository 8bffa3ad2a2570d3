"""Bad client inputs across the public methods: each is refused before any request.

Every case runs under a ``responses`` mock with no registered URL, so a request that
leaves the client fails the test; the exception must be the clear one (``ValueError``,
``TypeError`` or the reference's class) with a message naming what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple, Type

import pytest
import responses
from _wire import ENDPOINT, TOKEN
from hypothesis import given
from hypothesis import strategies as st

from hfapi import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    HfApi,
    HFValidationError,
)
from hfapi._validators import validate_repo_id

Call = Callable[[HfApi], Any]
Case = Tuple[str, Call, Type[BaseException], str]

REPO_ID = r"(?i)repo.?id"
MISSING_FOLDER = "/nonexistent/hfapi-bad-input-folder"

# -- repo ids -------------------------------------------------------------------------------

BAD_REPO_IDS: List[Any] = [
    "a/b/c",
    "",
    ".a",
    "a.",
    "-a",
    "a--b",
    "a..b",
    "a.git",
    "a b",
    "a" * 97,
    "/a",
    "a/",
    "a/b\n",
    3,
    b"a/b",
]

REPO_ID_METHODS: Dict[str, Callable[[HfApi, Any], Any]] = {
    "model_info": lambda a, r: a.model_info(r),
    "dataset_info": lambda a, r: a.dataset_info(r),
    "space_info": lambda a, r: a.space_info(r),
    "repo_info": lambda a, r: a.repo_info(r),
    "list_repo_files": lambda a, r: a.list_repo_files(r),
    "list_files_info": lambda a, r: a.list_files_info(r),
    "list_repo_refs": lambda a, r: a.list_repo_refs(r),
    "list_repo_commits": lambda a, r: a.list_repo_commits(r),
    "create_repo": lambda a, r: a.create_repo(r),
    "delete_repo": lambda a, r: a.delete_repo(r),
    "update_repo_visibility": lambda a, r: a.update_repo_visibility(r, True),
    "like": lambda a, r: a.like(r),
    "unlike": lambda a, r: a.unlike(r),
    "create_branch": lambda a, r: a.create_branch(r, branch="dev"),
    "delete_branch": lambda a, r: a.delete_branch(r, branch="dev"),
    "create_tag": lambda a, r: a.create_tag(r, tag="v1"),
    "delete_tag": lambda a, r: a.delete_tag(r, tag="v1"),
    "create_commit": lambda a, r: a.create_commit(r, [], commit_message="m"),
    "upload_file": lambda a, r: a.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id=r),
    "upload_folder": lambda a, r: a.upload_folder(repo_id=r, folder_path=MISSING_FOLDER),
    "delete_file": lambda a, r: a.delete_file("x", r),
    "delete_folder": lambda a, r: a.delete_folder("x", r),
    "move_repo_from": lambda a, r: a.move_repo(r, "a/b"),
    "move_repo_to": lambda a, r: a.move_repo("a/b", r),
}


def _repo_id_cases() -> List[Case]:
    cases: List[Case] = []
    for method, call in REPO_ID_METHODS.items():
        # Every method gets a sample; the full list goes through a few of them.
        ids = (
            BAD_REPO_IDS
            if method in ("model_info", "upload_file", "create_repo")
            else [
                "a/b/c",
                "a--b",
                3,
            ]
        )
        for bad in ids:
            error: Type[BaseException] = HFValidationError
            message = REPO_ID
            if method.startswith("move_repo") and (not isinstance(bad, str) or bad.count("/") != 1):
                error, message = ValueError, r"Invalid repo_id"  # move_repo's own message
            cases.append((f"{method}-repo_id={bad!r:.20}", _bind(call, bad), error, message))
    return cases


def _bind(call: Callable[[HfApi, Any], Any], value: Any) -> Call:
    return lambda api: call(api, value)


# -- repo types -----------------------------------------------------------------------------

BAD_REPO_TYPES = ["models", "Dataset", "spaces", "", "repo", "datasets "]
REPO_TYPE_METHODS: Dict[str, Callable[[HfApi, Any], Any]] = {
    "create_repo": lambda a, t: a.create_repo("a/b", repo_type=t),
    "delete_repo": lambda a, t: a.delete_repo("a/b", repo_type=t),
    "update_repo_visibility": lambda a, t: a.update_repo_visibility("a/b", True, repo_type=t),
    "repo_info": lambda a, t: a.repo_info("a/b", repo_type=t),
    "create_commit": lambda a, t: a.create_commit("a/b", [], commit_message="m", repo_type=t),
    "upload_file": lambda a, t: a.upload_file(
        path_or_fileobj=b"x", path_in_repo="x", repo_id="a/b", repo_type=t
    ),
    "upload_folder": lambda a, t: a.upload_folder(
        repo_id="a/b", folder_path=MISSING_FOLDER, repo_type=t
    ),
    "delete_file": lambda a, t: a.delete_file("x", "a/b", repo_type=t),
    "delete_folder": lambda a, t: a.delete_folder("x", "a/b", repo_type=t),
}


def _repo_type_cases() -> List[Case]:
    cases: List[Case] = []
    for method, call in REPO_TYPE_METHODS.items():
        for bad in BAD_REPO_TYPES:
            message = r"^(Invalid|Unsupported) repo type"
            cases.append((f"{method}-repo_type={bad!r}", _bind(call, bad), ValueError, message))
        message = r"^(Invalid|Unsupported) repo type"
        cases.append((f"{method}-repo_type=3", _bind(call, 3), ValueError, message))
    return cases


# -- revisions, branches, tags -----------------------------------------------------------------

BAD_REVISIONS: List[Any] = ["", ".", "..", "main\x00", "a\nb", "\x7f"]
REVISION_METHODS: Dict[str, Callable[[HfApi, Any], Any]] = {
    "model_info": lambda a, r: a.model_info("a/b", revision=r),
    "dataset_info": lambda a, r: a.dataset_info("a/b", revision=r),
    "space_info": lambda a, r: a.space_info("a/b", revision=r),
    "repo_info": lambda a, r: a.repo_info("a/b", revision=r),
    "list_repo_files": lambda a, r: a.list_repo_files("a/b", revision=r),
    "list_files_info": lambda a, r: a.list_files_info("a/b", revision=r),
    "list_repo_commits": lambda a, r: a.list_repo_commits("a/b", revision=r),
    "create_branch": lambda a, r: a.create_branch("a/b", branch="dev", revision=r),
    "create_tag": lambda a, r: a.create_tag("a/b", tag="v1", revision=r),
    "create_commit": lambda a, r: a.create_commit("a/b", [], commit_message="m", revision=r),
    "upload_file": lambda a, r: a.upload_file(
        path_or_fileobj=b"x", path_in_repo="x", repo_id="a/b", revision=r
    ),
    "upload_folder": lambda a, r: a.upload_folder(
        repo_id="a/b", folder_path=MISSING_FOLDER, revision=r
    ),
    "delete_file": lambda a, r: a.delete_file("x", "a/b", revision=r),
    "delete_folder": lambda a, r: a.delete_folder("x", "a/b", revision=r),
    "create_branch-branch": lambda a, r: a.create_branch("a/b", branch=r),
    "delete_branch-branch": lambda a, r: a.delete_branch("a/b", branch=r),
    "create_tag-tag": lambda a, r: a.create_tag("a/b", tag=r),
    "delete_tag-tag": lambda a, r: a.delete_tag("a/b", tag=r),
}


def _revision_cases() -> List[Case]:
    cases: List[Case] = []
    for method, call in REVISION_METHODS.items():
        name = method.split("-")[1] if "-" in method else "revision"
        for bad in BAD_REVISIONS:
            cases.append((f"{method}={bad!r}", _bind(call, bad), ValueError, f"^`{name}` must"))
        for bad in (3, b"main"):
            cases.append((f"{method}={bad!r}", _bind(call, bad), TypeError, f"^`{name}` must"))
    return cases


# -- paths in the repo ----------------------------------------------------------------------

BAD_PATHS: List[str] = [
    ".",
    "..",
    "../a",
    "a/../b",
    "a/./b",
    "a/..",
    "./../a",
    "",
    "/",
    "//a",
    "a//b",
    ".git/config",
    "a/.git/b",
    "a\x00b",
]
PATH_CALLS: Dict[str, Callable[[HfApi, Any], Any]] = {
    "upload_file": lambda a, p: a.upload_file(path_or_fileobj=b"x", path_in_repo=p, repo_id="a/b"),
    "delete_file": lambda a, p: a.delete_file(p, "a/b"),
    "delete_folder": lambda a, p: a.delete_folder(p, "a/b"),
    "CommitOperationAdd": lambda a, p: CommitOperationAdd(p, b"x"),
    "CommitOperationDelete": lambda a, p: CommitOperationDelete(p),
    "CommitOperationCopy-src": lambda a, p: CommitOperationCopy(p, "dst.bin"),
    "CommitOperationCopy-dst": lambda a, p: CommitOperationCopy("src.bin", p),
}


def _path_cases() -> List[Case]:
    cases: List[Case] = []
    for method, call in PATH_CALLS.items():
        for bad in BAD_PATHS:
            message = r"Invalid `path_in_repo`"
            cases.append((f"{method}-path={bad!r}", _bind(call, bad), ValueError, message))
        for wrong in (None, 3):
            message = r"`path_in_repo` must be a string"
            cases.append((f"{method}-path={wrong!r}", _bind(call, wrong), TypeError, message))
    cases.append(
        (
            "upload_file-path=folder/",
            lambda a: a.upload_file(path_or_fileobj=b"x", path_in_repo="x/", repo_id="a/b"),
            ValueError,
            "it must name a file",
        )
    )
    for bad in ("..", "a/../b", "a\x00", "a//b"):
        cases.append(
            (
                f"upload_folder-path_in_repo={bad!r}",
                lambda a, bad=bad: a.upload_folder(
                    repo_id="a/b", folder_path=Path(__file__).parent, path_in_repo=bad
                ),
                ValueError,
                r"Invalid `path_in_repo`",
            )
        )
    return cases


# -- everything else ------------------------------------------------------------------------


def _commit(**kwargs: Any) -> Call:
    return lambda a: a.create_commit("a/b", [], **{"commit_message": "m", **kwargs})


def _other_cases() -> List[Case]:
    cases: List[Case] = []
    threads = [("five", TypeError), (None, TypeError), (1.5, TypeError), (1e9, TypeError)]
    threads += [(True, TypeError), (0, ValueError), (-1, ValueError), (257, ValueError)]
    for value, error in threads:
        cases.append((f"num_threads={value!r}", _commit(num_threads=value), error, "`num_threads`"))
    for parent in ("xyz", "1234", "g" * 40, "a" * 41, ""):
        cases.append(
            (
                f"parent_commit={parent!r}",
                _commit(parent_commit=parent),
                ValueError,
                "`parent_commit`",
            )
        )
    cases.append(("commit_message=''", _commit(commit_message=""), ValueError, "`commit_message`"))
    for user in ("../../_hub/state", "a/b", "", "..", "bob?x=1", "-bob", "bob--x", "é é"):
        cases.append(
            (
                f"list_liked_repos-user={user!r}",
                _bind(lambda a, u: a.list_liked_repos(u), user),
                HFValidationError,
                "`user` must",
            )
        )
    cases.append(
        ("list_liked_repos-user=3", lambda a: a.list_liked_repos(3), TypeError, "`user` must")
    )
    folder_cases: List[Tuple[Any, Type[BaseException], str]] = [
        ("", ValueError, "`folder_path` is empty"),
        (None, TypeError, "`folder_path` must be"),
        (3, TypeError, "`folder_path` must be"),
        (MISSING_FOLDER, ValueError, "is not a directory"),
        (__file__, ValueError, "is not a directory"),
    ]
    for folder, error, message in folder_cases:
        call = _bind(lambda a, f: a.upload_folder(repo_id="a/b", folder_path=f), folder)
        cases.append((f"upload_folder-folder_path={folder!r:.30}", call, error, message))
    sources: List[Tuple[Any, str]] = [
        ("/dev/zero", "is not a file"),
        (MISSING_FOLDER, "is not a file"),
        ("", "is not a file"),
        (bytearray(b"x"), "path_or_fileobj must be"),
        (3, "path_or_fileobj must be"),
        (None, "path_or_fileobj must be"),
    ]
    for source, message in sources:
        call = _bind(
            lambda a, s: a.upload_file(path_or_fileobj=s, path_in_repo="x", repo_id="a/b"), source
        )
        cases.append((f"upload_file-source={source!r:.20}", call, ValueError, message))
    cases.append(
        (
            "is_folder='yes'",
            lambda a: CommitOperationDelete("x", is_folder="yes"),
            ValueError,
            "`is_folder`",
        )
    )
    cases.append(
        ("private='yes'", lambda a: a.create_repo("a/b", private="yes"), TypeError, "`private`")
    )
    cases.append(
        ("private=1", lambda a: a.update_repo_visibility("a/b", 1), TypeError, "`private`")
    )
    cases.append(
        (
            "tag_message=3",
            lambda a: a.create_tag("a/b", tag="v", tag_message=3),
            TypeError,
            "`tag_message`",
        )
    )
    sdk = [(None, "No space_sdk provided"), ("flask", "Invalid space_sdk")]
    for value, message in sdk:
        call = _bind(lambda a, v: a.create_repo("a/b", repo_type="space", space_sdk=v), value)
        cases.append((f"space_sdk={value!r}", call, ValueError, message))
    for token in ("hf_a b", "hf_\x00x", "hf_é", "hf_a\nb"):
        call = _bind(lambda a, t: a.model_info("a/b", token=t), token)
        cases.append((f"token={token!r}", call, ValueError, "The token contains"))
    for token in ("api_org_abc", False):
        call = _bind(lambda a, t: a.create_commit("a/b", [], commit_message="m", token=t), token)
        cases.append((f"write-token={token!r}", call, ValueError, "token"))
    cases.append(
        (
            "multi_commits on a branch",
            lambda a: a.upload_folder(
                repo_id="a/b", folder_path=Path(__file__).parent, multi_commits=True, revision="dev"
            ),
            ValueError,
            "Multi-commits",
        )
    )
    return cases


CASES: List[Case] = [
    *_repo_id_cases(),
    *_repo_type_cases(),
    *_revision_cases(),
    *_path_cases(),
    *_other_cases(),
]


@pytest.fixture
def no_network() -> Any:
    """A mock transport with no URL at all: any request raises and fails the case."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def test_case_count() -> None:
    names = [name for name, *_ in CASES]
    assert len(set(names)) == len(names), "case names must be distinct"
    print(f"{len(CASES)} distinct bad client inputs")
    assert len(CASES) >= 200


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_refused_before_any_request(
    no_network: Any, call: Call, error: Type[BaseException], message: str
) -> None:
    api = HfApi(endpoint=ENDPOINT, token=TOKEN)
    with pytest.raises(error) as caught:
        call(api)
    assert re.search(message, str(caught.value)), str(caught.value)
    assert TOKEN not in str(caught.value)
    assert len(no_network.calls) == 0


# -- property-based ---------------------------------------------------------------------------


@given(st.text(max_size=120))
def test_any_refused_repo_id_is_refused_by_every_read(text: str) -> None:
    try:
        validate_repo_id(text)
    except HFValidationError:
        pass
    else:
        return  # a valid id: would be sent
    api = HfApi(endpoint=ENDPOINT, token=TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for call in (api.model_info, api.list_repo_refs, api.like):
            with pytest.raises(HFValidationError):
                call(text)
        assert len(mock.calls) == 0


_dot_segments = st.lists(st.sampled_from(["", ".", "..", "a", "\x00"]), min_size=1, max_size=4)


@given(_dot_segments.map("/".join))
def test_paths_with_dot_or_empty_segments_never_leave(path: str) -> None:
    cleaned = path[1:] if path.startswith("/") else path
    if cleaned.startswith("./"):
        cleaned = cleaned[2:]  # the reference's cleaning: one "/" then one "./"
    parts = cleaned.split("/")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing "/" marks a folder
    if all(part == "a" for part in parts):
        return  # a valid path: would be sent
    api = HfApi(endpoint=ENDPOINT, token=TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(ValueError, match="path_in_repo"):
            api.delete_file(path, "a/b")
        assert len(mock.calls) == 0


@given(st.sampled_from(["", ".", ".."]) | st.text(alphabet="\x00\n\r\t\x7f", min_size=1))
def test_unusable_revisions_never_leave(revision: str) -> None:
    api = HfApi(endpoint=ENDPOINT, token=TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for call in (
            lambda: api.list_repo_commits("a/b", revision=revision),
            lambda: api.delete_branch("a/b", branch=revision),
        ):
            with pytest.raises(ValueError, match="must"):
                call()
        assert len(mock.calls) == 0
