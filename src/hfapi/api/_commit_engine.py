"""The commit flow behind ``create_commit``: preupload, copies, LFS, the commit call.

Kept apart from the public methods (``api/commits.py``) so that each module stays
small; ``CommitsMixin`` inherits it. Like every mixin it has no state of its own and
sends everything through ``_ApiBase._request`` / ``_paginate``.
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Dict, Iterable, List, Optional, Sequence, cast

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

_COMMIT_OID_RE = re.compile(r"[A-Fa-f0-9]{5,40}")
_REPO_MUST_EXIST = (
    "\nNote: a commit needs an existing repository. If it does not exist yet, create it"
    " first with `create_repo`."
)
_FOLDER_DELETE_HINT = (
    "\nNote: to delete a folder, pass a path ending with '/' or `is_folder=True` to"
    " CommitOperationDelete."
)


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
        target = revision if revision is not None else constants.DEFAULT_REVISION
        params = {"create_pr": "1"} if create_pr else None
        operations = list(operations)
        warn_on_overwriting_operations(operations)
        additions = [op for op in operations if isinstance(op, CommitOperationAdd)]
        copies = [op for op in operations if isinstance(op, CommitOperationCopy)]
        # Checked before anything is sent (the reference checks it only when the commit
        # itself is built, after possibly gigabytes of uploads).
        write_token = cast(str, self._resolve_token(token, write=True))

        modes: Dict[str, str] = {}
        step = constants.PREUPLOAD_CHUNK_SIZE
        for start in range(0, len(additions), step):
            try:
                response = self._request(
                    "POST",
                    self._repo_api_url(repo_id, repo_type, "preupload", quote(target)),
                    token=write_token,
                    params=params,
                    json=preupload_payload(additions[start : start + step]),
                    retry=True,
                )
            except RepositoryNotFoundError as err:
                err.append_to_message(_REPO_MUST_EXIST)
                raise
            modes.update(parse_preupload_answer(response.json()))

        copy_oids = copy_source_oids(
            copies, self._copy_sources(repo_id, repo_type, target, copies, write_token), target
        )

        lfs_additions = [op for op in additions if effective_upload_mode(op, modes) == "lfs"]
        if lfs_additions:
            uploads = request_lfs_uploads(
                self._http,
                batch_url=lfs_batch_url(self.endpoint, repo_id, repo_type),
                additions=lfs_additions,
                token=write_token,
                headers={"user-agent": self._user_agent()},
                timeout=self.timeout,
            )
            upload_lfs_files(
                self._http,
                uploads,
                token=write_token,
                endpoint=self.endpoint,
                num_threads=num_threads,
                timeout=self.timeout,
            )

        body = commit_body(
            operations,
            modes,
            copy_oids,
            commit_message=commit_message,
            commit_description=commit_description,
            parent_commit=parent_commit,
        )
        try:
            response = self._request(
                "POST",
                self._repo_api_url(repo_id, repo_type, "commit", quote(target)),
                token=write_token,
                write=True,
                params=params,
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
            has_deletes = any(isinstance(op, CommitOperationDelete) for op in operations)
            if has_deletes and "A file with this name doesn't exist" in str(err):
                err.append_to_message(_FOLDER_DELETE_HINT)
            raise
        answer = response.json()
        return CommitInfo(
            commit_url=answer["commitUrl"],
            commit_message=commit_message,
            commit_description=commit_description or "",
            oid=answer["commitOid"],
            pr_url=answer["pullRequestUrl"] if create_pr else None,
        )

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
