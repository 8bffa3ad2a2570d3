"""Reserved control routes under ``/_hub/`` (admin token), like moto's ``/moto-api/``.

* ``GET /_hub/health``  - no auth; ``{"status": "ok"}`` once the hub serves requests.
* ``POST /_hub/reset``  - forget everything, recreate the start-up users and tokens.
* ``POST /_hub/seed``   - create users/orgs/tokens/repos/files; body as
  :meth:`hfapi.hub.backend.Backend.apply_config`; answers the tokens created.
* ``GET /_hub/state``   - dump the whole state as JSON.
* ``GET``/``PUT /_hub/config`` - read or change the knobs of
  :class:`hfapi.hub.settings.HubSettings` (``{"lfs_chunk_size": 50}``).
* ``GET``/``PUT /_hub/faults`` - read or replace the fault plan of
  :class:`hfapi.hub.faults.FaultPlan` (``{"rate": 0.2, "seed": 1}``; ``{}`` turns faults off).
* ``POST /_hub/{type}s/{repo}/access`` - ``{"user": name}``: let a user download a gated
  repo.
* ``PUT /_hub/{type}s/{repo}/counters`` - ``{"downloads": n, "likes": n}`` (either may be
  left out): set the counts listings and info show; answers both.
"""

from __future__ import annotations

from ..backend import Backend
from ..errors import bad_request
from ..faults import FaultPlan
from ..wire import Request, Response, json_response


def health(hub: Backend, req: Request) -> Response:
    """Liveness probe."""
    return json_response({"status": "ok"})


def reset(hub: Backend, req: Request) -> Response:
    """Wipe the state back to the start-up accounts."""
    hub.reset()
    return json_response({"status": "reset"})


def seed(hub: Backend, req: Request) -> Response:
    """Create what the body describes; answer the tokens created."""
    return json_response(hub.apply_config(req.json_object()))


def state(hub: Backend, req: Request) -> Response:
    """Dump the state."""
    return json_response(hub.dump())


def get_config(hub: Backend, req: Request) -> Response:
    """The current knobs."""
    return json_response(hub.settings.as_dict())


def set_config(hub: Backend, req: Request) -> Response:
    """Change some knobs; answer all of them."""
    try:
        hub.settings.update(req.json_object())
    except ValueError as error:
        raise bad_request(str(error)) from None
    return json_response(hub.settings.as_dict())


def get_faults(hub: Backend, req: Request) -> Response:
    """The fault plan in force and the faults injected under it."""
    return json_response(hub.faults.status())


def set_faults(hub: Backend, req: Request) -> Response:
    """Replace the fault plan; answer it with zeroed counts."""
    try:
        plan = FaultPlan.from_json(req.json_object())
    except (TypeError, ValueError) as error:
        raise bad_request(str(error)) from None
    hub.faults.set_plan(plan)
    return json_response(hub.faults.status())


def grant_access(hub: Backend, req: Request) -> Response:
    """Let the user named in the body download the gated repo of the path."""
    user = req.json_object().get("user")
    if not isinstance(user, str):
        raise bad_request("'user' must be a user name")
    repo = hub.repos.visible(req.caller, req.params["type"], req.params["repo"])
    hub.repos.grant_access(repo, user)
    return json_response({"repo": repo.repo_id, "user": user})


def set_counters(hub: Backend, req: Request) -> Response:
    """Set the repo's shown downloads and/or likes; answer both counts."""
    body = req.json_object()
    repo = hub.repos.visible(req.caller, req.params["type"], req.params["repo"])
    downloads, likes = hub.search.set_counters(repo, body.get("downloads"), body.get("likes"))
    return json_response({"downloads": downloads, "likes": likes})
