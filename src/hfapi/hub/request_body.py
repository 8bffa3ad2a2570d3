"""The request body as the core sees it: a stream that refuses to look complete early.

http.server hands handlers a raw socket file; this module wraps it so that a
``Content-Length`` or chunked body reads exactly its announced bytes, paced by the network
emulation when it is on, and raises when the client goes away mid-body.
"""

from __future__ import annotations

import io
from typing import Any, Optional

from .errors import HubError
from .netem import Pacer


class BodyReader(io.RawIOBase):
    """The request body as a stream: ``Content-Length`` bytes, or a chunked body.

    A body that ends early (the client died mid-request) raises instead of looking
    complete, so that a half-received commit is refused rather than applied.
    """

    def __init__(
        self, rfile: io.BufferedIOBase, length: int, chunked: bool, pacer: Optional[Pacer] = None
    ) -> None:
        self._rfile = rfile
        self._pacer = pacer
        self._remaining = length
        self._chunked = chunked
        self._done = not chunked and not length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._done:
            return 0
        if self._chunked and self._remaining == 0:
            line = self._rfile.readline(1024)
            size = line.split(b";")[0].strip()
            if not line.endswith(b"\n") or not size:
                raise incomplete_body()
            try:
                self._remaining = int(size, 16)
            except ValueError:
                raise HubError(400, "Malformed chunked request body") from None
            if self._remaining == 0:
                while self._rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                self._done = True
                return 0
        # Straight into the caller's buffer: no intermediate bytes object to copy.
        count = self._rfile.readinto(memoryview(buffer)[: min(len(buffer), self._remaining)])
        if not count:
            raise incomplete_body()
        if self._pacer is not None:
            self._pacer.transfer(count)
        self._remaining -= count
        if self._remaining == 0:
            if self._chunked:
                self._rfile.readline(1024)  # the CRLF closing the chunk
            else:
                self._done = True
        return count


def incomplete_body() -> HubError:
    return HubError(400, "The request body ended before its announced length")
