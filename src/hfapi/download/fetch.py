"""One file: from the cache when it is there, else from the Hub into the cache.

The steps, each a function below: check the arguments (no network), answer offline
from the cache, read the file's metadata, reuse a cached blob, or transfer it under
the blob's lock, then place it in ``local_dir`` if asked.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from typing import Optional, Union

import requests

from .. import constants
from .._session import TimeoutArg
from .._validators import quote, validate_repo_id, validate_repo_type
from ..errors import (
    EntryNotFoundError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
)
from .cache import (
    RepoCache,
    cache_root,
    is_commit_hash,
    link_or_copy,
    relative_filename,
    repo_folder_name,
)
from .transfer import FileMetadata, Remote, fetch_metadata, stream_to_file

__all__ = ["FileRequest", "check_use_symlinks", "download_file", "file_url", "make_request"]

UseSymlinks = Union[bool, str]


def file_url(
    endpoint: str,
    repo_id: str,
    filename: str,
    *,
    repo_type: str,
    revision: Optional[str],
) -> str:
    """``{endpoint}/{prefix}{repo_id}/resolve/{enc(revision)}/{filename, / kept}``."""
    prefix = constants.REPO_TYPES_URL_PREFIXES.get(repo_type, "")
    revision = constants.DEFAULT_REVISION if revision is None else revision
    return f"{endpoint}/{prefix}{repo_id}/resolve/{quote(revision)}/{quote(filename, safe='/')}"


@dataclass(frozen=True)
class FileRequest:
    """One file to obtain, its arguments already checked and normalised."""

    repo_id: str
    repo_type: str
    filename: str
    revision: str
    cache: RepoCache
    local_dir: Optional[str]
    use_symlinks: UseSymlinks
    force_download: bool
    local_files_only: bool
    etag_timeout: TimeoutArg
    show_progress: bool = True
    #: A commit's files never change: a snapshot that holds the file needs no request.
    skip_if_cached: bool = False

    def describe(self) -> str:
        return f"{self.filename!r} of {self.repo_type} {self.repo_id!r} at {self.revision!r}"


def check_use_symlinks(value: object) -> None:
    """Raise ``ValueError`` unless ``value`` is ``True``, ``False`` or ``"auto"``."""
    if value not in (True, False, "auto"):
        raise ValueError(f"`local_dir_use_symlinks` must be True, False or 'auto', not {value!r}.")


def make_request(
    repo_id: str,
    filename: str,
    *,
    subfolder: Optional[str],
    repo_type: Optional[str],
    revision: Optional[str],
    cache_dir: Union[str, "os.PathLike[str]", None],
    local_dir: Union[str, "os.PathLike[str]", None],
    local_dir_use_symlinks: UseSymlinks,
    force_download: bool,
    local_files_only: bool,
    etag_timeout: TimeoutArg,
) -> FileRequest:
    """Check every argument before any request, and build the :class:`FileRequest`.

    Raises:
        HFValidationError: a malformed ``repo_id``.
        ValueError: a bad repo type, file name, revision or symlink choice.
    """
    validate_repo_id(repo_id)
    kind = validate_repo_type(repo_type, f"Invalid repo type: {repo_type!r}")
    if revision is not None and (not isinstance(revision, str) or not revision):
        raise ValueError(f"`revision` must be a non-empty string, not {revision!r}.")
    check_use_symlinks(local_dir_use_symlinks)
    return FileRequest(
        repo_id=repo_id,
        repo_type=kind,
        filename=relative_filename(filename, subfolder),
        revision=revision or constants.DEFAULT_REVISION,
        cache=RepoCache(cache_root(cache_dir), repo_folder_name(repo_id, kind)),
        local_dir=None if local_dir is None else os.path.expanduser(str(local_dir)),
        use_symlinks=local_dir_use_symlinks,
        force_download=force_download,
        local_files_only=local_files_only or constants.HF_HUB_OFFLINE,
        etag_timeout=etag_timeout,
    )


def download_file(remote: Remote, request: FileRequest) -> str:
    """Return the path of the requested file, downloading it if needed.

    Raises:
        RepositoryNotFoundError, RevisionNotFoundError, EntryNotFoundError,
            GatedRepoError: the Hub's answer.
        LocalEntryNotFoundError: offline (or the Hub unreachable) and not cached.
        OSError: the Hub's answer lacks the file's commit or etag, or the content
            failed its size or SHA-256 check.
    """
    if request.local_files_only:
        return _from_cache(request, None)
    if request.skip_if_cached and not request.force_download:
        found = request.cache.lookup(request.revision, request.filename)
        if isinstance(found, str) and is_commit_hash(request.revision):
            return _place(request, found)
    url = file_url(
        remote.endpoint,
        request.repo_id,
        request.filename,
        repo_type=request.repo_type,
        revision=request.revision,
    )
    try:
        metadata = fetch_metadata(remote, url, request.etag_timeout)
    except EntryNotFoundError as error:
        _remember_missing(request, error)
        raise
    except (requests.ConnectionError, requests.Timeout, OfflineModeIsEnabled) as error:
        return _from_cache(request, error)
    except HfHubHTTPError as error:
        if error.response is None or error.response.status_code < 500:
            raise
        return _from_cache(request, error)
    commit, etag = _checked_metadata(metadata, url)
    request.cache.write_ref(request.revision, commit)
    return _obtain(remote, request, metadata, commit, etag)


def _from_cache(request: FileRequest, error: Optional[Exception]) -> str:
    """The cached file for an offline call (``error`` is ``None``) or an unreachable Hub."""
    found = request.cache.lookup(request.revision, request.filename)
    if isinstance(found, str):
        return _place(request, found)
    if error is None:
        reason = "outgoing traffic is disabled (local_files_only=True or HF_HUB_OFFLINE=1)"
    else:
        reason = f"the Hub could not be reached ({type(error).__name__})"
    raise LocalEntryNotFoundError(
        f"Cannot find {request.describe()} in the local cache ({request.cache.path}) and"
        f" {reason}. Download it once with network access, or check the names."
    ) from error


def _remember_missing(request: FileRequest, error: EntryNotFoundError) -> None:
    response = error.response
    commit = None if response is None else response.headers.get(constants.HEADER_X_REPO_COMMIT)
    if commit:
        request.cache.write_ref(request.revision, commit)
        request.cache.mark_missing(commit, request.filename)


def _checked_metadata(metadata: FileMetadata, url: str) -> "tuple[str, str]":
    if metadata.commit_hash is None:
        raise OSError(
            f"The answer for {url} has no X-Repo-Commit header: the endpoint does not"
            " look like a Hugging Face Hub. Check HF_ENDPOINT."
        )
    if metadata.etag is None:
        raise OSError(
            f"The answer for {url} has no ETag: the file cannot be cached. Check your"
            " proxy settings, which may strip it."
        )
    return metadata.commit_hash, metadata.etag


def _obtain(
    remote: Remote, request: FileRequest, metadata: FileMetadata, commit: str, etag: str
) -> str:
    """Reuse the snapshot or blob in the cache, or transfer the blob under its lock."""
    pointer = request.cache.snapshot(commit, request.filename)
    blob = request.cache.blob(etag)
    if not request.force_download:
        if os.path.isfile(pointer):
            return _place(request, pointer)
        if os.path.isfile(blob):
            link_or_copy(blob, pointer)
            return _place(request, pointer)
    os.makedirs(os.path.dirname(blob), exist_ok=True)
    with request.cache.lock(etag):
        # Another process may have completed the same blob while we waited.
        if request.force_download or not os.path.isfile(blob):
            _transfer_blob(remote, request, metadata, blob)
            if _only_in_local_dir(request):
                return _move_to_local_dir(request, blob)
            link_or_copy(blob, pointer, move=True)
        elif not os.path.isfile(pointer):
            link_or_copy(blob, pointer)
    return _place(request, pointer)


def _transfer_blob(remote: Remote, request: FileRequest, metadata: FileMetadata, blob: str) -> None:
    incomplete = f"{blob}.incomplete"
    if request.force_download and os.path.exists(incomplete):
        os.remove(incomplete)
    stream_to_file(
        remote,
        metadata.location,
        incomplete,
        metadata=metadata,
        desc=os.path.basename(request.filename),
        show_progress=request.show_progress,
    )
    os.replace(incomplete, blob)


def _only_in_local_dir(request: FileRequest) -> bool:
    # ``local_dir_use_symlinks=False``: the file lives in local_dir only, not in the cache.
    return request.local_dir is not None and request.use_symlinks is False


def _local_path(request: FileRequest) -> str:
    assert request.local_dir is not None
    return os.path.join(request.local_dir, *request.filename.split("/"))


def _move_to_local_dir(request: FileRequest, blob: str) -> str:
    destination = _local_path(request)
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    # ``local_dir`` may be on another file system than the cache: a move, not a rename.
    shutil.move(blob, destination)
    return destination


def _place(request: FileRequest, cached: str) -> str:
    """Return ``cached``, or its copy or link in ``local_dir`` when one is asked for."""
    if request.local_dir is None:
        return cached
    destination = _local_path(request)
    real = os.path.realpath(cached)
    big = os.path.getsize(real) > constants.HF_HUB_LOCAL_DIR_AUTO_SYMLINK_THRESHOLD
    if request.use_symlinks is True or (request.use_symlinks == "auto" and big):
        link_or_copy(real, destination)
    else:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        if os.path.lexists(destination):
            os.remove(destination)  # may be a link to this very blob
        shutil.copyfile(real, destination)
    return destination
