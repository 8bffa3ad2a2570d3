"""LFS transfers over loopback: single PUT, multipart, deduplication, threads, safety."""

from __future__ import annotations

import base64
import re
import threading
from pathlib import Path
from typing import Callable, List

import pytest
import requests

from hfapi import CommitOperationAdd, CommitOperationCopy, HfApi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import RequestLog, Sent, content, download, sha256, unique_bytes

KiB = 1024
MiB = 1024 * KiB
CHUNK = 256 * KiB
PART_PATH = re.compile(r"^/_hub/lfs/upload/[^/]+/(\d+)$")


@pytest.fixture
def multipart(hub_settings: Callable) -> None:
    """Objects of 1 MiB or more go in parts of 256 KiB."""
    hub_settings(lfs_multipart_threshold=1 * MiB, lfs_chunk_size=CHUNK)


def part_number(sent: Sent) -> int:
    found = PART_PATH.match(sent.path)
    assert found is not None, sent.path
    return int(found[1])


def completions(log: RequestLog) -> List[Sent]:
    return log.matching("POST", lambda s: s.is_upload)


def verifies(log: RequestLog) -> List[Sent]:
    return log.matching("POST", lambda s: s.path.endswith("/info/lfs/objects/verify"))


def batches(log: RequestLog) -> List[Sent]:
    return log.matching("POST", lambda s: s.path.endswith("/info/lfs/objects/batch"))


def test_single_put(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, request_log: RequestLog
) -> None:
    data = unique_bytes(100 * KiB)
    info = hf_api.create_commit(
        repo_id, [CommitOperationAdd("one.bin", data)], commit_message="one"
    )
    (put,) = request_log.upload_puts()
    assert PART_PATH.match(put.path) is None and put.body_size == len(data)
    assert completions(request_log) == []
    assert len(verifies(request_log)) == 1 and len(batches(request_log)) == 1
    response = download(local_hub, repo_id, "one.bin")
    assert response.content == data
    assert response.headers["ETag"] == f'"{sha256(data)}"'
    assert response.headers["X-Linked-Size"] == str(len(data))
    assert response.headers["X-Repo-Commit"] == info.oid


def test_multipart_round_trip_and_no_second_upload(
    hf_api: HfApi,
    repo_id: str,
    local_hub: LocalHub,
    tmp_path: Path,
    request_log: RequestLog,
    multipart: None,
) -> None:
    data = unique_bytes(3 * MiB + 1000)
    source = tmp_path / "big.safetensors"
    source.write_bytes(data)
    first = hf_api.create_commit(
        repo_id, [CommitOperationAdd("big.safetensors", source)], commit_message="big"
    )
    puts = request_log.upload_puts()
    assert sorted(part_number(p) for p in puts) == list(range(1, 14))  # 12 full + 1 partial
    sizes = {part_number(p): p.body_size for p in puts}
    assert [sizes[n] for n in range(1, 13)] == [CHUNK] * 12 and sizes[13] == 1000
    (completion,) = completions(request_log)
    assert completion.path == puts[0].path.rsplit("/", 1)[0]
    assert len(verifies(request_log)) == 1
    response = download(local_hub, repo_id, "big.safetensors")
    assert response.content == data
    assert response.headers["X-Linked-Size"] == str(len(data))
    assert response.headers["ETag"] == f'"{sha256(data)}"'
    assert response.headers["X-Repo-Commit"] == first.oid

    # The same content again (new path, bytes source, and a copy): nothing is transferred.
    request_log.clear()
    second = hf_api.create_commit(
        repo_id,
        [
            CommitOperationAdd("again/big.bin", data),
            CommitOperationCopy("big.safetensors", "copy.safetensors"),
        ],
        commit_message="same content",
    )
    assert len(batches(request_log)) == 1
    assert request_log.upload_puts() == [] and completions(request_log) == []
    assert verifies(request_log) == []
    for path in ("big.safetensors", "again/big.bin", "copy.safetensors"):
        response = download(local_hub, repo_id, path)
        assert response.content == data, path
        assert response.headers["X-Repo-Commit"] == second.oid
    lfs = {f.rfilename: f.lfs for f in hf_api.list_files_info(repo_id)}
    for path in ("big.safetensors", "again/big.bin", "copy.safetensors"):
        assert lfs[path] == {"size": len(data), "sha256": sha256(data), "pointer_size": 132}


def test_same_content_twice_in_one_commit_is_sent_once(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub, request_log: RequestLog
) -> None:
    data = unique_bytes(50 * KiB)
    hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("a.bin", data), CommitOperationAdd("b/a.bin", data)],
        commit_message="twins",
    )
    assert len(request_log.upload_puts()) == 1
    assert content(local_hub, repo_id, "a.bin") == content(local_hub, repo_id, "b/a.bin") == data


@pytest.mark.parametrize("num_threads", [1, 4])
def test_num_threads_bounds_parallel_transfers(
    hf_api: HfApi,
    repo_id: str,
    local_hub: LocalHub,
    request_log: RequestLog,
    multipart: None,
    num_threads: int,
) -> None:
    objects = {f"w{i}.bin": unique_bytes(300 * KiB + i) for i in range(3)}
    objects["large.bin"] = unique_bytes(1536 * KiB)  # 6 parts
    hf_api.create_commit(
        repo_id,
        [CommitOperationAdd(path, data) for path, data in objects.items()],
        commit_message=f"{num_threads} threads",
        num_threads=num_threads,
    )
    puts = request_log.upload_puts()
    assert len(puts) == 3 + 6
    assert 1 <= request_log.peak_uploads <= num_threads
    threads = {p.thread for p in puts}
    if num_threads == 1:
        assert threads == {threading.current_thread().name}
    else:
        assert threading.current_thread().name not in threads
    for path, data in objects.items():
        assert content(local_hub, repo_id, path) == data, path


def test_upload_urls_never_see_the_token(
    hf_api: HfApi,
    repo_id: str,
    hub_user: HubUser,
    request_log: RequestLog,
    multipart: None,
) -> None:
    token = hub_user.token
    hf_api.create_commit(
        repo_id,
        [
            CommitOperationAdd("small.bin", unique_bytes(10 * KiB)),
            CommitOperationAdd("large.bin", unique_bytes(1 * MiB + 10)),
            CommitOperationAdd("text.txt", b"regular"),
        ],
        commit_message="safety",
    )
    uploads = [s for s in request_log.sent if s.is_upload]
    assert {s.method for s in uploads} == {"PUT", "POST"}
    assert len(uploads) == 1 + 5 + 1  # single PUT, 5 parts, 1 completion
    for sent in uploads:
        assert "Authorization" not in sent.headers, sent.url
        assert not any(token in value for value in sent.headers.values()), sent.url
        assert "hfapi" not in sent.headers.get("User-Agent", ""), sent.url
    for sent in request_log.sent:
        assert token not in sent.url
    basic = base64.b64encode(f"access_token:{token}".encode()).decode()
    assert [s.headers["Authorization"] for s in batches(request_log)] == [f"Basic {basic}"]
    verify_basic = base64.b64encode(f"USER:{token}".encode()).decode()
    assert {s.headers["Authorization"] for s in verifies(request_log)} == {f"Basic {verify_basic}"}
    api_calls = [s for s in request_log.sent if s.path.startswith("/api/")]
    assert {s.headers["Authorization"] for s in api_calls} == {f"Bearer {token}"}


def test_a_failed_transfer_commits_nothing(
    hf_api: HfApi,
    repo_id: str,
    local_hub: LocalHub,
    monkeypatch: pytest.MonkeyPatch,
    request_log: RequestLog,
) -> None:
    before = hf_api.model_info(repo_id).sha
    send = requests.Session.send

    def tampering_send(
        session: requests.Session, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        if request.method == "PUT" and "/_hub/lfs/upload/" in str(request.url):
            request.url = f"{request.url}0"  # a forged ticket: the storage refuses it
        return send(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", tampering_send)
    with pytest.raises(
        RuntimeError, match=re.escape("Error while uploading 'w.bin' to the Hub.")
    ) as caught:
        hf_api.create_commit(
            repo_id,
            [CommitOperationAdd("ok.txt", b"ok"), CommitOperationAdd("w.bin", unique_bytes(999))],
            commit_message="never",
        )
    cause = caught.value.__cause__
    assert isinstance(cause, requests.HTTPError)
    assert cause.response is not None and cause.response.status_code == 403
    assert request_log.matching("POST", lambda s: "/commit/" in s.path) == []
    assert hf_api.model_info(repo_id).sha == before
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]


def test_a_lost_completion_answer_is_retried(
    hf_api: HfApi,
    repo_id: str,
    local_hub: LocalHub,
    monkeypatch: pytest.MonkeyPatch,
    multipart: None,
) -> None:
    data = unique_bytes(1 * MiB + 10)
    real_send = requests.Session.send
    lost: List[str] = []

    def send_and_lose_first_completion(
        session: requests.Session, request: requests.PreparedRequest, **kwargs: object
    ) -> requests.Response:
        response = real_send(session, request, **kwargs)
        path = str(request.url).split("?")[0]
        if request.method == "POST" and "/_hub/lfs/upload/" in path and not lost:
            lost.append(path)  # the Hub completed the upload; its answer never arrives
            response.close()
            raise requests.ConnectionError("Connection reset by peer")
        return response

    monkeypatch.setattr(requests.Session, "send", send_and_lose_first_completion)
    monkeypatch.setattr(hf_api._http, "sleep", lambda seconds: None)
    hf_api.create_commit(repo_id, [CommitOperationAdd("big.bin", data)], commit_message="big")
    assert len(lost) == 1
    assert content(local_hub, repo_id, "big.bin") == data
