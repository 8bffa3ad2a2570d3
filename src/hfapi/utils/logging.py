"""``hfapi.utils.logging``: the reference's path to :mod:`hfapi.logging`."""

from __future__ import annotations

from ..logging import (
    CRITICAL,
    DEBUG,
    ERROR,
    INFO,
    WARNING,
    disable_propagation,
    enable_propagation,
    get_logger,
    get_verbosity,
    set_verbosity,
    set_verbosity_debug,
    set_verbosity_error,
    set_verbosity_info,
    set_verbosity_warning,
)

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
