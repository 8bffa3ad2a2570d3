"""``/api/whoami-v2`` and ``/api/users/{user}/likes``."""

from __future__ import annotations

from typing import Any, Dict

from ..backend import Backend
from ..wire import Request, Response, json_response, paginate

#: Organisation roles whose members may see the organisation's API token.
_TOKEN_ROLES = ("write", "admin")


def whoami(hub: Backend, req: Request) -> Response:
    """The caller's account, organisations and token role (401 without a valid token).

    An organisation's ``apiToken`` is shown only to a member who could write with it
    anyway: a ``write`` token of a member with the ``write`` or ``admin`` role. A read
    token, or a ``read`` member, must not gain write power through whoami.
    """
    body = hub.identity.whoami(req.caller)
    token_role = body["auth"]["accessToken"]["role"]
    body["orgs"] = [_without_hidden_token(org, token_role) for org in body["orgs"]]
    return json_response(body)


def _without_hidden_token(org: Dict[str, Any], token_role: str) -> Dict[str, Any]:
    if token_role == "write" and org.get("roleInOrg") in _TOKEN_ROLES:
        return org
    return {key: value for key, value in org.items() if key != "apiToken"}


def list_likes(hub: Backend, req: Request) -> Response:
    """A user's likes, newest first, paginated; private repos are never listed."""
    records = hub.likes.of_user(req.params["user"])
    return paginate(req, records, hub.settings.likes_page_size, "cursor")
