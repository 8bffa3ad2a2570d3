"""Identity and access: whoami, tokens, privacy without existence leaks, error headers."""

from __future__ import annotations

import secrets

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import Http, add_file


def test_whoami_shape(http: Http, hub: LocalHub, user: HubUser) -> None:
    org = f"org-{secrets.token_hex(3)}"
    api_token = hub.add_org(org, {user.name: "admin"})
    body = http("GET", "/api/whoami-v2", user.token).json()
    assert body["type"] == "user"
    assert body["name"] == user.name
    assert body["fullname"] == f"Test user {user.name}"
    assert body["email"] == f"{user.name}@example.com"
    assert body["auth"] == {
        "type": "access_token",
        "accessToken": {"displayName": "write token", "role": "write"},
    }
    assert [(o["name"], o["roleInOrg"], o["apiToken"]) for o in body["orgs"]] == [
        (org, "admin", api_token)
    ]
    read = http("GET", "/api/whoami-v2", user.read_token).json()
    assert read["auth"]["accessToken"]["role"] == "read"
    as_org = http("GET", "/api/whoami-v2", api_token).json()
    assert (as_org["type"], as_org["name"]) == ("org", org)


@pytest.mark.parametrize("token", [None, "hf_not_a_token", ""])
def test_whoami_without_valid_token_is_401(http: Http, token: str) -> None:
    response = http("GET", "/api/whoami-v2", token)
    assert response.status_code == 401
    assert response.json() == {"error": response.headers["X-Error-Message"]}


def test_error_headers_and_request_id(http: Http, user: HubUser) -> None:
    response = http("GET", f"/api/models/{user.name}/missing", user.token)
    assert response.status_code == 404
    assert response.headers["X-Error-Code"] == "RepoNotFound"
    assert response.headers["X-Error-Message"] == "Repository not found"
    assert response.json() == {"error": "Repository not found"}
    assert len(response.headers["X-Request-Id"]) >= 16
    echoed = http("GET", "/api/whoami-v2", user.token, headers={"X-Amzn-Trace-Id": "trace-1"})
    assert echoed.headers["X-Request-Id"] == "trace-1"
    custom = http("GET", "/api/whoami-v2", user.token, headers={"x-request-id": "custom-id"})
    assert custom.headers["X-Request-Id"] == "custom-id"


def test_private_repo_looks_missing_to_others(http: Http, user: HubUser, other: HubUser) -> None:
    assert http.create_repo(user.token, "secret", private=True).status_code == 200
    hidden = f"/api/models/{user.name}/secret"
    missing = f"/api/models/{user.name}/does-not-exist"
    for token, status in ((None, 401), (other.token, 404)):
        seen, absent = http("GET", hidden, token), http("GET", missing, token)
        assert seen.status_code == absent.status_code == status
        assert seen.headers["X-Error-Code"] == absent.headers["X-Error-Code"] == "RepoNotFound"
        assert seen.json() == absent.json()
    for path in ("/refs", "/tree/main", "/commits/main"):
        assert http("GET", hidden + path, other.token).status_code == 404
    resolve = http("GET", f"/{user.name}/secret/resolve/main/.gitattributes")
    assert (resolve.status_code, resolve.headers["X-Error-Code"]) == (401, "RepoNotFound")
    # Writing to a hidden repo must not reveal it either (404, not 403).
    write = http.commit(other.token, f"{user.name}/secret", [add_file("x", b"x")])
    assert (write.status_code, write.headers["X-Error-Code"]) == (404, "RepoNotFound")
    assert http("GET", hidden, user.token).status_code == 200
    assert http("GET", hidden, user.read_token).status_code == 200


def test_write_rules(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    assert http.create_repo("", "x").status_code == 401  # empty bearer = anonymous
    assert http("POST", "/api/repos/create", json={"name": "x"}).status_code == 401
    assert http.create_repo(user.read_token, "x").status_code == 403
    denied = http.create_repo(other.token, "x", organization=user.name)
    assert denied.status_code == 403
    assert http.commit(user.read_token, repo, [add_file("a", b"a")]).status_code == 403
    assert http.commit(other.token, repo, [add_file("a", b"a")]).status_code == 403
    assert http("POST", f"/api/models/{repo}/branch/b", other.token, json={}).status_code == 403
    assert http.commit("hf_unknown", repo, [add_file("a", b"a")]).status_code == 401
    assert http.commit(user.token, repo, [add_file("a", b"a")]).status_code == 200


def test_organisation_roles(http: Http, hub: LocalHub) -> None:
    admin, writer, reader, outsider = (new_hub_user(hub, role) for role in ("adm", "w", "r", "o"))
    org = f"org-{secrets.token_hex(3)}"
    hub.add_org(org, {admin.name: "admin", writer.name: "write", reader.name: "read"})
    assert http.create_repo(writer.token, "private", organization=org, private=True).ok
    repo = f"{org}/private"
    for member in (admin, writer, reader):
        assert http("GET", f"/api/models/{repo}", member.token).status_code == 200
    assert http("GET", f"/api/models/{repo}", outsider.token).status_code == 404
    assert http.commit(admin.token, repo, [add_file("a", b"1")]).status_code == 200
    assert http.commit(writer.token, repo, [add_file("a", b"2")]).status_code == 200
    assert http.commit(reader.token, repo, [add_file("a", b"3")]).status_code == 403
    assert http.create_repo(reader.token, "nope", organization=org).status_code == 403
    settings = http("PUT", f"/api/models/{repo}/settings", writer.token, json={"private": False})
    assert settings.json()["private"] is False
    assert http("GET", f"/api/models/{repo}", outsider.token).status_code == 200


def test_basic_auth_carries_the_token(http: Http, user: HubUser) -> None:
    response = http.session.get(f"{http.hub.url}/api/whoami-v2", auth=("USER", user.token))
    assert response.json()["name"] == user.name


@pytest.mark.parametrize(
    ("role", "token_kind", "shown"),
    [
        ("admin", "token", True),
        ("write", "token", True),
        ("read", "token", False),
        ("admin", "read_token", False),
        ("write", "read_token", False),
    ],
)
def test_org_api_token_only_for_writers(
    http: Http, hub: LocalHub, user: HubUser, role: str, token_kind: str, shown: bool
) -> None:
    org = f"org-{secrets.token_hex(3)}"
    api_token = hub.add_org(org, {user.name: role})
    body = http("GET", "/api/whoami-v2", getattr(user, token_kind)).json()
    (entry,) = body["orgs"]
    assert (entry["name"], entry["roleInOrg"]) == (org, role)
    assert entry.get("apiToken") == (api_token if shown else None)
    assert ("apiToken" in entry) is shown
