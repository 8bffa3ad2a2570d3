"""Names the reference exposes under ``huggingface_hub.utils``: errors, token storage,
HTTP backend configuration and validators."""

from __future__ import annotations

from .._progress import (
    are_progress_bars_disabled,
    disable_progress_bars,
    enable_progress_bars,
    tqdm,
)
from .._session import configure_http_backend, get_session
from .._validators import validate_hub_args, validate_repo_id
from ..auth import HfFolder
from ..errors import (
    BadRequestError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    LocalEntryNotFoundError,
    LocalTokenNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    hf_raise_for_status,
)
from ..models import parse_datetime

__all__ = [
    "BadRequestError",
    "EntryNotFoundError",
    "GatedRepoError",
    "HFValidationError",
    "HfFolder",
    "HfHubHTTPError",
    "LocalEntryNotFoundError",
    "LocalTokenNotFoundError",
    "OfflineModeIsEnabled",
    "RepositoryNotFoundError",
    "RevisionNotFoundError",
    "are_progress_bars_disabled",
    "configure_http_backend",
    "disable_progress_bars",
    "enable_progress_bars",
    "get_session",
    "hf_raise_for_status",
    "parse_datetime",
    "tqdm",
    "validate_hub_args",
    "validate_repo_id",
]
