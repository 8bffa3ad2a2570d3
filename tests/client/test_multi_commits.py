"""plan_multi_commits, step ids, the PR description, and create_commits_on_pr on the wire."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
import responses
from _wire import ENDPOINT, check_request, json_body, urls

import hfapi
from hfapi import HfApi, MultiCommitException
from hfapi.commit import multi_commits as mc
from hfapi.commit.operations import CommitOperationAdd, CommitOperationCopy, CommitOperationDelete

REPO = "alice/repo"
API = f"{ENDPOINT}/api/models/{REPO}"
DISCUSSIONS = f"{API}/discussions"
PR_REF = "refs%2Fpr%2F3"
WHEN = "2023-06-18T14:34:21.000Z"
ALICE = {"name": "alice", "fullname": "Alice", "avatarUrl": "/a.svg", "type": "user"}
COMMENT_ID = "648F1A2B3C4D5E6F70819203"
OID = "e7da7f221d5bf496a48136c0cd264e630fe9fcc8"
MAIN_COMMIT = {
    "id": "a" * 40,
    "title": "initial",
    "message": "",
    "authors": [{"user": "alice"}],
    "date": WHEN,
}

pytestmark = pytest.mark.filterwarnings("ignore:'.*' is experimental:UserWarning")


def _adds(*sizes: int) -> List[CommitOperationAdd]:
    return [CommitOperationAdd(f"f{i}", b"x" * size) for i, size in enumerate(sizes)]


def _paths(groups: Any) -> List[List[str]]:
    return [[op.path_in_repo for op in group] for group in groups]


# -- plan_multi_commits ----------------------------------------------------------------------


def test_plan_follows_the_documented_example() -> None:
    ops: List[Any] = _adds(1, 2, 3, 4, 5)
    ops += [CommitOperationDelete("old/"), CommitOperationDelete("a.txt")]
    additions, deletions = hfapi.plan_multi_commits(
        ops, max_operations_per_commit=2, max_upload_size_per_commit=4
    )
    assert _paths(additions) == [["f0", "f1"], ["f3"], ["f4"], ["f2"]]
    assert _paths(deletions) == [["old/", "a.txt"]]


def test_plan_default_limits_and_warning() -> None:
    ops: List[Any] = _adds(*[1] * 120) + [CommitOperationDelete(f"d{i}") for i in range(51)]
    with pytest.warns(UserWarning, match="plan_multi_commits"):
        additions, deletions = hfapi.plan_multi_commits(ops)
    assert [len(group) for group in additions] == [50, 50, 20]
    assert [len(group) for group in deletions] == [50, 1]


def test_plan_rejects_copies_before_anything() -> None:
    with pytest.raises(ValueError, match="additions and deletions only"):
        hfapi.plan_multi_commits([CommitOperationCopy("a", "b")])


def test_plan_is_exported_where_the_reference_has_it() -> None:
    assert hfapi.hf_api.plan_multi_commits is hfapi.plan_multi_commits
    assert hfapi.MultiCommitException is hfapi.errors.MultiCommitException


# -- ids and the description -----------------------------------------------------------------


def test_step_and_strategy_ids_follow_the_protocol() -> None:
    add = CommitOperationAdd("a.txt", b"hi")
    delete = CommitOperationDelete("old/")
    step_add = hashlib.sha256(b"ADD" + b"a.txt" + hashlib.sha256(b"hi").digest()).hexdigest()
    step_del = hashlib.sha256(b"DELETE" + b"old/" + b"True").hexdigest()
    strategy = mc.build_strategy([[add]], [[delete]])
    assert [step.id for step in strategy.steps] == [step_del, step_add]
    expected = hashlib.sha256(b"new step" + step_add.encode() + b"new step" + step_del.encode())
    assert strategy.id == expected.hexdigest()


@pytest.mark.parametrize(
    ("additions", "deletions", "message"),
    [
        ([], [], "no step"),
        ([[]], [], "at least one operation"),
        ([[CommitOperationAdd("a", b"1")], [CommitOperationAdd("a", b"1")]], [], "identical"),
    ],
)
def test_bad_strategies(additions: Any, deletions: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mc.build_strategy(additions, deletions)


@pytest.mark.parametrize(
    ("size", "text"),
    [(3, "3.0"), (999, "999.0"), (1536, "1.5K"), (2 * 1024**3, "2.1G"), (10**24 * 5, "5.0Y")],
)
def test_format_size(size: int, text: str) -> None:
    assert mc.format_size(size) == text


def test_description_lists_steps_and_parses_back() -> None:
    strategy = mc.build_strategy(
        [[CommitOperationAdd("a", b"12"), CommitOperationAdd("b", b"3")]],
        [[CommitOperationDelete("x"), CommitOperationDelete("d/")]],
    )
    strategy.addition_steps[0].completed = True
    text = mc.pr_description("Upload", "Why", strategy)
    deletion, addition = strategy.deletion_steps[0].id, strategy.addition_steps[0].id
    assert f"- [ ] Delete 1 file(s) and 1 folder(s) ({deletion})\n" in text
    assert f"- [x] Upload 2 file(s) totalling 3.0 ({addition})\n" in text
    assert f"**Multi commit ID:** {strategy.id}" in text
    assert text.index(deletion) < text.index(addition)
    assert mc.parse_step_ids(text) == {deletion, addition}
    assert mc.parse_step_ids(f"- [|] x {'ab' * 40}\n- [y] {'c' * 64}") == {"ab" * 32}


# -- create_commits_on_pr on the wire --------------------------------------------------------


def _comment(raw: str) -> Dict[str, Any]:
    return {
        "id": COMMENT_ID,
        "type": "comment",
        "createdAt": WHEN,
        "author": ALICE,
        "data": {"edited": False, "hidden": False, "latest": {"raw": raw, "html": raw}},
    }


def _details(num: int, description: str, status: str = "draft") -> Dict[str, Any]:
    return {
        "num": num,
        "title": "[WIP] x",
        "status": status,
        "createdAt": WHEN,
        "isPullRequest": True,
        "author": ALICE,
        "repo": {"name": REPO, "type": "model"},
        "numComments": 1,
        "pinned": False,
        "changes": {"base": "refs/heads/main"},
        "filesWithConflicts": [],
        "diff": "",
        "events": [_comment(description)] if description else [],
    }


def _event(kind: str, data: Dict[str, Any]) -> Dict[str, Any]:
    return {"id": "e1", "type": kind, "createdAt": WHEN, "author": ALICE, "data": data}


def _plan() -> Tuple[List[List[CommitOperationAdd]], List[List[CommitOperationDelete]]]:
    return [[CommitOperationAdd("a.txt", b"hi")]], [[CommitOperationDelete("old.txt")]]


def _mock_commit(rsps: Any, step: str = "") -> None:
    answer = {"success": True, "commitUrl": f"{ENDPOINT}/{REPO}/commit/{OID}", "commitOid": OID}
    rsps.add(responses.POST, f"{API}/commit/{PR_REF}", json=answer)


def _mock_end(rsps: Any, merge: Any = None) -> None:
    rsps.add(
        responses.POST,
        f"{DISCUSSIONS}/3/title",
        json={"newTitle": _event("title-change", {"from": "a", "to": "Upload"})},
    )
    status = {"newStatus": _event("status-change", {"status": "open"})}
    rsps.add(responses.POST, f"{DISCUSSIONS}/3/status", json=status)
    if merge is None:
        merged = {"newStatus": _event("status-change", {"status": "merged"})}
        rsps.add(responses.POST, f"{DISCUSSIONS}/3/merge", json=merged)
    else:
        rsps.add(responses.POST, f"{DISCUSSIONS}/3/merge", **merge)


def _mock_progress(rsps: Any, pr_commits: List[Dict[str, Any]]) -> None:
    rsps.add(responses.GET, f"{API}/commits/main", json=[MAIN_COMMIT])
    rsps.add(responses.GET, f"{API}/commits/{PR_REF}", json=[*pr_commits, MAIN_COMMIT])


def _mock_edits(rsps: Any, count: int) -> None:
    edited = {"updatedComment": _comment("edited")}
    for _ in range(count):
        rsps.add(responses.POST, f"{DISCUSSIONS}/3/comment/{COMMENT_ID.lower()}/edit", json=edited)


def _mock_new_pr(rsps: Any) -> Dict[str, str]:
    sent: Dict[str, str] = {}
    rsps.add(
        responses.GET, DISCUSSIONS, json={"discussions": [], "count": 0, "start": 0, "numClosed": 0}
    )

    def create(request: Any) -> Tuple[int, Dict[str, str], str]:
        sent.update(json.loads(request.body))
        return 200, {}, json.dumps({"num": 3})

    rsps.add_callback(responses.POST, DISCUSSIONS, callback=create)

    def show(request: Any) -> Tuple[int, Dict[str, str], str]:
        return 200, {}, json.dumps(_details(3, sent["description"]))

    rsps.add_callback(responses.GET, f"{DISCUSSIONS}/3", callback=show)
    return sent


def test_new_run_pushes_deletions_then_additions_and_merges(api: HfApi, rsps: Any) -> None:
    additions, deletions = _plan()
    strategy = mc.build_strategy(additions, deletions)
    sent = _mock_new_pr(rsps)
    _mock_progress(rsps, [])
    _mock_commit(rsps)
    rsps.add(
        responses.POST,
        f"{API}/preupload/{PR_REF}",
        json={"files": [{"path": "a.txt", "uploadMode": "regular"}]},
    )
    _mock_commit(rsps)
    _mock_edits(rsps, 2)
    _mock_end(rsps)
    with pytest.warns(UserWarning, match="create_commits_on_pr"):
        url = api.create_commits_on_pr(
            repo_id=REPO,
            addition_commits=additions,
            deletion_commits=deletions,
            commit_message="Upload",
            commit_description="Many files",
        )
    assert url == f"{ENDPOINT}/{REPO}/discussions/3"
    assert sent["title"] == f"[WIP] Upload (multi-commit {strategy.id})"
    assert sent["pullRequest"] is True
    assert sent["description"] == mc.pr_description("Upload", "Many files", strategy).strip()
    assert urls(rsps)[:5] == [
        f"{DISCUSSIONS}?p=0",
        DISCUSSIONS,
        f"{DISCUSSIONS}/3?diff=1",
        f"{API}/commits/main",
        f"{API}/commits/{PR_REF}",
    ]
    deletion_commit = rsps.calls[5]
    check_request(
        deletion_commit,
        "POST",
        f"{API}/commit/{PR_REF}",
        body=deletion_commit.request.body,
        content_type="application/x-ndjson",
    )
    header = json.loads(deletion_commit.request.body.splitlines()[0])
    assert header["value"] == {"summary": strategy.deletion_steps[0].id, "description": ""}
    first_edit = json_body(rsps.calls[6])["content"]
    assert f"- [x] Delete 1 file(s) and 0 folder(s) ({strategy.deletion_steps[0].id})" in first_edit
    assert "- [ ] Upload 1 file(s)" in first_edit
    assert first_edit.startswith("\n## Upload")  # later edits are sent untrimmed
    assert "- [ ]" not in json_body(rsps.calls[9])["content"]
    assert json_body(rsps.calls[10]) == {"title": "Upload"}
    assert json_body(rsps.calls[11])["status"] == "open"
    assert "comment" in json_body(rsps.calls[12])


def _mock_existing_pr(rsps: Any, description: str, title_id: str) -> None:
    listing = {
        "discussions": [
            {**_details(5, ""), "title": f"[WIP] Upload (multi-commit {title_id})", "num": 5},
            {**_details(3, ""), "title": f"[WIP] Upload (multi-commit {title_id})"},
        ],
        "count": 2,
        "start": 0,
    }
    listing["discussions"][0]["status"] = "open"  # not a draft: not resumed
    rsps.add(responses.GET, DISCUSSIONS, json=listing)
    rsps.add(responses.GET, f"{DISCUSSIONS}/3", json=_details(3, description))


def test_resume_skips_completed_steps(api: HfApi, rsps: Any) -> None:
    additions, deletions = _plan()
    strategy = mc.build_strategy(additions, deletions)
    _mock_existing_pr(rsps, mc.pr_description("Upload", None, strategy), strategy.id)
    done = {**MAIN_COMMIT, "id": "b" * 40, "title": strategy.deletion_steps[0].id}
    _mock_progress(rsps, [done])
    rsps.add(
        responses.POST,
        f"{API}/preupload/{PR_REF}",
        json={"files": [{"path": "a.txt", "uploadMode": "regular"}]},
    )
    _mock_commit(rsps)
    _mock_edits(rsps, 1)
    _mock_end(rsps)
    api.create_commits_on_pr(
        repo_id=REPO, addition_commits=additions, deletion_commits=deletions, commit_message="Up"
    )
    commits = [c for c in rsps.calls if c.request.url == f"{API}/commit/{PR_REF}"]
    assert len(commits) == 1
    header = json.loads(commits[0].request.body.splitlines()[0])
    assert header["value"]["summary"] == strategy.addition_steps[0].id


def _corrupt_cases() -> List[Any]:
    return [
        ("no comment", "", [], "must have at least 1 comment"),
        ("other steps", "- [ ] " + "f" * 64, [], "Corrupted multi-commit PR #3"),
        ("too many commits", None, [{**MAIN_COMMIT, "id": c * 40} for c in "bcd"], "3 commits"),
        ("additions first", None, "additions", "before every deletion"),
    ]


@pytest.mark.parametrize(("case", "description", "commits", "message"), _corrupt_cases())
def test_corrupted_pull_requests(
    api: HfApi, rsps: Any, case: str, description: Any, commits: Any, message: str
) -> None:
    additions, deletions = _plan()
    strategy = mc.build_strategy(additions, deletions)
    if description is None:
        description = mc.pr_description("Upload", None, strategy)
    _mock_existing_pr(rsps, description, strategy.id)
    if commits == "additions":
        commits = [{**MAIN_COMMIT, "id": "b" * 40, "title": strategy.addition_steps[0].id}]
    if description.startswith("\n"):
        _mock_progress(rsps, commits)
    with pytest.raises(MultiCommitException, match=message):
        api.create_commits_on_pr(
            repo_id=REPO, addition_commits=additions, deletion_commits=deletions, commit_message="U"
        )


def _finished_run(api: HfApi, rsps: Any, merge: Any, merge_pr: bool = True) -> str:
    additions, deletions = _plan()
    strategy = mc.build_strategy(additions, deletions)
    _mock_existing_pr(rsps, mc.pr_description("Upload", None, strategy), strategy.id)
    pr_commits = [
        {**MAIN_COMMIT, "id": "b" * 40, "title": strategy.deletion_steps[0].id},
        {**MAIN_COMMIT, "id": "c" * 40, "title": strategy.addition_steps[0].id},
    ]
    _mock_progress(rsps, pr_commits)
    _mock_end(rsps, merge)
    if merge is None and not merge_pr:
        rsps.remove(responses.POST, f"{DISCUSSIONS}/3/merge")
    return api.create_commits_on_pr(
        repo_id=REPO,
        addition_commits=additions,
        deletion_commits=deletions,
        commit_message="Upload",
        merge_pr=merge_pr,
    )


def test_finished_run_without_merge(api: HfApi, rsps: Any) -> None:
    assert _finished_run(api, rsps, None, merge_pr=False).endswith("/discussions/3")
    assert urls(rsps)[-1] == f"{DISCUSSIONS}/3/status"


def test_merge_without_changes_closes_the_pr(api: HfApi, rsps: Any) -> None:
    refused = {"status": 400, "json": {"error": "This PR has no associated changes"}}
    closed = {"newStatus": _event("status-change", {"status": "closed"})}
    rsps.add(responses.POST, f"{DISCUSSIONS}/3/status", json=closed)
    with pytest.warns(UserWarning, match="no changes"):
        _finished_run(
            api, rsps, {**refused, "headers": {"X-Error-Message": "no associated changes"}}
        )
    assert json_body(rsps.calls[-1])["status"] == "closed"


def test_merge_refused_comments_and_raises(api: HfApi, rsps: Any) -> None:
    refused = {"status": 400, "json": {"error": "Merge conflicts"}}
    posted = {"newMessage": _comment("failed")}
    rsps.add(responses.POST, f"{DISCUSSIONS}/3/comment", json=posted)
    with pytest.raises(MultiCommitException, match="Couldn't merge Pull Request in multi-commit"):
        _finished_run(api, rsps, refused)
    assert "Merge conflicts" in json_body(rsps.calls[-1])["comment"]


def test_upload_folder_multi_commits_with_create_pr(api: HfApi, rsps: Any, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"hi")
    additions = [[CommitOperationAdd("a.txt", b"hi")]]
    strategy = mc.build_strategy(additions, [])
    description = mc.pr_description("Upload folder using huggingface_hub", None, strategy)
    _mock_existing_pr(rsps, description, strategy.id)
    _mock_progress(rsps, [{**MAIN_COMMIT, "id": "c" * 40, "title": strategy.steps[0].id}])
    _mock_end(rsps)
    rsps.remove(responses.POST, f"{DISCUSSIONS}/3/merge")
    url = api.upload_folder(repo_id=REPO, folder_path=tmp_path, multi_commits=True, create_pr=True)
    assert url == f"{ENDPOINT}/{REPO}/tree/{PR_REF}/"
