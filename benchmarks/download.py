#!/usr/bin/env python3
"""Download benchmark: hfapi against huggingface_hub 0.16.4 and a raw single-stream GET.

Workloads, served by one local Hub (``python -m hfapi.hub``) in its own process: ``big``,
one random 1 GiB LFS file with ``hf_hub_download`` (resolve answers a 302 to a pre-signed
download URL, as the Hub does); ``snapshot``, 2,000 text files of 1-4 KiB in 50 folders
with ``snapshot_download``. The floor is plain ``requests``: one streamed GET of the big
file, and one GET after another on one keep-alive session for the snapshot. Each download
runs in a fresh worker process into an empty cache, so RSS figures are clean. The data is
seeded once, on loopback; then every client runs under each network profile (``--networks``,
default 0 ms and 50 ms RTT / 200 Mbit/s), switched on the same hub by ``PUT /_hub/config``.
hfapi is skipped while ``hfapi.hf_hub_download`` does not exist. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, List, Tuple
from urllib.parse import quote

import requests

# The upload benchmark's helpers: the hub process, data makers, CPU and RSS readings.
from upload import (
    ADMIN_AUTH,
    Hub,
    MiB,
    cache_bytecode,
    cpu_seconds,
    folder_files,
    machine_info,
    make_big_file,
    make_folder,
    network_settings,
    parse_network,
    rss_kib,
    time_raw_commit,
    time_raw_put,
    time_sha256,
    wait_for_quiet,
)

CLIENTS = ("hfapi", "reference", "raw")
WORKLOADS = ("big", "snapshot")
BIG_NAME = "big.bin"
#: ``--quick``: sizes for a run of well under a minute per network.
QUICK = {"size_mib": 64, "files": 200, "quiet_wait": 0.0}

# -- seeding ---------------------------------------------------------------------------------


def seed_big(hub: Hub, path: str, oid: str) -> str:
    """Upload the big file as an LFS object (one raw PUT) and commit it; return the repo."""
    time_raw_put(hub, path, oid)  # links the object to repo hub-user/raw-put
    repo = "hub-user/raw-put"
    lines = [
        {"key": "header", "value": {"summary": "big file", "description": ""}},
        {"key": "lfsFile", "value": {"path": BIG_NAME, "algo": "sha256", "oid": oid}},
    ]
    response = requests.post(
        f"{hub.url}/api/models/{repo}/commit/main",
        data="\n".join(json.dumps(line) for line in lines).encode(),
        headers={"authorization": f"Bearer {hub.token}", "content-type": "application/x-ndjson"},
    )
    response.raise_for_status()
    return repo


def seed_snapshot(hub: Hub, root: str) -> str:
    """Commit the folder's files (inline, one NDJSON commit); return the repo."""
    time_raw_commit(hub, root)  # commits to repo hub-user/raw-commit
    return "hub-user/raw-commit"


# -- workers ---------------------------------------------------------------------------------


def raw_get(session: requests.Session, url: str, target: str) -> None:
    """One streamed GET (redirects followed) written to ``target`` in 1 MiB blocks."""
    with session.get(url, stream=True) as response, open(target, "wb") as handle:
        response.raise_for_status()
        for block in response.iter_content(MiB):
            handle.write(block)


def raw_download(args: argparse.Namespace, cache: str) -> str:
    """The floor: plain ``requests`` on one session, one file after another."""
    session = requests.Session()
    session.headers["authorization"] = f"Bearer {args.token}"
    base = f"{args.endpoint}/{args.repo}/resolve/main"
    if args.workload == "big":
        target = os.path.join(cache, BIG_NAME)
        raw_get(session, f"{base}/{BIG_NAME}", target)
        return target
    paths: List[str] = []
    page: Any = f"{args.endpoint}/api/models/{args.repo}/tree/main?recursive=True"
    while page:  # the listing comes in pages (Link: next)
        tree = session.get(page)
        tree.raise_for_status()
        paths += [entry["path"] for entry in tree.json() if entry["type"] == "file"]
        page = tree.links.get("next", {}).get("url")
    for path in paths:
        target = os.path.join(cache, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        raw_get(session, f"{base}/{quote(path)}", target)
    return cache


def client_download(args: argparse.Namespace, cache: str) -> str:
    """``hf_hub_download`` / ``snapshot_download`` of hfapi or of the reference."""
    if args.worker == "hfapi":
        import hfapi as client
    else:
        import huggingface_hub as client  # type: ignore[no-redef,import-untyped]
    if args.workload == "big":
        path: str = client.hf_hub_download(args.repo, BIG_NAME, cache_dir=cache, token=args.token)
        return path
    folder: str = client.snapshot_download(args.repo, cache_dir=cache, token=args.token)
    return folder


def digest_of(path: str) -> Dict[str, Any]:
    """What was downloaded: the sha256 of a file, or the count and bytes of a folder."""
    if os.path.isfile(path):
        return {"sha256": time_sha256(path)[1]}
    files = [full for full, name in folder_files(path) if name != ".gitattributes"]
    return {"files": len(files), "bytes": sum(os.path.getsize(full) for full in files)}


def worker(args: argparse.Namespace) -> None:
    """Download once with one client into an empty cache; print one JSON line of figures."""
    cache = args.cache
    if args.worker == "raw":
        download = raw_download
        requests.get(f"{args.endpoint}/_hub/health").raise_for_status()  # warm the imports
    else:
        download = client_download
        if args.worker == "hfapi":
            import hfapi  # noqa: F401
        else:
            import huggingface_hub  # type: ignore[import-untyped]  # noqa: F401
    with open("/proc/self/clear_refs", "w") as refs:  # peak RSS := current RSS
        refs.write("5")
    baseline = rss_kib("VmRSS")
    machine, own, start = cpu_seconds(), cpu_seconds(os.getpid()), time.perf_counter()
    path = download(args, cache)
    wall = time.perf_counter() - start
    machine, own = cpu_seconds() - machine, cpu_seconds(os.getpid()) - own
    growth = rss_kib("VmHWM") - baseline
    figures = {"wall": wall, "rss_growth_kib": growth, "cpu": own, "machine_cpu": machine}
    print(json.dumps({**figures, "got": digest_of(path)}))


def run_download(args: argparse.Namespace, hub: Hub, client: str, workload: str) -> Any:
    """One download in a fresh worker and an empty cache; check what it got."""
    cache = tempfile.mkdtemp(prefix=f"cache-{client}-", dir=args.work)
    try:
        command = [sys.executable, os.path.abspath(__file__), "--worker", client]
        command += ["--workload", workload, "--repo", args.repos[workload], "--cache", cache]
        command += ["--endpoint", hub.url, "--token", hub.token]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
        env.update(HF_ENDPOINT=hub.url, HF_HOME=os.path.join(cache, "hf-home"))
        env.update(HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
        wait_for_quiet(args.quiet_wait)
        hub_cpu = cpu_seconds(hub.process.pid)
        output = subprocess.run(command, env=env, capture_output=True, text=True)
        if output.returncode:
            raise RuntimeError(f"{client} worker failed:\n{output.stderr}")
        result = json.loads(output.stdout.strip().splitlines()[-1])
        result["hub_cpu"] = cpu_seconds(hub.process.pid) - hub_cpu
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if result.pop("got") != args.expected[workload]:
        raise RuntimeError(f"{client}: the {workload} download does not match what was seeded")
    return result


# -- report ----------------------------------------------------------------------------------


def _rows(results: Dict[str, Any], label: str, runs: Dict[str, Any]) -> List[List[str]]:
    """The rows of one network: each workload, each client that ran, medians as ratios."""
    rows: List[List[str]] = []
    for workload in (w for w in WORKLOADS if runs[w]["reference"]):
        mib = results["data_bytes"][workload] / MiB
        done = {c: r for c, r in runs[workload].items() if r}
        walls = {c: statistics.median(r["wall"] for r in done[c]) for c in done}
        for client, client_runs in done.items():
            wall = walls[client]
            rss = max(r["rss_growth_kib"] for r in client_runs) / 1024
            cpu = [statistics.median(r[key] for r in client_runs) for key in ("cpu", "hub_cpu")]
            rows.append([label, workload, client, f"{wall:.2f}", f"{mib / wall:.1f}"])
            rows[-1] += [f"{rss:.1f}", f"{cpu[0]:.2f} / {cpu[1]:.2f}"]
            rows[-1] += [f"{wall / walls['reference']:.2f}x", f"{wall / walls['raw']:.2f}x"]
    return rows


def report(results: Dict[str, Any]) -> str:
    """The table of every network, with the machine, as text."""
    machine = results["machine"]
    lines = [
        f"{machine['date']}: {machine['cpus']} CPUs ({machine['cpu']}), Python"
        f" {machine['python']}, huggingface_hub {machine['reference']};"
        f" big: {results['data_bytes']['big'] / MiB:.0f} MiB,"
        f" snapshot: {results['files']} files",
        "",
    ]
    rows = [["network", "workload", "client", "wall s", "MiB/s", "RSS +MiB"]]
    rows[0] += ["CPU s client/hub", "vs ref", "vs raw"]
    for label, network in results["networks"].items():
        rows += _rows(results, label, network["runs"])
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(rows[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"\nMedians of {results['repeat']} round(s); RSS: the largest growth.")
    if not results["hfapi"]:
        lines.append("hfapi skipped: hfapi.hf_hub_download does not exist in this tree yet.")
    return "\n".join(lines)


# -- main ------------------------------------------------------------------------------------


def hfapi_can_download() -> bool:
    """Whether this tree's hfapi has the download functions (written on another branch)."""
    import hfapi

    return hasattr(hfapi, "hf_hub_download") and hasattr(hfapi, "snapshot_download")


def prepare(args: argparse.Namespace, hub: Hub) -> Dict[str, int]:
    """Write and seed the data; set ``args.repos`` and ``args.expected``; return the sizes."""
    big, folder = os.path.join(args.work, BIG_NAME), os.path.join(args.work, "folder")
    print(f"Writing {args.size_mib} MiB + {args.files} files in {args.work}", flush=True)
    make_big_file(big, args.size_mib * MiB)
    folder_bytes = make_folder(folder, args.files)
    oid = time_sha256(big)[1]
    args.repos = {"big": seed_big(hub, big, oid), "snapshot": seed_snapshot(hub, folder)}
    args.expected = {"big": {"sha256": oid}, "snapshot": digest_of(folder)}
    os.unlink(big)  # the hub has its copy; the disk holds one GiB less
    shutil.rmtree(folder)
    # One untimed raw download of each, so that the hub's files are in the page cache.
    run_download(args, hub, "raw", "big")
    run_download(args, hub, "raw", "snapshot")
    return {"big": args.size_mib * MiB, "snapshot": folder_bytes}


def set_network(hub: Hub, knobs: List[str]) -> None:
    """Switch the hub's network emulation to a profile (no knobs: plain loopback)."""
    settings = network_settings(knobs)
    answer = requests.put(f"{hub.url}/_hub/config", json=settings, headers=ADMIN_AUTH)
    answer.raise_for_status()


def run_network(
    args: argparse.Namespace, hub: Hub, clients: Tuple[str, ...]
) -> Dict[str, Dict[str, List[Any]]]:
    """Every round of every workload and client on the hub's current network."""
    runs: Dict[str, Dict[str, List[Any]]] = {w: {c: [] for c in clients} for w in WORKLOADS}
    for attempt in range(args.repeat):
        for workload in [args.only] if args.only else WORKLOADS:
            for client in clients[:: -1 if attempt % 2 else 1]:  # alternate the order
                result = run_download(args, hub, client, workload)
                runs[workload][client].append(result)
                shown = ", ".join(f"{k} {v:.2f}" for k, v in result.items())
                print(f"{workload:8} {client:9} {shown}", flush=True)
    return runs


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big file")
    parser.add_argument("--files", type=int, default=2000, help="files in the snapshot")
    parser.add_argument("--quick", action="store_true", help="small sizes, no quiet wait")
    parser.add_argument("--networks", default="0,50/200", help="RTT_MS[/MBIT],... to emulate")
    parser.add_argument("--repeat", type=int, default=1, help="runs per client and workload")
    parser.add_argument("--only", choices=WORKLOADS, help="run one workload only")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=N", help="hub knob")
    parser.add_argument("--workdir", help="where data and caches go (default: system temp dir)")
    parser.add_argument("--quiet-wait", type=float, default=60, help="max wait for an idle box")
    parser.add_argument("--json", help="also write every figure to this file")
    for name in ("worker", "workload", "repo", "endpoint", "token", "cache"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.networks = [parse_network(spec) for spec in args.networks.split(",")]
    return args


def main() -> None:
    args = parse_args()
    if args.worker:
        return worker(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up on kill as well
    args.work = tempfile.mkdtemp(prefix="hfapi-dl-bench-", dir=args.workdir)
    clients = CLIENTS if hfapi_can_download() else CLIENTS[1:]
    networks: Dict[str, Any] = {}
    try:
        cache_bytecode(os.path.join(args.work, "pycache"))
        with Hub(args.work, args.set) as hub:
            sizes = prepare(args, hub)  # seeded and warmed up on loopback
            for label, knobs in args.networks:
                print(f"-- network: {label}", flush=True)
                set_network(hub, knobs)
                networks[label] = {"knobs": knobs, "runs": run_network(args, hub, clients)}
            set_network(hub, [])
    finally:
        shutil.rmtree(args.work, ignore_errors=True)
    print("\n" + report(summary(args, sizes, networks, "hfapi" in clients)))


def summary(
    args: argparse.Namespace, sizes: Dict[str, int], networks: Dict[str, Any], hfapi: bool
) -> Dict[str, Any]:
    """Every figure with the machine's description (written to ``--json``)."""
    results = {"machine": machine_info(), "files": args.files, "repeat": args.repeat}
    results.update(hfapi=hfapi, knobs=" ".join(args.set), data_bytes=sizes, networks=networks)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)
    return results


if __name__ == "__main__":
    main()
