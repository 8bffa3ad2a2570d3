"""Typed data classes returned by the client, one module per domain."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:  # imported on first access, see _LAZY below
    from ._fields import HubObject, parse_datetime
    from .community import (
        Discussion,
        DiscussionComment,
        DiscussionCommit,
        DiscussionEvent,
        DiscussionStatusChange,
        DiscussionTitleChange,
        DiscussionWithDetails,
        deserialize_event,
        discussion_details_from_json,
        discussion_from_json,
    )
    from .git import CommitInfo, GitCommitInfo, GitRefInfo, GitRefs
    from .repo import (
        BlobLfsInfo,
        DatasetInfo,
        ModelInfo,
        RepoFile,
        RepoUrl,
        SpaceInfo,
        repo_file_from_entry,
        repo_type_and_id_from_hf_id,
    )
    from .search import (
        AttributeDictionary,
        DatasetFilter,
        DatasetTags,
        GeneralTags,
        MetricInfo,
        ModelFilter,
        ModelTags,
        dataset_filter_query,
        model_filter_query,
    )
    from .space import SpaceHardware, SpaceRuntime, SpaceStage
    from .user import UserLikes

#: Each data class is imported with its domain's module when first read: a script that
#: only reads model infos does not pay for the discussion classes (issue 14).
_LAZY = {
    **dict.fromkeys(["HubObject", "parse_datetime"], "hfapi.models._fields"),
    **dict.fromkeys(
        [
            "Discussion",
            "DiscussionComment",
            "DiscussionCommit",
            "DiscussionEvent",
            "DiscussionStatusChange",
            "DiscussionTitleChange",
            "DiscussionWithDetails",
            "deserialize_event",
            "discussion_details_from_json",
            "discussion_from_json",
        ],
        "hfapi.models.community",
    ),
    **dict.fromkeys(["CommitInfo", "GitCommitInfo", "GitRefInfo", "GitRefs"], "hfapi.models.git"),
    **dict.fromkeys(
        [
            "BlobLfsInfo",
            "DatasetInfo",
            "ModelInfo",
            "RepoFile",
            "RepoUrl",
            "SpaceInfo",
            "repo_file_from_entry",
            "repo_type_and_id_from_hf_id",
        ],
        "hfapi.models.repo",
    ),
    **dict.fromkeys(
        [
            "AttributeDictionary",
            "DatasetFilter",
            "DatasetTags",
            "GeneralTags",
            "MetricInfo",
            "ModelFilter",
            "ModelTags",
            "dataset_filter_query",
            "model_filter_query",
        ],
        "hfapi.models.search",
    ),
    **dict.fromkeys(["SpaceHardware", "SpaceRuntime", "SpaceStage"], "hfapi.models.space"),
    **dict.fromkeys(["UserLikes"], "hfapi.models.user"),
}
__getattr__, __dir__ = lazy_names(__name__, globals(), _LAZY)

__all__ = [
    "AttributeDictionary",
    "BlobLfsInfo",
    "CommitInfo",
    "DatasetFilter",
    "DatasetInfo",
    "DatasetTags",
    "Discussion",
    "DiscussionComment",
    "DiscussionCommit",
    "DiscussionEvent",
    "DiscussionStatusChange",
    "DiscussionTitleChange",
    "DiscussionWithDetails",
    "GeneralTags",
    "GitCommitInfo",
    "GitRefInfo",
    "GitRefs",
    "HubObject",
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
    "dataset_filter_query",
    "deserialize_event",
    "discussion_details_from_json",
    "discussion_from_json",
    "model_filter_query",
    "parse_datetime",
    "repo_file_from_entry",
    "repo_type_and_id_from_hf_id",
]
