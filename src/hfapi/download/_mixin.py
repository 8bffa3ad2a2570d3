"""``HfApi.hf_hub_download`` and ``HfApi.snapshot_download``: downloads as this client.

The methods use the instance's endpoint, token and user-agent; the root functions of
:mod:`hfapi.download.functions` build a client for each call, as the reference's
functions use the global endpoint.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union, cast

import requests

from .. import constants
from .._validators import check_positive_int, validate_hub_args, validate_repo_type
from ..api.files import FilesMixin
from ..auth import TokenArg
from ..errors import OfflineModeIsEnabled

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from .fetch import UseSymlinks
    from .transfer import Remote

__all__ = ["DownloadsMixin"]

PathArg = Union[str, Path, None]


def _refuse_unsupported(
    proxies: Optional[Dict[Any, Any]], force_filename: Optional[str], legacy: bool
) -> None:
    """Arguments of the reference that only its legacy layout or raw transport honour."""
    if legacy or force_filename is not None:
        raise ValueError(
            "`legacy_cache_layout` and `force_filename` (the pre-0.11 cache layout) are not"
            " supported by hfapi; use `local_dir` to choose where the file goes."
        )
    if proxies:
        raise ValueError(
            "`proxies` is not supported per call by hfapi: set HTTP(S)_PROXY, or configure"
            " a session with `hfapi.utils.configure_http_backend`."
        )


class DownloadsMixin(FilesMixin):
    """Downloads into the shared cache (see :mod:`hfapi.download`)."""

    def _remote(self, token: TokenArg) -> Remote:
        from .transfer import Remote

        return Remote(self._http, self.endpoint, self._user_agent(), self._resolve_token(token))

    @validate_hub_args
    def hf_hub_download(
        self,
        repo_id: str,
        filename: str,
        *,
        subfolder: Optional[str] = None,
        repo_type: Optional[str] = None,
        revision: Optional[str] = None,
        cache_dir: PathArg = None,
        local_dir: PathArg = None,
        local_dir_use_symlinks: UseSymlinks = "auto",
        force_download: bool = False,
        force_filename: Optional[str] = None,
        proxies: Optional[Dict[Any, Any]] = None,
        etag_timeout: float = constants.DEFAULT_ETAG_TIMEOUT,
        resume_download: bool = False,
        token: TokenArg = None,
        local_files_only: bool = False,
        legacy_cache_layout: bool = False,
    ) -> str:
        """Download one file into the cache (once) and return its local path.

        The file lands in ``{cache}/{type}s--{namespace}--{name}/snapshots/{commit}/``
        as a link to its blob; a file already cached is not downloaded again.

        Args:
            repo_id (`str`): the repository, ``namespace/name``.
            filename (`str`): the file's path in the repo.
            subfolder (`str`, *optional*): a folder prefixed to ``filename``.
            repo_type (`str`, *optional*): ``"model"`` (default), ``"dataset"``, ``"space"``.
            revision (`str`, *optional*): branch, tag or commit id; ``"main"`` by default.
            cache_dir (`str` or `Path`, *optional*): the cache; ``HF_HUB_CACHE`` by default.
            local_dir (`str` or `Path`, *optional*): also place the file there (same
                relative path) and return that path.
            local_dir_use_symlinks (`bool` or ``"auto"``): in ``local_dir``, link to the
                cache (``True``), copy (``"auto"`` for files up to 5 MB), or keep the
                file only there, not in the cache (``False``).
            force_download (`bool`): download again even if cached.
            force_filename (`str`, *optional*): the old layout; not supported.
            legacy_cache_layout (`bool`): the old layout; not supported.
            proxies (`dict`, *optional*): not supported per call (environment proxies apply).
            etag_timeout (`float`): seconds to wait for the file's metadata.
            resume_download (`bool`): accepted; an interrupted transfer always resumes.
            token (`str`, `bool`, *optional*): the token; the client's by default.
            local_files_only (`bool`): never use the network; answer from the cache.

        Returns:
            The local path of the file.

        Raises:
            RepositoryNotFoundError: as the Hub answers (also `GatedRepoError`).
            RevisionNotFoundError: as the Hub answers.
            EntryNotFoundError: as the Hub answers.
            LocalEntryNotFoundError: offline (or the Hub unreachable) and not cached.
            OSError: the content failed its size or SHA-256 check (nothing is kept).
            ValueError: a bad argument (before any request).

        Example:
            >>> path = api.hf_hub_download("gpt2", "config.json")
        """
        from .fetch import download_file, make_request

        _refuse_unsupported(proxies, force_filename, legacy_cache_layout)
        request = make_request(
            repo_id,
            filename,
            subfolder=subfolder,
            repo_type=repo_type,
            revision=revision,
            cache_dir=cache_dir,
            local_dir=local_dir,
            local_dir_use_symlinks=local_dir_use_symlinks,
            force_download=force_download,
            local_files_only=local_files_only,
            etag_timeout=etag_timeout,
        )
        return download_file(self._remote(token), request)

    @validate_hub_args
    def snapshot_download(
        self,
        repo_id: str,
        *,
        revision: Optional[str] = None,
        repo_type: Optional[str] = None,
        cache_dir: PathArg = None,
        local_dir: PathArg = None,
        local_dir_use_symlinks: UseSymlinks = "auto",
        proxies: Optional[Dict[Any, Any]] = None,
        etag_timeout: float = constants.DEFAULT_ETAG_TIMEOUT,
        resume_download: bool = False,
        force_download: bool = False,
        token: TokenArg = None,
        local_files_only: bool = False,
        allow_patterns: Union[List[str], str, None] = None,
        ignore_patterns: Union[List[str], str, None] = None,
        max_workers: int = 8,
        tqdm_class: Optional[Any] = None,
    ) -> str:
        """Download every file of a revision (those not cached yet) and return its folder.

        Files are fetched by ``max_workers`` threads under one progress bar; files
        the snapshot already holds are skipped without a request.

        ``repo_id``, ``revision``, ``repo_type``, ``cache_dir``, ``local_dir``,
        ``local_dir_use_symlinks``, ``etag_timeout``, ``resume_download``,
        ``force_download``, ``token``, ``local_files_only`` and ``proxies`` are as in
        :meth:`hf_hub_download`.

        Args:
            allow_patterns (`str` or `List[str]`, *optional*): fetch only matching files.
            ignore_patterns (`str` or `List[str]`, *optional*): skip matching files.
            max_workers (`int`): parallel transfers (8).
            tqdm_class (*optional*): the progress bar class (hfapi's by default).

        Returns:
            The snapshot folder in the cache, or ``local_dir`` when given.

        Raises:
            RepositoryNotFoundError: as the Hub answers (also `GatedRepoError`).
            RevisionNotFoundError: as the Hub answers.
            LocalEntryNotFoundError: offline (or the Hub unreachable) and no snapshot of
                that revision is cached.

        Example:
            >>> folder = api.snapshot_download("gpt2", allow_patterns="*.json")
        """
        from .cache import RepoCache, cache_root, relative_filename, repo_folder_name
        from .fetch import FileRequest, check_use_symlinks, download_file
        from .snapshot import cached_snapshot, fetch_all

        _refuse_unsupported(proxies, None, False)
        check_positive_int("max_workers", max_workers)
        check_use_symlinks(local_dir_use_symlinks)
        kind = validate_repo_type(repo_type, f"Invalid repo type: {repo_type!r}")
        cache = RepoCache(cache_root(cache_dir), repo_folder_name(repo_id, kind))
        wanted = revision or constants.DEFAULT_REVISION
        what = f"{kind} {repo_id!r}"
        if local_files_only or constants.HF_HUB_OFFLINE:
            return cached_snapshot(cache, wanted, what, None)
        try:
            commit, names = self._snapshot_listing(
                repo_id, kind, wanted, token, allow_patterns, ignore_patterns
            )
        except (requests.ConnectionError, requests.Timeout, OfflineModeIsEnabled) as error:
            return cached_snapshot(cache, wanted, what, error)
        cache.write_ref(wanted, commit)
        os.makedirs(cache.snapshot(commit), exist_ok=True)
        template = FileRequest(
            repo_id=repo_id,
            repo_type=kind,
            filename="",
            revision=commit,
            cache=cache,
            local_dir=None if local_dir is None else os.path.expanduser(str(local_dir)),
            use_symlinks=local_dir_use_symlinks,
            force_download=force_download,
            local_files_only=False,
            etag_timeout=etag_timeout,
            show_progress=False,
            skip_if_cached=True,
        )
        remote = self._remote(token)
        import dataclasses  # here, not at import time (issue 14: import cost)

        def fetch_one(name: str) -> str:
            request = dataclasses.replace(template, filename=relative_filename(name, None))
            return download_file(remote, request)

        fetch_all(fetch_one, names, max_workers=max_workers, tqdm_class=tqdm_class)
        if local_dir is not None:
            return os.path.expanduser(str(local_dir))
        return cache.snapshot(commit)

    def _snapshot_listing(
        self,
        repo_id: str,
        kind: str,
        revision: str,
        token: TokenArg,
        allow_patterns: Union[List[str], str, None],
        ignore_patterns: Union[List[str], str, None],
    ) -> Tuple[str, List[str]]:
        """The commit ``revision`` points at, and the files to fetch from it."""
        from ..commit.patterns import filter_paths

        # ``repo_info`` is annotated ``Optional[str]`` (the reference's signature) but
        # resolves a bool token like every method.
        info = self.repo_info(
            repo_id, repo_type=kind, revision=revision, token=cast(Optional[str], token)
        )
        if not info.sha:
            raise OSError(f"The Hub did not say which commit {revision!r} of {repo_id!r} is.")
        names = filter_paths(
            [sibling.rfilename for sibling in info.siblings or []],
            allow_patterns=allow_patterns,
            ignore_patterns=ignore_patterns,
        )
        return info.sha, names
