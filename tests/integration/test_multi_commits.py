"""Multi-commit uploads with our client against the local Hub: a run interrupted after two
steps is resumed on the same draft pull request, and the result is merged once."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfapi import HfApi, HfHubHTTPError, MultiCommitException, plan_multi_commits
from hfapi.commit.multi_commits import build_strategy, parse_step_ids, pr_title
from hfapi.commit.operations import CommitOperationAdd
from hfapi.hub import LocalHub

from ._helpers import content
from ._multi_commits import fail_commits_after, pr_state, write_files

pytestmark = pytest.mark.filterwarnings("ignore:'.*' is experimental:UserWarning")

MESSAGE = "Upload folder using huggingface_hub"


def test_interrupted_upload_of_300_files_is_resumed(
    hf_api: HfApi,
    local_hub: LocalHub,
    repo_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = write_files(tmp_path, 300)
    with fail_commits_after(local_hub, monkeypatch, 2) as landed, pytest.raises(HfHubHTTPError):
        hf_api.upload_folder(repo_id=repo_id, folder_path=tmp_path, multi_commits=True)
    assert len(landed) == 2
    [pr] = hf_api.get_repo_discussions(repo_id)
    assert (pr.is_pull_request, pr.status) == (True, "draft")
    details, titles = pr_state(hf_api, repo_id, pr.num)
    description = details.events[0].content
    assert description.count("- [x]") == 2 and description.count("- [ ]") == 4
    assert len(titles) == 2
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]  # main untouched so far

    url = hf_api.upload_folder(repo_id=repo_id, folder_path=tmp_path, multi_commits=True)

    assert url.endswith(f"{repo_id}/tree/main/")
    assert hf_api.list_repo_files(repo_id) == [".gitattributes", *names]
    assert content(local_hub, repo_id, "part1/file299.txt") == b"content 299\n"
    [pr] = hf_api.get_repo_discussions(repo_id)
    assert (pr.num, pr.status, pr.title) == (pr.num, "merged", MESSAGE)
    details, titles = pr_state(hf_api, repo_id, pr.num)
    step_ids = parse_step_ids(details.events[0].content)
    assert len(step_ids) == 6
    assert "- [ ]" not in details.events[0].content
    # The PR's history holds each step once (the two first ones from the first run).
    assert sorted(titles) == sorted(step_ids)
    assert hf_api.list_repo_commits(repo_id)[0].title == f"{MESSAGE} (#{pr.num})"  # the merge


def test_create_commits_on_pr_without_merge_and_with_deletions(
    hf_api: HfApi, repo_id: str, tmp_path: Path
) -> None:
    hf_api.upload_file(path_or_fileobj=b"old", path_in_repo="logs/a.log", repo_id=repo_id)
    names = write_files(tmp_path, 4)
    url = hf_api.upload_folder(
        repo_id=repo_id,
        folder_path=tmp_path,
        delete_patterns="*.log",
        multi_commits=True,
        create_pr=True,
    )
    [pr] = hf_api.get_repo_discussions(repo_id)
    assert url.endswith(f"/tree/refs%2Fpr%2F{pr.num}/")
    assert (pr.status, pr.title) == ("open", MESSAGE)
    pr_files = hf_api.list_repo_files(repo_id, revision=f"refs/pr/{pr.num}")
    assert pr_files == [".gitattributes", *names]
    assert "logs/a.log" in hf_api.list_repo_files(repo_id)


def test_no_changes_closes_the_pull_request(hf_api: HfApi, repo_id: str) -> None:
    additions, deletions = plan_multi_commits([CommitOperationAdd(".gitattributes", b"x")])
    hf_api.upload_file(path_or_fileobj=b"x", path_in_repo=".gitattributes", repo_id=repo_id)
    with pytest.warns(UserWarning, match="no changes"):
        hf_api.create_commits_on_pr(
            repo_id=repo_id,
            addition_commits=additions,
            deletion_commits=deletions,
            commit_message="Same bytes",
        )
    [pr] = hf_api.get_repo_discussions(repo_id)
    assert pr.status == "closed"


def test_edited_description_is_refused(hf_api: HfApi, repo_id: str) -> None:
    additions, _ = plan_multi_commits([CommitOperationAdd("a.txt", b"a")])
    strategy = build_strategy(additions, [])
    hf_api.create_pull_request(repo_id, pr_title("Up", strategy), description="edited by hand")
    with pytest.raises(MultiCommitException, match="Corrupted multi-commit PR #1"):
        hf_api.create_commits_on_pr(
            repo_id=repo_id, addition_commits=additions, deletion_commits=[], commit_message="Up"
        )
    assert hf_api.list_repo_files(repo_id) == [".gitattributes"]
