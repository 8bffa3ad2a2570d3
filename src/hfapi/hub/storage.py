"""Persistence of the local Hub: SQLite metadata plus content-addressed blob files.

Layout of a data directory::

    hub.sqlite3            accounts, tokens, repos, refs, git trees/commits/tags, likes...
    objects/git/ab/cdef…   content of git blobs, named by their git object id
    objects/lfs/ab/cdef…   LFS objects, named by their sha256
    tmp/                   files being received (same file system, so rename is atomic)

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
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
from typing import IO, BinaryIO, Callable, Iterator, Optional, Tuple, Union

#: Version 1: the tables as they were before the schema carried a version. A database
#: with ``user_version`` 0 is either new (no tables) or from that time (all of them);
#: ``IF NOT EXISTS`` makes the first migration right for both.
_SCHEMA_V1 = (
    "CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, fullname TEXT NOT NULL, email TEXT,
    api_token TEXT, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS members (
    org TEXT NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (org, user))""",
    """CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, owner TEXT NOT NULL, role TEXT NOT NULL,
    display_name TEXT NOT NULL, created_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS repos (
    id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, namespace TEXT NOT NULL,
    name TEXT NOT NULL, private INTEGER NOT NULL, created_at TEXT NOT NULL,
    sdk TEXT, hardware TEXT, multipart_threshold INTEGER,
    UNIQUE (type, namespace, name))""",
    """CREATE TABLE IF NOT EXISTS refs (
    repo INTEGER NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL, tag_object TEXT,
    PRIMARY KEY (repo, name))""",
    """CREATE TABLE IF NOT EXISTS repo_commits (
    repo INTEGER NOT NULL, oid TEXT NOT NULL, PRIMARY KEY (repo, oid))""",
    "CREATE TABLE IF NOT EXISTS objects (oid TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " data BLOB NOT NULL)",
    """CREATE TABLE IF NOT EXISTS blobs (
    oid TEXT PRIMARY KEY, size INTEGER NOT NULL, lfs_oid TEXT, lfs_size INTEGER)""",
    "CREATE TABLE IF NOT EXISTS lfs_objects (oid TEXT PRIMARY KEY, size INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS repo_lfs (
    repo INTEGER NOT NULL, oid TEXT NOT NULL, PRIMARY KEY (repo, oid))""",
    """CREATE TABLE IF NOT EXISTS likes (
    user TEXT NOT NULL, repo INTEGER NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (user, repo))""",
    """CREATE TABLE IF NOT EXISTS discussions (
    repo INTEGER NOT NULL, num INTEGER NOT NULL, is_pr INTEGER NOT NULL,
    status TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    author TEXT NOT NULL, target_branch TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (repo, num))""",
)

#: Version 2: gated repos (``NULL`` = not gated, else ``auto`` or ``manual``) and the
#: users granted access to them.
_SCHEMA_V2 = (
    "ALTER TABLE repos ADD COLUMN gated TEXT",
    """CREATE TABLE repo_access (
    repo INTEGER NOT NULL, user TEXT NOT NULL, PRIMARY KEY (repo, user))""",
)


def _schema_v3(db: sqlite3.Connection) -> None:
    """Version 3: repo ids unique regardless of case, as the Hub looks them up.

    A data directory written before may hold two repos that differ only by case; the index
    is then left out with a warning (lookups still work, and new clashes are refused when
    repos are created or moved), rather than refusing to open the directory.
    """
    try:
        # A failed statement is undone by itself; the step's transaction goes on.
        db.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS repos_id_nocase ON repos"
            " (type, namespace COLLATE NOCASE, name COLLATE NOCASE)"
        )
    except sqlite3.IntegrityError:
        logger.warning("Repos differing only by case exist; case-insensitive index not created")


def _schema_v4(db: sqlite3.Connection) -> None:
    """Version 4: discussions and pull requests with their events and comment versions.

    The tables belong to the discussions backend, which keeps their DDL next to its rules;
    imported here, when the step runs, because the backend itself is built on this module.
    """
    from .backend.discussion_tables import migrate_discussions_v2

    migrate_discussions_v2(db)


def _schema_v5(db: sqlite3.Connection) -> None:
    """Version 5: LFS objects uploaded by non-writers, pending until a pull request uses them.

    The table belongs to the LFS backend (imported here for the same reason as in v4).
    """
    from .backend.lfs import migrate_lfs_pending

    migrate_lfs_pending(db)


def _schema_v6(db: sqlite3.Connection) -> None:
    """Version 6: Space runtimes (build, hardware, sleep time, pause) and secret digests.

    The tables belong to the Spaces backend (imported here for the same reason as in v4).
    """
    from .backend.spaces import migrate_spaces

    migrate_spaces(db)


def _schema_v7(db: sqlite3.Connection) -> None:
    """Version 7: card data of each repo's main branch, its tag index, and counters.

    The tables belong to the cards and search backends (imported as in v4).
    """
    from .backend.cards import migrate_cards
    from .backend.search import migrate_search

    migrate_cards(db)
    migrate_search(db)


def _schema_v8(db: sqlite3.Connection) -> None:
    """Version 8: old ids of moved repos, which redirect to the repo's current id.

    The table belongs to the repos backend (imported here for the same reason as in v4).
    """
    from .backend.repos import migrate_repo_redirects

    migrate_repo_redirects(db)


#: One step: SQL statements, or a function of the connection for a step that must decide.
Migration = Union[Tuple[str, ...], Callable[[sqlite3.Connection], None]]

#: The migrations, in order: entry ``i`` takes a database from version ``i`` to ``i + 1``.
#: Append new steps at the end; never edit a step that has shipped, since data dirs already
#: went through it.
MIGRATIONS: Tuple[Migration, ...] = (
    _SCHEMA_V1,
    _SCHEMA_V2,
    _schema_v3,
    _schema_v4,
    _schema_v5,
    _schema_v6,
    _schema_v7,
    _schema_v8,
)

#: The schema version this code writes and understands.
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaVersionError(ValueError):
    """The data directory was written by a newer version of the local Hub."""


#: Tables emptied by a reset (``settings`` survives: it holds secrets and the default tokens).
STATE_TABLES = (
    "accounts",
    "members",
    "tokens",
    "repos",
    "refs",
    "repo_commits",
    "objects",
    "blobs",
    "lfs_objects",
    "repo_lfs",
    "lfs_pending",
    "likes",
    "discussions",
    "discussion_events",
    "discussion_comment_versions",
    "repo_access",
    "space_runtimes",
    "space_secrets",
    "repo_cards",
    "repo_tags",
    "repo_stats",
    "repo_redirects",
)

logger = logging.getLogger("hfapi.hub")

BLOCK_SIZE = 1024 * 1024


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
        """Tell whether the content file of an object exists."""
        return os.path.exists(self.content_path(kind, oid))

    def open_content(self, kind: str, oid: str) -> BinaryIO:
        """Open the content file of an object for reading.

        Raises:
            FileNotFoundError: the object was never stored.
        """
        return open(self.content_path(kind, oid), "rb")

    def content_size(self, kind: str, oid: str) -> int:
        """Size in bytes of an object's content file.

        Raises:
            FileNotFoundError: the object was never stored.
        """
        return os.path.getsize(self.content_path(kind, oid))

    def read_range(self, kind: str, oid: str, start: int, length: int) -> Iterator[bytes]:
        """Yield ``length`` bytes of an object's content from ``start``, in 1 MiB blocks.

        The file is opened on the first ``next()``, so an unsent body never opens it.
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
        """Store ``data`` as the content of ``oid`` (no-op when already stored)."""
        if self.has_content(kind, oid):
            return
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
