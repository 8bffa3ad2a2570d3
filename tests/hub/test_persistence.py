"""A LocalHub restarted on the same data_dir keeps everything."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hfapi.hub import LocalHub

from ._helpers import Http, add_file, add_lfs


def test_restart_keeps_state(tmp_path: Path) -> None:
    weights = b"\x00weights" * 100
    with LocalHub(data_dir=tmp_path, lfs_multipart_threshold=300, lfs_chunk_size=256) as first:
        http = Http(first)
        token, admin = first.token, first.admin_token
        alice = first.add_user("alice")
        first.add_org("acme", {"alice": "write"})
        assert http.create_repo(alice, "m", organization="acme", private=True).ok
        repo = "acme/m"
        http.upload_lfs(alice, repo, weights)
        commit = http.commit(alice, repo, [add_file("a.txt", b"A"), add_lfs("w.bin", weights)])
        head = commit.json()["commitOid"]
        assert http("POST", f"/api/models/{repo}/branch/dev", alice, json={}).ok
        assert http("POST", f"/api/models/{repo}/tag/main", alice, json={"tag": "v1"}).ok
        assert http.commit(alice, repo, [], create_pr=True).ok
        assert http("POST", f"/api/models/{repo}/like", alice).ok
        refs_before = http("GET", f"/api/models/{repo}/refs?include_prs=1", alice).json()
    with LocalHub(data_dir=tmp_path) as second:
        http = Http(second)
        assert (second.token, second.admin_token) == (token, admin)
        assert http("GET", "/api/whoami-v2", alice).json()["orgs"][0]["name"] == "acme"
        assert http("GET", f"/api/models/{repo}").status_code == 401  # still private
        info = http("GET", f"/api/models/{repo}", alice).json()
        assert (info["sha"], info["likes"]) == (head, 1)
        assert http("GET", f"/api/models/{repo}/refs?include_prs=1", alice).json() == refs_before
        assert http("GET", f"/{repo}/resolve/v1/a.txt", alice).content == b"A"
        assert http("GET", f"/{repo}/resolve/dev/w.bin", alice).content == weights
        oid = hashlib.sha256(weights).hexdigest()
        again = http.batch(alice, repo, [{"oid": oid, "size": len(weights)}]).json()
        assert "actions" not in again["objects"][0]
        assert http.commit(alice, repo, [add_file("b.txt", b"B")], parent=head).ok
