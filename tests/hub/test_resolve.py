"""Downloads: exact bytes, the headers hf_hub_download relies on, ranges, errors."""

from __future__ import annotations

import hashlib

import requests

from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file, add_lfs


def test_regular_and_lfs_downloads(http: Http, user: HubUser, repo: str) -> None:
    weights = bytes(range(256)) * 3
    http.upload_lfs(user.token, repo, weights)
    commit = http.commit(user.token, repo, [add_file("cfg.json", b"{}"), add_lfs("w.bin", weights)])
    head = commit.json()["commitOid"]
    regular = http("GET", f"/{repo}/resolve/main/cfg.json")
    assert regular.content == b"{}"
    assert regular.headers["ETag"] == '"9e26dfeeb6e641a33dae4961196235bdb965b21b"'
    assert regular.headers["X-Repo-Commit"] == head
    assert regular.headers["Content-Type"] == "application/json"
    assert "X-Linked-Etag" not in regular.headers
    lfs = http("GET", f"/{repo}/resolve/{head}/w.bin")
    sha = hashlib.sha256(weights).hexdigest()
    assert lfs.content == weights
    assert lfs.headers["ETag"] == lfs.headers["X-Linked-Etag"] == f'"{sha}"'
    assert lfs.headers["X-Linked-Size"] == lfs.headers["Content-Length"] == str(len(weights))
    head_only = http("HEAD", f"/{repo}/resolve/main/w.bin")
    assert head_only.content == b""
    assert head_only.headers["Content-Length"] == str(len(weights))
    assert head_only.headers["X-Repo-Commit"] == head


def test_ranges(http: Http, user: HubUser, repo: str) -> None:
    http.commit(user.token, repo, [add_file("digits.txt", b"0123456789")])
    url = f"/{repo}/resolve/main/digits.txt"
    for value, expected in (("bytes=2-4", b"234"), ("bytes=7-", b"789"), ("bytes=-2", b"89")):
        partial = http("GET", url, headers={"Range": value})
        assert (partial.status_code, partial.content) == (206, expected)
    assert http("GET", url, headers={"Range": "bytes=2-4"}).headers["Content-Range"] == (
        "bytes 2-4/10"
    )
    assert http("GET", url, headers={"Range": "bytes=20-"}).status_code == 416


def test_download_errors(http: Http, user: HubUser, repo: str) -> None:
    http.commit(user.token, repo, [add_file("dir/a.txt", b"a")])
    for path, code in (
        (f"/{repo}/resolve/main/missing.txt", "EntryNotFound"),
        (f"/{repo}/resolve/main/dir", "EntryNotFound"),
        (f"/{repo}/resolve/nope/dir/a.txt", "RevisionNotFound"),
        (f"/{user.name}/nope/resolve/main/a.txt", "RepoNotFound"),
    ):
        response = http("GET", path, user.token)
        assert (response.status_code, response.headers["X-Error-Code"]) == (404, code), path


def test_keep_alive_survives_many_requests(http: Http, repo: str) -> None:
    session = requests.Session()
    for _ in range(50):
        assert session.get(f"{http.hub.url}/{repo}/resolve/main/.gitattributes").ok
