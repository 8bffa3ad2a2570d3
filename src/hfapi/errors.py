"""Every exception hfapi raises, and the one place where a Hub response becomes one.

Hierarchy (class names and bases are the reference client's, so ``except`` clauses
written for it keep working)::

    requests.HTTPError
     └── HfHubHTTPError                 any Hub answer >= 400
          ├── RepositoryNotFoundError   X-Error-Code RepoNotFound, or any 401
          │    └── GatedRepoError       X-Error-Code GatedRepo
          ├── RevisionNotFoundError     X-Error-Code RevisionNotFound
          ├── EntryNotFoundError        X-Error-Code EntryNotFound
          │    └── LocalEntryNotFoundError (also FileNotFoundError, ValueError)
          └── BadRequestError           400 (also ValueError)
    OSError
     └── LocalTokenNotFoundError        token=True but nothing stored
    ValueError
     └── HFValidationError              bad repo id and similar input
    requests.ConnectionError, ConnectionError
     └── OfflineModeIsEnabled           HF_HUB_OFFLINE is set: nothing was sent
    Exception
     └── MultiCommitException
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Dict, Iterable, List, Match, Optional, Tuple, Type
from urllib.parse import urlsplit, urlunsplit

import requests
from requests import HTTPError, Response

__all__ = [
    "BadRequestError",
    "CommitNotAppliedError",
    "CommitOutcomeUnknownError",
    "EntryNotFoundError",
    "GatedRepoError",
    "HFValidationError",
    "HfHubHTTPError",
    "LocalEntryNotFoundError",
    "LocalTokenNotFoundError",
    "MultiCommitException",
    "OfflineModeIsEnabled",
    "RepositoryNotFoundError",
    "RevisionNotFoundError",
    "SourceChangedError",
    "hf_raise_for_status",
    "raise_for_hub_status",
    "redact_secrets",
    "redact_url",
]

#: Longest plain-text (non-JSON) error body quoted in a message.
_MAX_TEXT_BODY = 300


def redact_url(url: Optional[str]) -> str:
    """Return ``url`` without its query string and fragment.

    Upload URLs carry signatures and pagination URLs carry cursors: neither belongs
    in an error message or a log line.
    """
    if not url:
        return ""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


#: What replaces a credential in any text we raise.
REDACTED = "<redacted>"
#: Credentials recognised by their shape: Hub user tokens, organisation tokens, and the
#: value of an ``Authorization`` header (``Bearer``/``Basic``) quoted by a server.
_CREDENTIAL = re.compile(
    r"(?<![A-Za-z0-9])(?:hf|api_org)_[A-Za-z0-9]{8,}(?![A-Za-z0-9_])"
    r"|\b(?P<scheme>(?i:bearer|basic)\s+)(?P<value>[^\s\"',;()<>\[\]{}]{8,})"
)
#: Shorter "secrets" would blank out ordinary words of a message.
_MIN_SECRET_LENGTH = 4


def _mask(match: Match[str]) -> str:
    scheme = match.group("scheme")
    if scheme is None:
        return REDACTED
    if scheme.lower().startswith("basic") and not _decode_basic(match.group("value")):
        return match.group(0)  # prose such as "Basic authentication", not a credential
    return scheme + REDACTED


def _decode_basic(credential: str) -> str:
    """``user:password`` from a Basic credential; empty when it is not one."""
    try:
        decoded = base64.b64decode(credential, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""
    return decoded if ":" in decoded else ""


def redact_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Return ``text`` with every credential replaced by ``<redacted>``.

    Args:
        text: a message about to be raised or logged.
        secrets: exact values to remove (such as the token a request carried), on top
            of anything shaped like a Hub token or an ``Authorization`` value.

    Returns:
        The cleaned text.

    Example:
        >>> redact_secrets("echo: Bearer hf_abcdefghijkl")
        'echo: Bearer <redacted>'
    """
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= _MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return _CREDENTIAL.sub(_mask, text)


def sent_credentials(request: Optional[requests.PreparedRequest]) -> Tuple[str, ...]:
    """The secrets a request carried in its ``Authorization`` header, in every form a
    server could echo: the credential, and for Basic its decoded ``user:password``."""
    if request is None:
        return ()
    value = request.headers.get("authorization") if request.headers else None
    if not value:
        return ()
    scheme, _, credential = value.strip().partition(" ")
    credential = credential.strip()
    if not credential:  # no scheme: the whole value is the secret
        return (value.strip(),)
    # The scheme stays readable ("Bearer <redacted>"): only the credential is secret.
    found = [credential]
    if scheme.lower() == "basic":
        decoded = _decode_basic(credential)
        found.extend(part for part in (decoded, decoded.partition(":")[2]) if part)
    return tuple(found)


def _redacted_or_none(text: Optional[str], secrets: Tuple[str, ...]) -> Optional[str]:
    return None if text is None else redact_secrets(text, secrets)


class HfHubHTTPError(HTTPError):
    """The Hub answered with an error status.

    Attributes:
        response: the ``requests.Response`` (``None`` when built without one).
        request_id: the ``X-Request-Id`` the server gave, if any.
        server_message: what the server said, from ``X-Error-Message`` and the body.
        error_code: the ``X-Error-Code`` header, if any.

    Whatever the server echoed, the message, these attributes and ``args`` never hold
    the credential the request carried (see :func:`redact_secrets`).

    Example:
        >>> try:
        ...     api.model_info("nobody/nothing")
        ... except HfHubHTTPError as err:
        ...     print(err.response.status_code, err.request_id)
    """

    request_id: Optional[str]
    server_message: Optional[str]
    error_code: Optional[str]

    def __init__(self, message: str, response: Optional[Response] = None) -> None:
        self.request_id = None
        self.server_message = None
        self.error_code = None
        secrets = _response_credentials(response)
        if response is not None:
            self.request_id = _redacted_or_none(response.headers.get("X-Request-Id"), secrets)
            self.error_code = _redacted_or_none(response.headers.get("X-Error-Code"), secrets)
            self.server_message = _redacted_or_none(_server_message(response), secrets)
        text = redact_secrets(self._compose(message), secrets)
        super().__init__(text, response=response)

    def _compose(self, message: str) -> str:
        if self.server_message and self.server_message.lower() not in message.lower():
            separator = "\n" if "\n\n" in message else "\n\n"
            message = message + separator + self.server_message
        tags = []
        if self.request_id and self.request_id.lower() not in message.lower():
            tags.append(f" (Request ID: {self.request_id})")
        if self.error_code and f"error code: {self.error_code}".lower() not in message.lower():
            tags.append(f" (Error code: {self.error_code})")
        if tags:
            head, newline, tail = message.partition("\n")
            message = head + "".join(tags) + newline + tail
        return message

    def append_to_message(self, additional_message: str) -> None:
        """Add ``additional_message`` at the end of the exception's text."""
        extra = redact_secrets(additional_message, _response_credentials(self.response))
        self.args = (str(self.args[0]) + extra, *self.args[1:])


def _response_credentials(response: Optional[Response]) -> Tuple[str, ...]:
    return () if response is None else sent_credentials(response.request)


class RepositoryNotFoundError(HfHubHTTPError):
    """The repository does not exist, or the caller may not see it.

    The Hub answers both cases the same way so that private repos never leak.
    """


class GatedRepoError(RepositoryNotFoundError):
    """The repository is gated and the caller is not on its access list."""


class RevisionNotFoundError(HfHubHTTPError):
    """The branch, tag or commit does not exist in the repository."""


class EntryNotFoundError(HfHubHTTPError):
    """The file or folder does not exist at the requested revision."""


class LocalEntryNotFoundError(EntryNotFoundError, FileNotFoundError, ValueError):
    """A file is missing from the local cache and the network cannot be used."""

    def __init__(self, message: str) -> None:
        super().__init__(message, response=None)


class BadRequestError(HfHubHTTPError, ValueError):
    """The Hub refused the request's content (HTTP 400)."""


class LocalTokenNotFoundError(EnvironmentError):
    """A token was required (``token=True``) but none is stored on this machine."""


class HFValidationError(ValueError):
    """An argument failed validation before any request was sent."""


class OfflineModeIsEnabled(requests.ConnectionError, ConnectionError):
    """A request was refused before sending because ``HF_HUB_OFFLINE`` is set.

    Both a ``requests.ConnectionError`` (what a network failure raises) and the builtin
    ``ConnectionError`` (the reference's base), so either ``except`` clause catches it.
    """


class MultiCommitException(Exception):
    """A multi-commit upload cannot continue (corrupted or conflicting pull request)."""


def _json_body(response: Response) -> Optional[Dict[str, Any]]:
    """The body as a JSON object; ``None`` when it is not one (text, HTML, a list...)."""
    try:
        data = json.loads(response.content or b"")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _text_body(response: Response) -> str:
    content_type = response.headers.get("Content-Type", "")
    text = (response.text or "").strip()
    if not text or "html" in content_type.lower() or text.startswith("<"):
        return ""
    if len(text) > _MAX_TEXT_BODY:
        return text[:_MAX_TEXT_BODY] + "..."
    return text


def _server_message(response: Response) -> Optional[str]:
    parts: List[str] = []
    header = response.headers.get("X-Error-Message")
    if header:
        parts.append(header)
    parsed = _json_body(response)
    body = parsed if parsed is not None else {}
    error = body.get("error")
    if isinstance(error, list):
        error = "\n".join(str(item) for item in error)
    if isinstance(error, str) and error and error not in "\n".join(parts):
        parts.append(error)
    errors = body.get("errors")
    if isinstance(errors, list):
        messages = [e["message"] for e in errors if isinstance(e, dict) and "message" in e]
        joined = "\n".join(str(m) for m in messages)
        if joined and joined not in "\n".join(parts):
            parts.append(joined)
    if parsed is None and not parts:
        text = _text_body(response)
        if text:
            parts.append(text)
    message = "\n".join(parts).strip()
    return message or None


_NOT_FOUND_HINT = (
    "\nPlease make sure you specified the correct `repo_id` and `repo_type`.\n"
    "If you are trying to access a private or gated repo, make sure you are authenticated."
)

#: X-Error-Code -> (exception class, message template). Checked before the status.
_BY_ERROR_CODE: Dict[str, Tuple[Type[HfHubHTTPError], str]] = {
    "RevisionNotFound": (RevisionNotFoundError, "Revision Not Found for url: {url}."),
    "EntryNotFound": (EntryNotFoundError, "Entry Not Found for url: {url}."),
    "GatedRepo": (GatedRepoError, "Cannot access gated repo for url {url}."),
    "RepoNotFound": (
        RepositoryNotFoundError,
        "Repository Not Found for url: {url}." + _NOT_FOUND_HINT,
    ),
}
#: Status -> error code to use when the server sent none.
_CODE_FOR_STATUS = {401: "RepoNotFound"}


def _status_line(response: Response, url: str) -> str:
    kind = "Client" if response.status_code < 500 else "Server"
    reason = response.reason
    return f"{response.status_code} {kind} Error: {reason} for url: {url}"


def raise_for_hub_status(response: Response, endpoint_name: Optional[str] = None) -> None:
    """Raise the matching exception when ``response`` is an error, else do nothing.

    The class is chosen from ``X-Error-Code`` first, then the status (401 means the
    repository is not visible, 400 a bad request). The message names the URL without
    its query string, then the server's own message, request id and error code.

    Args:
        response: the response to check.
        endpoint_name: short name of the endpoint, quoted in bad-request messages.

    Raises:
        HfHubHTTPError: or the subclass matching the answer.

    Example:
        >>> raise_for_hub_status(session.get(url))
    """
    status = response.status_code
    if status < 400:
        return
    url = redact_url(response.url)
    # The reason phrase comes from the server too: it may echo the credential.
    status_line = redact_secrets(_status_line(response, url), _response_credentials(response))
    cause = HTTPError(status_line, response=response)
    code = response.headers.get("X-Error-Code")
    if code not in _BY_ERROR_CODE:
        # A 401 means "not visible" whatever else the server said (even an unknown code).
        code = _CODE_FOR_STATUS.get(status)
    if code in _BY_ERROR_CODE:
        cls, template = _BY_ERROR_CODE[code]
        message = f"{status} Client Error.\n\n" + template.format(url=url)
        raise cls(message, response=response) from cause
    if status == 400:
        where = f" for {endpoint_name} endpoint" if endpoint_name else ""
        raise BadRequestError(f"\n\nBad request{where}:", response=response) from cause
    raise HfHubHTTPError(str(cause), response=response) from cause


#: The reference's name for the same function.
hf_raise_for_status = raise_for_hub_status


# -- hfapi's own (not in huggingface_hub 0.16.4) ----------------------------------------


class CommitNotAppliedError(requests.ConnectionError):
    """The answer to a commit was lost, and the branch shows the commit was not applied.

    A subclass of ``requests.ConnectionError``, so existing ``except`` clauses still
    catch it. Retrying the commit is safe.
    """


class CommitOutcomeUnknownError(requests.ConnectionError):
    """The answer to a commit was lost, and whether it was applied cannot be told.

    A subclass of ``requests.ConnectionError``. The message names the page where to
    check before retrying (a retry could create the commit twice).
    """


class SourceChangedError(OSError):
    """A local source no longer is what was hashed (size or modification time changed).

    Raised at once, never retried: sending it again cannot help.
    """
