"""Wire tests of the discussion and pull-request methods, and of the community data classes."""

from __future__ import annotations

import copy
import json
import warnings
from datetime import datetime, timezone

import pytest
import responses
from _wire import ENDPOINT, check_request, json_body, link, urls

import hfapi
import hfapi.community
import hfapi.hf_api
from hfapi import (
    BadRequestError,
    Discussion,
    DiscussionComment,
    DiscussionCommit,
    DiscussionStatusChange,
    DiscussionTitleChange,
    DiscussionWithDetails,
    HfApi,
    HfHubHTTPError,
    HFValidationError,
    RepositoryNotFoundError,
)
from hfapi.community import DiscussionEvent, deserialize_event

BASE = f"{ENDPOINT}/api/models/alice/repo/discussions"
WHEN = "2023-06-18T14:34:21.000Z"
UTC_WHEN = datetime(2023, 6, 18, 14, 34, 21, tzinfo=timezone.utc)
DEFAULT_TEXT = (
    " opened with the [huggingface_hub Python library](https://huggingface.co/docs/huggingface_hub)"
)
ALICE = {"name": "alice", "fullname": "Alice", "avatarUrl": "/a.svg", "type": "user"}
COMMENT = {
    "id": "648F1A2B3C4D5E6F70819203",
    "type": "comment",
    "createdAt": WHEN,
    "author": ALICE,
    "data": {
        "edited": True,
        "hidden": False,
        "latest": {
            "raw": "Adds **Flax** weights",
            "html": "<p>Adds <strong>Flax</strong> weights</p>\n",
            "updatedAt": "2023-06-18T14:35:00.5Z",
            "author": {"name": "bob"},
        },
        "numEdits": 1,
        "history": [{"raw": "Adds Flax"}, {"raw": "Adds **Flax** weights"}],
        "reactions": [],
    },
}
STATUS = {
    "id": "e3",
    "type": "status-change",
    "createdAt": WHEN,
    "author": {"name": "bob"},
    "data": {"status": "closed"},
}
COMMIT = {
    "id": "e4",
    "type": "commit",
    "createdAt": WHEN,
    "author": ALICE,
    "data": {"subject": "Upload flax_model.msgpack", "oid": "1256f9d9" * 5},
}
TITLE = {"id": "e5", "type": "title-change", "createdAt": WHEN, "data": {"from": "a", "to": "b"}}
PIN = {"id": "e6", "type": "pinned", "createdAt": WHEN, "author": ALICE, "data": {"x": 1}}


def summary(num: int = 2, **changes: object) -> dict:
    item = {
        "num": num,
        "title": "Add Flax weights",
        "status": "open",
        "createdAt": WHEN,
        "isPullRequest": True,
        "author": ALICE,
        "repo": {"name": "alice/repo", "type": "model"},
        "numComments": 2,
        "pinned": False,
    }
    item.update(changes)
    return item


def details(**changes: object) -> dict:
    data = {
        **summary(),
        "changes": {"base": "refs/heads/main", "mergeCommitId": "9d1c" * 10},
        "filesWithConflicts": ["README.md"],
        "diff": "diff --git a/x b/x\n",
        "events": [COMMENT, COMMIT, TITLE, STATUS, PIN],
    }
    data.update(changes)
    return data


# -- get_repo_discussions ------------------------------------------------------------------


def test_listing_is_lazy_and_pages_by_number(api, rsps):
    pages = [
        {"discussions": [summary(5), summary(4)], "count": 5, "start": 0},
        {"discussions": [summary(3), summary(2)], "count": 5, "start": 2},
        {"discussions": [summary(1)], "count": 5, "start": 4, "numClosedDiscussions": 0},
    ]
    for page, answer in enumerate(pages):
        rsps.get(f"{BASE}?p={page}", json=answer)
    listing = api.get_repo_discussions("alice/repo")
    assert len(rsps.calls) == 0
    first = next(listing)
    assert first.num == 5 and len(rsps.calls) == 1
    assert [d.num for d in listing] == [4, 3, 2, 1]
    assert urls(rsps) == [f"{BASE}?p={page}" for page in range(3)]
    for call in rsps.calls:
        check_request(call, "GET", call.request.url)


def test_listing_follows_no_link_header(api, rsps):
    # This endpoint pages by number; a Link header (as other listings use) is not followed.
    rsps.get(
        f"{ENDPOINT}/api/datasets/alice/repo/discussions?p=0",
        json={"discussions": [summary(1)], "count": 1, "start": 0},
        headers=link(f"{ENDPOINT}/api/datasets/alice/repo/discussions?cursor=x"),
    )
    assert [d.num for d in api.get_repo_discussions("alice/repo", repo_type="dataset")] == [1]
    assert len(rsps.calls) == 1


def test_listing_stops_on_an_empty_page(api, rsps):
    rsps.get(f"{BASE}?p=0", json={"discussions": [summary(3)], "count": 3, "start": 0})
    rsps.get(f"{BASE}?p=1", json={"discussions": [], "count": 3, "start": 1})
    assert [d.num for d in api.get_repo_discussions("alice/repo")] == [3]


def test_listing_of_an_empty_repo_anonymously(anon, rsps):
    rsps.get(f"{BASE}?p=0", json={"discussions": [], "count": 0, "start": 0})
    assert list(anon.get_repo_discussions("alice/repo")) == []
    check_request(rsps.calls[0], "GET", f"{BASE}?p=0", token=None)


def test_listing_checks_repo_id_at_call_and_repo_type_at_first_item(api, rsps):
    with pytest.raises(HFValidationError):
        api.get_repo_discussions("a/b/c")
    listing = api.get_repo_discussions("alice/repo", repo_type="modle")
    with pytest.raises(ValueError, match="Invalid repo type"):
        next(listing)
    assert len(rsps.calls) == 0


def test_listed_discussion_fields(api, rsps):
    deleted = summary(7, isPullRequest=False, status="closed", repo={"name": "d", "type": "space"})
    del deleted["author"]
    rsps.get(
        f"{BASE}?p=0",
        json={"discussions": [summary(), deleted], "count": 2, "start": 0},
    )
    pr, discussion = api.get_repo_discussions("alice/repo")
    assert pr == Discussion(
        title="Add Flax weights",
        status="open",
        num=2,
        repo_id="alice/repo",
        repo_type="model",
        author="alice",
        is_pull_request=True,
        created_at=UTC_WHEN,
        endpoint=ENDPOINT,
    )
    assert pr.git_reference == "refs/pr/2"
    assert pr.url == f"{ENDPOINT}/alice/repo/discussions/2"
    # The URL uses the type the server reports, not the one asked for.
    assert discussion.url == f"{ENDPOINT}/spaces/d/discussions/7"
    assert discussion.git_reference is None
    assert discussion.author == "deleted"


# -- get_discussion_details ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo_type", "segment"), [(None, "models"), ("dataset", "datasets"), ("space", "spaces")]
)
def test_details_request(api, rsps, repo_type, segment):
    url = f"{ENDPOINT}/api/{segment}/alice/repo/discussions/2?diff=1"
    rsps.get(url, json=details())
    api.get_discussion_details("alice/repo", 2, repo_type=repo_type)
    check_request(rsps.calls[0], "GET", url)


def test_details_of_a_pull_request(api, rsps):
    rsps.get(f"{BASE}/2?diff=1", json=details())
    got = api.get_discussion_details("alice/repo", 2)
    assert isinstance(got, DiscussionWithDetails)
    assert (got.num, got.is_pull_request, got.created_at) == (2, True, UTC_WHEN)
    assert got.target_branch == "refs/heads/main"
    assert got.merge_commit_oid == "9d1c" * 10
    assert got.conflicting_files == ["README.md"]
    assert got.diff == "diff --git a/x b/x\n"
    assert [type(e) for e in got.events] == [
        DiscussionComment,
        DiscussionCommit,
        DiscussionTitleChange,
        DiscussionStatusChange,
        DiscussionEvent,
    ]
    assert got.events[0] == deserialize_event(COMMENT)


def test_details_of_an_unmerged_pull_request(api, rsps):
    rsps.get(
        f"{BASE}/2?diff=1",
        json=details(changes={"base": "refs/heads/dev"}, filesWithConflicts=[], events=[]),
    )
    got = api.get_discussion_details("alice/repo", 2)
    assert (got.target_branch, got.merge_commit_oid, got.conflicting_files) == (
        "refs/heads/dev",
        None,
        [],
    )


def test_details_of_a_discussion_ignore_pull_request_keys(api, rsps):
    data = details(isPullRequest=False)
    del data["diff"]
    rsps.get(f"{BASE}/2?diff=1", json=data)
    got = api.get_discussion_details("alice/repo", 2)
    assert (got.target_branch, got.merge_commit_oid, got.conflicting_files, got.diff) == (
        None,
        None,
        None,
        None,
    )
    assert got.git_reference is None


@pytest.mark.parametrize("num", ["3", 0, -1, 1.0, True, None])
def test_discussion_number_checked_before_any_request(api, rsps, num):
    calls = [
        lambda: api.get_discussion_details("alice/repo", num),
        lambda: api.comment_discussion("alice/repo", num, "hi"),
        lambda: api.rename_discussion("alice/repo", num, "title"),
        lambda: api.change_discussion_status("alice/repo", num, "closed"),
        lambda: api.merge_pull_request("alice/repo", num),
        lambda: api.edit_discussion_comment("alice/repo", num, "c1", "text"),
        lambda: api.hide_discussion_comment("alice/repo", num, "c1"),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="discussion_num"):
            call()
    assert len(rsps.calls) == 0


def test_repo_type_checked_before_any_request(api, rsps):
    with pytest.raises(ValueError, match="Invalid repo type"):
        api.get_discussion_details("alice/repo", 1, repo_type="models")
    with pytest.raises(ValueError, match="Invalid repo type"):
        api.create_discussion("alice/repo", "title", repo_type="models")
    with pytest.raises(ValueError, match="Invalid repo type"):
        api.merge_pull_request("alice/repo", 1, repo_type="models")
    assert len(rsps.calls) == 0


# -- create_discussion / create_pull_request -----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "sent"),
    [
        ({}, {"title": "Hello", "description": "Discussion" + DEFAULT_TEXT, "pullRequest": False}),
        (
            {"description": "  \n "},
            {"title": "Hello", "description": "Discussion" + DEFAULT_TEXT, "pullRequest": False},
        ),
        (
            {"description": " Some *text*\n", "pull_request": True},
            {"title": "Hello", "description": "Some *text*", "pullRequest": True},
        ),
        (
            {"pull_request": True},
            {"title": "Hello", "description": "Pull Request" + DEFAULT_TEXT, "pullRequest": True},
        ),
    ],
)
def test_create_discussion(api, rsps, kwargs, sent):
    rsps.post(BASE, json={"num": 3, "pullRequest": sent["pullRequest"]})
    rsps.get(f"{BASE}/3?diff=1", json=details(num=3))
    got = api.create_discussion("alice/repo", "  Hello \n", **kwargs)
    assert got.num == 3 and isinstance(got, DiscussionWithDetails)
    check_request(
        rsps.calls[0],
        "POST",
        BASE,
        body=rsps.calls[0].request.body,
        content_type="application/json",
    )
    assert json_body(rsps.calls[0]) == sent
    check_request(rsps.calls[1], "GET", f"{BASE}/3?diff=1")


def test_create_pull_request_on_a_dataset_with_explicit_token(api, rsps):
    url = f"{ENDPOINT}/api/datasets/alice/repo/discussions"
    rsps.post(url, json={"num": 4})
    rsps.get(f"{url}/4?diff=1", json=details(num=4, status="draft"))
    got = api.create_pull_request("alice/repo", "Add", repo_type="dataset", token="hf_other")
    assert (got.num, got.status, got.git_reference) == (4, "draft", "refs/pr/4")
    assert json_body(rsps.calls[0]) == {
        "title": "Add",
        "description": "Pull Request" + DEFAULT_TEXT,
        "pullRequest": True,
    }
    assert [c.request.headers["authorization"] for c in rsps.calls] == ["Bearer hf_other"] * 2


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("",), {}, ValueError),
        ((" \n",), {}, ValueError),
        ((None,), {}, TypeError),
        (("ok",), {"description": 3}, TypeError),
    ],
)
def test_create_discussion_argument_checks(api, rsps, args, kwargs, error):
    with pytest.raises(error):
        api.create_discussion("alice/repo", *args, **kwargs)
    with pytest.raises(error):
        api.create_pull_request("alice/repo", *args, **kwargs)
    assert len(rsps.calls) == 0


# -- write token ---------------------------------------------------------------------------

WRITES = [
    ("create_discussion", ("alice/repo", "title")),
    ("create_pull_request", ("alice/repo", "title")),
    ("comment_discussion", ("alice/repo", 1, "hi")),
    ("rename_discussion", ("alice/repo", 1, "title")),
    ("change_discussion_status", ("alice/repo", 1, "open")),
    ("merge_pull_request", ("alice/repo", 1)),
    ("edit_discussion_comment", ("alice/repo", 1, "c1", "text")),
    ("hide_discussion_comment", ("alice/repo", 1, "c1")),
]


@pytest.mark.parametrize(("name", "args"), WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize(
    ("token", "message"), [(None, "Token is required"), ("api_org_x", "personal account token")]
)
def test_writes_need_a_personal_token_before_any_request(anon, rsps, name, args, token, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # hide_discussion_comment always warns
        with pytest.raises(ValueError, match=message):
            getattr(anon, name)(*args, token=token)
    assert len(rsps.calls) == 0


# -- comment, rename, status ---------------------------------------------------------------


def test_comment_discussion(api, rsps):
    url = f"{ENDPOINT}/api/spaces/alice/repo/discussions/2/comment"
    rsps.post(url, json={"newMessage": COMMENT})
    got = api.comment_discussion("alice/repo", 2, "  Hello\n\n**there** ", repo_type="space")
    check_request(
        rsps.calls[0], "POST", url, body=rsps.calls[0].request.body, content_type="application/json"
    )
    assert json_body(rsps.calls[0]) == {"comment": "  Hello\n\n**there** "}
    assert isinstance(got, DiscussionComment)
    assert (got.id, got.content, got.edited, got.hidden) == (
        "648F1A2B3C4D5E6F70819203",
        "Adds **Flax** weights",
        True,
        False,
    )


@pytest.mark.parametrize(
    ("comment", "error"), [("", ValueError), (" \n", ValueError), (1, TypeError)]
)
def test_comment_must_say_something(api, rsps, comment, error):
    with pytest.raises(error):
        api.comment_discussion("alice/repo", 2, comment)
    assert len(rsps.calls) == 0


def test_rename_discussion(api, rsps):
    rsps.post(f"{BASE}/2/title", json={"newTitle": TITLE})
    got = api.rename_discussion("alice/repo", 2, " b ")
    assert json_body(rsps.calls[0]) == {"title": " b "}
    assert got == DiscussionTitleChange(
        id="e5",
        type="title-change",
        created_at=UTC_WHEN,
        author="deleted",
        _event=TITLE,
        old_title="a",
        new_title="b",
    )
    with pytest.raises(ValueError):
        api.rename_discussion("alice/repo", 2, "  ")
    assert len(rsps.calls) == 1


@pytest.mark.parametrize(
    ("comment", "sent"),
    [
        (None, {"status": "closed"}),
        ("   ", {"status": "closed"}),
        ("  Done. \n", {"status": "closed", "comment": "Done."}),
    ],
)
def test_change_discussion_status(api, rsps, comment, sent):
    rsps.post(f"{BASE}/2/status", json={"newStatus": STATUS})
    got = api.change_discussion_status("alice/repo", 2, "closed", comment=comment)
    check_request(
        rsps.calls[0],
        "POST",
        f"{BASE}/2/status",
        body=rsps.calls[0].request.body,
        content_type="application/json",
    )
    assert json_body(rsps.calls[0]) == sent
    assert isinstance(got, DiscussionStatusChange)
    assert (got.new_status, got.author) == ("closed", "bob")


@pytest.mark.parametrize("status", ["merged", "draft", "published", "Open", None])
def test_change_discussion_status_refuses_other_statuses_first(api, rsps, status):
    with pytest.raises(ValueError, match="status"):
        api.change_discussion_status("alice/repo", 0, status)  # status is checked before num
    assert len(rsps.calls) == 0


# -- merge ---------------------------------------------------------------------------------


def test_merge_without_comment_sends_no_body(api, rsps):
    merged = {**STATUS, "data": {"status": "merged"}}
    rsps.post(f"{BASE}/2/merge", json={"newStatus": merged})
    got = api.merge_pull_request("alice/repo", 2, comment="  ")
    check_request(rsps.calls[0], "POST", f"{BASE}/2/merge", body=None)
    assert rsps.calls[0].request.headers["Content-Length"] == "0"
    assert isinstance(got, DiscussionStatusChange) and got.new_status == "merged"


def test_merge_with_comment(api, rsps):
    rsps.post(f"{BASE}/2/merge", json={"newStatus": STATUS})
    api.merge_pull_request("alice/repo", 2, comment=" LGTM ")
    assert json_body(rsps.calls[0]) == {"comment": "LGTM"}


@pytest.mark.parametrize("answer", [b"", b"{}", b'{"ok": true}'])
def test_merge_reads_the_event_from_the_timeline_when_not_answered(api, rsps, answer):
    merged = {**STATUS, "id": "last", "data": {"status": "merged"}}
    rsps.post(f"{BASE}/2/merge", body=answer)
    rsps.get(f"{BASE}/2?diff=1", json=details(events=[COMMENT, STATUS, merged, PIN]))
    got = api.merge_pull_request("alice/repo", 2)
    assert (got.id, got.new_status) == ("last", "merged")
    check_request(rsps.calls[1], "GET", f"{BASE}/2?diff=1")


def test_merge_returns_none_when_no_status_change_is_recorded(api, rsps):
    rsps.post(f"{BASE}/2/merge", body=b"")
    rsps.get(f"{BASE}/2?diff=1", json=details(events=[COMMENT]))
    assert api.merge_pull_request("alice/repo", 2) is None


def test_merge_refused_is_a_bad_request(api, rsps):
    rsps.post(
        f"{BASE}/2/merge",
        status=400,
        json={"error": "This PR has no associated changes"},
    )
    with pytest.raises(BadRequestError, match="no associated changes"):
        api.merge_pull_request("alice/repo", 2)
    assert len(rsps.calls) == 1  # a POST is never retried


# -- edit / hide comments ------------------------------------------------------------------


def test_edit_discussion_comment(api, rsps):
    url = f"{BASE}/2/comment/648f1a2b3c4d5e6f70819203/edit"
    rsps.post(url, json={"updatedComment": COMMENT})
    got = api.edit_discussion_comment("alice/repo", 2, "648F1A2B3C4D5E6F70819203", " new ")
    check_request(
        rsps.calls[0], "POST", url, body=rsps.calls[0].request.body, content_type="application/json"
    )
    assert json_body(rsps.calls[0]) == {"content": " new "}
    assert got == deserialize_event(COMMENT)


def test_comment_id_is_one_quoted_segment(api, rsps):
    rsps.post(f"{BASE}/2/comment/a%2F..%3Fx/edit", json={"updatedComment": COMMENT})
    api.edit_discussion_comment("alice/repo", 2, "A/..?X", "new")


@pytest.mark.parametrize(
    ("comment_id", "content", "error"),
    [(None, "x", TypeError), (12, "x", TypeError), ("", "x", ValueError), ("c1", "", ValueError)],
)
def test_edit_argument_checks(api, rsps, comment_id, content, error):
    with pytest.raises(error):
        api.edit_discussion_comment("alice/repo", 2, comment_id, content)
    if content:
        with pytest.raises(error):
            api.hide_discussion_comment("alice/repo", 2, comment_id)
    assert len(rsps.calls) == 0


def test_hide_discussion_comment_warns_before_sending_no_body(api, rsps):
    hidden = copy.deepcopy(COMMENT)
    hidden["data"].update(hidden=True, latest={"raw": "", "html": ""})
    seen_before_sending = []

    def answer(request):
        seen_before_sending.append(len(caught))
        return 200, {}, json.dumps({"updatedComment": hidden})

    url = f"{BASE}/2/comment/abc/hide"
    rsps.add_callback(responses.POST, url, callback=answer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = api.hide_discussion_comment("alice/repo", 2, "ABC")
    assert [w.category for w in caught] == [UserWarning]
    assert "irreversible" in str(caught[0].message)
    assert seen_before_sending == [1]
    check_request(rsps.calls[0], "POST", url, body=None)
    assert (got.hidden, got.content) == (True, "")


def test_answer_without_the_event(api, rsps):
    rsps.post(f"{BASE}/2/comment", json={"unexpected": {}})
    with pytest.raises(ValueError, match="newMessage"):
        api.comment_discussion("alice/repo", 2, "hi")


# -- errors --------------------------------------------------------------------------------

ERRORS = [
    (404, {"X-Error-Code": "RepoNotFound"}, RepositoryNotFoundError),
    (401, {}, RepositoryNotFoundError),
    (403, {}, HfHubHTTPError),
    (404, {}, HfHubHTTPError),
    (400, {}, BadRequestError),
]
CALLS = {
    "list": ("GET", f"{BASE}?p=0", lambda api: list(api.get_repo_discussions("alice/repo"))),
    "details": ("GET", f"{BASE}/2?diff=1", lambda api: api.get_discussion_details("alice/repo", 2)),
    "create": ("POST", BASE, lambda api: api.create_discussion("alice/repo", "title")),
    "comment": (
        "POST",
        f"{BASE}/2/comment",
        lambda api: api.comment_discussion("alice/repo", 2, "x"),
    ),
    "merge": ("POST", f"{BASE}/2/merge", lambda api: api.merge_pull_request("alice/repo", 2)),
}


@pytest.mark.parametrize(("status", "headers", "error"), ERRORS)
@pytest.mark.parametrize("which", sorted(CALLS))
def test_error_mapping(api, rsps, which, status, headers, error):
    method, url, call = CALLS[which]
    rsps.add(method, url, status=status, headers=headers, json={"error": "Nope"})
    with pytest.raises(error) as info:
        call(api)
    if error is HfHubHTTPError:
        assert type(info.value) is HfHubHTTPError
    assert info.value.server_message == "Nope"


# -- data classes --------------------------------------------------------------------------


def test_every_event_kind_and_an_unknown_one():
    comment, commit, title, status, pin = (
        deserialize_event(e) for e in (COMMENT, COMMIT, TITLE, STATUS, PIN)
    )
    assert (commit.summary, commit.oid, commit.author) == (
        "Upload flax_model.msgpack",
        "1256f9d9" * 5,
        "alice",
    )
    assert (title.old_title, title.new_title) == ("a", "b")
    assert status.new_status == "closed"
    assert type(pin) is DiscussionEvent
    assert (pin.id, pin.type, pin.created_at, pin.author, pin._event) == (
        "e6",
        "pinned",
        UTC_WHEN,
        "alice",
        PIN,
    )
    assert comment.rendered == "<p>Adds <strong>Flax</strong> weights</p>\n"
    assert comment.last_edited_at == datetime(2023, 6, 18, 14, 35, 0, 500000, tzinfo=timezone.utc)
    assert comment.last_edited_by == "bob"
    assert comment.number_of_edits == 2 and comment.edit_history == COMMENT["data"]["history"]


def test_comment_properties_are_read_only_when_used():
    minimal = {
        "id": "c",
        "type": "comment",
        "createdAt": WHEN,
        "author": None,  # a null author is read as a deleted account, not a crash
        "data": {"edited": False, "hidden": True, "latest": {"raw": ""}},
    }
    comment = deserialize_event(minimal)
    assert (comment.author, comment.hidden, comment.last_edited_by) == ("deleted", True, "deleted")
    with pytest.raises(KeyError):
        comment.rendered  # noqa: B018


@pytest.mark.parametrize("missing", ["id", "type", "createdAt"])
def test_events_need_id_type_and_date(missing):
    event = {k: v for k, v in PIN.items() if k != missing}
    with pytest.raises(KeyError):
        deserialize_event(event)


def test_events_compare_their_raw_json_too():
    other = copy.deepcopy(STATUS)
    other["data"]["extra"] = 1
    assert deserialize_event(STATUS) == deserialize_event(copy.deepcopy(STATUS))
    assert deserialize_event(STATUS) != deserialize_event(other)


def test_import_paths():
    for name in hfapi.community.__all__:
        if name in hfapi.__all__:
            assert getattr(hfapi, name) is getattr(hfapi.community, name)
            assert getattr(hfapi.hf_api, name) is getattr(hfapi.community, name)
    assert issubclass(DiscussionWithDetails, Discussion)
    assert issubclass(DiscussionComment, DiscussionEvent)
    assert hfapi.get_repo_discussions.__self__ is hfapi.model_info.__self__
    assert isinstance(hfapi.hide_discussion_comment.__self__, HfApi)
