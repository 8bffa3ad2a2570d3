"""``create_commits_on_pr``: push a planned upload as commits on a draft pull request.

The pull request's description tracks progress (see :mod:`hfapi.commit.multi_commits`);
a commit whose title is a step id marks that step done, so an interrupted run resumes
where it stopped, whichever client (hfapi or the reference) started it.
"""

from __future__ import annotations

import logging
import warnings
from typing import TYPE_CHECKING, Iterator, List, Literal, Optional, Protocol, Union, cast

from .._validators import INVALID_REPO_TYPE, validate_hub_args
from ..errors import BadRequestError, MultiCommitException
from ._base import _ApiBase
from ._docs import with_shared_docs

# The commit machinery and the discussion data classes are imported by the steps that use
# them, not with ``hfapi`` (issue 14: import cost).
if TYPE_CHECKING:
    from ..commit.multi_commits import MultiCommitStrategy
    from ..commit.operations import CommitOperationAdd, CommitOperationDelete
    from ..models import (
        Discussion,
        DiscussionComment,
        DiscussionStatusChange,
        DiscussionTitleChange,
        DiscussionWithDetails,
        GitCommitInfo,
    )
    from ._commit_engine import CommitFlow

logger = logging.getLogger("hfapi.commit")

_OPENED_NOTICE = "Multi-commit is now completed! You can ping the repo owner to review the changes."
_MERGE_NOTICE = (
    "Multi-commit is now completed! Because `create_pr=False` was passed, the PR is merged."
)
_NO_CHANGES_NOTICE = (
    "Multi-commit is now completed! This PR has no associated changes: it is closed."
)
_MERGE_FAILED_NOTICE = "Multi-commit is now completed, but the PR could not be merged: {error}"


class _PullRequests(Protocol):
    """The discussion methods a multi-commit run needs (``HfApi`` has them all)."""

    def get_repo_discussions(
        self, repo_id: str, *, repo_type: Optional[str] = None, token: Optional[str] = None
    ) -> Iterator[Discussion]: ...

    def get_discussion_details(
        self,
        repo_id: str,
        discussion_num: int,
        *,
        repo_type: Optional[str] = None,
        token: Optional[str] = None,
    ) -> DiscussionWithDetails: ...

    def create_pull_request(
        self,
        repo_id: str,
        title: str,
        *,
        token: Optional[str] = None,
        description: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionWithDetails: ...

    def list_repo_commits(
        self,
        repo_id: str,
        *,
        repo_type: Optional[str] = None,
        token: Optional[Union[bool, str]] = None,
        revision: Optional[str] = None,
    ) -> List[GitCommitInfo]: ...

    def edit_discussion_comment(
        self,
        repo_id: str,
        discussion_num: int,
        comment_id: str,
        new_content: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionComment: ...

    def comment_discussion(
        self,
        repo_id: str,
        discussion_num: int,
        comment: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionComment: ...

    def rename_discussion(
        self,
        repo_id: str,
        discussion_num: int,
        new_title: str,
        *,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionTitleChange: ...

    def change_discussion_status(
        self,
        repo_id: str,
        discussion_num: int,
        new_status: Literal["open", "closed"],
        *,
        token: Optional[str] = None,
        comment: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> DiscussionStatusChange: ...

    def merge_pull_request(
        self,
        repo_id: str,
        discussion_num: int,
        *,
        token: Optional[str] = None,
        comment: Optional[str] = None,
        repo_type: Optional[str] = None,
    ) -> Optional[DiscussionStatusChange]: ...


class _Run:
    """One ``create_commits_on_pr`` call: its fixed inputs and the steps of the flow."""

    def __init__(
        self,
        api: _PullRequests,
        flow: CommitFlow,
        *,
        repo_id: str,
        repo_type: Optional[str],
        token: Optional[str],
        commit_message: str,
        commit_description: Optional[str],
        num_threads: int,
        verbose: bool,
    ) -> None:
        self.api = api
        self.num_threads = num_threads
        self.flow = flow
        self.repo_id = repo_id
        self.repo_type = repo_type
        self.token = token
        self.commit_message = commit_message
        self.commit_description = commit_description
        self.verbose = verbose

    def say(self, message: str) -> None:
        """Progress: printed in verbose mode (as the reference does), logged always."""
        logger.info(message)
        if self.verbose:
            print(message)

    def find_or_open_pr(self, strategy: MultiCommitStrategy) -> DiscussionWithDetails:
        """The draft pull request of this strategy, or a new one."""
        from ..commit.multi_commits import pr_description, pr_title

        for discussion in self.api.get_repo_discussions(
            self.repo_id, repo_type=self.repo_type, token=self.token
        ):
            if (
                discussion.is_pull_request
                and discussion.status == "draft"
                and strategy.id in discussion.title
            ):
                self.say(f"Resuming multi-commit on PR #{discussion.num}.")
                return self.api.get_discussion_details(
                    self.repo_id, discussion.num, repo_type=self.repo_type, token=self.token
                )
        pr = self.api.create_pull_request(
            self.repo_id,
            pr_title(self.commit_message, strategy).strip(),
            token=self.token,
            description=pr_description(
                self.commit_message, self.commit_description, strategy
            ).strip(),
            repo_type=self.repo_type,
        )
        self.say(f"New multi-commit PR #{pr.num} opened.")
        return pr

    def check_progress(self, pr: DiscussionWithDetails, strategy: MultiCommitStrategy) -> str:
        """Mark the steps already on the PR as completed; return the description's id.

        Raises:
            MultiCommitException: the PR is not (or no longer) this strategy's.
        """
        from ..commit.multi_commits import parse_step_ids
        from ..models import DiscussionComment

        comment = next((e for e in pr.events if isinstance(e, DiscussionComment)), None)
        if comment is None:
            raise MultiCommitException(f"PR #{pr.num} must have at least 1 comment")
        listed = parse_step_ids(comment.content)
        expected = {step.id for step in strategy.steps}
        if len(listed) != len(expected) or not expected <= listed:
            raise MultiCommitException(
                f"Corrupted multi-commit PR #{pr.num}: its description does not list the"
                f" steps of this upload (expected {len(expected)} steps, found"
                f" {len(listed)}). Close it and start again."
            )
        self.mark_completed(pr, strategy)
        return comment.id

    def mark_completed(self, pr: DiscussionWithDetails, strategy: MultiCommitStrategy) -> None:
        """Steps whose id is the title of a commit on the PR (not on main) are done."""
        on_main = {
            commit.commit_id
            for commit in self.api.list_repo_commits(
                self.repo_id, repo_type=self.repo_type, token=self.token, revision="main"
            )
        }
        on_pr = [
            commit
            for commit in self.api.list_repo_commits(
                self.repo_id, repo_type=self.repo_type, token=self.token, revision=pr.git_reference
            )
            if commit.commit_id not in on_main
        ]
        if len(on_pr) > len(strategy.steps):
            raise MultiCommitException(
                f"Corrupted multi-commit PR #{pr.num}: it holds {len(on_pr)} commits for"
                f" {len(strategy.steps)} steps."
            )
        titles = {commit.title for commit in on_pr}
        for step in strategy.steps:
            step.completed = step.id in titles
        if any(s.completed for s in strategy.addition_steps) and not all(
            s.completed for s in strategy.deletion_steps
        ):
            raise MultiCommitException(
                f"Corrupted multi-commit PR #{pr.num}: additions were pushed before every"
                " deletion was."
            )

    def push_steps(
        self, pr: DiscussionWithDetails, strategy: MultiCommitStrategy, comment_id: str
    ) -> None:
        """Commit each pending step on the PR, ticking it in the description after each."""
        from ..commit.multi_commits import pr_description

        steps = strategy.steps
        for index, step in enumerate(steps, start=1):
            if step.completed:
                self.say(f"Step {index}/{len(steps)} already pushed ({step.id}).")
                continue
            self.flow.create(
                self.repo_id,
                step.operations,
                commit_message=step.id,
                token=self.token,
                repo_type=self.repo_type,
                revision=pr.git_reference,
                num_threads=self.num_threads,
            )
            step.completed = True
            self.api.edit_discussion_comment(
                self.repo_id,
                pr.num,
                comment_id,
                pr_description(self.commit_message, self.commit_description, strategy),
                token=self.token,
                repo_type=self.repo_type,
            )
            self.say(f"Step {index}/{len(steps)} pushed ({step.id}).")

    def finish(self, pr: DiscussionWithDetails, merge_pr: bool) -> None:
        """Rename and publish the PR, then merge it if asked.

        Raises:
            MultiCommitException: the Hub refused the merge (other than for no changes).
        """
        self.api.rename_discussion(
            self.repo_id, pr.num, self.commit_message, token=self.token, repo_type=self.repo_type
        )
        self.api.change_discussion_status(
            self.repo_id,
            pr.num,
            "open",
            comment=_OPENED_NOTICE,
            token=self.token,
            repo_type=self.repo_type,
        )
        if not merge_pr:
            return
        try:
            self.api.merge_pull_request(
                self.repo_id,
                pr.num,
                comment=_MERGE_NOTICE,
                token=self.token,
                repo_type=self.repo_type,
            )
        except BadRequestError as error:
            message = error.server_message or str(error)
            if "no associated changes" in message:
                self.api.change_discussion_status(
                    self.repo_id,
                    pr.num,
                    "closed",
                    comment=_NO_CHANGES_NOTICE,
                    token=self.token,
                    repo_type=self.repo_type,
                )
                warnings.warn(
                    f"PR #{pr.num} had no changes: it was closed, not merged.", stacklevel=2
                )
                return
            self.api.comment_discussion(
                self.repo_id,
                pr.num,
                _MERGE_FAILED_NOTICE.format(error=message),
                token=self.token,
                repo_type=self.repo_type,
            )
            raise MultiCommitException(
                f"Couldn't merge Pull Request in multi-commit: {message}"
            ) from error


class MultiCommitsMixin(_ApiBase):
    """The multi-commit method of :class:`hfapi.HfApi`."""

    @validate_hub_args
    @with_shared_docs
    def create_commits_on_pr(
        self,
        *,
        repo_id: str,
        addition_commits: List[List[CommitOperationAdd]],
        deletion_commits: List[List[CommitOperationDelete]],
        commit_message: str,
        commit_description: Optional[str] = None,
        token: Optional[str] = None,
        repo_type: Optional[str] = None,
        merge_pr: bool = True,
        num_threads: int = 5,
        verbose: bool = False,
    ) -> str:
        """Push planned commits to a draft pull request, resumably, then publish it.

        Experimental. Deletion commits are pushed first, then addition commits, each
        titled with its step id; the pull request's description ticks each step as it
        lands. Called again with the same plan after an interruption, it finds the draft
        pull request and pushes only the missing steps. At the end the pull request is
        renamed to ``commit_message``, opened, and merged if ``merge_pr``. The repo must
        exist. Plans usually come from :func:`hfapi.plan_multi_commits`.

        Args:
            {repo_id}
            addition_commits (`List[List[CommitOperationAdd]]`): one commit per sublist.
            deletion_commits (`List[List[CommitOperationDelete]]`): one commit per
                sublist, pushed before the additions.
            commit_message (`str`): the pull request's final title.
            commit_description (`str`, *optional*): added to the pull request's description.
            {token}
            {repo_type}
            merge_pr (`bool`): merge the pull request at the end (default ``True``).
            num_threads (`int`): parallel LFS uploads within a commit (default 5).
            verbose (`bool`): print progress.

        Returns:
            `str`: the URL of the pull request.

        Raises:
            ValueError: an empty or duplicated step, or no step at all.
            MultiCommitException: the pull request found does not match the plan (its
                description, its commits), or the merge was refused.
            RepositoryNotFoundError, HfHubHTTPError: Hub errors.

        Example:
            >>> additions, deletions = plan_multi_commits(ops)
            >>> api.create_commits_on_pr(repo_id="me/m", addition_commits=additions,
            ...     deletion_commits=deletions, commit_message="Upload weights")
            'https://huggingface.co/me/m/discussions/3'
        """
        from ..commit.multi_commits import build_strategy, warn_experimental
        from ._commit_engine import CommitFlow

        warn_experimental("create_commits_on_pr")
        self._checked_repo_type(repo_type, INVALID_REPO_TYPE)
        strategy = build_strategy(addition_commits, deletion_commits)
        run = _Run(
            cast(_PullRequests, self),
            CommitFlow(self),
            repo_id=repo_id,
            repo_type=repo_type,
            token=token,
            commit_message=commit_message,
            commit_description=commit_description,
            num_threads=num_threads,
            verbose=verbose,
        )
        pr = run.find_or_open_pr(strategy)
        comment_id = run.check_progress(pr, strategy)
        run.push_steps(pr, strategy, comment_id)
        run.finish(pr, merge_pr)
        return pr.url
