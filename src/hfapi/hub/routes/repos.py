"""Repo lifecycle (create, delete, move, settings) and repo info."""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List

from ... import constants
from ..backend import Backend
from ..backend.cards import CardData
from ..backend.repos import Repo
from ..backend.timefmt import format_epoch
from ..errors import HubError, bad_request
from ..wire import Request, Response, json_response
from ._common import bool_in, revision, visible_repo, web_url
from .spaces import runtime_json


def _repo_type(body: Dict[str, Any]) -> str:
    value = body.get("type") or "model"
    if not isinstance(value, str):
        raise bad_request("'type' must be a string")
    return value


def _namespace(req: Request, organization: Any) -> str:
    if organization is not None and not isinstance(organization, str):
        raise bad_request("'organization' must be a string or null")
    if organization:
        return organization
    if req.caller is None:
        raise HubError(401, "You must be authenticated to do this")
    if req.caller.name is None:
        raise bad_request("The admin token has no namespace: give 'organization'")
    return req.caller.name


def create(hub: Backend, req: Request) -> Response:
    """``POST /api/repos/create``: 200 ``{"url"}``, or 409 whose body also has ``url``.

    Rights in the namespace are checked before the other fields, as on the Hub; the
    409's ``url`` is the existing repo's (in the casing it was created with).
    """
    body = req.json_object()
    namespace = _namespace(req, body.get("organization"))
    hub.repos.check_create(req.caller, namespace)
    name = body.get("name")
    if not isinstance(name, str):
        raise bad_request("'name' is required")
    repo_type = _repo_type(body)
    threshold = body.get("lfsmultipartthresh")
    if threshold is not None and (
        not isinstance(threshold, int) or isinstance(threshold, bool) or threshold <= 0
    ):
        raise bad_request("'lfsmultipartthresh' must be a positive integer")
    try:
        repo = hub.repos.create(
            req.caller,
            repo_type,
            namespace,
            name,
            bool(bool_in(body, "private")),
            body.get("sdk"),
            body.get("hardware"),
            threshold,
        )
    except HubError as error:
        if error.status == 409:
            existing = hub.repos.find(repo_type, f"{namespace}/{name}")
            prefix = constants.REPO_TYPES_URL_PREFIXES.get(repo_type, "")
            where = existing.web_path if existing else f"{prefix}{namespace}/{name}"
            error.extra["url"] = f"{req.base_url}/{where}"
        raise
    return json_response({"url": web_url(req, repo), "name": repo.repo_id, "id": object_id(repo)})


def delete(hub: Backend, req: Request) -> Response:
    """``DELETE /api/repos/delete`` with a JSON body ``{name, organization, type}``."""
    body = req.json_object()
    name = body.get("name")
    if not isinstance(name, str):
        raise bad_request("'name' is required")
    namespace = _namespace(req, body.get("organization"))
    hub.repos.delete(req.caller, _repo_type(body), f"{namespace}/{name}")
    return json_response({})


def move(hub: Backend, req: Request) -> Response:
    """``POST /api/repos/move`` with ``{fromRepo, toRepo, type}``."""
    body = req.json_object()
    source, target = body.get("fromRepo"), body.get("toRepo")
    if not isinstance(source, str) or not isinstance(target, str):
        raise bad_request("'fromRepo' and 'toRepo' are required")
    hub.repos.move(req.caller, _repo_type(body), source, target)
    return json_response({})


def settings(hub: Backend, req: Request) -> Response:
    """``PUT /api/{type}s/{repo}/settings``: change ``private`` and/or ``gated``.

    ``gated`` is ``"auto"``, ``"manual"`` or ``false``; only admins of the namespace may
    change it. Answers the settings.
    """
    body = req.json_object()
    # Rights on the repo are checked before the body's fields are read.
    repo = hub.repos.writable(req.caller, req.params["type"], req.params["repo"])
    gated = body.get("gated")
    if not (gated is None or isinstance(gated, (str, bool))):
        raise bad_request("'gated' must be 'auto', 'manual' or false")
    repo = hub.repos.update_settings(
        req.caller, repo.type, repo.repo_id, bool_in(body, "private"), gated
    )
    return json_response(
        {"private": repo.private, "gated": repo.gated or False, "discussionsDisabled": False}
    )


def object_id(repo: Repo) -> str:
    # A stable 24-hex id in the style of the Hub's database ids.
    return hashlib.sha1(f"repo:{repo.pk}".encode()).hexdigest()[:24]


def info(hub: Backend, req: Request) -> Response:
    """``GET /api/{type}s/{repo}[/revision/{rev}]``, with ``blobs`` and ``securityStatus``."""
    repo = visible_repo(hub, req)
    commit_id = hub.repos.resolve(repo, revision(req) if "rev" in req.params else "main").commit
    commit = hub.git.commit(commit_id)
    files = hub.git.snapshot(commit_id).files
    siblings: List[Dict[str, Any]] = []
    infos = hub.git.blob_infos(files.values()) if req.flag("blobs") else {}
    for path, oid in files.items():
        sibling: Dict[str, Any] = {"rfilename": path}
        if oid in infos:
            blob = infos[oid]
            sibling.update(blobId=blob.oid, size=blob.size)
            if blob.lfs_oid is not None:
                sibling["lfs"] = {
                    "sha256": blob.lfs_oid,
                    "size": blob.lfs_size,
                    "pointerSize": blob.blob_size,
                }
        siblings.append(sibling)
    body: Dict[str, Any] = {"_id": object_id(repo), "id": repo.repo_id}
    if repo.type == "model":
        body["modelId"] = repo.repo_id
    downloads, likes = hub.search.counters(repo)
    card = hub.search.card_at(repo, commit_id, files)
    body.update(
        author=repo.namespace or None,
        sha=commit_id,
        lastModified=format_epoch(commit.timestamp),
        private=repo.private,
        gated=repo.gated or False,
        disabled=False,
        downloads=downloads,
        likes=likes,
        tags=card.tags,
    )
    body.update(_card_fields(repo, card))
    body.update(siblings=siblings, createdAt=repo.created_at)
    if repo.type == "space":
        body.update(sdk=repo.sdk, runtime=runtime_json(hub.spaces.runtime(repo)))
    if repo.type == "model" and req.flag("securityStatus"):
        body["securityStatus"] = {"scansDone": True, "containsInfected": False}
    return json_response(body)


def _card_fields(repo: Repo, card: CardData) -> Dict[str, Any]:
    """What the card data adds to an info answer, per repo type."""
    fields: Dict[str, Any] = {}
    if repo.type == "model":
        fields.update(pipeline_tag=card.pipeline_tag, library_name=card.library_name)
        if card.config is not None:
            fields["config"] = card.config
    elif repo.type == "space":
        fields.update(models=card.models, datasets=card.datasets)
    elif isinstance(card.card.get("paperswithcode_id"), str):
        fields["paperswithcode_id"] = card.card["paperswithcode_id"]
    if card.card:
        fields["cardData"] = card.card
    return fields
