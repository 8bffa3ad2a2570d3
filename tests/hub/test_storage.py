"""Storage of contents: small ones in the database, large ones in files, batches atomic."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator

import pytest

from hfapi.hub.storage import SMALL_CONTENT_MAX, Storage


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    store = Storage(str(tmp_path), fsync=False)
    yield store
    store.close()


def _oid(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _files_under(root: str) -> int:
    return sum(len(files) for _dirs, _subdirs, files in os.walk(os.path.join(root, "objects")))


@pytest.mark.parametrize("size", [0, 1, SMALL_CONTENT_MAX, SMALL_CONTENT_MAX + 1])
def test_contents_read_back_whatever_their_size(storage: Storage, size: int) -> None:
    data = os.urandom(size)
    storage.put_content("git", _oid(data), data)
    assert storage.has_content("git", _oid(data))
    assert storage.content_size("git", _oid(data)) == size
    with storage.open_content("git", _oid(data)) as handle:
        assert handle.read() == data
    assert b"".join(storage.read_range("git", _oid(data), 1, 10)) == data[1:11]
    # Small contents take no file of their own; large ones do.
    assert _files_under(storage.root) == (size > SMALL_CONTENT_MAX)


def test_unknown_content_is_not_found(storage: Storage) -> None:
    assert not storage.has_content("git", "0" * 40)
    with pytest.raises(FileNotFoundError):
        storage.open_content("git", "0" * 40)
    with pytest.raises(FileNotFoundError):
        storage.content_size("lfs", "0" * 64)


def test_kinds_are_separate(storage: Storage) -> None:
    storage.put_content("git", "ab" * 20, b"git side")
    assert not storage.has_content("lfs", "ab" * 20)


def test_a_batch_lands_with_its_transaction_or_not_at_all(storage: Storage) -> None:
    batch = storage.content_batch("git")
    small = [os.urandom(100) for _ in range(50)]
    for data in small:
        batch.add(_oid(data), data)
    assert not any(storage.has_content("git", _oid(data)) for data in small)
    with pytest.raises(RuntimeError), storage.transaction() as db:
        batch.write(db)
        raise RuntimeError("the commit failed after its contents were written")
    assert not any(storage.has_content("git", _oid(data)) for data in small)

    for data in small:
        batch.add(_oid(data), data)
    with storage.transaction() as db:
        batch.write(db)
    assert all(storage.has_content("git", _oid(data)) for data in small)


def test_a_batch_spills_past_its_budget_and_stores_large_contents_at_once(
    storage: Storage,
) -> None:
    batch = storage.content_batch("git", spill_bytes=1000)
    first, second = os.urandom(600), os.urandom(600)
    batch.add(_oid(first), first)
    assert not storage.has_content("git", _oid(first))
    batch.add(_oid(second), second)  # 1,200 bytes waiting: over the budget
    assert storage.has_content("git", _oid(first)) and storage.has_content("git", _oid(second))
    large = os.urandom(SMALL_CONTENT_MAX + 1)
    batch.add(_oid(large), large)
    assert storage.has_content("git", _oid(large))


def test_wipe_forgets_small_contents(storage: Storage) -> None:
    storage.put_content("git", "cd" * 20, b"small")
    storage.wipe()
    assert not storage.has_content("git", "cd" * 20)
