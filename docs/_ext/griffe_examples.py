"""Griffe extension of the docs build: read ``Example:`` sections as examples.

hfapi's docstrings head their examples ``Example:``; griffe's Google parser knows only
``Examples:`` and would render the singular as an admonition of Markdown text, where
``>>>`` lines become quotes and ``[a][b]`` outputs become broken cross-references. The
docstrings stay as they are; this renames the heading in what griffe parses.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(\s*)Example:[ \t]*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rewrite ``Example:`` headings to ``Examples:`` in every loaded docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Called once per object after loading: fix its docstring's headings."""
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
