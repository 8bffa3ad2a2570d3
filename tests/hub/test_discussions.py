"""Discussions and pull requests over plain HTTP (doc 03 §1, doc 02 create_pr / refs/pr/N)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.backend.discussion_tables import migrate_discussions_v2
from hfapi.hub.backend.discussions import PAGE_SIZE
from hfapi.hub.pytest_plugin import HubUser, new_hub_user

from ._helpers import Http, add_file, add_lfs

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def threads(repo: str, repo_type: str = "model") -> str:
    return f"/api/{repo_type}s/{repo}/discussions"


def open_thread(
    http: Http,
    token: str,
    repo: str,
    title: str = "A question",
    description: str = "Hello there",
    pull_request: bool = False,
    repo_type: str = "model",
) -> int:
    body = {"title": title, "description": description, "pullRequest": pull_request}
    response = http("POST", threads(repo, repo_type), token, json=body)
    assert response.status_code == 200, response.text
    return int(response.json()["num"])


def details(http: Http, repo: str, num: int, token: Optional[str] = None) -> Dict[str, Any]:
    response = http("GET", f"{threads(repo)}/{num}?diff=1", token)
    assert response.status_code == 200, response.text
    return dict(response.json())


def post(http: Http, token: Optional[str], repo: str, num: int, resource: str, **body: Any) -> Any:
    return http("POST", f"{threads(repo)}/{num}/{resource}", token, json=body or None)


def head(http: Http, repo: str, revision: str = "main") -> str:
    return str(http("GET", f"/api/models/{repo}/revision/{revision}").json()["sha"])


def error_of(response: Any) -> tuple:  # type: ignore[type-arg]
    return response.status_code, response.headers.get("X-Error-Code"), response.json()["error"]


# -- threads ----------------------------------------------------------------------------------


def test_open_list_and_read_a_discussion(http: Http, user: HubUser, repo: str) -> None:
    created = http(
        "POST", threads(repo), user.token, json={"title": "  Why?  ", "description": "Hi"}
    )
    assert created.json()["num"] == 1
    found = details(http, repo, 1)
    assert found["title"] == "Why?" and found["status"] == "open"
    assert (found["isPullRequest"], found["repo"]) == (False, {"name": repo, "type": "model"})
    assert found["author"]["name"] == user.name and DATE.match(found["createdAt"])
    assert "changes" not in found and "filesWithConflicts" not in found and "diff" not in found
    [opening] = found["events"]
    assert (opening["type"], opening["author"]["name"]) == ("comment", user.name)
    assert re.match(r"^[0-9a-f]{24}$", opening["id"])
    data = opening["data"]
    assert (data["latest"]["raw"], data["edited"], data["hidden"], data["history"]) == (
        "Hi",
        False,
        False,
        [],
    )
    listing = http("GET", f"{threads(repo)}?p=0").json()
    assert (listing["count"], listing["start"], listing["numClosedDiscussions"]) == (1, 0, 0)
    assert listing["discussions"][0]["num"] == 1 and listing["discussions"][0]["numComments"] == 1


def test_numbers_are_shared_and_pages_newest_first(http: Http, user: HubUser, repo: str) -> None:
    assert http.commit(user.token, repo, [], create_pr=True).ok  # PR #1
    for _ in range(PAGE_SIZE):
        open_thread(http, user.token, repo)
    assert post(http, user.token, repo, 2, "status", status="closed").ok
    first = http("GET", f"{threads(repo)}?p=0").json()
    assert [d["num"] for d in first["discussions"]] == list(range(PAGE_SIZE + 1, 1, -1))
    assert (first["count"], first["start"], first["numClosedDiscussions"]) == (51, 0, 1)
    second = http("GET", f"{threads(repo)}?p=1").json()
    assert [(d["num"], d["isPullRequest"]) for d in second["discussions"]] == [(1, True)]
    assert second["start"] == PAGE_SIZE
    assert http("GET", f"{threads(repo)}?p=x").status_code == 400


def test_titles_bodies_and_unknown_threads(http: Http, user: HubUser, repo: str) -> None:
    for bad in ({"title": "ab"}, {"title": "x" * 201}, {"title": 3}, {}):
        assert http("POST", threads(repo), user.token, json=bad).status_code == 400
    assert http("POST", threads(repo), user.token, data=b"[1]").status_code == 400
    num = open_thread(http, user.token, repo)
    assert post(http, user.token, repo, num, "comment", comment="  ").status_code == 400
    assert post(http, user.token, repo, num, "title", title="no").status_code == 400
    for path in ("9", "0", "abc"):
        assert http("GET", f"{threads(repo)}/{path}").status_code == 404
    assert post(http, user.token, repo, 9, "comment", comment="hi").status_code == 404
    missing = http("GET", threads(f"{user.name}/nope"), user.token)
    assert error_of(missing)[:2] == (404, "RepoNotFound")


def test_times_and_ids_come_from_the_clock(
    http: Http, hub: LocalHub, user: HubUser, repo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub.backend.discussions, "clock", lambda: 1_700_000_000.5)
    num = open_thread(http, user.token, repo)
    found = details(http, repo, num)
    assert found["createdAt"] == "2023-11-14T22:13:20.500Z"
    assert found["events"][0]["createdAt"] == "2023-11-14T22:13:20.500Z"
    assert found["events"][0]["id"].startswith(f"{1_700_000_000:08x}")


# -- comments ---------------------------------------------------------------------------------


def test_comment_edit_and_hide(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    num = open_thread(http, user.token, repo)
    new = post(http, other.token, repo, num, "comment", comment="First draft").json()["newMessage"]
    comment_id = new["id"]
    assert (new["author"]["name"], new["data"]["latest"]["raw"]) == (other.name, "First draft")
    assert details(http, repo, num)["events"][1] == new
    # Only the comment's author may edit it; not even the repo's owner.
    denied = post(http, user.token, repo, num, f"comment/{comment_id}/edit", content="x")
    assert denied.status_code == 403
    edit = post(http, other.token, repo, num, f"comment/{comment_id.upper()}/edit", content="Fixed")
    edited = edit.json()["updatedComment"]
    assert (edited["id"], edited["data"]["edited"], edited["data"]["numEdits"]) == (
        comment_id,
        True,
        1,
    )
    assert edited["data"]["latest"]["raw"] == "Fixed"
    assert [v["raw"] for v in edited["data"]["history"]] == ["First draft"]
    assert details(http, repo, num)["events"][1] == edited
    # Only writers may hide; the author of the comment may not.
    assert post(http, other.token, repo, num, f"comment/{comment_id}/hide").status_code == 403
    hidden = post(http, user.token, repo, num, f"comment/{comment_id}/hide").json()
    assert hidden["updatedComment"]["data"]["hidden"] is True
    assert hidden["updatedComment"]["data"]["latest"]["raw"] == "Fixed"  # a writer still reads it
    assert details(http, repo, num, user.token)["events"][1] == hidden["updatedComment"]
    for reader in (other.token, None):
        redacted = details(http, repo, num, reader)["events"][1]["data"]
        assert (redacted["hidden"], redacted["latest"]["raw"], redacted["history"]) == (
            True,
            "",
            [],
        )
    again = post(http, user.token, repo, num, f"comment/{comment_id}/hide")
    assert again.json() == hidden
    assert (
        post(http, other.token, repo, num, f"comment/{comment_id}/edit", content="y").status_code
        == 400
    )
    assert (
        post(http, user.token, repo, num, "comment/0123456789abcdef01234567/hide").status_code
        == 404
    )


# -- permissions ------------------------------------------------------------------------------


def test_author_or_writer_renames_and_closes(
    http: Http, hub: LocalHub, user: HubUser, other: HubUser, repo: str
) -> None:
    stranger = new_hub_user(hub, "stranger")
    num = open_thread(http, other.token, repo, title="Typo in README")
    renamed = post(http, other.token, repo, num, "title", title="Typos in README").json()[
        "newTitle"
    ]
    assert (renamed["type"], renamed["data"]) == (
        "title-change",
        {"from": "Typo in README", "to": "Typos in README"},
    )
    assert post(http, stranger.token, repo, num, "title", title="Mine now").status_code == 403
    assert post(http, stranger.token, repo, num, "status", status="closed").status_code == 403
    assert post(http, user.token, repo, num, "title", title="README typos").ok  # a writer
    closing = post(http, other.token, repo, num, "status", status="closed", comment=" Done ")
    assert closing.json()["newStatus"]["data"] == {"status": "closed"}
    assert post(http, other.token, repo, num, "status", status="closed").status_code == 400
    assert post(http, other.token, repo, num, "status", status="merged").status_code == 400
    assert post(http, user.token, repo, num, "status", status="open").ok  # reopened by a writer
    found = details(http, repo, num)
    kinds = [(e["type"], e["data"].get("status") or e["data"].get("to")) for e in found["events"]]
    assert kinds == [
        ("comment", None),
        ("title-change", "Typos in README"),
        ("title-change", "README typos"),
        ("comment", None),
        ("status-change", "closed"),
        ("status-change", "open"),
    ]
    assert found["events"][3]["data"]["latest"]["raw"] == "Done"
    assert (found["title"], found["status"]) == ("README typos", "open")
    # Anyone who can read may comment, even on someone else's thread.
    assert post(http, stranger.token, repo, num, "comment", comment="+1").ok


def test_read_tokens_anonymous_and_org_tokens(
    http: Http, hub: LocalHub, user: HubUser, repo: str
) -> None:
    num = open_thread(http, user.token, repo)
    assert details(http, repo, num, user.read_token)["num"] == num
    assert http("GET", threads(repo), user.read_token).ok
    body = {"title": "From a read token"}
    assert http("POST", threads(repo), user.read_token, json=body).status_code == 403
    assert post(http, user.read_token, repo, num, "comment", comment="hi").status_code == 403
    assert http("POST", threads(repo), None, json=body).status_code == 401
    assert post(http, None, repo, num, "comment", comment="hi").status_code == 401
    org_token = hub.add_org(f"org-{user.name}", {user.name: "write"})
    assert post(http, org_token, repo, num, "comment", comment="hi").status_code == 403


def test_private_repo_threads_are_invisible(http: Http, user: HubUser, other: HubUser) -> None:
    assert http.create_repo(user.token, "secret", private=True).ok
    repo = f"{user.name}/secret"
    num = open_thread(http, user.token, repo)
    for token, expected in ((None, 401), (other.token, 404)):
        for method, path in (
            ("GET", threads(repo)),
            ("GET", f"{threads(repo)}/{num}"),
            ("POST", f"{threads(repo)}/{num}/comment"),
            ("POST", threads(repo)),
        ):
            answer = http(method, path, token, json={"title": "xyz", "comment": "hi"})
            assert error_of(answer)[:2] == (expected, "RepoNotFound"), (method, path)
    assert details(http, repo, num, user.token)["num"] == num


# -- pull requests ----------------------------------------------------------------------------


def seed(http: Http, token: str, repo: str, files: Dict[str, bytes]) -> str:
    response = http.commit(token, repo, [add_file(p, c) for p, c in files.items()])
    assert response.status_code == 200, response.text
    return str(response.json()["commitOid"])


def test_pull_request_from_commits(http: Http, user: HubUser, other: HubUser, repo: str) -> None:
    seed(http, user.token, repo, {"a.txt": b"one\ntwo\n", "gone.txt": b"bye"})
    opened = http.commit(
        other.token,
        repo,
        [add_file("a.txt", b"one\n2\n"), {"key": "deletedFile", "value": {"path": "gone.txt"}}],
        summary="Change a",
        create_pr=True,
    ).json()
    assert opened["pullRequestUrl"].endswith("/discussions/1")
    pushed = http.commit(
        other.token, repo, [add_file("new.txt", b"n")], "refs/pr/1", summary="More"
    )
    found = details(http, repo, 1)
    assert (found["isPullRequest"], found["status"], found["author"]["name"]) == (
        True,
        "open",
        other.name,
    )
    assert found["changes"] == {"base": "refs/heads/main"} and found["filesWithConflicts"] == []
    commits = [(e["type"], e["data"]) for e in found["events"] if e["type"] == "commit"]
    assert commits == [
        ("commit", {"subject": "Change a", "oid": opened["commitOid"]}),
        ("commit", {"subject": "More", "oid": pushed.json()["commitOid"]}),
    ]
    assert found["diff"] == (
        "diff --git a/a.txt b/a.txt\n"
        "index 814f4a4..99b356d 100644\n"
        "--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n"
        "diff --git a/gone.txt b/gone.txt\n"
        "deleted file mode 100644\nindex 0abaeaa..0000000\n"
        "--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n\\ No newline at end of file\n"
        "diff --git a/new.txt b/new.txt\n"
        "new file mode 100644\nindex 0000000..ef073cc\n"
        "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+n\n\\ No newline at end of file\n"
    )
    assert "diff" not in http("GET", f"{threads(repo)}/1").json()


def test_merge_applies_the_changes_byte_exact(
    http: Http, user: HubUser, other: HubUser, repo: str
) -> None:
    seed(http, user.token, repo, {"a.txt": b"A", "b.txt": b"B", "keep.txt": b"K"})
    weights = bytes(range(256)) * 8
    http.upload_lfs(other.token, repo, weights)  # the PR's author, without write access
    operations = [
        add_file("a.txt", b"A2\n"),
        add_lfs("w.bin", weights),
        {"key": "deletedFile", "value": {"path": "b.txt"}},
    ]
    assert http.commit(other.token, repo, operations, summary="Weights", create_pr=True).ok
    before = seed(http, user.token, repo, {"later.txt": b"L"})  # main moves on meanwhile
    assert post(http, other.token, repo, 1, "merge").status_code == 403  # author, not writer
    merged = post(http, user.token, repo, 1, "merge", comment="Thanks!")
    assert merged.json()["newStatus"]["data"] == {"status": "merged"}
    main = head(http, repo)
    found = details(http, repo, 1)
    assert (found["status"], found["changes"]["mergeCommitId"]) == ("merged", main)
    assert [e["type"] for e in found["events"]][-2:] == ["comment", "status-change"]
    history = http("GET", f"/api/models/{repo}/commits/main").json()
    assert (history[0]["title"], history[1]["id"]) == ("Weights (#1)", before)
    expected = {"a.txt": b"A2\n", "keep.txt": b"K", "later.txt": b"L", "w.bin": weights}
    info = http("GET", f"/api/models/{repo}").json()
    assert sorted(s["rfilename"] for s in info["siblings"]) == [".gitattributes", *expected]
    for path, content in expected.items():
        assert http("GET", f"/{repo}/resolve/main/{path}").content == content
    assert error_of(post(http, user.token, repo, 1, "merge"))[0] == 400  # already merged
    refused = http.commit(other.token, repo, [add_file("x", b"x")], "refs/pr/1")
    assert refused.status_code == 400


def test_conflicting_pull_request_is_refused(http: Http, user: HubUser, repo: str) -> None:
    seed(http, user.token, repo, {"a.txt": b"base", "same.txt": b"s"})
    ops = [add_file("a.txt", b"theirs"), add_file("same.txt", b"both")]
    assert http.commit(user.token, repo, ops, create_pr=True).ok
    main = seed(http, user.token, repo, {"a.txt": b"ours", "same.txt": b"both"})
    assert details(http, repo, 1)["filesWithConflicts"] == ["a.txt"]
    status, _, message = error_of(post(http, user.token, repo, 1, "merge"))
    assert status == 400 and "conflicts" in message and "a.txt" in message
    assert head(http, repo) == main and details(http, repo, 1)["status"] == "open"


def test_draft_closed_and_empty_pull_requests(http: Http, user: HubUser, repo: str) -> None:
    main = seed(http, user.token, repo, {"a.txt": b"a"})
    num = open_thread(http, user.token, repo, title="WIP", pull_request=True)
    found = details(http, repo, num)
    assert (found["status"], found["isPullRequest"], found["diff"]) == ("draft", True, "")
    assert head(http, repo, f"refs%2Fpr%2F{num}") == main
    assert "draft" in error_of(post(http, user.token, repo, num, "merge"))[2]
    assert post(http, user.token, repo, num, "status", status="open").ok
    assert "no associated changes" in error_of(post(http, user.token, repo, num, "merge"))[2]
    assert http.commit(user.token, repo, [add_file("b.txt", b"b")], f"refs/pr/{num}").ok
    assert post(http, user.token, repo, num, "status", status="closed").ok
    assert "closed" in error_of(post(http, user.token, repo, num, "merge"))[2]
    assert head(http, repo) == main
    plain = open_thread(http, user.token, repo)
    assert "not a pull request" in error_of(post(http, user.token, repo, plain, "merge"))[2]


def test_threads_on_datasets_and_spaces(http: Http, user: HubUser) -> None:
    for repo_type, extra in (("dataset", {}), ("space", {"sdk": "gradio"})):
        assert http.create_repo(user.token, "r", type=repo_type, **extra).ok
        num = open_thread(http, user.token, f"{user.name}/r", repo_type=repo_type)
        answer = http("GET", f"{threads(f'{user.name}/r', repo_type)}/{num}").json()
        assert answer["repo"] == {"name": f"{user.name}/r", "type": repo_type}
        assert http("GET", f"{threads(f'{user.name}/r')}/{num}", user.token).status_code == 404


def rows_of(hub: LocalHub, pk: int) -> List[int]:
    """How many rows each discussion table holds for a repo (read behind the server)."""
    with hub.backend.storage.transaction() as db:
        return [
            int(db.execute(f"SELECT COUNT(*) FROM {table} WHERE repo = ?", (pk,)).fetchone()[0])
            for table in ("discussions", "discussion_events", "discussion_comment_versions")
        ]


def test_deleting_a_repo_removes_its_threads(
    http: Http, hub: LocalHub, user: HubUser, repo: str
) -> None:
    num = open_thread(http, user.token, repo)
    assert post(http, user.token, repo, num, "comment", comment="more").ok
    assert http.commit(user.token, repo, [], create_pr=True).ok
    old = hub.backend.repos.find("model", repo)
    assert old is not None and rows_of(hub, old.pk) == [2, 4, 3]
    body = {"name": "repo", "organization": None, "type": "model"}
    assert http("DELETE", "/api/repos/delete", user.token, json=body).ok
    assert rows_of(hub, old.pk) == [0, 0, 0]
    assert http.create_repo(user.token, "repo").ok
    assert http("GET", threads(repo)).json()["count"] == 0
    assert open_thread(http, user.token, repo) == 1


# -- storage ----------------------------------------------------------------------------------

_OLD_TABLE = """CREATE TABLE discussions (
    repo INTEGER NOT NULL, num INTEGER NOT NULL, is_pr INTEGER NOT NULL,
    status TEXT NOT NULL, title TEXT NOT NULL, description TEXT NOT NULL,
    author TEXT NOT NULL, target_branch TEXT, created_at TEXT NOT NULL,
    PRIMARY KEY (repo, num))"""


def test_migration_keeps_old_rows(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "old.sqlite3")
    db.execute(_OLD_TABLE)
    db.execute(
        "INSERT INTO discussions VALUES (1, 1, 1, 'open', 'Old PR', 'why', 'alice',"
        " 'refs/heads/main', '2023-01-01T00:00:00.000Z')"
    )
    migrate_discussions_v2(db)
    migrate_discussions_v2(db)
    assert db.execute("SELECT title, merge_commit FROM discussions").fetchall() == [
        ("Old PR", None)
    ]
    events: List[Any] = db.execute(
        "SELECT e.type, e.author, v.raw FROM discussion_events e"
        " JOIN discussion_comment_versions v ON v.event = e.id"
    ).fetchall()
    assert events == [("comment", "alice", "why")]


def test_reset_forgets_threads() -> None:
    with LocalHub() as hub:
        http = Http(hub)
        alice = hub.add_user("alice")
        assert http.create_repo(alice, "m").ok
        open_thread(http, alice, "alice/m")
        pk = hub.backend.repos.find("model", "alice/m").pk  # type: ignore[union-attr]
        assert rows_of(hub, pk) == [1, 1, 1]
        hub.reset()
        assert rows_of(hub, pk) == [0, 0, 0]


@pytest.mark.parametrize("resource", ["comment", "title", "status", "merge"])
def test_mutations_need_a_token(http: Http, user: HubUser, repo: str, resource: str) -> None:
    num = open_thread(http, user.token, repo)
    assert post(http, None, repo, num, resource, comment="c").status_code == 401
