"""What to tell the caller when the answer to a commit request is lost.

The commit call is never retried (a second commit could land), so when the
connection drops or times out after the request was sent, the commit may or may
not be on the branch. The engine then reads the branch (read-only calls, only after
such a failure) and this module decides, from what it read, between three truthful
outcomes: the commit landed (its :class:`CommitInfo` is returned), it was not
applied (:class:`CommitNotAppliedError`), or nobody can tell
(:class:`CommitOutcomeUnknownError`, with the page to check).

"Landed" is decided on evidence only: the commit's title is the commit message, its
parent is the head the caller expected (when ``parent_commit`` was given), and its
tree carries every added path with the expected blob or LFS id and none of the
deleted ones.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

import requests

from ..errors import CommitNotAppliedError, CommitOutcomeUnknownError
from .operations import (
    READ_CHUNK_SIZE,
    CommitOperation,
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)
from .payload import copy_key, effective_upload_mode

__all__ = [
    "CommitNotAppliedError",
    "CommitOutcomeUnknownError",
    "ExpectedEntry",
    "expected_tree",
    "Search",
    "find_landed_commit",
    "git_blob_id",
    "lost_answer_message",
    "not_sent_error",
    "tree_matches",
    "unlanded_error",
]

#: Commits of the branch looked at, newest first, when searching for the lost one.
HISTORY_DEPTH = 20


@dataclass(frozen=True)
class ExpectedEntry:
    """What one path must look like in the tree of the landed commit.

    Attributes:
        kind: ``"lfs"`` (``oid`` is the sha256), ``"blob"`` (``oid`` is the git blob
            id) or ``"absent"`` (a deleted file or folder).
        oid: the expected id, ``None`` for ``"absent"``.
    """

    kind: str
    oid: Optional[str] = None


_ABSENT = ExpectedEntry("absent")


def git_blob_id(addition: CommitOperationAdd) -> str:
    """The git blob id (SHA-1 of ``blob <size>\\0<content>``) of an addition's content.

    Example:
        >>> git_blob_id(CommitOperationAdd("a.txt", b"hello\\n"))
        'ce013625030ba8dba906f756967f9e9ca394464a'
    """
    digest = hashlib.sha1(b"blob %d\x00" % addition.upload_info.size)
    with addition.as_file() as stream:
        if stream is addition.path_or_fileobj:
            stream.seek(0, io.SEEK_SET)  # a caller's stream: its content starts at 0
        while True:
            chunk = stream.read(READ_CHUNK_SIZE)
            if not chunk:
                break
            digest.update(chunk)
    return digest.hexdigest()


def expected_tree(
    operations: Iterable[CommitOperation],
    modes: Mapping[str, str],
    copy_oids: Mapping[str, str],
) -> Dict[str, ExpectedEntry]:
    """The state of every path the operations touch, once the commit has landed.

    Operations apply in order: a later addition wins over an earlier one; a folder
    deletion removes what was added under it before, and stays unchecked if a later
    addition puts files back under it.

    Args:
        operations: the commit's operations, in order.
        modes: upload mode per added path (from preupload).
        copy_oids: LFS sha256 of each copy's source, keyed by :func:`copy_key`.

    Returns:
        ``{path: ExpectedEntry}`` (folder paths without their trailing ``/``).
    """
    expected: Dict[str, ExpectedEntry] = {}
    for operation in operations:
        if isinstance(operation, CommitOperationAdd):
            if effective_upload_mode(operation, modes) == "lfs":
                entry = ExpectedEntry("lfs", operation.upload_info.sha256.hex())
            else:
                entry = ExpectedEntry("blob", git_blob_id(operation))
            expected[operation.path_in_repo] = entry
        elif isinstance(operation, CommitOperationCopy):
            expected[operation.path_in_repo] = ExpectedEntry("lfs", copy_oids[copy_key(operation)])
        elif isinstance(operation, CommitOperationDelete):
            path = operation.path_in_repo.rstrip("/")
            if operation.is_folder:
                for inner in [p for p in expected if p.startswith(path + "/")]:
                    del expected[inner]
            expected[path] = _ABSENT
    present = [path for path, entry in expected.items() if entry is not _ABSENT]
    return {
        path: entry
        for path, entry in expected.items()
        if entry is not _ABSENT or not any(p.startswith(path + "/") for p in present)
    }


def tree_matches(expected: Mapping[str, ExpectedEntry], entries: Sequence[Any]) -> bool:
    """Whether paths-info entries (at the candidate commit) show the expected state.

    Args:
        expected: from :func:`expected_tree`.
        entries: the Hub's paths-info answer for ``expected``'s paths.
    """
    found: Dict[str, Dict[str, Any]] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            found[entry["path"]] = entry
    for path, wanted in expected.items():
        entry = found.get(path)
        if wanted.kind == "absent":
            if entry is not None:
                return False
            continue
        if entry is None or entry.get("type", "file") != "file":
            return False
        lfs = entry.get("lfs")
        if wanted.kind == "lfs":
            actual = (lfs.get("oid") or lfs.get("sha256")) if isinstance(lfs, dict) else None
        else:
            actual = entry.get("oid") if lfs is None else None
        if actual != wanted.oid:
            return False
    return True


@dataclass(frozen=True)
class Search:
    """Where the lost commit can be in the branch's history.

    Attributes:
        oid: the commit that may be ours (to check against the expected tree), or
            ``None`` when no commit can be.
        conclusive: with ``oid``, it is the only commit that can be ours; without,
            the history shows that the commit is not on the branch.
    """

    oid: Optional[str]
    conclusive: bool


def find_landed_commit(
    history: Sequence[Mapping[str, Any]],
    commit_message: str,
    parent_commit: Optional[str],
) -> Search:
    """Look for the lost commit in ``history`` (the branch's commits, newest first).

    With ``parent_commit``, the Hub applies the commit only on top of that parent, so
    only the commit right after it can be ours. Without, the head with the commit's
    title is taken for ours; an older commit with that title may be an earlier
    identical commit, which is not conclusive.

    Example:
        >>> find_landed_commit([{"id": "b", "title": "m"}, {"id": "a", "title": "x"}], "m", "a")
        Search(oid='b', conclusive=True)
    """
    titles = {commit_message, commit_message.strip()}
    ids: List[str] = [str(item.get("id", "")) for item in history]
    if parent_commit is not None:
        wanted = parent_commit.lower()
        for index, oid in enumerate(ids):
            if oid.lower().startswith(wanted):
                after = history[index - 1] if index > 0 else None
                if after is None or after.get("title") not in titles:
                    return Search(None, conclusive=True)
                return Search(ids[index - 1], conclusive=True)
        return Search(None, conclusive=False)  # the parent is out of sight
    for index, item in enumerate(history):
        if item.get("title") in titles:
            return Search(ids[index], conclusive=index == 0)
    return Search(None, conclusive=True)


def lost_answer_message(error: BaseException) -> str:
    """First sentence of every outcome error: what happened to the request."""
    kind = "timed out" if isinstance(error, requests.Timeout) else "was lost"
    return f"The connection to the Hub {kind} before it answered the commit request"


def not_sent_error(error: requests.RequestException) -> CommitNotAppliedError:
    """The error for a commit request that failed before its body was fully sent."""
    return CommitNotAppliedError(
        f"{lost_answer_message(error)}, before the request was fully sent: the commit was not"
        " applied. It is safe to retry.",
        request=error.request,
    )


def unlanded_error(
    search: Search, error: requests.RequestException, branch: str, history_url: str
) -> requests.ConnectionError:
    """The error once the branch was read and the commit is not known to have landed.

    "Not applied" only when the history shows it and the request did not time out (a
    timed-out commit may still be being applied); otherwise "could not tell", with
    the reason and the page to check.
    """
    lost = lost_answer_message(error)
    if search.oid is None and search.conclusive and not isinstance(error, requests.Timeout):
        return CommitNotAppliedError(
            f"{lost}; the branch '{branch}' does not have it: the commit was not applied. It"
            " is safe to retry.",
            request=error.request,
        )
    if search.oid is None and search.conclusive:
        reason = "it is not on the branch yet, but the Hub may still be applying it"
    elif search.oid is not None:
        reason = f"commit {search.oid} has its title, but not the expected files or parent"
        if not search.conclusive:
            reason = f"commit {search.oid} has its title, but is older than the head"
    else:
        reason = "the expected parent commit is no longer in the recent history"
    return CommitOutcomeUnknownError(
        f"{lost}: could not tell whether the commit was applied ({reason}): check"
        f" {history_url} before retrying.",
        request=error.request,
    )
