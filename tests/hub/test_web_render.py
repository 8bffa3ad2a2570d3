"""Unit tests of the web page renderers: escaping, the Markdown subset, pages, binaries."""

from __future__ import annotations

from hfapi.hub.backend.cards import CardData
from hfapi.hub.backend.repos import Repo
from hfapi.hub.web import markdown, pages
from hfapi.hub.web.data import (
    TREE_PAGE_SIZE,
    BlobView,
    CommitRow,
    Entry,
    RepoView,
    TreeView,
    is_binary,
)
from hfapi.hub.web.html import esc, human_size, path_url, rev_segment

EVIL = "<script>document.title='pwned'</script>"
REPO = Repo(1, "model", "alice", "m<x>", False, "2024-01-01T00:00:00.000Z", None, None, None)


def _row(title: str = "first") -> CommitRow:
    return CommitRow("a" * 40, title, "alice", "2024-01-01T00:00:00.000Z")


def test_esc_escapes_markup_and_quotes() -> None:
    assert esc("<a href=\"x\" onclick='y'>&") == (
        "&lt;a href=&quot;x&quot; onclick=&#x27;y&#x27;&gt;&amp;"
    )


def test_esc_makes_control_characters_visible() -> None:
    shown = esc("a\x00b\x1b[31mc\x7fd\x85e\tf\ng")
    assert "\x00" not in shown and "\x1b" not in shown and "\x7f" not in shown
    assert "\x85" not in shown
    assert "\u2400" in shown and "\u241b" in shown and "\u2421" in shown
    assert "\t" in shown and "\n" in shown  # layout characters stay


def test_urls_encode_each_segment() -> None:
    assert path_url("a b/c?d#e") == "/a%20b/c%3Fd%23e"
    assert rev_segment("refs/pr/1") == "refs%2Fpr%2F1"


def test_human_size() -> None:
    assert human_size(12) == "12 Bytes"
    assert human_size(1500) == "1.5 kB"
    assert human_size(3_200_000) == "3.2 MB"


def test_markdown_blocks() -> None:
    text = (
        "# Title\n\nA *b* **c** `d`\nsame paragraph\n\n- one\n- two\n\n"
        "1. x\n2. y\n\n```py\n<x>\n```\n"
    )
    html = markdown.render(text)
    assert "<h1>Title</h1>" in html
    assert "<p>A <em>b</em> <strong>c</strong> <code>d</code> same paragraph</p>" in html
    assert "<ul><li>one</li><li>two</li></ul>" in html
    assert "<ol><li>x</li><li>y</li></ol>" in html
    assert "<pre><code>&lt;x&gt;</code></pre>" in html


def test_markdown_links_allow_only_safe_schemes() -> None:
    html = markdown.render("[ok](https://x.org/a) [rel](docs/a.md) [bad](javascript:alert(1))")
    assert 'href="https://x.org/a"' in html and 'href="docs/a.md"' in html
    assert "javascript" not in html
    assert markdown.safe_href("java\tscript:alert(1)") == "#"
    assert markdown.safe_href("DATA:text/html,x") == "#"


def test_markdown_raw_html_is_text() -> None:
    html = markdown.render(f'{EVIL}\n\n<img src=x onerror=alert(1)>\n\n[x"y]({EVIL})')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_front_matter_is_split_off() -> None:
    front, body = markdown.split_front_matter("---\nlicense: mit\n---\n# Hi\n")
    assert front == "license: mit\n" and body == "# Hi\n"
    assert markdown.split_front_matter("# no front matter") == ("", "# no front matter")


def test_repo_page_escapes_card_data_and_readme() -> None:
    card = CardData({"license": EVIL, "tags": ["a", EVIL]}, None, [EVIL])
    readme = f"---\nlicense: x\n---\n# {EVIL}\n"
    html = pages.repo_page(RepoView(REPO, _row(EVIL), readme, card, 3, 2))
    assert "<script" not in html
    assert "license: &lt;script&gt;" in html and "3 likes" in html
    assert "m&lt;x&gt;" in html  # the repo name
    assert "---" not in html.split("<article")[1]  # front matter shown as tags, not text


def _tree(total: int, start: int = 0) -> TreeView:
    names = [f"f{i:05}.bin" for i in range(total)][start : start + TREE_PAGE_SIZE]
    entries = [Entry(name, "file", 2000, True, _row()) for name in names]
    return TreeView(REPO, "main", "", entries, start, total)


def test_tree_page_paginates_past_a_thousand_entries() -> None:
    first = pages.tree_page(_tree(2500))
    assert first.count('class="lfs"') == TREE_PAGE_SIZE
    assert "?cursor=1000" in first and "Previous" not in first
    middle = pages.tree_page(_tree(2500, 1000))
    assert "?cursor=0" in middle and "?cursor=2000" in middle
    last = pages.tree_page(_tree(2500, 2000))
    assert "Next" not in last and "Entries 2001-2500 of 2500" in last


def test_tree_page_escapes_file_names() -> None:
    name = "<img src=x onerror=alert(1)>.txt"
    view = TreeView(REPO, "refs/pr/1", "", [Entry(name, "file", 1, False, _row(EVIL))], 0, 1)
    html = pages.tree_page(view)
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in html
    assert "/blob/refs%2Fpr%2F1/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt" in html


def _blob(content: bytes, sha: str = "") -> BlobView:
    return BlobView(REPO, "main", "f.txt", len(content), "b" * 40, sha or None, content, None)


def test_blob_page_numbers_text_lines() -> None:
    html = pages.blob_page(_blob(b"one\n<two>\n"))
    assert '<td class="n">1</td><td>one</td>' in html
    assert '<td class="n">2</td><td>&lt;two&gt;</td>' in html
    assert '<td class="n">3</td>' not in html


def test_blob_page_binary_and_lfs() -> None:
    assert "Binary file" in pages.blob_page(_blob(b"\x00\x01\x02"))
    lfs = BlobView(REPO, "main", "w.bin", 5_000_000, "b" * 40, "c" * 64, None, None)
    html = pages.blob_page(lfs)
    assert "c" * 64 in html and "5.0 MB" in html and "/resolve/main/w.bin" in html


def test_binary_detection() -> None:
    assert is_binary(b"abc\x00def")
    assert is_binary(b"\xff\xfe\xfa garbage")
    assert not is_binary("héllo wörld".encode())
    assert not is_binary("ab€".encode()[:-1])  # a character cut by a truncated read
    assert not is_binary(b"")


def test_diff_block_marks_lines() -> None:
    html = pages.diff_block("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+<new>\n")
    assert '<span class="del">-old</span>' in html
    assert '<span class="add">+&lt;new&gt;</span>' in html
    assert '<span class="hunk">' in html


def test_error_and_login_pages() -> None:
    assert "&lt;script&gt;" in pages.error_page(404, EVIL)
    login = pages.login_page()
    assert 'method="post"' in login and 'type="password"' in login


def test_page_handlers_have_route_class_names() -> None:
    from hfapi.hub.app import route_class
    from hfapi.hub.router import ROUTES

    names = {route_class(route) for route in ROUTES if route.handler.__module__.endswith(".web")}
    assert {"web.repo_page", "web.tree_page", "web.blob_page", "web.login"} <= names
