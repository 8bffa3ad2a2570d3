"""``python -m hfapi.hub`` in a subprocess: bad configs, account names, SIGTERM, access log."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List

import pytest
import requests

from hfapi.hub.__main__ import main

STARTUP_DEADLINE = 120.0


def _command(*args: str) -> List[str]:
    return [sys.executable, "-m", "hfapi.hub", *args]


def _banner(stream: IO[str], deadline: float = STARTUP_DEADLINE) -> Dict[str, str]:
    """Read the start-up lines (``key: value``) until "Press Ctrl-C", within a deadline."""
    lines: "queue.Queue[str]" = queue.Queue()

    def pump() -> None:  # a thread, so that a silent process cannot block the test
        for line in iter(stream.readline, ""):
            lines.put(line)
            if line.startswith("Press Ctrl-C"):
                return
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    banner: Dict[str, str] = {}
    end = time.monotonic() + deadline
    while True:
        try:
            line = lines.get(timeout=max(0.0, end - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"the hub did not start within {deadline} s: {banner}") from None
        if not line or line.startswith("Press Ctrl-C"):
            return banner
        if line.startswith("Local Hub running at "):
            banner["url"] = line.split()[-1]
        else:
            key, _, value = line.strip().partition(":")
            banner[key] = value.strip()


@pytest.fixture
def run_hub() -> Iterator[Any]:
    """Start the CLI with arguments; every process still running at the end is killed."""
    processes: List[subprocess.Popen[str]] = []

    def start(*args: str) -> Any:
        process = subprocess.Popen(
            _command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        processes.append(process)
        assert process.stdout is not None
        return process, _banner(process.stdout)

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


def _refusal(tmp_path: Path, capsys: pytest.CaptureFixture[str], config: Any) -> str:
    """Run the command line in-process on a config file; return its one-line refusal."""
    path = tmp_path / "hub.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config), encoding="utf-8")
    assert main(["--config", str(path)]) == 2
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith(f"hfapi-hub: config file {path}: ")
    return stderr


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"user": []}, "Unknown key 'user'"),
        ({"users": [{"name": "a", "token": "hf_x"}]}, "users[0] ('a'): Unknown key 'token'"),
        ({"users": [{"name": "-bad"}]}, "users[0] ('-bad'): Invalid account name"),
        ({"users": [{"name": "datasets"}]}, "users[0] ('datasets'): The name 'datasets' is"),
        ({"orgs": [{"name": "API"}]}, "orgs[0] ('API'): The name 'API' is reserved"),
        ({"orgs": [{"name": "_hub"}]}, "reserved"),
        (
            {
                "users": [
                    {"name": "a", "tokens": [{"token": "hf_same"}]},
                    {"name": "b", "tokens": [{"token": "hf_same"}]},
                ]
            },
            "users[1] ('b'): tokens[0]: Duplicate token: the same value is already given in"
            " users[0] ('a').tokens[0]",
        ),
        (
            {"users": [{"name": "a", "tokens": [{"role": "admin"}]}]},
            "users[0] ('a'): tokens[0]: Invalid token role 'admin'",
        ),
        ({"settings": {"tree_page_size": 0}}, "settings: Setting 'tree_page_size' must be"),
        ({"repos": [{"repo_id": "a/b", "privat": True}]}, "repos[0]: Unknown key 'privat'"),
        ([1, 2], "Expected config as a JSON object"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: Any, expected: str
) -> None:
    assert expected in _refusal(tmp_path, capsys, config)


def test_unreadable_config_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad_json = _refusal(tmp_path, capsys, '{"users": []\n')
    assert "invalid JSON at line 2, column 1" in bad_json
    missing = tmp_path / "missing.json"
    assert main(["--config", str(missing)]) == 2
    expected = f"config file {missing}: cannot read it: No such file or directory"
    assert capsys.readouterr().err == f"hfapi-hub: {expected}\n"


def test_config_refused_while_applying_names_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Valid on its own, but the org takes the default user's name.
    refusal = _refusal(tmp_path, capsys, {"orgs": [{"name": "hub-user"}]})
    assert "orgs[0] ('hub-user'): The name 'hub-user' is already taken by a user" in refusal


def test_refusals_in_a_real_process_have_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "hub.json"
    path.write_text(json.dumps({"users": [{"name": "__ok__"}, {"name": "spaces"}]}))
    for args in (["--config", str(path)], ["--user", "models"]):
        result = subprocess.run(
            _command(*args), capture_output=True, text=True, timeout=STARTUP_DEADLINE
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
        assert "is reserved by the Hub" in result.stderr


def test_dummy_transformers_user_config_runs_and_sigterm_stops(
    tmp_path: Path, run_hub: Any
) -> None:
    config = {
        "users": [{"name": "__DUMMY_TRANSFORMERS_USER__", "tokens": [{"token": "hf_dummy"}]}],
        "orgs": [{"name": "valid_org_", "members": {"__DUMMY_TRANSFORMERS_USER__": "admin"}}],
    }
    path = tmp_path / "hub.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    process, banner = run_hub("--config", str(path), "--data-dir", str(tmp_path / "data"))
    whoami = requests.get(
        f"{banner['url']}/api/whoami-v2", headers={"authorization": "Bearer hf_dummy"}
    ).json()
    assert whoami["name"] == "__DUMMY_TRANSFORMERS_USER__"
    assert whoami["orgs"][0]["name"] == "valid_org_"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STARTUP_DEADLINE) == 0


def test_sigterm_removes_the_temporary_data_dir(run_hub: Any) -> None:
    process, banner = run_hub()
    data_dir = banner["data dir"].split(" (temporary")[0]
    assert os.path.isdir(data_dir) and os.path.exists(os.path.join(data_dir, "hub.sqlite3"))
    assert requests.get(f"{banner['url']}/_hub/health").ok
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=STARTUP_DEADLINE) == 0
    assert not os.path.exists(data_dir)


_ACCESS = re.compile(
    r"hfapi\.hub\.access (GET|HEAD|PUT|POST) (\S+) (\d{3}) (\d+) bytes \d+\.\d ms request_id=(\S+)$"
)


def test_access_log_has_one_line_per_request_and_no_token(run_hub: Any) -> None:
    process, banner = run_hub("-v", "--admin-token", "hf_admin_secret_cli")
    url, token = banner["url"], banner["token"]
    auth = {"authorization": f"Bearer {token}", "x-request-id": "rid-1"}
    assert requests.get(f"{url}/api/whoami-v2?token={token}&x=1", headers=auth).ok
    basic = requests.get(f"{url}/api/models/nobody/none", auth=("user", token))
    assert basic.status_code == 404
    head = requests.head(
        f"{url}/_hub/state", headers={"authorization": "Bearer hf_admin_secret_cli"}
    )
    assert head.ok
    ticket = requests.put(f"{url}/_hub/lfs/upload/secretticketvalue", data=b"x")
    assert ticket.status_code >= 400
    download = requests.get(f"{url}/_hub/lfs/download/secretdownloadticket")
    assert download.status_code == 403
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=STARTUP_DEADLINE)
    assert process.returncode == 0
    lines = [line for line in stderr.splitlines() if "hfapi.hub.access" in line]
    found = [_ACCESS.search(line) for line in lines]
    assert all(found), lines
    summary = [(m[1], m[2], m[3]) for m in found if m]
    assert summary == [
        ("GET", "/api/whoami-v2", "200"),
        ("GET", "/api/models/nobody/none", "404"),
        ("HEAD", "/_hub/state", "200"),
        ("PUT", "/_hub/lfs/upload/<ticket>", summary[3][2]),
        ("GET", "/_hub/lfs/download/<ticket>", "403"),
    ]
    assert found[0] is not None and found[0][5] == "rid-1"
    assert int(found[0][4]) > 0 and found[2] is not None and found[2][4] == "0"
    for secret in (token, "hf_admin_secret_cli", "secretticketvalue", "secretdownloadticket"):
        assert secret not in stderr


def test_debug_log_hides_credentials_in_malformed_request_lines(run_hub: Any) -> None:
    process, banner = run_hub("--log-level", "debug")
    host, port = banner["url"].removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as connection:
        connection.sendall(b"GET /x?token=hf_leak1 HTTP/1.1 trailing hf_leak2\r\n\r\n")
        connection.recv(4096)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=STARTUP_DEADLINE)
    assert "Bad request" in stderr
    assert "hf_leak" not in stderr
