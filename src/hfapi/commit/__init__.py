"""Commit machinery: operations, request bodies, LFS transfers, upload patterns."""

from .operations import (
    CommitOperation,
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    UploadInfo,
)

__all__ = [
    "CommitOperation",
    "CommitOperationAdd",
    "CommitOperationCopy",
    "CommitOperationDelete",
    "UploadInfo",
]
