"""A server killed in the middle of a commit leaves the previous state, and works on restart.

Small inline blobs wait in memory for the commit's one transaction, which also writes every
blob row; large ones are stored as files while the payload is read. A kill before the
transaction leaves at most unreferenced content files; a kill after the answer loses nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import socket
import time
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlsplit

import requests

from hfapi.hub.storage import SMALL_CONTENT_MAX

from ._helpers import add_file
from .test_cli import run_hub  # noqa: F401  (the fixture)

REPO = "hub-user/durable"
DEADLINE = 60.0


def _git_path(data_dir: Path, content: bytes) -> Path:
    oid = hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()
    return data_dir / "objects" / "git" / oid[:2] / oid[2:]


def _commit(url: str, token: str, lines: List[Dict[str, Any]]) -> requests.Response:
    header = {"key": "header", "value": {"summary": "a commit", "description": ""}}
    body = "".join(json.dumps(line) + "\n" for line in [header, *lines])
    headers = {"authorization": f"Bearer {token}", "content-type": "application/x-ndjson"}
    return requests.post(f"{url}/api/models/{REPO}/commit/main", data=body, headers=headers)


def _send_half_a_commit(url: str, token: str, lines: List[Dict[str, Any]]) -> socket.socket:
    """Send a chunked commit body without its last chunk: the server keeps reading."""
    parts = urlsplit(url)
    connection = socket.create_connection((parts.hostname or "", parts.port or 80))
    head = (
        f"POST /api/models/{REPO}/commit/main HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/x-ndjson\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    header = {"key": "header", "value": {"summary": "never", "description": ""}}
    connection.sendall(head.encode())
    for line in [header, *lines]:
        data = (json.dumps(line) + "\n").encode()
        connection.sendall(b"%x\r\n%s\r\n" % (len(data), data))
    return connection


def _wait_for(path: Path) -> None:
    end = time.monotonic() + DEADLINE
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.01)  # polling for the server's write, not a timing assumption


def _files(url: str, token: str) -> Dict[str, int]:
    headers = {"authorization": f"Bearer {token}"}
    tree = requests.get(f"{url}/api/models/{REPO}/tree/main", headers=headers).json()
    return {entry["path"]: entry["size"] for entry in tree if entry["type"] == "file"}


def test_killed_mid_commit_keeps_the_previous_state(
    run_hub: Any,  # noqa: F811  (the fixture imported above)
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    args = ("--port", "0", "--data-dir", str(data_dir))
    process, banner = run_hub(*args)
    url, token = banner["url"], banner["token"]
    body = {"name": "durable", "organization": None, "private": False}
    headers = {"authorization": f"Bearer {token}"}
    assert requests.post(f"{url}/api/repos/create", json=body, headers=headers).ok
    assert _commit(url, token, [add_file("a.txt", b"first")]).ok
    before = _files(url, token)

    # Small blobs first; the last one is large, so it is written to a file as it is read:
    # once that file exists, the server has read every line and is waiting for the end.
    contents = [base64.b64encode(os.urandom(300)) for _ in range(3)]
    contents.append(base64.b64encode(os.urandom(SMALL_CONTENT_MAX)))
    lines = [add_file(f"new{i}.txt", content) for i, content in enumerate(contents)]
    connection = _send_half_a_commit(url, token, lines)
    _wait_for(_git_path(data_dir, contents[-1]))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    connection.close()

    process, banner = run_hub(*args)
    url = banner["url"]
    assert _files(url, token) == before
    # The same contents, partly on disk without their rows, commit normally.
    assert _commit(url, token, lines).ok
    sizes = {f"new{i}.txt": len(content) for i, content in enumerate(contents)}
    assert _files(url, token) == {**before, **sizes}
    # An answered commit survives a kill right after its answer.
    assert _commit(url, token, [add_file("late.txt", b"after the answer")]).ok
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    url = run_hub(*args)[1]["url"]
    assert _files(url, token) == {**before, **sizes, "late.txt": 16}
    resolved = requests.get(f"{url}/{REPO}/resolve/main/new0.txt", headers=headers)
    assert resolved.content == contents[0]
