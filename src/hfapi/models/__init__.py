"""Typed data classes returned by the client, one module per domain."""

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
