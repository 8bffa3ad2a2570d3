#!/usr/bin/env python3
"""Listing many repos: seeding speed, server time per page, and each client's iteration cost.

A local Hub (in this process) is seeded with ``--repos`` models (default 10,000) through the
fast path, ``POST /_hub/seed`` in batches: each repo gets a README with card metadata and a
``config.json``, so listings carry real tags. Then:

* the server alone answers every page of ``GET /api/models?full=True`` in-process (no socket,
  no client), which gives the server time per page;
* under each network profile (``--networks``, default 0 ms and 50 ms RTT / 200 Mbit/s, set
  on the same hub), each client iterates over every model with ``list_models(full=True)`` in
  a fresh worker process: hfapi (when its ``HfApi`` has ``list_models``), huggingface_hub
  0.16.4, and ``raw``, the floor (plain ``requests`` on one session walking the pages by
  their ``Link`` header, each page's JSON decoded). Wall time, the worker's CPU time per
  item, its peak RSS growth, and the hub's CPU time meanwhile.

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import requests

# The upload benchmark's helpers: network profiles, CPU and RSS readings, the machine.
from upload import (
    cache_bytecode,
    cpu_seconds,
    machine_info,
    network_settings,
    parse_network,
    rss_kib,
)

if TYPE_CHECKING:  # the workers do not load the hub
    from hfapi.hub import LocalHub

LICENSES = ("mit", "apache-2.0", "cc-by-4.0", "openrail")
TASKS = ("fill-mask", "text-classification", "text-generation", "summarization")
CLIENTS = ("hfapi", "reference", "raw")
#: ``--quick``: a run of a few seconds per network.
QUICK = {"repos": 2000, "rounds": 1}


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


# -- workers ---------------------------------------------------------------------------------


def raw_listing(session: requests.Session, endpoint: str) -> int:
    """The floor: every page on one session, each decoded, the next one from ``Link``."""
    items = 0
    page: Optional[str] = f"{endpoint}/api/models?full=True"
    while page:
        answer = session.get(page)
        answer.raise_for_status()
        items += len(answer.json())
        page = answer.links.get("next", {}).get("url")
    return items


def worker(client: str, endpoint: str) -> None:
    """Iterate over every model once with one client; print one JSON line of figures."""
    if client == "raw":
        session = requests.Session()
        warm = session.get(f"{endpoint}/api/models?full=True&limit=1")  # warm the connection
        warm.raise_for_status()
        count: Any = lambda: raw_listing(session, endpoint)  # noqa: E731
    else:
        if client == "hfapi":
            from hfapi import HfApi
        else:
            from huggingface_hub import HfApi  # type: ignore[no-redef,import-untyped]
        api: Any = HfApi(endpoint=endpoint, token=False)
        sum(1 for _ in api.list_models(full=True, limit=1))  # warm imports and connection
        count = lambda: sum(1 for _ in api.list_models(full=True))  # noqa: E731
    with open("/proc/self/clear_refs", "w") as refs:  # peak RSS := current RSS
        refs.write("5")
    baseline = rss_kib("VmRSS")
    # process_time, not /proc's clock ticks: 10 ms steps are too coarse for a listing.
    own, start = time.process_time(), time.perf_counter()
    items = count()
    wall, own = time.perf_counter() - start, time.process_time() - own
    growth = rss_kib("VmHWM") - baseline
    print(json.dumps({"items": items, "wall": wall, "cpu": own, "rss_growth_kib": growth}))


def run_listing(hub: LocalHub, client: str) -> Dict[str, Any]:
    """One iteration in a fresh worker process; the hub's CPU (this process) is added."""
    command = [sys.executable, os.path.abspath(__file__), "--worker", client]
    command += ["--endpoint", hub.url]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
    hub_cpu = cpu_seconds(os.getpid())
    output = subprocess.run(command, env=env, capture_output=True, text=True)
    if output.returncode:
        raise RuntimeError(f"{client} worker failed:\n{output.stderr}")
    result: Dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    result["hub_cpu"] = cpu_seconds(os.getpid()) - hub_cpu
    return result


# -- runs and report -------------------------------------------------------------------------


def available_clients() -> Tuple[str, ...]:
    """The clients able to list models."""
    import hfapi

    if hasattr(hfapi.HfApi, "list_models"):
        return CLIENTS
    print("hfapi.HfApi has no list_models yet: measuring the reference client alone")
    return CLIENTS[1:]


def best(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The run with the lowest wall time."""
    return min(runs, key=lambda run: float(run["wall"]))


def run_network(
    hub: LocalHub, clients: Tuple[str, ...], rounds: int, repos: int
) -> Dict[str, List[Dict[str, Any]]]:
    """Every round of every client on the hub's current network; print the best of each."""
    runs: Dict[str, List[Dict[str, Any]]] = {client: [] for client in clients}
    for attempt in range(rounds):
        for client in clients[:: -1 if attempt % 2 else 1]:  # alternate who goes first
            runs[client].append(run_listing(hub, client))
            if runs[client][-1]["items"] != repos:
                raise RuntimeError(f"{client} listed {runs[client][-1]['items']} of {repos}")
    for client, client_runs in runs.items():
        kept = best(client_runs)
        print(
            f"{client:>9}: {kept['items']} items, wall {kept['wall']:.2f} s, client CPU"
            f" {kept['cpu'] / max(kept['items'], 1) * 1e6:.1f} us/item,"
            f" RSS +{kept['rss_growth_kib'] / 1024:.1f} MiB",
            flush=True,
        )
    if "hfapi" in runs:
        ratio = best(runs["hfapi"])["wall"] / best(runs["reference"])["wall"]
        print(f"wall ratio hfapi / reference: {ratio:.2f}", flush=True)
    return runs


def report(results: Dict[str, Any]) -> str:
    """The table of every network: best wall of the rounds, as ratios."""
    rows = [["network", "client", "wall s", "CPU us/item", "RSS +MiB", "CPU s client/hub"]]
    rows[0] += ["vs ref", "vs raw"]
    for label, network in results["networks"].items():
        kept = {client: best(runs) for client, runs in network["runs"].items()}
        for client, run in kept.items():
            rows.append([label, client, f"{run['wall']:.2f}"])
            rows[-1] += [f"{run['cpu'] / max(run['items'], 1) * 1e6:.1f}"]
            rows[-1] += [f"{max(r['rss_growth_kib'] for r in network['runs'][client]) / 1024:.1f}"]
            rows[-1] += [f"{run['cpu']:.2f} / {run['hub_cpu']:.2f}"]
            rows[-1] += [
                f"{run['wall'] / kept[name]['wall']:.2f}x" for name in ("reference", "raw")
            ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"\nBest of {results['rounds']} round(s); RSS: the largest growth.")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repos", type=int, default=10_000, help="models to seed")
    parser.add_argument("--batch", type=int, default=1000, help="repos per seed request")
    parser.add_argument("--rounds", type=int, default=2, help="iterations per client (best kept)")
    parser.add_argument("--quick", action="store_true", help="2,000 repos, one round")
    parser.add_argument("--networks", default="0,50/200", help="RTT_MS[/MBIT],... to emulate")
    parser.add_argument("--json", help="also write every figure to this file")
    for name in ("worker", "endpoint"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.networks = [parse_network(spec) for spec in args.networks.split(",")]
    return args


def measure(args: argparse.Namespace, hub: LocalHub) -> Dict[str, Any]:
    """Seed, time the server's pages, then every client under every network profile."""
    seconds = seed(hub, args.repos, args.batch)
    verdict = "OK" if seconds < 60 else "SLOWER THAN THE 60 s TARGET"
    print(f"seeded {args.repos} models in {seconds:.1f} s ({verdict})")
    items, pages = server_pages(hub)
    print(
        f"server: {items} items in {len(pages)} pages; per page median"
        f" {statistics.median(pages) * 1000:.1f} ms, max {max(pages) * 1000:.1f} ms"
    )
    clients, networks = available_clients(), {}
    for label, knobs in args.networks:
        print(f"-- network: {label}", flush=True)
        hub.configure(**network_settings(knobs))
        networks[label] = {"knobs": knobs, "runs": run_network(hub, clients, args.rounds, items)}
    hub.configure(**network_settings([]))
    results = {"machine": machine_info(), "repos": args.repos, "rounds": args.rounds}
    results.update(seed_s=seconds, server={"items": items, "page_s": pages}, networks=networks)
    return results


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.endpoint)
        return 0
    from hfapi.hub import LocalHub

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the hub on kill as well
    with tempfile.TemporaryDirectory(prefix="hfapi-listing-") as pycache:
        cache_bytecode(pycache)
        with LocalHub() as hub:
            results = measure(args, hub)
    print("\n" + report(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
