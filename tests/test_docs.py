"""The docs site: every public name has a reference entry, every page is in the nav, and
the docstring examples of a curated set of modules run as doctests.

The site itself is built by ``make docs`` (``mkdocs build --strict``), which CI runs; these
checks need no docs dependency, so they run with the rest of the suite.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import re
from pathlib import Path
from typing import Iterator, List, Set

import pytest

import hfapi
import hfapi.hub
import hfapi.utils
from hfapi import _progress
from hfapi.hub import LocalHub

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference"

# Modules whose examples are self-contained and run as written. The API methods'
# examples name real Hub repositories (gpt2...) and illustrate calls: they are not run.
DOCTEST_MODULES = [
    "hfapi._retry",
    "hfapi._validators",
    "hfapi._progress",
    "hfapi.commit.outcome",
    "hfapi.commit.payload",
    "hfapi.commit.slices",
    "hfapi.models._fields",
]

# Documented in prose rather than by a ``:::`` directive (a type alias, a version string).
PROSE_NAMES = {"CommitOperation": "commit.md", "__version__": "index.md"}


def _reference_text() -> str:
    return "\n".join(page.read_text() for page in sorted(REFERENCE.glob("*.md")))


def _directive_targets(text: str) -> Set[str]:
    """The last component of every ``::: dotted.path`` directive of the reference."""
    return {match.rsplit(".", 1)[-1] for match in re.findall(r"^::: ([\w.]+)", text, re.M)}


def _is_root_function(name: str) -> bool:
    obj = getattr(hfapi, name)
    return inspect.ismethod(obj) and isinstance(obj.__self__, hfapi.HfApi)


def test_every_public_name_of_hfapi_has_a_reference_entry() -> None:
    text = _reference_text()
    targets = _directive_targets(text)
    missing: List[str] = []
    for name in hfapi.__all__:
        if _is_root_function(name):
            documented = f"[`{name}`][hfapi.HfApi.{name}]" in text
        elif name in PROSE_NAMES:
            documented = f"`hfapi.{name}`" in (REFERENCE / PROSE_NAMES[name]).read_text()
        else:
            documented = name in targets
        if not documented:
            missing.append(name)
    assert missing == []


def test_public_names_of_utils_and_hub_have_a_reference_entry() -> None:
    targets = _directive_targets(_reference_text())
    # The errors and HfFolder of hfapi.utils are the ones of hfapi, documented there.
    names = set(hfapi.utils.__all__) | set(hfapi.hub.__all__)
    assert sorted(names - targets) == []


def _public_callables() -> Iterator[object]:
    for name in hfapi.__all__:
        obj = getattr(hfapi, name)
        if callable(obj) and name not in PROSE_NAMES:
            yield obj
    for name, member in inspect.getmembers(hfapi.HfApi):
        if not name.startswith("_") and callable(member):
            yield member


def test_every_public_callable_has_a_docstring() -> None:
    undocumented = [repr(obj) for obj in _public_callables() if not inspect.getdoc(obj)]
    assert undocumented == []


def test_shared_parameter_markers_are_all_substituted() -> None:
    # The reference is built from the imported docstrings; a marker left in one would
    # show up verbatim on the site.
    leftovers = [
        name
        for name, member in inspect.getmembers(hfapi.HfApi)
        if not name.startswith("_")
        and re.search(r"\{(repo_id|repo_type|token|revision|timeout)\}", member.__doc__ or "")
    ]
    assert leftovers == []


def test_every_page_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    nav = set(re.findall(r":\s*([\w./-]+\.md)\s*$", config, re.M))
    pages = {
        page.relative_to(DOCS).as_posix()
        for page in DOCS.rglob("*.md")
        if not page.relative_to(DOCS).parts[0].startswith("_")
    }
    assert sorted(pages - nav) == []
    assert sorted(nav - pages) == []


def test_the_build_is_strict() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^strict: true$", config, re.M)
    assert "mkdocs build --strict" in makefile
    assert "make docs" in (ROOT / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def doctest_hub() -> Iterator[LocalHub]:
    with LocalHub() as hub:
        yield hub


@pytest.mark.parametrize("module_name", DOCTEST_MODULES)
def test_docstring_examples_run(module_name: str, doctest_hub: LocalHub) -> None:
    module = importlib.import_module(module_name)
    api = hfapi.HfApi(endpoint=doctest_hub.url, token=doctest_hub.token)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = [test for test in finder.find(module, extraglobs={"api": api}) if test.examples]
    assert tests, f"{module_name} has no examples"
    was_disabled = _progress.are_progress_bars_disabled()
    report: List[str] = []
    try:
        for test in tests:
            runner.run(test, out=report.append)
    finally:
        # The progress-bar examples flip the process-wide switch: put it back.
        if was_disabled:
            _progress.disable_progress_bars()
        else:
            _progress.enable_progress_bars()
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0, "".join(report)
    assert attempted > 0
