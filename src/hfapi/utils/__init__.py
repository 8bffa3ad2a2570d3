"""Names the reference exposes under ``huggingface_hub.utils``: errors, token storage,
HTTP backend configuration and validators."""

from __future__ import annotations

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
    "configure_http_backend",
    "get_session",
    "hf_raise_for_status",
    "parse_datetime",
    "validate_hub_args",
    "validate_repo_id",
]
