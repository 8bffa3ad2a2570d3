"""Calls as users write them, checked by ``mypy --strict`` (``make lint``), never run.

Each ``assert_type`` pins the type mypy infers for a call: a regression in the public
annotations (a lost overload, a narrowed ``token``) fails the lint step, not a user's build.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import List

from typing_extensions import assert_type

import hfapi
from hfapi import CommitInfo, CommitOperationAdd, HfApi, ModelInfo


def commits_return_their_result(api: HfApi) -> None:
    ops = [CommitOperationAdd("a.txt", b"hi")]
    info = api.create_commit("me/repo", ops, commit_message="Add a.txt")
    assert_type(info, CommitInfo)
    assert_type(info.pr_url, "str | None")
    assert_type(api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id="me/r"), str)
    assert_type(api.upload_folder(repo_id="me/r", folder_path="out"), str)
    assert_type(api.create_commit("me/r", ops, commit_message="m", run_as_future=False), CommitInfo)


def run_as_future_returns_a_future(api: HfApi, flag: bool) -> None:
    ops = [CommitOperationAdd("a.txt", b"hi")]
    future = api.create_commit("me/r", ops, commit_message="m", run_as_future=True)
    assert_type(future, Future[CommitInfo])
    assert_type(future.result().oid, str)
    assert_type(
        api.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id="me/r", run_as_future=True),
        Future[str],
    )
    assert_type(
        api.upload_folder(repo_id="me/r", folder_path="out", run_as_future=True), Future[str]
    )
    # A flag only known at run time: either one.
    assert_type(
        api.upload_folder(repo_id="me/r", folder_path="out", run_as_future=flag),
        "str | Future[str]",
    )


def root_functions_keep_the_overloads() -> None:
    assert_type(hfapi.upload_file(path_or_fileobj=b"x", path_in_repo="x", repo_id="me/r"), str)
    assert_type(
        hfapi.upload_file(
            path_or_fileobj=b"x", path_in_repo="x", repo_id="me/r", run_as_future=True
        ),
        Future[str],
    )


def boolean_tokens_where_documented(api: HfApi) -> None:
    assert_type(api.model_info("gpt2", token=False), ModelInfo)
    assert_type(api.model_info("gpt2", token=True), ModelInfo)
    assert_type(api.list_repo_files("gpt2", token=False), List[str])
    api.dataset_info("d", token=True)
    api.space_info("s", token=False)
    api.repo_info("gpt2", token=True)
    api.list_files_info("gpt2", token=False)
    api.list_repo_refs("gpt2", token=True)
    api.list_repo_commits("gpt2", token=True)
    api.list_models(token=True)
    api.list_datasets(token=True)
    api.list_spaces(token=True)
    api.get_full_repo_name("m", token=False)
