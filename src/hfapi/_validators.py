"""Input rules checked before any request is sent, and the URL quoting they imply."""

from __future__ import annotations

import functools
import inspect
import re
import warnings
from typing import Any, Callable, Optional, TypeVar, cast
from urllib.parse import quote as _urlquote

from . import constants
from .errors import HFValidationError

F = TypeVar("F", bound=Callable[..., Any])

_REPO_ID_RE = re.compile(r"^(\b[\w\-.]+\b/)?\b[\w\-.]{1,96}\b$")
_REPO_ID_ARGS = ("repo_id", "from_id", "to_id")


def validate_repo_id(repo_id: Any) -> None:
    """Check a repo id: ``name`` or ``namespace/name``, word characters, ``-`` and ``.``.

    Raises:
        HFValidationError: with a message naming the broken rule.

    Example:
        >>> validate_repo_id("alice/my-model")
    """
    if not isinstance(repo_id, str):
        raise HFValidationError(f"Repo id must be a string, not {type(repo_id)}: '{repo_id}'.")
    if repo_id.count("/") > 1:
        raise HFValidationError(
            "Repo id must be in the form 'repo_name' or 'namespace/repo_name':"
            f" '{repo_id}'. Use `repo_type` argument if needed."
        )
    if not _REPO_ID_RE.match(repo_id) or repo_id.endswith("\n"):
        raise HFValidationError(
            "Repo id must use alphanumeric chars or '-', '_', '.', '--' and '..' are"
            " forbidden, '-' and '.' cannot start or end the name, max length is 96:"
            f" '{repo_id}'."
        )
    if "--" in repo_id or ".." in repo_id:
        raise HFValidationError(f"Cannot have -- or .. in repo_id: '{repo_id}'.")
    if repo_id.endswith(".git"):
        raise HFValidationError(f"Repo_id cannot end by '.git': '{repo_id}'.")


def validate_repo_type(repo_type: Optional[str], message: str = "Invalid repo type") -> str:
    """Return the repo type with ``None`` read as ``"model"``.

    Raises:
        ValueError: anything but ``None``, ``"model"``, ``"dataset"`` or ``"space"``.

    Example:
        >>> validate_repo_type(None)
        'model'
    """
    if repo_type not in constants.REPO_TYPES:
        raise ValueError(message)
    return repo_type or constants.REPO_TYPE_MODEL


def quote(value: str, safe: str = "") -> str:
    """Percent-encode a path segment; by default slashes are encoded too.

    Example:
        >>> quote("refs/pr/1")
        'refs%2Fpr%2F1'
    """
    return _urlquote(value, safe=safe)


def check_positive_int(name: str, value: Any) -> None:
    """Raise unless ``value`` is an ``int`` (not a ``bool``) greater than zero."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"`{name}` must be an int, not {type(value).__name__}.")
    if value <= 0:
        raise ValueError(f"`{name}` must be strictly positive, got {value}.")


def check_str(name: str, value: Any, *, optional: bool = False) -> None:
    """Raise ``TypeError`` unless ``value`` is a ``str`` (or ``None`` when optional)."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError(f"`{name}` must be a string, not {type(value).__name__}.")


def validate_hub_args(func: F) -> F:
    """Validate repo ids and accept the legacy ``use_auth_token`` keyword.

    Every argument named ``repo_id``, ``from_id`` or ``to_id`` that the caller passed
    is checked with :func:`validate_repo_id` before the method runs. A
    ``use_auth_token=`` keyword is folded into ``token`` (``token`` wins, with a
    warning, when both are given).

    Example:
        >>> @validate_hub_args
        ... def repo_info(self, repo_id: str, *, token=None): ...
    """
    signature = inspect.signature(func)
    checked = [name for name in _REPO_ID_ARGS if name in signature.parameters]
    # An optional id (``to_id=None``) means "derive it"; a required one must be valid.
    optional = {n for n in checked if signature.parameters[n].default is None}
    has_token = "token" in signature.parameters

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if has_token and "use_auth_token" in kwargs:
            legacy = kwargs.pop("use_auth_token")
            # ``token`` may have been passed positionally (``whoami("hf_...")``).
            passed = signature.bind_partial(*args, **kwargs)
            if passed.arguments.get("token") is None:
                passed.arguments["token"] = legacy
                args, kwargs = passed.args, dict(passed.kwargs)
            elif legacy is not None:
                warnings.warn(
                    "Both `token` and `use_auth_token` were passed; `use_auth_token` is"
                    " deprecated and is ignored.",
                    UserWarning,
                    stacklevel=2,
                )
        if checked:
            bound = signature.bind_partial(*args, **kwargs)
            for name in checked:
                if name not in bound.arguments:
                    continue
                value = bound.arguments[name]
                if value is None and name in optional:
                    continue
                validate_repo_id(value)
        return func(*args, **kwargs)

    return cast(F, wrapper)
