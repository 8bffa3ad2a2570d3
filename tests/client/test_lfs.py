"""LFS batch negotiation and transfers (basic, multipart, verify), on the wire."""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
import requests
import responses

from hfapi._session import HubSession
from hfapi.commit.lfs import (
    LfsUpload,
    lfs_batch_url,
    request_lfs_uploads,
    upload_lfs_files,
)
from hfapi.commit.operations import CommitOperationAdd, SourceChangedError
from hfapi.commit.slices import SliceReader

ENDPOINT = "https://hub.test"
TOKEN = "hf_testtoken"
BATCH_URL = f"{ENDPOINT}/user/repo.git/info/lfs/objects/batch"
STORAGE = "https://storage.test"
X120 = b"x" * 120
X120_SHA = "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"


@pytest.fixture
def http() -> HubSession:
    session = HubSession()
    session.sleep = lambda seconds: None
    return session


@pytest.fixture
def mock() -> Any:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _batch_answer(rsps: Any, objects: List[Dict[str, Any]]) -> None:
    rsps.add(responses.POST, BATCH_URL, json={"transfer": "basic", "objects": objects})


def _upload(
    http: HubSession, additions: List[CommitOperationAdd], num_threads: int = 5
) -> List[LfsUpload]:
    uploads = request_lfs_uploads(http, batch_url=BATCH_URL, additions=additions, token=TOKEN)
    upload_lfs_files(http, uploads, token=TOKEN, endpoint=ENDPOINT, num_threads=num_threads)
    return uploads


def _recorder(
    store: List[Tuple[str, str, Dict[str, str], bytes]],
    status: int = 200,
    headers: Optional[Dict[str, str]] = None,
) -> Any:
    def callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        body = request.body if isinstance(request.body, bytes) else (request.body or b"")
        if isinstance(body, str):
            body = body.encode()
        store.append((request.method or "", request.url or "", dict(request.headers), body))
        return status, dict(headers or {}), ""

    return callback


def test_batch_url_prefixes() -> None:
    assert lfs_batch_url(ENDPOINT, "u/r", None) == f"{ENDPOINT}/u/r.git/info/lfs/objects/batch"
    assert lfs_batch_url(ENDPOINT, "u/r", "model") == f"{ENDPOINT}/u/r.git/info/lfs/objects/batch"
    assert lfs_batch_url(ENDPOINT, "u/r", "dataset").endswith(
        "/datasets/u/r.git/info/lfs/objects/batch"
    )
    assert lfs_batch_url(ENDPOINT, "u/r", "space").endswith(
        "/spaces/u/r.git/info/lfs/objects/batch"
    )


def test_batch_request_on_the_wire(http: HubSession, mock: Any) -> None:
    ops = [CommitOperationAdd("a.bin", X120), CommitOperationAdd("b.bin", b"other")]
    _batch_answer(mock, [{"oid": X120_SHA, "size": 120}, {"oid": _sha(b"other"), "size": 5}])
    uploads = request_lfs_uploads(
        http, batch_url=BATCH_URL, additions=ops, token=TOKEN, headers={"user-agent": "ua"}
    )
    assert uploads == []  # both already stored: no actions
    (call,) = mock.calls
    assert call.request.method == "POST"
    assert call.request.url == BATCH_URL
    headers = call.request.headers
    assert headers["Accept"] == "application/vnd.git-lfs+json"
    assert headers["Content-Type"] == "application/vnd.git-lfs+json"
    assert headers["Authorization"] == "Basic YWNjZXNzX3Rva2VuOmhmX3Rlc3R0b2tlbg=="
    assert json.loads(call.request.body) == {
        "operation": "upload",
        "transfers": ["basic", "multipart"],
        "objects": [{"oid": X120_SHA, "size": 120}, {"oid": _sha(b"other"), "size": 5}],
        "hash_algo": "sha256",
    }


def test_batch_is_split_by_256(http: HubSession, mock: Any) -> None:
    ops = [CommitOperationAdd(f"f{i}", str(i).encode()) for i in range(300)]
    _batch_answer(mock, [])
    request_lfs_uploads(http, batch_url=BATCH_URL, additions=ops, token=TOKEN)
    sizes = [len(json.loads(call.request.body)["objects"]) for call in mock.calls]
    assert sizes == [256, 44]


def test_batch_errors_stop_everything(http: HubSession, mock: Any) -> None:
    ops = [CommitOperationAdd(f"f{i}", str(i).encode()) for i in range(300)]
    bad = {"oid": _sha(b"0"), "size": 1, "error": {"code": 422, "message": "too big"}}
    bad2 = {"oid": _sha(b"1"), "size": 1, "error": {"code": 404, "message": "nope"}}
    _batch_answer(mock, [bad, bad2])
    with pytest.raises(ValueError, match="LFS batch endpoint returned errors:\n") as info:
        request_lfs_uploads(http, batch_url=BATCH_URL, additions=ops, token=TOKEN)
    assert f"{_sha(b'0')}: `too big`" in str(info.value)
    assert f"{_sha(b'1')}: `nope`" in str(info.value)
    assert len(mock.calls) == 1  # no second chunk


@pytest.mark.parametrize(
    "answer",
    [
        {"objects": {}},
        {},
        {"objects": [{"size": 1}]},
        {"objects": [{"oid": X120_SHA}]},
        {"objects": [{"oid": X120_SHA, "size": 120, "actions": {"upload": {}}}]},
        {
            "objects": [
                {"oid": X120_SHA, "size": 120, "actions": {"upload": {"href": "h", "header": 3}}}
            ]
        },
        {"objects": [{"oid": "f" * 64, "size": 1, "actions": {"upload": {"href": "h"}}}]},
    ],
)
def test_batch_malformed(http: HubSession, mock: Any, answer: Dict[str, Any]) -> None:
    mock.add(responses.POST, BATCH_URL, json=answer)
    with pytest.raises(ValueError, match="Malformed response from server"):
        request_lfs_uploads(
            http, batch_url=BATCH_URL, additions=[CommitOperationAdd("a", X120)], token=TOKEN
        )


def test_batch_skips_present_and_dedupes(http: HubSession, mock: Any) -> None:
    ops = [
        CommitOperationAdd("a", X120),
        CommitOperationAdd("copy-of-a", X120),
        CommitOperationAdd("b", b"b"),
        CommitOperationAdd("c", b"c"),
    ]
    action = {"upload": {"href": f"{STORAGE}/a", "header": None}}
    _batch_answer(
        mock,
        [
            {"oid": X120_SHA, "size": 120, "actions": action},
            {"oid": X120_SHA, "size": 120, "actions": action},
            {"oid": _sha(b"b"), "size": 1},
            {"oid": _sha(b"c"), "size": 1, "actions": None},
        ],
    )
    uploads = request_lfs_uploads(http, batch_url=BATCH_URL, additions=ops, token=TOKEN)
    assert [(u.addition.path_in_repo, u.href, u.header, u.verify_href) for u in uploads] == [
        ("a", f"{STORAGE}/a", {}, None)
    ]


def test_basic_upload_and_verify(http: HubSession, mock: Any, tmp_path: Path) -> None:
    target = tmp_path / "a.bin"
    target.write_bytes(X120)
    op = CommitOperationAdd("a.bin", str(target))
    _batch_answer(
        mock,
        [
            {
                "oid": X120_SHA,
                "size": 120,
                "actions": {
                    "upload": {
                        "href": f"{STORAGE}/up?X-Signature=secret",
                        "header": {"X-Optional": "ignored", "Authorization": "nope"},
                        "expires_in": 3600,
                    },
                    "verify": {"href": f"{ENDPOINT}/user/repo.git/info/lfs/verify"},
                },
            }
        ],
    )
    puts: List[Any] = []
    verifies: List[Any] = []
    mock.add_callback(responses.PUT, f"{STORAGE}/up", callback=_recorder(puts))
    mock.add_callback(
        responses.POST, f"{ENDPOINT}/user/repo.git/info/lfs/verify", callback=_recorder(verifies)
    )
    _upload(http, [op])
    ((_method, url, headers, body),) = puts
    assert url == f"{STORAGE}/up?X-Signature=secret"
    assert body == X120
    assert headers["Content-Length"] == "120"
    assert "Transfer-Encoding" not in headers
    assert "Authorization" not in headers
    assert "Content-Type" not in headers
    assert "X-Optional" not in headers
    ((_, _, vheaders, vbody),) = verifies
    assert vheaders["Authorization"] == "Basic VVNFUjpoZl90ZXN0dG9rZW4="
    assert vheaders["Content-Type"] == "application/json"
    assert json.loads(vbody) == {"oid": X120_SHA, "size": 120}


def test_verify_outside_the_hub_gets_no_token(http: HubSession, mock: Any) -> None:
    op = CommitOperationAdd("a.bin", X120)
    actions = {
        "upload": {"href": f"{STORAGE}/up"},
        # Looks like the endpoint but is another host: must not get the token.
        "verify": {"href": "https://hub.test.evil.example/verify"},
    }
    _batch_answer(mock, [{"oid": X120_SHA, "size": 120, "actions": actions}])
    mock.add(responses.PUT, f"{STORAGE}/up")
    calls: List[Any] = []
    mock.add_callback(
        responses.POST, "https://hub.test.evil.example/verify", callback=_recorder(calls)
    )
    _upload(http, [op])
    assert "Authorization" not in calls[0][2]


def _multipart_answer(oid: str, size: int, keys: List[str], chunk_size: Any) -> Dict[str, Any]:
    header: Dict[str, Any] = {"chunk_size": chunk_size, "other": "ignored"}
    header.update({key: f"{STORAGE}/part/{key}?sig=s3cr3t" for key in keys})
    return {
        "oid": oid,
        "size": size,
        "actions": {
            "upload": {"href": f"{STORAGE}/complete/{oid}", "header": header},
            "verify": {"href": f"{ENDPOINT}/verify"},
        },
    }


@pytest.mark.parametrize("source_kind", ["path", "bytes", "fileobj"])
def test_multipart_upload(http: HubSession, mock: Any, tmp_path: Path, source_kind: str) -> None:
    data = bytes(range(256)) * 4 + b"tail"  # 1028 bytes -> parts of 100: 11 parts
    target = tmp_path / "big.bin"
    target.write_bytes(data)
    source: Any = {"path": str(target), "bytes": data, "fileobj": io.BytesIO(data)}[source_kind]
    op = CommitOperationAdd("big.bin", source)
    keys = [str(n) for n in range(1, 12)]  # "10" and "11" sort after "9" numerically
    _batch_answer(mock, [_multipart_answer(_sha(data), len(data), keys, "100")])
    parts: List[Any] = []
    lock = threading.Lock()

    def part_callback(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        with lock:
            parts.append((request.url, dict(request.headers), request.body))
        number = request.url.split("/part/")[1].split("?")[0]  # type: ignore[union-attr]
        return 200, {"ETag": f'"etag-{number}"'}, ""

    for key in keys:
        mock.add_callback(responses.PUT, f"{STORAGE}/part/{key}", callback=part_callback)
    completions: List[Any] = []
    mock.add_callback(
        responses.POST, f"{STORAGE}/complete/{_sha(data)}", callback=_recorder(completions)
    )
    mock.add(responses.POST, f"{ENDPOINT}/verify")
    _upload(http, [op], num_threads=4)

    by_number = {url.split("/part/")[1].split("?")[0]: (h, b) for url, h, b in parts}
    assert sorted(by_number, key=int) == keys
    for index, key in enumerate(keys):
        headers, body = by_number[key]
        assert body == data[index * 100 : (index + 1) * 100]
        assert headers["Content-Length"] == str(len(body))
        assert "Authorization" not in headers
    ((_, _, headers, body),) = completions
    assert headers["Content-Type"] == "application/vnd.git-lfs+json"
    assert headers["Accept"] == "application/vnd.git-lfs+json"
    assert "Authorization" not in headers
    assert json.loads(body) == {
        "oid": _sha(data),
        "parts": [{"partNumber": n, "etag": f'"etag-{n}"'} for n in range(1, 12)],
    }
    if source_kind == "fileobj":
        assert source.tell() == 0


def test_parts_of_one_file_are_sent_in_parallel(http: HubSession, mock: Any) -> None:
    data = b"ab" * 50
    op = CommitOperationAdd("big.bin", data)
    _batch_answer(mock, [_multipart_answer(_sha(data), 100, ["1", "2"], 50)])
    # Both part requests must be in flight at the same time to pass the barrier.
    barrier = threading.Barrier(2, timeout=5)

    def part(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        barrier.wait()
        return 200, {"etag": "e"}, ""

    mock.add_callback(responses.PUT, f"{STORAGE}/part/1", callback=part)
    mock.add_callback(responses.PUT, f"{STORAGE}/part/2", callback=part)
    mock.add(responses.POST, f"{STORAGE}/complete/{_sha(data)}")
    mock.add(responses.POST, f"{ENDPOINT}/verify")
    _upload(http, [op], num_threads=2)


def test_retried_part_resends_the_full_bytes(http: HubSession, mock: Any, tmp_path: Path) -> None:
    data = bytes(range(200))
    target = tmp_path / "big.bin"
    target.write_bytes(data)
    op = CommitOperationAdd("big.bin", str(target))
    _batch_answer(mock, [_multipart_answer(_sha(data), 200, ["00001", "00002"], 100)])
    seen: List[bytes] = []
    answers = iter([(503, {}, "busy"), (200, {"ETag": "e2"}, "")])

    def flaky(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
        seen.append(request.body)  # type: ignore[arg-type]
        return next(answers)

    waits: List[float] = []
    http.sleep = waits.append
    mock.add(responses.PUT, f"{STORAGE}/part/00001", headers={"ETag": "e1"})
    mock.add_callback(responses.PUT, f"{STORAGE}/part/00002", callback=flaky)
    mock.add(responses.POST, f"{STORAGE}/complete/{_sha(data)}")
    mock.add(responses.POST, f"{ENDPOINT}/verify")
    _upload(http, [op])
    assert seen == [data[100:], data[100:]]
    assert len(waits) == 1


def test_missing_etag_fails_the_object(http: HubSession, mock: Any) -> None:
    data = b"z" * 100
    _batch_answer(mock, [_multipart_answer(_sha(data), 100, ["1", "2"], 50)])
    mock.add(responses.PUT, f"{STORAGE}/part/1", headers={"ETag": "e1"})
    mock.add(responses.PUT, f"{STORAGE}/part/2")  # no ETag
    with pytest.raises(
        RuntimeError, match=r"^Error while uploading 'w\.bin' to the Hub\.$"
    ) as info:
        _upload(http, [CommitOperationAdd("w.bin", data)], num_threads=1)
    assert isinstance(info.value.__cause__, ValueError)
    assert "Invalid etag" in str(info.value.__cause__)
    assert not any("/complete/" in call.request.url for call in mock.calls)


@pytest.mark.parametrize(
    ("keys", "chunk_size"), [(["1"], 50), (["1", "2", "3"], 50), (["1", "2"], "big")]
)
def test_bad_multipart_instructions(
    http: HubSession, mock: Any, keys: List[str], chunk_size: Any
) -> None:
    data = b"z" * 100
    _batch_answer(mock, [_multipart_answer(_sha(data), 100, keys, chunk_size)])
    with pytest.raises(RuntimeError, match=r"Error while uploading 'w\.bin'") as info:
        _upload(http, [CommitOperationAdd("w.bin", data)])
    assert isinstance(info.value.__cause__, ValueError)
    assert not any(call.request.method == "PUT" for call in mock.calls)


def test_failed_transfer_is_wrapped_without_secrets(http: HubSession, mock: Any) -> None:
    ops = [CommitOperationAdd("a.bin", b"a"), CommitOperationAdd("b.bin", b"b")]
    _batch_answer(
        mock,
        [
            {"oid": _sha(b"a"), "size": 1, "actions": {"upload": {"href": f"{STORAGE}/a?sig=S1"}}},
            {"oid": _sha(b"b"), "size": 1, "actions": {"upload": {"href": f"{STORAGE}/b?sig=S2"}}},
        ],
    )
    mock.add(responses.PUT, f"{STORAGE}/a", status=200)
    mock.add(responses.PUT, f"{STORAGE}/b", status=403, body="denied")
    with pytest.raises(RuntimeError, match=r"Error while uploading 'b\.bin' to the Hub\.") as info:
        _upload(http, ops)
    cause = info.value.__cause__
    assert isinstance(cause, requests.HTTPError)
    assert "403" in str(cause) and "sig=S2" not in str(cause) and TOKEN not in str(cause)


def test_many_objects_no_token_on_storage(http: HubSession, mock: Any, tmp_path: Path) -> None:
    ops = []
    objects = []
    for i in range(6):
        data = f"content {i}".encode() * 30
        path = tmp_path / f"f{i}.bin"
        path.write_bytes(data)
        ops.append(CommitOperationAdd(f"f{i}.bin", str(path)))
        if i % 2:
            objects.append(
                _multipart_answer(_sha(data), len(data), ["1", "2"], (len(data) + 1) // 2)
            )
        else:
            objects.append(
                {
                    "oid": _sha(data),
                    "size": len(data),
                    "actions": {
                        "upload": {"href": f"{STORAGE}/basic/{i}?token=signed"},
                        "verify": {"href": f"{ENDPOINT}/verify"},
                    },
                }
            )
        mock.add(responses.POST, f"{STORAGE}/complete/{_sha(data)}")
    _batch_answer(mock, objects)
    mock.add(responses.PUT, f"{STORAGE}/part/1", headers={"ETag": "e"})
    mock.add(responses.PUT, f"{STORAGE}/part/2", headers={"ETag": "e"})
    for i in range(0, 6, 2):
        mock.add(responses.PUT, f"{STORAGE}/basic/{i}")
    mock.add(responses.POST, f"{ENDPOINT}/verify")
    _upload(http, ops, num_threads=3)
    storage_calls = [c for c in mock.calls if c.request.url.startswith(STORAGE)]
    assert len(storage_calls) == 3 + 3 * 2 + 3  # basic PUTs, parts, completions
    for call in storage_calls:
        assert "authorization" not in {k.lower() for k in call.request.headers}
        assert TOKEN not in call.request.url
        assert all(TOKEN not in str(v) for v in call.request.headers.values())
        body = call.request.body or b""
        assert TOKEN.encode() not in (body if isinstance(body, bytes) else body.encode())
    verify_calls = [c for c in mock.calls if c.request.url == f"{ENDPOINT}/verify"]
    assert len(verify_calls) == 6


# -- a source that is not what was hashed (issue 8) ----------------------------------------


def _changed_source(tmp_path: Path, change: str) -> Tuple[CommitOperationAdd, Path]:
    target = tmp_path / "weights.bin"
    target.write_bytes(X120)
    op = CommitOperationAdd("models/weights.bin", str(target))
    if change == "truncated":
        target.write_bytes(X120[:50])
    elif change == "grown":
        target.write_bytes(X120 + b"more")
    else:  # same size, new content, later modification time
        target.write_bytes(b"y" * 120)
        stat = target.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return op, target


@pytest.mark.parametrize("change", ["truncated", "grown", "rewritten"])
@pytest.mark.parametrize("multipart", [False, True])
def test_changed_source_fails_at_once_naming_the_file(
    http: HubSession, mock: Any, tmp_path: Path, change: str, multipart: bool
) -> None:
    """Was: the short read looked like a network error, retried 5 times (~13 s), then
    "RuntimeError: Error while uploading"."""
    op, target = _changed_source(tmp_path, change)
    if multipart:
        _batch_answer(mock, [_multipart_answer(X120_SHA, 120, ["1", "2"], 60)])
    else:
        actions = {"upload": {"href": f"{STORAGE}/up"}}
        _batch_answer(mock, [{"oid": X120_SHA, "size": 120, "actions": actions}])
    waits: List[float] = []
    http.sleep = waits.append
    with pytest.raises(SourceChangedError, match="changed after it was hashed") as caught:
        _upload(http, [op], num_threads=1)
    assert isinstance(caught.value, OSError)
    assert str(target) in str(caught.value) and "models/weights.bin" in str(caught.value)
    assert [call.request.method for call in mock.calls] == ["POST"]  # the batch call only
    assert waits == []


def test_slice_reader_failure_is_kept_for_the_session() -> None:
    op = CommitOperationAdd("a.bin", b"x" * 10)
    reader = SliceReader(io.BytesIO(b"abc"), 0, 10, describe=op.changed_error)
    assert reader.read(3) == b"abc"
    with pytest.raises(SourceChangedError, match=r"'a\.bin' changed after it was hashed"):
        reader.read()
    assert isinstance(reader.failure, SourceChangedError)


def test_batch_chunks_are_sent_side_by_side(
    http: HubSession, mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hfapi.constants.PREUPLOAD_CHUNK_SIZE", 2)
    ops = [CommitOperationAdd(f"f{i}.bin", bytes([i])) for i in range(6)]
    barrier = threading.Barrier(3, timeout=10)  # broken unless the 3 calls overlap

    def answer(request: Any) -> Any:
        barrier.wait()
        objects = json.loads(request.body)["objects"]
        actions = {"upload": {"href": f"{STORAGE}/x"}}
        return 200, {}, json.dumps({"objects": [{**o, "actions": actions} for o in objects]})

    mock.add_callback(responses.POST, BATCH_URL, callback=answer)
    uploads = request_lfs_uploads(
        http, batch_url=BATCH_URL, additions=ops, token=TOKEN, max_workers=3
    )
    assert [u.addition.path_in_repo for u in uploads] == [op.path_in_repo for op in ops]
