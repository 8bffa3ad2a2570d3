"""Reading a slice of an addition's content, for one upload attempt.

A part of a multipart upload is sent by reading exactly its byte range from the
source, freshly opened for every attempt: a retried part sends the same bytes again,
parts of one file can go out in parallel, and nothing is ever loaded whole.
"""

from __future__ import annotations

import io
import threading
from typing import BinaryIO, Callable, Optional

from .operations import CommitOperationAdd

__all__ = ["OnRead", "SliceReader", "open_slice"]

OnRead = Callable[[int], None]


class SliceReader:
    """Reads exactly ``length`` bytes of a stream starting at ``offset``.

    It has ``read`` and ``__len__`` (no ``__iter__``), so ``requests`` sends it with a
    ``Content-Length`` header and streams it in blocks instead of loading it. Every
    read seeks first, so several slices may share one stream when given a common
    lock (a caller's file object); a slice over its own file needs no lock.

    Args:
        stream: a seekable binary stream.
        offset: first byte of the slice.
        length: number of bytes of the slice.
        lock: held around each seek + read when the stream is shared.
        on_read: called with the number of bytes after each read (progress).
        owns_stream: close ``stream`` when the slice is closed.
        describe: builds the error raised when the stream ends early (naming the
            file); a plain ``OSError`` otherwise.

    Example:
        >>> reader = SliceReader(io.BytesIO(b"abcdef"), 2, 3)
        >>> reader.read()
        b'cde'
    """

    def __init__(
        self,
        stream: BinaryIO,
        offset: int,
        length: int,
        *,
        lock: Optional[threading.Lock] = None,
        on_read: Optional[OnRead] = None,
        owns_stream: bool = True,
        describe: Optional[Callable[[str], OSError]] = None,
    ) -> None:
        self._stream = stream
        self._offset = offset
        self._length = length
        self._position = 0
        self._lock = lock
        self._on_read = on_read
        self._owns_stream = owns_stream
        self._describe = describe
        #: Set when the source ran short; the HTTP stack reports that only as a lost
        #: connection, so the session re-raises this instead (and does not retry).
        self.failure: Optional[OSError] = None

    def __len__(self) -> int:
        return self._length

    def read(self, size: Optional[int] = -1) -> bytes:
        """Return up to ``size`` bytes of the slice (all that is left by default)."""
        remaining = self._length - self._position
        if remaining <= 0:
            return b""
        wanted = remaining if size is None or size < 0 else min(size, remaining)
        if self._lock is not None:
            with self._lock:
                data = self._read_at(self._offset + self._position, wanted)
        else:
            data = self._read_at(self._offset + self._position, wanted)
        if not data:
            detail = (
                f"unexpected end of data: {self._length} bytes expected from offset"
                f" {self._offset}, the source was modified or truncated"
            )
            self.failure = self._describe(detail) if self._describe else OSError(detail)
            raise self.failure
        self._position += len(data)
        if self._on_read is not None:
            self._on_read(len(data))
        return data

    def _read_at(self, position: int, size: int) -> bytes:
        self._stream.seek(position)
        return self._stream.read(size)

    def close(self) -> None:
        """Release the underlying file when this slice opened it."""
        if self._owns_stream:
            self._stream.close()


def open_slice(
    addition: CommitOperationAdd,
    offset: int,
    length: int,
    *,
    lock: Optional[threading.Lock] = None,
    on_read: Optional[OnRead] = None,
) -> SliceReader:
    """A fresh reader over ``length`` bytes of ``addition``'s content from ``offset``.

    A local file is opened again (closed with the reader) after checking that it is
    still what was hashed (:class:`SourceChangedError` otherwise); bytes get their own
    in-memory stream; a caller's stream is shared, so ``lock`` must be given when
    several slices of it are read at once.

    Example:
        >>> open_slice(CommitOperationAdd("a", b"abcdef"), 2, 3).read()
        b'cde'
    """
    source = addition.path_or_fileobj
    describe = addition.changed_error
    if isinstance(source, str):
        # Checked at open: a file that shrank or changed fails here, before sending.
        stream = addition.open_source()
        return SliceReader(stream, offset, length, on_read=on_read, describe=describe)
    if isinstance(source, bytes):
        return SliceReader(io.BytesIO(source), offset, length, on_read=on_read)
    return SliceReader(
        source,  # type: ignore[arg-type]
        offset,
        length,
        lock=lock,
        on_read=on_read,
        owns_stream=False,
        describe=describe,
    )
