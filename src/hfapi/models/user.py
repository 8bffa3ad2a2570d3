"""User data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List


@dataclass
class UserLikes:
    """The repositories a user liked.

    Attributes:
        user: the user name.
        total: number of likes (all repo types).
        datasets: liked dataset ids.
        models: liked model ids.
        spaces: liked Space ids.

    Example:
        >>> list_liked_repos("alice").models
        ['gpt2']
    """

    user: str
    total: int
    datasets: List[str]
    models: List[str]
    spaces: List[str]
