"""Timestamps in the one format the Hub (and the reference client's parser) uses."""

from __future__ import annotations

import datetime
import time


def format_epoch(seconds: float) -> str:
    """Render seconds since the epoch as ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (UTC).

    Example:
        >>> format_epoch(0)
        '1970-01-01T00:00:00.000Z'
    """
    moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def now() -> str:
    """The current time in the Hub's format."""
    return format_epoch(time.time())
