"""The download cache on disk, laid out exactly as the reference client lays it out.

::

    {cache}/{models|datasets|spaces}--{namespace}--{name}/
        blobs/{etag}                    file contents, one per etag (git blob id or sha256)
        blobs/{etag}.incomplete         a transfer in progress, resumed from its size
        snapshots/{commit}/{path}       relative symlink to ../../blobs/{etag} (or a copy)
        refs/{revision}                 the commit a branch or tag pointed at last time
        .no_exist/{commit}/{path}       empty: the file is known to be absent at that commit
    {cache}/.locks/{repo folder}/{etag}.lock

Both clients read and write the same tree, so a file fetched by one is found by the other.
This module knows paths and files only; it never talks to the network.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from filelock import FileLock

from .. import constants

__all__ = [
    "_CACHED_NO_EXIST",
    "CachedNoExist",
    "RepoCache",
    "cache_root",
    "is_commit_hash",
    "link_or_copy",
    "relative_filename",
    "repo_folder_name",
]

PathLike = Union[str, "os.PathLike[str]"]

_COMMIT_HASH = re.compile(r"[0-9a-f]{40}")


class CachedNoExist:
    """The type of :data:`_CACHED_NO_EXIST`: "the cache knows this file does not exist"."""

    def __repr__(self) -> str:
        return "_CACHED_NO_EXIST"


#: What :func:`try_to_load_from_cache` returns for a file recorded as missing.
_CACHED_NO_EXIST = CachedNoExist()


def is_commit_hash(revision: str) -> bool:
    """Whether ``revision`` is a full commit id (40 lowercase hex digits)."""
    return _COMMIT_HASH.fullmatch(revision) is not None


def cache_root(cache_dir: Optional[PathLike]) -> str:
    """The cache directory: ``cache_dir``, else ``HF_HUB_CACHE`` / ``HF_HOME/hub``."""
    chosen = constants.HF_HUB_CACHE if cache_dir is None else cache_dir
    return os.path.expanduser(str(chosen))


def repo_folder_name(repo_id: str, repo_type: str) -> str:
    """``models--alice--demo`` for model ``alice/demo`` (``repo_type`` already normalised)."""
    return "--".join([f"{repo_type}s", *repo_id.split("/")])


def relative_filename(filename: str, subfolder: Optional[str]) -> str:
    """The file's path in the repo, checked so that it cannot leave the snapshot folder.

    Raises:
        ValueError: an empty, absolute or ``..`` path.
    """
    if not isinstance(filename, str):
        raise ValueError(f"`filename` must be a string, not {type(filename).__name__}.")
    path = filename if not subfolder else f"{subfolder}/{filename}"
    parts = path.split("/")
    if not filename or path.startswith("/") or "\\" in path or ".." in parts or "" in parts:
        raise ValueError(
            f"Invalid filename {path!r}: expected a relative path inside the repo"
            " (no leading '/', no '..', no empty segment, no backslash)."
        )
    return path


@dataclass(frozen=True)
class RepoCache:
    """Paths and small files of one repository's folder in the cache.

    Args:
        root: the cache directory.
        folder: the repo's folder name (see :func:`repo_folder_name`).
    """

    root: str
    folder: str

    @property
    def path(self) -> str:
        return os.path.join(self.root, self.folder)

    def blob(self, etag: str) -> str:
        return os.path.join(self.path, "blobs", etag)

    def snapshot(self, commit: str, filename: Optional[str] = None) -> str:
        folder = os.path.join(self.path, "snapshots", commit)
        return folder if filename is None else os.path.join(folder, *filename.split("/"))

    def ref_path(self, revision: str) -> str:
        return os.path.join(self.path, "refs", *revision.split("/"))

    def no_exist(self, commit: str, filename: str) -> str:
        return os.path.join(self.path, ".no_exist", commit, *filename.split("/"))

    def lock(self, etag: str) -> FileLock:
        """The inter-process lock guarding the transfer of blob ``etag``."""
        path = os.path.join(self.root, ".locks", self.folder, f"{etag}.lock")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return FileLock(path)

    def commit_for(self, revision: str) -> Optional[str]:
        """The commit ``revision`` names: itself if it is a commit id, else its ref file."""
        if is_commit_hash(revision):
            return revision
        try:
            with open(self.ref_path(revision), encoding="utf-8") as handle:
                return handle.read().strip() or None
        except OSError:
            return None

    def write_ref(self, revision: str, commit: str) -> None:
        """Record that ``revision`` points at ``commit`` (atomically: readers never see half)."""
        if revision == commit:
            return
        path = self.ref_path(revision)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            with open(path, encoding="utf-8") as handle:
                if handle.read() == commit:
                    return
        except OSError:
            pass
        _write_atomically(path, commit.encode())

    def mark_missing(self, commit: str, filename: str) -> None:
        """Remember that ``filename`` does not exist at ``commit``."""
        path = self.no_exist(commit, filename)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Path(path).touch()

    def lookup(self, revision: str, filename: str) -> Union[str, CachedNoExist, None]:
        """What the cache holds for ``filename`` at ``revision``, without any network.

        Returns:
            The snapshot path, :data:`_CACHED_NO_EXIST` when the file is known to be
            absent, or ``None`` when the cache cannot tell.
        """
        commit = self.commit_for(revision)
        if commit is None:
            return None
        pointer = self.snapshot(commit, filename)
        if os.path.isfile(pointer):
            return pointer
        if os.path.isfile(self.no_exist(commit, filename)):
            return _CACHED_NO_EXIST
        return None


def _write_atomically(path: str, data: bytes) -> None:
    temporary = f"{path}.{uuid.uuid4().hex}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)


def _symlink(source: str, destination: str) -> None:
    # A seam: tests replace it to act as a file system without symlinks.
    os.symlink(source, destination)


def link_or_copy(source: str, destination: str, *, move: bool = False) -> None:
    """Make ``destination`` show ``source``'s content: a relative symlink if possible.

    The link is created under a temporary name and renamed, so a concurrent reader sees
    either nothing or the complete link. Where symlinks are unavailable the file is
    copied, or moved when ``move`` is set (a blob just downloaded for this one place,
    as the reference does, so that the cache does not hold two copies).

    Args:
        source: the blob (absolute path).
        destination: the snapshot or ``local_dir`` path.
        move: on fallback, move ``source`` instead of copying it.
    """
    folder = os.path.dirname(destination)
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{os.path.basename(destination)}.{uuid.uuid4().hex}.tmp")
    try:
        _symlink(os.path.relpath(source, folder), temporary)
    except (OSError, NotImplementedError):
        if move:
            os.replace(source, destination)
            return
        shutil.copyfile(source, temporary)
    os.replace(temporary, destination)
