"""Repository, ref, user and like methods of huggingface_hub 0.16.4 against the local Hub."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.utils import (
    BadRequestError,
    HfHubHTTPError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

pytestmark = pytest.mark.conformance


def test_whoami_and_token_permission(api: Any, hub: LocalHub, user: HubUser) -> None:
    org = f"org-{secrets.token_hex(3)}"
    hub.add_org(org, {user.name: "write"})
    me = api.whoami()
    assert (me["name"], me["type"], me["fullname"]) == (user.name, "user", f"Test user {user.name}")
    assert [o["name"] for o in me["orgs"]] == [org]
    assert isinstance(me["orgs"][0]["apiToken"], str)
    assert api.get_token_permission() == "write"
    assert api.get_token_permission(user.read_token) == "read"
    assert api.get_token_permission("hf_invalid") is None
    assert api.get_full_repo_name("model") == f"{user.name}/model"
    assert api.get_full_repo_name("model", organization=org) == f"{org}/model"


def test_create_repo_variants(api: Any, user: HubUser) -> None:
    url = api.create_repo("m", private=True)
    assert (url.repo_id, url.repo_type, url.endpoint) == (f"{user.name}/m", "model", api.endpoint)
    assert api.create_repo("m", exist_ok=True).repo_id == f"{user.name}/m"
    with pytest.raises(HfHubHTTPError) as conflict:
        api.create_repo("m")
    assert conflict.value.response.status_code == 409
    dataset = api.create_repo(f"{user.name}/d", repo_type="dataset")
    assert (dataset.repo_type, dataset.repo_id) == ("dataset", f"{user.name}/d")
    space = api.create_repo("s", repo_type="space", space_sdk="gradio", space_hardware="t4-small")
    assert space.repo_type == "space"
    info = api.space_info(f"{user.name}/s")
    assert info.sdk == "gradio"
    assert info.runtime["hardware"]["requested"] == "t4-small"
    assert api.model_info(f"{user.name}/m").private is True


def test_info_methods(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/info"
    api.create_repo("info")
    commit = api.create_commit(
        repo,
        [CommitOperationAdd("a.txt", b"hello\n"), CommitOperationAdd("w.bin", b"x" * 120)],
        commit_message="files",
    )
    model = api.model_info(repo, files_metadata=True, securityStatus=True)
    assert (model.modelId, model.sha, model.id) == (repo, commit.oid, repo)
    assert model.securityStatus == {"scansDone": True, "containsInfected": False}
    files = {sibling.rfilename: sibling for sibling in model.siblings}
    assert files["a.txt"].blob_id == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert files["a.txt"].lfs is None and files["a.txt"].size == 6
    assert files["w.bin"].blob_id == "67b85403189d5334b2beea11e4ba1da52a821023"
    assert files["w.bin"].lfs == {
        "sha256": "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98",
        "size": 120,
        "pointerSize": 128,
    }
    first = api.list_repo_commits(repo)[-1].commit_id
    assert api.repo_info(repo, revision=first).sha == first
    assert [s.rfilename for s in api.model_info(repo, revision=first).siblings] == [
        ".gitattributes"
    ]
    api.create_repo("ds", repo_type="dataset")
    assert api.dataset_info(f"{user.name}/ds").id == f"{user.name}/ds"
    assert api.repo_info(f"{user.name}/ds", repo_type="dataset").id == f"{user.name}/ds"
    with pytest.raises(RepositoryNotFoundError):
        api.model_info(f"{user.name}/missing")
    with pytest.raises(RevisionNotFoundError):
        api.model_info(repo, revision="nope")


def test_private_repos_for_other_clients(
    hub: LocalHub, api: Any, user: HubUser, other: HubUser
) -> None:
    api.create_repo("private", private=True)
    repo = f"{user.name}/private"
    for token in (other.token, False):
        stranger = HfApi(endpoint=hub.url, token=token)
        with pytest.raises(RepositoryNotFoundError):
            stranger.model_info(repo)
        with pytest.raises(RepositoryNotFoundError):
            stranger.list_repo_files(repo)
    assert api.model_info(repo, token=user.read_token).private is True


def test_listing_files(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/listing"
    api.create_repo("listing")
    operations = [CommitOperationAdd(f"dir/sub/f{i}.txt", b"%d" % i) for i in range(5)]
    operations.append(CommitOperationAdd("top.txt", b"top"))
    api.create_commit(repo, operations, commit_message="many files")
    expected = [".gitattributes", *[f"dir/sub/f{i}.txt" for i in range(5)], "top.txt"]
    assert api.list_repo_files(repo) == expected  # several pages of 4 entries
    infos = list(api.list_files_info(repo, ["top.txt", "dir", "missing"]))
    assert sorted(i.rfilename for i in infos) == [
        *[f"dir/sub/f{i}.txt" for i in range(5)],
        "top.txt",
    ]
    top = next(i for i in infos if i.rfilename == "top.txt")
    assert top.lastCommit["title"] == "many files"
    expanded = list(api.list_files_info(repo, expand=True))
    assert all(hasattr(i, "lastCommit") for i in expanded)
    with pytest.raises(BadRequestError):
        list(api.list_files_info(repo, [""]))


def test_refs_branches_and_tags(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/refs"
    api.create_repo("refs")
    initial = api.list_repo_commits(repo)[0].commit_id
    update = api.upload_file(path_or_fileobj=b"1", path_in_repo="f", repo_id=repo)
    assert update.endswith("/blob/main/f")
    api.create_branch(repo, branch="dev")
    api.create_branch(repo, branch="dev", exist_ok=True)
    api.create_branch(repo, branch="old", revision=initial)
    with pytest.raises(HfHubHTTPError):
        api.create_branch(repo, branch="dev")
    with pytest.raises(BadRequestError):
        api.create_branch(repo, branch="refs/pr/5")
    api.create_tag(repo, tag="v1.0", tag_message="first")
    api.create_tag(repo, tag="v1.0", exist_ok=True)
    api.create_tag(repo, tag="v0", revision="old")
    with pytest.raises(RevisionNotFoundError):
        api.create_tag(repo, tag="v9", revision="missing")
    refs = api.list_repo_refs(repo)
    head = api.model_info(repo).sha
    assert {b.name: b.target_commit for b in refs.branches} == {
        "main": head,
        "dev": head,
        "old": initial,
    }
    assert {t.name: t.target_commit for t in refs.tags} == {"v1.0": head, "v0": initial}
    assert refs.converts == []
    api.delete_branch(repo, branch="old")
    api.delete_tag(repo, tag="v0")
    with pytest.raises(RevisionNotFoundError):
        api.delete_tag(repo, tag="v0")
    with pytest.raises(HfHubHTTPError, match="Cannot delete refs/heads/main"):
        api.delete_branch(repo, branch="main")
    assert [b.name for b in api.list_repo_refs(repo).branches] == ["dev", "main"]


def test_commit_history_pagination(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/history"
    api.create_repo("history")
    for index in range(4):
        api.upload_file(
            path_or_fileobj=b"%d" % index,
            path_in_repo="f.txt",
            repo_id=repo,
            commit_message=f"<b>step {index}</b>",
            commit_description="body",
        )
    commits = api.list_repo_commits(repo, formatted=True)  # 5 commits, pages of 2
    assert [c.title for c in commits] == [f"<b>step {i}</b>" for i in (3, 2, 1, 0)] + [
        "initial commit"
    ]
    assert commits[0].formatted_title == "&lt;b&gt;step 3&lt;/b&gt;"
    assert commits[0].message == "body"
    assert commits[0].authors == [user.name] and commits[-1].authors == [user.name]
    assert commits[0].commit_id == api.model_info(repo).sha
    assert commits[-1].created_at.tzinfo is not None


def test_delete_move_visibility(api: Any, user: HubUser) -> None:
    api.create_repo("before")
    assert api.update_repo_visibility(f"{user.name}/before", private=True) == {
        "private": True,
        "gated": False,
        "discussionsDisabled": False,
    }
    assert api.update_repo_visibility("before", private=False)["private"] is False
    api.move_repo(f"{user.name}/before", f"{user.name}/after")
    assert api.model_info(f"{user.name}/after").id == f"{user.name}/after"
    api.create_repo("third")
    with pytest.raises(HfHubHTTPError, match="already exists"):
        api.move_repo(f"{user.name}/third", f"{user.name}/after")
    api.delete_repo(f"{user.name}/after")
    with pytest.raises(RepositoryNotFoundError):
        api.delete_repo(f"{user.name}/after")
    api.create_repo("ds", repo_type="dataset")
    api.delete_repo("ds", repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info(f"{user.name}/ds")


def test_likes(hub: LocalHub, api: Any, user: HubUser, other: HubUser) -> None:
    theirs = HfApi(endpoint=hub.url, token=other.token)
    theirs.create_repo("liked")
    theirs.create_repo("liked-ds", repo_type="dataset")
    theirs.create_repo("liked-space", repo_type="space", space_sdk="static")
    theirs.create_repo("hidden", private=True)
    api.like(f"{other.name}/liked")
    api.like(f"{other.name}/liked")
    api.like(f"{other.name}/liked-ds", repo_type="dataset")
    api.like(f"{other.name}/liked-space", repo_type="space")
    with pytest.raises(RepositoryNotFoundError):
        api.like(f"{other.name}/hidden")
    theirs.like(f"{other.name}/hidden")
    likes = api.list_liked_repos()  # 3 records over pages of 2
    assert (likes.user, likes.total) == (user.name, 3)
    assert likes.models == [f"{other.name}/liked"]
    assert likes.datasets == [f"{other.name}/liked-ds"]
    assert likes.spaces == [f"{other.name}/liked-space"]
    assert api.list_liked_repos(other.name).total == 0  # private likes are never listed
    assert api.model_info(f"{other.name}/liked").likes == 1
    api.unlike(f"{other.name}/liked")
    api.unlike(f"{other.name}/liked")
    assert api.model_info(f"{other.name}/liked").likes == 0
    with pytest.raises(RepositoryNotFoundError):
        api.unlike(f"{other.name}/nope")
