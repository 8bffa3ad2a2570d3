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
from typing import IO, Callable, Iterable, List, Optional, Tuple
from urllib.parse import quote, urlencode

from . import router
from .backend import Backend, Caller
from .errors import HubError, forbidden, not_found
from .faults import RESET_HEADER
from .routes import files, web
from .wire import Headers, Request, Response, json_response

logger = logging.getLogger("hfapi.hub")

#: Who sent a request: the caller (``None``: anonymous), or the 401 an unknown token earned.
Identity = Tuple[Optional[Caller], Optional[HubError]]
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
    if isinstance(error, web.PageError):
        return web.html_response(error.status, error.document, list(headers.items()))
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
        identified: List[Identity] = []

        def identify() -> Identity:
            # Once per request: when the path reads two ways, the caller decides (see
            # router.match), before the route's own authentication.
            if not identified:
                identified.append(self._identify(request))
            return identified[0]

        def visible(repo_type: str, repo_id: str) -> bool:
            caller = identify()[0]
            return self.backend.repos.find_visible(caller, repo_type, repo_id) is not None

        try:
            route = self._route(request, visible)
        except HubError as error:
            # A browser asking for an unknown page gets a page, not JSON.
            raise web.html_not_found(request, error) from None
        fault = self.backend.faults.draw(route_class(route))
        if fault is not None and fault != "reset-after":
            return self._fault_response(fault)
        refusal = None if route.anonymous else self._authenticate(request, route, identify())
        moved = self._moved_repo_redirect(route, request)
        response = moved if moved is not None else self._run(route, request, refusal)
        if fault == "reset-after":
            response.headers.append((RESET_HEADER, "after"))
        return response

    @staticmethod
    def _route(request: Request, visible: Callable[[str, str], bool]) -> router.Route:
        """Find the route and set ``request.params``.

        Raises:
            HubError: 400 for bad percent-encoding, 405 or 404 without a route.
        """
        try:
            found, path_known = router.match(request.method, request.raw_path, visible)
        except UnicodeDecodeError:
            raise HubError(400, "Invalid percent-encoding in the path") from None
        if found is None:
            if path_known:
                raise HubError(405, f"Method {request.method} not allowed here")
            raise not_found(f"No route for {request.method} {request.raw_path}")
        route, request.params = found
        return route

    def _identify(self, request: Request) -> Identity:
        """Who the token names, or the 401 an unknown token earned."""
        token = token_from_authorization(request.headers.get("authorization"))
        try:
            return self.backend.identity.authenticate(token), None
        except HubError as error:
            return None, error

    def _authenticate(
        self, request: Request, route: router.Route, identity: Identity
    ) -> Optional[HubError]:
        """Set ``request.caller``; refuse what this route may not do without one.

        Returns:
            ``None``, or the 401 an unknown token earned: the request then goes on as
            anonymous (a public read), and any 401 it meets becomes this one.

        Raises:
            HubError: 401 for an unknown token on anything but a public read (always with
                the ``reject_unknown_tokens`` knob), for an anonymous write or admin call;
                403 for an admin route without the admin token.
        """
        request.caller, refusal = identity
        if refusal is not None and (
            self.backend.settings.reject_unknown_tokens or not _is_read(route)
        ):
            raise refusal
        if route.write and request.caller is None:
            raise refusal or HubError(401, "You must be authenticated to do this")
        if route.admin and (request.caller is None or not request.caller.is_admin):
            if request.caller is None:
                raise refusal or HubError(401, "The admin token is required")
            raise forbidden("The admin token is required")
        return refusal

    def _moved_repo_redirect(self, route: router.Route, request: Request) -> Optional[Response]:
        """A 307 to the same path under a moved repo's new id, for a read of its old id.

        The Hub keeps a moved repo's old URLs working this way; the ``Location`` is
        relative, as clients that follow only same-site redirects expect. Only reads
        (``GET``/``HEAD``) are redirected, and only while no repo the caller may see
        holds the old id.
        """
        repo_id = request.params.get("repo")
        if route.method != "GET" or route.admin or route.anonymous or repo_id is None:
            return None
        repos, caller, repo_type = self.backend.repos, request.caller, request.params["type"]
        if repos.find_visible(caller, repo_type, repo_id) is not None:
            return None
        target = repos.moved_to(caller, repo_type, repo_id)
        span = None if target is None else router.repo_span(route, request.raw_path, repo_id)
        if target is None or span is None:
            return None
        path = request.raw_path
        location = path[: span[0]] + quote(target.repo_id, safe="/") + path[span[1] :]
        if request.query:
            location += "?" + urlencode(request.query, doseq=True)
        body = f"Temporary Redirect. Redirecting to {location}".encode()
        headers = [("Location", location), ("Content-Type", "text/plain; charset=utf-8")]
        return Response(307, headers, body)

    def _run(self, route: router.Route, request: Request, refusal: Optional[HubError]) -> Response:
        if refusal is None:
            return route.handler(self.backend, request)
        try:
            return route.handler(self.backend, request)
        except HubError as error:
            # Whatever anonymous callers may not do, the unknown token may not do either,
            # and the answer names the token as the reason (as the Hub does).
            if error.status != 401:
                raise
            raise refusal from None

    def _fault_response(self, kind: str) -> Response:
        """The answer standing for an injected fault (see :mod:`hfapi.hub.faults`)."""
        if kind == "reset-before":
            return Response(0, [(RESET_HEADER, "before")])
        status = int(kind)
        response = error_response(HubError(status, f"Injected fault: {status}"))
        if status == 429:
            retry_after = self.backend.faults.plan.retry_after
            response.headers.append(("Retry-After", str(retry_after)))
        return response


def route_class(route: router.Route) -> str:
    """``module.handler`` of a route, e.g. ``commits.commit``: how fault plans name routes."""
    module = route.handler.__module__.rpartition(".")[2]
    return f"{module}.{route.handler.__name__}"


def _is_read(route: router.Route) -> bool:
    # Reads: every GET (and HEAD), plus paths-info, a POST only because of its body.
    return route.method == "GET" or route.handler is files.paths_info


def _drop_body(response: Response) -> None:
    if isinstance(response.body, bytes):
        if response.header("Content-Length") is None:
            response.headers.append(("Content-Length", str(len(response.body))))
    else:
        close = getattr(response.body, "close", None)
        if close is not None:
            close()
    response.body = b""
