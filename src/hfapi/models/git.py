"""Git data: refs, commit history entries, and the result of a commit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Dict, List, Optional

from ._fields import REQUIRED, from_table, parse_datetime

_REF_TABLE = (
    ("name", "name", REQUIRED),
    ("ref", "ref", REQUIRED),
    ("target_commit", "targetCommit", REQUIRED),
)


@dataclass
class GitRefInfo:
    """A branch, tag or conversion ref.

    Built from the Hub's raw JSON entry (``name``, ``ref``, ``targetCommit``).

    Attributes:
        name: short name (``main``, ``v1.0``).
        ref: full ref (``refs/heads/main``).
        target_commit: the commit id it points to.

    Example:
        >>> GitRefInfo({"name": "main", "ref": "refs/heads/main", "targetCommit": "e7da..."})
    """

    name: str
    ref: str
    target_commit: str

    def __init__(self, data: Dict[str, Any]) -> None:
        for attr, value in from_table(data, _REF_TABLE).items():
            setattr(self, attr, value)


@dataclass
class GitRefs:
    """All refs of a repository: ``branches``, ``converts`` and ``tags``.

    Example:
        >>> [b.name for b in list_repo_refs("gpt2").branches]
        ['main']
    """

    branches: List[GitRefInfo]
    converts: List[GitRefInfo]
    tags: List[GitRefInfo]


_COMMIT_TABLE = (
    ("commit_id", "id", REQUIRED),
    ("authors", "authors", REQUIRED),
    ("created_at", "date", REQUIRED),
    ("title", "title", REQUIRED),
    ("message", "message", REQUIRED),
    ("formatted_title", "formatted.title", None),
    ("formatted_message", "formatted.message", None),
)


@dataclass
class GitCommitInfo:
    """One commit of a repository's history.

    Built from the Hub's raw JSON entry.

    Attributes:
        commit_id: 40-hex commit id.
        authors: user names of the authors.
        created_at: commit date (aware UTC ``datetime``).
        title: first line of the message.
        message: the rest of the message.
        formatted_title: HTML rendering of the title, when asked for.
        formatted_message: HTML rendering of the message, when asked for.

    Example:
        >>> list_repo_commits("gpt2")[-1].title
        'initial commit'
    """

    commit_id: str
    authors: List[str]
    created_at: datetime
    title: str
    message: str
    formatted_title: Optional[str]
    formatted_message: Optional[str]

    def __init__(self, data: Dict[str, Any]) -> None:
        values = from_table(data, _COMMIT_TABLE)
        values["authors"] = [author["user"] for author in values["authors"]]
        values["created_at"] = parse_datetime(values["created_at"])
        for attr, value in values.items():
            setattr(self, attr, value)


_PR_URL_RE = re.compile(r"^.*/discussions/(\d+)$")


@dataclass
class CommitInfo:
    """What a commit produced.

    Attributes:
        commit_url: web URL of the commit.
        commit_message: the summary line that was sent.
        commit_description: the description that was sent.
        oid: the new commit id.
        pr_url: URL of the pull request, when one was opened.
        pr_revision: ``refs/pr/N`` of that pull request, else ``None``.
        pr_num: ``N``, else ``None``.

    Raises:
        RuntimeError: ``pr_url`` does not end in ``/discussions/<number>``.

    Example:
        >>> info = upload_file(path_or_fileobj=b"hi", path_in_repo="a.txt", repo_id="me/r")
        >>> info.oid
    """

    commit_url: str
    commit_message: str
    commit_description: str
    oid: str
    pr_url: Optional[str] = None
    pr_revision: Optional[str] = field(init=False)
    pr_num: Optional[int] = field(init=False)

    def __post_init__(self) -> None:
        self.pr_revision = None
        self.pr_num = None
        if self.pr_url is None:
            return
        match = _PR_URL_RE.match(self.pr_url)
        if match is None:
            raise RuntimeError(
                "Unexpected response from the hub, expected a Pull Request URL but got:"
                f" '{self.pr_url}'"
            )
        self.pr_num = int(match.group(1))
        self.pr_revision = f"refs/pr/{self.pr_num}"
