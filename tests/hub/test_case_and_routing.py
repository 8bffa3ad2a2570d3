"""Repo ids are case-insensitive; a path is read by its shape and by what its caller can see."""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
from pathlib import Path

import pytest

from hfapi.hub import LocalHub, router
from hfapi.hub import schema as schema_module
from hfapi.hub import storage as storage_module
from hfapi.hub.backend import Backend
from hfapi.hub.pytest_plugin import HubUser
from hfapi.hub.settings import HubSettings
from hfapi.hub.storage import Storage

from ._helpers import Http, add_file, add_lfs


@pytest.fixture
def cased(http: Http, user: HubUser) -> str:
    """A repo of ``user`` created as ``Repo-CaSe``; returns its canonical id."""
    assert http.create_repo(user.token, "Repo-CaSe").ok
    return f"{user.name}/Repo-CaSe"


def test_every_route_finds_the_repo_in_any_case(http: Http, user: HubUser, cased: str) -> None:
    lower, upper = cased.lower(), cased.upper()
    token = user.token
    commit = http.commit(token, lower, [add_file("a.txt", b"A")])
    assert commit.status_code == 200, commit.text
    assert commit.json()["commitUrl"].startswith(f"{http.hub.url}/{cased}/commit/")
    assert http("GET", f"/api/models/{upper}", token).json()["id"] == cased
    assert http("GET", f"/api/models/{lower}/revision/main").json()["modelId"] == cased
    assert http("GET", f"/{upper}/resolve/main/a.txt").content == b"A"
    files = [{"path": "w.bin", "size": 5, "sample": ""}]
    preupload = http("POST", f"/api/models/{upper}/preupload/main", token, json={"files": files})
    assert preupload.json()["files"][0]["path"] == "w.bin"
    weights = secrets.token_bytes(64)
    http.upload_lfs(token, upper, weights)
    batch = http.batch(token, lower, [{"oid": hashlib.sha256(b"x").hexdigest(), "size": 1}])
    verify = batch.json()["objects"][0]["actions"]["verify"]["href"]
    assert verify == f"{http.hub.url}/{cased}.git/info/lfs/objects/verify"
    assert http.commit(token, upper, [add_lfs("w.bin", weights)]).status_code == 200
    assert http("POST", f"/api/models/{lower}/branch/dev", token, json={}).ok
    assert http("POST", f"/api/models/{upper}/tag/dev", token, json={"tag": "v1"}).ok
    refs = http("GET", f"/api/models/{lower}/refs").json()
    assert [t["name"] for t in refs["tags"]] == ["v1"]
    assert len(http("GET", f"/api/models/{upper}/commits/v1").json()) == 3
    tree = http("GET", f"/api/models/{lower}/tree/main?expand=True").json()
    assert tree[0]["security"]["repositoryId"] == f"models/{cased}"
    infos = http("POST", f"/api/models/{upper}/paths-info/main", data={"paths": ["a.txt"]})
    assert [entry["path"] for entry in infos.json()] == ["a.txt"]
    assert http("POST", f"/api/models/{lower}/like", token).ok
    likes = http("GET", f"/api/users/{user.name}/likes").json()
    assert likes[0]["repo"]["name"] == cased
    settings = http("PUT", f"/api/models/{upper}/settings", token, json={"private": True})
    assert settings.json()["private"] is True
    moved = {"fromRepo": lower, "toRepo": f"{user.name}/Moved", "type": "model"}
    assert http("POST", "/api/repos/move", token, json=moved).ok
    assert http("GET", f"/api/models/{user.name}/moved", token).json()["id"] == (
        f"{user.name}/Moved"
    )
    body = {"name": "MOVED", "organization": user.name.upper(), "type": "model"}
    assert http("DELETE", "/api/repos/delete", token, json=body).ok
    assert http("GET", f"/api/models/{user.name}/Moved", token).status_code == 404


def test_a_case_variant_of_an_existing_id_is_a_conflict(
    http: Http, user: HubUser, cased: str
) -> None:
    again = http.create_repo(user.token, "repo-case")
    assert again.status_code == 409
    assert again.json()["url"] == f"{http.hub.url}/{cased}"
    # Another type is another repo.
    assert http.create_repo(user.token, "repo-case", type="dataset").ok
    assert http.create_repo(user.token, "other").ok
    variant = f"{user.name}/REPO-CASE"
    into_variant = {"fromRepo": f"{user.name}/other", "toRepo": variant, "type": "model"}
    assert http("POST", "/api/repos/move", user.token, json=into_variant).status_code == 409
    onto_itself = {"fromRepo": cased, "toRepo": cased, "type": "model"}
    assert http("POST", "/api/repos/move", user.token, json=onto_itself).status_code == 409
    # A change of case only renames the same repo.
    recased = {"fromRepo": cased, "toRepo": f"{user.name}/REPO-case", "type": "model"}
    assert http("POST", "/api/repos/move", user.token, json=recased).ok
    assert http("GET", f"/api/models/{cased}").json()["id"] == f"{user.name}/REPO-case"


def test_the_initial_commit_is_authored_by_the_creator(
    http: Http, user: HubUser, cased: str
) -> None:
    http.commit(user.token, cased, [add_file("a.txt", b"A")])
    history = http("GET", f"/api/models/{cased}/commits/main").json()
    assert [c["authors"][0]["user"] for c in history] == [user.name, user.name]


def test_case_insensitive_index() -> None:
    storage = Storage()
    try:
        backend = Backend(storage, HubSettings())
        Backend(storage, HubSettings())  # the index is created idempotently
        admin = backend.admin
        backend.repos.create(admin, "model", "acme", "Model")
        with pytest.raises(sqlite3.IntegrityError), storage.transaction() as db:
            db.execute(
                "INSERT INTO repos (type, namespace, name, private, created_at)"
                " VALUES ('model', 'ACME', 'model', 0, '')"
            )
    finally:
        storage.close()


def test_old_data_with_case_variants_still_opens(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # A data directory at schema version 2 (before case-insensitive ids) holding two repos
    # that differ only by case: the upgrade warns instead of refusing to open it.
    db = sqlite3.connect(tmp_path / "hub.sqlite3")
    for statement in (*schema_module._SCHEMA_V1, *schema_module._SCHEMA_V2):
        db.execute(statement)
    for name in ("Model", "model"):
        db.execute(
            "INSERT INTO repos (type, namespace, name, private, created_at)"
            " VALUES ('model', 'acme', ?, 0, '')",
            (name,),
        )
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    with caplog.at_level(logging.WARNING, logger="hfapi.hub"):
        storage = Storage(str(tmp_path))
    try:
        assert "differing only by case" in caplog.text
        assert storage.schema_version == storage_module.SCHEMA_VERSION
        backend = Backend(storage, HubSettings())
        assert backend.repos.find("model", "ACME/MODEL") is not None
    finally:
        storage.close()


# -- routing ------------------------------------------------------------------------------


def test_a_hidden_two_segment_repo_does_not_change_how_a_path_reads(
    http: Http, hub: LocalHub
) -> None:
    name = f"canon-{secrets.token_hex(3)}"
    hub.create_repo(name, files={"a.txt": "A"})
    owner = hub.add_user(name)  # a user named like the canonical repo...
    assert http.create_repo(owner, "refs", private=True).ok  # ...owns a private "<name>/refs"
    stranger = hub.add_user(f"stranger-{secrets.token_hex(3)}")
    for token in (None, stranger):
        refs = http("GET", f"/api/models/{name}/refs", token)
        assert refs.status_code == 200, refs.text
        assert [b["name"] for b in refs.json()["branches"]] == ["main"]
    # Its owner, who can see it, gets the info of the two-segment repo.
    assert http("GET", f"/api/models/{name}/refs", owner).json()["id"] == f"{name}/refs"
    # Once public, the two-segment reading wins for everyone (documented rule).
    http("PUT", f"/api/models/{name}/refs/settings", owner, json={"private": False})
    assert http("GET", f"/api/models/{name}/refs").json()["id"] == f"{name}/refs"


def test_a_hidden_repo_does_not_change_a_write_route_either(http: Http, hub: LocalHub) -> None:
    # POST /api/models/<name>/branch/like: a branch "like" of <name>, or a like of <name>/branch.
    name = f"canon-{secrets.token_hex(3)}"
    hub.create_repo(name)
    owner = hub.add_user(name)
    assert http.create_repo(owner, "branch", private=True).ok
    stranger = hub.add_user(f"stranger-{secrets.token_hex(3)}")
    # The stranger may not create branches in the canonical repo: 403, not RepoNotFound.
    refused = http("POST", f"/api/models/{name}/branch/like", stranger, json={})
    assert (refused.status_code, refused.headers.get("X-Error-Code")) == (403, None)
    # The owner sees the private repo, so for them the path is a like of it.
    assert http("POST", f"/api/models/{name}/branch/like", owner).ok
    assert http("GET", f"/api/models/{name}/branch", owner).json()["likes"] == 1


def test_datasets_prefix_always_means_the_type(http: Http, hub: LocalHub) -> None:
    name = f"squad-{secrets.token_hex(3)}"
    hub.create_repo(name, repo_type="dataset", files={"data.txt": "the dataset"})
    # A model whose namespace is "datasets" (the admin can create it; users cannot).
    hub.create_repo(f"datasets/{name}", files={"data.txt": "a model"})
    assert http("GET", f"/datasets/{name}/resolve/main/data.txt").content == b"the dataset"
    assert http("GET", f"/datasets/datasets/{name}/resolve/main/data.txt").status_code == 401
    assert http("GET", f"/api/models/datasets/{name}").json()["id"] == f"datasets/{name}"


def test_router_reads_prefixes_by_shape() -> None:
    def everything_visible(repo_type: str, repo_id: str) -> bool:
        return True

    for path, expected in [
        ("/datasets/squad/resolve/main/data.txt", ("dataset", "squad")),
        ("/spaces/a/b/resolve/main/app.py", ("space", "a/b")),
        ("/datasets/squad.git/info/lfs/objects/batch", ("dataset", "squad")),
        ("/gpt2/resolve/main/config.json", ("model", "gpt2")),
        ("/a/b/resolve/main/x", ("model", "a/b")),
    ]:
        found, _ = router.match("POST" if "lfs" in path else "GET", path, everything_visible)
        assert found is not None, path
        assert (found[1]["type"], found[1]["repo"]) == expected, path
