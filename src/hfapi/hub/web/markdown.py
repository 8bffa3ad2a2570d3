"""A small Markdown subset for model cards: headings, paragraphs, lists, code, links.

Raw HTML in the source is shown as text (never passed through), and link targets are
limited to ``http``, ``https``, ``mailto`` and relative URLs, so a README cannot run
script on the page.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from .html import attr, esc

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(.*)$")
_NUMBERED = re.compile(r"^[ \t]*\d{1,9}[.)][ \t]+(.*)$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|\*\*(?P<strong>.+?)\*\*"
    r"|(?<![\w*])\*(?P<em>[^*\s][^*]*?)\*"
)
_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|[^:]*$)", re.I)


def split_front_matter(text: str) -> Tuple[str, str]:
    """Split a card into its YAML front matter (without the ``---`` lines) and its body."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return "", text
    return found[1] or "", text[found.end() :]


def safe_href(href: str) -> str:
    """``href`` if its scheme is harmless, else ``#`` (``javascript:``, ``data:``...)."""
    # Browsers ignore controls and spaces inside a scheme: strip them before judging.
    squeezed = re.sub(r"[\x00-\x20]", "", href)
    return href if _SAFE_SCHEME.match(squeezed) else "#"


def inline(text: str) -> str:
    """Render the inline syntax of one block (code spans, links, bold, italics)."""
    out: List[str] = []
    position = 0
    for found in _INLINE.finditer(text):
        out.append(esc(text[position : found.start()]))
        position = found.end()
        if found["code"] is not None:
            out.append(f"<code>{esc(found['code'])}</code>")
        elif found["href"] is not None:
            href = attr(safe_href(found["href"]))
            out.append(f'<a href="{href}" rel="nofollow">{inline(found["text"])}</a>')
        elif found["strong"] is not None:
            out.append(f"<strong>{inline(found['strong'])}</strong>")
        else:
            out.append(f"<em>{inline(found['em'])}</em>")
    out.append(esc(text[position:]))
    return "".join(out)


class _Blocks:
    """Collects the HTML of the blocks while the lines are read."""

    def __init__(self) -> None:
        self.out: List[str] = []
        self.paragraph: List[str] = []
        self.items: List[str] = []
        self.list_tag = ""

    def flush(self) -> None:
        if self.paragraph:
            self.out.append(f"<p>{inline(' '.join(self.paragraph))}</p>")
            self.paragraph = []
        if self.items:
            body = "".join(f"<li>{inline(item)}</li>" for item in self.items)
            self.out.append(f"<{self.list_tag}>{body}</{self.list_tag}>")
            self.items = []

    def item(self, tag: str, text: str) -> None:
        if self.paragraph or (self.items and tag != self.list_tag):
            self.flush()
        self.list_tag = tag
        self.items.append(text)


def render(text: str) -> str:
    """Render Markdown ``text`` (no front matter) as HTML."""
    blocks = _Blocks()
    lines = text.replace("\r\n", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        fence = _FENCE.match(line)
        if fence:
            blocks.flush()
            code: List[str] = []
            while index < len(lines) and not lines[index].lstrip().startswith(fence[1]):
                code.append(lines[index])
                index += 1
            index += 1  # the closing fence (or the end)
            blocks.out.append(f"<pre><code>{esc(chr(10).join(code))}</code></pre>")
            continue
        _read_line(blocks, line)
    blocks.flush()
    return "\n".join(blocks.out)


def _read_line(blocks: _Blocks, line: str) -> None:
    heading = _HEADING.match(line)
    bullet = _BULLET.match(line)
    numbered = _NUMBERED.match(line)
    if not line.strip():
        blocks.flush()
    elif heading:
        blocks.flush()
        level = len(heading[1])
        blocks.out.append(f"<h{level}>{inline(heading[2])}</h{level}>")
    elif bullet:
        blocks.item("ul", bullet[1])
    elif numbered:
        blocks.item("ol", numbered[1])
    elif blocks.items and line.startswith((" ", "\t")):
        blocks.items[-1] += " " + line.strip()  # a list item's continuation line
    else:
        if blocks.items:
            blocks.flush()
        blocks.paragraph.append(line.strip())
