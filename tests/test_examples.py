"""The README's main job keeps working: examples/quickstart.py runs end to end."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

QUICKSTART = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"


def test_quickstart_runs_against_an_embedded_hub(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("quickstart", QUICKSTART)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main([]) == 0
    out = capsys.readouterr().out
    assert "identical: True" in out
    assert "Opened pull request #1" in out
    assert "Done." in out
