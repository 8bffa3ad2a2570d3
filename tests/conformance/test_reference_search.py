"""Search and listing methods of huggingface_hub 0.16.4 against the local Hub's seeded repos."""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest
from huggingface_hub import DatasetFilter, HfApi, ModelFilter

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

pytestmark = pytest.mark.conformance

MODEL_CARD = """---
language: [en, fr]
license: apache-2.0
datasets: [glue]
tags: [exbert, benchmark:raft]
co2_eq_emissions:
  emissions: 17g
---
# bert
"""


@pytest.fixture
def seeded(hub: LocalHub, user: HubUser) -> str:
    """Models, datasets and Spaces of ``user`` with cards and counters; returns the namespace."""
    ns = user.name
    config = json.dumps({"model_type": "bert", "architectures": ["BertForMaskedLM"]})
    repos: List[Dict[str, Any]] = [
        {
            "repo_id": f"{ns}/bart-base",
            "files": {"README.md": MODEL_CARD, "config.json": config, "pytorch_model.bin": "w"},
            "downloads": 30,
            "likes": 3,
        },
        {
            "repo_id": f"{ns}/agent",
            "files": {"README.md": "---\nlibrary_name: stable-baselines3\n---\n"},
            "downloads": 300,
            "likes": 1,
        },
        {
            "repo_id": f"{ns}/nli",
            "repo_type": "dataset",
            "files": {
                "README.md": "---\nlanguage: [en, fr]\nbenchmark: raft\n"
                "task_ids: [natural-language-inference]\n---\n"
            },
        },
        {"repo_id": f"{ns}/plain-data", "repo_type": "dataset"},
        {
            "repo_id": f"{ns}/demo",
            "repo_type": "space",
            "files": {"README.md": f"---\nmodels: [{ns}/bart-base]\ndatasets: [squad]\n---\n"},
            "likes": 5,
        },
        {"repo_id": f"{ns}/bare", "repo_type": "space", "likes": 2},
    ]
    hub.seed({"repos": repos})
    return ns


def test_list_models_filters_author_search(api: Any, seeded: str) -> None:
    both = list(api.list_models(filter=("transformers", "fill-mask"), author=seeded))
    assert [m.modelId for m in both] == [f"{seeded}/bart-base"]
    assert both[0].pipeline_tag == "fill-mask" and "dataset:glue" in both[0].tags
    assert [m.modelId for m in api.list_models(search=f"{seeded}/BART")] == [f"{seeded}/bart-base"]
    assert list(api.list_models(filter="dummytask", author=seeded)) == []
    everyone = {m.modelId for m in api.list_models(author=seeded)}
    assert everyone == {f"{seeded}/bart-base", f"{seeded}/agent"}


def test_list_models_sort_direction_limit(api: Any, seeded: str) -> None:
    ascending = [m.modelId for m in api.list_models(author=seeded, sort="downloads")]
    assert ascending == [f"{seeded}/bart-base", f"{seeded}/agent"]
    descending = list(api.list_models(author=seeded, sort="likes", direction=-1, limit=1))
    assert [m.modelId for m in descending] == [f"{seeded}/bart-base"]
    assert descending[0].likes == 3


def test_list_models_full_config_card_data(api: Any, seeded: str) -> None:
    [full] = api.list_models(search=f"{seeded}/bart", full=True)
    assert full.sha and full.lastModified and not hasattr(full, "cardData")
    assert {s.rfilename for s in full.siblings} >= {"README.md", "config.json"}
    [rich] = api.list_models(search=f"{seeded}/bart", cardData=True, fetch_config=True)
    assert rich.config == {"model_type": "bert", "architectures": ["BertForMaskedLM"]}
    assert rich.cardData["co2_eq_emissions"] == {"emissions": "17g"}
    # 0.16.4 reads cardData as an attribute of raw dicts, so this yields nothing.
    assert list(api.list_models(author=seeded, emissions_thresholds=(None, 100))) == []


def test_model_filter_object(api: Any, seeded: str) -> None:
    found = api.list_models(
        filter=ModelFilter(
            author=seeded,
            model_name="bart",
            task="fill-mask",
            trained_dataset="glue",
            library="pytorch",
            language=["en", "fr"],
            tags="benchmark:raft",
        )
    )
    assert [m.modelId for m in found] == [f"{seeded}/bart-base"]
    assert list(api.list_models(filter=ModelFilter(author=seeded, library="tf"))) == []


def test_list_datasets(api: Any, seeded: str) -> None:
    found = list(api.list_datasets(filter=DatasetFilter(author=seeded, language=["en", "fr"])))
    assert [d.id for d in found] == [f"{seeded}/nli"]
    assert "task_ids:natural-language-inference" in found[0].tags
    assert all(d.cardData is None for d in api.list_datasets(author=seeded))
    full = {d.id: d.cardData for d in api.list_datasets(author=seeded, full=True)}
    assert full[f"{seeded}/nli"]["benchmark"] == "raft" and full[f"{seeded}/plain-data"] is None
    benchmark = api.list_datasets(filter=DatasetFilter(benchmark="raft"), author=seeded)
    assert [d.id for d in benchmark] == [f"{seeded}/nli"]


def test_list_spaces(api: Any, seeded: str) -> None:
    linked = list(api.list_spaces(author=seeded, linked=True))
    assert [s.id for s in linked] == [f"{seeded}/demo"]
    assert linked[0].models == [f"{seeded}/bart-base"]
    by_model = api.list_spaces(models=f"{seeded}/bart-base", datasets="squad")
    assert [s.id for s in by_model] == [f"{seeded}/demo"]
    up = [s.likes for s in api.list_spaces(author=seeded, sort="likes")]
    down = [s.likes for s in api.list_spaces(author=seeded, sort="likes", direction=-1)]
    assert up == [2, 5] and down == [5, 2]


def test_pagination_follows_links(api: Any, hub: LocalHub, user: HubUser) -> None:
    hub.seed({"repos": [{"repo_id": f"{user.name}/m{i}"} for i in range(7)]})
    capped = api.list_models(author=user.name, sort="id", limit=3)
    assert [m.modelId for m in capped] == [f"{user.name}/m{i}" for i in range(3)]
    everything = [m.modelId for m in api.list_models(author=user.name, sort="id")]
    assert everything == [f"{user.name}/m{i}" for i in range(7)]


def test_private_models_listed_for_owner_only(
    api: Any, hub: LocalHub, user: HubUser, other: HubUser
) -> None:
    other_api = HfApi(endpoint=hub.url, token=other.token)
    hub.seed({"repos": [{"repo_id": f"{user.name}/hidden", "private": True}]})
    assert [m.modelId for m in api.list_models(author=user.name)] == [f"{user.name}/hidden"]
    assert [m.private for m in api.list_models(author=user.name)] == [True]
    assert list(other_api.list_models(author=user.name)) == []


def test_tag_catalogues_and_metrics(api: Any, seeded: str) -> None:
    model_tags = api.get_model_tags()
    assert model_tags.library.PyTorch == "pytorch"
    assert model_tags.pipeline_tag.FillMask == "fill-mask"
    assert model_tags.license.apache_2_0 == "license:apache-2.0"
    assert model_tags.dataset.glue == "dataset:glue"
    dataset_tags = api.get_dataset_tags()
    assert dataset_tags.language.en == "language:en"
    assert dataset_tags.benchmark.raft == "benchmark:raft"
    assert dict(dataset_tags.language_creators) == {} and dict(dataset_tags.multilinguality) == {}
    metrics = api.list_metrics()
    assert len(metrics) > 10 and any(m.description for m in metrics)
    assert "accuracy" in {m.id for m in metrics}


def test_model_info_tags_and_card_data(api: Any, hub: LocalHub, seeded: str) -> None:
    info = api.model_info(f"{seeded}/bart-base")
    assert info.tags[:4] == ["transformers", "pytorch", "bert", "fill-mask"]
    assert info.cardData["license"] == "apache-2.0"
    assert (info.downloads, info.likes) == (30, 3)
    assert api.dataset_info(f"{seeded}/nli").cardData["benchmark"] == "raft"
    assert api.space_info(f"{seeded}/demo").models == [f"{seeded}/bart-base"]
