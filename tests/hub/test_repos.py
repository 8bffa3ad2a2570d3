"""Repo lifecycle, info, refs, history and listings as the Hub shapes them."""

from __future__ import annotations

import re

from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file

DATE_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_create_answers_urls_with_the_clients_host(http: Http, user: HubUser) -> None:
    base = http.hub.url
    assert http.create_repo(user.token, "m").json()["url"] == f"{base}/{user.name}/m"
    dataset = http.create_repo(user.token, "d", type="dataset").json()["url"]
    assert dataset == f"{base}/datasets/{user.name}/d"
    space = http.create_repo(user.token, "s", type="space", sdk="gradio", hardware="t4-small")
    assert space.json()["url"] == f"{base}/spaces/{user.name}/s"
    again = http.create_repo(user.token, "m")
    assert again.status_code == 409
    assert again.json()["url"] == f"{base}/{user.name}/m"
    via_localhost = http(
        "POST",
        "/api/repos/create",
        user.token,
        json={"name": "h"},
        headers={"Host": f"localhost:{http.hub.port}"},
    )
    assert via_localhost.json()["url"] == f"http://localhost:{http.hub.port}/{user.name}/h"


def test_create_validation(http: Http, user: HubUser) -> None:
    assert http.create_repo(user.token, "s", type="space").status_code == 400  # sdk required
    assert http.create_repo(user.token, "bad--name").status_code == 400
    assert http.create_repo(user.token, "x", type="widgets").status_code == 400
    assert http.create_repo(user.token, "x", organization="nobody-here").status_code == 403


def test_info_shape(http: Http, user: HubUser, repo: str) -> None:
    info = http("GET", f"/api/models/{repo}?securityStatus=True&blobs=True").json()
    assert info["id"] == info["modelId"] == repo
    assert info["author"] == user.name
    assert re.fullmatch(r"[0-9a-f]{40}", info["sha"])
    assert DATE_RE.match(info["lastModified"]) and DATE_RE.match(info["createdAt"])
    assert (info["private"], info["gated"], info["disabled"], info["likes"]) == (
        False,
        False,
        False,
        0,
    )
    assert info["siblings"] == [
        {
            "rfilename": ".gitattributes",
            "blobId": "a6344aac8c09253b3b630fb776ae94478aa0275b",
            "size": 1519,
        }
    ]
    assert info["securityStatus"]["containsInfected"] is False
    history = http("GET", f"/api/models/{repo}/commits/main").json()
    assert [(c["title"], c["authors"][0]["user"]) for c in history] == [
        ("initial commit", user.name)
    ]
    space = http.create_repo(user.token, "sp", type="space", sdk="docker").json()
    assert space
    runtime = http("GET", f"/api/spaces/{user.name}/sp").json()
    assert runtime["sdk"] == "docker"
    assert set(runtime["runtime"]) >= {"stage", "hardware", "storage", "gcTimeout"}


def test_delete_move_and_visibility(http: Http, user: HubUser, other: HubUser) -> None:
    assert http.create_repo(user.token, "a").ok
    body = {"fromRepo": f"{user.name}/a", "toRepo": f"{user.name}/b", "type": "model"}
    assert http("POST", "/api/repos/move", user.token, json=body).ok
    old = http("GET", f"/api/models/{user.name}/a", allow_redirects=False)
    assert (old.status_code, old.headers["Location"]) == (307, f"/api/models/{user.name}/b")
    assert http("GET", f"/api/models/{user.name}/b").ok
    assert http.create_repo(user.token, "c").ok
    clash = {"fromRepo": f"{user.name}/c", "toRepo": f"{user.name}/b", "type": "model"}
    moved = http("POST", "/api/repos/move", user.token, json=clash)
    assert moved.status_code == 409
    assert moved.json()["error"] == f"A model repository called {user.name}/b already exists"
    settings = http(
        "PUT", f"/api/models/{user.name}/b/settings", user.token, json={"private": True}
    )
    assert settings.json()["private"] is True
    assert http("GET", f"/api/models/{user.name}/b").status_code == 401
    denied = http(
        "DELETE", "/api/repos/delete", other.token, json={"name": "b", "organization": user.name}
    )
    assert (denied.status_code, denied.headers["X-Error-Code"]) == (404, "RepoNotFound")
    delete = {"name": "b", "organization": None}
    assert http("DELETE", "/api/repos/delete", user.token, json=delete).ok
    assert http("DELETE", "/api/repos/delete", user.token, json=delete).status_code == 404
    assert http.create_repo(user.token, "b").ok  # the name is free again


def test_branches(http: Http, user: HubUser, repo: str) -> None:
    base = f"/api/models/{repo}"
    first = http("GET", f"{base}/revision/main").json()["sha"]
    second = http.commit(user.token, repo, [add_file("f", b"1")]).json()["commitOid"]
    assert http("POST", f"{base}/branch/old", user.token, json={"startingPoint": first[:8]}).ok
    assert http("POST", f"{base}/branch/new", user.token, json={}).ok
    refs = http("GET", f"{base}/refs").json()
    assert {b["name"]: b["targetCommit"] for b in refs["branches"]} == {
        "main": second,
        "new": second,
        "old": first,
    }
    assert refs["branches"][0] == {"name": "main", "ref": "refs/heads/main", "targetCommit": second}
    assert refs["converts"] == [] and refs["tags"] == []
    assert http("POST", f"{base}/branch/new", user.token, json={}).status_code == 409
    assert http("POST", f"{base}/branch/main", user.token, json={}).status_code == 409
    assert http("POST", f"{base}/branch/refs%2Fpr%2F5", user.token, json={}).status_code == 400
    assert http("POST", f"{base}/branch/a%20b", user.token, json={}).status_code == 400
    missing = http("POST", f"{base}/branch/x", user.token, json={"startingPoint": "nope"})
    assert missing.headers["X-Error-Code"] == "RevisionNotFound"
    assert http("DELETE", f"{base}/branch/main", user.token).status_code == 403
    assert http("DELETE", f"{base}/branch/old", user.token).ok
    assert http("DELETE", f"{base}/branch/old", user.token).status_code == 404


def test_tags(http: Http, user: HubUser, repo: str) -> None:
    base = f"/api/models/{repo}"
    head = http("GET", base).json()["sha"]
    assert http("POST", f"{base}/tag/main", user.token, json={"tag": "v1"}).ok
    annotated = {"tag": "v2", "message": "Release 2"}
    assert http("POST", f"{base}/tag/{head[:7]}", user.token, json=annotated).ok
    assert http("POST", f"{base}/tag/main", user.token, json={"tag": "v1"}).status_code == 409
    assert http("POST", f"{base}/tag/main", user.token, json={"tag": "a b"}).status_code == 400
    unknown = http("POST", f"{base}/tag/nope", user.token, json={"tag": "v3"})
    assert unknown.headers["X-Error-Code"] == "RevisionNotFound"
    tags = http("GET", f"{base}/refs").json()["tags"]
    assert tags == [
        {"name": "v1", "ref": "refs/tags/v1", "targetCommit": head},
        {"name": "v2", "ref": "refs/tags/v2", "targetCommit": head},
    ]
    assert http("GET", f"{base}/revision/v2").json()["sha"] == head
    assert http("DELETE", f"{base}/tag/v1", user.token).ok
    gone = http("DELETE", f"{base}/tag/v1", user.token)
    assert (gone.status_code, gone.headers["X-Error-Code"]) == (404, "RevisionNotFound")


def test_history_pagination(http: Http, user: HubUser, repo: str) -> None:
    for index in range(7):
        http.commit(user.token, repo, [add_file("f", str(index).encode())], summary=f"c{index}")
    url = f"{http.hub.url}/api/models/{repo}/commits/main?expand%5B%5D=formatted"
    titles, pages = [], 0
    while url:
        response = http.session.get(url)
        pages += 1
        titles += [c["title"] for c in response.json()]
        assert all("formatted" in c for c in response.json())
        url = response.links.get("next", {}).get("url")
        if url:
            assert url.startswith(http.hub.url + "/")
    assert pages == 3  # page size 3 for commits
    assert titles == [f"c{i}" for i in reversed(range(7))] + ["initial commit"]


def test_tree_listing_and_pagination(http: Http, user: HubUser, repo: str) -> None:
    files = [add_file(f"d/f{i}.txt", b"x") for i in range(6)] + [add_file("top.txt", b"t")]
    http.commit(user.token, repo, files)
    flat = http("GET", f"/api/models/{repo}/tree/main").json()
    assert [(e["type"], e["path"]) for e in flat] == [
        ("file", ".gitattributes"),
        ("directory", "d"),
        ("file", "top.txt"),
    ]
    paths, url = [], f"{http.hub.url}/api/models/{repo}/tree/main?recursive=True&expand=False"
    while url:
        response = http.session.get(url)
        assert len(response.json()) <= 5
        paths += [e["path"] for e in response.json()]
        url = response.links.get("next", {}).get("url")
    assert paths == [".gitattributes", "d", *[f"d/f{i}.txt" for i in range(6)], "top.txt"]
    expanded = http("GET", f"/api/models/{repo}/tree/main/d?expand=True")
    assert len(expanded.json()) == 3 and "next" in expanded.links
    assert expanded.json()[0]["lastCommit"]["title"] == "a commit"
    missing = http("GET", f"/api/models/{repo}/tree/main/nope")
    assert missing.headers["X-Error-Code"] == "EntryNotFound"


def test_paths_info(http: Http, user: HubUser, repo: str) -> None:
    http.commit(user.token, repo, [add_file("d/a.txt", b"a")])
    form = {"paths": ["d/a.txt", "d", "missing", "/"], "expand": "True"}
    entries = http("POST", f"/api/models/{repo}/paths-info/main", data=form).json()
    assert [(e["type"], e["path"]) for e in entries] == [("file", "d/a.txt"), ("directory", "d")]
    assert entries[0]["oid"] == "2e65efe2a145dda7ee51d1741299f848e5bf752e"
    assert entries[0]["lastCommit"]["title"] == "a commit"
    as_json = http("POST", f"/api/models/{repo}/paths-info/main", json={"paths": ["d/a.txt"]})
    assert [e["path"] for e in as_json.json()] == ["d/a.txt"]
    empty = http("POST", f"/api/models/{repo}/paths-info/main", data={"paths": [""]})
    assert empty.status_code == 400


def test_likes(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    for name in ("l1", "l2", "hidden"):
        http.create_repo(other.token, name, private=name == "hidden")
    for name in ("l1", "l2"):
        assert http("POST", f"/api/models/{other.name}/{name}/like", user.token).ok
    assert http("POST", f"/api/models/{repo}/like", user.token).ok
    assert http("POST", f"/api/models/{repo}/like", user.token).ok  # idempotent
    assert http("GET", f"/api/models/{repo}").json()["likes"] == 1
    hidden = http("POST", f"/api/models/{other.name}/hidden/like", user.token)
    assert hidden.status_code == 404
    assert http("POST", f"/api/models/{other.name}/hidden/like", other.token).ok
    assert http("POST", f"/api/models/{repo}/like").status_code == 401
    names, url = [], f"{http.hub.url}/api/users/{user.name}/likes"
    while url:
        response = http.session.get(url)
        names += [(r["repo"]["name"], r["repo"]["type"]) for r in response.json()]
        url = response.links.get("next", {}).get("url")
    assert names == [(repo, "model"), (f"{other.name}/l2", "model"), (f"{other.name}/l1", "model")]
    own = http("GET", f"/api/users/{other.name}/likes").json()
    assert own == []  # the private repo its owner liked is never listed
    assert http("DELETE", f"/api/models/{repo}/like", user.token).ok
    assert http("DELETE", f"/api/models/{repo}/like", user.token).ok
    assert http("GET", f"/api/models/{repo}").json()["likes"] == 0
    assert http("GET", "/api/users/nobody-at-all/likes").status_code == 404
