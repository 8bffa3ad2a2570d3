"""``POST``/``DELETE /api/{type}s/{repo}/like``."""

from __future__ import annotations

from ..backend import Backend
from ..wire import Request, Response, json_response


def like(hub: Backend, req: Request) -> Response:
    """Like a repo (idempotent)."""
    hub.likes.set(req.caller, req.params["type"], req.params["repo"], True)
    return json_response({})


def unlike(hub: Backend, req: Request) -> Response:
    """Unlike a repo (idempotent)."""
    hub.likes.set(req.caller, req.params["type"], req.params["repo"], False)
    return json_response({})
