"""The commit flow behind ``create_commit``: preupload, copies, LFS, the commit call.

Kept apart from the public methods (``api/commits.py``) so that each module stays
small; ``CommitsMixin`` inherits it. Like every mixin it has no state of its own and
sends everything through ``_ApiBase._request`` / ``_paginate``.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, cast

import requests

from .. import constants
from .._validators import INVALID_REPO_TYPE, quote
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
from ._base import _ApiBase

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


@dataclass
class _Commit:
    """The fixed inputs of one ``create_commit`` call, handed from step to step."""

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


class _CommitEngine(_ApiBase):
    """Private half of :class:`CommitsMixin`: the commit flow itself."""

    def _create_commit(
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
    ) -> CommitInfo:
        """:meth:`create_commit` in the calling thread (see its documentation)."""
        if parent_commit is not None and not _COMMIT_OID_RE.fullmatch(parent_commit):
            raise ValueError(
                f"`parent_commit` is not a valid commit id: {parent_commit!r}. It must match"
                f" the regex {_COMMIT_OID_RE.pattern}."
            )
        if not commit_message:
            raise ValueError("`commit_message` can't be empty, please pass a value.")
        self._checked_repo_type(repo_type, INVALID_REPO_TYPE)
        commit = _Commit(
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
            token=cast(str, self._resolve_token(token, write=True)),
        )
        warn_on_overwriting_operations(commit.operations)
        modes = self._preupload(commit)
        copies = [op for op in commit.operations if isinstance(op, CommitOperationCopy)]
        copy_oids = copy_source_oids(
            copies,
            self._copy_sources(repo_id, repo_type, commit.target, copies, commit.token),
            commit.target,
        )
        self._upload_lfs(commit, modes, num_threads)
        return self._send_commit(commit, modes, copy_oids)

    def _preupload(self, commit: "_Commit") -> Dict[str, str]:
        """Ask the Hub how each addition is uploaded: ``{path: "lfs" | "regular"}``."""
        additions = commit.additions
        modes: Dict[str, str] = {}
        step = constants.PREUPLOAD_CHUNK_SIZE
        url = self._repo_api_url(
            commit.repo_id, commit.repo_type, "preupload", quote(commit.target)
        )
        for start in range(0, len(additions), step):
            try:
                response = self._request(
                    "POST",
                    url,
                    token=commit.token,
                    params=commit.params,
                    json=preupload_payload(additions[start : start + step]),
                    retry=True,
                )
            except RepositoryNotFoundError as err:
                err.append_to_message(_REPO_MUST_EXIST)
                raise
            modes.update(parse_preupload_answer(response.json()))
        return modes

    def _upload_lfs(self, commit: "_Commit", modes: Dict[str, str], num_threads: int) -> None:
        """Negotiate and send the LFS-bound additions that the storage lacks."""
        lfs_additions = [op for op in commit.additions if effective_upload_mode(op, modes) == "lfs"]
        if not lfs_additions:
            return
        uploads = request_lfs_uploads(
            self._http,
            batch_url=lfs_batch_url(self.endpoint, commit.repo_id, commit.repo_type),
            additions=lfs_additions,
            token=commit.token,
            headers={"user-agent": self._user_agent()},
            timeout=self.timeout,
        )
        upload_lfs_files(
            self._http,
            uploads,
            token=commit.token,
            endpoint=self.endpoint,
            num_threads=num_threads,
            timeout=self.timeout,
        )

    def _send_commit(
        self, commit: "_Commit", modes: Dict[str, str], copy_oids: Dict[str, str]
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
            response = self._request(
                "POST",
                self._repo_api_url(
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
        commit: _Commit,
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
        web = self._web_url(commit.repo_id, commit.repo_type)
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
        self, commit: _Commit, modes: Dict[str, str], copy_oids: Dict[str, str]
    ) -> Tuple[Search, bool]:
        """The commit that can be ours, and whether its tree is the expected one."""
        url = self._repo_api_url(commit.repo_id, commit.repo_type, "commits", quote(commit.target))
        listing = self._paginate(url, token=commit.token)
        history = list(itertools.islice(listing, HISTORY_DEPTH))
        search = find_landed_commit(history, commit.commit_message, commit.parent_commit)
        if search.oid is None:
            return search, False
        expected = expected_tree(commit.operations, modes, copy_oids)
        paths = sorted(expected)
        url = self._repo_api_url(commit.repo_id, commit.repo_type, "paths-info", search.oid)
        entries: List[Any] = []
        for start in range(0, len(paths), constants.PATHS_INFO_CHUNK_SIZE):
            chunk = paths[start : start + constants.PATHS_INFO_CHUNK_SIZE]
            response = self._request(
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
            url = self._repo_api_url(repo_id, repo_type, "paths-info", rev)
            for start in range(0, len(group), constants.PATHS_INFO_CHUNK_SIZE):
                chunk = group[start : start + constants.PATHS_INFO_CHUNK_SIZE]
                response = self._request(
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
                    folder = self._repo_api_url(
                        repo_id, repo_type, "tree", rev, quote(entry["path"])
                    )
                    listing = self._paginate(
                        folder, token=token, params={"recursive": True, "expand": False}
                    )
                    entries.extend(item for item in listing if item.get("type") == "file")
                found.update((copy_key(group[0], e["path"]), e) for e in entries)
        return found
