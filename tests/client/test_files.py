"""Wire tests of repository reading: *_info, list_files_info, list_repo_files."""

from __future__ import annotations

import pytest
import responses
from _wire import ENDPOINT, check_request, link, urls

from hfapi import (
    BadRequestError,
    DatasetInfo,
    ModelInfo,
    RepoFile,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    SpaceInfo,
)

SHA = "9b865efde13a30c13e0a33e536cf3e4a5a9d71d8"
MODEL = {
    "_id": "64a1f2c3d4e5f60718293a4b",
    "id": "alice/my-model",
    "modelId": "alice/my-model",
    "author": "alice",
    "sha": SHA,
    "lastModified": "2023-07-03T12:34:56.000Z",
    "private": False,
    "disabled": False,
    "gated": False,
    "pipeline_tag": "text-classification",
    "tags": ["transformers", "pytorch", "bert", "text-classification", "en", "license:mit"],
    "downloads": 0,
    "library_name": "transformers",
    "likes": 0,
    "model-index": None,
    "config": {"architectures": ["BertForSequenceClassification"], "model_type": "bert"},
    "cardData": {"license": "mit", "language": ["en"]},
    "spaces": [],
    "siblings": [
        {"rfilename": ".gitattributes"},
        {
            "rfilename": "pytorch_model.bin",
            "blobId": "0a828055346279420bd02a4221c177bbcdc045d8",
            "size": 437985387,
            "lfs": {"sha256": "3a6e" * 16, "size": 437985387, "pointerSize": 135},
        },
    ],
    "createdAt": "2023-07-03T12:30:00.000Z",
}
DATASET = {
    "_id": "x",
    "id": "alice/ds",
    "author": "alice",
    "sha": SHA,
    "lastModified": "2023-07-03T12:34:56.000Z",
    "private": True,
    "tags": ["size:small"],
    "description": "A dataset",
    "citation": "@cite",
    "cardData": {"license": "mit"},
    "paperswithcode_id": None,
    "siblings": [{"rfilename": "data.csv"}],
    "key": "",
}
SPACE = {
    "id": "alice/sp",
    "author": "alice",
    "sha": SHA,
    "private": False,
    "sdk": "gradio",
    "runtime": {"stage": "RUNNING", "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}},
    "models": ["gpt2"],
    "siblings": [{"rfilename": "app.py"}],
}

TREE = [
    {
        "type": "file",
        "oid": "6320cd248dd8aeaab759d5871f8781b5c0505172",
        "size": 4,
        "path": "file.md",
    },
    {
        "type": "file",
        "oid": "0a828055346279420bd02a4221c177bbcdc045d8",
        "size": 4,
        "path": "lfs.bin",
        "lfs": {"oid": "3a6e" * 16, "size": 4, "pointerSize": 126},
    },
    {
        "type": "directory",
        "oid": "b0a5f8a1c3e2d4f6a7b8c9d0e1f2a3b4c5d6e7f8",
        "size": 0,
        "path": "1",
    },
]
LAST_COMMIT = {"id": "47b6" * 10, "title": "Upload", "date": "2023-03-21T09:05:27.000Z"}


# -- *_info --------------------------------------------------------------------------------


def test_model_info_parses_response(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/alice/my-model", json=MODEL)
    info = api.model_info("alice/my-model")
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/models/alice/my-model")
    assert isinstance(info, ModelInfo)
    assert (info.modelId, info.sha, info.private, info.pipeline_tag) == (
        "alice/my-model",
        SHA,
        False,
        "text-classification",
    )
    assert info.lastModified == "2023-07-03T12:34:56.000Z"  # dates stay strings
    assert info.id == "alice/my-model"
    assert info._id == "64a1f2c3d4e5f60718293a4b"
    assert getattr(info, "model-index") is None
    assert info.cardData == {"license": "mit", "language": ["en"]}
    assert info.securityStatus is None
    first, second = info.siblings
    assert isinstance(first, RepoFile)
    assert (first.rfilename, first.size, first.blob_id, first.lfs) == (
        ".gitattributes",
        None,
        None,
        None,
    )
    assert second.blob_id == "0a828055346279420bd02a4221c177bbcdc045d8"
    assert second.size == 437985387
    # siblings keep the server's raw lfs dict
    assert second.lfs == {"sha256": "3a6e" * 16, "size": 437985387, "pointerSize": 135}


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        ({}, ""),
        ({"securityStatus": True}, "?securityStatus=True"),
        ({"securityStatus": False}, ""),
        ({"files_metadata": True}, "?blobs=True"),
        ({"securityStatus": True, "files_metadata": True}, "?securityStatus=True&blobs=True"),
    ],
)
def test_model_info_query(api, rsps, kwargs, query):
    rsps.get(f"{ENDPOINT}/api/models/alice/r/revision/refs%2Fpr%2F1", json={"modelId": "alice/r"})
    api.model_info("alice/r", revision="refs/pr/1", **kwargs)
    check_request(
        rsps.calls[0], "GET", f"{ENDPOINT}/api/models/alice/r/revision/refs%2Fpr%2F1{query}"
    )


def test_model_info_security_status_attribute(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/models/gpt2",
        json={"modelId": "gpt2", "securityStatus": {"containsInfected": False}},
    )
    assert api.model_info("gpt2", securityStatus=True).securityStatus == {"containsInfected": False}


def test_non_ascii_repo_id_is_percent_encoded(anon, rsps):
    rsps.get(f"{ENDPOINT}/api/models/%C3%BCn%C3%AF/x", json={"modelId": "ünï/x"})
    assert anon.model_info("ünï/x").modelId == "ünï/x"
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/models/%C3%BCn%C3%AF/x", token=None)


def test_info_timeouts(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/gpt2", json={})
    api.model_info("gpt2")
    api.model_info("gpt2", timeout=3.5)
    assert rsps.calls[0].request.req_kwargs["timeout"] == (10.0, 60.0)
    assert rsps.calls[1].request.req_kwargs["timeout"] == 3.5


def test_dataset_info(api, rsps):
    rsps.get(f"{ENDPOINT}/api/datasets/alice/ds/revision/v1.0", json=DATASET)
    info = api.dataset_info("alice/ds", revision="v1.0", files_metadata=True)
    check_request(
        rsps.calls[0], "GET", f"{ENDPOINT}/api/datasets/alice/ds/revision/v1.0?blobs=True"
    )
    assert isinstance(info, DatasetInfo)
    assert (info.id, info.private, info.description, info.citation) == (
        "alice/ds",
        True,
        "A dataset",
        "@cite",
    )
    assert info.paperswithcode_id is None
    assert not hasattr(info, "key")
    assert [s.rfilename for s in info.siblings] == ["data.csv"]
    assert str(info) == "Dataset Name: alice/ds, Tags: ['size:small']"


def test_space_info(api, rsps):
    rsps.get(f"{ENDPOINT}/api/spaces/alice/sp", json=SPACE)
    info = api.space_info("alice/sp")
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/spaces/alice/sp")
    assert isinstance(info, SpaceInfo)
    assert (info.id, info.sdk, info.models) == ("alice/sp", "gradio", ["gpt2"])
    assert info.runtime["stage"] == "RUNNING"
    assert info.lastModified is None


@pytest.mark.parametrize(
    ("repo_type", "path", "cls"),
    [
        (None, "models", ModelInfo),
        ("model", "models", ModelInfo),
        ("dataset", "datasets", DatasetInfo),
        ("space", "spaces", SpaceInfo),
    ],
)
def test_repo_info_dispatch(api, rsps, repo_type, path, cls):
    url = f"{ENDPOINT}/api/{path}/a/b/revision/refs%2Fpr%2F1"
    rsps.get(url, json={"id": "a/b"})
    info = api.repo_info(
        "a/b", repo_type=repo_type, revision="refs/pr/1", files_metadata=True, timeout=2
    )
    assert type(info) is cls
    check_request(rsps.calls[0], "GET", url + "?blobs=True")
    assert rsps.calls[0].request.req_kwargs["timeout"] == 2


def test_repo_info_unsupported_type(api, rsps):
    with pytest.raises(ValueError, match=r"^Unsupported repo type\.$"):
        api.repo_info("a/b", repo_type="models")
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("code", "exc"),
    [("RepoNotFound", RepositoryNotFoundError), ("RevisionNotFound", RevisionNotFoundError)],
)
def test_info_errors(api, rsps, code, exc):
    rsps.get(f"{ENDPOINT}/api/models/a/b/revision/nope", status=404, headers={"X-Error-Code": code})
    with pytest.raises(exc):
        api.model_info("a/b", revision="nope")


# -- list_files_info -----------------------------------------------------------------------


def test_list_files_info_is_lazy(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/a/b/tree/main", json=TREE)
    files = api.list_files_info("a/b")
    assert len(rsps.calls) == 0
    assert next(iter(files)).rfilename == "file.md"


def test_list_files_info_whole_repo(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/a/b/tree/main", json=TREE)
    files = list(api.list_files_info("a/b"))
    check_request(
        rsps.calls[0], "GET", f"{ENDPOINT}/api/models/a/b/tree/main?recursive=True&expand=False"
    )
    assert [f.rfilename for f in files] == ["file.md", "lfs.bin"]  # folders skipped
    regular, lfs = files
    assert (regular.size, regular.blob_id, regular.lfs) == (
        4,
        "6320cd248dd8aeaab759d5871f8781b5c0505172",
        None,
    )
    assert lfs.lfs == {"size": 4, "sha256": "3a6e" * 16, "pointer_size": 126}
    assert not hasattr(regular, "type")
    assert not hasattr(regular, "lastCommit")


def test_list_files_info_empty_paths_sends_nothing(api, rsps):
    assert list(api.list_files_info("a/b", paths=[])) == []
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("paths", "form"),
    [
        ("a.txt", b"paths=a.txt&expand=True"),
        (["a.txt", "b c"], b"paths=a.txt&paths=b+c&expand=True"),
    ],
)
def test_list_files_info_paths(api, rsps, paths, form):
    url = f"{ENDPOINT}/api/datasets/a/b/paths-info/refs%2Fpr%2F1"
    entry = {
        "type": "file",
        "oid": "ab" * 20,
        "size": 1,
        "path": "a.txt",
        "lastCommit": LAST_COMMIT,
        "security": {"safe": True},
    }
    rsps.post(url, json=[entry])
    files = list(api.list_files_info("a/b", paths, repo_type="dataset", revision="refs/pr/1"))
    check_request(
        rsps.calls[0], "POST", url, body=form, content_type="application/x-www-form-urlencoded"
    )
    (file,) = files
    # paths-info always expands: the extras are kept as attributes
    assert (file.rfilename, file.lastCommit, file.security) == (
        "a.txt",
        LAST_COMMIT,
        {"safe": True},
    )


def test_list_files_info_folders_then_tree(api, rsps):
    rsps.post(
        f"{ENDPOINT}/api/models/a/b/paths-info/main",
        json=[TREE[0], {"type": "directory", "oid": "cd" * 20, "size": 0, "path": "1/2"}],
    )
    rsps.get(
        f"{ENDPOINT}/api/models/a/b/tree/main/1%2F2",
        json=[
            {
                "type": "file",
                "oid": "ef" * 20,
                "size": 2,
                "path": "1/2/x.txt",
                "lastCommit": LAST_COMMIT,
            },
            {"type": "directory", "oid": "01" * 20, "size": 0, "path": "1/2/3"},
        ],
    )
    files = list(api.list_files_info("a/b", ["file.md", "1/2", "missing"], expand=True))
    assert [f.rfilename for f in files] == ["file.md", "1/2/x.txt"]
    assert rsps.calls[0].request.body == "paths=file.md&paths=1%2F2&paths=missing&expand=True"
    check_request(
        rsps.calls[1],
        "GET",
        f"{ENDPOINT}/api/models/a/b/tree/main/1%2F2?recursive=True&expand=True",
    )
    assert files[1].lastCommit == LAST_COMMIT


def test_list_files_info_follows_pages_verbatim(api, rsps):
    first = f"{ENDPOINT}/api/spaces/a/b/tree/v1"
    page2 = f"{ENDPOINT}/api/spaces/a/b/tree/v1?recursive=True&expand=False&cursor=Mg"
    page3 = f"{ENDPOINT}/api/spaces/a/b/tree/v1?cursor=Mw"  # opaque: no params re-added
    rsps.get(
        page2,
        json=[TREE[1]],
        headers=link(page3),
        match=[
            responses.matchers.query_param_matcher(
                {"recursive": "True", "expand": "False", "cursor": "Mg"}
            )
        ],
    )
    rsps.get(
        page3, json=[TREE[2]], match=[responses.matchers.query_param_matcher({"cursor": "Mw"})]
    )
    rsps.get(
        first,
        json=[TREE[0]],
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({"recursive": "True", "expand": "False"})],
    )
    files = api.list_files_info("a/b", repo_type="space", revision="v1")
    assert [f.rfilename for f in files] == ["file.md", "lfs.bin"]
    assert urls(rsps) == [first + "?recursive=True&expand=False", page2, page3]
    for call in rsps.calls:
        assert call.request.headers["authorization"].startswith("Bearer ")


def test_list_files_info_bad_path(api, rsps):
    rsps.post(
        f"{ENDPOINT}/api/models/a/b/paths-info/main", status=400, json={"error": "Invalid path"}
    )
    with pytest.raises(BadRequestError, match="Invalid path"):
        list(api.list_files_info("a/b", ""))


def test_list_files_info_error_on_later_page(api, rsps):
    page2 = f"{ENDPOINT}/api/models/a/b/tree/main?cursor=2"
    rsps.get(
        page2,
        status=404,
        headers={"X-Error-Code": "RevisionNotFound"},
        match=[responses.matchers.query_param_matcher({"cursor": "2"})],
    )
    rsps.get(
        f"{ENDPOINT}/api/models/a/b/tree/main",
        json=TREE[:1],
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({"recursive": "True", "expand": "False"})],
    )
    files = iter(api.list_files_info("a/b"))
    assert next(files).rfilename == "file.md"
    with pytest.raises(RevisionNotFoundError) as info:
        next(files)
    assert "cursor" not in str(info.value)


# -- list_repo_files -----------------------------------------------------------------------


def test_list_repo_files_two_pages(api, rsps):
    first = f"{ENDPOINT}/api/datasets/a/b/tree/refs%2Fconvert%2Fparquet"
    page2 = f"{first}?recursive=True&expand=False&cursor=abc"
    rsps.get(
        page2,
        json=[{"type": "file", "oid": "1" * 40, "size": 1, "path": "d/x.parquet"}],
        match=[
            responses.matchers.query_param_matcher(
                {"recursive": "True", "expand": "False", "cursor": "abc"}
            )
        ],
    )
    rsps.get(
        first,
        json=TREE,
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({"recursive": "True", "expand": "False"})],
    )
    names = api.list_repo_files(
        "a/b", repo_type="dataset", revision="refs/convert/parquet", timeout=7
    )
    assert names == ["file.md", "lfs.bin", "d/x.parquet"]
    check_request(rsps.calls[0], "GET", f"{first}?recursive=True&expand=False")
    assert [c.request.url for c in rsps.calls] == [f"{first}?recursive=True&expand=False", page2]
    # the timeout is honoured (the reference ignores it with a FutureWarning)
    assert [c.request.req_kwargs["timeout"] for c in rsps.calls] == [7, 7]


def test_list_repo_files_default_timeout_and_token(anon, rsps):
    rsps.get(f"{ENDPOINT}/api/models/gpt2/tree/main", json=[])
    assert anon.list_repo_files("gpt2") == []
    check_request(
        rsps.calls[0],
        "GET",
        f"{ENDPOINT}/api/models/gpt2/tree/main?recursive=True&expand=False",
        token=None,
    )
    assert rsps.calls[0].request.req_kwargs["timeout"] == (10.0, 60.0)
