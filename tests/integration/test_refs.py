"""Refs and history: list_repo_refs, list_repo_commits, branches and tags."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

import pytest

from hfapi import (
    BadRequestError,
    CommitOperationAdd,
    GitRefInfo,
    GitRefs,
    HfApi,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import RequestLog, content


def status_of(error: HfHubHTTPError) -> int:
    assert error.response is not None
    return error.response.status_code


def test_list_repo_refs(hf_api: HfApi, repo_id: str) -> None:
    initial = hf_api.model_info(repo_id).sha
    refs = hf_api.list_repo_refs(repo_id)
    assert refs == GitRefs(
        branches=[GitRefInfo({"name": "main", "ref": "refs/heads/main", "targetCommit": initial})],
        converts=[],
        tags=[],
    )
    head = hf_api.create_commit(
        repo_id, [CommitOperationAdd("f.txt", b"f")], commit_message="f"
    ).oid
    hf_api.create_branch(repo_id, branch="old", revision=initial)
    hf_api.create_tag(repo_id, tag="v1")
    hf_api.create_commit(repo_id, [], commit_message="a PR", create_pr=True)
    refs = hf_api.list_repo_refs(repo_id)
    assert sorted((b.name, b.ref, b.target_commit) for b in refs.branches) == [
        ("main", "refs/heads/main", head),
        ("old", "refs/heads/old", initial),
    ]
    assert [(t.name, t.ref, t.target_commit) for t in refs.tags] == [("v1", "refs/tags/v1", head)]
    assert refs.converts == []  # pull-request refs are not listed


def test_create_and_delete_branches(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    initial = hf_api.model_info(repo_id).sha
    head = hf_api.create_commit(
        repo_id, [CommitOperationAdd("f.txt", b"v1")], commit_message="f"
    ).oid
    hf_api.create_tag(repo_id, tag="t-initial", revision=initial)
    hf_api.create_branch(repo_id, branch="dev")
    hf_api.create_branch(repo_id, branch="from-commit", revision=initial)
    hf_api.create_branch(repo_id, branch="from-short", revision=head[:8])
    hf_api.create_branch(repo_id, branch="from-tag", revision="t-initial")
    hf_api.create_branch(repo_id, branch="from-branch", revision="dev")
    hf_api.create_branch(repo_id, branch="feature/x")
    branches = {b.name: b.target_commit for b in hf_api.list_repo_refs(repo_id).branches}
    assert branches == {
        "main": head,
        "dev": head,
        "from-commit": initial,
        "from-short": head,
        "from-tag": initial,
        "from-branch": head,
        "feature/x": head,
    }
    hf_api.create_branch(repo_id, branch="dev", exist_ok=True)
    hf_api.create_branch(repo_id, branch="dev", revision=initial, exist_ok=True)
    assert hf_api.model_info(repo_id, revision="dev").sha == head  # not moved
    with pytest.raises(HfHubHTTPError, match="Reference already exists") as exists:
        hf_api.create_branch(repo_id, branch="dev")
    assert status_of(exists.value) == 409
    with pytest.raises(HfHubHTTPError) as main:
        hf_api.create_branch(repo_id, branch="main")
    assert status_of(main.value) == 409
    with pytest.raises(BadRequestError):
        hf_api.create_branch(repo_id, branch="refs/pr/5")
    with pytest.raises(RevisionNotFoundError):
        hf_api.create_branch(repo_id, branch="nowhere", revision="missing")

    # A commit on a branch moves only that branch; downloads follow it.
    hf_api.upload_file(path_or_fileobj=b"v2", path_in_repo="f.txt", repo_id=repo_id, revision="dev")
    assert content(local_hub, repo_id, "f.txt", "dev") == b"v2"
    assert content(local_hub, repo_id, "f.txt", "feature/x") == b"v1"
    assert content(local_hub, repo_id, "f.txt") == b"v1"

    hf_api.delete_branch(repo_id, branch="from-commit")
    hf_api.delete_branch(repo_id, branch="feature/x")
    with pytest.raises(RevisionNotFoundError):
        hf_api.delete_branch(repo_id, branch="from-commit")
    with pytest.raises(HfHubHTTPError, match="Cannot delete refs/heads/main"):
        hf_api.delete_branch(repo_id, branch="main")
    with pytest.raises(RevisionNotFoundError):
        hf_api.model_info(repo_id, revision="from-commit")
    assert sorted(b.name for b in hf_api.list_repo_refs(repo_id).branches) == [
        "dev",
        "from-branch",
        "from-short",
        "from-tag",
        "main",
    ]
    assert hf_api.model_info(repo_id).sha == head


def test_create_and_delete_tags(hf_api: HfApi, repo_id: str, local_hub: LocalHub) -> None:
    initial = hf_api.model_info(repo_id).sha
    head = hf_api.upload_file(path_or_fileobj=b"1", path_in_repo="f.txt", repo_id=repo_id)
    head_oid = hf_api.model_info(repo_id).sha
    assert head.endswith("/blob/main/f.txt")
    hf_api.create_tag(repo_id, tag="v1.0", tag_message="first release")
    hf_api.create_tag(repo_id, tag="v0", revision=initial)
    hf_api.create_tag(repo_id, tag="v1.0", exist_ok=True)
    with pytest.raises(HfHubHTTPError) as exists:
        hf_api.create_tag(repo_id, tag="v1.0", revision=initial)
    assert status_of(exists.value) == 409
    with pytest.raises(RevisionNotFoundError):
        hf_api.create_tag(repo_id, tag="v9", revision="missing")
    with pytest.raises(BadRequestError):
        hf_api.create_tag(repo_id, tag="bad tag")

    pr = hf_api.create_commit(
        repo_id, [CommitOperationAdd("pr.txt", b"pr")], commit_message="pr", create_pr=True
    )
    hf_api.create_tag(repo_id, tag="on-pr", revision=pr.pr_revision, tag_message="tagged PR")
    tags = {t.name: t.target_commit for t in hf_api.list_repo_refs(repo_id).tags}
    assert tags == {"v1.0": head_oid, "v0": initial, "on-pr": pr.oid}
    assert content(local_hub, repo_id, "pr.txt", "on-pr") == b"pr"
    assert hf_api.list_repo_files(repo_id, revision="v0") == [".gitattributes"]

    hf_api.delete_tag(repo_id, tag="v0")
    with pytest.raises(RevisionNotFoundError):
        hf_api.delete_tag(repo_id, tag="v0")
    with pytest.raises(RevisionNotFoundError):
        hf_api.model_info(repo_id, revision="v0")
    with pytest.raises(RepositoryNotFoundError):
        hf_api.create_tag(f"{repo_id}-missing", tag="x")
    assert sorted(t.name for t in hf_api.list_repo_refs(repo_id).tags) == ["on-pr", "v1.0"]


def test_refs_of_a_dataset(hf_api: HfApi, hub_user: HubUser) -> None:
    repo = hf_api.create_repo("refs-ds", repo_type="dataset").repo_id
    hf_api.create_branch(repo, branch="dev", repo_type="dataset")
    hf_api.create_tag(repo, tag="v1", repo_type="dataset")
    refs = hf_api.list_repo_refs(repo, repo_type="dataset")
    assert sorted(b.name for b in refs.branches) == ["dev", "main"]
    assert [t.name for t in refs.tags] == ["v1"]
    hf_api.delete_branch(repo, branch="dev", repo_type="dataset")
    hf_api.delete_tag(repo, tag="v1", repo_type="dataset")
    refs = hf_api.list_repo_refs(repo, repo_type="dataset")
    assert ([b.name for b in refs.branches], refs.tags) == (["main"], [])
    with pytest.raises(RepositoryNotFoundError):
        hf_api.list_repo_refs(repo)  # not a model


def test_list_repo_commits(
    hf_api: HfApi,
    repo_id: str,
    hub_user: HubUser,
    request_log: RequestLog,
    hub_settings: Callable,
) -> None:
    hub_settings(commits_page_size=2)
    before = datetime.now(timezone.utc) - timedelta(minutes=1)
    initial = hf_api.model_info(repo_id).sha
    oids = []
    for index in range(4):
        info = hf_api.create_commit(
            repo_id,
            [CommitOperationAdd("f.txt", b"%d" % index)],
            commit_message=f"<b>step {index}</b>",
            commit_description=f"body {index}" if index % 2 else None,
        )
        oids.append(info.oid)
    request_log.clear()
    commits = hf_api.list_repo_commits(repo_id)
    assert len(request_log.matching("GET", lambda s: "/commits/" in s.path)) == 3  # 5 by 2
    assert [c.commit_id for c in commits[:4]] == oids[::-1]
    assert [c.title for c in commits] == [f"<b>step {i}</b>" for i in (3, 2, 1, 0)] + [
        "initial commit"
    ]
    assert [c.message for c in commits[:4]] == ["body 3", "", "body 1", ""]
    assert commits[0].authors == [hub_user.name]
    assert commits[-1].authors == [hub_user.name]  # the creator, as on the Hub
    assert commits[-1].commit_id == initial
    assert commits[0].commit_id == hf_api.model_info(repo_id).sha
    assert all(c.formatted_title is None and c.formatted_message is None for c in commits)
    for commit in commits:
        assert commit.created_at.tzinfo is not None
        assert before <= commit.created_at <= datetime.now(timezone.utc) + timedelta(minutes=1)
    assert [c.created_at for c in commits] == sorted((c.created_at for c in commits), reverse=True)

    formatted = hf_api.list_repo_commits(repo_id, formatted=True)
    assert formatted[0].formatted_title == "&lt;b&gt;step 3&lt;/b&gt;"
    assert formatted[0].title == "<b>step 3</b>"
    assert formatted[0].formatted_message is not None and "body 3" in formatted[0].formatted_message

    hf_api.create_branch(repo_id, branch="old", revision=oids[1])
    old = hf_api.list_repo_commits(repo_id, revision="old")
    assert [c.commit_id for c in old[:2]] == [oids[1], oids[0]] and len(old) == 3
    assert [c.commit_id for c in hf_api.list_repo_commits(repo_id, revision=oids[0])][:1] == [
        oids[0]
    ]
    with pytest.raises(RevisionNotFoundError):
        hf_api.list_repo_commits(repo_id, revision="missing")
