"""Refs listing, history, branches and tags."""

from __future__ import annotations

import html
from typing import Any, Dict

from ..backend import Backend
from ..backend.gitobj import Commit
from ..backend.timefmt import format_epoch
from ..wire import Request, Response, json_response, paginate
from ._common import revision, visible_repo


def listing(hub: Backend, req: Request) -> Response:
    """``GET /api/{type}s/{repo}/refs`` (``include_prs=1`` adds ``pullRequests``)."""
    body = hub.refs.listing(
        req.caller, req.params["type"], req.params["repo"], req.flag("include_prs")
    )
    return json_response(body)


def commit_json(oid: str, commit: Commit, formatted: bool) -> Dict[str, Any]:
    """One entry of a history listing."""
    entry: Dict[str, Any] = {
        "id": oid,
        "title": commit.title,
        "message": commit.message,
        "authors": [{"user": commit.author, "avatar": f"/avatars/{commit.author}.svg"}],
        "date": format_epoch(commit.timestamp),
    }
    if formatted:
        entry["formatted"] = {
            "title": html.escape(commit.title),
            "message": html.escape(commit.message),
        }
    return entry


def history(hub: Backend, req: Request) -> Response:
    """``GET /api/{type}s/{repo}/commits/{rev}``: newest first, paginated with ``p``."""
    repo = visible_repo(hub, req)
    head = hub.repos.resolve(repo, revision(req)).commit
    formatted = "formatted" in req.query.get("expand[]", []) + req.query.get("expand", [])
    entries = [commit_json(oid, commit, formatted) for oid, commit in hub.git.history(head)]
    return paginate(req, entries, hub.settings.commits_page_size, "p")


def create_branch(hub: Backend, req: Request) -> Response:
    """``POST /api/{type}s/{repo}/branch/{branch}`` with optional ``startingPoint``.

    The body's fields are checked by the backend, after the repo and the revision.
    """
    body = req.json_object()
    hub.refs.create_branch(
        req.caller,
        req.params["type"],
        req.params["repo"],
        req.params["branch"],
        body.get("startingPoint"),
    )
    return json_response({})


def delete_branch(hub: Backend, req: Request) -> Response:
    """``DELETE /api/{type}s/{repo}/branch/{branch}``."""
    hub.refs.delete_branch(req.caller, req.params["type"], req.params["repo"], req.params["branch"])
    return json_response({})


def create_tag(hub: Backend, req: Request) -> Response:
    """``POST /api/{type}s/{repo}/tag/{revision}`` with ``{"tag", "message"?}``.

    The body's fields are checked by the backend, after the repo and the revision.
    """
    body = req.json_object()
    hub.refs.create_tag(
        req.caller,
        req.params["type"],
        req.params["repo"],
        revision(req),
        body.get("tag"),
        body.get("message"),
    )
    return json_response({})


def delete_tag(hub: Backend, req: Request) -> Response:
    """``DELETE /api/{type}s/{repo}/tag/{tag}``."""
    hub.refs.delete_tag(req.caller, req.params["type"], req.params["repo"], req.params["tag"])
    return json_response({})
