"""Both clients put the same requests on the wire and return the same values.

The reference client (huggingface_hub 0.16.4, black box) and hfapi make the same call
against the same ``responses`` mock; the requests they send (method, URL with query,
body bytes, authorization, content type and length) and what they return must match.
Headers that differ by design (user-agent, trace id) are not compared.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any, Callable, Dict, List, Optional, Tuple

import pytest
import requests
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

import hfapi

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import huggingface_hub

pytestmark = pytest.mark.conformance

ENDPOINT = "https://hub.test"
TOKEN = "hf_parity_token"
COMPARED_HEADERS = ("authorization", "content-type", "content-length")

MODEL = {
    "_id": "1",
    "id": "a/b",
    "modelId": "a/b",
    "sha": "c" * 40,
    "private": False,
    "siblings": [
        {
            "rfilename": "x.bin",
            "blobId": "d" * 40,
            "size": 3,
            "lfs": {"sha256": "e" * 64, "size": 3, "pointerSize": 126},
        }
    ],
    "model-index": None,
    "downloads": 4,
}
ENTRY = {"type": "file", "path": "f", "oid": "o" * 40, "size": 1}
COMMIT = {
    "id": "a" * 40,
    "title": "t",
    "message": "",
    "authors": [{"user": "u"}],
    "date": "2023-07-03T12:34:56.000Z",
}

AUTHOR = {"name": "alice", "fullname": "Alice", "type": "user"}
SUMMARY = {
    "num": 2,
    "title": "Add Flax weights",
    "status": "open",
    "createdAt": "2023-06-18T14:34:21.000Z",
    "isPullRequest": True,
    "author": AUTHOR,
    "repo": {"name": "a/b", "type": "dataset"},
    "numComments": 2,
    "pinned": False,
}
COMMENT = {
    "id": "648F1A2B3C4D5E6F70819203",
    "type": "comment",
    "createdAt": "2023-06-18T14:34:21.000Z",
    "author": AUTHOR,
    "data": {
        "edited": True,
        "hidden": False,
        "latest": {"raw": "Hi", "html": "<p>Hi</p>", "updatedAt": "2023-06-18T14:35:00.5Z"},
        "numEdits": 1,
        "history": [{"raw": "Hey"}],
    },
}
EVENTS = {
    "newTitle": {
        "id": "e2",
        "type": "title-change",
        "createdAt": "2023-06-18T14:36:00.000Z",
        "data": {"from": "Flax", "to": "Add Flax weights"},
    },
    "newStatus": {
        "id": "e3",
        "type": "status-change",
        "createdAt": "2023-06-18T14:40:00.000Z",
        "author": AUTHOR,
        "data": {"status": "closed"},
    },
}
COMMIT_EVENT = {
    "id": "e4",
    "type": "commit",
    "createdAt": "2023-06-18T14:41:00.000Z",
    "author": AUTHOR,
    "data": {"subject": "Upload x", "oid": "1" * 40},
}
PIN_EVENT = {"id": "e5", "type": "pinning", "createdAt": "2023-06-18T14:42:00.123456Z"}
DETAILS = {
    **SUMMARY,
    "changes": {"base": "refs/heads/main", "mergeCommitId": "9" * 40},
    "filesWithConflicts": ["x.bin"],
    "diff": "diff --git a/x b/x\n",
    "events": [COMMENT, EVENTS["newTitle"], EVENTS["newStatus"], COMMIT_EVENT, PIN_EVENT],
}


def _reply_discussions(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], Any]:
    """The discussion endpoints: two one-item pages, details, and each mutation's event."""
    url = request.url or ""
    path = url.split("?")[0]
    if request.method == "GET" and path.endswith("/discussions"):
        start = 1 if url.endswith("p=1") else 0
        return 200, {}, {"discussions": [{**SUMMARY, "num": 2 - start}], "count": 2, "start": start}
    if request.method == "GET":
        return 200, {}, DETAILS
    resource = path.rsplit("/", 1)[-1]
    if resource == "discussions":
        return 200, {}, {"num": 2, "url": f"{ENDPOINT}/datasets/a/b/discussions/2"}
    key = {"comment": "newMessage", "title": "newTitle", "status": "newStatus"}.get(resource)
    if resource == "merge":
        return 200, {}, {"newStatus": {**EVENTS["newStatus"], "data": {"status": "merged"}}}
    if key is None:  # edit, hide
        return 200, {}, {"updatedComment": COMMENT}
    return 200, {}, {key: EVENTS.get(key, COMMENT)}


SPACE_STAGES = {"runtime": "RUNNING", "pause": "PAUSED", "restart": "BUILDING"}


def _reply_spaces(request: requests.PreparedRequest) -> Any:
    """The Space management endpoints (``None`` for the other ``/api/spaces/`` URLs)."""
    resource = (request.url or "").split("?")[0].rsplit("/", 1)[-1]
    sent = json.loads(request.body or b"{}")
    if resource == "secrets":
        return ""
    if resource == "duplicate":
        return {"url": f"{ENDPOINT}/spaces/{sent['repository']}"}
    hardware = {"current": "cpu-basic", "requested": sent.get("flavor", "t4-small")}
    if resource == "sleeptime" and sent["seconds"] < 0:
        # Free hardware: the path on which set_space_sleep_time warns.
        hardware["requested"] = None
    if resource not in ("runtime", "hardware", "sleeptime", "pause", "restart"):
        return None
    return {
        "stage": SPACE_STAGES.get(resource, "RUNNING_BUILDING"),
        "hardware": hardware,
        "storage": None,
        "gcTimeout": sent.get("seconds", sent.get("sleepTimeSeconds")),
        "replicas": {"current": 1, "requested": 1},
    }


LISTED = {
    "models": [MODEL, {"_id": "2", "id": "c", "modelId": "c", "key": "", "tags": ["t"]}],
    "datasets": [{"_id": "3", "id": "squad", "key": "", "cardData": {"license": "mit"}}],
    "spaces": [{"_id": "4", "id": "g/h", "sdk": "gradio", "models": ["gpt2"], "datasets": []}],
}
METRICS = [{"id": "accuracy", "description": "d", "citation": "c", "key": ""}, {"id": "f1"}]
TAG_CATALOGUE = {
    "library": [{"id": "pytorch", "label": "PyTorch"}, {"id": "sb3", "label": "Stable-Baselines3"}],
    "language": [{"id": "language:en", "label": "en"}],
    "pipeline_tag": [{"id": "text-classification", "label": "Text Classification"}],
    "unknown": [{"id": "x", "label": "X"}],
}


def _reply_listing(url: str) -> Optional[Tuple[int, Dict[str, str], Any]]:
    """The listing endpoints: two pages (the second behind a Link header), the metrics
    and the tag catalogues; ``None`` for any other URL."""
    path = url.split("?")[0]
    kind = path.rsplit("/", 1)[-1]
    if path == f"{ENDPOINT}/api/{kind}" and kind in LISTED:
        items = LISTED[kind]
        if "cursor=2" in url:
            return 200, {}, items[-1:]
        next_url = f"{ENDPOINT}/api/{kind}?cursor=2&limit=1000"
        return 200, {"Link": f'<{next_url}>; rel="next"'}, items
    if path == f"{ENDPOINT}/api/metrics":
        return 200, {}, METRICS
    if path.endswith("-tags-by-type"):
        return 200, {}, TAG_CATALOGUE
    return None


def _reply(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
    url = request.url or ""
    space_answer = _reply_spaces(request) if "/api/spaces/" in url else None
    if space_answer is not None:
        return 200, {}, space_answer if isinstance(space_answer, str) else json.dumps(space_answer)
    listing = _reply_listing(url)
    if listing is not None:
        return listing[0], listing[1], json.dumps(listing[2])
    if "/discussions" in url:
        status, headers, answer = _reply_discussions(request)
        return status, headers, json.dumps(answer)
    if "/commit/" in url:
        body: Any = {"commitUrl": f"{ENDPOINT}/a/b/commit/{'f' * 40}", "commitOid": "f" * 40}
    elif "whoami" in url:
        body = {"name": "alice", "type": "user", "auth": {"accessToken": {"role": "write"}}}
    elif url.endswith("/refs"):
        ref = {"name": "main", "ref": "refs/heads/main", "targetCommit": "a" * 40}
        body = {"branches": [ref], "converts": [], "tags": []}
    elif "/commits/" in url:
        body = [COMMIT]
    elif "/tree/" in url:
        body = [ENTRY, {"type": "directory", "path": "d", "oid": "p" * 40, "size": 0}]
    elif "/likes" in url:
        body = [
            {"repo": {"name": "a/b", "type": "model"}},
            {"repo": {"name": "s", "type": "space"}},
        ]
    elif "paths-info" in url:
        body = [{"type": "directory", "path": "d/e", "oid": "x", "size": 0}, ENTRY]
    elif "repos/create" in url:
        body = {"url": f"{ENDPOINT}/a/b"}
    elif "/settings" in url:
        body = {"private": True}
    else:
        body = MODEL
    return 200, {}, json.dumps(body)


CALLS: List[Tuple[str, Tuple[Any, ...], Dict[str, Any]]] = [
    (
        "model_info",
        ("a/b",),
        {"revision": "refs/pr/1", "securityStatus": True, "files_metadata": True},
    ),
    ("model_info", ("gpt2",), {}),
    ("dataset_info", ("a/b",), {"files_metadata": True}),
    ("space_info", ("a/b",), {"revision": "v 1"}),
    ("repo_info", ("a/b",), {"repo_type": "dataset", "revision": "x/y"}),
    (
        "list_files_info",
        ("a/b",),
        {"paths": ["f", "d/e"], "revision": "refs/pr/1", "expand": True, "repo_type": "space"},
    ),
    ("list_files_info", ("a/b",), {}),
    ("list_repo_files", ("a/b",), {"revision": "r/1"}),
    ("list_repo_refs", ("a/b",), {"repo_type": "dataset"}),
    ("list_repo_commits", ("a/b",), {"formatted": True, "revision": "refs/pr/1"}),
    ("create_repo", ("a/b",), {"private": True}),
    (
        "create_repo",
        ("b",),
        {"repo_type": "space", "space_sdk": "gradio", "space_hardware": "t4-small"},
    ),
    ("delete_repo", ("a/b",), {"repo_type": "dataset"}),
    ("update_repo_visibility", ("a/b", True), {}),
    ("update_repo_visibility", ("b",), {"private": False, "repo_type": "space"}),
    ("move_repo", ("a/b", "c/d"), {"repo_type": "dataset"}),
    ("create_branch", ("a/b",), {"branch": "f/x", "revision": "refs/pr/2"}),
    ("create_branch", ("a/b",), {"branch": "dev"}),
    ("delete_branch", ("a/b",), {"branch": "f/x"}),
    ("create_tag", ("a/b",), {"tag": "v/1", "tag_message": "m", "revision": "refs/pr/1"}),
    ("delete_tag", ("a/b",), {"tag": "v/1"}),
    ("like", ("a/b",), {"repo_type": "dataset"}),
    ("unlike", ("a/b",), {}),
    ("list_liked_repos", (), {}),
    ("whoami", (), {}),
    ("get_full_repo_name", ("m",), {}),
    ("get_token_permission", (), {}),
    ("delete_file", ("dir/a.txt", "a/b"), {"revision": "refs/pr/3"}),
    ("delete_folder", ("dir", "a/b"), {"commit_description": "why", "parent_commit": "abcdef1"}),
    ("get_repo_discussions", ("a/b",), {"repo_type": "dataset"}),
    ("get_repo_discussions", ("gpt2",), {"token": "hf_other"}),
    ("get_discussion_details", ("a/b", 2), {"repo_type": "space"}),
    ("create_discussion", ("a/b", "  Hello  "), {}),
    (
        "create_discussion",
        ("a/b", "Hi there"),
        {"description": " Some text ", "repo_type": "dataset", "pull_request": True},
    ),
    ("create_pull_request", ("a/b", "PR title"), {"description": "   "}),
    ("comment_discussion", ("a/b", 2, "  Hi\n"), {"repo_type": "dataset"}),
    ("rename_discussion", ("a/b", 2, " New title "), {}),
    ("change_discussion_status", ("a/b", 2, "closed"), {"comment": "  bye "}),
    ("change_discussion_status", ("a/b", 2, "open"), {"comment": "   ", "repo_type": "space"}),
    ("merge_pull_request", ("a/b", 2), {}),
    ("merge_pull_request", ("a/b", 2), {"comment": " Merged! ", "repo_type": "dataset"}),
    ("edit_discussion_comment", ("a/b", 2, "648F1A2B3C4D5E6F70819203", "New text"), {}),
    ("hide_discussion_comment", ("a/b", 2, "648F1A2B3C4D5E6F70819203"), {}),
    ("add_space_secret", ("a/b", "HF_TOKEN", "hf_secret"), {}),
    ("add_space_secret", ("s", "K", ""), {"token": "hf_other"}),
    ("delete_space_secret", ("a/b", "HF_TOKEN"), {}),
    ("get_space_runtime", ("a/b",), {}),
    ("request_space_hardware", ("a/b", "t4-medium"), {}),
    ("request_space_hardware", ("a/b", hfapi.SpaceHardware.A10G_SMALL), {"sleep_time": -1}),
    ("request_space_hardware", ("a/b", "cpu-basic"), {"sleep_time": 3600}),
    ("set_space_sleep_time", ("a/b", 3600), {}),
    ("set_space_sleep_time", ("a/b", -1), {}),
    ("pause_space", ("a/b",), {}),
    ("restart_space", ("a/b",), {}),
    ("duplicate_space", ("a/b",), {}),
    ("duplicate_space", ("a/b", "c/d"), {"private": True}),
    ("duplicate_space", ("a/b", "d"), {"private": False, "exist_ok": True}),
    ("list_models", (), {}),
    (
        "list_models",
        (),
        {
            "filter": ("bert", "jax"),
            "author": "google",
            "search": "bert",
            "sort": "lastModified",
            "direction": -1,
            "limit": 10,
            "full": True,
            "cardData": True,
            "fetch_config": True,
        },
    ),
    ("list_models", (), {"filter": "text-classification", "full": False, "limit": 2}),
    ("list_models", (), {"limit": 1, "token": False}),
    ("list_models", (), {"limit": 0}),
    (
        "list_models",
        (),
        {
            "filter": "MODEL_FILTER",
            "search": "x",
            "emissions_thresholds": (None, None),
        },
    ),
    ("list_models", (), {"filter": "MODEL_FILTER"}),
    ("list_datasets", (), {}),
    ("list_datasets", (), {"filter": "DATASET_FILTER", "full": True, "limit": 5}),
    (
        "list_datasets",
        (),
        {"filter": ["language:en"], "author": "", "search": "", "sort": "", "direction": -1},
    ),
    ("list_spaces", (), {}),
    (
        "list_spaces",
        (),
        {
            "filter": "gradio",
            "author": "g",
            "search": "h",
            "sort": "likes",
            "direction": -1,
            "limit": 3,
            "datasets": ["wikipedia", "squad"],
            "models": "gpt2",
            "linked": True,
            "full": True,
        },
    ),
    ("list_spaces", (), {"datasets": "", "models": (), "token": "hf_other"}),
    ("list_metrics", (), {}),
    ("get_model_tags", (), {}),
    ("get_dataset_tags", (), {}),
]
#: Methods whose 0.16.4 code returns ``None`` where its documentation promises a value;
#: hfapi returns the documented value (see docs/differences.md).
DOCUMENTED_RETURNS = {"merge_pull_request": hfapi.DiscussionStatusChange}
#: Methods that may warn: both clients must give the same ``UserWarning`` s on success; on
#: failure they are silenced (the failure is what is compared there).
WARNS = {"hide_discussion_comment", "request_space_hardware", "set_space_sleep_time"}

Captured = List[Tuple[str, str, bytes, Dict[str, str]]]
#: Methods returning a generator, consumed to compare what they yield.
GENERATORS = {
    "list_files_info",
    "get_repo_discussions",
    "list_models",
    "list_datasets",
    "list_spaces",
}


def _with_filters(module: Any, kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """Build the filter objects of a call with each client's own classes."""
    marker = kwargs.get("filter")
    if marker == "MODEL_FILTER":
        made = module.ModelFilter(
            author="facebook",
            model_name="bart",
            task=["fill-mask", "summarization"],
            trained_dataset=["glue", "dataset:squad"],
            library="pytorch",
            language=["en", "fr"],
            tags="benchmark:raft",
        )
        return {**kwargs, "filter": made}
    if marker == "DATASET_FILTER":
        made = module.DatasetFilter(
            author="huggingface",
            dataset_name="x",
            benchmark="raft",
            language=["en", "fr"],
            size_categories="100K<n<1M",
            task_categories="task_categories:text-classification",
            language_creators="crowdsourced",
        )
        return {**kwargs, "filter": made}
    return kwargs


def _capture(
    api: Any,
    name: str,
    args: Tuple[Any, ...],
    kwargs: Dict[str, Any],
    add: Callable[[responses.RequestsMock], None],
) -> Tuple[Captured, Any]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        add(mock)
        try:
            module = huggingface_hub if isinstance(api, huggingface_hub.HfApi) else hfapi
            result: Any = getattr(api, name)(*args, **_with_filters(module, kwargs))
            if name in GENERATORS:
                result = list(result)
        except Exception as error:  # compared below, by class
            result = error
        sent = []
        for call in mock.calls:
            request = call.request
            body = request.body or b""
            if isinstance(body, str):
                body = body.encode()
            elif not isinstance(body, bytes):
                body = b"".join(body)
            headers = {
                k.lower(): v for k, v in request.headers.items() if k.lower() in COMPARED_HEADERS
            }
            sent.append((request.method or "", request.url or "", body, headers))
    return sent, result


def _succeed(mock: responses.RequestsMock) -> None:
    for method in ("GET", "POST", "PUT", "DELETE"):
        mock.add_callback(method, re.compile(".*"), callback=_reply)


def _comparable(value: Any) -> Any:
    if isinstance(value, Exception):
        return type(value).__name__
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return repr(value)


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS, ids=[c[0] for c in CALLS])
def test_same_requests_and_results(name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]):
    reference = huggingface_hub.HfApi(endpoint=ENDPOINT, token=TOKEN)
    ours = hfapi.HfApi(endpoint=ENDPOINT, token=TOKEN)
    with warnings.catch_warnings(record=True) as reference_warned:
        warnings.simplefilter("always")
        expected, expected_result = _capture(reference, name, args, kwargs, _succeed)
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        sent, result = _capture(ours, name, args, kwargs, _succeed)
    # The reference's own deprecation noise is not part of the comparison.
    expected_warnings = [w.category for w in reference_warned if w.category is UserWarning]
    assert [w.category for w in warned] == expected_warnings
    assert bool(expected_warnings) <= (name in WARNS)
    assert sent == expected
    if name in DOCUMENTED_RETURNS:
        assert expected_result is None
        assert isinstance(result, DOCUMENTED_RETURNS[name])
    else:
        assert _comparable(result) == _comparable(expected_result)


@pytest.mark.parametrize("enum", ["SpaceHardware", "SpaceStage"])
def test_space_enums_behave_as_the_references(enum: str) -> None:
    """Same members, and the same string behaviour (``str``, ``format``, ``repr``, JSON)."""
    theirs, ours = getattr(huggingface_hub, enum), getattr(hfapi, enum)
    assert [(m.name, m.value) for m in ours] == [(m.name, m.value) for m in theirs]
    for mine, reference in zip(ours, theirs):
        assert mine == reference == reference.value
        assert (str(mine), f"{mine}", repr(mine)) == (
            str(reference),
            f"{reference}",
            repr(reference),
        )
        assert json.dumps(mine) == json.dumps(reference)


FAILURES = {
    "400": (400, {}, '{"error": "bad"}'),
    "401": (401, {}, '{"error": "x"}'),
    "403": (403, {}, '{"error": "no"}'),
    "404-repo": (404, {"X-Error-Code": "RepoNotFound"}, "{}"),
    "404-revision": (404, {"X-Error-Code": "RevisionNotFound"}, "{}"),
    "404-entry": (404, {"X-Error-Code": "EntryNotFound"}, "{}"),
    "403-gated": (403, {"X-Error-Code": "GatedRepo"}, "{}"),
    "409": (409, {}, json.dumps({"error": "exists", "url": f"{ENDPOINT}/a/b"})),
    "412": (412, {}, "{}"),
    "500": (500, {}, '{"errors": [{"message": "e1"}]}'),
}
FAILING_CALLS = [c for c in CALLS if c[0] not in ("get_full_repo_name",)]


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize(
    ("name", "args", "kwargs"), FAILING_CALLS, ids=[c[0] for c in FAILING_CALLS]
)
def test_same_exceptions(
    name: str,
    args: Tuple[Any, ...],
    kwargs: Dict[str, Any],
    failure: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    status, headers, body = FAILURES[failure]

    def fail(mock: responses.RequestsMock) -> None:
        for method in ("GET", "POST", "PUT", "DELETE"):
            mock.add(method, re.compile(".*"), status=status, headers=headers, body=body)

    reference = huggingface_hub.HfApi(endpoint=ENDPOINT, token=TOKEN)
    ours = hfapi.HfApi(endpoint=ENDPOINT, token=TOKEN)
    monkeypatch.setattr(ours._http, "sleep", lambda seconds: None)  # our GETs retry 5xx
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, expected = _capture(reference, name, args, kwargs, fail)
    with warnings.catch_warnings():
        if name in WARNS:
            warnings.simplefilter("ignore", UserWarning)
        _, result = _capture(ours, name, args, kwargs, fail)
    assert _comparable(result) == _comparable(expected)
    if isinstance(expected, Exception):
        assert type(result.__cause__).__name__ == type(expected.__cause__).__name__


def _reply_upload(request: requests.PreparedRequest) -> Tuple[int, Dict[str, str], str]:
    url = request.url or ""
    if "/preupload/" in url:
        files = json.loads(request.body or b"{}")["files"]
        modes = [
            {"path": f["path"], "uploadMode": "lfs" if f["path"].endswith(".bin") else "regular"}
            for f in files
        ]
        return 200, {}, json.dumps({"files": modes})
    if "paths-info" in url:
        lfs = {"oid": "b" * 64, "size": 11, "pointerSize": 126}
        return (
            200,
            {},
            json.dumps(
                [{"type": "file", "path": "old.bin", "size": 11, "oid": "c" * 40, "lfs": lfs}]
            ),
        )
    if url.endswith("/objects/batch"):
        objects = json.loads(request.body or b"{}")["objects"]
        answer = [
            {
                **obj,
                "actions": {
                    "upload": {"href": f"https://storage.test/put/{obj['oid']}"},
                    "verify": {"href": f"{ENDPOINT}/a/b.git/info/lfs/objects/verify"},
                },
            }
            for obj in objects
        ]
        return 200, {}, json.dumps({"transfer": "basic", "objects": answer})
    if url.startswith("https://storage.test/"):
        return 200, {"ETag": '"x"'}, ""
    if "/commit/" in url:
        pr = {"pullRequestUrl": f"{ENDPOINT}/a/b/discussions/7"} if "create_pr" in url else {}
        return (
            200,
            {},
            json.dumps(
                {"commitUrl": f"{ENDPOINT}/a/b/commit/{'f' * 40}", "commitOid": "f" * 40, **pr}
            ),
        )
    return 200, {}, "{}"


def _upload_mock(mock: responses.RequestsMock) -> None:
    for method in ("GET", "POST", "PUT", "DELETE"):
        mock.add_callback(method, re.compile(".*"), callback=_reply_upload)


UPLOADS: List[Tuple[str, Callable[[Any], Dict[str, Any]], Dict[str, Any], int]] = [
    (
        "create_commit",
        lambda m: {
            "repo_id": "a/b",
            "operations": [
                m.CommitOperationAdd("dir/regular.txt", b"hello\n"),
                m.CommitOperationAdd("weights.bin", b"x" * 120),
                m.CommitOperationDelete("old/"),
                m.CommitOperationDelete("gone.txt"),
                m.CommitOperationCopy("old.bin", "copy of old.bin"),
            ],
        },
        {"commit_message": "msg", "commit_description": "desc", "parent_commit": "abcdef1"},
        1,
    ),
    (
        "create_commit",
        lambda m: {
            "repo_id": "a/b",
            "operations": [
                m.CommitOperationAdd("empty.bin", b""),
            ],
        },
        {"commit_message": "pr", "create_pr": True, "repo_type": "dataset"},
        0,
    ),
    (
        "upload_file",
        lambda m: {"path_or_fileobj": b"y" * 40, "path_in_repo": "/x/y.bin", "repo_id": "a/b"},
        {"revision": "refs/pr/7"},
        1,
    ),
]


@pytest.mark.parametrize(("name", "make", "kwargs", "puts"), UPLOADS, ids=["mixed", "pr", "file"])
def test_same_upload_requests(
    name: str, make: Callable[[Any], Dict[str, Any]], kwargs: Dict[str, Any], puts: int
) -> None:
    """Every step of the upload flow, in order: preupload, copy lookup, LFS batch, PUT to
    the storage (no token), verify, commit NDJSON — identical bytes for both clients."""
    reference = huggingface_hub.HfApi(endpoint=ENDPOINT, token=TOKEN)
    ours = hfapi.HfApi(endpoint=ENDPOINT, token=TOKEN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected, expected_result = _capture(
            reference, name, (), {**make(huggingface_hub), **kwargs}, _upload_mock
        )
    sent, result = _capture(ours, name, (), {**make(hfapi), **kwargs}, _upload_mock)
    assert not isinstance(expected_result, Exception), expected_result
    assert sent == expected
    # Known difference: our URL names where the file landed (no `//x` from a raw `/x`).
    assert repr(result) == repr(expected_result).replace("/refs/pr/7//x/", "/refs/pr/7/x/")
    storage = [request for request in sent if request[1].startswith("https://storage.test/")]
    assert len(storage) == puts
    assert all("authorization" not in request[3] for request in storage)


# -- search and listing: beyond the call table ---------------------------------------------


def _both() -> Tuple[Any, Any]:
    return (
        huggingface_hub.HfApi(endpoint=ENDPOINT, token=TOKEN),
        hfapi.HfApi(endpoint=ENDPOINT, token=TOKEN),
    )


def test_emissions_filter_same_requests_documented_result() -> None:
    """0.16.4 never keeps a model (it reads card data as an attribute of a dict); hfapi
    keeps the models whose card declares emissions in range (docs/differences.md)."""
    cards = [
        {"modelId": "low", "cardData": {"co2_eq_emissions": {"emissions": "17g"}}},
        {"modelId": "high", "cardData": {"co2_eq_emissions": 500}},
        {"modelId": "none"},
    ]

    def mock_cards(mock: responses.RequestsMock) -> None:
        mock.get(f"{ENDPOINT}/api/models", json=cards)

    reference, ours = _both()
    kwargs = {"emissions_thresholds": (None, 100), "cardData": True, "limit": 3}
    expected, expected_result = _capture(reference, "list_models", (), kwargs, mock_cards)
    sent, result = _capture(ours, "list_models", (), kwargs, mock_cards)
    assert sent == expected
    assert expected_result == []
    assert [model.modelId for model in result] == ["low"]


def test_same_tag_catalogues_and_search_arguments() -> None:
    reference, ours = _both()
    for name in ("get_model_tags", "get_dataset_tags"):
        _, expected = _capture(reference, name, (), {}, _succeed)
        _, result = _capture(ours, name, (), {}, _succeed)
        assert json.dumps(result, sort_keys=True) == json.dumps(expected, sort_keys=True)
        for group in result:
            assert repr(result[group]) == repr(expected[group])
            assert dir(result[group]) == dir(expected[group])  # what tab completion offers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in ("ModelSearchArguments", "DatasetSearchArguments"):
            with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
                _succeed(mock)
                expected = getattr(huggingface_hub, name)(reference)
                expected_calls = [call.request.url for call in mock.calls]
            with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
                _succeed(mock)
                result = getattr(hfapi, name)(ours)
                assert [call.request.url for call in mock.calls] == expected_calls
            assert json.dumps(result, sort_keys=True) == json.dumps(expected, sort_keys=True)
            assert repr(result) == repr(expected)


_value = st.text(alphabet="ab:-_ <", max_size=6)
#: Field values both clients treat alike: nothing, a string, or a list of strings.
_filter_field = st.none() | _value | st.lists(_value, max_size=3)
_MODEL_FIELDS = ("library", "language", "task", "trained_dataset", "tags")
_DATASET_FIELDS = (
    "benchmark",
    "language_creators",
    "language",
    "multilinguality",
    "size_categories",
    "task_categories",
    "task_ids",
)


def _first_query(api: Any, method: str, make: Callable[[], Any]) -> str:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(re.compile(".*"), json=[])
        list(getattr(api, method)(filter=make()))
        return mock.calls[0].request.url or ""


@settings(max_examples=60)
@given(
    st.fixed_dictionaries(
        {name: _filter_field for name in _MODEL_FIELDS},
        optional={"author": st.none() | _value, "model_name": st.none() | _value},
    )
)
def test_model_filter_same_query(fields: Dict[str, Any]) -> None:
    reference, ours = _both()
    # The reference rewrites a string `trained_dataset` into a list: one object each.
    expected = _first_query(reference, "list_models", lambda: huggingface_hub.ModelFilter(**fields))
    assert _first_query(ours, "list_models", lambda: hfapi.ModelFilter(**fields)) == expected


@settings(max_examples=60)
@given(
    st.fixed_dictionaries(
        {name: _filter_field | st.tuples(_value) for name in _DATASET_FIELDS},
        optional={"author": st.none() | _value, "dataset_name": st.none() | _value},
    )
)
def test_dataset_filter_same_query(fields: Dict[str, Any]) -> None:
    reference, ours = _both()
    expected = _first_query(
        reference, "list_datasets", lambda: huggingface_hub.DatasetFilter(**fields)
    )
    assert _first_query(ours, "list_datasets", lambda: hfapi.DatasetFilter(**fields)) == expected
