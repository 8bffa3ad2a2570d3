"""The local Hub's layers: routes reach storage only through the backend."""

from __future__ import annotations

import ast
from pathlib import Path

import hfapi.hub.routes

ROUTES = Path(hfapi.hub.routes.__file__).parent


def test_routes_never_import_storage() -> None:
    offenders = []
    for module in sorted(ROUTES.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("storage"):
                offenders.append(f"{module.name}: from {node.module} import ...")
            if isinstance(node, ast.Attribute) and node.attr == "storage":
                offenders.append(f"{module.name}:{node.lineno}: .storage")
    assert offenders == []
