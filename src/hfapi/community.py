"""Discussions and pull requests: the data classes, under the reference's module name.

``from huggingface_hub.community import DiscussionComment`` becomes
``from hfapi.community import DiscussionComment``.
"""

from __future__ import annotations

from .models.community import (
    Discussion,
    DiscussionComment,
    DiscussionCommit,
    DiscussionEvent,
    DiscussionStatusChange,
    DiscussionTitleChange,
    DiscussionWithDetails,
    deserialize_event,
)

__all__ = [
    "Discussion",
    "DiscussionComment",
    "DiscussionCommit",
    "DiscussionEvent",
    "DiscussionStatusChange",
    "DiscussionTitleChange",
    "DiscussionWithDetails",
    "deserialize_event",
]
