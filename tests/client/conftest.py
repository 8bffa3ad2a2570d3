"""Fixtures of the client wire tests: a strict mocked transport and clients that never sleep."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import responses
from _wire import ENDPOINT, TOKEN, SleepRecorder

import hfapi
from hfapi import HfApi, HfFolder
from hfapi import _session as session_module
from hfapi._session import HubSession


@pytest.fixture(autouse=True)
def _no_frameworks_no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    # The user-agent must not depend on what happens to be installed.
    monkeypatch.setattr(session_module, "_installed_frameworks", lambda: ())
    # No client may really sleep in a retry loop, even one a test builds itself (a
    # regression would otherwise cost ~20 s per test instead of failing fast).
    monkeypatch.setattr(hfapi._default_api._http, "sleep", SleepRecorder())
    original_init = HubSession.__init__

    def init_without_sleep(self: HubSession, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.sleep = SleepRecorder()

    monkeypatch.setattr(HubSession, "__init__", init_without_sleep)


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A strict mock transport: unexpected requests fail, registered ones must be used."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def api(sleeps: SleepRecorder) -> HfApi:
    """A client with an instance token whose retry waits are recorded, not slept."""
    client = HfApi(endpoint=ENDPOINT, token=TOKEN)
    client._http.sleep = sleeps
    client._http.random = lambda: 0.5
    return client


@pytest.fixture
def anon(sleeps: SleepRecorder) -> HfApi:
    """A client without instance token."""
    client = HfApi(endpoint=ENDPOINT)
    client._http.sleep = sleeps
    client._http.random = lambda: 0.5
    return client


@pytest.fixture
def stored_token() -> str:
    HfFolder.save_token("hf_stored_token")
    return "hf_stored_token"
