"""Data classes: constructors, reprs, parsing, RepoUrl and repo reference parsing, dates."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest
from huggingface_hub import hf_api as ref

from hfapi import (
    CommitInfo,
    DatasetInfo,
    GitCommitInfo,
    GitRefInfo,
    GitRefs,
    ModelInfo,
    RepoFile,
    RepoUrl,
    SpaceInfo,
    UserLikes,
)
from hfapi import constants as hf_constants
from hfapi.models import parse_datetime, repo_type_and_id_from_hf_id

SHA = "e7da7f221d5bf496a48136c0cd264e630fe9fcc8"
MODEL = {
    "_id": "64a1f2c3d4e5f60718293a4b",
    "id": "alice/my-model",
    "modelId": "alice/my-model",
    "sha": SHA,
    "pipeline_tag": "text-classification",
    "tags": ["transformers", "bert"],
    "siblings": [
        {"rfilename": "a.bin", "blobId": "b" * 40, "size": 3, "lfs": {"sha256": "c" * 64}}
    ],
    "model-index": None,
    "key": "kept for models",
}


# -- reprs ---------------------------------------------------------------------------------


def test_repo_file_repr():
    assert repr(RepoFile("a.txt")) == (
        "RepoFile: {'blob_id': None, 'lfs': None, 'rfilename': 'a.txt', 'size': None}"
    )


def test_multi_line_repr():
    info = DatasetInfo(id="x", key="")
    assert repr(info) == (
        "DatasetInfo: { \n"
        "  {'author': None,\n"
        "   'cardData': None,\n"
        "   'citation': None,\n"
        "   'description': None,\n"
        "   'id': 'x',\n"
        "   'lastModified': None,\n"
        "   'private': False,\n"
        "   'sha': None,\n"
        "   'siblings': [],\n"
        "   'tags': None}\n"
        "}"
    )


@pytest.mark.parametrize(
    ("ours", "theirs", "kwargs"),
    [
        (ModelInfo, ref.ModelInfo, MODEL),
        (ModelInfo, ref.ModelInfo, {}),
        (DatasetInfo, ref.DatasetInfo, {"id": "d", "key": "", "siblings": [{"rfilename": "x"}]}),
        (SpaceInfo, ref.SpaceInfo, {"id": "s", "sdk": "gradio", "runtime": {"stage": "RUNNING"}}),
        (SpaceInfo, ref.SpaceInfo, {}),
        (RepoFile, ref.RepoFile, {"rfilename": "a", "blobId": "b", "security": {"safe": True}}),
    ],
)
def test_reprs_match_the_reference(ours, theirs, kwargs):
    assert repr(ours(**kwargs)) == repr(theirs(**kwargs))
    assert str(ours(**kwargs)) == str(theirs(**kwargs))


# -- info classes --------------------------------------------------------------------------


def test_model_info_fields_and_extras():
    info = ModelInfo(**MODEL)
    assert info.modelId == "alice/my-model"
    assert getattr(info, "model-index") is None
    assert info._id == "64a1f2c3d4e5f60718293a4b"
    assert info.key == "kept for models"
    (sibling,) = info.siblings
    assert isinstance(sibling, RepoFile)
    assert (sibling.rfilename, sibling.blob_id, sibling.size) == ("a.bin", "b" * 40, 3)
    assert sibling.lfs == {"sha256": "c" * 64}
    assert ModelInfo().siblings == [] and ModelInfo(siblings=None).siblings == []
    assert ModelInfo().private is False


def test_info_str():
    assert str(ModelInfo(**MODEL)) == (
        "Model Name: alice/my-model, Tags: ['transformers', 'bert'], Task: text-classification"
    )
    assert str(ModelInfo(modelId="m", tags=[], pipeline_tag="")) == "Model Name: m, Tags: []"
    assert str(DatasetInfo(id="d", tags=["t"])) == "Dataset Name: d, Tags: ['t']"


def test_dataset_info_drops_key_only():
    info = DatasetInfo(id="d", key="", paperswithcode_id=None, description="desc")
    assert not hasattr(info, "key")
    assert info.paperswithcode_id is None
    assert info.description == "desc"


def test_info_classes_are_mutable_and_compared_by_identity():
    a, b = ModelInfo(modelId="x"), ModelInfo(modelId="x")
    assert a != b and a == a
    a.modelId = "y"
    assert a.modelId == "y"


def test_info_constructors_are_keyword_only():
    with pytest.raises(TypeError):
        ModelInfo("x")
    with pytest.raises(TypeError):
        DatasetInfo("x")


def test_repo_file_constructor():
    positional = RepoFile("a.txt", 4, "b" * 40, {"size": 4, "sha256": "s", "pointer_size": 9})
    keyword = RepoFile(rfilename="a.txt", size=4, blobId="b" * 40, lfs=None, lastCommit={"id": "c"})
    assert (positional.rfilename, positional.size, positional.blob_id) == ("a.txt", 4, "b" * 40)
    assert positional.lfs["pointer_size"] == 9
    assert keyword.blob_id == "b" * 40
    assert keyword.lastCommit == {"id": "c"}
    assert not hasattr(keyword, "blobId")
    with pytest.raises(TypeError):
        RepoFile()
    with pytest.raises(TypeError):
        RepoFile("a", 1, "b", None, "extra")
    with pytest.raises(TypeError):
        RepoFile("a", rfilename="b")


# -- git dataclasses -----------------------------------------------------------------------

REF = {"name": "main", "ref": "refs/heads/main", "targetCommit": SHA, "extra": 1}
COMMIT = {
    "id": "9b865efde13a30c13e0a33e536cf3e4a5a9d71d8",
    "authors": [{"user": "system"}],
    "date": "2019-02-18T10:36:15.000Z",
    "title": "initial commit",
    "message": "",
}


def test_git_ref_info():
    info = GitRefInfo(REF)
    assert repr(info) == f"GitRefInfo(name='main', ref='refs/heads/main', target_commit='{SHA}')"
    assert info == GitRefInfo(dict(REF))
    assert info != GitRefInfo({**REF, "name": "dev"})
    with pytest.raises(TypeError):
        hash(info)
    with pytest.raises(KeyError):
        GitRefInfo({"name": "main", "ref": "refs/heads/main"})


def test_git_refs_repr():
    refs = GitRefs(branches=[GitRefInfo(REF)], converts=[], tags=[])
    assert repr(refs) == (
        f"GitRefs(branches=[GitRefInfo(name='main', ref='refs/heads/main', target_commit='{SHA}')],"
        " converts=[], tags=[])"
    )
    assert repr(refs) == repr(ref.GitRefs(branches=[ref.GitRefInfo(REF)], converts=[], tags=[]))


def test_git_commit_info():
    info = GitCommitInfo(COMMIT)
    assert repr(info) == (
        "GitCommitInfo(commit_id='9b865efde13a30c13e0a33e536cf3e4a5a9d71d8', authors=['system'],"
        " created_at=datetime.datetime(2019, 2, 18, 10, 36, 15, tzinfo=datetime.timezone.utc),"
        " title='initial commit', message='', formatted_title=None, formatted_message=None)"
    )
    formatted = GitCommitInfo({**COMMIT, "formatted": {"title": "<b>t</b>", "message": "<p/>"}})
    assert (formatted.formatted_title, formatted.formatted_message) == ("<b>t</b>", "<p/>")
    assert formatted != info
    assert info == GitCommitInfo(dict(COMMIT))
    for key in ("id", "authors", "date", "title", "message"):
        with pytest.raises(KeyError):
            GitCommitInfo({k: v for k, v in COMMIT.items() if k != key})


def test_commit_info_pull_request_fields():
    plain = CommitInfo("https://h/a/b/commit/1", "msg", "", "1" * 40)
    assert (plain.pr_url, plain.pr_revision, plain.pr_num) == (None, None, None)
    pr = CommitInfo(
        commit_url="u",
        commit_message="m",
        commit_description="",
        oid="o",
        pr_url="https://h/a/b/discussions/12",
    )
    assert (pr.pr_revision, pr.pr_num) == ("refs/pr/12", 12)
    assert repr(pr) == (
        "CommitInfo(commit_url='u', commit_message='m', commit_description='', oid='o',"
        " pr_url='https://h/a/b/discussions/12', pr_revision='refs/pr/12', pr_num=12)"
    )
    assert pr == CommitInfo("u", "m", "", "o", "https://h/a/b/discussions/12")
    assert pr != plain
    with pytest.raises(RuntimeError) as info:
        CommitInfo("u", "m", "", "o", pr_url="https://h/a/b/discussions/new")
    assert str(info.value) == (
        "Unexpected response from the hub, expected a Pull Request URL but got:"
        " 'https://h/a/b/discussions/new'"
    )


def test_user_likes():
    likes = UserLikes(user="u", total=1, datasets=[], models=["gpt2"], spaces=[])
    assert repr(likes) == "UserLikes(user='u', total=1, datasets=[], models=['gpt2'], spaces=[])"
    assert likes == UserLikes("u", 1, [], ["gpt2"], [])


# -- RepoUrl -------------------------------------------------------------------------------


def test_repo_url_attributes():
    url = RepoUrl("https://huggingface.co/gpt2", endpoint="https://huggingface.co")
    assert repr(url) == (
        "RepoUrl('https://huggingface.co/gpt2', endpoint='https://huggingface.co',"
        " repo_type='model', repo_id='gpt2')"
    )
    assert str(url) == "https://huggingface.co/gpt2" and url == "https://huggingface.co/gpt2"
    assert hash(url) == hash("https://huggingface.co/gpt2")
    assert type(url.url) is str and url.url == "https://huggingface.co/gpt2"
    assert (url.namespace, url.repo_name, url.repo_id) == (None, "gpt2", "gpt2")
    assert url + "/x" == "https://huggingface.co/gpt2/x"
    assert f"{url}" == "https://huggingface.co/gpt2"


def test_repo_url_local_endpoint_and_default():
    local = "http://127.0.0.1:8765"
    url = RepoUrl(f"{local}/spaces/alice/sp", endpoint=local)
    assert (url.endpoint, url.repo_type, url.namespace, url.repo_name, url.repo_id) == (
        local,
        "space",
        "alice",
        "sp",
        "alice/sp",
    )
    default = RepoUrl(f"{hf_constants.ENDPOINT}/datasets/a/d")
    assert default.endpoint == hf_constants.ENDPOINT
    assert default.repo_type == "dataset"
    with pytest.raises(ValueError):
        RepoUrl("http://localhost:8765/alice/repo/x/y", endpoint=local)


HUB = "https://huggingface.co"
ROWS = {
    f"{HUB}/id": (None, None, "id"),
    f"{HUB}/user/id": (None, "user", "id"),
    f"{HUB}/datasets/user/id": ("dataset", "user", "id"),
    f"{HUB}/spaces/user/id": ("space", "user", "id"),
    f"{HUB}/models/user/id": ("model", "user", "id"),
    f"{HUB}/datasets/squad": ("dataset", None, "squad"),
    "http://huggingface.co/user/repo": (None, "user", "repo"),
    "user/id": (None, "user", "id"),
    "id": (None, None, "id"),
    "dataset/user/id": ("dataset", "user", "id"),
    "space/user/id": ("space", "user", "id"),
    "datasets/squad": ("dataset", None, "squad"),
    "models/gpt2": ("model", None, "gpt2"),
    "hf://id": (None, None, "id"),
    "hf://user/id": (None, "user", "id"),
    "hf://model/user/name": ("model", "user", "name"),
    "hf://models/user/name": ("model", "user", "name"),
    "hf://datasets/user/repo": ("dataset", "user", "repo"),
}
ERRORS = {
    f"{HUB}/datasets/user/id@revision": "Unable to retrieve user and repo ID from the passed HF"
    f" ID: {HUB}/datasets/user/id@revision",
    "datasets/user/id/subpath": "Unable to retrieve user and repo ID from the passed HF ID:"
    " datasets/user/id/subpath",
    "a/b/c/d": "Unable to retrieve user and repo ID from the passed HF ID: a/b/c/d",
    f"{HUB}/user/repo/tree/main": f"Unknown `repo_type`: 'repo' ('{HUB}/user/repo/tree/main')",
    "hffs://model/user/name": "Unable to retrieve user and repo ID from the passed HF ID:"
    " hffs://model/user/name",
    "spaeces/user/id": "Unknown `repo_type`: 'spaeces' ('spaeces/user/id')",
    "https://unknown-endpoint.co/id": "Unable to retrieve user and repo ID from the passed HF"
    " ID: https://unknown-endpoint.co/id",
    "hf://foo/user/name": "Unknown `repo_type`: 'foo' ('hf://foo/user/name')",
}


@pytest.mark.parametrize(("hf_id", "expected"), sorted(ROWS.items()))
def test_repo_type_and_id_from_hf_id(hf_id, expected):
    assert repo_type_and_id_from_hf_id(hf_id, hub_url=HUB) == expected
    assert ref.repo_type_and_id_from_hf_id(hf_id, hub_url=HUB) == expected


@pytest.mark.parametrize(("hf_id", "message"), sorted(ERRORS.items()))
def test_repo_type_and_id_from_hf_id_errors(hf_id, message):
    with pytest.raises(ValueError) as info:
        repo_type_and_id_from_hf_id(hf_id, hub_url=HUB)
    assert str(info.value) == message
    with pytest.raises(ValueError) as theirs:
        ref.repo_type_and_id_from_hf_id(hf_id, hub_url=HUB)
    assert str(theirs.value) == message


# -- parse_datetime ------------------------------------------------------------------------

UTC = timezone.utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-08-19T07:19:38.123Z", datetime(2022, 8, 19, 7, 19, 38, 123000, tzinfo=UTC)),
        ("2022-08-19T07:19:00.1Z", datetime(2022, 8, 19, 7, 19, 0, 100000, tzinfo=UTC)),
        ("2022-08-19T07:19:00.123456Z", datetime(2022, 8, 19, 7, 19, 0, 123456, tzinfo=UTC)),
        ("2022-08-19T07:19:00.1234567Z", datetime(2022, 8, 19, 7, 19, 0, 123456, tzinfo=UTC)),
        ("2023-07-15T12:00:00Z", datetime(2023, 7, 15, 12, tzinfo=UTC)),
        ("2023-07-15T12:00:00+00:00", datetime(2023, 7, 15, 12, tzinfo=UTC)),
        ("2023-07-15T14:00:00.5+02:00", datetime(2023, 7, 15, 12, 0, 0, 500000, tzinfo=UTC)),
        ("2023-07-15T06:30:00-0530", datetime(2023, 7, 15, 12, tzinfo=UTC)),
        ("2023-12-31T23:30:00-01:00", datetime(2024, 1, 1, 0, 30, tzinfo=UTC)),
    ],
)
def test_parse_datetime(text, expected):
    parsed = parse_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2023-07-15",
        "yesterday",
        "2023-07-15T12:00:00.Z",
        "2023-07-15T12:00Z",
        "2023-07-15T12:00:00+2",
    ],
)
def test_parse_datetime_rejects(text):
    with pytest.raises(ValueError) as info:
        parse_datetime(text)
    assert str(info.value) == (
        f"Cannot parse '{text}' as a datetime. Date string is expected to follow"
        " '%Y-%m-%dT%H:%M:%S.%fZ' pattern."
    )


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
def test_parse_datetime_ignores_local_timezone(monkeypatch):
    try:
        for zone in ("Europe/Paris", "America/New_York", "Asia/Kolkata"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            assert parse_datetime("2023-07-15T12:00:00.000Z") == datetime(
                2023, 7, 15, 12, tzinfo=UTC
            )
            assert parse_datetime("2023-01-15T12:00:00.000Z").hour == 12
    finally:
        monkeypatch.undo()
        time.tzset()
    assert "TZ" not in os.environ or os.environ["TZ"] != "Asia/Kolkata"
