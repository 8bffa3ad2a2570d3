"""``login`` / ``logout``: validate a token and keep it on this machine."""

from __future__ import annotations

import logging
import warnings
from typing import Optional

from .auth import HfFolder
from .hf_api import HfApi

logger = logging.getLogger(__name__)


def login(
    token: Optional[str] = None,
    add_to_git_credential: bool = False,
    new_session: bool = True,
    write_permission: bool = False,
) -> None:
    """Check a token against the Hub and store it for later calls.

    Args:
        token (`str`, *optional*): the token; asked for on the terminal when omitted.
        add_to_git_credential (`bool`, *optional*): not supported (hfapi never touches
            git's configuration); a warning is emitted when ``True``.
        new_session (`bool`, *optional*): when ``False`` and a token is already stored,
            keep it and do nothing.
        write_permission (`bool`, *optional*): refuse tokens that cannot write.

    Raises:
        ValueError: organisation token, invalid token, or read-only token when
            ``write_permission`` is set.

    Example:
        >>> login("hf_xxx")
    """
    if not new_session and HfFolder.get_token() is not None:
        return
    if token is None:
        import getpass  # only when asking on the terminal (issue 14: import cost)

        token = getpass.getpass("Token: ")
    token = token.strip()
    if token.startswith("api_org"):
        raise ValueError("You must use your personal account token, not an organization token.")
    permission = HfApi().get_token_permission(token)
    if permission is None:
        raise ValueError("Invalid token passed!")
    if write_permission and permission != "write":
        raise ValueError(
            "The token has no write permission; create a write token at"
            " https://huggingface.co/settings/tokens."
        )
    if add_to_git_credential:
        warnings.warn(
            "add_to_git_credential is not supported by hfapi; the git credential helper was"
            " left unchanged.",
            UserWarning,
            stacklevel=2,
        )
    HfFolder.save_token(token)
    logger.info("Token is valid (permission: %s) and saved to %s.", permission, HfFolder.path_token)


def logout() -> None:
    """Forget the stored token (both the current and the legacy location).

    Example:
        >>> logout()
    """
    HfFolder.delete_token()
    logger.info("Token removed from this machine.")
