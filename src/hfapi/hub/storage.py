"""Persistence of the local Hub: SQLite metadata plus content-addressed blob files.

Layout of a data directory::

    hub.sqlite3            accounts, tokens, repos, refs, git trees/commits/tags, likes...
    objects/git/ab/cdef…   content of git blobs, named by their git object id
    objects/lfs/ab/cdef…   LFS objects, named by their sha256
    tmp/                   files being received (same file system, so rename is atomic)

Contents of up to :data:`SMALL_CONTENT_MAX` bytes given as bytes live in the database's
``contents`` table instead of a file each: a commit of thousands of small files then
costs one transaction, and with durability on one sync, rather than a file creation and
an fsync per file. Such contents written with a :class:`ContentBatch` commit together
with the metadata that refers to them.

Content files are written to ``tmp/`` first, flushed (and fsynced for a persistent
directory) and renamed into place; only then does the metadata transaction that
refers to them commit. A request killed half-way therefore leaves at worst an
unreferenced file, never a reference to a missing or partial one.

All metadata access goes through one connection guarded by one lock: the statements
are tiny and the slow parts (hashing, receiving and sending bodies) happen outside
it, so serialising them is simpler than juggling per-thread connections and gives
every request a consistent view.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from typing import IO, Any, BinaryIO, Dict, Iterable, Iterator, Optional, Tuple

from .schema import MIGRATIONS, SCHEMA_VERSION, STATE_TABLES, SchemaVersionError

__all__ = [
    "BLOCK_SIZE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SMALL_CONTENT_MAX",
    "STATE_TABLES",
    "ContentBatch",
    "SchemaVersionError",
    "Storage",
    "write_small_contents",
]

logger = logging.getLogger("hfapi.hub")

BLOCK_SIZE = 1024 * 1024

#: Contents up to this size, given as bytes, go to the database rather than to a file.
SMALL_CONTENT_MAX = 256 * 1024


class Storage:
    """One data directory: the metadata database and the content files.

    Args:
        root: the data directory; ``None`` makes a temporary one, removed by :meth:`close`.
        fsync: flush content files and the database to disk before acknowledging a
            write; defaults to ``True`` for a persistent directory, ``False`` for a
            temporary one (nobody can observe the difference there, and it is faster).
    """

    def __init__(self, root: Optional[str] = None, fsync: Optional[bool] = None) -> None:
        self.temporary = root is None
        self.root = tempfile.mkdtemp(prefix="hfapi-hub-") if root is None else root
        os.makedirs(self.root, exist_ok=True)
        self.fsync = (not self.temporary) if fsync is None else fsync
        self.tmp_dir = os.path.join(self.root, "tmp")
        os.makedirs(self.tmp_dir, exist_ok=True)
        self._lock = threading.RLock()
        self._depth = 0
        # Writers of one file take turns here: in the kernel they would spin on its inode
        # lock, burning the CPU that their peers need (striped: no registry to clean up).
        self._write_locks = [threading.Lock() for _ in range(16)]
        self._db = sqlite3.connect(
            os.path.join(self.root, "hub.sqlite3"), check_same_thread=False, isolation_level=None
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={'FULL' if self.fsync else 'OFF'}")
        self._db.execute("PRAGMA foreign_keys=OFF")
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    # -- schema -----------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        """The ``user_version`` of the database (:data:`SCHEMA_VERSION` once opened)."""
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the database to :data:`SCHEMA_VERSION`, one step per transaction.

        Each step and its new version number commit together, so a step that fails (or a
        process killed during it) leaves the database at the previous version, complete.

        Raises:
            SchemaVersionError: the database is newer than this code.
        """
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"The data directory {self.root} has storage schema version {version}, but"
                f" this hfapi knows versions up to {SCHEMA_VERSION}: upgrade hfapi to open it"
            )
        for number in range(version, SCHEMA_VERSION):
            with self.transaction() as db:
                step = MIGRATIONS[number]
                if callable(step):
                    step(db)
                else:
                    for statement in step:
                        db.execute(statement)
                # PRAGMA takes no parameters; the value is an int we computed.
                db.execute(f"PRAGMA user_version = {number + 1}")

    # -- metadata -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one all-or-nothing transaction; nested blocks join the outer one.

        Raises:
            Whatever the block raises, after rolling back everything it wrote.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._db
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def get_setting(self, key: str) -> Optional[str]:
        """Return a stored setting, or ``None``."""
        with self.transaction() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting, replacing any previous value."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))

    def wipe(self) -> None:
        """Forget every account, repo and object (settings are kept)."""
        with self.transaction() as db:
            for table in STATE_TABLES:
                db.execute(f"DELETE FROM {table}")
        shutil.rmtree(os.path.join(self.root, "objects"), ignore_errors=True)

    # -- content files --------------------------------------------------------------------

    def content_path(self, kind: str, oid: str) -> str:
        """Where the content of object ``oid`` (``kind`` = ``git`` or ``lfs``) lives."""
        return os.path.join(self.root, "objects", kind, oid[:2], oid[2:])

    def has_content(self, kind: str, oid: str) -> bool:
        """Tell whether the content of an object is stored."""
        return self._small_size(kind, oid) is not None or os.path.exists(
            self.content_path(kind, oid)
        )

    def open_content(self, kind: str, oid: str) -> BinaryIO:
        """Open the content of an object for reading.

        Raises:
            FileNotFoundError: the object was never stored.
        """
        data = self._small_data(kind, oid)
        if data is not None:
            return io.BytesIO(data)
        return open(self.content_path(kind, oid), "rb")

    def content_size(self, kind: str, oid: str) -> int:
        """Size in bytes of an object's content.

        Raises:
            FileNotFoundError: the object was never stored.
        """
        size = self._small_size(kind, oid)
        return os.path.getsize(self.content_path(kind, oid)) if size is None else size

    def read_range(self, kind: str, oid: str, start: int, length: int) -> Iterator[bytes]:
        """Yield ``length`` bytes of an object's content from ``start``, in 1 MiB blocks.

        The content is opened on the first ``next()``, so an unsent body never opens it.
        """
        with self.open_content(kind, oid) as handle:
            handle.seek(start)
            remaining = length
            while remaining > 0:
                block = handle.read(min(BLOCK_SIZE, remaining))
                if not block:
                    return
                remaining -= len(block)
                yield block

    def _small_size(self, kind: str, oid: str) -> Optional[int]:
        size = self._small_column("length(data)", kind, oid)
        return None if size is None else int(size)

    def _small_data(self, kind: str, oid: str) -> Optional[bytes]:
        data = self._small_column("data", kind, oid)
        return None if data is None else bytes(data)

    def _small_column(self, column: str, kind: str, oid: str) -> Any:
        # ``column`` is one of the two expressions above, never caller input.
        with self._lock:
            row = self._db.execute(
                f"SELECT {column} FROM contents WHERE kind = ? AND oid = ?", (kind, oid)
            ).fetchone()
        return None if row is None else row[0]

    def new_temp_file(self) -> Tuple[str, IO[bytes]]:
        """Create a file in the data directory's ``tmp/``; the caller adopts or deletes it."""
        fd, path = tempfile.mkstemp(dir=self.tmp_dir)
        return path, os.fdopen(fd, "wb")

    def finish_temp_file(self, handle: IO[bytes]) -> None:
        """Flush (and fsync when durable) a temp file before it is renamed into place."""
        handle.flush()
        if self.fsync:
            os.fsync(handle.fileno())
        handle.close()

    def remove_stale_temp(self, older_than: float, now: float) -> int:
        """Delete what lies idle in ``tmp/``: the caller decides what idle means.

        A file directly in ``tmp/`` is one piece of work; so is each directory at any
        depth, and a directory is removed whole once nothing under it changed for
        ``older_than`` seconds (a live one is searched for idle subdirectories only, so
        the files of an upload in progress are never picked apart).

        Args:
            older_than: seconds without modification after which an entry is stale.
            now: the current time (a parameter, so that tests need not wait).

        Returns:
            How many entries were removed.
        """
        return _sweep(self.tmp_dir, now - older_than, files_too=True)

    def adopt(self, kind: str, oid: str, temp_path: str) -> None:
        """Move a finished temp file into place as the content of ``oid``.

        The content is addressed by its hash, so if a copy already exists the new one is
        simply dropped.
        """
        final = self.content_path(kind, oid)
        if os.path.exists(final):
            os.unlink(temp_path)
            return
        os.makedirs(os.path.dirname(final), exist_ok=True)
        os.replace(temp_path, final)

    def put_content(self, kind: str, oid: str, data: bytes) -> None:
        """Store ``data`` as the content of ``oid`` (no-op when already stored).

        Small contents are written in a transaction of their own (or the caller's, when
        one is open on this thread); use a :class:`ContentBatch` for many at once.
        """
        if len(data) <= SMALL_CONTENT_MAX:
            with self.transaction() as db:
                write_small_contents(db, kind, [(oid, data)])
            return
        if self.has_content(kind, oid):
            return
        self._put_content_file(kind, oid, data)

    def _put_content_file(self, kind: str, oid: str, data: bytes) -> None:
        path, handle = self.new_temp_file()
        try:
            handle.write(data)
            self.finish_temp_file(handle)
            self.adopt(kind, oid, path)
        except BaseException:
            handle.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise

    def content_batch(self, kind: str, spill_bytes: int = 32 * 1024 * 1024) -> ContentBatch:
        """Start gathering contents of ``kind`` for one transaction (see :class:`ContentBatch`)."""
        return ContentBatch(self, kind, spill_bytes)

    def receive(self, stream: IO[bytes], length: Optional[int] = None) -> Tuple[str, str, int]:
        """Copy a stream to a temp file while hashing it with SHA-256.

        Args:
            stream: where the bytes come from (read in 1 MiB blocks, never all at once).
            length: stop after this many bytes; ``None`` reads to the end.

        Returns:
            ``(temp_path, sha256_hex, size)``; the caller adopts or deletes the file.

        Raises:
            OSError: the stream broke (the temp file is removed).
        """
        path, handle = self.new_temp_file()
        digest = hashlib.sha256()
        size = 0
        try:
            while length is None or size < length:
                want = BLOCK_SIZE if length is None else min(BLOCK_SIZE, length - size)
                block = stream.read(want)
                if not block:
                    break
                digest.update(block)
                handle.write(block)
                size += len(block)
            self.finish_temp_file(handle)
        except BaseException:
            handle.close()
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return path, digest.hexdigest(), size

    def receive_at(self, path: str, offset: int, stream: IO[bytes], length: int) -> int:
        """Write at most ``length`` bytes of a stream into ``path`` from ``offset``.

        The file is created if needed; bytes outside ``[offset, offset + length)`` are
        never touched, so several ranges can be written at once.

        Returns:
            The number of bytes the stream held: ``length + 1`` when it held more.
        """
        lock = self._write_locks[hash(path) % len(self._write_locks)]
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            written = 0
            while written < length:
                block = stream.read(min(BLOCK_SIZE, length - written))
                if not block:
                    return written
                view = memoryview(block)
                while view:
                    with lock:
                        count = os.pwrite(fd, view, offset + written)
                    view, written = view[count:], written + count
            if self.fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        return length + 1 if stream.read(1) else length

    def close(self) -> None:
        """Close the database; a temporary directory is deleted."""
        with self._lock:
            self._db.close()
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)


def write_small_contents(
    db: sqlite3.Connection, kind: str, items: Iterable[Tuple[str, bytes]]
) -> None:
    """Insert small contents inside the current transaction (kept when already there)."""
    db.executemany(
        "INSERT OR IGNORE INTO contents (kind, oid, data) VALUES (?, ?, ?)",
        ((kind, oid, data) for oid, data in items),
    )


class ContentBatch:
    """Contents that become durable with the caller's transaction, not one by one.

    Small contents wait in memory until :meth:`write` puts them into the transaction
    that also writes the rows referring to them: one commit of many small files is then
    one database transaction (one sync when durable). Large contents go to their files at
    once (they are few, and an fsync each is small beside their size). When the waiting
    bytes pass ``spill_bytes`` they are written early in a transaction of their own, so
    that memory stays bounded; contents are addressed by their hash, so any written for a
    request that then fails are merely unreferenced.

    Example:
        >>> batch = storage.content_batch("git")
        >>> batch.add(oid, data)
        >>> with storage.transaction() as db:
        ...     batch.write(db)
    """

    def __init__(self, storage: Storage, kind: str, spill_bytes: int) -> None:
        self._storage = storage
        self._kind = kind
        self._spill_bytes = spill_bytes
        self._waiting: Dict[str, bytes] = {}
        self._waiting_bytes = 0

    def add(self, oid: str, data: bytes) -> None:
        """Take the content ``data`` of ``oid``: kept for :meth:`write`, or stored now."""
        if len(data) > SMALL_CONTENT_MAX:
            self._storage.put_content(self._kind, oid, data)
            return
        if oid not in self._waiting:
            self._waiting[oid] = data
            self._waiting_bytes += len(data)
        if self._waiting_bytes > self._spill_bytes:
            with self._storage.transaction() as db:
                self.write(db)

    def write(self, db: sqlite3.Connection) -> None:
        """Write the waiting contents inside the caller's transaction."""
        write_small_contents(db, self._kind, self._waiting.items())
        self._waiting, self._waiting_bytes = {}, 0


def _sweep(folder: str, cutoff: float, files_too: bool) -> int:
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
        for entry in list(entries):
            with contextlib.suppress(FileNotFoundError):  # a request finished meanwhile
                if entry.is_dir(follow_symlinks=False):
                    if _newest_change(entry.path) < cutoff:
                        shutil.rmtree(entry.path, ignore_errors=True)
                        removed += 1
                    else:
                        removed += _sweep(entry.path, cutoff, files_too=False)
                elif files_too and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed


def _newest_change(folder: str) -> float:
    newest = os.stat(folder).st_mtime
    for parent, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                newest = max(newest, os.stat(os.path.join(parent, name)).st_mtime)
    return newest
