"""``hfapi.logging``: the reference's verbosity switches, and one DEBUG line per request."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from itertools import count
from typing import Iterator

import pytest
import requests
from _wire import ENDPOINT, TOKEN

import hfapi
import hfapi.logging as hf_logging
import hfapi.utils.logging as utils_logging
from hfapi import HfApi


@pytest.fixture
def library_logger() -> Iterator[logging.Logger]:
    """Undo whatever a test does to the ``hfapi`` logger and to the module's state."""
    logger = logging.getLogger("hfapi")
    saved = (logger.level, list(logger.handlers), logger.propagate, hf_logging._handler)
    yield logger
    logger.setLevel(saved[0])
    logger.handlers[:] = saved[1]
    logger.propagate = saved[2]
    hf_logging._handler = saved[3]


@pytest.fixture
def debug_api(library_logger: logging.Logger, api: HfApi) -> HfApi:
    """A client whose clock advances 0.25 s per reading, with DEBUG output on stderr."""
    ticks = count()
    api._http.clock = lambda: next(ticks) * 0.25
    hf_logging.set_verbosity_debug()
    return api


def test_the_reference_path_is_the_same_module():
    assert utils_logging.set_verbosity_debug is hf_logging.set_verbosity_debug
    assert hfapi.utils.logging.get_logger is hf_logging.get_logger


def test_verbosity_switches(library_logger):
    hf_logging.set_verbosity_info()
    assert hf_logging.get_verbosity() == logging.INFO
    hf_logging.set_verbosity_error()
    assert hf_logging.get_verbosity() == logging.ERROR
    hf_logging.set_verbosity_warning()
    assert hf_logging.get_verbosity() == hf_logging.WARNING
    hf_logging.set_verbosity_debug()
    assert library_logger.level == logging.DEBUG


def test_get_logger_places_names_under_the_library(library_logger):
    assert hf_logging.get_logger() is library_logger
    assert hf_logging.get_logger("hfapi.http").name == "hfapi.http"
    assert hf_logging.get_logger("my_app").name == "hfapi.my_app"


def test_first_use_adds_one_stderr_handler(library_logger, capsys):
    hf_logging.set_verbosity_info()
    hf_logging.set_verbosity_info()
    handlers = [h for h in library_logger.handlers if isinstance(h, hf_logging._StderrHandler)]
    assert len(handlers) == 1
    assert library_logger.propagate is False
    hf_logging.get_logger("hfapi.commit").info("hello")
    assert capsys.readouterr().err == "INFO hfapi.commit: hello\n"
    hf_logging.enable_propagation()
    assert library_logger.propagate is True


def test_debug_shows_one_line_per_request(debug_api, rsps, capsys):
    rsps.get(
        f"{ENDPOINT}/api/models/a/b/revision/v1",
        json={"modelId": "a/b"},
        headers={"X-Request-Id": "req-1"},
    )
    debug_api.model_info("a/b", revision="v1", timeout=3)
    err = capsys.readouterr().err
    expected = f"DEBUG hfapi.http: GET {ENDPOINT}/api/models/a/b/revision/v1 -> 200 in 0.250s"
    assert err == expected + " (request id req-1)\n"
    assert TOKEN not in err


def test_debug_line_drops_the_query_string_and_never_shows_the_token(debug_api, rsps, capsys):
    rsps.get(f"{ENDPOINT}/api/models", json=[])
    rsps.get(f"{ENDPOINT}/api/whoami-v2", body=requests.ConnectionError("reset"))
    list(debug_api.list_models(search="bert", limit=2))
    with pytest.raises(requests.ConnectionError):
        debug_api.whoami()
    lines = capsys.readouterr().err.splitlines()
    sent_id = rsps.calls[0].request.headers["X-Amzn-Trace-Id"]
    assert lines[0] == (
        f"DEBUG hfapi.http: GET {ENDPOINT}/api/models -> 200 in 0.250s (request id {sent_id})"
    )
    attempts = [line for line in lines if line.startswith("DEBUG") and "whoami" in line]
    assert len(attempts) == 6  # the first try and five retries: one line each
    assert attempts[0] == (
        f"DEBUG hfapi.http: GET {ENDPOINT}/api/whoami-v2 -> ConnectionError in 0.250s"
        f" (request id {rsps.calls[1].request.headers['X-Amzn-Trace-Id']})"
    )
    assert all("search=" not in line and TOKEN not in line for line in lines)


def test_warning_level_hides_request_lines(library_logger, api, rsps, capsys):
    hf_logging.set_verbosity_warning()
    rsps.get(f"{ENDPOINT}/api/models/a/b", json={"modelId": "a/b"})
    api.model_info("a/b")
    assert capsys.readouterr().err == ""


def test_environment_sets_the_first_level():
    code = "import hfapi.logging as l; print(l.get_verbosity())"
    env = {**os.environ, "HF_HUB_VERBOSITY": "info"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == str(logging.INFO)
