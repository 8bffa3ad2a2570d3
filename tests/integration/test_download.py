"""Downloads with our client against the local Hub: cache layout, reuse, offline, resume,
integrity and concurrent processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, List

import pytest
import requests

from hfapi import (
    CommitOperationAdd,
    EntryNotFoundError,
    HfApi,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    constants,
    hf_hub_download,
    snapshot_download,
    try_to_load_from_cache,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import RequestLog, git_blob_id, sha256, unique_bytes

ROOT = Path(__file__).resolve().parents[2]


def lfs_content(size: int = 3000) -> bytes:
    # A NUL byte makes the file binary: the Hub stores it in LFS.
    return b"\x00" + unique_bytes(size - 1)


@pytest.fixture
def files(hf_api: HfApi, repo_id: str) -> dict:
    """A repo with a regular file, an LFS file and a file in a folder."""
    contents = {
        "config.json": b'{"a": 1}\n',
        "weights.bin": lfs_content(),
        "sub/dir/notes.txt": b"notes\n",
    }
    hf_api.create_commit(
        repo_id,
        [CommitOperationAdd(path, data) for path, data in contents.items()],
        commit_message="files",
    )
    return contents


@pytest.fixture
def cache(tmp_path: Path) -> str:
    return str(tmp_path / "cache")


def folder(cache: str, repo_id: str, kind: str = "models") -> Path:
    return Path(cache) / f"{kind}--{repo_id.replace('/', '--')}"


def head_sha(hf_api: HfApi, repo_id: str) -> str:
    sha = hf_api.repo_info(repo_id).sha
    assert sha
    return sha


# -- hf_hub_download: layout and reuse --------------------------------------------------


def test_layout_is_the_reference_one(hf_api: HfApi, repo_id: str, files: dict, cache: str) -> None:
    commit = head_sha(hf_api, repo_id)
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    config = hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)
    base = folder(cache, repo_id)
    assert path == str(base / "snapshots" / commit / "weights.bin")
    assert Path(path).read_bytes() == files["weights.bin"]
    assert os.readlink(path) == f"../../blobs/{sha256(files['weights.bin'])}"
    assert os.readlink(config) == f"../../blobs/{git_blob_id(files['config.json'])}"
    assert (base / "refs" / "main").read_text() == commit
    assert sorted(p.name for p in (base / "blobs").iterdir()) == sorted(
        [sha256(files["weights.bin"]), git_blob_id(files["config.json"])]
    )
    assert (Path(cache) / ".locks" / base.name / f"{sha256(files['weights.bin'])}.lock").exists()


def test_nested_path_links_up_to_the_blob(
    hf_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    path = hf_api.hf_hub_download(repo_id, "notes.txt", subfolder="sub/dir", cache_dir=cache)
    assert path.endswith(os.path.join("sub", "dir", "notes.txt"))
    assert os.readlink(path) == f"../../../../blobs/{git_blob_id(files['sub/dir/notes.txt'])}"
    assert Path(path).read_bytes() == b"notes\n"


def test_cached_file_costs_one_head(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    first = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    request_log.sent.clear()
    assert hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache) == first
    assert [s.method for s in request_log.sent] == ["HEAD"]


def test_same_blob_at_a_new_commit_is_linked_not_downloaded(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    hf_api.upload_file(path_or_fileobj=b"x", path_in_repo="other.txt", repo_id=repo_id)
    commit = head_sha(hf_api, repo_id)
    request_log.sent.clear()
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert [s.method for s in request_log.sent] == ["HEAD"]
    assert commit in path
    assert Path(path).read_bytes() == files["weights.bin"]


def test_force_download_fetches_again(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    request_log.sent.clear()
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache, force_download=True)
    assert [s.method for s in request_log.sent] == ["HEAD", "GET"]
    assert Path(path).read_bytes() == files["weights.bin"]


def test_revisions_branch_tag_commit_and_dataset(
    hf_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    commit = head_sha(hf_api, repo_id)
    hf_api.create_tag(repo_id, tag="v1")
    hf_api.create_branch(repo_id, branch="dev/x")
    hf_api.upload_file(path_or_fileobj=b"new\n", path_in_repo="config.json", repo_id=repo_id)
    for revision in ("v1", "dev/x", commit):
        path = hf_api.hf_hub_download(repo_id, "config.json", revision=revision, cache_dir=cache)
        assert Path(path).read_bytes() == files["config.json"]
    assert (folder(cache, repo_id) / "refs" / "dev" / "x").read_text() == commit
    assert Path(hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)).read_bytes() == (
        b"new\n"
    )
    hf_api.create_repo("data", repo_type="dataset")
    dataset = repo_id.split("/")[0] + "/data"
    hf_api.upload_file(
        path_or_fileobj=b"d", path_in_repo="d.csv", repo_id=dataset, repo_type="dataset"
    )
    path = hf_api.hf_hub_download(dataset, "d.csv", repo_type="dataset", cache_dir=cache)
    assert str(folder(cache, dataset, "datasets")) in path


def test_awful_filenames(hf_api: HfApi, repo_id: str, cache: str) -> None:
    names = ["subfolder/to?", "awful?filename%you:should,never.give", "ünï cødé/ファイル.txt"]
    hf_api.create_commit(
        repo_id, [CommitOperationAdd(n, n.encode()) for n in names], commit_message="awful"
    )
    for name in names:
        assert Path(hf_api.hf_hub_download(repo_id, name, cache_dir=cache)).read_bytes() == (
            name.encode()
        )


def test_cache_dir_from_environment(
    hf_api: HfApi, repo_id: str, files: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "env-cache"))
    path = hf_api.hf_hub_download(repo_id, "config.json")
    assert path.startswith(str(tmp_path / "env-cache" / "models--"))


def test_root_function_uses_global_endpoint(
    local_hub: LocalHub, repo_id: str, files: dict, cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", local_hub.url)
    path = hf_hub_download(repo_id, "config.json", cache_dir=cache, library_name="mylib")
    assert Path(path).read_bytes() == files["config.json"]


# -- local_dir --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("use_symlinks", "linked", "in_cache"),
    [(True, True, True), ("auto", False, True), (False, False, False)],
)
def test_local_dir(
    hf_api: HfApi,
    repo_id: str,
    files: dict,
    cache: str,
    tmp_path: Path,
    use_symlinks: Any,
    linked: bool,
    in_cache: bool,
) -> None:
    target = tmp_path / "out"
    path = hf_api.hf_hub_download(
        repo_id,
        "weights.bin",
        cache_dir=cache,
        local_dir=target,
        local_dir_use_symlinks=use_symlinks,
    )
    assert path == str(target / "weights.bin")
    assert Path(path).read_bytes() == files["weights.bin"]
    assert os.path.islink(path) is linked
    blob = folder(cache, repo_id) / "blobs" / sha256(files["weights.bin"])
    assert blob.exists() is in_cache


def test_auto_links_big_files(
    hf_api: HfApi,
    repo_id: str,
    files: dict,
    cache: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(constants, "HF_HUB_LOCAL_DIR_AUTO_SYMLINK_THRESHOLD", 100)
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache, local_dir=tmp_path)
    assert os.path.islink(path)
    small = hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache, local_dir=tmp_path)
    assert not os.path.islink(small)


def test_copies_where_symlinks_are_unavailable(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hfapi.download import cache as cache_module

    def no_symlinks(source: str, destination: str) -> None:
        raise OSError("symlinks are not supported here")

    monkeypatch.setattr(cache_module, "_symlink", no_symlinks)
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert not os.path.islink(path)
    assert Path(path).read_bytes() == files["weights.bin"]


# -- errors -----------------------------------------------------------------------------


def test_hub_errors(hf_api: HfApi, repo_id: str, files: dict, cache: str) -> None:
    with pytest.raises(EntryNotFoundError):
        hf_api.hf_hub_download(repo_id, "missing.txt", cache_dir=cache)
    with pytest.raises(RevisionNotFoundError):
        hf_api.hf_hub_download(repo_id, "config.json", revision="nope", cache_dir=cache)
    with pytest.raises(RepositoryNotFoundError):
        hf_api.hf_hub_download(repo_id + "-none", "config.json", cache_dir=cache)


def test_private_repo_needs_the_token(
    hf_api: HfApi, anonymous_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    hf_api.update_repo_visibility(repo_id, private=True)
    with pytest.raises(RepositoryNotFoundError):
        anonymous_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)
    assert Path(hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)).exists()


# -- offline ----------------------------------------------------------------------------


def test_local_files_only_answers_from_cache_without_network(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    cached = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    request_log.sent.clear()
    assert hf_api.hf_hub_download(
        repo_id, "weights.bin", cache_dir=cache, local_files_only=True
    ) == (cached)
    with pytest.raises(LocalEntryNotFoundError, match=r"'config\.json' of model .*" + repo_id):
        hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache, local_files_only=True)
    assert request_log.sent == []


def test_offline_mode(
    hf_api: HfApi,
    repo_id: str,
    files: dict,
    cache: str,
    request_log: RequestLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cached = hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)
    hf_api.snapshot_download(repo_id, cache_dir=cache)
    request_log.sent.clear()
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    assert hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache) == cached
    assert hf_api.snapshot_download(repo_id, cache_dir=cache) == os.path.dirname(cached)
    with pytest.raises(LocalEntryNotFoundError, match=r"missing\.txt"):
        hf_api.hf_hub_download(repo_id, "missing.txt", cache_dir=cache)
    with pytest.raises(LocalEntryNotFoundError, match="revision 'v9'"):
        hf_api.snapshot_download(repo_id, cache_dir=cache, revision="v9")
    assert request_log.sent == []


def test_unreachable_hub_falls_back_to_cache(
    local_hub: LocalHub, hub_user: HubUser, repo_id: str, files: dict, cache: str
) -> None:
    HfApi(endpoint=local_hub.url).hf_hub_download(repo_id, "config.json", cache_dir=cache)
    with LocalHub() as doomed:
        dead_url = doomed.url
    dead = HfApi(endpoint=dead_url)
    dead._http.retry = dead._http.retry.__class__(max_retries=0)
    assert Path(dead.hf_hub_download(repo_id, "config.json", cache_dir=cache)).exists()
    with pytest.raises(LocalEntryNotFoundError, match="could not be reached"):
        dead.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)


def test_try_to_load_from_cache(hf_api: HfApi, repo_id: str, files: dict, cache: str) -> None:
    assert try_to_load_from_cache(repo_id, "config.json", cache_dir=cache) is None
    path = hf_api.hf_hub_download(repo_id, "config.json", cache_dir=cache)
    assert try_to_load_from_cache(repo_id, "config.json", cache_dir=cache) == path
    assert try_to_load_from_cache(repo_id, "other", cache_dir=cache) is None
    with pytest.raises(ValueError, match="Invalid repo type"):
        try_to_load_from_cache(repo_id, "config.json", repo_type="bad")


# -- resume and integrity -----------------------------------------------------------------


def _cut_once(monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """The first body read yields ``after`` bytes, then the connection is lost."""
    original = requests.Response.iter_content
    state = {"cut": False}

    def iter_content(
        self: requests.Response, chunk_size: int = 1, **kwargs: Any
    ) -> Iterator[bytes]:
        if state["cut"] or self.request.method != "GET":
            yield from original(self, chunk_size, **kwargs)
            return
        state["cut"] = True
        yield next(original(self, after, **kwargs))
        raise requests.exceptions.ChunkedEncodingError("Connection broken")

    monkeypatch.setattr(requests.Response, "iter_content", iter_content)


def test_cut_connection_resumes_with_range(
    hf_api: HfApi,
    repo_id: str,
    files: dict,
    cache: str,
    request_log: RequestLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cut_once(monkeypatch, after=1000)
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert Path(path).read_bytes() == files["weights.bin"]
    gets = [s for s in request_log.sent if s.method == "GET"]
    assert [g.headers.get("Range") for g in gets] == [None, "bytes=1000-"]


def test_partial_file_from_an_earlier_run_is_resumed(
    hf_api: HfApi,
    repo_id: str,
    files: dict,
    cache: str,
    request_log: RequestLog,
) -> None:
    data = files["weights.bin"]
    blobs = folder(cache, repo_id) / "blobs"
    blobs.mkdir(parents=True)
    (blobs / f"{sha256(data)}.incomplete").write_bytes(data[:1234])
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert Path(path).read_bytes() == data
    assert [s.headers.get("Range") for s in request_log.sent if s.method == "GET"] == [
        "bytes=1234-"
    ]
    assert not (blobs / f"{sha256(data)}.incomplete").exists()


def test_corrupt_content_is_refused_and_deleted(
    hf_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    data = files["weights.bin"]
    blobs = folder(cache, repo_id) / "blobs"
    blobs.mkdir(parents=True)
    partial = blobs / f"{sha256(data)}.incomplete"
    partial.write_bytes(b"\xff" * 1000)  # wrong bytes, right length so far
    with pytest.raises(OSError, match="expected SHA-256 " + sha256(data)):
        hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert list(blobs.iterdir()) == []
    assert not (folder(cache, repo_id) / "snapshots").exists() or not any(
        (folder(cache, repo_id) / "snapshots").rglob("weights.bin")
    )
    # The next attempt starts from scratch and succeeds.
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert Path(path).read_bytes() == data


def test_stalled_transfer_gives_up(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = requests.Response.iter_content

    def always_cut(self: requests.Response, chunk_size: int = 1, **kwargs: Any) -> Iterator[bytes]:
        if self.request.method != "GET":
            yield from original(self, chunk_size, **kwargs)
            return
        raise requests.exceptions.ChunkedEncodingError("Connection broken")

    monkeypatch.setattr(requests.Response, "iter_content", always_cut)
    with pytest.raises(requests.ConnectionError, match="keeps failing"):
        hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    monkeypatch.undo()
    assert not any((folder(cache, repo_id) / "blobs").glob(f"{sha256(files['weights.bin'])}"))


_WORKER = """
import hashlib, sys
from hfapi import HfApi
path = HfApi(endpoint=sys.argv[1]).hf_hub_download(sys.argv[2], "big.bin", cache_dir=sys.argv[3])
print(hashlib.sha256(open(path, "rb").read()).hexdigest())
"""


def test_eight_processes_one_blob(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, cache: str
) -> None:
    data = lfs_content(2 * 1024 * 1024)
    hf_api.upload_file(path_or_fileobj=data, path_in_repo="big.bin", repo_id=repo_id)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    command = [sys.executable, "-c", _WORKER, local_hub.url, repo_id, cache]
    workers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(8)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all(w.returncode == 0 for w in workers), [err for _, err in outputs]
    assert {out.strip().decode() for out, _ in outputs} == {sha256(data)}
    blobs = sorted(p.name for p in (folder(cache, repo_id) / "blobs").iterdir())
    assert blobs == [sha256(data)]


# -- snapshot_download --------------------------------------------------------------------


def test_snapshot_downloads_every_file(
    hf_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    result = hf_api.snapshot_download(repo_id, cache_dir=cache, max_workers=2)
    assert result == str(folder(cache, repo_id) / "snapshots" / head_sha(hf_api, repo_id))
    for name, data in files.items():
        assert (Path(result) / name).read_bytes() == data
    assert (Path(result) / ".gitattributes").exists()


def test_snapshot_skips_what_the_cache_holds(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    hf_api.snapshot_download(repo_id, cache_dir=cache)
    request_log.sent.clear()
    hf_api.snapshot_download(repo_id, cache_dir=cache)
    assert [s.method for s in request_log.sent] == ["GET"]
    assert "/api/models/" in request_log.sent[0].url


def test_snapshot_patterns_and_local_dir(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    result = hf_api.snapshot_download(
        repo_id,
        cache_dir=cache,
        local_dir=target,
        allow_patterns=["*.json", "*.txt", "*.bin"],
        ignore_patterns="*.bin",
    )
    assert result == str(target)
    found: List[str] = sorted(
        str(p.relative_to(target)).replace(os.sep, "/") for p in target.rglob("*") if p.is_file()
    )
    assert found == ["config.json", "sub/dir/notes.txt"]


def test_snapshot_root_function_and_missing_repo(
    local_hub: LocalHub, repo_id: str, files: dict, cache: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", local_hub.url)
    result = snapshot_download(repo_id, cache_dir=cache, allow_patterns="config.json")
    assert json.loads((Path(result) / "config.json").read_text()) == {"a": 1}
    with pytest.raises(RepositoryNotFoundError):
        snapshot_download(repo_id + "-none", cache_dir=cache)


def test_snapshot_bad_workers_before_any_request(hf_api: HfApi, request_log: RequestLog) -> None:
    with pytest.raises(ValueError, match="max_workers"):
        hf_api.snapshot_download("a/b", max_workers=0)
    with pytest.raises(ValueError, match="local_dir_use_symlinks"):
        hf_api.snapshot_download("a/b", local_dir_use_symlinks="yes")
    assert request_log.sent == []


def test_snapshot_one_bar_for_the_files(
    hf_api: HfApi, repo_id: str, files: dict, cache: str
) -> None:
    bars: List[Any] = []

    class RecordingBar:
        def __init__(self, **kwargs: Any) -> None:
            self.kwargs = kwargs
            self.count = 0
            self.closed = False
            bars.append(self)

        def update(self, count: int) -> None:
            self.count += count

        def close(self) -> None:
            self.closed = True

    hf_api.snapshot_download(repo_id, cache_dir=cache, tqdm_class=RecordingBar)
    assert len(bars) == 1
    assert bars[0].kwargs == {"total": 4, "desc": "Fetching 4 files"}
    assert bars[0].count == 4
    assert bars[0].closed


def test_storage_redirect_is_followed_without_the_token(
    hf_api: HfApi, repo_id: str, files: dict, cache: str, request_log: RequestLog
) -> None:
    # The local Hub's storage shares its host: the token must still stay off the
    # pre-signed URL, as it would on a separate storage host.
    path = hf_api.hf_hub_download(repo_id, "weights.bin", cache_dir=cache)
    assert Path(path).read_bytes() == files["weights.bin"]
    heads = request_log.matching("HEAD", lambda s: "/resolve/" in s.path)
    storage = request_log.matching("GET", lambda s: s.path.startswith("/_hub/lfs/download/"))
    assert len(heads) == 1 and "authorization" in heads[0].headers
    assert len(storage) == 1
    assert "authorization" not in storage[0].headers
