"""The ``hfapi`` command line (also ``python -m hfapi``).

Verbs: ``login``, ``logout``, ``whoami``, ``env``, ``repo create|delete|move``,
``upload``, ``download`` and ``hub`` (runs a local Hub). Exit status: 0 on success, 1 when
the operation fails (one line: the exception's class and message; ``--debug`` adds the
traceback), 2 for a bad command line.
"""

from __future__ import annotations

from ._main import main

__all__ = ["main"]
