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
from .repos import Repos, commit_author

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


def _optional_string(value: Any, name: str) -> Optional[str]:
    """A body field that must be a string when present.

    Raises:
        HubError: 400 for any other JSON type.
    """
    if value is not None and not isinstance(value, str):
        raise bad_request(f"'{name}' must be a string")
    return value


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
        starting_point: Any,
    ) -> None:
        """Create ``refs/heads/<branch>`` at ``starting_point`` (default: ``main``).

        Checks, in the Hub's order: rights, the starting point, the branch name, then
        whether the branch exists.

        Raises:
            HubError: 401/403/404, 404 ``RevisionNotFound``, 400 (bad name), 409 (exists).
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        start = _optional_string(starting_point, "startingPoint")
        target = self.repos.resolve(repo, start or "main").commit
        check_ref_name(branch, "branch")
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
            HubError: 401/403/404, 404 ``RevisionNotFound`` when missing, 403 for ``main``.
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        with self.storage.transaction():
            self._check_ref_exists(repo.pk, f"refs/heads/{branch}")
            if branch == "main":
                raise forbidden("Cannot delete refs/heads/main")
            self._delete_ref(repo.pk, f"refs/heads/{branch}")

    def create_tag(
        self,
        caller: Optional[Caller],
        repo_type: str,
        repo_id: str,
        revision: str,
        tag: Any,
        message: Any,
    ) -> None:
        """Tag ``revision``; with a message the tag is an annotated tag object.

        Checks, in the Hub's order: rights, the revision, the tag name and message,
        then whether the tag exists.

        Raises:
            HubError: 401/403/404, 404 ``RevisionNotFound``, 400 (bad name), 409 (exists).
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        target = self.repos.resolve(repo, revision).commit
        name = _optional_string(tag, "tag")
        if not name:
            raise bad_request("'tag' is required")
        text = _optional_string(message, "message")
        check_ref_name(name, "tag")
        with self.storage.transaction() as db:
            if f"refs/tags/{name}" in self.repos.refs(repo):
                raise conflict(f"Tag {name!r} already exists")
            tag_object = None
            if text:
                body = gitobj.serialize_tag(
                    target, name, commit_author(caller)[0], int(time.time()), text
                )
                tag_object = self.git.put_object(db, "tag", body)
            db.execute(
                "INSERT INTO refs (repo, name, target, tag_object) VALUES (?, ?, ?, ?)",
                (repo.pk, f"refs/tags/{name}", target, tag_object),
            )

    def delete_tag(self, caller: Optional[Caller], repo_type: str, repo_id: str, tag: str) -> None:
        """Delete a tag.

        Raises:
            HubError: 401/403/404, 404 ``RevisionNotFound`` when missing.
        """
        repo = self.repos.writable(caller, repo_type, repo_id)
        with self.storage.transaction():
            self._check_ref_exists(repo.pk, f"refs/tags/{tag}")
            self._delete_ref(repo.pk, f"refs/tags/{tag}")

    def _check_ref_exists(self, pk: int, ref: str) -> None:
        with self.storage.transaction() as db:
            row = db.execute("SELECT 1 FROM refs WHERE repo = ? AND name = ?", (pk, ref)).fetchone()
        if row is None:
            raise HubError(404, "Reference does not exist", code="RevisionNotFound")

    def _delete_ref(self, pk: int, ref: str) -> None:
        with self.storage.transaction() as db:
            db.execute("DELETE FROM refs WHERE repo = ? AND name = ?", (pk, ref))

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
