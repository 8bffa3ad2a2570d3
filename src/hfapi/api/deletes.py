"""Deleting files and folders in a commit: delete_file, delete_folder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from .._validators import validate_hub_args
from ._base import _ApiBase
from ._docs import with_commit_docs as _docs

if TYPE_CHECKING:
    from ..models.git import CommitInfo


class DeletesMixin(_ApiBase):
    """Deletion methods of :class:`hfapi.HfApi` (each one commit of delete operations)."""

    @validate_hub_args
    @_docs
    def delete_file(
        self,
        path_in_repo: str,
        repo_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        commit_message: Optional[str] = None,
        commit_description: Optional[str] = None,
        create_pr: Optional[bool] = None,
        parent_commit: Optional[str] = None,
    ) -> CommitInfo:
        """Delete one file in a commit (a path ending with ``/`` deletes a folder).

        Args:
            path_in_repo (`str`): the file, e.g. ``"checkpoints/weights.bin"``.
            {repo_id}
            {token}
            {repo_type}
            revision (`str`, *optional*): branch to commit to; ``main`` by default.
            commit_message (`str`, *optional*): default
                ``Delete <path_in_repo> with huggingface_hub``.
            {commit_description}
            {create_pr}
            {parent_commit}

        Returns:
            :class:`CommitInfo`.

        Raises:
            ValueError: invalid path or argument.
            EntryNotFoundError: the file does not exist.
            RepositoryNotFoundError, RevisionNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> api.delete_file("old.txt", "me/repo").commit_url
            'https://huggingface.co/me/repo/commit/...'
        """
        from ..commit.operations import CommitOperationDelete
        from ._commit_engine import CommitFlow

        if commit_message is None:
            commit_message = f"Delete {path_in_repo} with huggingface_hub"
        return CommitFlow(self).create(
            repo_id,
            [CommitOperationDelete(path_in_repo)],
            commit_message=commit_message,
            commit_description=commit_description,
            token=token,
            repo_type=repo_type,
            revision=revision,
            create_pr=create_pr,
            parent_commit=parent_commit,
        )

    @validate_hub_args
    @_docs
    def delete_folder(
        self,
        path_in_repo: str,
        repo_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        commit_message: Optional[str] = None,
        commit_description: Optional[str] = None,
        create_pr: Optional[bool] = None,
        parent_commit: Optional[str] = None,
    ) -> CommitInfo:
        """Delete a folder and everything below it in a commit.

        Args:
            path_in_repo (`str`): the folder, e.g. ``"checkpoints/1fec34a"``.
            {repo_id}
            {token}
            {repo_type}
            revision (`str`, *optional*): branch to commit to; ``main`` by default.
            commit_message (`str`, *optional*): default
                ``Delete folder <path_in_repo> with huggingface_hub``.
            {commit_description}
            {create_pr}
            {parent_commit}

        Returns:
            :class:`CommitInfo`.

        Raises:
            ValueError: invalid path or argument.
            RepositoryNotFoundError, RevisionNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> api.delete_folder("logs", "me/repo").oid
            '5c1c...'
        """
        from ..commit.operations import CommitOperationDelete
        from ._commit_engine import CommitFlow

        if commit_message is None:
            commit_message = f"Delete folder {path_in_repo} with huggingface_hub"
        return CommitFlow(self).create(
            repo_id,
            [CommitOperationDelete(path_in_repo, is_folder=True)],
            commit_message=commit_message,
            commit_description=commit_description,
            token=token,
            repo_type=repo_type,
            revision=revision,
            create_pr=create_pr,
            parent_commit=parent_commit,
        )
