"""huggingface_hub 0.16.4 against the local Hub: repo id case, authorship, order of checks,
and how paths that read two ways are routed."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import requests
from huggingface_hub import CommitOperationAdd, HfApi
from huggingface_hub.utils import BadRequestError, HfHubHTTPError, RevisionNotFoundError

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

pytestmark = pytest.mark.conformance


def test_repo_ids_are_case_insensitive(hub: LocalHub, api: Any, user: HubUser) -> None:
    # As the reference's own regression test: create with capitals, commit lowercased.
    repo_id = api.create_repo(f"REPO-{secrets.token_hex(3)}").repo_id
    commit = api.create_commit(
        repo_id=repo_id.lower(),
        operations=[
            CommitOperationAdd(path_in_repo="Readme.md", path_or_fileobj=b"this is a file"),
            CommitOperationAdd(path_in_repo="w.bin", path_or_fileobj=b"\0weights" * 200),
        ],
        commit_message="Add files",
    )
    assert commit.commit_url == f"{hub.url}/{repo_id}/commit/{commit.oid}"
    info = api.model_info(repo_id.upper(), files_metadata=True)
    assert info.id == repo_id
    assert {s.rfilename: s.lfs is not None for s in info.siblings} == {
        ".gitattributes": False,
        "Readme.md": False,
        "w.bin": True,
    }
    assert api.list_repo_files(repo_id.lower()) == [".gitattributes", "Readme.md", "w.bin"]
    assert [c.authors for c in api.list_repo_commits(repo_id.lower())] == [[user.name]] * 2
    api.create_tag(repo_id.upper(), tag="v1")
    assert [t.name for t in api.list_repo_refs(repo_id.lower()).tags] == ["v1"]
    downloads = reference_download(hub, [(repo_id.lower(), "w.bin", None, "v1", user.token)])
    assert downloads == [b"\0weights" * 200]


def test_a_case_variant_is_taken(api: Any, user: HubUser) -> None:
    api.create_repo("Model")
    with pytest.raises(HfHubHTTPError) as conflict:
        api.create_repo("model")
    assert conflict.value.response.status_code == 409
    # exist_ok reads the 409's url: the existing repo, in the casing it was created with.
    assert api.create_repo("MODEL", exist_ok=True).repo_id == f"{user.name}/Model"


def test_create_tag_checks_the_revision_before_the_tag_name(api: Any, user: HubUser) -> None:
    repo_id = api.create_repo("tags").repo_id
    with pytest.raises(RevisionNotFoundError):
        api.create_tag(repo_id, tag="invalid tag", revision="foobar")
    with pytest.raises(BadRequestError):
        api.create_tag(repo_id, tag="invalid tag")
    with pytest.raises(RevisionNotFoundError):
        api.create_branch(repo_id, branch="invalid branch", revision="foobar")


def test_hidden_repos_do_not_change_routing(hub: LocalHub, other: HubUser) -> None:
    name = f"canon-{secrets.token_hex(3)}"
    hub.create_repo(name, files={"data.txt": "the model"})
    hub.create_repo(name, repo_type="dataset", files={"data.txt": "the dataset"})
    owner = hub.add_user(name)  # owns a private "<name>/refs"
    created = requests.post(
        f"{hub.url}/api/repos/create",
        json={"name": "refs", "private": True},
        headers={"authorization": f"Bearer {owner}"},
        timeout=30,
    )
    assert created.status_code == 200, created.text
    hub.create_repo(f"datasets/{name}", files={"data.txt": "a model in 'datasets'"})
    for token in (other.token, False):
        refs = HfApi(endpoint=hub.url, token=token).list_repo_refs(name)
        assert [branch.name for branch in refs.branches] == ["main"]
    assert reference_download(hub, [(name, "data.txt", "dataset", None, None)]) == [b"the dataset"]
