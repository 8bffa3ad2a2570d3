"""Name rules: file paths in commits and branch/tag names (git's rules, the Hub's limits)."""

from __future__ import annotations

from typing import List
from urllib.parse import quote

import pytest
import requests

from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http, add_file

BAD_PATHS = [
    "a\r\nX-Injected: 1",
    "line\nbreak",
    "nul\x00byte",
    "next-line\x85c1",
    "delete\x7f",
    "photo\u202egpj.exe",  # right-to-left override: displays as "photoexe.jpg"
    "mark\u200f.txt",
    "isolate\u2066x\u2069",
    "sep\u2028arator",
    ".GIT/config",
    "a/.Git/hooks/post-checkout",
    ".git./config",
    ".git /config",
    "GIT~1/config",
    ".git",
    "a/./b",
    "a/../b",
    "./a",
    "a/",
    "a//b",
    "/abs",
    "x" * 256,
    "/".join(["dir"] * 1100) + "/f",  # 4,403 bytes
    "é" * 128,  # 256 bytes in UTF-8
    "n" * 5000,
]

GOOD_PATHS = [
    "é/ü.txt",
    "a..b/c...d",
    ".gitignore",
    ".github/workflows/ci.yml",
    "dir/.hidden",
    "with space.txt",
    "x" * 255,
    "/".join(["d" * 200] * 20),  # 4,019 bytes
]

BAD_REFS = [
    "HEAD",
    "@",
    "-leading-dash",
    "refs/heads/x",
    "a..b",
    "a@{1}",
    "a//b",
    "/lead",
    "trail/",
    "trail.",
    "x.lock",
    "a.lock/b",
    "a/.hidden",
    ".hidden",
    "tilde~1",
    "caret^",
    "co:lon",
    "que?",
    "st*r",
    "br[acket",
    "back\\slash",
    "sp ace",
    "tab\tname",
    "cr\rlf\n",
    "bidi\u202ename",
    "c1\x9bcontrol",
    "x" * 256,
    "b" * 5000,
]

GOOD_REFS = ["feature/x", "v1.0", "release-2024", "under_score", "é-branch", "a.b/c-d", "x" * 255]


def _created(response: requests.Response) -> bool:
    if response.status_code != 200:
        assert response.status_code == 400, response.text
        assert response.json() == {"error": response.headers["X-Error-Message"]}
        assert "\n" not in response.headers["X-Error-Message"]
    return response.status_code == 200


def test_bad_paths_are_refused_in_commits(http: Http, user: HubUser, repo: str) -> None:
    accepted: List[str] = []
    for path in BAD_PATHS:
        if _created(http.commit(user.token, repo, [add_file(path, b"x")])):
            accepted.append(path)
    assert accepted == []
    listing = http("GET", f"/api/models/{repo}/tree/main").json()
    assert [entry["path"] for entry in listing] == [".gitattributes"]


def test_bad_paths_are_refused_in_preupload_and_deletions(
    http: Http, user: HubUser, repo: str
) -> None:
    preupload = http(
        "POST",
        f"/api/models/{repo}/preupload/main",
        user.token,
        json={"files": [{"path": ".GIT/config", "sample": "", "size": 1}]},
    )
    assert preupload.status_code == 400
    deletion = {"key": "deletedFile", "value": {"path": "a\nb"}}
    assert http.commit(user.token, repo, [deletion]).status_code == 400


def test_good_paths_are_accepted(http: Http, user: HubUser, repo: str) -> None:
    operations = [add_file(path, path.encode()) for path in GOOD_PATHS]
    response = http.commit(user.token, repo, operations)
    assert response.status_code == 200, response.text
    for path in GOOD_PATHS[:3]:
        assert http("GET", f"/{repo}/resolve/main/{quote(path)}").content == path.encode()


@pytest.mark.parametrize("name", BAD_REFS)
def test_bad_branch_and_tag_names(http: Http, user: HubUser, repo: str, name: str) -> None:
    branch = http("POST", f"/api/models/{repo}/branch/{quote(name, safe='')}", user.token, json={})
    assert not _created(branch)
    assert branch.json()["error"].startswith("Invalid reference for a branch")
    tag = http("POST", f"/api/models/{repo}/tag/main", user.token, json={"tag": name})
    assert not _created(tag)
    assert tag.json()["error"].startswith("Invalid reference for a tag")


def test_good_branch_and_tag_names(http: Http, user: HubUser, repo: str) -> None:
    for name in GOOD_REFS:
        url = f"/api/models/{repo}/branch/{quote(name, safe='')}"
        assert _created(http("POST", url, user.token, json={})), name
        tag = http(
            "POST", f"/api/models/{repo}/tag/main", user.token, json={"tag": f"t-{name[:250]}"}
        )
        assert _created(tag), name
    refs = http("GET", f"/api/models/{repo}/refs").json()
    assert sorted(b["name"] for b in refs["branches"]) == sorted(["main", *GOOD_REFS])
