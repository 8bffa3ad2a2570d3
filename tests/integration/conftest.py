"""Fixtures of the integration tests: our client against the session's local Hub.

The plugin fixtures (``local_hub``, ``hub_user``, ``hf_api``) come from
``hfapi.hub.pytest_plugin``. Here: a repo per test, a second user, knobs changed for one
test only, and a log of every request the client sends.
"""

from __future__ import annotations

from typing import Callable, Iterator

import pytest
import requests

from hfapi import HfApi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import RequestLog


@pytest.fixture
def request_log(monkeypatch: pytest.MonkeyPatch) -> RequestLog:
    """Record every request our client sends (wraps ``requests.Session.send``)."""
    log = RequestLog()
    monkeypatch.setattr(requests.Session, "send", log.wrap(requests.Session.send))
    return log


@pytest.fixture
def hub_settings(local_hub: LocalHub) -> Iterator[Callable[..., None]]:
    """``hub_settings(knob=value, ...)`` for this test; every knob is restored afterwards."""
    saved = local_hub.settings.as_dict()
    try:
        yield local_hub.configure
    finally:
        local_hub.configure(**saved)


@pytest.fixture
def other_user(local_hub: LocalHub) -> HubUser:
    """A second user, who owns nothing of ``hub_user``'s."""
    return new_hub_user(local_hub, "other")


@pytest.fixture
def other_api(local_hub: LocalHub, other_user: HubUser) -> HfApi:
    return HfApi(endpoint=local_hub.url, token=other_user.token)


@pytest.fixture
def anonymous_api(local_hub: LocalHub) -> HfApi:
    """A client without token (the autouse ``clean_environ`` hides any stored one)."""
    return HfApi(endpoint=local_hub.url)


@pytest.fixture
def repo_id(hf_api: HfApi, hub_user: HubUser) -> str:
    """A new public model repo of ``hub_user`` (holding only ``.gitattributes``)."""
    hf_api.create_repo("repo")
    return f"{hub_user.name}/repo"
