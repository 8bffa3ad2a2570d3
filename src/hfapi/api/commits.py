"""Commits and uploads: create_commit, upload_file, upload_folder, delete_file, delete_folder."""

from __future__ import annotations

from ._base import _ApiBase


class CommitsMixin(_ApiBase):
    """Commit and upload methods of :class:`hfapi.HfApi` (placeholder, being written)."""
