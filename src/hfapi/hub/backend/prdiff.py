"""Pull-request arithmetic on flattened trees: changes, conflicts, merges and diffs.

A pull request is compared with its target through their merge base, as ``git diff
target...pr`` does: the PR's changes are what differs between the base and the PR's head,
the target's changes what differs between the base and the target's head. A path both
sides changed, to different contents, is a conflict. Everything here works on
``{path: blob id}`` mappings and reads blob contents through a callable, so it knows
nothing of storage or HTTP.
"""

from __future__ import annotations

import difflib
from typing import Callable, Dict, Iterable, List, Mapping, Optional

#: ``{path: blob id}`` of one commit's tree.
Files = Mapping[str, str]
#: ``{path: new blob id, or None when the path was deleted}``.
Changes = Dict[str, Optional[str]]

#: Git's rule of thumb: a NUL byte in the first 8000 bytes makes a file binary.
_BINARY_SNIFF = 8000
_FILE_MODE = "100644"


def changes(base: Files, head: Files) -> Changes:
    """The paths whose content differs between two trees, with their new blob (or ``None``)."""
    paths = sorted(set(base) | set(head))
    return {path: head.get(path) for path in paths if base.get(path) != head.get(path)}


def conflicts(pr_changes: Changes, target_changes: Changes) -> List[str]:
    """Paths both sides changed, to different results (the same change twice is no conflict)."""
    return sorted(
        path
        for path, blob in pr_changes.items()
        if path in target_changes and target_changes[path] != blob
    )


def apply(files: Files, pr_changes: Changes) -> Dict[str, str]:
    """The tree ``files`` with a PR's changes laid over it."""
    merged = dict(files)
    for path, blob in pr_changes.items():
        if blob is None:
            merged.pop(path, None)
        else:
            merged[path] = blob
    return merged


def merge_base(pr_history: Iterable[str], target_history: Iterable[str]) -> Optional[str]:
    """The newest commit of the PR's history that the target's history also holds.

    Both histories are first-parent walks, newest first; merges made here are squashed
    into one single-parent commit, so first parents are enough.
    """
    on_target = set(target_history)
    return next((oid for oid in pr_history if oid in on_target), None)


def unified_diff(base: Files, pr_changes: Changes, read: Callable[[str], bytes]) -> str:
    """Render a PR's changes as ``git diff`` would (one section per changed path).

    Args:
        base: the tree the changes are measured from.
        pr_changes: the changes, from :func:`changes`.
        read: returns the content of a blob id.
    """
    sections = []
    for path, new in pr_changes.items():
        old = base.get(path)
        sections.append(_file_diff(path, old, new, read))
    return "".join(sections)


def _file_diff(
    path: str, old: Optional[str], new: Optional[str], read: Callable[[str], bytes]
) -> str:
    header = [f"diff --git a/{path} b/{path}"]
    if old is None:
        header.append(f"new file mode {_FILE_MODE}")
        header.append(f"index 0000000..{str(new)[:7]}")
    elif new is None:
        header.append(f"deleted file mode {_FILE_MODE}")
        header.append(f"index {old[:7]}..0000000")
    else:
        header.append(f"index {old[:7]}..{new[:7]} {_FILE_MODE}")
    before = read(old) if old is not None else b""
    after = read(new) if new is not None else b""
    source = f"a/{path}" if old is not None else "/dev/null"
    target = f"b/{path}" if new is not None else "/dev/null"
    if _is_binary(before) or _is_binary(after):
        header.append(f"Binary files {source} and {target} differ")
        return "\n".join(header) + "\n"
    body = _text_hunks(before, after, source, target)
    return "\n".join(header) + "\n" + body


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:_BINARY_SNIFF]


def _text_hunks(before: bytes, after: bytes, source: str, target: str) -> str:
    old_lines = before.decode("utf-8", "replace").splitlines(keepends=True)
    new_lines = after.decode("utf-8", "replace").splitlines(keepends=True)
    out = []
    lines = difflib.unified_diff(old_lines, new_lines, source, target, lineterm="")
    for index, line in enumerate(lines):
        # The two file headers come first; hunk headers start with "@@", which no
        # content line can (those start with " ", "-" or "+").
        if index < 2 or line.startswith("@@"):
            out.append(line + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:
            # As git says it, so that a diff of a file without a final newline is exact.
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
