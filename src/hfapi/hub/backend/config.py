"""Checks of a config (users, orgs, tokens, settings, repos) before anything is applied.

A config comes from a JSON file given at start or from ``POST /_hub/seed``. Checking it
whole first means that a typo is reported with the entry it is in (``users[1]
('bob').tokens[0]: unknown key 'rol'``) and that a bad file creates nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence

from ..errors import HubError, bad_request
from ..settings import HubSettings
from .identity import ORG_ROLES, TOKEN_ROLES, check_account_name

_TOP_KEYS = ("settings", "users", "orgs", "repos")
_USER_KEYS = ("name", "fullname", "email", "tokens")
_TOKEN_KEYS = ("token", "role", "name")
_ORG_KEYS = ("name", "fullname", "members", "apiToken")
_REPO_KEYS = (
    "repo_id",
    "repo_type",
    "private",
    "sdk",
    "branch",
    "message",
    "files",
    "downloads",
    "likes",
)


@contextlib.contextmanager
def config_entry(label: str) -> Iterator[None]:
    """Prefix the message of a :class:`HubError` raised in the block with ``label: ``."""
    try:
        yield
    except HubError as error:
        error.message = f"{label}: {error.message}"
        error.args = (error.message,)
        raise


def check_config(config: Any) -> None:
    """Check the shape of a whole config without applying any of it.

    Raises:
        HubError: 400 naming the first bad entry: an unknown key, a value of the wrong
            type, an invalid name, role or setting, or a token value used twice.
    """
    _object(config, _TOP_KEYS, "config")
    with config_entry("settings"):
        settings = config.get("settings") or {}
        _object(settings, None, "settings")
        try:
            HubSettings.check(settings)
        except ValueError as error:
            raise bad_request(str(error)) from None
    seen: Dict[str, str] = {}
    for index, user in enumerate(_list(config, "users")):
        label = _label("users", index, user)
        with config_entry(label):
            _check_user(user, seen, label)
    for index, org in enumerate(_list(config, "orgs")):
        label = _label("orgs", index, org)
        with config_entry(label):
            _check_org(org, seen, label)
    for index, repo in enumerate(_list(config, "repos")):
        with config_entry(f"repos[{index}]"):
            _check_repo(repo)


def _check_user(user: Any, seen: Dict[str, str], label: str) -> None:
    _object(user, _USER_KEYS, "a user")
    check_account_name(user.get("name"))
    _optional_strings(user, ("fullname", "email"))
    for index, token in enumerate(_list(user, "tokens")):
        with config_entry(f"tokens[{index}]"):
            _object(token, _TOKEN_KEYS, "a token")
            _optional_strings(token, ("token", "name"))
            if token.get("role", "write") not in TOKEN_ROLES:
                raise bad_request(f"Invalid token role {token.get('role')!r}")
            _unique_token(token.get("token"), seen, f"{label}.tokens[{index}]")


def _check_org(org: Any, seen: Dict[str, str], label: str) -> None:
    _object(org, _ORG_KEYS, "an organization")
    check_account_name(org.get("name"))
    _optional_strings(org, ("fullname", "apiToken"))
    _unique_token(org.get("apiToken"), seen, label)
    members = org.get("members") or {}
    _object(members, None, "'members' ({user: role})")
    for user, role in members.items():
        if role not in ORG_ROLES:
            raise bad_request(f"Invalid role {role!r} for member {user!r}")


def _check_repo(repo: Any) -> None:
    _object(repo, _REPO_KEYS, "a repo")
    if not isinstance(repo.get("repo_id"), str):
        raise bad_request("A seeded repo needs a 'repo_id'")
    _optional_strings(repo, ("repo_type", "sdk", "branch", "message"))
    _object(repo.get("files") or {}, None, "'files' ({path: content})")


def _object(value: Any, keys: Optional[Sequence[str]], what: str) -> None:
    if not isinstance(value, Mapping):
        raise bad_request(f"Expected {what} as a JSON object, got {type(value).__name__}")
    if keys is not None:
        unknown = sorted(str(key) for key in value if key not in keys)
        if unknown:
            raise bad_request(
                f"Unknown key {unknown[0]!r} (known: {', '.join(keys)})"
                if len(unknown) == 1
                else f"Unknown keys {unknown!r} (known: {', '.join(keys)})"
            )


def _list(parent: Mapping[str, Any], key: str) -> List[Any]:
    value = parent.get(key) or []
    if not isinstance(value, list):
        raise bad_request(f"'{key}' must be a list")
    return value


def _optional_strings(entry: Mapping[str, Any], keys: Sequence[str]) -> None:
    for key in keys:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise bad_request(f"'{key}' must be a string")


def _unique_token(value: Any, seen: Dict[str, str], label: str) -> None:
    if value is None:
        return
    if value in seen:
        raise bad_request(f"Duplicate token: the same value is already given in {seen[value]}")
    seen[value] = label


def _label(section: str, index: int, entry: Any) -> str:
    name = entry.get("name") if isinstance(entry, Mapping) else None
    return f"{section}[{index}] ({name!r})" if isinstance(name, str) else f"{section}[{index}]"
