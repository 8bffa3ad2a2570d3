"""The HTTP chokepoint: retries, bodies, timeouts, pagination, sessions, user-agent."""

from __future__ import annotations

import importlib.metadata
import io
import logging
import os
import socket
import subprocess
import sys
import threading

import pytest
import requests
import responses
from _wire import ENDPOINT, TOKEN, UA, link
from urllib3.exceptions import MaxRetryError, NameResolutionError

from hfapi import HfApi, HfHubHTTPError, RepositoryNotFoundError
from hfapi import _session as session_module
from hfapi import constants as hf_constants
from hfapi._session import (
    USE_CLIENT_DEFAULT,
    BearerAuth,
    HubSession,
    RetryPolicy,
    build_user_agent,
    configure_http_backend,
    get_session,
)
from hfapi.errors import OfflineModeIsEnabled

URL = f"{ENDPOINT}/api/models/a/b"
PYTHON = UA.rsplit("; ", 1)[1]
# rand = 0.5: half of the capped exponential plus a quarter of it
WAITS = [0.375, 0.75, 1.5, 3.0, 6.0]
REAL_FRAMEWORKS = session_module._installed_frameworks


@pytest.fixture
def http(sleeps):
    session = HubSession()
    session.sleep = sleeps
    session.random = lambda: 0.5
    return session


# -- retries -------------------------------------------------------------------------------


def test_get_retried_on_503_then_success(api, rsps, sleeps):
    rsps.get(URL, status=503)
    rsps.get(URL, status=503)
    rsps.get(URL, json={"modelId": "a/b"})
    assert api.model_info("a/b").modelId == "a/b"
    assert len(rsps.calls) == 3
    assert sleeps == WAITS[:2]
    trace_ids = {call.request.headers["X-Amzn-Trace-Id"] for call in rsps.calls}
    assert len(trace_ids) == 3  # a fresh id per attempt


def test_get_gives_up_after_max_retries(api, rsps, sleeps):
    rsps.get(URL, status=503)
    with pytest.raises(HfHubHTTPError) as info:
        api.model_info("a/b")
    assert info.value.response.status_code == 503
    assert len(rsps.calls) == 6
    assert sleeps == WAITS


@pytest.mark.parametrize("status", [429, 500, 502, 504])
def test_get_retried_on_transient_statuses(http, rsps, sleeps, status):
    rsps.get(URL, status=status)
    rsps.get(URL, body="ok")
    assert http.request("GET", URL).text == "ok"
    assert sleeps == [0.375]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501])
def test_not_retried_on_other_statuses(http, rsps, sleeps, status):
    rsps.get(URL, status=status)
    with pytest.raises(HfHubHTTPError):
        http.request("GET", URL)
    assert len(rsps.calls) == 1 and sleeps == []


@pytest.mark.parametrize(
    ("value", "wait"),
    [
        ("3", 3.0),
        ("0", 0.0),
        ("100", 8.0),
        ("-4", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
        ("Fri, 01 Jan 2100 00:00:00 GMT", 8.0),
        ("soon", 0.375),
    ],
)
def test_retry_after_honoured_and_capped(http, rsps, sleeps, value, wait):
    rsps.get(URL, status=429, headers={"Retry-After": value})
    rsps.get(URL, body="ok")
    http.request("GET", URL)
    assert sleeps == [wait]


def test_policy_waits_with_jitter_bounds():
    policy = RetryPolicy()
    assert [policy.wait_for(a, None, 0.0) for a in range(6)] == [0.25, 0.5, 1.0, 2.0, 4.0, 4.0]
    assert [policy.wait_for(a, None, 1.0) for a in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_post_not_retried_on_503(api, rsps, sleeps):
    rsps.post(f"{ENDPOINT}/api/repos/create", status=503)
    with pytest.raises(HfHubHTTPError):
        api.create_repo("a/b")
    assert len(rsps.calls) == 1 and sleeps == []


def test_post_retried_when_asked(http, rsps, sleeps):
    rsps.post(URL, status=503)
    rsps.post(URL, body="done")
    assert http.request("POST", URL, retry=True).text == "done"
    assert sleeps == [0.375]


def test_get_not_retried_when_forbidden(http, rsps, sleeps):
    rsps.get(URL, status=503)
    with pytest.raises(HfHubHTTPError):
        http.request("GET", URL, retry=False)
    assert sleeps == []


def test_paths_info_post_is_retried(api, rsps, sleeps):
    url = f"{ENDPOINT}/api/models/a/b/paths-info/main"
    rsps.post(url, status=502)
    rsps.post(url, json=[{"type": "file", "path": "x", "size": 1, "oid": "o"}])
    assert [f.rfilename for f in api.list_files_info("a/b", "x")] == ["x"]
    assert rsps.calls[1].request.body == "paths=x&expand=True"


def test_connection_error_retried_for_get(http, rsps, sleeps):
    rsps.get(URL, body=requests.ConnectionError("Connection aborted."))
    rsps.get(URL, body="ok")
    assert http.request("GET", URL).text == "ok"
    assert sleeps == [0.375]


def test_transport_error_redacted_and_tagged(http, rsps, sleeps):
    error = requests.ConnectionError(
        "HTTPSConnectionPool(host='hub.test', port=443): Max retries exceeded with url:"
        " /api/models/a/b?cursor=s3cr3t (Caused by ReadTimeoutError())"
    )
    rsps.get(URL, body=error)
    with pytest.raises(requests.ConnectionError) as info:
        http.request("GET", URL + "?cursor=s3cr3t")
    assert type(info.value) is requests.ConnectionError
    assert "s3cr3t" not in str(info.value)
    last_trace = rsps.calls[-1].request.headers["X-Amzn-Trace-Id"]
    # One argument: two would make OSError print "[Errno <message>] <request id>".
    assert info.value.args == (
        "HTTPSConnectionPool(host='hub.test', port=443): Max retries exceeded with url:"
        f" /api/models/a/b (Caused by ReadTimeoutError()) (Request ID: {last_trace})",
    )
    assert not str(info.value).startswith("[Errno")
    assert len(rsps.calls) == 6 and len(sleeps) == 5
    assert info.value.__cause__ is None and info.value.__context__ is None


def test_timeout_retried_for_get_and_raised(http, rsps, sleeps):
    rsps.get(URL, body=requests.ReadTimeout("Read timed out."))
    with pytest.raises(requests.ReadTimeout):
        http.request("GET", URL)
    assert len(rsps.calls) == 6


def test_post_connection_error_not_retried_once_sent(http, rsps, sleeps):
    rsps.post(URL, body=requests.ConnectionError("Connection aborted.", "RemoteDisconnected"))
    with pytest.raises(requests.ConnectionError):
        http.request("POST", URL, data=b"x")
    assert len(rsps.calls) == 1 and sleeps == []


def test_post_retried_on_connect_timeout(http, rsps, sleeps):
    # nothing left the machine: safe to send again whatever the method
    rsps.post(URL, body=requests.ConnectTimeout("Connect timed out"))
    rsps.post(URL, body="ok")
    assert http.request("POST", URL, data=b"x").text == "ok"
    assert sleeps == [0.375]


def _closed_port():
    """A loopback port nobody listens on: bound by us, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _CountingSession(requests.Session):
    sent = 0

    def send(self, request, **kwargs):
        type(self).sent += 1
        return super().send(request, **kwargs)


@pytest.fixture
def counted():
    _CountingSession.sent = 0
    configure_http_backend(_CountingSession)
    yield _CountingSession
    configure_http_backend()


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_connection_refused_fails_at_once(http, sleeps, counted, caplog, method):
    port = _closed_port()
    with pytest.raises(requests.ConnectionError) as info:
        http.request(method, f"http://127.0.0.1:{port}/api/models/a/b?cursor=s3cr3t", retry=True)
    assert counted.sent == 1 and sleeps == []
    assert type(info.value) is requests.ConnectionError
    assert info.value.args == (f"Cannot connect to http://127.0.0.1:{port}: connection refused.",)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_unreachable_endpoint_through_the_client(counted, sleeps, caplog):
    port = _closed_port()
    client = HfApi(endpoint=f"http://user:pw@127.0.0.1:{port}", token=TOKEN)
    client._http.sleep = sleeps
    with pytest.raises(requests.ConnectionError) as info:
        client.model_info("gpt2")
    assert str(info.value) == f"Cannot connect to http://127.0.0.1:{port}: connection refused."
    assert counted.sent == 1 and sleeps == [] and not caplog.records[1:]


def test_name_resolution_failure_not_retried(http, rsps, sleeps):
    reason = NameResolutionError("nohost.test", None, socket.gaierror(-2, "Name unknown"))
    wrapped = requests.ConnectionError(MaxRetryError(None, "/api/models/a/b?x=1", reason))
    rsps.get(URL, body=wrapped)
    with pytest.raises(requests.ConnectionError) as info:
        http.request("GET", URL + "?x=1")
    assert (
        str(info.value)
        == "Cannot connect to https://hub.test:443: the host name could not be resolved."
    )
    assert len(rsps.calls) == 1 and sleeps == []


def test_offline_mode_fails_before_sending(api, rsps, monkeypatch, sleeps):
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(OfflineModeIsEnabled) as info:
        api.model_info("a/b")
    with pytest.raises(requests.ConnectionError):
        api.list_repo_files("a/b")
    with pytest.raises(ConnectionError):  # the builtin, the reference's base
        api.create_repo("a/b")
    assert str(info.value) == (
        f"Cannot reach {URL}: offline mode is enabled (HF_HUB_OFFLINE=1). Unset HF_HUB_OFFLINE"
        " to use the network."
    )
    assert len(rsps.calls) == 0 and sleeps == []


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])
def test_offline_variable_read_at_import(variable):
    # The environment is read once, when hfapi is imported: a fresh interpreter shows it.
    script = (
        "import hfapi, hfapi.errors as e\n"
        "try:\n    hfapi.HfApi(endpoint='http://127.0.0.1:9').model_info('gpt2')\n"
        "except e.OfflineModeIsEnabled as err:\n    print('offline:', err)\n"
    )
    env = {**os.environ, variable: "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("offline: Cannot reach http://127.0.0.1:9/api/models/gpt2:")


# -- bodies --------------------------------------------------------------------------------


def _read(body):
    return body.read() if hasattr(body, "read") else body


def test_seekable_body_rewound_between_attempts(http, rsps, sleeps):
    seen = []

    def callback(request):
        seen.append(_read(request.body))
        return (503, {}, "") if len(seen) < 3 else (200, {}, "ok")

    rsps.add_callback("PUT", URL, callback=callback)
    body = io.BytesIO(b"0123456789")
    body.seek(2)
    http.request("PUT", URL, data=body, retry=True)
    assert seen == [b"23456789"] * 3


def test_body_factory_called_per_attempt(http, rsps, sleeps):
    made = []

    def factory():
        stream = io.BytesIO(b"part-%d" % len(made))
        made.append(stream)
        return stream

    seen = []

    def callback(request):
        seen.append(_read(request.body))
        return (500, {}, "") if len(seen) < 2 else (200, {}, "ok")

    rsps.add_callback("PUT", URL, callback=callback)
    http.request("PUT", URL, body_factory=factory, retry=True)
    assert seen == [b"part-0", b"part-1"]
    assert all(stream.closed for stream in made)


# -- timeouts ------------------------------------------------------------------------------


def _sent_timeouts(mock):
    return [call.request.req_kwargs["timeout"] for call in mock.calls]


def test_default_and_overridden_timeouts(api, rsps):
    rsps.get(f"{ENDPOINT}/api/whoami-v2", json={"name": "a"})
    rsps.post(f"{ENDPOINT}/api/repos/create", json={"url": f"{ENDPOINT}/a/b"})
    assert api.timeout == (10, 60)
    api.whoami()
    api.create_repo("a/b")
    api.timeout = 30
    api.whoami()
    assert _sent_timeouts(rsps) == [(10.0, 60.0), (10.0, 60.0), 30]
    assert HubSession().timeout == (10.0, 60.0)
    assert api._http.timeout == 30  # one owner: the client's session


def test_client_timeout_none_means_no_timeout(api, rsps):
    rsps.get(URL, json={})
    rsps.get(f"{URL}/tree/main", json=[])
    api.timeout = None
    api.model_info("a/b")
    api.list_repo_files("a/b")
    assert _sent_timeouts(rsps) == [None, None]


def test_per_call_timeouts_and_the_client_default(api, rsps):
    rsps.get(URL, json={})
    api.timeout = 5
    api.model_info("a/b")  # a public method's timeout=None means "not given"
    api.model_info("a/b", timeout=2.5)
    assert _sent_timeouts(rsps) == [5, 2.5]


def test_session_timeout_sentinel(http, rsps):
    rsps.get(URL, body="ok")
    http.request("GET", URL)
    http.request("GET", URL, timeout=None)
    http.request("GET", URL, timeout=USE_CLIENT_DEFAULT)
    http.timeout = None
    http.request("GET", URL)
    http.request("GET", URL, timeout=(1, 2))
    assert _sent_timeouts(rsps) == [(10.0, 60.0), None, (10.0, 60.0), None, (1, 2)]
    assert repr(USE_CLIENT_DEFAULT) == "USE_CLIENT_DEFAULT"


# -- pagination ----------------------------------------------------------------------------


def test_pagination_is_lazy_and_uses_next_links_verbatim(http, rsps):
    page2 = "https://other.test/page?c=2"
    rsps.get(page2, json=[3], match=[responses.matchers.query_param_matcher({"c": "2"})])
    rsps.get(
        URL,
        json=[1, 2],
        headers=link(page2),
        match=[responses.matchers.query_param_matcher({"q": "x"})],
    )
    items = http.paginate(URL, params={"q": "x"}, auth=BearerAuth(TOKEN))
    assert len(rsps.calls) == 0
    assert next(items) == 1
    assert len(rsps.calls) == 1
    assert list(items) == [2, 3]
    assert [c.request.url for c in rsps.calls] == [URL + "?q=x", page2]
    assert rsps.calls[0].request.headers["authorization"] == f"Bearer {TOKEN}"
    # The next page is on another host: followed, but without the token.
    assert "authorization" not in rsps.calls[1].request.headers


def test_pagination_keeps_the_token_on_the_same_origin(http, rsps):
    page2 = URL.replace("https://hub.test/", "https://HUB.test:443/") + "?cursor=2"
    rsps.get(page2, json=[3], match=[responses.matchers.query_param_matcher({"cursor": "2"})])
    rsps.get(URL, json=[1], headers=link(page2), match=[responses.matchers.query_param_matcher({})])
    assert list(http.paginate(URL, auth=BearerAuth(TOKEN))) == [1, 3]
    assert rsps.calls[1].request.headers["authorization"] == f"Bearer {TOKEN}"


def test_pagination_error_mid_iteration(http, rsps):
    page2 = URL + "?cursor=2"
    rsps.get(page2, status=401, match=[responses.matchers.query_param_matcher({"cursor": "2"})])
    rsps.get(
        URL, json=["a"], headers=link(page2), match=[responses.matchers.query_param_matcher({})]
    )
    items = http.paginate(URL)
    assert next(items) == "a"
    with pytest.raises(RepositoryNotFoundError):
        next(items)


def test_pagination_rejects_non_list_page(http, rsps):
    rsps.get(URL, json={"not": "a list"})
    with pytest.raises(ValueError, match="Expected a JSON list"):
        list(http.paginate(URL + "?secret=1"))


# -- sessions and backend ------------------------------------------------------------------


def test_one_session_per_thread():
    main = get_session()
    assert get_session() is main
    found = []

    def worker():
        found.append(get_session())
        found.append(get_session())

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert found[0] is found[1]
    assert found[0] is not main
    assert isinstance(main.get_adapter("https://x"), session_module._HubAdapter)
    assert isinstance(main.get_adapter("http://x"), session_module._HubAdapter)


def test_configure_http_backend(api, rsps):
    made = []

    def factory():
        session = requests.Session()
        session.headers["X-Custom"] = "yes"
        made.append(session)
        return session

    before = get_session()
    try:
        configure_http_backend(backend_factory=factory)
        assert get_session() is made[0]
        assert get_session() is made[0]
        rsps.get(URL, json={})
        api.model_info("a/b")
        headers = rsps.calls[0].request.headers
        assert headers["X-Custom"] == "yes"
        assert "X-Amzn-Trace-Id" in headers  # added by us, not by the adapter
    finally:
        configure_http_backend()
    after = get_session()
    assert after is not before and after is not made[0]


def test_x_request_id_is_used_as_trace_id(http, rsps):
    rsps.get(URL, body="ok")
    rsps.get(URL, body="ok")
    http.request("GET", URL, headers={"X-Request-Id": "custom-1"})
    http.request("GET", URL, headers={"x-request-id": "custom-2"})
    assert [c.request.headers["X-Amzn-Trace-Id"] for c in rsps.calls] == ["custom-1", "custom-2"]


def test_bearer_auth_wins_over_netrc(api, anon, rsps, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine hub.test login user password pass\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    rsps.get(URL, json={})
    api.model_info("a/b")
    assert rsps.calls[0].request.headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in repr(BearerAuth(TOKEN))
    assert BearerAuth("a") == BearerAuth("a") and BearerAuth("a") != BearerAuth("b")


def test_redirects_keep_the_token_on_the_same_host_only(api, rsps):
    rsps.get(URL, status=302, headers={"Location": f"{ENDPOINT}/api/models/c/d"})
    rsps.get(f"{ENDPOINT}/api/models/c/d", status=307, headers={"Location": "https://cdn.test/x"})
    rsps.get("https://cdn.test/x", json={"modelId": "c/d"})
    assert api.model_info("a/b").modelId == "c/d"
    sent = [c.request.headers.get("authorization") for c in rsps.calls]
    assert sent == [f"Bearer {TOKEN}", f"Bearer {TOKEN}", None]


# -- user-agent ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}"),
        (
            ("mylib", "1.0", {"foo": "bar", "a": "b"}),
            f"mylib/1.0; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; foo/bar; a/b",
        ),
        (("mylib",), f"mylib/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}"),
        ((None, None, "x/1; y/2"), f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; x/1; y/2"),
        (
            (None, None, "hf_hub/0.16.4;x/1 ; x/1"),
            f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; x/1",
        ),
        (
            (None, None, "python/0.0"),
            f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; python/0.0",
        ),
    ],
)
def test_build_user_agent(args, expected):
    assert build_user_agent(*args) == expected


def test_user_agent_telemetry(monkeypatch):
    monkeypatch.setattr(
        session_module, "_installed_frameworks", lambda: ("torch/2.0.1", "fastai/2.7")
    )
    assert (
        build_user_agent()
        == f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; torch/2.0.1; fastai/2.7"
    )
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_TELEMETRY", True)
    assert build_user_agent(user_agent={"foo": "bar"}) == (
        f"unknown/None; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; foo/bar"
    )


def test_user_agent_on_the_wire(rsps):
    client = HfApi(
        endpoint=ENDPOINT,
        token="hf_tok",
        library_name="mylib",
        library_version="1.0",
        user_agent={"foo": "bar"},
    )
    rsps.get(f"{URL}/revision/refs%2Fpr%2F1", json={})
    client.model_info("a/b", revision="refs/pr/1", securityStatus=True, files_metadata=True)
    request = rsps.calls[0].request
    assert request.url == f"{URL}/revision/refs%2Fpr%2F1?securityStatus=True&blobs=True"
    assert (
        request.headers["user-agent"] == f"mylib/1.0; hf_hub/0.16.4; hfapi/0.1.0; {PYTHON}; foo/bar"
    )
    assert request.headers["authorization"] == "Bearer hf_tok"


def test_installed_frameworks_detection(monkeypatch):
    versions = {"torch": "2.0.1", "tensorflow-cpu": "2.13.0"}

    def version(name):
        if name in versions:
            return versions[name]
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", version)
    # the real (lru-cached) detection, captured before the autouse fixture replaced it
    assert REAL_FRAMEWORKS.__wrapped__() == ("torch/2.0.1", "tensorflow/2.13.0")


# -- logging -------------------------------------------------------------------------------


def test_retry_logs_hide_query_and_token(api, rsps, caplog):
    caplog.set_level(logging.DEBUG, logger="hfapi")
    rsps.get(f"{URL}/tree/main", status=503)
    rsps.get(f"{URL}/tree/main", json=[])
    api.list_repo_files("a/b")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "answered 503; retry 1/5 in 0.4s" in text
    assert "recursive" not in text and TOKEN not in text
    assert f"GET {URL}/tree/main -> 200" in text
