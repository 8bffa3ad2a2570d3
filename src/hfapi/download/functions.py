"""The reference's download functions at the package root: ``hf_hub_download``,
``snapshot_download``, ``hf_hub_url`` and ``try_to_load_from_cache``.

They speak to the global endpoint (``HF_ENDPOINT``, read at import), as the reference's
do; each call builds a short-lived :class:`~hfapi.HfApi` carrying its
``library_name``/``user_agent``, whose methods do the work.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from .. import constants
from .._validators import validate_hub_args, validate_repo_type
from ..auth import TokenArg
from ..hf_api import HfApi
from ._mixin import PathArg
from .cache import CachedNoExist, RepoCache, cache_root, relative_filename, repo_folder_name
from .fetch import UseSymlinks, file_url

__all__ = ["hf_hub_download", "hf_hub_url", "snapshot_download", "try_to_load_from_cache"]


def hf_hub_url(
    repo_id: str,
    filename: str,
    *,
    subfolder: Optional[str] = None,
    repo_type: Optional[str] = None,
    revision: Optional[str] = None,
) -> str:
    """The download URL of a file: ``{endpoint}/{prefix}{repo_id}/resolve/{rev}/{file}``.

    The revision is fully percent-encoded (``refs/pr/1`` → ``refs%2Fpr%2F1``); the
    file name keeps its slashes. Nothing is sent.

    Args:
        repo_id (`str`): the repository.
        filename (`str`): the file's path in the repo.
        subfolder (`str`, *optional*): a folder prefixed to ``filename``.
        repo_type (`str`, *optional*): ``"model"`` (default), ``"dataset"``, ``"space"``.
        revision (`str`, *optional*): ``"main"`` by default.

    Returns:
        The URL.

    Raises:
        ValueError: an unknown repo type.

    Example:
        >>> hf_hub_url("gpt2", "config.json")
        'https://huggingface.co/gpt2/resolve/main/config.json'
    """
    kind = validate_repo_type(repo_type, "Invalid repo type")
    path = f"{subfolder}/{filename}" if subfolder else filename
    return file_url(constants.ENDPOINT, repo_id, path, repo_type=kind, revision=revision)


@validate_hub_args
def hf_hub_download(
    repo_id: str,
    filename: str,
    *,
    subfolder: Optional[str] = None,
    repo_type: Optional[str] = None,
    revision: Optional[str] = None,
    library_name: Optional[str] = None,
    library_version: Optional[str] = None,
    cache_dir: PathArg = None,
    local_dir: PathArg = None,
    local_dir_use_symlinks: UseSymlinks = "auto",
    user_agent: Union[Dict[str, str], str, None] = None,
    force_download: bool = False,
    force_filename: Optional[str] = None,
    proxies: Optional[Dict[Any, Any]] = None,
    etag_timeout: float = constants.DEFAULT_ETAG_TIMEOUT,
    resume_download: bool = False,
    token: TokenArg = None,
    local_files_only: bool = False,
    legacy_cache_layout: bool = False,
) -> str:
    """Download one file into the cache and return its path (see :meth:`HfApi.hf_hub_download`).

    ``library_name``, ``library_version`` and ``user_agent`` go into the user-agent;
    every other argument is the method's.

    Example:
        >>> hf_hub_download("gpt2", "config.json")
    """
    api = HfApi(library_name=library_name, library_version=library_version, user_agent=user_agent)
    return api.hf_hub_download(
        repo_id,
        filename,
        subfolder=subfolder,
        repo_type=repo_type,
        revision=revision,
        cache_dir=cache_dir,
        local_dir=local_dir,
        local_dir_use_symlinks=local_dir_use_symlinks,
        force_download=force_download,
        force_filename=force_filename,
        proxies=proxies,
        etag_timeout=etag_timeout,
        resume_download=resume_download,
        token=token,
        local_files_only=local_files_only,
        legacy_cache_layout=legacy_cache_layout,
    )


@validate_hub_args
def snapshot_download(
    repo_id: str,
    *,
    revision: Optional[str] = None,
    repo_type: Optional[str] = None,
    cache_dir: PathArg = None,
    local_dir: PathArg = None,
    local_dir_use_symlinks: UseSymlinks = "auto",
    library_name: Optional[str] = None,
    library_version: Optional[str] = None,
    user_agent: Union[Dict[str, str], str, None] = None,
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
    """Download a whole revision and return its folder (see :meth:`HfApi.snapshot_download`).

    Example:
        >>> snapshot_download("gpt2", allow_patterns="*.json")
    """
    api = HfApi(library_name=library_name, library_version=library_version, user_agent=user_agent)
    return api.snapshot_download(
        repo_id,
        revision=revision,
        repo_type=repo_type,
        cache_dir=cache_dir,
        local_dir=local_dir,
        local_dir_use_symlinks=local_dir_use_symlinks,
        proxies=proxies,
        etag_timeout=etag_timeout,
        resume_download=resume_download,
        force_download=force_download,
        token=token,
        local_files_only=local_files_only,
        allow_patterns=allow_patterns,
        ignore_patterns=ignore_patterns,
        max_workers=max_workers,
        tqdm_class=tqdm_class,
    )


def try_to_load_from_cache(
    repo_id: str,
    filename: str,
    cache_dir: PathArg = None,
    revision: Optional[str] = None,
    repo_type: Optional[str] = None,
) -> Union[str, CachedNoExist, None]:
    """Look a file up in the cache, without any network.

    Args:
        repo_id (`str`): the repository.
        filename (`str`): the file's path in the repo.
        cache_dir (`str` or `Path`, *optional*): the cache; ``HF_HUB_CACHE`` by default.
        revision (`str`, *optional*): branch, tag or commit id; ``"main"`` by default.
        repo_type (`str`, *optional*): ``"model"`` (default), ``"dataset"``, ``"space"``.

    Returns:
        The cached file's path; ``_CACHED_NO_EXIST`` when the cache knows the file does
        not exist at that revision; ``None`` when the cache cannot tell.

    Raises:
        ValueError: an unknown repo type, or a path leaving the repo.

    Example:
        >>> path = try_to_load_from_cache("gpt2", "config.json")
        >>> if isinstance(path, str): print(open(path).read())
    """
    kind = validate_repo_type(repo_type, f"Invalid repo type: {repo_type}")
    cache = RepoCache(cache_root(cache_dir), repo_folder_name(repo_id, kind))
    return cache.lookup(revision or constants.DEFAULT_REVISION, relative_filename(filename, None))
