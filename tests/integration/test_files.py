"""Listing files: list_repo_files and list_files_info, with pagination."""

from __future__ import annotations

from typing import Callable, List

import pytest

from hfapi import (
    BadRequestError,
    CommitOperationAdd,
    HfApi,
    RepoFile,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from hfapi.hub import LocalHub

from ._helpers import RequestLog, content, git_blob_id, lfs_pointer, sha256

WEIGHTS = b"\x00weights" * 20  # 160 bytes, LFS by extension

TREE: List[str] = [
    ".gitattributes",
    "README.md",
    *[f"dir/sub/f{i}.txt" for i in range(5)],
    "dir/w.bin",
    "top.txt",
]


@pytest.fixture
def tree_repo(hf_api: HfApi, repo_id: str) -> str:
    operations = [CommitOperationAdd(f"dir/sub/f{i}.txt", b"%d" % i) for i in range(5)]
    operations += [
        CommitOperationAdd("dir/w.bin", WEIGHTS),
        CommitOperationAdd("top.txt", b"top"),
        CommitOperationAdd("README.md", b"# readme\n"),
    ]
    hf_api.create_commit(repo_id, operations, commit_message="many files")
    return repo_id


def tree_gets(log: RequestLog) -> int:
    return len(log.matching("GET", lambda s: "/tree/" in s.path))


def test_list_repo_files_paginates(
    hf_api: HfApi, tree_repo: str, request_log: RequestLog, hub_settings: Callable
) -> None:
    hub_settings(tree_page_size=3)
    assert hf_api.list_repo_files(tree_repo) == TREE
    # 9 files + 2 folders (dir, dir/sub) in pages of 3: 4 requests.
    assert tree_gets(request_log) == 4
    request_log.clear()
    hub_settings(tree_page_size=1000)
    assert hf_api.list_repo_files(tree_repo) == TREE
    assert tree_gets(request_log) == 1


def test_list_repo_files_at_revisions(hf_api: HfApi, tree_repo: str) -> None:
    first = hf_api.list_repo_commits(tree_repo)[-1].commit_id
    assert hf_api.list_repo_files(tree_repo, revision=first) == [".gitattributes"]
    hf_api.create_branch(tree_repo, branch="dev")
    hf_api.delete_folder("dir", tree_repo, revision="dev")
    assert hf_api.list_repo_files(tree_repo, revision="dev") == [
        ".gitattributes",
        "README.md",
        "top.txt",
    ]
    assert hf_api.list_repo_files(tree_repo) == TREE
    with pytest.raises(RevisionNotFoundError):
        hf_api.list_repo_files(tree_repo, revision="missing")


def test_list_files_info_whole_repo(
    hf_api: HfApi, tree_repo: str, local_hub: LocalHub, hub_settings: Callable
) -> None:
    hub_settings(tree_page_size=2, tree_expand_page_size=2)
    files = {f.rfilename: f for f in hf_api.list_files_info(tree_repo)}
    assert sorted(files) == TREE
    assert all(isinstance(f, RepoFile) for f in files.values())
    top = files["top.txt"]
    assert (top.size, top.blob_id, top.lfs) == (3, git_blob_id(b"top"), None)
    assert not hasattr(top, "lastCommit")
    weights = files["dir/w.bin"]
    assert weights.size == len(WEIGHTS)
    assert weights.blob_id == git_blob_id(lfs_pointer(WEIGHTS))
    assert weights.lfs == {
        "size": len(WEIGHTS),
        "sha256": sha256(WEIGHTS),
        "pointer_size": len(lfs_pointer(WEIGHTS)),
    }
    for name, info in files.items():
        if info.lfs is None:
            assert info.blob_id == git_blob_id(content(local_hub, tree_repo, name)), name

    expanded = {f.rfilename: f for f in hf_api.list_files_info(tree_repo, expand=True)}
    assert sorted(expanded) == TREE
    assert expanded["top.txt"].lastCommit["title"] == "many files"
    assert expanded[".gitattributes"].lastCommit["title"] == "initial commit"
    assert expanded["top.txt"].lastCommit["id"] == hf_api.model_info(tree_repo).sha


def test_list_files_info_with_paths(hf_api: HfApi, tree_repo: str) -> None:
    one = list(hf_api.list_files_info(tree_repo, "top.txt"))
    assert [f.rfilename for f in one] == ["top.txt"]
    # paths-info always expands: explicit files carry their last commit.
    assert one[0].lastCommit["title"] == "many files"
    assert one[0].size == 3

    mixed = list(hf_api.list_files_info(tree_repo, ["top.txt", "dir/sub", "missing.txt"]))
    assert [f.rfilename for f in mixed] == ["top.txt", *[f"dir/sub/f{i}.txt" for i in range(5)]]
    folder = list(hf_api.list_files_info(tree_repo, ["dir"], expand=True))
    assert sorted(f.rfilename for f in folder) == [
        *[f"dir/sub/f{i}.txt" for i in range(5)],
        "dir/w.bin",
    ]
    assert all(f.lastCommit["title"] == "many files" for f in folder)
    weights = next(f for f in folder if f.rfilename == "dir/w.bin")
    assert weights.lfs is not None and weights.lfs["sha256"] == sha256(WEIGHTS)

    assert list(hf_api.list_files_info(tree_repo, [])) == []
    assert list(hf_api.list_files_info(tree_repo, ["nothing", "here/"])) == []
    with pytest.raises(BadRequestError):
        list(hf_api.list_files_info(tree_repo, [""]))
    with pytest.raises(RevisionNotFoundError):
        list(hf_api.list_files_info(tree_repo, "top.txt", revision="missing"))


def test_list_files_info_is_lazy(hf_api: HfApi, tree_repo: str, request_log: RequestLog) -> None:
    listing = hf_api.list_files_info(tree_repo, ["top.txt"])
    assert request_log.sent == []
    assert next(iter(listing)).rfilename == "top.txt"
    assert len(request_log.sent) == 1


def test_listing_datasets_and_spaces(hf_api: HfApi, hub_settings: Callable) -> None:
    hub_settings(tree_page_size=1)
    for repo_type, extra in (("dataset", {}), ("space", {"space_sdk": "docker"})):
        url = hf_api.create_repo("things", repo_type=repo_type, **extra)
        hf_api.upload_file(
            path_or_fileobj=b"a,b\n",
            path_in_repo="data/train.csv",
            repo_id=url.repo_id,
            repo_type=repo_type,
        )
        files = hf_api.list_repo_files(url.repo_id, repo_type=repo_type)
        assert files == [".gitattributes", "data/train.csv"]
        infos = list(hf_api.list_files_info(url.repo_id, "data", repo_type=repo_type))
        assert [(f.rfilename, f.size) for f in infos] == [("data/train.csv", 4)]
        assert hf_api.repo_info(url.repo_id, repo_type=repo_type).id == url.repo_id
    # No model of that name.
    with pytest.raises(RepositoryNotFoundError):
        hf_api.list_repo_files(url.repo_id)


def test_pagination_keeps_encoded_revisions_and_folders(
    hf_api: HfApi, repo_id: str, hub_settings: Callable
) -> None:
    hub_settings(tree_page_size=1, tree_expand_page_size=1, commits_page_size=1)
    hf_api.create_branch(repo_id, branch="feature/x")
    names = [f"dir with space/é {i}.txt" for i in range(4)]
    hf_api.create_commit(
        repo_id,
        [CommitOperationAdd(name, name.encode()) for name in names],
        commit_message="on feature/x",
        revision="feature/x",
    )
    pr = hf_api.create_commit(
        repo_id, [CommitOperationAdd("p.txt", b"p")], commit_message="pr", create_pr=True
    )
    hf_api.create_commit(repo_id, [], commit_message="pr 2", revision=pr.pr_revision)
    listed = hf_api.list_files_info(repo_id, ["dir with space"], revision="feature/x", expand=True)
    assert sorted(f.rfilename for f in listed) == names
    assert hf_api.list_repo_files(repo_id, revision="feature/x") == [".gitattributes", *names]
    assert [c.title for c in hf_api.list_repo_commits(repo_id, revision="feature/x")] == [
        "on feature/x",
        "initial commit",
    ]
    assert [c.title for c in hf_api.list_repo_commits(repo_id, revision="refs/pr/1")] == [
        "pr 2",
        "pr",
        "initial commit",
    ]
