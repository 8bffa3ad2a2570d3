"""hfapi: a faithful, fast client for the Hugging Face Hub API.

Every ``HfApi`` method is also a function of this package, bound to one default
client (``HF_ENDPOINT`` or huggingface.co, and the stored token)::

    >>> from hfapi import HfApi, model_info
    >>> model_info("gpt2").sha
    >>> HfApi(endpoint="http://127.0.0.1:8080", token="hf_xxx").create_repo("me/demo")
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names
from .auth import HfFolder
from .constants import __version__
from .errors import (
    BadRequestError,
    CommitNotAppliedError,
    CommitOutcomeUnknownError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    LocalEntryNotFoundError,
    LocalTokenNotFoundError,
    MultiCommitException,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    SourceChangedError,
)
from .hf_api import HfApi

if TYPE_CHECKING:  # imported on first access, see _LAZY below
    from ._login import login, logout
    from .api.search_arguments import DatasetSearchArguments, ModelSearchArguments
    from .commit import (
        CommitOperation,
        CommitOperationAdd,
        CommitOperationCopy,
        CommitOperationDelete,
    )
    from .commit.multi_commits import plan_multi_commits
    from .commit.scheduler import CommitScheduler
    from .download.functions import (
        hf_hub_download,
        hf_hub_url,
        snapshot_download,
        try_to_load_from_cache,
    )
    from .models import (
        CommitInfo,
        DatasetFilter,
        DatasetInfo,
        Discussion,
        DiscussionComment,
        DiscussionCommit,
        DiscussionStatusChange,
        DiscussionTitleChange,
        DiscussionWithDetails,
        GitCommitInfo,
        GitRefInfo,
        GitRefs,
        MetricInfo,
        ModelFilter,
        ModelInfo,
        RepoFile,
        RepoUrl,
        SpaceHardware,
        SpaceInfo,
        SpaceRuntime,
        SpaceStage,
        UserLikes,
    )

#: Names a plain script rarely needs, and the module that defines each: importing them
#: eagerly would pull in tqdm, thread pools, filelock and every data class (issue 14).
_LAZY = {
    **dict.fromkeys(
        ["DatasetSearchArguments", "ModelSearchArguments"], "hfapi.api.search_arguments"
    ),
    **dict.fromkeys(["login", "logout"], "hfapi._login"),
    **dict.fromkeys(
        [
            "CommitOperation",
            "CommitOperationAdd",
            "CommitOperationCopy",
            "CommitOperationDelete",
        ],
        "hfapi.commit",
    ),
    "plan_multi_commits": "hfapi.commit.multi_commits",
    "CommitScheduler": "hfapi.commit.scheduler",
    **dict.fromkeys(
        ["hf_hub_download", "hf_hub_url", "snapshot_download", "try_to_load_from_cache"],
        "hfapi.download.functions",
    ),
    **dict.fromkeys(
        [
            "CommitInfo",
            "DatasetFilter",
            "DatasetInfo",
            "Discussion",
            "DiscussionComment",
            "DiscussionCommit",
            "DiscussionStatusChange",
            "DiscussionTitleChange",
            "DiscussionWithDetails",
            "GitCommitInfo",
            "GitRefInfo",
            "GitRefs",
            "MetricInfo",
            "ModelFilter",
            "ModelInfo",
            "RepoFile",
            "RepoUrl",
            "SpaceHardware",
            "SpaceInfo",
            "SpaceRuntime",
            "SpaceStage",
            "UserLikes",
        ],
        "hfapi.models",
    ),
}
__getattr__, __dir__ = lazy_names(__name__, globals(), _LAZY)

__all__ = [
    "BadRequestError",
    "CommitInfo",
    "CommitNotAppliedError",
    "CommitOperation",
    "CommitOperationAdd",
    "CommitOperationCopy",
    "CommitOperationDelete",
    "CommitOutcomeUnknownError",
    "CommitScheduler",
    "DatasetFilter",
    "DatasetInfo",
    "DatasetSearchArguments",
    "Discussion",
    "DiscussionComment",
    "DiscussionCommit",
    "DiscussionStatusChange",
    "DiscussionTitleChange",
    "DiscussionWithDetails",
    "EntryNotFoundError",
    "GatedRepoError",
    "GitCommitInfo",
    "GitRefInfo",
    "GitRefs",
    "HFValidationError",
    "HfApi",
    "HfFolder",
    "HfHubHTTPError",
    "LocalEntryNotFoundError",
    "LocalTokenNotFoundError",
    "MetricInfo",
    "ModelFilter",
    "ModelInfo",
    "ModelSearchArguments",
    "MultiCommitException",
    "RepoFile",
    "RepoUrl",
    "RepositoryNotFoundError",
    "RevisionNotFoundError",
    "SourceChangedError",
    "SpaceHardware",
    "SpaceInfo",
    "SpaceRuntime",
    "SpaceStage",
    "UserLikes",
    "__version__",
    "add_space_secret",
    "change_discussion_status",
    "comment_discussion",
    "create_branch",
    "create_commit",
    "create_commits_on_pr",
    "create_discussion",
    "create_pull_request",
    "create_repo",
    "create_tag",
    "dataset_info",
    "delete_branch",
    "delete_file",
    "delete_folder",
    "delete_repo",
    "delete_space_secret",
    "delete_tag",
    "duplicate_space",
    "edit_discussion_comment",
    "get_dataset_tags",
    "get_discussion_details",
    "get_full_repo_name",
    "get_model_tags",
    "get_repo_discussions",
    "get_space_runtime",
    "get_token_permission",
    "hf_hub_download",
    "hf_hub_url",
    "hide_discussion_comment",
    "like",
    "list_datasets",
    "list_files_info",
    "list_liked_repos",
    "list_metrics",
    "list_models",
    "list_repo_commits",
    "list_repo_files",
    "list_repo_refs",
    "list_spaces",
    "login",
    "logout",
    "merge_pull_request",
    "model_info",
    "move_repo",
    "pause_space",
    "plan_multi_commits",
    "rename_discussion",
    "repo_info",
    "request_space_hardware",
    "restart_space",
    "run_as_future",
    "set_space_sleep_time",
    "snapshot_download",
    "space_info",
    "try_to_load_from_cache",
    "unlike",
    "update_repo_visibility",
    "upload_file",
    "upload_folder",
    "whoami",
]

# The root functions: bound methods of one default client, created at import time (cheap:
# the client opens no connection until its first request).
_default_api = HfApi()

add_space_secret = _default_api.add_space_secret
change_discussion_status = _default_api.change_discussion_status
comment_discussion = _default_api.comment_discussion
create_branch = _default_api.create_branch
create_commit = _default_api.create_commit
create_commits_on_pr = _default_api.create_commits_on_pr
create_discussion = _default_api.create_discussion
create_pull_request = _default_api.create_pull_request
create_repo = _default_api.create_repo
create_tag = _default_api.create_tag
dataset_info = _default_api.dataset_info
delete_branch = _default_api.delete_branch
delete_file = _default_api.delete_file
delete_folder = _default_api.delete_folder
delete_repo = _default_api.delete_repo
delete_space_secret = _default_api.delete_space_secret
delete_tag = _default_api.delete_tag
duplicate_space = _default_api.duplicate_space
edit_discussion_comment = _default_api.edit_discussion_comment
get_dataset_tags = _default_api.get_dataset_tags
get_discussion_details = _default_api.get_discussion_details
get_full_repo_name = _default_api.get_full_repo_name
get_model_tags = _default_api.get_model_tags
get_repo_discussions = _default_api.get_repo_discussions
get_space_runtime = _default_api.get_space_runtime
get_token_permission = _default_api.get_token_permission
hide_discussion_comment = _default_api.hide_discussion_comment
like = _default_api.like
list_datasets = _default_api.list_datasets
list_files_info = _default_api.list_files_info
list_liked_repos = _default_api.list_liked_repos
list_metrics = _default_api.list_metrics
list_models = _default_api.list_models
list_repo_commits = _default_api.list_repo_commits
list_repo_files = _default_api.list_repo_files
list_repo_refs = _default_api.list_repo_refs
list_spaces = _default_api.list_spaces
merge_pull_request = _default_api.merge_pull_request
model_info = _default_api.model_info
move_repo = _default_api.move_repo
pause_space = _default_api.pause_space
rename_discussion = _default_api.rename_discussion
repo_info = _default_api.repo_info
request_space_hardware = _default_api.request_space_hardware
restart_space = _default_api.restart_space
run_as_future = _default_api.run_as_future
set_space_sleep_time = _default_api.set_space_sleep_time
space_info = _default_api.space_info
unlike = _default_api.unlike
update_repo_visibility = _default_api.update_repo_visibility
upload_file = _default_api.upload_file
upload_folder = _default_api.upload_folder
whoami = _default_api.whoami
