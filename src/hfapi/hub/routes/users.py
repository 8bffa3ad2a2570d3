"""``/api/whoami-v2`` and ``/api/users/{user}/likes``."""

from __future__ import annotations

from ..backend import Backend
from ..wire import Request, Response, json_response, paginate


def whoami(hub: Backend, req: Request) -> Response:
    """The caller's account, organisations and token role (401 without a valid token)."""
    return json_response(hub.identity.whoami(req.caller))


def list_likes(hub: Backend, req: Request) -> Response:
    """A user's likes, newest first, paginated; private repos are never listed."""
    records = hub.likes.of_user(req.params["user"])
    return paginate(req, records, hub.settings.likes_page_size, "cursor")
