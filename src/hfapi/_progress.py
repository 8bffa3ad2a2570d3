"""Progress bars: one switch for all of them, and a tqdm that obeys it.

``HF_HUB_DISABLE_PROGRESS_BARS`` (read once, at import) wins over the functions
below: when it is set, calling the opposite function only warns. This is the
reference client's contract, so scripts written for it keep their behaviour.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any, Optional

from tqdm.auto import tqdm as _auto_tqdm

from . import constants

__all__ = [
    "ProgressCounter",
    "are_progress_bars_disabled",
    "disable_progress_bars",
    "enable_progress_bars",
    "tqdm",
]

_enabled: bool = constants.HF_HUB_DISABLE_PROGRESS_BARS is not True


def disable_progress_bars() -> None:
    """Turn off every progress bar hfapi shows (uploads, hashing).

    Has no effect, apart from a warning, when ``HF_HUB_DISABLE_PROGRESS_BARS=0`` is set
    in the environment: the environment variable has priority.

    Example:
        >>> disable_progress_bars()
        >>> are_progress_bars_disabled()
        True
    """
    global _enabled
    if constants.HF_HUB_DISABLE_PROGRESS_BARS is False:
        warnings.warn(
            "Cannot disable progress bars: the environment variable"
            " `HF_HUB_DISABLE_PROGRESS_BARS=0` is set and has priority.",
            UserWarning,
            stacklevel=2,
        )
        return
    _enabled = False


def enable_progress_bars() -> None:
    """Turn progress bars back on.

    Has no effect, apart from a warning, when ``HF_HUB_DISABLE_PROGRESS_BARS=1`` is set
    in the environment: the environment variable has priority.

    Example:
        >>> enable_progress_bars()
        >>> are_progress_bars_disabled()
        False
    """
    global _enabled
    if constants.HF_HUB_DISABLE_PROGRESS_BARS is True:
        warnings.warn(
            "Cannot enable progress bars: the environment variable"
            " `HF_HUB_DISABLE_PROGRESS_BARS=1` is set and has priority.",
            UserWarning,
            stacklevel=2,
        )
        return
    _enabled = True


def are_progress_bars_disabled() -> bool:
    """Tell whether progress bars are currently off.

    Returns:
        ``True`` when bars are disabled (by the environment or by
        :func:`disable_progress_bars`).

    Example:
        >>> are_progress_bars_disabled()
        False
    """
    return not _enabled


class tqdm(_auto_tqdm):  # type: ignore[type-arg]  # lowercase: the reference's name
    """``tqdm.auto.tqdm`` that stays silent while progress bars are disabled.

    Example:
        >>> for _ in tqdm(range(3), desc="work"):
        ...     pass
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if are_progress_bars_disabled():
            kwargs["disable"] = True
        super().__init__(*args, **kwargs)

    def __delattr__(self, attr: str) -> None:
        # A disabled bar never creates some attributes that ``close()`` deletes.
        try:
            super().__delattr__(attr)
        except AttributeError:
            if attr != "_lock":
                raise


class ProgressCounter:
    """A byte counter shared by several threads, drawn as a bar created on first use.

    Parts of one file are sent by different threads: they all report here. The bar
    only appears once bytes actually move, so a file that fails before sending shows
    nothing.

    Args:
        desc: label of the bar (the file's base name).
        total: expected number of bytes.

    Example:
        >>> counter = ProgressCounter("weights.bin", 1024)
        >>> counter.update(512); counter.close()
    """

    def __init__(self, desc: str, total: int) -> None:
        self._desc = desc
        self._total = total
        self._lock = threading.Lock()
        self._bar: Optional[tqdm] = None
        self._closed = False

    def update(self, count: int) -> None:
        """Add ``count`` bytes (negative to take back bytes of a failed attempt)."""
        if count == 0:
            return
        with self._lock:
            if self._closed:
                return
            if self._bar is None:
                self._bar = tqdm(
                    desc=self._desc,
                    total=self._total,
                    unit="B",
                    unit_scale=True,
                    unit_divisor=1024,
                )
            self._bar.update(count)

    def close(self) -> None:
        """Close the bar, if it was ever shown; later updates are ignored."""
        with self._lock:
            self._closed = True
            if self._bar is not None:
                self._bar.close()
