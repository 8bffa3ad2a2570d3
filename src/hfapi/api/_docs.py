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


_COMMIT_DOCS = {
    "commit_description": "commit_description (`str`, *optional*): the commit's longer"
    " description.",
    "create_pr": "create_pr (`bool`, *optional*): open a pull request with the commit instead"
    " of pushing to ``revision`` (the branch the PR targets).",
    "parent_commit": "parent_commit (`str`, *optional*): commit id (5 to 40 hex characters)"
    " the branch must still be at, else the Hub refuses the commit (412); with"
    " ``create_pr``, the PR is based on it.",
    "run_as_future": "run_as_future (`bool`, *optional*): run on the client's background"
    " worker (jobs run one at a time, in order) and return a ``Future``.",
}


def with_commit_docs(func: F) -> F:
    """Shared parameter texts: the project-wide ones, then the commit ones."""
    func = with_shared_docs(func)
    if func.__doc__:
        for key, text in _COMMIT_DOCS.items():
            func.__doc__ = func.__doc__.replace("{" + key + "}", text)
    return func
