"""LFS storage: the batch negotiation, signed upload tickets, transfers and verify.

Upload URLs carry a *ticket* instead of asking for an ``Authorization`` header (the
reference client sends none to them):
``<repo>.<oid>.<size>.<chunk>.<uploader>.<expiry>.<nonce>`` followed by an HMAC-SHA256
of those fields under a per-hub secret. Nobody can forge or alter one, and it stops
working after :attr:`HubSettings.upload_url_ttl` seconds.

An object arriving at an upload URL is streamed to a temp file while being hashed; the
parts of a multipart upload are written in place into one temp file, hashed once at
completion. The object is kept only when its size and SHA-256 are the ones announced.
Sent by someone who may write to the repo, it is then linked to the repo of the ticket.
Sent by anyone else (a contributor preparing a pull request, as the Hub allows), it is
only that user's *pending* object for the repo (``uploader`` in the ticket is the hex of
the user's name): a commit of that user to a pull request may use it, which links it to
the repo (see :meth:`Lfs.promote`). A repo can only commit pointers to objects linked
to it, or pending ones in that case.

Limits keep one request from exhausting memory or disk: an object may announce at most
:data:`MAX_OBJECT_SIZE` bytes, one batch request may list :data:`MAX_BATCH_OBJECTS`
objects and its answer may hold :data:`MAX_BATCH_PARTS` part URLs, and a multipart
upload never has more than :data:`MAX_PARTS` parts (the part size grows instead).
Temp files and multipart uploads left idle for ``lfs_stale_upload_age`` seconds are
swept at start-up and, at most every :data:`SWEEP_INTERVAL` seconds, on batch requests.

Downloads work the other way round: ``resolve`` of an LFS file redirects to a
pre-signed *download URL* (as the Hub redirects to its storage), whose ticket
``<oid>.<size>.<expiry>.<nonce>`` is signed under the same secret but in another
domain, so that upload and download tickets can never stand for each other.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
from typing import IO, Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from ..errors import HubError, bad_request, forbidden, not_found
from ..settings import HubSettings
from ..storage import BLOCK_SIZE, Storage
from .identity import Caller
from .repos import Repo, Repos

#: An LFS object id: lowercase hex SHA-256.
OID_RE = re.compile(r"^[0-9a-f]{64}$")

#: Largest object one may announce: the Hub's documented limit per file (50 GB).
MAX_OBJECT_SIZE = 50 * 1000**3
#: Most parts of one multipart upload (as S3); bigger objects get bigger parts.
MAX_PARTS = 10_000
#: Most objects in one batch request (the reference client sends 256).
MAX_BATCH_OBJECTS = 1000
#: Most part URLs in one batch answer (about 25 MB of JSON).
MAX_BATCH_PARTS = 100_000
#: Seconds between two sweeps of stale temp files triggered by batch requests.
SWEEP_INTERVAL = 600
#: Seconds a download URL stays valid (the Hub's storage URLs last about as long).
DOWNLOAD_URL_TTL = 3600


def migrate_lfs_pending(db: sqlite3.Connection) -> None:
    """Create the table of pending objects (schema version 5): ``(repo, oid, user)``.

    A row says that ``user``, who may not write to ``repo``, uploaded object ``oid`` for it.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS lfs_pending ("
        " repo INTEGER NOT NULL, oid TEXT NOT NULL, user TEXT NOT NULL,"
        " PRIMARY KEY (repo, oid, user))"
    )


def _system_time() -> float:
    return time.time()  # looked up at each call, so that tests may patch time.time


@dataclasses.dataclass(frozen=True)
class Ticket:
    """The signed facts of an upload URL.

    Attributes:
        repo: internal id of the repo the object is for.
        oid: announced SHA-256.
        size: announced size.
        chunk_size: part size for multipart uploads, ``0`` for a single PUT.
        uploader: the user whose pending object it becomes; ``""`` when it is linked to
            the repo (the uploader may write there).
        token: the ticket string itself (the last segment of the upload URL).
    """

    repo: int
    oid: str
    size: int
    chunk_size: int
    uploader: str
    token: str

    @property
    def part_count(self) -> int:
        """How many parts a multipart upload of this object has."""
        return max(1, -(-self.size // self.chunk_size)) if self.chunk_size else 1

    def part_length(self, number: int) -> int:
        """Expected length of part ``number`` (1-based)."""
        return min(self.chunk_size, self.size - (number - 1) * self.chunk_size)


@dataclasses.dataclass(frozen=True)
class DownloadTicket:
    """The signed facts of a download URL: which object, and how big it is."""

    oid: str
    size: int


@dataclasses.dataclass(frozen=True)
class BatchItem:
    """The answer about one object of a batch request.

    Attributes:
        oid: SHA-256 as requested.
        size: size as requested.
        ticket: upload ticket when the object must be sent, ``None`` when already stored.
        error: ``(code, message)`` when the object is refused.
    """

    oid: str
    size: int
    ticket: Optional[Ticket] = None
    error: Optional[Any] = None


class Lfs:
    """LFS objects and their upload protocol."""

    def __init__(
        self,
        storage: Storage,
        repos: Repos,
        settings: HubSettings,
        secret: str,
        clock: Optional[Callable[[], float]] = None,
    ):
        self.storage = storage
        self.repos = repos
        self.settings = settings
        self.clock = clock or _system_time
        self._secret = secret.encode()
        self.parts_dir = os.path.join(storage.tmp_dir, "parts")
        self._guard = threading.Lock()
        self._completing: Dict[str, Tuple[threading.Lock, int]] = {}
        self._last_sweep = 0.0
        repos.delete_hooks.append(self.forget_repo)
        self.sweep()  # whatever a previous run left behind

    # -- queries ----------------------------------------------------------------------------

    def linked_size(self, pk: int, oid: str) -> Optional[int]:
        """Size of object ``oid`` when it is stored and linked to repo ``pk``."""
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT o.size FROM repo_lfs r JOIN lfs_objects o ON o.oid = r.oid"
                " WHERE r.repo = ? AND r.oid = ?",
                (pk, oid),
            ).fetchone()
        return None if row is None else int(row[0])

    def stored_size(self, pk: int, oid: str, uploader: str) -> Optional[int]:
        """Size of ``oid`` when linked to repo ``pk``, or pending there for ``uploader``.

        Args:
            uploader: a user name, or ``""`` to consider linked objects only.
        """
        size = self.linked_size(pk, oid)
        if size is not None or not uploader:
            return size
        return self.pending_size(pk, oid, uploader)

    def pending_size(self, pk: int, oid: str, user: str) -> Optional[int]:
        """Size of ``oid`` when it is a pending object of ``user`` for repo ``pk``."""
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT o.size FROM lfs_pending p JOIN lfs_objects o ON o.oid = p.oid"
                " WHERE p.repo = ? AND p.oid = ? AND p.user = ?",
                (pk, oid, user),
            ).fetchone()
        return None if row is None else int(row[0])

    def batch_repo(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> Repo:
        """Return the repo if ``caller`` may use the batch and verify endpoints on it.

        Anyone with a write token who can see the repo may, as on the Hub: a contributor
        opening a pull request uploads its new LFS objects, which stay pending until a
        commit of theirs to a pull request uses them (see :meth:`batch`).

        Raises:
            HubError: 401 (anonymous), 401/404 ``RepoNotFound``, 403 (read token).
        """
        if caller is None:
            raise HubError(401, "Invalid credentials: LFS needs a token")
        repo = self.repos.visible(caller, repo_type, repo_id)
        if caller.role != "write":
            raise forbidden("This operation needs a token with the 'write' role")
        return repo

    def uploader(self, caller: Caller, repo: Repo) -> str:
        """Whose pending objects ``caller`` uploads to ``repo``: ``""`` for a writer."""
        return "" if self.repos.identity.can_write(caller, repo.namespace) else str(caller.name)

    # -- batch ------------------------------------------------------------------------------

    def batch(self, caller: Caller, repo: Repo, operation: Any, objects: Any) -> List[BatchItem]:
        """Decide, per object, whether it must be uploaded, and how.

        A bad object gets its own error (422, the batch API's validation code) and the
        others are still answered; a request too big to answer is refused whole. For a
        caller who may not write to the repo, an object counts as stored when it is
        linked to the repo or already pending for that caller, and its upload URL makes
        it a pending object of theirs.

        Raises:
            HubError: 400 for an operation other than ``upload`` or a malformed list,
                413 for more than :data:`MAX_BATCH_OBJECTS` objects or an answer of
                more than :data:`MAX_BATCH_PARTS` part URLs.
        """
        if operation != "upload":
            raise bad_request("Only the 'upload' operation is supported by the local Hub")
        if not isinstance(objects, list):
            raise bad_request("'objects' must be a list")
        if len(objects) > MAX_BATCH_OBJECTS:
            raise HubError(
                413, f"Too many objects in one batch request: at most {MAX_BATCH_OBJECTS}"
            )
        self._maybe_sweep()
        uploader = self.uploader(caller, repo)
        items = [self._batch_item(repo, uploader, item) for item in objects]
        parts = sum(
            item.ticket.part_count for item in items if item.ticket and item.ticket.chunk_size
        )
        if parts > MAX_BATCH_PARTS:
            raise HubError(
                413,
                f"This batch would need {parts} upload URLs (at most {MAX_BATCH_PARTS});"
                " send fewer objects per request",
            )
        return items

    def _batch_item(self, repo: Repo, uploader: str, item: Any) -> BatchItem:
        oid = item.get("oid") if isinstance(item, dict) else None
        size = item.get("size") if isinstance(item, dict) else None
        if not isinstance(oid, str) or not isinstance(size, int) or isinstance(size, bool):
            return BatchItem(str(oid), -1, error=(422, "Each object needs oid and size"))
        if not OID_RE.match(oid) or size < 0:
            return BatchItem(oid, size, error=(422, "Invalid object id or size"))
        if size > MAX_OBJECT_SIZE:
            message = f"Object of {size} bytes exceeds the limit of {MAX_OBJECT_SIZE} bytes"
            return BatchItem(oid, size, error=(422, message))
        if self.stored_size(repo.pk, oid, uploader) == size:
            return BatchItem(oid, size)
        threshold = repo.multipart_threshold or self.settings.lfs_multipart_threshold
        chunk = 0
        if size >= threshold:  # parts grow rather than outnumber MAX_PARTS
            chunk = max(self.settings.lfs_chunk_size, -(-size // MAX_PARTS))
        return BatchItem(oid, size, ticket=self.issue(repo.pk, oid, size, chunk, uploader))

    def issue(self, pk: int, oid: str, size: int, chunk_size: int, uploader: str = "") -> Ticket:
        """Create a signed ticket for uploading one object (pending for ``uploader``)."""
        expiry = int(self.clock()) + self.settings.upload_url_ttl
        who = uploader.encode().hex()  # names may hold dots, the field separator
        payload = f"{pk}.{oid}.{size}.{chunk_size}.{who}.{expiry}.{secrets.token_hex(8)}"
        token = f"{payload}.{self._sign(payload)}"
        return Ticket(pk, oid, size, chunk_size, uploader, token)

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()

    def check_ticket(self, token: str) -> Ticket:
        """Validate an upload ticket.

        Raises:
            HubError: 403 when forged, altered or expired.
        """
        payload, _, signature = token.rpartition(".")
        fields = payload.split(".")
        if len(fields) != 7 or not hmac.compare_digest(
            self._sign(payload).encode(), signature.encode()
        ):
            raise forbidden("Invalid upload URL signature")
        pk, oid, size, chunk, who, expiry, _nonce = fields
        if int(expiry) < self.clock():
            raise forbidden("This upload URL has expired; ask the batch endpoint for a new one")
        return Ticket(int(pk), oid, int(size), int(chunk), bytes.fromhex(who).decode(), token)

    # -- download URLs ----------------------------------------------------------------------

    def download_ticket(self, oid: str, size: int) -> str:
        """Sign a download URL ticket for a stored object, valid :data:`DOWNLOAD_URL_TTL` s."""
        expiry = int(self.clock()) + DOWNLOAD_URL_TTL
        payload = f"{oid}.{size}.{expiry}.{secrets.token_hex(8)}"
        return f"{payload}.{self._sign('download:' + payload)}"

    def check_download(self, token: str) -> DownloadTicket:
        """Validate a download ticket.

        Raises:
            HubError: 403 when forged, altered or expired (as a storage service answers).
        """
        payload, _, signature = token.rpartition(".")
        fields = payload.split(".")
        expected = self._sign("download:" + payload).encode()
        if len(fields) != 4 or not hmac.compare_digest(expected, signature.encode()):
            raise forbidden("Invalid download URL signature")
        oid, size, expiry, _nonce = fields
        if int(expiry) < self.clock():
            raise forbidden("This download URL has expired; resolve the file again")
        return DownloadTicket(oid, int(size))

    def read_object(self, oid: str, start: int, length: int) -> Iterator[bytes]:
        """Bytes ``[start, start + length)`` of a stored object, read lazily in blocks."""
        return self.storage.read_range("lfs", oid, start, length)

    # -- transfers --------------------------------------------------------------------------

    def receive_whole(self, ticket: Ticket, stream: IO[bytes]) -> None:
        """Receive a complete object sent with one PUT.

        Raises:
            HubError: 400 when the URL is a multipart one, or size/SHA-256 mismatch.
        """
        if ticket.chunk_size:
            raise bad_request("This object must be uploaded in parts")
        path, sha256, size = self.storage.receive(stream)
        self._keep(ticket, path, sha256, size)

    def receive_part(self, ticket: Ticket, number: int, stream: IO[bytes]) -> str:
        """Store part ``number`` of a multipart upload; return its ETag.

        Parts are written in place into one file per upload, at their offsets, so that
        completion only has to hash it. Parts may come in any order and concurrently;
        sending a part again replaces it (and its ETag, a random token).

        Raises:
            HubError: 400 for a wrong part number or length.
        """
        if not ticket.chunk_size or not 1 <= number <= ticket.part_count:
            raise bad_request(f"Invalid part number {number}")
        folder = self._part_folder(ticket)
        os.makedirs(folder, exist_ok=True)
        for old in os.listdir(folder):  # the range changes: its old ETag must stop working
            if old.startswith(f"{number:05d}-"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, old))
        expected = ticket.part_length(number)
        offset = (number - 1) * ticket.chunk_size
        path = os.path.join(folder, "object")
        if self.storage.receive_at(path, offset, stream, expected) != expected:
            raise bad_request(f"Part {number} must be {expected} bytes")
        etag = secrets.token_hex(16)
        with open(os.path.join(folder, f"{number:05d}-{etag}"), "x"):
            pass
        return f'"{etag}"'

    def complete(self, ticket: Ticket, body: Any) -> None:
        """Check the parts listed in the completion body, then hash and keep the object.

        Completing again an upload that already succeeded succeeds again (its answer may
        have been lost), also while the first completion is still hashing.

        Raises:
            HubError: 400 for a wrong oid, a missing part or a mismatching ETag, and for
                a size/SHA-256 mismatch of the assembled object (its parts are kept, so
                that a bad part can be sent again).
        """
        if not isinstance(body, dict) or body.get("oid") != ticket.oid:
            raise bad_request("The completion body must name the object's oid")
        folder = self._part_folder(ticket)
        with self._one_completion(folder):
            if self.stored_size(ticket.repo, ticket.oid, ticket.uploader) == ticket.size:
                shutil.rmtree(folder, ignore_errors=True)
                return
            self._assemble(ticket, folder, body.get("parts"))

    def _assemble(self, ticket: Ticket, folder: str, parts: Any) -> None:
        if not isinstance(parts, list) or len(parts) != ticket.part_count:
            raise bad_request(f"Expected {ticket.part_count} parts in the completion body")
        stored = set(os.listdir(folder)) if os.path.isdir(folder) else set()
        for position, part in enumerate(parts, start=1):
            number = part.get("partNumber") if isinstance(part, dict) else None
            etag = str(part.get("etag", "")).strip('"') if isinstance(part, dict) else ""
            if number != position or f"{position:05d}-{etag}" not in stored:
                raise bad_request(f"Part {position} is missing or its etag does not match")
        path = os.path.join(folder, "object")
        digest = hashlib.sha256()
        buffer = bytearray(BLOCK_SIZE)
        size = 0
        try:
            with open(path, "rb", buffering=0) as handle:
                while count := handle.readinto(buffer):
                    digest.update(memoryview(buffer)[:count])
                    size += count
        except FileNotFoundError:  # swept as abandoned: the parts must be sent again
            raise bad_request("Part 1 is missing; send the parts again") from None
        if size != ticket.size or digest.hexdigest() != ticket.oid:
            raise _mismatch(ticket, digest.hexdigest(), size)
        self._keep(ticket, path, digest.hexdigest(), size)
        shutil.rmtree(folder, ignore_errors=True)

    @contextlib.contextmanager
    def _one_completion(self, folder: str) -> Iterator[None]:
        # Completions of one upload take turns (a retry waits for the first to finish);
        # the lock lives only while someone holds or awaits it.
        with self._guard:
            lock, users = self._completing.get(folder, (threading.Lock(), 0))
            self._completing[folder] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._completing[folder]
                if users == 1:
                    del self._completing[folder]
                else:
                    self._completing[folder] = (lock, users - 1)

    def _part_folder(self, ticket: Ticket) -> str:
        return os.path.join(self.parts_dir, hashlib.sha256(ticket.token.encode()).hexdigest()[:32])

    def _keep(self, ticket: Ticket, path: str, sha256: str, size: int) -> None:
        if size != ticket.size or sha256 != ticket.oid:
            os.unlink(path)
            raise _mismatch(ticket, sha256, size)
        self.storage.adopt("lfs", sha256, path)
        with self.storage.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO lfs_objects (oid, size) VALUES (?, ?)", (sha256, size)
            )
            if ticket.uploader:
                db.execute(
                    "INSERT OR IGNORE INTO lfs_pending (repo, oid, user) VALUES (?, ?, ?)",
                    (ticket.repo, sha256, ticket.uploader),
                )
            else:
                db.execute(
                    "INSERT OR IGNORE INTO repo_lfs (repo, oid) VALUES (?, ?)",
                    (ticket.repo, sha256),
                )

    def promote(self, db: sqlite3.Connection, pk: int, oids: Iterable[str]) -> None:
        """Link pending objects to repo ``pk`` (inside the transaction of the commit using them).

        Once linked, the object is the repo's: whoever else had it pending there no longer
        needs to.
        """
        for oid in oids:
            db.execute("INSERT OR IGNORE INTO repo_lfs (repo, oid) VALUES (?, ?)", (pk, oid))
            db.execute("DELETE FROM lfs_pending WHERE repo = ? AND oid = ?", (pk, oid))

    def forget_repo(self, db: sqlite3.Connection, pk: int) -> None:
        """Drop the pending objects of a deleted repo (inside its deletion's transaction)."""
        db.execute("DELETE FROM lfs_pending WHERE repo = ?", (pk,))

    def store_bytes(self, pk: int, data: bytes) -> str:
        """Store ``data`` as an LFS object linked to repo ``pk`` (seeding); return its oid."""
        oid = hashlib.sha256(data).hexdigest()
        self.storage.put_content("lfs", oid, data)
        with self.storage.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO lfs_objects (oid, size) VALUES (?, ?)", (oid, len(data))
            )
            db.execute("INSERT OR IGNORE INTO repo_lfs (repo, oid) VALUES (?, ?)", (pk, oid))
        return oid

    # -- housekeeping -----------------------------------------------------------------------

    def sweep(self, now: Optional[float] = None) -> int:
        """Remove temp files and multipart uploads idle for ``lfs_stale_upload_age``.

        An upload whose URLs still work is never idle enough: the age used is at least
        ``upload_url_ttl``.

        Args:
            now: the current time; defaults to the clock's.

        Returns:
            How many temp entries were removed.
        """
        now = self.clock() if now is None else now
        self._last_sweep = now
        age = max(self.settings.lfs_stale_upload_age, self.settings.upload_url_ttl)
        return self.storage.remove_stale_temp(age, now)

    def _maybe_sweep(self) -> None:
        if self.clock() - self._last_sweep >= SWEEP_INTERVAL:
            self.sweep()

    def verify(self, caller: Caller, repo: Repo, body: Any) -> None:
        """Confirm that an object arrived complete (linked, or pending for ``caller``).

        Raises:
            HubError: 400 for a malformed body, 404 when the object is not stored.
        """
        if not isinstance(body, dict) or not isinstance(body.get("oid"), str):
            raise bad_request("The verify body must carry 'oid' and 'size'")
        uploader = self.uploader(caller, repo)
        if self.stored_size(repo.pk, body["oid"], uploader) != body.get("size"):
            raise not_found(f"LFS object {body['oid']} not found")

    def dump(self) -> List[Dict[str, Any]]:
        """Every stored object with the repos it is linked to."""
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT o.oid, o.size, group_concat(r.repo) FROM lfs_objects o"
                " LEFT JOIN repo_lfs r ON r.oid = o.oid GROUP BY o.oid ORDER BY o.oid"
            ).fetchall()
        return [
            {"oid": oid, "size": size, "repos": [int(x) for x in (repos or "").split(",") if x]}
            for oid, size, repos in rows
        ]


def _mismatch(ticket: Ticket, sha256: str, size: int) -> HubError:
    return bad_request(
        f"Uploaded content does not match the announced object: expected"
        f" sha256 {ticket.oid} and {ticket.size} bytes, got sha256 {sha256} and"
        f" {size} bytes"
    )
