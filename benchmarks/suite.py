#!/usr/bin/env python3
"""The benchmark suite: uploads, downloads and listing, hfapi against huggingface_hub 0.16.4.

Runs ``upload.py``, ``download.py`` and ``listing.py`` one after another, each in its own
process with the same ``--quick``, ``--networks`` and ``--repeat`` (``--rounds`` for the
listing), and shows their output as it comes. Each writes its figures to a JSON file in a
temporary directory; at the end one table puts them together: per network and workload,
hfapi's wall time, client CPU time and peak RSS growth, as ratios to the reference client
and to the workload's floor. See ``benchmarks/README.md``.
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
from typing import Any, Dict, List, Optional, Tuple

from _upload_report import floor_of
from upload import cache_bytecode, parse_network

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = ("upload", "download", "listing")
#: A row's figures: (wall, client CPU, RSS growth in KiB), or None when the client did not run.
Figures = Optional[Tuple[float, float, float]]

# -- running the benchmarks ------------------------------------------------------------------


def parse_only(values: List[str]) -> List[str]:
    """``--only`` given several times and/or as comma lists -> the benchmarks, in suite order."""
    wanted = {name.strip() for value in values for name in value.split(",") if name.strip()}
    unknown = wanted - set(BENCHES)
    if unknown:
        raise SystemExit(f"--only: unknown benchmark(s) {', '.join(sorted(unknown))}")
    return [bench for bench in BENCHES if bench in wanted] if wanted else list(BENCHES)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a minute or two")
    parser.add_argument("--networks", help="RTT_MS[/MBIT],... (default: each one's 0,50/200)")
    parser.add_argument("--repeat", type=int, help="rounds (default: each benchmark's own)")
    parser.add_argument(
        "--only", action="append", default=[], help="upload, download, listing (repeatable)"
    )
    parser.add_argument("--json", help="write every benchmark's figures to this file")
    args = parser.parse_args()
    args.only = parse_only(args.only)
    if args.networks:
        for spec in args.networks.split(","):
            parse_network(spec)  # fail here, not after the first benchmark
    return args


def bench_command(args: argparse.Namespace, bench: str, json_path: str) -> List[str]:
    """The command line of one benchmark, with the suite's options."""
    command = [sys.executable, os.path.join(HERE, f"{bench}.py")]
    if args.quick:
        command.append("--quick")
    if args.networks:
        command += ["--networks", args.networks]
    if args.repeat:
        command += ["--rounds" if bench == "listing" else "--repeat", str(args.repeat)]
    return [*command, "--json", json_path]


def stop(child: subprocess.Popen[bytes], interrupted: bool) -> None:
    """Stop a benchmark, giving it the time to stop its hubs and remove its files.

    After Ctrl-C the child got the SIGINT too: it is given 15 s to finish on its own.
    Then SIGTERM (the benchmarks clean up on it), and SIGKILL as a last resort.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    steps = [(None, 15.0 if interrupted else 0.0), (child.terminate, 60.0), (child.kill, None)]
    for send, grace in steps:
        if send is not None:
            send()
        try:
            child.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass


def run_bench(command: List[str], env: Dict[str, str]) -> int:
    """Run one benchmark, its output going straight to ours; return its exit status."""
    child = subprocess.Popen(command, env=env)
    try:
        return child.wait()
    except KeyboardInterrupt:
        stop(child, interrupted=True)
        raise
    except BaseException:  # SIGTERM (SystemExit), or anything else
        stop(child, interrupted=False)
        raise


# -- the combined table ----------------------------------------------------------------------


def _median(runs: List[Dict[str, Any]], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def _of_runs(runs: List[Dict[str, Any]]) -> Figures:
    """Median wall and CPU of runs, and the largest RSS growth."""
    if not runs:
        return None
    return _median(runs, "wall"), _median(runs, "cpu"), max(r["rss_growth_kib"] for r in runs)


def upload_rows(results: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """``{network: {workload: (hfapi, reference, floor wall)}}`` of ``upload.py``."""
    rows: Dict[str, Dict[str, Any]] = {}
    for label, network in results["networks"].items():
        for workload, by_client in network["runs"].items():
            if by_client["reference"]:
                floor = floor_of(workload, network["limits"][workload])
                figures = (_of_runs(by_client["hfapi"]), _of_runs(by_client["reference"]), floor)
                rows.setdefault(label, {})[f"upload {workload}"] = figures
    return rows


def download_rows(results: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The same for ``download.py``; the floor is the raw download's median wall."""
    rows: Dict[str, Dict[str, Any]] = {}
    for label, network in results["networks"].items():
        for workload, by_client in network["runs"].items():
            if by_client["reference"]:
                raw = _of_runs(by_client["raw"])
                hfapi = _of_runs(by_client.get("hfapi", []))
                figures = (hfapi, _of_runs(by_client["reference"]), raw[0] if raw else None)
                rows.setdefault(label, {})[f"download {workload}"] = figures
    return rows


def listing_rows(results: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The same for ``listing.py``, which keeps each client's best round."""

    def best(runs: List[Dict[str, Any]]) -> Figures:
        if not runs:
            return None
        run = min(runs, key=lambda r: float(r["wall"]))
        return run["wall"], run["cpu"], max(r["rss_growth_kib"] for r in runs)

    rows: Dict[str, Dict[str, Any]] = {}
    for label, network in results["networks"].items():
        by_client = network["runs"]
        raw = best(by_client["raw"])
        figures = (best(by_client.get("hfapi", [])), best(by_client["reference"]))
        rows[label] = {"listing": (*figures, raw[0] if raw else None)}
    return rows


def table_row(label: str, workload: str, figures: Tuple[Figures, Figures, Any]) -> List[str]:
    """One line of the combined table; ``-`` where a figure is missing."""
    hfapi, reference, floor = figures
    row = [label, workload]
    if hfapi is None or reference is None:
        return row + ["-", f"{reference[0]:.2f}" if reference else "-"] + ["-"] * 5
    row += [f"{hfapi[0]:.2f}", f"{reference[0]:.2f}", f"{hfapi[0] / reference[0]:.2f}x"]
    cpu_ratio = f"{hfapi[1] / reference[1]:.2f}x" if reference[1] > 0 else "-"
    row += [f"{hfapi[1]:.3f}", cpu_ratio, f"{hfapi[2] / 1024:.1f}"]
    return [*row, f"{hfapi[0] / floor:.2f}x" if floor else "-"]


def combined_table(results: Dict[str, Any]) -> str:
    """The suite's table: every network, then every workload of every benchmark that ran."""
    by_network: Dict[str, Dict[str, Any]] = {}
    makers = {"upload": upload_rows, "download": download_rows, "listing": listing_rows}
    for bench, maker in makers.items():
        if bench in results:
            for label, rows in maker(results[bench]).items():
                by_network.setdefault(label, {}).update(rows)
    header = ["network", "workload", "hfapi wall s", "ref wall s", "wall vs ref"]
    header += ["hfapi CPU s", "CPU vs ref", "hfapi RSS +MiB", "wall vs floor"]
    lines = [header]
    for label, rows in by_network.items():
        lines += [table_row(label, workload, figures) for workload, figures in rows.items()]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(ln, widths)).rstrip() for ln in lines)


# -- main ------------------------------------------------------------------------------------


def run_suite(args: argparse.Namespace, tmp: str) -> Tuple[Dict[str, Any], List[str]]:
    """Every benchmark in turn; return their figures (with timings) and the failed ones."""
    cache_bytecode(os.path.join(tmp, "pycache"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    results: Dict[str, Any] = {"suite": {"argv": sys.argv[1:], "seconds": {}}}
    failed: List[str] = []
    for bench in args.only:
        json_path = os.path.join(tmp, f"{bench}.json")
        command = bench_command(args, bench, json_path)
        print(f"\n== {bench}.py {' '.join(command[2:-2])}", flush=True)
        started = time.perf_counter()
        status = run_bench(command, env)
        results["suite"]["seconds"][bench] = time.perf_counter() - started
        if status or not os.path.exists(json_path):
            failed.append(bench)
            continue
        with open(json_path) as handle:
            results[bench] = json.load(handle)
    return results, failed


def main() -> int:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up on kill as well
    tmp = tempfile.mkdtemp(prefix="hfapi-suite-")
    started = time.perf_counter()
    try:
        results, failed = run_suite(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["suite"]["total_seconds"] = total = time.perf_counter() - started
    seconds = ", ".join(f"{b} {s:.0f} s" for b, s in results["suite"]["seconds"].items())
    print(f"\n== suite: {total:.0f} s ({seconds})\n")
    print(combined_table(results))
    print(
        "\nRatios < 1: hfapi is better. Floors: upload, the README's limits; download and"
        " listing, the raw requests run. Listing: best round; others: medians."
    )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the files are gone and the benchmark stopped: no traceback
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
