"""Input limits and failure handling of the local Hub (issue 8): parsers, bursts, 500s,
strict booleans and seeding."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
from typing import Any, List

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.errors import HubError
from hfapi.hub.limits import (
    MAX_INT,
    MAX_JSON_DEPTH,
    MAX_PATH_BYTES,
    MAX_PATH_DEPTH,
    InputError,
    check_path_limits,
    parse_int,
    parse_json,
)
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http

# -- the parsers -------------------------------------------------------------------------


def test_parse_json_accepts_what_clients_send() -> None:
    text = (
        '{"name": "x", "organization": null, "private": true, "n": [1, -2, 2.5, "\\ud83d\\ude00"]}'
    )
    assert parse_json(text.encode()) == {
        "name": "x",
        "organization": None,
        "private": True,
        "n": [1, -2, 2.5, "\U0001f600"],
    }
    nested: Any = 1
    for _ in range(MAX_JSON_DEPTH):
        nested = [nested]
    assert parse_json(json.dumps(nested)) == nested
    assert parse_json(str(MAX_INT)) == MAX_INT
    assert parse_json(str(-MAX_INT)) == -MAX_INT


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), "nested deeper than 64"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64"),
        ('{"a": ' * 100 + "1" + "}" * 100, "nested deeper than 64"),
        ('"\\ud800"', "lone surrogates"),
        ('{"\\udfff": 1}', "lone surrogates"),
        ('["\\ude00\\ud83d"]', "lone surrogates"),  # a pair in the wrong order
        (str(MAX_INT + 1), "out of range"),
        ("9" * 5000, "out of range"),
        ("1e999", "out of range"),
        ("NaN", "NaN is not valid JSON"),
        ("-Infinity", "-Infinity is not valid JSON"),
        ('{"a": ', "Expecting value"),
    ],
)
def test_parse_json_refuses(document: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        parse_json(document.encode())
    assert caught.value.status == 400
    assert isinstance(caught.value, ValueError)  # the NDJSON reader relies on it


def test_parse_json_refuses_surrogates_sent_as_raw_bytes() -> None:
    with pytest.raises(InputError, match="lone surrogates"):
        parse_json('{"name": "\ud800"}'.encode("utf-8", "surrogatepass"))


def test_parse_int() -> None:
    assert parse_int("0", "n") == 0
    assert parse_int("000123", "n") == 123
    assert parse_int(str(MAX_INT), "n") == MAX_INT
    assert parse_int("0" * 10_000 + "7", "n") == 7  # leading zeros cost nothing
    for bad in ("", "-1", "+1", "1.0", " 1", "1e3", "\u0663", "\uff11"):
        with pytest.raises(InputError, match="n must be a non-negative integer"):
            parse_int(bad, "n")
    with pytest.raises(InputError, match="too large") as caught:
        parse_int("9" * 5000, "n")
    assert caught.value.status == 400
    with pytest.raises(InputError) as caught:
        parse_int("11", "n", maximum=10, too_large_status=413)
    assert caught.value.status == 413


def test_check_path_limits() -> None:
    deepest = "/".join(["d"] * (MAX_PATH_DEPTH - 1) + ["f"])
    assert check_path_limits(deepest) == deepest
    with pytest.raises(InputError, match="Path too deep"):
        check_path_limits("d/" + deepest)
    longest = "é" * (MAX_PATH_BYTES // 2)
    assert check_path_limits(longest) == longest
    with pytest.raises(InputError, match="Path too long"):
        check_path_limits(longest + "x")
    with pytest.raises(InputError, match=r"\.\.\.'$"):  # the echo is cut short
        check_path_limits("x" * 100_000)


# -- transport ---------------------------------------------------------------------------


def test_a_burst_of_simultaneous_connections_is_served(hub: LocalHub) -> None:
    """64 clients connecting at once: none is reset (the listen backlog was 5)."""
    count = 64
    barrier = threading.Barrier(count)
    statuses: List[int] = []
    errors: List[BaseException] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)
        try:
            barrier.wait()
            connection.request("POST", "/api/repos/create", body=b"{}")  # connects here
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        except BaseException as error:  # collected: asserted below in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == [401] * count  # an anonymous create, refused before its body is read


def test_a_huge_content_length_is_answered_then_the_connection_closed(hub: LocalHub) -> None:
    with socket.create_connection(("127.0.0.1", hub.port), timeout=30) as sock:
        sock.sendall(b"POST /api/repos/create HTTP/1.1\r\nContent-Length: " + b"9" * 4300)
        sock.sendall(b"\r\nX-Request-Id: my-id\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = json.loads(response.read())
        assert response.status == 413
        assert body == {"error": f"Content-Length is too large (at most {64 * 1024**3})"}
        assert response.getheader("X-Request-Id") == "my-id"
        assert response.getheader("Connection") == "close"
        assert sock.recv(1) == b""  # closed by the hub


def test_the_connection_stays_usable_after_a_refused_request(hub: LocalHub) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
    try:
        connection.request(
            "POST",
            "/api/repos/create",
            body=b"[" * 1000 + b"]" * 1000,
            headers={"authorization": f"Bearer {hub.token}"},
        )
        first = connection.getresponse()
        assert (first.status, json.loads(first.read())["error"]) == (
            400,
            "Invalid JSON body: JSON nested deeper than 64 levels",
        )
        connection.request("GET", "/_hub/health")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


# -- bugs answer a generic 500 -----------------------------------------------------------


def test_a_bug_answers_a_generic_500_and_logs_the_traceback(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with LocalHub() as hub:

        def broken() -> Any:
            raise RuntimeError("secret internal detail at /srv/data")

        monkeypatch.setattr(hub.backend.settings, "as_dict", broken)
        with caplog.at_level(logging.ERROR, logger="hfapi.hub"):
            response = Http(hub)("GET", "/_hub/config", hub.admin_token)
    request_id = response.headers["X-Request-Id"]
    assert response.status_code == 500
    assert response.json() == {"error": f"Internal server error (request id {request_id})"}
    assert "secret" not in response.headers["X-Error-Message"]
    (record,) = [r for r in caplog.records if r.name == "hfapi.hub" and r.exc_info]
    assert request_id in record.getMessage()
    assert "GET /_hub/config" in record.getMessage()
    assert "secret internal detail" in caplog.text  # the details stay in the log


# -- strict booleans ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["yes please", "false", "True", 1, 0, [], {}])
def test_a_non_boolean_private_never_changes_visibility(
    http: Http, user: HubUser, value: Any
) -> None:
    assert http.create_repo(user.token, "secret", private=True).status_code == 200
    refused = http(
        "PUT", f"/api/models/{user.name}/secret/settings", user.token, json={"private": value}
    )
    assert refused.status_code == 400
    assert refused.json() == {"error": "'private' must be a JSON boolean (true or false)"}
    assert http("GET", f"/api/models/{user.name}/secret").status_code == 401  # still private
    created = http.create_repo(user.token, "other", private=value)
    assert created.status_code == 400
    assert http("GET", f"/api/models/{user.name}/other", user.token).status_code == 404


def test_json_booleans_and_null_still_work(http: Http, user: HubUser) -> None:
    assert http.create_repo(user.token, "flip", private=None).status_code == 200
    path = f"/api/models/{user.name}/flip"
    assert http("GET", path).json()["private"] is False
    settings = http("PUT", f"{path}/settings", user.token, json={"private": True})
    assert settings.json()["private"] is True
    assert http("PUT", f"{path}/settings", user.token, json={"private": None}).status_code == 200
    assert http("GET", path, user.token).json()["private"] is True  # null changes nothing
    info = http(
        "POST",
        f"{path}/paths-info/main",
        user.token,
        json={"paths": [".gitattributes"], "expand": True},
    )
    assert "lastCommit" in info.json()[0]


# -- seeding -----------------------------------------------------------------------------


def test_seed_refuses_invalid_base64_and_creates_nothing(
    http: Http, hub: LocalHub, user: HubUser
) -> None:
    for encoded in ("!!!", "AAE", "AA=E"):
        spec = {"repo_id": f"{user.name}/seeded", "files": {"a.bin": {"base64": encoded}}}
        answer = http("POST", "/_hub/seed", hub.admin_token, json={"repos": [spec]})
        assert answer.status_code == 400
        assert answer.json() == {"error": "repos[0]: File 'a.bin': invalid base64 content"}
    assert http("GET", f"/api/models/{user.name}/seeded", user.token).status_code == 404


def test_seed_accepts_wrapped_base64(http: Http, hub: LocalHub, user: HubUser) -> None:
    spec = {"repo_id": f"{user.name}/wrapped", "files": {"a.txt": {"base64": "aGVs\nbG8=\n"}}}
    assert http("POST", "/_hub/seed", hub.admin_token, json={"repos": [spec]}).status_code == 200
    download = http("GET", f"/{user.name}/wrapped/resolve/main/a.txt", user.token)
    assert download.content == b"hello"


def test_hub_error_is_the_base_of_input_errors() -> None:
    error = InputError("bad", 413)
    assert isinstance(error, HubError) and (error.status, error.message) == (413, "bad")
