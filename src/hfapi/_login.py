"""``login`` / ``logout``: validate a token and keep it on this machine."""

from __future__ import annotations

import warnings
from typing import Optional

from .auth import HfFolder
from .hf_api import HfApi


def login(
    token: Optional[str] = None,
    add_to_git_credential: bool = False,
    new_session: bool = True,
    write_permission: bool = False,
) -> None:
    """Check a token against the Hub, store it for later calls and print where it went.

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
    login_with(HfApi(), token, write_permission=write_permission)
    if add_to_git_credential:
        warnings.warn(
            "add_to_git_credential is not supported by hfapi; the git credential helper was"
            " left unchanged.",
            UserWarning,
            stacklevel=2,
        )


def login_with(api: HfApi, token: str, *, write_permission: bool = False) -> str:
    """Check ``token`` against ``api``'s endpoint, store it, and say where.

    The step shared by :func:`login` and the ``hfapi login`` command (which may name
    another endpoint).

    Args:
        api: the client whose endpoint checks the token.
        token: the token (surrounding whitespace is dropped).
        write_permission: refuse tokens that cannot write.

    Returns:
        The path of the file the token was saved to.

    Raises:
        ValueError: organisation token, invalid token, or read-only token when
            ``write_permission`` is set.
    """
    token = token.strip()
    if token.startswith("api_org"):
        raise ValueError("You must use your personal account token, not an organization token.")
    permission = api.get_token_permission(token)
    if permission is None:
        raise ValueError("Invalid token passed!")
    if write_permission and permission != "write":
        raise ValueError(
            "The token has no write permission; create a write token at"
            " https://huggingface.co/settings/tokens."
        )
    HfFolder.save_token(token)
    # Printed, as the reference does: the user must learn where the secret now lives.
    print(f"Token is valid (permission: {permission}).")
    print(f"Your token has been saved to {HfFolder.path_token}")
    print("Login successful")
    return HfFolder.path_token


def logout() -> None:
    """Forget the stored token (both the current and the legacy location).

    Example:
        >>> logout()
    """
    HfFolder.delete_token()
    print("Successfully logged out.")
