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


def test_knobs_changed_at_run_time_persist_and_start_arguments_win(tmp_path: Path) -> None:
    with LocalHub(data_dir=tmp_path, tree_page_size=7) as first:
        first.configure(commits_page_size=9, reject_unknown_tokens=True)
        http = Http(first)
        assert http("PUT", "/_hub/config", first.admin_token, json={"likes_page_size": 3}).ok
    with LocalHub(data_dir=tmp_path) as second:
        knobs = second.settings.as_dict()
        assert (knobs["commits_page_size"], knobs["likes_page_size"]) == (9, 3)
        assert knobs["reject_unknown_tokens"] is True
        assert knobs["tree_page_size"] == 1000  # given at start, not stored
    with LocalHub(data_dir=tmp_path, commits_page_size=4) as third:
        assert third.settings.commits_page_size == 4  # the start argument wins...
        assert Http(third)("GET", "/_hub/config", third.admin_token).json()["likes_page_size"] == 3
    with LocalHub(data_dir=tmp_path) as fourth:
        assert fourth.settings.commits_page_size == 9  # ...for that run only


def test_config_file_settings_win_over_stored_ones(tmp_path: Path) -> None:
    with LocalHub(data_dir=tmp_path) as first:
        first.configure(tree_page_size=11, likes_page_size=5)
    config = {"settings": {"tree_page_size": 2}}
    with LocalHub(data_dir=tmp_path, config=config) as second:
        assert (second.settings.tree_page_size, second.settings.likes_page_size) == (2, 5)


def test_unusable_stored_knobs_are_dropped(tmp_path: Path) -> None:
    with LocalHub(data_dir=tmp_path) as first:
        first.backend.storage.set_setting(
            "knobs", '{"tree_page_size": 6, "from_the_future": 1, "likes_page_size": -1}'
        )
    with LocalHub(data_dir=tmp_path) as second:
        assert (second.settings.tree_page_size, second.settings.likes_page_size) == (6, 100)
    with LocalHub(data_dir=tmp_path) as third:
        third.backend.storage.set_setting("knobs", "not json")
    with LocalHub(data_dir=tmp_path) as fourth:
        assert fourth.settings.tree_page_size == 1000


def test_restarting_the_same_object_keeps_its_knobs(tmp_path: Path) -> None:
    hub = LocalHub(data_dir=tmp_path)
    with hub:
        hub.configure(tree_page_size=3)
    with hub:
        assert hub.settings.tree_page_size == 3
        hub.configure(tree_page_size=4)  # stored in the new run's storage
    with LocalHub(data_dir=tmp_path) as other:
        assert other.settings.tree_page_size == 4
