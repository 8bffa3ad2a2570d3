"""Discussions and pull requests of huggingface_hub 0.16.4 against the local Hub."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import (
    DiscussionComment,
    DiscussionCommit,
    DiscussionStatusChange,
    DiscussionTitleChange,
    HfApi,
)
from huggingface_hub.utils import BadRequestError, HfHubHTTPError, RepositoryNotFoundError

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

pytestmark = pytest.mark.conformance

WEIGHTS = bytes(range(256)) * 9  # LFS, uploaded in parts with the small limits


def status_of(error: pytest.ExceptionInfo[Any]) -> int:
    return int(error.value.response.status_code)


def test_pull_request_lifecycle(api: Any, hub: LocalHub, user: HubUser, other: HubUser) -> None:
    repo = f"{user.name}/pr-flow"
    api.create_repo("pr-flow")
    api.upload_file(path_or_fileobj=b"v1\n", path_in_repo="a.txt", repo_id=repo)
    # Someone without write access proposes a change.
    theirs = HfApi(endpoint=hub.url, token=other.token)
    commit = theirs.upload_file(
        path_or_fileobj=b"v2\n",
        path_in_repo="a.txt",
        repo_id=repo,
        create_pr=True,
        commit_message="Update a.txt",
    )
    assert commit.endswith("/blob/refs%2Fpr%2F1/a.txt")
    pr = api.get_discussion_details(repo, 1)
    assert (pr.is_pull_request, pr.status, pr.author, pr.target_branch) == (
        True,
        "open",
        other.name,
        "refs/heads/main",
    )
    assert pr.git_reference == "refs/pr/1" and pr.conflicting_files == []
    assert pr.url == f"{hub.url}/{repo}/discussions/1"
    assert "-v1\n+v2\n" in pr.diff

    note = theirs.comment_discussion(repo, 1, "Please have a look")
    assert isinstance(note, DiscussionComment) and note.content == "Please have a look"
    edited = theirs.edit_discussion_comment(repo, 1, note.id, "Please have a look, thanks")
    assert (edited.id, edited.edited, edited.number_of_edits) == (note.id, True, 1)
    assert edited.edit_history[0]["raw"] == "Please have a look"
    renamed = theirs.rename_discussion(repo, 1, "Bump a.txt to v2")
    assert isinstance(renamed, DiscussionTitleChange) and renamed.old_title == "Update a.txt"
    spam = api.comment_discussion(repo, 1, "spam")
    with pytest.warns(UserWarning):
        hidden = api.hide_discussion_comment(repo, 1, spam.id)
    assert hidden.hidden is True

    theirs.upload_file(
        path_or_fileobj=WEIGHTS, path_in_repo="w.bin", repo_id=repo, revision="refs/pr/1"
    )
    api.merge_pull_request(repo, 1, comment="Merged, thanks!")

    merged = api.get_discussion_details(repo, 1)
    assert merged.status == "merged" and merged.title == "Bump a.txt to v2"
    assert merged.merge_commit_oid == api.model_info(repo).sha
    assert merged.events[2] == edited  # the same JSON in both answers
    assert merged.events[-1].new_status == "merged"
    commits = [e for e in merged.events if isinstance(e, DiscussionCommit)]
    assert [c.summary for c in commits] == ["Update a.txt", "Upload w.bin with huggingface_hub"]
    assert sorted(api.list_repo_files(repo)) == [".gitattributes", "a.txt", "w.bin"]
    downloads = [(repo, name, None, None, user.token) for name in ("a.txt", "w.bin")]
    assert reference_download(hub, downloads) == [b"v2\n", WEIGHTS]
    # The writer sees the hidden comment; the PR's author only its redacted shell.
    mine = next(e for e in merged.events if e.id == spam.id)
    assert (mine.hidden, mine.content) == (True, "spam")
    seen = next(e for e in theirs.get_discussion_details(repo, 1).events if e.id == spam.id)
    assert (seen.hidden, seen.content) == (True, "")


def test_discussions_on_datasets_and_spaces(api: Any, user: HubUser) -> None:
    for repo_type, extra in (("dataset", {}), ("space", {"space_sdk": "gradio"})):
        repo = f"{user.name}/talk-{repo_type}"
        api.create_repo(repo, repo_type=repo_type, **extra)
        created = api.create_discussion(
            repo, "Hello there", description="  first  ", repo_type=repo_type
        )
        assert (created.num, created.repo_type, created.is_pull_request) == (1, repo_type, False)
        assert created.url == f"{api.endpoint}/{repo_type}s/{repo}/discussions/1"
        assert created.events[0].content == "first"
        change = api.change_discussion_status(
            repo, 1, "closed", comment="done", repo_type=repo_type
        )
        assert isinstance(change, DiscussionStatusChange) and change.new_status == "closed"
        listed = list(api.get_repo_discussions(repo, repo_type=repo_type))
        assert [(d.num, d.status) for d in listed] == [(1, "closed")]


def test_listing_pages_and_draft_pull_requests(api: Any, user: HubUser) -> None:
    repo = f"{user.name}/many"
    api.create_repo("many")
    for index in range(52):
        if index % 13:
            api.create_discussion(repo, f"Thread {index}")
        else:
            api.create_pull_request(repo, f"Draft {index}")
    listed = list(api.get_repo_discussions(repo))
    assert [d.num for d in listed] == list(range(52, 0, -1))
    drafts = [d for d in listed if d.is_pull_request]
    assert [(d.num, d.status) for d in drafts] == [(n, "draft") for n in (40, 27, 14, 1)]
    assert api.model_info(repo, revision="refs/pr/1").sha == api.model_info(repo).sha
    with pytest.raises(BadRequestError, match="draft"):
        api.merge_pull_request(repo, 1)
    api.change_discussion_status(repo, 1, "open")
    with pytest.raises(BadRequestError, match="no associated changes"):
        api.merge_pull_request(repo, 1)


def test_multi_commit_upload_merges_through_a_pull_request(
    api: Any, user: HubUser, tmp_path: Path
) -> None:
    repo = f"{user.name}/multi"
    api.create_repo("multi")
    for index in range(3):
        (tmp_path / f"f{index}.txt").write_bytes(f"file {index}\n".encode())
    with pytest.warns(UserWarning):
        api.upload_folder(repo_id=repo, folder_path=tmp_path, multi_commits=True)
    assert api.list_repo_files(repo) == [".gitattributes", "f0.txt", "f1.txt", "f2.txt"]
    [pr] = list(api.get_repo_discussions(repo))
    assert (pr.is_pull_request, pr.status) == (True, "merged")


def test_denials_and_conflicts(api: Any, hub: LocalHub, user: HubUser, other: HubUser) -> None:
    repo = f"{user.name}/guarded"
    api.create_repo("guarded")
    api.upload_file(path_or_fileobj=b"base", path_in_repo="a.txt", repo_id=repo)
    stranger = HfApi(endpoint=hub.url, token=other.token)
    api.upload_file(path_or_fileobj=b"pr", path_in_repo="a.txt", repo_id=repo, create_pr=True)
    api.upload_file(path_or_fileobj=b"main", path_in_repo="a.txt", repo_id=repo)
    assert api.get_discussion_details(repo, 1).conflicting_files == ["a.txt"]
    with pytest.raises(BadRequestError, match="conflicts"):
        api.merge_pull_request(repo, 1)
    opening = api.get_discussion_details(repo, 1).events[0].id
    for denied in (
        lambda: stranger.merge_pull_request(repo, 1),
        lambda: stranger.rename_discussion(repo, 1, "Not mine"),
        lambda: stranger.change_discussion_status(repo, 1, "closed"),
        lambda: stranger.edit_discussion_comment(repo, 1, opening, "x"),
    ):
        with pytest.raises(HfHubHTTPError) as error:
            denied()
        assert status_of(error) == 403
    with pytest.raises(HfHubHTTPError) as error, pytest.warns(UserWarning):
        stranger.hide_discussion_comment(repo, 1, opening)
    assert status_of(error) == 403
    api.change_discussion_status(repo, 1, "closed")
    with pytest.raises(BadRequestError, match="closed"):
        api.merge_pull_request(repo, 1)
    api.update_repo_visibility(repo, private=True)
    with pytest.raises(RepositoryNotFoundError):
        stranger.get_discussion_details(repo, 1)
    with pytest.raises(RepositoryNotFoundError):
        list(HfApi(endpoint=hub.url).get_repo_discussions(repo))
