"""Settings read from the environment once, at import time, plus fixed Hub facts.

The variable names and their meaning are the reference client's, so that a machine
configured for it (``HF_ENDPOINT``, ``HF_HOME``, ``HUGGING_FACE_HUB_TOKEN``...) keeps
working unchanged.
"""

from __future__ import annotations

import os
from typing import Dict, Optional, Tuple

__version__ = "0.1.0"

#: Version of the reference client whose protocol hfapi speaks (sent in the user-agent).
HF_HUB_COMPAT_VERSION = "0.16.4"

_TRUTHY = {"1", "ON", "YES", "TRUE"}


def is_truthy(value: Optional[str]) -> bool:
    """Tell whether an environment value means "on" (``1``, ``ON``, ``YES``, ``TRUE``)."""
    return value is not None and value.upper() in _TRUTHY


def _env_flag(*names: str) -> bool:
    return any(is_truthy(os.environ.get(name)) for name in names)


PRODUCTION_ENDPOINT = "https://huggingface.co"
STAGING_ENDPOINT = "https://hub-ci.huggingface.co"

_STAGING_MODE = _env_flag("HUGGINGFACE_CO_STAGING")
#: Base URL of the Hub, used verbatim (no trailing-slash normalisation).
ENDPOINT: str = os.environ.get("HF_ENDPOINT") or (
    STAGING_ENDPOINT if _STAGING_MODE else PRODUCTION_ENDPOINT
)
INFERENCE_ENDPOINT: str = os.environ.get(
    "HF_INFERENCE_ENDPOINT", "https://api-inference.huggingface.co"
)

_default_home = os.path.join(
    os.environ.get("XDG_CACHE_HOME", os.path.join("~", ".cache")), "huggingface"
)
HF_HOME: str = os.path.expanduser(os.environ.get("HF_HOME", _default_home))
HUGGINGFACE_HUB_CACHE: str = os.environ.get("HUGGINGFACE_HUB_CACHE", os.path.join(HF_HOME, "hub"))
#: The download cache; ``HF_HUB_CACHE`` (the newer name) wins over ``HUGGINGFACE_HUB_CACHE``.
HF_HUB_CACHE: str = os.environ.get("HF_HUB_CACHE") or HUGGINGFACE_HUB_CACHE
HUGGINGFACE_ASSETS_CACHE: str = os.environ.get(
    "HUGGINGFACE_ASSETS_CACHE", os.path.join(HF_HOME, "assets")
)

#: Where the stored token lives, and where older releases kept it.
TOKEN_PATH: str = os.path.join(HF_HOME, "token")
LEGACY_TOKEN_PATH: str = os.path.expanduser(os.path.join("~", ".huggingface", "token"))
TOKEN_ENV_VAR = "HUGGING_FACE_HUB_TOKEN"

HF_HUB_DISABLE_IMPLICIT_TOKEN: bool = _env_flag("HF_HUB_DISABLE_IMPLICIT_TOKEN")
HF_HUB_DISABLE_TELEMETRY: bool = _env_flag("HF_HUB_DISABLE_TELEMETRY", "DISABLE_TELEMETRY")
HF_HUB_OFFLINE: bool = _env_flag("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
HF_HUB_DISABLE_PROGRESS_BARS: Optional[bool] = (
    is_truthy(os.environ["HF_HUB_DISABLE_PROGRESS_BARS"])
    if "HF_HUB_DISABLE_PROGRESS_BARS" in os.environ
    else None
)
HF_HUB_DISABLE_EXPERIMENTAL_WARNING: bool = _env_flag("HF_HUB_DISABLE_EXPERIMENTAL_WARNING")
#: ``local_dir_use_symlinks="auto"`` links files larger than this (bytes), copies the others.
HF_HUB_LOCAL_DIR_AUTO_SYMLINK_THRESHOLD: int = int(
    os.environ.get("HF_HUB_LOCAL_DIR_AUTO_SYMLINK_THRESHOLD") or 5 * 1024 * 1024
)
#: Seconds ``hf_hub_download`` waits for a file's metadata (the ``etag_timeout`` default).
DEFAULT_ETAG_TIMEOUT = 10
#: Response headers describing a file to download.
HEADER_X_REPO_COMMIT = "X-Repo-Commit"
HEADER_X_LINKED_ETAG = "X-Linked-Etag"
HEADER_X_LINKED_SIZE = "X-Linked-Size"

REPO_TYPE_MODEL = "model"
REPO_TYPE_DATASET = "dataset"
REPO_TYPE_SPACE = "space"
REPO_TYPES: Tuple[Optional[str], ...] = (None, REPO_TYPE_MODEL, REPO_TYPE_DATASET, REPO_TYPE_SPACE)
#: Prefix of a repo's web URL (models have none).
REPO_TYPES_URL_PREFIXES: Dict[str, str] = {
    REPO_TYPE_DATASET: "datasets/",
    REPO_TYPE_SPACE: "spaces/",
}
SPACES_SDK_TYPES: Tuple[str, ...] = ("gradio", "streamlit", "docker", "static")

DEFAULT_REVISION = "main"

#: Default (connect, read) timeout in seconds for every request. The reference sends most
#: requests without any timeout, so a dead connection can hang a script forever.
DEFAULT_TIMEOUT: Tuple[float, float] = (10.0, 60.0)
#: The commit call may legitimately take long on the server side (big trees, many LFS files).
COMMIT_TIMEOUT: Tuple[float, float] = (10.0, 600.0)

#: Operations per preupload / LFS batch request (the Hub answers 413 above this).
PREUPLOAD_CHUNK_SIZE = 256
#: Source paths per paths-info request when resolving copies.
PATHS_INFO_CHUNK_SIZE = 500
