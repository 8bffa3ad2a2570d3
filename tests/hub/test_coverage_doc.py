"""docs/local-hub-coverage.md is generated from the route table and must stay in sync."""

from __future__ import annotations

from pathlib import Path

from hfapi.hub import coverage

DOC = Path(__file__).resolve().parents[2] / "docs" / "local-hub-coverage.md"


def test_coverage_doc_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == coverage.render(), (
        "Regenerate with: python -m hfapi.hub.coverage > docs/local-hub-coverage.md"
    )


def test_every_route_names_its_clients() -> None:
    text = coverage.render()
    for method in ("create_commit", "hf_hub_download", "list_liked_repos", "move_repo"):
        assert f"| `{method}` |" in text
