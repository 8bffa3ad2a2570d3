"""Preupload and the NDJSON commit endpoint."""

from __future__ import annotations

from ..backend import Backend
from ..wire import Request, Response, json_response
from ._common import revision, visible_repo, web_url

#: Longest NDJSON line accepted: a base64 inline file of the maximum size, with room.
_MIN_LINE_LIMIT = 64 * 1024 * 1024


def preupload(hub: Backend, req: Request) -> Response:
    """``POST /api/{type}s/{repo}/preupload/{rev}``: ``lfs`` or ``regular`` for each file."""
    body = req.json_object()
    answers = hub.commits.preupload(
        req.caller, req.params["type"], req.params["repo"], revision(req), body.get("files")
    )
    return json_response({"files": answers})


def commit(hub: Backend, req: Request) -> Response:
    """``POST /api/{type}s/{repo}/commit/{rev}[?create_pr=1]`` with an NDJSON body."""
    limit = max(_MIN_LINE_LIMIT, hub.settings.regular_file_max_size * 2)
    result = hub.commits.commit(
        req.caller,
        req.params["type"],
        req.params["repo"],
        revision(req),
        req.lines(limit),
        req.flag("create_pr"),
    )
    repo = visible_repo(hub, req)
    body = {
        "success": True,
        "commitOid": result.oid,
        "commitUrl": f"{web_url(req, repo)}/commit/{result.oid}",
        "hookOutput": "",
    }
    if result.pr_num is not None:
        body["pullRequestUrl"] = f"{web_url(req, repo)}/discussions/{result.pr_num}"
    return json_response(body)
