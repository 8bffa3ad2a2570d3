"""Search and listing of repos, the download/like counters, and the tag catalogues.

Listings are answered from the tables alone: ``repos`` for names, visibility and
creation times, ``repo_cards``/``repo_tags`` (see :mod:`.cards`) for what the main branch
says, ``repo_stats`` (owned here) for counters, and ``likes`` for real likes. Pages
follow a keyset cursor - the sort value and internal id of the last item - so a page
boundary stays put when repos are added or removed elsewhere in the order.

Counters: ``downloads`` grows by one for each counted download (see
:func:`counts_as_download`) and can be set by the admin; ``likes`` is the number of
users liking a repo plus a seeded offset, so seeding ``likes=100`` shows 100 and a new
like then shows 101.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from typing import Any, Dict, List, Optional, Tuple

from ..errors import bad_request
from ..storage import Storage
from . import catalogue, timefmt
from .cards import CardData, Cards, card_from_row
from .gitstore import GitStore
from .identity import Caller
from .repos import Repo, Repos

#: Tables owned by this module (emptied by a reset).
TABLES = ("repo_stats",)

_DDL = (
    """CREATE TABLE repo_stats (
    repo INTEGER PRIMARY KEY, downloads INTEGER NOT NULL DEFAULT 0,
    likes_seed INTEGER NOT NULL DEFAULT 0)""",
)

_REPO_ID = "CASE WHEN r.namespace = '' THEN r.name ELSE r.namespace || '/' || r.name END"
_LIKES = "COALESCE(s.likes_seed, 0) + COALESCE(lk.n, 0)"
#: Joins giving ``s`` (counters) and ``lk`` (real likes, counted in one pass rather than
#: once per repo: the likes table has no index by repo).
_COUNTER_JOINS = (
    " LEFT JOIN repo_stats s ON s.repo = r.id"
    " LEFT JOIN (SELECT repo, COUNT(*) AS n FROM likes GROUP BY repo) lk ON lk.repo = r.id"
)
#: Sort keys the listings accept, and the SQL value each sorts on.
SORT_KEYS = {
    "id": f"lower({_REPO_ID})",
    "modelId": f"lower({_REPO_ID})",
    "lastModified": "COALESCE(c.last_modified, r.created_at)",
    "createdAt": "r.created_at",
    "downloads": "COALESCE(s.downloads, 0)",
    "likes": _LIKES,
}
#: Largest page a listing answers (the Hub's cap).
MAX_PAGE_SIZE = 1000
#: The file whose downloads count as downloads of the repo, per repo type.
QUERY_FILES = {"model": "config.json", "dataset": "README.md"}

_REPO_COLUMNS = (
    "r.id, r.type, r.namespace, r.name, r.private, r.created_at, r.sdk, r.hardware,"
    " r.multipart_threshold, r.gated"
)


def migrate_search(db: Any) -> None:
    """Create the counter table (a step of ``schema.MIGRATIONS``)."""
    for statement in _DDL:
        db.execute(statement)


def counts_as_download(repo_type: str, path: str) -> bool:
    """Whether a GET of ``path`` counts as a download of the repo.

    As on the Hub, one file per repo stands for the whole repo, so that fetching many
    files counts once: ``config.json`` for models, ``README.md`` for datasets (what
    loaders read first); Spaces are not downloaded.
    """
    return QUERY_FILES.get(repo_type) == path


@dataclasses.dataclass(frozen=True)
class ListQuery:
    """What a listing asks for.

    Attributes:
        repo_type: ``model``, ``dataset`` or ``space``.
        search: case-insensitive substring of the repo id.
        author: namespace (any case).
        tags: tags every result must carry (``filter`` and ``tags`` parameters).
        models: models every Space result must use; ``datasets`` likewise.
        linked: Spaces using at least one model or dataset only.
        sort: a key of :data:`SORT_KEYS`, ``None`` for creation order.
        descending: reverse order.
        page_size: items per page.
        cursor: the opaque cursor of the previous page's ``next`` link.
    """

    repo_type: str
    search: Optional[str] = None
    author: Optional[str] = None
    tags: Tuple[str, ...] = ()
    models: Tuple[str, ...] = ()
    datasets: Tuple[str, ...] = ()
    linked: bool = False
    sort: Optional[str] = None
    descending: bool = False
    page_size: int = MAX_PAGE_SIZE
    cursor: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Listed:
    """One repo of a listing page, with what the item JSON needs."""

    repo: Repo
    sha: str
    last_modified: str
    card: CardData
    siblings: List[str]
    downloads: int
    likes: int


class Search:
    """Listings, counters and tag catalogues."""

    def __init__(self, storage: Storage, repos: Repos, cards: Cards, git: GitStore) -> None:
        self.storage = storage
        self.repos = repos
        self.cards = cards
        self.git = git
        repos.delete_hooks.append(self.forget_repo)

    # -- counters ---------------------------------------------------------------------------

    def count_download(self, repo: Repo) -> None:
        """Add one download to ``repo``."""
        with self.storage.transaction() as db:
            db.execute(
                "INSERT INTO repo_stats (repo, downloads) VALUES (?, 1) ON CONFLICT (repo)"
                " DO UPDATE SET downloads = downloads + 1",
                (repo.pk,),
            )

    def counters(self, repo: Repo) -> Tuple[int, int]:
        """``(downloads, likes)`` of ``repo``."""
        with self.storage.transaction() as db:
            row = db.execute(
                f"SELECT COALESCE(s.downloads, 0), {_LIKES} FROM repos r{_COUNTER_JOINS}"
                " WHERE r.id = ?",
                (repo.pk,),
            ).fetchone()
        return (0, 0) if row is None else (int(row[0]), max(0, int(row[1])))

    def set_counters(
        self, repo: Repo, downloads: Optional[int] = None, likes: Optional[int] = None
    ) -> Tuple[int, int]:
        """Set the shown download and/or like count of ``repo``; return both.

        Raises:
            HubError: 400 for a negative or non-integer value.
        """
        for name, value in (("downloads", downloads), ("likes", likes)):
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise bad_request(f"'{name}' must be a non-negative integer")
        with self.storage.transaction() as db:
            db.execute("INSERT OR IGNORE INTO repo_stats (repo) VALUES (?)", (repo.pk,))
            if downloads is not None:
                db.execute(
                    "UPDATE repo_stats SET downloads = ? WHERE repo = ?", (downloads, repo.pk)
                )
            if likes is not None:
                real = db.execute(
                    "SELECT COUNT(*) FROM likes WHERE repo = ?", (repo.pk,)
                ).fetchone()[0]
                db.execute(
                    "UPDATE repo_stats SET likes_seed = ? WHERE repo = ?",
                    (likes - int(real), repo.pk),
                )
            return self.counters(repo)

    def forget_repo(self, db: Any, pk: int) -> None:
        """Drop a deleted repo's counters (a ``Repos.delete_hooks`` hook)."""
        db.execute("DELETE FROM repo_stats WHERE repo = ?", (pk,))

    # -- card data ----------------------------------------------------------------------------

    def card_at(self, repo: Repo, commit: str, files: Dict[str, str]) -> CardData:
        """The card data of ``repo`` at ``commit``: stored for main's head, else derived."""
        stored = self.cards.stored(repo.pk, commit)
        return stored if stored is not None else self.cards.compute(repo.type, repo.sdk, files)

    def refresh(self, repo_type: Optional[str] = None) -> int:
        """Recompute the card rows that lag behind their main branch; return how many.

        Commits keep rows current; merges of pull requests and new empty repos are
        caught up here, before a listing reads the rows.
        """
        with self.storage.transaction() as db:
            stale = self.cards.stale(db, repo_type)
            for pk, head in stale:
                repo = self.repos.by_pk(pk)
                if repo is None:
                    continue
                stamp = timefmt.format_epoch(self.git.commit(head).timestamp)
                self.cards.record(db, repo, head, stamp, dict(self.git.snapshot(head).files))
        return len(stale)

    # -- listing ------------------------------------------------------------------------------

    def list_page(
        self, caller: Optional[Caller], query: ListQuery
    ) -> Tuple[List[Listed], Optional[str]]:
        """One page of a listing, and the cursor of the next page (``None``: last page).

        Raises:
            HubError: 400 for an unknown sort key or a malformed cursor.
        """
        if query.sort is not None and query.sort not in SORT_KEYS:
            raise bad_request(
                f"Invalid sort {query.sort!r}; use one of {', '.join(sorted(SORT_KEYS))}"
            )
        self.refresh(query.repo_type)
        key = SORT_KEYS[query.sort] if query.sort else "r.id"
        where, params = _conditions(caller, query)
        inner = (
            f"SELECT {_REPO_COLUMNS}, {key} AS k, c.sha, c.last_modified, c.card, c.config,"
            " c.tags, c.pipeline_tag, c.library_name, c.extra, c.siblings,"
            f" COALESCE(s.downloads, 0), {_LIKES} FROM repos r"
            f" LEFT JOIN repo_cards c ON c.repo = r.id{_COUNTER_JOINS}"
            f" WHERE {' AND '.join(where)}"
        )
        order = "DESC" if query.descending else "ASC"
        sql = f"SELECT * FROM ({inner})"
        if query.cursor is not None:
            sql += f" WHERE (k, id) {'<' if query.descending else '>'} (?, ?)"
            params += list(_decode_cursor(query.cursor))
        sql += f" ORDER BY k {order}, id {order} LIMIT ?"
        params.append(query.page_size + 1)
        with self.storage.transaction() as db:
            rows = db.execute(sql, params).fetchall()
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        page = [_listed(row) for row in rows]
        cursor = _encode_cursor(rows[-1][10], rows[-1][0]) if more and rows else None
        return page, cursor

    # -- catalogues ---------------------------------------------------------------------------

    def tag_catalogue(self, repo_type: str) -> Dict[str, List[Dict[str, str]]]:
        """The tags of ``repo_type`` grouped by type: a built-in base plus public repos' tags."""
        self.refresh(repo_type)
        with self.storage.transaction() as db:
            rows = db.execute(
                "SELECT DISTINCT t.kind, t.value FROM repo_tags t JOIN repos r ON r.id = t.repo"
                " WHERE r.type = ? AND r.private = 0 AND t.kind IN ('tag', 'language')",
                (repo_type,),
            ).fetchall()
            named = db.execute(
                "SELECT DISTINCT c.library_name, c.pipeline_tag FROM repo_cards c JOIN repos r"
                " ON r.id = c.repo WHERE r.type = ? AND r.private = 0",
                (repo_type,),
            ).fetchall()
        present = [(str(kind), str(value)) for kind, value in rows]
        present += [("library", str(library)) for library, _ in named if library]
        present += [("pipeline_tag", str(task)) for _, task in named if task]
        groups = _dataset_groups(present) if repo_type == "dataset" else _model_groups(present)
        return {
            name: sorted(group.values(), key=lambda e: e["id"]) for name, group in groups.items()
        }


def _model_groups(present: List[Tuple[str, str]]) -> Dict[str, Dict[str, Dict[str, str]]]:
    groups = catalogue.base_model_tags()
    for kind, value in present:
        prefix, _, rest = value.partition(":")
        if kind == "library":
            groups["library"].setdefault(value, {"id": value, "label": value, "type": kind})
        elif kind == "pipeline_tag":
            entry = {"id": value, "label": catalogue.task_label(value), "type": kind}
            groups["pipeline_tag"].setdefault(value, entry)
        elif kind == "language":
            groups["language"].setdefault(value, {"id": value, "label": value, "type": kind})
        elif rest and prefix in ("license", "dataset"):
            groups[prefix].setdefault(value, catalogue.model_entry(prefix, rest))
    return groups


def _dataset_groups(present: List[Tuple[str, str]]) -> Dict[str, Dict[str, Dict[str, str]]]:
    groups = catalogue.base_dataset_tags()
    for _kind, value in present:
        prefix, _, rest = value.partition(":")
        if rest and prefix in groups:
            groups[prefix].setdefault(value, catalogue.dataset_entry(prefix, rest))
    return groups


def _conditions(caller: Optional[Caller], query: ListQuery) -> Tuple[List[str], List[Any]]:
    """SQL conditions and parameters selecting the repos a listing may show."""
    where, params = ["r.type = ?"], [query.repo_type]
    if caller is None:
        where.append("r.private = 0")
    elif not caller.is_admin:
        # Private repos show to their owner and to members of their organisation.
        where.append(
            "(r.private = 0 OR r.namespace = ? OR r.namespace IN"
            " (SELECT org FROM members WHERE user = ?))"
        )
        params += [caller.name or "", caller.name or ""]
    if query.search:
        where.append(f"instr(lower({_REPO_ID}), ?) > 0")
        params.append(query.search.lower())
    if query.author is not None:
        where.append("r.namespace = ? COLLATE NOCASE")
        params.append(query.author)
    for kind, values in (("tag", query.tags), ("model", query.models), ("dataset", query.datasets)):
        for value in values:
            where.append("r.id IN (SELECT repo FROM repo_tags WHERE kind = ? AND value = ?)")
            params += [kind, value]
    if query.linked:
        where.append("r.id IN (SELECT repo FROM repo_tags WHERE kind IN ('model', 'dataset'))")
    return where, params


def _listed(row: Any) -> Listed:
    pk, kind, namespace, name, private, created, sdk, hardware, threshold, gated = row[:10]
    repo = Repo(
        int(pk), kind, namespace, name, bool(private), created, sdk, hardware, threshold, gated
    )
    sha, last_modified = row[11], row[12]
    if sha is None:  # never refreshed (a repo created after the refresh): show it empty
        card = CardData({}, None, [])
        siblings: List[str] = []
    else:
        card = card_from_row((row[13], row[14], row[15], row[16], row[17], row[18]))
        siblings = json.loads(row[19])
    return Listed(
        repo,
        sha or "",
        last_modified or repo.created_at,
        card,
        siblings,
        int(row[20]),
        max(0, int(row[21])),
    )


def _encode_cursor(value: Any, pk: int) -> str:
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> Tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if not isinstance(pk, int) or isinstance(value, (list, dict, bool)):
            raise ValueError("bad cursor")
    except (ValueError, TypeError, binascii.Error):
        raise bad_request("Invalid cursor") from None
    return value, pk
