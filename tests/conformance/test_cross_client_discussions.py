"""Pull requests across clients on one local Hub: opened by huggingface_hub 0.16.4 and
merged by hfapi, and the other way round; both must read the same timeline."""

from __future__ import annotations

from typing import Any, List, Tuple

import pytest
from huggingface_hub import CommitOperationAdd as ReferenceAdd
from huggingface_hub import HfApi as ReferenceApi

import hfapi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

pytestmark = pytest.mark.conformance

#: LFS, uploaded in parts with the conformance limits (threshold 1000 bytes).
WEIGHTS = bytes(range(256)) * 11


def _timeline(details: Any) -> List[Tuple[str, str, str]]:
    """The events of a discussion as (id, type, author): comparable across clients."""
    return [(event.id, event.type, event.author) for event in details.events]


def _files(hub: LocalHub, user: HubUser, repo: str, names: List[str]) -> List[Any]:
    return reference_download(hub, [(repo, name, None, None, user.token) for name in names])


def test_opened_by_the_reference_merged_by_hfapi(
    api: Any, hub: LocalHub, user: HubUser, other: HubUser
) -> None:
    repo = f"{user.name}/ref-to-ours"
    ours = hfapi.HfApi(endpoint=hub.url, token=user.token)
    ours.create_repo("ref-to-ours")
    ours.upload_file(path_or_fileobj=b"v1\n", path_in_repo="a.txt", repo_id=repo)
    contributor = ReferenceApi(endpoint=hub.url, token=other.token)
    contributor.create_commit(
        repo,
        [ReferenceAdd("a.txt", b"v2\n"), ReferenceAdd("w.bin", WEIGHTS)],
        commit_message="Weights and a.txt v2",
        commit_description="Please merge",
        create_pr=True,
    )
    note = contributor.comment_discussion(repo, 1, "Ready")

    pr = ours.get_discussion_details(repo, 1)
    assert (pr.author, pr.status, pr.title, pr.git_reference) == (
        other.name,
        "open",
        "Weights and a.txt v2",
        "refs/pr/1",
    )
    assert pr.events[0].content == "Please merge"
    assert pr.diff is not None and "-v1\n+v2\n" in pr.diff
    assert _timeline(pr) == _timeline(api.get_discussion_details(repo, 1))
    answer = ours.comment_discussion(repo, 1, "Thanks")
    edited = ours.edit_discussion_comment(repo, 1, answer.id.upper(), "Thanks!")
    assert (edited.id, edited.content, edited.number_of_edits) == (answer.id, "Thanks!", 1)
    with pytest.warns(UserWarning):
        assert ours.hide_discussion_comment(repo, 1, note.id).hidden is True
    merged = ours.merge_pull_request(repo, 1, comment="Merged")
    assert isinstance(merged, hfapi.DiscussionStatusChange) and merged.new_status == "merged"

    seen = contributor.get_discussion_details(repo, 1)
    assert (seen.status, seen.merge_commit_oid) == ("merged", api.model_info(repo).sha)
    comments = {e.id: (e.content, e.hidden, e.edited) for e in seen.events if e.type == "comment"}
    assert comments[note.id] == ("", True, False)
    assert comments[answer.id] == ("Thanks!", False, True)
    assert seen.events[-1].id == merged.id and seen.events[-1].new_status == "merged"
    assert _files(hub, user, repo, ["a.txt", "w.bin"]) == [b"v2\n", WEIGHTS]


def test_opened_by_hfapi_merged_by_the_reference(
    api: Any, hub: LocalHub, user: HubUser, other: HubUser
) -> None:
    repo = f"{user.name}/ours-to-ref"
    api.create_repo("ours-to-ref")
    api.upload_file(path_or_fileobj=b"v1\n", path_in_repo="a.txt", repo_id=repo)
    contributor = hfapi.HfApi(endpoint=hub.url, token=other.token)
    contributor.create_commit(
        repo,
        [hfapi.CommitOperationAdd("w.bin", WEIGHTS)],
        commit_message="Add weights",
        create_pr=True,
    )
    contributor.upload_file(
        path_or_fileobj=b"v2\n", path_in_repo="a.txt", repo_id=repo, revision="refs/pr/1"
    )

    pr = api.get_discussion_details(repo, 1)
    assert (pr.author, pr.status, pr.title, pr.conflicting_files) == (
        other.name,
        "open",
        "Add weights",
        [],
    )
    assert [c.summary for c in pr.events if c.type == "commit"] == [
        "Add weights",
        "Upload a.txt with huggingface_hub",
    ]
    reply = api.comment_discussion(repo, 1, "One question")
    answer = contributor.comment_discussion(repo, 1, "Answered")
    api.rename_discussion(repo, 1, "Weights and a.txt v2")
    assert api.merge_pull_request(repo, 1, comment="Merged") is None  # 0.16.4 drops it

    seen = contributor.get_discussion_details(repo, 1)
    assert (seen.status, seen.title) == ("merged", "Weights and a.txt v2")
    assert seen.merge_commit_oid == contributor.model_info(repo).sha
    assert _timeline(seen) == _timeline(api.get_discussion_details(repo, 1))
    texts = {e.id: e.content for e in seen.events if isinstance(e, hfapi.DiscussionComment)}
    assert (texts[reply.id], texts[answer.id]) == ("One question", "Answered")
    assert _files(hub, user, repo, ["a.txt", "w.bin"]) == [b"v2\n", WEIGHTS]
