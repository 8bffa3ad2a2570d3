"""Which files an upload takes: allow / ignore / delete patterns and folder listing.

Patterns are shell wildcards matched against the whole relative path with
:func:`fnmatch.fnmatch`: ``*`` crosses ``/``, ``**`` is just two ``*``, there is no
prefix matching (``data/`` does not match ``data/x``), and matching follows the
platform's case rules. These are the reference client's semantics, kept so the same
patterns select the same files.
"""

from __future__ import annotations

import os
import re
from fnmatch import translate
from typing import Any, Callable, Dict, Iterable, List, Optional, TypeVar, Union

__all__ = [
    "DEFAULT_IGNORE_PATTERNS",
    "as_pattern_list",
    "filter_paths",
    "list_local_files",
    "matches_any",
    "remote_paths_to_delete",
]

T = TypeVar("T")

Patterns = Optional[Union[List[str], str]]

#: Always added to ``ignore_patterns``: any ``.git`` folder, at any depth.
DEFAULT_IGNORE_PATTERNS = [".git", ".git/*", "*/.git", "**/.git/**"]


def as_pattern_list(patterns: Patterns) -> Optional[List[str]]:
    """``None`` stays ``None``; a single string becomes a one-element list (a copy otherwise)."""
    if patterns is None:
        return None
    if isinstance(patterns, str):
        return [patterns]
    return list(patterns)


def matches_any(path: str, patterns: Iterable[str]) -> bool:
    """Whether ``path`` matches at least one pattern.

    Example:
        >>> matches_any("a/b/c.txt", ["*.txt"])
        True
    """
    return _matcher(list(patterns))(path)


def filter_paths(
    items: Iterable[T],
    *,
    allow_patterns: Patterns = None,
    ignore_patterns: Patterns = None,
    key: Optional[Callable[[T], str]] = None,
) -> List[T]:
    """Keep the items whose path matches the allow list (if any) and no ignore pattern.

    Args:
        items: paths, or objects from which ``key`` extracts a path.
        allow_patterns: keep only paths matching one of these (all when ``None``).
        ignore_patterns: drop paths matching any of these.
        key: path of an item (the item itself by default).

    Returns:
        The kept items, in their original order.

    Example:
        >>> filter_paths(["a.txt", "b.bin"], allow_patterns="*.txt")
        ['a.txt']
    """
    allow_list = as_pattern_list(allow_patterns)
    allowed = None if allow_list is None else _matcher(allow_list)
    ignored = _matcher(as_pattern_list(ignore_patterns) or [])
    kept = []
    for item in items:
        path = key(item) if key is not None else item
        assert isinstance(path, str)
        if allowed is not None and not allowed(path):
            continue
        if ignored(path):
            continue
        kept.append(item)
    return kept


def _matcher(patterns: List[str]) -> Callable[[str], bool]:
    """Whether a path matches any of ``patterns``: one regex for all of them, compiled once.

    Same answers as :func:`fnmatch.fnmatch` pattern by pattern (both sides go through
    ``os.path.normcase`` and :func:`fnmatch.translate`), at one match per path instead of
    one per pattern.
    """
    if not patterns:
        return lambda path: False
    combined = "|".join(f"(?:{translate(os.path.normcase(p))})" for p in patterns)
    match = re.compile(combined).match
    return lambda path: match(os.path.normcase(path)) is not None


def list_local_files(folder: str) -> List[str]:
    """Every regular file below ``folder``, as sorted relative POSIX paths.

    Dot-files are included; symlinks to files count, symlinked folders are not entered.
    Sorting compares path components (``a/b`` before ``a-c``), like sorting
    ``pathlib.Path`` objects.

    Args:
        folder: an existing directory.

    Returns:
        Relative paths with ``/`` separators.

    Example:
        >>> list_local_files("checkpoints")
        ['config.json', 'sub/weights.bin']
    """
    found: List[str] = []
    # scandir's entries know their type from the directory listing: no stat per file
    # (os.walk + isfile + relpath cost 3 system calls and ~15 µs per file).
    folders = [("", folder)]
    while folders:
        prefix, current = folders.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue  # unreadable folder: skipped, as os.walk does
        for entry in entries:
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    found.append(prefix + entry.name)
            except OSError:
                continue  # vanished or unreadable meanwhile
    return sorted(found, key=lambda path: path.split("/"))


def remote_paths_to_delete(
    entries: Iterable[Dict[str, Any]], prefix: str, delete_patterns: Union[List[str], str]
) -> List[str]:
    """Remote files (tree entries) under ``prefix`` matching a delete pattern.

    Patterns are matched against the path relative to ``prefix``. The root
    ``.gitattributes`` is never deleted.

    Args:
        entries: tree listing entries (``{"type", "path", ...}``); folders are skipped.
        prefix: ``"<path_in_repo>/"``, or ``""`` for the whole repo.
        delete_patterns: one pattern or a list of them.

    Returns:
        Full paths in listing order.

    Example:
        >>> remote_paths_to_delete([{"type": "file", "path": "logs/a.txt"}], "logs/", "*.txt")
        ['logs/a.txt']
    """
    doomed = _matcher(as_pattern_list(delete_patterns) or [])
    found = []
    for entry in entries:
        path = entry.get("path")
        if entry.get("type") != "file" or not isinstance(path, str):
            continue
        if path == ".gitattributes" or not path.startswith(prefix):
            continue
        if doomed(path[len(prefix) :]):
            found.append(path)
    return found
