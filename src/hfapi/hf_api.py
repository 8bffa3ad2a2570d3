"""``HfApi``: the client class, assembled from one mixin per domain.

This module also re-exports the data classes and errors, so that imports written
for the reference client (``from huggingface_hub.hf_api import ModelInfo``) have an
``hfapi.hf_api`` equivalent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names
from .api._base import _ApiBase
from .api.commits import CommitsMixin
from .api.discussions import DiscussionsMixin
from .api.files import FilesMixin
from .api.refs import RefsMixin
from .api.repos import ReposMixin
from .api.search import SearchMixin
from .api.spaces import SpacesMixin
from .api.users import UsersMixin
from .download._mixin import DownloadsMixin
from .errors import (
    BadRequestError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    MultiCommitException,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

if TYPE_CHECKING:  # imported on first access, see _LAZY below
    from .api.search_arguments import DatasetSearchArguments, ModelSearchArguments
    from .commit import (
        CommitOperation,
        CommitOperationAdd,
        CommitOperationCopy,
        CommitOperationDelete,
    )
    from .commit.multi_commits import plan_multi_commits
    from .models import (
        BlobLfsInfo,
        CommitInfo,
        DatasetFilter,
        DatasetInfo,
        DatasetTags,
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
        ModelTags,
        RepoFile,
        RepoUrl,
        SpaceHardware,
        SpaceInfo,
        SpaceRuntime,
        SpaceStage,
        UserLikes,
        repo_type_and_id_from_hf_id,
    )

#: The re-exported data classes and commit operations, imported when first read so that
#: ``import hfapi`` does not pay for them (issue 14).
_LAZY = {
    **dict.fromkeys(
        ["DatasetSearchArguments", "ModelSearchArguments"], "hfapi.api.search_arguments"
    ),
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
    **dict.fromkeys(
        [
            "BlobLfsInfo",
            "CommitInfo",
            "DatasetFilter",
            "DatasetInfo",
            "DatasetTags",
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
            "ModelTags",
            "RepoFile",
            "RepoUrl",
            "SpaceHardware",
            "SpaceInfo",
            "SpaceRuntime",
            "SpaceStage",
            "UserLikes",
            "repo_type_and_id_from_hf_id",
        ],
        "hfapi.models",
    ),
}
__getattr__, __dir__ = lazy_names(__name__, globals(), _LAZY)

__all__ = [
    "BadRequestError",
    "BlobLfsInfo",
    "CommitInfo",
    "CommitOperation",
    "CommitOperationAdd",
    "CommitOperationCopy",
    "CommitOperationDelete",
    "DatasetFilter",
    "DatasetInfo",
    "DatasetSearchArguments",
    "DatasetTags",
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
    "HfApi",
    "HfHubHTTPError",
    "MetricInfo",
    "ModelFilter",
    "ModelInfo",
    "ModelSearchArguments",
    "ModelTags",
    "MultiCommitException",
    "RepoFile",
    "RepoUrl",
    "RepositoryNotFoundError",
    "RevisionNotFoundError",
    "SpaceHardware",
    "SpaceInfo",
    "SpaceRuntime",
    "SpaceStage",
    "UserLikes",
    "plan_multi_commits",
    "repo_type_and_id_from_hf_id",
]


class HfApi(
    ReposMixin,
    DownloadsMixin,
    FilesMixin,
    RefsMixin,
    CommitsMixin,
    DiscussionsMixin,
    SpacesMixin,
    UsersMixin,
    SearchMixin,
    _ApiBase,
):
    """Client for the Hugging Face Hub HTTP API.

    Every method is also available at the package root (``hfapi.model_info(...)``),
    bound to a default client that uses ``HF_ENDPOINT`` and the stored token.

    Args:
        endpoint (`str`, *optional*): base URL of the Hub; ``HF_ENDPOINT`` or
            ``https://huggingface.co`` by default.
        token (`str`, *optional*): token sent by every call of this client (not saved
            on disk); the stored token is used when absent.
        library_name (`str`, *optional*): name of the library calling the Hub, sent in
            the user-agent.
        library_version (`str`, *optional*): its version.
        user_agent (`str` or `dict`, *optional*): extra user-agent parts.

    Attributes:
        timeout: default ``(connect, read)`` timeout in seconds of every request.

    Example:
        >>> api = HfApi(endpoint="http://127.0.0.1:8080", token="hf_xxx")
        >>> api.create_repo("alice/demo")
    """
