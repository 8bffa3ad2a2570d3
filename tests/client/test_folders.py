"""upload_folder's additions: hashed a chunk at a time, small contents kept within a budget."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import List

import pytest

from hfapi.api import _folders


def _write(root: Path, count: int, size: int) -> List[str]:
    names = []
    for index in range(count):
        name = f"d{index % 3}/f{index:03d}.txt"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(bytes([index % 256]) * size)
        names.append(name)
    return sorted(names)


def test_chunks_come_in_order_and_only_when_asked(tmp_path: Path) -> None:
    names = _write(tmp_path, 7, 10)
    chunks = _folders.hashed_addition_chunks(str(tmp_path), "up/", names, chunk_size=3)
    first = next(chunks)
    (tmp_path / names[-1]).unlink()  # not hashed yet: the last chunk finds it missing
    assert [op.path_in_repo for op in first] == [f"up/{n}" for n in names[:3]]
    assert [op.path_in_repo for op in next(chunks)] == [f"up/{n}" for n in names[3:6]]
    with pytest.raises(ValueError, match="is not a file on the local file system"):
        next(chunks)


def test_small_contents_are_kept_until_the_budget_is_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_folders, "KEEP_CONTENT_BUDGET", 250)
    names = _write(tmp_path, 6, 100)
    chunks = _folders.hashed_addition_chunks(
        str(tmp_path), "", names, chunk_size=256, keep_below=1000
    )
    additions = [op for chunk in chunks for op in chunk]
    kept = [op._kept_content is not None for op in additions]
    assert kept == [True, True, True, False, False, False]  # 300 bytes kept: over budget
    for op, name in zip(additions, names):
        expected = (tmp_path / name).read_bytes()
        assert op.upload_info.sha256 == hashlib.sha256(expected).digest()
        assert op.b64content() == base64.b64encode(expected)  # read again when not kept
