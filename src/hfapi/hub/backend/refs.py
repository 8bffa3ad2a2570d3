"""Branches, tags and pull-request refs of a repo."""

from __future__ import annotations

import re
import time
from typing import Any, Dict, List, Optional

from ..errors import HubError, bad_request, conflict, forbidden, revision_not_found
from ..storage import Storage
from . import gitobj
from .gitstore import GitStore
from .identity import Caller
from .repos import Repos

#: Characters no name may hold: C0/C1 controls (CR, LF, NUL...), DEL, line and paragraph
#: separators, and the bidi marks and overrides that make a name display as another.
UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
#: What git's check-ref-format forbids besides controls: space ~ ^ : ? * [ \\
_BAD_REF_CHARS = re.compile(r"[ ~^:?*\[\\]")
#: Longest branch or tag name, in bytes (a file name on most file systems).
MAX_REF_LENGTH = 255


def check_ref_name(name: str, what: str) -> None:
    """Apply git's ref-name rules (``git check-ref-format --branch``) to a branch or tag.

    Refused: empty or over :data:`MAX_REF_LENGTH` bytes; ``HEAD``, ``@`` or a leading
    ``-``; a ``refs/`` prefix (the Hub adds it); a leading or trailing ``/``, ``//`` or
    ``..``; a component starting with ``.`` or ending with ``.lock``; a trailing
    ``.``; ``@{``; control characters, bidi overrides and ``space ~ ^ : ? * [ \\``.

    Raises:
        HubError: 400 ``Invalid reference for a branch`` (or tag).
    """
    components = name.split("/")
    if (
        not name
        or len(name.encode("utf-8", "surrogatepass")) > MAX_REF_LENGTH
        or name in ("HEAD", "@")
        or name.startswith(("refs/", "-"))
        or name.endswith(".")
        or ".." in name
        or "@{" in name
        or any(not part or part.startswith(".") or part.endswith(".lock") for part in components)
        or UNSAFE_CHARS.search(name)
        or _BAD_REF_CHARS.search(name)
    ):
        raise bad_request(f"Invalid reference for a {what}: {_shown(name)}")


def _shown(name: str) -> str:
    # ascii() escapes what a header or a terminal must not see raw; long names are cut.
    return ascii(name if len(name) <= 100 else name[:100] + "...")


class Refs:
    """Create, delete and list refs; every change is checked against write rights."""

    def __init__(self, storage: Storage, repos: Repos, git: GitStore) -> None:
        self.storage = storage
        self.repos = repos
        self.git = git

    def listing(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, include_prs: bool = False
    ) -> Dict[str, Any]:
        """The ``/refs`` body: branches, converts, tags (and pull requests on request).

        Raises:
            HubError: 401/404 ``RepoNotFound``.
        """
        repo = self.repos.visible(caller, repo_type, repo_id)
        groups: Dict[str, List[Dict[str, str]]] = {"branches": [], "converts": [], "tags": []}
        prs: List[Dict[str, str]] = []
        for ref, (target, _tag) in self.repos.refs(repo).items():
            for prefix, group in (
                ("refs/heads/", groups["branches"]),
                ("refs/convert/", groups["converts"]),
                ("refs/tags/", groups["tags"]),
                ("refs/pr/", prs),
            ):
                if ref.startswith(prefix):
                    group.append({"name": ref[len(prefix) :], "ref": ref, "targetCommit": target})
        prs.sort(key=lambda item: int(item["name"]))
        body: Dict[str, Any] = dict(groups)
        if include_prs:
            body["pullRequests"] = prs
        return body

    def create_branch(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        branch: str,
        starting_point: Optional[str],
    ) -> None:
        """Create ``refs/heads/<branch>`` at ``starting_point`` (default: ``main``).

        Raises:
            HubError: 400 (bad name), 401/403/404, 404 ``RevisionNotFound``, 409 (exists).
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        check_ref_name(branch, "branch")
        target = self.repos.resolve(repo, starting_point or "main").commit
        with self.storage.transaction() as db:
            if f"refs/heads/{branch}" in self.repos.refs(repo):
                raise conflict("Reference already exists")
            db.execute(
                "INSERT INTO refs (repo, name, target) VALUES (?, ?, ?)",
                (repo.pk, f"refs/heads/{branch}", target),
            )

    def delete_branch(
        self, caller: Optional[Caller], repo_type: str, repo_id: str, branch: str
    ) -> None:
        """Delete a branch other than ``main``.

        Raises:
            HubError: 401/403/404, 403 for ``main``, 404 ``RevisionNotFound`` when missing.
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        if branch == "main":
            raise forbidden("Cannot delete refs/heads/main")
        self._delete_ref(repo.pk, f"refs/heads/{branch}")

    def create_tag(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        revision: str,
        tag: str,
        message: Optional[str],
    ) -> None:
        """Tag ``revision``; with a message the tag is an annotated tag object.

        Raises:
            HubError: 400 (bad name), 401/403/404, 404 ``RevisionNotFound``, 409 (exists).
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        check_ref_name(tag, "tag")
        target = self.repos.resolve(repo, revision).commit
        with self.storage.transaction() as db:
            if f"refs/tags/{tag}" in self.repos.refs(repo):
                raise conflict(f"Tag {tag!r} already exists")
            tag_object = None
            if message:
                body = gitobj.serialize_tag(
                    target, tag, str(caller.name if caller else "admin"), int(time.time()), message
                )
                tag_object = self.git.put_object(db, "tag", body)
            db.execute(
                "INSERT INTO refs (repo, name, target, tag_object) VALUES (?, ?, ?, ?)",
                (repo.pk, f"refs/tags/{tag}", target, tag_object),
            )

    def delete_tag(self, caller: Optional[Caller], repo_type: str, repo_id: str, tag: str) -> None:
        """Delete a tag.

        Raises:
            HubError: 401/403/404, 404 ``RevisionNotFound`` when missing.
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        self._delete_ref(repo.pk, f"refs/tags/{tag}")

    def _delete_ref(self, pk: int, ref: str) -> None:
        with self.storage.transaction() as db:
            cursor = db.execute("DELETE FROM refs WHERE repo = ? AND name = ?", (pk, ref))
            if cursor.rowcount == 0:
                raise HubError(404, "Reference does not exist", code="RevisionNotFound")

    def move(self, db: Any, pk: int, ref: str, target: str, expected: Optional[str]) -> None:
        """Point ``ref`` at ``target`` inside the caller's transaction.

        Args:
            expected: the id the ref must still hold (``None``: the ref must not exist).

        Raises:
            HubError: 412 when the ref moved meanwhile.
        """
        row = db.execute(
            "SELECT target FROM refs WHERE repo = ? AND name = ?", (pk, ref)
        ).fetchone()
        current = None if row is None else str(row[0])
        if current != expected:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        db.execute(
            "INSERT OR REPLACE INTO refs (repo, name, target) VALUES (?, ?, ?)", (pk, ref, target)
        )


__all__ = ["UNSAFE_CHARS", "Refs", "check_ref_name", "revision_not_found"]
