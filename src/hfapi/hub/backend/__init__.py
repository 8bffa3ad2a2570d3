"""State and rules of the local Hub, with no knowledge of HTTP.

:class:`Backend` wires the domain objects together over one :class:`Storage` and offers
the control surface used by the admin routes and by :class:`~hfapi.hub.LocalHub`:
start-up accounts, configuration files, seeding, reset and state dumps.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple

from ..errors import bad_request, conflict
from ..faults import FaultInjector
from ..settings import HubSettings
from ..storage import Storage
from . import gitobj
from .cards import Cards
from .commits import Commits, check_path
from .config import check_config, config_entry
from .discussions import Discussions
from .gitstore import BlobInfo, GitStore
from .identity import Caller, Identity, new_token
from .lfs import Lfs
from .likes import Likes
from .pulls import PullRequests
from .refs import Refs
from .repos import Repo, Repos, split_repo_id
from .search import Search
from .spaces import Spaces

__all__ = ["Backend", "Caller", "Repo"]

DEFAULT_USER = "hub-user"
#: Key of the ``settings`` table holding the knobs changed at run time (JSON).
_KNOBS_KEY = "knobs"


class Backend:
    """Everything the Hub knows, and the operations on it.

    Args:
        storage: where the state lives.
        settings: the tunable limits.
        default_user: user created at start-up (with a write token) if missing.
        admin_token: the admin token; by default the one stored in the data directory,
            or a new random one.
        config: accounts, settings and repos to create (see :meth:`apply_config`);
            applied at start-up and again after every reset.
    """

    def __init__(
        self,
        storage: Storage,
        settings: HubSettings,
        default_user: str = DEFAULT_USER,
        admin_token: Optional[str] = None,
        config: Optional[Mapping[str, Any]] = None,
    ) -> None:
        self.storage = storage
        self.settings = settings
        settings.detach_store()  # a restarted LocalHub reuses its settings object
        self.default_user = default_user
        admin = admin_token or storage.get_setting("admin_token") or new_token("hf_admin_")
        storage.set_setting("admin_token", admin)
        secret = storage.get_setting("secret") or secrets.token_hex(32)
        storage.set_setting("secret", secret)
        self.identity = Identity(storage, admin)
        self.git = GitStore(storage)
        self.repos = Repos(storage, self.identity, self.git)
        self.refs = Refs(storage, self.repos, self.git)
        self.lfs = Lfs(storage, self.repos, settings, secret)
        self.discussions = Discussions(storage, self.identity, self.repos, self.refs)
        self.pulls = PullRequests(storage, self.discussions, self.repos, self.refs, self.git)
        self.commits = Commits(
            storage,
            settings,
            self.identity,
            self.repos,
            self.refs,
            self.git,
            self.lfs,
            self.pulls,
        )
        self.likes = Likes(storage, self.identity, self.repos)
        self.cards = Cards(storage, self.git)
        self.commits.hooks.append(self.cards.on_commit)
        self.repos.delete_hooks.append(self.cards.forget_repo)
        self.search = Search(storage, self.repos, self.cards, self.git)
        self.spaces = Spaces(storage, settings, self.repos, self.refs, self.git, self.lfs)
        self.commits.hooks.append(self.spaces.on_commit)
        self.faults = FaultInjector()  # off until a plan is set; never persisted
        self._config = dict(config or {})
        self.default_token = self._bootstrap()
        if config:
            self.apply_config(config)
        settings.attach_store(self._stored_knobs(), self._store_knobs)

    def _stored_knobs(self) -> Dict[str, Any]:
        raw = self.storage.get_setting(_KNOBS_KEY)
        try:
            stored = json.loads(raw) if raw else {}
        except ValueError:
            return {}  # an unreadable value is dropped: defaults are always safe
        return stored if isinstance(stored, dict) else {}

    def _store_knobs(self, knobs: Dict[str, Any]) -> None:
        self.storage.set_setting(_KNOBS_KEY, json.dumps(knobs, sort_keys=True))

    @property
    def admin_token(self) -> str:
        """The token that may use the admin routes."""
        return self.identity.admin_token

    @property
    def admin(self) -> Caller:
        """The admin caller, for operations made through the Python API."""
        caller = self.identity.authenticate(self.admin_token)
        assert caller is not None
        return caller

    def _bootstrap(self) -> str:
        key = f"default_token:{self.default_user}"
        token = self.storage.get_setting(key) or new_token()
        with self.storage.transaction():
            if self.identity.account_kind(self.default_user) is None:
                self.identity.add_user(self.default_user, fullname="Local Hub user")
            if self.identity.authenticate_or_none(token) is None:
                self.identity.add_token(self.default_user, "write", "default token", token)
        self.storage.set_setting(key, token)
        return token

    def reset(self) -> None:
        """Forget every account, repo and object, then recreate the start-up state.

        The default user, its token and the admin token keep their values.
        """
        with self.storage.transaction():
            self.storage.wipe()
            self.discussions.clear()
        self.git.clear_caches()
        self._bootstrap()
        if self._config:
            self.apply_config(self._config)

    # -- configuration and seeding ----------------------------------------------------------

    def apply_config(self, config: Mapping[str, Any]) -> Dict[str, Any]:
        """Create the users, organisations, tokens and repos a config describes.

        Shape (every key optional; existing accounts and tokens are kept, so applying
        the same file twice is harmless)::

            {"settings": {"tree_page_size": 10},
             "users": [{"name": "alice", "fullname": "Alice", "email": "a@x.org",
                        "tokens": [{"token": "hf_alice", "role": "write", "name": "ci"}]}],
             "orgs": [{"name": "acme", "members": {"alice": "admin"}, "apiToken": "api_org_x"}],
             "repos": [{"repo_id": "alice/demo", "repo_type": "model", "private": false,
                        "files": {"README.md": "# hi", "w.bin": {"base64": "AAE="}}}]}

        Returns:
            The tokens created: ``{"users": {name: [tokens]}, "orgs": {name: api token}}``.

        Raises:
            HubError: 400 for a malformed config, 409 for a name or token value another
                account holds, ...; the message starts with the entry, e.g.
                ``users[1] ('bob'): ``. Nothing of a refused config is applied.
        """
        check_config(config)
        try:
            with self.storage.transaction():  # all or nothing
                return self._apply_config(config)
        except (KeyError, TypeError, AttributeError) as error:
            raise bad_request(f"Malformed config: {error!r}") from None

    def _apply_config(self, config: Mapping[str, Any]) -> Dict[str, Any]:
        created: Dict[str, Any] = {"users": {}, "orgs": {}}
        if config.get("settings"):
            with config_entry("settings"):
                try:
                    self.settings.update(config["settings"])
                except ValueError as error:
                    raise bad_request(str(error)) from None
        for index, user in enumerate(config.get("users") or []):
            with config_entry(f"users[{index}] ({user['name']!r})"):
                created["users"][user["name"]] = self._apply_user(user)
        for index, org in enumerate(config.get("orgs") or []):
            name = org["name"]
            with config_entry(f"orgs[{index}] ({name!r})"):
                self._check_kind(name, "org")
                if self.identity.account_kind(name) is None:
                    created["orgs"][name] = self.identity.add_org(
                        name, org.get("fullname"), None, org.get("apiToken")
                    )
                for user, role in (org.get("members") or {}).items():
                    self.identity.set_member(name, user, role)
        for index, spec in enumerate(config.get("repos") or []):
            with config_entry(f"repos[{index}]"):
                self.seed_repo(spec)
        return created

    def _apply_user(self, user: Mapping[str, Any]) -> List[str]:
        name = user["name"]
        self._check_kind(name, "user")
        is_new = self.identity.account_kind(name) is None
        if is_new:
            self.identity.add_user(name, user.get("fullname"), user.get("email"))
        # A new user gets one write token unless the config lists some; tokens with a
        # fixed value are (re)created when missing, random ones only for new users.
        specs = user.get("tokens", [{"role": "write"}])
        return [
            self._ensure_token(name, spec.get("role", "write"), spec.get("name"), value)
            for spec in specs
            if (value := spec.get("token")) or is_new
        ]

    def _check_kind(self, name: str, kind: str) -> None:
        # An entry may name an existing account of its own kind (re-applying a config).
        existing = self.identity.account_kind(name)
        if existing not in (None, kind):
            raise conflict(f"The name {name!r} is already taken by a {existing}")

    def _ensure_token(
        self, owner: str, role: str, display: Optional[str], value: Optional[str]
    ) -> str:
        known = self.identity.authenticate_or_none(value) if value else None
        if known is not None and known.name == owner and known.kind == "user":
            return str(value)  # applying the same config again
        return self.identity.add_token(owner, role, display, value)

    def seed_repo(self, spec: Mapping[str, Any]) -> Repo:
        """Create a repo (if missing) and commit files to it, as the admin.

        Args:
            spec: ``repo_id``, optional ``repo_type``, ``private``, ``sdk``, ``branch``,
                ``message``, ``files`` = ``{path: text or {"base64": ...}}``, and the
                counters ``downloads`` and ``likes`` (non-negative integers).

        Raises:
            HubError: 400 for a malformed spec, as for the matching API calls otherwise.
        """
        repo_id = _check_seed_spec(spec)
        # Files are decoded before the repo is created, so a bad one leaves no empty repo.
        contents = _seed_contents(spec.get("files") or {})
        repo_type = spec.get("repo_type") or "model"
        repo = self.repos.find(repo_type, repo_id)
        if repo is None:
            namespace, name = split_repo_id(repo_id)
            repo = self.repos.create(
                self.admin,
                repo_type,
                namespace,
                name,
                bool(spec.get("private")),
                spec.get("sdk") or ("gradio" if repo_type == "space" else None),
            )
        if contents:
            self.commit_contents(
                repo, contents, spec.get("branch") or "main", spec.get("message") or "Seed files"
            )
        if spec.get("downloads") is not None or spec.get("likes") is not None:
            self.search.set_counters(repo, spec.get("downloads"), spec.get("likes"))
        return repo

    def commit_contents(
        self,
        repo: Repo,
        contents: Mapping[str, bytes],
        branch: str = "main",
        title: str = "Add files",
    ) -> str:
        """Commit whole files (as the admin), sending each to LFS or inline as preupload would.

        Returns:
            The new commit id.
        """
        head = self.repos.resolve(repo, branch).commit
        rules = self.commits.gitattributes_rules(self.git.snapshot(head).files)
        lines = [{"key": "header", "value": {"summary": title, "description": ""}}]
        for path, data in contents.items():
            check_path(path)
            lfs = len(data) > 0 and (
                gitobj.is_lfs_tracked(rules, path)
                or len(data) > self.settings.regular_file_max_size
                or (b"\0" in data[:512] and len(data) > self.settings.binary_file_max_size)
            )
            if lfs:
                oid = self.lfs.store_bytes(repo.pk, data)
                lines.append({"key": "lfsFile", "value": {"path": path, "oid": oid}})
            else:
                encoded = base64.b64encode(data).decode()
                lines.append({"key": "file", "value": {"path": path, "content": encoded}})
        payload = [json.dumps(line).encode() for line in lines]
        result = self.commits.commit(self.admin, repo.type, repo.repo_id, branch, payload, False)
        return result.oid

    # -- file contents ----------------------------------------------------------------------

    @staticmethod
    def _content_key(info: BlobInfo) -> Tuple[str, str]:
        # LFS files are served from the LFS object, others from the git blob.
        return ("git", info.oid) if info.lfs_oid is None else ("lfs", info.lfs_oid)

    def file_size(self, info: BlobInfo) -> int:
        """Size of the bytes a download of this file sends (the LFS object for LFS files)."""
        return self.storage.content_size(*self._content_key(info))

    def read_file(self, info: BlobInfo, start: int, length: int) -> Iterator[bytes]:
        """The file's bytes ``[start, start + length)``, read lazily in blocks."""
        return self.storage.read_range(*self._content_key(info), start, length)

    # -- dump -------------------------------------------------------------------------------

    def dump(self) -> Dict[str, Any]:
        """The whole state as JSON-ready data (accounts, repos with refs and files, likes)."""
        repos: List[Dict[str, Any]] = []
        for repo in self.repos.all():
            refs = self.repos.refs(repo)
            head = refs.get("refs/heads/main", ("", None))[0]
            files = self.git.snapshot(head).files if head else {}
            infos = self.git.blob_infos(files.values())
            repos.append(
                {
                    "pk": repo.pk,
                    "id": repo.repo_id,
                    "type": repo.type,
                    "private": repo.private,
                    "createdAt": repo.created_at,
                    "refs": {name: target for name, (target, _) in refs.items()},
                    "files": {
                        path: {"oid": oid, "size": infos[oid].size, "lfs": infos[oid].lfs_oid}
                        for path, oid in files.items()
                        if oid in infos
                    },
                }
            )
        with self.storage.transaction() as db:
            likes = db.execute("SELECT user, repo, created_at FROM likes ORDER BY rowid").fetchall()
        return {
            **self.identity.dump(),
            "settings": self.settings.as_dict(),
            "repos": repos,
            "likes": [{"user": u, "repo": r, "createdAt": c} for u, r, c in likes],
            "lfs": self.lfs.dump(),
            "discussions": self.discussions.dump(),
            "spaces": self.spaces.dump(),
            "time": time.time(),
        }


def _check_seed_spec(spec: Mapping[str, Any]) -> str:
    """Check the fields of a seeded repo spec (not its files); return its repo id.

    Raises:
        HubError: 400 for a missing repo id, a ``private`` other than a JSON boolean or
            null, or a non-string ``repo_type``, ``sdk``, ``branch`` or ``message``.
    """
    repo_id = spec.get("repo_id")
    if not isinstance(repo_id, str):
        raise bad_request("A seeded repo needs a 'repo_id'")
    if not isinstance(spec.get("private", False), (bool, type(None))):
        raise bad_request(f"Repo {repo_id!r}: 'private' must be true or false")
    for key in ("repo_type", "sdk", "branch", "message"):
        if not isinstance(spec.get(key, ""), (str, type(None))):
            raise bad_request(f"Repo {repo_id!r}: {key!r} must be a string")
    return repo_id


def _seed_contents(files: Any) -> Dict[str, bytes]:
    """The bytes of each seeded file: ``{path: text or {"base64": ...}}``.

    Raises:
        HubError: 400 for an invalid path, a value of another shape or invalid base64
            (which a lenient decoder would silently turn into an empty or truncated file).
    """
    if not isinstance(files, Mapping):
        raise bad_request("'files' must map paths to contents")
    contents: Dict[str, bytes] = {}
    for path, value in files.items():
        check_path(path)
        if isinstance(value, str):
            contents[path] = value.encode()
        elif isinstance(value, Mapping) and isinstance(value.get("base64"), str):
            # Line breaks are allowed (``base64`` tools wrap lines); other junk is not.
            encoded = "".join(value["base64"].split())
            try:
                contents[path] = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise bad_request(f"File {path!r}: invalid base64 content") from None
        else:
            raise bad_request(f"File {path!r}: give a string or {{'base64': ...}}")
    return contents
