"""``CommitScheduler``: push a local folder to the Hub at regular intervals.

A daemon thread triggers a push every ``every`` minutes; each push runs on the
``HfApi``'s single background worker (:meth:`HfApi.run_as_future`), so pushes never
overlap each other or the caller's other background uploads. A push sends, as one
commit, the files whose size or modification time changed since they were last pushed.

The folder is assumed to be append-only (logs, CSV or JSON-lines files): the scan
records each changed file's size under ``scheduler.lock`` and the upload reads no
byte past it, so a line a writer appends while holding the lock waits for the next
push instead of going out half-written.

Waiting between ticks goes through a small timer object (:class:`EventTimer` by
default, :class:`ManualTimer` in tests), so a test drives ticks without sleeping.
"""

from __future__ import annotations

import atexit
import io
import logging
import math
import os
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Dict, List, Optional, Protocol, Tuple, Union, cast

from ..hf_api import HfApi
from ..models import CommitInfo
from .operations import CommitOperationAdd
from .patterns import DEFAULT_IGNORE_PATTERNS, as_pattern_list, filter_paths, list_local_files

__all__ = [
    "SCHEDULED_COMMIT_MESSAGE",
    "CappedFileReader",
    "CommitScheduler",
    "EventTimer",
    "FileState",
    "ManualTimer",
    "Timer",
]

logger = logging.getLogger("hfapi.scheduler")

#: The commit message of every scheduled push (the reference client's).
SCHEDULED_COMMIT_MESSAGE = "Scheduled Commit"

#: How long a :class:`ManualTimer` waits for the scheduler's thread before giving up.
_MANUAL_TIMER_PATIENCE = 30.0


class Timer(Protocol):
    """What the scheduler's thread waits on between two ticks."""

    def wait(self, seconds: float) -> None:
        """Return after ``seconds``, or earlier once :meth:`cancel` was called."""

    def cancel(self) -> None:
        """Wake the waiting thread now, and every later :meth:`wait` at once."""


class EventTimer:
    """The real timer: waits on a ``threading.Event`` so that ``stop()`` is immediate."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()

    def wait(self, seconds: float) -> None:
        self._cancelled.wait(seconds)

    def cancel(self) -> None:
        self._cancelled.set()


class ManualTimer:
    """A timer that only moves when told to, for tests.

    The scheduler's thread calls :meth:`wait` after each trigger; :meth:`tick` ends the
    current wait and returns once the thread has triggered the next push and waits
    again, so ``scheduler.last_future`` is then the push of that tick.

    Example:
        >>> timer = ManualTimer()
        >>> # monkeypatch.setattr(CommitScheduler, "_new_timer", lambda self: timer)
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._waits = 0
        self._ticks = 0
        self._cancelled = False
        #: The durations the thread asked to wait, in seconds.
        self.requested: List[float] = []

    def wait(self, seconds: float) -> None:
        with self._condition:
            self.requested.append(seconds)
            self._waits += 1
            turn = self._waits
            self._condition.notify_all()
            self._condition.wait_for(lambda: self._ticks >= turn or self._cancelled)

    def cancel(self) -> None:
        with self._condition:
            self._cancelled = True
            self._condition.notify_all()

    def wait_until_waiting(self) -> None:
        """Block until the thread is waiting for the next tick (its push was triggered).

        Raises:
            TimeoutError: the thread did not get there within 30 seconds.
        """
        with self._condition:
            if not self._condition.wait_for(
                lambda: self._waits > self._ticks or self._cancelled, _MANUAL_TIMER_PATIENCE
            ):
                raise TimeoutError("the scheduler's thread never waited for its next tick")

    def tick(self) -> None:
        """Let the waiting thread go on, and wait until it has triggered its next push.

        Raises:
            TimeoutError: the thread was not waiting, or did not come back in time.
        """
        self.wait_until_waiting()
        with self._condition:
            self._ticks += 1
            self._condition.notify_all()
        self.wait_until_waiting()


@dataclass(frozen=True)
class FileState:
    """What identifies one version of a local file: its size and modification time."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> "FileState":
        status = os.stat(path)
        return cls(size=status.st_size, mtime_ns=status.st_mtime_ns)


class CappedFileReader(io.BufferedIOBase):
    """A seekable binary stream over the first ``length`` bytes of a local file.

    The file is opened on first read and closed each time the end is reached, so a
    commit of thousands of files never holds thousands of descriptors. Bytes written
    past ``length`` after the scan are never read; a file that shrank ends early (the
    commit then fails and the file is pushed again at the next tick).

    Args:
        path: the local file.
        length: how many bytes, from offset 0, the stream exposes.

    Example:
        >>> reader = CappedFileReader("log.csv", 10)
        >>> len(reader.read())  # at most 10
    """

    def __init__(self, path: str, length: int) -> None:
        super().__init__()
        self.path = path
        self.length = length
        self._position = 0
        self._handle: Optional[io.BufferedReader] = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: Optional[int] = -1) -> bytes:
        """Up to ``size`` bytes (all that is left by default), never past ``length``."""
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        remaining = self.length - self._position
        if remaining <= 0:
            self._release()
            return b""
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        if self._handle is None:
            self._handle = open(self.path, "rb")  # noqa: SIM115 (closed in _release)
        self._handle.seek(self._position)
        data = self._handle.read(wanted)
        self._position += len(data)
        if not data or self._position >= self.length:
            self._release()
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        bases = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.length}
        if whence not in bases:
            raise ValueError(f"invalid whence ({whence}, should be 0, 1 or 2)")
        position = bases[whence] + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        self._position = position
        return position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._release()
        super().close()

    def _release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class CommitScheduler:
    """Push a local folder to a Hub repo every ``every`` minutes, in the background.

    It starts when built: the repo is created if needed (``exist_ok``), a first push is
    triggered at once, then one per ``every`` minutes, and a last one when the
    interpreter exits. Each push commits, in one commit named ``"Scheduled Commit"``,
    the files whose size or modification time changed since their last successful
    push; nothing is deleted remotely. A failed push is logged (logger
    ``hfapi.scheduler``) and its files are pushed again at the next tick.

    Writers should hold ``scheduler.lock`` while writing, so that a push never sees a
    half-written line.

    Args:
        repo_id (`str`): the repo to push to (a bare name goes to the token's owner).
        folder_path (`str` or `Path`): the local folder to push (created if missing).
        every (`int` or `float`, *optional*): minutes between two pushes (5 by default).
        path_in_repo (`str`, *optional*): folder of the repo to push into (the root by
            default).
        repo_type (`str`, *optional*): ``"model"`` (default), ``"dataset"`` or ``"space"``.
        revision (`str`, *optional*): the branch to push to (``main`` by default).
        private (`bool`, *optional*): create the repo private (ignored if it exists).
        token (`str`, *optional*): the token of the ``HfApi`` built when ``hf_api`` is not
            given (the stored token by default).
        allow_patterns (`List[str]` or `str`, *optional*): push only files matching one.
        ignore_patterns (`List[str]` or `str`, *optional*): never push files matching
            one (``.git`` folders are always ignored).
        hf_api (`HfApi`, *optional*): the client to push with (endpoint, token, user agent).

    Raises:
        ValueError: ``every`` is not a positive number of minutes, or ``folder_path`` is
            a file.
        HfHubHTTPError: the repo could not be created.

    Example:
        >>> scheduler = CommitScheduler(repo_id="me/logs", repo_type="dataset",
        ...                             folder_path="logs", every=10)
        >>> with scheduler.lock:
        ...     with open("logs/run.csv", "a") as f:
        ...         f.write("step,loss\\n")
    """

    def __init__(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        every: Union[int, float] = 5,
        path_in_repo: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        private: bool = False,
        token: Optional[str] = None,
        allow_patterns: Optional[Union[List[str], str]] = None,
        ignore_patterns: Optional[Union[List[str], str]] = None,
        hf_api: Optional[HfApi] = None,
    ) -> None:
        _check_every(every)
        self.api = hf_api or HfApi(token=token)
        self.folder_path = Path(folder_path).expanduser().resolve()
        if self.folder_path.is_file():
            raise ValueError(
                f"'folder_path' must be a directory, not a file: '{self.folder_path}'."
            )
        self.path_in_repo = path_in_repo or ""
        self.allow_patterns = allow_patterns
        self.ignore_patterns = (as_pattern_list(ignore_patterns) or []) + DEFAULT_IGNORE_PATTERNS
        self.folder_path.mkdir(parents=True, exist_ok=True)
        repo_url = self.api.create_repo(
            repo_id=repo_id, private=private, repo_type=repo_type, exist_ok=True
        )
        self.repo_id = repo_url.repo_id
        self.repo_type = repo_type
        self.revision = revision
        self.token = token
        self.every = every
        #: Hold it while writing to the folder: a push scans only while it is free.
        self.lock = threading.Lock()
        #: The latest push triggered (by the schedule or by :meth:`trigger`).
        self.last_future: Optional[Future[Optional[CommitInfo]]] = None
        self._pushed: Dict[str, FileState] = {}
        self._push_lock = threading.Lock()
        self._stopped = False
        self._exiting = False
        self._timer = self._new_timer()
        atexit.register(self._push_at_exit)
        self._thread = threading.Thread(
            target=self._run, name=f"hfapi-scheduler-{self.repo_id}", daemon=True
        )
        self._thread.start()

    # -- public members ------------------------------------------------------------------

    @property
    def last_uploaded(self) -> Dict[Path, float]:
        """Each file pushed so far (absolute path) and its modification time when pushed."""
        return {
            self.folder_path / relative: state.mtime_ns / 1e9
            for relative, state in self._pushed.items()
        }

    def trigger(self) -> "Future[Optional[CommitInfo]]":
        """Push now, on the client's background worker, without waiting for the next tick.

        Returns:
            A ``Future`` of the push's :class:`CommitInfo` (``None`` when nothing changed
            or the scheduler is stopped); a failed push raises from ``result()``.

        Example:
            >>> scheduler.trigger().result()
        """
        future = self.api.run_as_future(self._scheduled_push)
        self.last_future = future
        return future

    def push_to_hub(self) -> Optional[CommitInfo]:
        """Commit the files changed since their last push, in one commit.

        Meant to run through :meth:`trigger` or the schedule, which never run two pushes
        at once. Override it to push something else (a compressed archive, ...).

        Returns:
            The commit, or ``None`` when no file changed (no request is sent).

        Raises:
            HfHubHTTPError: the commit failed (its files are pushed again next time).
        """
        with self.lock:
            changed = self._scan()
        if not changed:
            logger.debug("Nothing changed in %s: no commit.", self.folder_path)
            return None
        readers, operations, states = self._operations(changed)
        try:
            if not operations:
                return None
            info = self.api.create_commit(
                repo_id=self.repo_id,
                repo_type=self.repo_type,
                operations=operations,
                commit_message=SCHEDULED_COMMIT_MESSAGE,
                revision=self.revision,
                # At exit the interpreter refuses new threads: transfers go one by one.
                num_threads=1 if self._exiting else 5,
            )
        finally:
            for reader in readers:
                reader.close()
        assert isinstance(info, CommitInfo)  # not run as a future
        self._pushed.update(states)
        return info

    def stop(self) -> None:
        """Stop the scheduler: no more pushes, not even at exit. It cannot be restarted."""
        self._stopped = True
        self._timer.cancel()
        atexit.unregister(self._push_at_exit)

    # -- the schedule --------------------------------------------------------------------

    def _new_timer(self) -> Timer:
        """The timer of the thread's waits (the seam tests replace)."""
        return EventTimer()

    def _run(self) -> None:
        """The thread: trigger a push, wait ``every`` minutes, until stopped."""
        while not self._stopped:
            try:
                self.trigger()
            except RuntimeError:
                # The interpreter is shutting down and refuses new jobs: the exit hook
                # makes the last push.
                return
            self._timer.wait(self.every * 60)

    def _scheduled_push(self) -> Optional[CommitInfo]:
        """One push, unless stopped; a failure is logged before it reaches the Future."""
        with self._push_lock:
            if self._stopped:
                return None
            try:
                return self.push_to_hub()
            except Exception:
                logger.exception(
                    "Scheduled push of '%s' to '%s' failed; its files will be pushed at the"
                    " next tick.",
                    self.folder_path,
                    self.repo_id,
                )
                raise

    def _push_at_exit(self) -> None:
        """The last push, at interpreter exit (after queued background pushes ended)."""
        self._exiting = True
        try:
            self._scheduled_push()
        except Exception:
            pass  # already logged; a traceback at exit would add nothing

    # -- one push, in steps --------------------------------------------------------------

    def _scan(self) -> List[Tuple[str, FileState]]:
        """The files to push and their current state (called under ``self.lock``)."""
        candidates = filter_paths(
            list_local_files(str(self.folder_path)),
            allow_patterns=self.allow_patterns,
            ignore_patterns=self.ignore_patterns,
        )
        changed = []
        for relative in candidates:
            try:
                state = FileState.of(str(self.folder_path / relative))
            except FileNotFoundError:
                continue  # removed since the listing
            if self._pushed.get(relative) != state:
                changed.append((relative, state))
        return changed

    def _operations(
        self, changed: List[Tuple[str, FileState]]
    ) -> Tuple[List[CappedFileReader], List[CommitOperationAdd], Dict[str, FileState]]:
        """One addition per changed file, reading no more than its scanned size.

        A file removed since the scan is left out (and not recorded as pushed).
        """
        prefix = self.path_in_repo.strip("/") + "/" if self.path_in_repo else ""
        readers: List[CappedFileReader] = []
        operations: List[CommitOperationAdd] = []
        states: Dict[str, FileState] = {}
        for relative, state in changed:
            reader = CappedFileReader(str(self.folder_path / relative), state.size)
            readers.append(reader)
            try:
                operation = CommitOperationAdd(
                    path_in_repo=prefix + relative, path_or_fileobj=cast(BinaryIO, reader)
                )
            except FileNotFoundError:
                logger.debug("'%s' was removed before its push.", relative)
                continue
            operations.append(operation)
            states[relative] = state
        return readers, operations, states


def _check_every(every: Union[int, float]) -> None:
    """``every`` must be a positive, finite number of minutes."""
    valid = (
        isinstance(every, (int, float))
        and not isinstance(every, bool)
        and math.isfinite(every)
        and every > 0
    )
    if not valid:
        raise ValueError(f"'every' must be a positive number of minutes, got {every!r}.")
