"""Our client against the local Hub: repo ids in any case, and the Hub's order of checks."""

from __future__ import annotations

import secrets

import pytest

from hfapi import BadRequestError, CommitOperationAdd, HfApi, HfHubHTTPError, RevisionNotFoundError
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import content


def test_any_case_reaches_the_repo(hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser) -> None:
    repo_id = hf_api.create_repo(f"Mixed-{secrets.token_hex(3)}").repo_id
    commit = hf_api.create_commit(
        repo_id.lower(),
        [CommitOperationAdd("w.bin", b"\0" * 300), CommitOperationAdd("a.txt", b"A")],
        commit_message="lowercased",
    )
    assert commit.commit_url == f"{local_hub.url}/{repo_id}/commit/{commit.oid}"
    assert hf_api.repo_info(repo_id.upper()).id == repo_id
    assert content(local_hub, repo_id.upper(), "a.txt") == b"A"
    with pytest.raises(HfHubHTTPError) as conflict:
        hf_api.create_repo(repo_id.lower())
    assert conflict.value.response.status_code == 409
    assert hf_api.create_repo(repo_id.lower(), exist_ok=True).repo_id == repo_id
    authors = [c.authors for c in hf_api.list_repo_commits(repo_id.lower())]
    assert authors == [[hub_user.name], [hub_user.name]]


def test_revision_is_checked_before_names(hf_api: HfApi, repo_id: str) -> None:
    with pytest.raises(RevisionNotFoundError):
        hf_api.create_tag(repo_id, tag="invalid tag", revision="foobar")
    with pytest.raises(BadRequestError):
        hf_api.create_tag(repo_id, tag="invalid tag")
    with pytest.raises(RevisionNotFoundError):
        hf_api.create_branch(repo_id, branch="invalid branch", revision="foobar")
