"""A commit whose answer is lost on the way back, against the local Hub.

A wrapper around ``requests.Session.send`` lets the commit request through (the Hub
applies it) and then raises as if the connection had dropped or timed out; or it
swallows the request before it reaches the Hub.
"""

from __future__ import annotations

from typing import Any, List, Optional

import pytest
import requests

from hfapi import CommitOperationAdd, CommitOperationDelete, HfApi
from hfapi.commit.outcome import CommitNotAppliedError, CommitOutcomeUnknownError
from hfapi.hub import LocalHub

from ._helpers import content, unique_bytes


class AnswerLoser:
    """Makes the next commit POST lose its answer, in one of three ways."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.mode: Optional[str] = None
        self.sent: List[str] = []
        original = requests.Session.send

        def send(session: requests.Session, request: requests.PreparedRequest, **kw: Any) -> Any:
            self.sent.append(f"{request.method} {request.path_url}")
            is_commit = request.method == "POST" and "/commit/" in (request.path_url or "")
            if not is_commit or self.mode is None:
                return original(session, request, **kw)
            mode, self.mode = self.mode, None
            if mode == "unsent":  # the connection dies before the body is written
                raise requests.ConnectionError("Connection reset by peer", request=request)
            if mode == "swallowed":  # written in full, but it never reaches the Hub
                request.body.read()  # type: ignore[union-attr]
                raise requests.ConnectionError("Connection reset by peer", request=request)
            original(session, request, **kw).close()  # the Hub applies the commit...
            if mode == "timeout":  # ...and its answer comes too late
                raise requests.ReadTimeout("Read timed out. (read timeout=600)", request=request)
            raise requests.ConnectionError("Remote end closed connection", request=request)

        monkeypatch.setattr(requests.Session, "send", send)


@pytest.fixture
def loser(monkeypatch: pytest.MonkeyPatch) -> AnswerLoser:
    return AnswerLoser(monkeypatch)


def _operations(lfs_data: bytes) -> List[Any]:
    return [
        CommitOperationAdd("notes/readme.md", b"# notes\n"),
        CommitOperationAdd("weights.bin", lfs_data),
        CommitOperationDelete("old.txt"),
    ]


@pytest.mark.parametrize("mode", ["dropped", "timeout"])
@pytest.mark.parametrize("with_parent", [False, True])
def test_a_commit_that_landed_is_reported_as_landed(
    hf_api: HfApi,
    repo_id: str,
    local_hub: LocalHub,
    loser: AnswerLoser,
    mode: str,
    with_parent: bool,
) -> None:
    hf_api.upload_file(path_or_fileobj=b"old", path_in_repo="old.txt", repo_id=repo_id)
    parent = hf_api.model_info(repo_id).sha
    assert parent is not None
    lfs_data = unique_bytes(2048)
    loser.mode = mode
    loser.sent.clear()
    info = hf_api.create_commit(
        repo_id,
        _operations(lfs_data),
        commit_message="Add notes and weights",
        commit_description="lost answer",
        parent_commit=parent if with_parent else None,
    )
    head = hf_api.list_repo_commits(repo_id)[0]
    assert info.oid == head.commit_id != parent
    assert head.title == "Add notes and weights"
    assert info.commit_url == f"{local_hub.url}/{repo_id}/commit/{head.commit_id}"
    assert (info.commit_message, info.commit_description) == (
        "Add notes and weights",
        "lost answer",
    )
    assert content(local_hub, repo_id, "weights.bin") == lfs_data
    assert sum(1 for line in loser.sent if "/commit/" in line) == 1  # never sent twice


@pytest.mark.parametrize(
    ("mode", "reads"), [("unsent", False), ("swallowed", True)], ids=["unsent", "swallowed"]
)
def test_a_commit_that_never_arrived_is_reported_as_not_applied(
    hf_api: HfApi, repo_id: str, loser: AnswerLoser, mode: str, reads: bool
) -> None:
    hf_api.upload_file(path_or_fileobj=b"old", path_in_repo="old.txt", repo_id=repo_id)
    before = hf_api.model_info(repo_id).sha
    loser.mode = mode
    loser.sent.clear()
    with pytest.raises(CommitNotAppliedError, match="the commit was not applied"):
        hf_api.create_commit(repo_id, _operations(unique_bytes(64)), commit_message="lost")
    after_commit = loser.sent[loser.sent.index(next(s for s in loser.sent if "/commit/" in s)) :]
    # Without a full body nothing needs reading; otherwise the branch is read, never written.
    assert (len(after_commit) > 1) == reads
    assert all(line.startswith("GET") or "/paths-info/" in line for line in after_commit[1:])
    assert hf_api.model_info(repo_id).sha == before
    # Retrying is safe, and works.
    hf_api.create_commit(repo_id, _operations(unique_bytes(64)), commit_message="retried")
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "notes/readme.md", "weights.bin"]
    assert hf_api.list_repo_commits(repo_id)[0].title == "retried"


def test_a_lost_pull_request_is_unknown(hf_api: HfApi, repo_id: str, loser: AnswerLoser) -> None:
    loser.mode = "dropped"
    with pytest.raises(CommitOutcomeUnknownError, match="could not tell") as caught:
        hf_api.create_commit(repo_id, [], commit_message="pr", create_pr=True)
    assert isinstance(caught.value, requests.ConnectionError)
    assert f"/{repo_id}/discussions" in str(caught.value)
