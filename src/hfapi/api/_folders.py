"""What ``upload_folder`` needs besides the commit itself: the call's record, the local
folder check, its operations (additions hashed a chunk at a time) and the revision of the
returned URL."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, NamedTuple, Optional, Tuple, Union

from .. import constants
from .._validators import normalize_repo_path, quote

if TYPE_CHECKING:
    from ..commit.operations import CommitOperationAdd, CommitOperationDelete
    from ..models.git import CommitInfo
    from ._commit_engine import CommitClient

#: Files of an upload_folder smaller than this keep their content from hashing to sending:
#: at most the folder's small files in memory, less than the commit body would take.
KEEP_CONTENT_BELOW = 64 * 1024
#: ... at most this many bytes of them in all (a folder of a million small files).
KEEP_CONTENT_BUDGET = 256 * 1024 * 1024
#: Threads hashing the large files of an upload_folder (hashlib releases the GIL).
_HASH_WORKERS = min(8, os.cpu_count() or 1)
#: Files smaller than this are hashed in the calling thread: for small files a thread
#: hand-off costs more than the hashing (measured: 0.75 s vs 0.2 s for 5,000 files).
_PARALLEL_HASH_MIN = 4 * 1024 * 1024


class FolderUpload(NamedTuple):
    """What an ``upload_folder`` call uploads, and where (a named tuple: no ``dataclasses``
    at import, issue 14)."""

    repo_id: str
    folder_path: Union[str, Path]
    path_in_repo: Optional[str]
    repo_type: Optional[str]
    revision: Optional[str]
    token: Optional[str]
    create_pr: Optional[bool]
    allow_patterns: Optional[Union[List[str], str]]
    ignore_patterns: Optional[Union[List[str], str]]
    delete_patterns: Optional[Union[List[str], str]]

    @property
    def destination(self) -> str:
        """The normalised destination folder (``""`` for the root)."""
        return normalize_repo_path(self.path_in_repo or "", folder=True)


def hashed_addition_chunks(
    folder: str, prefix: str, relpaths: List[str], chunk_size: int, keep_below: int = 0
) -> Iterator[List[CommitOperationAdd]]:
    """One addition per file, in ``relpaths`` order, hashed a chunk at a time when asked.

    Small files are hashed in the calling thread; the large files of a chunk (4 MiB and
    more) in parallel, on the shared worker pool. Files under ``keep_below`` bytes keep
    their content in memory until it is sent (read once instead of twice), until the kept
    contents reach :data:`KEEP_CONTENT_BUDGET`; later files are read again when sent.
    """
    from ..commit.concurrency import CallGroup
    from ..commit.operations import CommitOperationAdd, open_regular_file

    kept_bytes = 0

    def addition(relpath: str, handle: Optional[io.FileIO] = None) -> CommitOperationAdd:
        nonlocal keep_below, kept_bytes
        local = os.path.join(folder, relpath)
        handle = handle or open_regular_file(local)
        added = CommitOperationAdd._of_open_file(prefix + relpath, local, handle, keep_below)
        if added.upload_info.size < keep_below:
            kept_bytes += added.upload_info.size
            if kept_bytes >= KEEP_CONTENT_BUDGET:
                keep_below = 0  # the budget is spent: later files are read again when sent
        return added

    for start in range(0, len(relpaths), chunk_size):
        chunk = relpaths[start : start + chunk_size]
        done: Dict[int, CommitOperationAdd] = {}
        large: List[int] = []
        for index, relpath in enumerate(chunk):
            # Open, then fstat: one path lookup per small file instead of two.
            handle = open_regular_file(os.path.join(folder, relpath))
            if _HASH_WORKERS > 1 and os.fstat(handle.fileno()).st_size >= _PARALLEL_HASH_MIN:
                handle.close()  # reopened by its worker: no descriptor held meanwhile
                large.append(index)
            else:
                done[index] = addition(relpath, handle)
        if large:
            group = CallGroup(_HASH_WORKERS)
            try:
                futures = [group.submit(addition, chunk[index]) for index in large]
                done.update(zip(large, (future.result() for future in futures)))
            finally:
                group.shutdown(wait=True, cancel_futures=True)
        yield [done[index] for index in range(len(chunk))]


def folder_operations(
    client: CommitClient, upload: FolderUpload, keep_contents: bool
) -> Tuple[List[CommitOperationDelete], Iterator[List[CommitOperationAdd]]]:
    """The deletions (listing order), and the additions (sorted) as lazily hashed chunks.

    The local folder is listed and the remote one (for ``delete_patterns``) before
    this returns; each chunk of additions is hashed only when it is asked for. Small
    contents are kept from hashing to sending when ``keep_contents`` (one commit).
    """
    from ..commit.operations import CommitOperationDelete
    from ..commit.patterns import (
        DEFAULT_IGNORE_PATTERNS,
        as_pattern_list,
        filter_paths,
        list_local_files,
        remote_paths_to_delete,
    )

    folder = local_folder(upload.folder_path)
    prefix = f"{upload.destination}/" if upload.destination else ""
    # A new list: the caller's is not modified (the reference extends it in place).
    ignore = (as_pattern_list(upload.ignore_patterns) or []) + DEFAULT_IGNORE_PATTERNS

    to_delete: List[str] = []
    if upload.delete_patterns is not None:
        listed = constants.DEFAULT_REVISION if upload.create_pr else upload.revision
        url = client._repo_api_url(
            upload.repo_id,
            upload.repo_type,
            "tree",
            quote(listed or constants.DEFAULT_REVISION),
        )
        params = {"recursive": True, "expand": False}
        entries = client._paginate(url, token=upload.token, params=params)
        to_delete = remote_paths_to_delete(entries, prefix, upload.delete_patterns)

    relpaths = filter_paths(
        list_local_files(folder), allow_patterns=upload.allow_patterns, ignore_patterns=ignore
    )
    added = {prefix + relpath for relpath in relpaths}
    deletions = [
        CommitOperationDelete(path, is_folder=False) for path in to_delete if path not in added
    ]
    keep_below = KEEP_CONTENT_BELOW if keep_contents else 0
    chunks = hashed_addition_chunks(
        folder, prefix, relpaths, constants.PREUPLOAD_CHUNK_SIZE, keep_below
    )
    return deletions, chunks


def local_folder(folder_path: Union[str, Path]) -> str:
    """The absolute, resolved folder to upload, or a clear error."""
    if not isinstance(folder_path, (str, os.PathLike)):
        raise TypeError(f"`folder_path` must be a str or Path, not {type(folder_path).__name__}.")
    # realpath("") is the working directory: an empty string must not upload it.
    if str(folder_path) == "":
        raise ValueError(
            "`folder_path` is empty: pass the folder to upload ('.' for the current one)."
        )
    folder = os.path.realpath(os.path.expanduser(str(folder_path)))
    if not os.path.isdir(folder):
        raise ValueError(f"Provided path: '{folder}' is not a directory")
    return folder


def url_revision(info: CommitInfo, revision: Optional[str]) -> str:
    """Revision segment of a returned web URL: the new PR (encoded), else as given."""
    if info.pr_revision is not None:
        return quote(info.pr_revision)
    return revision or constants.DEFAULT_REVISION
