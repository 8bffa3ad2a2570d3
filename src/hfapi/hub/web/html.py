"""HTML building blocks: escaping, links and the page layout.

Every piece of text that reaches a page goes through :func:`esc` (or :func:`attr` in an
attribute), which also makes control characters visible: a file name or commit message
holding markup or terminal escapes is shown as text, never interpreted.
"""

from __future__ import annotations

import html
import re
from string import Template
from typing import Iterable, Optional, Sequence
from urllib.parse import quote

#: C0 controls (but tab and newline), DEL and C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Headers sent with every page: no script may run, whatever slips through.
SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
        " form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


def _visible_control(match: re.Match[str]) -> str:
    code = ord(match[0])
    # The Unicode "control pictures" block has a glyph for each C0 control and DEL.
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def esc(text: object) -> str:
    """``text`` as HTML text: markup characters escaped, control characters made visible."""
    return html.escape(_CONTROL.sub(_visible_control, str(text)), quote=True)


def attr(text: object) -> str:
    """``text`` for a double-quoted attribute value (same escaping as :func:`esc`)."""
    return esc(text)


def path_url(*segments: str) -> str:
    """An absolute URL path from raw segments, each percent-encoded (``/`` kept inside)."""
    return "/" + "/".join(quote(segment, safe="/") for segment in segments if segment)


def rev_segment(revision: str) -> str:
    """A revision as one URL segment: ``refs/pr/1`` becomes ``refs%2Fpr%2F1``."""
    return quote(revision, safe="")


def link(href: str, text: object, css: Optional[str] = None) -> str:
    """An ``<a>`` element; ``href`` is escaped as an attribute, ``text`` as text."""
    klass = f' class="{attr(css)}"' if css else ""
    return f'<a href="{attr(href)}"{klass}>{esc(text)}</a>'


def table(headings: Sequence[str], rows: Iterable[Sequence[str]], css: str = "") -> str:
    """A table; ``headings`` are plain text, ``rows`` hold ready HTML cells."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{attr(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def human_size(size: int) -> str:
    """A byte count as the Hub shows it (``512 Bytes``, ``1.5 kB``, ``3.2 MB``)."""
    if size < 1000:
        return f"{size} Bytes"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:.1f} {unit}"
    return f"{size} Bytes"  # unreachable: the loop returns at TB


_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#111827;background:#fff}
header{background:#f3f4f6;border-bottom:1px solid #e5e7eb;padding:.6rem 1.2rem}
header a{color:#111827;font-weight:600;text-decoration:none;margin-right:1rem}
main{max-width:1100px;margin:1rem auto;padding:0 1.2rem}
h1{font-size:1.4rem;word-break:break-all}
a{color:#2563eb}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border-bottom:1px solid #e5e7eb;padding:.3rem .5rem;text-align:left;font-size:.9rem}
.tag{display:inline-block;background:#eef2ff;border-radius:.4rem;padding:.1rem .5rem;
margin:.1rem;font-size:.8rem}
.muted{color:#6b7280;font-size:.85rem}
.lfs{background:#fef3c7;border-radius:.3rem;padding:0 .3rem;font-size:.75rem}
pre{background:#f9fafb;border:1px solid #e5e7eb;padding:.6rem;overflow-x:auto}
.code td{border:0;padding:0 .5rem;font-family:monospace;white-space:pre;font-size:.85rem}
.code td.n{color:#9ca3af;text-align:right;user-select:none;width:1%}
.diff .add{background:#dcfce7}.diff .del{background:#fee2e2}.diff .hunk{color:#6b7280}
.tabs a{margin-right:1rem}
.readme{border-top:1px solid #e5e7eb;margin-top:1rem}
"""

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title><style>$style</style></head>
<body><header><a href="/">Local Hub</a><a href="/_hub/login">Log in</a></header>
<main>$body</main></body></html>
"""
)


def page(title: str, body: str) -> str:
    """A whole document: ``title`` is plain text, ``body`` ready HTML."""
    return _PAGE.substitute(title=esc(title), style=_STYLE, body=body)
