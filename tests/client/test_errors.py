"""The response → exception mapping and how error messages are composed."""

from __future__ import annotations

import base64
import json
import traceback
from pathlib import Path

import pytest
import requests
from _wire import ENDPOINT, TOKEN

import hfapi
from hfapi import errors
from hfapi.errors import (
    BadRequestError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    raise_for_hub_status,
)

SURFACE = json.loads(
    (Path(__file__).resolve().parents[1] / "reference" / "hfapi-0.16.4-surface.json").read_text(
        encoding="utf-8"
    )
)
URL = f"{ENDPOINT}/api/models/a/b"
NOT_FOUND = (
    "Repository Not Found for url: {url}.\nPlease make sure you specified the correct `repo_id`"
    " and `repo_type`.\nIf you are trying to access a private or gated repo, make sure you are"
    " authenticated."
)
REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    412: "Precondition Failed",
    500: "Internal Server Error",
}


def response(status, headers=None, body=b"", url=URL + "?cursor=secret&x=1"):
    resp = requests.Response()
    resp.status_code = status
    resp.reason = REASONS.get(status, "Whatever")
    resp.headers.update(headers or {})
    resp._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    resp.url = url
    return resp


def raised(resp, endpoint_name=None):
    with pytest.raises(HfHubHTTPError) as info:
        raise_for_hub_status(resp, endpoint_name=endpoint_name)
    return info.value


# -- hierarchy -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SURFACE["errors"]))
def test_error_mro_matches_reference(name):
    cls = getattr(errors, name)
    assert [c.__name__ for c in cls.__mro__] == SURFACE["errors"][name]["mro_names"]
    assert [c.__name__ for c in cls.__bases__] == SURFACE["errors"][name]["bases"]


def test_local_errors_hierarchy():
    mro = [c.__name__ for c in LocalEntryNotFoundError.__mro__]
    assert mro[:6] == [
        "LocalEntryNotFoundError",
        "EntryNotFoundError",
        "HfHubHTTPError",
        "HTTPError",
        "RequestException",
        "FileNotFoundError",
    ]
    assert issubclass(LocalEntryNotFoundError, ValueError)
    err = LocalEntryNotFoundError("not cached")
    assert (str(err), err.response, err.request_id, err.server_message) == (
        "not cached",
        None,
        None,
        None,
    )
    assert issubclass(hfapi.LocalTokenNotFoundError, OSError)
    assert issubclass(hfapi.HFValidationError, ValueError)
    assert issubclass(errors.OfflineModeIsEnabled, ConnectionError)


# -- mapping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "cls", "base"),
    [
        (401, None, RepositoryNotFoundError, NOT_FOUND),
        (401, "SomethingNew", RepositoryNotFoundError, NOT_FOUND),
        (401, "RepoNotFound", RepositoryNotFoundError, NOT_FOUND),
        (404, "RepoNotFound", RepositoryNotFoundError, NOT_FOUND),
        (401, "RevisionNotFound", RevisionNotFoundError, "Revision Not Found for url: {url}."),
        (404, "RevisionNotFound", RevisionNotFoundError, "Revision Not Found for url: {url}."),
        (401, "EntryNotFound", EntryNotFoundError, "Entry Not Found for url: {url}."),
        (404, "EntryNotFound", EntryNotFoundError, "Entry Not Found for url: {url}."),
        (401, "GatedRepo", GatedRepoError, "Cannot access gated repo for url {url}."),
        (403, "GatedRepo", GatedRepoError, "Cannot access gated repo for url {url}."),
        (500, "RepoNotFound", RepositoryNotFoundError, NOT_FOUND),  # "Client Error." even for 5xx
    ],
)
def test_mapping_by_code_then_401(status, code, cls, base):
    headers = {"X-Error-Code": code} if code else {}
    err = raised(response(status, headers))
    assert type(err) is cls
    tag = f" (Error code: {code})" if code else ""
    assert str(err) == f"{status} Client Error.{tag}\n\n" + base.format(url=URL)
    assert err.error_code == code
    assert err.response.status_code == status


def test_gated_is_a_repository_not_found():
    assert isinstance(raised(response(403, {"X-Error-Code": "GatedRepo"})), RepositoryNotFoundError)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (404, "Client"),
        (409, "Client"),
        (412, "Client"),
        (403, "Client"),
        (500, "Server"),
        (503, "Server"),
    ],
)
def test_other_statuses_are_generic(status, kind):
    err = raised(response(status, body=b""))
    assert type(err) is HfHubHTTPError
    assert str(err) == f"{status} {kind} Error: {REASONS.get(status, 'Whatever')} for url: {URL}"


def test_bad_request_is_also_value_error():
    err = raised(response(400, {"X-Request-Id": "rid-1"}, {"error": "Invalid thing"}))
    assert type(err) is BadRequestError
    assert isinstance(err, ValueError)
    assert str(err) == " (Request ID: rid-1)\n\nBad request:\nInvalid thing"
    named = raised(response(400, body={"error": "Bad op"}), endpoint_name="commit")
    assert str(named) == "\n\nBad request for commit endpoint:\nBad op"


def test_unknown_code_with_other_status_is_generic():
    err = raised(response(400, {"X-Error-Code": "Weird"}))
    assert type(err) is BadRequestError
    assert str(err) == " (Error code: Weird)\n\nBad request:"
    assert type(raised(response(404, {"X-Error-Code": "Weird"}))) is HfHubHTTPError


def test_no_error_below_400():
    for status in (200, 201, 204, 302, 399):
        raise_for_hub_status(response(status, {"X-Error-Code": "RepoNotFound"}))


# -- message composition (§2.3, with our error-code tag) -----------------------------------


def test_server_message_already_in_base_text_is_dropped():
    err = raised(
        response(
            404,
            {
                "X-Error-Code": "RepoNotFound",
                "X-Error-Message": "Repository not found",
                "X-Request-Id": "Root=1-abc",
            },
            {"error": "Repository not found"},
        )
    )
    assert str(err) == (
        "404 Client Error. (Request ID: Root=1-abc) (Error code: RepoNotFound)\n\n"
        + NOT_FOUND.format(url=URL)
    )
    assert err.server_message == "Repository not found"
    assert err.request_id == "Root=1-abc"


def test_errors_list():
    err = raised(
        response(
            500, {"X-Request-Id": "rid-2"}, {"errors": [{"message": "e1"}, {"message": "e2"}, {}]}
        )
    )
    assert (
        str(err)
        == f"500 Server Error: Internal Server Error for url: {URL} (Request ID: rid-2)\n\ne1\ne2"
    )
    assert err.server_message == "e1\ne2"


def test_gated_message():
    text = "Access to model a/b is restricted and you are not in the authorized list."
    headers = {"X-Error-Code": "GatedRepo", "X-Request-Id": "rid-3"}
    err = raised(response(403, headers, {"error": text}))
    assert str(err) == (
        "403 Client Error. (Request ID: rid-3) (Error code: GatedRepo)\n\n"
        f"Cannot access gated repo for url {URL}.\n{text}"
    )


def test_header_and_body_messages_deduplicated():
    err = raised(response(409, {"X-Error-Message": "Conflict here"}, {"error": "Conflict here"}))
    assert err.server_message == "Conflict here"
    err = raised(
        response(409, {"X-Error-Message": "From header"}, {"error": ["From body", "second"]})
    )
    assert err.server_message == "From header\nFrom body\nsecond"
    assert str(err).endswith("\n\nFrom header\nFrom body\nsecond")
    err = raised(response(409, {}, {"error": "same", "errors": [{"message": "same"}]}))
    assert err.server_message == "same"


def test_request_id_header_is_case_insensitive_and_not_repeated():
    err = raised(response(409, {"x-request-id": "abc"}, {"error": "see abc"}))
    assert err.request_id == "abc"
    assert err.server_message == "see abc"
    assert str(err).count("abc") == 1  # already in the message: no tag


def test_plain_text_body_is_quoted_and_cut():
    err = raised(response(502, {"Content-Type": "text/plain"}, b"upstream timed out"))
    assert err.server_message == "upstream timed out"
    assert str(err).endswith("\n\nupstream timed out")
    long = raised(response(500, {}, b"x" * 1000))
    assert long.server_message == "x" * 300 + "..."


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Content-Type": "text/html"}, b"<html><body>Bad gateway</body></html>"),
        ({}, b"<!DOCTYPE html><html>oops</html>"),
    ],
)
def test_html_body_is_never_quoted(headers, body):
    err = raised(response(502, headers, body))
    assert err.server_message is None
    assert "html" not in str(err).lower()


@pytest.mark.parametrize("body", [b"{}", b'{"detail": "x"}', b'{"error": ""}'])
def test_json_object_without_message_is_not_quoted(body):
    err = raised(response(500, {}, body))
    assert err.server_message is None
    assert str(err) == f"500 Server Error: Internal Server Error for url: {URL}"


@pytest.mark.parametrize("body", [b"[1, 2]", b'"text"', b"null", b"3"])
def test_non_object_json_body_does_not_crash(body):
    err = raised(response(500, {}, body))
    assert type(err) is HfHubHTTPError
    assert str(err).startswith(f"500 Server Error: Internal Server Error for url: {URL}")


def test_query_string_never_in_message_nor_cause():
    resp = response(
        404, {"X-Error-Code": "EntryNotFound"}, url=f"{URL}/tree/main?cursor=s3cr3t#frag"
    )
    err = raised(resp)
    assert "s3cr3t" not in str(err) and "frag" not in str(err)
    assert f"{URL}/tree/main." in str(err)
    cause = err.__cause__
    assert type(cause) is requests.HTTPError
    assert str(cause) == f"404 Client Error: Not Found for url: {URL}/tree/main"
    assert cause.response is resp
    generic = raised(response(500))
    assert "secret" not in str(generic) and "secret" not in str(generic.__cause__)
    assert err.response is resp and err.request is resp.request


def test_append_to_message():
    err = raised(response(409, {}, {"error": "exists"}))
    err.append_to_message("\nMore help.")
    assert str(err) == f"409 Client Error: Conflict for url: {URL}\n\nexists\nMore help."
    assert err.args[0].endswith("More help.")


def test_constructed_without_response():
    err = HfHubHTTPError("plain")
    assert (str(err), err.response, err.request_id, err.server_message, err.error_code) == (
        "plain",
        None,
        None,
        None,
        None,
    )


def test_redact_url():
    assert errors.redact_url("https://h/p/a?b=1#c") == "https://h/p/a"
    assert errors.redact_url(None) == ""
    assert errors.hf_raise_for_status is raise_for_hub_status


# -- through the client --------------------------------------------------------------------


def test_client_raises_mapped_errors(api, rsps):
    rsps.get(
        f"{ENDPOINT}/api/models/a/b",
        status=401,
        headers={"X-Request-Id": "r1"},
        json={"error": "Invalid username or password."},
    )
    with pytest.raises(RepositoryNotFoundError) as info:
        api.model_info("a/b")
    assert str(info.value) == (
        "401 Client Error. (Request ID: r1)\n\n"
        + NOT_FOUND.format(url=f"{ENDPOINT}/api/models/a/b")
        + "\nInvalid username or password."
    )


# -- credentials echoed by a server --------------------------------------------------------

ECHOED = "hf_EchoedSecret0123456789"


def echoing(status, headers=None, token=ECHOED, scheme="Bearer"):
    """A response whose server quoted the request's Authorization header everywhere."""
    if scheme == "Basic":
        value = "Basic " + base64.b64encode(f"access_token:{token}".encode()).decode()
    else:
        value = f"{scheme} {token}"
    resp = response(
        status,
        {
            "X-Error-Message": f"bad header {value}",
            "X-Request-Id": f"id-{token}",
            **(headers or {}),
        },
        {"error": f"Authorization: {value} is not valid", "errors": [{"message": token}]},
    )
    resp.reason = f"Denied {value}"
    resp.request = requests.Request("GET", URL, headers={"authorization": value}).prepare()
    return resp


def _texts(exc):
    """Everything a user (or a log) could print from an exception and its chain."""
    yield "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield from (str(exc), repr(exc), repr(exc.args))
        for name in ("server_message", "request_id", "error_code"):
            yield str(getattr(exc, name, ""))
        exc = exc.__cause__ or exc.__context__


def _assert_clean(exc, *secrets):
    for text in _texts(exc):
        for secret in secrets:
            assert secret not in text


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Error-Code": "RepoNotFound"}, {"X-Error-Code": "GatedRepo"}],
    ids=["generic", "not-found", "gated"],
)
@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_echoed_bearer_token_redacted(status, headers):
    with pytest.raises(HfHubHTTPError) as info:
        raise_for_hub_status(echoing(status, headers))
    _assert_clean(info.value, ECHOED)
    assert "<redacted>" in str(info.value)
    assert info.value.__cause__ is not None


def test_echoed_token_of_any_shape_redacted():
    # a token that does not look like a Hub token is still removed: it was sent
    odd = "0ddT0k3n"
    err = raised(echoing(500, token=odd))
    _assert_clean(err, odd)
    assert err.server_message == (
        "bad header Bearer <redacted>\nAuthorization: Bearer <redacted> is not valid"
    )


def test_echoed_basic_credential_redacted():
    err = raised(echoing(403, token=ECHOED, scheme="Basic"))
    encoded = base64.b64encode(f"access_token:{ECHOED}".encode()).decode()
    _assert_clean(err, ECHOED, encoded)


def test_token_shapes_redacted_even_when_not_sent():
    other = "hf_SomebodyElse987654321"
    org = "api_org_OrgTokenAbcdef123"
    resp = response(409, {}, {"error": f"tokens {other} and {org}; header: Bearer whatever-long"})
    err = raised(resp)
    _assert_clean(err, other, org, "whatever-long")
    assert err.server_message == "tokens <redacted> and <redacted>; header: Bearer <redacted>"
    # ordinary words and repo names stay readable
    plain = raised(response(409, {}, {"error": "Basic authentication for hf_internal_testing"}))
    assert plain.server_message == "Basic authentication for hf_internal_testing"


def test_appended_text_redacted_too():
    err = raised(echoing(409))
    err.append_to_message(f"\nhint: {ECHOED}")
    _assert_clean(err, ECHOED)
    assert err.args[0].endswith("\nhint: <redacted>")


def test_redact_secrets():
    assert errors.redact_secrets("a SECRETX b", ["SECRETX"]) == "a <redacted> b"
    assert errors.redact_secrets("word ab", ["ab"]) == "word ab"  # too short to be a secret
    assert errors.redact_secrets('{"a": "Bearer abcdefghij"}') == '{"a": "Bearer <redacted>"}'


def test_echoed_token_through_the_client(api, rsps):
    echo = {"error": f"you sent Bearer {TOKEN}", "token": TOKEN}
    rsps.get(URL, status=401, headers={"X-Error-Message": TOKEN}, json=echo)
    rsps.get(f"{ENDPOINT}/api/whoami-v2", status=401, json=echo)
    with pytest.raises(RepositoryNotFoundError) as info:
        api.model_info("a/b")
    _assert_clean(info.value, TOKEN)
    with pytest.raises(requests.HTTPError) as info:
        api.whoami()
    _assert_clean(info.value, TOKEN)
