"""One cache, two clients: huggingface_hub 0.16.4 and hfapi find each other's downloads.

The reference downloads in a subprocess (its download helpers only know the import-time
``HF_ENDPOINT``); its offline look-ups need no endpoint and run in this process.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List

import huggingface_hub
import pytest

import hfapi
from hfapi import CommitOperationAdd, HfApi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

FILES = {
    "config.json": b'{"hidden_size": 8}\n',
    "weights.bin": b"\x00" + bytes(range(256)) * 40,
    "nested/dir/ファイル?.txt": "ünïcødé\n".encode(),
}

_SCRIPT = """
import json, sys
from huggingface_hub import hf_hub_download, snapshot_download
repo_id, cache, token = sys.argv[1], sys.argv[2], sys.argv[3]
paths = [hf_hub_download(repo_id, name, cache_dir=cache, token=token)
         for name in json.loads(sys.argv[4])]
paths.append(snapshot_download(repo_id, cache_dir=cache, token=token))
print(json.dumps(paths))
"""


def reference_fetch(hub: LocalHub, repo_id: str, cache: Path, token: str) -> List[str]:
    """The reference's ``hf_hub_download`` of every file, then ``snapshot_download``."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))},
        "HF_ENDPOINT": hub.url,
        "HF_HOME": str(cache.parent / "home"),
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }
    command = [sys.executable, "-c", _SCRIPT, repo_id, str(cache), token, json.dumps(list(FILES))]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    paths: List[str] = json.loads(result.stdout)
    return paths


def tree(cache: Path) -> Dict[str, Any]:
    """Every entry under the cache (locks aside): a link's target, or a file's bytes."""
    entries: Dict[str, Any] = {}
    for path in sorted(cache.rglob("*")):
        relative = path.relative_to(cache).as_posix()
        if relative.startswith(".locks"):
            continue
        if path.is_symlink():
            entries[relative] = ("link", os.readlink(path))
        elif path.is_file():
            entries[relative] = ("file", path.read_bytes())
    return entries


@pytest.fixture
def repo_id(api: Any, user: HubUser) -> str:
    mine = HfApi(endpoint=api.endpoint, token=user.token)
    mine.create_repo("interop")
    mine.create_commit(
        f"{user.name}/interop",
        [CommitOperationAdd(name, data) for name, data in FILES.items()],
        commit_message="files",
    )
    return f"{user.name}/interop"


@pytest.mark.parametrize(
    "name", ["hf_hub_download", "snapshot_download", "hf_hub_url", "try_to_load_from_cache"]
)
def test_signatures_match_the_reference(name: str) -> None:
    def described(function: Any) -> List[Any]:
        return [
            (p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()
        ]

    assert described(getattr(hfapi, name)) == described(getattr(huggingface_hub, name))


def test_reference_finds_hfapi_downloads_offline(
    hub: LocalHub, user: HubUser, repo_id: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    mine = HfApi(endpoint=hub.url, token=user.token)
    ours = {name: mine.hf_hub_download(repo_id, name, cache_dir=cache) for name in FILES}
    for name, data in FILES.items():
        found = huggingface_hub.hf_hub_download(
            repo_id, name, cache_dir=cache, local_files_only=True
        )
        assert found == ours[name]
        assert Path(found).read_bytes() == data
        assert huggingface_hub.try_to_load_from_cache(repo_id, name, cache_dir=cache) == found
    snapshot = huggingface_hub.snapshot_download(repo_id, cache_dir=cache, local_files_only=True)
    assert snapshot == os.path.dirname(ours["config.json"])


def test_hfapi_finds_reference_downloads_offline(
    hub: LocalHub, user: HubUser, repo_id: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    paths = reference_fetch(hub, repo_id, cache, user.token)
    mine = HfApi(endpoint=hub.url, token=user.token)
    for name, path in zip(FILES, paths):
        assert mine.hf_hub_download(repo_id, name, cache_dir=cache, local_files_only=True) == path
        assert hfapi.try_to_load_from_cache(repo_id, name, cache_dir=cache) == path
    assert mine.snapshot_download(repo_id, cache_dir=cache, local_files_only=True) == paths[-1]


def test_both_clients_build_identical_caches(
    hub: LocalHub, user: HubUser, repo_id: str, tmp_path: Path
) -> None:
    reference_cache = tmp_path / "reference"
    reference_fetch(hub, repo_id, reference_cache, user.token)
    our_cache = tmp_path / "ours"
    mine = HfApi(endpoint=hub.url, token=user.token)
    for name in FILES:
        mine.hf_hub_download(repo_id, name, cache_dir=our_cache)
    mine.snapshot_download(repo_id, cache_dir=our_cache)
    assert tree(our_cache) == tree(reference_cache)


def test_same_bytes_and_same_errors_as_the_reference(
    hub: LocalHub, user: HubUser, repo_id: str, tmp_path: Path
) -> None:
    cases = [
        (repo_id, "weights.bin", None, None, user.token),
        (repo_id, "nested/dir/ファイル?.txt", None, "main", None),
        (repo_id, "missing.txt", None, None, user.token),
        (repo_id, "config.json", None, "no-such-branch", user.token),
        (repo_id + "-none", "config.json", None, None, user.token),
    ]
    expected = reference_download(hub, cases)
    mine = HfApi(endpoint=hub.url, token=user.token)
    for (repo, name, repo_type, revision, token), reference in zip(cases, expected):
        try:
            path = mine.hf_hub_download(
                repo,
                name,
                repo_type=repo_type,
                revision=revision,
                token=token or False,
                cache_dir=tmp_path,
            )
            ours: Any = Path(path).read_bytes()
        except Exception as error:  # compared with the reference's class
            ours = type(error).__name__
        assert ours == (reference if isinstance(reference, bytes) else reference[0]), name
