"""Users, organisations, tokens, and who may see or change what.

Rules (as on the Hub):

* a token has the role ``read`` or ``write``; an organisation's ``api_org_…`` token
  acts as the organisation with the ``read`` role;
* a user owns the namespace of the same name; members of an organisation with the role
  ``write`` or ``admin`` may write its repos, every member may read its private repos;
* the admin token may do everything, including the reserved ``/_hub/`` routes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
import string
from typing import Any, Dict, List, Optional

from ..errors import HubError, bad_request, conflict, not_found, unauthorized
from ..storage import Storage
from . import timefmt

TOKEN_ROLES = ("read", "write")
ORG_ROLES = ("read", "write", "admin")
# Letters, digits, "_", "-" and "."; "-" and "." never at either end. Underscores may:
# the Hub's own test account is "__DUMMY_TRANSFORMERS_USER__".
_NAME_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")
#: Names the Hub keeps for its own URLs (plus the local Hub's ``/_hub/`` routes), which
#: would make ``/{name}/...`` ambiguous; compared without case.
RESERVED_NAMES = frozenset({"api", "datasets", "models", "spaces", "_hub"})
_ALPHABET = string.ascii_letters


def check_account_name(name: object) -> str:
    """Apply the Hub's rules for user and organisation names.

    Returns:
        The name, when valid.

    Raises:
        HubError: 400 naming the broken rule.
    """
    if not isinstance(name, str) or not _NAME_RE.match(name) or "--" in name or ".." in name:
        raise bad_request(
            f"Invalid account name: {name!r} (use letters, digits, '_', '-' and '.', no '--'"
            " or '..', not starting or ending with '-' or '.')"
        )
    if name.lower() in RESERVED_NAMES:
        raise bad_request(f"The name {name!r} is reserved by the Hub")
    return name


def new_token(prefix: str = "hf_") -> str:
    """Generate a fresh random token (the Hub's look: a prefix and 34 letters)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(34))


@dataclasses.dataclass(frozen=True)
class Caller:
    """Who sent a request, as established from its token.

    Attributes:
        name: the user or organisation name (``None`` for the admin token).
        kind: ``user``, ``org`` or ``admin``.
        role: ``read`` or ``write``.
        token_name: the token's display name.
    """

    name: Optional[str]
    kind: str
    role: str
    token_name: str

    @property
    def is_admin(self) -> bool:
        """Whether this is the admin token."""
        return self.kind == "admin"


class Identity:
    """Accounts, tokens and permission checks, stored in the hub's database."""

    def __init__(self, storage: Storage, admin_token: str) -> None:
        self.storage = storage
        self.admin_token = admin_token

    # -- accounts ---------------------------------------------------------------------------

    def add_user(
        self, name: str, fullname: Optional[str] = None, email: Optional[str] = None
    ) -> None:
        """Create a user.

        Raises:
            HubError: 400 for an invalid name, 409 when the name is taken.
        """
        self._create_account(name, "user", fullname, email or f"{name}@example.com", None)

    def add_org(
        self,
        name: str,
        fullname: Optional[str] = None,
        members: Optional[Dict[str, str]] = None,
        api_token: Optional[str] = None,
    ) -> str:
        """Create an organisation and add its members; return its ``api_org_…`` token.

        Raises:
            HubError: 400 (invalid name/role, unknown member), 409 (name taken).
        """
        token = api_token or new_token("api_org_")
        with self.storage.transaction() as db:
            if _token_in_use(db, token):
                raise conflict("This token value is already in use")
            self._create_account(name, "org", fullname, None, token)
            for user, role in (members or {}).items():
                self.set_member(name, user, role)
        return token

    def _create_account(
        self,
        name: str,
        kind: str,
        fullname: Optional[str],
        email: Optional[str],
        api_token: Optional[str],
    ) -> None:
        check_account_name(name)
        with self.storage.transaction() as db:
            if db.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise conflict(f"The name {name!r} is already taken")
            db.execute(
                "INSERT INTO accounts (name, kind, fullname, email, api_token, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, kind, fullname or name, email, api_token, timefmt.now()),
            )

    def set_member(self, org: str, user: str, role: str) -> None:
        """Add ``user`` to ``org`` with ``role`` (or change the role).

        Raises:
            HubError: 400 for an unknown role, 404 for an unknown org or user.
        """
        if role not in ORG_ROLES:
            raise bad_request(f"Invalid role {role!r}; expected one of {', '.join(ORG_ROLES)}")
        with self.storage.transaction() as db:
            if self.account_kind(org) != "org":
                raise not_found(f"Organization {org!r} not found")
            if self.account_kind(user) != "user":
                raise not_found(f"User {user!r} not found")
            db.execute(
                "INSERT OR REPLACE INTO members (org, user, role) VALUES (?, ?, ?)",
                (org, user, role),
            )

    def account_kind(self, name: str) -> Optional[str]:
        """Return ``user`` or ``org`` for an existing account, else ``None``."""
        with self.storage.transaction() as db:
            row = db.execute("SELECT kind FROM accounts WHERE name = ?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def role_in(self, org: str, user: str) -> Optional[str]:
        """Return the role of ``user`` in ``org``, or ``None`` when not a member."""
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT role FROM members WHERE org = ? AND user = ?", (org, user)
            ).fetchone()
        return None if row is None else str(row[0])

    # -- tokens -----------------------------------------------------------------------------

    def add_token(
        self,
        owner: str,
        role: str = "write",
        display_name: Optional[str] = None,
        token: Optional[str] = None,
    ) -> str:
        """Issue a token for user ``owner`` and return it.

        Args:
            owner: an existing user.
            role: ``read`` or ``write``.
            display_name: shown by whoami; defaults to ``<role> token``.
            token: use this exact value instead of a random one (config files, tests).

        Raises:
            HubError: 400 for a bad role, 404 for an unknown user, 409 for a reused value.
        """
        if role not in TOKEN_ROLES:
            raise bad_request(f"Invalid token role {role!r}; expected 'read' or 'write'")
        value = token or new_token()
        with self.storage.transaction() as db:
            if self.account_kind(owner) != "user":
                raise not_found(f"User {owner!r} not found")
            if _token_in_use(db, value):
                raise conflict("This token value is already in use")
            db.execute(
                "INSERT INTO tokens (token, owner, role, display_name, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (value, owner, role, display_name or f"{role} token", timefmt.now()),
            )
        return value

    def authenticate(self, token: Optional[str]) -> Optional[Caller]:
        """Map a token to its caller; no token means anonymous (``None``).

        Raises:
            HubError: 401 when a token is given but unknown.
        """
        if not token:
            return None
        if secrets.compare_digest(token.encode(), self.admin_token.encode()):
            return Caller(None, "admin", "write", "admin token")
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT owner, role, display_name FROM tokens WHERE token = ?", (token,)
            ).fetchone()
            if row is not None:
                return Caller(str(row[0]), "user", str(row[1]), str(row[2]))
            row = db.execute(
                "SELECT name FROM accounts WHERE kind = 'org' AND api_token = ?", (token,)
            ).fetchone()
        if row is not None:
            return Caller(str(row[0]), "org", "read", "organization token")
        raise unauthorized("Invalid credentials in Authorization header")

    def authenticate_or_none(self, token: str) -> Optional[Caller]:
        """Like :meth:`authenticate`, but ``None`` for an unknown token."""
        try:
            return self.authenticate(token)
        except HubError:
            return None

    # -- permissions ------------------------------------------------------------------------

    def can_read(self, caller: Optional[Caller], namespace: str, private: bool) -> bool:
        """Whether ``caller`` may see a repo of ``namespace`` with this visibility."""
        if not private:
            return True
        if caller is None:
            return False
        if caller.is_admin or caller.name == namespace:
            return True
        return caller.kind == "user" and self.role_in(namespace, str(caller.name)) is not None

    def can_write(self, caller: Optional[Caller], namespace: str) -> bool:
        """Whether ``caller`` may create, change or delete repos of ``namespace``."""
        if caller is None or caller.role != "write":
            return False
        if caller.is_admin:
            return True
        if caller.kind != "user":
            return False
        if caller.name == namespace:
            return True
        return self.role_in(namespace, str(caller.name)) in ("write", "admin")

    def can_admin(self, caller: Optional[Caller], namespace: str) -> bool:
        """Whether ``caller`` may change a namespace's repo settings such as gating."""
        if caller is None or caller.role != "write":
            return False
        if caller.is_admin or (caller.kind == "user" and caller.name == namespace):
            return True
        return caller.kind == "user" and self.role_in(namespace, str(caller.name)) == "admin"

    # -- views ------------------------------------------------------------------------------

    def whoami(self, caller: Optional[Caller]) -> Dict[str, Any]:
        """The ``/api/whoami-v2`` body for ``caller``.

        Raises:
            HubError: 401 for anonymous callers.
        """
        if caller is None:
            raise unauthorized()
        auth = {
            "type": "access_token",
            "accessToken": {"displayName": caller.token_name, "role": caller.role},
        }
        if caller.is_admin:
            return {
                "type": "user",
                "name": "admin",
                "fullname": "Local Hub admin",
                "email": None,
                "orgs": [],
                "auth": auth,
            }
        with self.storage.transaction() as db:
            row = db.execute(
                "SELECT kind, fullname, email FROM accounts WHERE name = ?", (caller.name,)
            ).fetchone()
            if row is None:
                raise unauthorized()
            orgs = db.execute(
                "SELECT a.name, a.fullname, a.api_token, m.role FROM members m"
                " JOIN accounts a ON a.name = m.org WHERE m.user = ? ORDER BY a.name",
                (caller.name,),
            ).fetchall()
        body: Dict[str, Any] = {
            "type": str(row[0]),
            "id": _account_id(str(caller.name)),
            "name": caller.name,
            "fullname": str(row[1]),
            "email": row[2],
            "emailVerified": True,
            "canPay": False,
            "isPro": False,
            "periodEnd": None,
            "avatarUrl": f"/avatars/{caller.name}.svg",
            "orgs": [_org_view(org) for org in orgs],
            "auth": auth,
        }
        return body

    def dump(self) -> Dict[str, List[Dict[str, Any]]]:
        """Every account, membership and token, for the admin state dump."""
        with self.storage.transaction() as db:
            accounts = db.execute("SELECT name, kind, fullname, email, api_token FROM accounts")
            members = db.execute("SELECT org, user, role FROM members").fetchall()
            tokens = db.execute("SELECT token, owner, role, display_name FROM tokens").fetchall()
            return {
                "accounts": [
                    {"name": n, "type": k, "fullname": f, "email": e, "apiToken": t}
                    for n, k, f, e, t in accounts.fetchall()
                ],
                "members": [{"org": o, "user": u, "role": r} for o, u, r in members],
                "tokens": [
                    {"token": t, "owner": o, "role": r, "displayName": d} for t, o, r, d in tokens
                ],
            }


def _token_in_use(db: Any, value: str) -> bool:
    # One value, one caller: user tokens and organisation tokens share a space.
    return bool(
        db.execute("SELECT 1 FROM tokens WHERE token = ?", (value,)).fetchone()
        or db.execute("SELECT 1 FROM accounts WHERE api_token = ?", (value,)).fetchone()
    )


def _account_id(name: str) -> str:
    # The Hub gives accounts 24-hex ids; derive a stable one from the name.
    return hashlib.sha1(name.encode()).hexdigest()[:24]


def _org_view(row: Any) -> Dict[str, Any]:
    name, fullname, api_token, role = row
    return {
        "type": "org",
        "id": _account_id(str(name)),
        "name": name,
        "fullname": fullname,
        "email": None,
        "canPay": False,
        "periodEnd": None,
        "avatarUrl": f"/avatars/{name}.svg",
        "roleInOrg": role,
        "apiToken": api_token,
    }
