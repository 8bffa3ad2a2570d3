"""Wire tests of refs and history: list_repo_refs, list_repo_commits, branches, tags."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import responses
from _wire import ENDPOINT, check_request, link, urls

from hfapi import (
    BadRequestError,
    GitCommitInfo,
    GitRefInfo,
    GitRefs,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

JSON = "application/json"
REFS = {
    "branches": [
        {
            "name": "main",
            "ref": "refs/heads/main",
            "targetCommit": "e7da7f221d5bf496a48136c0cd264e630fe9fcc8",
        }
    ],
    "converts": [
        {
            "name": "parquet",
            "ref": "refs/convert/parquet",
            "targetCommit": "18edc1591d9ce72aa82f56c4431b3c969b210ae3",
        }
    ],
    "tags": [
        {
            "name": "v1.0",
            "ref": "refs/tags/v1.0",
            "targetCommit": "c37a8cd1e382064d8aced5e05543c5f7753834da",
        }
    ],
    "pullRequests": [],
}
NEW = {
    "id": "8a3b0c" + "0" * 34,
    "title": "Upload on_main.txt with huggingface_hub",
    "message": "",
    "authors": [{"user": "alice", "avatar": "https://x/a.png"}, {"user": "bob"}],
    "date": "2023-07-03T12:34:56.000Z",
    "formatted": {"title": "<p>Upload on_main.txt</p>", "message": ""},
}
INITIAL = {
    "id": "9b865efde13a30c13e0a33e536cf3e4a5a9d71d8",
    "title": "initial commit",
    "message": "",
    "authors": [{"user": "system"}],
    "date": "2019-02-18T10:36:15.000Z",
}


# -- list_repo_refs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo_type", "path"), [(None, "models"), ("dataset", "datasets"), ("space", "spaces")]
)
def test_list_repo_refs(api, rsps, repo_type, path):
    rsps.get(f"{ENDPOINT}/api/{path}/a/b/refs", json=REFS)
    refs = api.list_repo_refs("a/b", repo_type=repo_type)
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/{path}/a/b/refs")
    assert refs == GitRefs(
        branches=[GitRefInfo(REFS["branches"][0])],
        converts=[GitRefInfo(REFS["converts"][0])],
        tags=[GitRefInfo(REFS["tags"][0])],
    )
    assert refs.tags[0].name == "v1.0"
    assert refs.converts[0].ref == "refs/convert/parquet"
    assert refs.branches[0].target_commit == "e7da7f221d5bf496a48136c0cd264e630fe9fcc8"


def test_list_repo_refs_missing_repo(anon, rsps):
    rsps.get(
        f"{ENDPOINT}/api/models/a/b/refs",
        status=401,
        json={"error": "Invalid username or password."},
    )
    with pytest.raises(RepositoryNotFoundError):
        anon.list_repo_refs("a/b")


# -- list_repo_commits ---------------------------------------------------------------------


def test_list_repo_commits(api, rsps):
    rsps.get(f"{ENDPOINT}/api/models/a/b/commits/main", json=[INITIAL])
    (commit,) = api.list_repo_commits("a/b")
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/models/a/b/commits/main")
    assert isinstance(commit, GitCommitInfo)
    assert commit == GitCommitInfo(INITIAL)
    assert commit.commit_id == INITIAL["id"]
    assert commit.authors == ["system"]
    assert commit.created_at == datetime(2019, 2, 18, 10, 36, 15, tzinfo=timezone.utc)
    assert (commit.title, commit.message) == ("initial commit", "")
    assert (commit.formatted_title, commit.formatted_message) == (None, None)


def test_list_repo_commits_formatted_revision_and_pages(api, rsps):
    first = f"{ENDPOINT}/api/datasets/a/b/commits/refs%2Fpr%2F1"
    page2 = f"{ENDPOINT}/api/datasets/a/b/commits/refs%2Fpr%2F1?expand%5B%5D=formatted&p=1"
    page3 = f"{ENDPOINT}/api/datasets/a/b/commits/refs%2Fpr%2F1?p=2"
    rsps.get(
        page2,
        json=[NEW],
        headers=link(page3),
        match=[responses.matchers.query_param_matcher({"expand[]": "formatted", "p": "1"})],
    )
    rsps.get(page3, json=[INITIAL], match=[responses.matchers.query_param_matcher({"p": "2"})])
    rsps.get(
        first,
        json=[NEW],
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({"expand[]": "formatted"})],
    )
    commits = api.list_repo_commits(
        "a/b", repo_type="dataset", revision="refs/pr/1", formatted=True
    )
    assert urls(rsps) == [first + "?expand%5B%5D=formatted", page2, page3]
    assert [c.title for c in commits] == [NEW["title"], NEW["title"], "initial commit"]
    assert commits[0].authors == ["alice", "bob"]
    assert commits[0].formatted_title == "<p>Upload on_main.txt</p>"
    assert commits[0].formatted_message == ""


def test_list_repo_commits_unknown_revision(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/models/a/b/commits/nope",
        status=404,
        headers={"X-Error-Code": "RevisionNotFound"},
    )
    with pytest.raises(RevisionNotFoundError):
        api.list_repo_commits("a/b", revision="nope")


# -- branches ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("revision", "body"), [(None, b"{}"), ("refs/pr/2", b'{"startingPoint": "refs/pr/2"}')]
)
def test_create_branch(api, rsps, revision, body):
    url = f"{ENDPOINT}/api/models/a/b/branch/feat%2Fx"
    rsps.post(url, json={})
    assert api.create_branch("a/b", branch="feat/x", revision=revision) is None
    check_request(rsps.calls[0], "POST", url, body=body, content_type=JSON)


def test_create_branch_dataset(api, rsps):
    rsps.post(f"{ENDPOINT}/api/datasets/a/b/branch/dev", body="")
    api.create_branch("a/b", branch="dev", repo_type="dataset")


def test_create_branch_conflict(api, rsps):
    url = f"{ENDPOINT}/api/models/a/b/branch/dev"
    rsps.post(url, status=409, json={"error": "Reference already exists"})
    with pytest.raises(HfHubHTTPError, match="Reference already exists") as info:
        api.create_branch("a/b", branch="dev")
    assert info.value.response.status_code == 409
    assert api.create_branch("a/b", branch="dev", exist_ok=True) is None
    assert len(rsps.calls) == 2


def test_create_branch_invalid_name(api, rsps):
    rsps.post(
        f"{ENDPOINT}/api/models/a/b/branch/refs%2Fpr%2F5",
        status=400,
        json={"error": "Invalid reference for a branch"},
    )
    with pytest.raises(BadRequestError, match="Invalid reference for a branch"):
        api.create_branch("a/b", branch="refs/pr/5", exist_ok=True)


@pytest.mark.parametrize("kwargs", [{"branch": 3}, {"branch": "b", "revision": 3}])
def test_create_branch_type_checks(api, rsps, kwargs):
    with pytest.raises(TypeError):
        api.create_branch("a/b", **kwargs)


@pytest.mark.parametrize(("repo_type", "path"), [(None, "models"), ("space", "spaces")])
def test_delete_branch(api, rsps, repo_type, path):
    url = f"{ENDPOINT}/api/{path}/a/b/branch/feat%2Fx"
    rsps.delete(url, body="")
    assert api.delete_branch("a/b", branch="feat/x", repo_type=repo_type) is None
    check_request(rsps.calls[0], "DELETE", url)
    assert rsps.calls[0].request.headers["Content-Length"] == "0"


def test_delete_main_branch_refused(api, rsps):
    rsps.delete(
        f"{ENDPOINT}/api/models/a/b/branch/main",
        status=403,
        json={"error": "Cannot delete refs/heads/main"},
    )
    with pytest.raises(HfHubHTTPError, match="Cannot delete refs/heads/main"):
        api.delete_branch("a/b", branch="main")


# -- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "target", "body"),
    [
        ({}, "main", b'{"tag": "v1.0"}'),
        (
            {"revision": "refs/pr/1", "tag_message": "msg"},
            "refs%2Fpr%2F1",
            b'{"tag": "v1.0", "message": "msg"}',
        ),
        ({"revision": "dev"}, "dev", b'{"tag": "v1.0"}'),
    ],
)
def test_create_tag(api, rsps, kwargs, target, body):
    url = f"{ENDPOINT}/api/models/a/b/tag/{target}"
    rsps.post(url, body="")
    assert api.create_tag("a/b", tag="v1.0", **kwargs) is None
    check_request(rsps.calls[0], "POST", url, body=body, content_type=JSON)


def test_create_tag_conflict_and_exist_ok(api, rsps):
    url = f"{ENDPOINT}/api/datasets/a/b/tag/main"
    rsps.post(url, status=409, json={"error": "Tag already exists"})
    with pytest.raises(HfHubHTTPError, match="Tag already exists"):
        api.create_tag("a/b", tag="v1", repo_type="dataset")
    api.create_tag("a/b", tag="v1", repo_type="dataset", exist_ok=True)


def test_create_tag_unknown_revision_even_with_exist_ok(api, rsps):
    rsps.post(
        f"{ENDPOINT}/api/models/a/b/tag/nope",
        status=404,
        headers={"X-Error-Code": "RevisionNotFound"},
    )
    with pytest.raises(RevisionNotFoundError):
        api.create_tag("a/b", tag="v1", revision="nope", exist_ok=True)


@pytest.mark.parametrize(
    "kwargs", [{"tag": 1}, {"tag": "t", "tag_message": 2}, {"tag": "t", "revision": 3}]
)
def test_create_tag_type_checks(api, rsps, kwargs):
    with pytest.raises(TypeError):
        api.create_tag("a/b", **kwargs)


def test_delete_tag(api, rsps):
    url = f"{ENDPOINT}/api/models/a/b/tag/v%2F1"
    rsps.delete(url, body="")
    assert api.delete_tag("a/b", tag="v/1") is None
    check_request(rsps.calls[0], "DELETE", url)


def test_delete_missing_tag(api, rsps):
    rsps.delete(
        f"{ENDPOINT}/api/models/a/b/tag/v9",
        status=404,
        headers={"X-Error-Code": "RevisionNotFound"},
    )
    with pytest.raises(RevisionNotFoundError):
        api.delete_tag("a/b", tag="v9")
