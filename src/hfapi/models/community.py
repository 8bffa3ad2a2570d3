"""Discussions and pull requests: summaries, details, and the events of their timeline.

The classes are plain dataclasses (compared field by field, shown with the generated
repr), as the reference's are. The JSON is read through field tables: one table for a
discussion, one for the fields every event has, and one table keyed on the event
``type`` that names the class of each kind and the extra fields it reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple, Type

from typing_extensions import Literal

from .. import constants
from ._fields import REQUIRED, from_table, parse_datetime

DiscussionStatus = Literal["open", "closed", "merged", "draft"]

#: What a deleted account is shown as (the Hub omits ``author`` for such users).
DELETED_AUTHOR = "deleted"

Row = Tuple[str, str, Any]


@dataclass
class Discussion:
    """A discussion or pull request, as listed by ``get_repo_discussions``.

    Attributes:
        title: its title.
        status: ``"open"``, ``"closed"``, ``"merged"`` or ``"draft"``.
        num: its number in the repository (discussions and PRs share one sequence).
        repo_id: the repository it belongs to.
        repo_type: ``"model"``, ``"dataset"`` or ``"space"``.
        author: user name of its author (``"deleted"`` for a deleted account).
        is_pull_request: whether it is a pull request.
        created_at: when it was opened (aware UTC ``datetime``).
        endpoint: the Hub it was read from, used to build :attr:`url`.

    Example:
        >>> next(iter(get_repo_discussions("gpt2"))).url
        'https://huggingface.co/gpt2/discussions/42'
    """

    title: str
    status: DiscussionStatus
    num: int
    repo_id: str
    repo_type: str
    author: str
    is_pull_request: bool
    created_at: datetime
    endpoint: str

    @property
    def git_reference(self) -> Optional[str]:
        """``refs/pr/{num}`` for a pull request (usable as a revision), else ``None``."""
        return f"refs/pr/{self.num}" if self.is_pull_request else None

    @property
    def url(self) -> str:
        """Web page of the discussion, on :attr:`endpoint`."""
        prefix = constants.REPO_TYPES_URL_PREFIXES.get(self.repo_type or "", "")
        return f"{self.endpoint}/{prefix}{self.repo_id}/discussions/{self.num}"


@dataclass
class DiscussionEvent:
    """One entry of a discussion's timeline.

    Kinds the client knows are returned as the subclasses below; any other kind is a
    plain ``DiscussionEvent``, so new Hub event types never break a caller.

    Attributes:
        id: the event id (opaque string).
        type: the kind of event (``"comment"``, ``"status-change"``...).
        created_at: when it happened (aware UTC ``datetime``).
        author: user name of whoever caused it (``"deleted"`` for a deleted account).
        _event: the raw JSON of the event, as the Hub sent it.
    """

    id: str
    type: str
    created_at: datetime
    author: str
    _event: Dict[str, Any]


@dataclass
class DiscussionComment(DiscussionEvent):
    """A comment (the first one of a discussion is its description).

    Attributes:
        content: the comment's Markdown source (latest version).
        edited: whether it was edited.
        hidden: whether a moderator hid it.

    Example:
        >>> comment = comment_discussion("me/repo", 3, "Looks good!")
        >>> comment.content, comment.number_of_edits
        ('Looks good!', 0)
    """

    content: str
    edited: bool
    hidden: bool

    @property
    def rendered(self) -> str:
        """The latest version rendered as HTML by the Hub."""
        return str(_read(self._event, "data.latest.html"))

    @property
    def last_edited_at(self) -> datetime:
        """When the latest version was written (aware UTC ``datetime``)."""
        return parse_datetime(_read(self._event, "data.latest.updatedAt"))

    @property
    def last_edited_by(self) -> str:
        """User name of whoever wrote the latest version (``"deleted"`` if gone)."""
        return str(_read(self._event, "data.latest.author.name", DELETED_AUTHOR))

    @property
    def edit_history(self) -> List[Dict[str, Any]]:
        """Earlier versions of the comment, as the Hub describes them."""
        history: List[Dict[str, Any]] = _read(self._event, "data.history")
        return history

    @property
    def number_of_edits(self) -> int:
        """How many earlier versions the comment has."""
        return len(self.edit_history)


@dataclass
class DiscussionStatusChange(DiscussionEvent):
    """A change of status (opened, closed, merged...).

    Attributes:
        new_status: the status after the change.
    """

    new_status: str


@dataclass
class DiscussionCommit(DiscussionEvent):
    """A commit pushed to a pull request's ``refs/pr/N``.

    Attributes:
        summary: the commit's title.
        oid: the commit id.
    """

    summary: str
    oid: str


@dataclass
class DiscussionTitleChange(DiscussionEvent):
    """A renaming.

    Attributes:
        old_title: the title before.
        new_title: the title after.
    """

    old_title: str
    new_title: str


@dataclass
class DiscussionWithDetails(Discussion):
    """A discussion or pull request with its timeline, as ``get_discussion_details``
    returns it.

    Attributes:
        events: the timeline, oldest first (:class:`DiscussionEvent` and subclasses).
        conflicting_files: for a pull request, the files that conflict with its target;
            ``None`` for a discussion.
        target_branch: for a pull request, the ref it merges into
            (``refs/heads/main``); ``None`` for a discussion.
        merge_commit_oid: id of the merge commit once merged, else ``None``.
        diff: the pull request's changes as a git diff, when the Hub sends it.

    Example:
        >>> details = get_discussion_details("me/repo", 2)
        >>> details.target_branch, [event.type for event in details.events]
        ('refs/heads/main', ['comment', 'commit'])
    """

    events: List[DiscussionEvent]
    conflicting_files: Optional[List[str]]
    target_branch: Optional[str]
    merge_commit_oid: Optional[str]
    diff: Optional[str]


# -- parsing -------------------------------------------------------------------------------

_DISCUSSION_TABLE: Tuple[Row, ...] = (
    ("title", "title", REQUIRED),
    ("status", "status", REQUIRED),
    ("num", "num", REQUIRED),
    ("repo_id", "repo.name", REQUIRED),
    ("repo_type", "repo.type", REQUIRED),
    ("author", "author.name", DELETED_AUTHOR),
    ("is_pull_request", "isPullRequest", REQUIRED),
    ("created_at", "createdAt", REQUIRED),
)
_PULL_REQUEST_TABLE: Tuple[Row, ...] = (
    ("conflicting_files", "filesWithConflicts", REQUIRED),
    ("target_branch", "changes.base", REQUIRED),
    ("merge_commit_oid", "changes.mergeCommitId", None),
)
_EVENT_TABLE: Tuple[Row, ...] = (
    ("id", "id", REQUIRED),
    ("type", "type", REQUIRED),
    ("created_at", "createdAt", REQUIRED),
    ("author", "author.name", DELETED_AUTHOR),
)
#: The one dispatch table: event ``type`` -> (class, the extra fields it reads).
_EVENT_KINDS: Dict[str, Tuple[Type[DiscussionEvent], Tuple[Row, ...]]] = {
    "comment": (
        DiscussionComment,
        (
            ("content", "data.latest.raw", REQUIRED),
            ("edited", "data.edited", REQUIRED),
            ("hidden", "data.hidden", REQUIRED),
        ),
    ),
    "status-change": (DiscussionStatusChange, (("new_status", "data.status", REQUIRED),)),
    "commit": (
        DiscussionCommit,
        (("summary", "data.subject", REQUIRED), ("oid", "data.oid", REQUIRED)),
    ),
    "title-change": (
        DiscussionTitleChange,
        (("old_title", "data.from", REQUIRED), ("new_title", "data.to", REQUIRED)),
    ),
}


def _read(data: Dict[str, Any], key: str, default: Any = REQUIRED) -> Any:
    """One dotted key of a raw dict (``KeyError`` when missing and required)."""
    return from_table(data, (("value", key, default),))["value"]


def deserialize_event(event: Dict[str, Any]) -> DiscussionEvent:
    """Build the event object matching a raw timeline entry's ``type``.

    Args:
        event: one item of a discussion's ``events`` (or a mutation's answer).

    Returns:
        A :class:`DiscussionComment`, :class:`DiscussionStatusChange`,
        :class:`DiscussionCommit` or :class:`DiscussionTitleChange`; a plain
        :class:`DiscussionEvent` for a kind this client does not know.

    Raises:
        KeyError: a field the event's kind requires is missing.

    Example:
        >>> deserialize_event({"id": "1", "type": "pin", "createdAt": "2023-07-01T10:00:00.000Z"})
        DiscussionEvent(id='1', type='pin', ...)
    """
    values = from_table(event, _EVENT_TABLE)
    values["created_at"] = parse_datetime(values["created_at"])
    cls, extra = _EVENT_KINDS.get(values["type"], (DiscussionEvent, ()))
    values.update(from_table(event, extra))
    return cls(_event=event, **values)


def discussion_from_json(data: Dict[str, Any], endpoint: str) -> Discussion:
    """Build a :class:`Discussion` from an item of the discussions listing.

    Raises:
        KeyError: a required key is missing.
    """
    return Discussion(endpoint=endpoint, **_discussion_values(data))


def discussion_details_from_json(data: Dict[str, Any], endpoint: str) -> DiscussionWithDetails:
    """Build a :class:`DiscussionWithDetails` from the details endpoint's answer.

    The pull-request fields (conflicts, target branch, merge commit) are read only when
    the discussion is a pull request; ``diff`` is read whenever present.

    Raises:
        KeyError: a required key is missing.
    """
    values = _discussion_values(data)
    if values["is_pull_request"]:
        values.update(from_table(data, _PULL_REQUEST_TABLE))
    else:
        values.update(conflicting_files=None, target_branch=None, merge_commit_oid=None)
    return DiscussionWithDetails(
        endpoint=endpoint,
        events=[deserialize_event(event) for event in data["events"]],
        diff=data.get("diff"),
        **values,
    )


def _discussion_values(data: Dict[str, Any]) -> Dict[str, Any]:
    values = from_table(data, _DISCUSSION_TABLE)
    values["created_at"] = parse_datetime(values["created_at"])
    return values
