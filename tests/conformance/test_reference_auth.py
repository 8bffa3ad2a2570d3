"""huggingface_hub 0.16.4 against the local Hub: gated repos and tokens the Hub does not know."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from huggingface_hub import HfApi
from huggingface_hub.utils import RepositoryNotFoundError

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from .conftest import reference_download

pytestmark = pytest.mark.conformance


def _gate(hub: LocalHub, user: HubUser, repo_id: str, repo_type: str = "model") -> None:
    response = requests.put(
        f"{hub.url}/api/{repo_type}s/{repo_id}/settings",
        json={"gated": "auto"},
        headers={"authorization": f"Bearer {user.token}"},
        timeout=30,
    )
    assert response.ok, response.text


def test_reference_download_of_gated_repo(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = f"{user.name}/gated"
    api.create_repo("gated")
    api.upload_file(path_or_fileobj=b"secret", path_in_repo="a.txt", repo_id=repo_id)
    api.create_repo("gated-data", repo_type="dataset")
    data_id = f"{user.name}/gated-data"
    api.upload_file(
        path_or_fileobj=b"rows", path_in_repo="d.csv", repo_id=data_id, repo_type="dataset"
    )
    _gate(hub, user, repo_id)
    _gate(hub, user, data_id, "dataset")
    stranger, granted = new_hub_user(hub), new_hub_user(hub)
    hub.grant_access(repo_id, granted.name)
    assert api.model_info(repo_id).gated == "auto"
    results = reference_download(
        hub,
        [
            (repo_id, "a.txt", None, None, stranger.token),
            (data_id, "d.csv", "dataset", None, stranger.token),
            (repo_id, "a.txt", None, None, granted.token),
            (repo_id, "a.txt", None, None, user.token),
        ],
    )
    model_text = (
        f"Access to model {repo_id} is restricted and you are not in the authorized list."
        f" Visit {hub.url}/{repo_id} to ask for access."
    )
    data_text = (
        f"Access to dataset {data_id} is restricted and you are not in the authorized list."
        f" Visit {hub.url}/datasets/{data_id} to ask for access."
    )
    for (kind, message), text in zip(results[:2], (model_text, data_text)):
        assert kind == "GatedRepoError"
        assert message.endswith(text)
        assert "Cannot access gated repo for url" in message
    assert results[2:] == [b"secret", b"secret"]


def test_unknown_token_reads_public_repos_as_anonymous(
    hub: LocalHub, api: Any, user: HubUser
) -> None:
    repo_id = f"{user.name}/public"
    api.create_repo("public")
    api.upload_file(path_or_fileobj=b"data", path_in_repo="a.txt", repo_id=repo_id)
    api.create_repo("hidden", private=True)
    stale = HfApi(endpoint=hub.url, token="hf_stale_token_the_hub_forgot")
    assert stale.model_info(repo_id).sha == api.model_info(repo_id).sha
    assert stale.list_repo_files(repo_id) == [".gitattributes", "a.txt"]
    assert [b.name for b in stale.list_repo_refs(repo_id).branches] == ["main"]
    assert len(stale.list_repo_commits(repo_id)) == 2
    assert [f.rfilename for f in stale.list_files_info(repo_id, "a.txt")] == ["a.txt"]
    stale_token = "hf_stale_token_the_hub_forgot"
    results = reference_download(hub, [(repo_id, "a.txt", None, None, stale_token)])
    assert results == [b"data"]
    with pytest.raises(RepositoryNotFoundError) as hidden:
        stale.model_info(f"{user.name}/hidden")
    assert hidden.value.response.status_code == 401
    with pytest.raises(RepositoryNotFoundError) as write:
        stale.upload_file(path_or_fileobj=b"x", path_in_repo="b.txt", repo_id=repo_id)
    assert write.value.response.status_code == 401
    assert "Invalid credentials in Authorization header" in str(write.value)
