#!/usr/bin/env python3
"""Uploads through a faulty Hub: how often does each client end truthfully?

A local Hub (in this process) fails a seeded share of requests on every route (``500``,
``503``, ``429`` with ``Retry-After``, a reset before the request is applied, a reset after it
is applied). Each client runs the same runs with the same seeds: ``--runs`` x ``upload_file``
of a random file big enough to go multipart in small parts, and ``--runs`` x ``upload_folder``
of small text files. After each run, with faults off, the repo is read back and the run is
classed:

``ok``                     the call returned and the repo holds exactly the files (by hash).
``error, not committed``   the call raised and the branch did not move: a truthful failure.
``error, outcome unknown`` the call raised saying it could not tell whether the commit landed.
``error, but committed``   the call raised although the commit landed: the user is misled.
``corrupt``                the branch moved to content that is not exactly the files.

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from typing import Any, Callable, Dict, List, Optional, Tuple

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

import requests

from hfapi.hub import LocalHub

MiB = 1024 * 1024
CLIENTS = ("hfapi", "reference")
OUTCOMES = (
    "ok",
    "error, not committed",
    "error, outcome unknown",
    "error, but committed",
    "corrupt",
)
_UNKNOWN_WORDS = ("could not tell", "may have been", "may or may not", "unknown whether")


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def make_data(workdir: str, size: int, files: int) -> Tuple[str, str]:
    big = os.path.join(workdir, "big.bin")
    with open(big, "wb") as handle:
        handle.write(random.Random(0).randbytes(size))
    folder = os.path.join(workdir, "folder")
    rng = random.Random(1)
    for index in range(files):
        path = os.path.join(folder, f"dir{index % 10}", f"file{index:04d}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("".join(rng.choice("abcdefgh\n") for _ in range(rng.randint(200, 2000))))
    return big, folder


def expected_tree(big: str, folder: str, workload: str) -> Dict[str, Tuple[str, Optional[str]]]:
    """``path -> (git blob id, sha256 for LFS files or None)`` of what a run should leave."""
    if workload == "file":
        with open(big, "rb") as handle:
            data = handle.read()
        return {"big.bin": ("", hashlib.sha256(data).hexdigest())}
    tree = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                data = handle.read()
            tree[os.path.relpath(path, folder).replace(os.sep, "/")] = (git_blob_id(data), None)
    return tree


class Verifier:
    """Reads a repo back over HTTP (faults off) and classes a run."""

    def __init__(self, hub: LocalHub) -> None:
        self.hub = hub
        self.session = requests.Session()
        self.session.headers["authorization"] = f"Bearer {hub.token}"

    def head(self, repo_id: str) -> str:
        answer = self.session.get(f"{self.hub.url}/api/models/{repo_id}/revision/main")
        answer.raise_for_status()
        return str(answer.json()["sha"])

    def tree(self, repo_id: str) -> Dict[str, Tuple[str, Optional[str]]]:
        url: Optional[str] = f"{self.hub.url}/api/models/{repo_id}/tree/main?recursive=true"
        found: Dict[str, Tuple[str, Optional[str]]] = {}
        while url:
            answer = self.session.get(url)
            answer.raise_for_status()
            for entry in answer.json():
                if entry["type"] == "file" and entry["path"] != ".gitattributes":
                    lfs = entry.get("lfs")
                    found[entry["path"]] = ("" if lfs else entry["oid"], lfs and lfs["oid"])
            url = answer.links.get("next", {}).get("url")
        return found

    def classify(
        self, repo_id: str, before: str, error: Optional[BaseException], expected: Dict
    ) -> str:
        moved = self.head(repo_id) != before
        exact = moved and self.tree(repo_id) == expected
        if moved and not exact:
            return "corrupt"
        if error is None:
            return "ok" if exact else "corrupt"
        if any(word in str(error).lower() for word in _UNKNOWN_WORDS):
            return "error, outcome unknown"
        return "error, but committed" if moved else "error, not committed"


def uploader(client: str, hub: LocalHub) -> Tuple[Callable[..., Any], Callable[..., Any]]:
    if client == "hfapi":
        from hfapi import HfApi
    else:
        from huggingface_hub import HfApi  # type: ignore[no-redef]
    api = HfApi(endpoint=hub.url, token=hub.token)
    return api.upload_file, api.upload_folder


def run_one(
    client: str, hub: LocalHub, verifier: Verifier, workload: str, seed: int, args: Any
) -> Dict[str, Any]:
    repo_id = f"{hub.default_user}/{client}-{workload}-{seed}"
    hub.create_repo(repo_id)
    before = verifier.head(repo_id)
    upload_file, upload_folder = uploader(client, hub)
    hub.inject_faults(args.rate, seed=seed, retry_after=1)
    error: Optional[BaseException] = None
    started = time.perf_counter()
    try:
        if workload == "file":
            upload_file(path_or_fileobj=args.big, path_in_repo="big.bin", repo_id=repo_id)
        else:
            upload_folder(folder_path=args.folder, repo_id=repo_id)
    except Exception as caught:  # every failure is a data point
        error = caught
    seconds = time.perf_counter() - started
    injected = sum(hub.faults["injected"].values())
    hub.inject_faults(0)
    outcome = verifier.classify(repo_id, before, error, args.expected[workload])
    return {
        "outcome": outcome,
        "seconds": seconds,
        "faults": injected,
        "error": None if error is None else f"{type(error).__name__}: {str(error)[:160]}",
    }


def report(
    results: Dict[str, Dict[str, List[Dict[str, Any]]]], args: Any, clients: List[str]
) -> str:
    lines = [
        f"{args.runs} x upload_file ({args.size_mib} MiB, {args.chunk_kib} KiB parts) and "
        f"{args.runs} x upload_folder ({args.files} files), {args.rate:.0%} of requests faulted "
        "on every route",
        "",
        "| outcome | " + " | ".join(clients) + " |",
        "|---|" + "---|" * len(clients),
    ]
    counts = {c: Counter(r["outcome"] for w in results[c].values() for r in w) for c in clients}
    for outcome in OUTCOMES:
        lines.append(
            f"| {outcome} | " + " | ".join(str(counts[c][outcome]) for c in clients) + " |"
        )
    for label, key in (("faults injected", "faults"), ("median seconds", "seconds")):
        cells = []
        for client in clients:
            values = [r[key] for w in results[client].values() for r in w]
            cells.append(
                f"{statistics.median(values):.2f}" if key == "seconds" else str(sum(values))
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    for client in clients:
        errors = Counter(
            r["error"].split(":")[0] for w in results[client].values() for r in w if r["error"]
        )
        lines.append(f"{client} errors by class: {dict(errors) or 'none'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per workload and client")
    parser.add_argument("--rate", type=float, default=0.2, help="share of requests faulted")
    parser.add_argument("--size-mib", type=int, default=30, help="size of the uploaded file")
    parser.add_argument("--chunk-kib", type=int, default=1024, help="multipart part size")
    parser.add_argument("--files", type=int, default=200, help="files in the folder")
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated")
    parser.add_argument("--verbose", action="store_true", help="one line per run")
    args = parser.parse_args()
    clients = [c for c in args.clients.split(",") if c]
    if not args.verbose:  # retry warnings would drown the table
        logging.getLogger("hfapi").setLevel(logging.ERROR)
        logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="hfapi-faults-") as workdir:
        args.big, args.folder = make_data(workdir, args.size_mib * MiB, args.files)
        args.expected = {w: expected_tree(args.big, args.folder, w) for w in ("file", "folder")}
        knobs = {"lfs_multipart_threshold": 2 * args.chunk_kib * 1024}
        knobs["lfs_chunk_size"] = args.chunk_kib * 1024
        with LocalHub(**knobs) as hub:
            verifier = Verifier(hub)
            results: Dict[str, Dict[str, List[Dict[str, Any]]]] = {}
            for client in clients:
                results[client] = {"file": [], "folder": []}
                for workload in ("file", "folder"):
                    for seed in range(args.runs):
                        result = run_one(client, hub, verifier, workload, seed, args)
                        results[client][workload].append(result)
                        if args.verbose:
                            print(client, workload, seed, result, file=sys.stderr, flush=True)
    print(report(results, args, clients))


if __name__ == "__main__":
    main()
