"""Pull requests as git sees them: ``refs/pr/N``, pushes, reviews and merges.

A pull request is a thread of :mod:`.discussions` (which owns the tables; this module
only calls it) plus the ref ``refs/pr/N``. Commits made with ``create_pr`` open one;
commits to ``refs/pr/N`` become its commit events. A merge applies the PR's changes since
the merge base onto the target branch's current head as one new commit (refused when
both sides changed a path differently), then marks the PR merged.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any, Dict, List, Optional

from ..errors import bad_request, forbidden
from ..storage import Storage
from . import prdiff
from .discussions import Discussion, Discussions, Event
from .gitstore import GitStore
from .identity import Caller
from .refs import Refs
from .repos import Repo, Repos


@dataclasses.dataclass(frozen=True)
class Review:
    """What the details of a pull request say about its changes.

    Attributes:
        conflicting_files: paths changed differently on the PR and on its target (only
            reported while the PR can still be merged).
        diff: the PR's changes as a unified diff (``None`` when not asked for).
    """

    conflicting_files: List[str]
    diff: Optional[str]


@dataclasses.dataclass(frozen=True)
class _State:
    """Both sides of a pull request, measured from their merge base."""

    target_head: str
    base_files: Dict[str, str]
    target_files: Dict[str, str]
    pr_changes: prdiff.Changes
    target_changes: prdiff.Changes


class PullRequests:
    """Opening PRs from commits, pushes to ``refs/pr/N``, reviews and merges."""

    def __init__(
        self,
        storage: Storage,
        discussions: Discussions,
        repos: Repos,
        refs: Refs,
        git: GitStore,
    ) -> None:
        self.storage = storage
        self.discussions = discussions
        self.repos = repos
        self.refs = refs
        self.git = git

    # -- commits --------------------------------------------------------------------------

    def open_from_commit(
        self,
        db: sqlite3.Connection,
        repo: Repo,
        author: str,
        title: str,
        description: str,
        target_ref: str,
        head: str,
    ) -> int:
        """Open a pull request for a commit made with ``create_pr`` (in its transaction).

        The PR is ``open``, targets ``target_ref``, owns ``refs/pr/N`` at ``head`` and
        lists the commit as its first commit event.

        Returns:
            The PR number.
        """
        num = self.discussions.open_thread(
            db, repo, author, title, description, True, "open", target_ref
        )
        self.refs.move(db, repo.pk, f"refs/pr/{num}", head, None)
        self.record_push(db, repo, num, author, title, head)
        return num

    def check_push(self, caller: Caller, repo: Repo, num: int) -> None:
        """Allow a commit to ``refs/pr/N``: its author or a writer, and not once merged.

        Raises:
            HubError: 400 for a merged PR, 403 for anyone else.
        """
        with self.storage.transaction() as db:
            thread = self.discussions.find(db, repo, num)
        if thread is not None and thread.status == "merged":
            raise bad_request(f"Pull request #{num} is merged: open a new one")
        if thread is not None and thread.author == caller.name:
            return
        self.repos.check_write(caller, repo.namespace)

    def record_push(
        self, db: sqlite3.Connection, repo: Repo, num: int, author: str, subject: str, oid: str
    ) -> None:
        """Add a commit event to pull request ``num`` (inside the commit's transaction)."""
        if self.discussions.find(db, repo, num) is not None:
            data = {"subject": subject, "oid": oid}
            self.discussions.add_event(db, repo, num, author, "commit", data)

    # -- review ---------------------------------------------------------------------------

    def review(self, thread: Discussion, with_diff: bool) -> Review:
        """The conflicts and (on request) the diff of a pull request against its target."""
        state = self._state(thread.repo, thread)
        if state is None:
            return Review([], "" if with_diff else None)
        conflicting: List[str] = []
        if thread.status in ("open", "draft"):
            conflicting = prdiff.conflicts(state.pr_changes, state.target_changes)
        diff = None
        if with_diff:
            diff = prdiff.unified_diff(state.base_files, state.pr_changes, self._read_blob)
        return Review(conflicting, diff)

    def _state(self, repo: Repo, thread: Discussion) -> Optional[_State]:
        refs = self.repos.refs(repo)
        pr_ref = refs.get(f"refs/pr/{thread.num}")
        target_ref = refs.get(str(thread.target_branch))
        if pr_ref is None or target_ref is None:
            return None
        pr_head, target_head = pr_ref[0], target_ref[0]
        base = prdiff.merge_base(
            (oid for oid, _ in self.git.history(pr_head)),
            (oid for oid, _ in self.git.history(target_head)),
        )
        base_files = self.git.snapshot(base).files if base else {}
        target_files = self.git.snapshot(target_head).files
        return _State(
            target_head,
            base_files,
            target_files,
            prdiff.changes(base_files, self.git.snapshot(pr_head).files),
            prdiff.changes(base_files, target_files),
        )

    def _read_blob(self, oid: str) -> bytes:
        with self.storage.open_content("git", oid) as handle:
            return handle.read()

    # -- merge ----------------------------------------------------------------------------

    def merge(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        num: int,
        comment: Any = None,
    ) -> Event:
        """Apply a pull request's changes to its target as one commit; mark it merged.

        Returns:
            The ``merged`` status-change event.

        Raises:
            HubError: 400 (not a PR; draft, closed or merged; no changes; conflicts),
                401/403/404.
        """
        caller, repo = self.discussions.actor(caller, repo_type, repo_id)
        if comment is not None and not isinstance(comment, str):
            raise bad_request("'comment' must be a string")
        with self.storage.transaction() as db:
            thread = self.discussions.get(db, repo, num)
            if not thread.is_pr:
                raise bad_request(f"Discussion #{num} is not a pull request")
            if not self.discussions.is_writer(caller, repo):
                raise forbidden(f"Only a writer of {repo.repo_id} may merge pull requests")
            _check_mergeable(thread)
            oid = self._merge_commit(db, caller, repo, thread)
            self.discussions.set_merge_commit(db, repo, num, oid)
            name = self.discussions.display_name(caller)
            return self.discussions.change_status(db, repo, num, name, "merged", comment)

    def _merge_commit(
        self, db: sqlite3.Connection, caller: Caller, repo: Repo, thread: Discussion
    ) -> str:
        state = self._state(repo, thread)
        if state is None:
            raise bad_request(f"The target branch of pull request #{thread.num} is gone")
        if not state.pr_changes:
            raise bad_request("This pull request has no associated changes")
        clash = prdiff.conflicts(state.pr_changes, state.target_changes)
        if clash:
            raise bad_request(
                f"Pull request #{thread.num} has conflicts with {thread.target_branch}"
                f" in: {', '.join(clash)}"
            )
        files = prdiff.apply(state.target_files, state.pr_changes)
        name = caller.name or "admin"
        email = f"{name}@users.noreply.huggingface.co" if caller.name else "admin@localhost"
        try:
            oid = self.git.write_commit(
                db,
                files,
                (state.target_head,),
                name,
                email,
                int(self.discussions.clock()),
                f"{thread.title} (#{thread.num})",
                "",
                taken=lambda o: self.repos.has_commit(repo.pk, o),
            )
        except ValueError as error:  # a path is a file on one side, a folder on the other
            raise bad_request(f"Pull request #{thread.num} has conflicts: {error}") from None
        self.repos.record_commit(db, repo.pk, oid)
        self.refs.move(db, repo.pk, str(thread.target_branch), oid, state.target_head)
        return oid


def _check_mergeable(thread: Discussion) -> None:
    if thread.status == "merged":
        raise bad_request(f"Pull request #{thread.num} is already merged")
    if thread.status == "closed":
        raise bad_request(f"Pull request #{thread.num} is closed: reopen it to merge it")
    if thread.status == "draft":
        raise bad_request(f"Pull request #{thread.num} is a draft: open it to merge it")
