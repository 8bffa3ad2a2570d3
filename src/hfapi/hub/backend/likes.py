"""Likes: users liking repos, per-repo counts and per-user listings."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ..errors import HubError, not_found
from ..storage import Storage
from . import timefmt
from .identity import Caller, Identity
from .repos import Repo, Repos


class Likes:
    """Like/unlike (idempotent), counts, and the public list of a user's likes."""

    def __init__(self, storage: Storage, identity: Identity, repos: Repos) -> None:
        self.storage = storage
        self.identity = identity
        self.repos = repos

    def set(self, caller: Optional[Caller], repo_type: str, repo_id: str, liked: bool) -> None:
        """Like (``liked=True``) or unlike a repo; doing it twice changes nothing.

        Raises:
            HubError: 401 (anonymous or not a user token), 401/404 ``RepoNotFound``.
        """
        if caller is None or caller.kind != "user":
            raise HubError(401, "You must be logged in as a user to like a repo")
        repo = self.repos.visible(caller, repo_type, repo_id)
        with self.storage.transaction() as db:
            if liked:
                db.execute(
                    "INSERT OR IGNORE INTO likes (user, repo, created_at) VALUES (?, ?, ?)",
                    (caller.name, repo.pk, timefmt.now()),
                )
            else:
                db.execute("DELETE FROM likes WHERE user = ? AND repo = ?", (caller.name, repo.pk))

    def count(self, repo: Repo) -> int:
        """How many users like ``repo``."""
        with self.storage.transaction() as db:
            row = db.execute("SELECT COUNT(*) FROM likes WHERE repo = ?", (repo.pk,)).fetchone()
        return int(row[0])

    def of_user(self, user: str) -> List[Dict[str, Any]]:
        """The like records of ``user``, newest first; private repos are never listed.

        Raises:
            HubError: 404 for an unknown user.
        """
        if self.identity.account_kind(user) != "user":
            raise not_found(f"User {user!r} not found")
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT l.created_at, r.type, r.namespace, r.name FROM likes l"
                " JOIN repos r ON r.id = l.repo WHERE l.user = ? AND r.private = 0"
                " ORDER BY l.created_at DESC, l.rowid DESC",
                (user,),
            ).fetchall()
        return [
            {
                "createdAt": created,
                "repo": {"name": f"{namespace}/{name}" if namespace else name, "type": kind},
            }
            for created, kind, namespace, name in rows
        ]
