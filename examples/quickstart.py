"""The main job, end to end against an embedded local Hub: create a repo, push a model
folder (with an LFS weight file), download it back into the cache and check the bytes,
branch, tag, open a pull request, read everything back, and clean up.

Run it with ``make demo`` (or ``python examples/quickstart.py``). Pass ``--endpoint`` and
``--token`` to run the same job against another Hub (for example a ``python -m hfapi.hub``
started elsewhere) instead of the embedded one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional

from hfapi import CommitOperationAdd, CommitOperationDelete, HfApi
from hfapi.hub import LocalHub
from hfapi.utils import disable_progress_bars


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def make_model_folder(root: Path) -> Path:
    """A small model folder: config, card, tokenizer, and 8 MiB of weights (LFS)."""
    folder = root / "my-model"
    (folder / "tokenizer").mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "demo", "hidden_size": 64}))
    (folder / "README.md").write_text("---\nlicense: mit\n---\n# My model\n")
    (folder / "tokenizer" / "vocab.txt").write_text("\n".join(f"tok{i}" for i in range(1000)))
    (folder / "pytorch_model.bin").write_bytes(os.urandom(8 * 1024 * 1024))
    return folder


def run(api: HfApi, workdir: Path) -> None:
    me = api.whoami()["name"]
    step(f"Logged in as {me!r} on {api.endpoint}")

    repo_id = f"{me}/quickstart-model"
    url = api.create_repo(repo_id, exist_ok=True)
    step(f"Created repo {url.repo_id} -> {url}")

    folder = make_model_folder(workdir)
    started = time.perf_counter()
    tree_url = api.upload_folder(repo_id=repo_id, folder_path=folder, commit_message="Add model")
    step(f"Uploaded folder in {time.perf_counter() - started:.2f}s -> {tree_url}")

    info = api.model_info(repo_id, files_metadata=True)
    step(f"Repo at commit {info.sha[:12]} holds:")
    for sibling in info.siblings:
        kind = "LFS" if sibling.lfs else "git"
        print(f"      {sibling.rfilename:<28} {sibling.size:>10,} bytes  [{kind}]")

    weights = folder / "pytorch_model.bin"
    cache = workdir / "cache"
    started = time.perf_counter()
    snapshot = Path(api.snapshot_download(repo_id, cache_dir=cache))
    step(f"Downloaded a snapshot in {time.perf_counter() - started:.2f}s -> {snapshot}")
    served = (snapshot / "pytorch_model.bin").read_bytes()
    same = hashlib.sha256(served).digest() == hashlib.sha256(weights.read_bytes()).digest()
    step(f"Weights back from the cache: {len(served):,} bytes, identical: {same}")
    if not same:
        raise SystemExit("downloaded bytes differ from the uploaded ones")
    again = api.hf_hub_download(repo_id, "pytorch_model.bin", cache_dir=cache)
    step(f"hf_hub_download found it in the cache: {again == str(snapshot / 'pytorch_model.bin')}")

    api.create_branch(repo_id, branch="dev")
    api.upload_file(
        path_or_fileobj=b"experimental settings\n",
        path_in_repo="dev-notes.txt",
        repo_id=repo_id,
        revision="dev",
    )
    api.create_tag(repo_id, tag="v1.0", tag_message="First release")
    refs = api.list_repo_refs(repo_id)
    step(
        "Branches: "
        + ", ".join(b.name for b in refs.branches)
        + " | tags: "
        + ", ".join(t.name for t in refs.tags)
    )

    pr = api.create_commit(
        repo_id,
        [
            CommitOperationAdd("README.md", b"---\nlicense: mit\n---\n# My model (v2)\n"),
            CommitOperationDelete("tokenizer/"),
        ],
        commit_message="Rewrite the card, drop the tokenizer",
        create_pr=True,
    )
    step(f"Opened pull request #{pr.pr_num} at {pr.pr_url}")
    on_pr = api.list_repo_files(repo_id, revision=pr.pr_revision)
    step(f"Files on {pr.pr_revision}: {on_pr}")

    step("History of main:")
    for commit in api.list_repo_commits(repo_id):
        print(f"      {commit.commit_id[:12]}  {commit.created_at:%Y-%m-%d %H:%M}  {commit.title}")

    api.delete_file("config.json", repo_id, commit_message="Remove config")
    step(f"Deleted config.json; main now has {api.list_repo_files(repo_id)}")

    api.delete_repo(repo_id)
    step(f"Deleted {repo_id}. Done.")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", help="run against this Hub instead of an embedded one")
    parser.add_argument("--token", help="token for --endpoint")
    args = parser.parse_args(argv)
    disable_progress_bars()  # keep the demo's output readable
    with tempfile.TemporaryDirectory(prefix="hfapi-quickstart-") as tmp:
        if args.endpoint:
            run(HfApi(endpoint=args.endpoint, token=args.token), Path(tmp))
            return 0
        with LocalHub(data_dir=os.path.join(tmp, "hub-data")) as hub:
            step(f"Started a local Hub at {hub.url}")
            run(HfApi(endpoint=hub.url, token=hub.token), Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
