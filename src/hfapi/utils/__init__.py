"""Names the reference exposes under ``huggingface_hub.utils``: errors, token storage,
HTTP backend configuration and validators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names
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

if TYPE_CHECKING:  # imported on first access, see _LAZY below
    from .._progress import (
        are_progress_bars_disabled,
        disable_progress_bars,
        enable_progress_bars,
        tqdm,
    )
    from ..models import parse_datetime

#: tqdm and the data classes are imported when first read, not with this package.
_LAZY = {
    **dict.fromkeys(
        [
            "are_progress_bars_disabled",
            "disable_progress_bars",
            "enable_progress_bars",
            "tqdm",
        ],
        "hfapi._progress",
    ),
    "parse_datetime": "hfapi.models",
}
__getattr__, __dir__ = lazy_names(__name__, globals(), _LAZY)

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
