"""Listings (``/api/models``, ``/api/datasets``, ``/api/spaces``), tag catalogues, metrics.

The item JSON follows the Hub: a short item by default, more with ``full=True``
(author, sha, lastModified, siblings...), ``config`` with ``config=True`` and, for
models, ``cardData`` only with ``cardData=True`` (datasets and Spaces show it with
``full=True``). Pages are linked with ``Link: <...cursor=...>; rel="next"``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ..backend import Backend
from ..backend.catalogue import metrics as builtin_metrics
from ..backend.search import MAX_PAGE_SIZE, Listed, ListQuery
from ..errors import bad_request
from ..wire import Request, Response, json_response
from .repos import object_id


def _values(req: Request, *names: str) -> Tuple[str, ...]:
    # Repeated keys (filter=a&filter=b) are ANDed; empty values mean nothing.
    return tuple(v for name in names for v in req.query.get(name, []) if v)


def _query(req: Request, repo_type: str) -> ListQuery:
    direction = req.arg("direction")
    if direction not in (None, "", "1", "-1"):
        raise bad_request("'direction' must be 1 or -1")
    limit = req.int_arg("limit", MAX_PAGE_SIZE)
    return ListQuery(
        repo_type=repo_type,
        search=req.arg("search") or None,
        author=req.arg("author") or None,
        tags=_values(req, "filter", "tags"),
        models=_values(req, "models"),
        datasets=_values(req, "datasets"),
        linked=req.flag("linked"),
        sort=req.arg("sort") or None,
        descending=direction == "-1",
        page_size=min(limit, MAX_PAGE_SIZE) or MAX_PAGE_SIZE,
        cursor=req.arg("cursor") or None,
    )


def _item(req: Request, repo_type: str, listed: Listed) -> Dict[str, Any]:
    repo, card = listed.repo, listed.card
    item: Dict[str, Any] = {"_id": object_id(repo), "id": repo.repo_id}
    full = req.flag("full")
    if repo_type == "model":
        item.update(likes=listed.likes, downloads=listed.downloads, private=repo.private)
        item.update(tags=card.tags)
        if card.pipeline_tag:
            item["pipeline_tag"] = card.pipeline_tag
        if card.library_name:
            item["library_name"] = card.library_name
        item.update(createdAt=repo.created_at, modelId=repo.repo_id)
    else:
        item.update(author=repo.namespace or None, sha=listed.sha)
        item.update(lastModified=listed.last_modified, private=repo.private)
        if repo_type == "dataset":
            item.update(gated=repo.gated or False, disabled=False, downloads=listed.downloads)
        item.update(likes=listed.likes, tags=card.tags, createdAt=repo.created_at)
        if repo_type == "dataset":
            if isinstance(card.card.get("paperswithcode_id"), str):
                item["paperswithcode_id"] = card.card["paperswithcode_id"]
            item["key"] = ""
        else:
            item.update(sdk=repo.sdk, models=card.models, datasets=card.datasets)
    if full:
        item.update(author=repo.namespace or None, sha=listed.sha)
        item.update(lastModified=listed.last_modified, gated=repo.gated or False, disabled=False)
        item["siblings"] = [{"rfilename": path} for path in listed.siblings]
    if repo_type == "model" and req.flag("config") and card.config is not None:
        item["config"] = card.config
    card_wanted = req.flag("cardData") if repo_type == "model" else full or req.flag("cardData")
    if card_wanted and card.card:
        item["cardData"] = card.card
    return item


def _listing(hub: Backend, req: Request, repo_type: str) -> Response:
    page, cursor = hub.search.list_page(req.caller, _query(req, repo_type))
    headers = {}
    if cursor is not None:
        headers["Link"] = f'<{req.next_page_url(cursor=cursor)}>; rel="next"'
    return json_response([_item(req, repo_type, listed) for listed in page], headers=headers)


def models(hub: Backend, req: Request) -> Response:
    """``GET /api/models``: search, author, filter (ANDed), sort, direction, limit, pages."""
    return _listing(hub, req, "model")


def datasets(hub: Backend, req: Request) -> Response:
    """``GET /api/datasets``: as models; ``full=True`` adds ``cardData``."""
    return _listing(hub, req, "dataset")


def spaces(hub: Backend, req: Request) -> Response:
    """``GET /api/spaces``: as models, plus ``models``, ``datasets`` and ``linked``."""
    return _listing(hub, req, "space")


def model_tags(hub: Backend, req: Request) -> Response:
    """``GET /api/models-tags-by-type``: library, pipeline_tag, language, license, dataset."""
    return json_response(hub.search.tag_catalogue("model"))


def dataset_tags(hub: Backend, req: Request) -> Response:
    """``GET /api/datasets-tags-by-type``: task, size, benchmark, language, license groups."""
    return json_response(hub.search.tag_catalogue("dataset"))


def metrics(hub: Backend, req: Request) -> Response:
    """``GET /api/metrics``: the built-in metrics (one array, no pages)."""
    listing: List[Dict[str, str]] = builtin_metrics()
    return json_response(listing)
