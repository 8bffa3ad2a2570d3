"""Tunable limits of the local Hub: LFS thresholds, page sizes, upload URL lifetime.

Every knob can be set three ways: as a keyword of :class:`~hfapi.hub.server.LocalHub`
(``LocalHub(lfs_multipart_threshold=100, lfs_chunk_size=50)``), in the ``settings``
object of the JSON config file, or at run time through ``PUT /_hub/config`` (admin
token) / :meth:`LocalHub.configure`. Tests shrink them to exercise multipart uploads
and pagination with tiny files.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, Dict, Mapping

MiB = 1024 * 1024


@dataclasses.dataclass
class HubSettings:
    """The knobs, with the production Hub's values (or our best guess) as defaults.

    Attributes:
        lfs_multipart_threshold: LFS objects of at least this size are uploaded in parts.
        lfs_chunk_size: size of each part of a multipart upload (the last may be shorter).
        regular_file_max_size: larger files must go through LFS; preupload says ``lfs``
            above it and the commit endpoint refuses bigger ``file`` lines.
        binary_file_max_size: a sample holding a NUL byte marks the file as binary;
            binary files larger than this go to LFS.
        tree_page_size: entries per page of a tree listing.
        tree_expand_page_size: entries per page of a tree listing with ``expand=True``.
        commits_page_size: commits per page of a history listing.
        likes_page_size: records per page of a user's likes.
        upload_url_ttl: seconds an LFS upload URL stays valid.
        lfs_stale_upload_age: seconds after which an idle temp file or multipart upload
            is abandoned and removed (never less than ``upload_url_ttl``).
    """

    lfs_multipart_threshold: int = 64 * MiB
    lfs_chunk_size: int = 16 * MiB
    regular_file_max_size: int = 10 * MiB
    binary_file_max_size: int = 1_000_000
    tree_page_size: int = 1000
    tree_expand_page_size: int = 50
    commits_page_size: int = 50
    likes_page_size: int = 100
    upload_url_ttl: int = 3600
    lfs_stale_upload_age: int = 24 * 3600

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.update({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def update(self, values: Mapping[str, Any]) -> None:
        """Change some knobs at once, after checking every value.

        Raises:
            ValueError: an unknown name, or a value that is not a positive integer.
        """
        known = {f.name for f in dataclasses.fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ValueError(f"Unknown setting {name!r}; known: {', '.join(sorted(known))}")
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"Setting {name!r} must be a positive integer, got {value!r}")
        with self._lock:
            for name, value in values.items():
                setattr(self, name, value)

    def as_dict(self) -> Dict[str, int]:
        """Return every knob and its current value."""
        with self._lock:
            return {f.name: int(getattr(self, f.name)) for f in dataclasses.fields(self)}
