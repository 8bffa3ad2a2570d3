"""Wire tests of list_models, list_datasets, list_spaces, list_metrics, the tag catalogues,
the filter classes and the search-argument namespaces."""

from __future__ import annotations

from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest
import requests
import responses
from _wire import ENDPOINT, check_request, link, urls
from hypothesis import given
from hypothesis import strategies as st

import hfapi
from hfapi import (
    BadRequestError,
    DatasetFilter,
    DatasetInfo,
    DatasetSearchArguments,
    HfApi,
    LocalTokenNotFoundError,
    MetricInfo,
    ModelFilter,
    ModelInfo,
    ModelSearchArguments,
    RepoFile,
    SpaceInfo,
)
from hfapi.models.search import (
    AttributeDictionary,
    DatasetTags,
    GeneralTags,
    ModelTags,
    dataset_filter_query,
    model_filter_query,
)

MODELS = f"{ENDPOINT}/api/models"
DATASETS = f"{ENDPOINT}/api/datasets"
SPACES = f"{ENDPOINT}/api/spaces"
PLAIN_UA = f"python-requests/{requests.__version__}"
MODEL = {"_id": "1", "id": "bert-base-uncased", "modelId": "bert-base-uncased", "likes": 3}
TAGS = {
    "library": [
        {"id": "pytorch", "label": "PyTorch", "type": "library"},
        {"id": "stable-baselines3", "label": "Stable-Baselines3", "type": "library"},
    ],
    "pipeline_tag": [
        {"id": "text-classification", "label": "Text Classification", "subType": "nlp"}
    ],
    "language": [
        {"id": "en", "label": "en"},
        {"id": "x", "label": "1Item-B"},
        {"id": "y", "label": "Item.D"},
    ],
    "license": [{"id": "license:apache-2.0", "label": "apache-2.0"}],
    "other": [{"id": "o", "label": "O"}],
}


def _query(url: str) -> str:
    return urlsplit(url).query


def _models(n: int, start: int = 0) -> List[Dict[str, Any]]:
    return [{"id": f"u/m{i}", "modelId": f"u/m{i}"} for i in range(start, start + n)]


# -- list_models: parameters -> query ------------------------------------------------------


def test_bare_list_models_sends_no_query(api, rsps):
    rsps.get(MODELS, json=[MODEL])
    (model,) = api.list_models()
    check_request(rsps.calls[0], "GET", MODELS)
    assert isinstance(model, ModelInfo)
    assert model.modelId == "bert-base-uncased" and model.likes == 3 and model.id == model.modelId


def test_every_model_parameter_in_the_reference_order(api, rsps):
    rsps.get(MODELS, json=[])
    list(
        api.list_models(
            filter=("bert", "jax"),
            author="google",
            search="bert",
            sort="lastModified",
            direction=-1,
            limit=10,
            full=True,
            cardData=True,
            fetch_config=True,
        )
    )
    assert _query(rsps.calls[0].request.url) == (
        "filter=bert&filter=jax&full=True&author=google&search=bert&sort=lastModified"
        "&direction=-1&limit=10&config=True&cardData=True"
    )


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({"filter": "text-classification", "full": False}, "filter=text-classification"),
        ({"filter": "text-classification"}, "filter=text-classification&full=True"),
        ({"filter": "x", "full": None, "limit": 5}, "filter=x&full=True&limit=5"),
        ({"filter": ()}, "full=True"),
        ({"filter": iter(["a", "b"])}, "filter=a&filter=b&full=True"),
        ({"full": True}, "full=True"),
        ({"full": False}, ""),
        ({"full": 1, "cardData": "yes", "fetch_config": 1}, "full=True&config=True&cardData=True"),
        (
            {"author": "", "search": "", "sort": "", "direction": 0},
            "author=&search=&sort=&direction=0",
        ),
        ({"search": "facebook/bart-base"}, "search=facebook%2Fbart-base"),
    ],
)
def test_model_parameter_mapping(api, rsps, kwargs, query):
    rsps.get(MODELS, json=[])
    list(api.list_models(**kwargs))
    assert _query(rsps.calls[0].request.url) == query


def test_model_filter_worked_example(api, rsps):
    rsps.get(MODELS, json=[])
    model_filter = ModelFilter(
        author="facebook",
        model_name="bart",
        task=["fill-mask", "summarization"],
        trained_dataset=["glue", "dataset:squad"],
        library="pytorch",
        language=["en", "fr"],
        tags="benchmark:raft",
    )
    list(api.list_models(filter=model_filter))
    assert _query(rsps.calls[0].request.url) == (
        "search=facebook%2Fbart&tags=benchmark%3Araft&filter=fill-mask&filter=summarization"
        "&filter=dataset%3Aglue&filter=dataset%3Asquad&filter=pytorch&filter=en&filter=fr"
        "&full=True"
    )
    assert model_filter.trained_dataset == ["glue", "dataset:squad"]  # left as given


def test_model_filter_replaces_params_and_explicit_arguments_win(api, rsps):
    rsps.get(MODELS, json=[])
    list(api.list_models(filter=ModelFilter("x"), author="y", search="s", full=False))
    # the filter's author goes into `search`, then the explicit search replaces it in place
    assert _query(rsps.calls[0].request.url) == "search=s&author=y"


def test_positional_model_filter_and_empty_values():
    assert model_filter_query(ModelFilter("facebook", model_name="bart-base")) == {
        "search": "facebook/bart-base"
    }
    assert model_filter_query(ModelFilter()) == {"search": ""}
    # `library` and `tags` count only when truthy; other empty strings are sent
    empty = ModelFilter(
        author="", library="", language="", model_name="", task="", trained_dataset="", tags=""
    )
    assert model_filter_query(empty) == {"search": "/", "filter": ["", "dataset:", ""]}
    assert model_filter_query(ModelFilter(tags=["a", "b"])) == {"search": "", "tags": ["a", "b"]}


def test_model_filter_language_accepts_tuples_and_sets():
    """0.16.4 silently drops a tuple of languages (see docs/differences.md)."""
    assert model_filter_query(ModelFilter(language=("en", "fr")))["filter"] == ["en", "fr"]
    assert model_filter_query(ModelFilter(trained_dataset={"d"}))["filter"] == ["dataset:d"]


@pytest.mark.parametrize(
    "bad",
    [
        ModelFilter(language=3),
        ModelFilter(task=[1]),
        ModelFilter(tags=b"x"),
        ModelFilter(library={"a": 1}),
    ],
)
def test_bad_model_filter_fields_fail_before_any_request(api, bad):
    with pytest.raises(TypeError, match="must"):
        next(api.list_models(filter=bad))


@pytest.mark.parametrize("bad", [3, b"bert", 1.5])
def test_bad_filter_types_fail_before_any_request(api, bad):
    for listing in (api.list_models, api.list_datasets, api.list_spaces):
        with pytest.raises(TypeError, match="`filter` must be a string or an iterable"):
            next(listing(filter=bad))


# -- laziness, pagination, limit -----------------------------------------------------------


def test_listings_are_lazy(rsps):
    client = HfApi(endpoint=ENDPOINT)
    # Nothing is checked or sent before the first item, not even the token.
    models = client.list_models(token=True)
    datasets = client.list_datasets(limit=-1)
    spaces = client.list_spaces(filter=3)
    assert len(rsps.calls) == 0
    with pytest.raises(LocalTokenNotFoundError):
        next(models)
    with pytest.raises(ValueError, match="`limit` must be a non-negative integer"):
        next(datasets)
    with pytest.raises(TypeError):
        next(spaces)


def test_pages_follow_the_link_header_without_resending_params(api, rsps):
    second = f"{ENDPOINT}/api/models?cursor=abc&search=b"
    rsps.get(f"{MODELS}?search=b", json=_models(2), headers=link(second))
    rsps.get(second, json=_models(1, 2))
    listing = api.list_models(search="b")
    assert next(listing).modelId == "u/m0"
    assert len(rsps.calls) == 1  # one page at a time
    assert [m.modelId for m in listing] == ["u/m1", "u/m2"]
    assert urls(rsps) == [f"{MODELS}?search=b", second]
    check_request(rsps.calls[1], "GET", second)  # same headers and token on every page


@pytest.mark.parametrize(("limit", "pages"), [(2, 1), (3, 2), (1, 1)])
def test_limit_stops_fetching_once_reached(api, limit, pages):
    second = f"{ENDPOINT}/api/models?cursor=2"
    third = f"{ENDPOINT}/api/models?cursor=4"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(MODELS, json=_models(2), headers=link(second))
        mock.get(second, json=_models(2, 2), headers=link(third))
        mock.get(third, json=_models(2, 4))
        got = list(api.list_models(limit=limit))
        assert len(got) == limit
        assert len(mock.calls) == pages
        assert f"limit={limit}" in mock.calls[0].request.url


def test_limit_zero_sends_nothing(api, rsps):
    assert list(api.list_models(limit=0)) == []
    assert list(api.list_spaces(limit=0)) == []
    assert len(rsps.calls) == 0


@pytest.mark.parametrize("limit", [-1, "3", 2.0, True])
def test_bad_limit_fails_before_any_request(api, limit):
    with pytest.raises(ValueError, match="`limit` must be a non-negative integer"):
        next(api.list_datasets(limit=limit))


def test_error_answers_raise_on_first_item(api, rsps):
    rsps.get(MODELS, status=400, json={"error": "bad sort"})
    listing = api.list_models(sort="nope")
    with pytest.raises(BadRequestError, match="bad sort"):
        next(listing)


def test_a_page_that_is_not_a_list_is_an_error(api, rsps):
    rsps.get(DATASETS, json={"error": "x"})
    with pytest.raises(ValueError, match="Expected a JSON list"):
        list(api.list_datasets())


def test_tokens_on_listings(anon, rsps, stored_token):
    for _ in range(3):
        rsps.get(SPACES, json=[])
    list(anon.list_spaces())
    list(anon.list_spaces(token=False))
    list(anon.list_spaces(use_auth_token="hf_legacy"))
    check_request(rsps.calls[0], "GET", SPACES, token=stored_token)
    check_request(rsps.calls[1], "GET", SPACES, token=None)
    check_request(rsps.calls[2], "GET", SPACES, token="hf_legacy")


# -- emissions_thresholds (client side, on the card data) ----------------------------------

CARDS = [
    {"modelId": "a", "cardData": {"co2_eq_emissions": 10}},
    {"modelId": "b", "cardData": {"co2_eq_emissions": {"emissions": "17g"}}},
    {"modelId": "c", "cardData": {"co2_eq_emissions": "250.5 grams"}},
    {"modelId": "d", "cardData": {"license": "mit"}},
    {"modelId": "e"},
    {"modelId": "f", "cardData": {"co2_eq_emissions": "unknown"}},
    {"modelId": "g", "cardData": "not a dict"},
    {"modelId": "h", "cardData": {"co2_eq_emissions": {"emissions": 0}}},
]


@pytest.mark.parametrize(
    ("bounds", "kept"),
    [
        ((None, 100), ["a", "b"]),
        ((17, None), ["b", "c"]),
        ((10, 17), ["a", "b"]),
        ((0, 1e9), ["a", "b", "c"]),
        ((300, 400), []),
    ],
)
def test_emissions_filter_on_card_data(api, rsps, bounds, kept):
    rsps.get(MODELS, json=CARDS)
    got = api.list_models(emissions_thresholds=bounds, cardData=True)
    assert [m.modelId for m in got] == kept
    # nothing about emissions goes on the wire
    assert _query(rsps.calls[0].request.url) == "cardData=True"


def test_emissions_filter_applies_after_the_limit(api, rsps):
    rsps.get(MODELS, json=CARDS)
    assert [m.modelId for m in api.list_models(emissions_thresholds=(0, 20), limit=1)] == ["a"]
    rsps.get(MODELS, json=CARDS[3:])
    assert list(api.list_models(emissions_thresholds=(0, 20), limit=2)) == []


@pytest.mark.parametrize(
    ("thresholds", "card_data", "error"),
    [
        ((None, None), True, ValueError),
        ((1, 2), None, ValueError),
        ((1, 2, 3), True, TypeError),
        (5, True, TypeError),
        ("ab", True, TypeError),
        (("1", 2), True, TypeError),
        ((True, 2), True, TypeError),
    ],
)
def test_bad_emissions_thresholds_fail_before_any_request(api, thresholds, card_data, error):
    with pytest.raises(error):
        next(api.list_models(emissions_thresholds=thresholds, cardData=card_data))


# -- list_datasets ---------------------------------------------------------------------------


def test_dataset_filter_worked_example(api, rsps):
    rsps.get(DATASETS, json=[{"id": "squad", "key": "", "paperswithcode_id": "squad"}])
    dataset_filter = DatasetFilter(
        author="huggingface",
        dataset_name="x",
        benchmark="raft",
        language=["en", "fr"],
        multilinguality="multilingual",
        size_categories="100K<n<1M",
        task_categories="task_categories:text-classification",
        task_ids="extractive-qa",
        language_creators="crowdsourced",
    )
    (info,) = api.list_datasets(filter=dataset_filter)
    assert _query(rsps.calls[0].request.url) == (
        "search=huggingface%2Fx&filter=benchmark%3Araft&filter=language_creators%3Acrowdsourced"
        "&filter=language%3Aen&filter=language%3Afr&filter=multilinguality%3Amultilingual"
        "&filter=size_categories%3A100K%3Cn%3C1M&filter=task_categories%3Atext-classification"
        "&filter=task_ids%3Aextractive-qa"
    )
    assert isinstance(info, DatasetInfo) and info.id == "squad"
    assert info.paperswithcode_id == "squad" and not hasattr(info, "key")


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({}, ""),
        ({"filter": "language:en"}, "filter=language%3Aen"),
        ({"filter": ()}, ""),  # a filter does not imply full for datasets
        ({"filter": ["a", "b"], "full": True}, "filter=a&filter=b&full=True"),
        ({"full": 1}, "full=True"),
        (
            {"filter": "x", "full": False, "author": "", "search": "", "sort": "", "limit": 3},
            "filter=x&author=&search=&sort=&limit=3",
        ),
        (
            {"filter": DatasetFilter(), "search": "t", "author": "g", "direction": -1},
            "search=t&author=g&direction=-1",
        ),
    ],
)
def test_dataset_parameter_mapping(api, rsps, kwargs, query):
    rsps.get(DATASETS, json=[])
    list(api.list_datasets(**kwargs))
    assert _query(rsps.calls[0].request.url) == query


def test_dataset_filter_prefixes():
    query = dataset_filter_query(DatasetFilter(language=["language:en", "en", "xlanguage:y"]))
    assert query == {"search": "", "filter": ["language:en", "language:en", "xlanguage:y"]}
    assert dataset_filter_query(DatasetFilter(task_ids="", benchmark=("a",))) == {
        "search": "",
        "filter": ["benchmark:a", "task_ids:"],
    }


# -- list_spaces ------------------------------------------------------------------------------


def test_every_space_parameter_in_the_reference_order(api, rsps):
    rsps.get(SPACES, json=[{"id": "gradio/hello", "sdk": "gradio", "models": ["gpt2"]}])
    (space,) = api.list_spaces(
        filter=["gradio"],
        author="gradio",
        search="hello",
        sort="likes",
        direction=-1,
        limit=5,
        datasets=["wikipedia", "squad"],
        models="gpt2",
        linked=True,
        full=True,
    )
    assert _query(rsps.calls[0].request.url) == (
        "filter=gradio&author=gradio&search=hello&sort=likes&direction=-1&limit=5&full=True"
        "&linked=True&datasets=wikipedia&datasets=squad&models=gpt2"
    )
    assert isinstance(space, SpaceInfo) and space.sdk == "gradio" and space.models == ["gpt2"]


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({"datasets": "", "models": [], "linked": False, "full": False}, "datasets="),
        ({"filter": (), "linked": 1, "full": 0}, "linked=True"),
        ({"datasets": iter(["a"]), "models": ("x", "y")}, "datasets=a&models=x&models=y"),
    ],
)
def test_space_parameter_mapping(api, rsps, kwargs, query):
    rsps.get(SPACES, json=[])
    list(api.list_spaces(**kwargs))
    assert _query(rsps.calls[0].request.url) == query


# -- listing items become objects ------------------------------------------------------------


def test_model_items_keep_unknown_keys_and_parse_siblings(api, rsps):
    item = {
        **MODEL,
        "key": "",
        "model-index": None,
        "siblings": [{"rfilename": "config.json", "blobId": "b" * 40, "extra": 1}],
    }
    rsps.get(MODELS, json=[item])
    (model,) = api.list_models()
    assert model.key == "" and getattr(model, "model-index") is None and model._id == "1"
    (sibling,) = model.siblings
    assert isinstance(sibling, RepoFile)
    assert (sibling.rfilename, sibling.blob_id, sibling.extra) == ("config.json", "b" * 40, 1)
    assert str(model) == "Model Name: bert-base-uncased, Tags: None"


# -- public catalogues: list_metrics, get_model_tags, get_dataset_tags ----------------------


def test_list_metrics_sends_no_token_nor_user_agent(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/metrics",
        json=[{"id": "accuracy", "description": "d", "citation": "c", "key": "", "x": 1}],
    )
    (metric,) = api.list_metrics()
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/metrics", token=None, user_agent=PLAIN_UA)
    assert isinstance(metric, MetricInfo)
    assert (metric.id, metric.description, metric.citation, metric.x) == ("accuracy", "d", "c", 1)
    assert not hasattr(metric, "key")
    assert str(metric) == "Metric Name: accuracy"
    assert repr(metric) == (
        "MetricInfo: {'citation': 'c', 'description': 'd', 'id': 'accuracy', 'x': 1}"
    )


def test_list_metrics_rejects_a_non_list(api, rsps):
    rsps.get(f"{ENDPOINT}/api/metrics", json={})
    with pytest.raises(ValueError, match="Expected a JSON list of metrics"):
        api.list_metrics()


def test_model_tags(api, rsps):
    url = f"{ENDPOINT}/api/models-tags-by-type"
    rsps.get(url, json=TAGS)
    tags = api.get_model_tags()
    check_request(rsps.calls[0], "GET", url, token=None, user_agent=PLAIN_UA)
    assert isinstance(tags, ModelTags)
    assert sorted(tags) == ["dataset", "language", "library", "license", "pipeline_tag"]
    assert tags.library.PyTorch == "pytorch"
    assert tags.library["Stable_Baselines3"] == "stable-baselines3"
    assert tags.pipeline_tag.TextClassification == "text-classification"
    assert tags.language.Item_D == "y" and tags.language["1Item_B"] == "x"
    assert tags.dataset == {}  # a group the answer lacks is empty
    assert tags._tag_dictionary is not None  # raw answer kept privately
    assert repr(tags) == (
        "Available Attributes or Keys:\n * dataset\n * language\n * library\n * license\n"
        " * pipeline_tag\n"
    )
    assert repr(tags.library) == (
        "Available Attributes or Keys:\n * PyTorch\n * Stable_Baselines3 (Key only)\n"
    )


def test_dataset_tags(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/datasets-tags-by-type",
        json={"language": [{"id": "language:en", "label": "en"}]},
    )
    tags = api.get_dataset_tags()
    assert isinstance(tags, DatasetTags)
    assert sorted(tags) == [
        "benchmark",
        "language",
        "language_creators",
        "license",
        "multilinguality",
        "size_categories",
        "task_categories",
        "task_ids",
    ]
    assert tags.language.en == "language:en" and tags.multilinguality == {}


def test_general_tags_use_every_group_and_later_labels_win():
    raw = {"a": [{"id": "1", "label": "X Y"}, {"id": "2", "label": "XY"}], "b": []}
    tags = GeneralTags(raw)
    assert tags == {"a": {"XY": "2"}, "b": {}}
    with pytest.raises(ValueError, match="mapping of tag types"):
        GeneralTags([])  # type: ignore[arg-type]


def test_attribute_dictionary():
    d = AttributeDictionary({"p1": 1, "a_b": 2, "100K<n<1M": 3, "Zed": 4})
    assert d.a_b == 2 and d.p1 == 1
    d.new = 5
    d._private = 6
    assert d["new"] == 5 and "_private" not in d and d._private == 6
    del d.new
    assert "new" not in d
    with pytest.raises(AttributeError):
        d.missing  # noqa: B018
    with pytest.raises(AttributeError):
        del d.missing
    listed = dir(d)
    assert {"a_b", "Zed", "items", "keys"} <= set(listed)
    assert not {"p1", "100K<n<1M"} & set(listed)
    assert repr(d) == (
        "Available Attributes or Keys:\n * 100K<n<1M (Key only)\n * Zed\n * a_b\n * p1 (Key only)\n"
    )
    assert repr(AttributeDictionary()) == "Available Attributes or Keys:\n"


# -- ModelSearchArguments / DatasetSearchArguments -------------------------------------------


def test_model_search_arguments(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models-tags-by-type", json=TAGS)
    second = f"{MODELS}?cursor=1"
    rsps.get(MODELS, json=[MODEL, {"modelId": "google/bert-base"}], headers=link(second))
    rsps.get(second, json=[{"modelId": "hf-internal/t5.small"}])
    args = ModelSearchArguments(api)
    assert sorted(args) == [
        "author",
        "dataset",
        "language",
        "library",
        "license",
        "model_name",
        "pipeline_tag",
    ]
    assert args.library.PyTorch == "pytorch"
    assert args.author.google == "google"
    assert args.author["hf-internal"] == "hf_internal"
    assert args.model_name["bert-base-uncased"] == "bert_base_uncased"
    assert args.model_name["t5.small"] == "t5_small"
    assert _query(rsps.calls[1].request.url) == ""  # a bare listing of every model


def test_dataset_search_arguments(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/datasets-tags-by-type",
        json={"language": [{"id": "language:en", "label": "en"}]},
    )
    rsps.get(DATASETS, json=[{"id": "squad"}, {"id": "huggingface/x-y"}])
    args = DatasetSearchArguments(api)
    assert args.language.en == "language:en"
    assert args.author.huggingface == "huggingface"
    assert args.dataset_name == {"squad": "squad", "x-y": "x_y"}
    assert "dataset_name" in dir(args)


def test_search_arguments_default_to_a_fresh_client(rsps, monkeypatch):
    monkeypatch.setattr(hfapi.constants, "ENDPOINT", ENDPOINT)
    rsps.get(f"{ENDPOINT}/api/datasets-tags-by-type", json={})
    rsps.get(DATASETS, json=[])
    assert DatasetSearchArguments()["author"] == {}


# -- filter builders: properties ------------------------------------------------------------

_word = st.text(alphabet="abc:-_ ", max_size=8)
_field = st.none() | _word | st.lists(_word, max_size=3)


def _as_list(value: Any) -> List[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


@given(
    author=st.none() | _word,
    name=st.none() | _word,
    library=_field,
    language=_field,
    task=_field,
    trained=_field,
    tags=_field,
)
def test_model_filter_query_properties(author, name, library, language, task, trained, tags):
    model_filter = ModelFilter(author, library, language, name, task, trained, tags)
    query = model_filter_query(model_filter)
    search = query["search"]
    assert search.startswith(f"{author}/" if author is not None else "")
    assert search.endswith(name or "")
    assert query.get("tags", []) == (_as_list(tags) if tags else [])
    expected = _as_list(task)
    expected += [v if "dataset:" in v else f"dataset:{v}" for v in _as_list(trained)]
    expected += _as_list(library) if library else []
    expected += _as_list(language)
    assert query.get("filter", []) == expected
    assert ("filter" in query) == bool(expected)
    # the fields are left as they were given
    assert model_filter == ModelFilter(author, library, language, name, task, trained, tags)


_DATASET_FIELDS = (
    "benchmark",
    "language_creators",
    "language",
    "multilinguality",
    "size_categories",
    "task_categories",
    "task_ids",
)


@given(st.fixed_dictionaries({name: _field for name in _DATASET_FIELDS}))
def test_dataset_filter_query_properties(fields):
    query = dataset_filter_query(DatasetFilter(**fields))
    values = query.get("filter", [])
    assert len(values) == sum(len(_as_list(v)) for v in fields.values())
    # each value carries its field's prefix, in field order, and prefixing is idempotent
    position = 0
    for name in _DATASET_FIELDS:
        for value in _as_list(fields[name]):
            assert f"{name}:" in values[position]
            assert values[position].endswith(value)
            position += 1
    again = dataset_filter_query(
        DatasetFilter(
            **{
                name: [v for v in values if v.startswith(f"{name}:")] or None
                for name in _DATASET_FIELDS
            }
        )
    )
    assert sorted(again.get("filter", [])) == sorted(
        v for v in values if any(v.startswith(f"{n}:") for n in _DATASET_FIELDS)
    )
