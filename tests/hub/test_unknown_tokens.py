"""Tokens the Hub does not know: anonymous on public reads, 401 elsewhere, or a strict knob."""

from __future__ import annotations

from typing import Iterator

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file

UNKNOWN = "hf_stale_token_the_hub_does_not_know"
INVALID = "Invalid credentials in Authorization header"


@pytest.fixture
def public_repo(http: Http, user: HubUser) -> str:
    assert http.create_repo(user.token, "pub").ok
    assert http.commit(user.token, f"{user.name}/pub", [add_file("a.txt", b"A")]).ok
    return f"{user.name}/pub"


@pytest.fixture
def strict(hub: LocalHub) -> Iterator[None]:
    hub.configure(reject_unknown_tokens=True)
    try:
        yield
    finally:
        hub.configure(reject_unknown_tokens=False)


def _public_reads(http: Http, repo: str) -> dict:  # type: ignore[type-arg]
    return {
        "info": http("GET", f"/api/models/{repo}", UNKNOWN),
        "revision": http("GET", f"/api/models/{repo}/revision/main", UNKNOWN),
        "tree": http("GET", f"/api/models/{repo}/tree/main", UNKNOWN),
        "refs": http("GET", f"/api/models/{repo}/refs", UNKNOWN),
        "commits": http("GET", f"/api/models/{repo}/commits/main", UNKNOWN),
        "paths-info": http(
            "POST", f"/api/models/{repo}/paths-info/main", UNKNOWN, data={"paths": "a.txt"}
        ),
        "resolve": http("GET", f"/{repo}/resolve/main/a.txt", UNKNOWN),
        "resolve HEAD": http("HEAD", f"/{repo}/resolve/main/a.txt", UNKNOWN),
    }


def test_unknown_token_is_anonymous_on_public_reads(http: Http, public_repo: str) -> None:
    answers = _public_reads(http, public_repo)
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 200)
    assert answers["resolve"].content == b"A"
    assert answers["paths-info"].json()[0]["path"] == "a.txt"


def test_unknown_token_is_refused_on_writes_and_private_reads(
    http: Http, user: HubUser, public_repo: str
) -> None:
    assert http.create_repo(user.token, "hidden", private=True).ok
    refused = [
        http("GET", f"/api/models/{user.name}/hidden", UNKNOWN),
        http("GET", f"/{user.name}/hidden/resolve/main/.gitattributes", UNKNOWN),
        http("GET", f"/api/models/{user.name}/missing", UNKNOWN),
        http("GET", "/api/whoami-v2", UNKNOWN),
        http("GET", "/_hub/state", UNKNOWN),
        http.commit(UNKNOWN, public_repo, [add_file("b.txt", b"B")]),
        http.create_repo(UNKNOWN, "new"),
        http("POST", f"/api/models/{public_repo}/branch/dev", UNKNOWN, json={}),
        http("PUT", f"/api/models/{public_repo}/settings", UNKNOWN, json={"private": True}),
    ]
    for response in refused:
        assert (response.status_code, response.json()) == (401, {"error": INVALID}), response.url
    # The anonymous answers are unchanged.
    assert http("GET", f"/api/models/{user.name}/hidden").json() == {
        "error": "Invalid username or password."
    }


def test_strict_knob_refuses_unknown_tokens_everywhere(
    http: Http, public_repo: str, strict: None
) -> None:
    for name, response in _public_reads(http, public_repo).items():
        assert response.status_code == 401, name
    assert http("GET", f"/api/models/{public_repo}").ok  # anonymous still reads


def test_strict_knob_in_config_and_admin_route(http: Http, hub: LocalHub) -> None:
    config = http("PUT", "/_hub/config", hub.admin_token, json={"reject_unknown_tokens": True})
    try:
        assert config.json()["reject_unknown_tokens"] is True
        bad = http("PUT", "/_hub/config", hub.admin_token, json={"reject_unknown_tokens": 1})
        assert bad.status_code == 400 and "true or false" in bad.json()["error"]
    finally:
        hub.configure(reject_unknown_tokens=False)
