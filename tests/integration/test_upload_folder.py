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


def test_connections_are_reused_from_one_step_and_one_upload_to_the_next(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, tmp_path: Path, request_log: RequestLog
) -> None:
    # Preupload calls, LFS transfers and the commit run on long-lived threads, each with
    # its keep-alive connection: a second upload opens no new connection at all, and the
    # first one no more than one per thread that sends.
    server = local_hub._server
    assert server is not None
    accepted = []
    original = server.process_request

    def counting(request: object, client_address: object) -> None:
        accepted.append(client_address)
        original(request, client_address)

    server.process_request = counting  # type: ignore[method-assign]
    try:
        for round_number in range(2):
            files = {
                f"r{round_number}/f{i:04d}.txt": b"%d-%d\n" % (round_number, i) for i in range(600)
            }
            files.update({f"r{round_number}/w{i}.bin": unique_bytes(1000) for i in range(3)})
            folder = write_tree(tmp_path / f"round{round_number}", files)
            before_connections, before_requests = len(accepted), len(request_log.sent)
            hf_api.upload_folder(repo_id=repo_id, folder_path=folder)
            requests_sent = len(request_log.sent) - before_requests
            opened = len(accepted) - before_connections
            threads = {sent.thread for sent in request_log.sent[before_requests:]}
            assert requests_sent >= 9  # 3 preupload, 1 LFS batch, 3 PUTs, ..., the commit
            assert opened <= len(threads)
            if round_number == 1:
                assert opened == 0
    finally:
        server.process_request = original  # type: ignore[method-assign]


def test_the_preupload_calls_are_those_of_a_sequential_upload(
    hf_api: HfApi, repo_id: str, tmp_path: Path, request_log: RequestLog
) -> None:
    # Hashing overlaps the preupload calls; the calls themselves are unchanged: one per
    # 256 files in sorted order, then one commit after the last answer.
    files = {f"f{i:04d}.txt": b"%d\n" % i for i in range(600)}
    hf_api.upload_folder(repo_id=repo_id, folder_path=write_tree(tmp_path / "data", files))
    paths = [sent.path for sent in request_log.sent]
    preuploads = [i for i, path in enumerate(paths) if path.endswith("/preupload/main")]
    commit = paths.index(f"/api/models/{repo_id}/commit/main")
    assert len(preuploads) == 3 and max(preuploads) < commit == len(paths) - 1
    bodies = [request_log.sent[i].json for i in preuploads]
    sent_paths = sorted(entry["path"] for body in bodies for entry in body["files"])
    assert sent_paths == sorted(files)
    assert sorted(len(body["files"]) for body in bodies) == [88, 256, 256]
