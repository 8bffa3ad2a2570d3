"""Downloads: exact bytes, the headers hf_hub_download relies on, ranges, errors."""

from __future__ import annotations

import hashlib
import time

import pytest
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
    sha = hashlib.sha256(weights).hexdigest()
    for method in ("GET", "HEAD"):
        redirect = http(method, f"/{repo}/resolve/{head}/w.bin", allow_redirects=False)
        assert redirect.status_code == 302
        assert redirect.headers["ETag"] == redirect.headers["X-Linked-Etag"] == f'"{sha}"'
        assert redirect.headers["X-Linked-Size"] == str(len(weights))
        assert redirect.headers["X-Repo-Commit"] == head
        assert redirect.headers["Location"].startswith(f"{http.hub.url}/_hub/lfs/download/")
    lfs = http("GET", f"/{repo}/resolve/main/w.bin")
    assert lfs.content == weights
    assert lfs.headers["ETag"] == f'"{sha}"'
    assert lfs.headers["Content-Length"] == str(len(weights))
    head_only = http("HEAD", f"/{repo}/resolve/main/cfg.json")
    assert head_only.content == b""
    assert head_only.headers["Content-Length"] == "2"
    assert head_only.headers["X-Repo-Commit"] == head


def _lfs_download_url(http: Http, user: HubUser, repo: str, data: bytes) -> str:
    http.upload_lfs(user.token, repo, data)
    assert http.commit(user.token, repo, [add_lfs("w.bin", data)]).ok
    redirect = http("GET", f"/{repo}/resolve/main/w.bin", user.token, allow_redirects=False)
    assert redirect.status_code == 302
    return str(redirect.headers["Location"])


def test_download_url_needs_no_token_and_serves_ranges(
    http: Http, user: HubUser, repo: str
) -> None:
    data = bytes(range(200))
    url = _lfs_download_url(http, user, repo, data)
    plain = requests.get(url)  # no Authorization at all
    assert (plain.status_code, plain.content) == (200, data)
    assert plain.headers["Accept-Ranges"] == "bytes"
    for value, expected in (("bytes=10-19", data[10:20]), ("bytes=190-", data[190:])):
        partial = requests.get(url, headers={"Range": value})
        assert (partial.status_code, partial.content) == (206, expected)
    last = requests.get(url, headers={"Range": "bytes=-5"})
    assert last.headers["Content-Range"] == "bytes 195-199/200"
    assert requests.get(url, headers={"Range": "bytes=200-"}).status_code == 416
    # A Range sent to resolve travels on with the redirect, as clients resume downloads.
    resumed = http("GET", f"/{repo}/resolve/main/w.bin", headers={"Range": "bytes=100-"})
    assert (resumed.status_code, resumed.content) == (206, data[100:])
    assert (
        http("GET", f"/{repo}/resolve/main/w.bin", headers={"Range": "bytes=999-"}).status_code
        == 416
    )


def test_download_url_forged_or_expired(
    http: Http, user: HubUser, repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"signed bytes"
    url = _lfs_download_url(http, user, repo, data)
    payload, _, signature = url.rpartition(".")
    oid = hashlib.sha256(data).hexdigest()
    bigger = payload.replace(f"{oid}.{len(data)}.", f"{oid}.{len(data) + 5}.")
    assert requests.get(f"{bigger}.{signature}").status_code == 403
    assert requests.get(f"{payload}.{'0' * len(signature)}").status_code == 403
    upload = http.batch(user.token, repo, [{"oid": "ab" * 32, "size": 3}]).json()
    ticket = upload["objects"][0]["actions"]["upload"]["href"].rpartition("/")[2]
    assert requests.get(f"{http.hub.url}/_hub/lfs/download/{ticket}").status_code == 403
    later = time.time() + 2 * 3600
    monkeypatch.setattr("hfapi.hub.backend.lfs.time.time", lambda: later)
    expired = requests.get(url)
    assert expired.status_code == 403 and "expired" in expired.json()["error"]
    fresh = http("GET", f"/{repo}/resolve/main/w.bin")  # resolving again gives a new URL
    assert fresh.content == data


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
