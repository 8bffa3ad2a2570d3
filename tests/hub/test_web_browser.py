"""Headless Chromium opens every URL the client returns, and runs nothing a repo holds.

Skipped when Debian's ``chromium`` is not installed (``apt-get install -y chromium``;
``.ci/run`` installs it). Screenshots land in each test's tmp dir.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest
import requests

from hfapi import CommitOperationAdd, HfApi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)
EVIL_NAME = "<img src=x onerror=alert(1)>.txt"
EVIL_README = "# Card\n\n<script>document.title='pwned'</script>\n\n" + (
    "<img src=x onerror=\"document.title='pwned'\">\n"
)


def chromium(tmp_path: Path, *args: str) -> str:
    """Run headless Chromium once with its own profile; return its standard output."""
    profile = tmp_path / f"profile-{uuid.uuid4().hex}"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, timeout=120, check=True)
    return done.stdout.decode("utf-8", "replace")


def open_pages(tmp_path: Path, pages: Sequence[Tuple[str, str]]) -> Dict[str, str]:
    """Open each ``(url, name)``: check it answers 200, save a screenshot, dump its DOM.

    Chromium runs a few at a time (each launch takes a second or two).

    Returns:
        The live DOM of each page, by name.
    """
    for url, _ in pages:
        status = requests.get(url, headers={"Accept": "text/html"}).status_code
        assert status == 200, f"{url} answered {status}"
    with ThreadPoolExecutor(max_workers=4) as pool:
        shots = [
            pool.submit(
                chromium,
                tmp_path,
                "--window-size=1200,900",
                f"--screenshot={tmp_path / name}.png",
                url,
            )
            for url, name in pages
        ]
        doms = {name: pool.submit(chromium, tmp_path, "--dump-dom", url) for url, name in pages}
        for shot in shots:
            shot.result()
        result = {name: dom.result() for name, dom in doms.items()}
    for _, name in pages:
        assert (tmp_path / f"{name}.png").stat().st_size > 1000, f"no screenshot of {name}"
    return result


@pytest.fixture
def api(hub: LocalHub, user: HubUser) -> HfApi:
    return HfApi(endpoint=hub.url, token=user.token)


def test_every_url_the_client_returns_opens(
    api: HfApi, user: HubUser, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo_url = api.create_repo(f"{user.name}/browsed")
    repo_id = repo_url.repo_id
    blob_url = api.upload_file(
        path_or_fileobj=b"# Browsed\n\nHello from the card.\n",
        path_in_repo="README.md",
        repo_id=repo_id,
        commit_message="Add the card",
    )
    folder = tmp_path_factory.mktemp("folder")
    (folder / "alpha.txt").write_text("alpha\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "beta.txt").write_text("beta\n")
    tree_url = api.upload_folder(
        folder_path=folder, path_in_repo="data", repo_id=repo_id, commit_message="Add a folder"
    )
    info = api.create_commit(
        repo_id, [CommitOperationAdd("gamma.txt", b"gamma\n")], commit_message="Add gamma"
    )
    pr = api.create_commit(
        repo_id,
        [CommitOperationAdd("delta.txt", b"delta\n")],
        commit_message="Propose delta",
        create_pr=True,
    )
    assert pr.pr_url is not None
    expected: List[Tuple[object, str, List[str]]] = [
        (repo_url, "repo", ["Browsed", "Hello from the card.", "Add gamma"]),
        (blob_url, "blob", ["README.md", "Hello from the card."]),
        (tree_url, "tree", ["alpha.txt", "sub/", "Add a folder"]),
        (info.commit_url, "commit", ["Add gamma", "gamma.txt", "+gamma"]),
        (pr.commit_url, "pr-commit", ["Propose delta", "delta.txt"]),
        (pr.pr_url, "pr", ["Propose delta", "+delta", "open"]),
    ]
    doms = open_pages(tmp_path, [(str(url), name) for url, name, _ in expected])
    for url, name, texts in expected:
        for text in texts:
            assert text in doms[name], f"{text!r} missing from {url}"


def test_markup_in_names_and_readme_is_shown_not_run(
    api: HfApi, user: HubUser, tmp_path: Path
) -> None:
    repo_id = api.create_repo(f"{user.name}/xss").repo_id
    api.create_commit(
        repo_id,
        [
            CommitOperationAdd(EVIL_NAME, b"<script>document.title='pwned'</script>\n"),
            CommitOperationAdd("README.md", EVIL_README.encode()),
        ],
        commit_message="<script>document.title='pwned'</script>",
    )
    base = api.endpoint + "/" + repo_id
    doms = open_pages(tmp_path, [(base, "xss-repo"), (f"{base}/tree/main", "xss-tree")])
    for dom in doms.values():
        # A script that ran would have renamed the page: the dumped DOM is the live one.
        title = re.search(r"<title>(.*?)</title>", dom, re.S)
        assert title is not None and "pwned" not in title[1]
        assert "<script" not in dom and "<img" not in dom
        assert "&lt;script&gt;document.title" in dom
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in doms["xss-tree"]
