#!/usr/bin/env python3
"""Listing many repos: seeding speed, server time per page, and each client's iteration cost.

A local Hub (in this process) is seeded with ``--repos`` models (default 10,000) through the
fast path, ``POST /_hub/seed`` in batches: each repo gets a README with card metadata and a
``config.json``, so listings carry real tags. Then:

* the server alone answers every page of ``GET /api/models?full=True`` in-process (no socket,
  no client), which gives the server time per page;
* each client iterates over every model with ``list_models(full=True)``: hfapi (when its
  ``HfApi`` has ``list_models``) and huggingface_hub 0.16.4; wall time, and CPU time of the
  client's own thread (the server's threads are not counted) per item.

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import requests

from hfapi.hub import LocalHub

LICENSES = ("mit", "apache-2.0", "cc-by-4.0", "openrail")
TASKS = ("fill-mask", "text-classification", "text-generation", "summarization")


def repo_spec(number: int) -> Dict[str, Any]:
    """One seeded model: a card with tags, a config, and counters."""
    card = (
        f"---\nlicense: {LICENSES[number % 4]}\npipeline_tag: {TASKS[number % 4]}\n"
        f"language: [en]\ndatasets: [set-{number % 50}]\ntags: [bench, group-{number % 10}]\n"
        "---\n# A benchmark model\n"
    )
    config = json.dumps({"model_type": "bert", "architectures": ["BertForMaskedLM"]})
    return {
        "repo_id": f"org-{number % 20}/model-{number:05d}",
        "files": {"README.md": card, "config.json": config},
        "downloads": (number * 7919) % 100_000,
        "likes": number % 97,
    }


def seed(hub: LocalHub, count: int, batch: int) -> float:
    """Seed ``count`` models over HTTP in batches; return the seconds it took."""
    session = requests.Session()
    headers = {"authorization": f"Bearer {hub.admin_token}"}
    orgs = {"orgs": [{"name": f"org-{i}"} for i in range(20)]}
    session.post(f"{hub.url}/_hub/seed", json=orgs, headers=headers).raise_for_status()
    started = time.perf_counter()
    for start in range(0, count, batch):
        repos = [repo_spec(n) for n in range(start, min(count, start + batch))]
        answer = session.post(f"{hub.url}/_hub/seed", json={"repos": repos}, headers=headers)
        answer.raise_for_status()
    return time.perf_counter() - started


def server_pages(hub: LocalHub) -> Tuple[int, List[float]]:
    """Walk every page in-process; return (items, seconds per page)."""
    path: Optional[str] = "/api/models?full=True"
    items, times = 0, []
    while path is not None:
        started = time.perf_counter()
        response = hub.handle("GET", path, [("Host", hub.url.split("//", 1)[1])])
        body = response.body if isinstance(response.body, bytes) else b"".join(response.body)
        times.append(time.perf_counter() - started)
        items += len(json.loads(body))
        link = response.header("Link")
        path = None if link is None else link.split(">", 1)[0].lstrip("<")[len(hub.url) :]
    return items, times


def iterate(make: Callable[[], Any]) -> Tuple[int, float, float]:
    """(items, wall seconds, client-thread CPU seconds) of one full iteration."""
    api = make()
    wall, cpu = time.perf_counter(), time.thread_time()
    items = sum(1 for _ in api.list_models(full=True))
    return items, time.perf_counter() - wall, time.thread_time() - cpu


def clients(hub: LocalHub) -> Dict[str, Callable[[], Any]]:
    """The clients able to list models, by name."""
    import huggingface_hub

    import hfapi

    found: Dict[str, Callable[[], Any]] = {}
    if hasattr(hfapi.HfApi, "list_models"):
        found["hfapi"] = lambda: hfapi.HfApi(endpoint=hub.url, token=False)
    else:
        print("hfapi.HfApi has no list_models yet: measuring the reference client alone")
    found["reference"] = lambda: huggingface_hub.HfApi(endpoint=hub.url, token=False)
    return found


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=10_000, help="models to seed")
    parser.add_argument("--batch", type=int, default=1000, help="repos per seed request")
    parser.add_argument("--rounds", type=int, default=2, help="iterations per client (best kept)")
    args = parser.parse_args(argv)
    with LocalHub() as hub:
        seconds = seed(hub, args.repos, args.batch)
        verdict = "OK" if seconds < 60 else "SLOWER THAN THE 60 s TARGET"
        print(f"seeded {args.repos} models in {seconds:.1f} s ({verdict})")
        items, pages = server_pages(hub)
        print(
            f"server: {items} items in {len(pages)} pages; per page median"
            f" {statistics.median(pages) * 1000:.1f} ms, max {max(pages) * 1000:.1f} ms"
        )
        results: Dict[str, Tuple[int, float, float]] = {}
        for name, make in clients(hub).items():
            runs = [iterate(make) for _ in range(args.rounds)]
            results[name] = min(runs, key=lambda run: run[1])
            count, wall, cpu = results[name]
            print(
                f"{name:>9}: {count} items, wall {wall:.2f} s,"
                f" client CPU {cpu / max(count, 1) * 1e6:.1f} us/item"
            )
        if "hfapi" in results:
            ratio = results["hfapi"][1] / results["reference"][1]
            print(f"wall ratio hfapi / reference: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
