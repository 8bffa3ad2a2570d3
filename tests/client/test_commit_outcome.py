"""A commit whose answer is lost: the branch is read, and the outcome told truthfully."""

from __future__ import annotations

import hashlib
import io
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
import requests
import responses
from _wire import ENDPOINT, TOKEN

from hfapi import CommitInfo, HfApi
from hfapi.commit.operations import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)
from hfapi.commit.outcome import (
    CommitNotAppliedError,
    CommitOutcomeUnknownError,
    ExpectedEntry,
    Search,
    expected_tree,
    find_landed_commit,
    git_blob_id,
    tree_matches,
)

REPO = "alice/repo"
API = f"{ENDPOINT}/api/models/{REPO}"
PARENT = "a" * 40
NEW = "b" * 40
OTHER = "c" * 40
MESSAGE = "Add weights"
REGULAR = b"hello\n"
REGULAR_BLOB = "ce013625030ba8dba906f756967f9e9ca394464a"
LFS_DATA = b"x" * 120
LFS_SHA = hashlib.sha256(LFS_DATA).hexdigest()


def _commit_item(oid: str, title: str) -> Dict[str, Any]:
    return {
        "id": oid,
        "title": title,
        "message": "",
        "authors": [{"user": "alice"}],
        "date": "2023-07-03T12:34:56.000Z",
    }


def _operations() -> List[Any]:
    return [
        CommitOperationAdd("docs/readme.txt", REGULAR),
        CommitOperationAdd("weights.bin", LFS_DATA),
        CommitOperationDelete("old.txt"),
    ]


def _entries(blob: str = REGULAR_BLOB, lfs: str = LFS_SHA) -> List[Dict[str, Any]]:
    return [
        {"type": "file", "path": "docs/readme.txt", "oid": blob, "size": 6},
        {
            "type": "file",
            "path": "weights.bin",
            "oid": "d" * 40,
            "size": 120,
            "lfs": {"oid": lfs, "size": 120, "pointerSize": 126},
        },
    ]


def _lose_answer(error: Exception) -> Callable[[Any], Tuple[int, Dict[str, str], str]]:
    """The commit POST reaches the server (its body is read), then the answer is lost."""

    def callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        assert request.body  # sent in full
        raise error

    return callback


def _flow(rsps: Any, error: Exception, create_pr: bool = False) -> None:
    suffix = "?create_pr=1" if create_pr else ""
    files = [
        {"path": "docs/readme.txt", "uploadMode": "regular"},
        {"path": "weights.bin", "uploadMode": "lfs"},
    ]
    rsps.add(responses.POST, f"{API}/preupload/main{suffix}", json={"files": files})
    batch = f"{ENDPOINT}/{REPO}.git/info/lfs/objects/batch"
    rsps.add(responses.POST, batch, json={"objects": [{"oid": LFS_SHA, "size": 120}]})
    rsps.add_callback(responses.POST, f"{API}/commit/main{suffix}", callback=_lose_answer(error))


def _history(rsps: Any, *items: Dict[str, Any]) -> None:
    rsps.add(responses.GET, f"{API}/commits/main", json=list(items))


def _paths_info(rsps: Any, oid: str, entries: List[Dict[str, Any]]) -> None:
    rsps.add(responses.POST, f"{API}/paths-info/{oid}", json=entries)


def _commit(api: HfApi, **kwargs: Any) -> Any:
    return api.create_commit(REPO, _operations(), commit_message=MESSAGE, **kwargs)


DROPPED = requests.ConnectionError("Connection aborted: RemoteDisconnected")


@pytest.mark.parametrize(
    "error", [DROPPED, requests.ReadTimeout("read timed out")], ids=["dropped", "timeout"]
)
def test_a_commit_that_landed_is_returned(api: HfApi, rsps: Any, error: Exception) -> None:
    _flow(rsps, error)
    _history(rsps, _commit_item(NEW, MESSAGE), _commit_item(PARENT, "initial commit"))
    _paths_info(rsps, NEW, _entries())
    info = _commit(api)
    assert info == CommitInfo(
        commit_url=f"{ENDPOINT}/{REPO}/commit/{NEW}",
        commit_message=MESSAGE,
        commit_description="",
        oid=NEW,
        pr_url=None,
    )
    reads = rsps.calls[-2:]
    assert [call.request.method for call in rsps.calls].count("POST") == 4  # commit sent once
    for call in reads:
        assert call.request.headers["authorization"] == f"Bearer {TOKEN}"
    body = reads[1].request.body
    assert body == "paths=docs%2Freadme.txt&paths=old.txt&paths=weights.bin"


def test_a_commit_on_top_of_the_expected_parent(api: HfApi, rsps: Any) -> None:
    _flow(rsps, DROPPED)
    _history(
        rsps,
        _commit_item(OTHER, "someone else, later"),
        _commit_item(NEW, MESSAGE),
        _commit_item(PARENT, "initial commit"),
    )
    _paths_info(rsps, NEW, _entries())
    info = _commit(api, parent_commit=PARENT[:7])
    assert info.oid == NEW


@pytest.mark.parametrize(
    ("history", "parent"),
    [
        ([_commit_item(PARENT, "initial commit")], None),
        ([_commit_item(OTHER, "another message"), _commit_item(PARENT, "x")], None),
        ([_commit_item(PARENT, "initial commit")], PARENT),
        ([_commit_item(OTHER, MESSAGE), _commit_item(NEW, "x"), _commit_item(PARENT, "y")], PARENT),
    ],
    ids=["head-unchanged", "other-head", "parent-is-head", "other-after-parent"],
)
def test_a_commit_that_did_not_land_says_so(
    api: HfApi, rsps: Any, history: List[Dict[str, Any]], parent: Optional[str]
) -> None:
    _flow(rsps, DROPPED)
    _history(rsps, *history)
    with pytest.raises(CommitNotAppliedError, match="the commit was not applied") as caught:
        _commit(api, parent_commit=parent)
    assert isinstance(caught.value, requests.ConnectionError)  # existing except clauses
    assert type(caught.value.__cause__) is requests.ConnectionError
    assert "safe to retry" in str(caught.value)


def test_a_timed_out_commit_not_there_yet_is_unknown(api: HfApi, rsps: Any) -> None:
    # The Hub may still be applying it: "not applied" would invite a duplicate.
    _flow(rsps, requests.ReadTimeout("read timed out"))
    _history(rsps, _commit_item(PARENT, "initial commit"))
    with pytest.raises(CommitOutcomeUnknownError) as caught:
        _commit(api)
    text = str(caught.value)
    assert "timed out" in text and "could not tell whether the commit was applied" in text
    assert f"check {ENDPOINT}/{REPO}/commits/main" in text


@pytest.mark.parametrize(
    "entries",
    [
        _entries(blob="f" * 40),
        _entries(lfs="f" * 64),
        _entries()[:1],
        [*_entries(), {"type": "file", "path": "old.txt", "oid": "e" * 40, "size": 1}],
    ],
    ids=["other-blob", "other-lfs", "missing-file", "deleted-file-still-there"],
)
def test_a_head_with_the_title_but_other_files_is_unknown(
    api: HfApi, rsps: Any, entries: List[Dict[str, Any]]
) -> None:
    _flow(rsps, DROPPED)
    _history(rsps, _commit_item(NEW, MESSAGE))
    _paths_info(rsps, NEW, entries)
    with pytest.raises(CommitOutcomeUnknownError, match="could not tell") as caught:
        _commit(api)
    assert NEW in str(caught.value)


def test_an_older_commit_with_the_title_is_not_taken_for_ours(api: HfApi, rsps: Any) -> None:
    _flow(rsps, DROPPED)
    _history(rsps, _commit_item(OTHER, "later"), _commit_item(NEW, MESSAGE))
    _paths_info(rsps, NEW, _entries())
    with pytest.raises(CommitOutcomeUnknownError, match="could not tell"):
        _commit(api)


def test_failed_reads_make_the_outcome_unknown(api: HfApi, rsps: Any) -> None:
    _flow(rsps, DROPPED)
    for _ in range(6):  # the GET is retried
        rsps.add(responses.GET, f"{API}/commits/main", body=DROPPED)
    with pytest.raises(CommitOutcomeUnknownError) as caught:
        _commit(api)
    text = str(caught.value)
    assert "reading the branch failed too" in text
    assert f"check {ENDPOINT}/{REPO}/commits/main" in text
    assert type(caught.value.__cause__) is requests.ConnectionError
    assert TOKEN not in text


def test_a_lost_pull_request_is_unknown_without_reads(api: HfApi, rsps: Any) -> None:
    _flow(rsps, DROPPED, create_pr=True)
    with pytest.raises(CommitOutcomeUnknownError) as caught:
        _commit(api, create_pr=True)
    assert f"check {ENDPOINT}/{REPO}/discussions" in str(caught.value)
    assert rsps.calls[-1].request.url.endswith("/commit/main?create_pr=1")


def test_a_dataset_commit_reads_the_dataset(api: HfApi, rsps: Any) -> None:
    api_url = f"{ENDPOINT}/api/datasets/{REPO}"
    rsps.add_callback(responses.POST, f"{api_url}/commit/dev", callback=_lose_answer(DROPPED))
    rsps.add(responses.GET, f"{api_url}/commits/dev", json=[_commit_item(NEW, "rm")])
    rsps.add(responses.POST, f"{api_url}/paths-info/{NEW}", json=[])
    info = api.create_commit(
        REPO,
        [CommitOperationDelete("logs/")],
        commit_message="rm",
        repo_type="dataset",
        revision="dev",
    )
    assert info.commit_url == f"{ENDPOINT}/datasets/{REPO}/commit/{NEW}"


# -- the pieces ----------------------------------------------------------------------------


def test_git_blob_id_of_each_source_kind(tmp_path: Any) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(REGULAR)
    stream = io.BytesIO(REGULAR)
    for source in (REGULAR, str(target), stream):
        assert git_blob_id(CommitOperationAdd("f.txt", source)) == REGULAR_BLOB
    stream.seek(3)
    assert git_blob_id(CommitOperationAdd("f.txt", stream)) == REGULAR_BLOB


def test_expected_tree_follows_the_operation_order() -> None:
    copy = CommitOperationCopy("src.bin", "dst.bin")
    operations = [
        CommitOperationAdd("a/x.txt", REGULAR),
        CommitOperationDelete("a/"),  # removes a/x.txt again
        CommitOperationAdd("b/y.bin", LFS_DATA),
        CommitOperationDelete("b/", is_folder=True),
        CommitOperationAdd("b/z.txt", REGULAR),  # b exists again: not checked as absent
        CommitOperationDelete("gone.txt"),
        copy,
        CommitOperationAdd("twice.txt", b"first"),
        CommitOperationAdd("twice.txt", REGULAR),
    ]
    modes = {"a/x.txt": "regular", "b/y.bin": "lfs", "b/z.txt": "regular", "twice.txt": "regular"}
    tree = expected_tree(operations, modes, {"\x00src.bin": "s" * 64})
    assert tree == {
        "a": ExpectedEntry("absent"),
        "b/z.txt": ExpectedEntry("blob", REGULAR_BLOB),
        "gone.txt": ExpectedEntry("absent"),
        "dst.bin": ExpectedEntry("lfs", "s" * 64),
        "twice.txt": ExpectedEntry("blob", REGULAR_BLOB),
    }


def test_tree_matches() -> None:
    expected = {
        "r.txt": ExpectedEntry("blob", REGULAR_BLOB),
        "w.bin": ExpectedEntry("lfs", LFS_SHA),
        "gone": ExpectedEntry("absent"),
    }
    regular = {"type": "file", "path": "r.txt", "oid": REGULAR_BLOB}
    lfs = {"type": "file", "path": "w.bin", "oid": "p" * 40, "lfs": {"oid": LFS_SHA}}
    assert tree_matches(expected, [regular, lfs])
    assert tree_matches({}, [])
    assert not tree_matches(expected, [regular])
    assert not tree_matches(expected, [regular, lfs, {"type": "directory", "path": "gone"}])
    as_lfs = {**regular, "lfs": {"oid": "q" * 64}}
    assert not tree_matches(expected, [as_lfs, lfs])
    assert not tree_matches(expected, [regular, {**lfs, "type": "directory"}])


@pytest.mark.parametrize(
    ("titles", "parent", "expected"),
    [
        (["m", "x"], None, Search("0", True)),
        (["x", "m"], None, Search("1", False)),
        (["x", "y"], None, Search(None, True)),
        ([], None, Search(None, True)),
        (["y", "m", "x"], "2", Search("1", True)),
        (["m", "x"], "1", Search("0", True)),
        (["m", "x"], "0", Search(None, True)),
        (["z", "x"], "1", Search(None, True)),
        (["m", "x"], "9", Search(None, False)),
        ([" m ", "x"], None, Search(None, True)),
    ],
)
def test_find_landed_commit(titles: List[str], parent: Optional[str], expected: Search) -> None:
    history = [{"id": str(index), "title": title} for index, title in enumerate(titles)]
    assert find_landed_commit(history, "m", parent) == expected
    if titles and titles[0] == "m":
        assert find_landed_commit(history, "m\n", parent) == expected  # the title is stripped
