"""Space management under ``/api/spaces/{repo}/``: runtime, hardware, sleep time, pause,
restart, secrets and duplication; plus the control route forcing a stage.

Every endpoint yielding a runtime answers the same JSON (see :func:`runtime_json`).
Secret values are read from the body and handed to the backend, never echoed.
"""

from __future__ import annotations

from typing import Any, Dict

from ..backend import Backend
from ..backend.spaces import SpaceRuntime
from ..errors import HubError, bad_request
from ..wire import Request, Response, json_response
from ._common import bool_in, web_url


def runtime_json(runtime: SpaceRuntime) -> Dict[str, Any]:
    """The Hub's runtime object: ``stage``, ``hardware``, ``gcTimeout`` and extras."""
    return {
        "stage": runtime.stage,
        "hardware": {"current": runtime.current, "requested": runtime.requested},
        "storage": None,
        "gcTimeout": runtime.sleep_time,
        "replicas": {"current": 1 if runtime.current else 0, "requested": 1},
    }


def _runtime_response(runtime: SpaceRuntime) -> Response:
    return json_response(runtime_json(runtime))


def runtime(hub: Backend, req: Request) -> Response:
    """``GET /api/spaces/{repo}/runtime``: anyone who can see the Space."""
    repo = hub.spaces.visible(req.caller, req.params["repo"])
    return _runtime_response(hub.spaces.runtime(repo))


def hardware(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/hardware`` with ``{"flavor", "sleepTimeSeconds"?}``."""
    hub.spaces.manageable(req.caller, req.params["repo"])  # rights before the body
    body = req.json_object()
    return _runtime_response(
        hub.spaces.request_hardware(
            req.caller, req.params["repo"], body.get("flavor"), body.get("sleepTimeSeconds")
        )
    )


def sleep_time(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/sleeptime`` with ``{"seconds"}`` (``-1``: never)."""
    hub.spaces.manageable(req.caller, req.params["repo"])
    body = req.json_object()
    return _runtime_response(
        hub.spaces.set_sleep_time(req.caller, req.params["repo"], body.get("seconds"))
    )


def pause(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/pause`` (no body)."""
    return _runtime_response(hub.spaces.pause(req.caller, req.params["repo"]))


def restart(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/restart`` (no body)."""
    return _runtime_response(hub.spaces.restart(req.caller, req.params["repo"]))


def add_secret(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/secrets`` with ``{"key", "value"}``; answers ``{}``."""
    hub.spaces.manageable(req.caller, req.params["repo"])
    body = req.json_object()
    hub.spaces.add_secret(req.caller, req.params["repo"], body.get("key"), body.get("value"))
    return json_response({})


def delete_secret(hub: Backend, req: Request) -> Response:
    """``DELETE /api/spaces/{repo}/secrets`` with ``{"key"}``; a missing key is fine."""
    hub.spaces.manageable(req.caller, req.params["repo"])
    body = req.json_object()
    hub.spaces.delete_secret(req.caller, req.params["repo"], body.get("key"))
    return json_response({})


def duplicate(hub: Backend, req: Request) -> Response:
    """``POST /api/spaces/{repo}/duplicate`` with ``{"repository"?, "private"?}``.

    Answers ``{"url"}``; a 409 (the target exists) carries the target's ``url`` too, so
    that a client tolerating it can go on.
    """
    source = hub.spaces.visible(req.caller, req.params["repo"])  # the source first
    body = req.json_object()
    target = body.get("repository")
    if target is not None and not isinstance(target, str):
        raise bad_request("'repository' must be a string of the form namespace/name")
    private = bool_in(body, "private")
    try:
        copy = hub.spaces.duplicate(req.caller, req.params["repo"], target, private)
    except HubError as error:
        if error.status == 409:
            wanted = target or f"{req.caller.name if req.caller else ''}/{source.name}"
            existing = hub.repos.find("space", wanted)
            error.extra["url"] = f"{req.base_url}/spaces/{existing.repo_id if existing else wanted}"
        raise
    return json_response({"url": web_url(req, copy)})


def force_stage(hub: Backend, req: Request) -> Response:
    """``POST /_hub/spaces/{repo}/stage`` (admin) with ``{"stage": "BUILD_ERROR"}``.

    Keeps the Space in that stage until its next build (push, restart, new hardware).
    """
    repo = hub.spaces.visible(req.caller, req.params["repo"])
    stage = req.json_object().get("stage")
    return _runtime_response(hub.spaces.force_stage(repo, stage))
