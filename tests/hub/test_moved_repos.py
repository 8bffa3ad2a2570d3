"""A moved repo's old id answers reads with a 307 to the same path under the new id."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import requests

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file, add_lfs


def _move(http: Http, token: str, source: str, target: str, kind: str = "model") -> None:
    body = {"fromRepo": source, "toRepo": target, "type": kind}
    response = http("POST", "/api/repos/move", token, json=body)
    assert response.status_code == 200, response.text


def _location(http: Http, path: str, token: Optional[str] = None, method: str = "GET") -> str:
    response = http(method, path, token, allow_redirects=False)
    assert response.status_code == 307, (path, response.status_code, response.text)
    return str(response.headers["Location"])


def test_reads_of_the_old_id_redirect(http: Http, user: HubUser, repo: str) -> None:
    assert http.commit(user.token, repo, [add_file("dir/a.txt", b"A")]).ok
    new = f"{user.name}/renamed"
    _move(http, user.token, repo, new)
    for old_path, new_path in (
        (f"/api/models/{repo}", f"/api/models/{new}"),
        (f"/api/models/{repo}/revision/main", f"/api/models/{new}/revision/main"),
        (f"/api/models/{repo}/tree/main/dir", f"/api/models/{new}/tree/main/dir"),
        (f"/api/models/{repo}/refs", f"/api/models/{new}/refs"),
        (f"/api/models/{repo}/commits/main", f"/api/models/{new}/commits/main"),
        (f"/{repo}/resolve/main/dir/a.txt", f"/{new}/resolve/main/dir/a.txt"),
        (f"/{repo.upper()}/resolve/refs%2Fpr%2F1/x", f"/{new}/resolve/refs%2Fpr%2F1/x"),
    ):
        assert _location(http, old_path) == new_path
    assert _location(http, f"/{repo}/resolve/main/dir/a.txt", method="HEAD") == (
        f"/{new}/resolve/main/dir/a.txt"
    )
    tree = f"/api/models/{repo}/tree/main?recursive=True&expand=False"
    assert _location(http, tree) == f"/api/models/{new}/tree/main?recursive=True&expand=False"
    followed = http("GET", f"/{repo}/resolve/main/dir/a.txt")
    assert (followed.status_code, followed.content) == (200, b"A")
    assert [r.status_code for r in followed.history] == [307]
    assert http("GET", f"/api/models/{repo}").json()["id"] == new


def test_writes_to_the_old_id_are_not_redirected(http: Http, user: HubUser, repo: str) -> None:
    _move(http, user.token, repo, f"{user.name}/elsewhere")
    response = http.commit(user.token, repo, [add_file("a.txt", b"A")])
    assert (response.status_code, response.headers["X-Error-Code"]) == (404, "RepoNotFound")


def test_chained_moves_datasets_and_reuse_of_the_old_id(http: Http, user: HubUser) -> None:
    assert http.create_repo(user.token, "d1", type="dataset").ok
    first, second, third = (f"{user.name}/d{i}" for i in (1, 2, 3))
    _move(http, user.token, first, second, "dataset")
    _move(http, user.token, second, third, "dataset")
    assert (
        _location(http, f"/datasets/{first}/resolve/main/x") == f"/datasets/{third}/resolve/main/x"
    )
    assert _location(http, f"/api/datasets/{second}") == f"/api/datasets/{third}"
    # A model of the same id is another repo: no redirect.
    assert http("GET", f"/api/models/{first}", allow_redirects=False).status_code == 401
    # Once a repo takes the old id again, the id is its own.
    assert http.create_repo(user.token, "d1", type="dataset").ok
    assert http("GET", f"/api/datasets/{first}", allow_redirects=False).status_code == 200
    # Moving back onto an old id replaces its redirect by the repo itself.
    _move(http, user.token, third, second, "dataset")
    assert http("GET", f"/api/datasets/{second}", allow_redirects=False).status_code == 200
    assert _location(http, f"/api/datasets/{third}") == f"/api/datasets/{second}"


def test_no_redirect_reveals_a_hidden_repo_or_outlives_it(
    http: Http, user: HubUser, other: HubUser
) -> None:
    assert http.create_repo(user.token, "secret", private=True).ok
    old, new = f"{user.name}/secret", f"{user.name}/hidden"
    _move(http, user.token, old, new)
    anonymous = http("GET", f"/api/models/{old}", allow_redirects=False)
    assert (anonymous.status_code, anonymous.headers["X-Error-Code"]) == (401, "RepoNotFound")
    stranger = http(
        "GET", f"/{old}/resolve/main/.gitattributes", other.token, allow_redirects=False
    )
    assert (stranger.status_code, stranger.headers["X-Error-Code"]) == (404, "RepoNotFound")
    assert _location(http, f"/api/models/{old}", user.token) == f"/api/models/{new}"
    assert http(
        "DELETE", "/api/repos/delete", user.token, json={"name": "hidden", "type": "model"}
    ).ok
    gone = http("GET", f"/api/models/{old}", user.token, allow_redirects=False)
    assert (gone.status_code, gone.headers["X-Error-Code"]) == (404, "RepoNotFound")


def test_a_change_of_case_leaves_no_redirect(http: Http, user: HubUser, repo: str) -> None:
    _move(http, user.token, repo, f"{user.name}/REPO")
    same = http("GET", f"/api/models/{repo}", allow_redirects=False)
    assert (same.status_code, same.json()["id"]) == (200, f"{user.name}/REPO")


def test_old_ids_and_download_urls_survive_a_restart_not_a_reset(tmp_path: Path) -> None:
    data = b"\x00lfs bytes" * 50
    with LocalHub(data_dir=tmp_path) as first:
        http = Http(first)
        assert http.create_repo(first.token, "before").ok
        repo = "hub-user/before"
        http.upload_lfs(first.token, repo, data)
        assert http.commit(first.token, repo, [add_lfs("w.bin", data)]).ok
        _move(http, first.token, repo, "hub-user/after")
        redirect = http("GET", "/hub-user/after/resolve/main/w.bin", allow_redirects=False)
        download_url = redirect.headers["Location"]
    with LocalHub(data_dir=tmp_path) as second:
        http = Http(second)
        assert _location(http, f"/api/models/{repo}") == "/api/models/hub-user/after"
        assert requests.get(download_url.replace(first.url, second.url)).content == data
        second.reset()
        gone = http("GET", f"/api/models/{repo}", second.token, allow_redirects=False)
        assert (gone.status_code, gone.headers["X-Error-Code"]) == (404, "RepoNotFound")
        with second.backend.storage.transaction() as db:
            assert db.execute("SELECT COUNT(*) FROM repo_redirects").fetchone() == (0,)
