"""The transport-independent core: ``handle(method, raw_path, headers, body)``.

It authenticates, routes, runs the handler and turns every failure into the Hub's
error response (status, ``X-Error-Code``, ``X-Error-Message``, ``{"error": ...}``) in
one place. Every response carries ``X-Request-Id``: the client's ``x-request-id`` or
``X-Amzn-Trace-Id`` when it sent one, else a fresh id.
"""

from __future__ import annotations

import base64
import binascii
import logging
import uuid
from typing import IO, Iterable, Optional, Tuple

from . import router
from .backend import Backend
from .errors import HubError, forbidden, not_found
from .wire import Headers, Request, Response, json_response

logger = logging.getLogger("hfapi.hub")

#: Longest ``X-Error-Message`` value, in characters.
_HEADER_MESSAGE_LIMIT = 1024


def token_from_authorization(value: Optional[str]) -> Optional[str]:
    """Extract the token from ``Bearer <token>`` or ``Basic base64(<user>:<token>)``.

    The LFS batch call authenticates as ``access_token:<token>`` and verify as
    ``USER:<token>``; the password part is the token in both.
    """
    if not value:
        return None
    scheme, _, credentials = value.strip().partition(" ")
    if scheme.lower() == "bearer":
        return credentials.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True).decode()
        except (binascii.Error, ValueError):
            return None
        return decoded.partition(":")[2] or None
    return None


def error_response(error: HubError) -> Response:
    """The Hub's answer for a refused request."""
    # Header values must be latin-1 and single-line, and short: clients refuse header lines
    # over 64 KiB, which a message echoing a long path would exceed. The JSON body keeps
    # the exact text.
    header_text = error.message.encode("ascii", "backslashreplace").decode().replace("\n", " ")
    if len(header_text) > _HEADER_MESSAGE_LIMIT:
        header_text = header_text[:_HEADER_MESSAGE_LIMIT] + "..."
    headers = {"X-Error-Message": header_text}
    if error.code:
        headers["X-Error-Code"] = error.code
    return json_response({"error": error.message, **error.extra}, error.status, headers)


def request_id_for(headers: Headers) -> str:
    """The id of a request: the client's ``x-request-id`` or ``X-Amzn-Trace-Id``, else new."""
    return headers.get("x-request-id") or headers.get("x-amzn-trace-id") or uuid.uuid4().hex


def internal_error_response(method: str, path: str, request_id: str) -> Response:
    """The answer to a request that hit a bug; call it while handling the exception.

    The client learns only that it failed and the request id; the traceback goes to the
    ``hfapi.hub`` log under the same id, since exception text may hold internal details.
    """
    logger.exception("Internal error for %s %s (request id %s)", method, path, request_id)
    message = f"Internal server error (request id {request_id})"
    return error_response(HubError(500, message))


class HubApp:
    """Answers requests for one :class:`Backend`.

    Args:
        backend: the state.
        default_base_url: used for absolute URLs when a request has no ``Host`` header.
    """

    def __init__(self, backend: Backend, default_base_url: str = "http://127.0.0.1") -> None:
        self.backend = backend
        self.default_base_url = default_base_url

    def handle(
        self,
        method: str,
        raw_path: str,
        headers: Iterable[Tuple[str, str]],
        body: IO[bytes],
    ) -> Response:
        """Answer one request.

        Args:
            method: HTTP method.
            raw_path: the request target as sent (path and optional query, undecoded).
            headers: header pairs.
            body: the body stream (already limited to the body's length).

        Returns:
            The response; for ``HEAD`` its body is empty but ``Content-Length`` is the
            length a ``GET`` would send.
        """
        header_map = Headers(headers)
        path, _, query = raw_path.partition("?")
        host = header_map.get("host")
        request = Request(
            method=method.upper(),
            raw_path=path,
            query=Request.parse_query(query),
            headers=header_map,
            body=body,
            base_url=f"http://{host}" if host else self.default_base_url,
        )
        request_id = request_id_for(header_map)
        try:
            response = self._dispatch(request)
        except HubError as error:
            response = error_response(error)
        except Exception:  # a bug: answer 500 rather than dropping the connection
            response = internal_error_response(request.method, path, request_id)
        response.headers.append(("X-Request-Id", request_id))
        if request.method == "HEAD":
            _drop_body(response)
        return response

    def _dispatch(self, request: Request) -> Response:
        try:
            found, path_known = router.match(request.method, request.raw_path, self._repo_exists)
        except UnicodeDecodeError:
            raise HubError(400, "Invalid percent-encoding in the path") from None
        if found is None:
            if path_known:
                raise HubError(405, f"Method {request.method} not allowed here")
            raise not_found(f"No route for {request.method} {request.raw_path}")
        route, request.params = found
        if not route.anonymous:
            token = token_from_authorization(request.headers.get("authorization"))
            request.caller = self.backend.identity.authenticate(token)
        if route.admin and (request.caller is None or not request.caller.is_admin):
            if request.caller is None:
                raise HubError(401, "The admin token is required")
            raise forbidden("The admin token is required")
        return route.handler(self.backend, request)

    def _repo_exists(self, repo_type: str, repo_id: str) -> bool:
        return self.backend.repos.find(repo_type, repo_id) is not None


def _drop_body(response: Response) -> None:
    if isinstance(response.body, bytes):
        if response.header("Content-Length") is None:
            response.headers.append(("Content-Length", str(len(response.body))))
    else:
        close = getattr(response.body, "close", None)
        if close is not None:
            close()
    response.body = b""
