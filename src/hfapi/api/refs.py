"""Git references and history: refs, commits, branches and tags."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from .. import constants
from .._validators import check_str, validate_hub_args
from ..errors import HfHubHTTPError
from ._base import _ApiBase
from ._docs import with_shared_docs

# Imported by the functions that use them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from ..models import GitCommitInfo, GitRefs


class RefsMixin(_ApiBase):
    """Branch, tag and history methods of :class:`hfapi.HfApi`."""

    @validate_hub_args
    @with_shared_docs
    def list_repo_refs(
        self,
        repo_id: str,
        *,
        repo_type: Optional[str] = None,
        token: Optional[Union[bool, str]] = None,
    ) -> GitRefs:
        """List the branches, tags and conversion refs of a repository.

        Args:
            {repo_id}
            {repo_type}
            {token}

        Returns:
            :class:`GitRefs`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> [tag.name for tag in list_repo_refs("gpt2").tags]
        """
        from ..models import GitRefInfo, GitRefs

        data = self._request(
            "GET", self._repo_api_url(repo_id, repo_type, "refs"), token=token
        ).json()
        return GitRefs(
            branches=[GitRefInfo(item) for item in data["branches"]],
            converts=[GitRefInfo(item) for item in data["converts"]],
            tags=[GitRefInfo(item) for item in data["tags"]],
        )

    @validate_hub_args
    @with_shared_docs
    def list_repo_commits(
        self,
        repo_id: str,
        *,
        repo_type: Optional[str] = None,
        token: Optional[Union[bool, str]] = None,
        revision: Optional[str] = None,
        formatted: bool = False,
    ) -> List[GitCommitInfo]:
        """List the commits of a revision, newest first.

        Args:
            {repo_id}
            {repo_type}
            {token}
            {revision}
            formatted (`bool`, *optional*): also fetch HTML renderings of titles and
                messages.

        Returns:
            `List[GitCommitInfo]`.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.

        Example:
            >>> list_repo_commits("gpt2")[-1].title
            'initial commit'
        """
        from ..models import GitCommitInfo

        rev = self._quote(revision or constants.DEFAULT_REVISION)
        params = {"expand[]": "formatted"} if formatted else None
        listing = self._paginate(
            self._repo_api_url(repo_id, repo_type, "commits", rev), token=token, params=params
        )
        return [GitCommitInfo(item) for item in listing]

    def _create_ref(
        self, url: str, body: Dict[str, Any], token: Optional[str], exist_ok: bool
    ) -> None:
        try:
            self._request("POST", url, token=token, write=True, json=body)
        except HfHubHTTPError as err:
            if not (exist_ok and err.response is not None and err.response.status_code == 409):
                raise

    @validate_hub_args
    @with_shared_docs
    def create_branch(
        self,
        repo_id: str,
        *,
        branch: str,
        revision: Optional[str] = None,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        exist_ok: bool = False,
    ) -> None:
        """Create a branch.

        Args:
            {repo_id}
            branch (`str`): name of the new branch.
            revision (`str`, *optional*): where the branch starts (branch, tag or commit);
                the head of ``main`` by default.
            {token}
            {repo_type}
            exist_ok (`bool`, *optional*): do not fail when the branch already exists.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            BadRequestError: the name is not a valid branch name.
            HfHubHTTPError: the branch exists (409) and ``exist_ok`` is false.

        Example:
            >>> create_branch("alice/model", branch="dev")
        """
        body = {} if revision is None else {"startingPoint": revision}
        url = self._repo_api_url(repo_id, repo_type, "branch", self._quote(branch))
        self._create_ref(url, body, token, exist_ok)

    @validate_hub_args
    @with_shared_docs
    def delete_branch(
        self,
        repo_id: str,
        *,
        branch: str,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> None:
        """Delete a branch (``main`` cannot be deleted).

        Args:
            {repo_id}
            branch (`str`): the branch to delete.
            {token}
            {repo_type}

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            HfHubHTTPError: the branch does not exist or may not be deleted.

        Example:
            >>> delete_branch("alice/model", branch="dev")
        """
        url = self._repo_api_url(repo_id, repo_type, "branch", self._quote(branch))
        self._request("DELETE", url, token=token, write=True)

    @validate_hub_args
    @with_shared_docs
    def create_tag(
        self,
        repo_id: str,
        *,
        tag: str,
        tag_message: Optional[str] = None,
        revision: Optional[str] = None,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        exist_ok: bool = False,
    ) -> None:
        """Tag a commit.

        Args:
            {repo_id}
            tag (`str`): name of the tag.
            tag_message (`str`, *optional*): message of an annotated tag.
            revision (`str`, *optional*): what to tag; the head of ``main`` by default.
            {token}
            {repo_type}
            exist_ok (`bool`, *optional*): do not fail when the tag already exists.

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the revision does not exist.
            HfHubHTTPError: the tag exists (409) and ``exist_ok`` is false.

        Example:
            >>> create_tag("alice/model", tag="v1.0")
        """
        check_str("tag_message", tag_message, optional=True)
        body: Dict[str, Any] = {"tag": tag}
        if tag_message is not None:
            body["message"] = tag_message
        target = self._quote(revision or constants.DEFAULT_REVISION)
        url = self._repo_api_url(repo_id, repo_type, "tag", target)
        self._create_ref(url, body, token, exist_ok)

    @validate_hub_args
    @with_shared_docs
    def delete_tag(
        self,
        repo_id: str,
        *,
        tag: str,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> None:
        """Delete a tag.

        Args:
            {repo_id}
            tag (`str`): the tag to delete.
            {token}
            {repo_type}

        Raises:
            RepositoryNotFoundError: the repo does not exist or is not visible.
            RevisionNotFoundError: the tag does not exist.

        Example:
            >>> delete_tag("alice/model", tag="v1.0")
        """
        url = self._repo_api_url(repo_id, repo_type, "tag", self._quote(tag))
        self._request("DELETE", url, token=token, write=True)
