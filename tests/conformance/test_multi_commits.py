"""Multi-commits across clients: huggingface_hub 0.16.4 (black box) and hfapi plan the same
commits, and a run interrupted by one client is finished by the other on the same PR."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any, List, Tuple

import pytest
import requests
from huggingface_hub import CommitOperationAdd as ReferenceAdd
from huggingface_hub import CommitOperationDelete as ReferenceDelete
from huggingface_hub import HfApi as ReferenceApi
from huggingface_hub import plan_multi_commits as reference_plan
from huggingface_hub.utils import HfHubHTTPError as ReferenceHTTPError
from hypothesis import given, settings
from hypothesis import strategies as st

import hfapi
from hfapi.commit.multi_commits import parse_step_ids
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser
from integration._multi_commits import fail_commits_after, pr_state, write_files

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.filterwarnings("ignore:'.*' is experimental:UserWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning:huggingface_hub.*"),
]

#: ("add", size) or ("delete", is_folder); paths are given by position.
Op = Tuple[str, Any]
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 12)),
        st.tuples(st.just("delete"), st.booleans()),
    ),
    max_size=30,
)


def _build(ops: List[Op], add: Any, delete: Any) -> List[Any]:
    built = []
    for index, (kind, value) in enumerate(ops):
        path = f"dir/f{index}"
        if kind == "add":
            built.append(add(path, bytes([index % 256]) * value))
        else:
            built.append(delete(path + ("/" if value else ""), is_folder=value))
    return built


def _paths(groups: Any) -> List[List[str]]:
    return [[op.path_in_repo for op in group] for group in groups]


@settings(max_examples=150, deadline=None)
@given(ops=OPERATIONS, max_ops=st.integers(1, 6), max_size=st.integers(1, 20))
def test_same_plan_as_the_reference(ops: List[Op], max_ops: int, max_size: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = reference_plan(_build(ops, ReferenceAdd, ReferenceDelete), max_ops, max_size)
        ours = hfapi.plan_multi_commits(
            _build(ops, hfapi.CommitOperationAdd, hfapi.CommitOperationDelete), max_ops, max_size
        )
    assert _paths(ours[0]) == _paths(theirs[0])
    assert _paths(ours[1]) == _paths(theirs[1])


def test_default_limits_as_the_reference() -> None:
    sizes = [10, 2 * 1024**3, 5] + [1] * 60
    ops = [(f"f{i}", b"") for i in range(len(sizes))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Sizes are what matters: fake big contents through the operations' upload info.
        theirs_ops = [ReferenceAdd(path, data) for path, data in ops]
        ours_ops = [hfapi.CommitOperationAdd(path, data) for path, data in ops]
        for size, theirs_op, ours_op in zip(sizes, theirs_ops, ours_ops):
            theirs_op.upload_info.size = size
            object.__setattr__(ours_op.upload_info, "size", size)
        theirs = reference_plan(theirs_ops)
        ours = hfapi.plan_multi_commits(ours_ops)
    assert _paths(ours[0]) == _paths(theirs[0])
    assert [len(group) for group in ours[0]] == [1, 50, 12]


def _interrupted_then_resumed(
    hub: LocalHub,
    user: HubUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    first: Any,
    second: Any,
    first_error: Any,
) -> Tuple[str, List[str]]:
    repo = f"{user.name}/resumed"
    hfapi.HfApi(endpoint=hub.url, token=user.token).create_repo("resumed")
    names = write_files(tmp_path, 150)  # three steps of 50
    with fail_commits_after(hub, monkeypatch, 2), pytest.raises(first_error):
        first.upload_folder(repo_id=repo, folder_path=tmp_path, multi_commits=True)
    url = second.upload_folder(repo_id=repo, folder_path=tmp_path, multi_commits=True)
    assert url == f"{hub.url}/{repo}/tree/main/"
    return repo, names


def _check_result(hub: LocalHub, user: HubUser, repo: str, names: List[str]) -> None:
    ours = hfapi.HfApi(endpoint=hub.url, token=user.token)
    assert ours.list_repo_files(repo) == [".gitattributes", *names]
    [pr] = ours.get_repo_discussions(repo)
    assert pr.status == "merged"
    details, titles = pr_state(ours, repo, pr.num)
    step_ids = parse_step_ids(details.events[0].content)
    assert len(step_ids) == 3
    assert sorted(titles) == sorted(step_ids)


def test_started_by_the_reference_finished_by_hfapi(
    hub: LocalHub, user: HubUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = ReferenceApi(endpoint=hub.url, token=user.token)
    ours = hfapi.HfApi(endpoint=hub.url, token=user.token)
    repo, names = _interrupted_then_resumed(
        hub, user, tmp_path, monkeypatch, reference, ours, ReferenceHTTPError
    )
    _check_result(hub, user, repo, names)


def test_started_by_hfapi_finished_by_the_reference(
    hub: LocalHub, user: HubUser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = ReferenceApi(endpoint=hub.url, token=user.token)
    ours = hfapi.HfApi(endpoint=hub.url, token=user.token)
    repo, names = _interrupted_then_resumed(
        hub, user, tmp_path, monkeypatch, ours, reference, hfapi.HfHubHTTPError
    )
    _check_result(hub, user, repo, names)


def _recorded_run(hub: LocalHub, user: HubUser, client: Any, name: str, folder: Path) -> List[str]:
    """The requests (method and URL, repo name neutralised) of a multi-commit upload."""
    hfapi.HfApi(endpoint=hub.url, token=user.token).create_repo(name)
    client.upload_file(
        path_or_fileobj=b"old", path_in_repo="old.log", repo_id=f"{user.name}/{name}"
    )
    sent: List[str] = []
    send = requests.Session.send

    def recording_send(session: requests.Session, request: Any, **kwargs: Any) -> Any:
        line = f"{request.method} {request.url}".replace(f"/{name}", "/REPO")
        sent.append(re.sub(r"/comment/[0-9a-f]{24}/", "/comment/ID/", line))
        return send(session, request, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(requests.Session, "send", recording_send)
        client.upload_folder(
            repo_id=f"{user.name}/{name}",
            folder_path=folder,
            delete_patterns="*.log",
            multi_commits=True,
        )
    return sent


def test_same_requests_as_the_reference(hub: LocalHub, user: HubUser, tmp_path: Path) -> None:
    write_files(tmp_path, 60)  # one deletion step, two addition steps
    theirs = _recorded_run(
        hub, user, ReferenceApi(endpoint=hub.url, token=user.token), "theirs-run", tmp_path
    )
    ours = _recorded_run(
        hub, user, hfapi.HfApi(endpoint=hub.url, token=user.token), "ours-run", tmp_path
    )
    assert ours == theirs
    assert sum("/commit/refs%2Fpr%2F1" in line for line in ours) == 3
