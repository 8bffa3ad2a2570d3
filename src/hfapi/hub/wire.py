"""Request and response values passed between the transport and the route handlers.

The transport (the socket server, or an in-process adapter) builds a :class:`Request`
from raw parts; handlers answer with a :class:`Response` whose body is ``bytes`` or an
iterable of byte blocks with a known length (file downloads are streamed that way).
"""

from __future__ import annotations

import dataclasses
import json
from typing import (
    IO,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Union,
)
from urllib.parse import parse_qs, urlencode

from .backend.identity import Caller
from .errors import HubError, bad_request
from .limits import MAX_JSON_BODY, parse_int, parse_json

TRUTHY = ("1", "true", "yes", "on")

Body = Union[bytes, Iterable[bytes]]


class Headers:
    """Case-insensitive, read-only view of request headers."""

    def __init__(self, items: Iterable[Tuple[str, str]]) -> None:
        self._items: Dict[str, str] = {}
        for name, value in items:
            self._items.setdefault(name.lower(), value)

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """Return the first value of header ``name`` or ``default``."""
        return self._items.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items


@dataclasses.dataclass
class Request:
    """One HTTP request as the handlers see it.

    Attributes:
        method: upper-case method.
        raw_path: the path exactly as sent (percent-encoded, no query).
        query: the query string parsed into lists of values (blank values kept).
        headers: the request headers.
        body: the body stream, limited to the body's length.
        base_url: ``http://<Host header>``, used to build absolute URLs the client
            accepts as its own (``Link`` headers, repo URLs, upload URLs).
        params: decoded path parameters set by the router.
        caller: who sent it (``None``: anonymous), set before the handler runs.
    """

    method: str
    raw_path: str
    query: Dict[str, List[str]]
    headers: Headers
    body: IO[bytes]
    base_url: str
    params: Dict[str, str] = dataclasses.field(default_factory=dict)
    caller: Optional[Caller] = None

    @classmethod
    def parse_query(cls, query_string: str) -> Dict[str, List[str]]:
        """Parse a query string, keeping blank values (``search=`` means ``""``)."""
        return parse_qs(query_string, keep_blank_values=True)

    def arg(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        """Whether query parameter ``name`` is truthy (``True``, ``true``, ``1``...)."""
        value = self.arg(name)
        return value is not None and value.lower() in TRUTHY

    def int_arg(self, name: str, default: int) -> int:
        """Query parameter ``name`` as a non-negative int (at most ``limits.MAX_INT``).

        Raises:
            HubError: 400 when it is not one.
        """
        value = self.arg(name)
        if value is None or value == "":
            return default
        return parse_int(value, f"Query parameter {name!r}")

    def read(self, limit: int = MAX_JSON_BODY) -> bytes:
        """Read the whole body (small bodies only).

        Raises:
            HubError: 413 when longer than ``limit``.
        """
        data = self.body.read(limit + 1)
        if len(data) > limit:
            raise HubError(413, "Payload too large")
        return data

    def json(self) -> Any:
        """Parse the body as strict JSON (see ``limits.parse_json``); empty reads as ``{}``.

        Raises:
            HubError: 400 for invalid or refused JSON, 413 for a huge body.
        """
        data = self.read()
        if not data.strip():
            return {}
        try:
            return parse_json(data)
        except ValueError as error:
            raise bad_request(f"Invalid JSON body: {error}") from None

    def json_object(self) -> Dict[str, Any]:
        """Parse the body as a JSON object.

        Raises:
            HubError: 400 when it is not an object.
        """
        data = self.json()
        if not isinstance(data, dict):
            raise bad_request("The body must be a JSON object")
        return data

    def lines(self, limit: int) -> Iterator[bytes]:
        """Iterate over the body's lines without reading it all at once.

        Raises:
            HubError: 413 for a line longer than ``limit``.
        """
        while True:
            line = self.body.readline(limit + 1)
            if not line:
                return
            if len(line) > limit and not line.endswith(b"\n"):
                raise HubError(413, "A line of the payload is too long")
            yield line

    def url(self, path: str, **params: str) -> str:
        """Absolute URL on this hub, as the client addressed it."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.base_url}{path}{query}"

    def next_page_url(self, **changes: str) -> str:
        """This request's URL with some query parameters replaced (for ``Link: next``)."""
        pairs = [(k, v) for k, values in self.query.items() if k not in changes for v in values]
        pairs += list(changes.items())
        return f"{self.base_url}{self.raw_path}?{urlencode(pairs)}"


@dataclasses.dataclass
class Response:
    """What a handler answers.

    Attributes:
        status: HTTP status code.
        headers: header pairs (``Content-Length`` is added by the transport when absent).
        body: ``bytes``, or an iterable of blocks whose total length is in the
            ``Content-Length`` header.
    """

    status: int = 200
    headers: List[Tuple[str, str]] = dataclasses.field(default_factory=list)
    body: Body = b""

    def header(self, name: str) -> Optional[str]:
        """The first value of a response header, if set."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def json_response(
    data: Any,
    status: int = 200,
    headers: Optional[Mapping[str, str]] = None,
    content_type: str = "application/json; charset=utf-8",
) -> Response:
    """Serialise ``data`` as a JSON response."""
    pairs = [("Content-Type", content_type), *(headers or {}).items()]
    return Response(status, pairs, json.dumps(data).encode())


def paginate(
    req: Request,
    items: List[Any],
    page_size: int,
    cursor_name: str,
    render: Optional[Callable[[List[Any]], List[Any]]] = None,
) -> Response:
    """Answer one page of ``items`` with a ``Link: <next>; rel="next"`` header if needed.

    The cursor is the index of the first item of the page; the next URL repeats every
    other query parameter, as clients send it back verbatim.

    Args:
        render: turns the page's items into JSON values (only the page is rendered,
            which matters when rendering is costly).
    """
    start = req.int_arg(cursor_name, 0)
    limit = min(req.int_arg("limit", page_size), page_size) or page_size
    page = items[start : start + limit]
    if render is not None:
        page = render(page)
    headers = {}
    if start + limit < len(items):
        headers["Link"] = f'<{req.next_page_url(**{cursor_name: str(start + limit)})}>; rel="next"'
    return json_response(page, headers=headers)
