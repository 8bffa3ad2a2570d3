"""The discussions backend's tables: their schema migration and the rows of events.

Kept apart from the rules in :mod:`.discussions`; :mod:`hfapi.hub.storage` runs
:func:`migrate_discussions_v2` as schema step 4.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from typing import Any, Dict


def migrate_discussions_v2(db: sqlite3.Connection) -> None:
    """Create or upgrade the discussion tables; safe to run on any earlier shape, twice.

    The first shape was one ``discussions`` row per thread (written by the commit
    endpoint for ``create_pr``). This adds the merge commit column, the events and the
    comment versions, and gives every thread that has no event yet its opening comment
    (its description), so no thread is lost.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS discussions ("
        " repo INTEGER NOT NULL, num INTEGER NOT NULL, is_pr INTEGER NOT NULL,"
        " status TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,"
        " author TEXT NOT NULL, target_branch TEXT, created_at TEXT NOT NULL,"
        " merge_commit TEXT, PRIMARY KEY (repo, num))"
    )
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(discussions)")}
    if "merge_commit" not in columns:
        db.execute("ALTER TABLE discussions ADD COLUMN merge_commit TEXT")
    db.execute(
        "CREATE TABLE IF NOT EXISTS discussion_events ("
        " id TEXT PRIMARY KEY, repo INTEGER NOT NULL, num INTEGER NOT NULL,"
        " type TEXT NOT NULL, author TEXT NOT NULL, created_at TEXT NOT NULL,"
        " data TEXT NOT NULL, hidden INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS discussion_events_thread ON discussion_events (repo, num)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS discussion_comment_versions ("
        " event TEXT NOT NULL, repo INTEGER NOT NULL, raw TEXT NOT NULL,"
        " author TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS discussion_versions_event"
        " ON discussion_comment_versions (event)"
    )
    orphans = db.execute(
        "SELECT repo, num, description, author, created_at FROM discussions d WHERE NOT EXISTS"
        " (SELECT 1 FROM discussion_events e WHERE e.repo = d.repo AND e.num = d.num)"
    ).fetchall()
    for pk, num, description, author, created in orphans:
        insert_comment(
            db, new_event_id(time.time()), int(pk), int(num), author, created, description
        )


def new_event_id(now: float) -> str:
    # 24 hex digits like the Hub's object ids: seconds first, so ids sort by time.
    return f"{int(now):08x}{secrets.token_hex(8)}"


def insert_event(
    db: sqlite3.Connection,
    event_id: str,
    pk: int,
    num: int,
    kind: str,
    author: str,
    created: str,
    data: Dict[str, Any],
) -> None:
    db.execute(
        "INSERT INTO discussion_events (id, repo, num, type, author, created_at, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (event_id, pk, num, kind, author, created, json.dumps(data)),
    )


def insert_comment(
    db: sqlite3.Connection, event_id: str, pk: int, num: int, author: str, created: str, raw: str
) -> None:
    insert_event(db, event_id, pk, num, "comment", author, created, {})
    db.execute(
        "INSERT INTO discussion_comment_versions (event, repo, raw, author, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (event_id, pk, raw, author, created),
    )
