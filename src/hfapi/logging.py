"""The library's log output, set the way ``huggingface_hub.utils.logging`` sets it.

Every hfapi module logs under the ``hfapi`` logger. Nothing is configured at import time
(an application's own logging set-up wins); the first call of a function of this module
gives ``hfapi`` a handler on stderr and the level of ``HF_HUB_VERBOSITY`` (``warning`` by
default), and stops its records from also reaching the root logger (see
:func:`enable_propagation`).

At DEBUG, each HTTP request is one line: method, URL without its query string, status (or
the connection error), time taken and the request id. Tokens never appear in log output.

Example:
    >>> from hfapi import logging
    >>> logging.set_verbosity_debug()
    >>> logging.get_logger(__name__).info("shown from now on")
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from logging import CRITICAL, DEBUG, ERROR, INFO, WARNING
from typing import Dict, Optional

__all__ = [
    "CRITICAL",
    "DEBUG",
    "ERROR",
    "INFO",
    "WARNING",
    "disable_propagation",
    "enable_propagation",
    "get_logger",
    "get_verbosity",
    "set_verbosity",
    "set_verbosity_debug",
    "set_verbosity_error",
    "set_verbosity_info",
    "set_verbosity_warning",
]

#: The logger every hfapi module logs under.
LIBRARY_LOGGER = "hfapi"
#: The environment variable the reference reads for the initial level.
VERBOSITY_ENV_VAR = "HF_HUB_VERBOSITY"
_LEVELS: Dict[str, int] = {
    "debug": DEBUG,
    "info": INFO,
    "warning": WARNING,
    "error": ERROR,
    "critical": CRITICAL,
}
_lock = threading.Lock()
_handler: Optional[logging.Handler] = None


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time of the record.

    A plain ``StreamHandler`` keeps the stream it was created with, which goes stale
    when an application (or a test runner) replaces ``sys.stderr``.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # logging must never break the caller
            self.handleError(record)


def _initial_level() -> int:
    wanted = os.environ.get(VERBOSITY_ENV_VAR, "").strip().lower()
    if not wanted:
        return WARNING
    if wanted not in _LEVELS:
        _root().warning(
            "Unknown %s=%s; expected one of %s.", VERBOSITY_ENV_VAR, wanted, ", ".join(_LEVELS)
        )
        return WARNING
    return _LEVELS[wanted]


def _root() -> logging.Logger:
    return logging.getLogger(LIBRARY_LOGGER)


def _configured_root() -> logging.Logger:
    """The ``hfapi`` logger, given its stderr handler and first level on first use."""
    global _handler
    root = _root()
    with _lock:
        if _handler is None:
            _handler = _StderrHandler()
            _handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            root.addHandler(_handler)
            root.propagate = False
            root.setLevel(_initial_level())
    return root


def get_logger(name: Optional[str] = None) -> logging.Logger:
    """Return a logger under the library's: ``hfapi`` itself, or the one called ``name``.

    Args:
        name (`str`, *optional*): a module name such as ``__name__``; names outside
            ``hfapi`` are placed under it (``"my_app"`` -> ``hfapi.my_app``).

    Returns:
        The ``logging.Logger``.
    """
    root = _configured_root()
    if name is None or name == LIBRARY_LOGGER:
        return root
    if not name.startswith(LIBRARY_LOGGER + "."):
        name = f"{LIBRARY_LOGGER}.{name}"
    return logging.getLogger(name)


def get_verbosity() -> int:
    """Return the library's level (``logging.WARNING`` unless changed)."""
    return _configured_root().getEffectiveLevel()


def set_verbosity(verbosity: int) -> None:
    """Set the library's level, e.g. ``hfapi.logging.INFO``.

    Args:
        verbosity (`int`): a ``logging`` level.
    """
    _configured_root().setLevel(verbosity)


def set_verbosity_debug() -> None:
    """Show everything, including one line per HTTP request."""
    set_verbosity(DEBUG)


def set_verbosity_info() -> None:
    """Show progress information, warnings and errors."""
    set_verbosity(INFO)


def set_verbosity_warning() -> None:
    """Show warnings and errors only (the default)."""
    set_verbosity(WARNING)


def set_verbosity_error() -> None:
    """Show errors only."""
    set_verbosity(ERROR)


def disable_propagation() -> None:
    """Keep the library's records away from the root logger (the default)."""
    _configured_root().propagate = False


def enable_propagation() -> None:
    """Let the library's records also reach the root logger and its handlers."""
    _configured_root().propagate = True
