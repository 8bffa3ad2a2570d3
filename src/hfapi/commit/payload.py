"""Request bodies of the commit flow: the preupload query and the NDJSON commit.

The commit body is one JSON object per line, each line ending in ``\\n``, written by
Python's default encoder (``", "`` and ``": "`` separators, non-ASCII as ``\\uXXXX``),
the header first and then one line per operation in the caller's order.

Why a streaming body with a known length: regular files are inlined in base64, and a
commit may carry up to 1 GB of them. Joining everything into one ``bytes`` would cost
about 1.33x that payload in memory (twice during the join). Chunked transfer is not
accepted by every server, so :class:`CommitBody` computes the exact
``Content-Length`` up front (the size of every file is known from hashing) and
produces the bytes lazily while ``requests`` sends them, holding one chunk at a time.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

from ..errors import EntryNotFoundError
from ..models.repo import repo_file_from_entry
from .operations import (
    CommitOperation,
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
)

__all__ = [
    "CommitBody",
    "commit_body",
    "copy_key",
    "copy_source_oids",
    "effective_upload_mode",
    "parse_preupload_answer",
    "preupload_payload",
]

UPLOAD_MODES = ("lfs", "regular")
#: Inline-file lines up to this size are produced as one piece.
_ONE_PIECE_MAX = 64 * 1024


def preupload_payload(additions: Sequence[CommitOperationAdd]) -> Dict[str, Any]:
    """JSON body asking the Hub how each addition must be uploaded.

    Args:
        additions: the additions of one preupload request (at most 256).

    Returns:
        ``{"files": [{"path", "sample", "size", "sha"}, ...]}`` in operation order.

    Example:
        >>> preupload_payload([CommitOperationAdd("a.txt", b"hello\\n")])["files"][0]["sample"]
        'aGVsbG8K'
    """
    return {
        "files": [
            {
                "path": op.path_in_repo,
                "sample": base64.b64encode(op.upload_info.sample).decode("ascii"),
                "size": op.upload_info.size,
                "sha": op.upload_info.sha256.hex(),
            }
            for op in additions
        ]
    }


def parse_preupload_answer(answer: Any) -> Dict[str, str]:
    """Read the preupload answer into ``{path: "lfs" | "regular"}``.

    Extra keys and extra items are ignored; order does not matter.

    Raises:
        ValueError: the answer does not have the documented shape.

    Example:
        >>> parse_preupload_answer({"files": [{"path": "a", "uploadMode": "lfs"}]})
        {'a': 'lfs'}
    """
    files = answer.get("files") if isinstance(answer, dict) else None
    if not isinstance(files, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and item.get("uploadMode") in UPLOAD_MODES
        for item in files
    ):
        raise ValueError(f"preupload_info is improperly formatted: {answer!r:.500}")
    return {item["path"]: item["uploadMode"] for item in files}


def effective_upload_mode(addition: CommitOperationAdd, modes: Mapping[str, str]) -> str:
    """The mode an addition is really sent with: the Hub's, except empty files.

    Empty objects cannot be stored in LFS, so they always go inline whatever the Hub
    said.

    Raises:
        ValueError: the Hub's answer did not mention this path.
    """
    if addition.upload_info.size == 0:
        return "regular"
    try:
        return modes[addition.path_in_repo]
    except KeyError:
        raise ValueError(
            f"The Hub did not say how to upload '{addition.path_in_repo}' (missing from the"
            " preupload answer)."
        ) from None


def _line(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value).encode("ascii") + b"\n"


def header_line(
    commit_message: str, commit_description: Optional[str], parent_commit: Optional[str]
) -> bytes:
    """The first line of a commit body."""
    header: Dict[str, Any] = {"summary": commit_message, "description": commit_description or ""}
    if parent_commit is not None:
        header["parentCommit"] = parent_commit
    return _line({"key": "header", "value": header})


class _InlineFile:
    """A regular file's line, whose base64 content is produced only when sent."""

    def __init__(self, addition: CommitOperationAdd) -> None:
        self.addition = addition
        self.prefix = b'{"key": "file", "value": {"content": "'
        self.suffix = (
            b'", "path": '
            + json.dumps(addition.path_in_repo).encode("ascii")
            + b', "encoding": "base64"}}\n'
        )
        size = addition.upload_info.size
        self.length = len(self.prefix) + 4 * ((size + 2) // 3) + len(self.suffix)

    def chunks(self) -> Iterator[bytes]:
        if self.length <= _ONE_PIECE_MAX:
            # One piece per small file: the body's reader then handles one chunk, not 3+.
            yield b"".join((self.prefix, *self.addition.iter_b64content(), self.suffix))
            return
        yield self.prefix
        yield from self.addition.iter_b64content()
        yield self.suffix


def _operation_line(
    operation: CommitOperation, modes: Mapping[str, str], copy_oids: Mapping[str, str]
) -> Any:
    if isinstance(operation, CommitOperationAdd):
        if effective_upload_mode(operation, modes) == "regular":
            return _InlineFile(operation)
        info = operation.upload_info
        return _line(
            {
                "key": "lfsFile",
                "value": {
                    "path": operation.path_in_repo,
                    "algo": "sha256",
                    "oid": info.sha256.hex(),
                    "size": info.size,
                },
            }
        )
    if isinstance(operation, CommitOperationDelete):
        key = "deletedFolder" if operation.is_folder else "deletedFile"
        return _line({"key": key, "value": {"path": operation.path_in_repo}})
    if isinstance(operation, CommitOperationCopy):
        return _line(
            {
                "key": "lfsFile",
                "value": {
                    "path": operation.path_in_repo,
                    "algo": "sha256",
                    "oid": copy_oids[copy_key(operation)],
                },
            }
        )
    raise ValueError(f"Unknown operation to commit: {operation!r}")


def copy_key(copy: CommitOperationCopy, path: Optional[str] = None) -> str:
    """Key of a copy's source (its revision and path, or ``path`` at its revision)."""
    return f"{copy.src_revision or ''}\x00{copy.src_path_in_repo if path is None else path}"


def copy_source_oids(
    copies: Sequence[CommitOperationCopy],
    found: Mapping[str, Dict[str, Any]],
    revision: str,
) -> Dict[str, str]:
    """LFS sha256 of each copy's source, from the paths-info entries that were found.

    Args:
        copies: the copy operations.
        found: paths-info / tree file entries keyed by :func:`copy_key`.
        revision: the commit's target revision (named in errors).

    Returns:
        ``{copy_key: sha256}``.

    Raises:
        NotImplementedError: a source is a regular (non-LFS) file.
        EntryNotFoundError: a source does not exist.
    """
    oids: Dict[str, str] = {}
    for copy in copies:
        entry = found.get(copy_key(copy))
        if entry is not None:
            lfs = repo_file_from_entry(entry).lfs
            if lfs is None:
                raise NotImplementedError("Copying a non-LFS file is not implemented")
            oids[copy_key(copy)] = lfs["sha256"]
    for copy in copies:
        if copy_key(copy) not in oids:
            raise EntryNotFoundError(
                f"Cannot copy {copy.src_path_in_repo} at revision"
                f" {copy.src_revision or revision}: file is missing on repo."
            )
    return oids


class CommitBody:
    """The NDJSON commit body as a sized, read-once stream.

    ``len()`` is exact before anything is read, so it is sent with ``Content-Length``.
    Reading pulls one line (or one base64 chunk of an inline file) at a time.

    Args:
        pieces: finished lines (``bytes``) and inline files, in order.

    Raises:
        OSError: (while reading) a file changed since it was hashed.

    Example:
        >>> body = commit_body([], {}, {}, commit_message="empty")
        >>> len(body) == len(body.read())
        True
    """

    def __init__(self, pieces: List[Any]) -> None:
        self._pieces = pieces
        self._length = sum(len(p) if isinstance(p, bytes) else p.length for p in pieces)
        self._chunks = self._iter_chunks()
        self._current = b""
        self._offset = 0
        #: Set when reading a source failed; the HTTP stack would report it only as a
        #: lost connection, so the caller re-raises this instead.
        self.failure: Optional[OSError] = None
        self._handed_out = 0

    def __len__(self) -> int:
        return self._length

    @property
    def fully_read(self) -> bool:
        """Whether every byte was handed out (an incomplete body cannot be applied)."""
        return self._handed_out >= self._length

    def _iter_chunks(self) -> Iterator[bytes]:
        for piece in self._pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                yield from piece.chunks()

    def read(self, size: Optional[int] = -1) -> bytes:
        """Return the next ``size`` bytes (everything left by default)."""
        wanted = self._length if size is None or size < 0 else size
        taken: List[bytes] = []
        while wanted > 0:
            if self._offset >= len(self._current):
                try:
                    chunk = next(self._chunks, None)
                except OSError as error:
                    self.failure = error
                    raise
                if chunk is None:
                    break
                self._current, self._offset = chunk, 0
                continue
            # Slice (copy) only what is handed out, never the rest of a large chunk.
            piece = self._current[self._offset : self._offset + wanted]
            self._offset += len(piece)
            wanted -= len(piece)
            taken.append(piece)
        data = b"".join(taken)
        self._handed_out += len(data)
        return data


def commit_body(
    operations: Iterable[CommitOperation],
    modes: Mapping[str, str],
    copy_oids: Mapping[str, str],
    *,
    commit_message: str,
    commit_description: Optional[str] = None,
    parent_commit: Optional[str] = None,
) -> CommitBody:
    """Build the commit body for ``operations``.

    Args:
        operations: every operation, in the caller's order.
        modes: preupload answer, ``{path: "lfs" | "regular"}``.
        copy_oids: LFS sha256 of each copy source, keyed by :func:`copy_key`.
        commit_message: the summary line.
        commit_description: the description (``None`` sends ``""``).
        parent_commit: sent as ``parentCommit`` when given.

    Returns:
        A :class:`CommitBody`.

    Example:
        >>> body = commit_body([CommitOperationDelete("old/")], {}, {}, commit_message="rm")
        >>> body.read().splitlines()[1]
        b'{"key": "deletedFolder", "value": {"path": "old/"}}'
    """
    pieces: List[Any] = [header_line(commit_message, commit_description, parent_commit)]
    pieces.extend(_operation_line(op, modes, copy_oids) for op in operations)
    return CommitBody(pieces)
