"""Commits and uploads: create_commit, upload_file, upload_folder, delete_file, delete_folder."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO, Dict, Iterable, List, Optional, Union

from .. import constants
from .._validators import INVALID_REPO_TYPE, normalize_repo_path, quote, validate_hub_args
from ..commit.operations import CommitOperation, CommitOperationAdd, CommitOperationDelete
from ..commit.patterns import (
    DEFAULT_IGNORE_PATTERNS,
    as_pattern_list,
    filter_paths,
    list_local_files,
    remote_paths_to_delete,
)
from ..models.git import CommitInfo
from ._commit_engine import _CommitEngine
from ._docs import F, with_shared_docs

#: Threads hashing the large files of an upload_folder (hashlib releases the GIL).
_HASH_WORKERS = min(8, os.cpu_count() or 1)
#: Files smaller than this are hashed in the calling thread: for small files a thread
#: hand-off costs more than the hashing (measured: 0.75 s vs 0.2 s for 5,000 files).
_PARALLEL_HASH_MIN_SIZE = 4 * 1024 * 1024

_COMMIT_DOCS = {
    "commit_description": "commit_description (`str`, *optional*): the commit's longer"
    " description.",
    "create_pr": "create_pr (`bool`, *optional*): open a pull request with the commit instead"
    " of pushing to ``revision`` (the branch the PR targets).",
    "parent_commit": "parent_commit (`str`, *optional*): commit id (5 to 40 hex characters)"
    " the branch must still be at, else the Hub refuses the commit (412); with"
    " ``create_pr``, the PR is based on it.",
    "run_as_future": "run_as_future (`bool`, *optional*): run on the client's background"
    " worker (jobs run one at a time, in order) and return a ``Future``.",
}


def _docs(func: F) -> F:
    """Shared parameter texts: the project-wide ones, then the commit ones."""
    func = with_shared_docs(func)
    if func.__doc__:
        for key, text in _COMMIT_DOCS.items():
            func.__doc__ = func.__doc__.replace("{" + key + "}", text)
    return func


def _default_folder_message(path_in_repo: str) -> str:
    # The documented default names the destination; the root gets the 0.16.4 code's text.
    if path_in_repo:
        return f"Upload {path_in_repo} with huggingface_hub"
    return "Upload folder using huggingface_hub"


class CommitsMixin(_CommitEngine):
    """Commit and upload methods of :class:`hfapi.HfApi`."""

    @validate_hub_args
    @_docs
    def create_commit(
        self,
        repo_id: str,
        operations: Iterable[CommitOperation],
        *,
        commit_message: str,
        commit_description: Optional[str] = None,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        create_pr: Optional[bool] = None,
        num_threads: int = 5,
        parent_commit: Optional[str] = None,
        run_as_future: bool = False,
    ) -> Union[CommitInfo, Future[CommitInfo]]:
        """Create one commit that adds, deletes and copies files (the repo must exist).

        Flow: preupload (the Hub says which additions go to LFS) → copy sources → LFS
        batch and transfers (parallel, retried, never authenticated towards storage) →
        the commit itself (never retried).

        Args:
            {repo_id}
            operations (`Iterable[CommitOperation]`): :class:`CommitOperationAdd`,
                :class:`CommitOperationDelete` and :class:`CommitOperationCopy` objects
                (any iterable, read once), committed in this order.
            commit_message (`str`): the commit's summary line; must not be empty.
            {commit_description}
            {token}
            {repo_type}
            revision (`str`, *optional*): branch to commit to; ``main`` by default.
            {create_pr}
            num_threads (`int`, *optional*): simultaneous LFS transfers, parts of one
                large file included (5 by default, 1 to 256).
            {parent_commit}
            {run_as_future}

        Returns:
            :class:`CommitInfo` (or a ``Future`` of it).

        Raises:
            ValueError: bad ``parent_commit``, empty message, bad ``repo_type``, no write
                token, or an answer from the Hub that is not understood.
            RepositoryNotFoundError: the repo does not exist or is not visible.
            EntryNotFoundError: a deleted path or a copy source does not exist.
            NotImplementedError: a copy source is not an LFS file.
            RuntimeError: an LFS transfer failed (the original error is the cause).
            SourceChangedError: a local file changed since it was hashed (an ``OSError``).
            CommitNotAppliedError: the answer was lost and the branch shows the commit
                was not applied (a ``requests.ConnectionError``; safe to retry).
            CommitOutcomeUnknownError: the answer was lost and whether the commit was
                applied cannot be told (a ``requests.ConnectionError``; check the URL
                in the message before retrying). When the answer is lost but the
                commit landed, its :class:`CommitInfo` is returned.
            HfHubHTTPError: any other Hub error (412 when ``parent_commit`` is stale).

        Example:
            >>> ops = [CommitOperationAdd("a.txt", b"hi"), CommitOperationDelete("old/")]
            >>> api.create_commit("me/repo", ops, commit_message="Refresh").oid
        """
        kwargs = _forwarded(locals())
        if run_as_future:
            return self.run_as_future(self._create_commit, **kwargs)
        return self._create_commit(**kwargs)

    @validate_hub_args
    @_docs
    def upload_file(
        self,
        *,
        path_or_fileobj: Union[str, Path, bytes, BinaryIO],
        path_in_repo: str,
        repo_id: str,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        commit_message: Optional[str] = None,
        commit_description: Optional[str] = None,
        create_pr: Optional[bool] = None,
        parent_commit: Optional[str] = None,
        run_as_future: bool = False,
    ) -> Union[str, Future[str]]:
        """Upload one file (a path, bytes or a binary stream; up to 50 GB) in one commit.

        Args:
            path_or_fileobj (`str`, `Path`, `bytes` or `BinaryIO`): the content.
            path_in_repo (`str`): destination, e.g. ``"checkpoints/weights.bin"``.
            {repo_id}
            {token}
            {repo_type}
            revision (`str`, *optional*): branch to commit to; ``main`` by default.
            commit_message (`str`, *optional*): default
                ``Upload <path_in_repo> with huggingface_hub``.
            {commit_description}
            {create_pr}
            {parent_commit}
            {run_as_future}

        Returns:
            ``{endpoint}/{prefix}{repo_id}/blob/{revision}/{path_in_repo}`` (revision
            ``refs%2Fpr%2FN`` for a new PR), or a ``Future`` of it.

        Raises:
            ValueError: invalid argument or content (see :class:`CommitOperationAdd`).
            RepositoryNotFoundError, RevisionNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> api.upload_file(path_or_fileobj="w.bin", path_in_repo="w.bin", repo_id="me/m")
            'https://huggingface.co/me/m/blob/main/w.bin'
        """
        kwargs = _forwarded(locals())
        if run_as_future:
            return self.run_as_future(self._upload_file, **kwargs)
        return self._upload_file(**kwargs)

    def _upload_file(
        self,
        *,
        path_or_fileobj: Union[str, Path, bytes, BinaryIO],
        path_in_repo: str,
        repo_id: str,
        repo_type: Optional[str],
        revision: Optional[str],
        commit_message: Optional[str],
        **commit_args: Any,
    ) -> str:
        self._checked_repo_type(repo_type, INVALID_REPO_TYPE)
        operation = CommitOperationAdd(path_in_repo=path_in_repo, path_or_fileobj=path_or_fileobj)
        if commit_message is None:
            commit_message = f"Upload {path_in_repo} with huggingface_hub"
        info = self._create_commit(
            repo_id,
            [operation],
            commit_message=commit_message,
            repo_type=repo_type,
            revision=revision,
            **commit_args,
        )
        where = _url_revision(info, revision)
        # The path where the file landed (the reference pastes the raw one: "/x" -> "//x").
        return f"{self._web_url(repo_id, repo_type)}/blob/{where}/{operation.path_in_repo}"

    @validate_hub_args
    @_docs
    def upload_folder(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        path_in_repo: Optional[str] = None,
        commit_message: Optional[str] = None,
        commit_description: Optional[str] = None,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        create_pr: Optional[bool] = None,
        parent_commit: Optional[str] = None,
        allow_patterns: Optional[Union[List[str], str]] = None,
        ignore_patterns: Optional[Union[List[str], str]] = None,
        delete_patterns: Optional[Union[List[str], str]] = None,
        multi_commits: bool = False,
        multi_commits_verbose: bool = False,
        run_as_future: bool = False,
    ) -> Union[str, Future[str]]:
        """Upload a local folder in one commit, optionally deleting remote files.

        Patterns are shell wildcards on the path relative to the folder (``*`` crosses
        ``/``); ``.git`` folders are always skipped and ``.gitignore`` is not read.
        Remote files under ``path_in_repo`` that match ``delete_patterns`` are deleted in
        the same commit, except ``.gitattributes`` and files being uploaded again.

        Args:
            {repo_id}
            folder_path (`str` or `Path`): the local folder.
            path_in_repo (`str`, *optional*): destination folder; the root by default.
            commit_message (`str`, *optional*): ``Upload {path_in_repo} with huggingface_hub``
                by default (``Upload folder using huggingface_hub`` for the root).
            {commit_description}
            {token}
            {repo_type}
            revision (`str`, *optional*): branch to commit to; ``main`` by default.
            {create_pr}
            {parent_commit}
            allow_patterns (`List[str]` or `str`, *optional*): upload only matching files.
            ignore_patterns (`List[str]` or `str`, *optional*): skip matching files.
            delete_patterns (`List[str]` or `str`, *optional*): delete matching remote files.
            multi_commits (`bool`): not supported yet (raises ``NotImplementedError``).
            multi_commits_verbose (`bool`): only meaningful with ``multi_commits``.
            {run_as_future}

        Returns:
            ``{endpoint}/{prefix}{repo_id}/tree/{revision}/{path_in_repo}`` (revision
            ``refs%2Fpr%2FN`` for a new PR), or a ``Future`` of it.

        Raises:
            ValueError: bad ``repo_type``, ``folder_path`` not a directory.
            NotImplementedError: ``multi_commits=True``.
            RepositoryNotFoundError, RevisionNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> api.upload_folder(repo_id="me/ds", folder_path="out", repo_type="dataset")
            'https://huggingface.co/datasets/me/ds/tree/main/'
        """
        kwargs = _forwarded(locals())
        if run_as_future:
            return self.run_as_future(self._upload_folder, **kwargs)
        return self._upload_folder(**kwargs)

    def _upload_folder(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        path_in_repo: Optional[str],
        commit_message: Optional[str],
        token: Optional[str],
        repo_type: Optional[str],
        revision: Optional[str],
        create_pr: Optional[bool],
        allow_patterns: Optional[Union[List[str], str]],
        ignore_patterns: Optional[Union[List[str], str]],
        delete_patterns: Optional[Union[List[str], str]],
        multi_commits: bool,
        multi_commits_verbose: bool,
        **commit_args: Any,
    ) -> str:
        self._checked_repo_type(repo_type, INVALID_REPO_TYPE)
        if multi_commits:
            if revision is not None and revision != constants.DEFAULT_REVISION:
                raise ValueError("Multi-commits can only be pushed to the `main` branch.")
            raise NotImplementedError(
                "`multi_commits=True` is not supported by hfapi yet: upload the folder in one"
                " commit (multi_commits=False), or in several `upload_folder` calls selecting"
                " files with `allow_patterns`."
            )
        folder = _local_folder(folder_path)
        destination = normalize_repo_path(path_in_repo or "", folder=True)
        prefix = f"{destination}/" if destination else ""
        # A new list: the caller's is not modified (the reference extends it in place).
        ignore = (as_pattern_list(ignore_patterns) or []) + DEFAULT_IGNORE_PATTERNS

        to_delete: List[str] = []
        if delete_patterns is not None:
            listed = constants.DEFAULT_REVISION if create_pr else revision
            url = self._repo_api_url(
                repo_id, repo_type, "tree", quote(listed or constants.DEFAULT_REVISION)
            )
            params = {"recursive": True, "expand": False}
            entries = self._paginate(url, token=token, params=params)
            to_delete = remote_paths_to_delete(entries, prefix, delete_patterns)

        relpaths = filter_paths(
            list_local_files(folder), allow_patterns=allow_patterns, ignore_patterns=ignore
        )

        def addition(relpath: str) -> CommitOperationAdd:
            return CommitOperationAdd(prefix + relpath, os.path.join(folder, relpath))

        large = [
            relpath
            for relpath in relpaths
            if os.path.getsize(os.path.join(folder, relpath)) >= _PARALLEL_HASH_MIN_SIZE
        ]
        by_path: Dict[str, CommitOperationAdd] = {}
        if len(large) > 1 and _HASH_WORKERS > 1:
            with ThreadPoolExecutor(_HASH_WORKERS, thread_name_prefix="hfapi-hash") as pool:
                by_path.update(zip(large, pool.map(addition, large)))
        additions = [by_path.get(relpath) or addition(relpath) for relpath in relpaths]
        added = {op.path_in_repo for op in additions}
        operations: List[CommitOperation] = [
            CommitOperationDelete(path, is_folder=False) for path in to_delete if path not in added
        ]
        operations.extend(additions)
        info = self._create_commit(
            repo_id,
            operations,
            commit_message=commit_message or _default_folder_message(path_in_repo or ""),
            token=token,
            repo_type=repo_type,
            revision=revision,
            create_pr=create_pr,
            **commit_args,
        )
        where = _url_revision(info, revision)
        return f"{self._web_url(repo_id, repo_type)}/tree/{where}/{destination}"

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
        kwargs = _forwarded(locals(), "path_in_repo", "commit_message")
        if commit_message is None:
            commit_message = f"Delete {path_in_repo} with huggingface_hub"
        operation = CommitOperationDelete(path_in_repo)
        return self._create_commit(operations=[operation], commit_message=commit_message, **kwargs)

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
        kwargs = _forwarded(locals(), "path_in_repo", "commit_message")
        if commit_message is None:
            commit_message = f"Delete folder {path_in_repo} with huggingface_hub"
        operation = CommitOperationDelete(path_in_repo, is_folder=True)
        return self._create_commit(operations=[operation], commit_message=commit_message, **kwargs)


def _local_folder(folder_path: Union[str, Path]) -> str:
    """The absolute, resolved folder to upload, or a clear error."""
    if not isinstance(folder_path, (str, os.PathLike)):
        raise TypeError(f"`folder_path` must be a str or Path, not {type(folder_path).__name__}.")
    # realpath("") is the working directory: an empty string must not upload it.
    if str(folder_path) == "":
        raise ValueError(
            "`folder_path` is empty: pass the folder to upload ('.' for the current one)."
        )
    folder = os.path.realpath(os.path.expanduser(str(folder_path)))
    if not os.path.isdir(folder):
        raise ValueError(f"Provided path: '{folder}' is not a directory")
    return folder


def _url_revision(info: CommitInfo, revision: Optional[str]) -> str:
    """Revision segment of a returned web URL: the new PR (encoded), else as given."""
    if info.pr_revision is not None:
        return quote(info.pr_revision)
    return revision or constants.DEFAULT_REVISION


def _forwarded(scope: Dict[str, Any], *dropped: str) -> Dict[str, Any]:
    """A method's arguments (its ``locals()`` at entry) to pass on as keywords."""
    skip = {"self", "run_as_future", *dropped}
    return {name: value for name, value in scope.items() if name not in skip}
