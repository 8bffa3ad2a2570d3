"""Search and listing over plain HTTP: card data, filters, sorts, pages, privacy, counters."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http

BERT_README = """---
language:
- en
- fr   # two languages
license: apache-2.0
tags: [exbert, "benchmark:raft"]
datasets:
  - glue
pipeline_tag: fill-mask
model-index:
- name: bert
  results: []
---
# A model
"""
BERT_CONFIG = json.dumps({"model_type": "bert", "architectures": ["BertForMaskedLM"], "x": 1})


def seed(http: Http, hub: LocalHub, repos: List[Dict[str, Any]]) -> None:
    response = http("POST", "/_hub/seed", hub.admin_token, json={"repos": repos})
    assert response.status_code == 200, response.text


def ids(items: List[Dict[str, Any]]) -> List[str]:
    return [item["id"] for item in items]


def listing(
    http: Http, kind: str, token: Optional[str] = None, **params: Any
) -> List[Dict[str, Any]]:
    response = http("GET", f"/api/{kind}", token, params=params)
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), list)
    return list(response.json())


@pytest.fixture
def models(http: Http, hub: LocalHub, user: HubUser) -> str:
    """Three models of ``user`` with different cards and counters; returns the namespace."""
    ns = user.name
    seed(
        http,
        hub,
        [
            {
                "repo_id": f"{ns}/bert-base",
                "files": {
                    "README.md": BERT_README,
                    "config.json": BERT_CONFIG,
                    "pytorch_model.bin": "w",
                    "model.safetensors": "w",
                },
                "downloads": 50,
                "likes": 2,
            },
            {
                "repo_id": f"{ns}/Gpt-Small",
                "files": {"config.json": json.dumps({"architectures": ["GPT2LMHeadModel"]})},
                "downloads": 500,
                "likes": 1,
            },
            {
                "repo_id": f"{ns}/agent",
                "files": {"README.md": "---\nlibrary_name: stable-baselines3\nlicense: mit\n---\n"},
                "downloads": 5,
                "likes": 9,
            },
        ],
    )
    return ns


# -- card data ---------------------------------------------------------------------------------


def test_info_carries_card_data_config_and_derived_tags(http: Http, models: str) -> None:
    info = http("GET", f"/api/models/{models}/bert-base").json()
    assert info["tags"] == [
        "transformers",
        "pytorch",
        "safetensors",
        "bert",
        "fill-mask",
        "exbert",
        "benchmark:raft",
        "en",
        "fr",
        "dataset:glue",
        "license:apache-2.0",
        "model-index",
    ]
    assert info["pipeline_tag"] == "fill-mask"
    assert info["library_name"] == "transformers"
    assert info["config"] == {"model_type": "bert", "architectures": ["BertForMaskedLM"]}
    assert info["cardData"]["language"] == ["en", "fr"]
    assert info["cardData"]["model-index"] == [{"name": "bert", "results": []}]
    assert (info["downloads"], info["likes"]) == (50, 2)


def test_pipeline_is_inferred_from_the_architecture(http: Http, models: str) -> None:
    info = http("GET", f"/api/models/{models}/Gpt-Small").json()
    assert info["pipeline_tag"] == "text-generation"
    assert info["tags"] == ["transformers", "text-generation"]
    assert "cardData" not in info


def test_card_library_wins_and_no_config_means_no_config(http: Http, models: str) -> None:
    info = http("GET", f"/api/models/{models}/agent").json()
    assert info["library_name"] == "stable-baselines3"
    assert info["tags"] == ["stable-baselines3", "license:mit"]
    assert info["pipeline_tag"] is None
    assert "config" not in info


@pytest.mark.parametrize(
    "readme",
    [
        "---\ntags: [a, b\n---\n# unclosed flow",
        "---\nlicense: mit\n  bad: indentation\n---\n",
        "---\nanchor: &a x\n---\n",
        "---\nlicense: mit\n# never closed",
        "no front matter at all",
        "---\n- a list, not a mapping\n---\n",
    ],
)
def test_broken_or_missing_card_still_commits_with_empty_card_data(
    http: Http, user: HubUser, repo: str, readme: str
) -> None:
    op = {"key": "file", "value": {"path": "README.md", "content": readme, "encoding": "utf-8"}}
    response = http.commit(user.token, repo, [op])
    assert response.status_code == 200, response.text
    info = http("GET", f"/api/models/{repo}").json()
    assert info["tags"] == [] and "cardData" not in info
    assert info["sha"] == response.json()["commitOid"]


def test_card_follows_each_commit_and_a_merged_pull_request(
    http: Http, user: HubUser, repo: str
) -> None:
    def readme(text: str) -> Dict[str, Any]:
        return {"key": "file", "value": {"path": "README.md", "content": text, "encoding": "utf-8"}}

    assert http.commit(user.token, repo, [readme("---\nlicense: mit\n---\n")]).ok
    assert listing(http, "models", author=user.name)[0]["tags"] == ["license:mit"]
    opened = http.commit(user.token, repo, [readme("---\nlicense: gpl-3.0\n---\n")], create_pr=True)
    assert opened.ok, opened.text
    num = opened.json()["pullRequestUrl"].rsplit("/", 1)[1]
    # The PR's commit leaves main (and so the listing) alone until it is merged.
    assert listing(http, "models", author=user.name)[0]["tags"] == ["license:mit"]
    merged = http("POST", f"/api/models/{repo}/discussions/{num}/merge", user.token)
    assert merged.ok, merged.text
    assert listing(http, "models", author=user.name)[0]["tags"] == ["license:gpl-3.0"]


def test_info_at_an_older_revision_shows_that_revision_card(
    http: Http, user: HubUser, repo: str
) -> None:
    op = {"key": "file", "value": {"path": "README.md", "content": "---\ntags: [old]\n---\n"}}
    op["value"]["encoding"] = "utf-8"
    first = http.commit(user.token, repo, [op]).json()["commitOid"]
    op["value"]["content"] = "---\ntags: [new]\n---\n"
    assert http.commit(user.token, repo, [op]).ok
    assert http("GET", f"/api/models/{repo}/revision/{first}").json()["tags"] == ["old"]
    assert http("GET", f"/api/models/{repo}").json()["tags"] == ["new"]


# -- listing: search, author, filters -----------------------------------------------------------


def test_items_have_id_and_model_id_and_no_card_data_unless_asked(http: Http, models: str) -> None:
    items = listing(http, "models", author=models, full="True")
    assert {item["modelId"] for item in items} == set(ids(items))
    assert all("cardData" not in item and "config" not in item for item in items)
    assert all("siblings" in item and "sha" in item for item in items)
    short = listing(http, "models", author=models)
    assert all("siblings" not in item for item in short)


def test_config_and_card_data_on_request(http: Http, models: str) -> None:
    items = listing(http, "models", author=models, config="True", cardData="True")
    by_id = {item["id"]: item for item in items}
    assert by_id[f"{models}/bert-base"]["config"]["model_type"] == "bert"
    assert by_id[f"{models}/bert-base"]["cardData"]["license"] == "apache-2.0"


def test_search_is_a_case_insensitive_substring_of_the_id(http: Http, models: str) -> None:
    assert ids(listing(http, "models", search=f"{models}/gpt-s")) == [f"{models}/Gpt-Small"]
    assert len(listing(http, "models", search=f"{models.upper()}/")) == 3
    assert listing(http, "models", search=f"{models}/nothing-like-this") == []


def test_author_matches_the_namespace(http: Http, models: str, other: HubUser) -> None:
    assert len(listing(http, "models", author=models)) == 3
    assert listing(http, "models", author=other.name) == []


def test_filters_are_anded_over_tags(http: Http, models: str) -> None:
    def found(*filters: str) -> List[str]:
        return sorted(ids(listing(http, "models", author=models, filter=list(filters))))

    assert found("transformers") == [f"{models}/Gpt-Small", f"{models}/bert-base"]
    assert found("transformers", "fill-mask") == [f"{models}/bert-base"]
    assert found("en", "fr", "dataset:glue", "license:apache-2.0") == [f"{models}/bert-base"]
    assert found("transformers", "license:mit") == []
    assert found("dummytask") == []
    tagged = listing(http, "models", author=models, tags="benchmark:raft")
    assert ids(tagged) == [f"{models}/bert-base"]


def test_dataset_tags_and_full_card_data(http: Http, hub: LocalHub, user: HubUser) -> None:
    card = (
        "---\ntask_categories: [text-classification]\ntask_ids:\n- natural-language-inference\n"
        "language: [en, fr]\nsize_categories: 10K<n<100K\nbenchmark: raft\nlicense: mit\n"
        "paperswithcode_id: nli\n---\n"
    )
    seed(
        http,
        hub,
        [
            {"repo_id": f"{user.name}/nli", "repo_type": "dataset", "files": {"README.md": card}},
            {"repo_id": f"{user.name}/bare", "repo_type": "dataset"},
        ],
    )
    items = listing(http, "datasets", author=user.name, filter=["language:en", "language:fr"])
    assert ids(items) == [f"{user.name}/nli"]
    assert items[0]["tags"] == [
        "task_categories:text-classification",
        "task_ids:natural-language-inference",
        "size_categories:10K<n<100K",
        "benchmark:raft",
        "language:en",
        "language:fr",
        "license:mit",
    ]
    assert items[0]["paperswithcode_id"] == "nli"
    assert all("cardData" not in item for item in listing(http, "datasets", author=user.name))
    full = listing(http, "datasets", author=user.name, full="True")
    assert {item["id"]: "cardData" in item for item in full} == {
        f"{user.name}/nli": True,
        f"{user.name}/bare": False,
    }


def test_spaces_models_datasets_and_linked(http: Http, hub: LocalHub, user: HubUser) -> None:
    ns = user.name
    seed(
        http,
        hub,
        [
            {
                "repo_id": f"{ns}/demo",
                "repo_type": "space",
                "files": {"README.md": "---\nmodels: [gpt2]\ndatasets: squad\ntags: [nlp]\n---\n"},
            },
            {"repo_id": f"{ns}/lonely", "repo_type": "space", "sdk": "static"},
        ],
    )
    assert ids(listing(http, "spaces", author=ns, models="gpt2")) == [f"{ns}/demo"]
    assert ids(listing(http, "spaces", author=ns, datasets="squad", models="gpt2")) == [
        f"{ns}/demo"
    ]
    assert ids(listing(http, "spaces", author=ns, linked="True")) == [f"{ns}/demo"]
    items = {item["id"]: item for item in listing(http, "spaces", author=ns, full="True")}
    assert items[f"{ns}/demo"]["tags"] == ["gradio", "nlp"]
    assert items[f"{ns}/demo"]["models"] == ["gpt2"]
    assert items[f"{ns}/demo"]["cardData"]["datasets"] == "squad"
    assert items[f"{ns}/lonely"]["sdk"] == "static" and items[f"{ns}/lonely"]["models"] == []


# -- sorting, direction, limit and pages --------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("downloads", ["agent", "bert-base", "Gpt-Small"]),
        ("likes", ["Gpt-Small", "bert-base", "agent"]),
        ("id", ["agent", "bert-base", "Gpt-Small"]),
        ("createdAt", ["bert-base", "Gpt-Small", "agent"]),
    ],
)
def test_sort_keys_and_direction(http: Http, models: str, sort: str, ascending: List[str]) -> None:
    expected = [f"{models}/{name}" for name in ascending]
    assert ids(listing(http, "models", author=models, sort=sort)) == expected
    assert ids(listing(http, "models", author=models, sort=sort, direction=1)) == expected
    assert ids(listing(http, "models", author=models, sort=sort, direction=-1)) == expected[::-1]


def test_last_modified_sort_is_by_commit_time(http: Http, models: str) -> None:
    first = listing(http, "models", author=models, sort="lastModified", full="True")
    stamps = [item["lastModified"] for item in first]
    assert stamps == sorted(stamps)


def test_pages_follow_link_headers_with_every_parameter(http: Http, models: str) -> None:
    params = {"author": models, "sort": "downloads", "direction": "-1", "limit": "1"}
    response = http("GET", "/api/models", params=params)
    seen = ids(response.json())
    while "next" in response.links:
        url = response.links["next"]["url"]
        assert url.startswith(http.hub.url + "/api/models?")
        assert "author=" in url and "sort=downloads" in url and "direction=-1" in url
        response = http.session.get(url)
        assert response.status_code == 200
        assert len(response.json()) == 1
        seen += ids(response.json())
    assert seen == [f"{models}/Gpt-Small", f"{models}/bert-base", f"{models}/agent"]


def test_cursor_is_stable_when_earlier_repos_appear(http: Http, hub: LocalHub, models: str) -> None:
    response = http("GET", "/api/models", params={"author": models, "sort": "id", "limit": "2"})
    assert ids(response.json()) == [f"{models}/agent", f"{models}/bert-base"]
    # A repo sorting before the cursor does not shift the next page.
    seed(http, hub, [{"repo_id": f"{models}/aaa-first"}])
    after = http.session.get(response.links["next"]["url"]).json()
    assert ids(after) == [f"{models}/Gpt-Small"]


@pytest.mark.parametrize(
    "params",
    [{"sort": "popularity"}, {"direction": "up"}, {"cursor": "not-a-cursor"}, {"limit": "-3"}],
)
def test_bad_listing_parameters_are_400(http: Http, params: Dict[str, str]) -> None:
    response = http("GET", "/api/models", params=params)
    assert response.status_code == 400
    assert response.headers["X-Error-Message"] == response.json()["error"]


# -- privacy ----------------------------------------------------------------------------------


def test_private_repos_show_only_to_those_who_may_see_them(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser
) -> None:
    seed(http, hub, [{"repo_id": f"{user.name}/secret", "private": True}])
    org = f"org-{user.name}"
    hub.add_org(org, {user.name: "read"})
    seed(http, hub, [{"repo_id": f"{org}/org-secret", "private": True}])
    for author in (user.name, org):
        assert listing(http, "models", author=author) == []
        assert listing(http, "models", other.token, author=author) == []
    assert ids(listing(http, "models", user.token, author=user.name)) == [f"{user.name}/secret"]
    assert ids(listing(http, "models", user.token, author=org)) == [f"{org}/org-secret"]
    assert len(listing(http, "models", hub.admin_token, search=user.name)) == 2
    assert listing(http, "models", search="secret", filter="nothing") == []


# -- counters ---------------------------------------------------------------------------------


def test_downloads_count_config_json_gets_only(http: Http, hub: LocalHub, models: str) -> None:
    repo = f"{models}/bert-base"
    http("GET", f"/{repo}/resolve/main/config.json")
    http("HEAD", f"/{repo}/resolve/main/config.json")
    http("GET", f"/{repo}/resolve/main/README.md")
    http("GET", f"/{repo}/resolve/main/config.json", headers={"Range": "bytes=5-"})
    assert http("GET", f"/api/models/{repo}").json()["downloads"] == 51


def test_dataset_downloads_count_readme_gets(http: Http, hub: LocalHub, user: HubUser) -> None:
    seed(
        http,
        hub,
        [{"repo_id": f"{user.name}/d", "repo_type": "dataset", "files": {"README.md": "x"}}],
    )
    http("GET", f"/datasets/{user.name}/d/resolve/main/README.md")
    assert http("GET", f"/api/datasets/{user.name}/d").json()["downloads"] == 1


def test_counters_admin_route_python_api_and_real_likes(
    http: Http, hub: LocalHub, models: str, other: HubUser
) -> None:
    repo = f"{models}/agent"
    answer = http("PUT", f"/_hub/models/{repo}/counters", hub.admin_token, json={"likes": 40})
    assert answer.json() == {"downloads": 5, "likes": 40}
    assert http("POST", f"/api/models/{repo}/like", other.token).ok
    assert http("GET", f"/api/models/{repo}").json()["likes"] == 41
    assert hub.set_counters(repo, downloads=7) == (7, 41)
    item = listing(http, "models", author=models, sort="likes", direction=-1)[0]
    assert (item["id"], item["likes"], item["downloads"]) == (repo, 41, 7)
    refused = http("PUT", f"/_hub/models/{repo}/counters", hub.admin_token, json={"likes": -1})
    assert refused.status_code == 400
    not_admin = http("PUT", f"/_hub/models/{repo}/counters", other.token, json={"likes": 1})
    assert not_admin.status_code in (401, 403)


def test_seeded_counters_are_checked(http: Http, hub: LocalHub, user: HubUser) -> None:
    bad = {"repos": [{"repo_id": f"{user.name}/x", "downloads": "many"}]}
    assert http("POST", "/_hub/seed", hub.admin_token, json=bad).status_code == 400
    assert hub.backend.repos.find("model", f"{user.name}/x") is None


# -- catalogues and metrics ---------------------------------------------------------------------


def test_model_tag_catalogue_has_base_and_present_tags(http: Http, models: str) -> None:
    catalogue = http("GET", "/api/models-tags-by-type").json()
    for group in ("library", "pipeline_tag", "language", "license", "dataset"):
        assert catalogue[group], group
        assert all(entry["type"] == group for entry in catalogue[group])
    library = {entry["id"]: entry["label"] for entry in catalogue["library"]}
    assert library["pytorch"] == "PyTorch" and "stable-baselines3" in library
    tasks = {entry["id"]: entry for entry in catalogue["pipeline_tag"]}
    assert tasks["fill-mask"]["label"] == "Fill Mask"
    assert {"id": "license:apache-2.0", "label": "apache-2.0", "type": "license"} in catalogue[
        "license"
    ]


def test_catalogue_adds_tags_of_public_repos_only(http: Http, hub: LocalHub, user: HubUser) -> None:
    public = f"---\nlicense: lic-{user.name}\ndatasets: [ds-{user.name}]\nlanguage: xx\n---\n"
    private = f"---\nlicense: hidden-{user.name}\n---\n"
    seed(
        http,
        hub,
        [
            {"repo_id": f"{user.name}/pub", "files": {"README.md": public}},
            {"repo_id": f"{user.name}/priv", "private": True, "files": {"README.md": private}},
        ],
    )
    catalogue = http("GET", "/api/models-tags-by-type").json()
    licenses = {entry["id"] for entry in catalogue["license"]}
    assert f"license:lic-{user.name}" in licenses and f"license:hidden-{user.name}" not in licenses
    assert f"dataset:ds-{user.name}" in {entry["id"] for entry in catalogue["dataset"]}
    assert "xx" in {entry["id"] for entry in catalogue["language"]}


def test_dataset_tag_catalogue_groups(http: Http) -> None:
    catalogue = http("GET", "/api/datasets-tags-by-type").json()
    for group in ("benchmark", "language", "license", "size_categories", "task_categories"):
        assert catalogue[group], group
        assert all(entry["id"].startswith(f"{group}:") for entry in catalogue[group])
    assert "task_ids" in catalogue
    assert "language_creators" not in catalogue and "multilinguality" not in catalogue


def test_metrics(http: Http) -> None:
    metrics = http("GET", "/api/metrics").json()
    assert len(metrics) > 10
    assert all(set(metric) == {"id", "description", "citation", "key"} for metric in metrics)
    assert "accuracy" in {metric["id"] for metric in metrics}


def test_listing_reads_no_git_objects(
    http: Http, hub: LocalHub, models: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing(http, "models", author=models)  # every stored row is current now

    def no_git(*args: Any) -> Any:
        raise AssertionError("a listing read git objects")

    monkeypatch.setattr(hub.backend.git, "snapshot", no_git)
    monkeypatch.setattr(hub.backend.git, "commit", no_git)
    items = listing(http, "models", author=models, full="True", cardData="True", config="True")
    assert len(items) == 3 and all(item["siblings"] for item in items)
