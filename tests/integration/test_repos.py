"""Repository management and info methods of our client against the local Hub."""

from __future__ import annotations

from functools import partial

import pytest

from hfapi import (
    BadRequestError,
    CommitOperationAdd,
    DatasetInfo,
    HfApi,
    HfHubHTTPError,
    ModelInfo,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    SpaceInfo,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import content, download, git_blob_id, lfs_pointer, sha256

MOVE_HINT = "https://hf.co/docs/hub/repositories-settings#renaming-or-transferring-a-repo"


def test_create_repo_returns_the_hub_url(
    hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser
) -> None:
    url = hf_api.create_repo("m", private=True)
    assert url == f"{local_hub.url}/{hub_user.name}/m"
    assert (url.endpoint, url.repo_type, url.repo_id, url.namespace, url.repo_name) == (
        local_hub.url,
        "model",
        f"{hub_user.name}/m",
        hub_user.name,
        "m",
    )
    info = hf_api.model_info(f"{hub_user.name}/m")
    assert info.private is True
    commits = hf_api.list_repo_commits(f"{hub_user.name}/m")
    assert [(c.title, c.authors) for c in commits] == [("initial commit", [hub_user.name])]
    assert info.sha == commits[0].commit_id
    assert hf_api.list_repo_files(f"{hub_user.name}/m") == [".gitattributes"]
    assert b"*.bin filter=lfs diff=lfs merge=lfs -text" in content(
        local_hub, f"{hub_user.name}/m", ".gitattributes", token=hub_user.token
    )


def test_create_repo_exist_ok(hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser) -> None:
    first = hf_api.create_repo(f"{hub_user.name}/twice")
    hf_api.upload_file(path_or_fileobj=b"kept", path_in_repo="k.txt", repo_id=first.repo_id)
    again = hf_api.create_repo("twice", exist_ok=True)
    assert again == first and again.repo_id == first.repo_id
    assert hf_api.list_repo_files(first.repo_id) == [".gitattributes", "k.txt"]
    with pytest.raises(HfHubHTTPError) as conflict:
        hf_api.create_repo("twice")
    assert conflict.value.response is not None and conflict.value.response.status_code == 409
    assert "already" in str(conflict.value)


def test_create_dataset_and_space(hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser) -> None:
    dataset = hf_api.create_repo("d", repo_type="dataset")
    assert dataset == f"{local_hub.url}/datasets/{hub_user.name}/d"
    assert (dataset.repo_type, dataset.repo_id) == ("dataset", f"{hub_user.name}/d")
    space = hf_api.create_repo(
        "s", repo_type="space", space_sdk="streamlit", space_hardware="t4-small"
    )
    assert space == f"{local_hub.url}/spaces/{hub_user.name}/s"
    assert space.repo_type == "space"
    info = hf_api.space_info(f"{hub_user.name}/s")
    assert isinstance(info, SpaceInfo)
    assert info.sdk == "streamlit"
    assert info.runtime["hardware"]["requested"] == "t4-small"
    # Same names, other types: three distinct repos.
    hf_api.create_repo("d")
    assert isinstance(hf_api.repo_info(f"{hub_user.name}/d"), ModelInfo)
    assert isinstance(hf_api.repo_info(f"{hub_user.name}/d", repo_type="dataset"), DatasetInfo)
    with pytest.raises(ValueError, match="space_sdk"):
        hf_api.create_repo("nosdk", repo_type="space")
    with pytest.raises(ValueError, match="Unsupported repo type"):
        hf_api.repo_info(f"{hub_user.name}/d", repo_type="bucket")
    with pytest.raises(RepositoryNotFoundError):
        hf_api.space_info(f"{hub_user.name}/nosdk")


def test_delete_repo(hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser) -> None:
    repo = hf_api.create_repo("gone").repo_id
    hf_api.upload_file(path_or_fileobj=b"bye", path_in_repo="f.txt", repo_id=repo)
    hf_api.delete_repo(repo)
    with pytest.raises(RepositoryNotFoundError):
        hf_api.model_info(repo)
    assert download(local_hub, repo, "f.txt", token=hub_user.token).status_code == 404
    with pytest.raises(RepositoryNotFoundError):
        hf_api.delete_repo(repo)
    hf_api.create_repo("ds", repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        hf_api.delete_repo("ds")  # a model of that name does not exist
    hf_api.delete_repo("ds", repo_type="dataset")
    with pytest.raises(RepositoryNotFoundError):
        hf_api.dataset_info(f"{hub_user.name}/ds")
    # The name is free again.
    assert hf_api.create_repo("gone").repo_id == repo
    assert hf_api.list_repo_files(repo) == [".gitattributes"]


def test_update_repo_visibility(
    hf_api: HfApi, anonymous_api: HfApi, other_api: HfApi, hub_user: HubUser
) -> None:
    repo = hf_api.create_repo("vis").repo_id
    answer = hf_api.update_repo_visibility(repo, private=True)
    assert answer["private"] is True
    assert hf_api.model_info(repo).private is True
    for stranger in (anonymous_api, other_api):
        with pytest.raises(RepositoryNotFoundError):
            stranger.model_info(repo)
    # Without namespace: whoami supplies it.
    assert hf_api.update_repo_visibility("vis", private=False)["private"] is False
    assert anonymous_api.model_info(repo).private is False
    hf_api.create_repo("vis", repo_type="dataset")
    hf_api.update_repo_visibility("vis", True, repo_type="dataset")
    assert hf_api.dataset_info(repo).private is True
    assert hf_api.model_info(repo).private is False
    with pytest.raises(RepositoryNotFoundError):
        hf_api.update_repo_visibility("missing", private=True)


def test_move_repo(hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser) -> None:
    name = hub_user.name
    hf_api.create_repo("before")
    hf_api.upload_file(path_or_fileobj=b"moved", path_in_repo="m.txt", repo_id=f"{name}/before")
    hf_api.move_repo(f"{name}/before", f"{name}/after")
    assert hf_api.model_info(f"{name}/after").id == f"{name}/after"
    assert content(local_hub, f"{name}/after", "m.txt") == b"moved"
    # The old id redirects reads to the new one (307), which the client follows.
    assert hf_api.model_info(f"{name}/before").id == f"{name}/after"
    assert hf_api.list_repo_files(f"{name}/before") == [".gitattributes", "m.txt"]
    assert [b.name for b in hf_api.list_repo_refs(f"{name}/before").branches] == ["main"]
    assert len(hf_api.list_repo_commits(f"{name}/before")) == 2
    assert content(local_hub, f"{name}/before", "m.txt") == b"moved"
    hf_api.create_repo("third")
    with pytest.raises(HfHubHTTPError, match="already exists") as conflict:
        hf_api.move_repo(f"{name}/third", f"{name}/after")
    assert conflict.value.response is not None and conflict.value.response.status_code == 409
    assert MOVE_HINT in str(conflict.value)
    with pytest.raises(HfHubHTTPError) as missing:
        hf_api.move_repo(f"{name}/nothing", f"{name}/somewhere")
    assert MOVE_HINT in str(missing.value)
    with pytest.raises(ValueError, match="It should have a namespace"):
        hf_api.move_repo("third", f"{name}/x")
    hf_api.create_repo("data", repo_type="dataset")
    hf_api.move_repo(f"{name}/data", f"{name}/data2", repo_type="dataset")
    assert hf_api.dataset_info(f"{name}/data2").id == f"{name}/data2"


def test_info_sha_siblings_and_files_metadata(
    hf_api: HfApi, repo_id: str, local_hub: LocalHub
) -> None:
    regular, weights = b"hello\n", b"x" * 120
    commit = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("a.txt", regular), CommitOperationAdd("w.bin", weights)],
        commit_message="files",
    )
    info = hf_api.model_info(repo_id)
    assert (info.id, info.modelId, info.sha, info.private) == (repo_id, repo_id, commit.oid, False)
    assert sorted(s.rfilename for s in info.siblings) == [".gitattributes", "a.txt", "w.bin"]
    assert all(s.blob_id is None and s.size is None for s in info.siblings)

    detailed = hf_api.model_info(repo_id, files_metadata=True)
    files = {s.rfilename: s for s in detailed.siblings}
    assert (files["a.txt"].blob_id, files["a.txt"].size, files["a.txt"].lfs) == (
        "ce013625030ba8dba906f756967f9e9ca394464a",
        6,
        None,
    )
    assert files["w.bin"].blob_id == git_blob_id(lfs_pointer(weights))
    assert files["w.bin"].blob_id == "67b85403189d5334b2beea11e4ba1da52a821023"
    assert files["w.bin"].size == 120
    assert files["w.bin"].lfs == {"sha256": sha256(weights), "size": 120, "pointerSize": 128}
    gitattributes = content(local_hub, repo_id, ".gitattributes")
    assert files[".gitattributes"].blob_id == git_blob_id(gitattributes)
    assert files[".gitattributes"].size == len(gitattributes)
    assert hf_api.repo_info(repo_id, files_metadata=True).sha == commit.oid
    scanned = hf_api.model_info(repo_id, securityStatus=True, files_metadata=True)
    assert scanned.securityStatus == {"scansDone": True, "containsInfected": False}
    assert {s.rfilename: s.blob_id for s in scanned.siblings} == {
        name: sibling.blob_id for name, sibling in files.items()
    }


def test_info_at_revisions(hf_api: HfApi, repo_id: str) -> None:
    initial = hf_api.model_info(repo_id).sha
    first = hf_api.upload_file(path_or_fileobj=b"1", path_in_repo="one.txt", repo_id=repo_id)
    first_oid = hf_api.list_repo_commits(repo_id)[0].commit_id
    hf_api.create_tag(repo_id, tag="v1")
    hf_api.create_branch(repo_id, branch="frozen")
    pr = hf_api.create_commit(
        repo_id,
        [CommitOperationAdd("pr.txt", b"pr")],
        commit_message="proposal",
        create_pr=True,
    )
    head = hf_api.create_commit(
        repo_id, [CommitOperationAdd("two.txt", b"2")], commit_message="two"
    ).oid
    assert first.endswith("/blob/main/one.txt")
    expected = {
        None: (head, [".gitattributes", "one.txt", "two.txt"]),
        "main": (head, [".gitattributes", "one.txt", "two.txt"]),
        "v1": (first_oid, [".gitattributes", "one.txt"]),
        "frozen": (first_oid, [".gitattributes", "one.txt"]),
        first_oid: (first_oid, [".gitattributes", "one.txt"]),
        first_oid[:7]: (first_oid, [".gitattributes", "one.txt"]),
        initial: (initial, [".gitattributes"]),
        "refs/pr/1": (pr.oid, [".gitattributes", "one.txt", "pr.txt"]),
        pr.pr_revision: (pr.oid, [".gitattributes", "one.txt", "pr.txt"]),
    }
    for revision, (sha, names) in expected.items():
        info = hf_api.model_info(repo_id, revision=revision)
        assert info.sha == sha, revision
        assert sorted(s.rfilename for s in info.siblings) == names, revision
    for missing in ("nope", "refs/pr/9", "0" * 40):
        with pytest.raises(RevisionNotFoundError):
            hf_api.model_info(repo_id, revision=missing)


def test_missing_and_private_repos_look_the_same(
    hf_api: HfApi, anonymous_api: HfApi, other_api: HfApi, hub_user: HubUser
) -> None:
    hf_api.create_repo("secret", private=True)
    hf_api.upload_file(
        path_or_fileobj=b"s", path_in_repo="s.txt", repo_id=f"{hub_user.name}/secret"
    )
    secret, missing = f"{hub_user.name}/secret", f"{hub_user.name}/missing"
    for client, status in ((anonymous_api, 401), (other_api, 404)):
        for repo in (secret, missing):
            calls = [
                partial(client.model_info, repo),
                partial(client.repo_info, repo, revision="main"),
                partial(client.list_repo_files, repo),
                lambda c=client, r=repo: list(c.list_files_info(r, "s.txt")),
                partial(client.list_repo_refs, repo),
                partial(client.list_repo_commits, repo),
            ]
            for call in calls:
                with pytest.raises(RepositoryNotFoundError) as caught:
                    call()
                response = caught.value.response
                assert response is not None and response.status_code == status
                assert response.headers["X-Error-Code"] == "RepoNotFound"
    # The owner sees it, with a read token too.
    assert hf_api.model_info(secret, token=hub_user.read_token).private is True
    with pytest.raises(RepositoryNotFoundError):
        hf_api.dataset_info(secret)  # wrong type: not found


@pytest.mark.parametrize("who", ["read token", "another user"])
def test_writes_without_rights_are_refused(
    local_hub: LocalHub, hf_api: HfApi, repo_id: str, hub_user: HubUser, who: str
) -> None:
    if who == "read token":
        token = hub_user.read_token
    else:
        token = local_hub.add_user(f"{hub_user.name}-stranger")
    writer = HfApi(endpoint=local_hub.url, token=token)
    writes = [
        partial(writer.create_repo, f"{hub_user.name}/nope"),
        partial(writer.delete_repo, repo_id),
        partial(writer.update_repo_visibility, repo_id, private=True),
        partial(writer.move_repo, repo_id, f"{hub_user.name}/renamed"),
        partial(writer.create_branch, repo_id, branch="b"),
        partial(writer.create_tag, repo_id, tag="t"),
        partial(writer.upload_file, path_or_fileobj=b"r", path_in_repo="r.txt", repo_id=repo_id),
        partial(writer.delete_file, ".gitattributes", repo_id),
    ]
    for write in writes:
        with pytest.raises(HfHubHTTPError) as denied:
            write()
        assert not isinstance(denied.value, (RepositoryNotFoundError, BadRequestError))
        assert denied.value.response is not None and denied.value.response.status_code == 403
    # Nothing changed.
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]
    assert [b.name for b in hf_api.list_repo_refs(repo_id).branches] == ["main"]
    assert hf_api.list_repo_refs(repo_id).tags == []
    assert hf_api.model_info(repo_id).private is False
    assert len(hf_api.list_repo_commits(repo_id)) == 1
    with pytest.raises(RepositoryNotFoundError):
        hf_api.model_info(f"{hub_user.name}/nope")
