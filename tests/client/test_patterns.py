"""Which files an upload takes: pattern filters and the folder listing."""

from __future__ import annotations

import os
from fnmatch import fnmatch
from pathlib import Path
from typing import List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfapi.commit.patterns import (
    DEFAULT_IGNORE_PATTERNS,
    filter_paths,
    list_local_files,
    matches_any,
)

_PIECES = st.sampled_from(["a", "b", ".git", "x.txt", "*", "?", "[ab]", "[!a]", "**", "/", "."])
_PATHS = st.lists(st.sampled_from(["a", "b", ".git", "x.txt", "d", "[a]"]), min_size=1, max_size=4)


@given(
    paths=st.lists(_PATHS.map("/".join), min_size=1, max_size=5),
    patterns=st.lists(st.lists(_PIECES, min_size=1, max_size=4).map("".join), max_size=4),
)
def test_filters_agree_with_fnmatch_pattern_by_pattern(
    paths: List[str], patterns: List[str]
) -> None:
    def any_fnmatch(path: str, pats: List[str]) -> bool:
        return any(fnmatch(path, pattern) for pattern in pats)

    allowed = filter_paths(paths, allow_patterns=patterns)
    assert allowed == [p for p in paths if any_fnmatch(p, patterns)]
    ignored = filter_paths(paths, ignore_patterns=patterns + DEFAULT_IGNORE_PATTERNS)
    assert ignored == [p for p in paths if not any_fnmatch(p, patterns + DEFAULT_IGNORE_PATTERNS)]
    assert [matches_any(p, patterns) for p in paths] == [any_fnmatch(p, patterns) for p in paths]


def test_listing_is_sorted_by_components_with_dot_files_and_no_git(tmp_path: Path) -> None:
    for name in ["a/b", "a-c", ".hidden", "a/.git/config", "z/y/x.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    listed = list_local_files(str(tmp_path))
    assert listed == [".hidden", "a/.git/config", "a/b", "a-c", "z/y/x.txt"]
    assert filter_paths(listed, ignore_patterns=DEFAULT_IGNORE_PATTERNS) == [
        ".hidden",
        "a/b",
        "a-c",
        "z/y/x.txt",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_listing_follows_file_links_but_not_folder_links(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "f.txt").write_bytes(b"x")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"x")
    os.symlink(tmp_path / "real" / "f.txt", tmp_path / "link.txt")
    os.symlink(outside, tmp_path / "linked-folder")
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    os.mkfifo(tmp_path / "pipe")
    assert list_local_files(str(tmp_path)) == ["link.txt", "real/f.txt"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_listing_skips_unreadable_folders(tmp_path: Path) -> None:
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "f.txt").write_bytes(b"x")
    (tmp_path / "open.txt").write_bytes(b"x")
    (tmp_path / "closed").chmod(0)
    try:
        assert list_local_files(str(tmp_path)) == ["open.txt"]
    finally:
        (tmp_path / "closed").chmod(0o755)
