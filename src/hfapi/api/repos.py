"""Managing repositories: create, delete, move, visibility, full names."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Union

from .. import constants
from .._validators import validate_hub_args, validate_repo_id
from ..errors import HfHubHTTPError
from ._base import _ApiBase
from ._docs import with_shared_docs

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from ..models import RepoUrl

_MOVE_DOC_HINT = (
    "\nFor additional documentation please see"
    " https://hf.co/docs/hub/repositories-settings#renaming-or-transferring-a-repo."
)


def _split_repo_id(repo_id: str) -> Tuple[Optional[str], str]:
    namespace, _, name = repo_id.rpartition("/")
    return namespace or None, name


def _check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"`{name}` must be a bool, not {type(value).__name__}.")


class ReposMixin(_ApiBase):
    """Repository management methods of :class:`hfapi.HfApi`."""

    @validate_hub_args
    @with_shared_docs
    def create_repo(
        self,
        repo_id: str,
        *,
        token: Optional[str] = None,
        private: bool = False,
        repo_type: Optional[str] = None,
        exist_ok: bool = False,
        space_sdk: Optional[str] = None,
        space_hardware: Optional[str] = None,
    ) -> RepoUrl:
        """Create a repository; without a namespace, it goes to the token owner's.

        Args:
            {repo_id}
            {token}
            private (`bool`, *optional*): make the repository private.
            {repo_type}
            exist_ok (`bool`, *optional*): return the existing repo's URL instead of failing.
            space_sdk (`str`, *optional*): for Spaces (mandatory there): ``"gradio"``,
                ``"streamlit"``, ``"docker"`` or ``"static"``.
            space_hardware (`str` or `SpaceHardware`, *optional*): for Spaces, the
                hardware to request (``"cpu-basic"``, ``"t4-small"``...).

        Returns:
            :class:`RepoUrl`: the repository's web URL.

        Raises:
            ValueError: bad ``repo_type``/``space_sdk``, or no write token.
            HfHubHTTPError: the repo exists (409) and ``exist_ok`` is false.

        Example:
            >>> create_repo("alice/new-model", private=True)
            RepoUrl('https://huggingface.co/alice/new-model', ...)
        """
        from ..models import RepoUrl

        kind = self._checked_repo_type(repo_type)
        _check_bool("private", private)
        if kind == constants.REPO_TYPE_SPACE:
            if space_sdk is None:
                raise ValueError(
                    "No space_sdk provided. `create_repo` expects space_sdk to be one of"
                    f" {list(constants.SPACES_SDK_TYPES)} when repo_type is 'space'`"
                )
            if space_sdk not in constants.SPACES_SDK_TYPES:
                raise ValueError(
                    f"Invalid space_sdk. Please choose one of {list(constants.SPACES_SDK_TYPES)}."
                )
        else:
            for name, value in (("space_sdk", space_sdk), ("space_hardware", space_hardware)):
                if value is not None:
                    warnings.warn(
                        f"Ignoring provided {name} because repo_type is not 'space'.",
                        UserWarning,
                        stacklevel=3,
                    )
        namespace, name = _split_repo_id(repo_id)
        body: Dict[str, Any] = {"name": name, "organization": namespace, "private": private}
        if repo_type is not None:
            body["type"] = repo_type
        if kind == constants.REPO_TYPE_SPACE:
            body["sdk"] = space_sdk
            if space_hardware is not None:
                body["hardware"] = getattr(space_hardware, "value", space_hardware)
        url = f"{self.endpoint}/api/repos/create"
        try:
            response = self._request("POST", url, token=token, write=True, json=body)
        except HfHubHTTPError as err:
            status = err.response.status_code if err.response is not None else None
            if exist_ok and status == 409 and err.response is not None:
                return RepoUrl(err.response.json()["url"], endpoint=self.endpoint)
            if exist_ok and status == 403:
                # No right to create in that namespace: fine if the repo is already there.
                self._request("GET", self._repo_api_url(repo_id, kind), token=token)
                return RepoUrl(self._web_url(repo_id, kind), endpoint=self.endpoint)
            raise
        return RepoUrl(response.json()["url"], endpoint=self.endpoint)

    @validate_hub_args
    @with_shared_docs
    def delete_repo(
        self,
        repo_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> None:
        """Delete a repository, irreversibly.

        Args:
            {repo_id}
            {token}
            {repo_type}

        Raises:
            ValueError: bad ``repo_type`` or no write token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> delete_repo("alice/old-model")
        """
        self._checked_repo_type(repo_type)
        namespace, name = _split_repo_id(repo_id)
        body: Dict[str, Any] = {"name": name, "organization": namespace}
        if repo_type is not None:
            body["type"] = repo_type
        self._request(
            "DELETE", f"{self.endpoint}/api/repos/delete", token=token, write=True, json=body
        )

    @validate_hub_args
    @with_shared_docs
    def update_repo_visibility(
        self,
        repo_id: str,
        private: bool = False,
        *,
        token: Optional[str] = None,
        organization: Optional[str] = None,
        repo_type: Optional[str] = None,
        name: Optional[str] = None,
    ) -> Dict[str, bool]:
        """Make a repository private or public.

        Args:
            {repo_id}
            private (`bool`, *optional*): ``True`` for private, ``False`` for public.
            {token}
            organization (`str`, *optional*): ignored (the namespace comes from ``repo_id``).
            {repo_type}
            name (`str`, *optional*): ignored (the name comes from ``repo_id``).

        Returns:
            `dict`: the Hub's answer, e.g. ``{"private": True}``.

        Raises:
            ValueError: bad ``repo_type`` or no write token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> update_repo_visibility("alice/model", private=True)
            {'private': True}
        """
        kind = self._checked_repo_type(repo_type)
        _check_bool("private", private)
        namespace, repo_name = _split_repo_id(repo_id)
        if namespace is None:
            namespace = str(self._whoami(token)["name"])
        url = f"{self.endpoint}/api/{kind}s/{namespace}/{repo_name}/settings"
        response = self._request("PUT", url, token=token, write=True, json={"private": private})
        result: Dict[str, bool] = response.json()
        return result

    def move_repo(
        self,
        from_id: str,
        to_id: str,
        *,
        repo_type: Optional[str] = None,
        token: Optional[str] = None,
    ) -> None:
        """Rename a repository or move it to another namespace.

        Args:
            from_id (`str`): current ``namespace/name``.
            to_id (`str`): new ``namespace/name``.
            {repo_type}
            {token}

        Raises:
            ValueError: an id without namespace, or no write token.
            HfHubHTTPError: the move was refused (e.g. the target exists).

        Example:
            >>> move_repo("alice/old-name", "alice/new-name")
        """
        for repo in (from_id, to_id):
            if not isinstance(repo, str) or len(repo.split("/")) != 2:
                raise ValueError(
                    f"Invalid repo_id: {repo}. It should have a namespace (:namespace:/:repo_name:)"
                )
            validate_repo_id(repo)
        body = {
            "fromRepo": from_id,
            "toRepo": to_id,
            "type": repo_type or constants.REPO_TYPE_MODEL,
        }
        try:
            self._request(
                "POST", f"{self.endpoint}/api/repos/move", token=token, write=True, json=body
            )
        except HfHubHTTPError as err:
            err.append_to_message(_MOVE_DOC_HINT)
            raise

    move_repo = with_shared_docs(move_repo)

    def get_full_repo_name(
        self,
        model_id: str,
        *,
        organization: Optional[str] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> str:
        """Return ``namespace/model_id``: the organisation's, else the token owner's.

        Args:
            model_id (`str`): the repo name (an id that already has a namespace is
                returned unchanged).
            organization (`str`, *optional*): put the repo in this organisation.
            {token}

        Returns:
            `str`: the full repo id.

        Example:
            >>> get_full_repo_name("my-model")
            'alice/my-model'
        """
        if organization is not None:
            return f"{organization}/{model_id}"
        if "/" in model_id:
            return model_id
        return f"{self._whoami(token)['name']}/{model_id}"

    get_full_repo_name = validate_hub_args(with_shared_docs(get_full_repo_name))
