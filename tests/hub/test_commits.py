"""Preupload decisions and the NDJSON commit endpoint (doc 02 §2.a, §2.h, §9)."""

from __future__ import annotations

import base64
import json
import socket
from typing import Any, Dict, List

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import Http, add_file, add_lfs

MiB = 1024 * 1024


def preupload(http: Http, token: str, repo: str, files: List[Dict[str, Any]]) -> Dict[str, str]:
    response = http("POST", f"/api/models/{repo}/preupload/main", token, json={"files": files})
    assert response.status_code == 200, response.text
    return {item["path"]: item["uploadMode"] for item in response.json()["files"]}


def announce(path: str, size: int, sample: bytes = b"text") -> Dict[str, Any]:
    return {"path": path, "size": size, "sample": base64.b64encode(sample).decode(), "sha": "0"}


def head_of(http: Http, repo: str, revision: str = "main") -> str:
    return str(http("GET", f"/api/models/{repo}/revision/{revision}").json()["sha"])


def files_of(http: Http, repo: str, revision: str = "main") -> List[str]:
    info = http("GET", f"/api/models/{repo}/revision/{revision}").json()
    return [sibling["rfilename"] for sibling in info["siblings"]]


def test_preupload_decides_like_the_hub(http: Http, user: HubUser, repo: str) -> None:
    modes = preupload(
        http,
        user.token,
        repo,
        [
            announce("README.md", 10),
            announce("w.bin", 3),
            announce("empty.bin", 0),
            announce("huge.txt", 10 * MiB + 1),
            announce("blob.dat", 2 * MiB, b"\x00\x01"),
            announce("tiny.dat", 100, b"\x00\x01"),
            announce("image.png", 10),
        ],
    )
    assert modes == {
        "README.md": "regular",
        "w.bin": "lfs",
        "empty.bin": "regular",
        "huge.txt": "lfs",
        "blob.dat": "lfs",
        "tiny.dat": "regular",
        "image.png": "regular",
    }
    rule = b"*.png filter=lfs diff=lfs merge=lfs -text\n"
    http.commit(user.token, repo, [add_file(".gitattributes", rule)])
    assert preupload(http, user.token, repo, [announce("image.png", 10)]) == {"image.png": "lfs"}
    missing = http("POST", f"/api/models/{repo}/preupload/nope", json={"files": []})
    assert missing.headers["X-Error-Code"] == "RevisionNotFound"


def test_commit_response_and_content(http: Http, user: HubUser, repo: str) -> None:
    text = {"key": "file", "value": {"path": "t.txt", "content": "é\n", "encoding": "utf-8"}}
    response = http.commit(user.token, repo, [add_file("a/b.txt", b"hello\n"), text])
    body = response.json()
    assert body["success"] is True
    assert body["commitUrl"] == f"{http.hub.url}/{repo}/commit/{body['commitOid']}"
    assert "pullRequestUrl" not in body
    assert head_of(http, repo) == body["commitOid"]
    assert http("GET", f"/{repo}/resolve/main/t.txt").content == "é\n".encode()
    download = http("GET", f"/{repo}/resolve/main/a/b.txt")
    assert download.headers["ETag"] == '"ce013625030ba8dba906f756967f9e9ca394464a"'


def test_deletions(http: Http, user: HubUser, repo: str) -> None:
    http.commit(user.token, repo, [add_file(p, b"x") for p in ("d/1", "d/e/2", "keep")])
    before = head_of(http, repo)
    missing = http.commit(user.token, repo, [{"key": "deletedFile", "value": {"path": "nope"}}])
    assert (missing.status_code, missing.headers["X-Error-Code"]) == (404, "EntryNotFound")
    assert missing.json()["error"] == 'A file with the name "nope" does not exist'
    folder_as_file = http.commit(user.token, repo, [{"key": "deletedFile", "value": {"path": "d"}}])
    assert folder_as_file.status_code == 404
    assert head_of(http, repo) == before
    folder = {"key": "deletedFolder", "value": {"path": "d/"}}
    file = {"key": "deletedFile", "value": {"path": "keep"}}
    assert http.commit(user.token, repo, [folder, file]).ok
    assert files_of(http, repo) == [".gitattributes"]


def test_parent_commit_check(http: Http, user: HubUser, repo: str) -> None:
    first = head_of(http, repo)
    assert http.commit(user.token, repo, [add_file("a", b"1")], parent=first[:7]).ok
    stale = http.commit(user.token, repo, [add_file("a", b"2")], parent=first)
    assert stale.status_code == 412
    assert stale.json()["error"] == "A commit has happened since. Please refresh and try again."
    assert http.commit(user.token, repo, [], parent="xyz").status_code == 400


def test_pull_requests(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    base = head_of(http, repo)
    http.commit(user.token, repo, [add_file("main.txt", b"m")])
    # Someone without write access may open a PR, with LFS content they uploaded.
    http.upload_lfs(other.token, repo, b"weights")
    pr = http.commit(other.token, repo, [add_lfs("w.bin", b"weights")], create_pr=True)
    assert pr.json()["pullRequestUrl"] == f"{http.hub.url}/{repo}/discussions/1"
    assert head_of(http, repo, "refs%2Fpr%2F1") == pr.json()["commitOid"]
    assert "w.bin" not in files_of(http, repo)
    # A PR on top of an older commit (parentCommit) does not contain later changes.
    old = http.commit(user.token, repo, [add_file("x", b"x")], create_pr=True, parent=base)
    assert old.json()["pullRequestUrl"].endswith("/discussions/2")
    assert files_of(http, repo, "refs%2Fpr%2F2") == [".gitattributes", "x"]
    # The PR's author may push to it; a stranger may not.
    follow_up = http.commit(other.token, repo, [add_file("more", b"+")], revision="refs/pr/1")
    assert follow_up.ok, follow_up.text
    stranger = http.commit(other.token, repo, [add_file("no", b"-")], revision="refs/pr/2")
    assert stranger.status_code == 403
    refs = http("GET", f"/api/models/{repo}/refs?include_prs=1").json()
    assert [p["ref"] for p in refs["pullRequests"]] == ["refs/pr/1", "refs/pr/2"]
    assert http.commit(user.token, repo, [], create_pr=True, revision="nope").status_code == 404


def test_pending_lfs_objects_serve_only_their_uploader_s_pull_requests(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, repo: str
) -> None:
    weights = b"proposed weights"
    http.upload_lfs(other.token, repo, weights)  # pending: other may not write here
    line = [add_lfs("w.bin", weights)]
    # Not on a branch (even for a writer), not in anybody else's PR.
    on_main = http.commit(user.token, repo, line)
    assert on_main.status_code == 400 and "was not uploaded" in on_main.json()["error"]
    assert http.commit(user.token, repo, line, create_pr=True).status_code == 400
    third = new_hub_user(hub, "third")
    assert http.commit(third.token, repo, line, create_pr=True).status_code == 400
    # A failed PR commit of the uploader links nothing.
    gone = {"key": "deletedFile", "value": {"path": "nope"}}
    assert http.commit(other.token, repo, [*line, gone], create_pr=True).status_code == 404
    assert http.commit(user.token, repo, line).status_code == 400
    # The uploader's push to their PR uses it, and so makes it the repo's.
    opened = http.commit(other.token, repo, [add_file("a.txt", b"a")], create_pr=True)
    assert opened.ok, opened.text
    pushed = http.commit(other.token, repo, line, revision="refs/pr/1")
    assert pushed.ok, pushed.text
    assert http("GET", f"/{repo}/resolve/refs%2Fpr%2F1/w.bin").content == weights
    copied = http.commit(user.token, repo, [add_lfs("copy.bin", weights)])
    assert copied.ok, copied.text
    assert http("GET", f"/{repo}/resolve/main/copy.bin").content == weights


def test_gitattributes_is_extended_for_untracked_lfs_paths(
    http: Http, user: HubUser, repo: str
) -> None:
    http.upload_lfs(user.token, repo, b"big text")
    ops = [add_lfs("data/big file.txt", b"big text"), add_lfs("w.bin", b"big text")]
    assert http.commit(user.token, repo, ops).ok
    attributes = http("GET", f"/{repo}/resolve/main/.gitattributes").text
    assert attributes.endswith("data/big[[:space:]]file.txt filter=lfs diff=lfs merge=lfs -text\n")
    assert "w.bin filter" not in attributes  # already covered by *.bin
    pointer = http("GET", f"/api/models/{repo}/paths-info/main", data={"paths": ["w.bin"]})
    assert pointer.status_code == 405  # paths-info is POST only
    entries = http("POST", f"/api/models/{repo}/paths-info/main", data={"paths": ["w.bin"]})
    assert entries.json()[0]["lfs"]["size"] == 8


def test_failed_commit_leaves_no_partial_state(http: Http, user: HubUser, repo: str) -> None:
    before = head_of(http, repo)
    body = (
        '{"key": "header", "value": {"summary": "s"}}\n'
        + '{"key": "file", "value": {"path": "good.txt", "content": "Z29vZA=="}}\n'
        + "{not json\n"
    )
    broken = http(
        "POST",
        f"/api/models/{repo}/commit/main",
        user.token,
        data=body.encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert broken.status_code == 400
    assert "line 3" in broken.json()["error"]
    missing_lfs = http.commit(
        user.token, repo, [add_file("good.txt", b"good"), add_lfs("w.bin", b"?")]
    )
    assert missing_lfs.status_code == 400
    assert "was not uploaded" in missing_lfs.json()["error"]
    assert head_of(http, repo) == before
    assert files_of(http, repo) == [".gitattributes"]
    assert len(http("GET", f"/api/models/{repo}/commits/main").json()) == 1


def test_invalid_payloads(http: Http, user: HubUser, repo: str) -> None:
    for path in ("../x", ".git/config", "a//b", "/abs", ""):
        assert http.commit(user.token, repo, [add_file(path, b"x")]).status_code == 400, path
    unknown = http.commit(user.token, repo, [{"key": "rename", "value": {}}])
    assert unknown.status_code == 400
    clash = http.commit(user.token, repo, [add_file("a", b"1"), add_file("a/b", b"2")])
    assert clash.status_code == 400
    assert http.commit(user.token, repo, [], revision="nope").status_code == 404
    head = head_of(http, repo)
    assert http.commit(user.token, repo, [], revision=head).status_code == 400


def test_empty_commit_and_lfs_copy(http: Http, user: HubUser, repo: str) -> None:
    empty = http.commit(user.token, repo, [], summary="nothing")
    assert empty.ok
    history = http("GET", f"/api/models/{repo}/commits/main").json()
    assert [c["title"] for c in history] == ["nothing", "initial commit"]
    http.upload_lfs(user.token, repo, b"payload")
    assert http.commit(user.token, repo, [add_lfs("a.bin", b"payload")]).ok
    copy = http.commit(user.token, repo, [add_lfs("b.bin", b"payload", with_size=False)])
    assert copy.ok
    assert http("GET", f"/{repo}/resolve/main/b.bin").content == b"payload"
    wrong = {"key": "lfsFile", "value": {**add_lfs("c.bin", b"payload")["value"], "size": 3}}
    assert http.commit(user.token, repo, [wrong]).status_code == 400


def test_inline_files_above_the_limit_are_refused() -> None:
    with LocalHub(regular_file_max_size=10) as small:
        http = Http(small)
        assert http.create_repo(small.token, "r").ok
        repo = "hub-user/r"
        assert http.commit(small.token, repo, [add_file("ok.txt", b"0123456789")]).ok
        refused = http.commit(small.token, repo, [add_file("big.txt", b"01234567890")])
        assert refused.status_code == 400
        modes = preupload(http, small.token, repo, [announce("big.txt", 11)])
        assert modes == {"big.txt": "lfs"}


def test_request_cut_mid_body_changes_nothing(http: Http, user: HubUser, repo: str) -> None:
    before = head_of(http, repo)
    lines = [{"key": "header", "value": {"summary": "cut"}}, add_file("partial.txt", b"p")]
    sent = "".join(json.dumps(line) + "\n" for line in lines).encode()
    request = (
        f"POST /api/models/{repo}/commit/main HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {user.token}\r\nContent-Length: {len(sent) + 500}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", http.hub.port)) as connection:
        connection.sendall(request + sent)  # complete lines, then the client "dies"
        connection.shutdown(socket.SHUT_WR)
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 400")
    assert head_of(http, repo) == before
    assert "partial.txt" not in files_of(http, repo)
