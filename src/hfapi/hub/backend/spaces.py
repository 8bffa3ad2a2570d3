"""Spaces: a simulated runtime (stages, hardware, sleep time), write-only secrets, duplication.

The local Hub never runs an app; it plays the part of the Hub's scheduler instead. Each
Space has one ``space_runtimes`` row saying which commit of ``main`` was last built, when
that build started and on which hardware; the stage follows from that row, the
``space_build_seconds`` knob and the clock:

* no app file for the SDK (``app.py``, ``Dockerfile``, ``index.html``) → ``NO_APP_FILE``;
* a build in progress → ``BUILDING`` (``RUNNING_BUILDING`` while an earlier build still
  serves), then ``RUNNING`` once the build time has passed;
* an empty app file, the ``space_build_error`` knob or :meth:`Spaces.force_stage` →
  ``BUILD_ERROR`` (or the forced stage);
* paused by its owner → ``PAUSED`` until restarted.

A build starts on every push to ``main`` (a hook of the commit endpoint; other ways of
moving ``main``, such as a merged pull request, are noticed at the next look), on restart
and on any configuration change (hardware, secrets), as on the Hub.

Secret values are never kept: only a salted digest, so that no answer, dump or log can
ever contain them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import sqlite3
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..errors import bad_request
from ..settings import HubSettings
from ..storage import Storage
from .gitstore import GitStore
from .identity import Caller
from .lfs import Lfs
from .refs import Refs
from .repos import Repo, Repos, commit_author, split_repo_id

#: The hardware flavors a Space may request (``SpaceHardware`` values of the reference).
SPACE_HARDWARE = (
    "cpu-basic",
    "cpu-upgrade",
    "t4-small",
    "t4-medium",
    "a10g-small",
    "a10g-large",
    "a100-large",
)
#: The free tier: its sleep time is fixed and cannot be configured.
FREE_HARDWARE = "cpu-basic"
#: Seconds of inactivity after which a free Space goes to sleep (48 h on the Hub).
FREE_SLEEP_SECONDS = 48 * 3600
#: The file each SDK starts the app from.
APP_FILES = {
    "gradio": "app.py",
    "streamlit": "app.py",
    "docker": "Dockerfile",
    "static": "index.html",
}
#: Stages an admin may force on a Space (cleared by the next build).
FORCIBLE_STAGES = ("BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "STOPPED")
#: Environment variable names, as the Hub accepts them for secrets.
_SECRET_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
#: Longest secret value accepted, in characters.
MAX_SECRET_LENGTH = 64 * 1024
_MAIN = "refs/heads/main"


def migrate_spaces(db: sqlite3.Connection) -> None:
    """Create the Space tables: one runtime row per Space and its secrets' digests.

    ``space_runtimes`` columns: ``requested`` hardware (``NULL``: the one given at
    creation), ``sleep_time`` asked for upgraded hardware (``NULL``: never sleep),
    ``build_commit`` (the head of ``main`` last seen), ``build_started`` (clock time;
    ``NULL`` when there is nothing to build), ``build_hardware``, ``build_failed``,
    ``serving`` (hardware of the instance still serving during a rebuild), ``paused``
    and ``forced_stage``.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS space_runtimes ("
        " repo INTEGER PRIMARY KEY, requested TEXT, sleep_time INTEGER,"
        " build_commit TEXT, build_started REAL, build_hardware TEXT,"
        " build_failed INTEGER NOT NULL DEFAULT 0, serving TEXT,"
        " paused INTEGER NOT NULL DEFAULT 0, forced_stage TEXT)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS space_secrets ("
        " repo INTEGER NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL,"
        " PRIMARY KEY (repo, key))"
    )


@dataclasses.dataclass(frozen=True)
class SpaceRuntime:
    """What the runtime endpoint reports.

    Attributes:
        stage: a ``SpaceStage`` value (``RUNNING``, ``BUILDING``...).
        current: the hardware the app runs on now, ``None`` when nothing runs.
        requested: the hardware asked for.
        sleep_time: seconds of inactivity before sleeping, ``None`` for never.
    """

    stage: str
    current: Optional[str]
    requested: str
    sleep_time: Optional[int]


@dataclasses.dataclass(frozen=True)
class _State:
    """One ``space_runtimes`` row (defaults for a Space never looked at)."""

    requested: Optional[str] = None
    sleep_time: Optional[int] = None
    build_commit: Optional[str] = None
    build_started: Optional[float] = None
    build_hardware: Optional[str] = None
    build_failed: bool = False
    serving: Optional[str] = None
    paused: bool = False
    forced_stage: Optional[str] = None


_FIELDS = tuple(field.name for field in dataclasses.fields(_State))


def check_hardware(flavor: Any) -> str:
    """Return ``flavor`` if it names a Space hardware.

    Raises:
        HubError: 400 otherwise.
    """
    if not isinstance(flavor, str) or flavor not in SPACE_HARDWARE:
        raise bad_request(f"Invalid hardware {flavor!r}; use one of {', '.join(SPACE_HARDWARE)}")
    return flavor


def check_sleep_time(seconds: Any) -> int:
    """Return ``seconds`` if it is a sleep time: a positive integer, or ``-1`` for never.

    Raises:
        HubError: 400 otherwise.
    """
    if (
        isinstance(seconds, bool)
        or not isinstance(seconds, int)
        or not (seconds == -1 or seconds > 0)
    ):
        raise bad_request("The sleep time must be a positive number of seconds, or -1 for never")
    return seconds


def check_secret_key(key: Any) -> str:
    """Return ``key`` if it is a valid secret name (an environment variable name).

    Raises:
        HubError: 400 otherwise (the message never quotes anything but the key).
    """
    if not isinstance(key, str) or not _SECRET_KEY_RE.match(key):
        raise bad_request(
            "A secret 'key' must be a name of letters, digits and '_', not starting with a"
            " digit, at most 128 characters"
        )
    return key


def _digest(value: str) -> str:
    salt = secrets.token_hex(16)
    return salt + "$" + hashlib.sha256((salt + value).encode("utf-8", "surrogatepass")).hexdigest()


class Spaces:
    """Runtimes, hardware, sleep time, secrets and duplication of Spaces.

    Args:
        clock: seconds since the epoch; tests replace the ``clock`` attribute to move
            builds forward without waiting.
    """

    def __init__(
        self,
        storage: Storage,
        settings: HubSettings,
        repos: Repos,
        refs: Refs,
        git: GitStore,
        lfs: Lfs,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.storage = storage
        self.settings = settings
        self.repos = repos
        self.refs = refs
        self.git = git
        self.lfs = lfs
        self.clock = clock
        repos.delete_hooks.append(self._forget)

    # -- access -----------------------------------------------------------------------------

    def visible(self, caller: Optional[Caller], repo_id: str) -> Repo:
        """A Space the caller may see (else 401/404 ``RepoNotFound``)."""
        return self.repos.visible(caller, "space", repo_id)

    def manageable(self, caller: Optional[Caller], repo_id: str) -> Repo:
        """A Space the caller may manage: seen, then writable (401/404, then 403)."""
        return self.repos.writable(caller, "space", repo_id)

    # -- reading the runtime ----------------------------------------------------------------

    def runtime(self, repo: Repo) -> SpaceRuntime:
        """The Space's runtime now, after catching up with any new head of ``main``."""
        with self.storage.transaction() as db:
            state = self._synced(db, repo)
        return self._report(repo, state)

    def _report(self, repo: Repo, state: _State) -> SpaceRuntime:
        stage, current = self._stage(state)
        requested = self._requested(repo, state)
        return SpaceRuntime(stage, current, requested, self._sleep_time(requested, state))

    def _stage(self, state: _State) -> Tuple[str, Optional[str]]:
        """``(stage, current hardware)`` of a state at the clock's time."""
        if state.paused:
            return "PAUSED", None
        if state.forced_stage is not None:
            return state.forced_stage, None
        if state.build_started is None:
            return "NO_APP_FILE", None
        if state.build_failed:
            return "BUILD_ERROR", None
        if self.clock() < state.build_started + self.settings.space_build_seconds:
            building = "RUNNING_BUILDING" if state.serving else "BUILDING"
            return building, state.serving
        return "RUNNING", state.build_hardware

    @staticmethod
    def _requested(repo: Repo, state: _State) -> str:
        return state.requested or repo.hardware or FREE_HARDWARE

    @staticmethod
    def _sleep_time(requested: str, state: _State) -> Optional[int]:
        # Free hardware always sleeps after 48 h; upgraded hardware never does unless asked.
        if requested == FREE_HARDWARE:
            return FREE_SLEEP_SECONDS
        return None if state.sleep_time in (None, -1) else state.sleep_time

    # -- state rows -------------------------------------------------------------------------

    @staticmethod
    def _load(db: sqlite3.Connection, pk: int) -> Optional[_State]:
        row = db.execute(
            f"SELECT {', '.join(_FIELDS)} FROM space_runtimes WHERE repo = ?", (pk,)
        ).fetchone()
        if row is None:
            return None
        values = dict(zip(_FIELDS, row))
        values["build_failed"] = bool(values["build_failed"])
        values["paused"] = bool(values["paused"])
        return _State(**values)

    @staticmethod
    def _save(db: sqlite3.Connection, pk: int, state: _State) -> None:
        values = dataclasses.astuple(state)
        db.execute(
            f"INSERT OR REPLACE INTO space_runtimes (repo, {', '.join(_FIELDS)})"
            f" VALUES (?{', ?' * len(_FIELDS)})",
            (pk, *values),
        )

    def _head(self, repo: Repo) -> str:
        return self.repos.resolve(repo, _MAIN).commit

    def _synced(self, db: sqlite3.Connection, repo: Repo) -> _State:
        """The stored state, with a build started if ``main`` moved since it was last seen."""
        state = self._load(db, repo.pk)
        head = self._head(repo)
        if state is not None and state.build_commit == head:
            return state
        state = self._build(repo, state or _State(), head)
        self._save(db, repo.pk, state)
        return state

    def _build(self, repo: Repo, state: _State, head: str, resume: bool = False) -> _State:
        """The state once a build of ``head`` starts.

        A paused Space only records the head, unless ``resume`` (a restart) ends the pause.
        An app still serving (its earlier build finished) keeps serving during the build.
        """
        if state.paused and not resume:
            return dataclasses.replace(state, build_commit=head)
        stage, current = self._stage(state)
        serving = current if stage in ("RUNNING", "RUNNING_BUILDING") else None
        state = dataclasses.replace(state, build_commit=head, paused=False, forced_stage=None)
        app = self.git.snapshot(head).files.get(APP_FILES.get(repo.sdk or "", ""))
        if app is None:
            return dataclasses.replace(state, build_started=None, serving=None)
        info = self.git.blob_infos([app]).get(app)
        empty = info is not None and info.size == 0
        return dataclasses.replace(
            state,
            build_started=self.clock(),
            build_hardware=self._requested(repo, state),
            build_failed=empty or self.settings.space_build_error,
            serving=serving,
        )

    def _rebuild(
        self, db: sqlite3.Connection, repo: Repo, state: _State, resume: bool = False
    ) -> _State:
        """Start a new build of the current head, save and return the state."""
        state = self._build(repo, state, self._head(repo), resume)
        self._save(db, repo.pk, state)
        return state

    def on_commit(
        self, db: sqlite3.Connection, repo: Repo, ref: str, oid: str, files: Dict[str, str]
    ) -> None:
        """Commit hook: a push to a Space's ``main`` starts a build (inside the commit)."""
        if repo.type != "space" or ref != _MAIN:
            return
        state = self._load(db, repo.pk) or _State()
        self._save(db, repo.pk, self._build(repo, state, oid))

    def _forget(self, db: Any, pk: int) -> None:
        # Deletion hook of the repos module: the Space's rows go with it.
        db.execute("DELETE FROM space_runtimes WHERE repo = ?", (pk,))
        db.execute("DELETE FROM space_secrets WHERE repo = ?", (pk,))

    # -- management -------------------------------------------------------------------------

    def request_hardware(
        self, caller: Optional[Caller], repo_id: str, flavor: Any, sleep_time: Any = None
    ) -> SpaceRuntime:
        """Ask for other hardware (and optionally a sleep time); the app restarts on it.

        Raises:
            HubError: 401/404, 403, then 400 (unknown flavor, bad sleep time, upgraded
                hardware for a static Space).
        """
        repo = self.manageable(caller, repo_id)
        flavor = check_hardware(flavor)
        if sleep_time is not None:
            sleep_time = check_sleep_time(sleep_time)
        if repo.sdk == "static" and flavor != FREE_HARDWARE:
            raise bad_request("Static Spaces are served on free hardware only")
        with self.storage.transaction() as db:
            state = self._synced(db, repo)
            state = dataclasses.replace(
                state,
                requested=flavor,
                sleep_time=state.sleep_time if sleep_time is None else sleep_time,
            )
            state = self._rebuild(db, repo, state)
        return self._report(repo, state)

    def set_sleep_time(self, caller: Optional[Caller], repo_id: str, seconds: Any) -> SpaceRuntime:
        """Set the sleep time of upgraded hardware (kept, but not applied, on free hardware).

        Raises:
            HubError: 401/404, 403, then 400 (not a positive integer or -1).
        """
        repo = self.manageable(caller, repo_id)
        seconds = check_sleep_time(seconds)
        with self.storage.transaction() as db:
            state = dataclasses.replace(self._synced(db, repo), sleep_time=seconds)
            self._save(db, repo.pk, state)
        return self._report(repo, state)

    def pause(self, caller: Optional[Caller], repo_id: str) -> SpaceRuntime:
        """Stop the app until its owner restarts it.

        Raises:
            HubError: 401/404, 403, then 400 for a static Space.
        """
        repo = self._restartable(caller, repo_id, "paused")
        with self.storage.transaction() as db:
            state = self._synced(db, repo)
            state = dataclasses.replace(state, paused=True, serving=None)
            self._save(db, repo.pk, state)
        return self._report(repo, state)

    def restart(self, caller: Optional[Caller], repo_id: str) -> SpaceRuntime:
        """Rebuild and start the app again (also ends a pause).

        Raises:
            HubError: 401/404, 403, then 400 for a static Space.
        """
        repo = self._restartable(caller, repo_id, "restarted")
        with self.storage.transaction() as db:
            state = self._rebuild(db, repo, self._synced(db, repo), resume=True)
        return self._report(repo, state)

    def _restartable(self, caller: Optional[Caller], repo_id: str, what: str) -> Repo:
        repo = self.manageable(caller, repo_id)
        if repo.sdk == "static":
            raise bad_request(f"Static Spaces cannot be {what}: they are served as files")
        return repo

    def force_stage(self, repo: Repo, stage: Any) -> SpaceRuntime:
        """Put a Space in an error stage until its next build (a control-surface call).

        Raises:
            HubError: 400 for a stage that cannot be forced.
        """
        if stage not in FORCIBLE_STAGES:
            raise bad_request(f"The stage must be one of {', '.join(FORCIBLE_STAGES)}")
        if repo.type != "space":
            raise bad_request("Only Spaces have a runtime")
        with self.storage.transaction() as db:
            state = dataclasses.replace(self._synced(db, repo), forced_stage=stage, serving=None)
            self._save(db, repo.pk, state)
        return self._report(repo, state)

    # -- secrets ----------------------------------------------------------------------------

    def add_secret(self, caller: Optional[Caller], repo_id: str, key: Any, value: Any) -> None:
        """Store a secret (replacing one of the same key); the app restarts to see it.

        Raises:
            HubError: 401/404, 403, then 400 (bad key, value not a string or too long).
        """
        repo = self.manageable(caller, repo_id)
        key = check_secret_key(key)
        if not isinstance(value, str):
            raise bad_request("A secret 'value' must be a string")
        if len(value) > MAX_SECRET_LENGTH:
            raise bad_request(f"A secret value is limited to {MAX_SECRET_LENGTH} characters")
        with self.storage.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO space_secrets (repo, key, digest) VALUES (?, ?, ?)",
                (repo.pk, key, _digest(value)),
            )
            self._rebuild(db, repo, self._synced(db, repo))

    def delete_secret(self, caller: Optional[Caller], repo_id: str, key: Any) -> None:
        """Remove a secret; removing a missing one succeeds and changes nothing.

        Raises:
            HubError: 401/404, 403, then 400 (bad key).
        """
        repo = self.manageable(caller, repo_id)
        key = check_secret_key(key)
        with self.storage.transaction() as db:
            cursor = db.execute(
                "DELETE FROM space_secrets WHERE repo = ? AND key = ?", (repo.pk, key)
            )
            if cursor.rowcount:
                self._rebuild(db, repo, self._synced(db, repo))

    def secret_keys(self, repo: Repo) -> List[str]:
        """The names of a Space's secrets (never their values, which are not kept)."""
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT key FROM space_secrets WHERE repo = ? ORDER BY key", (repo.pk,)
            ).fetchall()
        return [str(row[0]) for row in rows]

    # -- duplication ------------------------------------------------------------------------

    def duplicate(
        self,
        caller: Optional[Caller],
        from_id: str,
        target: Optional[str],
        private: Optional[bool],
    ) -> Repo:
        """Copy a Space: its files (one commit), SDK, requested hardware and sleep time.

        Secrets are not copied. The copy is made in one transaction: a failure leaves no
        half-made repo.

        Args:
            target: ``namespace/name`` of the copy; ``None``: the source's name in the
                caller's namespace.
            private: visibility of the copy; ``None``: the source's.

        Raises:
            HubError: 401/404 for a source the caller cannot see, 400 for a bad target,
                401/403 without rights in the target namespace, 409 when it exists.
        """
        source = self.visible(caller, from_id)
        namespace, name = self._target(caller, source, target)
        with self.storage.transaction() as db:
            state = self._synced(db, source)
            copy = self.repos.create(
                caller,
                "space",
                namespace,
                name,
                source.private if private is None else private,
                source.sdk,
                self._requested(source, state),
            )
            head = self._copy_files(db, caller, source, copy)
            settings = _State(requested=copy.hardware, sleep_time=state.sleep_time)
            self._save(db, copy.pk, self._build(copy, settings, head))
        return copy

    @staticmethod
    def _target(caller: Optional[Caller], source: Repo, target: Optional[str]) -> Tuple[str, str]:
        if target is None:
            if caller is None or caller.name is None:
                raise bad_request("Give the target 'repository' as namespace/name")
            return caller.name, source.name
        if target.count("/") != 1:
            raise bad_request("The target 'repository' must have the form namespace/name")
        return split_repo_id(target)

    def _copy_files(
        self, db: sqlite3.Connection, caller: Optional[Caller], source: Repo, copy: Repo
    ) -> str:
        """Commit the source's files on the copy's ``main``; return the new head."""
        files = dict(self.git.snapshot(self._head(source)).files)
        base = self._head(copy)
        oid = self.git.write_commit(
            db,
            files,
            (base,),
            *commit_author(caller),
            int(time.time()),
            f"Duplicate from {source.repo_id}",
            "",
        )
        self.repos.record_commit(db, copy.pk, oid)
        infos = self.git.blob_infos(files.values())
        self.lfs.promote(db, copy.pk, [i.lfs_oid for i in infos.values() if i.lfs_oid])
        self.refs.move(db, copy.pk, _MAIN, oid, base)
        return oid

    # -- dump -------------------------------------------------------------------------------

    def dump(self) -> List[Dict[str, Any]]:
        """Every Space's runtime and secret names, as JSON-ready data (no secret values)."""
        spaces = []
        for repo in self.repos.all():
            if repo.type != "space":
                continue
            runtime = self.runtime(repo)
            spaces.append(
                {
                    "repo": repo.pk,
                    "id": repo.repo_id,
                    "stage": runtime.stage,
                    "hardware": {"current": runtime.current, "requested": runtime.requested},
                    "gcTimeout": runtime.sleep_time,
                    "secretKeys": self.secret_keys(repo),
                }
            )
        return spaces
