"""One file on the wire: its metadata (a ``HEAD``), then its bytes (a resumable ``GET``).

Requests go through the client's :class:`~hfapi._session.HubSession`. ``requests`` is
imported for its exception classes only: a connection cut while the body streams
surfaces while iterating over it, after the session has returned.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import queue
import re
import threading
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple
from urllib.parse import urljoin, urlsplit

import requests

from .. import constants
from .._progress import tqdm
from .._session import BearerAuth, HubSession, TimeoutArg
from ..errors import raise_for_hub_status, redact_url

__all__ = ["FileMetadata", "Remote", "fetch_metadata", "stream_to_file"]

#: Bytes read from the socket at a time.
CHUNK_SIZE = 1024 * 1024
#: Files from this size on are hashed on a thread of their own while they stream.
_BACKGROUND_HASH_MIN = 8 * 1024 * 1024
#: Blocks waiting for that thread, at most.
_HASH_QUEUE = 8
#: Same-host redirects (a renamed repo) followed when reading metadata.
MAX_REDIRECTS = 10
#: Consecutive resumes without a single new byte before giving up.
MAX_STALLED_RESUMES = 3

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Remote:
    """Where to ask and as whom: the client's session, endpoint, user-agent and token.

    The token is sent only to the endpoint's own origin: an LFS file answered by a
    redirect to storage is fetched there without it.
    """

    http: HubSession
    endpoint: str
    user_agent: str
    token: Optional[str]

    def auth_for(self, url: str) -> Optional[BearerAuth]:
        if self.token is None or _origin(url) != _origin(self.endpoint):
            return None
        return BearerAuth(self.token)

    def send(self, method: str, url: str, headers: Dict[str, str], **kwargs: Any) -> Any:
        """Send through the session, with the user-agent and, on the Hub only, the token."""
        sent = {"user-agent": self.user_agent, **headers}
        return self.http.request(method, url, headers=sent, auth=self.auth_for(url), **kwargs)


@dataclass(frozen=True)
class FileMetadata:
    """What a ``HEAD`` on a resolve URL tells about the file.

    Attributes:
        commit_hash: the commit the revision resolved to (``X-Repo-Commit``).
        etag: the blob id, or the sha256 of an LFS file, without quotes.
        location: where to download the bytes (storage, for an LFS file).
        size: size in bytes, when announced.
        presigned: ``location`` came from a redirect to storage: it is fetched without
            the token, even when storage shares the Hub's host.
    """

    commit_hash: Optional[str]
    etag: Optional[str]
    location: str
    size: Optional[int]
    presigned: bool = False

    @property
    def sha256(self) -> Optional[str]:
        """The expected SHA-256 of the content: an LFS file's etag is exactly that."""
        return self.etag if self.etag and _SHA256.fullmatch(self.etag) else None


def _origin(url: str) -> Tuple[str, str]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, f"{(parts.hostname or '').lower()}:{port}"


def _normalize_etag(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"') or None


def _int_or_none(value: Optional[str]) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def fetch_metadata(remote: Remote, url: str, timeout: TimeoutArg) -> FileMetadata:
    """``HEAD`` the resolve URL without following a redirect to storage.

    Relative redirects (the Hub's own, for a renamed or moved repo) are followed, as the
    reference does; an absolute one is the LFS storage URL, recorded as
    :attr:`FileMetadata.location`.

    Raises:
        HfHubHTTPError: (a subclass) for an error answer.
        requests.ConnectionError, requests.Timeout: the Hub cannot be reached.
    """
    headers = {"Accept-Encoding": "identity"}
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response = remote.send("HEAD", current, headers, timeout=timeout, allow_redirects=False)
        location = response.headers.get("Location")
        if 300 <= response.status_code < 400 and location:
            if not urlsplit(location).netloc:
                # A relative redirect is the Hub's own (a moved repo): follow it. An
                # absolute one is storage, even on the Hub's host: fetch the bytes there.
                current = urljoin(current, location)
                continue
            return _metadata(response.headers, location, presigned=True)
        return _metadata(response.headers, current)
    raise OSError(f"Too many redirects while resolving {redact_url(url)}.")


def _metadata(headers: Any, location: str, presigned: bool = False) -> FileMetadata:
    etag = headers.get(constants.HEADER_X_LINKED_ETAG) or headers.get("ETag")
    size = headers.get(constants.HEADER_X_LINKED_SIZE) or headers.get("Content-Length")
    return FileMetadata(
        commit_hash=headers.get(constants.HEADER_X_REPO_COMMIT),
        etag=_normalize_etag(etag),
        location=location,
        size=_int_or_none(size),
        presigned=presigned,
    )


class _Hasher:
    """SHA-256 of what is written; for a large file, computed on a thread of its own.

    hashlib lets go of the GIL on large blocks, so the hash of one block runs while the
    next is read from the socket and written: on two cores the check adds no wall time.
    At most ``_HASH_QUEUE`` blocks wait, so memory stays bounded.
    """

    def __init__(self, background: bool) -> None:
        self._digest = hashlib.sha256()
        self._queue: Optional[queue.Queue[Optional[bytes]]] = None
        if background:
            self._queue = queue.Queue(maxsize=_HASH_QUEUE)
            self._thread = threading.Thread(target=self._run, name="hfapi-hash", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._queue is not None
        for block in iter(self._queue.get, None):
            self._digest.update(block)

    def update(self, block: bytes) -> None:
        if self._queue is None:
            self._digest.update(block)
        else:
            self._queue.put(block)

    def close(self) -> None:
        """Let the hashing thread finish (also after a failed transfer)."""
        if self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._queue = None

    def hexdigest(self) -> str:
        self.close()
        return self._digest.hexdigest()


class _Partial:
    """The ``.incomplete`` file being written, and the hash of what it holds so far."""

    def __init__(self, path: str, sha256: Optional[str], size: Optional[int] = None) -> None:
        self.path = path
        self._background_hash = size is not None and size >= _BACKGROUND_HASH_MIN
        self.hasher = _Hasher(self._background_hash) if sha256 else None
        self.handle = open(path, "ab")  # noqa: SIM115  # closed by close()
        self.size = self.handle.tell()
        if self.hasher is not None and self.size:
            # Bytes from an earlier, interrupted run: hashed once, so the check still
            # covers the whole file while the rest is hashed as it streams.
            with open(path, "rb") as previous:
                for block in iter(lambda: previous.read(CHUNK_SIZE), b""):
                    self.hasher.update(block)

    def restart(self) -> None:
        self.handle.seek(0)
        self.handle.truncate()
        self.size = 0
        if self.hasher is not None:
            self.hasher.close()
            self.hasher = _Hasher(self._background_hash)

    def write(self, block: bytes) -> None:
        self.handle.write(block)
        self.size += len(block)
        if self.hasher is not None:
            self.hasher.update(block)

    def close(self) -> None:
        self.handle.close()
        if self.hasher is not None:
            self.hasher.close()


def stream_to_file(
    remote: Remote,
    url: str,
    path: str,
    *,
    metadata: FileMetadata,
    desc: str,
    show_progress: bool,
) -> None:
    """Download ``url`` into ``path`` (appending to what it holds), then check it.

    A connection cut mid-body is resumed with a ``Range`` request from the bytes
    already written; an answer that ignores the range restarts the file. When the
    transfer ends, the size must be the announced one and, for an LFS file, the
    SHA-256 (computed while streaming) must be the etag; otherwise ``path`` is
    deleted.

    Raises:
        OSError: the content does not match its size or hash.
        HfHubHTTPError, requests.ConnectionError: the transfer failed for good.
    """
    if metadata.presigned:
        remote = dataclasses.replace(remote, token=None)
    partial = _Partial(path, metadata.sha256, metadata.size)
    bar = tqdm(
        desc=desc,
        total=metadata.size,
        initial=partial.size,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        disable=not show_progress,
    )
    try:
        _transfer(remote, url, partial, metadata.size, bar)
    finally:
        partial.close()
        bar.close()
    _check(partial, metadata, path)


def _transfer(remote: Remote, url: str, partial: _Partial, size: Optional[int], bar: tqdm) -> None:
    """The ``GET``/resume loop: returns once the body was read to its end."""
    if size is not None and partial.size >= size:
        if partial.size == size:
            return
        partial.restart()
    stalled = 0
    while True:
        before = partial.size
        try:
            _get_once(remote, url, partial, bar)
            return
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as error:
            stalled = 0 if partial.size > before else stalled + 1
            if stalled >= MAX_STALLED_RESUMES:
                raise requests.ConnectionError(
                    f"Download of {redact_url(url)} keeps failing"
                    f" ({type(error).__name__}) after {partial.size} bytes."
                ) from None


def _get_once(remote: Remote, url: str, partial: _Partial, bar: tqdm) -> None:
    """One ``GET`` from the current size; raises a transport error if the body is cut."""
    headers = {"Range": f"bytes={partial.size}-"} if partial.size else {}
    response = remote.send("GET", url, headers, stream=True, raise_for_status=False)
    try:
        if response.status_code == 416 and partial.size:
            # The partial file is not a prefix the server recognises: start over.
            partial.restart()
            bar.reset()
            raise requests.ConnectionError("range not satisfiable, restarting")
        raise_for_hub_status(response)
        if partial.size and response.status_code != 206:
            partial.restart()
            bar.reset()
        for block in response.iter_content(chunk_size=CHUNK_SIZE):
            partial.write(block)
            bar.update(len(block))
    finally:
        response.close()


def _check(partial: _Partial, metadata: FileMetadata, path: str) -> None:
    problem = None
    if metadata.size is not None and partial.size != metadata.size:
        problem = f"expected {metadata.size} bytes, received {partial.size}"
    elif partial.hasher is not None and partial.hasher.hexdigest() != metadata.sha256:
        problem = f"expected SHA-256 {metadata.sha256}, got {partial.hasher.hexdigest()}"
    if problem is not None:
        os.remove(path)
        raise OSError(
            f"Consistency check failed for {redact_url(metadata.location)}: {problem}."
            " The partial file was deleted; retry the download."
        )
