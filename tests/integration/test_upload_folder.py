"""upload_folder: a thousand files, patterns, prefixes, deletions, ``.git`` and PRs."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

from hfapi import HfApi
from hfapi.hub import LocalHub

from ._helpers import RequestLog, content, download, unique_bytes


def write_tree(root: Path, files: Dict[str, bytes]) -> Path:
    for relative, data in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def test_a_thousand_files_in_nested_folders(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path, request_log: RequestLog
) -> None:
    files = {f"d{i % 10}/e{i % 7}/f{i:04d}.txt": b"file %d\n" % i for i in range(1000)}
    weights = unique_bytes(2048)
    extra = {
        "model.bin": weights,
        ".gitignore": b"*.log\n",  # a dot-file that is not .git: uploaded
        ".git/config": b"[core]\n",  # never uploaded
        "d1/.git/HEAD": b"ref: refs/heads/main\n",
        "d2/x.git/kept.txt": b"kept",
    }
    folder = write_tree(tmp_path / "big", {**files, **extra})
    url = hf_api.upload_folder(repo_id=repo_id, folder_path=folder)
    assert url == f"{local_hub.url}/{repo_id}/tree/main/"

    expected = sorted([".gitattributes", ".gitignore", "d2/x.git/kept.txt", "model.bin", *files])
    assert hf_api.list_repo_files(repo_id) == expected
    commits = hf_api.list_repo_commits(repo_id)
    assert len(commits) == 2 and commits[0].title == "Upload folder using huggingface_hub"
    for relative in ("d0/e0/f0000.txt", "d3/e6/f0013.txt", "d9/e5/f0999.txt", ".gitignore"):
        assert content(local_hub, repo_id, relative) == {**files, **extra}[relative]
    response = download(local_hub, repo_id, "model.bin")
    assert response.content == weights and response.headers["X-Linked-Size"] == "2048"
    # Preupload is batched (256 paths a request); the commit is one call.
    preuploads = request_log.matching("POST", lambda s: "/preupload/" in s.path)
    assert len(preuploads) == 4
    assert len(request_log.matching("POST", lambda s: "/commit/" in s.path)) == 1


def test_patterns_and_prefix(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path
) -> None:
    folder = write_tree(
        tmp_path / "src",
        {
            "README.md": b"# readme",
            "nested/deeper/data.csv": b"a,b\n1,2\n",
            "nested/model.safetensors": unique_bytes(600),
            "nested/skip.log": b"ignored",
            "top.log": b"ignored too",
            "notes.txt": b"not allowed",
        },
    )
    ignore = ["*.log"]
    url = hf_api.upload_folder(
        repo_id=repo_id,
        folder_path=str(folder),
        path_in_repo="up",
        allow_patterns=["*.md", "*.csv", "*.safetensors", "*.log"],
        ignore_patterns=ignore,
    )
    assert ignore == ["*.log"]  # the caller's list is left alone
    assert url == f"{local_hub.url}/{repo_id}/tree/main/up"
    assert hf_api.list_repo_files(repo_id) == [
        ".gitattributes",
        "up/README.md",
        "up/nested/deeper/data.csv",
        "up/nested/model.safetensors",
    ]
    assert hf_api.list_repo_commits(repo_id)[0].title == "Upload up with huggingface_hub"
    assert content(local_hub, repo_id, "up/nested/deeper/data.csv") == b"a,b\n1,2\n"
    # A single-string allow pattern; ``*`` crosses folders; custom message; a branch.
    hf_api.create_branch(repo_id, branch="dev")
    url = hf_api.upload_folder(
        repo_id=repo_id,
        folder_path=folder,
        path_in_repo="/logs/",
        allow_patterns="*.log",
        commit_message="logs only",
        revision="dev",
    )
    assert url == f"{local_hub.url}/{repo_id}/tree/dev/logs"  # where the files landed
    assert [f for f in hf_api.list_repo_files(repo_id, revision="dev") if "logs" in f] == [
        "logs/nested/skip.log",
        "logs/top.log",
    ]
    assert hf_api.list_repo_commits(repo_id, revision="dev")[0].title == "logs only"
    assert download(local_hub, repo_id, "logs/top.log").status_code == 404


def test_delete_patterns(hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path) -> None:
    hf_api.upload_folder(
        repo_id=repo_id,
        folder_path=write_tree(
            tmp_path / "v1",
            {
                "up/a.txt": b"a1",
                "up/b.txt": b"b1",
                "up/sub/c.txt": b"c1",
                "up/keep.md": b"keep",
                "outside.txt": b"outside",
            },
        ),
    )
    second = write_tree(tmp_path / "v2", {"a.txt": b"a2", "new.txt": b"new"})
    hf_api.upload_folder(
        repo_id=repo_id, folder_path=second, path_in_repo="up", delete_patterns="*.txt"
    )
    # Under the prefix, every .txt is gone but the re-uploaded one; the rest is untouched.
    assert hf_api.list_repo_files(repo_id) == [
        ".gitattributes",
        "outside.txt",
        "up/a.txt",
        "up/keep.md",
        "up/new.txt",
    ]
    assert content(local_hub, repo_id, "up/a.txt") == b"a2"
    # Delete everything at the root: .gitattributes survives.
    gitattributes = content(local_hub, repo_id, ".gitattributes")
    only = write_tree(tmp_path / "v3", {"only.txt": b"only"})
    hf_api.upload_folder(repo_id=repo_id, folder_path=only, delete_patterns=["*"])
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "only.txt"]
    assert content(local_hub, repo_id, ".gitattributes") == gitattributes
    # A pattern matching nothing deletes nothing.
    hf_api.upload_folder(repo_id=repo_id, folder_path=only, delete_patterns="*.none")
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "only.txt"]


def test_upload_folder_as_pull_request_and_future(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path
) -> None:
    hf_api.upload_file(path_or_fileobj=b"old", path_in_repo="old.txt", repo_id=repo_id)
    folder = write_tree(tmp_path / "pr", {"p.txt": b"proposal"})
    url = hf_api.upload_folder(
        repo_id=repo_id, folder_path=folder, create_pr=True, delete_patterns="old.txt"
    )
    assert url == f"{local_hub.url}/{repo_id}/tree/refs%2Fpr%2F1/"
    assert hf_api.list_repo_files(repo_id, revision="refs/pr/1") == [".gitattributes", "p.txt"]
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "old.txt"]
    future = hf_api.upload_folder(
        repo_id=repo_id, folder_path=folder, path_in_repo="later", run_as_future=True
    )
    assert future.result(timeout=30) == f"{local_hub.url}/{repo_id}/tree/main/later"
    assert content(local_hub, repo_id, "later/p.txt") == b"proposal"
