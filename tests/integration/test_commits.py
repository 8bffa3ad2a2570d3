"""create_commit round trips: every source, LFS or not, deletes, copies, parents, PRs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import pytest
import requests

from hfapi import (
    CommitInfo,
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    EntryNotFoundError,
    HfApi,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from hfapi.commit import lfs
from hfapi.commit.operations import SourceChangedError
from hfapi.hub import LocalHub

from ._helpers import RequestLog, content, download, git_blob_id, sha256, unique_bytes


def test_every_source_round_trips(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path
) -> None:
    on_disk = tmp_path / "disk.txt"
    on_disk.write_bytes(b"from disk\n")
    lfs_on_disk = tmp_path / "disk.bin"
    lfs_on_disk.write_bytes(unique_bytes(3000))
    stream = io.BytesIO(b"0123456789")
    stream.seek(3)  # the whole stream is uploaded, from offset 0
    lfs_stream = io.BytesIO(unique_bytes(777))
    expected = {
        "bytes.txt": b"in memory",
        "dir/disk.txt": on_disk.read_bytes(),
        "dir/sub/stream.txt": b"0123456789",
        "bytes.bin": unique_bytes(500),
        "disk.bin": lfs_on_disk.read_bytes(),
        "stream.safetensors": lfs_stream.getvalue(),
        "empty.bin": b"",  # size 0: always a regular file
    }
    sources = {
        "bytes.txt": expected["bytes.txt"],
        "dir/disk.txt": str(on_disk),
        "dir/sub/stream.txt": stream,
        "bytes.bin": expected["bytes.bin"],
        "disk.bin": lfs_on_disk,
        "stream.safetensors": lfs_stream,
        "empty.bin": b"",
    }
    info = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd(path, source) for path, source in sources.items()],
        commit_message="all sources",
        commit_description="a longer description",
    )
    assert isinstance(info, CommitInfo)
    assert stream.tell() == 0  # hashing rewinds it, as the reference does
    assert info.commit_url == f"{local_hub.url}/{repo_id}/commit/{info.oid}"
    assert (info.commit_message, info.commit_description) == ("all sources", "a longer description")
    assert (info.pr_url, info.pr_num, info.pr_revision) == (None, None, None)
    assert len(info.oid) == 40 and hf_api.model_info(repo_id).sha == info.oid
    assert hf_api.list_repo_files(repo_id) == sorted([".gitattributes", *expected])

    lfs_paths = {"bytes.bin", "disk.bin", "stream.safetensors"}
    for path, data in expected.items():
        response = download(local_hub, repo_id, path)
        assert response.status_code == 200, path
        assert response.content == data, path
        assert response.headers["X-Repo-Commit"] == info.oid
        if path in lfs_paths:
            assert response.headers["ETag"] == f'"{sha256(data)}"', path
            assert response.headers["X-Linked-Size"] == str(len(data)), path
        else:
            assert response.headers["ETag"] == f'"{git_blob_id(data)}"', path
            assert "X-Linked-Size" not in response.headers, path
    files = {f.rfilename: f for f in hf_api.list_files_info(repo_id)}
    assert {p for p, f in files.items() if f.lfs is not None} == lfs_paths
    commit = hf_api.list_repo_commits(repo_id)[0]
    assert (commit.commit_id, commit.title, commit.message) == (
        info.oid,
        "all sources",
        "a longer description",
    )


def test_streams_moved_after_hashing_are_sent_whole(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub
) -> None:
    regular, weights = b"regular text content\n" * 3, unique_bytes(700)
    streams = {"r.txt": io.BytesIO(regular), "w.bin": io.BytesIO(weights)}
    operations = [CommitOperationAdd(path, stream) for path, stream in streams.items()]
    for stream in streams.values():
        stream.seek(5)  # moved between hashing and upload
    hf_api.create_commit(repo_id, operations, commit_message="moved streams")
    assert content(local_hub, repo_id, "r.txt") == regular
    assert content(local_hub, repo_id, "w.bin") == weights
    assert [s.tell() for s in streams.values()] == [5, 5]  # positions put back


def test_large_text_file_goes_to_lfs(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, hub_settings: Callable
) -> None:
    hub_settings(regular_file_max_size=1024)
    big, small = b"line of text\n" * 100, b"short text\n"
    hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("big.txt", big), CommitOperationAdd("small.txt", small)],
        commit_message="text",
    )
    files = {f.rfilename: f for f in hf_api.list_files_info(repo_id, ["big.txt", "small.txt"])}
    assert files["big.txt"].lfs is not None and files["big.txt"].lfs["sha256"] == sha256(big)
    assert files["small.txt"].lfs is None
    response = download(local_hub, repo_id, "big.txt")
    assert response.content == big and response.headers["X-Linked-Size"] == str(len(big))
    assert content(local_hub, repo_id, "small.txt") == small


def test_deletes(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    hf_api.create_commit(
        repo_id,
        [
            CommitOperationAdd(p, p.encode())
            for p in ("keep.txt", "a.txt", "old/x.txt", "old/deep/y.bin", "logs/1.txt", "dir/z")
        ],
        commit_message="setup",
    )
    info = hf_api.create_commit(
        repo_id,
        [
            CommitOperationDelete("a.txt"),
            CommitOperationDelete("old/"),
            CommitOperationDelete("logs", is_folder=True),
            CommitOperationAdd("new.txt", b"new"),
        ],
        commit_message="clean",
    )
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "dir/z", "keep.txt", "new.txt"]
    assert download(local_hub, repo_id, "old/x.txt").status_code == 404
    assert content(local_hub, repo_id, "keep.txt") == b"keep.txt"
    assert download(local_hub, repo_id, "a.txt").headers["X-Error-Code"] == "EntryNotFound"
    # Deleting a folder as if it were a file, or a missing file, fails.
    for wrong in (CommitOperationDelete("dir"), CommitOperationDelete("nope.txt")):
        with pytest.raises(EntryNotFoundError):
            hf_api.create_commit(repo_id, [wrong], commit_message="fails")
    assert hf_api.model_info(repo_id).sha == info.oid


def test_copies_and_renames_of_lfs_files(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    v1, v2 = unique_bytes(300), unique_bytes(400)
    first = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("w.bin", v1), CommitOperationAdd("plain.txt", b"plain")],
        commit_message="v1",
    )
    hf_api.upload_file(path_or_fileobj=v2, path_in_repo="w.bin", repo_id=repo_id)
    renamed = hf_api.create_commit(
        repo_id,
        [
            CommitOperationCopy("w.bin", "copies/w-copy.bin"),
            CommitOperationCopy("w.bin", "moved/w.bin"),
            CommitOperationDelete("w.bin"),
            CommitOperationCopy("w.bin", "w-v1.bin", src_revision=first.oid),
        ],
        commit_message="copy and rename",
    )
    assert hf_api.list_repo_files(repo_id) == [
        ".gitattributes",
        "copies/w-copy.bin",
        "moved/w.bin",
        "plain.txt",
        "w-v1.bin",
    ]
    for path, data in (("copies/w-copy.bin", v2), ("moved/w.bin", v2), ("w-v1.bin", v1)):
        response = download(local_hub, repo_id, path)
        assert response.content == data, path
        assert response.headers["X-Repo-Commit"] == renamed.oid
        assert response.headers["X-Linked-Size"] == str(len(data))
    with pytest.raises(EntryNotFoundError):
        hf_api.create_commit(
            repo_id, [CommitOperationCopy("w.bin", "again.bin")], commit_message="gone"
        )
    with pytest.raises(NotImplementedError):
        hf_api.create_commit(
            repo_id, [CommitOperationCopy("plain.txt", "p2.txt")], commit_message="regular"
        )
    assert hf_api.model_info(repo_id).sha == renamed.oid


def test_parent_commit(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    base = hf_api.model_info(repo_id).sha
    first = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("f.txt", b"1")],
        commit_message="on base",
        parent_commit=base[:7],
    )
    second = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("f.txt", b"2")],
        commit_message="on first",
        parent_commit=first.oid,
    )
    with pytest.raises(HfHubHTTPError, match="A commit has happened since") as stale:
        hf_api.create_commit(
            repo_id,
            [CommitOperationAdd("f.txt", b"3"), CommitOperationAdd("w.bin", unique_bytes(64))],
            commit_message="stale",
            parent_commit=base,
        )
    assert stale.value.response is not None and stale.value.response.status_code == 412
    assert hf_api.model_info(repo_id).sha == second.oid
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "f.txt"]
    assert content(local_hub, repo_id, "f.txt") == b"2"
    with pytest.raises(ValueError, match="parent_commit"):
        hf_api.create_commit(repo_id, [], commit_message="x", parent_commit="not-hex")


def test_pull_requests(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    weights = unique_bytes(200)
    first = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("p.txt", b"proposal"), CommitOperationAdd("w.bin", weights)],
        commit_message="PR one",
        create_pr=True,
    )
    assert first.pr_url == f"{local_hub.url}/{repo_id}/discussions/1"
    assert (first.pr_num, first.pr_revision) == (1, "refs/pr/1")
    assert first.commit_url == f"{local_hub.url}/{repo_id}/commit/{first.oid}"
    assert hf_api.model_info(repo_id, revision="refs/pr/1").sha == first.oid
    assert content(local_hub, repo_id, "p.txt", "refs/pr/1") == b"proposal"
    response = download(local_hub, repo_id, "w.bin", "refs/pr/1")
    assert (response.content, response.headers["X-Repo-Commit"]) == (weights, first.oid)
    assert download(local_hub, repo_id, "p.txt").status_code == 404
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]

    # More commits on the PR's ref, including a copy resolved on that ref.
    follow_up = hf_api.create_commit(
        repo_id,
        [CommitOperationCopy("w.bin", "w2.bin"), CommitOperationDelete("p.txt")],
        commit_message="follow-up",
        revision=first.pr_revision,
    )
    assert follow_up.pr_url is None
    assert hf_api.list_repo_files(repo_id, revision="refs/pr/1") == [
        ".gitattributes",
        "w.bin",
        "w2.bin",
    ]
    assert content(local_hub, repo_id, "w2.bin", "refs/pr/1") == weights
    titles = [c.title for c in hf_api.list_repo_commits(repo_id, revision="refs/pr/1")]
    assert titles == ["follow-up", "PR one", "initial commit"]

    url = hf_api.upload_file(
        path_or_fileobj=b"two", path_in_repo="two.txt", repo_id=repo_id, create_pr=True
    )
    assert url == f"{local_hub.url}/{repo_id}/blob/refs%2Fpr%2F2/two.txt"
    assert content(local_hub, repo_id, "two.txt", "refs/pr/2") == b"two"
    empty = hf_api.create_commit(repo_id, [], commit_message="empty PR", create_pr=True)
    assert empty.pr_num == 3
    # A PR against another branch starts from that branch.
    hf_api.create_branch(repo_id, branch="dev")
    hf_api.upload_file(
        path_or_fileobj=b"d", path_in_repo="dev.txt", repo_id=repo_id, revision="dev"
    )
    on_dev = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("x.txt", b"x")],
        commit_message="PR on dev",
        revision="dev",
        create_pr=True,
    )
    assert on_dev.pr_num == 4
    assert hf_api.list_repo_files(repo_id, revision="refs/pr/4") == [
        ".gitattributes",
        "dev.txt",
        "x.txt",
    ]
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]


def test_commit_to_a_branch(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    hf_api.create_branch(repo_id, branch="dev")
    main_sha = hf_api.model_info(repo_id).sha
    info = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("d.bin", unique_bytes(99))],
        commit_message="dev only",
        revision="dev",
    )
    assert hf_api.model_info(repo_id, revision="dev").sha == info.oid
    assert hf_api.model_info(repo_id).sha == main_sha
    assert download(local_hub, repo_id, "d.bin", "dev").headers["X-Repo-Commit"] == info.oid
    with pytest.raises(RevisionNotFoundError):
        hf_api.create_commit(
            repo_id, [CommitOperationAdd("a", b"a")], commit_message="x", revision="nope"
        )


def test_unusual_names_on_a_slashed_branch(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub
) -> None:
    hf_api.create_branch(repo_id, branch="feature/x")
    names = ["dir with space/é ü.txt", "a+b&c=d?.txt", "w#1 %20.bin", "100%.txt"]
    info = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd(name, name.encode() * 50) for name in names],
        commit_message="edge",
        revision="feature/x",
    )
    hf_api.create_commit(
        repo_id,
        [CommitOperationCopy("w#1 %20.bin", "copy #2.bin")],
        commit_message="copy",
        revision="feature/x",
    )
    assert hf_api.list_repo_files(repo_id, revision="feature/x") == sorted(
        [".gitattributes", "copy #2.bin", *names]
    )
    for name in names:
        assert content(local_hub, repo_id, name, "feature/x") == name.encode() * 50, name
    assert content(local_hub, repo_id, "copy #2.bin", "feature/x") == b"w#1 %20.bin" * 50
    found = hf_api.list_files_info(repo_id, ["dir with space", "100%.txt"], revision="feature/x")
    assert sorted(f.rfilename for f in found) == ["100%.txt", "dir with space/é ü.txt"]
    hf_api.create_tag(repo_id, tag="release/v1", revision="feature/x")
    assert hf_api.model_info(repo_id, revision="release/v1").sha != info.oid  # after the copy
    hf_api.delete_folder("dir with space", repo_id, revision="feature/x")
    assert "dir with space/é ü.txt" not in hf_api.list_repo_files(repo_id, revision="feature/x")
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]


def test_empty_commit(hf_api: HfApi, repo_id: str, request_log: RequestLog) -> None:
    hf_api.upload_file(path_or_fileobj=b"f", path_in_repo="f.txt", repo_id=repo_id)
    before = hf_api.model_info(repo_id).sha
    request_log.clear()
    info = hf_api.create_commit(repo_id, [], commit_message="nothing")
    assert [s.method for s in request_log.sent] == ["POST"]  # only the commit call
    assert info.oid != before and hf_api.model_info(repo_id).sha == info.oid
    commits = hf_api.list_repo_commits(repo_id)
    assert [c.title for c in commits[:2]] == ["nothing", "Upload f.txt with huggingface_hub"]
    assert commits[1].commit_id == before
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "f.txt"]


def test_failing_commits_change_nothing(
    hf_api: HfApi, repo_id: str, monkeypatch: pytest.MonkeyPatch, local_hub: LocalHub
) -> None:
    hf_api.upload_file(path_or_fileobj=b"f", path_in_repo="f.txt", repo_id=repo_id)
    before = hf_api.model_info(repo_id).sha
    with pytest.raises(EntryNotFoundError):
        hf_api.create_commit(
            repo_id,
            [CommitOperationAdd("new.txt", b"n"), CommitOperationDelete("missing.txt")],
            commit_message="bad delete",
        )
    # An LFS object that never reached the storage: the Hub refuses the commit.
    monkeypatch.setattr("hfapi.api._commit_engine.upload_lfs_files", lambda *a, **k: None)
    with pytest.raises(HfHubHTTPError) as missing:
        hf_api.create_commit(
            repo_id,
            [CommitOperationAdd("new.txt", b"n"), CommitOperationAdd("w.bin", unique_bytes(50))],
            commit_message="missing object",
        )
    assert missing.value.response is not None and 400 <= missing.value.response.status_code < 500
    assert hf_api.model_info(repo_id).sha == before
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "f.txt"]
    assert hf_api.list_repo_commits(repo_id)[0].commit_id == before
    assert download(local_hub, repo_id, "new.txt").status_code == 404
    with pytest.raises(RepositoryNotFoundError, match="create_repo"):
        hf_api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id=f"{repo_id}-missing")
    with pytest.raises(ValueError, match="commit_message"):
        hf_api.create_commit(repo_id, [], commit_message="")


def test_a_file_changed_after_hashing_is_reported_as_such(
    hf_api: HfApi, repo_id: str, tmp_path: Path
) -> None:
    """The commit stops with the file's own error, not a misleading connection error,
    and nothing is committed."""
    source = tmp_path / "notes.txt"
    source.write_bytes(b"first version of the notes\n")
    operation = CommitOperationAdd("notes.txt", str(source))
    before = hf_api.model_info(repo_id).sha
    source.write_bytes(b"short\n")
    with pytest.raises(OSError, match="changed after it was hashed") as caught:
        hf_api.create_commit(repo_id, [operation], commit_message="stale")
    assert not isinstance(caught.value, requests.ConnectionError)
    assert hf_api.model_info(repo_id).sha == before


def test_an_lfs_file_truncated_while_it_is_sent_fails_at_once(
    hf_api: HfApi,
    repo_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request_log: RequestLog,
) -> None:
    """A short read in the middle of a PUT is the file's fault, not the network's: one
    attempt, then the error naming the file (was: 5 retries over ~13 s, then
    ``RuntimeError: Error while uploading``)."""
    source = tmp_path / "big.bin"
    source.write_bytes(unique_bytes(3 * 1024 * 1024))  # more than one send block
    operation = CommitOperationAdd("big.bin", str(source))

    class TruncateOnFirstRead(lfs.ProgressCounter):
        def update(self, count: int) -> None:
            super().update(count)
            if count > 0:
                with open(source, "r+b") as handle:
                    handle.truncate(1024)

    monkeypatch.setattr(lfs, "ProgressCounter", TruncateOnFirstRead)
    before = hf_api.model_info(repo_id).sha
    with pytest.raises(SourceChangedError, match="changed after it was hashed") as caught:
        hf_api.create_commit(repo_id, [operation], commit_message="truncated")
    assert str(source) in str(caught.value)
    assert len(request_log.upload_puts()) == 1
    assert hf_api.model_info(repo_id).sha == before
