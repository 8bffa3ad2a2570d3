"""Tunable limits and behaviours of the local Hub: LFS thresholds, page sizes, token rules.

Every knob can be set three ways: as a keyword of :class:`~hfapi.hub.server.LocalHub`
(``LocalHub(lfs_multipart_threshold=100, lfs_chunk_size=50)``), in the ``settings``
object of the JSON config file, or at run time through ``PUT /_hub/config`` (admin
token) / :meth:`LocalHub.configure`. Tests shrink them to exercise multipart uploads
and pagination with tiny files.

Persistence: knobs changed at run time are stored in the data directory and come back
at the next start; knobs given at start (``LocalHub`` keywords, ``--set``, the config
file's ``settings``) win over stored values for that run, without being stored.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any, Callable, Dict, Mapping, Optional, Set, Union

Knob = Union[int, bool]

MiB = 1024 * 1024

#: Integer knobs for which ``0`` means "off" rather than being refused.
_ZERO_MEANS_OFF = frozenset({"network_rtt_ms", "network_bandwidth_kbps"})


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
        reject_unknown_tokens: answer 401 to any request carrying a token the Hub does
            not know. Off by default: as the 2023 Hub did (and huggingface_hub 0.16's own
            tests rely on), such a token is then ignored on public reads (info, tree,
            paths-info, refs, commits, resolve), so a stale cached token does not break
            public downloads; writes and private reads still answer 401.
        space_build_seconds: how long a Space's build lasts (``BUILDING``) before the app
            is ``RUNNING``; time comes from the Spaces backend's clock.
        space_build_error: every Space build started while on ends in ``BUILD_ERROR``.
        network_rtt_ms: emulated round-trip time added to every request on the socket
            (upload URLs included), plus one more for the first request of a connection
            (its TCP handshake); ``0`` (the default) adds nothing.
        network_bandwidth_kbps: emulated bandwidth of each connection, in kilobits per
            second, applied to request and response bodies; ``0`` (the default) means
            unlimited. Both network knobs are deterministic (no jitter); see
            :mod:`hfapi.hub.netem`.
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
    reject_unknown_tokens: bool = False
    space_build_seconds: int = 10
    space_build_error: bool = False
    network_rtt_ms: int = 0
    network_bandwidth_kbps: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._save_lock = threading.Lock()
        defaults = HubSettings.__dataclass_fields__
        #: Knobs given before the store was attached: they win over stored values.
        self._given: Set[str] = {
            f.name
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != defaults[f.name].default
        }
        self._save: Optional[Callable[[Dict[str, Knob]], None]] = None
        self._changed: Dict[str, Knob] = {}
        self.check({f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    @classmethod
    def kind_of(cls, name: str) -> type:
        """``bool`` or ``int``: the type of a knob's values.

        Raises:
            ValueError: an unknown name.
        """
        field = cls.__dataclass_fields__.get(name)
        if field is None:
            known = ", ".join(sorted(cls.__dataclass_fields__))
            raise ValueError(f"Unknown setting {name!r}; known: {known}")
        return bool if field.type in ("bool", bool) else int

    @classmethod
    def check(cls, values: Mapping[str, Any]) -> None:
        """Check knob names and values without changing anything.

        Raises:
            ValueError: an unknown name, or a value of the wrong kind.
        """
        for name, value in values.items():
            if cls.kind_of(name) is bool:
                if not isinstance(value, bool):
                    raise ValueError(f"Setting {name!r} must be true or false, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"Setting {name!r} must be a positive integer, got {value!r}")
            elif value < 0 or (value == 0 and name not in _ZERO_MEANS_OFF):
                least = "0 or more" if name in _ZERO_MEANS_OFF else "a positive integer"
                raise ValueError(f"Setting {name!r} must be {least}, got {value!r}")

    def update(self, values: Mapping[str, Any]) -> None:
        """Change some knobs at once, after checking every value.

        Before :meth:`attach_store` the knobs count as given at start; afterwards the
        change is also stored.

        Raises:
            ValueError: an unknown name, or a value of the wrong kind (integers must be
                positive).
        """
        self.check(values)
        # Saves take turns under their own lock, so that the storage is never entered
        # while holding the lock that readers of the knobs take.
        with self._save_lock:
            with self._lock:
                for name, value in values.items():
                    setattr(self, name, value)
                save = self._save
                if save is None:
                    self._given.update(values)
                    return
                self._changed.update(values)
                changed = dict(self._changed)
            save(changed)

    def attach_store(
        self, stored: Mapping[str, Any], save: Callable[[Dict[str, Knob]], None]
    ) -> None:
        """Load the knobs stored by earlier runs and store later changes with ``save``.

        Stored knobs that were given at start are skipped; unknown or invalid ones (a
        knob that a newer version wrote, say) are dropped rather than failing the start.

        Args:
            stored: the knobs changed at run time by earlier runs.
            save: called with every knob changed at run time so far, after each change.
        """
        usable: Dict[str, Knob] = {}
        for name, value in stored.items():
            try:
                self.check({name: value})
            except ValueError:
                continue
            usable[name] = value
        with self._lock:
            self._changed = dict(usable)
            for name, value in usable.items():
                if name not in self._given:
                    setattr(self, name, value)
            self._save = save

    def detach_store(self) -> None:
        """Stop storing changes (the storage is closing); later changes count as given."""
        with self._save_lock, self._lock:
            self._save = None

    def as_dict(self) -> Dict[str, Knob]:
        """Return every knob and its current value."""
        with self._lock:
            return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
