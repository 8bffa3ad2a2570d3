"""A session-scoped local Hub with small limits, users and repos for each test."""

from __future__ import annotations

from typing import Iterator

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import SMALL_LIMITS, Http


@pytest.fixture(scope="session")
def hub() -> Iterator[LocalHub]:
    with LocalHub(**SMALL_LIMITS) as local_hub:
        yield local_hub


@pytest.fixture(scope="session")
def http(hub: LocalHub) -> Http:
    return Http(hub)


@pytest.fixture
def user(hub: LocalHub) -> HubUser:
    return new_hub_user(hub)


@pytest.fixture
def other(hub: LocalHub) -> HubUser:
    return new_hub_user(hub, "other")


@pytest.fixture
def repo(http: Http, user: HubUser) -> str:
    """A fresh public model repo of ``user``; returns its id."""
    response = http.create_repo(user.token, "repo")
    assert response.status_code == 200, response.text
    return f"{user.name}/repo"
