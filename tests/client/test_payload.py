"""Preupload body and NDJSON commit body."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfapi._validators import normalize_repo_path
from hfapi.commit.operations import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)
from hfapi.commit.payload import (
    CommitBody,
    commit_body,
    copy_key,
    effective_upload_mode,
    parse_preupload_answer,
    preupload_payload,
)

HELLO_SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
SMALL_BIN = b"small binary file"  # 17 bytes
SMALL_SHA = hashlib.sha256(SMALL_BIN).hexdigest()


def test_preupload_payload_shape() -> None:
    ops = [
        CommitOperationAdd("dir/regular.txt", b"hello\n"),
        CommitOperationAdd("big.bin", b"x" * 120),
        CommitOperationAdd("empty", b""),
    ]
    payload = preupload_payload(ops)
    assert payload == {
        "files": [
            {"path": "dir/regular.txt", "sample": "aGVsbG8K", "size": 6, "sha": HELLO_SHA},
            {
                "path": "big.bin",
                "sample": base64.b64encode(b"x" * 120).decode(),
                "size": 120,
                "sha": "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98",
            },
            {"path": "empty", "sample": "", "size": 0, "sha": ops[2].upload_info.sha256.hex()},
        ]
    }
    assert list(payload["files"][0]) == ["path", "sample", "size", "sha"]


def test_preupload_sample_is_512_bytes() -> None:
    op = CommitOperationAdd("f", bytes(range(256)) * 4)
    sample = preupload_payload([op])["files"][0]["sample"]
    assert base64.b64decode(sample) == (bytes(range(256)) * 4)[:512]


def test_parse_preupload_answer() -> None:
    answer = {
        "files": [
            {"path": "a", "uploadMode": "lfs", "shouldIgnore": False, "oid": "x"},
            {"path": "b", "uploadMode": "regular"},
        ],
        "extra": 1,
    }
    assert parse_preupload_answer(answer) == {"a": "lfs", "b": "regular"}


@pytest.mark.parametrize(
    "answer",
    [
        {},
        [],
        {"files": {}},
        {"files": [{"path": "a"}]},
        {"files": [{"path": "a", "uploadMode": "git"}]},
        {"files": [{"path": 1, "uploadMode": "lfs"}]},
        {"files": ["a"]},
    ],
)
def test_parse_preupload_answer_malformed(answer: Any) -> None:
    with pytest.raises(ValueError, match="preupload_info is improperly formatted"):
        parse_preupload_answer(answer)


def test_effective_upload_mode() -> None:
    empty = CommitOperationAdd("empty.pkl", b"")
    full = CommitOperationAdd("x.pkl", b"x")
    assert effective_upload_mode(empty, {"empty.pkl": "lfs"}) == "regular"
    assert effective_upload_mode(full, {"x.pkl": "lfs"}) == "lfs"
    with pytest.raises(ValueError, match="missing from the preupload answer"):
        effective_upload_mode(full, {})


def test_commit_body_captured_example() -> None:
    copy = CommitOperationCopy("lfs.bin", "copy of lfs.bin")
    ops = [
        CommitOperationAdd("dir/regular.txt", b"hello\n"),
        CommitOperationAdd("small.bin", SMALL_BIN),
        CommitOperationDelete("old/"),
        CommitOperationDelete("old.txt"),
        copy,
    ]
    body = commit_body(
        ops,
        {"dir/regular.txt": "regular", "small.bin": "lfs"},
        {copy_key(copy): "b" * 64},
        commit_message="My msg",
        commit_description="desc",
        parent_commit="abcdef1",
    )
    expected = (
        '{"key": "header", "value": {"summary": "My msg", "description": "desc",'
        ' "parentCommit": "abcdef1"}}\n'
        '{"key": "file", "value": {"content": "aGVsbG8K", "path": "dir/regular.txt",'
        ' "encoding": "base64"}}\n'
        '{"key": "lfsFile", "value": {"path": "small.bin", "algo": "sha256", "oid": "'
        + SMALL_SHA
        + '", "size": 17}}\n'
        '{"key": "deletedFolder", "value": {"path": "old/"}}\n'
        '{"key": "deletedFile", "value": {"path": "old.txt"}}\n'
        '{"key": "lfsFile", "value": {"path": "copy of lfs.bin", "algo": "sha256", "oid": "'
        + "b" * 64
        + '"}}\n'
    ).encode()
    assert len(body) == len(expected)
    assert body.read() == expected


def test_commit_body_header_only_and_defaults() -> None:
    body = commit_body([], {}, {}, commit_message="Empty")
    assert body.read() == (b'{"key": "header", "value": {"summary": "Empty", "description": ""}}\n')


def test_commit_body_non_ascii_is_escaped() -> None:
    op = CommitOperationAdd("données/é.txt", b"x")
    body = commit_body([op], {"données/é.txt": "regular"}, {}, commit_message="été")
    data = body.read()
    assert data.decode("ascii")  # pure ASCII on the wire
    assert b'"summary": "\\u00e9t\\u00e9"' in data
    assert b'"path": "donn\\u00e9es/\\u00e9.txt"' in data


def test_commit_body_empty_file_goes_inline_even_if_lfs() -> None:
    op = CommitOperationAdd("empty.pkl", b"")
    body = commit_body([op], {"empty.pkl": "lfs"}, {}, commit_message="m").read()
    assert body.splitlines()[1] == (
        b'{"key": "file", "value": {"content": "", "path": "empty.pkl", "encoding": "base64"}}'
    )


def test_commit_body_streams_files_lazily(tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    data = b"line of text\n" * 400_000  # ~5 MB: several read chunks
    target.write_bytes(data)
    op = CommitOperationAdd("big.txt", str(target))
    body = commit_body([op], {"big.txt": "regular"}, {}, commit_message="m")
    chunks: List[bytes] = []
    while True:
        chunk = body.read(1024 * 1024)
        if not chunk:
            break
        assert len(chunk) <= 1024 * 1024
        chunks.append(chunk)
    joined = b"".join(chunks)
    assert len(joined) == len(body)
    line = json.loads(joined.splitlines()[1])
    assert base64.b64decode(line["value"]["content"]) == data


def test_commit_body_detects_a_file_changed_since_hashing(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"hello\n")
    op = CommitOperationAdd("f.txt", str(target))
    target.write_bytes(b"hello, longer\n")
    body = commit_body([op], {"f.txt": "regular"}, {}, commit_message="m")
    with pytest.raises(OSError, match="changed after it was hashed"):
        body.read()


_text = st.text(max_size=20)


def _valid_component(name: str) -> bool:
    try:
        normalize_repo_path(name)
    except ValueError:
        return False
    return True


_path = st.text(
    alphabet=st.characters(blacklist_characters="/", codec="utf-8"), min_size=1, max_size=8
).filter(_valid_component)  # only what the client accepts as a repo path


@st.composite
def _operations(draw: Any) -> Dict[str, Any]:
    ops: List[Any] = []
    modes: Dict[str, str] = {}
    copies: Dict[str, str] = {}
    for index in range(draw(st.integers(0, 6))):
        name = f"{index}/{draw(_path)}"
        kind = draw(st.sampled_from(["regular", "lfs", "delete", "copy"]))
        if kind in ("regular", "lfs"):
            ops.append(CommitOperationAdd(name, draw(st.binary(max_size=64))))
            modes[name] = kind
        elif kind == "delete":
            ops.append(CommitOperationDelete(name, is_folder=draw(st.booleans())))
        else:
            op = CommitOperationCopy(draw(_path), name, draw(st.none() | _path))
            copies[copy_key(op)] = draw(st.text("0123456789abcdef", min_size=64, max_size=64))
            ops.append(op)
    return {"ops": ops, "modes": modes, "copies": copies}


def _oracle(spec: Dict[str, Any], message: str, description: Any, parent: Any) -> bytes:
    header: Dict[str, Any] = {"summary": message, "description": description or ""}
    if parent is not None:
        header["parentCommit"] = parent
    lines = [{"key": "header", "value": header}]
    for op in spec["ops"]:
        if isinstance(op, CommitOperationAdd):
            data = op.path_or_fileobj
            if spec["modes"][op.path_in_repo] == "regular" or not data:
                value = {"content": base64.b64encode(data).decode(), "path": op.path_in_repo}
                lines.append({"key": "file", "value": {**value, "encoding": "base64"}})
            else:
                value = {"path": op.path_in_repo, "algo": "sha256"}
                value["oid"] = op.upload_info.sha256.hex()
                lines.append({"key": "lfsFile", "value": {**value, "size": len(data)}})
        elif isinstance(op, CommitOperationDelete):
            key = "deletedFolder" if op.is_folder else "deletedFile"
            lines.append({"key": key, "value": {"path": op.path_in_repo}})
        else:
            oid = spec["copies"][copy_key(op)]
            value = {"path": op.path_in_repo, "algo": "sha256", "oid": oid}
            lines.append({"key": "lfsFile", "value": value})
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


@settings(max_examples=60, deadline=None)
@given(
    _operations(),
    _text.filter(bool),
    st.none() | _text,
    st.none() | st.text("0123456789abcdef", min_size=5, max_size=40),
    st.integers(1, 50),
)
def test_commit_body_property(
    spec: Dict[str, Any], message: str, description: Any, parent: Any, block: int
) -> None:
    body = commit_body(
        spec["ops"],
        spec["modes"],
        spec["copies"],
        commit_message=message,
        commit_description=description,
        parent_commit=parent,
    )
    expected = _oracle(spec, message, description, parent)
    assert len(body) == len(expected)
    pieces = []
    while True:
        piece = body.read(block)
        if not piece:
            break
        pieces.append(piece)
    data = b"".join(pieces)
    assert data == expected
    assert data.endswith(b"\n")
    lines = data.split(b"\n")[:-1]
    assert len(lines) == 1 + len(spec["ops"])
    assert all(json.loads(line)["key"] for line in lines)


def test_commit_body_read_all_after_partial() -> None:
    body = CommitBody([b"abc\n", b"def\n"])
    assert body.read(2) == b"ab"
    assert body.read() == b"c\ndef\n"
    assert body.read() == b""
    assert body.read(10) == b""
