"""Space management with our client against the local Hub: runtime stages on the hub's test
clock, secrets, hardware, sleep time, pause, restart and duplicate; a secret's value never
comes back in any answer, log line, dump or repr."""

from __future__ import annotations

import json
import logging
from typing import Any, List, Tuple

import pytest
import requests

from hfapi import (
    HfApi,
    HfHubHTTPError,
    RepositoryNotFoundError,
    SpaceHardware,
    SpaceRuntime,
    SpaceStage,
)
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

SECRET = "s3cr3t-value-that-must-never-be-seen"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(local_hub: LocalHub, monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(local_hub.backend.spaces, "clock", fake)
    return fake


@pytest.fixture
def exchanges(monkeypatch: pytest.MonkeyPatch) -> List[Tuple[str, str, str]]:
    """``(request body, response headers, response body)`` of every request sent."""
    seen: List[Tuple[str, str, str]] = []
    send = requests.Session.send

    def recording_send(
        session: requests.Session, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        response = send(session, request, **kwargs)
        body = request.body if isinstance(request.body, (bytes, str)) else b""
        sent = body.decode() if isinstance(body, bytes) else body
        seen.append((sent, json.dumps(dict(response.headers)), response.text))
        return response

    monkeypatch.setattr(requests.Session, "send", recording_send)
    return seen


@pytest.fixture
def space(hf_api: HfApi, hub_user: HubUser) -> str:
    space_id = f"{hub_user.name}/demo"
    hf_api.create_repo(space_id, repo_type="space", space_sdk="gradio")
    return space_id


def test_stages_follow_pushes_pause_and_restart(
    hf_api: HfApi, local_hub: LocalHub, space: str, clock: Clock
) -> None:
    build = local_hub.settings.as_dict()["space_build_seconds"]
    runtime = hf_api.get_space_runtime(space)
    assert isinstance(runtime, SpaceRuntime)
    assert (runtime.stage, runtime.hardware, runtime.requested_hardware) == (
        SpaceStage.NO_APP_FILE,
        None,
        SpaceHardware.CPU_BASIC,
    )
    hf_api.upload_file(
        path_or_fileobj=b"import gradio\n", path_in_repo="app.py", repo_id=space, repo_type="space"
    )
    assert hf_api.get_space_runtime(space).stage == SpaceStage.BUILDING
    clock.now += build
    running = hf_api.get_space_runtime(space)
    assert (running.stage, running.hardware) == (SpaceStage.RUNNING, SpaceHardware.CPU_BASIC)
    assert hf_api.space_info(space).runtime["stage"] == "RUNNING"

    paused = hf_api.pause_space(space)
    assert (paused.stage, paused.hardware) == (SpaceStage.PAUSED, None)
    clock.now += 10 * build
    assert hf_api.get_space_runtime(space).stage == SpaceStage.PAUSED
    restarted = hf_api.restart_space(space)
    assert restarted.stage in (SpaceStage.BUILDING, SpaceStage.RUNNING_BUILDING)
    clock.now += build
    assert hf_api.get_space_runtime(space).stage == SpaceStage.RUNNING


def test_hardware_and_sleep_time(
    hf_api: HfApi, local_hub: LocalHub, space: str, clock: Clock
) -> None:
    build = local_hub.settings.as_dict()["space_build_seconds"]
    hf_api.upload_file(
        path_or_fileobj=b"import gradio\n", path_in_repo="app.py", repo_id=space, repo_type="space"
    )
    clock.now += build
    with pytest.warns(UserWarning):  # a sleep time on free hardware: the Hub ignores it
        hf_api.set_space_sleep_time(space, 600)
    runtime = hf_api.request_space_hardware(space, SpaceHardware.T4_MEDIUM, sleep_time=3600)
    assert (runtime.hardware, runtime.requested_hardware, runtime.sleep_time) == (
        SpaceHardware.CPU_BASIC,
        SpaceHardware.T4_MEDIUM,
        3600,
    )
    clock.now += build
    assert hf_api.get_space_runtime(space).hardware == SpaceHardware.T4_MEDIUM
    assert hf_api.set_space_sleep_time(space, 900).sleep_time == 900


def test_secrets_are_write_only(
    hf_api: HfApi,
    local_hub: LocalHub,
    space: str,
    exchanges: List[Tuple[str, str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG):
        hf_api.add_space_secret(space, "API_KEY", SECRET)
        hf_api.add_space_secret(space, "API_KEY", SECRET + "-2")  # replaces it
        runtime = hf_api.get_space_runtime(space)
        info = hf_api.space_info(space)
        hf_api.delete_space_secret(space, "API_KEY")
        hf_api.delete_space_secret(space, "API_KEY")  # missing: still fine
    assert len(exchanges) == 6
    carrying = [sent for sent, _, _ in exchanges if SECRET in sent]
    assert len(carrying) == 2  # only the two requests that set it carry it
    assert all(SECRET not in headers + body for _, headers, body in exchanges)
    assert SECRET not in caplog.text
    assert SECRET not in repr(runtime) and SECRET not in repr(info)
    assert SECRET not in json.dumps(local_hub.dump())


def test_duplicate_copies_files_but_not_secrets(
    hf_api: HfApi, other_api: HfApi, other_user: HubUser, local_hub: LocalHub, space: str
) -> None:
    hf_api.upload_file(
        path_or_fileobj=b"import gradio\n", path_in_repo="app.py", repo_id=space, repo_type="space"
    )
    hf_api.add_space_secret(space, "API_KEY", SECRET)
    url = other_api.duplicate_space(space, private=True)
    copy = f"{other_user.name}/demo"
    assert url == f"{local_hub.url}/spaces/{copy}"
    assert other_api.space_info(copy).private is True
    assert other_api.list_repo_files(copy, repo_type="space") == [".gitattributes", "app.py"]
    with pytest.raises(HfHubHTTPError) as conflict:
        other_api.duplicate_space(space)
    assert conflict.value.response.status_code == 409
    assert other_api.duplicate_space(space, exist_ok=True) == url
    assert SECRET not in json.dumps(local_hub.dump())


def test_only_writers_manage_a_space(
    other_api: HfApi, hf_api: HfApi, hub_user: HubUser, space: str
) -> None:
    assert other_api.get_space_runtime(space).stage == SpaceStage.NO_APP_FILE  # reading is open
    for manage in (
        lambda: other_api.pause_space(space),
        lambda: other_api.restart_space(space),
        lambda: other_api.add_space_secret(space, "K", "v"),
        lambda: other_api.request_space_hardware(space, SpaceHardware.T4_SMALL),
    ):
        with pytest.raises(HfHubHTTPError) as denied:
            manage()
        assert denied.value.response.status_code == 403
    hf_api.create_repo(
        f"{hub_user.name}/hidden", repo_type="space", space_sdk="gradio", private=True
    )
    with pytest.raises(RepositoryNotFoundError):
        other_api.get_space_runtime(f"{hub_user.name}/hidden")
