"""The web pages over plain HTTP: every page, negotiation, private repos, the login cookie."""

from __future__ import annotations

from typing import Dict

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file, add_lfs

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
EVIL = "<script>document.title='pwned'</script>"


def page(http: Http, path: str, **kwargs: object) -> requests.Response:
    headers: Dict[str, str] = {**HTML, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return http("GET", path, headers=headers, **kwargs)  # type: ignore[arg-type]


def ok(http: Http, path: str) -> str:
    response = page(http, path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    return response.text


def commit_files(http: Http, user: HubUser, repo: str, summary: str, **files: bytes) -> str:
    lines = [add_file(path, content) for path, content in files.items()]
    response = http.commit(user.token, repo, lines, summary=summary)
    assert response.status_code == 200, response.text
    return str(response.json()["commitOid"])


def test_repo_page_shows_readme_card_tags_likes_and_last_commit(
    http: Http, user: HubUser, repo: str
) -> None:
    readme = f"---\nlicense: mit\ntags:\n- vision\n---\n# Title\n\nHello *there*.\n\n{EVIL}\n"
    commit_files(http, user, repo, f"Add card {EVIL}", **{"README.md": readme.encode()})
    assert http("POST", f"/api/models/{repo}/like", user.token).status_code == 200
    text = ok(http, f"/{repo}")
    assert "<h1>Title</h1>" in text and "<em>there</em>" in text
    assert "license: mit" in text and "vision" in text
    assert "1 likes" in text and "Add card &lt;script&gt;" in text
    assert "<script" not in text
    assert f'href="/{repo}/tree/main"' in text


def test_tree_page_lists_sizes_lfs_marks_and_last_commits(
    http: Http, user: HubUser, repo: str
) -> None:
    weights = b"w" * 3000
    http.upload_lfs(user.token, repo, weights)
    lines = [add_file("docs/a.txt", b"abc"), add_lfs("w.bin", weights)]
    assert http.commit(user.token, repo, lines, summary="Add weights").status_code == 200
    text = ok(http, f"/{repo}/tree/main")
    assert f'href="/{repo}/tree/main/docs"' in text and "docs/" in text
    assert f'href="/{repo}/blob/main/w.bin"' in text
    assert "3.0 kB" in text and 'class="lfs">LFS' in text and "Add weights" in text
    sub = ok(http, f"/{repo}/tree/main/docs")
    assert "a.txt" in sub and "3 Bytes" in sub and "w.bin" not in sub
    assert "upload_folder" not in ok(http, f"/{repo}/tree/main/")  # the trailing slash opens


def test_tree_page_of_missing_folder_and_revision_is_a_404_page(http: Http, repo: str) -> None:
    for path in (f"/{repo}/tree/main/nope", f"/{repo}/tree/nope", f"/{repo}/blob/main/x"):
        response = page(http, path)
        assert response.status_code == 404
        assert "text/html" in response.headers["Content-Type"]
        assert response.headers["X-Error-Message"]


def test_blob_page_text_with_line_numbers_and_lfs_facts(
    http: Http, user: HubUser, repo: str
) -> None:
    commit_files(http, user, repo, "text", **{"a b.py": b"print(1)\nx = '<b>'\n"})
    text = ok(http, f"/{repo}/blob/main/a%20b.py")
    assert '<td class="n">2</td><td>x = &#x27;&lt;b&gt;&#x27;</td>' in text
    assert f'href="/{repo}/resolve/main/a%20b.py"' in text
    weights = b"\x00" * 2000
    oid = http.upload_lfs(user.token, repo, weights)
    assert http.commit(user.token, repo, [add_lfs("w.bin", weights)]).status_code == 200
    lfs = ok(http, f"/{repo}/blob/main/w.bin")
    assert oid in lfs and "2.0 kB" in lfs and "download" in lfs


def test_binary_file_is_not_shown(http: Http, user: HubUser, repo: str) -> None:
    commit_files(http, user, repo, "bin", **{"x.dat": b"\x00\x01\x02binary"})
    assert "Binary file, not shown" in ok(http, f"/{repo}/blob/main/x.dat")


def test_history_pages_and_commit_page_with_diff(http: Http, user: HubUser, repo: str) -> None:
    for index in range(55):
        commit_files(http, user, repo, f"step {index}", **{"n.txt": f"{index}\n".encode()})
    first = ok(http, f"/{repo}/commits/main")
    assert "step 54<" in first and "step 5<" in first and "step 4<" not in first
    assert "?p=1" in first
    second = ok(http, f"/{repo}/commits/main?p=1")
    assert "step 4<" in second and "step 0<" in second and "step 5<" not in second
    assert "?p=0" in second
    oid = commit_files(http, user, repo, "edit", **{"n.txt": b"new\n", "added.txt": b"+\n"})
    text = ok(http, f"/{repo}/commit/{oid}")
    assert '<span class="del">-54</span>' in text and '<span class="add">+new</span>' in text
    assert "added.txt" in text and "modified" in text and "added" in text
    assert ok(http, f"/{repo}/commit/{oid[:8]}").count("edit") >= 1
    for bad in ("%25%25%25%25", "zzzz", "0" * 40):
        assert page(http, f"/{repo}/commit/{bad}").status_code == 404


def test_discussion_and_pull_request_pages(http: Http, user: HubUser, repo: str) -> None:
    body = {"title": f"Question {EVIL}", "description": "First *comment*"}
    answer = http("POST", f"/api/models/{repo}/discussions", user.token, json=body)
    assert answer.status_code == 200, answer.text
    lines = [add_file("pr.txt", b"from the PR\n")]
    pr = http.commit(user.token, repo, lines, summary="PR change", create_pr=True)
    pr_url = pr.json()["pullRequestUrl"]
    listing = ok(http, f"/{repo}/discussions")
    assert "Question &lt;script&gt;" in listing and "Pull request" in listing
    assert "<script" not in listing
    thread = ok(http, f"/{repo}/discussions/1")
    assert "<em>comment</em>" in thread and "open" in thread
    pr_page = ok(http, pr_url.replace(http.hub.url, ""))
    assert "+from the PR" in pr_page and "refs%2Fpr%2F2" in pr_page
    assert "pr.txt" in ok(http, f"/{repo}/tree/refs%2Fpr%2F2")
    assert page(http, f"/{repo}/discussions/99").status_code == 404
    assert page(http, f"/{repo}/discussions/abc").status_code == 404


def test_account_and_home_pages(hub: LocalHub, http: Http, user: HubUser, repo: str) -> None:
    assert http.create_repo(user.token, "hidden", private=True).status_code == 200
    assert http.create_repo(user.token, "data", type="dataset").status_code == 200
    text = ok(http, f"/{user.name}")
    assert f'href="/{repo}"' in text and f'href="/datasets/{user.name}/data"' in text
    assert "hidden" not in text
    home = ok(http, "/")
    assert f'href="/{repo}"' in home and "hidden" not in home
    assert "data" in ok(http, f"/datasets/{user.name}/data")
    org = f"org-{user.name}"
    hub.add_org(org, {user.name: "admin"})
    assert "No repos yet" in ok(http, f"/{org}")
    assert page(http, "/no-such-account-xyz").status_code == 404


def test_private_repo_is_missing_without_a_login(http: Http, user: HubUser, other: HubUser) -> None:
    assert http.create_repo(user.token, "secret", private=True).status_code == 200
    path = f"/{user.name}/secret"
    response = page(http, path)
    assert response.status_code == 404 and "Repository not found" in response.text
    assert response.headers["X-Error-Code"] == "RepoNotFound"
    browser = requests.Session()
    login = browser.post(
        http.hub.url + "/_hub/login", data={"token": user.token}, allow_redirects=False
    )
    assert login.status_code == 303 and login.headers["Location"] == "/"
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert user.token not in login.text and user.token not in login.headers["Location"]
    assert browser.get(http.hub.url + path, headers=HTML).status_code == 200
    assert "secret" in browser.get(http.hub.url + f"/{user.name}", headers=HTML).text
    stranger = requests.Session()
    stranger.post(http.hub.url + "/_hub/login", data={"token": other.token})
    assert stranger.get(http.hub.url + path, headers=HTML).status_code == 404
    browser.post(http.hub.url + "/_hub/logout")
    assert browser.get(http.hub.url + path, headers=HTML).status_code == 404


def test_login_refuses_unknown_tokens(http: Http) -> None:
    assert 'type="password"' in ok(http, "/_hub/login")
    for token in ("hf_unknown", "a;b", ""):
        answer = http("POST", "/_hub/login", data={"token": token}, allow_redirects=False)
        assert answer.status_code == 401 and "Set-Cookie" not in answer.headers
    forged = page(http, "/", headers={"Cookie": "hub_token=hf_forged; other=\x01"})
    assert forged.status_code == 200


def test_negotiation_keeps_json_for_api_clients(http: Http, repo: str) -> None:
    unknown = page(http, "/a/b/c/d/e")
    assert unknown.status_code == 404 and "Page not found" in unknown.text
    json_only = http("GET", f"/{repo}", headers={"Accept": "application/json"})
    assert json_only.status_code == 404 and json_only.json()["error"].startswith("No route")
    plain = http("GET", "/a/b/c/d/e")
    assert plain.status_code == 404 and plain.json()["error"].startswith("No route")
    assert http("GET", f"/api/models/{repo}", headers=HTML).json()["id"] == repo
    assert page(http, "/api/nothing-here").headers["Content-Type"].startswith("text/html")
    assert http("GET", "/_hub/health").status_code == 200
    head = http("HEAD", f"/{repo}", headers=HTML)
    assert head.status_code == 200 and int(head.headers["Content-Length"]) > 0


def test_tree_page_of_5000_files_is_paginated(hub: LocalHub, http: Http, user: HubUser) -> None:
    # Its speed is measured by benchmarks/web_pages.py, never by a timed test.
    files = {f"f{i:05}.txt": str(i) for i in range(5000)}
    hub.seed({"repos": [{"repo_id": f"{user.name}/big", "files": files}]})
    path = f"/{user.name}/big/tree/main"
    text = ok(http, path)
    assert text.count("/blob/main/") == 1000 and "?cursor=1000" in text
    last = ok(http, f"{path}?cursor=5000")  # .gitattributes comes first: 5001 entries
    assert "f04999.txt" in last and "Entries 5001-5001 of 5001" in last and "Next" not in last


@pytest.mark.parametrize("kind", ["datasets", "spaces"])
def test_prefixed_repo_pages(http: Http, user: HubUser, kind: str) -> None:
    fields = {"type": kind[:-1]}
    if kind == "spaces":
        fields["sdk"] = "static"
    assert http.create_repo(user.token, f"r-{kind}", **fields).status_code == 200
    base = f"/{kind}/{user.name}/r-{kind}"
    assert f"r-{kind}" in ok(http, base)
    assert ".gitattributes" in ok(http, f"{base}/tree/main")
    assert ok(http, f"{base}/commits/main")
