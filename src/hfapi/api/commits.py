"""Commits and uploads: create_commit, upload_file, upload_folder (deletions: :mod:`.deletes`)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    BinaryIO,
    Iterable,
    List,
    Literal,
    Optional,
    Union,
    overload,
)

from .. import constants
from .._validators import INVALID_REPO_TYPE, quote, validate_hub_args
from ._docs import with_commit_docs as _docs
from ._folders import FolderUpload, folder_operations, url_revision
from .deletes import DeletesMixin
from .multi_commits import MultiCommitsMixin

# The commit machinery (hashing, LFS transfers, thread pools) is imported by the methods
# that commit, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..commit.operations import CommitOperation, CommitOperationAdd, CommitOperationDelete
    from ..models.git import CommitInfo


#: Calls in flight at once for upload_folder and upload_file, which have no ``num_threads``
#: (create_commit's default) ...
_FOLDER_THREADS = 5
#: ... and how far their LFS transfers may widen while more of them are faster (a far Hub
#: whose connections are each held to a rate; see commit/concurrency.ParallelismProbe).
_ADAPTIVE_MAX_THREADS = 32
#: upload_folder's preupload calls in flight at once: small requests (256 paths each) that
#: would otherwise wait in rounds after the hashing ended (a 5,000-file folder at 50 ms:
#: 4 rounds of 5 calls, 0.3 s after the last file was hashed).
_FOLDER_PREUPLOAD_CALLS = 16


def _default_folder_message(path_in_repo: str) -> str:
    # The documented default names the destination; the root gets the 0.16.4 code's text.
    if path_in_repo:
        return f"Upload {path_in_repo} with huggingface_hub"
    return "Upload folder using huggingface_hub"


class CommitsMixin(DeletesMixin, MultiCommitsMixin):
    """Commit and upload methods of :class:`hfapi.HfApi`."""

    # The default call returns the result; run_as_future=True returns a Future of it.
    @overload
    def create_commit(
        self,
        repo_id: str,
        operations: Iterable[CommitOperation],
        *,
        commit_message: str,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        num_threads: int = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: Literal[False] = ...,
    ) -> CommitInfo: ...

    @overload
    def create_commit(
        self,
        repo_id: str,
        operations: Iterable[CommitOperation],
        *,
        commit_message: str,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        num_threads: int = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: Literal[True],
    ) -> Future[CommitInfo]: ...

    @overload
    def create_commit(
        self,
        repo_id: str,
        operations: Iterable[CommitOperation],
        *,
        commit_message: str,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        num_threads: int = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: bool = ...,
    ) -> Union[CommitInfo, Future[CommitInfo]]: ...

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
        from ._commit_engine import CommitFlow

        flow = CommitFlow(self)

        def job() -> CommitInfo:
            return flow.create(
                repo_id,
                operations,
                commit_message=commit_message,
                commit_description=commit_description,
                token=token,
                repo_type=repo_type,
                revision=revision,
                create_pr=create_pr,
                num_threads=num_threads,
                parent_commit=parent_commit,
            )

        return self.run_as_future(job) if run_as_future else job()

    # The default call returns the result; run_as_future=True returns a Future of it.
    @overload
    def upload_file(
        self,
        *,
        path_or_fileobj: Union[str, Path, bytes, BinaryIO],
        path_in_repo: str,
        repo_id: str,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: Literal[False] = ...,
    ) -> str: ...

    @overload
    def upload_file(
        self,
        *,
        path_or_fileobj: Union[str, Path, bytes, BinaryIO],
        path_in_repo: str,
        repo_id: str,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: Literal[True],
    ) -> Future[str]: ...

    @overload
    def upload_file(
        self,
        *,
        path_or_fileobj: Union[str, Path, bytes, BinaryIO],
        path_in_repo: str,
        repo_id: str,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        run_as_future: bool = ...,
    ) -> Union[str, Future[str]]: ...

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

        from ..commit.operations import CommitOperationAdd
        from ._commit_engine import CommitFlow

        def job() -> str:
            self._checked_repo_type(repo_type, INVALID_REPO_TYPE)
            operation = CommitOperationAdd(path_in_repo, path_or_fileobj)
            info = CommitFlow(self).create(
                repo_id,
                [operation],
                commit_message=(
                    f"Upload {path_in_repo} with huggingface_hub"
                    if commit_message is None
                    else commit_message
                ),
                commit_description=commit_description,
                token=token,
                repo_type=repo_type,
                revision=revision,
                create_pr=create_pr,
                parent_commit=parent_commit,
                num_threads=_FOLDER_THREADS,
                max_threads=_ADAPTIVE_MAX_THREADS,
            )
            return self._blob_url(repo_id, repo_type, info, revision, operation.path_in_repo)

        return self.run_as_future(job) if run_as_future else job()

    def _blob_url(
        self,
        repo_id: str,
        repo_type: Optional[str],
        info: CommitInfo,
        revision: Optional[str],
        path_in_repo: str,
    ) -> str:
        where = url_revision(info, revision)
        # The path where the file landed (the reference pastes the raw one: "/x" -> "//x").
        return f"{self._web_url(repo_id, repo_type)}/blob/{where}/{path_in_repo}"

    # The default call returns the result; run_as_future=True returns a Future of it.
    @overload
    def upload_folder(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        path_in_repo: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        allow_patterns: Optional[Union[List[str], str]] = ...,
        ignore_patterns: Optional[Union[List[str], str]] = ...,
        delete_patterns: Optional[Union[List[str], str]] = ...,
        multi_commits: bool = ...,
        multi_commits_verbose: bool = ...,
        run_as_future: Literal[False] = ...,
    ) -> str: ...

    @overload
    def upload_folder(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        path_in_repo: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        allow_patterns: Optional[Union[List[str], str]] = ...,
        ignore_patterns: Optional[Union[List[str], str]] = ...,
        delete_patterns: Optional[Union[List[str], str]] = ...,
        multi_commits: bool = ...,
        multi_commits_verbose: bool = ...,
        run_as_future: Literal[True],
    ) -> Future[str]: ...

    @overload
    def upload_folder(
        self,
        *,
        repo_id: str,
        folder_path: Union[str, Path],
        path_in_repo: Optional[str] = ...,
        commit_message: Optional[str] = ...,
        commit_description: Optional[str] = ...,
        token: Optional[str] = ...,
        repo_type: Optional[str] = ...,
        revision: Optional[str] = ...,
        create_pr: Optional[bool] = ...,
        parent_commit: Optional[str] = ...,
        allow_patterns: Optional[Union[List[str], str]] = ...,
        ignore_patterns: Optional[Union[List[str], str]] = ...,
        delete_patterns: Optional[Union[List[str], str]] = ...,
        multi_commits: bool = ...,
        multi_commits_verbose: bool = ...,
        run_as_future: bool = ...,
    ) -> Union[str, Future[str]]: ...

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
        """Upload a local folder in one commit (or several), optionally deleting remote files.

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
            multi_commits (`bool`): experimental; push the files in several commits of
                a draft pull request, resumable after an interruption, merged at the end
                unless ``create_pr`` (see :meth:`create_commits_on_pr`). Only to ``main``;
                ``parent_commit`` is not used then.
            multi_commits_verbose (`bool`): print the progress of a multi-commit upload.
            {run_as_future}

        Returns:
            ``{endpoint}/{prefix}{repo_id}/tree/{revision}/{path_in_repo}`` (revision
            ``refs%2Fpr%2FN`` for a new PR), or a ``Future`` of it.

        Raises:
            ValueError: bad ``repo_type``, ``folder_path`` not a directory, ``multi_commits``
                with another ``revision`` or nothing to commit.
            MultiCommitException: a multi-commit pull request does not match the upload.
            RepositoryNotFoundError, RevisionNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> api.upload_folder(repo_id="me/ds", folder_path="out", repo_type="dataset")
            'https://huggingface.co/datasets/me/ds/tree/main/'
        """

        def job() -> str:
            return self._upload_folder(
                FolderUpload(
                    repo_id=repo_id,
                    folder_path=folder_path,
                    path_in_repo=path_in_repo,
                    repo_type=repo_type,
                    revision=revision,
                    token=token,
                    create_pr=create_pr,
                    allow_patterns=allow_patterns,
                    ignore_patterns=ignore_patterns,
                    delete_patterns=delete_patterns,
                ),
                commit_message=commit_message or _default_folder_message(path_in_repo or ""),
                commit_description=commit_description,
                parent_commit=parent_commit,
                multi_commits=multi_commits,
                multi_commits_verbose=multi_commits_verbose,
            )

        return self.run_as_future(job) if run_as_future else job()

    def _upload_folder(
        self,
        upload: "FolderUpload",
        *,
        commit_message: str,
        commit_description: Optional[str],
        parent_commit: Optional[str],
        multi_commits: bool,
        multi_commits_verbose: bool,
    ) -> str:
        """``upload_folder`` in the calling thread: the operations, then one or more commits."""
        from ..commit.multi_commits import plan_multi_commits
        from ._commit_engine import CommitFlow

        self._checked_repo_type(upload.repo_type, INVALID_REPO_TYPE)
        if multi_commits and upload.revision not in (None, constants.DEFAULT_REVISION):
            raise ValueError("Multi-commits can only be pushed to the `main` branch.")
        # One commit: small contents are kept from hashing to sending. Several commits
        # would keep them until the last one, so there they are read again instead.
        deletions, chunks = folder_operations(self, upload, keep_contents=not multi_commits)
        if multi_commits:
            operations: List[Union[CommitOperationAdd, CommitOperationDelete]] = [*deletions]
            operations.extend(itertools.chain.from_iterable(chunks))
            # As the reference: default limits; `revision`/`parent_commit` play no part.
            addition_commits, deletion_commits = plan_multi_commits(operations)
            pr_url = self.create_commits_on_pr(
                repo_id=upload.repo_id,
                addition_commits=addition_commits,
                deletion_commits=deletion_commits,
                commit_message=commit_message,
                commit_description=commit_description,
                token=upload.token,
                repo_type=upload.repo_type,
                merge_pr=not upload.create_pr,
                verbose=multi_commits_verbose,
            )
            where = upload.revision or constants.DEFAULT_REVISION
            if upload.create_pr:
                where = quote(f"refs/pr/{pr_url.rsplit('/', 1)[-1]}")
        else:
            flow = CommitFlow(self)
            commit = flow.prepare(
                upload.repo_id,
                deletions,
                commit_message=commit_message,
                commit_description=commit_description,
                token=upload.token,
                repo_type=upload.repo_type,
                revision=upload.revision,
                create_pr=upload.create_pr,
                parent_commit=parent_commit,
            )
            # Each chunk's preupload call goes out while the next chunk is hashed.
            modes = flow.preupload(commit, chunks, num_threads=_FOLDER_PREUPLOAD_CALLS)
            info = flow.run(
                commit,
                num_threads=_FOLDER_THREADS,
                modes=modes,
                max_threads=_ADAPTIVE_MAX_THREADS,
            )
            where = url_revision(info, upload.revision)
        return (
            f"{self._web_url(upload.repo_id, upload.repo_type)}/tree/{where}/{upload.destination}"
        )
