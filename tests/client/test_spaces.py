"""Wire tests of the Space management methods, and of the Space data classes."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import pytest
import responses
from _wire import ENDPOINT, TOKEN, WHOAMI, check_request, json_body

import hfapi
import hfapi.hf_api
from hfapi import (
    BadRequestError,
    HfApi,
    HfHubHTTPError,
    HFValidationError,
    RepositoryNotFoundError,
    RepoUrl,
    SpaceHardware,
    SpaceRuntime,
    SpaceStage,
)

SPACE = f"{ENDPOINT}/api/spaces/alice/demo"
WHOAMI_URL = f"{ENDPOINT}/api/whoami-v2"
JSON = "application/json"
RUNTIME = {
    "stage": "RUNNING_BUILDING",
    "hardware": {"current": "cpu-basic", "requested": "t4-medium"},
    "storage": None,
    "gcTimeout": 3600,
    "replicas": {"current": 1, "requested": 1},
}
SURFACE = json.loads(
    (Path(__file__).parents[1] / "reference" / "hfapi-0.16.4-surface.json").read_text("utf-8")
)


def runtime(**changes: object) -> dict:
    data = copy.deepcopy(RUNTIME)
    data.update(changes)
    return data


# -- enums ---------------------------------------------------------------------------------


@pytest.mark.parametrize("enum", [SpaceHardware, SpaceStage])
def test_enum_members_are_the_references(enum):
    assert {m.name: m.value for m in enum} == SURFACE["classes"][enum.__name__]["members"]
    assert [base.__name__ for base in enum.__mro__[1:3]] == ["str", "Enum"]


def test_enum_members_behave_as_their_strings():
    assert SpaceHardware.T4_MEDIUM == "t4-medium"
    assert isinstance(SpaceStage.PAUSED, str)
    assert SpaceHardware("a10g-large") is SpaceHardware.A10G_LARGE
    assert json.dumps({"flavor": SpaceHardware.CPU_UPGRADE}) == '{"flavor": "cpu-upgrade"}'
    assert repr(SpaceStage.RUNNING) == "<SpaceStage.RUNNING: 'RUNNING'>"


def test_space_classes_are_importable_where_the_reference_has_them():
    for name in ("SpaceHardware", "SpaceRuntime", "SpaceStage"):
        assert getattr(hfapi.hf_api, name) is getattr(hfapi, name)
        assert name in hfapi.__all__


# -- SpaceRuntime --------------------------------------------------------------------------


def test_runtime_reads_the_answer_and_keeps_it_raw():
    data = runtime()
    parsed = SpaceRuntime(data)
    assert (parsed.stage, parsed.hardware, parsed.requested_hardware, parsed.sleep_time) == (
        "RUNNING_BUILDING",
        "cpu-basic",
        "t4-medium",
        3600,
    )
    assert parsed.raw is data
    assert parsed.stage == SpaceStage.RUNNING_BUILDING
    assert parsed.requested_hardware == SpaceHardware.T4_MEDIUM
    assert parsed == SpaceRuntime(runtime())
    assert parsed != SpaceRuntime(runtime(gcTimeout=None))
    assert [f.name for f in dataclasses.fields(SpaceRuntime)] == [
        "stage",
        "hardware",
        "requested_hardware",
        "sleep_time",
        "raw",
    ]


def test_runtime_repr_is_the_dataclass_one():
    data = {
        "stage": "PAUSED",
        "hardware": {"current": None, "requested": "t4-small"},
        "gcTimeout": -1,
    }
    assert repr(SpaceRuntime(data)) == (
        "SpaceRuntime(stage='PAUSED', hardware=None, requested_hardware='t4-small',"
        f" sleep_time=-1, raw={data!r})"
    )


@pytest.mark.parametrize("stage", list(SpaceStage))
def test_runtime_of_every_stage(stage):
    parsed = SpaceRuntime(runtime(stage=stage.value))
    assert parsed.stage == stage and type(parsed.stage) is str


def test_runtime_keeps_unknown_stage_and_hardware_names():
    parsed = SpaceRuntime(
        runtime(stage="SLEEPING", hardware={"current": "h100", "requested": None})
    )
    assert (parsed.stage, parsed.hardware, parsed.requested_hardware) == ("SLEEPING", "h100", None)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"hardware": None}, (None, None, 3600)),
        ({"hardware": {}}, (None, None, 3600)),
        ({"hardware": {"current": "cpu-basic"}}, ("cpu-basic", None, 3600)),
        ({"hardware": {"requested": "t4-small"}}, (None, "t4-small", 3600)),
        ({"gcTimeout": None}, ("cpu-basic", "t4-medium", None)),
    ],
)
def test_runtime_with_null_or_missing_fields(changes, expected):
    parsed = SpaceRuntime(runtime(**changes))
    assert (parsed.hardware, parsed.requested_hardware, parsed.sleep_time) == expected


@pytest.mark.parametrize("key", ["hardware", "gcTimeout"])
def test_runtime_without_optional_keys(key):
    data = runtime()
    del data[key]
    parsed = SpaceRuntime(data)
    assert (parsed.hardware if key == "hardware" else parsed.sleep_time) is None


def test_runtime_without_stage_is_an_error():
    data = runtime()
    del data["stage"]
    with pytest.raises(KeyError, match="stage"):
        SpaceRuntime(data)


# -- secrets -------------------------------------------------------------------------------


def test_add_space_secret(api, rsps):
    rsps.post(f"{SPACE}/secrets", body="")
    assert api.add_space_secret("alice/demo", "HF_TOKEN", "hf_secret value") is None
    check_request(
        rsps.calls[0],
        "POST",
        f"{SPACE}/secrets",
        body=b'{"key": "HF_TOKEN", "value": "hf_secret value"}',
        content_type=JSON,
    )


def test_delete_space_secret_sends_a_json_body(api, rsps):
    rsps.delete(f"{SPACE}/secrets", body="")
    assert api.delete_space_secret("alice/demo", "HF_TOKEN", token="hf_other") is None
    check_request(
        rsps.calls[0],
        "DELETE",
        f"{SPACE}/secrets",
        token="hf_other",
        body=b'{"key": "HF_TOKEN"}',
        content_type=JSON,
    )


def test_secret_answers_are_not_read(api, rsps):
    rsps.post(f"{SPACE}/secrets", body="not json")
    rsps.delete(f"{SPACE}/secrets", json={"anything": 1})
    api.add_space_secret("alice/demo", "K", "")
    api.delete_space_secret("alice/demo", "K")
    assert json_body(rsps.calls[0]) == {"key": "K", "value": ""}


# -- runtime, hardware, sleep time, pause, restart -----------------------------------------


def test_get_space_runtime(api, rsps):
    rsps.get(f"{SPACE}/runtime", json=RUNTIME)
    assert api.get_space_runtime("alice/demo") == SpaceRuntime(RUNTIME)
    check_request(rsps.calls[0], "GET", f"{SPACE}/runtime")


def test_get_space_runtime_anonymously(anon, rsps):
    rsps.get(f"{ENDPOINT}/api/spaces/demo/runtime", json=runtime(stage="NO_APP_FILE"))
    assert anon.get_space_runtime("demo").stage == SpaceStage.NO_APP_FILE
    check_request(rsps.calls[0], "GET", f"{ENDPOINT}/api/spaces/demo/runtime", token=None)


@pytest.mark.parametrize(
    ("hardware", "sleep_time", "body"),
    [
        ("t4-medium", None, b'{"flavor": "t4-medium"}'),
        (SpaceHardware.A100_LARGE, None, b'{"flavor": "a100-large"}'),
        (SpaceHardware.T4_SMALL, 0, b'{"flavor": "t4-small", "sleepTimeSeconds": 0}'),
        ("a10g-small", -1, b'{"flavor": "a10g-small", "sleepTimeSeconds": -1}'),
        ("future-gpu", 3600, b'{"flavor": "future-gpu", "sleepTimeSeconds": 3600}'),
    ],
)
def test_request_space_hardware(api, rsps, hardware, sleep_time, body):
    rsps.post(f"{SPACE}/hardware", json=RUNTIME)
    result = api.request_space_hardware("alice/demo", hardware, sleep_time=sleep_time)
    assert result == SpaceRuntime(RUNTIME)
    check_request(rsps.calls[0], "POST", f"{SPACE}/hardware", body=body, content_type=JSON)


def test_requested_hardware_differs_from_the_current_one(api, rsps):
    rsps.post(f"{SPACE}/hardware", json=runtime(stage="RUNNING_BUILDING"))
    result = api.request_space_hardware("alice/demo", SpaceHardware.T4_MEDIUM)
    assert result.hardware == SpaceHardware.CPU_BASIC
    assert result.requested_hardware == SpaceHardware.T4_MEDIUM


@pytest.mark.parametrize("hardware", ["cpu-basic", SpaceHardware.CPU_BASIC])
def test_sleep_time_on_free_hardware_warns_before_sending(api, rsps, hardware):
    rsps.post(f"{SPACE}/hardware", status=500, json={"error": "down"})
    with pytest.warns(UserWarning, match="48 hours") as record, pytest.raises(HfHubHTTPError):
        api.request_space_hardware("alice/demo", hardware, sleep_time=600)
    assert len(record) == 1
    assert record[0].filename == __file__  # points at the caller
    assert json_body(rsps.calls[0]) == {"flavor": "cpu-basic", "sleepTimeSeconds": 600}


def test_free_hardware_without_sleep_time_does_not_warn(api, rsps):
    rsps.post(
        f"{SPACE}/hardware", json=runtime(hardware={"current": "t4-small", "requested": None})
    )
    assert api.request_space_hardware("alice/demo", "cpu-basic").hardware == "t4-small"


def test_set_space_sleep_time(api, rsps):
    rsps.post(f"{SPACE}/sleeptime", json=runtime(gcTimeout=7200))
    assert api.set_space_sleep_time("alice/demo", 7200).sleep_time == 7200
    check_request(
        rsps.calls[0], "POST", f"{SPACE}/sleeptime", body=b'{"seconds": 7200}', content_type=JSON
    )


@pytest.mark.parametrize(
    ("hardware", "warns"),
    [
        ({"current": "cpu-basic", "requested": "cpu-basic"}, True),
        ({"current": "t4-small", "requested": "cpu-basic"}, True),
        ({"current": "cpu-basic", "requested": None}, True),
        ({"current": "cpu-basic", "requested": "t4-small"}, False),
        ({"current": "t4-small", "requested": None}, False),
        ({"current": None, "requested": None}, False),
    ],
)
def test_set_space_sleep_time_warns_on_free_hardware(api, rsps, hardware, warns, recwarn):
    rsps.post(f"{SPACE}/sleeptime", json=runtime(hardware=hardware, gcTimeout=-1))
    assert api.set_space_sleep_time("alice/demo", -1).sleep_time == -1
    assert [str(w.message)[:40] for w in recwarn] == (
        ["Spaces on free hardware ('cpu-basic') al"] if warns else []
    )
    assert all(w.filename == __file__ for w in recwarn)


@pytest.mark.parametrize(
    ("method", "resource"), [("pause_space", "pause"), ("restart_space", "restart")]
)
def test_pause_and_restart_send_no_body(api, rsps, method, resource):
    stage = "PAUSED" if resource == "pause" else "BUILDING"
    rsps.post(f"{SPACE}/{resource}", json=runtime(stage=stage))
    assert getattr(api, method)("alice/demo").stage == stage
    check_request(rsps.calls[0], "POST", f"{SPACE}/{resource}")
    assert rsps.calls[0].request.headers["Content-Length"] == "0"


@pytest.mark.parametrize(
    ("status", "headers", "error"),
    [
        (403, {}, HfHubHTTPError),
        (400, {}, BadRequestError),
        (404, {"X-Error-Code": "RepoNotFound"}, RepositoryNotFoundError),
        (401, {}, RepositoryNotFoundError),
    ],
)
@pytest.mark.parametrize("method", ["pause_space", "restart_space", "get_space_runtime"])
def test_space_errors(api, rsps, method, status, headers, error):
    verb = "GET" if method == "get_space_runtime" else "POST"
    resource = {"pause_space": "pause", "restart_space": "restart"}.get(method, "runtime")
    rsps.add(verb, f"{SPACE}/{resource}", status=status, headers=headers, json={"error": "nope"})
    with pytest.raises(error) as info:
        getattr(api, method)("alice/demo")
    assert type(info.value) is error
    assert info.value.server_message == "nope"


# -- duplicate_space -----------------------------------------------------------------------


def _duplicated(rsps: responses.RequestsMock, target: str = "alice/CLIP", status: int = 200):
    rsps.post(
        f"{ENDPOINT}/api/spaces/pharma/CLIP/duplicate",
        status=status,
        json={"url": f"{ENDPOINT}/spaces/{target}"},
    )


def test_duplicate_space_to_an_explicit_id(api, rsps):
    _duplicated(rsps, "org/copy")
    url = api.duplicate_space("pharma/CLIP", "org/copy", private=True)
    check_request(
        rsps.calls[0],
        "POST",
        f"{ENDPOINT}/api/spaces/pharma/CLIP/duplicate",
        body=b'{"repository": "org/copy", "private": true}',
        content_type=JSON,
    )
    assert isinstance(url, RepoUrl)
    assert (url.endpoint, url.repo_type, url.repo_id) == (ENDPOINT, "space", "org/copy")


@pytest.mark.parametrize(
    ("kwargs", "target", "body"),
    [
        ({}, "alice/CLIP", b'{"repository": "alice/CLIP"}'),
        ({"to_id": None}, "alice/CLIP", b'{"repository": "alice/CLIP"}'),
        ({"to_id": "mine"}, "alice/mine", b'{"repository": "alice/mine"}'),
        ({"private": False}, "alice/CLIP", b'{"repository": "alice/CLIP", "private": false}'),
    ],
)
def test_duplicate_space_into_the_token_owner_namespace(api, rsps, kwargs, target, body):
    rsps.get(WHOAMI_URL, json=WHOAMI)
    _duplicated(rsps, target)
    url = api.duplicate_space("pharma/CLIP", **kwargs)
    check_request(rsps.calls[0], "GET", WHOAMI_URL)
    check_request(
        rsps.calls[1],
        "POST",
        f"{ENDPOINT}/api/spaces/pharma/CLIP/duplicate",
        body=body,
        content_type=JSON,
    )
    assert url.repo_id == target


def test_duplicate_space_uses_the_call_token_for_whoami(anon, rsps):
    rsps.get(WHOAMI_URL, json=WHOAMI)
    _duplicated(rsps)
    anon.duplicate_space("pharma/CLIP", token="hf_call")
    assert [c.request.headers["authorization"] for c in rsps.calls] == ["Bearer hf_call"] * 2


def test_duplicate_space_exist_ok_reads_the_conflict_answer(api, rsps):
    _duplicated(rsps, "org/copy", status=409)
    url = api.duplicate_space("pharma/CLIP", "org/copy", exist_ok=True)
    assert url == f"{ENDPOINT}/spaces/org/copy"


@pytest.mark.parametrize("answer", [{"error": "exists"}, None])
def test_duplicate_space_exist_ok_without_url_in_the_conflict(api, rsps, answer):
    kwargs = {"json": answer} if answer else {"body": "Conflict"}
    rsps.post(f"{ENDPOINT}/api/spaces/pharma/CLIP/duplicate", status=409, **kwargs)
    url = api.duplicate_space("pharma/CLIP", "org/copy", exist_ok=True)
    assert (url, url.repo_id, url.repo_type) == (f"{ENDPOINT}/spaces/org/copy", "org/copy", "space")


def test_duplicate_space_conflict_without_exist_ok(api, rsps):
    _duplicated(rsps, "org/copy", status=409)
    with pytest.raises(HfHubHTTPError) as info:
        api.duplicate_space("pharma/CLIP", "org/copy")
    assert info.value.response.status_code == 409


@pytest.mark.parametrize("exist_ok", [False, True])
def test_duplicate_missing_space(api, rsps, exist_ok):
    rsps.post(
        f"{ENDPOINT}/api/spaces/pharma/CLIP/duplicate",
        status=404,
        headers={"X-Error-Code": "RepoNotFound"},
        json={"error": "Repository not found"},
    )
    with pytest.raises(RepositoryNotFoundError):
        api.duplicate_space("pharma/CLIP", "org/copy", exist_ok=exist_ok)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (False, "You need to provide a token"),
        ("api_org_abc", "You must use your personal account token"),
    ],
)
def test_duplicate_space_needs_a_personal_token_before_any_request(anon, rsps, token, message):
    with pytest.raises(ValueError, match=message):
        anon.duplicate_space("pharma/CLIP", token=token)
    assert len(rsps.calls) == 0


def test_duplicate_space_without_any_token(anon, rsps):
    with pytest.raises(ValueError):
        anon.duplicate_space("pharma/CLIP")
    assert len(rsps.calls) == 0


# -- validation before any request ---------------------------------------------------------

BAD_CALLS = [
    ("add_space_secret", ("a/b/c", "K", "v"), {}, HFValidationError),
    ("add_space_secret", ("alice/demo", 3, "v"), {}, TypeError),
    ("add_space_secret", ("alice/demo", "", "v"), {}, ValueError),
    ("add_space_secret", ("alice/demo", "K", None), {}, TypeError),
    ("add_space_secret", ("alice/demo", "K", b"v"), {}, TypeError),
    ("delete_space_secret", ("alice--demo", "K"), {}, HFValidationError),
    ("delete_space_secret", ("alice/demo", None), {}, TypeError),
    ("delete_space_secret", ("alice/demo", ""), {}, ValueError),
    ("get_space_runtime", ("alice/demo.git",), {}, HFValidationError),
    ("get_space_runtime", (None,), {}, HFValidationError),
    ("request_space_hardware", ("a/b/c", "t4-small"), {}, HFValidationError),
    ("request_space_hardware", ("alice/demo", None), {}, TypeError),
    ("request_space_hardware", ("alice/demo", ""), {}, ValueError),
    ("request_space_hardware", ("alice/demo", "t4-small"), {"sleep_time": "60"}, TypeError),
    ("request_space_hardware", ("alice/demo", "t4-small"), {"sleep_time": 1.5}, TypeError),
    ("request_space_hardware", ("alice/demo", "t4-small"), {"sleep_time": True}, TypeError),
    ("set_space_sleep_time", ("alice/demo", None), {}, TypeError),
    ("set_space_sleep_time", ("alice/demo", False), {}, TypeError),
    ("set_space_sleep_time", ("alice/demo", "3600"), {}, TypeError),
    ("set_space_sleep_time", ("a..b", 60), {}, HFValidationError),
    ("pause_space", ("alice/demo/x",), {}, HFValidationError),
    ("restart_space", ("-alice/demo",), {}, HFValidationError),
    ("duplicate_space", ("a/b/c",), {}, HFValidationError),
    ("duplicate_space", ("pharma/CLIP", "x/y/z"), {}, HFValidationError),
    ("duplicate_space", ("pharma/CLIP", 3), {}, HFValidationError),
    ("duplicate_space", ("pharma/CLIP", "org/x"), {"private": "yes"}, TypeError),
    ("duplicate_space", ("pharma/CLIP", "org/x"), {"exist_ok": None}, TypeError),
]


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS]
)
def test_bad_input_is_refused_before_any_request(api, rsps, method, args, kwargs, error):
    with pytest.raises(error):
        getattr(api, method)(*args, **kwargs)
    assert len(rsps.calls) == 0


def test_bad_key_message(api, rsps):
    with pytest.raises(TypeError, match="`key` must be a string, not int"):
        api.add_space_secret("alice/demo", 3, "v")
    with pytest.raises(ValueError, match="`hardware` must not be empty"):
        api.request_space_hardware("alice/demo", "")
    with pytest.raises(TypeError, match="`sleep_time` must be an int, not bool"):
        api.set_space_sleep_time("alice/demo", True)


# -- root functions and tokens -------------------------------------------------------------


def test_root_functions_use_the_default_client(rsps, monkeypatch):
    monkeypatch.setattr(hfapi.get_space_runtime.__self__, "endpoint", ENDPOINT)
    rsps.get(f"{SPACE}/runtime", json=RUNTIME)
    assert hfapi.get_space_runtime("alice/demo", token=TOKEN).stage == "RUNNING_BUILDING"
    check_request(rsps.calls[0], "GET", f"{SPACE}/runtime")


def test_legacy_use_auth_token_keyword(anon, rsps):
    rsps.post(f"{SPACE}/restart", json=RUNTIME)
    anon.restart_space("alice/demo", use_auth_token="hf_legacy")
    assert rsps.calls[0].request.headers["authorization"] == "Bearer hf_legacy"


def test_space_calls_are_not_write_actions(rsps):
    """Like the reference, only ``duplicate_space`` insists on a personal token: the Hub
    decides for the others (an organisation token is sent as is)."""
    client = HfApi(endpoint=ENDPOINT, token="api_org_token")
    rsps.post(f"{SPACE}/pause", json=runtime(stage="PAUSED"))
    client.pause_space("alice/demo")
    assert rsps.calls[0].request.headers["authorization"] == "Bearer api_org_token"


# -- create_repo's Space fields (protocol 2.4) ---------------------------------------------


@pytest.mark.parametrize("hardware", list(SpaceHardware))
def test_create_space_sends_sdk_and_hardware_enum_as_strings(api, rsps, hardware):
    rsps.post(f"{ENDPOINT}/api/repos/create", json={"url": f"{ENDPOINT}/spaces/org/sp"})
    url = api.create_repo("org/sp", repo_type="space", space_sdk="static", space_hardware=hardware)
    assert json_body(rsps.calls[0]) == {
        "name": "sp",
        "organization": "org",
        "private": False,
        "type": "space",
        "sdk": "static",
        "hardware": hardware.value,
    }
    assert (url.repo_type, url.repo_id) == ("space", "org/sp")
