"""Our client against the local Hub: gated repos, stale tokens, Hub-style account names,
knobs that survive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from hfapi import GatedRepoError, HfApi, RepositoryNotFoundError
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user
from hfapi.utils import hf_raise_for_status

from ._helpers import download

STALE = "hf_stale_token_the_hub_forgot"


def _gate(local_hub: LocalHub, hub_user: HubUser, repo_id: str, mode: str = "auto") -> None:
    response = requests.put(
        f"{local_hub.url}/api/models/{repo_id}/settings",
        json={"gated": mode},
        headers={"authorization": f"Bearer {hub_user.token}"},
        timeout=30,
    )
    assert response.ok, response.text


def test_gated_repo_raises_gated_repo_error(
    hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser, repo_id: str
) -> None:
    hf_api.upload_file(path_or_fileobj=b"weights", path_in_repo="w.txt", repo_id=repo_id)
    _gate(local_hub, hub_user, repo_id, "manual")
    assert hf_api.model_info(repo_id).gated == "manual"
    stranger = new_hub_user(local_hub)
    refused = download(local_hub, repo_id, "w.txt", token=stranger.token)
    with pytest.raises(GatedRepoError) as caught:
        hf_raise_for_status(refused)
    message = str(caught.value)
    assert "Cannot access gated repo for url" in message
    assert (
        f"Access to model {repo_id} is restricted and you are not in the authorized list."
        f" Visit {local_hub.url}/{repo_id} to ask for access."
    ) in message
    assert isinstance(caught.value, RepositoryNotFoundError)  # as in the reference
    local_hub.grant_access(repo_id, stranger.name)
    assert download(local_hub, repo_id, "w.txt", token=stranger.token).content == b"weights"
    # update_repo_visibility keeps the gating mode (it only sends "private").
    assert hf_api.update_repo_visibility(repo_id, private=False)["gated"] == "manual"


def test_stale_token_reads_public_repos(
    hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser, repo_id: str
) -> None:
    hf_api.upload_file(path_or_fileobj=b"data", path_in_repo="a.txt", repo_id=repo_id)
    stale = HfApi(endpoint=local_hub.url, token=STALE)
    assert stale.model_info(repo_id).sha == hf_api.model_info(repo_id).sha
    assert stale.list_repo_files(repo_id) == [".gitattributes", "a.txt"]
    assert [f.rfilename for f in stale.list_files_info(repo_id, "a.txt")] == ["a.txt"]
    assert download(local_hub, repo_id, "a.txt", token=STALE).content == b"data"
    hf_api.create_repo("hidden", private=True)
    with pytest.raises(RepositoryNotFoundError) as hidden:
        stale.model_info(f"{hub_user.name}/hidden")
    assert hidden.value.response is not None and hidden.value.response.status_code == 401
    assert STALE not in str(hidden.value)
    with pytest.raises(RepositoryNotFoundError):
        stale.upload_file(path_or_fileobj=b"x", path_in_repo="b.txt", repo_id=repo_id)


def test_hub_style_account_names_work_end_to_end(local_hub: LocalHub) -> None:
    name = "__DUMMY_TRANSFORMERS_USER__"
    if local_hub.backend.identity.account_kind(name) is None:
        local_hub.add_user(name)
    api = HfApi(endpoint=local_hub.url, token=local_hub.add_token(name, "write"))
    assert api.whoami()["name"] == name
    url = api.create_repo("dummy-repo", exist_ok=True)
    assert url.repo_id == f"{name}/dummy-repo"
    api.upload_file(path_or_fileobj=b"x", path_in_repo="x.txt", repo_id=url.repo_id)
    assert "x.txt" in api.list_repo_files(url.repo_id)


def test_knobs_survive_a_restart(tmp_path: Path) -> None:
    with LocalHub(data_dir=tmp_path) as first:
        token = first.token
        first.configure(reject_unknown_tokens=True)
        HfApi(endpoint=first.url, token=token).create_repo("public")
    with LocalHub(data_dir=tmp_path) as second:
        stale = HfApi(endpoint=second.url, token=STALE)
        with pytest.raises(RepositoryNotFoundError):  # the strict rule came back
            stale.model_info("hub-user/public")
        assert HfApi(endpoint=second.url).model_info("hub-user/public").id == "hub-user/public"
