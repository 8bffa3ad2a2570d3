"""The retry rules as pure functions: no server, no clock, no randomness."""

from __future__ import annotations

import socket

import pytest
import requests
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)

from hfapi._retry import (
    RetryPolicy,
    connection_failure,
    final_transport_error,
    is_retryable_method,
    origin_of,
)

POLICY = RetryPolicy()


def answer(status: int) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    return response


def wrapped(reason: Exception) -> requests.ConnectionError:
    """A transport error shaped as requests raises it: urllib3's retry error inside."""
    try:
        try:
            raise reason
        except Exception as exc:
            raise MaxRetryError(None, "/api/x?cursor=1", exc) from exc
    except MaxRetryError as exc:
        return requests.ConnectionError(exc)


def refused() -> requests.ConnectionError:
    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except ConnectionRefusedError as exc:
        try:
            raise NewConnectionError(None, f"Failed to establish a new connection: {exc}") from exc
        except NewConnectionError as new:
            return wrapped(new)


UNRESOLVED = wrapped(NameResolutionError("nohost.test", None, socket.gaierror(-2, "unknown")))
UNREACHABLE = wrapped(NewConnectionError(None, "Failed: [Errno 113] No route to host"))
RESET = wrapped(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))
READ_TIMEOUT = requests.ReadTimeout(ReadTimeoutError(None, "/x", "Read timed out."))
CONNECT_TIMEOUT = requests.ConnectTimeout("Connect timed out")


@pytest.mark.parametrize(
    ("outcome", "retryable", "expected"),
    [
        (answer(503), True, True),
        (answer(429), True, True),
        (answer(503), False, False),
        (answer(404), True, False),
        (answer(200), True, False),
        (RESET, True, True),
        (RESET, False, False),
        (READ_TIMEOUT, True, True),
        (READ_TIMEOUT, False, False),
        (CONNECT_TIMEOUT, False, True),  # nothing left the machine
        (refused(), True, False),  # waiting does not open a closed port
        (refused(), False, False),
        (UNRESOLVED, True, False),
        (UNREACHABLE, True, False),
        (requests.TooManyRedirects("loop"), True, False),
    ],
)
def test_should_retry_table(outcome, retryable, expected):
    assert POLICY.should_retry(0, outcome, retryable=retryable) is expected


def test_should_retry_stops_at_max_retries():
    decisions = [POLICY.should_retry(n, answer(503), retryable=True) for n in range(7)]
    assert decisions == [True] * 5 + [False, False]
    assert not RetryPolicy(max_retries=0).should_retry(0, CONNECT_TIMEOUT, retryable=True)


@pytest.mark.parametrize(
    ("method", "retry", "expected"),
    [
        ("GET", None, True),
        ("head", None, True),
        ("OPTIONS", None, True),
        ("POST", None, False),
        ("PUT", None, False),
        ("DELETE", None, False),
        ("POST", True, True),
        ("GET", False, False),
    ],
)
def test_is_retryable_method(method, retry, expected):
    assert is_retryable_method(method, retry) is expected


def test_connection_failure_by_type_not_text():
    assert connection_failure(refused()) == "connection refused"
    assert connection_failure(UNRESOLVED) == "the host name could not be resolved"
    assert connection_failure(UNREACHABLE) == "no connection could be opened"
    for other in (RESET, READ_TIMEOUT, CONNECT_TIMEOUT):
        assert connection_failure(other) is None
    # the same words without the types behind them prove nothing
    assert connection_failure(requests.ConnectionError("[Errno 111] Connection refused")) is None


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://hub.test/api/models/a?cursor=1#x", "https://hub.test:443"),
        ("http://user:secret@127.0.0.1:8080/p", "http://127.0.0.1:8080"),
        ("http://[::1]:9/p", "http://[::1]:9"),
        ("http://hub.test", "http://hub.test:80"),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


def test_final_transport_error_for_a_connection_never_opened():
    error = final_transport_error(refused(), "http://u:pw@127.0.0.1:1/api/x?t=hf_abcdefghij", "t1")
    assert type(error) is requests.ConnectionError
    assert error.args == ("Cannot connect to http://127.0.0.1:1: connection refused.",)
    assert str(error) == error.args[0]


def test_final_transport_error_keeps_type_strips_query_and_credentials():
    source = requests.ReadTimeout(
        "Read timed out: /api/x?cursor=s3cr3t (sent with Bearer hf_abcdefghijkl)"
    )
    error = final_transport_error(source, "https://hub.test/api/x?cursor=s3cr3t", "t1")
    assert type(error) is requests.ReadTimeout
    assert error.args == ("Read timed out: /api/x (sent with Bearer <redacted>) (Request ID: t1)",)
