"""Wire tests of downloads: URLs, headers, redirects to storage, errors, checks."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest
import requests
import responses
from _wire import ENDPOINT, TOKEN, UA

import hfapi
from hfapi import (
    EntryNotFoundError,
    GatedRepoError,
    HfApi,
    HFValidationError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    constants,
    hf_hub_url,
    try_to_load_from_cache,
)
from hfapi.download import transfer
from hfapi.download.cache import _CACHED_NO_EXIST

COMMIT = "a" * 40
DATA = b"\x00some lfs content" * 10
SHA256 = hashlib.sha256(DATA).hexdigest()
STORAGE = "https://storage.test/bucket/" + SHA256 + "?X-Amz-Signature=secret"
URL = f"{ENDPOINT}/alice/model/resolve/main/weights.bin"


@pytest.fixture
def cache(tmp_path: Path) -> str:
    return str(tmp_path / "cache")


def lfs_head(rsps: responses.RequestsMock, *, status: int = 302, location: str = STORAGE) -> None:
    rsps.add(
        responses.HEAD,
        URL,
        status=status,
        headers={
            "X-Repo-Commit": COMMIT,
            "X-Linked-Etag": f'"{SHA256}"',
            "X-Linked-Size": str(len(DATA)),
            "ETag": '"abc"',
            "Location": location,
        },
    )


# -- hf_hub_url -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "/alice/model/resolve/main/file.txt"),
        ({"subfolder": "sub/dir"}, "/alice/model/resolve/main/sub/dir/file.txt"),
        ({"subfolder": ""}, "/alice/model/resolve/main/file.txt"),
        ({"revision": "refs/pr/1"}, "/alice/model/resolve/refs%2Fpr%2F1/file.txt"),
        ({"repo_type": "dataset"}, "/datasets/alice/model/resolve/main/file.txt"),
        ({"repo_type": "space"}, "/spaces/alice/model/resolve/main/file.txt"),
    ],
)
def test_hf_hub_url(monkeypatch: pytest.MonkeyPatch, kwargs: dict, expected: str) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", ENDPOINT)
    assert hf_hub_url("alice/model", "file.txt", **kwargs) == ENDPOINT + expected


@pytest.mark.parametrize(
    ("filename", "quoted"),
    [
        ("subfolder/to?", "subfolder/to%3F"),
        ("awful?filename%you:should,never.give", "awful%3Ffilename%25you%3Ashould%2Cnever.give"),
        ("ünï/ファイル.txt", "%C3%BCn%C3%AF/%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB.txt"),
    ],
)
def test_hf_hub_url_quotes_awful_filenames(
    monkeypatch: pytest.MonkeyPatch, filename: str, quoted: str
) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", ENDPOINT)
    assert hf_hub_url("alice/model", filename) == f"{ENDPOINT}/alice/model/resolve/main/{quoted}"


def test_hf_hub_url_bad_repo_type() -> None:
    with pytest.raises(ValueError, match="Invalid repo type"):
        hf_hub_url("alice/model", "f", repo_type="bad")


# -- the wire ---------------------------------------------------------------------------


def test_lfs_file_head_then_storage_without_token(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, body=DATA)
    path = api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert Path(path).read_bytes() == DATA
    head, get = rsps.calls
    assert head.request.headers["authorization"] == f"Bearer {TOKEN}"
    assert head.request.headers["user-agent"] == UA
    assert head.request.headers["Accept-Encoding"] == "identity"
    assert "authorization" not in get.request.headers
    assert get.request.headers["user-agent"] == UA
    assert os.readlink(path) == f"../../blobs/{SHA256}"


def test_direct_answer_keeps_the_token_on_the_hub(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    lfs_head(rsps, status=200, location="")
    rsps.add(responses.GET, URL, body=DATA)
    api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert rsps.calls[1].request.headers["authorization"] == f"Bearer {TOKEN}"


def test_same_host_redirect_of_a_renamed_repo_is_followed_with_token(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    rsps.add(
        responses.HEAD,
        f"{ENDPOINT}/old/name/resolve/main/weights.bin",
        status=307,
        headers={"Location": "/alice/model/resolve/main/weights.bin"},
    )
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, body=DATA)
    api.hf_hub_download("old/name", "weights.bin", cache_dir=cache)
    assert rsps.calls[1].request.headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in rsps.calls[2].request.headers


def test_storage_redirect_during_get_drops_the_token(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    # A Hub that answers the HEAD itself but redirects the GET to storage.
    lfs_head(rsps, status=200, location="")
    rsps.add(responses.GET, URL, status=302, headers={"Location": STORAGE})
    rsps.add(responses.GET, STORAGE, body=DATA)
    api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert "authorization" not in rsps.calls[2].request.headers


def test_refs_and_no_exist_are_recorded(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    rsps.add(
        responses.HEAD,
        f"{ENDPOINT}/alice/model/resolve/main/missing.txt",
        status=404,
        headers={"X-Error-Code": "EntryNotFound", "X-Repo-Commit": COMMIT},
    )
    with pytest.raises(EntryNotFoundError):
        api.hf_hub_download("alice/model", "missing.txt", cache_dir=cache)
    base = Path(cache) / "models--alice--model"
    assert (base / "refs" / "main").read_text() == COMMIT
    assert (base / ".no_exist" / COMMIT / "missing.txt").exists()
    assert try_to_load_from_cache("alice/model", "missing.txt", cache_dir=cache) is (
        _CACHED_NO_EXIST
    )


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (401, "RepoNotFound", RepositoryNotFoundError),
        (404, "RevisionNotFound", RevisionNotFoundError),
        (403, "GatedRepo", GatedRepoError),
    ],
)
def test_hub_errors(
    api: HfApi, rsps: responses.RequestsMock, cache: str, status: int, code: str, error: type
) -> None:
    rsps.add(responses.HEAD, URL, status=status, headers={"X-Error-Code": code})
    with pytest.raises(error):
        api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({"ETag": '"abc"'}, "no X-Repo-Commit"),
        ({"X-Repo-Commit": COMMIT}, "no ETag"),
    ],
)
def test_answers_without_commit_or_etag(
    api: HfApi, rsps: responses.RequestsMock, cache: str, headers: dict, message: str
) -> None:
    rsps.add(responses.HEAD, URL, headers=headers)
    with pytest.raises(OSError, match=message):
        api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)


def test_unreachable_hub_and_empty_cache(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    api._http.retry = api._http.retry.__class__(max_retries=0)
    rsps.add(responses.HEAD, URL, body=requests.ConnectionError("down"))
    with pytest.raises(LocalEntryNotFoundError, match=r"'weights\.bin' of model 'alice/model'"):
        api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (DATA[:-3], "expected 170 bytes, received 167"),
        (b"x" * len(DATA), "expected SHA-256 " + SHA256),
    ],
)
@pytest.mark.parametrize("hash_on_a_thread", [False, True])
def test_content_checks(
    api: HfApi,
    rsps: responses.RequestsMock,
    cache: str,
    body: bytes,
    message: str,
    hash_on_a_thread: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Large files are hashed on a thread of their own: the check is the same.
    monkeypatch.setattr(transfer, "_BACKGROUND_HASH_MIN", 0 if hash_on_a_thread else 1 << 40)
    assert len(DATA) == 170
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, body=body)
    with pytest.raises(OSError, match=message) as caught:
        api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert "secret" not in str(caught.value)
    assert list((Path(cache) / "models--alice--model" / "blobs").iterdir()) == []


@pytest.mark.parametrize("hash_on_a_thread", [False, True])
def test_a_resumed_file_is_hashed_whole(
    api: HfApi,
    rsps: responses.RequestsMock,
    cache: str,
    hash_on_a_thread: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "_BACKGROUND_HASH_MIN", 0 if hash_on_a_thread else 1 << 40)
    blobs = Path(cache) / "models--alice--model" / "blobs"
    blobs.mkdir(parents=True)
    (blobs / f"{SHA256}.incomplete").write_bytes(DATA[:100])
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, body=DATA[100:], status=206)
    path = api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert rsps.calls[1].request.headers["Range"] == "bytes=100-"
    assert Path(path).read_bytes() == DATA
    assert not [t for t in threading.enumerate() if t.name == "hfapi-hash"]


def test_server_ignoring_range_restarts_the_file(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    blobs = Path(cache) / "models--alice--model" / "blobs"
    blobs.mkdir(parents=True)
    (blobs / f"{SHA256}.incomplete").write_bytes(b"garbage")
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, body=DATA, status=200)
    path = api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert rsps.calls[1].request.headers["Range"] == "bytes=7-"
    assert Path(path).read_bytes() == DATA


def test_unsatisfiable_range_restarts_the_file(
    api: HfApi, rsps: responses.RequestsMock, cache: str
) -> None:
    blobs = Path(cache) / "models--alice--model" / "blobs"
    blobs.mkdir(parents=True)
    (blobs / f"{SHA256}.incomplete").write_bytes(b"garbage")
    lfs_head(rsps)
    rsps.add(responses.GET, STORAGE, status=416)
    rsps.add(responses.GET, STORAGE, body=DATA)
    path = api.hf_hub_download("alice/model", "weights.bin", cache_dir=cache)
    assert "Range" not in rsps.calls[2].request.headers
    assert Path(path).read_bytes() == DATA


# -- bad input: nothing is sent -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"repo_id": "a/b/c"}, HFValidationError, "a/b/c"),
        ({"filename": "../escape"}, ValueError, "Invalid filename"),
        ({"filename": "/abs"}, ValueError, "Invalid filename"),
        ({"filename": ""}, ValueError, "Invalid filename"),
        ({"repo_type": "bad"}, ValueError, "Invalid repo type"),
        ({"local_dir_use_symlinks": "yes"}, ValueError, "local_dir_use_symlinks"),
        ({"legacy_cache_layout": True}, ValueError, "legacy_cache_layout"),
        ({"force_filename": "x"}, ValueError, "force_filename"),
        ({"proxies": {"https": "http://p"}}, ValueError, "proxies"),
        ({"token": 3}, TypeError, "token"),
    ],
)
def test_bad_input_raises_before_any_request(
    api: HfApi, rsps: responses.RequestsMock, cache: str, kwargs: dict, error: type, message: str
) -> None:
    arguments = {"repo_id": "alice/model", "filename": "f.txt", **kwargs}
    with pytest.raises(error, match=message):
        api.hf_hub_download(cache_dir=cache, **arguments)
    assert len(rsps.calls) == 0


def test_token_never_in_repr_or_errors(api: HfApi, rsps: responses.RequestsMock) -> None:
    rsps.add(
        responses.HEAD, URL, status=500, headers={"X-Error-Message": f"Bearer {TOKEN} exploded"}
    )
    api._http.retry = api._http.retry.__class__(max_retries=0)
    with pytest.raises(LocalEntryNotFoundError) as caught:
        api.hf_hub_download("alice/model", "weights.bin", cache_dir="unused-cache")
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value.__cause__)


def test_root_functions_are_exported() -> None:
    for name in ("hf_hub_download", "hf_hub_url", "snapshot_download", "try_to_load_from_cache"):
        assert name in hfapi.__all__
        assert callable(getattr(hfapi, name))
