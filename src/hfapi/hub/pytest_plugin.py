"""pytest fixtures for testing Hub code against a local Hub (entry point ``pytest11``).

Installed with hfapi, so any project's tests can use them without a ``conftest.py``:

``local_hub`` (session scope)
    A running :class:`~hfapi.hub.LocalHub` on ``127.0.0.1`` with a temporary data
    directory, shared by the whole test session (one server per xdist worker). State is
    *not* reset between tests, for speed: use ``hub_user`` to work in a fresh namespace.

``hub_user`` (function scope)
    A :class:`HubUser` created for this test only: ``name`` (a fresh namespace),
    ``token`` (write) and ``read_token`` (read).

``hf_api`` (function scope)
    ``hfapi.HfApi(endpoint=local_hub.url, token=hub_user.token)``.

Example::

    def test_round_trip(hf_api, hub_user):
        hf_api.create_repo("demo")
        hf_api.upload_file(path_or_fileobj=b"hi", path_in_repo="a.txt",
                           repo_id=f"{hub_user.name}/demo")
        assert hf_api.list_repo_files(f"{hub_user.name}/demo") == [".gitattributes", "a.txt"]
"""

from __future__ import annotations

import dataclasses
import itertools
import secrets
from typing import TYPE_CHECKING, Any, Iterator

import pytest

if TYPE_CHECKING:
    from .server import LocalHub

_counter = itertools.count(1)


@dataclasses.dataclass(frozen=True)
class HubUser:
    """A user made for one test.

    Attributes:
        name: the user name, which is also its namespace.
        token: a write token.
        read_token: a read-only token.
    """

    name: str
    token: str
    read_token: str


@pytest.fixture(scope="session")
def local_hub() -> Iterator[LocalHub]:
    """A local Hub serving for the whole test session."""
    from .server import LocalHub

    with LocalHub() as hub:
        yield hub


def new_hub_user(hub: LocalHub, prefix: str = "user") -> HubUser:
    """Create a user with a unique name, a write token and a read token."""
    name = f"{prefix}-{next(_counter)}-{secrets.token_hex(3)}"
    token = hub.add_user(name, fullname=f"Test user {name}")
    return HubUser(name, token, hub.add_token(name, "read"))


@pytest.fixture
def hub_user(local_hub: LocalHub) -> HubUser:
    """A fresh user (and namespace) for this test."""
    return new_hub_user(local_hub)


@pytest.fixture
def hf_api(local_hub: LocalHub, hub_user: HubUser) -> Any:
    """An ``hfapi.HfApi`` talking to the local Hub as ``hub_user``."""
    from hfapi import HfApi

    return HfApi(endpoint=local_hub.url, token=hub_user.token)
