"""A whole revision: list its files once, then fetch the missing ones in parallel."""

from __future__ import annotations

import os
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any, Callable, List, Optional

from .._progress import tqdm
from ..errors import LocalEntryNotFoundError
from .cache import RepoCache

__all__ = ["cached_snapshot", "fetch_all"]


def cached_snapshot(cache: RepoCache, revision: str, what: str, error: Optional[Exception]) -> str:
    """The snapshot folder of ``revision`` already in the cache, for an offline call.

    Args:
        cache: the repo's cache.
        revision: branch, tag or commit id.
        what: the repo, as named in the error message.
        error: why the Hub was not asked (``None``: offline by choice).

    Raises:
        LocalEntryNotFoundError: the cache holds no snapshot of that revision.
    """
    commit = cache.commit_for(revision)
    if commit is not None and os.path.isdir(cache.snapshot(commit)):
        return cache.snapshot(commit)
    if error is None:
        reason = "outgoing traffic is disabled (local_files_only=True or HF_HUB_OFFLINE=1)"
    else:
        reason = f"the Hub could not be reached ({type(error).__name__})"
    raise LocalEntryNotFoundError(
        f"Cannot find a snapshot of {what} at revision {revision!r} in the local cache"
        f" ({cache.path}) and {reason}. Download it once with network access."
    ) from error


def fetch_all(
    fetch_one: Callable[[str], Any],
    filenames: List[str],
    *,
    max_workers: int,
    tqdm_class: Optional[Any],
) -> None:
    """Run ``fetch_one`` on every file with ``max_workers`` threads, one bar for all.

    The first failure cancels the files not started yet and is raised once the
    running ones end (their blobs stay consistent: each transfer is atomic).
    """
    bar_class = tqdm_class or tqdm
    bar = bar_class(total=len(filenames), desc=f"Fetching {len(filenames)} files")

    def fetch_and_count(name: str) -> None:
        fetch_one(name)
        bar.update(1)

    try:
        with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="hfapi-dl") as pool:
            futures = [pool.submit(fetch_and_count, name) for name in filenames]
            _, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
    finally:
        bar.close()
    for future in futures:
        error = None if future.cancelled() else future.exception()
        if error is not None:
            raise error
