"""Discussions and pull requests: their tables, numbering, events and permission rules.

Each repo numbers its discussions and pull requests in one sequence from 1. A thread is
a row of ``discussions`` plus its events, in order: comments (every version kept, so
edits have a history; a comment can be hidden), status changes, title changes and, for
pull requests, the commits pushed to ``refs/pr/N``.

Who may do what, as on the Hub: anyone who can see the repo (with a write token) may
open a thread and comment; the thread's author or a writer of the repo may rename it
and close or reopen it; only a comment's author may edit it; only writers may merge a
pull request or hide comments, and the content of hidden comments is redacted for
everyone else.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ..errors import HubError, bad_request, forbidden, not_found
from ..storage import Storage
from . import timefmt
from .discussion_tables import insert_comment, insert_event, new_event_id
from .identity import Caller, Identity
from .refs import Refs
from .repos import Repo, Repos

#: Threads per page of the listing (the Hub's page size).
PAGE_SIZE = 50
TITLE_LENGTH = (3, 200)
DEFAULT_TARGET = "refs/heads/main"

_EVENT_COLUMNS = "id, type, author, created_at, data, hidden"
_THREAD_COLUMNS = "num, is_pr, status, title, author, created_at, target_branch, merge_commit"


@dataclasses.dataclass(frozen=True)
class CommentVersion:
    """One version of a comment's text: what it said, who wrote it, when."""

    raw: str
    author: str
    updated_at: str


@dataclasses.dataclass(frozen=True)
class Event:
    """One event of a thread.

    Attributes:
        id: 24 hex digits.
        type: ``comment``, ``status-change``, ``title-change`` or ``commit``.
        author: who caused it (``""`` for the admin token: shown as a deleted user).
        created_at: when, in the Hub's format.
        data: ``{"status"}``, ``{"from", "to"}`` or ``{"subject", "oid"}`` by type.
        versions: a comment's versions, oldest first (the last one is current).
        hidden: whether a writer hid the comment.
        redacted: the comment is hidden and the viewer may not read it.
    """

    id: str
    type: str
    author: str
    created_at: str
    data: Dict[str, Any]
    versions: Tuple[CommentVersion, ...] = ()
    hidden: bool = False
    redacted: bool = False


@dataclasses.dataclass(frozen=True)
class Discussion:
    """One thread (discussion or pull request) of a repo."""

    repo: Repo
    num: int
    is_pr: bool
    status: str
    title: str
    author: str
    created_at: str
    target_branch: Optional[str]
    merge_commit: Optional[str]
    num_comments: int = 0


@dataclasses.dataclass(frozen=True)
class Page:
    """One page of a repo's threads, newest first."""

    items: List[Discussion]
    count: int
    start: int
    closed: int


@dataclasses.dataclass(frozen=True)
class Details:
    """A thread with its events."""

    discussion: Discussion
    events: List[Event]


def _check_title(title: Any) -> str:
    if not isinstance(title, str):
        raise bad_request("'title' must be a string")
    low, high = TITLE_LENGTH
    if not low <= len(title.strip()) <= high:
        raise bad_request(f"The title must have between {low} and {high} characters")
    return title.strip()


def _check_text(text: Any, name: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise bad_request(f"'{name}' must be a non-empty string")
    return text


class Discussions:
    """The threads of every repo: their rows, events and rules (``pulls`` adds git's side).

    Args:
        clock: seconds since the epoch (injected by tests).
    """

    def __init__(
        self,
        storage: Storage,
        identity: Identity,
        repos: Repos,
        refs: Refs,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.storage = storage
        self.identity = identity
        self.repos = repos
        self.refs = refs
        self.clock = clock
        repos.delete_hooks.append(self.forget_repo)

    # -- reading ----------------------------------------------------------------------------

    def page(self, caller: Optional[Caller], repo_type: str, repo_id: str, index: int) -> Page:
        """Page ``index`` (from 0) of a repo's threads, newest first.

        Raises:
            HubError: 401/404 ``RepoNotFound``.
        """
        repo = self.repos.visible(caller, repo_type, repo_id)
        with self.storage.transaction() as db:
            count, closed = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(status = 'closed'), 0) FROM discussions"
                " WHERE repo = ?",
                (repo.pk,),
            ).fetchone()
            rows = db.execute(
                f"SELECT {_THREAD_COLUMNS} FROM discussions WHERE repo = ?"
                " ORDER BY num DESC LIMIT ? OFFSET ?",
                (repo.pk, PAGE_SIZE, index * PAGE_SIZE),
            ).fetchall()
            items = [self._thread(db, repo, row) for row in rows]
        return Page(items, int(count), index * PAGE_SIZE, int(closed))

    def details(self, caller: Optional[Caller], repo_type: str, repo_id: str, num: int) -> Details:
        """A thread with its events (hidden comments redacted for non-writers).

        Raises:
            HubError: 401/404 ``RepoNotFound``, 404 for an unknown thread.
        """
        repo = self.repos.visible(caller, repo_type, repo_id)
        moderator = self.is_writer(caller, repo)
        with self.storage.transaction() as db:
            thread = self.get(db, repo, num)
            events = self._events(db, repo.pk, num, moderator)
        return Details(thread, events)

    def _thread(self, db: sqlite3.Connection, repo: Repo, row: Sequence[Any]) -> Discussion:
        num, is_pr, status, title, author, created, target, merge_commit = row
        comments = db.execute(
            "SELECT COUNT(*) FROM discussion_events WHERE repo = ? AND num = ?"
            " AND type = 'comment'",
            (repo.pk, num),
        ).fetchone()[0]
        return Discussion(
            repo,
            int(num),
            bool(is_pr),
            str(status),
            str(title),
            str(author),
            str(created),
            target,
            merge_commit,
            int(comments),
        )

    def get(self, db: sqlite3.Connection, repo: Repo, num: int) -> Discussion:
        """The thread ``num`` of a repo.

        Raises:
            HubError: 404 when the repo has no such thread.
        """
        row = db.execute(
            f"SELECT {_THREAD_COLUMNS} FROM discussions WHERE repo = ? AND num = ?",
            (repo.pk, num),
        ).fetchone()
        if row is None:
            raise not_found(f"Discussion #{num} not found in {repo.repo_id}")
        return self._thread(db, repo, row)

    def _events(self, db: sqlite3.Connection, pk: int, num: int, moderator: bool) -> List[Event]:
        rows = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM discussion_events WHERE repo = ? AND num = ?"
            " ORDER BY rowid",
            (pk, num),
        ).fetchall()
        return [self._event(db, row, moderator) for row in rows]

    def _event(self, db: sqlite3.Connection, row: Sequence[Any], moderator: bool) -> Event:
        event_id, kind, author, created, data, hidden = row
        versions: Tuple[CommentVersion, ...] = ()
        if kind == "comment":
            versions = tuple(
                CommentVersion(str(raw), str(who), str(when))
                for raw, who, when in db.execute(
                    "SELECT raw, author, updated_at FROM discussion_comment_versions"
                    " WHERE event = ? ORDER BY rowid",
                    (event_id,),
                )
            )
        return Event(
            str(event_id),
            str(kind),
            str(author),
            str(created),
            json.loads(data),
            versions,
            bool(hidden),
            bool(hidden) and not moderator,
        )

    def _find_event(self, db: sqlite3.Connection, repo: Repo, num: int, event_id: str) -> Event:
        row = db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM discussion_events WHERE repo = ? AND num = ?"
            " AND id = ? AND type = 'comment'",
            (repo.pk, num, event_id.lower()),
        ).fetchone()
        if row is None:
            raise not_found(f"Comment {event_id} not found in discussion #{num}")
        return self._event(db, row, True)

    # -- permissions ------------------------------------------------------------------------

    def actor(self, caller: Optional[Caller], repo_type: str, repo_id: str) -> Tuple[Caller, Repo]:
        """The caller and repo of a change: the repo must be visible, the token a write one.

        Raises:
            HubError: 401/404 ``RepoNotFound``, 401 anonymous, 403 read token.
        """
        repo = self.repos.visible(caller, repo_type, repo_id)
        if caller is None:
            raise HubError(401, "You must be authenticated to do this")
        if caller.role != "write":
            raise forbidden("This operation needs a token with the 'write' role")
        return caller, repo

    def is_writer(self, caller: Optional[Caller], repo: Repo) -> bool:
        """Whether ``caller`` may write to ``repo`` (and so moderate its threads)."""
        return caller is not None and self.identity.can_write(caller, repo.namespace)

    def _check_author_or_writer(self, caller: Caller, repo: Repo, author: str, what: str) -> None:
        if caller.name != author and not self.is_writer(caller, repo):
            raise forbidden(f"Only the author or a writer of {repo.repo_id} may {what}")

    @staticmethod
    def display_name(caller: Caller) -> str:
        """The author name stored for ``caller`` (``""`` for the admin token)."""
        return caller.name or ""

    def _now(self) -> Tuple[str, str]:
        moment = self.clock()
        return new_event_id(moment), timefmt.format_epoch(moment)

    # -- threads ----------------------------------------------------------------------------

    def create(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        title: Any,
        description: Any,
        pull_request: bool,
    ) -> Discussion:
        """Open a discussion, or a draft pull request whose ref starts at the main head.

        Raises:
            HubError: 400 (title of 3 to 200 characters), 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        clean_title = _check_title(title)
        if description is not None and not isinstance(description, str):
            raise bad_request("'description' must be a string")
        with self.storage.transaction() as db:
            num = self.open_thread(
                db, repo, self.display_name(caller), clean_title, description or "", pull_request
            )
            if pull_request:
                head = self.repos.resolve(repo, DEFAULT_TARGET).commit
                self.refs.move(db, repo.pk, f"refs/pr/{num}", head, None)
            return self.get(db, repo, num)

    def open_thread(
        self,
        db: sqlite3.Connection,
        repo: Repo,
        author: str,
        title: str,
        description: str,
        pull_request: bool,
        status: Optional[str] = None,
        target: str = DEFAULT_TARGET,
    ) -> int:
        """Insert a thread with its opening comment (in the caller's transaction).

        Args:
            status: defaults to ``draft`` for a pull request, ``open`` otherwise.
            target: the branch a pull request merges into.

        Returns:
            The thread's number: one more than the repo's highest.
        """
        row = db.execute("SELECT MAX(num) FROM discussions WHERE repo = ?", (repo.pk,)).fetchone()
        num = int(row[0] or 0) + 1
        event_id, now = self._now()
        db.execute(
            "INSERT INTO discussions (repo, num, is_pr, status, title, description, author,"
            " target_branch, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                repo.pk,
                num,
                int(pull_request),
                status or ("draft" if pull_request else "open"),
                title,
                description,
                author,
                target if pull_request else None,
                now,
            ),
        )
        insert_comment(db, event_id, repo.pk, num, author, now, description)
        return num

    def comment(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, num: int, text: Any
    ) -> Event:
        """Add a comment to a thread.

        Raises:
            HubError: 400 (empty comment), 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        text = _check_text(text, "comment")
        with self.storage.transaction() as db:
            self.get(db, repo, num)
            event_id = self._add_comment(db, repo, num, self.display_name(caller), text)
            return self._find_event(db, repo, num, event_id)

    def _add_comment(
        self, db: sqlite3.Connection, repo: Repo, num: int, author: str, text: str
    ) -> str:
        event_id, now = self._now()
        insert_comment(db, event_id, repo.pk, num, author, now, text)
        return event_id

    def add_event(
        self,
        db: sqlite3.Connection,
        repo: Repo,
        num: int,
        author: str,
        kind: str,
        data: Dict[str, Any],
    ) -> Event:
        """Append a non-comment event to a thread (in the caller's transaction)."""
        event_id, now = self._now()
        insert_event(db, event_id, repo.pk, num, kind, author, now, data)
        return Event(event_id, kind, author, now, data)

    def rename(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, num: int, title: Any
    ) -> Event:
        """Change a thread's title (its author or a writer).

        Raises:
            HubError: 400 (title length), 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        new_title = _check_title(title)
        with self.storage.transaction() as db:
            thread = self.get(db, repo, num)
            self._check_author_or_writer(caller, repo, thread.author, "rename this discussion")
            db.execute(
                "UPDATE discussions SET title = ? WHERE repo = ? AND num = ?",
                (new_title, repo.pk, num),
            )
            data = {"from": thread.title, "to": new_title}
            return self.add_event(db, repo, num, self.display_name(caller), "title-change", data)

    def set_status(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        num: int,
        status: Any,
        comment: Any = None,
    ) -> Event:
        """Close, reopen or publish (draft to open) a thread; its author or a writer.

        Raises:
            HubError: 400 (status not ``open``/``closed``, unchanged, or merged), 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        if status not in ("open", "closed"):
            raise bad_request("'status' must be 'open' or 'closed'")
        if comment is not None and not isinstance(comment, str):
            raise bad_request("'comment' must be a string")
        with self.storage.transaction() as db:
            thread = self.get(db, repo, num)
            self._check_author_or_writer(caller, repo, thread.author, "change its status")
            if thread.status == "merged":
                raise bad_request("A merged pull request cannot change status")
            if thread.status == status:
                raise bad_request(f"The discussion is already {status}")
            return self.change_status(
                db, repo, num, self.display_name(caller), str(status), comment
            )

    def change_status(
        self,
        db: sqlite3.Connection,
        repo: Repo,
        num: int,
        author: str,
        status: str,
        comment: Optional[str],
    ) -> Event:
        """Set a thread's status, after an optional comment; return the status event."""
        if comment and comment.strip():
            self._add_comment(db, repo, num, author, comment.strip())
        db.execute(
            "UPDATE discussions SET status = ? WHERE repo = ? AND num = ?", (status, repo.pk, num)
        )
        return self.add_event(db, repo, num, author, "status-change", {"status": status})

    # -- comments ---------------------------------------------------------------------------

    def edit_comment(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        num: int,
        event_id: str,
        content: Any,
    ) -> Event:
        """Replace a comment's text, keeping the old versions (its author only).

        Raises:
            HubError: 400 (empty text, hidden comment), 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        content = _check_text(content, "content")
        with self.storage.transaction() as db:
            self.get(db, repo, num)
            event = self._find_event(db, repo, num, event_id)
            if event.author != caller.name and not caller.is_admin:
                raise forbidden("Only the author of a comment may edit it")
            if event.hidden:
                raise bad_request("A hidden comment cannot be edited")
            db.execute(
                "INSERT INTO discussion_comment_versions (event, repo, raw, author, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (event.id, repo.pk, content, self.display_name(caller), self._now()[1]),
            )
            return self._find_event(db, repo, num, event.id)

    def hide_comment(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, num: int, event_id: str
    ) -> Event:
        """Hide a comment for good (writers only; hiding twice changes nothing).

        Raises:
            HubError: 401/403/404.
        """
        caller, repo = self.actor(caller, repo_type, repo_id)
        with self.storage.transaction() as db:
            self.get(db, repo, num)
            event = self._find_event(db, repo, num, event_id)
            if not self.is_writer(caller, repo):
                raise forbidden(f"Only a writer of {repo.repo_id} may hide comments")
            db.execute("UPDATE discussion_events SET hidden = 1 WHERE id = ?", (event.id,))
            return self._find_event(db, repo, num, event.id)

    def find(self, db: sqlite3.Connection, repo: Repo, num: int) -> Optional[Discussion]:
        """The thread ``num`` of a repo, or ``None``."""
        try:
            return self.get(db, repo, num)
        except HubError:
            return None

    def set_merge_commit(self, db: sqlite3.Connection, repo: Repo, num: int, oid: str) -> None:
        """Record the commit that merged pull request ``num`` (in the merge's transaction)."""
        db.execute(
            "UPDATE discussions SET merge_commit = ? WHERE repo = ? AND num = ?",
            (oid, repo.pk, num),
        )

    # -- lifecycle --------------------------------------------------------------------------

    def forget_repo(self, db: sqlite3.Connection, pk: int) -> None:
        """Delete every thread of a repo (inside the repo deletion's transaction)."""
        for table in ("discussions", "discussion_events", "discussion_comment_versions"):
            db.execute(f"DELETE FROM {table} WHERE repo = ?", (pk,))

    def clear(self) -> None:
        """Delete every thread of every repo (for a reset)."""
        with self.storage.transaction() as db:
            for table in ("discussions", "discussion_events", "discussion_comment_versions"):
                db.execute(f"DELETE FROM {table}")

    def dump(self) -> List[Dict[str, Any]]:
        """Every thread (without events), for the admin state dump."""
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT repo, num, is_pr, status, title, author, target_branch, merge_commit"
                " FROM discussions ORDER BY repo, num"
            ).fetchall()
        return [
            {
                "repo": pk,
                "num": num,
                "isPullRequest": bool(is_pr),
                "status": status,
                "title": title,
                "author": author,
                "targetBranch": target,
                "mergeCommitId": merged,
            }
            for pk, num, is_pr, status, title, author, target, merged in rows
        ]
