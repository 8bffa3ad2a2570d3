"""Independent calls of one commit step, sent side by side with a bound.

A commit of thousands of files needs one preupload call and one LFS batch call per 256
files. The calls of one step do not depend on each other, so over a real network
waiting for them one after another costs a round trip each; :func:`map_ordered` sends
a few at a time and hands the answers back in the order a sequential loop would have.
"""

from __future__ import annotations

from typing import Callable, Generator, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_ordered(
    call: Callable[[Item], Result], items: Sequence[Item], max_workers: int
) -> Generator[Result, None, None]:
    """``(call(item) for item in items)``, with up to ``max_workers`` calls at a time.

    One item, or ``max_workers <= 1``, runs lazily in the calling thread (its connection
    is reused, and a caller that stops at a bad answer sends nothing more). Otherwise the
    calls run on a short-lived pool; closing the iterator early cancels the calls not
    yet started.

    Args:
        call: one independent call (a request and the parsing of its answer).
        items: the inputs, in order.
        max_workers: most calls in flight at once.

    Yields:
        The results, in the order of ``items``.

    Raises:
        Exception: the error of the first failing item in order; calls not yet started
            are cancelled, calls already running are waited for.

    Example:
        >>> list(map_ordered(len, ["a", "bc"], max_workers=2))
        [1, 2]
    """
    if len(items) <= 1 or max_workers <= 1:
        for item in items:
            yield call(item)
        return
    # Deferred: a plain script importing hfapi does not need a thread pool.
    from concurrent.futures import ThreadPoolExecutor

    workers = min(max_workers, len(items))
    with ThreadPoolExecutor(workers, thread_name_prefix="hfapi-calls") as pool:
        futures = [pool.submit(call, item) for item in items]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()
