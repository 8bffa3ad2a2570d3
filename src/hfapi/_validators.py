"""Input rules checked before any request is sent, and the URL quoting they imply."""

from __future__ import annotations

import functools
import re
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, FrozenSet, Optional, Tuple, TypeVar, cast
from urllib.parse import quote as _urlquote

from . import constants
from .errors import HFValidationError

if TYPE_CHECKING:  # imported by the first check: ``import hfapi`` does without it (issue 14)
    import inspect

F = TypeVar("F", bound=Callable[..., Any])

_REPO_ID_RE = re.compile(r"^(\b[\w\-.]+\b/)?\b[\w\-.]{1,96}\b$")
#: Most simultaneous transfers a commit may ask for (each one is a thread).
MAX_NUM_THREADS = 256


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


def _has_control_character(value: str) -> bool:
    return any(ord(char) < 0x20 or char == "\x7f" for char in value)


def check_revision(name: str, value: Any, *, optional: bool = False) -> None:
    """Check a revision, branch or tag name that goes into a URL path segment.

    ``""``, ``"."`` and ``".."`` are refused: an empty segment reaches another route,
    and HTTP stacks drop dot segments from URLs (``.../commits/..`` becomes a request
    for the repo itself). Control characters (NUL, newline...) are never part of a
    git reference or commit id.

    Raises:
        TypeError: not a ``str`` (``None`` allowed when ``optional``).
        ValueError: empty, a dot segment, or a control character.

    Example:
        >>> check_revision("revision", "refs/pr/1")
    """
    check_str(name, value, optional=optional)
    if value is None:
        return
    if value in ("", ".", ".."):
        raise ValueError(f"`{name}` must name a branch, tag or commit, got {value!r}.")
    if _has_control_character(value):
        raise ValueError(f"`{name}` must not contain control characters: {value!r}.")


def check_num_threads(name: str, value: Any) -> None:
    """Check a thread count: an ``int`` from 1 to :data:`MAX_NUM_THREADS`.

    Raises:
        TypeError: not an ``int`` (``bool``, ``float`` and ``str`` included).
        ValueError: out of range.

    Example:
        >>> check_num_threads("num_threads", 8)
    """
    check_positive_int(name, value)
    if value > MAX_NUM_THREADS:
        raise ValueError(f"`{name}` must be at most {MAX_NUM_THREADS}, got {value}.")


def check_user_name(name: str, value: Any) -> None:
    """Check a user or organisation name that goes into a URL path segment.

    The rules are those of the name part of a repo id (no ``/``).

    Raises:
        TypeError: not a ``str``.
        HFValidationError: not a valid name.

    Example:
        >>> check_user_name("user", "alice")
    """
    check_str(name, value)
    valid = "/" not in value
    if valid:
        try:
            validate_repo_id(value)
        except HFValidationError:
            valid = False
    if not valid:
        raise HFValidationError(
            f"`{name}` must be a Hub user or organisation name (letters, digits, '-', '_',"
            f" '.'), got {value!r}."
        )


def normalize_repo_path(path: Any, *, name: str = "path_in_repo", folder: bool = False) -> str:
    """Clean a path inside a repository, or refuse it.

    The reference client's cleaning is kept: one leading ``/`` and then one leading
    ``./`` are removed. The result must then be a plain relative path: not empty, no
    NUL, no ``.``, ``..`` or ``.git`` component, no empty component (``a//b``). A
    trailing ``/`` is kept (it marks a folder for deletions).

    Args:
        path: the path as the caller wrote it.
        name: the argument's name, for messages.
        folder: the path names a destination folder (``upload_folder``): ``""``,
            ``"."`` and ``"/"`` mean the root (returned as ``""``) and surrounding
            slashes are removed.

    Returns:
        The normalised path.

    Raises:
        TypeError: not a ``str``.
        ValueError: a path that escapes the repository, touches ``.git`` or cannot
            name a file.

    Example:
        >>> normalize_repo_path("/./weights.bin")
        'weights.bin'
    """
    check_str(name, path)
    if folder:
        path = path.strip("/")
        if path in ("", "."):
            return ""
    cleaned: str = path[1:] if path.startswith("/") else path
    if cleaned.startswith("./"):
        cleaned = cleaned[2:]
    parts = cleaned.split("/")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()  # the trailing "/" of a folder
    if ".git" in parts:
        raise ValueError(
            f"Invalid `{name}` in CommitOperation: files under a '.git/' folder cannot be"
            f" updated (path: {path!r})."
        )
    if "\0" in cleaned or any(part in ("", ".", "..") for part in parts):
        raise ValueError(
            f"Invalid `{name}` in CommitOperation: {path!r} is not a relative path inside"
            " the repository (empty, '.' or '..' component, or NUL character)."
        )
    return cleaned


def _check_repo_type(name: str, value: Any, method: str) -> None:
    # A ValueError whatever the value, as the reference raises for these methods.
    validate_repo_type(value, _REPO_TYPE_MESSAGES.get(method, INVALID_REPO_TYPE))


def _check_path_type(name: str, value: Any, method: str) -> None:
    # Only the type here: what the path may contain is checked where the operation
    # is built (``normalize_repo_path``), before any request.
    check_str(name, value)


Rule = Callable[[str, Any, str], None]

#: Argument name -> rule. An argument the caller left out is not checked; ``None`` is
#: accepted for an argument whose default is ``None``. Methods that paste an unknown
#: repo type into the URL, as the reference does, do not name ``repo_type`` here.
_RULES: Dict[str, Rule] = {
    "repo_id": lambda name, value, _: validate_repo_id(value),
    "from_id": lambda name, value, _: validate_repo_id(value),
    "to_id": lambda name, value, _: validate_repo_id(value),
    "revision": lambda name, value, _: check_revision(name, value),
    "branch": lambda name, value, _: check_revision(name, value),
    "tag": lambda name, value, _: check_revision(name, value),
    "num_threads": lambda name, value, _: check_num_threads(name, value),
    "user": lambda name, value, _: check_user_name(name, value),
    "path_in_repo": _check_path_type,
}

#: The reference's message for a bad ``repo_type``, per method that checks it.
_REPO_TYPE_MESSAGES = {
    "create_repo": "Invalid repo type",
    "delete_repo": "Invalid repo type",
    "update_repo_visibility": "Invalid repo type",
    "repo_info": "Unsupported repo type.",
}
_REPO_TYPE_CHECKED = {
    *_REPO_TYPE_MESSAGES,
    "create_commit",
    "upload_file",
    "upload_folder",
    "delete_file",
    "delete_folder",
}
INVALID_REPO_TYPE = f"Invalid repo type, must be one of {constants.REPO_TYPES}"


def validate_hub_args(func: F) -> F:
    """Check the arguments every Hub method shares, and accept ``use_auth_token``.

    Each argument with a rule in ``_RULES`` (repo ids, revisions, branch and tag
    names, ``num_threads``, ``user``, the type of ``path_in_repo``; ``repo_type`` for
    the methods that check it) is checked before the method runs, so a bad value
    never reaches the network. A ``use_auth_token=`` keyword is folded into ``token``
    (``token`` wins, with a warning, when both are given).

    Example:
        >>> @validate_hub_args
        ... def repo_info(self, repo_id: str, *, token=None): ...
    """
    method = func.__name__

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signature, rules, optional, has_token = _checks_of(func)
        if has_token and "use_auth_token" in kwargs:
            args, kwargs = _fold_legacy_token(signature, args, kwargs)
        if rules:
            bound = signature.bind_partial(*args, **kwargs)
            for name, rule in rules.items():
                if name not in bound.arguments:
                    continue
                value = bound.arguments[name]
                if value is None and name in optional:
                    continue
                rule(name, value, method)
        return func(*args, **kwargs)

    return cast(F, wrapper)


@functools.cache
def _checks_of(
    func: Callable[..., Any],
) -> Tuple[inspect.Signature, Dict[str, Rule], FrozenSet[str], bool]:
    """What :func:`validate_hub_args` checks for ``func``: its signature, the rule of each
    checked argument, the optional ones among them, and whether it takes ``token``.

    Worked out on the method's first call and kept: ``inspect.signature`` of every Hub
    method at import time would cost ``import hfapi`` milliseconds (issue 14).
    """
    import inspect

    signature = inspect.signature(func)
    rules = {name: rule for name, rule in _RULES.items() if name in signature.parameters}
    if "repo_type" in signature.parameters and func.__name__ in _REPO_TYPE_CHECKED:
        rules["repo_type"] = _check_repo_type
    # An optional argument (``to_id=None``, ``revision=None``) may be left to ``None``.
    optional = frozenset(n for n in rules if signature.parameters[n].default is None)
    return signature, rules, optional, "token" in signature.parameters


def _fold_legacy_token(
    signature: inspect.Signature, args: Tuple[Any, ...], kwargs: Dict[str, Any]
) -> Tuple[Tuple[Any, ...], Dict[str, Any]]:
    legacy = kwargs.pop("use_auth_token")
    # ``token`` may have been passed positionally (``whoami("hf_...")``).
    passed = signature.bind_partial(*args, **kwargs)
    if passed.arguments.get("token") is None:
        passed.arguments["token"] = legacy
        return passed.args, dict(passed.kwargs)
    if legacy is not None:
        warnings.warn(
            "Both `token` and `use_auth_token` were passed; `use_auth_token` is"
            " deprecated and is ignored.",
            UserWarning,
            stacklevel=3,
        )
    return args, kwargs
