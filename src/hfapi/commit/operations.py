"""The three commit operations (add, delete, copy) and how an addition's content is read.

An addition is hashed exactly once, when it is built, in a single streaming pass that
yields its SHA-256, size and 512-byte sample together; nothing ever holds a whole
file in memory. Later reads (upload, commit body) open the source again, or read a
slice of it, so that a part of a 50 GB file can be re-sent without touching the rest.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import (
    Any,
    BinaryIO,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Literal,
    Optional,
    Union,
)

from .._progress import tqdm
from .._validators import normalize_repo_path
from ..errors import SourceChangedError

__all__ = [
    "CommitOperation",
    "CommitOperationAdd",
    "CommitOperationCopy",
    "CommitOperationDelete",
    "SourceChangedError",
    "UploadInfo",
    "expanded_path",
    "normalize_path_in_repo",
    "warn_on_overwriting_operations",
]

#: Bytes read per step while hashing or streaming a source.
READ_CHUNK_SIZE = 4 * 1024 * 1024
#: Bytes of content sent to the Hub so it can tell text from binary.
SAMPLE_SIZE = 512
#: Files below this size are read in one call when hashed.
SMALL_FILE_SIZE = 1024 * 1024
#: Files larger than this show a progress bar while being hashed.
HASH_PROGRESS_THRESHOLD = 10 * 1024 * 1024


def normalize_path_in_repo(path_in_repo: str) -> str:
    """Clean a path given for a commit operation, or refuse it.

    One leading ``/`` and then one leading ``./`` are removed (as the reference client
    does); the result must be a plain relative path: not empty, no NUL, no ``.``,
    ``..``, ``.git`` or empty component. A trailing ``/`` is kept (a folder to delete).
    The rule itself is :func:`hfapi._validators.normalize_repo_path`.

    Args:
        path_in_repo: the path as the caller wrote it.

    Returns:
        The normalised path.

    Raises:
        TypeError: not a string.
        ValueError: the path escapes the repository, touches a ``.git`` folder, or is
            not a plain relative path.

    Example:
        >>> normalize_path_in_repo("/./weights.bin")
        'weights.bin'
    """
    return normalize_repo_path(path_in_repo)


@dataclass
class UploadInfo:
    """What the Hub needs to know about a content before receiving it.

    Attributes:
        sha256: SHA-256 digest of the whole content (32 raw bytes).
        size: size in bytes.
        sample: the first bytes (at most 512) of the content.

    Example:
        >>> UploadInfo.from_bytes(b"hello\\n").sha256.hex()[:8]
        '5891b5b5'
    """

    sha256: bytes
    size: int
    sample: bytes

    @classmethod
    def from_bytes(cls, data: bytes) -> "UploadInfo":
        """Describe an in-memory content."""
        return cls(sha256=hashlib.sha256(data).digest(), size=len(data), sample=data[:SAMPLE_SIZE])

    @classmethod
    def from_path(cls, path: str) -> "UploadInfo":
        """Describe a local file in one streaming pass (hash, size and sample together)."""
        with open(path, "rb", buffering=0) as handle:
            return cls.from_open_file(handle, os.fstat(handle.fileno()).st_size, path)

    @classmethod
    def from_open_file(cls, handle: io.RawIOBase, total: int, name: str) -> "UploadInfo":
        """Describe an open local file from its current position to its end.

        Args:
            handle: the file, unbuffered (``buffering=0``); it is left open.
            total: its size from ``fstat``: sizes the read buffer and the progress bar
                (the size reported is what was read, should the file have grown).
            name: the file's path, for the progress bar.
        """
        if total < SMALL_FILE_SIZE:
            # Most files of a large folder are small: one read, no buffer management
            # (which cost more than the hashing itself for a few KB).
            return cls.from_bytes(_read_to_end(handle, total))
        digest = hashlib.sha256()
        size = 0
        sample = b""
        # Sized to the file: zero-filling 4 MiB for each of thousands of small files
        # costs more than hashing them (a file that grew is still read in full).
        buffer = bytearray(max(1, min(READ_CHUNK_SIZE, total)))
        view = memoryview(buffer)
        bar = _hash_bar(name, total)
        try:
            while True:
                count = handle.readinto(buffer)
                if not count:
                    break
                if size < SAMPLE_SIZE:
                    sample += bytes(view[: min(count, SAMPLE_SIZE - size)])
                digest.update(view[:count])
                size += count
                if bar is not None:
                    bar.update(count)
        finally:
            if bar is not None:
                bar.close()
        return cls(sha256=digest.digest(), size=size, sample=sample)

    @classmethod
    def from_fileobj(cls, fileobj: BinaryIO) -> "UploadInfo":
        """Describe a binary stream: everything from offset 0 to its end.

        The sample is read from the stream's current position (the reference client's
        behaviour); the stream is left at offset 0.
        """
        sample = fileobj.read(SAMPLE_SIZE)
        fileobj.seek(0, io.SEEK_SET)
        digest = hashlib.sha256()
        size = 0
        while True:
            chunk = fileobj.read(READ_CHUNK_SIZE)
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
        fileobj.seek(0, io.SEEK_SET)
        return cls(sha256=digest.digest(), size=size, sample=sample)


def _read_to_end(handle: io.RawIOBase, size: int) -> bytes:
    """The rest of a file whose size ``fstat`` gave: one read call when it did not grow."""
    data = handle.read(size + 1) or b""
    if len(data) > size:
        data += handle.readall() or b""
    return data


def _hash_bar(path: str, total: int) -> Optional[tqdm]:
    if total <= HASH_PROGRESS_THRESHOLD:
        return None
    return tqdm(
        desc=f"Hashing {os.path.basename(path)}",
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        leave=False,
    )


@dataclass
class CommitOperationAdd:
    """Upload a file (from a path, bytes or a binary stream) to ``path_in_repo``.

    The content is hashed once, here, to compute :attr:`upload_info`; it is read
    again when it is uploaded.

    Args:
        path_in_repo: destination in the repo, for example ``"checkpoints/weights.bin"``.
        path_or_fileobj: a local file path (``str`` or ``Path``), ``bytes``, or a binary
            stream (``io.BufferedIOBase``, e.g. ``open(path, "rb")``) supporting
            ``seek()`` and ``tell()``. For a stream, everything from offset 0 is uploaded.

    Raises:
        ValueError: invalid ``path_in_repo``, missing file, text stream or other type,
            or a stream without ``seek()``/``tell()``.

    Example:
        >>> op = CommitOperationAdd("data/hello.txt", b"hello\\n")
        >>> op.upload_info.size
        6
    """

    path_in_repo: str
    path_or_fileobj: Union[str, Path, bytes, BinaryIO]
    upload_info: UploadInfo = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.path_in_repo = normalize_path_in_repo(self.path_in_repo)
        self._check_path()
        source = self.path_or_fileobj
        if isinstance(source, Path):
            source = self.path_or_fileobj = str(source)
        if isinstance(source, str):
            local = expanded_path(source)
            self._describe_local(local, open_regular_file(local), keep_below=0)
        elif isinstance(source, bytes):
            self.upload_info = UploadInfo.from_bytes(source)
        elif isinstance(source, io.BufferedIOBase):
            try:
                source.seek(source.tell(), io.SEEK_SET)
            except (OSError, AttributeError) as exc:
                raise ValueError(
                    "path_or_fileobj is a file-like object but does not implement seek() and tell()"
                ) from exc
            _check_regular_stream(source)
            self.upload_info = UploadInfo.from_fileobj(source)
        else:
            raise ValueError(
                "path_or_fileobj must be a path to a local file (str or Path), bytes, or a"
                " binary file object (io.BufferedIOBase). If you passed a file object, make"
                " sure it was opened in binary mode ('rb')."
            )

    @classmethod
    def _of_open_file(
        cls, path_in_repo: str, local_path: str, handle: io.FileIO, keep_below: int
    ) -> CommitOperationAdd:
        """An addition of a local file the caller has opened (upload_folder); closes it.

        The content of a file smaller than ``keep_below`` bytes is kept from hashing to
        sending: one read instead of two, and the commit carries exactly what was hashed.
        """
        addition = cls.__new__(cls)
        try:
            addition.path_in_repo = normalize_path_in_repo(path_in_repo)
            addition._check_path()
        except BaseException:
            handle.close()
            raise
        addition.path_or_fileobj = local_path
        addition._describe_local(local_path, handle, keep_below)
        return addition

    def _describe_local(self, local: str, handle: io.FileIO, keep_below: int) -> None:
        with handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise ValueError(f"Provided path: '{local}' is not a file on the local file system")
            # Taken before hashing: a change during the hash is caught at upload time too.
            self._hashed_mtime_ns: Optional[int] = status.st_mtime_ns
            self._kept_content: Optional[bytes] = None
            if status.st_size < keep_below:
                self._kept_content = _read_to_end(handle, status.st_size)
                self.upload_info = UploadInfo.from_bytes(self._kept_content)
            else:
                self.upload_info = UploadInfo.from_open_file(handle, status.st_size, local)

    def _check_path(self) -> None:
        # A trailing "/" only makes sense for a folder to delete.
        if self.path_in_repo.endswith("/"):
            raise ValueError(
                f"Invalid `path_in_repo` in CommitOperation: '{self.path_in_repo}' ends with"
                " '/', it must name a file."
            )

    def open_source(self) -> BinaryIO:
        """Open a local-file source afresh, checking it is still what was hashed.

        Returns:
            The file, open for binary reading (the caller closes it).

        Raises:
            SourceChangedError: its size or modification time changed since hashing.
            TypeError: the source is not a local file.
        """
        source = self.path_or_fileobj
        if not isinstance(source, str):
            raise TypeError("open_source() is for local-file sources only.")
        local = expanded_path(source)
        handle = open(local, "rb")  # noqa: SIM115 (returned open to the caller)
        try:
            status = os.fstat(handle.fileno())
            expected = self.upload_info.size
            if status.st_size != expected or status.st_mtime_ns != getattr(
                self, "_hashed_mtime_ns", status.st_mtime_ns
            ):
                raise self.changed_error(f"{expected} bytes expected, {status.st_size} found")
        except BaseException:
            handle.close()
            raise
        return handle

    def changed_error(self, detail: str) -> SourceChangedError:
        """The error for a source that is not what was hashed (``detail`` says how)."""
        source = self.path_or_fileobj
        where = (
            f"'{expanded_path(source)}' (for '{self.path_in_repo}')"
            if isinstance(source, str)
            else f"'{self.path_in_repo}'"
        )
        return SourceChangedError(
            f"The content of {where} changed after it was hashed ({detail}): build the"
            " operation again to upload the new content."
        )

    @contextmanager
    def as_file(self, with_tqdm: bool = False) -> Iterator[BinaryIO]:
        """Give a readable binary stream over the content.

        A path is opened afresh (and closed on exit); bytes get a new in-memory stream;
        a caller's stream is given as is and put back at its position on exit.

        Args:
            with_tqdm: show a byte progress bar while a local file is read (ignored for
                bytes and streams).

        Returns:
            A context manager yielding the stream.

        Example:
            >>> with op.as_file() as stream:
            ...     content = stream.read()
        """
        source = self.path_or_fileobj
        if isinstance(source, str):
            local = expanded_path(source)
            with self.open_source() as handle:
                if with_tqdm:
                    with tqdm(
                        desc=os.path.basename(local),
                        total=os.path.getsize(local),
                        unit="B",
                        unit_scale=True,
                        unit_divisor=1024,
                    ) as bar:
                        yield _ProgressFile(handle, bar.update)  # type: ignore[misc]
                else:
                    yield handle
        elif isinstance(source, bytes):
            yield io.BytesIO(source)
        else:
            stream: BinaryIO = source  # type: ignore[assignment]
            start = stream.tell()
            try:
                yield stream
            finally:
                stream.seek(start, io.SEEK_SET)

    def b64content(self) -> bytes:
        """Base64 (standard alphabet, padded, one line) of the whole content.

        Returns:
            ASCII bytes.

        Example:
            >>> CommitOperationAdd("a.txt", b"hello\\n").b64content()
            b'aGVsbG8K'
        """
        return b"".join(self.iter_b64content())

    def iter_b64content(self) -> Iterator[bytes]:
        """Yield the base64 of the content in pieces, reading the source in chunks.

        Raises:
            OSError: the source no longer has the size it had when it was hashed.
        """
        expected = self.upload_info.size
        kept = getattr(self, "_kept_content", None)
        if kept is not None:
            yield base64.b64encode(kept)
            return
        if isinstance(self.path_or_fileobj, str) and expected < SMALL_FILE_SIZE:
            # A small file in one read and one encoding (most files of a large folder).
            with self.open_source() as handle:
                data = handle.read(expected + 1)
            if len(data) != expected:
                raise self.changed_error(f"{expected} bytes expected, {len(data)} read")
            yield base64.b64encode(data)
            return
        seen = 0
        carry = b""
        with self.as_file() as stream:
            if stream is self.path_or_fileobj:
                # A caller's stream: its content starts at offset 0, wherever it has been
                # moved since (as for LFS uploads); as_file() restores the position.
                stream.seek(0, io.SEEK_SET)
            while True:
                chunk = stream.read(READ_CHUNK_SIZE)
                if not chunk:
                    break
                seen += len(chunk)
                data = carry + chunk
                # Encode whole 3-byte groups only, so the pieces concatenate to the same
                # text as encoding everything at once.
                cut = len(data) - len(data) % 3
                carry = data[cut:]
                if cut:
                    yield base64.b64encode(data[:cut])
        if carry:
            yield base64.b64encode(carry)
        if seen != expected:
            raise self.changed_error(f"{expected} bytes expected, {seen} read")


class _ProgressFile:
    """Wraps an open file so each ``read`` advances a progress bar."""

    def __init__(self, handle: BinaryIO, advance: Callable[[int], Any]) -> None:
        self._handle = handle
        self._advance = advance

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self._advance(len(data))
        return data

    def __len__(self) -> int:
        return os.fstat(self._handle.fileno()).st_size - self._handle.tell()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _check_regular_stream(stream: BinaryIO) -> None:
    """Refuse a stream over a device, pipe or socket (``/dev/zero`` never ends)."""
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, AttributeError, ValueError):
        return  # an in-memory stream: it has an end
    if not stat.S_ISREG(mode):
        name = getattr(stream, "name", repr(stream))
        raise ValueError(
            f"path_or_fileobj {name!r} is not a regular file (a device, pipe or socket"
            " cannot be hashed and uploaded)."
        )


def open_regular_file(local: str) -> io.FileIO:
    """Open a local file to upload (unbuffered), or give a clear error if there is none.

    Opened without blocking, so that a FIFO in its place cannot hang the upload (its
    type is then refused by the caller's ``fstat``).

    Raises:
        ValueError: nothing readable is there (missing path, bad name).
        PermissionError: the file exists but may not be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        return io.FileIO(os.open(local, flags), "rb", closefd=True)
    except PermissionError:
        if not os.path.isdir(local):  # Windows refuses to open a folder this way
            raise
    except (OSError, ValueError):
        pass
    raise ValueError(f"Provided path: '{local}' is not a file on the local file system")


def expanded_path(path: str) -> str:
    """The local file a ``str`` source designates (``~`` expanded, normalised)."""
    # The reference validates the expanded path but later opens the raw string, so
    # "~/f.bin" fails late; we read the path we validated.
    return os.path.normpath(os.path.expanduser(path))


@dataclass
class CommitOperationDelete:
    """Delete a file or a folder.

    Args:
        path_in_repo: the path in the repo, e.g. ``"logs/run1.txt"`` or ``"logs/"``.
        is_folder: ``True``, ``False``, or ``"auto"`` (default): a folder iff the path
            ends with ``/``.

    Raises:
        ValueError: invalid path, or ``is_folder`` not one of ``True``/``False``/``"auto"``.

    Example:
        >>> CommitOperationDelete("logs/").is_folder
        True
    """

    path_in_repo: str
    is_folder: Union[bool, Literal["auto"]] = "auto"

    def __post_init__(self) -> None:
        self.path_in_repo = normalize_path_in_repo(self.path_in_repo)
        if self.is_folder == "auto":
            self.is_folder = self.path_in_repo.endswith("/")
        if not isinstance(self.is_folder, bool):
            raise ValueError(
                "Wrong value for `is_folder`: expected True, False or 'auto', got"
                f" {self.is_folder!r}."
            )


@dataclass
class CommitOperationCopy:
    """Copy an LFS file that is already on the Hub to another path of the same repo.

    Only LFS files can be copied, and only within one repository. Combined with a
    :class:`CommitOperationDelete` of the source, it renames an LFS file.

    Args:
        src_path_in_repo: the file to copy.
        path_in_repo: where to put the copy.
        src_revision: revision to copy from; defaults to the commit's target revision.

    Example:
        >>> CommitOperationCopy("weights.bin", "backup/weights.bin")
        CommitOperationCopy(src_path_in_repo='weights.bin', path_in_repo='backup/weights.bin', src_revision=None)
    """  # noqa: E501

    src_path_in_repo: str
    path_in_repo: str
    src_revision: Optional[str] = None

    def __post_init__(self) -> None:
        self.src_path_in_repo = normalize_path_in_repo(self.src_path_in_repo)
        self.path_in_repo = normalize_path_in_repo(self.path_in_repo)


CommitOperation = Union[CommitOperationAdd, CommitOperationCopy, CommitOperationDelete]


def warn_on_overwriting_operations(operations: Iterable[CommitOperation]) -> None:
    """Warn about operations of one commit that undo each other.

    A second addition to the same path, or a deletion of a path (or folder) that an
    earlier addition of the same commit wrote to, is most likely a mistake. A deletion
    followed by an addition is fine (it replaces a folder).

    Args:
        operations: the commit's operations, in order.

    Example:
        >>> warn_on_overwriting_operations([CommitOperationAdd("a", b""), CommitOperationAdd("a", b"")])
    """  # noqa: E501
    added: Dict[str, int] = {}
    for operation in operations:
        if isinstance(operation, CommitOperationAdd):
            path = operation.path_in_repo
            if added.get(path):
                warnings.warn(
                    f"The same file is added twice in one commit: '{path}'. Only one"
                    " version will be kept, which may not be the one you expect.",
                    UserWarning,
                    stacklevel=4,
                )
            for prefix in _self_and_parents(path):
                added[prefix] = added.get(prefix, 0) + 1
        elif isinstance(operation, CommitOperationDelete):
            target = operation.path_in_repo.rstrip("/")
            if added.get(target):
                kind = "folder" if operation.is_folder else "file"
                warnings.warn(
                    f"A {kind} deleted in this commit was written earlier in the same"
                    f" commit: '{operation.path_in_repo}'. Those additions will be lost.",
                    UserWarning,
                    stacklevel=4,
                )


def _self_and_parents(path: str) -> List[str]:
    parts = path.split("/")
    return ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
