"""Discussions and pull requests: ``/api/{type}s/{repo}/discussions[/{num}[/...]]``.

The JSON follows the Hub's shapes (doc 03 §1.3). A comment renders the same way in every
answer that holds it (details, ``newMessage``, ``updatedComment``), since clients compare
them. Authors whose account is gone have no ``author`` key (never ``null``).
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Optional, Tuple

from ..backend import Backend
from ..backend.discussions import CommentVersion, Discussion, Event
from ..errors import not_found
from ..wire import Request, Response, json_response
from ._common import bool_in


def _num(req: Request) -> int:
    value = req.params["num"]
    if not (value.isascii() and value.isdigit()) or int(value) <= 0:
        raise not_found(f"Discussion {value!r} not found")
    return int(value)


def _where(req: Request) -> Tuple[str, str]:
    """The repo type and id of the path."""
    return req.params["type"], req.params["repo"]


# -- rendering ------------------------------------------------------------------------------


class _Authors:
    """Renders author objects, looking each account up once per answer."""

    def __init__(self, hub: Backend) -> None:
        self.hub = hub
        self.kinds: Dict[str, Optional[str]] = {}

    def __call__(self, name: str) -> Optional[Dict[str, Any]]:
        if name not in self.kinds:
            self.kinds[name] = self.hub.identity.account_kind(name) if name else None
        kind = self.kinds[name]
        if kind is None:
            return None
        return {
            "name": name,
            "fullname": name,
            "avatarUrl": f"/avatars/{name}.svg",
            "type": kind,
            "isPro": False,
            "isHf": False,
            "isMod": False,
        }


def _with_author(body: Dict[str, Any], author: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    if author is not None:
        body["author"] = author
    return body


def _version(version: CommentVersion, authors: _Authors, redacted: bool) -> Dict[str, Any]:
    raw = "" if redacted else version.raw
    rendered = "" if redacted else f"<p>{html.escape(raw)}</p>\n"
    return _with_author(
        {"raw": raw, "html": rendered, "updatedAt": version.updated_at}, authors(version.author)
    )


def _comment_data(event: Event, authors: _Authors) -> Dict[str, Any]:
    latest, older = event.versions[-1], event.versions[:-1]
    history = [] if event.redacted else list(reversed(older))
    return {
        "edited": len(event.versions) > 1,
        "hidden": event.hidden,
        "latest": _version(latest, authors, event.redacted),
        "numEdits": len(history),
        "history": [_version(v, authors, False) for v in history],
        "editors": list(dict.fromkeys(v.author for v in event.versions if v.author)),
        "reactions": [],
        "isReport": False,
    }


def render_event(event: Event, authors: _Authors) -> Dict[str, Any]:
    """One event as the Hub sends it."""
    data = _comment_data(event, authors) if event.type == "comment" else dict(event.data)
    body: Dict[str, Any] = {"id": event.id, "type": event.type, "createdAt": event.created_at}
    _with_author(body, authors(event.author))
    body["data"] = data
    return body


def render_summary(thread: Discussion, authors: _Authors) -> Dict[str, Any]:
    """One thread as the listing shows it."""
    body: Dict[str, Any] = {
        "num": thread.num,
        "title": thread.title,
        "status": thread.status,
        "createdAt": thread.created_at,
        "isPullRequest": thread.is_pr,
        "repo": {"name": thread.repo.repo_id, "type": thread.repo.type},
        "numComments": thread.num_comments,
        "pinned": False,
    }
    return _with_author(body, authors(thread.author))


# -- reading --------------------------------------------------------------------------------


def listing(hub: Backend, req: Request) -> Response:
    """``GET .../discussions?p=N``: one page of threads, newest first."""
    page = hub.discussions.page(req.caller, *_where(req), req.int_arg("p", 0))
    authors = _Authors(hub)
    return json_response(
        {
            "discussions": [render_summary(item, authors) for item in page.items],
            "count": page.count,
            "start": page.start,
            "numClosedDiscussions": page.closed,
        }
    )


def details(hub: Backend, req: Request) -> Response:
    """``GET .../discussions/{num}[?diff=1]``: a thread with its events."""
    found = hub.discussions.details(req.caller, *_where(req), _num(req))
    authors = _Authors(hub)
    thread = found.discussion
    body = render_summary(thread, authors)
    body["locked"] = False
    body["events"] = [render_event(event, authors) for event in found.events]
    if thread.is_pr:
        review = hub.pulls.review(thread, req.flag("diff"))
        changes: Dict[str, Any] = {"base": thread.target_branch}
        if thread.merge_commit:
            changes["mergeCommitId"] = thread.merge_commit
        body["changes"] = changes
        body["filesWithConflicts"] = review.conflicting_files
        if review.diff is not None:
            body["diff"] = review.diff
    return json_response(body)


# -- changes --------------------------------------------------------------------------------


def create(hub: Backend, req: Request) -> Response:
    """``POST .../discussions`` ``{title, description, pullRequest}``: the new thread."""
    body = req.json_object()
    thread = hub.discussions.create(
        req.caller,
        *_where(req),
        body.get("title"),
        body.get("description"),
        bool(bool_in(body, "pullRequest")),
    )
    return json_response(render_summary(thread, _Authors(hub)))


def _event_answer(hub: Backend, key: str, event: Event) -> Response:
    return json_response({key: render_event(event, _Authors(hub))})


def comment(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/comment`` ``{comment}``: ``{"newMessage": event}``."""
    text = req.json_object().get("comment")
    event = hub.discussions.comment(req.caller, *_where(req), _num(req), text)
    return _event_answer(hub, "newMessage", event)


def title(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/title`` ``{title}``: ``{"newTitle": event}``."""
    new_title = req.json_object().get("title")
    event = hub.discussions.rename(req.caller, *_where(req), _num(req), new_title)
    return _event_answer(hub, "newTitle", event)


def status(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/status`` ``{status[, comment]}``: ``{"newStatus"}``."""
    body = req.json_object()
    event = hub.discussions.set_status(
        req.caller, *_where(req), _num(req), body.get("status"), body.get("comment")
    )
    return _event_answer(hub, "newStatus", event)


def merge(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/merge`` ``[{comment}]``: the merge's status change."""
    body = req.json_object()
    event = hub.pulls.merge(req.caller, *_where(req), _num(req), body.get("comment"))
    return _event_answer(hub, "newStatus", event)


def edit_comment(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/comment/{id}/edit`` ``{content}``: ``{"updatedComment"}``."""
    content = req.json_object().get("content")
    event = hub.discussions.edit_comment(
        req.caller, *_where(req), _num(req), req.params["comment"], content
    )
    return _event_answer(hub, "updatedComment", event)


def hide_comment(hub: Backend, req: Request) -> Response:
    """``POST .../discussions/{num}/comment/{id}/hide`` (no body): ``{"updatedComment"}``."""
    event = hub.discussions.hide_comment(req.caller, *_where(req), _num(req), req.params["comment"])
    return _event_answer(hub, "updatedComment", event)


__all__: List[str] = [
    "comment",
    "create",
    "details",
    "edit_comment",
    "hide_comment",
    "listing",
    "merge",
    "status",
    "title",
]
