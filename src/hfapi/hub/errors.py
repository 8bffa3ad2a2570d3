"""The one error type of the local Hub, and the constructors for the Hub's usual answers.

Backends and routes raise :class:`HubError`; :func:`hfapi.hub.app.HubApp.handle` turns it
into the response (status, ``X-Error-Code``, ``X-Error-Message``, ``{"error": ...}``)
in a single place, so every endpoint fails the same way the Hub does.
"""

from __future__ import annotations

from typing import Any, Dict, Optional


class HubError(Exception):
    """A request the Hub refuses.

    Args:
        status: HTTP status code.
        message: human-readable reason (body ``error`` and ``X-Error-Message``).
        code: value of ``X-Error-Code`` (``RepoNotFound``, ``RevisionNotFound``,
            ``EntryNotFound``, ``GatedRepo``) or ``None``.
        extra: more keys for the JSON body (e.g. ``url`` on a 409 from repo creation).
    """

    def __init__(
        self,
        status: int,
        message: str,
        code: Optional[str] = None,
        extra: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.extra = extra or {}


def bad_request(message: str) -> HubError:
    """400: the input is invalid."""
    return HubError(400, message)


def unauthorized(message: str = "Invalid username or password.") -> HubError:
    """401: no valid credentials."""
    return HubError(401, message)


def forbidden(message: str) -> HubError:
    """403: authenticated, but not allowed to do this."""
    return HubError(403, message)


def not_found(message: str = "Not Found") -> HubError:
    """404 without an error code (unknown route, unknown user...)."""
    return HubError(404, message)


def conflict(message: str, **extra: Any) -> HubError:
    """409: the thing already exists."""
    return HubError(409, message, extra=extra)


def repo_not_found(authenticated: bool) -> HubError:
    """The answer for a repo that is missing *or* that the caller may not see.

    Both cases must look the same, so that nobody learns a private repo exists:
    anonymous callers get 401, authenticated ones 404, both with ``RepoNotFound``.
    """
    if authenticated:
        return HubError(404, "Repository not found", code="RepoNotFound")
    return HubError(401, "Invalid username or password.", code="RepoNotFound")


def revision_not_found(revision: str) -> HubError:
    """404 ``RevisionNotFound``."""
    return HubError(404, f"Invalid rev id: {revision}", code="RevisionNotFound")


def entry_not_found(message: str = "Entry not found") -> HubError:
    """404 ``EntryNotFound``."""
    return HubError(404, message, code="EntryNotFound")
