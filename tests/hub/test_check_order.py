"""The Hub's order of checks on write routes, request by request.

Order: authentication (401), the repo exists and the caller sees it (``RepoNotFound``),
rights on it (403), the revision (``RevisionNotFound``), the other arguments (400), and
last conflicts (409). Each request below fails two checks at once and must get the
answer of the earlier one.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, Dict, Optional, Tuple

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import Http

NDJSON = "ndjson"
_BAD_PAYLOAD = '{"key": "header", "value": {"summary": "s"}}\nnot json\n'
_STALE_BAD_PAYLOAD = (
    json.dumps({"key": "header", "value": {"summary": "s", "parentCommit": "0" * 40}})
    + "\n"
    + json.dumps({"key": "mystery", "value": {}})
    + "\n"
)


@dataclasses.dataclass(frozen=True)
class Case:
    """A request failing two checks, and the answer of the earlier check.

    ``path`` and string values of ``body`` may use ``{repo}`` (public repo of the owner,
    with branch ``dev`` and tag ``v1``), ``{hidden}`` (private repo of the owner),
    ``{missing}`` (no such repo), ``{owner}`` and ``{other}`` (a user without rights).
    """

    id: str
    method: str
    path: str
    who: str  # "anonymous", "owner", "reader" (owner's read token) or "other"
    body: Any
    expected: Tuple[int, Optional[str]]


NOT_FOUND = (404, "RepoNotFound")
NO_REVISION = (404, "RevisionNotFound")
UNAUTHENTICATED = (401, None)
FORBIDDEN = (403, None)
BAD = (400, None)

CASES = [
    # create_branch
    Case(
        "branch: auth<repo",
        "POST",
        "/api/models/{missing}/branch/b",
        "anonymous",
        {},
        UNAUTHENTICATED,
    ),
    Case(
        "branch: repo<name", "POST", "/api/models/{hidden}/branch/bad name", "other", {}, NOT_FOUND
    ),
    Case(
        "branch: rights<revision",
        "POST",
        "/api/models/{repo}/branch/bad name",
        "other",
        {"startingPoint": "foobar"},
        FORBIDDEN,
    ),
    Case(
        "branch: revision<name",
        "POST",
        "/api/models/{repo}/branch/bad name",
        "owner",
        {"startingPoint": "foobar"},
        NO_REVISION,
    ),
    Case(
        "branch: argument<conflict",
        "POST",
        "/api/models/{repo}/branch/dev",
        "owner",
        {"startingPoint": 5},
        BAD,
    ),
    # delete_branch
    Case(
        "delete branch: auth<repo",
        "DELETE",
        "/api/models/{hidden}/branch/x",
        "anonymous",
        None,
        UNAUTHENTICATED,
    ),
    Case(
        "delete branch: rights<revision",
        "DELETE",
        "/api/models/{repo}/branch/nope",
        "other",
        None,
        FORBIDDEN,
    ),
    Case(
        "delete branch: repo<revision",
        "DELETE",
        "/api/models/{hidden}/branch/nope",
        "other",
        None,
        NOT_FOUND,
    ),
    # create_tag
    Case(
        "tag: revision<name",
        "POST",
        "/api/models/{repo}/tag/foobar",
        "owner",
        {"tag": "invalid tag"},
        NO_REVISION,
    ),
    Case(
        "tag: argument<conflict",
        "POST",
        "/api/models/{repo}/tag/main",
        "owner",
        {"tag": "v1", "message": 5},
        BAD,
    ),
    Case(
        "tag: revision<missing tag",
        "POST",
        "/api/models/{repo}/tag/foobar",
        "owner",
        {},
        NO_REVISION,
    ),
    Case(
        "tag: rights<revision",
        "POST",
        "/api/models/{repo}/tag/foobar",
        "other",
        {"tag": "a b"},
        FORBIDDEN,
    ),
    Case(
        "tag: role<revision",
        "POST",
        "/api/models/{repo}/tag/foobar",
        "reader",
        {"tag": "t"},
        FORBIDDEN,
    ),
    Case(
        "tag: repo<name",
        "POST",
        "/api/models/{hidden}/tag/main",
        "other",
        {"tag": "a b"},
        NOT_FOUND,
    ),
    # delete_tag
    Case(
        "delete tag: rights<revision",
        "DELETE",
        "/api/models/{repo}/tag/nope",
        "other",
        None,
        FORBIDDEN,
    ),
    Case(
        "delete tag: auth<repo",
        "DELETE",
        "/api/models/{missing}/tag/v1",
        "anonymous",
        None,
        UNAUTHENTICATED,
    ),
    # commit
    Case(
        "commit: auth<repo",
        "POST",
        "/api/models/{missing}/commit/main",
        "anonymous",
        NDJSON,
        UNAUTHENTICATED,
    ),
    Case(
        "commit: repo<payload",
        "POST",
        "/api/models/{hidden}/commit/main",
        "other",
        NDJSON,
        NOT_FOUND,
    ),
    Case(
        "commit: role<revision",
        "POST",
        "/api/models/{repo}/commit/foobar",
        "reader",
        NDJSON,
        FORBIDDEN,
    ),
    Case(
        "commit: rights<revision",
        "POST",
        "/api/models/{repo}/commit/foobar",
        "other",
        NDJSON,
        FORBIDDEN,
    ),
    Case(
        "commit: revision<payload",
        "POST",
        "/api/models/{repo}/commit/foobar",
        "owner",
        NDJSON,
        NO_REVISION,
    ),
    Case(
        "commit (PR): revision<payload",
        "POST",
        "/api/models/{repo}/commit/foobar?create_pr=1",
        "other",
        NDJSON,
        NO_REVISION,
    ),
    Case(
        "commit: payload<stale parent",
        "POST",
        "/api/models/{repo}/commit/main",
        "owner",
        _STALE_BAD_PAYLOAD,
        BAD,
    ),
    # preupload
    Case(
        "preupload: repo<files",
        "POST",
        "/api/models/{hidden}/preupload/main",
        "other",
        {"files": "x"},
        NOT_FOUND,
    ),
    Case(
        "preupload: revision<files",
        "POST",
        "/api/models/{repo}/preupload/foobar",
        "owner",
        {"files": "x"},
        NO_REVISION,
    ),
    # update_repo_visibility
    Case(
        "settings: auth<repo",
        "PUT",
        "/api/models/{missing}/settings",
        "anonymous",
        {},
        UNAUTHENTICATED,
    ),
    Case(
        "settings: repo<rights",
        "PUT",
        "/api/models/{hidden}/settings",
        "other",
        {"private": True},
        NOT_FOUND,
    ),
    Case(
        "settings: rights<argument",
        "PUT",
        "/api/models/{repo}/settings",
        "other",
        {"private": 5},
        FORBIDDEN,
    ),
    # like
    Case(
        "like: auth<repo", "POST", "/api/models/{missing}/like", "anonymous", None, UNAUTHENTICATED
    ),
    Case("like: repo", "POST", "/api/models/{hidden}/like", "other", None, NOT_FOUND),
    # delete_repo
    Case(
        "delete: auth<repo",
        "DELETE",
        "/api/repos/delete",
        "anonymous",
        {"name": "missing", "organization": "{owner}"},
        UNAUTHENTICATED,
    ),
    Case(
        "delete: repo<rights",
        "DELETE",
        "/api/repos/delete",
        "other",
        {"name": "hidden", "organization": "{owner}"},
        NOT_FOUND,
    ),
    Case(
        "delete: rights",
        "DELETE",
        "/api/repos/delete",
        "other",
        {"name": "repo", "organization": "{owner}"},
        FORBIDDEN,
    ),
    # move_repo
    Case(
        "move: auth<repo",
        "POST",
        "/api/repos/move",
        "anonymous",
        {"fromRepo": "{missing}", "toRepo": "{owner}/-bad"},
        UNAUTHENTICATED,
    ),
    Case(
        "move: repo<target",
        "POST",
        "/api/repos/move",
        "other",
        {"fromRepo": "{missing}", "toRepo": "{other}/-bad"},
        NOT_FOUND,
    ),
    Case(
        "move: rights<target",
        "POST",
        "/api/repos/move",
        "other",
        {"fromRepo": "{repo}", "toRepo": "{other}/-bad"},
        FORBIDDEN,
    ),
    Case(
        "move: target rights<target name",
        "POST",
        "/api/repos/move",
        "owner",
        {"fromRepo": "{repo}", "toRepo": "{other}/-bad"},
        FORBIDDEN,
    ),
    Case(
        "move: type<conflict",
        "POST",
        "/api/repos/move",
        "owner",
        {"fromRepo": "{repo}", "toRepo": "{hidden}", "type": "nope"},
        BAD,
    ),
    # create_repo
    Case(
        "create: auth<name",
        "POST",
        "/api/repos/create",
        "anonymous",
        {"name": "-bad"},
        UNAUTHENTICATED,
    ),
    Case(
        "create: rights<name",
        "POST",
        "/api/repos/create",
        "owner",
        {"name": "-bad", "organization": "{other}"},
        FORBIDDEN,
    ),
    Case(
        "create: argument<conflict",
        "POST",
        "/api/repos/create",
        "owner",
        {"name": "repo", "lfsmultipartthresh": -1},
        BAD,
    ),
]


@dataclasses.dataclass(frozen=True)
class World:
    owner: HubUser
    other: HubUser

    def fill(self, text: str) -> str:
        return text.format(
            repo=f"{self.owner.name}/repo",
            hidden=f"{self.owner.name}/hidden",
            missing=f"{self.owner.name}/missing",
            owner=self.owner.name,
            other=self.other.name,
        )

    def token(self, who: str) -> Optional[str]:
        tokens = {"owner": self.owner.token, "reader": self.owner.read_token}
        return {**tokens, "other": self.other.token}.get(who)


@pytest.fixture(scope="module")
def world(hub: LocalHub, http: Http) -> World:
    owner, other = new_hub_user(hub, "owner"), new_hub_user(hub, "other")
    assert http.create_repo(owner.token, "repo").ok
    assert http.create_repo(owner.token, "hidden", private=True).ok
    repo = f"/api/models/{owner.name}/repo"
    assert http("POST", f"{repo}/branch/dev", owner.token, json={}).ok
    assert http("POST", f"{repo}/tag/main", owner.token, json={"tag": "v1"}).ok
    return World(owner, other)


def _request_body(world: World, body: Any) -> Dict[str, Any]:
    if body is None:
        return {}
    if body == NDJSON:
        body = _BAD_PAYLOAD
    if isinstance(body, str):
        return {"data": body.encode(), "headers": {"Content-Type": "application/x-ndjson"}}
    filled = {k: world.fill(v) if isinstance(v, str) else v for k, v in body.items()}
    return {"json": filled}


def _state(http: Http, world: World) -> Any:
    refs = http("GET", world.fill("/api/models/{repo}/refs"), world.owner.token).json()
    repos = [
        http("GET", world.fill(f"/api/models/{{owner}}/{name}"), world.owner.token).json()
        for name in ("repo", "hidden")
    ]
    return refs, [(info["id"], info["sha"], info["private"], info["likes"]) for info in repos]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_earlier_check_answers(http: Http, world: World, case: Case) -> None:
    before = _state(http, world)
    response = http(
        case.method,
        world.fill(case.path),
        world.token(case.who),
        **_request_body(world, case.body),
    )
    answer = (response.status_code, response.headers.get("X-Error-Code"))
    assert answer == case.expected, response.text
    assert _state(http, world) == before  # a refused request changes nothing
