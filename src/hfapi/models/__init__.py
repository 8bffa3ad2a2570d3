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
from .space import SpaceHardware, SpaceRuntime, SpaceStage
from .user import UserLikes

__all__ = [
    "BlobLfsInfo",
    "CommitInfo",
    "DatasetInfo",
    "Discussion",
    "DiscussionComment",
    "DiscussionCommit",
    "DiscussionEvent",
    "DiscussionStatusChange",
    "DiscussionTitleChange",
    "DiscussionWithDetails",
    "GitCommitInfo",
    "GitRefInfo",
    "GitRefs",
    "HubObject",
    "ModelInfo",
    "RepoFile",
    "RepoUrl",
    "SpaceHardware",
    "SpaceInfo",
    "SpaceRuntime",
    "SpaceStage",
    "UserLikes",
    "deserialize_event",
    "discussion_details_from_json",
    "discussion_from_json",
    "parse_datetime",
    "repo_file_from_entry",
    "repo_type_and_id_from_hf_id",
]
