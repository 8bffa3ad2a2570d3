"""Test hygiene shared by every test: a clean environment and no real token file."""

from __future__ import annotations

import os
from typing import Iterator

import pytest
from hypothesis import settings

from hfapi import HfFolder

# Property tests are derandomized so that a run's outcome never depends on luck (CI must be
# reproducible); `HYPOTHESIS_PROFILE=explore make test` searches with fresh random examples.
settings.register_profile("default", derandomize=True, deadline=None)
settings.register_profile("explore", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def clean_environ(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Hide the developer's Hub settings and token from every test."""
    for name in list(os.environ):
        if name.startswith(("HF_", "HUGGING_FACE_", "HUGGINGFACE_")) and name not in (
            "HF_HUB_DISABLE_PROGRESS_BARS",
            "HF_HUB_DISABLE_TELEMETRY",
        ):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("hf_home")
    monkeypatch.setattr(HfFolder, "path_token", str(home / "token"))
    monkeypatch.setattr(HfFolder, "path_old_token", str(home / "legacy_token"))
    yield


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show how many raw requests the local Hub's bad-input suite sent (all workers)."""
    total = 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) == "teardown":
                total += dict(getattr(report, "user_properties", ())).get(
                    "hub_bad_input_requests", 0
                )
    if total:
        terminalreporter.write_line(
            f"local Hub bad-input suite: {total} raw request(s), each refused with a 4xx"
            " in the Hub's error shape"
        )
