"""The README's snippets are valid against the API: they parse, and every hfapi name,
method, keyword and command they use exists."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import shlex
from pathlib import Path
from typing import Any, Dict, List

import pytest

import hfapi
from hfapi import HfApi
from hfapi.cli._main import build_parser
from hfapi.hub.__main__ import _parser as hub_parser

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
PYTHON = re.findall(r"```python\n(.*?)```", README, re.S)
SHELL = re.findall(r"```sh\n(.*?)```", README, re.S)


def _bindings(tree: ast.Module) -> Dict[str, Any]:
    """What each name of the snippet stands for: hfapi objects imported, HfApi clients made."""
    names: Dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("hfapi"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                names[alias.asname or alias.name] = _imported(module, alias.name)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            called = node.value.func
            if isinstance(called, ast.Name) and names.get(called.id) is HfApi:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = HfApi()
    return names


def _imported(module: Any, name: str) -> Any:
    """``from module import name`` as Python does it: an attribute, else a submodule."""
    if not hasattr(module, name):
        try:
            return importlib.import_module(f"{module.__name__}.{name}")
        except ImportError:
            raise AssertionError(f"{module.__name__} has no {name}") from None
    return getattr(module, name)


def _check_keywords(function: Any, call: ast.Call, where: str) -> None:
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):  # not introspectable: nothing to check
        return
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return
    for keyword in call.keywords:
        assert keyword.arg is None or keyword.arg in params, f"{where}: no {keyword.arg}="


def _resolve(node: ast.AST, names: Dict[str, Any]) -> Any:
    """The hfapi object an expression names (``api.model_info``), or None if not ours."""
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, names)
        if owner is None or not _is_ours(owner):
            return None
        assert hasattr(owner, node.attr), f"{owner!r} has no attribute {node.attr}"
        return getattr(owner, node.attr)
    return None


def _is_ours(value: Any) -> bool:
    module = getattr(value, "__module__", None) or getattr(value, "__name__", "")
    return isinstance(value, HfApi) or str(module).startswith("hfapi")


@pytest.mark.parametrize("snippet", PYTHON, ids=[f"python-{i}" for i in range(len(PYTHON))])
def test_python_snippets_use_names_that_exist(snippet: str):
    tree = ast.parse(snippet)
    names = _bindings(tree)
    client_made = any(isinstance(value, HfApi) for value in names.values())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = _resolve(node.func, names)
        if function is None:
            continue
        _check_keywords(function, node, ast.unparse(node.func))
        # A snippet that builds its own client must not call the default client's functions.
        if client_made and isinstance(node.func, ast.Name):
            assert getattr(function, "__self__", None) is not hfapi._default_api, (
                f"{node.func.id}() goes to the default client, not the one the snippet made"
            )


def _commands() -> List[List[str]]:
    lines = [line.split("#", 1)[0].strip() for block in SHELL for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("hfapi ")]


@pytest.mark.parametrize("words", _commands(), ids=lambda words: " ".join(words))
def test_shell_commands_parse(words: List[str]):
    if words[0] == "hub":
        hub_parser().parse_args(words[1:])
    else:
        args = build_parser().parse_args(words)
        assert callable(args.run)


def test_the_readme_has_snippets_of_both_kinds():
    assert len(PYTHON) >= 3 and _commands()


def test_the_old_first_snippet_would_fail():
    # The bug this test exists for: a client is made, then the default one is used.
    wrong = 'from hfapi import HfApi, model_info\napi = HfApi(endpoint="x")\nmodel_info("a/b")\n'
    with pytest.raises(AssertionError, match="default client"):
        test_python_snippets_use_names_that_exist(wrong)
