"""Account names as the Hub allows them, reserved names, and configs checked before use."""

from __future__ import annotations

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.backend.identity import RESERVED_NAMES, check_account_name
from hfapi.hub.errors import HubError

from ._helpers import Http


@pytest.mark.parametrize(
    "name", ["__DUMMY_TRANSFORMERS_USER__", "_x", "x_", "a", "A.b-c_d", "9lives", "_"]
)
def test_hub_names_are_accepted(name: str) -> None:
    assert check_account_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "-a",
        "a-",
        ".a",
        "a.",
        "a--b",
        "a..b",
        "a b",
        "a/b",
        "é",
        *sorted(RESERVED_NAMES),
        "Datasets",
    ],
)
def test_bad_and_reserved_names_are_refused(name: str) -> None:
    with pytest.raises(HubError) as caught:
        check_account_name(name)
    assert caught.value.status == 400


def test_dummy_user_over_http(http: Http, hub: LocalHub) -> None:
    name = "__DUMMY_TRANSFORMERS_USER__"
    if hub.backend.identity.account_kind(name) is None:
        hub.add_user(name)
    token = hub.add_token(name, "write")
    assert http("GET", "/api/whoami-v2", token).json()["name"] == name
    assert http.create_repo(token, "dummy-model").json()["name"] == f"{name}/dummy-model"
    assert http("GET", f"/api/models/{name}/dummy-model").json()["author"] == name


@pytest.mark.parametrize("name", ["api", "models", "_hub"])
def test_reserved_names_refused_by_python_api_and_seed(
    http: Http, hub: LocalHub, name: str
) -> None:
    with pytest.raises(HubError, match="reserved"):
        hub.add_user(name)
    with pytest.raises(HubError, match="reserved"):
        hub.add_org(name)
    seeded = http("POST", "/_hub/seed", hub.admin_token, json={"orgs": [{"name": name}]})
    assert seeded.status_code == 400
    assert seeded.json()["error"] == f"orgs[0] ({name!r}): The name {name!r} is reserved by the Hub"


def test_seed_checks_the_whole_config_before_applying_any(http: Http, hub: LocalHub) -> None:
    config = {
        "users": [{"name": "seed-ok-user"}],
        "orgs": [{"name": "seed-org", "members": {"seed-ok-user": "owner"}}],
    }
    answer = http("POST", "/_hub/seed", hub.admin_token, json=config)
    assert answer.status_code == 400
    assert (
        answer.json()["error"]
        == "orgs[0] ('seed-org'): Invalid role 'owner' for member 'seed-ok-user'"
    )
    assert hub.backend.identity.account_kind("seed-ok-user") is None  # nothing was created


def test_token_values_are_unique_across_users_and_orgs(http: Http, hub: LocalHub) -> None:
    first = {"users": [{"name": "tok-a", "tokens": [{"token": "hf_shared_value"}]}]}
    assert http("POST", "/_hub/seed", hub.admin_token, json=first).ok
    assert http("POST", "/_hub/seed", hub.admin_token, json=first).ok  # re-applying is fine
    second = {"users": [{"name": "tok-b", "tokens": [{"token": "hf_shared_value"}]}]}
    taken = http("POST", "/_hub/seed", hub.admin_token, json=second)
    assert (taken.status_code, taken.json()["error"]) == (
        409,
        "users[0] ('tok-b'): This token value is already in use",
    )
    org = {"orgs": [{"name": "tok-org", "apiToken": "hf_shared_value"}]}
    assert http("POST", "/_hub/seed", hub.admin_token, json=org).status_code == 409
    assert hub.backend.identity.account_kind("tok-b") is None  # the refused seed left nothing
    assert hub.backend.identity.account_kind("tok-org") is None
    assert http("GET", "/api/whoami-v2", "hf_shared_value").json()["name"] == "tok-a"
