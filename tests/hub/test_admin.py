"""The control surface: admin routes, the Python API, config files, the command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import Http

SEED = {
    "users": [{"name": "alice", "tokens": [{"token": "hf_alice_fixed", "role": "write"}]}],
    "orgs": [{"name": "acme", "members": {"alice": "admin"}}],
    "repos": [
        {
            "repo_id": "acme/data",
            "repo_type": "dataset",
            "private": True,
            "files": {"README.md": "# Data", "w.bin": {"base64": "AAEC"}},
        },
    ],
}


def test_admin_routes_need_the_admin_token(http: Http, hub: LocalHub, user: HubUser) -> None:
    assert http("GET", "/_hub/health").json() == {"status": "ok"}
    assert http("GET", "/_hub/state").status_code == 401
    assert http("GET", "/_hub/state", user.token).status_code == 403
    assert http("POST", "/_hub/reset", user.token).status_code == 403
    config = http("GET", "/_hub/config", hub.admin_token).json()
    assert config["tree_page_size"] == 5
    assert http("PUT", "/_hub/config", hub.admin_token, json={"nope": 1}).status_code == 400
    assert http(
        "PUT", "/_hub/config", hub.admin_token, json={"likes_page_size": 0}
    ).status_code == (400)


def test_seed_state_config_and_reset(tmp_path: Path) -> None:
    with LocalHub(admin_token="hf_admin_test") as hub:
        http = Http(hub)
        created = http("POST", "/_hub/seed", "hf_admin_test", json=SEED).json()
        assert created["users"] == {"alice": ["hf_alice_fixed"]}
        assert created["orgs"]["acme"].startswith("api_org_")
        assert http("GET", "/datasets/acme/data/resolve/main/w.bin").status_code == 401
        download = http("GET", "/datasets/acme/data/resolve/main/w.bin", "hf_alice_fixed")
        assert download.content == b"\x00\x01\x02"
        assert "X-Linked-Etag" in download.history[0].headers  # *.bin went to LFS
        state = http("GET", "/_hub/state", "hf_alice_fixed")
        assert state.status_code == 403
        dump = http("GET", "/_hub/state", hub.admin_token).json()
        (repo,) = dump["repos"]
        assert (repo["id"], repo["type"], repo["private"]) == ("acme/data", "dataset", True)
        assert sorted(repo["files"]) == [".gitattributes", "README.md", "w.bin"]
        assert {a["name"] for a in dump["accounts"]} == {"hub-user", "alice", "acme"}
        changed = http("PUT", "/_hub/config", hub.admin_token, json={"commits_page_size": 2})
        assert changed.json()["commits_page_size"] == 2 == hub.settings.commits_page_size
        default_token = hub.token
        assert http("POST", "/_hub/reset", hub.admin_token).ok
        assert http("GET", "/api/whoami-v2", "hf_alice_fixed").status_code == 401
        assert http("GET", "/api/whoami-v2", default_token).json()["name"] == "hub-user"
        assert http("GET", "/_hub/state", hub.admin_token).json()["repos"] == []


def test_config_file_is_applied_at_start_and_after_reset(tmp_path: Path) -> None:
    config = tmp_path / "users.json"
    config.write_text(json.dumps({**SEED, "settings": {"tree_page_size": 7}}))
    with LocalHub(config=config) as hub:
        http = Http(hub)
        assert hub.settings.tree_page_size == 7
        assert http("GET", "/api/datasets/acme/data", "hf_alice_fixed").ok
        hub.reset()
        assert http("GET", "/api/datasets/acme/data", "hf_alice_fixed").ok
        assert hub.dump()["accounts"]


def test_python_api(tmp_path: Path) -> None:
    with LocalHub(data_dir=tmp_path / "data", default_user="owner") as hub:
        assert hub.running and hub.url.startswith("http://127.0.0.1:")
        bob = hub.add_user("bob", fullname="Bob")
        bob_read = hub.add_token("bob")
        hub.add_org("team", {"bob": "write"})
        hub.add_member("team", "owner", "read")
        url = hub.create_repo("team/r", files={"a.txt": "A", "b.bin": b"\x00"})
        assert url == f"{hub.url}/team/r"
        commit = hub.upload("team/r", {"c.txt": "C"}, message="more")
        response = hub.handle("GET", "/api/models/team/r", [("Authorization", f"Bearer {bob}")])
        assert json.loads(bytes(response.body))["sha"] == commit
        whoami = hub.handle("GET", "/api/whoami-v2", [("Authorization", f"Bearer {bob_read}")])
        assert json.loads(bytes(response.body))["id"] == "team/r"
        assert json.loads(bytes(whoami.body))["auth"]["accessToken"]["role"] == "read"
        hub.configure(tree_page_size=2)
        with pytest.raises(ValueError, match="Unknown setting"):
            hub.configure(page=1)
        with pytest.raises(RuntimeError, match="already running"):
            hub.start()
    assert not hub.running
    with pytest.raises(RuntimeError, match="not running"):
        hub.add_user("carol")


def test_command_line(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "hfapi.hub",
        "--data-dir",
        str(tmp_path),
        "--set",
        "tree_page_size=7",
        "--admin-token",
        "hf_admin_cli",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        process.stdout.readline()
        token = process.stdout.readline().split()[-1]
        try:
            assert requests.get(
                f"{url}/api/whoami-v2", headers={"authorization": f"Bearer {token}"}
            ).ok
            config = requests.get(
                f"{url}/_hub/config", headers={"authorization": "Bearer hf_admin_cli"}
            )
            assert config.json()["tree_page_size"] == 7
        finally:
            process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    bad = subprocess.run(
        [sys.executable, "-m", "hfapi.hub", "--set", "x=y"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "Unknown setting" in bad.stderr
