"""What the pages show, gathered from the backend (never from storage directly).

Each ``*_view`` function checks visibility as the API does (a hidden repo is
``RepoNotFound``) and returns plain data for the renderers in :mod:`.pages`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Dict, List, Optional, Tuple

from ..backend import Backend, Caller, gitobj, prdiff
from ..backend.cards import CardData
from ..backend.discussions import Details, Page
from ..backend.pulls import Review
from ..backend.repos import Repo
from ..backend.timefmt import format_epoch
from ..errors import entry_not_found, not_found

#: Entries on one tree page, and commits on one history page.
TREE_PAGE_SIZE = 1000
COMMITS_PAGE_SIZE = 50
#: Files larger than this are not shown inline (nor diffed): a download link instead.
MAX_SHOWN_BYTES = 1_000_000
#: Git's rule: a NUL byte among the first 8000 bytes makes a file binary.
_SNIFF = 8000
_HEX = re.compile("[0-9a-f]{4,40}")


@dataclasses.dataclass(frozen=True)
class CommitRow:
    """One commit as listed: id, title, author and date (Hub format)."""

    oid: str
    title: str
    author: str
    date: str
    message: str = ""


@dataclasses.dataclass(frozen=True)
class Entry:
    """One row of a tree page."""

    path: str
    kind: str  # "file" or "directory"
    size: int
    lfs: bool
    last: Optional[CommitRow]

    @property
    def name(self) -> str:
        """The last segment of the path."""
        return self.path.rpartition("/")[2]


@dataclasses.dataclass(frozen=True)
class TreeView:
    """A folder at a revision, one page of it."""

    repo: Repo
    rev: str
    folder: str
    entries: List[Entry]
    start: int
    total: int


@dataclasses.dataclass(frozen=True)
class BlobView:
    """A file at a revision; ``content`` is ``None`` for LFS and oversized files."""

    repo: Repo
    rev: str
    path: str
    size: int
    oid: str
    sha256: Optional[str]
    content: Optional[bytes]
    last: Optional[CommitRow]


@dataclasses.dataclass(frozen=True)
class RepoView:
    """The repo page: head commit, README, card data, likes and file count."""

    repo: Repo
    head: Optional[CommitRow]
    readme: Optional[str]
    card: Optional[CardData]
    likes: int
    files: int


@dataclasses.dataclass(frozen=True)
class HistoryView:
    """One page of a revision's history."""

    repo: Repo
    rev: str
    commits: List[CommitRow]
    page: int
    has_next: bool


@dataclasses.dataclass(frozen=True)
class CommitView:
    """One commit: its changed paths (``added``/``modified``/``deleted``) and diff."""

    repo: Repo
    commit: CommitRow
    parent: Optional[str]
    changes: List[Tuple[str, str]]
    diff: str


@dataclasses.dataclass(frozen=True)
class ThreadView:
    """A discussion or pull request with its events, and the PR's review."""

    repo: Repo
    details: Details
    review: Optional[Review]


def is_binary(data: bytes) -> bool:
    """Whether content is shown as binary: a NUL byte early on, or not UTF-8 text."""
    if b"\0" in data[:_SNIFF]:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of a truncated read is still text.
        return error.start < len(data) - 3
    return False


def _row(oid: str, commit: gitobj.Commit) -> CommitRow:
    return CommitRow(
        oid, commit.title, commit.author, format_epoch(commit.timestamp), commit.message
    )


class WebData:
    """Reads what the pages need for one caller.

    Args:
        hub: the backend.
        caller: who is looking (``None``: anonymous).
    """

    def __init__(self, hub: Backend, caller: Optional[Caller]) -> None:
        self.hub = hub
        self.caller = caller

    def repo(self, repo_type: str, repo_id: str) -> Repo:
        """The repo, if the caller may see it (else ``RepoNotFound``)."""
        return self.hub.repos.visible(self.caller, repo_type, repo_id)

    def _commit(self, repo: Repo, rev: str) -> str:
        return self.hub.repos.resolve(repo, rev).commit

    def _read(self, oid: str, limit: int = MAX_SHOWN_BYTES) -> bytes:
        info = self.hub.git.blob_infos([oid])[oid]
        return b"".join(self.hub.read_file(info, 0, min(self.hub.file_size(info), limit)))

    def repo_view(self, repo: Repo) -> RepoView:
        """The repo page's data, from the head of ``main`` (a repo without it shows empty)."""
        likes = self.hub.likes.count(repo)
        if "refs/heads/main" not in self.hub.repos.refs(repo):
            return RepoView(repo, None, None, None, likes, 0)
        head = self._commit(repo, "main")
        files = self.hub.git.snapshot(head).files
        readme_oid = files.get("README.md")
        readme = None
        if readme_oid is not None:
            readme = self._read(readme_oid).decode("utf-8", "replace")
        card = self.hub.search.card_at(repo, head, files)
        row = _row(head, self.hub.git.commit(head))
        return RepoView(repo, row, readme, card, likes, len(files))

    def tree_view(self, repo: Repo, rev: str, folder: str, start: int) -> TreeView:
        """One page (:data:`TREE_PAGE_SIZE` entries from ``start``) of a folder."""
        commit = self._commit(repo, rev)
        snapshot = self.hub.git.snapshot(commit)
        folder = folder.strip("/")
        if folder and folder not in snapshot.dirs:
            raise entry_not_found(f"Folder {folder!r} not found at this revision")
        prefix = f"{folder}/" if folder else ""
        listed: List[Tuple[str, str, str]] = []
        for kind, mapping in (("directory", snapshot.dirs), ("file", snapshot.files)):
            for path, oid in mapping.items():
                if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                    listed.append((kind, path, oid))
        listed.sort()  # folders first, then files, each by path
        page = listed[start : start + TREE_PAGE_SIZE]
        infos = self.hub.git.blob_infos(oid for kind, _, oid in page if kind == "file")
        last = self.hub.git.last_commits(commit, [path for _, path, _ in page])
        entries = []
        for kind, path, oid in page:
            info = infos.get(oid)
            found = last.get(path)
            entries.append(
                Entry(
                    path,
                    kind,
                    0 if info is None else info.size,
                    info is not None and info.lfs_oid is not None,
                    None if found is None else _row(*found),
                )
            )
        return TreeView(repo, rev, folder, entries, start, len(listed))

    def blob_view(self, repo: Repo, rev: str, path: str) -> BlobView:
        """A file and, when small and not in LFS, its content."""
        commit = self._commit(repo, rev)
        oid = self.hub.git.snapshot(commit).files.get(path)
        if oid is None:
            raise entry_not_found(f"Entry {path!r} not found at this revision")
        info = self.hub.git.blob_infos([oid])[oid]
        size = self.hub.file_size(info)
        shown = info.lfs_oid is None and size <= MAX_SHOWN_BYTES
        content = self._read(oid) if shown else None
        found = self.hub.git.last_commits(commit, [path]).get(path)
        last = None if found is None else _row(*found)
        return BlobView(repo, rev, path, size, oid, info.lfs_oid, content, last)

    def history_view(self, repo: Repo, rev: str, page: int) -> HistoryView:
        """Page ``page`` (from 0) of the first-parent history of ``rev``."""
        commit = self._commit(repo, rev)
        rows: List[CommitRow] = []
        skip = page * COMMITS_PAGE_SIZE
        has_next = False
        for index, (oid, parsed) in enumerate(self.hub.git.history(commit)):
            if index < skip:
                continue
            if len(rows) == COMMITS_PAGE_SIZE:
                has_next = True
                break
            rows.append(_row(oid, parsed))
        return HistoryView(repo, rev, rows, page, has_next)

    def commit_view(self, repo: Repo, oid: str) -> CommitView:
        """One commit of the repo with its changes against its first parent."""
        # Only hex reaches the prefix lookup (its LIKE would read "%" and "_" as wildcards).
        wanted = oid.lower()
        full = self.hub.repos.find_commit(repo, wanted) if _HEX.fullmatch(wanted) else None
        if full is None:
            raise not_found(f"Commit {oid!r} not found in this repo")
        parsed = self.hub.git.commit(full)
        parent = parsed.parents[0] if parsed.parents else None
        before = self.hub.git.snapshot(parent).files if parent else {}
        after = self.hub.git.snapshot(full).files
        changed = prdiff.changes(before, after)
        kinds = [
            (path, "deleted" if new is None else "modified" if path in before else "added")
            for path, new in changed.items()
        ]
        diff = prdiff.unified_diff(before, changed, self._diffable)
        return CommitView(repo, _row(full, parsed), parent, kinds, diff)

    def _diffable(self, oid: str) -> bytes:
        # LFS and oversized files read as binary, so the diff only names them.
        info = self.hub.git.blob_infos([oid])[oid]
        if info.lfs_oid is not None or self.hub.file_size(info) > MAX_SHOWN_BYTES:
            return b"\0"
        return self._read(oid)

    def discussions(self, repo: Repo, index: int) -> Page:
        """Page ``index`` of the repo's discussions, newest first."""
        return self.hub.discussions.page(self.caller, repo.type, repo.repo_id, index)

    def thread_view(self, repo: Repo, num: int) -> ThreadView:
        """A thread's events in order and, for a pull request, its conflicts and diff."""
        details = self.hub.discussions.details(self.caller, repo.type, repo.repo_id, num)
        review = None
        if details.discussion.is_pr:
            review = self.hub.pulls.review(details.discussion, with_diff=True)
        return ThreadView(repo, details, review)

    def account_repos(self, name: str) -> Tuple[str, List[Repo]]:
        """An account's kind (``user``/``org``) and the repos the caller may see in it."""
        kind = self.hub.identity.account_kind(name)
        if kind is None:
            raise not_found(f"{name!r} is neither a user nor an organization")
        return kind, [repo for repo in self._visible_repos() if repo.namespace == name]

    def public_repos(self) -> List[Repo]:
        """Every public repo, newest first."""
        return [repo for repo in reversed(self.hub.repos.all()) if not repo.private]

    def _visible_repos(self) -> List[Repo]:
        can_read = self.hub.identity.can_read
        return [
            repo
            for repo in reversed(self.hub.repos.all())
            if can_read(self.caller, repo.namespace, repo.private)
        ]

    def likes_of(self, repos: List[Repo]) -> Dict[int, int]:
        """Like counts by repo key."""
        return {repo.pk: self.hub.likes.count(repo) for repo in repos}
