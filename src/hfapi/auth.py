"""Where the token comes from, and where it is kept.

Lookup order for a call: the method's ``token`` argument, then the ``HfApi``'s own
token, then the stored token (``HUGGING_FACE_HUB_TOKEN``, then the token file under
``HF_HOME``), exactly as the reference client does, so a machine that is already
logged in keeps working.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from typing import Optional, Union

from . import constants
from .errors import LocalTokenNotFoundError

logger = logging.getLogger(__name__)

TokenArg = Union[str, bool, None]

_NO_TOKEN_FOR_WRITE = (
    "Token is required (write-access action) but no token found. You need to provide a "
    "token or be logged in to Hugging Face with `hfapi login` (or `huggingface-cli login`) or "
    "`hfapi.login`. See https://huggingface.co/settings/tokens."
)
_ORG_TOKEN_FOR_WRITE = (
    "You must use your personal account token for write-access methods. To generate a "
    "write-access token, go to https://huggingface.co/settings/tokens"
)
_NO_STORED_TOKEN = (
    "Token is required (`token=True`), but no token found. You need to provide a token or "
    "be logged in to Hugging Face with `hfapi login` (or `huggingface-cli login`) or "
    "`hfapi.login`. See https://huggingface.co/settings/tokens."
)


class HfFolder:
    """Stores the user's token in a file under ``HF_HOME``.

    The file holds the raw token and nothing else, readable by its owner only.

    Example:
        >>> HfFolder.save_token("hf_xxx")
        >>> HfFolder.get_token()
        'hf_xxx'
    """

    path_token: str = constants.TOKEN_PATH
    path_old_token: str = constants.LEGACY_TOKEN_PATH

    @classmethod
    def save_token(cls, token: str) -> None:
        """Write ``token`` to the token file (mode 0600), creating folders as needed.

        Args:
            token: the token to keep.

        Example:
            >>> HfFolder.save_token("hf_xxx")
        """
        if not isinstance(token, str):
            raise TypeError(f"A token must be a string, not {type(token).__name__}.")
        folder = os.path.dirname(cls.path_token) or "."
        os.makedirs(folder, exist_ok=True)
        # Write to a private temporary file then rename, so the token is never
        # readable by others and a crash never leaves a truncated token behind.
        fd, tmp_path = tempfile.mkstemp(dir=folder, prefix=".token.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(token)
            os.chmod(tmp_path, 0o600)
            os.replace(tmp_path, cls.path_token)
        except BaseException:
            if os.path.exists(tmp_path):
                os.remove(tmp_path)
            raise

    @classmethod
    def get_token(cls) -> Optional[str]:
        """Return the stored token, or ``None`` when there is none.

        ``HUGGING_FACE_HUB_TOKEN`` wins over the token file. Surrounding whitespace
        (such as a newline left by an editor) is removed.

        Returns:
            ``str`` or ``None``.

        Example:
            >>> HfFolder.get_token()
        """
        cls._copy_to_new_path_and_warn()
        from_env = os.environ.get(constants.TOKEN_ENV_VAR)
        if from_env is not None:
            return from_env.strip()
        try:
            with open(cls.path_token) as handle:
                return handle.read().strip()
        except FileNotFoundError:
            return None

    @classmethod
    def delete_token(cls) -> None:
        """Remove the token file (and the legacy one); missing files are fine.

        Example:
            >>> HfFolder.delete_token()
        """
        for path in (cls.path_token, cls.path_old_token):
            try:
                os.remove(path)
            except FileNotFoundError:
                pass

    @classmethod
    def _copy_to_new_path_and_warn(cls) -> None:
        if os.path.isfile(cls.path_old_token) and not os.path.isfile(cls.path_token):
            try:
                with open(cls.path_old_token) as handle:
                    cls.save_token(handle.read())
                warnings.warn(
                    f"A token was found in the legacy location '{cls.path_old_token}'; it has "
                    f"been copied to '{cls.path_token}'.",
                    stacklevel=3,
                )
            except OSError:
                pass


def check_token_type(token: object) -> None:
    """Refuse a token argument that is not ``str``, ``bool`` or ``None``.

    Without this, a token passed as bytes (or any other object) would be treated as
    "no token given" and the machine's stored token sent instead: a call meant for one
    account would act as another. The message names the type only, never the value.

    Raises:
        TypeError: ``token`` has another type.

    Example:
        >>> check_token_type(b"hf_xxx")
        Traceback (most recent call last):
        TypeError: `token` must be a str, True, False or None, not bytes. ...
    """
    if token is None or isinstance(token, (str, bool)):
        return
    hint = " (decode it first: token.decode())" if isinstance(token, (bytes, bytearray)) else ""
    raise TypeError(
        f"`token` must be a str, True, False or None, not {type(token).__name__}{hint}."
    )


def resolve_token(token: TokenArg, default: TokenArg = None) -> Optional[str]:
    """Decide which token a call sends (``None`` = no Authorization header).

    Args:
        token: the method's argument: a string, ``True`` (stored token, mandatory),
            ``False`` (no token at all) or ``None`` (fall back to ``default``).
        default: the ``HfApi`` instance's token, used when ``token`` is ``None``.

    Returns:
        The token string, or ``None``.

    Raises:
        TypeError: ``token`` or ``default`` is not a ``str``, ``bool`` or ``None``.
        LocalTokenNotFoundError: ``token=True`` and nothing is stored.

    Example:
        >>> resolve_token(None, "hf_instance")
        'hf_instance'
    """
    check_token_type(token)
    check_token_type(default)
    if token is None:
        token = default
    if isinstance(token, str):
        return _checked(token)
    if token is False:
        return None
    if token is True:
        stored = HfFolder.get_token()
        if stored is None:
            raise LocalTokenNotFoundError(_NO_STORED_TOKEN)
        return _checked(stored)
    if constants.HF_HUB_DISABLE_IMPLICIT_TOKEN:
        return None
    stored = HfFolder.get_token()
    return None if stored is None else _checked(stored)


def _checked(token: str) -> Optional[str]:
    """Strip surrounding whitespace; refuse characters no HTTP header may carry.

    The check matters because the HTTP stack's own error would quote the header,
    token included (a non-ASCII character fails header encoding with a
    ``UnicodeEncodeError`` whose arguments hold the whole header value).
    """
    token = token.strip()
    if any(not 0x21 <= ord(char) <= 0x7E for char in token):
        raise ValueError(
            "The token contains whitespace, control or non-ASCII characters; check how it"
            " was copied."
        )
    return token or None


def require_write_token(token: Optional[str]) -> str:
    """Check that a resolved token may be used for a write action.

    Raises:
        ValueError: no token, or an organisation (``api_org...``) token.

    Example:
        >>> require_write_token("hf_xxx")
        'hf_xxx'
    """
    if not token:
        raise ValueError(_NO_TOKEN_FOR_WRITE)
    if token.startswith("api_org"):
        raise ValueError(_ORG_TOKEN_FOR_WRITE)
    return token
