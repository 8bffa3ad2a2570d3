"""The repository stands on its own, and its two products keep to their rooms.

- No tracked file refers to a path outside the checkout (a user's clone has nothing beside it).
- The client (``hfapi`` outside ``hfapi.hub``) never imports the local Hub.
- The local Hub imports only the standard library, itself, and the client's pure helpers.
- Inside the local Hub, routes reach storage only through the backend.
- Only the modules named in ``REQUESTS_USERS`` import ``requests``.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "hfapi"

#: Client modules the local Hub may import: pure helpers with no HTTP and no third-party imports.
#: (``hfapi._validators`` is not one: it raises ``hfapi.errors`` classes, built on ``requests``.)
HUB_MAY_IMPORT = {"hfapi.constants"}

#: Client modules that may import ``requests`` (or urllib3): the session, the one place that
#: sends; the others only for types and exception classes, as ``hfapi._session``'s docstring
#: says and explains.
REQUESTS_USERS = {
    "hfapi._session",
    "hfapi._retry",
    "hfapi.errors",
    "hfapi.api._base",
    "hfapi.api.users",
    "hfapi.commit.lfs",
    "hfapi.commit.outcome",
    "hfapi.api._commit_engine",
    "hfapi.download._mixin",
    "hfapi.download.fetch",
    "hfapi.download.transfer",
}

# Built from pieces so that this file does not match its own patterns.
_OUTSIDE_PATTERNS = [
    re.escape("../" + "shared"),
    "/" + "work/",
    "/" + r"root/(?!\))",
    "/" + r"home/[a-z]",
    "/" + "Users/",
    r"[A-Z]:\\" + r"Users\\",
]
_OUTSIDE = re.compile("|".join(_OUTSIDE_PATTERNS))
#: CONTRIBUTING may point contributors to the team's extra reading; nothing may *need* it.
_MAY_MENTION_OUTSIDE = {"CONTRIBUTING.md", "tests/test_boundaries.py"}


def _tracked_files() -> List[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed.decode().split("\0") if name]


def test_no_tracked_file_refers_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative in _MAY_MENTION_OUTSIDE or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary fixtures
        for number, line in enumerate(text.splitlines(), 1):
            if _OUTSIDE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()[:120]}")
    assert offenders == []


def test_outside_pattern_catches_what_it_should() -> None:
    # The guard above is only as good as its pattern: show it matches the real cases.
    assert _OUTSIDE.search('Path("/' + 'work/shared/reference/surface.json")')
    assert _OUTSIDE.search("see ../" + "shared/protocol/01-core.md")
    assert _OUTSIDE.search("/" + "home/alice/hub-data")
    assert not _OUTSIDE.search("Path(__file__).parent / 'reference'")


# -- import graph ---------------------------------------------------------------------------


def _modules() -> Iterator[Tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def _imports(module: str, path: Path) -> Set[str]:
    """Absolute names of the modules that ``module`` imports (relative imports resolved)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            # ``from . import constants`` imports a module, not a name.
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def _is_module(name: str) -> bool:
    relative = name.split(".")[1:]
    base = PACKAGE.joinpath(*relative) if relative else PACKAGE
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _hfapi_imports(module: str, path: Path) -> Set[str]:
    return {
        name
        for name in _imports(module, path)
        if (name == "hfapi" or name.startswith("hfapi.")) and _is_module(name)
    }


MODULES = dict(_modules())
# The command line fronts both: its `hub` verb loads the local Hub (lazily, see below).
CLIENT = {n: p for n, p in MODULES.items() if not n.startswith(("hfapi.hub", "hfapi.cli"))}
HUB = {name: path for name, path in MODULES.items() if name.startswith("hfapi.hub")}


def test_the_import_graph_is_read() -> None:
    # Sanity: the parser sees relative imports, or every check below would pass vacuously.
    assert "hfapi._session" in _hfapi_imports("hfapi.api._base", MODULES["hfapi.api._base"])
    assert "hfapi.hub.backend" in _hfapi_imports("hfapi.hub.app", MODULES["hfapi.hub.app"])
    assert len(CLIENT) > 20 and len(HUB) > 20


@pytest.mark.parametrize("module", sorted(CLIENT))
def test_client_never_imports_the_local_hub(module: str) -> None:
    hub = {name for name in _hfapi_imports(module, CLIENT[module]) if name.startswith("hfapi.hub")}
    assert hub == set()


@pytest.mark.parametrize("module", sorted(HUB))
def test_local_hub_imports_only_pure_client_helpers(module: str) -> None:
    client = {
        name
        for name in _hfapi_imports(module, HUB[module])
        if not name.startswith("hfapi.hub") and name != "hfapi"
    }
    assert client <= HUB_MAY_IMPORT


@pytest.mark.parametrize("module", sorted(HUB_MAY_IMPORT))
def test_pure_helpers_import_no_third_party_code(module: str) -> None:
    stdlib = set(sys.stdlib_module_names) if hasattr(sys, "stdlib_module_names") else None
    for name in _imports(module, MODULES[module]):
        top = name.split(".")[0]
        if top in ("hfapi", "__future__", ""):
            assert name in HUB_MAY_IMPORT or name == "hfapi" or not name.startswith("hfapi.")
            continue
        if stdlib is not None:
            assert top in stdlib, name


@pytest.mark.parametrize("module", sorted(m for m in HUB if m.startswith("hfapi.hub.routes")))
def test_routes_reach_storage_only_through_the_backend(module: str) -> None:
    assert "hfapi.hub.storage" not in _hfapi_imports(module, HUB[module])


@pytest.mark.parametrize("module", sorted(CLIENT))
def test_only_named_modules_import_requests(module: str) -> None:
    uses = any(
        name.split(".")[0] in ("requests", "urllib3") for name in _imports(module, CLIENT[module])
    )
    assert uses == (module in REQUESTS_USERS)


def test_importing_the_client_loads_no_local_hub_module() -> None:
    code = (
        "import sys, hfapi, hfapi.hf_api, hfapi.utils\n"
        "from hfapi import *\n"
        "hfapi.HfApi()\n"
        "print(sorted(m for m in sys.modules if m.startswith('hfapi.hub')))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert output.strip() == "[]"
