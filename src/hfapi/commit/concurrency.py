"""Independent calls of the upload path, sent side by side on long-lived worker threads.

A commit of thousands of files needs one preupload call and one LFS batch call per 256
files, then one transfer per LFS object or part. Calls of one step do not depend on each
other, so over a real network waiting for them one after another costs a round trip
each; :func:`map_ordered` and :class:`CallGroup` send a few at a time.

Why one process-wide pool rather than a pool per step: each thread has its own
``requests`` session (see ``hfapi._session``), hence its own keep-alive connections. A
pool created for one step and shut down after it throws those connections away, and
the next step pays a new TCP (and TLS) handshake on every connection: one more round
trip per step. Threads that live on keep their connections warm from the preupload
calls to the LFS transfers, and from one commit to the next.

Calls run on the shared pool never wait for each other (each is one request and the
parsing of its answer), so groups sharing the pool cannot deadlock; a group only bounds
how many of its own calls run at once.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from concurrent.futures import Executor, Future
from concurrent.futures import wait as wait_for
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Deque,
    Generator,
    Iterable,
    List,
    Optional,
    Set,
    Sized,
    Tuple,
    TypeVar,
)

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger("hfapi.lfs")

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Threads of the shared pool: twice the widest group (32 transfers), so that another
#: upload's calls (or the hashing of large files) find threads too.
SHARED_POOL_SIZE = 64

_pool: Optional[Tuple[int, ThreadPoolExecutor]] = None
_pool_lock = threading.Lock()


def shared_pool() -> ThreadPoolExecutor:
    """The process-wide pool of worker threads, created on first use.

    A forked child gets a pool of its own (the parent's threads do not exist there).
    """
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            # Deferred: a plain script importing hfapi does not need a thread pool.
            from concurrent.futures import ThreadPoolExecutor

            _pool = (
                os.getpid(),
                ThreadPoolExecutor(SHARED_POOL_SIZE, thread_name_prefix="hfapi-calls"),
            )
        return _pool[1]


class CallGroup(Executor):
    """At most ``max_workers`` of its calls at a time, run on the shared pool.

    It behaves as a ``ThreadPoolExecutor`` of its own would (``submit``, ``shutdown``
    with ``cancel_futures``), except that its threads outlive it, and with them their
    connections.

    Args:
        max_workers: most calls of this group running at once (at least 1).

    Example:
        >>> group = CallGroup(max_workers=5)
        >>> futures = [group.submit(len, word) for word in ("a", "bc")]
        >>> group.shutdown()
        >>> [future.result() for future in futures]
        [1, 2]
    """

    def __init__(self, max_workers: int) -> None:
        self._bound = self._free = max(1, max_workers)
        self._waiting: Deque[Tuple[Future[Any], Callable[[], Any]]] = collections.deque()
        self._started: Set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._closed = False

    @property
    def max_workers(self) -> int:
        """The group's current bound."""
        with self._lock:
            return self._bound

    def resize(self, max_workers: int) -> None:
        """Change the bound: a wider one starts waiting calls at once; a narrower one lets
        running calls finish and starts no new one until fewer than the bound run."""
        with self._lock:
            bound = max(1, max_workers)
            self._free += bound - self._bound
            self._bound = bound
        self._start_waiting()

    def submit(self, fn: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Future[Result]:
        """Schedule ``fn(*args, **kwargs)``; it starts when one of the group's slots is free.

        Raises:
            RuntimeError: the group was shut down.
        """
        return self._schedule(lambda: fn(*args, **kwargs), first=False)

    def submit_first(self, fn: Callable[[], Result]) -> Future[Result]:
        """Schedule ``fn()`` ahead of every call still waiting for a slot.

        For the short step that finishes a piece of work (an LFS object's completion and
        verify call): it must not wait behind every transfer not started yet.

        Raises:
            RuntimeError: the group was shut down.
        """
        return self._schedule(fn, first=True)

    def _schedule(self, call: Callable[[], Result], first: bool) -> Future[Result]:
        future: Future[Result] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("cannot schedule new calls after shutdown")
            if first:
                self._waiting.appendleft((future, call))
            else:
                self._waiting.append((future, call))
        self._start_waiting()
        return future

    def _start_waiting(self) -> None:
        while True:
            with self._lock:
                if not self._waiting or self._free <= 0:
                    return
                future, call = self._waiting.popleft()
                if not future.set_running_or_notify_cancel():
                    continue  # cancelled while it waited
                self._free -= 1
                self._started.add(future)
            shared_pool().submit(self._run, future, call)

    def _run(self, future: Future[Any], call: Callable[[], Any]) -> None:
        # The slot is freed before the future resolves, so that a done-callback scheduling
        # a follow-up call (an LFS object's verify) can get it at once.
        try:
            result = call()
        except BaseException as error:  # handed to the waiter, as an executor does
            self._free_slot()
            future.set_exception(error)
        else:
            self._free_slot()
            future.set_result(result)
        with self._lock:
            self._started.discard(future)  # only calls still resolving stay for shutdown
        self._start_waiting()

    def _free_slot(self) -> None:
        with self._lock:
            self._free += 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Accept no more calls; optionally cancel those not started, and wait for the rest."""
        with self._lock:
            self._closed = True
            doomed = list(self._waiting) if cancel_futures else []
            if cancel_futures:
                self._waiting.clear()
        for future, _call in doomed:
            future.cancel()
        if wait:
            self._wait_for_all()

    def _wait_for_all(self) -> None:
        while True:
            with self._lock:
                pending: List[Future[Any]] = [f for f in self._started if not f.done()]
                pending += [future for future, _call in self._waiting]
            if not pending:
                return
            wait_for(pending)


def map_ordered(
    call: Callable[[Item], Result], items: Iterable[Item], max_workers: int
) -> Generator[Result, None, None]:
    """``(call(item) for item in items)``, with up to ``max_workers`` calls at a time.

    ``items`` is read lazily: producing the next item (hashing the next files, say)
    overlaps the calls already in flight. ``max_workers <= 1``, or a sized collection of
    one item, runs in the calling thread (a caller that stops at a bad answer sends
    nothing more).

    Args:
        call: one independent call (a request and the parsing of its answer).
        items: the inputs, in order; any iterable, consumed once.
        max_workers: most calls in flight at once.

    Yields:
        The results, in the order of ``items``.

    Raises:
        Exception: the error of the first failing item in order (or of producing the
            items); calls not yet started are cancelled, calls already running are
            waited for.

    Example:
        >>> list(map_ordered(len, ["a", "bc"], max_workers=2))
        [1, 2]
    """
    if max_workers <= 1 or (isinstance(items, Sized) and len(items) <= 1):
        for item in items:
            yield call(item)
        return
    group = CallGroup(max_workers)
    in_flight: Deque[Future[Result]] = collections.deque()
    try:
        # Each call is submitted as soon as its input exists, before the next is produced.
        for item in items:
            in_flight.append(group.submit(call, item))
            while in_flight and in_flight[0].done():
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        group.shutdown(wait=True, cancel_futures=True)


class ParallelismProbe:
    """Widens a :class:`CallGroup` of transfers while more of them move more bytes.

    Over a link where each connection is held to a rate of its own (a long round trip,
    a per-flow limit), twice the transfers move twice the bytes; over a shared
    bottleneck, or when the CPU is the limit, they move no more. The probe lets the
    transfers settle (``settle`` seconds: new connections fill their buffers, which
    would look like speed), measures the rate of bytes sent over ``window`` seconds,
    then doubles the bound (up to ``limit``) and measures again. A doubling that did
    not raise the rate by ``min_gain`` is undone, and probing stops there.

    Args:
        group: the group running the transfers.
        limit: the highest bound the probe may set.
        window: seconds of sending per measurement.
        settle: seconds ignored after the start and after each change of the bound.
        min_gain: the relative growth of the rate that pays for more parallelism
            (doubling gives about +100% when it pays, about 0% when it does not).
        clock: a monotonic clock (injectable for tests).

    Example:
        >>> probe = ParallelismProbe(group, limit=16)
        >>> probe.sent(1024 * 1024)  # from the transfers, as bytes leave
    """

    def __init__(
        self,
        group: CallGroup,
        limit: int,
        window: float = 0.5,
        settle: float = 0.25,
        min_gain: float = 0.3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._group = group
        self._limit = limit
        self._window = window
        self._settle = settle
        self._min_gain = min_gain
        self._clock = clock
        self._lock = threading.Lock()
        #: Start of the settling period, then of the measurement (None: nothing sent yet).
        self._since: Optional[float] = None
        self._settled = False
        self._bytes = 0
        #: The rate measured before the last doubling, and the bound it was measured at.
        self._before: Optional[Tuple[float, int]] = None
        self._probing = group.max_workers < limit

    def sent(self, count: int) -> None:
        """Count ``count`` bytes sent; at the end of a window, decide on the bound."""
        now = self._clock()
        with self._lock:
            if not self._probing:
                return
            if self._since is None:
                self._since = now
            if not self._settled:
                if now - self._since < self._settle:
                    return
                self._since, self._settled, self._bytes = now, True, 0
            self._bytes += count
            elapsed = now - self._since
            if elapsed < self._window:
                return
            rate, bound = self._bytes / elapsed, self._group.max_workers
            if self._before is not None and rate < self._before[0] * (1 + self._min_gain):
                new_bound, verdict = self._before[1], "no gain"
                self._probing = False
            else:
                new_bound, verdict = min(self._limit, 2 * bound), "more"
                self._before, self._probing = (rate, bound), new_bound < self._limit
            self._since, self._settled = now, False
        logger.debug("%.1f MB/s with %d transfers (%s): %d", rate / 1e6, bound, verdict, new_bound)
        self._group.resize(new_bound)
