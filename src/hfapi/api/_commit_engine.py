"""The commit flow behind ``create_commit``: preupload, copies, LFS, the commit call.

:class:`CommitFlow` is an object with one narrow dependency, a :class:`CommitClient`
(the client's endpoint, session, request helpers and URL builders), so that
``create_commit``, the steps of a multi-commit pull request and a scheduler can all
drive the same flow with typed arguments. It holds no state of its own: every request
goes through the client's ``_request`` / ``_paginate``.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Optional, Protocol, Sequence, Tuple, cast

import requests

from .. import constants
from .._session import USE_CLIENT_DEFAULT, HubSession, Timeout, TimeoutArg
from .._validators import INVALID_REPO_TYPE, quote, validate_repo_type
from ..auth import TokenArg
from ..commit.concurrency import map_ordered
from ..commit.lfs import lfs_batch_url, request_lfs_uploads, upload_lfs_files
from ..commit.operations import (
    CommitOperation,
    CommitOperationAdd,
    CommitOperationCopy,
    CommitOperationDelete,
    warn_on_overwriting_operations,
)
from ..commit.outcome import (
    HISTORY_DEPTH,
    CommitOutcomeUnknownError,
    Search,
    expected_tree,
    find_landed_commit,
    lost_answer_message,
    not_sent_error,
    tree_matches,
    unlanded_error,
)
from ..commit.payload import (
    commit_body,
    copy_key,
    copy_source_oids,
    effective_upload_mode,
    parse_preupload_answer,
    preupload_payload,
)
from ..errors import EntryNotFoundError, RepositoryNotFoundError
from ..models.git import CommitInfo

logger = logging.getLogger("hfapi.commit")

_COMMIT_OID_RE = re.compile(r"[A-Fa-f0-9]{5,40}")
_REPO_MUST_EXIST = (
    "\nNote: a commit needs an existing repository. If it does not exist yet, create it"
    " first with `create_repo`."
)
_FOLDER_DELETE_HINT = (
    "\nNote: to delete a folder, pass a path ending with '/' or `is_folder=True` to"
    " CommitOperationDelete."
)


class CommitClient(Protocol):
    """What the commit flow needs from a client (``HfApi`` is one)."""

    endpoint: str

    @property
    def timeout(self) -> Timeout: ...

    @property
    def _http(self) -> HubSession: ...

    def _user_agent(self) -> str: ...

    def _resolve_token(self, token: TokenArg, *, write: bool = False) -> Optional[str]: ...

    def _repo_api_url(self, repo_id: str, repo_type: Optional[str], *segments: str) -> str: ...

    def _web_url(self, repo_id: str, repo_type: Optional[str]) -> str: ...

    def _request(
        self,
        method: str,
        url: str,
        *,
        token: TokenArg = None,
        write: bool = False,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        headers: Optional[Dict[str, str]] = None,
        **kwargs: Any,
    ) -> requests.Response: ...

    def _paginate(
        self,
        url: str,
        *,
        token: TokenArg = None,
        params: Optional[Any] = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> Iterator[Any]: ...


@dataclass
class PreparedCommit:
    """The checked inputs of one commit, handed from step to step of the flow."""

    repo_id: str
    repo_type: Optional[str]
    target: str
    params: Optional[Dict[str, str]]
    operations: List[CommitOperation]
    commit_message: str
    commit_description: Optional[str]
    parent_commit: Optional[str]
    token: str

    @property
    def additions(self) -> List[CommitOperationAdd]:
        return [op for op in self.operations if isinstance(op, CommitOperationAdd)]


class CommitFlow:
    """One commit, from checked operations to :class:`CommitInfo`.

    Args:
        client: the client whose endpoint, session and token the flow uses.

    Example:
        >>> CommitFlow(api).create("me/repo", ops, commit_message="Add files").oid
    """

    def __init__(self, client: CommitClient) -> None:
        self._client = client

    def create(
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
        max_threads: Optional[int] = None,
    ) -> CommitInfo:
        """Check the inputs, then run the commit (see :meth:`HfApi.create_commit`).

        ``max_threads`` (above ``num_threads``) lets the LFS transfers grow their
        parallelism while it pays (for callers without a ``num_threads`` of their own).
        """
        commit = self.prepare(
            repo_id,
            operations,
            commit_message=commit_message,
            commit_description=commit_description,
            token=token,
            repo_type=repo_type,
            revision=revision,
            create_pr=create_pr,
            parent_commit=parent_commit,
        )
        return self.run(commit, num_threads=num_threads, max_threads=max_threads)

    def prepare(
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
        parent_commit: Optional[str] = None,
    ) -> PreparedCommit:
        """Check a commit's inputs before anything is sent.

        Raises:
            ValueError: bad ``parent_commit``, empty message, bad ``repo_type``, or no
                personal token.
        """
        if parent_commit is not None and not _COMMIT_OID_RE.fullmatch(parent_commit):
            raise ValueError(
                f"`parent_commit` is not a valid commit id: {parent_commit!r}. It must match"
                f" the regex {_COMMIT_OID_RE.pattern}."
            )
        if not commit_message:
            raise ValueError("`commit_message` can't be empty, please pass a value.")
        validate_repo_type(repo_type, INVALID_REPO_TYPE)
        commit = PreparedCommit(
            repo_id=repo_id,
            repo_type=repo_type,
            target=revision if revision is not None else constants.DEFAULT_REVISION,
            params={"create_pr": "1"} if create_pr else None,
            operations=list(operations),
            commit_message=commit_message,
            commit_description=commit_description,
            parent_commit=parent_commit,
            # Checked before anything is sent (the reference checks it only when the
            # commit itself is built, after possibly gigabytes of uploads).
            token=cast(str, self._client._resolve_token(token, write=True)),
        )
        warn_on_overwriting_operations(commit.operations)
        return commit

    def run(
        self,
        commit: PreparedCommit,
        *,
        num_threads: int = 5,
        modes: Optional[Dict[str, str]] = None,
        max_threads: Optional[int] = None,
    ) -> CommitInfo:
        """Preupload, copy sources, LFS transfers, then the commit call itself.

        Args:
            modes: the preupload answers when :meth:`preupload` already ran.
            max_threads: how far the LFS transfers may widen (see :meth:`create`).
        """
        if modes is None:
            step = constants.PREUPLOAD_CHUNK_SIZE
            additions = commit.additions
            chunks = (additions[start : start + step] for start in range(0, len(additions), step))
            modes = self.preupload(commit, chunks, num_threads, record=False)
        copies = [op for op in commit.operations if isinstance(op, CommitOperationCopy)]
        sources = self._copy_sources(
            commit.repo_id, commit.repo_type, commit.target, copies, commit.token
        )
        copy_oids = copy_source_oids(copies, sources, commit.target)
        self._upload_lfs(commit, modes, num_threads, max_threads)
        return self._send_commit(commit, modes, copy_oids)

    def preupload(
        self,
        commit: "PreparedCommit",
        chunks: Iterable[List[CommitOperationAdd]],
        num_threads: int,
        *,
        record: bool = True,
    ) -> Dict[str, str]:
        """Ask the Hub how each addition is uploaded: ``{path: "lfs" | "regular"}``.

        One call per chunk (at most 256 additions each); up to ``num_threads`` of them
        in flight at once (they are independent), their answers merged in order. The
        chunks are read lazily, so a caller hashing files chunk by chunk overlaps the
        hashing of later files with the calls for earlier ones.

        Args:
            chunks: the additions, in commit order, a chunk per call.
            record: append each chunk's additions to ``commit.operations`` as it comes.
        """
        url = self._client._repo_api_url(
            commit.repo_id, commit.repo_type, "preupload", quote(commit.target)
        )

        def ask(chunk: List[CommitOperationAdd]) -> Dict[str, str]:
            response = self._client._request(
                "POST",
                url,
                token=commit.token,
                params=commit.params,
                json=preupload_payload(chunk),
                retry=True,
            )
            return parse_preupload_answer(response.json())

        def recorded(chunk: List[CommitOperationAdd]) -> List[CommitOperationAdd]:
            commit.operations.extend(chunk)
            return chunk

        if record:
            chunks = (recorded(chunk) for chunk in chunks)
        modes: Dict[str, str] = {}
        try:
            for answer in map_ordered(ask, chunks, num_threads):
                modes.update(answer)
        except RepositoryNotFoundError as err:
            err.append_to_message(_REPO_MUST_EXIST)
            raise
        return modes

    def _upload_lfs(
        self,
        commit: "PreparedCommit",
        modes: Dict[str, str],
        num_threads: int,
        max_threads: Optional[int],
    ) -> None:
        """Negotiate and send the LFS-bound additions that the storage lacks."""
        lfs_additions = [op for op in commit.additions if effective_upload_mode(op, modes) == "lfs"]
        if not lfs_additions:
            return
        uploads = request_lfs_uploads(
            self._client._http,
            batch_url=lfs_batch_url(self._client.endpoint, commit.repo_id, commit.repo_type),
            additions=lfs_additions,
            token=commit.token,
            headers={"user-agent": self._client._user_agent()},
            timeout=self._client.timeout,
            max_workers=num_threads,
        )
        upload_lfs_files(
            self._client._http,
            uploads,
            token=commit.token,
            endpoint=self._client.endpoint,
            num_threads=num_threads,
            timeout=self._client.timeout,
            max_threads=max_threads,
        )

    def _send_commit(
        self, commit: "PreparedCommit", modes: Dict[str, str], copy_oids: Dict[str, str]
    ) -> CommitInfo:
        """The commit call itself, and what it returns or raises."""
        body = commit_body(
            commit.operations,
            modes,
            copy_oids,
            commit_message=commit.commit_message,
            commit_description=commit.commit_description,
            parent_commit=commit.parent_commit,
        )
        try:
            response = self._client._request(
                "POST",
                self._client._repo_api_url(
                    commit.repo_id, commit.repo_type, "commit", quote(commit.target)
                ),
                token=commit.token,
                write=True,
                params=commit.params,
                data=body,
                headers={"Content-Type": "application/x-ndjson"},
                timeout=constants.COMMIT_TIMEOUT,
                retry=False,  # not idempotent: a lost answer must not create a second commit
                endpoint_name="commit",
            )
        except RepositoryNotFoundError as err:
            err.append_to_message(_REPO_MUST_EXIST)
            raise
        except EntryNotFoundError as err:
            has_deletes = any(isinstance(op, CommitOperationDelete) for op in commit.operations)
            if has_deletes and "A file with this name doesn't exist" in str(err):
                err.append_to_message(_FOLDER_DELETE_HINT)
            raise
        except (requests.ConnectionError, requests.Timeout) as error:
            if not body.fully_read:
                raise not_sent_error(error) from error  # the Hub never got it all
            return self._lost_commit_outcome(commit, error, modes, copy_oids)
        answer = response.json()
        return CommitInfo(
            commit_url=answer["commitUrl"],
            commit_message=commit.commit_message,
            commit_description=commit.commit_description or "",
            oid=answer["commitOid"],
            pr_url=answer["pullRequestUrl"] if commit.params else None,
        )

    def _lost_commit_outcome(
        self,
        commit: PreparedCommit,
        error: requests.RequestException,
        modes: Dict[str, str],
        copy_oids: Dict[str, str],
    ) -> CommitInfo:
        """After the commit's answer was lost: the landed commit, or a truthful error.

        Reads the branch's recent history and, for the commit that can be ours, the
        state of every touched path (read-only calls, sent only after such a failure).

        Raises:
            CommitNotAppliedError: the branch shows the commit was not applied.
            CommitOutcomeUnknownError: it cannot be told (a pull request was asked
                for, the reads failed, the answer timed out and the commit is not
                there yet, or the evidence is ambiguous).
        """
        web = self._client._web_url(commit.repo_id, commit.repo_type)
        lost = lost_answer_message(error)
        if commit.params:  # create_pr: the new pull request cannot be found back
            raise CommitOutcomeUnknownError(
                f"{lost}: could not tell whether the commit was applied (a pull request may"
                f" have been opened): check {web}/discussions before retrying.",
                request=error.request,
            ) from error
        history_url = f"{web}/commits/{quote(commit.target)}"
        try:
            search, matches = self._search_lost_commit(commit, modes, copy_oids)
        except (requests.RequestException, OSError, ValueError, KeyError, TypeError) as failure:
            raise CommitOutcomeUnknownError(
                f"{lost}, and reading the branch failed too ({type(failure).__name__}): could"
                f" not tell whether the commit was applied: check {history_url} before"
                " retrying.",
                request=error.request,
            ) from error
        if search.oid is not None and search.conclusive and matches:
            logger.warning("%s, but the commit landed: %s", lost, search.oid)
            return CommitInfo(
                commit_url=f"{web}/commit/{search.oid}",
                commit_message=commit.commit_message,
                commit_description=commit.commit_description or "",
                oid=search.oid,
                pr_url=None,
            )
        raise unlanded_error(search, error, commit.target, history_url) from error

    def _search_lost_commit(
        self, commit: PreparedCommit, modes: Dict[str, str], copy_oids: Dict[str, str]
    ) -> Tuple[Search, bool]:
        """The commit that can be ours, and whether its tree is the expected one."""
        url = self._client._repo_api_url(
            commit.repo_id, commit.repo_type, "commits", quote(commit.target)
        )
        listing = self._client._paginate(url, token=commit.token)
        history = list(itertools.islice(listing, HISTORY_DEPTH))
        search = find_landed_commit(history, commit.commit_message, commit.parent_commit)
        if search.oid is None:
            return search, False
        expected = expected_tree(commit.operations, modes, copy_oids)
        paths = sorted(expected)
        url = self._client._repo_api_url(commit.repo_id, commit.repo_type, "paths-info", search.oid)
        entries: List[Any] = []
        for start in range(0, len(paths), constants.PATHS_INFO_CHUNK_SIZE):
            chunk = paths[start : start + constants.PATHS_INFO_CHUNK_SIZE]
            response = self._client._request(
                "POST", url, token=commit.token, data={"paths": chunk}, retry=True
            )
            entries.extend(response.json())
        return search, tree_matches(expected, entries)

    def _copy_sources(
        self,
        repo_id: str,
        repo_type: Optional[str],
        target: str,
        copies: Sequence[CommitOperationCopy],
        token: str,
    ) -> Dict[str, Dict[str, Any]]:
        """paths-info entries of the copy sources, keyed by :func:`copy_key`.

        One request per run of consecutive copies with the same ``src_revision``, 500
        paths each. A folder is listed recursively, as the reference client does (its
        files never match a requested path, so a folder source ends as "missing").
        """
        found: Dict[str, Dict[str, Any]] = {}
        for _, run in itertools.groupby(copies, key=lambda op: op.src_revision):
            group = list(run)
            rev = quote(group[0].src_revision or target)
            url = self._client._repo_api_url(repo_id, repo_type, "paths-info", rev)
            for start in range(0, len(group), constants.PATHS_INFO_CHUNK_SIZE):
                chunk = group[start : start + constants.PATHS_INFO_CHUNK_SIZE]
                response = self._client._request(
                    "POST",
                    url,
                    token=token,
                    data={"paths": [op.src_path_in_repo for op in chunk], "expand": True},
                    retry=True,
                )
                entries: List[Dict[str, Any]] = []
                for entry in response.json():
                    if entry.get("type", "file") == "file":
                        entries.append(entry)
                        continue
                    folder = self._client._repo_api_url(
                        repo_id, repo_type, "tree", rev, quote(entry["path"])
                    )
                    listing = self._client._paginate(
                        folder, token=token, params={"recursive": True, "expand": False}
                    )
                    entries.extend(item for item in listing if item.get("type") == "file")
                found.update((copy_key(group[0], e["path"]), e) for e in entries)
        return found
