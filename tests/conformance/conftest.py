"""The reference client (huggingface_hub 0.16.4, black box) against a session LocalHub.

huggingface_hub reads its settings from the environment when first imported, so they
are set here, before any test module imports it. Every call passes ``endpoint=``
explicitly; downloads, whose helpers only know the import-time endpoint, run in a
subprocess started with ``HF_ENDPOINT`` (see :func:`reference_download`).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
from typing import Any, Iterator, List, Optional, Tuple

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser, new_hub_user


def _import_reference_quietly() -> None:
    # The reference reads these once, at import; set them for that import only, so they do
    # not leak into the environment of hfapi's own tests running in the same worker.
    quiet = {
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    }
    saved = {name: os.environ.get(name) for name in quiet}
    os.environ.update(quiet)
    try:
        import huggingface_hub  # noqa: F401
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_import_reference_quietly()

#: Small limits so that the reference client paginates and uses multipart uploads.
LIMITS = {
    "lfs_multipart_threshold": 1000,
    "lfs_chunk_size": 400,
    "tree_page_size": 4,
    "tree_expand_page_size": 2,
    "commits_page_size": 2,
    "likes_page_size": 2,
}

_DOWNLOAD_SCRIPT = """
import base64, json, sys
from huggingface_hub import hf_hub_download
requests, cache = json.loads(sys.argv[1]), sys.argv[2]
out = []
for repo_id, filename, repo_type, revision, token in requests:
    try:
        path = hf_hub_download(repo_id, filename, repo_type=repo_type, revision=revision,
                               token=token, cache_dir=cache)
        with open(path, "rb") as handle:
            out.append(["ok", base64.b64encode(handle.read()).decode()])
    except Exception as error:
        out.append([type(error).__name__, str(error)])
print(json.dumps(out))
"""

Download = Tuple[str, str, Optional[str], Optional[str], Optional[str]]


def reference_download(hub: LocalHub, downloads: List[Download]) -> List[Any]:
    """Run ``hf_hub_download`` for each ``(repo_id, filename, repo_type, revision, token)``.

    Returns:
        Per download, the file's bytes, or ``(exception class name, message)``.
    """
    with tempfile.TemporaryDirectory() as home:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))},
            "HF_ENDPOINT": hub.url,
            "HF_HOME": home,
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
        }
        command = [sys.executable, "-c", _DOWNLOAD_SCRIPT, json.dumps(downloads), home]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return [
        base64.b64decode(value) if kind == "ok" else (kind, value)
        for kind, value in json.loads(result.stdout)
    ]


@pytest.fixture(scope="session")
def hub() -> Iterator[LocalHub]:
    with LocalHub(**LIMITS) as local_hub:
        yield local_hub


@pytest.fixture
def user(hub: LocalHub) -> HubUser:
    return new_hub_user(hub)


@pytest.fixture
def other(hub: LocalHub) -> HubUser:
    return new_hub_user(hub, "other")


@pytest.fixture
def api(hub: LocalHub, user: HubUser) -> Any:
    """The reference ``HfApi`` acting as ``user``."""
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub.url, token=user.token)
