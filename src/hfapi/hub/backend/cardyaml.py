"""A small YAML reader for the metadata block ("front matter") of README.md model cards.

The Hub reads a card's metadata from a YAML block between two ``---`` lines at the very
top of ``README.md``. Cards use a narrow part of YAML, and this module reads exactly that
part, with no dependency:

* block mappings (``key: value``, nested by indentation; keys plain or quoted);
* block sequences (``- item``), indented under their key or at the key's own column,
  whose items may be scalars, mappings (``- name: x`` then ``  type: y``) or sequences;
* flow sequences and mappings on one line or several (``[en, fr]``, ``{a: 1, b: [x]}``);
* scalars: plain (resolved as YAML 1.2's core schema: ``null``/``~``, ``true``/``false``,
  integers, floats, else a string; plain text may continue on more-indented lines),
  single-quoted (``''`` for a quote) and double-quoted (the usual backslash escapes);
* block scalars ``|`` and ``>`` (with ``-``/``+`` chomping), and ``#`` comments.

Anything else - anchors and aliases, ``!`` tags, several documents, tabs used for
indentation, inconsistent indentation, unclosed quotes or brackets - raises
:class:`CardYamlError`; the caller then treats the card as having no metadata, as the
Hub accepts such a README but shows no card data.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["CardYamlError", "front_matter", "parse_card_metadata", "parse_yaml"]


class CardYamlError(ValueError):
    """The text is not YAML of the supported subset."""


_INT_RE = re.compile(r"^[-+]?[0-9]+$")
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_BLOCK_INDICATORS = ("|", ">", "|-", ">-", "|+", ">+")


def front_matter(text: str) -> Optional[str]:
    """The YAML between a leading ``---`` line and the next ``---`` (or ``...``) line.

    Returns:
        The block's text, or ``None`` when the README has no (closed) metadata block.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r").rstrip() != "---":
        return None
    for number in range(1, len(lines)):
        if lines[number].rstrip("\r").rstrip() in ("---", "..."):
            return "\n".join(lines[1:number])
    return None


def parse_card_metadata(readme: bytes) -> Dict[str, Any]:
    """The metadata of a README as a dict; ``{}`` without a block or with broken YAML."""
    text = readme.decode("utf-8", "replace").lstrip("\ufeff")
    block = front_matter(text)
    if block is None:
        return {}
    try:
        value = parse_yaml(block)
    except (CardYamlError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def parse_yaml(text: str) -> Any:
    """Parse one YAML document of the supported subset.

    Returns:
        ``dict``/``list``/scalars as JSON would hold them (``None`` for an empty text).

    Raises:
        CardYamlError: the text uses something outside the subset, or is malformed.
    """
    return _Parser(text).document()


def _strip_comment(text: str) -> str:
    # A '#' starts a comment at the start or after whitespace (not inside "a#b").
    match = re.search(r"(^|\s)#", text)
    return text if match is None else text[: match.start()]


def _resolve_plain(text: str) -> Any:
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT_RE.match(text):
        return int(text)
    if _FLOAT_RE.match(text) and any(c.isdigit() for c in text):
        return float(text)
    if text[0] in "&*!%@`|>":
        raise CardYamlError(f"Unsupported YAML construct: {text[:30]!r}")
    return text


def _find_key_colon(content: str) -> Optional[int]:
    """Index of the ``:`` ending a mapping key on this line, or ``None``."""
    if content[0] in "\"'":
        end = _quoted_end(content, 0)
        if end < len(content) and content[end] == ":":
            after = content[end + 1 : end + 2]
            return end if after in ("", " ") else None
        return None
    if content[0] in "[{":
        return None
    match = re.search(r":(\s|$)", content)
    if match is None:
        return None
    hash_at = re.search(r"(^|\s)#", content)
    if hash_at is not None and hash_at.start() < match.start():
        return None
    return match.start()


def _quoted_end(text: str, start: int) -> int:
    """Index just past the quoted scalar opening at ``start``."""
    quote = text[start]
    index = start + 1
    while index < len(text):
        char = text[index]
        if quote == "'" and char == "'":
            if text[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index + 1
        if quote == '"' and char == "\\":
            index += 2
            continue
        if quote == '"' and char == '"':
            return index + 1
        index += 1
    raise CardYamlError("Unclosed quoted scalar")


def _unquote(raw: str) -> str:
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'")
    body, out, index = raw[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            out.append(char)
            index += 1
            continue
        code = body[index + 1 : index + 2]
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
            index += 2
        elif code in _HEX_ESCAPES:
            width = _HEX_ESCAPES[code]
            digits = body[index + 2 : index + 2 + width]
            if len(digits) != width or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise CardYamlError("Invalid escape in a double-quoted scalar")
            out.append(chr(int(digits, 16)))
            index += 2 + width
        else:
            raise CardYamlError(f"Unknown escape \\{code} in a double-quoted scalar")
    return "".join(out)


class _Flow:
    """Reader of one flow collection (``[...]`` / ``{...}``), possibly spanning lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\n":
            self.pos += 1

    def value(self) -> Any:
        self._skip()
        if self.pos >= len(self.text):
            raise CardYamlError("Unclosed flow collection")
        char = self.text[self.pos]
        if char == "[":
            return self._sequence()
        if char == "{":
            return self._mapping()
        if char in "\"'":
            end = _quoted_end(self.text, self.pos)
            raw, self.pos = self.text[self.pos : end], end
            return _unquote(raw)
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ",]}":
            if self.text[self.pos] == ":" and self.text[self.pos + 1 : self.pos + 2] in " ,]}":
                break
            self.pos += 1
        return _resolve_plain(" ".join(self.text[start : self.pos].split()))

    def _sequence(self) -> List[Any]:
        self.pos += 1
        items: List[Any] = []
        while True:
            self._skip()
            if self.text[self.pos : self.pos + 1] == "]":
                self.pos += 1
                return items
            items.append(self.value())
            self._separator("]")

    def _mapping(self) -> Dict[str, Any]:
        self.pos += 1
        result: Dict[str, Any] = {}
        while True:
            self._skip()
            if self.text[self.pos : self.pos + 1] == "}":
                self.pos += 1
                return result
            key = self.value()
            self._skip()
            value = None
            if self.text[self.pos : self.pos + 1] == ":":
                self.pos += 1
                self._skip()
                if self.text[self.pos : self.pos + 1] not in (",", "}"):
                    value = self.value()
            result[_key_text(key)] = value
            self._separator("}")

    def _separator(self, closing: str) -> None:
        self._skip()
        char = self.text[self.pos : self.pos + 1]
        if char == ",":
            self.pos += 1
        elif char != closing:
            raise CardYamlError(f"Expected ',' or {closing!r} in a flow collection")


def _key_text(key: Any) -> str:
    if isinstance(key, (dict, list)):
        raise CardYamlError("Complex mapping keys are not supported")
    if key is None:
        return ""
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


class _Parser:
    """Block-structure reader over the document's lines."""

    def __init__(self, text: str) -> None:
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.pos = 0

    def _peek(self) -> Optional[Tuple[int, str]]:
        """``(indent, content)`` of the next line holding something, skipping others."""
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                indent = len(line) - len(line.lstrip(" "))
                if line[indent : indent + 1] == "\t":
                    raise CardYamlError("Tabs cannot indent YAML")
                if stripped in ("---", "..."):
                    raise CardYamlError("Several YAML documents are not supported")
                return indent, line.strip()
            self.pos += 1
        return None

    def document(self) -> Any:
        first = self._peek()
        if first is None:
            return None
        value = self._block(first[0])
        if self._peek() is not None:
            raise CardYamlError(f"Unexpected content at line {self.pos + 1}")
        return value

    def _block(self, indent: int) -> Any:
        peek = self._peek()
        assert peek is not None
        content = peek[1]
        if _is_item(content):
            return self._sequence(indent)
        if _find_key_colon(content) is not None:
            return self._mapping(indent)
        self.pos += 1
        return self._inline(content, indent)

    def _mapping(self, indent: int) -> Dict[str, Any]:
        result: Dict[str, Any] = {}
        while True:
            peek = self._peek()
            if peek is None or peek[0] < indent:
                return result
            if peek[0] > indent:
                raise CardYamlError(f"Bad indentation at line {self.pos + 1}")
            content = peek[1]
            colon = _find_key_colon(content)
            if colon is None:
                if _is_item(content):
                    raise CardYamlError(
                        f"A list item where a key was expected, line {self.pos + 1}"
                    )
                raise CardYamlError(f"Expected 'key: value' at line {self.pos + 1}")
            raw_key = content[:colon].strip()
            key = _unquote(raw_key) if raw_key[:1] in "\"'" else _key_text(_resolve_plain(raw_key))
            self.pos += 1
            result[key] = self._value(content[colon + 1 :], indent, in_sequence=False)

    def _sequence(self, indent: int) -> List[Any]:
        items: List[Any] = []
        while True:
            peek = self._peek()
            if peek is None or peek[0] != indent or not _is_item(peek[1]):
                if peek is not None and peek[0] > indent:
                    raise CardYamlError(f"Bad indentation at line {self.pos + 1}")
                return items
            line = self.lines[self.pos]
            rest = line[indent + 1 :]
            stripped = rest.strip()
            if (
                stripped
                and not stripped.startswith("#")
                and (_is_item(stripped) or _find_key_colon(stripped) is not None)
            ):
                # "- key: v" / "- - x": the item is a block starting at the text's column.
                column = indent + 1 + len(rest) - len(rest.lstrip(" "))
                self.lines[self.pos] = " " * column + stripped
                items.append(self._block(column))
                continue
            self.pos += 1
            items.append(self._value(rest, indent, in_sequence=True))

    def _value(self, rest: str, indent: int, in_sequence: bool) -> Any:
        """The value after ``key:`` or ``-`` on a line of ``indent``."""
        stripped = rest.strip()
        text = stripped if stripped[:1] in ('"', "'") else _strip_comment(rest).strip()
        if text in _BLOCK_INDICATORS:
            return self._block_scalar(text, indent)
        if text:
            return self._inline(text, indent)
        peek = self._peek()
        if peek is None:
            return None
        if peek[0] > indent:
            return self._block(peek[0])
        if peek[0] == indent and _is_item(peek[1]) and not in_sequence:
            return self._sequence(indent)
        return None

    def _inline(self, text: str, indent: int) -> Any:
        if text[0] in "[{":
            return self._flow(text)
        if text[0] in "\"'":
            return self._quoted(text)
        parts = [text]
        while True:  # a plain scalar may go on over more-indented lines
            peek = self._peek()
            if peek is None or peek[0] <= indent:
                break
            parts.append(_strip_comment(peek[1]).strip())
            self.pos += 1
        text = " ".join(parts)
        if re.search(r":(\s|$)", text):
            # YAML allows no ": " in a plain scalar: the line meant a key at a bad indent.
            raise CardYamlError("Mapping values are not allowed in a plain scalar")
        return _resolve_plain(text)

    def _quoted(self, text: str) -> Any:
        end = _quoted_end(text, 0)
        trailing = text[end:].strip()
        if trailing and not trailing.startswith("#"):
            raise CardYamlError("Text after a quoted scalar")
        return _unquote(text[:end])

    def _flow(self, text: str) -> Any:
        buffer = text
        while True:
            reader = _Flow(buffer)
            try:
                value = reader.value()
            except (CardYamlError, IndexError):
                if self.pos >= len(self.lines):
                    raise CardYamlError("Unclosed flow collection") from None
                buffer += "\n" + _strip_comment(self.lines[self.pos])
                self.pos += 1
                continue
            trailing = _strip_comment(buffer[reader.pos :]).strip()
            if trailing:
                raise CardYamlError("Text after a flow collection")
            return value

    def _block_scalar(self, indicator: str, indent: int) -> str:
        lines: List[str] = []
        block_indent: Optional[int] = None
        while self.pos < len(self.lines):
            line = self.lines[self.pos]
            if line.strip():
                current = len(line) - len(line.lstrip(" "))
                if current <= indent:
                    break
                block_indent = current if block_indent is None else block_indent
                if current < block_indent:
                    break
                lines.append(line[block_indent:])
            else:
                lines.append("")
            self.pos += 1
        while lines and lines[-1] == "" and indicator[-1:] != "+":
            lines.pop()
        text = _fold(lines) if indicator[0] == ">" else "\n".join(lines)
        return text if indicator.endswith("-") else text + "\n"


def _fold(lines: List[str]) -> str:
    # Folded style: lines of one paragraph join with spaces; an empty line is a break.
    out: List[str] = []
    for line in lines:
        if line == "":
            out.append("\n")
        elif out and not out[-1].endswith("\n"):
            out.append(" " + line)
        else:
            out.append(line)
    return "".join(out)


def _is_item(content: str) -> bool:
    return content == "-" or content.startswith("- ")
