"""Renderers: plain data in (see :mod:`.data`), whole HTML documents out.

Nothing here touches the backend; every string from a repo (names, paths, messages,
card data, file content) is escaped by :mod:`.html` or rendered by :mod:`.markdown`.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional

from ..backend.cards import CardData
from ..backend.discussions import Event, Page
from ..backend.repos import Repo
from . import markdown
from .data import (
    COMMITS_PAGE_SIZE,
    TREE_PAGE_SIZE,
    BlobView,
    CommitRow,
    CommitView,
    HistoryView,
    RepoView,
    ThreadView,
    TreeView,
    is_binary,
)
from .html import esc, human_size, link, page, path_url, rev_segment, table


def repo_base(repo: Repo) -> str:
    """The repo's web path, encoded (``/datasets/alice/data``)."""
    return path_url(repo.web_path)


def _repo_header(repo: Repo, rev: str = "main") -> str:
    base = repo_base(repo)
    kind = {"model": "Model", "dataset": "Dataset", "space": "Space"}[repo.type]
    private = ' <span class="tag">private</span>' if repo.private else ""
    tabs = " ".join(
        [
            link(base, "Card"),
            link(f"{base}/tree/{rev_segment(rev)}", "Files"),
            link(f"{base}/commits/{rev_segment(rev)}", "History"),
            link(f"{base}/discussions", "Community"),
        ]
    )
    return (
        f'<p class="muted">{kind}</p><h1>{link(base, repo.repo_id)}{private}</h1>'
        f'<nav class="tabs">{tabs}</nav>'
    )


def _commit_line(repo: Repo, row: Optional[CommitRow]) -> str:
    if row is None:
        return ""
    href = f"{repo_base(repo)}/commit/{row.oid}"
    return f"{link(href, row.title)} {esc(row.oid[:7])} <span class='muted'>{esc(row.date)}</span>"


def _tags(values: Iterable[str]) -> str:
    return "".join(f'<span class="tag">{esc(value)}</span>' for value in values)


def _card_tags(card: Dict[str, Any]) -> List[str]:
    # The front matter as "key: value" tags; lists give one tag per item.
    shown: List[str] = []
    for key, value in card.items():
        values = value if isinstance(value, list) else [value]
        shown.extend(f"{key}: {item}" for item in values if not isinstance(item, (dict, list)))
    return shown


def repo_page(view: RepoView) -> str:
    """The repo page: card data as tags, last commit, likes, files link and README."""
    repo, card = view.repo, view.card or CardData({}, None, [])
    parts = [_repo_header(repo)]
    parts.append(f"<p>{_tags(card.tags)}</p><p>{_tags(_card_tags(card.card))}</p>")
    files = link(f"{repo_base(repo)}/tree/main", f"Files ({view.files})")
    parts.append(
        f"<p>&#9829; {view.likes} likes &middot; {files} &middot; "
        f"Last commit: {_commit_line(repo, view.head) or 'none'}</p>"
    )
    if view.readme is not None:
        body = markdown.split_front_matter(view.readme)[1]
        parts.append(f'<article class="readme">{markdown.render(body)}</article>')
    else:
        parts.append('<p class="muted">No model card (README.md) yet.</p>')
    return page(repo.repo_id, "".join(parts))


def _breadcrumbs(repo: Repo, rev: str, path: str) -> str:
    base = f"{repo_base(repo)}/tree/{rev_segment(rev)}"
    crumbs = [link(base, repo.name)]
    walked = ""
    segments = [s for s in path.split("/") if s]
    for index, segment in enumerate(segments):
        walked = f"{walked}/{segment}" if walked else segment
        last = index == len(segments) - 1
        crumbs.append(
            f"<strong>{esc(segment)}</strong>"
            if last
            else link(f"{base}{path_url(walked)}", segment)
        )
    return f"<p>{esc(rev)}: " + " / ".join(crumbs) + "</p>"


def _pager(previous: Optional[str], following: Optional[str]) -> str:
    links = []
    if previous is not None:
        links.append(link(previous, "\u2190 Previous"))
    if following is not None:
        links.append(link(following, "Next \u2192"))
    return f'<nav class="pager">{" ".join(links)}</nav>' if links else ""


def tree_page(view: TreeView) -> str:
    """A folder: one row per entry with size, LFS mark and last commit; paged."""
    repo, rev = view.repo, rev_segment(view.rev)
    base = repo_base(repo)
    rows = []
    for entry in view.entries:
        kind = "tree" if entry.kind == "directory" else "blob"
        name = entry.name + ("/" if entry.kind == "directory" else "")
        size = "" if entry.kind == "directory" else esc(human_size(entry.size))
        lfs = ' <span class="lfs">LFS</span>' if entry.lfs else ""
        rows.append(
            (
                link(f"{base}/{kind}/{rev}{path_url(entry.path)}", name),
                size + lfs,
                _commit_line(repo, entry.last),
            )
        )
    here = f"{base}/tree/{rev}" + (path_url(view.folder) if view.folder else "")
    start, end = view.start, view.start + len(view.entries)
    previous = f"{here}?cursor={max(0, start - TREE_PAGE_SIZE)}" if start > 0 else None
    following = f"{here}?cursor={end}" if end < view.total else None
    count = f'<p class="muted">Entries {start + 1 if view.entries else 0}-{end} of {view.total}</p>'
    body = (
        _repo_header(repo, view.rev)
        + _breadcrumbs(repo, view.rev, view.folder)
        + count
        + table(["Name", "Size", "Last commit"], rows, "files")
        + _pager(previous, following)
    )
    return page(f"{repo.repo_id} at {view.rev}: /{view.folder}", body)


def numbered_lines(text: str) -> str:
    """Text as a table of numbered lines."""
    # A final newline ends the last line; it does not start another.
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    rows = "".join(
        f'<tr><td class="n">{number}</td><td>{esc(line)}</td></tr>'
        for number, line in enumerate(lines, start=1)
    )
    return f'<table class="code"><tbody>{rows}</tbody></table>'


def blob_page(view: BlobView) -> str:
    """A file: its text with line numbers, or its size, sha256 and a download link."""
    repo = view.repo
    resolve = f"{repo_base(repo)}/resolve/{rev_segment(view.rev)}{path_url(view.path)}"
    facts = [esc(human_size(view.size))]
    if view.sha256 is not None:
        facts.append(f'<span class="lfs">LFS</span> SHA256: <code>{esc(view.sha256)}</code>')
    links = f"{link(resolve, 'raw')} &middot; {link(resolve + '?download=true', 'download')}"
    parts = [
        _repo_header(repo, view.rev),
        _breadcrumbs(repo, view.rev, view.path),
        f"<p>{' &middot; '.join(facts)} &middot; {links}</p>",
        f"<p>Last commit: {_commit_line(repo, view.last)}</p>",
    ]
    if view.content is None:
        parts.append(
            f"<p>This file is stored with Git LFS or is too large to display. "
            f"{link(resolve + '?download=true', 'Download it')}.</p>"
        )
    elif is_binary(view.content):
        parts.append(f"<p>Binary file, not shown. {link(resolve, 'Download it')}.</p>")
    else:
        parts.append(numbered_lines(view.content.decode("utf-8", "replace")))
    return page(f"{view.path} \u00b7 {repo.repo_id}", "".join(parts))


def history_page(view: HistoryView) -> str:
    """One page of commits, newest first, with previous/next links (``?p=N``)."""
    repo = view.repo
    rows = [
        (
            link(f"{repo_base(repo)}/commit/{row.oid}", row.title),
            esc(row.author),
            esc(row.date),
            f"<code>{esc(row.oid[:7])}</code>",
        )
        for row in view.commits
    ]
    here = f"{repo_base(repo)}/commits/{rev_segment(view.rev)}"
    previous = f"{here}?p={view.page - 1}" if view.page > 0 else None
    following = f"{here}?p={view.page + 1}" if view.has_next else None
    start = view.page * COMMITS_PAGE_SIZE
    body = (
        _repo_header(repo, view.rev)
        + f"<h2>History of {esc(view.rev)}</h2>"
        + f'<p class="muted">Commits {start + 1}-{start + len(view.commits)}</p>'
        + table(["Title", "Author", "Date", "Commit"], rows, "commits")
        + _pager(previous, following)
    )
    return page(f"History of {view.rev} \u00b7 {repo.repo_id}", body)


def diff_block(diff: str) -> str:
    """A unified diff with added, removed and hunk lines marked for colour."""
    lines = []
    for line in diff.split("\n"):
        css = ""
        if line.startswith("@@"):
            css = "hunk"
        elif line.startswith("+") and not line.startswith("+++"):
            css = "add"
        elif line.startswith("-") and not line.startswith("---"):
            css = "del"
        lines.append(f'<span class="{css}">{esc(line)}</span>' if css else esc(line))
    return f'<pre class="diff">{chr(10).join(lines)}</pre>'


def commit_page(view: CommitView) -> str:
    """One commit: title, message, author, parent, changed files and the diff."""
    repo, row = view.repo, view.commit
    base = repo_base(repo)
    parent = link(f"{base}/commit/{view.parent}", view.parent[:7]) if view.parent else "none"
    rows = [
        (
            link(f"{base}/blob/{row.oid}{path_url(path)}", path)
            if kind != "deleted"
            else esc(path),
            esc(kind),
        )
        for path, kind in view.changes
    ]
    body = (
        _repo_header(repo)
        + f"<h2>{esc(row.title)}</h2>"
        + (f"<pre>{esc(row.message)}</pre>" if row.message.strip() else "")
        + f'<p class="muted">{esc(row.author)} committed on {esc(row.date)} &middot; '
        + f"commit <code>{esc(row.oid)}</code> &middot; parent {parent} &middot; "
        + f"{link(f'{base}/tree/{row.oid}', 'Browse files')}</p>"
        + f"<h3>{len(view.changes)} changed files</h3>"
        + table(["File", "Change"], rows, "changes")
        + diff_block(view.diff)
    )
    return page(f"{row.title} \u00b7 {repo.repo_id}", body)


def discussions_page(repo: Repo, listing: Page, index: int, page_size: int) -> str:
    """A page of the repo's discussions and pull requests."""
    base = repo_base(repo)
    rows = [
        (
            f"#{thread.num}",
            link(f"{base}/discussions/{thread.num}", thread.title),
            "Pull request" if thread.is_pr else "Discussion",
            esc(thread.status),
            esc(thread.author),
            esc(thread.created_at),
        )
        for thread in listing.items
    ]
    here = f"{base}/discussions"
    previous = f"{here}?p={index - 1}" if index > 0 else None
    following = f"{here}?p={index + 1}" if (index + 1) * page_size < listing.count else None
    body = (
        _repo_header(repo)
        + f"<h2>Community</h2><p class='muted'>{listing.count} threads</p>"
        + (
            table(["#", "Title", "Kind", "Status", "Author", "Created"], rows, "threads")
            if rows
            else "<p>No discussions yet.</p>"
        )
        + _pager(previous, following)
    )
    return page(f"Discussions \u00b7 {repo.repo_id}", body)


def _event(event: Event) -> str:
    who = f"<strong>{esc(event.author)}</strong> <span class='muted'>{esc(event.created_at)}</span>"
    if event.type == "comment":
        if event.hidden:
            text = "<p class='muted'>This comment has been hidden.</p>"
        else:
            raw = event.versions[-1].raw if event.versions else ""
            text = markdown.render(raw)
        return f"<div class='event'>{who}{text}</div>"
    details = ", ".join(f"{key}: {value}" for key, value in sorted(event.data.items()))
    return f"<div class='event muted'>{who} {esc(event.type)} {esc(details)}</div>"


def thread_page(view: ThreadView) -> str:
    """A discussion or pull request: status, events in order, conflicts and PR diff."""
    repo, thread = view.repo, view.details.discussion
    kind = "Pull request" if thread.is_pr else "Discussion"
    facts = f"{kind} #{thread.num} &middot; <span class='tag'>{esc(thread.status)}</span>"
    if thread.is_pr:
        ref = rev_segment(f"refs/pr/{thread.num}")
        facts += (
            f" &middot; into {esc(thread.target_branch or '')} &middot; "
            f"{link(f'{repo_base(repo)}/tree/{ref}', 'Files')} &middot; "
            f"{link(f'{repo_base(repo)}/commits/{ref}', 'Commits')}"
        )
    parts = [_repo_header(repo), f"<h2>{esc(thread.title)}</h2><p>{facts}</p>"]
    parts.extend(_event(event) for event in view.details.events)
    if view.review is not None:
        if view.review.conflicting_files:
            parts.append("<p>Conflicting files: " + _tags(view.review.conflicting_files) + "</p>")
        parts.append("<h3>Files changed</h3>" + diff_block(view.review.diff or ""))
    return page(f"{thread.title} \u00b7 {repo.repo_id}", "".join(parts))


def repo_list(title: str, repos: List[Repo], likes: Dict[int, int], intro: str = "") -> str:
    """A list of repos (home page, user and org pages)."""
    rows = [
        (
            link(repo_base(repo), repo.repo_id),
            esc(repo.type),
            "private" if repo.private else "public",
            str(likes.get(repo.pk, 0)),
        )
        for repo in repos
    ]
    listing = (
        table(["Repo", "Type", "Visibility", "Likes"], rows, "repos")
        if rows
        else ("<p>No repos yet.</p>")
    )
    return page(title, f"<h1>{esc(title)}</h1>{intro}{listing}")


def login_page(message: str = "") -> str:
    """The form that stores a token in a cookie (posted, never in a URL)."""
    note = f"<p class='muted'>{esc(message)}</p>" if message else ""
    form = (
        '<form method="post" action="/_hub/login">'
        '<label>Token <input type="password" name="token" autocomplete="off"></label> '
        '<button type="submit">Log in</button></form>'
        '<form method="post" action="/_hub/logout"><button type="submit">Log out</button></form>'
    )
    return page("Log in", f"<h1>Log in with a token</h1>{note}{form}")


def error_page(status: int, message: str) -> str:
    """The friendly page for a missing or refused page."""
    title = "Page not found" if status == 404 else f"Error {status}"
    body = (
        f"<h1>{esc(title)}</h1><p>{esc(message)}</p>"
        "<p>Private repos show as missing until you "
        f"{link('/_hub/login', 'log in with a token')}. {link('/', 'Back to the home page')}.</p>"
    )
    return page(title, body)
