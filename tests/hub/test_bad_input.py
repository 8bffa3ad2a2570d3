"""Hostile and malformed input: every request is refused with a 4xx in the Hub's shape.

A table of named cases (the defects of issue 8 among them) plus property tests that put
bad values in every slot: nested JSON, huge integers, lone surrogates, non-boolean
flags, paths too deep or too long, malformed numbers. Each request is checked by
:class:`~tests.hub._bad_input.Prober`: a 4xx, ``{"error": ...}``, ``X-Error-Message``,
``X-Request-Id``, no dropped connection and no traceback in the hub's log. The number of
requests sent is shown in the session summary (and by the last test, with ``-s``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from typing import Any, Callable, Dict, Iterator, List, Tuple
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfapi.hub import LocalHub
from hfapi.hub.limits import MAX_JSON_DEPTH, MAX_PATH_BYTES, MAX_PATH_DEPTH
from hfapi.hub.pytest_plugin import new_hub_user

from ._bad_input import COUNT_PROPERTY, LogCapture, Prober, Refusal
from ._helpers import Http

PROPERTY = settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])


@dataclasses.dataclass(frozen=True)
class Target:
    """What the bad requests aim at: a user, one of its repos, a multipart upload."""

    user: str
    token: str
    admin: str
    repo: str
    ticket: str  # path of the multipart upload URL
    part: str  # path of its first part URL


@pytest.fixture(scope="module")
def log() -> Iterator[LogCapture]:
    capture = LogCapture()
    logger = logging.getLogger("hfapi.hub")
    logger.addHandler(capture)
    yield capture
    logger.removeHandler(capture)


@pytest.fixture(scope="module")
def prober(hub: LocalHub, log: LogCapture) -> Prober:
    return Prober(hub, log)


@pytest.fixture(scope="module")
def target(hub: LocalHub, http: Http) -> Target:
    user = new_hub_user(hub, "bad-input")
    repo = f"{user.name}/target"
    assert http.create_repo(user.token, "target").status_code == 200
    hub.upload(repo, {"data/file.txt": "hello"})
    data = b"x" * 2000  # over the multipart threshold of SMALL_LIMITS
    oid = hashlib.sha256(data).hexdigest()
    answer = http.batch(user.token, repo, [{"oid": oid, "size": len(data)}]).json()
    upload = answer["objects"][0]["actions"]["upload"]
    return Target(
        user=user.name,
        token=user.token,
        admin=hub.admin_token,
        repo=repo,
        ticket=upload["href"][len(hub.url) :],
        part=upload["header"]["00001"][len(hub.url) :],
    )


@pytest.fixture(autouse=True)
def count_requests(
    prober: Prober, record_property: Callable[[str, object], None]
) -> Iterator[None]:
    before = prober.sent
    yield
    record_property(COUNT_PROPERTY, prober.sent - before)


# -- slots: where a bad value can go -----------------------------------------------------

Send = Callable[[Prober, Target, Any], Refusal]


def _commit(p: Prober, t: Target, *operations: Dict[str, Any], summary: Any = "s") -> Refusal:
    lines = [{"key": "header", "value": {"summary": summary}}, *operations]
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    return p.request("POST", f"/api/models/{t.repo}/commit/main", body, token=t.token)


def _file(path: Any) -> Dict[str, Any]:
    return {"key": "file", "value": {"path": path, "content": "aGk=", "encoding": "base64"}}


#: The answer to a write sent without a token, whatever its body.
ANONYMOUS_WRITE = "You must be authenticated to do this"

#: JSON endpoints, as (method, path template, token name); the body replaces the whole.
JSON_ENDPOINTS: List[Tuple[str, str, str]] = [
    ("POST", "/api/repos/create", "token"),
    ("POST", "/api/repos/create", ""),
    ("DELETE", "/api/repos/delete", "token"),
    ("POST", "/api/repos/move", "token"),
    ("PUT", "/api/models/{repo}/settings", "token"),
    ("POST", "/api/models/{repo}/branch/dev", "token"),
    ("POST", "/api/models/{repo}/tag/main", "token"),
    ("POST", "/api/models/{repo}/paths-info/main", "token"),
    ("POST", "/api/models/{repo}/preupload/main", "token"),
    ("POST", "/api/models/{repo}/commit/main", "token"),
    ("POST", "/{repo}.git/info/lfs/objects/batch", "token"),
    ("POST", "/{repo}.git/info/lfs/objects/verify", "token"),
    ("POST", "{ticket}", ""),
    ("POST", "/_hub/seed", "admin"),
    ("PUT", "/_hub/config", "admin"),
]


def _send_json(p: Prober, t: Target, endpoint: Tuple[str, str, str], body: Any) -> Refusal:
    method, template, who = endpoint
    path = template.format(repo=t.repo, ticket=t.ticket)
    token = {"token": t.token, "admin": t.admin}.get(who)
    return p.json(method, path, body, token)


def _int_slots() -> Dict[str, Send]:
    def query(path: str, name: str) -> Send:
        return lambda p, t, v: p.request("GET", f"{path.format(repo=t.repo)}?{name}={quote(v)}")

    def ranged(template: str) -> Send:
        url = "/{repo}/resolve/main/data/file.txt"
        return lambda p, t, v: p.request(
            "GET", url.format(repo=t.repo), headers={"Range": template.format(v)}
        )

    return {
        "tree cursor": query("/api/models/{repo}/tree/main", "cursor"),
        "tree limit": query("/api/models/{repo}/tree/main", "limit"),
        "history p": query("/api/models/{repo}/commits/main", "p"),
        "range start": ranged("bytes={}-"),
        "range end": ranged("bytes=0-{}"),
        "range suffix": ranged("bytes=-{}"),
        "part number": lambda p, t, v: p.request("PUT", f"{t.ticket}/{quote(v)}", b"x" * 400),
    }


INT_SLOTS = _int_slots()


def _huge_json_int(p: Prober, t: Target, digits: str, where: str) -> Refusal:
    # Written by hand: Python refuses to format an int of more than 4,300 digits.
    if where == "create":
        body = f'{{"name": "x", "lfsmultipartthresh": {digits}}}'
        return p.json("POST", "/api/repos/create", body.encode(), t.token)
    if where == "batch":
        body = f'{{"operation": "upload", "objects": [{{"oid": "{"a" * 64}", "size": {digits}}}]}}'
        return p.json("POST", f"/{t.repo}.git/info/lfs/objects/batch", body.encode(), t.token)
    body = f'{{"files": [{{"path": "a.txt", "size": -{digits}, "sample": ""}}]}}'
    return p.json("POST", f"/api/models/{t.repo}/preupload/main", body.encode(), t.token)


def _string_slots() -> Dict[str, Callable[[Prober, Target, str, bool], Refusal]]:
    def body(method: str, path: str, make: Callable[[str], Any], who: str = "token") -> Any:
        def send(p: Prober, t: Target, value: str, raw_utf8: bool) -> Refusal:
            document = make(value)
            if raw_utf8:  # the surrogate as (invalid) UTF-8 bytes instead of a \u escape
                data = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
            else:
                data = json.dumps(document).encode()
            token = t.admin if who == "admin" else (t.token if who else None)
            return p.json(method, path.format(repo=t.repo), data, token)

        return send

    create, delete, move = "/api/repos/create", "/api/repos/delete", "/api/repos/move"
    return {
        "create name": body("POST", create, lambda v: {"name": v}),
        "create organization": body("POST", create, lambda v: {"name": "x", "organization": v}),
        "create organization anonymous": body(
            "POST", create, lambda v: {"name": "x", "organization": v}, ""
        ),
        "create type": body("POST", create, lambda v: {"name": "x", "type": v}),
        "create hardware": body(
            "POST", create, lambda v: {"name": "s", "type": "space", "sdk": "gradio", "hardware": v}
        ),
        "create key": body("POST", create, lambda v: {"name": "x", v: 1}),
        "delete name": body("DELETE", delete, lambda v: {"name": v}),
        "delete type": body("DELETE", delete, lambda v: {"name": "x", "type": v}),
        "move fromRepo": body("POST", move, lambda v: {"fromRepo": v, "toRepo": "a/b"}),
        "move toRepo": body("POST", move, lambda v: {"fromRepo": "a/b", "toRepo": v}),
        "tag name": body("POST", "/api/models/{repo}/tag/main", lambda v: {"tag": v}),
        "tag message": body(
            "POST", "/api/models/{repo}/tag/main", lambda v: {"tag": "v1", "message": v}
        ),
        "branch startingPoint": body(
            "POST", "/api/models/{repo}/branch/b", lambda v: {"startingPoint": v}
        ),
        "paths-info path": body(
            "POST", "/api/models/{repo}/paths-info/main", lambda v: {"paths": [v]}
        ),
        "preupload path": body(
            "POST", "/api/models/{repo}/preupload/main", lambda v: {"files": [{"path": v}]}
        ),
        "commit summary": body(
            "POST",
            "/api/models/{repo}/commit/main",
            lambda v: {"key": "header", "value": {"summary": v}},
        ),
        "lfs oid": body(
            "POST",
            "/{repo}.git/info/lfs/objects/batch",
            lambda v: {"operation": "upload", "objects": [{"oid": v, "size": 1}]},
        ),
        "seed user": body("POST", "/_hub/seed", lambda v: {"users": [{"name": v}]}, "admin"),
        "config key": body("PUT", "/_hub/config", lambda v: {v: 1}, "admin"),
    }


STRING_SLOTS = _string_slots()

#: Booleans read from JSON bodies, as (method, path template, field wrapper, who).
FLAG_SLOTS: Dict[str, Callable[[Prober, Target, Any], Refusal]] = {
    "create private": lambda p, t, v: p.json(
        "POST", "/api/repos/create", {"name": "flag", "private": v}, t.token
    ),
    "settings private": lambda p, t, v: p.json(
        "PUT", f"/api/models/{t.repo}/settings", {"private": v}, t.token
    ),
    "paths-info expand": lambda p, t, v: p.json(
        "POST", f"/api/models/{t.repo}/paths-info/main", {"paths": ["x"], "expand": v}, t.token
    ),
    "seed private": lambda p, t, v: p.json(
        "POST", "/_hub/seed", {"repos": [{"repo_id": f"{t.user}/seeded", "private": v}]}, t.admin
    ),
}

#: Where a repo file path goes.
PATH_SLOTS: Dict[str, Callable[[Prober, Target, str], Refusal]] = {
    "commit file": lambda p, t, path: _commit(p, t, _file(path)),
    "commit deletedFile": lambda p, t, path: _commit(
        p, t, {"key": "deletedFile", "value": {"path": path}}
    ),
    "commit deletedFolder": lambda p, t, path: _commit(
        p, t, {"key": "deletedFolder", "value": {"path": path}}
    ),
    "commit lfsFile": lambda p, t, path: _commit(
        p, t, {"key": "lfsFile", "value": {"path": path, "oid": "a" * 64, "algo": "sha256"}}
    ),
    "preupload": lambda p, t, path: p.json(
        "POST",
        f"/api/models/{t.repo}/preupload/main",
        {"files": [{"path": path, "size": 1, "sample": ""}]},
        t.token,
    ),
    "seed": lambda p, t, path: p.json(
        "POST", "/_hub/seed", {"repos": [{"repo_id": t.repo, "files": {path: "x"}}]}, t.admin
    ),
}


# -- property tests ----------------------------------------------------------------------


@PROPERTY
@given(
    depth=st.integers(MAX_JSON_DEPTH + 1, 5000),
    opener=st.sampled_from(["[", '{"a": ']),
    endpoint=st.sampled_from(JSON_ENDPOINTS),
)
def test_nested_json_is_refused_everywhere(
    prober: Prober, target: Target, depth: int, opener: str, endpoint: Tuple[str, str, str]
) -> None:
    closer = "]" if opener == "[" else "}"
    body = (opener * depth + "1" + closer * depth).encode()
    refusal = _send_json(prober, target, endpoint, body)
    if endpoint[2] == "" and endpoint[1].startswith("/api/"):
        # An anonymous API write is refused before its body is read (upload URLs are
        # pre-signed: they take no token and do read it).
        assert (refusal.status, refusal.body["error"]) == (401, ANONYMOUS_WRITE)
        return
    assert refusal.status == 400
    assert "nested deeper" in refusal.body["error"]


@PROPERTY
@given(
    first=st.sampled_from("123456789"),
    rest=st.text("0123456789", min_size=19, max_size=6000),
    slot=st.sampled_from(sorted(INT_SLOTS)),
)
def test_huge_integers_are_refused_everywhere(
    prober: Prober, target: Target, first: str, rest: str, slot: str
) -> None:
    refusal = INT_SLOTS[slot](prober, target, first + rest)
    assert refusal.status == 400
    assert "too large" in refusal.body["error"]


@PROPERTY
@given(
    first=st.sampled_from("123456789"),
    rest=st.text("0123456789", min_size=19, max_size=6000),
    where=st.sampled_from(["create", "batch", "preupload"]),
)
def test_huge_json_integers_are_refused(
    prober: Prober, target: Target, first: str, rest: str, where: str
) -> None:
    refusal = _huge_json_int(prober, target, first + rest, where)
    assert refusal.status == 400
    assert "out of range" in refusal.body["error"]


@PROPERTY
@given(
    text=st.text("-+.e xyz\u0663\uff11", min_size=1, max_size=8),
    slot=st.sampled_from(["tree cursor", "tree limit", "history p", "part number"]),
)
def test_malformed_integers_are_refused(
    prober: Prober, target: Target, text: str, slot: str
) -> None:
    refusal = INT_SLOTS[slot](prober, target, text)
    assert refusal.status == 400
    assert "must be a non-negative integer" in refusal.body["error"]


@PROPERTY
@given(
    before=st.text(max_size=4),
    surrogate=st.integers(0xD800, 0xDFFF).map(chr),
    after=st.text(max_size=4),
    slot=st.sampled_from(sorted(STRING_SLOTS)),
    raw_utf8=st.booleans(),
)
def test_lone_surrogates_are_refused_everywhere(
    prober: Prober,
    target: Target,
    before: str,
    surrogate: str,
    after: str,
    slot: str,
    raw_utf8: bool,
) -> None:
    refusal = STRING_SLOTS[slot](prober, target, before + surrogate + after, raw_utf8)
    if slot.endswith("anonymous"):  # an anonymous write is refused before its body is read
        assert (refusal.status, refusal.body["error"]) == (401, ANONYMOUS_WRITE)
        return
    assert refusal.status == 400
    assert "surrogate" in refusal.body["error"]


_NOT_BOOLEAN = st.one_of(
    st.text(max_size=10),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.booleans(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.booleans(), max_size=1),
)


@PROPERTY
@given(value=_NOT_BOOLEAN, slot=st.sampled_from(sorted(FLAG_SLOTS)))
def test_non_boolean_flags_are_refused(
    prober: Prober, target: Target, value: Any, slot: str
) -> None:
    refusal = FLAG_SLOTS[slot](prober, target, value)
    assert refusal.status == 400
    assert "must be" in refusal.body["error"] and "true" in refusal.body["error"]


_DEEP_PATHS = st.integers(MAX_PATH_DEPTH, 3000).map(lambda n: "/".join(["d"] * n) + "/f")
_LONG_PATHS = st.integers(MAX_PATH_BYTES + 1, 3 * MAX_PATH_BYTES).map(lambda n: "é" * (n // 2 + 1))


@PROPERTY
@given(path=st.one_of(_DEEP_PATHS, _LONG_PATHS), slot=st.sampled_from(sorted(PATH_SLOTS)))
def test_paths_over_the_limits_are_refused(
    prober: Prober, target: Target, path: str, slot: str
) -> None:
    refusal = PATH_SLOTS[slot](prober, target, path)
    assert refusal.status == 400
    assert "Path too" in refusal.body["error"]


# -- named cases -------------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
BIG = "9" * 5000
Case = Tuple[str, int, Callable[[Prober, Target], Refusal]]

_CASES: List[Case] = [
    # Deeply nested JSON (RecursionError inside the decoder).
    ("create nested", 400, lambda p, t: p.json("POST", "/api/repos/create", DEEP, t.token)),
    # Authentication comes first, as on the Hub: the body of an anonymous write is not read.
    ("create nested anonymous", 401, lambda p, t: p.json("POST", "/api/repos/create", DEEP)),
    (
        "paths-info nested",
        400,
        lambda p, t: p.json("POST", f"/api/models/{t.repo}/paths-info/main", DEEP, t.token),
    ),
    ("multipart completion nested", 400, lambda p, t: p.json("POST", t.ticket, DEEP)),
    ("config nested", 400, lambda p, t: p.json("PUT", "/_hub/config", DEEP, t.admin)),
    ("seed nested", 400, lambda p, t: p.json("POST", "/_hub/seed", DEEP, t.admin)),
    (
        "commit line nested",
        400,
        lambda p, t: p.request("POST", f"/api/models/{t.repo}/commit/main", DEEP, token=t.token),
    ),
    (
        "one level too deep",
        400,
        lambda p, t: p.json(
            "POST",
            "/api/repos/create",
            b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
            t.token,
        ),
    ),
    # Integers over 4,300 digits.
    ("range start", 400, lambda p, t: INT_SLOTS["range start"](p, t, BIG)),
    ("range end", 400, lambda p, t: INT_SLOTS["range end"](p, t, BIG)),
    ("range suffix", 400, lambda p, t: INT_SLOTS["range suffix"](p, t, BIG)),
    ("cursor", 400, lambda p, t: INT_SLOTS["tree cursor"](p, t, BIG)),
    ("limit", 400, lambda p, t: INT_SLOTS["tree limit"](p, t, BIG)),
    ("p", 400, lambda p, t: INT_SLOTS["history p"](p, t, BIG)),
    ("part number", 400, lambda p, t: INT_SLOTS["part number"](p, t, BIG)),
    ("part number zero", 400, lambda p, t: INT_SLOTS["part number"](p, t, "0")),
    ("json int in create", 400, lambda p, t: _huge_json_int(p, t, BIG, "create")),
    ("json int in batch", 400, lambda p, t: _huge_json_int(p, t, BIG, "batch")),
    ("json int 2**63", 400, lambda p, t: _huge_json_int(p, t, str(2**63), "batch")),
    # Content-Length.
    (
        "content-length 4300 digits",
        413,
        lambda p, t: p.raw(
            f"POST /api/repos/create HTTP/1.1\r\nContent-Length: {BIG}\r\n\r\n".encode()
        ),
    ),
    (
        "content-length 2**63",
        413,
        lambda p, t: p.raw(f"POST /x HTTP/1.1\r\nContent-Length: {2**63}\r\n\r\n".encode()),
    ),
    (
        "content-length negative",
        400,
        lambda p, t: p.raw(b"POST /api/repos/create HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
    ),
    (
        "content-length words",
        400,
        lambda p, t: p.raw(b"PUT /_hub/config HTTP/1.1\r\nContent-Length: ten\r\n\r\n"),
    ),
    (
        "content-length on HEAD",
        400,
        lambda p, t: p.raw(b"HEAD / HTTP/1.1\r\nContent-Length: 1.5\r\n\r\n", "HEAD"),
    ),
    (
        "body shorter than announced",
        400,
        lambda p, t: p.raw(
            b"POST /api/repos/create HTTP/1.1\r\nContent-Length: 50\r\n"
            + f"Authorization: Bearer {t.token}\r\n\r\n".encode()
            + b'{"name": "x"}'
        ),
    ),
    (
        "chunk size not hex",
        400,
        lambda p, t: p.raw(
            b"POST /api/repos/create HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
            + f"Authorization: Bearer {t.token}\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n".encode()
        ),
    ),
    # Malformed requests refused by the HTTP layer itself.
    ("request line garbage", 400, lambda p, t: p.raw(b"GET / HTTP/1.1 extra\r\n\r\n")),
    ("request line bad version", 400, lambda p, t: p.raw(b"GET / HTTX/1.1\r\n\r\n")),
    ("request line too long", 414, lambda p, t: p.raw(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n")),
    (
        "header line too long",
        431,
        lambda p, t: p.raw(b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n"),
    ),
    (
        "too many headers",
        431,
        lambda p, t: p.raw(
            b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(150)) + b"\r\n"
        ),
    ),
    (
        "path near the request-line limit",  # its 404 message must fit in a header line
        404,
        lambda p, t: p.request("GET", "/" + "a" * 65_500),
    ),
    ("bad percent-encoding", 400, lambda p, t: p.request("GET", "/api/models/%ff%fe/refs")),
    # Lone surrogates in JSON strings (UnicodeEncodeError further down).
    *[
        (
            f"surrogate in {slot}",
            401 if slot.endswith("anonymous") else 400,
            lambda p, t, s=slot: STRING_SLOTS[s](p, t, "\ud800", False),
        )
        for slot in sorted(STRING_SLOTS)
    ],
    # Paths deeper than the recursion limit.
    ("commit path 1000 deep", 400, lambda p, t: PATH_SLOTS["commit file"](p, t, "a/" * 999 + "f")),
    (
        "commit path too long",
        400,
        lambda p, t: PATH_SLOTS["commit file"](p, t, "x" * (MAX_PATH_BYTES + 1)),
    ),
    ("preupload path 1000 deep", 400, lambda p, t: PATH_SLOTS["preupload"](p, t, "a/" * 999 + "f")),
    # Booleans that are not JSON booleans.
    ("private yes please", 400, lambda p, t: FLAG_SLOTS["create private"](p, t, "yes please")),
    ("private 'true'", 400, lambda p, t: FLAG_SLOTS["create private"](p, t, "true")),
    ("private 1", 400, lambda p, t: FLAG_SLOTS["create private"](p, t, 1)),
    ("settings private 'false'", 400, lambda p, t: FLAG_SLOTS["settings private"](p, t, "false")),
    ("seed private 'yes'", 400, lambda p, t: FLAG_SLOTS["seed private"](p, t, "yes")),
    # Seed files.
    (
        "seed invalid base64",
        400,
        lambda p, t: p.json(
            "POST",
            "/_hub/seed",
            {"repos": [{"repo_id": t.repo, "files": {"a.bin": {"base64": "!!!"}}}]},
            t.admin,
        ),
    ),
    (
        "seed base64 padding",
        400,
        lambda p, t: p.json(
            "POST",
            "/_hub/seed",
            {"repos": [{"repo_id": t.repo, "files": {"a.bin": {"base64": "AAE"}}}]},
            t.admin,
        ),
    ),
    *[
        (
            f"seed {key} {value!r}",
            400,
            lambda p, t, k=key, v=value: p.json(
                "POST", "/_hub/seed", {"repos": [{"repo_id": f"{t.user}/typed", k: v}]}, t.admin
            ),
        )
        for key, value in [
            ("repo_type", ["model"]),
            ("repo_type", {"a": 1}),
            ("sdk", 3),
            ("branch", ["main"]),
            ("message", {"m": 1}),
            ("files", ["a.txt"]),
        ]
    ],
    (
        "lfsmultipartthresh true",
        400,
        lambda p, t: p.json(
            "POST", "/api/repos/create", {"name": "t", "lfsmultipartthresh": True}, t.token
        ),
    ),
    # Not JSON, or JSON the Hub never sends.
    ("NaN", 400, lambda p, t: p.json("POST", "/api/repos/create", b'{"name": NaN}', t.token)),
    (
        "Infinity",
        400,
        lambda p, t: p.json("PUT", "/_hub/config", b'{"tree_page_size": Infinity}', t.admin),
    ),
    ("1e999", 400, lambda p, t: p.json("POST", "/api/repos/create", b'{"n": 1e999}', t.token)),
    ("truncated", 400, lambda p, t: p.json("POST", "/api/repos/create", b'{"name": ', t.token)),
    (
        "invalid UTF-8",
        400,
        lambda p, t: p.json("POST", "/api/repos/create", b'{"name": "\xff"}', t.token),
    ),
    ("array body", 400, lambda p, t: p.json("POST", "/api/repos/create", [], t.token)),
]
CASES = {name: (status, send) for name, status, send in _CASES}


@pytest.mark.parametrize("name", list(CASES))
def test_named_bad_input(prober: Prober, target: Target, name: str) -> None:
    status, send = CASES[name]
    assert send(prober, target).status == status


def test_bad_requests_leave_the_hub_log_without_traceback(
    prober: Prober, target: Target, log: LogCapture
) -> None:
    # Runs last in this module: every request above was checked on the spot, this is the
    # summary of this process (with xdist, of the tests this worker ran).
    _commit(prober, target, _file("a/" * 999 + "f"))
    print(f"\nbad-input suite: {prober.sent} raw requests, all refused in the Hub's shape")
    assert prober.sent >= 1
    assert log.tracebacks == []
