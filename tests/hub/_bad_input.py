"""A prober for the bad-input suite: raw requests, each checked for the Hub's refusal shape.

Requests are written byte by byte on a fresh socket (so that malformed request lines,
headers and lengths can be sent), and the answer is read with ``http.client``. A dropped
connection fails the check, as does a 5xx, a body that is not ``{"error": ...}``, a
missing ``X-Error-Message`` or ``X-Request-Id``, or a traceback in the hub's log.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
from http.client import HTTPResponse
from typing import Any, Dict, List, Mapping, Optional

from hfapi.hub import LocalHub

#: ``record_property`` key summed by the session summary (tests/conftest.py).
COUNT_PROPERTY = "hub_bad_input_requests"


class LogCapture(logging.Handler):
    """Keeps the ``hfapi.hub`` records that carry a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tracebacks: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info is not None or record.exc_text:
            self.tracebacks.append(self.format(record))


@dataclasses.dataclass
class Refusal:
    """What the hub answered to one bad request."""

    status: int
    headers: Dict[str, str]
    body: Dict[str, Any]


class Prober:
    """Sends raw requests to ``hub`` and checks that each one is refused properly.

    Args:
        hub: the local Hub under test.
        log: the capture attached to the ``hfapi.hub`` logger.
    """

    def __init__(self, hub: LocalHub, log: LogCapture) -> None:
        self.hub = hub
        self.log = log
        self.sent = 0

    def raw(self, data: bytes, method: str = "GET") -> Refusal:
        """Send ``data`` as is on a new connection; check and return the refusal."""
        logged = len(self.log.tracebacks)
        with socket.create_connection(("127.0.0.1", self.hub.port), timeout=30) as sock:
            try:
                sock.sendall(data)
                sock.shutdown(socket.SHUT_WR)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the hub may answer and close before reading everything we send
            answer = HTTPResponse(sock, method=method)
            answer.begin()  # raises RemoteDisconnected if the hub hung up without answering
            body = answer.read()
            headers = {name.lower(): value for name, value in answer.getheaders()}
        self.sent += 1
        new_tracebacks = self.log.tracebacks[logged:]
        assert not new_tracebacks, f"traceback logged for {data[:120]!r}: {new_tracebacks}"
        return self._check(answer.status, headers, body, method, data)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: Optional[Mapping[str, str]] = None,
        token: Optional[str] = None,
    ) -> Refusal:
        """Send one well-framed HTTP/1.1 request; check and return the refusal."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.hub.port}"]
        lines.append("Connection: close")
        if token is not None:
            lines.append(f"Authorization: Bearer {token}")
        fields = {"Content-Length": str(len(body)), **(headers or {})}
        lines += [f"{name}: {value}" for name, value in fields.items()]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        return self.raw(head + body, method)

    def json(self, method: str, path: str, body: Any, token: Optional[str] = None) -> Refusal:
        """Send ``body`` serialised as JSON (ASCII only: non-ASCII becomes ``\\uXXXX``)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.request(method, path, data, {"Content-Type": "application/json"}, token)

    def _check(
        self, status: int, headers: Dict[str, str], body: bytes, method: str, sent: bytes
    ) -> Refusal:
        where = f"{sent[:120]!r}..."
        assert 400 <= status < 500, f"{status} {body[:300]!r} for {where}"
        assert headers.get("x-request-id"), f"no X-Request-Id for {where}"
        assert headers.get("x-error-message"), f"no X-Error-Message for {where}"
        if method == "HEAD":
            return Refusal(status, headers, {})
        assert headers.get("content-type", "").startswith("application/json"), where
        parsed = json.loads(body)
        assert isinstance(parsed, dict) and isinstance(parsed.get("error"), str), where
        assert parsed["error"], where
        return Refusal(status, headers, parsed)
