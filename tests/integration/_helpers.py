"""Helpers of the integration tests: content builders, plain downloads, a request log."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import threading
from typing import Any, Callable, List, Optional
from urllib.parse import quote, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from hfapi.hub import LocalHub

UPLOAD_PATH = "/_hub/lfs/upload/"
PREFIXES = {None: "", "model": "", "dataset": "datasets/", "space": "spaces/"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_blob_id(data: bytes) -> str:
    """The git blob id of ``data`` (what the Hub calls ``oid``/``blobId`` of a file)."""
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def lfs_pointer(data: bytes) -> bytes:
    return b"version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n" % (
        sha256(data).encode(),
        len(data),
    )


def unique_bytes(size: int) -> bytes:
    """Content no other test uploads (LFS objects already stored are not sent again)."""
    seed = secrets.token_bytes(32)
    blocks = (hashlib.sha256(seed + i.to_bytes(8, "big")).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def download(
    hub: LocalHub,
    repo_id: str,
    path: str,
    revision: str = "main",
    *,
    repo_type: Optional[str] = None,
    token: Optional[str] = None,
) -> requests.Response:
    """``GET {hub}/{prefix}{repo}/resolve/{rev}/{path}`` with plain ``requests``.

    An LFS file is a redirect to its download URL; the file's headers (``X-Repo-Commit``,
    ``X-Linked-*``) came with that redirect, and are copied onto the final response.
    """
    where = f"{quote(revision, safe='')}/{quote(path)}"
    url = f"{hub.url}/{PREFIXES[repo_type]}{repo_id}/resolve/{where}"
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = requests.get(url, headers=headers, timeout=30)
    for earlier in response.history:
        for name in ("X-Repo-Commit", "X-Linked-Etag", "X-Linked-Size"):
            if name in earlier.headers:
                response.headers.setdefault(name, earlier.headers[name])
    return response


def content(hub: LocalHub, repo_id: str, path: str, revision: str = "main", **kwargs: Any) -> bytes:
    """The bytes of a file, asserting that the download succeeded."""
    response = download(hub, repo_id, path, revision, **kwargs)
    assert response.status_code == 200, (path, revision, response.status_code, response.text)
    return response.content


@dataclasses.dataclass(frozen=True)
class Sent:
    """One request as it left the client."""

    method: str
    url: str
    headers: "CaseInsensitiveDict[str]"
    body_size: Optional[int]
    thread: str
    #: A JSON body, decoded (``None`` for other bodies).
    json: Any = None

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def is_upload(self) -> bool:
        return self.path.startswith(UPLOAD_PATH)


class RequestLog:
    """Every request sent through ``requests`` while active, from every thread.

    Also tracks how many upload requests were in flight at once (``peak_uploads``).
    """

    def __init__(self) -> None:
        self.sent: List[Sent] = []
        self.peak_uploads = 0
        self._uploads_in_flight = 0
        self._lock = threading.Lock()

    def wrap(self, send: Callable[..., requests.Response]) -> Callable[..., requests.Response]:
        """A replacement for ``requests.Session.send`` that records, then sends."""

        def recording_send(
            session: requests.Session, request: requests.PreparedRequest, **kwargs: Any
        ) -> requests.Response:
            entry = self._record(request)
            try:
                return send(session, request, **kwargs)
            finally:
                if entry.is_upload:
                    with self._lock:
                        self._uploads_in_flight -= 1

        return recording_send

    def _record(self, request: requests.PreparedRequest) -> Sent:
        body = request.body
        size = len(body) if isinstance(body, (bytes, str)) else None
        length = request.headers.get("Content-Length")
        if size is None and length is not None:
            size = int(length)
        decoded = None
        if isinstance(body, bytes) and "json" in request.headers.get("Content-Type", ""):
            decoded = json.loads(body)
        entry = Sent(
            str(request.method),
            str(request.url),
            CaseInsensitiveDict(request.headers),
            size,
            threading.current_thread().name,
            decoded,
        )
        with self._lock:
            self.sent.append(entry)
            if entry.is_upload:
                self._uploads_in_flight += 1
                self.peak_uploads = max(self.peak_uploads, self._uploads_in_flight)
        return entry

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()
            self.peak_uploads = 0

    def matching(self, method: str, predicate: Callable[[Sent], bool]) -> List[Sent]:
        return [s for s in self.sent if s.method == method and predicate(s)]

    def upload_puts(self) -> List[Sent]:
        return self.matching("PUT", lambda s: s.is_upload)
