"""The local Hub's database schema: the migration steps and the tables a reset empties.

Each step takes a data directory's database one version up; :class:`~hfapi.hub.storage.Storage`
runs the steps a database lacks when it opens it. Tables that belong to one backend module
keep their DDL there and are created by a step that imports it when it runs.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Callable, Tuple, Union

logger = logging.getLogger("hfapi.hub")

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


#: Version 9: small contents (git blobs of inline files, mostly) kept in the database.
_SCHEMA_V9 = (
    """CREATE TABLE contents (
    kind TEXT NOT NULL, oid TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (kind, oid))""",
)

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
    _SCHEMA_V9,
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
    "contents",
)
