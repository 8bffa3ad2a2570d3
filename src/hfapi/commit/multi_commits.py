"""Multi-commit uploads without HTTP: the plan, the step ids and the PR's progress text.

A large upload is split into steps (:func:`plan_multi_commits`); each step gets an id
computed from its operations, and the whole plan an id computed from its steps, so the
same upload always gets the same ids. The draft pull request that carries the steps
lists them in its description with a checkbox each; a run that stops half way is
resumed by finding that pull request again. The text format and the ids are the
reference client's, so either client can resume a run the other one started.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Set, Tuple, Union

from .. import constants
from .operations import CommitOperationAdd, CommitOperationDelete

__all__ = [
    "MultiCommitStep",
    "MultiCommitStrategy",
    "build_strategy",
    "format_size",
    "parse_step_ids",
    "plan_multi_commits",
    "pr_description",
    "pr_title",
    "warn_experimental",
]

StepOperation = Union[CommitOperationAdd, CommitOperationDelete]

#: A step line of the PR description: a checkbox, then the step id last on the line.
_STEP_LINE_RE = re.compile(r"- \[(?P<completed>[ |x])\].*(?P<step_id>[a-fA-F0-9]{64})")

_DESCRIPTION = """
## {commit_message}

{commit_description}

**Multi commit ID:** {strategy_id}

Scheduled commits:

{steps}

_This pull request was opened by a multi-commit upload (hfapi, compatible with\
 huggingface_hub): each line above is one commit, checked once it is pushed. Editing this\
 description, changing the status of the pull request or pushing to it by hand may break\
 the upload or its resumption. See\
 https://huggingface.co/docs/huggingface_hub/main/en/guides/upload#multi-commits._
"""

_SIZE_UNITS = ("", "K", "M", "G", "T", "P", "E", "Z")


def warn_experimental(name: str) -> None:
    """Warn that ``name`` is experimental, unless ``HF_HUB_DISABLE_EXPERIMENTAL_WARNING``."""
    if constants.HF_HUB_DISABLE_EXPERIMENTAL_WARNING:
        return
    warnings.warn(
        f"'{name}' is experimental: its API and behaviour may change without notice. Set"
        " HF_HUB_DISABLE_EXPERIMENTAL_WARNING=1 to silence this warning.",
        UserWarning,
        stacklevel=3,
    )


def plan_multi_commits(
    operations: Iterable[StepOperation],
    max_operations_per_commit: int = 50,
    max_upload_size_per_commit: int = 2 * 1024**3,
) -> Tuple[List[List[CommitOperationAdd]], List[List[CommitOperationDelete]]]:
    """Split operations into commits: ``(addition_commits, deletion_commits)``.

    One pass, in order: deletions are grouped by ``max_operations_per_commit``; an
    addition of ``max_upload_size_per_commit`` bytes or more is a commit of its own; the
    other additions fill a group until it would reach the size limit or holds
    ``max_operations_per_commit`` operations. Groups are listed in the order they are
    closed (a large file can come before smaller files that preceded it). Simple rather
    than optimal: the best split is a bin-packing problem.

    Args:
        operations (`Iterable` of `CommitOperationAdd` / `CommitOperationDelete`): the
            operations to split.
        max_operations_per_commit (`int`): most operations in one commit (50).
        max_upload_size_per_commit (`int`): most bytes uploaded by one commit (2 GiB);
            a larger file gets a commit of its own.

    Returns:
        `Tuple[List[List[CommitOperationAdd]], List[List[CommitOperationDelete]]]`: the
        addition commits and the deletion commits (pushed first).

    Raises:
        ValueError: a :class:`CommitOperationCopy` (not supported in a multi-commit).

    Example:
        >>> additions, deletions = plan_multi_commits(ops, max_operations_per_commit=100)
    """
    warn_experimental("plan_multi_commits")
    additions: List[List[CommitOperationAdd]] = []
    deletions: List[List[CommitOperationDelete]] = []
    group: List[CommitOperationAdd] = []
    group_size = 0
    pending_deletes: List[CommitOperationDelete] = []
    for operation in operations:
        if isinstance(operation, CommitOperationDelete):
            pending_deletes.append(operation)
            if len(pending_deletes) >= max_operations_per_commit:
                deletions.append(pending_deletes)
                pending_deletes = []
        elif isinstance(operation, CommitOperationAdd):
            size = operation.upload_info.size
            if size >= max_upload_size_per_commit:
                additions.append([operation])
            elif group_size + size < max_upload_size_per_commit:
                group.append(operation)
                group_size += size
            else:
                additions.append(group)
                group, group_size = [operation], size
        else:
            raise ValueError(
                f"Multi-commits support additions and deletions only, not {operation!r}:"
                " commit copies with `create_commit`."
            )
        if len(group) >= max_operations_per_commit:
            additions.append(group)
            group, group_size = [], 0
    if group:
        additions.append(group)
    if pending_deletes:
        deletions.append(pending_deletes)
    return additions, deletions


@dataclass
class MultiCommitStep:
    """One commit of a multi-commit upload.

    Attributes:
        operations: what the commit does (additions, or deletions).
        id: lowercase hex SHA-256 of the operations; also the commit's title.
        completed: the commit is on the pull request.
    """

    operations: List[StepOperation]
    id: str = field(init=False)
    completed: bool = False

    def __post_init__(self) -> None:
        if not self.operations:
            raise ValueError("A multi-commit step needs at least one operation.")
        digest = hashlib.sha256()
        for operation in self.operations:
            if isinstance(operation, CommitOperationAdd):
                digest.update(b"ADD" + operation.path_in_repo.encode())
                digest.update(operation.upload_info.sha256)
            else:
                digest.update(b"DELETE" + operation.path_in_repo.encode())
                digest.update(str(operation.is_folder).encode())
        self.id = digest.hexdigest()

    def line(self) -> str:
        """The step's line in the pull request description."""
        box = "x" if self.completed else " "
        added = [op for op in self.operations if isinstance(op, CommitOperationAdd)]
        if added:
            total = format_size(sum(op.upload_info.size for op in added))
            what = f"Upload {len(added)} file(s) totalling {total}"
        else:
            folders = sum(1 for op in self.operations if getattr(op, "is_folder", False))
            files = len(self.operations) - folders
            what = f"Delete {files} file(s) and {folders} folder(s)"
        return f"- [{box}] {what} ({self.id})"


@dataclass
class MultiCommitStrategy:
    """The steps of a multi-commit upload, deletions first, and the plan's id.

    Attributes:
        addition_steps: the addition commits, in plan order.
        deletion_steps: the deletion commits, in plan order.
        id: lowercase hex SHA-256 over the step ids (additions first, then deletions).
    """

    addition_steps: List[MultiCommitStep]
    deletion_steps: List[MultiCommitStep]
    id: str = field(init=False)

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        for step in self.addition_steps + self.deletion_steps:
            digest.update(b"new step" + step.id.encode())
        self.id = digest.hexdigest()

    @property
    def steps(self) -> List[MultiCommitStep]:
        """Every step in push order: the deletions, then the additions."""
        return self.deletion_steps + self.addition_steps


def build_strategy(
    addition_commits: Sequence[Sequence[CommitOperationAdd]],
    deletion_commits: Sequence[Sequence[CommitOperationDelete]],
) -> MultiCommitStrategy:
    """The strategy of a plan, after checking it can be pushed and resumed.

    Raises:
        ValueError: an empty step, two identical steps, or no step at all.
    """
    strategy = MultiCommitStrategy(
        addition_steps=[MultiCommitStep(list(ops)) for ops in addition_commits],
        deletion_steps=[MultiCommitStep(list(ops)) for ops in deletion_commits],
    )
    ids = [step.id for step in strategy.steps]
    if len(set(ids)) != len(ids):
        raise ValueError(
            "The multi-commit plan has two identical steps (same operations): remove the"
            " duplicates."
        )
    if not ids:
        raise ValueError("The multi-commit plan has no step: there is nothing to commit.")
    return strategy


def pr_title(commit_message: str, strategy: MultiCommitStrategy) -> str:
    """Title of the draft pull request; it carries the strategy id, to be found again."""
    return f"[WIP] {commit_message} (multi-commit {strategy.id})"


def pr_description(
    commit_message: str, commit_description: Union[str, None], strategy: MultiCommitStrategy
) -> str:
    """The pull request's description: the steps, each with its checkbox."""
    return _DESCRIPTION.format(
        commit_message=commit_message,
        commit_description=commit_description or "",
        strategy_id=strategy.id,
        steps="\n".join(step.line() for step in strategy.steps),
    )


def parse_step_ids(description: str) -> Set[str]:
    """The step ids listed in a pull request description (checkbox state ignored)."""
    return {match.group("step_id") for match in _STEP_LINE_RE.finditer(description)}


def format_size(num: float) -> str:
    """A byte count in decimal units, one decimal: ``3.0``, ``1.5K``, ``2.1G``."""
    for unit in _SIZE_UNITS:
        if abs(num) < 1000.0:
            return f"{num:.1f}{unit}"
        num /= 1000.0
    return f"{num:.1f}Y"
