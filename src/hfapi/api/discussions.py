"""Discussions and pull requests: listing, details, opening, commenting, renaming,
closing/reopening, merging, editing and hiding comments."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Dict, Iterator, Optional, cast

from .._validators import check_str, validate_hub_args
from ._base import _ApiBase
from ._docs import with_shared_docs

# The data classes are imported by the methods that build them, not with ``hfapi``
# (issue 14: import cost).
if TYPE_CHECKING:
    from typing_extensions import Literal

    from ..models import (
        Discussion,
        DiscussionComment,
        DiscussionEvent,
        DiscussionStatusChange,
        DiscussionTitleChange,
        DiscussionWithDetails,
    )

#: The description the Hub shows when none is given (the reference's text, word for word,
#: so that discussions opened by either client look the same).
_DEFAULT_DESCRIPTION = (
    "{kind} opened with the [huggingface_hub Python library]"
    "(https://huggingface.co/docs/huggingface_hub)"
)
_STATUSES = ("open", "closed")
_HIDE_WARNING = (
    "Hidden comments' content cannot be retrieved anymore. Hiding a comment is irreversible."
)


def check_discussion_num(value: Any) -> int:
    """Return ``value`` if it is a strictly positive ``int`` (a ``bool`` is not).

    Raises:
        ValueError: anything else, ``"3"`` and ``1.0`` included (as the reference does).
    """
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Invalid discussion_num, must be a positive integer: {value!r}.")
    return value


def check_text(name: str, value: Any) -> str:
    """Return ``value`` if it is a ``str`` with something besides whitespace.

    Raises:
        TypeError: not a ``str``.
        ValueError: empty or blank.
    """
    check_str(name, value)
    if not value.strip():
        raise ValueError(f"`{name}` must not be empty.")
    return cast(str, value)


def _optional_comment(comment: Optional[str]) -> Optional[Dict[str, str]]:
    """``{"comment": <stripped>}``, or ``None`` when there is nothing to say."""
    check_str("comment", comment, optional=True)
    if comment is None or not comment.strip():
        return None
    return {"comment": comment.strip()}


class DiscussionsMixin(_ApiBase):
    """Discussion and pull-request methods of :class:`hfapi.HfApi`."""

    # -- reading -------------------------------------------------------------------------

    @validate_hub_args
    @with_shared_docs
    def get_repo_discussions(
        self,
        repo_id: str,
        *,
        repo_type: Optional[str] = None,
        token: Optional[str] = None,
    ) -> Iterator[Discussion]:
        """Iterate over the discussions and pull requests of a repository, newest first.

        Lazy: the first page is fetched when the first item is asked for, the next ones
        as iteration reaches them; ``repo_type`` is checked at that point too.

        Args:
            {repo_id}
            {repo_type}
            {token}

        Returns:
            `Iterator[Discussion]`.

        Raises:
            ValueError: invalid ``repo_type``.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> [d.num for d in get_repo_discussions("me/repo") if d.is_pull_request]
            [4, 2]
        """
        from ..models import discussion_from_json

        kind = self._checked_repo_type(repo_type)
        url = self._repo_api_url(repo_id, kind, "discussions")
        page = 0
        while True:
            data = self._request("GET", url, params={"p": page}, token=token).json()
            discussions = data["discussions"]
            for item in discussions:
                yield discussion_from_json(item, self.endpoint)
            # An empty page ends the listing too: a server that miscounts must not make
            # the client ask for pages forever.
            if not discussions or data["start"] + len(discussions) >= data["count"]:
                return
            page += 1

    @validate_hub_args
    @with_shared_docs
    def get_discussion_details(
        self,
        repo_id: str,
        discussion_num: int,
        *,
        repo_type: Optional[str] = None,
        token: Optional[str] = None,
    ) -> DiscussionWithDetails:
        """Fetch a discussion or pull request with its timeline (and a PR's diff).

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            {repo_type}
            {token}

        Returns:
            :class:`DiscussionWithDetails`.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``.
            RepositoryNotFoundError: the repo does not exist or is not visible.
            HfHubHTTPError: the discussion does not exist (404).

        Example:
            >>> get_discussion_details("me/repo", 2).events[0].content
            'Adds Flax weights'
        """
        from ..models import discussion_details_from_json

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        url = self._repo_api_url(repo_id, kind, "discussions", str(num))
        data = self._request("GET", url, params={"diff": "1"}, token=token).json()
        return discussion_details_from_json(data, self.endpoint)

    # -- opening -------------------------------------------------------------------------

    @validate_hub_args
    @with_shared_docs
    def create_discussion(
        self,
        repo_id: str,
        title: str,
        *,
        token: Optional[str] = None,
        description: Optional[str] = None,
        repo_type: Optional[str] = None,
        pull_request: bool = False,
    ) -> DiscussionWithDetails:
        """Open a discussion, or an empty pull request (which starts as a draft).

        Two requests: the creation, then :meth:`get_discussion_details` of the new
        number. To open a pull request with changes in one step, use
        ``create_commit(..., create_pr=True)``.

        Args:
            {repo_id}
            title (`str`): its title (surrounding whitespace is stripped; the Hub wants 3
                to 200 characters).
            {token}
            description (`str`, *optional*): the first comment (Markdown); a line saying
                it was opened with the Python library when absent or blank.
            {repo_type}
            pull_request (`bool`, *optional*): open a pull request instead of a discussion.

        Returns:
            :class:`DiscussionWithDetails` of the new discussion.

        Raises:
            ValueError: blank ``title``, invalid ``repo_type``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> create_discussion("me/repo", "Typo in the README").num
            5
        """
        check_text("title", title)
        check_str("description", description, optional=True)
        kind = self._checked_repo_type(repo_type)
        text = (description or "").strip()
        if not text:
            text = _DEFAULT_DESCRIPTION.format(
                kind="Pull Request" if pull_request else "Discussion"
            )
        body = {"title": title.strip(), "description": text, "pullRequest": pull_request}
        url = self._repo_api_url(repo_id, kind, "discussions")
        created = self._request("POST", url, token=token, write=True, json=body).json()
        return self.get_discussion_details(repo_id, created["num"], repo_type=kind, token=token)

    @validate_hub_args
    @with_shared_docs
    def create_pull_request(
        self,
        repo_id: str,
        title: str,
        *,
        token: Optional[str] = None,
        description: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionWithDetails:
        """Open an empty pull request, in draft status: ``create_discussion(...,
        pull_request=True)``.

        Push commits to its ``git_reference`` (``refs/pr/N``), then publish it with
        :meth:`change_discussion_status` (``"open"``).

        Args:
            {repo_id}
            title (`str`): its title (surrounding whitespace is stripped).
            {token}
            description (`str`, *optional*): the first comment (Markdown).
            {repo_type}

        Returns:
            :class:`DiscussionWithDetails` of the new pull request.

        Raises:
            ValueError: blank ``title``, invalid ``repo_type``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> create_pull_request("me/repo", "Add weights").git_reference
            'refs/pr/6'
        """
        return self.create_discussion(
            repo_id,
            title,
            token=token,
            description=description,
            repo_type=repo_type,
            pull_request=True,
        )

    # -- changing ------------------------------------------------------------------------

    def _post_discussion_change(
        self,
        repo_id: str,
        discussion_num: int,
        resource: str,
        *,
        body: Optional[Dict[str, Any]],
        token: Optional[str],
        repo_type: str,
    ) -> Any:
        """``POST .../discussions/{num}/{resource}`` with a personal token.

        ``body`` is sent as JSON, or no body at all when ``None``; the arguments must
        already be checked. Returns the JSON answer (``None`` if the body is not JSON).
        """
        url = self._repo_api_url(repo_id, repo_type, "discussions", str(discussion_num), resource)
        response = self._request("POST", url, token=token, write=True, json=body)
        try:
            return response.json()
        except ValueError:
            return None

    @validate_hub_args
    @with_shared_docs
    def comment_discussion(
        self,
        repo_id: str,
        discussion_num: int,
        comment: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionComment:
        """Add a comment to a discussion or pull request.

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            comment (`str`): the comment, in Markdown (sent as given).
            {token}
            {repo_type}

        Returns:
            :class:`DiscussionComment`: the new comment.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``, blank ``comment``,
                or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> comment_discussion("me/repo", 3, "Thanks, **fixed**!").id
            '648f1a2b3c4d5e6f70819207'
        """
        from ..models import DiscussionComment

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        check_text("comment", comment)
        answer = self._post_discussion_change(
            repo_id, num, "comment", body={"comment": comment}, token=token, repo_type=kind
        )
        return cast(DiscussionComment, _event_in(answer, "newMessage"))

    @validate_hub_args
    @with_shared_docs
    def rename_discussion(
        self,
        repo_id: str,
        discussion_num: int,
        new_title: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionTitleChange:
        """Change the title of a discussion or pull request.

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            new_title (`str`): the new title (sent as given).
            {token}
            {repo_type}

        Returns:
            :class:`DiscussionTitleChange`: the renaming event.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``, blank
                ``new_title``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> rename_discussion("me/repo", 3, "Typo in the README").old_title
            'Typo'
        """
        from ..models import DiscussionTitleChange

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        check_text("new_title", new_title)
        answer = self._post_discussion_change(
            repo_id, num, "title", body={"title": new_title}, token=token, repo_type=kind
        )
        return cast(DiscussionTitleChange, _event_in(answer, "newTitle"))

    @validate_hub_args
    @with_shared_docs
    def change_discussion_status(
        self,
        repo_id: str,
        discussion_num: int,
        new_status: Literal["open", "closed"],
        *,
        token: Optional[str] = None,
        comment: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionStatusChange:
        """Close or reopen a discussion or pull request (``"open"`` also publishes a
        draft pull request).

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            new_status (`str`): ``"open"`` or ``"closed"``.
            {token}
            comment (`str`, *optional*): a comment posted with the change.
            {repo_type}

        Returns:
            :class:`DiscussionStatusChange`: the status change event.

        Raises:
            ValueError: invalid ``new_status``, ``discussion_num`` or ``repo_type``, or
                no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> change_discussion_status("me/repo", 3, "closed", comment="Done").new_status
            'closed'
        """
        from ..models import DiscussionStatusChange

        if new_status not in _STATUSES:
            raise ValueError(f"Invalid status {new_status!r}, must be 'open' or 'closed'.")
        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        body: Dict[str, Any] = {"status": new_status, **(_optional_comment(comment) or {})}
        answer = self._post_discussion_change(
            repo_id, num, "status", body=body, token=token, repo_type=kind
        )
        return cast(DiscussionStatusChange, _event_in(answer, "newStatus"))

    @validate_hub_args
    @with_shared_docs
    def merge_pull_request(
        self,
        repo_id: str,
        discussion_num: int,
        *,
        token: Optional[str] = None,
        comment: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> Optional[DiscussionStatusChange]:
        """Merge a pull request into its target branch.

        Args:
            {repo_id}
            discussion_num (`int`): number of the pull request (> 0).
            {token}
            comment (`str`, *optional*): a comment posted with the merge.
            {repo_type}

        Returns:
            :class:`DiscussionStatusChange`: the merge's status change event — the one
            the Hub answers with, else the last one of the pull request's timeline (one
            more request); ``None`` only if the Hub records none.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.
            BadRequestError: the pull request cannot be merged (no changes, conflicts).

        Example:
            >>> merge_pull_request("me/repo", 2).new_status
            'merged'
        """
        from ..models import DiscussionStatusChange, deserialize_event

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        answer = self._post_discussion_change(
            repo_id, num, "merge", body=_optional_comment(comment), token=token, repo_type=kind
        )
        # 0.16.4 drops the answer and returns None, against its own documentation; the
        # event is returned here, fetched from the timeline if the Hub did not send it.
        if isinstance(answer, dict) and isinstance(answer.get("newStatus"), dict):
            return cast(DiscussionStatusChange, deserialize_event(answer["newStatus"]))
        events = self.get_discussion_details(repo_id, num, repo_type=kind, token=token).events
        changes = [event for event in events if isinstance(event, DiscussionStatusChange)]
        return changes[-1] if changes else None

    @validate_hub_args
    @with_shared_docs
    def edit_discussion_comment(
        self,
        repo_id: str,
        discussion_num: int,
        comment_id: str,
        new_content: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionComment:
        """Replace the content of a comment (the Hub keeps the earlier versions).

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            comment_id (`str`): id of the comment (:attr:`DiscussionEvent.id`).
            new_content (`str`): the new content, in Markdown (sent as given).
            {token}
            {repo_type}

        Returns:
            :class:`DiscussionComment`: the edited comment.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``, empty
                ``comment_id``, blank ``new_content``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> edit_discussion_comment("me/repo", 3, comment.id, "Fixed typo").edited
            True
        """
        from ..models import DiscussionComment

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        resource = f"comment/{_comment_segment(comment_id)}/edit"
        check_text("new_content", new_content)
        answer = self._post_discussion_change(
            repo_id, num, resource, body={"content": new_content}, token=token, repo_type=kind
        )
        return cast(DiscussionComment, _event_in(answer, "updatedComment"))

    @validate_hub_args
    @with_shared_docs
    def hide_discussion_comment(
        self,
        repo_id: str,
        discussion_num: int,
        comment_id: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionComment:
        """Hide a comment. Irreversible: its content cannot be read afterwards, so a
        ``UserWarning`` is emitted every time.

        Args:
            {repo_id}
            discussion_num (`int`): number of the discussion or pull request (> 0).
            comment_id (`str`): id of the comment (:attr:`DiscussionEvent.id`).
            {token}
            {repo_type}

        Returns:
            :class:`DiscussionComment`: the hidden comment.

        Raises:
            ValueError: invalid ``discussion_num`` or ``repo_type``, empty
                ``comment_id``, or no personal token.
            RepositoryNotFoundError: the repo does not exist or is not visible.

        Example:
            >>> hide_discussion_comment("me/repo", 3, comment.id).hidden
            True
        """
        from ..models import DiscussionComment

        num = check_discussion_num(discussion_num)
        kind = self._checked_repo_type(repo_type)
        resource = f"comment/{_comment_segment(comment_id)}/hide"
        warnings.warn(_HIDE_WARNING, UserWarning, stacklevel=3)
        answer = self._post_discussion_change(
            repo_id, num, resource, body=None, token=token, repo_type=kind
        )
        return cast(DiscussionComment, _event_in(answer, "updatedComment"))


def _comment_segment(comment_id: Any) -> str:
    """The URL segment of a comment id: lower-cased (the Hub's ids are hex), quoted."""
    check_str("comment_id", comment_id)
    if not comment_id:
        raise ValueError("`comment_id` must not be empty.")
    return _ApiBase._quote(comment_id.lower())


def _event_in(answer: Any, key: str) -> DiscussionEvent:
    """The event a mutation's answer carries under ``key`` (``newMessage``...).

    Raises:
        ValueError: the answer has no such event.
    """
    from ..models import deserialize_event

    if not isinstance(answer, dict) or not isinstance(answer.get(key), dict):
        raise ValueError(f"Unexpected answer from the Hub: no '{key}' event in it.")
    return deserialize_event(answer[key])
