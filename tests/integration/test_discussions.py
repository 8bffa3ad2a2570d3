"""Our client against the local Hub: discussions and pull requests end to end."""

from __future__ import annotations

from typing import List

import pytest
import requests

from hfapi import (
    BadRequestError,
    CommitOperationAdd,
    CommitOperationDelete,
    DiscussionComment,
    DiscussionCommit,
    DiscussionStatusChange,
    DiscussionTitleChange,
    HfApi,
    HfHubHTTPError,
    RepositoryNotFoundError,
)
from hfapi.hub import LocalHub
from hfapi.hub.backend.discussions import PAGE_SIZE
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import RequestLog, content, download, unique_bytes


def _status(error: pytest.ExceptionInfo[HfHubHTTPError]) -> int:
    assert error.value.response is not None
    return int(error.value.response.status_code)


def _open_proposal(hf_api: HfApi, other_api: HfApi, repo_id: str, weights: bytes) -> str:
    """The owner's base files, then the other user's PR #1 adding an LFS file."""
    hf_api.create_commit(
        repo_id,
        [
            CommitOperationAdd("a.txt", b"v1\n"),
            CommitOperationAdd("old.txt", b"to delete\n"),
        ],
        commit_message="Base files",
    )
    return other_api.upload_file(
        path_or_fileobj=weights,
        path_in_repo="w.bin",
        repo_id=repo_id,
        create_pr=True,
        commit_message="Add weights",
    )


def test_pull_request_from_a_contributor_end_to_end(
    hf_api: HfApi,
    other_api: HfApi,
    other_user: HubUser,
    local_hub: LocalHub,
    repo_id: str,
    request_log: RequestLog,
) -> None:
    weights = unique_bytes(3000)
    url = _open_proposal(hf_api, other_api, repo_id, weights)
    assert url == f"{local_hub.url}/{repo_id}/blob/refs%2Fpr%2F1/w.bin"
    # The contributor's LFS object is served on the PR's ref, not on main.
    assert content(local_hub, repo_id, "w.bin", "refs/pr/1") == weights
    assert download(local_hub, repo_id, "w.bin").status_code == 404
    [weights_info] = [
        f for f in hf_api.list_files_info(repo_id, revision="refs/pr/1") if f.rfilename == "w.bin"
    ]
    assert weights_info.lfs is not None and weights_info.lfs["size"] == len(weights)

    second = other_api.create_commit(
        repo_id,
        [CommitOperationAdd("a.txt", b"v2\n"), CommitOperationDelete("old.txt")],
        commit_message="Update a.txt",
        revision="refs/pr/1",
    )
    assert second.pr_url is None

    pr = hf_api.get_discussion_details(repo_id, 1)
    assert (pr.is_pull_request, pr.status, pr.author, pr.title) == (
        True,
        "open",
        other_user.name,
        "Add weights",
    )
    assert (pr.target_branch, pr.git_reference, pr.conflicting_files) == (
        "refs/heads/main",
        "refs/pr/1",
        [],
    )
    assert pr.merge_commit_oid is None
    assert pr.diff is not None
    assert "-v1\n+v2\n" in pr.diff and "-to delete\n" in pr.diff and "w.bin" in pr.diff
    commits = [e for e in pr.events if isinstance(e, DiscussionCommit)]
    assert [c.summary for c in commits] == ["Add weights", "Update a.txt"]
    assert commits[1].oid == second.oid
    assert all(c.author == other_user.name for c in commits)

    note = other_api.comment_discussion(repo_id, 1, "Please have a look")
    assert isinstance(note, DiscussionComment) and note.content == "Please have a look"
    edited = other_api.edit_discussion_comment(repo_id, 1, note.id, "Please review")
    assert (edited.id, edited.content, edited.edited, edited.number_of_edits) == (
        note.id,
        "Please review",
        True,
        1,
    )
    renamed = other_api.rename_discussion(repo_id, 1, "Weights and a.txt v2")
    assert isinstance(renamed, DiscussionTitleChange)
    assert (renamed.old_title, renamed.new_title) == ("Add weights", "Weights and a.txt v2")
    spam = hf_api.comment_discussion(repo_id, 1, "spam")
    with pytest.warns(UserWarning, match="irreversible"):
        hidden = hf_api.hide_discussion_comment(repo_id, 1, spam.id)
    assert (hidden.id, hidden.hidden) == (spam.id, True)

    request_log.clear()
    merged = hf_api.merge_pull_request(repo_id, 1, comment="Thanks!")
    # The event comes from the merge's own answer: no second request to look it up.
    assert [(s.method, s.path) for s in request_log.sent] == [
        ("POST", f"/api/models/{repo_id}/discussions/1/merge")
    ]
    assert isinstance(merged, DiscussionStatusChange) and merged.new_status == "merged"

    assert content(local_hub, repo_id, "a.txt") == b"v2\n"
    assert content(local_hub, repo_id, "w.bin") == weights
    assert download(local_hub, repo_id, "old.txt").status_code == 404
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", "a.txt", "w.bin"]

    after = hf_api.get_discussion_details(repo_id, 1)
    assert (after.status, after.title, after.conflicting_files) == (
        "merged",
        "Weights and a.txt v2",
        [],
    )
    assert after.merge_commit_oid == hf_api.model_info(repo_id).sha
    assert after.events[-1] == merged
    kinds = [type(e) for e in after.events]
    assert kinds[0] is DiscussionComment and after.events[0].author == other_user.name
    for kind in (DiscussionComment, DiscussionCommit, DiscussionTitleChange):
        assert kind in kinds
    assert next(e for e in after.events if e.id == note.id) == edited
    listed = list(hf_api.get_repo_discussions(repo_id))
    assert [(d.num, d.status, d.is_pull_request) for d in listed] == [(1, "merged", True)]
    with pytest.raises(BadRequestError, match="merged"):
        other_api.create_commit(
            repo_id,
            [CommitOperationAdd("b.txt", b"late")],
            commit_message="Late",
            revision="refs/pr/1",
        )


def _create_threads(local_hub: LocalHub, hub_user: HubUser, repo_id: str, count: int) -> None:
    """Open ``count`` threads with one plain request each (every third one a draft PR)."""
    url = f"{local_hub.url}/api/models/{repo_id}/discussions"
    headers = {"authorization": f"Bearer {hub_user.token}"}
    with requests.Session() as session:
        for index in range(count):
            body = {"title": f"Thread {index}", "description": "x", "pullRequest": index % 3 == 0}
            response = session.post(url, json=body, headers=headers, timeout=30)
            assert response.ok, response.text


def test_listing_is_lazy_and_reads_every_page(
    hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser, repo_id: str, request_log: RequestLog
) -> None:
    total = PAGE_SIZE + 3
    _create_threads(local_hub, hub_user, repo_id, total)
    request_log.clear()
    listing = hf_api.get_repo_discussions(repo_id)
    assert request_log.sent == []
    first = next(listing)
    assert (first.num, first.title, first.is_pull_request) == (total, f"Thread {total - 1}", False)
    assert len(request_log.sent) == 1
    rest = list(listing)
    pages = [s.url.split("?")[-1] for s in request_log.sent]
    assert pages == ["p=0", "p=1"]
    nums = [first.num] + [d.num for d in rest]
    assert nums == list(range(total, 0, -1))
    drafts = [d.num for d in [first, *rest] if d.is_pull_request]
    assert drafts == [n for n in range(total, 0, -1) if (n - 1) % 3 == 0]
    assert all(d.status == "draft" for d in rest if d.is_pull_request)


@pytest.mark.parametrize("repo_type", ["dataset", "space"])
def test_discussion_on_datasets_and_spaces(
    hf_api: HfApi, other_api: HfApi, hub_user: HubUser, repo_type: str
) -> None:
    repo_id = f"{hub_user.name}/talk"
    extra = {"space_sdk": "gradio"} if repo_type == "space" else {}
    hf_api.create_repo(repo_id, repo_type=repo_type, **extra)
    created = other_api.create_discussion(
        repo_id, "  A question  ", description="How do I use it?", repo_type=repo_type
    )
    assert (created.num, created.title, created.repo_type, created.is_pull_request) == (
        1,
        "A question",
        repo_type,
        False,
    )
    assert created.url == f"{hf_api.endpoint}/{repo_type}s/{repo_id}/discussions/1"
    assert created.events[0].content == "How do I use it?"
    answer = hf_api.comment_discussion(repo_id, 1, "Like this.", repo_type=repo_type)
    closed = hf_api.change_discussion_status(
        repo_id, 1, "closed", comment="Answered", repo_type=repo_type
    )
    assert isinstance(closed, DiscussionStatusChange) and closed.new_status == "closed"
    details = other_api.get_discussion_details(repo_id, 1, repo_type=repo_type)
    assert details.status == "closed"
    assert [e.id for e in details.events][:2] == [created.events[0].id, answer.id]
    texts = [e.content for e in details.events if isinstance(e, DiscussionComment)]
    assert texts == ["How do I use it?", "Like this.", "Answered"]
    with pytest.raises(RepositoryNotFoundError):
        hf_api.get_discussion_details(repo_id, 1)  # not a model


def test_close_and_reopen(hf_api: HfApi, other_api: HfApi, repo_id: str) -> None:
    other_api.create_discussion(repo_id, "Flaky output")
    closed = hf_api.change_discussion_status(repo_id, 1, "closed")
    # The author may reopen their own thread without write access.
    reopened = other_api.change_discussion_status(repo_id, 1, "open", comment=" Still flaky ")
    assert (closed.new_status, reopened.new_status) == ("closed", "open")
    details = hf_api.get_discussion_details(repo_id, 1)
    changes: List[str] = [
        e.new_status for e in details.events if isinstance(e, DiscussionStatusChange)
    ]
    assert (details.status, changes) == ("open", ["closed", "open"])
    assert details.events[-1] == reopened
    assert details.events[-2].content == "Still flaky"
    [listed] = list(hf_api.get_repo_discussions(repo_id))
    assert (listed.num, listed.status) == (1, "open")
    with pytest.raises(BadRequestError, match="already open"):
        hf_api.change_discussion_status(repo_id, 1, "open")


def test_second_user_is_denied(
    hf_api: HfApi, other_api: HfApi, anonymous_api: HfApi, repo_id: str
) -> None:
    hf_api.upload_file(path_or_fileobj=b"base", path_in_repo="a.txt", repo_id=repo_id)
    hf_api.upload_file(path_or_fileobj=b"pr", path_in_repo="a.txt", repo_id=repo_id, create_pr=True)
    opening = hf_api.get_discussion_details(repo_id, 1).events[0].id
    for denied in (
        lambda: other_api.merge_pull_request(repo_id, 1),
        lambda: other_api.rename_discussion(repo_id, 1, "Not mine"),
        lambda: other_api.change_discussion_status(repo_id, 1, "closed"),
        lambda: other_api.edit_discussion_comment(repo_id, 1, opening, "x"),
        lambda: other_api.create_commit(
            repo_id,
            [CommitOperationAdd("b.txt", b"b")],
            commit_message="Push",
            revision="refs/pr/1",
        ),
    ):
        with pytest.raises(HfHubHTTPError) as error:
            denied()
        assert _status(error) == 403
        assert not isinstance(error.value, RepositoryNotFoundError)
    with pytest.raises(HfHubHTTPError) as error, pytest.warns(UserWarning):
        other_api.hide_discussion_comment(repo_id, 1, opening)
    assert _status(error) == 403
    # Nothing changed.
    pr = hf_api.get_discussion_details(repo_id, 1)
    assert (pr.status, pr.title) == ("open", "Upload a.txt with huggingface_hub")
    assert not any(
        isinstance(e, (DiscussionTitleChange, DiscussionStatusChange)) for e in pr.events
    )
    # Anyone may comment on a public repo; nobody sees a private one.
    other_api.comment_discussion(repo_id, 1, "Looks good")
    hf_api.update_repo_visibility(repo_id, private=True)
    for hidden in (
        lambda: other_api.get_discussion_details(repo_id, 1),
        lambda: list(other_api.get_repo_discussions(repo_id)),
        lambda: list(anonymous_api.get_repo_discussions(repo_id)),
        lambda: other_api.comment_discussion(repo_id, 1, "Hello?"),
        lambda: other_api.create_discussion(repo_id, "Hello?"),
    ):
        with pytest.raises(RepositoryNotFoundError):
            hidden()


def test_conflicting_pull_request_is_refused(
    hf_api: HfApi, local_hub: LocalHub, repo_id: str
) -> None:
    hf_api.upload_file(path_or_fileobj=b"base", path_in_repo="a.txt", repo_id=repo_id)
    hf_api.upload_file(path_or_fileobj=b"pr", path_in_repo="a.txt", repo_id=repo_id, create_pr=True)
    hf_api.upload_file(path_or_fileobj=b"main", path_in_repo="a.txt", repo_id=repo_id)
    head = hf_api.model_info(repo_id).sha
    assert hf_api.get_discussion_details(repo_id, 1).conflicting_files == ["a.txt"]
    with pytest.raises(BadRequestError, match="conflicts") as error:
        hf_api.merge_pull_request(repo_id, 1)
    assert "a.txt" in str(error.value)
    # Nothing half-done: main, the PR's status and its timeline are as they were.
    assert hf_api.model_info(repo_id).sha == head
    assert content(local_hub, repo_id, "a.txt") == b"main"
    pr = hf_api.get_discussion_details(repo_id, 1)
    assert (pr.status, pr.merge_commit_oid) == ("open", None)
    assert not any(isinstance(e, DiscussionStatusChange) for e in pr.events)
    # Resolving the conflict on the PR's branch makes it mergeable.
    hf_api.upload_file(
        path_or_fileobj=b"main", path_in_repo="a.txt", repo_id=repo_id, revision="refs/pr/1"
    )
    hf_api.upload_file(
        path_or_fileobj=b"new", path_in_repo="b.txt", repo_id=repo_id, revision="refs/pr/1"
    )
    assert hf_api.get_discussion_details(repo_id, 1).conflicting_files == []
    assert hf_api.merge_pull_request(repo_id, 1) is not None
    assert content(local_hub, repo_id, "b.txt") == b"new"


def test_merging_an_empty_pull_request_is_refused(hf_api: HfApi, repo_id: str) -> None:
    draft = hf_api.create_pull_request(repo_id, "Nothing yet")
    assert (draft.num, draft.status, draft.git_reference) == (1, "draft", "refs/pr/1")
    with pytest.raises(BadRequestError, match="draft"):
        hf_api.merge_pull_request(repo_id, 1)
    hf_api.change_discussion_status(repo_id, 1, "open")
    with pytest.raises(BadRequestError, match="no associated changes"):
        hf_api.merge_pull_request(repo_id, 1)
    assert hf_api.get_discussion_details(repo_id, 1).status == "open"
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]


def test_draft_pull_request_by_a_contributor_gets_commits_then_merges(
    hf_api: HfApi, other_api: HfApi, local_hub: LocalHub, repo_id: str
) -> None:
    weights = unique_bytes(5000)
    draft = other_api.create_pull_request(repo_id, "Bigger weights", description="WIP")
    assert (draft.status, draft.events[0].content, draft.diff) == ("draft", "WIP", "")
    pushed = other_api.create_commit(
        repo_id,
        [CommitOperationAdd("z.bin", weights)],
        commit_message="Add z.bin",
        revision=draft.git_reference,
    )
    assert content(local_hub, repo_id, "z.bin", "refs/pr/1") == weights
    published = other_api.change_discussion_status(repo_id, 1, "open")
    assert published.new_status == "open"
    pr = hf_api.get_discussion_details(repo_id, 1)
    assert [(e.summary, e.oid) for e in pr.events if isinstance(e, DiscussionCommit)] == [
        ("Add z.bin", pushed.oid)
    ]
    assert (
        hf_api.merge_pull_request(repo_id, 1)
        == hf_api.get_discussion_details(repo_id, 1).events[-1]
    )
    assert content(local_hub, repo_id, "z.bin") == weights


def test_missing_discussion_and_org_roles(
    hf_api: HfApi, other_api: HfApi, local_hub: LocalHub, hub_user: HubUser, other_user: HubUser
) -> None:
    org = f"org-{hub_user.name}"
    local_hub.add_org(org)
    local_hub.add_member(org, hub_user.name, "admin")
    local_hub.add_member(org, other_user.name, "read")
    repo_id = f"{org}/shared"
    hf_api.create_repo(repo_id)
    # A missing thread of an existing repo is a plain 404, not a missing repo.
    for missing in (
        lambda: other_api.get_discussion_details(repo_id, 1),
        lambda: other_api.comment_discussion(repo_id, 1, "Hello?"),
    ):
        with pytest.raises(HfHubHTTPError) as error:
            missing()
        assert _status(error) == 404 and not isinstance(error.value, RepositoryNotFoundError)
    hf_api.upload_file(path_or_fileobj=b"y", path_in_repo="y.txt", repo_id=repo_id, create_pr=True)
    # Reading an org's repo is not writing to it.
    with pytest.raises(HfHubHTTPError) as error:
        other_api.merge_pull_request(repo_id, 1)
    assert _status(error) == 403
    local_hub.add_member(org, other_user.name, "write")
    assert other_api.merge_pull_request(repo_id, 1, comment="LGTM") is not None
    assert other_api.get_discussion_details(repo_id, 1).status == "merged"
