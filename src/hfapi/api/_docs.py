"""Parameter descriptions shared by many methods, written once.

Docstrings reference these by name; :func:`with_shared_docs` substitutes them.
"""

from __future__ import annotations

from typing import Callable, Dict, TypeVar

F = TypeVar("F", bound=Callable[..., object])

SHARED: Dict[str, str] = {
    "repo_id": "repo_id (`str`): ``namespace/name`` of the repository (or ``name`` for a"
    " canonical repo).",
    "repo_type": 'repo_type (`str`, *optional*): ``"model"`` (default), ``"dataset"`` or'
    ' ``"space"``.',
    "token": "token (`str` or `bool`, *optional*): token for this call. ``None`` uses the"
    " client's token, then the one stored on the machine; ``False`` sends none; ``True``"
    " requires the stored one.",
    "revision": "revision (`str`, *optional*): branch, tag or commit id; ``main`` by default.",
    "timeout": "timeout (`float`, *optional*): seconds to wait for the server; the client's"
    " default timeout otherwise.",
}


def with_shared_docs(func: F) -> F:
    """Replace ``{repo_id}``-style markers in ``func``'s docstring with :data:`SHARED`."""
    if func.__doc__:
        doc = func.__doc__
        for key, text in SHARED.items():
            doc = doc.replace("{" + key + "}", text)
        func.__doc__ = doc
    return func
