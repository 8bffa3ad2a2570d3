"""Space management over plain HTTP: runtime stages on a test clock, hardware, sleep time,
pause/restart, write-only secrets, duplication, permissions and privacy."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.backend.spaces import FREE_SLEEP_SECONDS
from hfapi.hub.pytest_plugin import HubUser
from hfapi.hub.storage import STATE_TABLES

from ._helpers import Http, add_file, add_lfs


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(hub: LocalHub, monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(hub.backend.spaces, "clock", fake)
    return fake


@pytest.fixture
def build_seconds(hub: LocalHub) -> int:
    return int(hub.backend.settings.space_build_seconds)


def create_space(http: Http, token: str, name: str, sdk: str = "gradio", **fields: Any) -> str:
    response = http.create_repo(token, name, type="space", sdk=sdk, **fields)
    assert response.status_code == 200, response.text
    return str(response.json()["name"])


def push(http: Http, token: str, space: str, files: Dict[str, bytes]) -> None:
    operations = [add_file(path, data) for path, data in files.items()]
    response = http.commit(token, space, operations, repo_type="space")
    assert response.status_code == 200, response.text


def runtime(http: Http, space: str, token: Optional[str] = None) -> Dict[str, Any]:
    response = http("GET", f"/api/spaces/{space}/runtime", token)
    assert response.status_code == 200, response.text
    body: Dict[str, Any] = response.json()
    return body


def stage(http: Http, space: str) -> str:
    return str(runtime(http, space)["stage"])


def manage(
    http: Http, token: Optional[str], space: str, action: str, **body: Any
) -> requests.Response:
    return http("POST", f"/api/spaces/{space}/{action}", token, json=body or None)


def error_of(response: requests.Response) -> tuple:  # type: ignore[type-arg]
    return response.status_code, response.headers.get("X-Error-Code"), response.json()["error"]


@pytest.fixture
def running(http: Http, user: HubUser, clock: Clock, build_seconds: int) -> str:
    """A gradio Space of ``user`` running on free hardware."""
    space = create_space(http, user.token, "demo")
    push(http, user.token, space, {"app.py": b"import gradio\n"})
    clock.advance(build_seconds)
    assert stage(http, space) == "RUNNING"
    return space


# -- stages -----------------------------------------------------------------------------------


def test_a_new_space_builds_its_app_then_runs(
    http: Http, user: HubUser, clock: Clock, build_seconds: int
) -> None:
    space = create_space(http, user.token, "demo")
    assert runtime(http, space) == {
        "stage": "NO_APP_FILE",
        "hardware": {"current": None, "requested": "cpu-basic"},
        "storage": None,
        "gcTimeout": FREE_SLEEP_SECONDS,
        "replicas": {"current": 0, "requested": 1},
    }
    push(http, user.token, space, {"README.md": b"# demo"})
    assert stage(http, space) == "NO_APP_FILE"
    push(http, user.token, space, {"app.py": b"import gradio\n"})
    assert runtime(http, space)["hardware"] == {"current": None, "requested": "cpu-basic"}
    clock.advance(build_seconds - 1)
    assert stage(http, space) == "BUILDING"
    clock.advance(1)
    found = runtime(http, space)
    assert (found["stage"], found["hardware"]["current"]) == ("RUNNING", "cpu-basic")
    # Space info carries the same runtime object.
    assert http("GET", f"/api/spaces/{space}").json()["runtime"] == found


@pytest.mark.parametrize(
    ("sdk", "app", "other"),
    [
        ("gradio", "app.py", "Dockerfile"),
        ("streamlit", "app.py", "index.html"),
        ("docker", "Dockerfile", "app.py"),
        ("static", "index.html", "app.py"),
    ],
)
def test_each_sdk_has_its_app_file(
    http: Http, user: HubUser, clock: Clock, build_seconds: int, sdk: str, app: str, other: str
) -> None:
    space = create_space(http, user.token, f"s-{sdk}", sdk=sdk)
    push(http, user.token, space, {other: b"not the app"})
    assert stage(http, space) == "NO_APP_FILE"
    push(http, user.token, space, {app: b"the app"})
    assert stage(http, space) == "BUILDING"
    clock.advance(build_seconds)
    assert stage(http, space) == "RUNNING"


def test_a_push_while_running_rebuilds_and_removing_the_app_stops_it(
    http: Http, user: HubUser, running: str, clock: Clock, build_seconds: int
) -> None:
    push(http, user.token, running, {"app.py": b"import gradio as gr\n"})
    assert runtime(http, running)["hardware"]["current"] == "cpu-basic"
    assert stage(http, running) == "RUNNING_BUILDING"
    clock.advance(build_seconds)
    assert stage(http, running) == "RUNNING"
    push(http, user.token, running, {"other.txt": b"x"})
    assert stage(http, running) == "RUNNING_BUILDING"  # every push to main rebuilds
    response = http.commit(
        user.token,
        running,
        [{"key": "deletedFile", "value": {"path": "app.py"}}],
        repo_type="space",
    )
    assert response.ok, response.text
    assert stage(http, running) == "NO_APP_FILE"


def test_pushes_to_other_branches_do_not_build(http: Http, user: HubUser, clock: Clock) -> None:
    space = create_space(http, user.token, "demo")
    assert http("POST", f"/api/spaces/{space}/branch/dev", user.token).ok
    response = http.commit(
        user.token, space, [add_file("app.py", b"x")], revision="dev", repo_type="space"
    )
    assert response.ok, response.text
    assert stage(http, space) == "NO_APP_FILE"


def test_a_merged_pull_request_starts_a_build(
    http: Http, user: HubUser, clock: Clock, build_seconds: int
) -> None:
    space = create_space(http, user.token, "demo")
    opened = http.commit(
        user.token, space, [add_file("app.py", b"x")], repo_type="space", create_pr=True
    )
    assert opened.ok, opened.text
    merged = http("POST", f"/api/spaces/{space}/discussions/1/merge", user.token)
    assert merged.ok, merged.text
    assert stage(http, space) == "BUILDING"
    clock.advance(build_seconds)
    assert stage(http, space) == "RUNNING"


def test_build_errors_from_an_empty_app_the_knob_or_the_admin(
    http: Http, hub: LocalHub, user: HubUser, clock: Clock, build_seconds: int
) -> None:
    space = create_space(http, user.token, "demo")
    push(http, user.token, space, {"app.py": b""})
    assert stage(http, space) == "BUILD_ERROR"
    push(http, user.token, space, {"app.py": b"fixed"})
    assert stage(http, space) == "BUILDING"
    hub.configure(space_build_error=True)
    try:
        assert manage(http, user.token, space, "restart").json()["stage"] == "BUILD_ERROR"
    finally:
        hub.configure(space_build_error=False)
    assert manage(http, user.token, space, "restart").json()["stage"] == "BUILDING"
    clock.advance(build_seconds)
    admin = hub.admin_token
    forced = http("POST", f"/_hub/spaces/{space}/stage", admin, json={"stage": "RUNTIME_ERROR"})
    assert forced.json()["stage"] == "RUNTIME_ERROR", forced.text
    assert runtime(http, space)["hardware"]["current"] is None
    bad = http("POST", f"/_hub/spaces/{space}/stage", admin, json={"stage": "RUNNING"})
    assert bad.status_code == 400
    denied = http("POST", f"/_hub/spaces/{space}/stage", user.token, json={"stage": "STOPPED"})
    assert denied.status_code in (401, 403)
    assert manage(http, user.token, space, "restart").json()["stage"] == "BUILDING"


# -- hardware and sleep time ------------------------------------------------------------------


def test_hardware_requests_rebuild_on_the_new_hardware(
    http: Http, user: HubUser, running: str, clock: Clock, build_seconds: int
) -> None:
    answer = manage(http, user.token, running, "hardware", flavor="t4-medium")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "stage": "RUNNING_BUILDING",
        "hardware": {"current": "cpu-basic", "requested": "t4-medium"},
        "storage": None,
        "gcTimeout": None,  # upgraded hardware never sleeps unless asked
        "replicas": {"current": 1, "requested": 1},
    }
    clock.advance(build_seconds)
    assert runtime(http, running)["hardware"] == {"current": "t4-medium", "requested": "t4-medium"}
    answer = manage(
        http, user.token, running, "hardware", flavor="a10g-small", sleepTimeSeconds=900
    )
    assert (answer.json()["hardware"]["requested"], answer.json()["gcTimeout"]) == (
        "a10g-small",
        900,
    )


def test_sleep_time_rules_per_hardware_tier(http: Http, user: HubUser, running: str) -> None:
    # Free hardware: accepted, but the Hub's fixed 48 h stays in force.
    answer = manage(http, user.token, running, "sleeptime", seconds=3600)
    assert answer.status_code == 200 and answer.json()["gcTimeout"] == FREE_SLEEP_SECONDS
    answer = manage(http, user.token, running, "hardware", flavor="cpu-upgrade")
    assert answer.json()["gcTimeout"] == 3600  # the value asked for applies once upgraded
    assert manage(http, user.token, running, "sleeptime", seconds=-1).json()["gcTimeout"] is None
    assert manage(http, user.token, running, "sleeptime", seconds=60).json()["gcTimeout"] == 60
    answer = manage(http, user.token, running, "hardware", flavor="cpu-basic", sleepTimeSeconds=5)
    assert answer.json()["gcTimeout"] == FREE_SLEEP_SECONDS
    for seconds in (0, -2, "3600", True, 1.5, None):
        answer = manage(http, user.token, running, "sleeptime", seconds=seconds)
        assert answer.status_code == 400, seconds
    for flavor in ("gpu-huge", "", None, 3):
        assert manage(http, user.token, running, "hardware", flavor=flavor).status_code == 400
    answer = manage(http, user.token, running, "hardware", flavor="t4-small", sleepTimeSeconds=0)
    assert answer.status_code == 400
    assert runtime(http, running)["hardware"]["requested"] == "cpu-basic"  # nothing applied


def test_hardware_asked_at_creation_is_requested(http: Http, user: HubUser) -> None:
    space = create_space(http, user.token, "big", hardware="t4-small")
    assert runtime(http, space)["hardware"] == {"current": None, "requested": "t4-small"}


# -- pause and restart ------------------------------------------------------------------------


def test_pause_holds_until_restart(
    http: Http, user: HubUser, running: str, clock: Clock, build_seconds: int
) -> None:
    paused = manage(http, user.token, running, "pause")
    assert paused.status_code == 200, paused.text
    assert paused.json()["stage"] == "PAUSED" and paused.json()["hardware"]["current"] is None
    push(http, user.token, running, {"app.py": b"v2"})
    manage(http, user.token, running, "hardware", flavor="t4-small")
    clock.advance(build_seconds * 10)
    assert stage(http, running) == "PAUSED"
    restarted = manage(http, user.token, running, "restart").json()
    assert (restarted["stage"], restarted["hardware"]["current"]) == ("BUILDING", None)
    clock.advance(build_seconds)
    assert runtime(http, running)["hardware"]["current"] == "t4-small"
    assert manage(http, user.token, running, "restart").json()["stage"] == "RUNNING_BUILDING"


def test_static_spaces_cannot_be_paused_restarted_or_upgraded(
    http: Http, user: HubUser, clock: Clock
) -> None:
    space = create_space(http, user.token, "site", sdk="static")
    push(http, user.token, space, {"index.html": b"<html></html>"})
    for action in ("pause", "restart"):
        status, code, message = error_of(manage(http, user.token, space, action))
        assert status == 400 and "Static Spaces" in message, (action, code)
    assert manage(http, user.token, space, "hardware", flavor="t4-small").status_code == 400
    assert manage(http, user.token, space, "hardware", flavor="cpu-basic").status_code == 200


# -- permissions and privacy ------------------------------------------------------------------

_MANAGE = (
    ("POST", "hardware", {"flavor": "t4-small"}),
    ("POST", "sleeptime", {"seconds": 60}),
    ("POST", "pause", None),
    ("POST", "restart", None),
    ("POST", "secrets", {"key": "K", "value": "v"}),
    ("DELETE", "secrets", {"key": "K"}),
)


def test_only_writers_manage_a_space(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, running: str
) -> None:
    assert runtime(http, running, other.token)["stage"] == "RUNNING"  # anyone may look
    assert runtime(http, running)["stage"] == "RUNNING"
    for method, action, body in _MANAGE:
        path = f"/api/spaces/{running}/{action}"
        assert http(method, path, other.token, json=body).status_code == 403, action
        assert http(method, path, user.read_token, json=body).status_code == 403, action
        assert http(method, path, None, json=body).status_code == 401, action
    assert stage(http, running) == "RUNNING"  # nothing happened
    org = f"org-{user.name}"
    hub.add_org(org, {user.name: "admin", other.name: "write"})
    space = create_space(http, user.token, "team", organization=org)
    for method, action, body in _MANAGE:
        answer = http(method, f"/api/spaces/{space}/{action}", other.token, json=body)
        assert answer.status_code == 200, (action, answer.text)


def test_private_spaces_are_invisible(http: Http, user: HubUser, other: HubUser) -> None:
    space = create_space(http, user.token, "hidden", private=True)
    assert runtime(http, space, user.token)["stage"] == "NO_APP_FILE"
    for token, expected in ((None, 401), (other.token, 404)):
        answer = http("GET", f"/api/spaces/{space}/runtime", token)
        assert error_of(answer)[:2] == (expected, "RepoNotFound")
        for method, action, body in (*_MANAGE, ("POST", "duplicate", {})):
            answer = http(method, f"/api/spaces/{space}/{action}", token, json=body)
            assert answer.status_code == expected, (action, token)
            if token is not None:
                assert answer.headers["X-Error-Code"] == "RepoNotFound"


def test_space_endpoints_exist_for_spaces_only(http: Http, user: HubUser, repo: str) -> None:
    assert http("GET", f"/api/models/{repo}/runtime", user.token).status_code == 404
    assert error_of(http("GET", f"/api/spaces/{repo}/runtime", user.token))[:2] == (
        404,
        "RepoNotFound",
    )


# -- secrets ----------------------------------------------------------------------------------

SECRET = "hf_sup3r-s3cret-VALUE-do-not-leak"


def _secret_rows(hub: LocalHub, space: str) -> List[str]:
    repo = hub.backend.repos.find("space", space)
    assert repo is not None
    return hub.backend.spaces.secret_keys(repo)


def test_secrets_are_stored_replaced_and_deleted(
    http: Http, hub: LocalHub, user: HubUser, running: str, clock: Clock, build_seconds: int
) -> None:
    path = f"/api/spaces/{running}/secrets"
    answer = http("POST", path, user.token, json={"key": "API_KEY", "value": "one"})
    assert (answer.status_code, answer.json()) == (200, {})
    assert stage(http, running) == "RUNNING_BUILDING"  # a configuration change restarts
    clock.advance(build_seconds)
    assert http("POST", path, user.token, json={"key": "API_KEY", "value": "two"}).ok
    assert http("POST", path, user.token, json={"key": "OTHER", "value": ""}).ok
    assert _secret_rows(hub, running) == ["API_KEY", "OTHER"]
    clock.advance(build_seconds)
    answer = http("DELETE", path, user.token, json={"key": "MISSING"})
    assert (answer.status_code, answer.json()) == (200, {})
    assert stage(http, running) == "RUNNING"  # nothing changed, no restart
    assert http("DELETE", path, user.token, json={"key": "API_KEY"}).ok
    assert http("DELETE", path, user.token, json={"key": "API_KEY"}).ok
    assert _secret_rows(hub, running) == ["OTHER"]
    for body in (
        {"key": "1BAD", "value": "v"},
        {"key": "has space", "value": "v"},
        {"key": "", "value": "v"},
        {"value": "v"},
        {"key": "K"},
        {"key": "K", "value": 12},
        {"key": "K", "value": None},
    ):
        assert http("POST", path, user.token, json=body).status_code == 400, body
    assert http("DELETE", path, user.token, json={"key": 5}).status_code == 400
    assert http("POST", path, user.token, data=b"not json").status_code == 400


def test_secret_values_never_come_back(
    http: Http,
    hub: LocalHub,
    user: HubUser,
    other: HubUser,
    running: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers: List[requests.Response] = []
    path = f"/api/spaces/{running}/secrets"
    admin = hub.admin_token
    with caplog.at_level(logging.DEBUG, logger="hfapi.hub"):
        for body in (
            {"key": "TOKEN", "value": SECRET},
            {"key": "TOKEN", "value": SECRET},
            {"key": "bad key", "value": SECRET},  # refused: the message must not quote it
            {"key": "TOKEN", "value": [SECRET]},
            {"key": SECRET, "value": SECRET},  # a value sent as the key is not a valid name
        ):
            answers.append(http("POST", path, user.token, json=body))
            answers.append(http("POST", path, other.token, json=body))
            answers.append(http("POST", path, None, json=body))
        answers.append(http("POST", f"{path}?value={SECRET}", user.token, json={"key": "Q"}))
        for method, target in (
            ("GET", f"/api/spaces/{running}"),
            ("GET", f"/api/spaces/{running}/runtime"),
            ("POST", f"/api/spaces/{running}/restart"),
            ("POST", f"/api/spaces/{running}/duplicate"),
            ("GET", f"/api/spaces/{running}/tree/main"),
            ("GET", "/_hub/state"),
        ):
            token = admin if target.startswith("/_hub") else user.token
            answers.append(http(method, target, token, json={"repository": f"{other.name}/copy"}))
    assert [a.status_code for a in answers[:2]] == [200, 403]
    dumped = {s["id"]: s for s in answers[-1].json()["spaces"]}
    assert dumped[running]["secretKeys"] == ["TOKEN"]  # names only, never values
    for answer in answers:
        assert SECRET not in answer.text, answer.request.url
        assert SECRET not in str(answer.headers), answer.request.url
    assert SECRET not in caplog.text
    assert caplog.records  # the access log did run
    # Not kept in the database either: only a salted digest.
    storage = hub.backend.storage
    with storage.transaction() as db:
        (digest,) = db.execute("SELECT digest FROM space_secrets WHERE key = 'TOKEN'").fetchone()
    assert SECRET not in digest


# -- duplication ------------------------------------------------------------------------------


def _info(http: Http, space: str, token: Optional[str]) -> Dict[str, Any]:
    answer = http("GET", f"/api/spaces/{space}?blobs=1", token)
    assert answer.status_code == 200, answer.text
    body: Dict[str, Any] = answer.json()
    return body


def test_duplicate_copies_files_and_settings_but_not_secrets(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, running: str, clock: Clock
) -> None:
    weights = bytes(range(256)) * 8
    http.upload_lfs(user.token, running, weights, prefix="spaces/")
    response = http.commit(user.token, running, [add_lfs("w.bin", weights)], repo_type="space")
    assert response.ok, response.text
    manage(http, user.token, running, "hardware", flavor="t4-small", sleepTimeSeconds=600)
    manage(http, user.token, running, "secrets", key="TOKEN", value=SECRET)
    target = f"{other.name}/copy"
    answer = http(
        "POST", f"/api/spaces/{running}/duplicate", other.token, json={"repository": target}
    )
    assert (answer.status_code, answer.json()) == (200, {"url": f"{hub.url}/spaces/{target}"})
    source, copy = _info(http, running, None), _info(http, target, None)
    assert (
        copy["siblings"] == source["siblings"]
        and copy["sdk"] == "gradio"
        and copy["private"] is False
    )
    assert copy["sha"] != source["sha"]
    found = runtime(http, target)
    assert (found["stage"], found["hardware"], found["gcTimeout"]) == (
        "BUILDING",
        {"current": None, "requested": "t4-small"},
        600,
    )
    assert _secret_rows(hub, target) == []
    assert http("GET", f"/spaces/{target}/resolve/main/w.bin").content == weights
    history = http("GET", f"/api/spaces/{target}/commits/main").json()
    assert history[0]["title"] == f"Duplicate from {running}"
    assert history[0]["authors"][0]["user"] == other.name


def test_duplicate_targets_visibility_and_conflicts(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, running: str
) -> None:
    path = f"/api/spaces/{running}/duplicate"
    answer = http("POST", path, other.token, json={})  # caller's namespace, source's name
    assert answer.json() == {"url": f"{hub.url}/spaces/{other.name}/demo"}, answer.text
    status, code, _ = error_of(http("POST", path, other.token, json={}))
    assert (status, code) == (409, None)
    conflict = http("POST", path, other.token, json={"repository": f"{other.name}/DEMO"})
    assert (conflict.status_code, conflict.json()["url"]) == (
        409,
        f"{hub.url}/spaces/{other.name}/demo",
    )
    answer = http(
        "POST", path, other.token, json={"repository": f"{other.name}/p", "private": True}
    )
    assert answer.ok, answer.text
    assert http("GET", f"/api/spaces/{other.name}/p/runtime").status_code == 401
    assert _info(http, f"{other.name}/p", other.token)["private"] is True
    private = create_space(http, user.token, "hidden", private=True)
    answer = http("POST", f"/api/spaces/{private}/duplicate", user.token, json={})
    assert answer.status_code == 409  # same name in the same namespace
    answer = http(
        "POST",
        f"/api/spaces/{private}/duplicate",
        user.token,
        json={"repository": f"{user.name}/h2"},
    )
    assert answer.ok and _info(http, f"{user.name}/h2", user.token)["private"] is True
    for body, expected in (
        ({"repository": f"{user.name}/mine"}, 403),  # no rights in user's namespace
        ({"repository": "no-slash"}, 400),
        ({"repository": f"{other.name}/bad--name"}, 400),
        ({"repository": 3}, 400),
        ({"repository": f"{other.name}/x", "private": "yes"}, 400),
    ):
        assert http("POST", path, other.token, json=body).status_code == expected, body
    missing = http("POST", f"/api/spaces/{user.name}/nope/duplicate", other.token, json={})
    assert error_of(missing)[:2] == (404, "RepoNotFound")
    assert http("POST", path, None, json={}).status_code == 401
    assert http("POST", path, other.read_token, json={}).status_code == 403
    assert hub.backend.repos.find("space", f"{other.name}/x") is None


# -- lifecycle and storage --------------------------------------------------------------------


def test_deleted_spaces_leave_no_rows(
    http: Http, hub: LocalHub, user: HubUser, running: str
) -> None:
    manage(http, user.token, running, "secrets", key="K", value="v")
    repo = hub.backend.repos.find("space", running)
    assert repo is not None
    body = {"name": "demo", "organization": None, "type": "space"}
    assert http("DELETE", "/api/repos/delete", user.token, json=body).ok
    with hub.backend.storage.transaction() as db:
        for table in ("space_runtimes", "space_secrets"):
            count = db.execute(f"SELECT COUNT(*) FROM {table} WHERE repo = ?", (repo.pk,))
            assert count.fetchone()[0] == 0, table


def test_reset_and_schema(tmp_path: Path) -> None:
    assert {"space_runtimes", "space_secrets"} <= set(STATE_TABLES)
    with LocalHub(data_dir=str(tmp_path / "data")) as hub:
        http = Http(hub)
        create_space(http, hub.token, "demo")
        manage(http, hub.token, f"{hub.backend.default_user}/demo", "secrets", key="K", value="v")
        assert len(hub.backend.dump()["spaces"]) == 1
        hub.backend.reset()
        assert hub.backend.dump()["spaces"] == []
    db = sqlite3.connect(str(tmp_path / "data" / "hub.sqlite3"))
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    finally:
        db.close()
    assert {"space_runtimes", "space_secrets"} <= tables


def test_runtime_survives_a_restart(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    with LocalHub(data_dir=data) as hub:
        http = Http(hub)
        space = create_space(http, hub.token, "demo")
        manage(http, hub.token, space, "hardware", flavor="t4-small", sleepTimeSeconds=120)
    with LocalHub(data_dir=data) as hub:
        found = runtime(Http(hub), space)
        assert (found["hardware"]["requested"], found["gcTimeout"]) == ("t4-small", 120)
