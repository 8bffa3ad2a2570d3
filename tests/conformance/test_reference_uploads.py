"""Commits and uploads of huggingface_hub 0.16.4 against the local Hub, then downloads."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    HfApi,
)
from huggingface_hub.utils import EntryNotFoundError, HfHubHTTPError, RepositoryNotFoundError

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

pytestmark = pytest.mark.conformance

SMALL_LFS = b"\x00small binary" * 10  # 130 bytes: one PUT
LARGE_LFS = bytes(range(256)) * 9  # 2304 bytes >= 1000: 6 parts of 400


def files(api: Any, repo: str, revision: str = "main") -> list:
    return list(api.list_repo_files(repo, revision=revision))


def test_create_commit_adds_deletes_copies(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/ops"
    api.create_repo("ops")
    first = api.create_commit(
        repo,
        [
            CommitOperationAdd("a.txt", b"a"),
            CommitOperationAdd("dir/b.txt", io.BytesIO(b"b")),
            CommitOperationAdd("dir/w.bin", SMALL_LFS),
            CommitOperationAdd("old/x.txt", b"x"),
        ],
        commit_message="add",
        commit_description="many things",
    )
    assert first.commit_url == f"{api.endpoint}/{repo}/commit/{first.oid}"
    assert (first.pr_url, first.pr_num) == (None, None)
    second = api.create_commit(
        repo,
        [
            CommitOperationCopy("dir/w.bin", "moved/w.bin"),
            CommitOperationDelete("dir/w.bin"),
            CommitOperationDelete("old/"),
            CommitOperationAdd("a.txt", b"A"),
        ],
        commit_message="rename and clean",
        parent_commit=first.oid,
    )
    assert files(api, repo) == [".gitattributes", "a.txt", "dir/b.txt", "moved/w.bin"]
    assert api.list_repo_commits(repo)[0].commit_id == second.oid
    with pytest.raises(EntryNotFoundError):
        api.create_commit(repo, [CommitOperationDelete("nope.txt")], commit_message="x")
    with pytest.raises(EntryNotFoundError):
        api.create_commit(repo, [CommitOperationCopy("nope.bin", "copy.bin")], commit_message="x")


def test_upload_file_and_folder(api: Any, user: HubUser, tmp_path: Path) -> None:
    repo = f"{user.name}/folder"
    api.create_repo("folder")
    source = tmp_path / "local.txt"
    source.write_bytes(b"from disk")
    url = api.upload_file(path_or_fileobj=str(source), path_in_repo="docs/local.txt", repo_id=repo)
    assert url == f"{api.endpoint}/{repo}/blob/main/docs/local.txt"
    tree = tmp_path / "tree"
    for relative, content in {
        "README.md": b"# readme",
        "nested/deeper/data.csv": b"a,b\n1,2\n",
        "nested/model.safetensors": LARGE_LFS,
        "nested/skip.log": b"ignored",
        ".git/config": b"never uploaded",
    }.items():
        (tree / relative).parent.mkdir(parents=True, exist_ok=True)
        (tree / relative).write_bytes(content)
    folder_url = api.upload_folder(
        repo_id=repo, folder_path=tree, path_in_repo="up", ignore_patterns="*.log"
    )
    assert folder_url == f"{api.endpoint}/{repo}/tree/main/up"
    assert files(api, repo) == [
        ".gitattributes",
        "docs/local.txt",
        "up/README.md",
        "up/nested/deeper/data.csv",
        "up/nested/model.safetensors",
    ]
    api.upload_folder(
        repo_id=repo,
        folder_path=tree / "nested" / "deeper",
        path_in_repo="up",
        delete_patterns="*.md",
    )
    assert "up/README.md" not in files(api, repo)
    assert "up/data.csv" in files(api, repo)
    api.delete_file("docs/local.txt", repo)
    api.delete_folder("up/nested", repo)
    assert files(api, repo) == [".gitattributes", "up/data.csv"]
    with pytest.raises(EntryNotFoundError):
        api.delete_file("docs/local.txt", repo)


def test_pull_requests(hub: LocalHub, api: Any, user: HubUser, other: HubUser) -> None:
    repo = f"{user.name}/prs"
    api.create_repo("prs")
    url = api.upload_file(
        path_or_fileobj=b"proposal", path_in_repo="p.txt", repo_id=repo, create_pr=True
    )
    assert url == f"{api.endpoint}/{repo}/blob/refs%2Fpr%2F1/p.txt"
    info = api.create_commit(
        repo, [CommitOperationAdd("w.bin", SMALL_LFS)], commit_message="pr 2", create_pr=True
    )
    assert (info.pr_url, info.pr_num, info.pr_revision) == (
        f"{api.endpoint}/{repo}/discussions/2",
        2,
        "refs/pr/2",
    )
    follow_up = api.create_commit(
        repo,
        [CommitOperationCopy("w.bin", "w2.bin")],  # paths-info on refs%252Fpr%252F2
        commit_message="more",
        revision=info.pr_revision,
    )
    assert files(api, repo, "refs/pr/2") == [".gitattributes", "w.bin", "w2.bin"]
    assert api.model_info(repo, revision="refs/pr/2").sha == follow_up.oid
    assert files(api, repo) == [".gitattributes"]
    empty = api.create_commit(repo, [], commit_message="empty PR", create_pr=True)
    assert empty.pr_num == 3
    # Without write access, one may still open a PR, new LFS files included (as the Hub).
    stranger = HfApi(endpoint=hub.url, token=other.token)
    with pytest.raises(HfHubHTTPError) as denied:
        stranger.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=repo)
    assert denied.value.response.status_code == 403
    proposal = stranger.upload_file(
        path_or_fileobj=LARGE_LFS, path_in_repo="big.bin", repo_id=repo, create_pr=True
    )
    assert proposal.endswith("/blob/refs%2Fpr%2F4/big.bin")


def test_parent_commit_conflict(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/parent"
    api.create_repo("parent")
    base = api.model_info(repo).sha
    api.upload_file(path_or_fileobj=b"1", path_in_repo="f", repo_id=repo, parent_commit=base[:7])
    with pytest.raises(HfHubHTTPError, match="A commit has happened since") as stale:
        api.upload_file(path_or_fileobj=b"2", path_in_repo="f", repo_id=repo, parent_commit=base)
    assert stale.value.response.status_code == 412


def test_read_token_cannot_upload(hub: LocalHub, user: HubUser) -> None:
    reader = HfApi(endpoint=hub.url, token=user.read_token)
    HfApi(endpoint=hub.url, token=user.token).create_repo("readonly")
    repo = f"{user.name}/readonly"
    for content in (b"regular", SMALL_LFS):
        with pytest.raises((HfHubHTTPError, RuntimeError)):
            reader.upload_file(path_or_fileobj=content, path_in_repo="f.bin", repo_id=repo)


def test_lfs_uploads_then_reference_downloads(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo = f"{user.name}/weights"
    api.create_repo("weights", private=True)
    api.create_commit(
        repo,
        [
            CommitOperationAdd("small.bin", SMALL_LFS),  # single PUT
            CommitOperationAdd("large.safetensors", LARGE_LFS),  # multipart
            CommitOperationAdd("same-content.bin", LARGE_LFS),  # same oid, sent once
            CommitOperationAdd("config.json", b'{"a": 1}'),
            CommitOperationAdd("empty.bin", b""),
        ],
        commit_message="weights",
    )
    infos = {f.rfilename: f for f in api.list_files_info(repo)}
    assert infos["large.safetensors"].lfs["size"] == len(LARGE_LFS)
    assert infos["empty.bin"].lfs is None and infos["config.json"].lfs is None
    # Uploading the same content again needs no transfer and still commits.
    api.upload_file(path_or_fileobj=LARGE_LFS, path_in_repo="again.bin", repo_id=repo)
    pr = api.upload_file(
        path_or_fileobj=b"on a PR", path_in_repo="pr.txt", repo_id=repo, create_pr=True
    )
    assert pr.endswith("refs%2Fpr%2F1/pr.txt")
    results = reference_download(
        hub,
        [
            (repo, "small.bin", None, None, user.token),
            (repo, "large.safetensors", None, None, user.token),
            (repo, "again.bin", None, "main", user.read_token),
            (repo, "config.json", "model", None, user.token),
            (repo, "empty.bin", None, None, user.token),
            (repo, "pr.txt", None, "refs/pr/1", user.token),
            (repo, "small.bin", None, None, None),
            (repo, "missing.bin", None, None, user.token),
        ],
    )
    assert results[:6] == [SMALL_LFS, LARGE_LFS, LARGE_LFS, b'{"a": 1}', b"", b"on a PR"]
    assert results[6][0] == RepositoryNotFoundError.__name__
    assert results[7][0] == EntryNotFoundError.__name__


def test_dataset_and_space_uploads(hub: LocalHub, api: Any, user: HubUser) -> None:
    api.create_repo("data", repo_type="dataset")
    api.create_repo("app", repo_type="space", space_sdk="static")
    for repo_type, name in (("dataset", "data"), ("space", "app")):
        api.upload_file(
            path_or_fileobj=LARGE_LFS,
            path_in_repo="blob.parquet",
            repo_id=f"{user.name}/{name}",
            repo_type=repo_type,
        )
    results = reference_download(
        hub,
        [
            (f"{user.name}/data", "blob.parquet", "dataset", None, None),
            (f"{user.name}/app", "blob.parquet", "space", None, None),
        ],
    )
    assert results == [LARGE_LFS, LARGE_LFS]
