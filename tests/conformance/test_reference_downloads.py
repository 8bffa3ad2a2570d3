"""huggingface_hub 0.16.4 downloads from the local Hub: bytes, metadata, ranges, moved repos."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

import pytest
from huggingface_hub import CommitOperationAdd, HfFileSystem, get_hf_file_metadata

from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from .conftest import reference_download

pytestmark = pytest.mark.conformance

#: Over the conformance hub's multipart threshold (1000 bytes), and not a multiple of a part.
WEIGHTS = bytes(range(256)) * 9 + b"tail"
TEXT = b"a regular file\n"


def _repo_with_files(api: Any, user: HubUser, name: str = "dl") -> str:
    repo_id = f"{user.name}/{name}"
    api.create_repo(name)
    operations = [
        CommitOperationAdd("w.bin", WEIGHTS),
        CommitOperationAdd("docs/readme.txt", TEXT),
    ]
    api.create_commit(repo_id, operations, commit_message="files")
    return repo_id


def test_regular_and_lfs_files_byte_exact(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = _repo_with_files(api, user)
    first = api.list_repo_commits(repo_id)[0].commit_id
    api.create_commit(repo_id, [CommitOperationAdd("w.bin", b"v2" * 700)], commit_message="v2")
    results = reference_download(
        hub,
        [
            (repo_id, "w.bin", None, first, None),
            (repo_id, "docs/readme.txt", None, None, user.token),
            (repo_id, "w.bin", None, None, None),
            (repo_id, "missing.txt", None, None, None),
            (repo_id, "w.bin", None, "no-such-branch", None),
            (f"{user.name}/no-such-repo", "w.bin", None, None, user.token),
        ],
    )
    assert results[:3] == [WEIGHTS, TEXT, b"v2" * 700]
    assert [kind for kind, _ in results[3:]] == [
        "EntryNotFoundError",
        "RevisionNotFoundError",
        "RepositoryNotFoundError",
    ]


def test_file_metadata_from_head(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = _repo_with_files(api, user)
    head = api.model_info(repo_id).sha
    lfs = get_hf_file_metadata(f"{hub.url}/{repo_id}/resolve/main/w.bin")
    assert (lfs.commit_hash, lfs.size) == (head, len(WEIGHTS))
    assert lfs.etag == hashlib.sha256(WEIGHTS).hexdigest()
    assert lfs.location.startswith(f"{hub.url}/_hub/lfs/download/")  # the redirect's target
    url = f"{hub.url}/{repo_id}/resolve/main/docs/readme.txt"
    regular = get_hf_file_metadata(url)
    blob_id = hashlib.sha1(b"blob %d\x00" % len(TEXT) + TEXT).hexdigest()
    assert (regular.commit_hash, regular.etag, regular.size) == (head, blob_id, len(TEXT))
    assert regular.location == url


def test_ranges_through_hf_file_system(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = _repo_with_files(api, user)
    fs = HfFileSystem(endpoint=hub.url, token=user.token)
    with fs.open(f"{repo_id}/w.bin", "rb", block_size=100) as handle:
        handle.seek(1000)
        assert handle.read(300) == WEIGHTS[1000:1300]
        handle.seek(len(WEIGHTS) - 4)
        assert handle.read() == b"tail"
    with fs.open(f"{repo_id}/docs/readme.txt", "rb", block_size=4) as handle:
        handle.seek(2)
        assert handle.read(7) == TEXT[2:9]


_RESUME_SCRIPT = """
import base64, json, os, sys
from huggingface_hub import hf_hub_download, get_hf_file_metadata, hf_hub_url
repo_id, filename, prefix, cache = json.loads(sys.argv[1])
etag = get_hf_file_metadata(hf_hub_url(repo_id, filename)).etag
blobs = os.path.join(cache, "models--" + repo_id.replace("/", "--"), "blobs")
os.makedirs(blobs)
with open(os.path.join(blobs, etag + ".incomplete"), "wb") as handle:
    handle.write(base64.b64decode(prefix))
path = hf_hub_download(repo_id, filename, cache_dir=cache, resume_download=True)
with open(path, "rb") as handle:
    print(base64.b64encode(handle.read()).decode())
"""


def test_resumed_download_asks_for_the_rest(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = _repo_with_files(api, user)
    prefix = b"\xff" * 1000  # not the file's bytes: the result shows what was fetched
    with tempfile.TemporaryDirectory() as home:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))},
            "HF_ENDPOINT": hub.url,
            "HF_HOME": home,
            "HF_HUB_DISABLE_PROGRESS_BARS": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
        }
        argument = json.dumps([repo_id, "w.bin", base64.b64encode(prefix).decode(), home])
        command = [sys.executable, "-c", _RESUME_SCRIPT, argument]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert base64.b64decode(result.stdout) == prefix + WEIGHTS[1000:]


def test_download_after_a_move(hub: LocalHub, api: Any, user: HubUser) -> None:
    repo_id = _repo_with_files(api, user, "old-name")
    new_id = f"{user.name}/new-name"
    api.move_repo(repo_id, new_id)
    assert api.model_info(repo_id).id == new_id
    assert api.list_repo_files(repo_id) == [".gitattributes", "docs/readme.txt", "w.bin"]
    assert [ref.name for ref in api.list_repo_refs(repo_id).branches] == ["main"]
    assert api.list_repo_commits(repo_id)[0].title == "files"
    metadata = get_hf_file_metadata(f"{hub.url}/{repo_id}/resolve/main/docs/readme.txt")
    assert metadata.location == f"{hub.url}/{new_id}/resolve/main/docs/readme.txt"
    results = reference_download(
        hub,
        [
            (repo_id, "w.bin", None, None, None),
            (repo_id, "docs/readme.txt", None, None, user.token),
        ],
    )
    assert results == [WEIGHTS, TEXT]
