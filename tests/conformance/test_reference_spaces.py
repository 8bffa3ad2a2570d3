"""Space management by huggingface_hub 0.16.4 (black box) against the local Hub: runtime
stages on the hub's test clock, secrets, hardware, sleep time, pause, restart, duplicate."""

from __future__ import annotations

from typing import Any

import pytest
from huggingface_hub import HfApi, SpaceHardware, SpaceRuntime, SpaceStage
from huggingface_hub.utils import BadRequestError, HfHubHTTPError, RepositoryNotFoundError

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

pytestmark = pytest.mark.conformance

SECRET = "hf_reference-secret-value-never-shown"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(hub: LocalHub, monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(hub.backend.spaces, "clock", fake)
    return fake


def test_space_lifecycle(api: Any, hub: LocalHub, user: HubUser, clock: Clock) -> None:
    build = hub.backend.settings.space_build_seconds
    space = f"{user.name}/demo"
    api.create_repo(space, repo_type="space", space_sdk="gradio")
    runtime = api.get_space_runtime(space)
    assert isinstance(runtime, SpaceRuntime)
    assert (runtime.stage, runtime.hardware, runtime.requested_hardware) == (
        SpaceStage.NO_APP_FILE,
        None,
        SpaceHardware.CPU_BASIC,
    )
    api.upload_file(
        path_or_fileobj=b"import gradio\n", path_in_repo="app.py", repo_id=space, repo_type="space"
    )
    assert api.get_space_runtime(space).stage == SpaceStage.BUILDING
    clock.now += build
    runtime = api.get_space_runtime(space)
    assert (runtime.stage, runtime.hardware) == (SpaceStage.RUNNING, "cpu-basic")
    assert api.space_info(space).runtime["stage"] == "RUNNING"

    api.add_space_secret(space, "HF_TOKEN", SECRET)
    api.add_space_secret(space, "HF_TOKEN", SECRET + "2")  # overwrites
    api.delete_space_secret(space, "HF_TOKEN")
    api.delete_space_secret(space, "HF_TOKEN")  # missing: still fine
    clock.now += build

    runtime = api.request_space_hardware(space, SpaceHardware.T4_MEDIUM, sleep_time=3600)
    assert (runtime.stage, runtime.hardware, runtime.requested_hardware, runtime.sleep_time) == (
        "RUNNING_BUILDING",
        "cpu-basic",
        "t4-medium",
        3600,
    )
    assert runtime.raw["replicas"] == {"current": 1, "requested": 1}
    clock.now += build
    assert api.get_space_runtime(space).hardware == "t4-medium"
    assert api.set_space_sleep_time(space, 600).sleep_time == 600
    assert api.set_space_sleep_time(space, -1).sleep_time is None

    paused = api.pause_space(space)
    assert (paused.stage, paused.hardware) == (SpaceStage.PAUSED, None)
    clock.now += build * 5
    assert api.get_space_runtime(space).stage == SpaceStage.PAUSED
    assert api.restart_space(space).stage in (SpaceStage.BUILDING, SpaceStage.RUNNING_BUILDING)
    clock.now += build
    assert api.get_space_runtime(space).stage == SpaceStage.RUNNING


def test_free_hardware_sleep_time_warns_and_stays_48h(api: Any, user: HubUser) -> None:
    space = f"{user.name}/free"
    api.create_repo(space, repo_type="space", space_sdk="streamlit")
    with pytest.warns(UserWarning):
        runtime = api.set_space_sleep_time(space, 3600)
    assert runtime.sleep_time == 48 * 3600
    with pytest.warns(UserWarning):
        runtime = api.request_space_hardware(space, "cpu-basic", sleep_time=300)
    assert runtime.sleep_time == 48 * 3600


def test_management_errors(api: Any, hub: LocalHub, user: HubUser, other: HubUser) -> None:
    static = f"{user.name}/site"
    api.create_repo(static, repo_type="space", space_sdk="static")
    with pytest.raises(BadRequestError):
        api.pause_space(static)
    with pytest.raises(BadRequestError):
        api.restart_space(static)
    stranger = HfApi(endpoint=hub.url, token=other.token)
    with pytest.raises(HfHubHTTPError) as denied:
        stranger.pause_space(static)
    assert denied.value.response.status_code == 403
    hidden = f"{user.name}/hidden"
    api.create_repo(hidden, repo_type="space", space_sdk="docker", private=True)
    with pytest.raises(RepositoryNotFoundError):
        stranger.restart_space(hidden)
    with pytest.raises(RepositoryNotFoundError):
        HfApi(endpoint=hub.url).get_space_runtime(hidden)
    with pytest.raises(RepositoryNotFoundError):
        stranger.add_space_secret(hidden, "K", SECRET)
    assert api.get_space_runtime(hidden).stage == "NO_APP_FILE"


def test_duplicate_space(api: Any, hub: LocalHub, user: HubUser, other: HubUser) -> None:
    source = f"{user.name}/orig"
    api.create_repo(source, repo_type="space", space_sdk="gradio")
    api.upload_file(
        path_or_fileobj=b"print(1)\n", path_in_repo="app.py", repo_id=source, repo_type="space"
    )
    api.request_space_hardware(source, "t4-small", sleep_time=1800)
    api.add_space_secret(source, "TOKEN", SECRET)
    stranger = HfApi(endpoint=hub.url, token=other.token)
    url = stranger.duplicate_space(source)
    assert (url.repo_id, url.repo_type, url.endpoint) == (f"{other.name}/orig", "space", hub.url)
    copy = stranger.space_info(url.repo_id)
    assert sorted(s.rfilename for s in copy.siblings) == [".gitattributes", "app.py"]
    assert copy.sdk == "gradio" and copy.private is False
    runtime = stranger.get_space_runtime(url.repo_id)
    assert (runtime.requested_hardware, runtime.sleep_time) == ("t4-small", 1800)
    named = stranger.duplicate_space(source, f"{other.name}/renamed", private=True)
    assert named.repo_id == f"{other.name}/renamed"
    assert stranger.space_info(named.repo_id).private is True
    with pytest.raises(HfHubHTTPError) as conflict:
        stranger.duplicate_space(source)
    assert conflict.value.response.status_code == 409
    again = stranger.duplicate_space(source, exist_ok=True)
    assert again.repo_id == f"{other.name}/orig"
    with pytest.raises(RepositoryNotFoundError):
        stranger.duplicate_space(f"{user.name}/missing")
    assert SECRET not in str(hub.backend.dump())
