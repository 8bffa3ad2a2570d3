"""CommitOperationAdd/Delete/Copy: path rules, validation, hashing, reading, warnings."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import os
import threading
import tracemalloc
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfapi import _progress
from hfapi.commit.operations import (
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    UploadInfo,
    normalize_path_in_repo,
    open_regular_file,
    warn_on_overwriting_operations,
)
from hfapi.commit.slices import SliceReader, open_slice

HELLO_SHA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
EMPTY_SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
X120_SHA = "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"

# -- path normalisation (protocol §1.1) ---------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/a", "a"),
        ("./a", "a"),
        ("/./a", "a"),
        ("a\\b", "a\\b"),
        ("a/", "a/"),
        ("a/b/", "a/b/"),
        (".gitignore", ".gitignore"),
        ("a/.gitx", "a/.gitx"),
        ("x/something.git/more", "x/something.git/more"),
        ("données/é.txt", "données/é.txt"),
        ("...", "..."),
        ("a..b/.c", "a..b/.c"),
    ],
)
def test_normalisation_table(raw: str, expected: str) -> None:
    assert normalize_path_in_repo(raw) == expected


# The reference accepts (and sends) the ones after "../a"; the Hub has to refuse them.
@pytest.mark.parametrize(
    "raw",
    [
        *(".", "..", "../a", "/..", "/../a", ".git", ".git/x", "./.git/x", "a/.git/b", "a/.git"),
        *("//a", "./../a", "./..", "a/../b", "a/./b", "a/..", "a//b", "", "/", "./", "//"),
        *("a\0b", "\0", "a/\0/b", "a/b//"),
    ],
)
def test_normalisation_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="Invalid `path_in_repo` in CommitOperation"):
        normalize_path_in_repo(raw)


@pytest.mark.parametrize("raw", [None, 3, b"a.txt", Path("a.txt"), ["a"]])
def test_normalisation_needs_a_string(raw: object) -> None:
    with pytest.raises(TypeError, match="`path_in_repo` must be a string"):
        normalize_path_in_repo(raw)  # type: ignore[arg-type]


def _reference_rule(path: str) -> str:
    """The rules, written independently as a test oracle."""
    if path[:1] == "/":
        path = path[1:]
    if path[:2] == "./":
        path = path[2:]
    parts = path.split("/")
    if len(parts) > 1 and parts[-1] == "":
        parts = parts[:-1]
    if "\0" in path or any(part in ("", ".", "..", ".git") for part in parts):
        raise ValueError
    return path


_segments = st.sampled_from(["a", ".", "..", ".git", "", "b.txt", ".gitx", "x y", "é", "\0"])
_paths = st.lists(_segments, max_size=5).map("/".join) | st.text(max_size=12)


@given(_paths)
def test_normalisation_matches_rules(path: str) -> None:
    try:
        expected = _reference_rule(path)
    except ValueError:
        with pytest.raises(ValueError):
            normalize_path_in_repo(path)
        return
    assert normalize_path_in_repo(path) == expected


@given(_paths)
def test_normalisation_properties(path: str) -> None:
    try:
        result = normalize_path_in_repo(path)
    except ValueError:
        return
    parts = result.rstrip("/").split("/")
    assert result and "\0" not in result
    assert not {".git", ".", "..", ""} & set(parts)
    assert result in (path, path[1:], path[2:], path[3:])  # only prefixes are removed


# -- CommitOperationAdd --------------------------------------------------------------------


def test_add_from_bytes_vectors() -> None:
    op = CommitOperationAdd("/dir/hello.txt", b"hello\n")
    assert op.path_in_repo == "dir/hello.txt"
    assert op.upload_info == UploadInfo(bytes.fromhex(HELLO_SHA), 6, b"hello\n")
    assert op.b64content() == b"aGVsbG8K"
    empty = CommitOperationAdd("e", b"")
    assert empty.upload_info.sha256.hex() == EMPTY_SHA
    assert empty.upload_info.size == 0 and empty.upload_info.sample == b""


def test_add_from_path_and_pathlib(tmp_path: Path) -> None:
    target = tmp_path / "f.bin"
    target.write_bytes(b"x" * 120)
    by_str = CommitOperationAdd("f.bin", str(target))
    by_path = CommitOperationAdd("f.bin", target)
    assert by_path.path_or_fileobj == str(target)  # a Path is stored as str
    for op in (by_str, by_path):
        assert op.upload_info.sha256.hex() == X120_SHA
        assert op.upload_info.size == 120
        assert op.upload_info.sample == b"x" * 120


def test_add_path_with_tilde_is_read_from_the_expanded_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "f.bin").write_bytes(b"hello\n")
    op = CommitOperationAdd("f.bin", "~/f.bin")
    assert op.path_or_fileobj == "~/f.bin"
    assert op.upload_info.sha256.hex() == HELLO_SHA
    with op.as_file() as stream:
        assert stream.read() == b"hello\n"


def test_add_large_file_sample_and_hash(tmp_path: Path) -> None:
    data = os.urandom(5 * 1024 * 1024 + 17)  # spans several read chunks
    target = tmp_path / "big.bin"
    target.write_bytes(data)
    info = CommitOperationAdd("big.bin", str(target)).upload_info
    assert info.sha256 == hashlib.sha256(data).digest()
    assert info.size == len(data)
    assert info.sample == data[:512]


def test_hashing_streams_without_loading_the_file(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    with open(target, "wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: cheap to create
    _progress.disable_progress_bars()
    try:
        tracemalloc.start()
        op = CommitOperationAdd("big.bin", str(target))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        _progress.enable_progress_bars()
    assert op.upload_info.size == 64 * 1024 * 1024
    assert peak < 12 * 1024 * 1024


def test_add_from_fileobj_quirks() -> None:
    stream = io.BytesIO(b"0123456789")
    stream.seek(4)
    op = CommitOperationAdd("f", stream)
    # Sample from the current position, hash and size from offset 0, left at 0.
    assert op.upload_info.sample == b"456789"
    assert op.upload_info.sha256 == hashlib.sha256(b"0123456789").digest()
    assert op.upload_info.size == 10
    assert stream.tell() == 0
    stream.seek(3)
    with op.as_file(with_tqdm=True) as same:
        assert same is stream
        assert same.read() == b"3456789"  # not rewound
    assert stream.tell() == 3  # position restored on exit
    stream.seek(0)
    assert op.b64content() == b"MDEyMzQ1Njc4OQ=="


def test_add_from_real_file_handle(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"hello\n")
    with open(target, "rb") as handle:
        op = CommitOperationAdd("f", handle)
        assert op.upload_info.sha256.hex() == HELLO_SHA


@pytest.mark.parametrize(
    "source",
    [
        io.StringIO("text"),
        bytearray(b"x"),
        memoryview(b"x"),
        123,
        None,
    ],
)
def test_add_rejects_non_binary_sources(source: object) -> None:
    with pytest.raises(ValueError, match="binary mode"):
        CommitOperationAdd("f", source)  # type: ignore[arg-type]


def test_add_rejects_text_and_raw_files(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    with open(target) as text, pytest.raises(ValueError, match="binary mode"):
        CommitOperationAdd("f", text)  # type: ignore[arg-type]
    with open(target, "rb", buffering=0) as raw, pytest.raises(ValueError, match="binary mode"):
        CommitOperationAdd("f", raw)  # type: ignore[arg-type]


def test_add_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ValueError, match="is not a file on the local file system") as info:
        CommitOperationAdd("f", str(missing))
    assert f"'{missing}'" in str(info.value)
    with pytest.raises(ValueError, match="is not a file"):
        CommitOperationAdd("f", str(tmp_path))  # a directory


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_add_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    # Opening a FIFO for reading blocks until a writer comes: the check must not hang.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="is not a file on the local file system"):
        CommitOperationAdd("f", str(fifo))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_add_unreadable_file_says_permission_denied(tmp_path: Path) -> None:
    target = tmp_path / "secret"
    target.write_bytes(b"x")
    target.chmod(0)
    with pytest.raises(PermissionError):
        CommitOperationAdd("f", str(target))


@pytest.mark.parametrize("size", [0, 10, 70_000, 2 * 1024 * 1024])
def test_a_folder_addition_reads_a_small_file_once(tmp_path: Path, size: int) -> None:
    # upload_folder builds its additions from open files and keeps small contents:
    # the commit then carries exactly what was hashed, without reading the file again.
    data = os.urandom(size)
    target = tmp_path / "f.bin"
    target.write_bytes(data)
    handle = open_regular_file(str(target))
    op = CommitOperationAdd._of_open_file("d/f.bin", str(target), handle, keep_below=64 * 1024)
    assert handle.closed
    assert op == CommitOperationAdd("d/f.bin", str(target))  # same fields, same hash
    target.write_bytes(b"changed")
    if size < 64 * 1024:
        assert op.b64content() == base64.b64encode(data)
    else:
        with pytest.raises(OSError, match="changed after it was hashed"):
            op.b64content()


def test_a_folder_addition_refuses_a_bad_path_and_closes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"x")
    handle = open_regular_file(str(target))
    with pytest.raises(ValueError, match="Invalid `path_in_repo`"):
        CommitOperationAdd._of_open_file(".git/x", str(target), handle, keep_below=0)
    assert handle.closed


def test_add_stream_without_seek() -> None:
    class NoSeek(io.BufferedIOBase):
        def readable(self) -> bool:
            return True

    with pytest.raises(ValueError, match=r"seek\(\) and tell\(\)"):
        CommitOperationAdd("f", NoSeek())


def test_add_invalid_path_in_repo() -> None:
    with pytest.raises(ValueError, match="Invalid `path_in_repo`"):
        CommitOperationAdd(".git/config", b"x")


def test_add_dataclass_surface(tmp_path: Path) -> None:
    names = [f.name for f in dataclasses.fields(CommitOperationAdd)]
    assert names == ["path_in_repo", "path_or_fileobj", "upload_info"]
    init = [f.name for f in dataclasses.fields(CommitOperationAdd) if f.init]
    assert init == ["path_in_repo", "path_or_fileobj"]
    target = tmp_path / "w.h5"
    target.write_bytes(b"x")
    op = CommitOperationAdd("remote/dir/w.h5", str(target))
    assert repr(op) == (
        f"CommitOperationAdd(path_in_repo='remote/dir/w.h5', path_or_fileobj='{target}')"
    )


def test_as_file_for_path_and_bytes(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"abc" * 1000)
    op = CommitOperationAdd("f", str(target))
    with op.as_file() as first:
        assert first.read() == b"abc" * 1000
    assert first.closed
    with op.as_file(with_tqdm=True) as second:  # fresh handle every time
        assert second.read(3) == b"abc"
        assert len(second) == 2997  # type: ignore[arg-type]
        assert second.read() == b"abc" * 999
    op_bytes = CommitOperationAdd("g", b"xyz")
    with op_bytes.as_file() as one, op_bytes.as_file() as two:
        assert one is not two
        assert one.read() == two.read() == b"xyz"


@given(st.binary(max_size=3000))
def test_b64content_matches_one_shot_encoding(data: bytes) -> None:
    import base64

    op = CommitOperationAdd("f", data)
    assert op.b64content() == base64.b64encode(data)


def test_b64content_detects_changed_file(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"hello\n")
    op = CommitOperationAdd("f", str(target))
    target.write_bytes(b"hello world\n")
    with pytest.raises(OSError, match="changed after it was hashed"):
        op.b64content()


# -- slices --------------------------------------------------------------------------------


def test_slice_reader_reads_exact_range() -> None:
    reads = []
    reader = SliceReader(io.BytesIO(b"0123456789"), 3, 5, on_read=reads.append)
    assert len(reader) == 5
    assert reader.read(2) == b"34"
    assert reader.read() == b"567"
    assert reader.read() == b""
    assert reads == [2, 3]


def test_slices_share_a_stream_under_a_lock() -> None:
    stream = io.BytesIO(bytes(range(256)) * 64)
    lock = threading.Lock()
    slices = [SliceReader(stream, i * 4096, 4096, lock=lock, owns_stream=False) for i in range(4)]
    # Interleaved reads from several slices of one stream still return the right bytes.
    pieces: dict = {i: b"" for i in range(4)}
    for _ in range(8):
        for i, piece in enumerate(slices):
            pieces[i] += piece.read(512)
    for i in range(4):
        assert pieces[i] == (bytes(range(256)) * 64)[i * 4096 : (i + 1) * 4096]
    for piece in slices:
        piece.close()
    assert not stream.closed


def test_slice_reader_truncated_source() -> None:
    reader = SliceReader(io.BytesIO(b"abc"), 0, 10)
    assert reader.read(3) == b"abc"
    with pytest.raises(OSError, match="modified or truncated"):
        reader.read()


def test_open_slice_of_each_source_kind(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_bytes(b"0123456789")
    for source in (str(target), b"0123456789", io.BytesIO(b"0123456789")):
        op = CommitOperationAdd("f", source)  # type: ignore[arg-type]
        reader = open_slice(op, 2, 4)
        assert reader.read() == b"2345"
        reader.close()


# -- Delete / Copy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "is_folder", "expected_path", "expected_flag"),
    [
        ("a", "auto", "a", False),
        ("a/", "auto", "a/", True),
        ("/a/", "auto", "a/", True),
        ("a/", False, "a/", False),
        ("a", True, "a", True),
    ],
)
def test_delete_is_folder(path: str, is_folder: object, expected_path: str, expected_flag: bool):
    op = CommitOperationDelete(path, is_folder=is_folder)  # type: ignore[arg-type]
    assert (op.path_in_repo, op.is_folder) == (expected_path, expected_flag)


def test_delete_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="Wrong value for `is_folder`"):
        CommitOperationDelete("a", is_folder="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Invalid `path_in_repo`"):
        CommitOperationDelete("..")
    assert (
        repr(CommitOperationDelete("x"))
        == "CommitOperationDelete(path_in_repo='x', is_folder=False)"
    )


def test_copy_normalises_both_paths() -> None:
    op = CommitOperationCopy("/src.bin", "./dst.bin")
    assert op == CommitOperationCopy("src.bin", "dst.bin", None)
    assert [f.name for f in dataclasses.fields(op)] == [
        "src_path_in_repo",
        "path_in_repo",
        "src_revision",
    ]
    with pytest.raises(ValueError):
        CommitOperationCopy("a", ".git/b")


# -- overwrite warnings (§1.6) -------------------------------------------------------------


def _warnings_for(ops: list) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_on_overwriting_operations(ops)
    return [str(w.message) for w in caught]


def test_overwrite_warnings() -> None:
    add = CommitOperationAdd
    assert len(_warnings_for([add("a.txt", b"1"), add("a.txt", b"2")])) == 1
    assert len(_warnings_for([add("d/e/f.txt", b"1"), CommitOperationDelete("d/")])) == 1
    assert len(_warnings_for([add("d/e/f.txt", b"1"), CommitOperationDelete("d/e")])) == 1
    assert len(_warnings_for([add("a.txt", b"1"), CommitOperationDelete("a.txt")])) == 1
    # Delete then add (replace a folder) is silent, as are unrelated paths.
    assert _warnings_for([CommitOperationDelete("d/"), add("d/f.txt", b"1")]) == []
    assert _warnings_for([add("d2/f", b"1"), CommitOperationDelete("d")]) == []
    assert _warnings_for([add("a", b""), CommitOperationCopy("x", "a")]) == []


# -- progress switches ---------------------------------------------------------------------


def test_progress_switches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_progress, "_enabled", True)
    monkeypatch.setattr(_progress.constants, "HF_HUB_DISABLE_PROGRESS_BARS", None)
    _progress.disable_progress_bars()
    assert _progress.are_progress_bars_disabled()
    assert _progress.tqdm(total=1).disable
    _progress.enable_progress_bars()
    assert not _progress.are_progress_bars_disabled()
    # The environment variable wins over the functions, with a warning.
    monkeypatch.setattr(_progress.constants, "HF_HUB_DISABLE_PROGRESS_BARS", False)
    with pytest.warns(UserWarning, match="has priority"):
        _progress.disable_progress_bars()
    assert not _progress.are_progress_bars_disabled()
    monkeypatch.setattr(_progress.constants, "HF_HUB_DISABLE_PROGRESS_BARS", True)
    monkeypatch.setattr(_progress, "_enabled", False)
    with pytest.warns(UserWarning, match="has priority"):
        _progress.enable_progress_bars()
    assert _progress.are_progress_bars_disabled()


def test_progress_counter_is_lazy_and_closable() -> None:
    counter = _progress.ProgressCounter("f.bin", 10)
    counter.update(0)
    assert counter._bar is None
    counter.update(4)
    counter.update(-2)
    assert counter._bar is not None and counter._bar.n == 2
    counter.close()
    counter.update(5)  # ignored after close
    assert counter._bar.n == 2


@pytest.mark.parametrize("stale_size", [0, 5, 9, 10, 50])
def test_a_small_file_is_read_whole_even_if_it_grew_since_its_stat(
    tmp_path: Path, stale_size: int
) -> None:
    from hfapi.commit.operations import _read_to_end

    target = tmp_path / "f"
    target.write_bytes(b"0123456789")
    with open(target, "rb", buffering=0) as handle:
        assert _read_to_end(handle, stale_size) == b"0123456789"
