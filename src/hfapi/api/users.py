"""Users and likes: whoami, get_token_permission, like, unlike, list_liked_repos."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

import requests

from .._validators import check_user_name, quote, validate_hub_args
from ..errors import LocalTokenNotFoundError
from ._base import _ApiBase
from ._docs import with_shared_docs

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from typing_extensions import Literal

    from ..models import UserLikes


class UsersMixin(_ApiBase):
    """Account and like methods of :class:`hfapi.HfApi`."""

    @validate_hub_args
    def whoami(self, token: Optional[str] = None) -> Dict[str, Any]:
        """Describe the account behind a token.

        A token is always sent: ``token``, else the client's, else the stored one.

        Args:
            token (`str`, *optional*): the token to check.

        Returns:
            `dict`: the Hub's answer (``name``, ``type``, ``orgs``, ``auth``...).

        Raises:
            LocalTokenNotFoundError: no token anywhere.
            requests.HTTPError: the token is invalid.

        Example:
            >>> HfApi(token="hf_xxx").whoami()["name"]
            'alice'
        """
        return self._whoami(token)

    def get_token_permission(self, token: Optional[str] = None) -> Literal["read", "write", None]:
        """Tell whether a token can write (``"write"``), only read (``"read"``), or is
        missing or invalid (``None``).

        Args:
            token (`str`, *optional*): the token to check.

        Returns:
            ``"read"``, ``"write"`` or ``None``.

        Example:
            >>> get_token_permission("hf_xxx")
            'write'
        """
        try:
            info = self._whoami(token)
        except (LocalTokenNotFoundError, requests.HTTPError):
            return None
        role: Literal["read", "write", None] = info["auth"]["accessToken"]["role"]
        return role

    @validate_hub_args
    @with_shared_docs
    def like(
        self,
        repo_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> None:
        """Like a repository (liking twice is harmless).

        Args:
            {repo_id}
            {token}
            {repo_type}

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> like("gpt2")
        """
        self._request("POST", self._repo_api_url(repo_id, repo_type, "like"), token=token)

    @validate_hub_args
    @with_shared_docs
    def unlike(
        self,
        repo_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> None:
        """Remove a like from a repository (harmless if it was not liked).

        Args:
            {repo_id}
            {token}
            {repo_type}

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> unlike("gpt2")
        """
        self._request("DELETE", self._repo_api_url(repo_id, repo_type, "like"), token=token)

    @validate_hub_args
    def list_liked_repos(
        self,
        user: Optional[str] = None,
        *,
        token: Optional[str] = None,
    ) -> UserLikes:
        """List the repositories a user liked.

        Args:
            user (`str`, *optional*): the user; by default the token's owner.
            token (`str`, *optional*): token for this call.

        Returns:
            :class:`UserLikes`: model, dataset and Space ids, and the total.

        Raises:
            HFValidationError: ``user`` is not a valid user name.
            ValueError: no ``user`` and the token belongs to an organisation.

        Example:
            >>> list_liked_repos("alice").models
            ['gpt2']
        """
        from ..models import UserLikes

        if user is None:
            me = self._whoami(token)
            if me.get("type") != "user":
                raise ValueError(
                    "Cannot list liked repos of an organisation token; pass `user=` explicitly."
                )
            user = str(me["name"])
            check_user_name("user", user)  # the Hub's answer goes into a URL too
        by_type: Dict[str, List[str]] = {"model": [], "dataset": [], "space": []}
        total = 0
        url = f"{self.endpoint}/api/users/{quote(user)}/likes"
        for like in self._paginate(url, token=token):
            total += 1
            repo = like["repo"]
            if repo["type"] in by_type:
                by_type[repo["type"]].append(repo["name"])
        return UserLikes(
            user=user,
            total=total,
            datasets=by_type["dataset"],
            models=by_type["model"],
            spaces=by_type["space"],
        )
