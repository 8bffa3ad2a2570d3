"""upload_file, delete_file, delete_folder and background jobs (run_as_future)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import List

import pytest

from hfapi import (
    CommitInfo,
    CommitOperationAdd,
    EntryNotFoundError,
    HfApi,
    HFValidationError,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import content, download, sha256, unique_bytes


def test_upload_file_urls_messages_and_bytes(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path
) -> None:
    source = tmp_path / "local.txt"
    source.write_bytes(b"from disk")
    base = f"{local_hub.url}/{repo_id}"
    url = hf_api.upload_file(
        path_or_fileobj=str(source), path_in_repo="docs/a.txt", repo_id=repo_id
    )
    assert url == f"{base}/blob/main/docs/a.txt"
    url = hf_api.upload_file(path_or_fileobj=source, path_in_repo="/x/y.txt", repo_id=repo_id)
    assert url == f"{base}/blob/main/x/y.txt"  # where the file landed (the reference: "//x")
    assert content(local_hub, repo_id, "x/y.txt") == b"from disk"
    hf_api.create_branch(repo_id, branch="dev")
    url = hf_api.upload_file(
        path_or_fileobj=io.BytesIO(b"stream"),
        path_in_repo="s.txt",
        repo_id=repo_id,
        revision="dev",
        commit_message="custom",
        commit_description="why",
    )
    assert url == f"{base}/blob/dev/s.txt"
    assert content(local_hub, repo_id, "s.txt", "dev") == b"stream"
    assert download(local_hub, repo_id, "s.txt").status_code == 404

    main = hf_api.list_repo_commits(repo_id)
    assert [c.title for c in main] == [
        "Upload /x/y.txt with huggingface_hub",
        "Upload docs/a.txt with huggingface_hub",
        "initial commit",
    ]
    assert all(c.message == "" for c in main)
    dev = hf_api.list_repo_commits(repo_id, revision="dev")[0]
    assert (dev.title, dev.message) == ("custom", "why")


def test_upload_file_to_datasets_and_spaces(
    hf_api: HfApi, hub_user: HubUser, local_hub: LocalHub
) -> None:
    data = unique_bytes(1500)
    for repo_type, prefix, extra in (
        ("dataset", "datasets/", {}),
        ("space", "spaces/", {"space_sdk": "static"}),
    ):
        repo = hf_api.create_repo("both", repo_type=repo_type, private=True, **extra).repo_id
        url = hf_api.upload_file(
            path_or_fileobj=data, path_in_repo="blob.parquet", repo_id=repo, repo_type=repo_type
        )
        assert url == f"{local_hub.url}/{prefix}{repo}/blob/main/blob.parquet"
        response = download(
            local_hub, repo, "blob.parquet", repo_type=repo_type, token=hub_user.read_token
        )
        assert response.content == data
        assert response.headers["X-Linked-Size"] == str(len(data))
        info = hf_api.repo_info(repo, repo_type=repo_type, files_metadata=True)
        sibling = next(s for s in info.siblings if s.rfilename == "blob.parquet")
        assert sibling.size == len(data) and sibling.lfs["sha256"] == sha256(data)
        # Private: nothing without a token.
        assert download(local_hub, repo, "blob.parquet", repo_type=repo_type).status_code == 401
    with pytest.raises(ValueError, match="Invalid repo type"):
        hf_api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id=repo, repo_type="bad")


def test_delete_file_and_folder(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    hf_api.create_commit(
        repo_id,
        [
            CommitOperationAdd(path, b"data")
            for path in ("a.txt", "w.bin", "logs/1.txt", "logs/sub/2.txt", "ckpt/x", "keep/k")
        ],
        commit_message="setup",
    )
    info = hf_api.delete_file("a.txt", repo_id)
    assert isinstance(info, CommitInfo)
    assert info.commit_url == f"{local_hub.url}/{repo_id}/commit/{info.oid}"
    hf_api.delete_file("w.bin", repo_id, commit_message="drop weights")
    hf_api.delete_folder("logs", repo_id)
    hf_api.delete_file("ckpt/", repo_id)  # a trailing slash deletes a folder
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "keep/k"]
    assert download(local_hub, repo_id, "logs/sub/2.txt").status_code == 404
    assert [c.title for c in hf_api.list_repo_commits(repo_id)][:4] == [
        "Delete ckpt/ with huggingface_hub",
        "Delete folder logs with huggingface_hub",
        "drop weights",
        "Delete a.txt with huggingface_hub",
    ]
    head = hf_api.model_info(repo_id).sha
    with pytest.raises(EntryNotFoundError):
        hf_api.delete_file("a.txt", repo_id)
    with pytest.raises(EntryNotFoundError):
        hf_api.delete_file("keep", repo_id)  # a folder, not a file
    with pytest.raises(ValueError):
        hf_api.delete_file("../escape", repo_id)
    assert hf_api.model_info(repo_id).sha == head
    # On a PR: main keeps the file.
    pr = hf_api.delete_folder("keep", repo_id, create_pr=True)
    assert pr.pr_revision == "refs/pr/1"
    assert hf_api.list_repo_files(repo_id, revision="refs/pr/1") == [".gitattributes"]
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "keep/k"]


def test_one_client_shared_by_threads(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    """Concurrent commits to one branch from one client: none is lost."""

    def upload(index: int) -> str:
        return hf_api.upload_file(
            path_or_fileobj=b"%d" % index * (300 if index % 2 else 1),
            path_in_repo=f"t{index}.bin" if index % 2 else f"t{index}.txt",
            repo_id=repo_id,
        )

    with ThreadPoolExecutor(4) as pool:
        urls = list(pool.map(upload, range(8)))
    assert len(set(urls)) == 8
    files = hf_api.list_repo_files(repo_id)
    assert len(files) == 9
    assert len(hf_api.list_repo_commits(repo_id)) == 9
    for index in range(8):
        name = f"t{index}.bin" if index % 2 else f"t{index}.txt"
        assert content(local_hub, repo_id, name) == b"%d" % index * (300 if index % 2 else 1)


def test_run_as_future_runs_jobs_in_order(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    started: List[str] = []
    gate = threading.Event()

    def blocker() -> str:
        started.append(threading.current_thread().name)
        gate.wait(10)
        return "done"

    try:
        first = hf_api.run_as_future(blocker)
        futures = [
            hf_api.upload_file(
                path_or_fileobj=b"%d" % index,
                path_in_repo="f.txt",
                repo_id=repo_id,
                commit_message=f"job {index}",
                run_as_future=True,
            )
            for index in range(3)
        ]
        assert all(isinstance(f, Future) for f in futures)
        # One worker: nothing else runs while the first job holds it.
        assert not any(f.done() for f in futures)
    finally:
        gate.set()
    assert first.result(timeout=30) == "done"
    assert [f.result(timeout=30) for f in futures] == [
        f"{local_hub.url}/{repo_id}/blob/main/f.txt"
    ] * 3
    assert started != [threading.current_thread().name]
    titles = [c.title for c in hf_api.list_repo_commits(repo_id)]
    assert titles[:3] == ["job 2", "job 1", "job 0"]
    assert content(local_hub, repo_id, "f.txt") == b"2"

    commit_future = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("w.bin", unique_bytes(100))],
        commit_message="as future",
        run_as_future=True,
    )
    commit = commit_future.result(timeout=30)
    assert isinstance(commit, CommitInfo) and commit.oid == hf_api.model_info(repo_id).sha
    deleted = hf_api.run_as_future(hf_api.delete_file, "w.bin", repo_id)
    assert deleted.result(timeout=30).oid == hf_api.model_info(repo_id).sha
    failing = hf_api.run_as_future(hf_api.delete_file, "w.bin", repo_id)
    with pytest.raises(EntryNotFoundError):
        failing.result(timeout=30)
    # The repo id is still checked synchronously.
    with pytest.raises(HFValidationError):
        hf_api.upload_file(
            path_or_fileobj=b"x", path_in_repo="x", repo_id="bad//id", run_as_future=True
        )
