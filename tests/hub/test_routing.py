"""Routing on the raw path: encoded revisions, nested paths, one-segment repo ids."""

from __future__ import annotations

import secrets

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file


def test_pr_revision_travels_encoded(http: Http, user: HubUser, repo: str) -> None:
    response = http.commit(user.token, repo, [add_file("dir/pr.txt", b"pr")], create_pr=True)
    assert response.json()["pullRequestUrl"] == f"{http.hub.url}/{repo}/discussions/1"
    pr_commit = response.json()["commitOid"]
    base = f"/api/models/{repo}"
    assert http("GET", f"{base}/revision/refs%2Fpr%2F1").json()["sha"] == pr_commit
    assert http("GET", f"{base}/commits/refs%2Fpr%2F1").json()[0]["id"] == pr_commit
    tree = http("GET", f"{base}/tree/refs%2Fpr%2F1/dir").json()
    assert [entry["path"] for entry in tree] == ["dir/pr.txt"]
    download = http("GET", f"/{repo}/resolve/refs%2Fpr%2F1/dir/pr.txt")
    assert (download.content, download.headers["X-Repo-Commit"]) == (b"pr", pr_commit)
    # The reference client encodes the revision twice for copies on PR refs.
    infos = http("POST", f"{base}/paths-info/refs%252Fpr%252F1", data={"paths": ["dir/pr.txt"]})
    assert [entry["path"] for entry in infos.json()] == ["dir/pr.txt"]
    # Main is untouched by the PR.
    assert http("GET", f"/{repo}/resolve/main/dir/pr.txt").headers["X-Error-Code"] == (
        "EntryNotFound"
    )


def test_branch_with_slash_and_nested_tree_path(http: Http, user: HubUser, repo: str) -> None:
    assert http("POST", f"/api/models/{repo}/branch/feat%2Fx", user.token, json={}).ok
    commit = http.commit(user.token, repo, [add_file("1/2/3.txt", b"3")], revision="feat/x")
    assert commit.status_code == 200, commit.text
    for folder in ("1%2F2", "1/2"):
        tree = http("GET", f"/api/models/{repo}/tree/feat%2Fx/{folder}").json()
        assert [entry["path"] for entry in tree] == ["1/2/3.txt"]


def test_one_segment_repo_ids(http: Http, hub: LocalHub) -> None:
    name = f"canonical-{secrets.token_hex(3)}"
    hub.create_repo(name, files={"a.txt": "A"})
    hub.create_repo(name, repo_type="dataset", files={"d.txt": "D"})
    assert http("GET", f"/api/models/{name}").json()["id"] == name
    assert http("GET", f"/{name}/resolve/main/a.txt").content == b"A"
    assert http("GET", f"/datasets/{name}/resolve/main/d.txt").content == b"D"
    assert http("GET", f"/api/datasets/{name}/tree/main").status_code == 200


def test_unknown_routes(http: Http) -> None:
    missing = http("GET", "/api/nothing/here")
    assert missing.status_code == 404
    assert "X-Error-Code" not in missing.headers
    assert http("PATCH", "/api/whoami-v2").status_code == 405
    assert http("GET", "/api/models/a/b/revision/%FF").status_code == 400


def test_unicode_paths(http: Http, user: HubUser, repo: str) -> None:
    path = "données/été 1.txt"
    assert http.commit(user.token, repo, [add_file(path, b"ok")]).status_code == 200
    assert http("GET", f"/{repo}/resolve/main/{path}").content == b"ok"
    files = http("GET", f"/api/models/{repo}/tree/main?recursive=True").json()
    assert path in [entry["path"] for entry in files]


def test_next_links_use_the_host_the_client_used(http: Http, user: HubUser, repo: str) -> None:
    http.commit(user.token, repo, [add_file(f"f{i}", b"x") for i in range(6)])
    host = f"localhost:{http.hub.port}"
    page = http("GET", f"/api/models/{repo}/tree/main?recursive=True", headers={"Host": host})
    assert page.links["next"]["url"] == (
        f"http://{host}/api/models/{repo}/tree/main?recursive=True&cursor=5"
    )
