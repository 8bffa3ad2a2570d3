"""Repositories: creation, visibility, renaming, deletion, and revision lookup.

Privacy follows the Hub: a repo the caller may not see is reported exactly like a
missing one (see :func:`hfapi.hub.errors.repo_not_found`), and permission errors
(403) are only given about repos the caller can see.

Repo ids are case-insensitive, as on the Hub: ``alice/Model`` and ``ALICE/model`` name
the same repo, only one of them can exist, and answers use the casing the repo was
created with. ASCII letters only fold (SQLite's ``NOCASE``), which covers every name
the Hub accepts.

A moved repo leaves its old id behind as a redirect (table ``repo_redirects``, pointing
at the repo's internal id, so that a chain of moves lands on the current id). The
redirect lasts until a repo takes that id again, or the repo is deleted.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ... import constants
from ..errors import (
    HubError,
    bad_request,
    conflict,
    forbidden,
    not_found,
    repo_not_found,
    revision_not_found,
)
from ..storage import Storage
from . import gitobj, timefmt
from .gitstore import GitStore
from .identity import Caller, Identity

REPO_TYPES = tuple(t for t in constants.REPO_TYPES if t is not None)
SPACE_SDKS = constants.SPACES_SDK_TYPES
_NAME_RE = re.compile(r"^(?!\.|-)[\w.-]{1,96}(?<![.-])$")
_HEX_RE = re.compile(r"^[0-9a-f]{4,40}$")

logger = logging.getLogger("hfapi.hub")

#: Datasets start with a few more LFS rules (media files), as on the Hub.
_DATASET_EXTRA_ATTRIBUTES = "".join(
    f"{pattern} {gitobj.LFS_RULE_SUFFIX}\n"
    for pattern in ("*.mp3", "*.ogg", "*.wav", "*.flac", "*.jpg", "*.jpeg", "*.png", "*.webp")
)


@dataclasses.dataclass(frozen=True)
class Repo:
    """One repository row.

    Attributes:
        pk: internal id (stable across renames).
        type: ``model``, ``dataset`` or ``space``.
        namespace: owner user/org (``""`` for canonical repos such as ``gpt2``).
        name: repo name.
        private: visibility.
        created_at: creation time in the Hub's format.
        sdk: Space SDK (spaces only).
        hardware: requested Space hardware (spaces only).
        multipart_threshold: per-repo LFS multipart threshold (``lfsmultipartthresh``).
        gated: ``None`` for a repo anyone may download, else the gating mode (``auto``
            or ``manual``).
    """

    pk: int
    type: str
    namespace: str
    name: str
    private: bool
    created_at: str
    sdk: Optional[str]
    hardware: Optional[str]
    multipart_threshold: Optional[int]
    gated: Optional[str] = None

    @property
    def repo_id(self) -> str:
        """``namespace/name``, or ``name`` for a canonical repo."""
        return f"{self.namespace}/{self.name}" if self.namespace else self.name

    @property
    def web_path(self) -> str:
        """The repo's path on the web side: ``[datasets/|spaces/]namespace/name``."""
        return constants.REPO_TYPES_URL_PREFIXES.get(self.type, "") + self.repo_id


@dataclasses.dataclass(frozen=True)
class Revision:
    """A revision resolved in a repo.

    Attributes:
        commit: the 40-hex commit id.
        ref: the full ref name (``refs/heads/main``...) or ``None`` for a commit id.
    """

    commit: str
    ref: Optional[str]


def split_repo_id(repo_id: str) -> Tuple[str, str]:
    """Split ``namespace/name`` (or ``name``) into its two parts."""
    namespace, _, name = repo_id.rpartition("/")
    return namespace, name


def check_repo_name(name: str) -> None:
    """Apply the Hub's repo name rules.

    Raises:
        HubError: 400 with the broken rule.
    """
    if not _NAME_RE.match(name) or "--" in name or ".." in name or name.endswith(".git"):
        raise bad_request(
            f"Invalid repo name {name!r}: use letters, digits, '-', '_' and '.', at most 96"
            " characters, no '--' or '..', not starting or ending with '-' or '.'"
        )


_COLUMNS = (
    "id, type, namespace, name, private, created_at, sdk, hardware, multipart_threshold, gated"
)

#: The gating modes of the Hub's settings endpoint (``false`` turns gating off).
GATED_MODES = ("auto", "manual")

#: Admin-made commits (the admin token has no user name) are signed with this identity.
ADMIN_AUTHOR = ("admin", "admin@localhost")


def commit_author(caller: Optional[Caller]) -> Tuple[str, str]:
    """The ``(name, email)`` a commit made by ``caller`` is signed with."""
    if caller is None or caller.name is None:
        return ADMIN_AUTHOR
    return caller.name, f"{caller.name}@users.noreply.huggingface.co"


def migrate_repo_redirects(db: Any) -> None:
    """Create the table of old ids of moved repos (schema version 7).

    A row says that ``type``/``namespace``/``name`` (compared regardless of case, as
    repo ids are) was an id of repo ``repo`` before it moved.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS repo_redirects ("
        " type TEXT NOT NULL, namespace TEXT NOT NULL COLLATE NOCASE,"
        " name TEXT NOT NULL COLLATE NOCASE, repo INTEGER NOT NULL,"
        " PRIMARY KEY (type, namespace, name))"
    )


def _forget_redirect(db: Any, repo_type: str, namespace: str, name: str) -> None:
    # The id names a repo again: it no longer leads to the one that left it.
    db.execute(
        "DELETE FROM repo_redirects WHERE type = ? AND namespace = ? AND name = ?",
        (repo_type, namespace, name),
    )


def _repo_from_row(row: Any) -> Repo:
    pk, kind, namespace, name, private, created, sdk, hardware, threshold, gated = row
    return Repo(
        int(pk), kind, namespace, name, bool(private), created, sdk, hardware, threshold, gated
    )


class Repos:
    """Repository lifecycle and lookups."""

    def __init__(self, storage: Storage, identity: Identity, git: GitStore) -> None:
        self.storage = storage
        self.identity = identity
        self.git = git
        #: Called as ``hook(db, pk)`` inside a repo's deletion, by modules owning per-repo rows.
        self.delete_hooks: List[Callable[[Any, int], None]] = []

    # -- lookups ----------------------------------------------------------------------------

    def find(self, repo_type: str, repo_id: str) -> Optional[Repo]:
        """Return the repo, whatever the case of ``repo_id``, or ``None`` (no permission check).

        This is the one lookup of a repo by id: every route goes through it.
        """
        namespace, name = split_repo_id(repo_id)
        with self.storage.transaction() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM repos WHERE type = ?"
                " AND namespace = ? COLLATE NOCASE AND name = ? COLLATE NOCASE",
                (repo_type, namespace, name),
            ).fetchone()
        return None if row is None else _repo_from_row(row)

    def by_pk(self, pk: int) -> Optional[Repo]:
        """Return the repo with this internal id, or ``None``."""
        with self.storage.transaction() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM repos WHERE id = ?", (pk,)).fetchone()
        return None if row is None else _repo_from_row(row)

    def all(self) -> List[Repo]:
        """Every repo, in creation order."""
        with self.storage.transaction() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM repos ORDER BY id").fetchall()
        return [_repo_from_row(row) for row in rows]

    def find_visible(
        self, caller: Optional[Caller], repo_type: str, repo_id: str
    ) -> Optional[Repo]:
        """Return the repo if it exists and ``caller`` may see it, else ``None``."""
        repo = self.find(repo_type, repo_id)
        if repo is None or not self.identity.can_read(caller, repo.namespace, repo.private):
            return None
        return repo

    def moved_to(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> Optional[Repo]:
        """Where a moved repo's old id leads, if ``caller`` may see the repo there.

        Returns:
            The repo now known under another id, or ``None`` (no such old id, or a repo
            the caller may not see: a redirect would reveal it).
        """
        namespace, name = split_repo_id(repo_id)
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT repo FROM repo_redirects WHERE type = ? AND namespace = ? AND name = ?",
                (repo_type, namespace, name),
            ).fetchone()
        repo = None if row is None else self.by_pk(int(row[0]))
        if repo is None or not self.identity.can_read(caller, repo.namespace, repo.private):
            return None
        return repo

    def visible(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> Repo:
        """Return a repo the caller may see.

        Raises:
            HubError: 401/404 ``RepoNotFound`` when missing or hidden.
        """
        repo = self.find_visible(caller, repo_type, repo_id)
        if repo is None:
            raise repo_not_found(caller is not None)
        return repo

    def writable(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> Repo:
        """Return a repo the caller may change.

        Raises:
            HubError: 401 without a token, 401/404 ``RepoNotFound`` when hidden, 403
                when visible but not writable.
        """
        if caller is None:
            raise HubError(401, "You must be authenticated to do this")
        repo = self.visible(caller, repo_type, repo_id)
        self.check_write(caller, repo.namespace)
        return repo

    def check_write(self, caller: Optional[Caller], namespace: str) -> None:
        """Raise 401/403 unless ``caller`` may write in ``namespace``."""
        if caller is None:
            raise HubError(401, "You must be authenticated to do this")
        if caller.role != "write":
            raise forbidden("This operation needs a token with the 'write' role")
        if not self.identity.can_write(caller, namespace):
            raise forbidden(f"You don't have the rights to write in the namespace {namespace!r}")

    def check_create(self, caller: Optional[Caller], namespace: str) -> None:
        """Raise 401/403 unless ``caller`` may create repos in ``namespace``.

        Only the admin may create in a namespace that is not an account (canonical
        repos live in the empty one).
        """
        self.check_write(caller, namespace)
        is_admin = caller is not None and caller.is_admin
        if not is_admin and self.identity.account_kind(namespace) is None:
            raise forbidden(f"Namespace {namespace!r} does not exist")

    # -- lifecycle --------------------------------------------------------------------------

    def create(
        self,
        caller: Optional[Caller],
        repo_type: str,
        namespace: str,
        name: str,
        private: bool = False,
        sdk: Optional[str] = None,
        hardware: Optional[str] = None,
        multipart_threshold: Optional[int] = None,
    ) -> Repo:
        """Create a repo with the Hub's initial commit (a default ``.gitattributes``).

        The initial commit is authored by the creator. Checks run as on the Hub: rights
        in the namespace, then the arguments, then whether the id (in any case) is taken.

        Raises:
            HubError: 401/403 (rights), 400 (bad type/name/sdk), 409 (exists).
        """
        self.check_create(caller, namespace)
        if repo_type not in REPO_TYPES:
            raise bad_request(f"Invalid repo type {repo_type!r}")
        check_repo_name(name)
        if repo_type == "space" and sdk not in SPACE_SDKS:
            raise bad_request(f"Invalid Space SDK {sdk!r}; use one of {', '.join(SPACE_SDKS)}")
        attributes = gitobj.DEFAULT_GITATTRIBUTES
        if repo_type == "dataset":
            attributes += _DATASET_EXTRA_ATTRIBUTES
        blob = self.git.put_blob(attributes.encode())
        space = repo_type == "space"
        row = (repo_type, namespace, name, int(private))
        extra = (sdk if space else None, hardware if space else None, multipart_threshold)
        with self.storage.transaction() as db:
            if self.find(repo_type, f"{namespace}/{name}" if namespace else name):
                raise conflict(f"You already created this {repo_type} repo")
            _forget_redirect(db, repo_type, namespace, name)
            pk = self._insert(db, row, extra, blob, commit_author(caller))
        repo = self.by_pk(pk)
        assert repo is not None
        return repo

    def _insert(
        self,
        db: Any,
        row: Tuple[str, str, str, int],
        extra: Tuple[Optional[str], Optional[str], Optional[int]],
        gitattributes: str,
        author: Tuple[str, str],
    ) -> int:
        # The repo row, its initial commit and its main branch, in the caller's transaction.
        now = time.time()
        cursor = db.execute(
            "INSERT INTO repos (type, namespace, name, private, created_at, sdk, hardware,"
            " multipart_threshold) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, timefmt.format_epoch(now), *extra),
        )
        pk = int(cursor.lastrowid or 0)
        commit = self.git.write_commit(
            db, {".gitattributes": gitattributes}, (), *author, int(now), "initial commit", ""
        )
        self.record_commit(db, pk, commit)
        db.execute(
            "INSERT INTO refs (repo, name, target) VALUES (?, 'refs/heads/main', ?)", (pk, commit)
        )
        return pk

    def delete(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> None:
        """Delete a repo with its refs, likes and discussions.

        Raises:
            HubError: 401/404 ``RepoNotFound``, 403.
        """
        repo = self.writable(caller, repo_type, repo_id)
        with self.storage.transaction() as db:
            for table in (
                "refs",
                "repo_commits",
                "repo_lfs",
                "likes",
                "repo_access",
                "repo_redirects",
            ):
                db.execute(f"DELETE FROM {table} WHERE repo = ?", (repo.pk,))
            for hook in self.delete_hooks:
                hook(db, repo.pk)
            db.execute("DELETE FROM repos WHERE id = ?", (repo.pk,))

    def move(self, caller: Optional[Caller], repo_type: str, from_id: str, to_id: str) -> Repo:
        """Rename a repo and/or transfer it to another namespace.

        Order of checks: the source (exists and visible, then writable), then the target
        (``namespace/name`` form, rights in its namespace, name rules), then whether
        another repo already has the target id in any case (a change of case only is a
        rename of the same repo). The old id then redirects to the new one, unless only
        its case changed (ids are looked up regardless of case anyway).

        Raises:
            HubError: 400 (bad type or target), 401/404, 403, 409 (target exists).
        """
        if repo_type not in REPO_TYPES:
            raise bad_request(f"Invalid repo type {repo_type!r}")
        repo = self.writable(caller, repo_type, from_id)
        if from_id.count("/") != 1 or to_id.count("/") != 1:
            raise bad_request("Repo ids must have the form namespace/name")
        namespace, name = split_repo_id(to_id)
        self.check_write(caller, namespace)
        check_repo_name(name)
        with self.storage.transaction() as db:
            existing = self.find(repo_type, to_id)
            if existing is not None and (existing.pk != repo.pk or existing.repo_id == to_id):
                raise conflict(f"A {repo_type} repository called {to_id} already exists")
            db.execute(
                "UPDATE repos SET namespace = ?, name = ? WHERE id = ?", (namespace, name, repo.pk)
            )
            _forget_redirect(db, repo_type, namespace, name)
            if existing is None:
                db.execute(
                    "INSERT OR REPLACE INTO repo_redirects (type, namespace, name, repo)"
                    " VALUES (?, ?, ?, ?)",
                    (repo_type, repo.namespace, repo.name, repo.pk),
                )
        moved = self.by_pk(repo.pk)
        assert moved is not None
        return moved

    def set_private(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, private: bool
    ) -> Repo:
        """Change a repo's visibility.

        Raises:
            HubError: 401/404, 403.
        """
        repo = self.writable(caller, repo_type, repo_id)
        with self.storage.transaction() as db:
            db.execute("UPDATE repos SET private = ? WHERE id = ?", (int(private), repo.pk))
        return dataclasses.replace(repo, private=private)

    # -- gating -----------------------------------------------------------------------------

    def set_gated(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, gated: Optional[str]
    ) -> Repo:
        """Gate a repo (``auto``/``manual``) or open it again (``None``); admins only.

        Raises:
            HubError: 400 (unknown mode), 401/404, 403 (not an admin of the namespace).
        """
        if gated is not None and gated not in GATED_MODES:
            raise bad_request(f"Invalid gated mode {gated!r}; expected 'auto', 'manual' or false")
        repo = self.writable(caller, repo_type, repo_id)
        if not self.identity.can_admin(caller, repo.namespace):
            raise forbidden(f"Only admins of {repo.namespace!r} may change gating")
        with self.storage.transaction() as db:
            db.execute("UPDATE repos SET gated = ? WHERE id = ?", (gated, repo.pk))
        return dataclasses.replace(repo, gated=gated)

    def update_settings(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        private: Optional[bool] = None,
        gated: Union[str, bool, None] = None,
    ) -> Repo:
        """Apply a settings change (visibility and/or gating) all at once or not at all.

        Args:
            private: the new visibility, or ``None`` to keep it.
            gated: ``auto``/``manual`` to gate, ``False`` to open, ``None`` to keep.

        Raises:
            HubError: 400 (bad gated value), 401/404, 403.
        """
        if gated is not None and gated is not False and gated not in GATED_MODES:
            raise bad_request(f"Invalid gated mode {gated!r}; expected 'auto', 'manual' or false")
        with self.storage.transaction():
            repo = self.writable(caller, repo_type, repo_id)
            if gated is not None:
                repo = self.set_gated(caller, repo_type, repo_id, gated or None)
            if private is not None:
                repo = self.set_private(caller, repo_type, repo_id, private)
        return repo

    def grant_access(self, repo: Repo, user: str) -> None:
        """Let ``user`` download a gated repo (kept if gating is turned off and on again).

        Raises:
            HubError: 404 for an unknown user.
        """
        if self.identity.account_kind(user) != "user":
            raise not_found(f"User {user!r} not found")
        with self.storage.transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO repo_access (repo, user) VALUES (?, ?)", (repo.pk, user)
            )

    def may_download(self, caller: Optional[Caller], repo: Repo) -> bool:
        """Whether ``caller`` may download files of ``repo`` (always, unless gated)."""
        if repo.gated is None or self.identity.can_read(caller, repo.namespace, True):
            return True  # can_read(private=True): owner, org member or admin
        if caller is None or caller.kind != "user":
            return False
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT 1 FROM repo_access WHERE repo = ? AND user = ?", (repo.pk, caller.name)
            ).fetchone()
        return row is not None

    # -- commits and revisions --------------------------------------------------------------

    @staticmethod
    def record_commit(db: Any, pk: int, oid: str) -> None:
        """Remember that commit ``oid`` belongs to repo ``pk`` (so ids resolve there only)."""
        db.execute("INSERT OR IGNORE INTO repo_commits (repo, oid) VALUES (?, ?)", (pk, oid))

    def has_commit(self, pk: int, oid: str) -> bool:
        """Whether commit ``oid`` was made in repo ``pk``."""
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT 1 FROM repo_commits WHERE repo = ? AND oid = ?", (pk, oid)
            ).fetchone()
        return row is not None

    def refs(self, repo: Repo) -> Dict[str, Tuple[str, Optional[str]]]:
        """Return ``{full ref name: (commit id, tag object id or None)}``."""
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT name, target, tag_object FROM refs WHERE repo = ? ORDER BY name",
                (repo.pk,),
            ).fetchall()
        return {str(name): (str(target), tag) for name, target, tag in rows}

    def resolve(self, repo: Repo, revision: str) -> Revision:
        """Resolve a branch, tag, ``refs/...`` name or (abbreviated) commit id.

        Branches win over tags of the same name, as in git.

        Raises:
            HubError: 404 ``RevisionNotFound``.
        """
        refs = self.refs(repo)
        candidates = (
            [revision]
            if revision.startswith("refs/")
            else [f"refs/heads/{revision}", f"refs/tags/{revision}"]
        )
        for name in candidates:
            if name in refs:
                return Revision(refs[name][0], name)
        if _HEX_RE.match(revision.lower()):
            commit = self.find_commit(repo, revision)
            if commit is not None:
                return Revision(commit, None)
        raise revision_not_found(revision)

    def find_commit(self, repo: Repo, prefix: str) -> Optional[str]:
        """Return the only commit of the repo whose id starts with ``prefix``, if any."""
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT oid FROM repo_commits WHERE repo = ? AND oid LIKE ? LIMIT 2",
                (repo.pk, prefix.lower() + "%"),
            ).fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None
