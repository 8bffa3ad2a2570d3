"""Fault injection: seeded, per route class, answered or reset before or after applying."""

from __future__ import annotations

from typing import Iterator

import pytest
import requests

from hfapi import HfApi
from hfapi.hub import LocalHub
from hfapi.hub.faults import FaultInjector, FaultPlan

from ._helpers import Http


@pytest.fixture
def faulty_hub() -> Iterator[LocalHub]:
    # Its own hub: a fault plan must not reach the other tests of this worker.
    with LocalHub() as hub:
        yield hub


@pytest.fixture
def faulty_http(faulty_hub: LocalHub) -> Http:
    return Http(faulty_hub)


# -- the plan and the draw ----------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"rate": 1.5},
        {"rate": -0.1},
        {"rate": "0.2"},
        {"rate": True},
        {"kinds": ("404",)},
        {"kinds": ()},
        {"routes": ()},
        {"routes": ("",)},
        {"seed": -1},
        {"retry_after": 1.5},
    ],
)
def test_invalid_plans_are_refused(values: dict) -> None:
    with pytest.raises(ValueError):
        FaultPlan(**values)


def test_from_json_refuses_unknown_keys_and_non_lists() -> None:
    with pytest.raises(ValueError, match="Unknown fault setting"):
        FaultPlan.from_json({"rate": 0.1, "ratio": 1})
    with pytest.raises(ValueError, match="kinds must be a list"):
        FaultPlan.from_json({"kinds": "503"})
    plan = FaultPlan.from_json({"rate": 0.5, "kinds": ["503"], "routes": ["lfs"], "seed": 3})
    assert plan == FaultPlan(0.5, ("503",), ("lfs",), 3)


def test_same_seed_fails_the_same_requests() -> None:
    def draws(seed: int) -> list:
        injector = FaultInjector(FaultPlan(rate=0.3, seed=seed))
        return [injector.draw("repos.info") for _ in range(200)]

    first, again, other = draws(1), draws(1), draws(2)
    assert first == again
    assert first != other
    share = sum(kind is not None for kind in first) / len(first)
    assert 0.2 < share < 0.4
    assert {kind for kind in first if kind} == {"500", "503", "429", "reset-before", "reset-after"}


def test_routes_select_modules_or_single_handlers() -> None:
    injector = FaultInjector(FaultPlan(rate=1, kinds=("503",), routes=("lfs", "commits.commit")))
    assert injector.draw("lfs.upload_part") == "503"
    assert injector.draw("commits.commit") == "503"
    assert injector.draw("commits.preupload") is None
    assert injector.draw("repos.info") is None
    assert injector.status()["injected"] == {"503": 2}


def test_admin_routes_are_never_faulted() -> None:
    injector = FaultInjector(FaultPlan(rate=1))
    assert injector.draw("admin.set_faults") is None


# -- over HTTP -----------------------------------------------------------------------------


def test_answered_faults_use_the_hub_error_shape(faulty_hub: LocalHub, faulty_http: Http) -> None:
    faulty_hub.inject_faults(1, kinds=("503",), routes=("repos.info",))
    response = faulty_http("GET", f"/api/models/{faulty_hub.default_user}/x", faulty_hub.token)
    assert response.status_code == 503
    assert response.json() == {"error": "Injected fault: 503"}
    assert response.headers["X-Error-Message"] == "Injected fault: 503"
    assert response.headers["X-Request-Id"]
    # other routes and the control surface keep working
    assert faulty_http("GET", "/api/whoami-v2", faulty_hub.token).status_code == 200
    assert faulty_http("GET", "/_hub/faults", faulty_hub.admin_token).json()["injected"] == {
        "503": 1
    }


def test_429_announces_retry_after(faulty_hub: LocalHub, faulty_http: Http) -> None:
    faulty_hub.inject_faults(1, kinds=("429",), routes=("users",), retry_after=7)
    response = faulty_http("GET", "/api/whoami-v2", faulty_hub.token)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_reset_before_applies_nothing(faulty_hub: LocalHub, faulty_http: Http) -> None:
    faulty_hub.inject_faults(1, kinds=("reset-before",), routes=("repos.create",))
    with pytest.raises(requests.ConnectionError):
        faulty_http.create_repo(faulty_hub.token, "before")
    faulty_hub.inject_faults(0)
    info = faulty_http("GET", f"/api/models/{faulty_hub.default_user}/before", faulty_hub.token)
    assert info.status_code == 404


def test_reset_after_applies_then_drops_the_answer(faulty_hub: LocalHub, faulty_http: Http) -> None:
    faulty_hub.inject_faults(1, kinds=("reset-after",), routes=("repos.create",))
    with pytest.raises(requests.ConnectionError):
        faulty_http.create_repo(faulty_hub.token, "after")
    faulty_hub.inject_faults(0)
    info = faulty_http("GET", f"/api/models/{faulty_hub.default_user}/after", faulty_hub.token)
    assert info.status_code == 200
    assert info.json()["id"] == f"{faulty_hub.default_user}/after"


def test_plan_set_over_http_by_the_admin_only(faulty_hub: LocalHub, faulty_http: Http) -> None:
    body = {"rate": 1, "kinds": ["500"], "routes": ["users"], "seed": 4}
    assert faulty_http("PUT", "/_hub/faults", faulty_hub.token, json=body).status_code == 403
    answer = faulty_http("PUT", "/_hub/faults", faulty_hub.admin_token, json=body)
    assert answer.status_code == 200
    assert answer.json() == {
        "plan": {**body, "retry_after": 1},
        "injected": {},
    }
    assert faulty_http("GET", "/api/whoami-v2", faulty_hub.token).status_code == 500
    bad = faulty_http("PUT", "/_hub/faults", faulty_hub.admin_token, json={"rate": 2})
    assert bad.status_code == 400 and "rate" in bad.json()["error"]
    off = faulty_http("PUT", "/_hub/faults", faulty_hub.admin_token, json={})
    assert off.json()["plan"]["rate"] == 0
    assert faulty_http("GET", "/api/whoami-v2", faulty_hub.token).status_code == 200


def test_our_client_retries_reads_through_faults(faulty_hub: LocalHub) -> None:
    faulty_hub.create_repo("hub-user/readme", files={"README.md": "hello"})
    faulty_hub.inject_faults(0.5, kinds=("503", "reset-before"), routes=("repos.info",), seed=1)
    api = HfApi(endpoint=faulty_hub.url, token=faulty_hub.token)
    api._http.sleep = lambda seconds: None  # the session's seam: no real backoff in tests
    infos = [api.model_info("hub-user/readme") for _ in range(10)]
    assert {info.modelId for info in infos} == {"hub-user/readme"}
    assert sum(faulty_hub.faults["injected"].values()) > 0
