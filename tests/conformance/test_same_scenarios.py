"""The same upload scenarios, run with the reference client and with hfapi against one
local Hub, must leave byte-identical repositories (same paths, git blob ids, LFS oids)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pytest
import requests

import hfapi
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

pytestmark = pytest.mark.conformance


def _clients(hub: LocalHub, user: HubUser) -> List[Tuple[str, Any]]:
    from huggingface_hub import HfApi as ReferenceApi

    return [
        ("reference", ReferenceApi(endpoint=hub.url, token=user.token)),
        ("hfapi", hfapi.HfApi(endpoint=hub.url, token=user.token)),
    ]


def _snapshot(hub: LocalHub, user: HubUser, repo_id: str) -> Dict[str, Tuple[Any, ...]]:
    """path -> (size, blob id, lfs sha256), read with our client (checked elsewhere)."""
    api = hfapi.HfApi(endpoint=hub.url, token=user.token)
    return {
        f.rfilename: (f.size, f.blob_id, (f.lfs or {}).get("sha256"))
        for f in api.list_files_info(repo_id)
    }


def _resolve(hub: LocalHub, user: HubUser, repo_id: str, path: str) -> bytes:
    response = requests.get(
        f"{hub.url}/{repo_id}/resolve/main/{path}",
        headers={"authorization": f"Bearer {user.token}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.content


def _nested_folder(root: Path, count: int) -> Path:
    for index in range(count):
        path = root / f"level{index % 7}" / f"sub{index % 13}" / f"file{index}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content of file {index}\n".encode() * (1 + index % 5))
    (root / "weights.bin").write_bytes(os.urandom(3000))  # LFS by extension, multipart
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n")
    return root


def _run_everywhere(
    hub: LocalHub, user: HubUser, scenario: Callable[[Any, str], None]
) -> List[Dict[str, Tuple[Any, ...]]]:
    snapshots = []
    for name, api in _clients(hub, user):
        repo_id = f"{user.name}/same-{name}"
        api.create_repo(repo_id)
        scenario(api, repo_id)
        snapshots.append(_snapshot(hub, user, repo_id))
    return snapshots


def test_folder_of_a_thousand_nested_files(hub: LocalHub, user: HubUser, tmp_path: Path) -> None:
    folder = _nested_folder(tmp_path / "folder", 1000)

    def scenario(api: Any, repo_id: str) -> None:
        api.upload_folder(repo_id=repo_id, folder_path=str(folder), commit_message="folder")

    reference, ours = _run_everywhere(hub, user, scenario)
    assert ours == reference
    assert len(ours) == 1002  # 1000 files, weights.bin, .gitattributes; .git/ skipped
    assert ours["weights.bin"][2] is not None
    sample = "level3/sub4/file563.txt"
    for name, _ in _clients(hub, user):
        assert (
            _resolve(hub, user, f"{user.name}/same-{name}", sample)
            == (folder / sample).read_bytes()
        )


def test_every_source_kind_and_operation(hub: LocalHub, user: HubUser, tmp_path: Path) -> None:
    on_disk = tmp_path / "model.safetensors"
    on_disk.write_bytes(os.urandom(2500))
    regular = tmp_path / "notes.md"
    regular.write_bytes(b"# notes\n" * 40)

    def scenario(api: Any, repo_id: str) -> None:
        module = hfapi if isinstance(api, hfapi.HfApi) else __import__("huggingface_hub")
        add, delete, copy = (
            module.CommitOperationAdd,
            module.CommitOperationDelete,
            module.CommitOperationCopy,
        )
        api.create_commit(
            repo_id,
            [
                add("bytes.txt", b"from bytes\n"),
                add("path/notes.md", str(regular)),
                add("stream.bin", io.BytesIO(b"\x00\x01" * 700)),
                add("model.safetensors", str(on_disk)),
                add("empty.txt", b""),
                add("old/a.txt", b"a"),
                add("old/b.txt", b"b"),
            ],
            commit_message="first",
        )
        api.create_commit(
            repo_id,
            [
                copy("model.safetensors", "copies/model.safetensors"),
                delete("old/"),
                delete("bytes.txt"),
            ],
            commit_message="second",
        )
        api.upload_file(path_or_fileobj=b"last\n", path_in_repo="last.txt", repo_id=repo_id)
        api.delete_file("empty.txt", repo_id)

    reference, ours = _run_everywhere(hub, user, scenario)
    assert ours == reference
    assert set(ours) == {
        ".gitattributes",
        "path/notes.md",
        "stream.bin",
        "model.safetensors",
        "copies/model.safetensors",
        "last.txt",
    }
    assert ours["copies/model.safetensors"] == ours["model.safetensors"]
