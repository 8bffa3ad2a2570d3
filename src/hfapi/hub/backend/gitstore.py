"""The object database shared by every repo: blobs, trees, commits and tags.

Objects are immutable and named by their content hash, so they are cached freely
(trees flattened into snapshots, parsed commits, blob sizes) and never invalidated,
except by a full reset.
"""

from __future__ import annotations

import collections
import dataclasses
import sqlite3
import threading
from typing import Callable, Dict, Generic, Iterable, Iterator, List, Optional, Tuple, TypeVar

from ..storage import ContentBatch, Storage
from . import gitobj

K = TypeVar("K")
#: A ``blobs`` row: ``(git id, size, LFS sha256 or None, LFS size or None)``.
BlobRow = Tuple[str, int, Optional[str], Optional[int]]
V = TypeVar("V")


class _LRU(Generic[K, V]):
    """A small thread-safe least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: collections.OrderedDict[K, V] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[K], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = load(key)
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclasses.dataclass(frozen=True)
class BlobInfo:
    """What the Hub reports about a file's blob.

    Attributes:
        oid: git blob id (of the content, or of the LFS pointer).
        blob_size: size of the git blob (the pointer size for LFS files).
        lfs_oid: sha256 of the LFS object, ``None`` for regular files.
        lfs_size: size of the LFS object.
    """

    oid: str
    blob_size: int
    lfs_oid: Optional[str]
    lfs_size: Optional[int]

    @property
    def size(self) -> int:
        """The file's real size (the LFS object's for LFS files)."""
        return self.lfs_size if self.lfs_size is not None else self.blob_size


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A commit's tree, flattened.

    Attributes:
        files: ``{path: blob id}``, sorted by path.
        dirs: ``{path: tree id}`` for every folder (not the root), sorted by path.
    """

    files: Dict[str, str]
    dirs: Dict[str, str]


class BlobBatch:
    """The blobs of one commit: contents and rows written in the commit's transaction."""

    def __init__(self, contents: ContentBatch) -> None:
        self._contents = contents
        self._rows: List[BlobRow] = []

    def add(self, row: BlobRow, content: bytes) -> None:
        """Take a blob's row and content (large contents are stored at once)."""
        self._contents.add(row[0], content)
        self._rows.append(row)

    def write(self, db: sqlite3.Connection) -> None:
        """Write the waiting contents, then the rows, inside the caller's transaction."""
        self._contents.write(db)
        GitStore.record_blobs(db, self._rows)
        self._rows = []


class GitStore:
    """Reads and writes git objects in the hub's storage."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self._objects: _LRU[str, bytes] = _LRU(4096)
        self._snapshots: _LRU[str, Snapshot] = _LRU(256)
        self._blobs: _LRU[str, BlobInfo] = _LRU(65536)

    def clear_caches(self) -> None:
        """Forget cached objects (after a reset wiped the storage)."""
        for cache in (self._objects, self._snapshots, self._blobs):
            cache.clear()

    # -- writing ----------------------------------------------------------------------------

    def put_blob(
        self,
        content: bytes,
        lfs: Optional[Tuple[str, int]] = None,
        batch: Optional[BlobBatch] = None,
    ) -> str:
        """Store a blob (content first, then its row) and return its git id.

        Args:
            content: the blob bytes (an LFS pointer for LFS files).
            lfs: ``(sha256, size)`` of the LFS object this pointer stands for.
            batch: when given, the blob waits there for :meth:`BlobBatch.write`, which
                writes it with the others in the caller's transaction (one transaction
                per commit rather than one per file).
        """
        oid = gitobj.blob_id(content)
        row = (oid, len(content), lfs[0] if lfs else None, lfs[1] if lfs else None)
        if batch is not None:
            batch.add(row, content)
            return oid
        self.storage.put_content("git", oid, content)
        with self.storage.transaction() as db:
            self.record_blobs(db, [row])
        return oid

    def blob_batch(self) -> BlobBatch:
        """Start gathering the blobs of one commit (see :meth:`put_blob`)."""
        return BlobBatch(self.storage.content_batch("git"))

    @staticmethod
    def record_blobs(db: sqlite3.Connection, rows: List[BlobRow]) -> None:
        """Write the rows of blobs whose content is stored, inside the current transaction."""
        db.executemany(
            "INSERT OR IGNORE INTO blobs (oid, size, lfs_oid, lfs_size) VALUES (?, ?, ?, ?)", rows
        )

    def put_lfs_pointer(self, sha256: str, size: int, batch: Optional[BlobBatch] = None) -> str:
        """Store the pointer blob of an LFS object and return its git id."""
        return self.put_blob(gitobj.lfs_pointer(sha256, size), (sha256, size), batch)

    @staticmethod
    def put_object(db: sqlite3.Connection, kind: str, body: bytes) -> str:
        """Store a tree, commit or tag object inside the current transaction."""
        oid = gitobj.object_id(kind, body)
        db.execute(
            "INSERT OR IGNORE INTO objects (oid, kind, data) VALUES (?, ?, ?)", (oid, kind, body)
        )
        return oid

    def write_commit(
        self,
        db: sqlite3.Connection,
        files: Dict[str, str],
        parents: Tuple[str, ...],
        author: str,
        email: str,
        timestamp: int,
        title: str,
        message: str,
        taken: Callable[[str], bool] = lambda oid: False,
    ) -> str:
        """Write the trees of ``files`` and a commit on top of ``parents``; return its id.

        Args:
            taken: tells whether a commit id already exists in the repo. Two commits with
                the same tree, parents, author, message and second would share one id, so
                the timestamp is moved forward until the id is new.

        Raises:
            ValueError: a path is used both as a file and as a folder.
        """
        root, trees = gitobj.build_trees(files)
        for body in trees.values():
            self.put_object(db, "tree", body)
        while True:
            commit = gitobj.Commit(root, parents, author, email, timestamp, title, message)
            body = commit.serialize()
            oid = gitobj.object_id("commit", body)
            if oid not in parents and not taken(oid):
                break
            timestamp += 1
        self.put_object(db, "commit", body)
        return oid

    # -- reading ----------------------------------------------------------------------------

    def read_object(self, oid: str) -> bytes:
        """Return the body of a tree, commit or tag object.

        Raises:
            KeyError: unknown object.
        """
        return self._objects.get(oid, self._load_object)

    def _load_object(self, oid: str) -> bytes:
        with self.storage.transaction() as db:
            row = db.execute("SELECT data FROM objects WHERE oid = ?", (oid,)).fetchone()
        if row is None:
            raise KeyError(oid)
        return bytes(row[0])

    def commit(self, oid: str) -> gitobj.Commit:
        """Return the parsed commit ``oid``."""
        return gitobj.Commit.parse(self.read_object(oid))

    def snapshot(self, commit_oid: str) -> Snapshot:
        """Return the flattened tree of a commit."""
        return self._snapshots.get(self.commit(commit_oid).tree, self._flatten)

    def _flatten(self, tree_oid: str) -> Snapshot:
        files: Dict[str, str] = {}
        dirs: Dict[str, str] = {}

        def walk(oid: str, prefix: str) -> None:
            for mode, name, child in gitobj.parse_tree(self.read_object(oid)):
                path = prefix + name
                if mode == gitobj.DIR_MODE:
                    dirs[path] = child
                    walk(child, path + "/")
                else:
                    files[path] = child

        walk(tree_oid, "")
        return Snapshot(dict(sorted(files.items())), dict(sorted(dirs.items())))

    def blob_infos(self, oids: Iterable[str]) -> Dict[str, BlobInfo]:
        """Return the blob facts of each id (ids without a row are left out)."""
        result = {}
        for oid in oids:
            try:
                result[oid] = self._blobs.get(oid, self._load_blob)
            except KeyError:
                continue  # not cached: the blob may be stored later
        return result

    def _load_blob(self, oid: str) -> BlobInfo:
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT size, lfs_oid, lfs_size FROM blobs WHERE oid = ?", (oid,)
            ).fetchone()
        if row is None:
            raise KeyError(oid)
        return BlobInfo(oid, int(row[0]), row[1], None if row[2] is None else int(row[2]))

    def history(self, start: str) -> Iterator[Tuple[str, gitobj.Commit]]:
        """Walk the first-parent history from ``start`` (newest first)."""
        oid: Optional[str] = start
        while oid is not None:
            commit = self.commit(oid)
            yield oid, commit
            oid = commit.parents[0] if commit.parents else None

    def last_commits(self, start: str, paths: List[str]) -> Dict[str, Tuple[str, gitobj.Commit]]:
        """Find, for each path, the newest commit that changed it.

        A path changed in commit C when its blob/tree id in C differs from the one in C's
        first parent (or C has no parent). Paths absent at ``start`` are left out.
        """

        def entry(snapshot: Snapshot, path: str) -> Optional[str]:
            return snapshot.files.get(path) or snapshot.dirs.get(path)

        pending = {p for p in paths if entry(self.snapshot(start), p) is not None}
        found: Dict[str, Tuple[str, gitobj.Commit]] = {}
        for oid, commit in self.history(start):
            if not pending:
                break
            current = self.snapshot(oid)
            parent = self.snapshot(commit.parents[0]) if commit.parents else None
            for path in list(pending):
                if parent is None or entry(parent, path) != entry(current, path):
                    found[path] = (oid, commit)
                    pending.discard(path)
        return found
