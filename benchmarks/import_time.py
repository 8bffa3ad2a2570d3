#!/usr/bin/env python3
"""Import cost: ``import hfapi; hfapi.HfApi()`` against ``import requests``.

Every script that uses the client pays its import before doing anything. hfapi needs
``requests`` (its errors derive from ``requests.HTTPError``), so ``import requests`` in the
same interpreter is the floor, and the target is at most 1.1x that floor.

Each sample is a fresh interpreter (``python -c ...``) that times its own import, wall
(``time.perf_counter()``) and CPU (``time.process_time()``, steadier when other processes
share the cores), and prints both; the wall time of the whole process (interpreter
start-up included) is recorded too. The candidates run interleaved, their order rotating
from one round to the next, so that a machine getting busier or quieter shifts them alike;
medians are reported. The hfapi measured is the one of this tree (``src`` is put first on
``PYTHONPATH`` for every candidate, so each child sees the same path).

``--importtime N`` prints the top N entries of ``python -X importtime`` for hfapi (the
cumulative microseconds of each module, its imports included), for the benchmark README.

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

SRC = Path(__file__).resolve().parent.parent / "src"

#: name -> the statement timed in the child
CANDIDATES: Dict[str, str] = {
    "requests": "import requests",
    "hfapi": "import hfapi; hfapi.HfApi()",
}
REFERENCE = "huggingface_hub"
REFERENCE_CODE = "import huggingface_hub; huggingface_hub.HfApi()"

CHILD = (
    "import time\n"
    "_wall, _cpu = time.perf_counter(), time.process_time()\n"
    "{code}\n"
    "print(time.perf_counter() - _wall, time.process_time() - _cpu)\n"
)
#: Figures of one sample: the import's wall time, its CPU time (user + system: steadier
#: when other processes share the cores), and the whole process's wall time.
KINDS = ("import", "cpu", "process")


def child_env(pycache: str) -> Dict[str, str]:
    """The environment of every child: this tree's sources first, bytecode cached.

    Installed packages come with their bytecode compiled; a source tree gets it on first
    import, unless ``PYTHONDONTWRITEBYTECODE`` is set, and then every import compiles
    hfapi from source (about 90 ms here) while ``requests`` loads its ``.pyc`` files. The
    children therefore write and read their bytecode under ``pycache`` (a temporary
    directory: the tree is left as it is), the same way for every candidate.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env["PYTHONPYCACHEPREFIX"] = pycache
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    return env


def sample(code: str, env: Dict[str, str]) -> Tuple[float, float, float]:
    """Run ``code`` in a fresh interpreter; return its :data:`KINDS` in seconds."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(code=code)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    process = time.perf_counter() - started
    imported, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(imported), float(cpu), process


def measure(
    candidates: Dict[str, str], runs: int, env: Dict[str, str]
) -> Dict[str, Dict[str, List[float]]]:
    """Interleave ``runs`` rounds of every candidate, rotating their order each round."""
    names = list(candidates)
    for name in names:  # write the bytecode caches and warm the page cache, not measured
        sample(candidates[name], env)
    results: Dict[str, Dict[str, List[float]]] = {n: {k: [] for k in KINDS} for n in names}
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            for kind, value in zip(KINDS, sample(candidates[name], env)):
                results[name][kind].append(value)
    return results


def report(results: Dict[str, Dict[str, List[float]]]) -> str:
    """A table of medians, in ms, with each candidate's ratio to ``import requests``."""
    floor = {kind: statistics.median(results["requests"][kind]) for kind in KINDS}
    lines = [
        "| candidate | import wall ms | x requests | import CPU ms | x requests"
        " | process wall ms | x requests |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, figures in results.items():
        cells = []
        for kind in KINDS:
            median = statistics.median(figures[kind])
            cells.append(f"{median * 1000:.1f} | {median / floor[kind]:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def importtime_top(code: str, top: int, env: Dict[str, str]) -> str:
    """The ``top`` costliest entries (cumulative) of ``python -X importtime -c code``."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, module = line[len("import time:") :].split("|")
        rows.append((int(cumulative), int(own), module.rstrip()))
    rows.sort(reverse=True)
    shown = [f"{'cumulative us':>13} | {'self us':>8} | module"]
    shown += [f"{cum:>13} | {own:>8} |{module}" for cum, own, module in rows[:top]]
    return "\n".join(shown)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="rounds (default 21, at least 15)")
    parser.add_argument("--reference", action="store_true", help=f"also measure {REFERENCE_CODE!r}")
    parser.add_argument(
        "--importtime", type=int, default=0, metavar="N", help="print hfapi's top N imports"
    )
    parser.add_argument("--json", metavar="FILE", help="write every sample to FILE")
    args = parser.parse_args()
    candidates = dict(CANDIDATES)
    if args.reference:
        candidates[REFERENCE] = REFERENCE_CODE
    with tempfile.TemporaryDirectory(prefix="hfapi-import-") as pycache:
        env = child_env(pycache)
        results = measure(candidates, args.runs, env)
        print(
            f"{args.runs} interleaved runs each, {sys.executable} (Python {sys.version.split()[0]})"
        )
        print(report(results))
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
        if args.importtime:
            print()
            print(importtime_top(CANDIDATES["hfapi"], args.importtime, env))


if __name__ == "__main__":
    main()
