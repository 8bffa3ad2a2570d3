"""create_commit, upload_file, upload_folder, delete_file, delete_folder on the wire."""

from __future__ import annotations

import base64
import hashlib
import inspect
import json
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import responses
from _wire import ENDPOINT, TOKEN, UA, check_request, json_body, link, urls

from hfapi import (
    BadRequestError,
    EntryNotFoundError,
    HfApi,
    HfHubHTTPError,
    HFValidationError,
    RepositoryNotFoundError,
)
from hfapi.commit.operations import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)

REPO = "alice/repo"
API = f"{ENDPOINT}/api/models/{REPO}"
BATCH = f"{ENDPOINT}/{REPO}.git/info/lfs/objects/batch"
STORAGE = "https://storage.test"
OID = "e7da7f221d5bf496a48136c0cd264e630fe9fcc8"
COMMIT_URL = f"{ENDPOINT}/{REPO}/commit/{OID}"
HELLO_SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
SURFACE = Path(__file__).resolve().parents[1] / "reference" / "hfapi-0.16.4-surface.json"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _preupload(rsps: Any, modes: Dict[str, str], url: str = f"{API}/preupload/main") -> None:
    files = [{"path": path, "uploadMode": mode} for path, mode in modes.items()]
    rsps.add(responses.POST, url, json={"files": files})


def _commit(rsps: Any, url: str = f"{API}/commit/main", pr: Optional[int] = None) -> None:
    answer: Dict[str, Any] = {"success": True, "commitUrl": COMMIT_URL, "commitOid": OID}
    if pr is not None:
        answer["pullRequestUrl"] = f"{ENDPOINT}/{REPO}/discussions/{pr}"
    rsps.add(responses.POST, url, json=answer)


def _lines(call: Any) -> List[Dict[str, Any]]:
    body = call.request.body
    assert body.endswith(b"\n")
    assert call.request.headers["Content-Length"] == str(len(body))
    return [json.loads(line) for line in body.split(b"\n")[:-1]]


def _header(summary: str, description: str = "", **extra: str) -> Dict[str, Any]:
    return {"key": "header", "value": {"summary": summary, "description": description, **extra}}


# -- signatures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["create_commit", "upload_file", "upload_folder", "delete_file", "delete_folder"]
)
def test_signature_matches_reference(name: str) -> None:
    expected = json.loads(SURFACE.read_text())["methods"][name]
    signature = inspect.signature(getattr(HfApi, name))
    params = [p for p in signature.parameters.values() if p.name != "self"]
    assert [(p.name, p.kind.name) for p in params] == [
        (p["name"], p["kind"]) for p in expected["params"]
    ]
    for param, ref in zip(params, expected["params"]):
        assert param.annotation == ref["annotation"]
        if ref["has_default"]:
            assert repr(param.default) == ref["default"]
        else:
            assert param.default is inspect.Parameter.empty
    assert signature.return_annotation == expected["return_annotation"]


# -- create_commit flows -------------------------------------------------------------------


def test_regular_files_and_deletes(api: HfApi, rsps: Any) -> None:
    _preupload(rsps, {"dir/hello.txt": "regular"})
    _commit(rsps)
    info = api.create_commit(
        REPO,
        [CommitOperationAdd("dir/hello.txt", b"hello\n"), CommitOperationDelete("old/")],
        commit_message="My msg",
        commit_description="desc",
    )
    preupload, commit = rsps.calls
    check_request(
        preupload,
        "POST",
        f"{API}/preupload/main",
        body=json.dumps(
            {
                "files": [
                    {"path": "dir/hello.txt", "sample": "aGVsbG8K", "size": 6, "sha": HELLO_SHA}
                ]
            }
        ).encode(),
        content_type="application/json",
    )
    assert commit.request.url == f"{API}/commit/main"
    assert commit.request.headers["Content-Type"] == "application/x-ndjson"
    assert commit.request.headers["authorization"] == f"Bearer {TOKEN}"
    assert commit.request.headers["user-agent"] == UA
    assert "Transfer-Encoding" not in commit.request.headers
    assert commit.request.body == (
        b'{"key": "header", "value": {"summary": "My msg", "description": "desc"}}\n'
        b'{"key": "file", "value": {"content": "aGVsbG8K", "path": "dir/hello.txt",'
        b' "encoding": "base64"}}\n'
        b'{"key": "deletedFolder", "value": {"path": "old/"}}\n'
    )
    assert (info.commit_url, info.oid, info.commit_message) == (COMMIT_URL, OID, "My msg")
    assert (info.commit_description, info.pr_url, info.pr_num, info.pr_revision) == (
        "desc",
        None,
        None,
        None,
    )


def test_lfs_basic_flow_and_order(api: HfApi, rsps: Any, tmp_path: Path) -> None:
    weights = tmp_path / "w.bin"
    weights.write_bytes(b"\x00weights" * 10)
    data = weights.read_bytes()
    _preupload(rsps, {"w.bin": "lfs", "empty.pkl": "lfs", "present.bin": "lfs"})
    rsps.add(
        responses.POST,
        BATCH,
        json={
            "objects": [
                {
                    "oid": _sha(data),
                    "size": len(data),
                    "actions": {
                        "upload": {
                            "href": f"{STORAGE}/w?X-Amz-Signature=abc",
                            "header": {"a": "b"},
                        },
                        "verify": {"href": f"{ENDPOINT}/{REPO}.git/info/lfs/objects/verify"},
                    },
                },
                {"oid": _sha(b"present"), "size": 7},
            ]
        },
    )
    rsps.add(responses.PUT, f"{STORAGE}/w")
    rsps.add(responses.POST, f"{ENDPOINT}/{REPO}.git/info/lfs/objects/verify")
    _commit(rsps)
    api.create_commit(
        REPO,
        [
            CommitOperationAdd("w.bin", str(weights)),
            CommitOperationAdd("empty.pkl", b""),
            CommitOperationAdd("present.bin", b"present"),
        ],
        commit_message="weights",
    )
    assert urls(rsps) == [
        f"{API}/preupload/main",
        BATCH,
        f"{STORAGE}/w?X-Amz-Signature=abc",
        f"{ENDPOINT}/{REPO}.git/info/lfs/objects/verify",
        f"{API}/commit/main",
    ]
    batch = rsps.calls[1]
    assert (
        batch.request.headers["Authorization"]
        == "Basic " + base64.b64encode(f"access_token:{TOKEN}".encode()).decode()
    )
    # The empty file goes inline whatever the Hub said; it is not in the batch.
    assert [o["oid"] for o in json_body(batch)["objects"]] == [_sha(data), _sha(b"present")]
    put = rsps.calls[2].request
    assert put.body == data
    lowered = {key.lower() for key in put.headers}
    assert "authorization" not in lowered and "a" not in lowered
    assert put.headers["user-agent"] != UA  # no HF user-agent towards storage
    assert TOKEN not in json.dumps(dict(put.headers))
    assert (
        rsps.calls[3].request.headers["Authorization"]
        == "Basic " + base64.b64encode(f"USER:{TOKEN}".encode()).decode()
    )
    lines = _lines(rsps.calls[4])
    assert lines[1:] == [
        {
            "key": "lfsFile",
            "value": {"path": "w.bin", "algo": "sha256", "oid": _sha(data), "size": len(data)},
        },
        {"key": "file", "value": {"content": "", "path": "empty.pkl", "encoding": "base64"}},
        {
            "key": "lfsFile",
            "value": {"path": "present.bin", "algo": "sha256", "oid": _sha(b"present"), "size": 7},
        },
    ]


def test_lfs_multipart_end_to_end(api: HfApi, rsps: Any) -> None:
    data = bytes(range(250))
    header = {"chunk_size": "100", "00001": f"{STORAGE}/p1", "00002": f"{STORAGE}/p2"}
    header["00003"] = f"{STORAGE}/p3"
    _preupload(rsps, {"big.bin": "lfs"}, url=f"{ENDPOINT}/api/datasets/{REPO}/preupload/main")
    rsps.add(
        responses.POST,
        f"{ENDPOINT}/datasets/{REPO}.git/info/lfs/objects/batch",
        json={
            "objects": [
                {
                    "oid": _sha(data),
                    "size": 250,
                    "actions": {"upload": {"href": f"{STORAGE}/done", "header": header}},
                }
            ]
        },
    )
    for n in (1, 2, 3):
        rsps.add(responses.PUT, f"{STORAGE}/p{n}", headers={"ETag": f'"e{n}"'})
    rsps.add(responses.POST, f"{STORAGE}/done")
    _commit(rsps, url=f"{ENDPOINT}/api/datasets/{REPO}/commit/main")
    api.create_commit(
        REPO, [CommitOperationAdd("big.bin", data)], commit_message="m", repo_type="dataset"
    )
    bodies = {c.request.url: c.request.body for c in rsps.calls if c.request.method == "PUT"}
    assert bodies == {
        f"{STORAGE}/p1": data[:100],
        f"{STORAGE}/p2": data[100:200],
        f"{STORAGE}/p3": data[200:],
    }
    completion = next(c for c in rsps.calls if c.request.url == f"{STORAGE}/done")
    assert "authorization" not in {k.lower() for k in completion.request.headers}
    assert json_body(completion) == {
        "oid": _sha(data),
        "parts": [{"partNumber": n, "etag": f'"e{n}"'} for n in (1, 2, 3)],
    }


def _preupload_echo(rsps: Any, barrier: Optional[threading.Barrier] = None) -> None:
    """Answer every preupload call with ``regular`` for the paths it asked about."""

    def answer(request: Any) -> Any:
        if barrier is not None:
            barrier.wait()  # every chunk must be in flight at once to get past this
        files = [
            {"path": f["path"], "uploadMode": "regular"} for f in json.loads(request.body)["files"]
        ]
        return 200, {}, json.dumps({"files": files})

    rsps.add_callback(responses.POST, f"{API}/preupload/main", callback=answer)


def test_preupload_is_batched_by_256(api: HfApi, rsps: Any) -> None:
    ops = [CommitOperationAdd(f"f{i}.txt", b"x") for i in range(300)]
    _preupload_echo(rsps)
    _commit(rsps)
    api.create_commit(REPO, ops, commit_message="many")
    # The two chunks may go out in either order (they are sent side by side).
    sizes = sorted(len(json_body(call)["files"]) for call in rsps.calls[:2])
    assert sizes == [44, 256]
    assert len(_lines(rsps.calls[2])) == 301


def test_preupload_chunks_are_sent_side_by_side(api: HfApi, rsps: Any) -> None:
    # Three chunks, three workers: each answer waits until all three calls arrived, which
    # never happens when they are sent one after another (the barrier then breaks).
    ops = [CommitOperationAdd(f"f{i}.txt", b"x") for i in range(600)]
    _preupload_echo(rsps, threading.Barrier(3, timeout=10))
    _commit(rsps)
    api.create_commit(REPO, ops, commit_message="many", num_threads=3)
    assert len(_lines(rsps.calls[3])) == 601
    assert all(
        line["value"]["path"] == f"f{i}.txt" for i, line in enumerate(_lines(rsps.calls[3])[1:])
    )


def test_preupload_one_thread_is_sequential(api: HfApi, rsps: Any) -> None:
    ops = [CommitOperationAdd(f"f{i}.txt", b"x") for i in range(300)]
    _preupload_echo(rsps)
    _commit(rsps)
    api.create_commit(REPO, ops, commit_message="many", num_threads=1)
    assert [len(json_body(call)["files"]) for call in rsps.calls[:2]] == [256, 44]


def test_create_pr_revision_and_parent(api: HfApi, rsps: Any) -> None:
    _preupload(rsps, {"a.txt": "regular"}, url=f"{API}/preupload/refs%2Fpr%2F1?create_pr=1")
    _commit(rsps, url=f"{API}/commit/refs%2Fpr%2F1?create_pr=1", pr=3)
    info = api.create_commit(
        REPO,
        [CommitOperationAdd("a.txt", b"a")],
        commit_message="m",
        revision="refs/pr/1",
        create_pr=True,
        parent_commit="ABCdef1",
    )
    assert (info.pr_url, info.pr_num, info.pr_revision) == (
        f"{ENDPOINT}/{REPO}/discussions/3",
        3,
        "refs/pr/3",
    )
    assert _lines(rsps.calls[1])[0] == _header("m", parentCommit="ABCdef1")


def test_empty_commit_is_a_single_post(api: HfApi, rsps: Any) -> None:
    _commit(rsps, url=f"{API}/commit/feature%20x")
    api.create_commit(REPO, iter([]), commit_message=" ", revision="feature x")
    assert _lines(rsps.calls[0]) == [_header(" ")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parent_commit": "xyz12", "commit_message": ""}, "parent_commit"),
        ({"parent_commit": "abcd"}, "parent_commit"),
        ({"parent_commit": "a" * 41}, "parent_commit"),
        ({"commit_message": ""}, "commit_message"),
        ({"commit_message": None}, "commit_message"),
        ({"repo_type": "models"}, "Invalid repo type"),
    ],
)
def test_checks_before_any_request(api: HfApi, rsps: Any, kwargs: Dict[str, Any], message: str):
    arguments: Dict[str, Any] = {"commit_message": "m", **kwargs}
    with pytest.raises(ValueError, match=message):
        api.create_commit(REPO, [CommitOperationAdd("a", b"a")], **arguments)
    with pytest.raises(HFValidationError):
        api.create_commit("bad--id", [], commit_message="m")


def test_no_write_token_fails_before_any_request(anon: HfApi, rsps: Any) -> None:
    with pytest.raises(ValueError, match="Token is required"):
        anon.create_commit(REPO, [CommitOperationAdd("a", b"a")], commit_message="m")
    with pytest.raises(ValueError, match="personal account token"):
        anon.create_commit(REPO, [], commit_message="m", token="api_org_123")


def test_overwrite_warning(api: HfApi, rsps: Any) -> None:
    _preupload(rsps, {"d/a.txt": "regular"})
    _commit(rsps)
    with pytest.warns(UserWarning, match="deleted in this commit"):
        api.create_commit(
            REPO,
            [CommitOperationAdd("d/a.txt", b"x"), CommitOperationDelete("d/")],
            commit_message="m",
        )


# -- copies --------------------------------------------------------------------------------


def _paths_info(rsps: Any, rev: str, entries: List[Dict[str, Any]]) -> None:
    rsps.add(responses.POST, f"{API}/paths-info/{rev}", json=entries)


def _lfs_entry(path: str, sha: str) -> Dict[str, Any]:
    return {
        "type": "file",
        "path": path,
        "size": 11,
        "oid": "1" * 40,
        "lfs": {"oid": sha, "size": 11, "pointerSize": 127},
        "lastCommit": {"id": OID},
    }


def test_copies_grouped_by_consecutive_revision(api: HfApi, rsps: Any) -> None:
    _paths_info(
        rsps, "main", [_lfs_entry("lfs.bin", "a" * 64), _lfs_entry("other/w.bin", "b" * 64)]
    )
    _paths_info(rsps, "v1.0%2Fx", [_lfs_entry("lfs.bin", "c" * 64)])
    _paths_info(rsps, "main", [_lfs_entry("third.bin", "d" * 64)])
    _commit(rsps)
    api.create_commit(
        REPO,
        [
            CommitOperationCopy("lfs.bin", "copy1.bin"),
            CommitOperationCopy("other/w.bin", "copy2.bin"),
            CommitOperationCopy("lfs.bin", "old.bin", src_revision="v1.0/x"),
            CommitOperationCopy("third.bin", "copy3.bin"),
            CommitOperationDelete("lfs.bin"),
        ],
        commit_message="copies",
    )
    first = rsps.calls[0]
    check_request(
        first,
        "POST",
        f"{API}/paths-info/main",
        body=b"paths=lfs.bin&paths=other%2Fw.bin&expand=True",
        content_type="application/x-www-form-urlencoded",
    )
    assert rsps.calls[1].request.body == "paths=lfs.bin&expand=True"
    lines = _lines(rsps.calls[3])
    assert [line["value"].get("oid") for line in lines[1:]] == [
        "a" * 64,
        "b" * 64,
        "c" * 64,
        "d" * 64,
        None,
    ]
    assert lines[1] == {
        "key": "lfsFile",
        "value": {"path": "copy1.bin", "algo": "sha256", "oid": "a" * 64},
    }


def test_copy_errors(api: HfApi, rsps: Any) -> None:
    regular = {"type": "file", "path": "r.txt", "size": 3, "oid": "2" * 40}
    _paths_info(rsps, "main", [regular])
    with pytest.raises(NotImplementedError, match="non-LFS"):
        api.create_commit(REPO, [CommitOperationCopy("r.txt", "c.txt")], commit_message="m")
    _paths_info(rsps, "main", [])
    with pytest.raises(EntryNotFoundError, match=r"Cannot copy gone\.bin at revision main"):
        api.create_commit(REPO, [CommitOperationCopy("gone.bin", "c.bin")], commit_message="m")


def test_copy_of_folder_lists_it_then_reports_missing(api: HfApi, rsps: Any) -> None:
    _paths_info(
        rsps, "main", [{"type": "directory", "path": "sub/dir", "size": 0, "oid": "3" * 40}]
    )
    rsps.add(
        responses.GET,
        f"{API}/tree/main/sub%2Fdir?recursive=True&expand=False",
        json=[_lfs_entry("sub/dir/a.bin", "e" * 64)],
    )
    with pytest.raises(EntryNotFoundError):
        api.create_commit(REPO, [CommitOperationCopy("sub/dir", "x")], commit_message="m")


def test_copies_are_batched_by_500(api: HfApi, rsps: Any) -> None:
    copies = [CommitOperationCopy(f"f{i}.bin", f"c{i}.bin") for i in range(501)]
    _paths_info(rsps, "main", [_lfs_entry(f"f{i}.bin", "a" * 64) for i in range(500)])
    _paths_info(rsps, "main", [_lfs_entry("f500.bin", "a" * 64)])
    _commit(rsps)
    api.create_commit(REPO, copies, commit_message="m")
    assert rsps.calls[1].request.body == "paths=f500.bin&expand=True"


# -- errors, retries -----------------------------------------------------------------------


def test_commit_post_is_not_retried(api: HfApi, rsps: Any, sleeps: List[float]) -> None:
    rsps.add(responses.POST, f"{API}/commit/main", status=503, json={"error": "busy"})
    with pytest.raises(HfHubHTTPError, match="busy"):
        api.create_commit(REPO, [], commit_message="m")
    assert len(rsps.calls) == 1 and sleeps == []


def test_preupload_is_retried(api: HfApi, rsps: Any, sleeps: List[float]) -> None:
    rsps.add(responses.POST, f"{API}/preupload/main", status=503)
    _preupload(rsps, {"a": "regular"})
    _commit(rsps)
    api.create_commit(REPO, [CommitOperationAdd("a", b"a")], commit_message="m")
    assert len(sleeps) == 1
    assert rsps.calls[0].request.body == rsps.calls[1].request.body


def test_bad_request_on_commit(api: HfApi, rsps: Any) -> None:
    rsps.add(responses.POST, f"{API}/commit/main", status=400, json={"error": "Invalid path"})
    with pytest.raises(BadRequestError, match="Bad request for commit endpoint:") as info:
        api.create_commit(REPO, [], commit_message="m")
    assert "Invalid path" in str(info.value)
    assert TOKEN not in str(info.value)


@pytest.mark.parametrize("where", ["preupload", "commit"])
def test_repo_not_found_gets_a_hint(api: HfApi, rsps: Any, where: str) -> None:
    headers = {"X-Error-Code": "RepoNotFound", "X-Request-Id": "req-1"}
    rsps.add(responses.POST, f"{API}/{where}/main", status=404, headers=headers)
    operations = [CommitOperationAdd("a", b"a")] if where == "preupload" else []
    with pytest.raises(RepositoryNotFoundError, match="create_repo") as info:
        api.create_commit(REPO, operations, commit_message="m")
    assert "req-1" in str(info.value) and TOKEN not in str(info.value)


def test_preupload_malformed_stops(api: HfApi, rsps: Any) -> None:
    rsps.add(responses.POST, f"{API}/preupload/main", json={"files": [{"path": "a"}]})
    with pytest.raises(ValueError, match="improperly formatted"):
        api.create_commit(REPO, [CommitOperationAdd("a", b"a")], commit_message="m")


def test_batch_errors_stop_before_commit(api: HfApi, rsps: Any) -> None:
    _preupload(rsps, {"a.bin": "lfs"})
    error = {"oid": _sha(b"a"), "size": 1, "error": {"code": 422, "message": "no space"}}
    rsps.add(responses.POST, BATCH, json={"objects": [error]})
    with pytest.raises(ValueError, match="no space"):
        api.create_commit(REPO, [CommitOperationAdd("a.bin", b"a")], commit_message="m")


def test_transfer_failure_stops_before_commit(api: HfApi, rsps: Any) -> None:
    _preupload(rsps, {"a.bin": "lfs"})
    action = {"upload": {"href": f"{STORAGE}/a?sig=secret"}}
    rsps.add(
        responses.POST, BATCH, json={"objects": [{"oid": _sha(b"a"), "size": 1, "actions": action}]}
    )
    rsps.add(responses.PUT, f"{STORAGE}/a", status=403)
    with pytest.raises(RuntimeError, match=r"Error while uploading 'a\.bin' to the Hub\.") as info:
        api.create_commit(REPO, [CommitOperationAdd("a.bin", b"a")], commit_message="m")
    text = f"{info.value} {info.value.__cause__}"
    assert TOKEN not in text and "secret" not in text


def test_delete_of_missing_file(api: HfApi, rsps: Any) -> None:
    headers = {
        "X-Error-Code": "EntryNotFound",
        "X-Error-Message": 'A file with the name "x" does not exist',
    }
    rsps.add(responses.POST, f"{API}/commit/main", status=404, headers=headers)
    with pytest.raises(EntryNotFoundError, match="does not exist") as info:
        api.delete_file("x", REPO)
    assert "is_folder" not in str(info.value)


# -- upload_file / delete_* ----------------------------------------------------------------


def test_upload_file_urls_and_messages(api: HfApi, rsps: Any, tmp_path: Path) -> None:
    local = tmp_path / "y.txt"
    local.write_bytes(b"y")
    space = f"{ENDPOINT}/api/spaces/{REPO}"
    _preupload(rsps, {"x/y.txt": "regular"}, url=f"{space}/preupload/main")
    _commit(rsps, url=f"{space}/commit/main")
    url = api.upload_file(
        path_or_fileobj=local, path_in_repo="/x/y.txt", repo_id=REPO, repo_type="space"
    )
    # The URL names where the file landed (the reference returns ".../blob/main//x/y.txt").
    assert url == f"{ENDPOINT}/spaces/{REPO}/blob/main/x/y.txt"
    assert _lines(rsps.calls[1])[0] == _header("Upload /x/y.txt with huggingface_hub")

    _preupload(rsps, {"x/y.txt": "regular"}, url=f"{API}/preupload/main?create_pr=1")
    _commit(rsps, url=f"{API}/commit/main?create_pr=1", pr=3)
    url = api.upload_file(
        path_or_fileobj=b"y", path_in_repo="x/y.txt", repo_id=REPO, create_pr=True
    )
    assert url == f"{ENDPOINT}/{REPO}/blob/refs%2Fpr%2F3/x/y.txt"

    _preupload(rsps, {"x/y.txt": "regular"}, url=f"{API}/preupload/refs%2Fpr%2F7")
    _commit(rsps, url=f"{API}/commit/refs%2Fpr%2F7")
    url = api.upload_file(
        path_or_fileobj=b"y",
        path_in_repo="x/y.txt",
        repo_id=REPO,
        revision="refs/pr/7",
        commit_message="custom",
    )
    assert url == f"{ENDPOINT}/{REPO}/blob/refs/pr/7/x/y.txt"
    with pytest.raises(ValueError, match="Invalid repo type"):
        api.upload_file(path_or_fileobj=b"y", path_in_repo="y", repo_id=REPO, repo_type="x")


def test_delete_file_and_folder(api: HfApi, rsps: Any) -> None:
    for _ in range(3):
        _commit(rsps)
    api.delete_file("a/b.txt", REPO)
    api.delete_file("logs/", REPO, commit_message="wipe", commit_description="d")
    api.delete_folder("/logs", REPO)
    assert [_lines(call) for call in rsps.calls] == [
        [
            _header("Delete a/b.txt with huggingface_hub"),
            {"key": "deletedFile", "value": {"path": "a/b.txt"}},
        ],
        [_header("wipe", "d"), {"key": "deletedFolder", "value": {"path": "logs/"}}],
        [
            _header("Delete folder /logs with huggingface_hub"),
            {"key": "deletedFolder", "value": {"path": "logs"}},
        ],
    ]


# -- upload_folder -------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "out"
    for rel, content in {
        "a-c.txt": b"1",
        "a/b.txt": b"2",
        "a/.git/config": b"3",
        ".git/HEAD": b"4",
        ".gitignore": b"5",
        "logs/run.log": b"6",
        "weights.bin": b"7",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)
    return root


def test_upload_folder_selection_and_order(api: HfApi, rsps: Any, folder: Path) -> None:
    expected = ["exp/.gitignore", "exp/a/b.txt", "exp/a-c.txt", "exp/weights.bin"]
    _preupload(rsps, {path: "regular" for path in expected})
    _commit(rsps)
    ignore = ["logs/*"]
    url = api.upload_folder(
        repo_id=REPO,
        folder_path=folder,
        path_in_repo="exp",
        ignore_patterns=ignore,
        commit_message="",
    )
    assert url == f"{ENDPOINT}/{REPO}/tree/main/exp"
    assert ignore == ["logs/*"]  # the caller's list is not modified
    assert [f["path"] for f in json_body(rsps.calls[0])["files"]] == expected
    lines = _lines(rsps.calls[1])
    assert lines[0] == _header("Upload exp with huggingface_hub")
    assert [line["value"]["path"] for line in lines[1:]] == expected


def test_upload_folder_delete_patterns(api: HfApi, rsps: Any, folder: Path) -> None:
    tree = f"{API}/tree/main?recursive=True&expand=False"
    page2 = f"{API}/tree/main?recursive=True&expand=False&cursor=2"
    rsps.add(
        responses.GET,
        tree,
        json=[
            {"type": "file", "path": ".gitattributes"},
            {"type": "directory", "path": "logs"},
            {"type": "file", "path": "logs/old.log"},
        ],
        headers=link(page2),
    )
    rsps.add(
        responses.GET,
        page2,
        json=[{"type": "file", "path": "weights.bin"}, {"type": "file", "path": "keep.md"}],
    )
    _preupload(rsps, {"weights.bin": "regular"}, url=f"{API}/preupload/dev?create_pr=1")
    _commit(rsps, url=f"{API}/commit/dev?create_pr=1", pr=5)
    url = api.upload_folder(
        repo_id=REPO,
        folder_path=str(folder),
        allow_patterns=["*.bin"],
        delete_patterns=["*.log", "*.bin", ".git*"],
        revision="dev",
        create_pr=True,
    )
    assert url == f"{ENDPOINT}/{REPO}/tree/refs%2Fpr%2F5/"
    check_request(rsps.calls[0], "GET", tree)  # PRs list main, not the revision
    lines = _lines(rsps.calls[-1])
    assert lines[1:] == [
        {"key": "deletedFile", "value": {"path": "logs/old.log"}},
        {"key": "file", "value": {"content": "Nw==", "path": "weights.bin", "encoding": "base64"}},
    ]


def test_upload_folder_errors(api: HfApi, rsps: Any, folder: Path) -> None:
    empty = folder / "empty"
    empty.mkdir()
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="no step"):
        api.upload_folder(repo_id=REPO, folder_path=empty, multi_commits=True)
    with pytest.raises(ValueError, match="main"):
        api.upload_folder(repo_id=REPO, folder_path=folder, multi_commits=True, revision="dev")
    with pytest.raises(ValueError, match="is not a directory"):
        api.upload_folder(repo_id=REPO, folder_path=folder / "a-c.txt")


# -- background jobs -----------------------------------------------------------------------


def test_run_as_future_is_fifo(api: HfApi, rsps: Any) -> None:
    gate = threading.Event()
    order: List[str] = []

    def answer(request: Any) -> Any:
        gate.wait(5)
        order.append(json.loads(request.body.split(b"\n")[0])["value"]["summary"])
        return 200, {}, json.dumps({"commitUrl": COMMIT_URL, "commitOid": OID})

    rsps.add_callback(responses.POST, f"{API}/commit/main", callback=answer)
    _preupload(rsps, {"e.txt": "regular"})
    first = api.create_commit(REPO, [], commit_message="first", run_as_future=True)
    second = api.upload_file(
        path_or_fileobj=b"", path_in_repo="e.txt", repo_id=REPO, run_as_future=True
    )
    third = api.upload_folder(repo_id=REPO, folder_path="/does/not/exist", run_as_future=True)
    gate.set()
    assert first.result(5).commit_message == "first"
    assert second.result(5) == f"{ENDPOINT}/{REPO}/blob/main/e.txt"
    with pytest.raises(ValueError, match="is not a directory"):
        third.result(5)
    assert order == ["first", "Upload e.txt with huggingface_hub"]
    with pytest.raises(HFValidationError):  # checked synchronously
        api.upload_file(path_or_fileobj=b"", path_in_repo="e", repo_id="a/b/c", run_as_future=True)
