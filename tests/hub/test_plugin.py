"""The pytest plugin's fixtures, used as a project's own tests would use them."""

from __future__ import annotations

from typing import Any

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser


def test_hub_user_is_fresh(local_hub: LocalHub, hub_user: HubUser) -> None:
    response = local_hub.handle(
        "GET", "/api/whoami-v2", [("Authorization", f"Bearer {hub_user.token}")]
    )
    assert response.status == 200
    assert hub_user.name.startswith("user-")


def test_hf_api_round_trip(hf_api: Any, hub_user: HubUser) -> None:
    assert hf_api.whoami()["name"] == hub_user.name
    url = hf_api.create_repo("demo")
    assert url.repo_id == f"{hub_user.name}/demo"
    assert hf_api.list_repo_files(f"{hub_user.name}/demo") == [".gitattributes"]
