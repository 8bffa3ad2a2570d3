"""Helpers of the multi-commit tests (integration and conformance): files to upload, an
interruption after a number of steps, and the state of a multi-commit pull request."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest
import requests

from hfapi import HfApi
from hfapi.hub import LocalHub


def write_files(folder: Path, count: int) -> List[str]:
    """``count`` small distinct files in two sub-folders; their repo paths, sorted."""
    names = []
    for index in range(count):
        path = folder / f"part{index % 2}" / f"file{index:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content {index}\n".encode())
        names.append(path.relative_to(folder).as_posix())
    return sorted(names)


@contextlib.contextmanager
def fail_commits_after(
    hub: LocalHub, monkeypatch: pytest.MonkeyPatch, steps: int
) -> Iterator[List[str]]:
    """Let ``steps`` commits to a pull request through, then make every commit fail (500).

    Wraps ``requests.Session.send`` (both clients send through it); yields the URLs of the
    commits that went through.
    """
    landed: List[str] = []
    send: Callable[..., requests.Response] = requests.Session.send

    def counting_send(session: requests.Session, request: Any, **kwargs: Any) -> Any:
        response = send(session, request, **kwargs)
        is_step = request.method == "POST" and "/commit/refs%2Fpr%2F" in request.url
        if is_step and response.ok:
            landed.append(request.url)
            if len(landed) == steps:
                hub.inject_faults(1, kinds=("500",), routes=("commits.commit",))
        return response

    monkeypatch.setattr(requests.Session, "send", counting_send)
    try:
        yield landed
    finally:
        hub.inject_faults(0)
        monkeypatch.setattr(requests.Session, "send", send)


def pr_state(api: HfApi, repo_id: str, num: int) -> Any:
    """The PR's description and the commits it holds beyond main (titles)."""
    details = api.get_discussion_details(repo_id, num)
    on_main = {c.commit_id for c in api.list_repo_commits(repo_id)}
    titles = [
        c.title
        for c in api.list_repo_commits(repo_id, revision=f"refs/pr/{num}")
        if c.commit_id not in on_main
    ]
    return details, titles
