"""Both clients list the same seeded repos: same ids, same order, same fields, for every query."""

from __future__ import annotations

from typing import Any, Callable, Dict, List

import huggingface_hub
import pytest

import hfapi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .test_reference_search import seeded  # noqa: F401  (the fixture)

pytestmark = pytest.mark.conformance

#: ``(method, keyword arguments)`` run by both clients; ``NS`` stands for the namespace.
QUERIES: List[Any] = [
    ("list_models", {"author": "NS"}),
    ("list_models", {"author": "NS", "sort": "downloads"}),
    ("list_models", {"author": "NS", "sort": "downloads", "direction": -1}),
    ("list_models", {"author": "NS", "sort": "likes", "direction": -1, "limit": 1}),
    ("list_models", {"author": "NS", "filter": "fill-mask"}),
    ("list_models", {"author": "NS", "filter": ("transformers", "en")}),
    ("list_models", {"search": "NS/BART"}),
    ("list_models", {"author": "NS", "full": True}),
    ("list_models", {"author": "NS", "cardData": True}),
    ("list_models", {"author": "NS", "fetch_config": True}),
    ("list_models", {"filter": "MODEL_FILTER"}),
    ("list_datasets", {"author": "NS"}),
    ("list_datasets", {"author": "NS", "filter": "language:fr"}),
    ("list_datasets", {"author": "NS", "full": True, "sort": "id"}),
    ("list_datasets", {"filter": "DATASET_FILTER"}),
    ("list_spaces", {"author": "NS"}),
    ("list_spaces", {"author": "NS", "sort": "likes", "direction": -1}),
    ("list_spaces", {"author": "NS", "full": True}),
    ("list_spaces", {"author": "NS", "models": "NS/bart-base"}),
    ("list_spaces", {"author": "NS", "datasets": "squad", "linked": True}),
]

_COMPARED = ("id", "sha", "tags", "pipeline_tag", "library_name", "downloads", "likes")


def _filters(module: Any, ns: str) -> Dict[str, Any]:
    return {
        "MODEL_FILTER": module.ModelFilter(author=ns, library="transformers", language="fr"),
        "DATASET_FILTER": module.DatasetFilter(author=ns, language="en"),
    }


def _arguments(kwargs: Dict[str, Any], module: Any, ns: str) -> Dict[str, Any]:
    filters = _filters(module, ns)
    resolved: Dict[str, Any] = {}
    for key, value in kwargs.items():
        if isinstance(value, str):
            value = filters.get(value, value.replace("NS", ns))
        resolved[key] = value
    return resolved


def _shape(item: Any) -> Dict[str, Any]:
    fields = {name: getattr(item, name, None) for name in _COMPARED}
    fields["cardData"] = getattr(item, "cardData", getattr(item, "card_data", None))
    fields["config"] = getattr(item, "config", None)
    fields["siblings"] = sorted(s.rfilename for s in (getattr(item, "siblings", None) or []))
    return fields


@pytest.mark.parametrize(("method", "kwargs"), QUERIES, ids=[f"{m}-{k}" for m, k in QUERIES])
def test_both_clients_list_the_same(
    hub: LocalHub,
    user: HubUser,
    seeded: str,  # noqa: F811  (the imported fixture)
    method: str,
    kwargs: Dict[str, Any],
) -> None:
    theirs = huggingface_hub.HfApi(endpoint=hub.url, token=user.token)
    ours = hfapi.HfApi(endpoint=hub.url, token=user.token)
    listing: Callable[..., Any] = getattr(theirs, method)
    expected = [_shape(item) for item in listing(**_arguments(kwargs, huggingface_hub, seeded))]
    got = [_shape(i) for i in getattr(ours, method)(**_arguments(kwargs, hfapi, seeded))]
    assert got == expected
    assert got, "every query matches something, or it compares nothing"
