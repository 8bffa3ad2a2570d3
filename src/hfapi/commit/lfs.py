"""LFS transfers: the batch negotiation, single and multipart uploads, verification.

Safety: upload URLs (``href``) point to third-party storage in production and are
pre-signed, so requests to them never carry the user's token: no ``Authorization``
header, no token in the URL, plain ``requests`` headers. Only the batch call (always
on the Hub) and a verify call whose URL is on the Hub are authenticated.

Speed: every object and every part of a multipart object is an independent task on
one pool of ``num_threads`` workers, so a single large file uses all of them. Each
attempt of a part re-opens the source and streams exactly that slice of it, so a
retried part sends the same bytes again and nothing is ever loaded whole.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import threading
from concurrent.futures import FIRST_EXCEPTION, CancelledError, Executor, Future, wait
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, NoReturn, Optional, Sequence, Set, Tuple

import requests
from requests.auth import HTTPBasicAuth

from .. import constants
from .._progress import ProgressCounter, tqdm
from .._session import HubSession, Timeout
from .concurrency import CallGroup, ParallelismProbe, map_ordered
from .operations import CommitOperationAdd, SourceChangedError
from .slices import OnRead, SliceReader, open_slice

__all__ = ["LfsUpload", "lfs_batch_url", "request_lfs_uploads", "upload_lfs_files"]

logger = logging.getLogger("hfapi.lfs")

LFS_MEDIA_TYPE = "application/vnd.git-lfs+json"
LFS_HEADERS = {"Accept": LFS_MEDIA_TYPE, "Content-Type": LFS_MEDIA_TYPE}


@dataclass
class LfsUpload:
    """One object the storage does not have yet, and where to send it.

    Attributes:
        addition: the operation whose content is sent.
        href: upload URL (basic) or completion URL (multipart).
        header: the upload action's ``header`` object (``chunk_size`` and part URLs
            for multipart; otherwise ignored, never sent).
        verify_href: URL to confirm the upload, if the Hub asked for it.
    """

    addition: CommitOperationAdd
    href: str
    header: Dict[str, Any]
    verify_href: Optional[str] = None


def lfs_batch_url(endpoint: str, repo_id: str, repo_type: Optional[str]) -> str:
    """``{endpoint}/{prefix}{repo_id}.git/info/lfs/objects/batch``."""
    prefix = constants.REPO_TYPES_URL_PREFIXES.get(repo_type or "", "")
    return f"{endpoint}/{prefix}{repo_id}.git/info/lfs/objects/batch"


def _malformed(detail: str) -> ValueError:
    return ValueError(f"Malformed response from server: {detail}")


def _action(obj: Dict[str, Any], name: str) -> Optional[Dict[str, Any]]:
    actions = obj.get("actions")
    action = actions.get(name) if isinstance(actions, dict) else None
    if action is None:
        return None
    if not isinstance(action, dict) or not isinstance(action.get("href"), str):
        raise _malformed(f"`{name}` action of object {obj.get('oid')} has no `href`.")
    if not isinstance(action.get("header") or {}, dict):
        raise _malformed(f"`{name}` action of object {obj.get('oid')} has an invalid `header`.")
    return action


def request_lfs_uploads(
    http: HubSession,
    *,
    batch_url: str,
    additions: Sequence[CommitOperationAdd],
    token: str,
    headers: Optional[Dict[str, str]] = None,
    timeout: Timeout = None,
    max_workers: int = 1,
) -> List[LfsUpload]:
    """Ask the LFS batch endpoint which objects to send, 256 objects per request.

    Every batch is requested before anything is sent; up to ``max_workers`` batch
    requests are in flight at once, their answers read in request order. Objects the
    storage already has come back without an upload action and are left out. An object
    asked for twice (same content at two paths) is sent once.

    Args:
        http: the client's session.
        batch_url: see :func:`lfs_batch_url`.
        additions: LFS-bound additions, in operation order.
        token: the user's token (sent as Basic ``access_token:<token>``).
        headers: extra headers (user-agent).
        timeout: overrides the session's default timeout.
        max_workers: most batch requests in flight at once.

    Returns:
        The uploads to perform, in the Hub's answer order.

    Raises:
        ValueError: the Hub reported errors for some objects, or answered out of shape.
        HfHubHTTPError: the batch call failed.

    Example:
        >>> uploads = request_lfs_uploads(http, batch_url=url, additions=ops, token="hf_x")
    """
    by_oid: Dict[str, CommitOperationAdd] = {}
    for addition in additions:
        by_oid.setdefault(addition.upload_info.sha256.hex(), addition)
    step = constants.PREUPLOAD_CHUNK_SIZE

    def ask(start: int) -> Any:
        chunk = additions[start : start + step]
        payload = {
            "operation": "upload",
            "transfers": ["basic", "multipart"],
            "objects": [
                {"oid": op.upload_info.sha256.hex(), "size": op.upload_info.size} for op in chunk
            ],
            "hash_algo": "sha256",
        }
        response = http.request(
            "POST",
            batch_url,
            headers={**(headers or {}), **LFS_HEADERS},
            auth=HTTPBasicAuth("access_token", token),
            json=payload,
            retry=True,
            timeout=timeout,
        )
        return response.json()

    uploads: List[LfsUpload] = []
    seen: Set[str] = set()
    # Closed on the first bad answer: batch requests not yet started are not sent.
    answers = map_ordered(ask, range(0, len(additions), step), max_workers)
    with contextlib.closing(answers):
        for answer in answers:
            _read_batch_answer(answer, by_oid, seen, uploads)
    return uploads


def _read_batch_answer(
    answer: Any, by_oid: Dict[str, CommitOperationAdd], seen: Set[str], uploads: List[LfsUpload]
) -> None:
    """Add to ``uploads`` the objects of one batch answer still to send (``seen`` grows).

    Raises:
        ValueError: the answer reports errors for some objects, or is out of shape.
    """
    objects = answer.get("objects") if isinstance(answer, dict) else None
    if not isinstance(objects, list):
        raise _malformed("`objects` is not a list.")
    errors: List[str] = []
    for obj in objects:
        if not isinstance(obj, dict) or not isinstance(obj.get("oid"), str):
            raise _malformed(f"invalid object {obj!r:.200}.")
        if not isinstance(obj.get("size"), int):
            raise _malformed(f"object {obj['oid']} has no integer `size`.")
        if "error" in obj:
            error = obj["error"] if isinstance(obj["error"], dict) else {}
            errors.append(
                f"Encountered error for file with OID {obj['oid']}:"
                f" `{error.get('message', obj['error'])}`"
            )
            continue
        upload = _action(obj, "upload")
        verify = _action(obj, "verify")
        if upload is None or obj["oid"] in seen:
            continue  # already stored, or already scheduled
        if obj["oid"] not in by_oid:
            raise _malformed(f"object {obj['oid']} was not requested.")
        seen.add(obj["oid"])
        uploads.append(
            LfsUpload(
                addition=by_oid[obj["oid"]],
                href=upload["href"],
                header=dict(upload.get("header") or {}),
                verify_href=verify["href"] if verify is not None else None,
            )
        )
    if errors:
        raise ValueError("LFS batch endpoint returned errors:\n" + "\n".join(errors))


def _part_urls(upload: LfsUpload) -> Tuple[int, List[str]]:
    """``(chunk_size, part URLs in order)`` of a multipart upload."""
    try:
        chunk_size = int(upload.header["chunk_size"])
    except (TypeError, ValueError):
        raise ValueError(
            f"Invalid chunk_size in server response: {upload.header['chunk_size']!r}."
        ) from None
    if chunk_size <= 0:
        raise ValueError(f"Invalid chunk_size in server response: {chunk_size}.")
    keys = sorted((key for key in upload.header if key.isdigit()), key=int)
    expected = math.ceil(upload.addition.upload_info.size / chunk_size)
    if len(keys) != expected:
        raise ValueError(
            "Invalid server response to upload large LFS file: expected"
            f" {expected} part URLs, got {len(keys)}."
        )
    return chunk_size, [str(upload.header[key]) for key in keys]


class _Job:
    """The transfer of one object: part tasks, then completion and verify.

    ``done`` resolves once the object is fully sent (or failed). Part tasks run on
    the shared pool; the last part to finish submits the completion task, so no
    worker ever blocks waiting for another.
    """

    def __init__(self, sender: "_Sender", upload: LfsUpload) -> None:
        self.sender = sender
        self.upload = upload
        self.addition = upload.addition
        self.size = self.addition.upload_info.size
        self.done: "Future[None]" = Future()
        self._lock = threading.Lock()
        self._stream_lock = threading.Lock()  # for a caller's file object shared by parts
        if "chunk_size" in upload.header:
            chunk_size, urls = _part_urls(upload)
            self.parts = [
                (url, index * chunk_size, min(chunk_size, self.size - index * chunk_size))
                for index, url in enumerate(urls)
            ]
            self.multipart = True
        else:
            self.parts = [(upload.href, 0, self.size)]
            self.multipart = False
        self.etags: List[Optional[str]] = [None] * len(self.parts)
        self._remaining = len(self.parts)
        self.progress: Optional[ProgressCounter] = None
        source = self.addition.path_or_fileobj
        # A caller's stream is read by slices; its position is put back at the end.
        self._stream_start = None if isinstance(source, (str, bytes)) else source.tell()  # type: ignore[union-attr]
        if isinstance(self.addition.path_or_fileobj, str):
            name = self.addition.path_or_fileobj.replace("\\", "/").rsplit("/", 1)[-1]
            progress = self.progress = ProgressCounter(name, self.size)
            self.done.add_done_callback(lambda _: progress.close())

    def restore_stream(self) -> None:
        if self._stream_start is not None:
            with self._stream_lock:
                self.addition.path_or_fileobj.seek(self._stream_start)  # type: ignore[union-attr]

    def start(self, pool: Executor) -> None:
        for index in range(len(self.parts)):
            if self.done.done():
                return
            future: "Future[None]" = pool.submit(self._send_part, index)
            future.add_done_callback(functools.partial(self._part_done, pool=pool))

    def _send_part(self, index: int) -> None:
        url, offset, length = self.parts[index]
        response = self.sender.put(
            url, self.addition, offset, length, self._stream_lock, self.progress
        )
        if self.multipart:
            etag = response.headers.get("ETag")
            if not etag:
                raise ValueError(f"Invalid etag (`{etag}`) returned for part {index + 1}.")
            self.etags[index] = etag

    def _part_done(self, future: "Future[None]", *, pool: Executor) -> None:
        error = _error_of(future)
        if error is not None:
            self.fail(error)
            return
        with self._lock:
            self._remaining -= 1
            last = self._remaining == 0
        if last:
            try:
                # Ahead of the transfers still waiting: the object is done once verified.
                submit_first = getattr(pool, "submit_first", pool.submit)
                submit_first(self._finish).add_done_callback(self._finish_done)
            except RuntimeError as exc:  # the pool is shutting down after another failure
                self.fail(exc)

    def _finish(self) -> None:
        oid = self.addition.upload_info.sha256.hex()
        if self.multipart:
            parts = [{"partNumber": n, "etag": etag} for n, etag in enumerate(self.etags, 1)]
            self.sender.complete(self.upload.href, {"oid": oid, "parts": parts})
        if self.upload.verify_href is not None:
            self.sender.verify(self.upload.verify_href, {"oid": oid, "size": self.size})

    def _finish_done(self, future: "Future[None]") -> None:
        error = _error_of(future)
        if error is not None:
            self.fail(error)
        else:
            with self._lock:
                if not self.done.done():
                    self.done.set_result(None)

    def fail(self, error: BaseException) -> None:
        with self._lock:
            if not self.done.done():
                self.done.set_exception(error)


def _error_of(future: "Future[Any]") -> Optional[BaseException]:
    if future.cancelled():
        return CancelledError()
    return future.exception()


class _Sender:
    """The three kinds of request sent outside the batch call."""

    def __init__(
        self,
        http: HubSession,
        token: str,
        endpoint: str,
        timeout: Timeout,
        on_sent: Optional[OnRead] = None,
    ) -> None:
        self.http = http
        self.token = token
        self.endpoint = endpoint.rstrip("/")
        self.timeout = timeout
        self.on_sent = on_sent

    def put(
        self,
        url: str,
        addition: CommitOperationAdd,
        offset: int,
        length: int,
        lock: threading.Lock,
        progress: Optional[ProgressCounter],
    ) -> requests.Response:
        counted = [0]

        def body() -> SliceReader:
            # A new reader per attempt: a retry re-reads the slice from disk, and the
            # bytes of the failed attempt are taken back from the progress bar.
            on_read: Optional[OnRead] = self.on_sent
            if progress is not None:
                progress.update(-counted[0])
                counted[0] = 0
                also = self.on_sent

                def on_read(count: int) -> None:
                    counted[0] += count
                    progress.update(count)
                    if also is not None:
                        also(count)

            return open_slice(addition, offset, length, lock=lock, on_read=on_read)

        # No auth, no extra header: the URL is pre-signed third-party storage.
        return self.http.request("PUT", url, body_factory=body, retry=True, timeout=self.timeout)

    def complete(self, url: str, payload: Dict[str, Any]) -> None:
        self.http.request(
            "POST", url, headers=LFS_HEADERS, json=payload, retry=True, timeout=self.timeout
        )

    def verify(self, url: str, payload: Dict[str, Any]) -> None:
        # The Hub's verify URL wants Basic ``USER:<token>``; a URL elsewhere gets nothing.
        on_hub = url == self.endpoint or url.startswith(self.endpoint + "/")
        self.http.request(
            "POST",
            url,
            headers={"Content-Type": "application/json"},
            auth=HTTPBasicAuth("USER", self.token) if on_hub else None,
            json=payload,
            retry=True,
            timeout=self.timeout,
        )


class _InlineExecutor(Executor):
    """Runs each task immediately in the calling thread (one object, one part)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> "Future[Any]":
        future: "Future[Any]" = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def upload_lfs_files(
    http: HubSession,
    uploads: Sequence[LfsUpload],
    *,
    token: str,
    endpoint: str,
    num_threads: int = 5,
    timeout: Timeout = None,
    max_threads: Optional[int] = None,
) -> None:
    """Send every object of ``uploads`` to storage, in parallel, and verify them.

    A single-part upload of a single object runs in the calling thread; otherwise all
    parts of all objects share a pool of ``num_threads`` workers. On the first failure
    no new request is started; requests already running finish; the error is raised
    for the first failed object in order.

    Args:
        http: the client's session.
        uploads: from :func:`request_lfs_uploads`.
        token: the user's token (only for a verify URL on ``endpoint``).
        endpoint: the Hub's base URL.
        num_threads: number of simultaneous requests.
        timeout: overrides the session's default timeout.
        max_threads: when above ``num_threads``, the number of simultaneous requests
            grows towards it while that makes the transfers faster (see
            :class:`~hfapi.commit.concurrency.ParallelismProbe`).

    Raises:
        RuntimeError: ``Error while uploading '<path>' to the Hub.``, caused by the
            original error.
        SourceChangedError: a local file changed since it was hashed (not retried).

    Example:
        >>> upload_lfs_files(http, uploads, token="hf_x", endpoint="https://huggingface.co")
    """
    if not uploads:
        return
    sender = _Sender(http, token, endpoint, timeout)
    jobs: List[_Job] = []
    for upload in uploads:
        try:
            jobs.append(_Job(sender, upload))
        except ValueError as exc:
            _raise_for(upload.addition, exc)
    overall = tqdm(desc=f"Upload {len(jobs)} LFS files", total=len(jobs)) if len(jobs) > 1 else None
    overall_lock = threading.Lock()

    def advance(future: "Future[None]") -> None:
        if overall is not None and _error_of(future) is None:
            with overall_lock:
                overall.update(1)

    for job in jobs:
        job.done.add_done_callback(advance)
    total_units = sum(len(job.parts) for job in jobs)
    pool: Executor
    if total_units == 1 or num_threads <= 1:
        pool = _InlineExecutor()
    else:
        pool = group = CallGroup(max_workers=num_threads)
        if max_threads is not None and max_threads > num_threads:
            sender.on_sent = ParallelismProbe(group, limit=max_threads).sent
    try:
        for job in jobs:
            job.start(pool)
            if job.done.done() and job.done.exception() is not None:
                break  # inline mode: do not start the next objects
        # Returns at the first failure (or when everything succeeded): a failed object
        # does not wait for slow transfers of other objects to be reported.
        wait([job.done for job in jobs], return_when=FIRST_EXCEPTION)
        for job in jobs:
            error = job.done.exception() if job.done.done() else None
            if error is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                _raise_for(job.addition, error)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if overall is not None:
            overall.close()
        for job in jobs:
            job.fail(CancelledError())  # resolves unfinished jobs, which closes their bars
            job.restore_stream()


def _raise_for(addition: CommitOperationAdd, error: BaseException) -> NoReturn:
    logger.debug("LFS transfer of %s failed: %r", addition.path_in_repo, error)
    if isinstance(error, SourceChangedError):
        raise error  # it names the file; an "error while uploading" wrapper would mislead
    raise RuntimeError(f"Error while uploading '{addition.path_in_repo}' to the Hub.") from error
