"""The table printed by ``upload.py``: medians per network, workload and client, as ratios."""

from __future__ import annotations

import math
import statistics
from typing import Any, Dict, List, Optional

MiB = 1024 * 1024
CLIENTS = ("hfapi", "reference")
FLOOR_NAMES = {"big": "sha256 + raw PUT", "folder": "raw commit", "lfs": "sha256 + raw PUTs"}


def floor_of(workload: str, limits: Dict[str, float]) -> float:
    """The floor a workload's wall time is compared with (see the README)."""
    if workload == "folder":
        return limits["commit_s"]
    return limits["hash_s"] + limits["raw_put_s"]


def bandwidth_floor(knobs: List[str], size: int) -> Optional[float]:
    """Seconds to send ``size`` bytes at the emulated bandwidth of one connection."""
    for knob in knobs:
        name, _, value = knob.partition("=")
        if name == "network_bandwidth_kbps" and int(value) > 0:
            return size * 8 / (int(value) * 1000)
    return None


def _median(runs: List[Dict[str, Any]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _rows(results: Dict[str, Any], label: str, network: Dict[str, Any]) -> List[List[str]]:
    rows: List[List[str]] = []
    for workload, by_client in network["runs"].items():
        if not by_client["hfapi"]:
            continue
        size, files = results["data_bytes"][workload], results["files"][workload]
        limits, mib = network["limits"][workload], results["data_bytes"][workload] / MiB
        floor = floor_of(workload, limits)
        ref_wall, ref_cpu = (_median(by_client["reference"], k) for k in ("wall", "cpu"))
        for client in CLIENTS:
            done = by_client[client]
            wall, cpu, hub_cpu = (_median(done, k) for k in ("wall", "cpu", "hub_cpu"))
            rss = max(r["rss_growth_kib"] for r in done) / 1024
            rows.append([label, workload, client, f"{wall:.2f}", f"{mib / wall:.0f}"])
            rows[-1] += [f"{rss:.1f}", f"{cpu:.2f} / {hub_cpu:.2f}"]
            rows[-1] += [f"{cpu / files * 1000:.2f}", f"{wall / ref_wall:.2f}x"]
            rows[-1] += [f"{cpu / ref_cpu:.2f}x", f"{wall / floor:.2f}x"]
        rows.append([label, workload, f"floor: {FLOOR_NAMES[workload]}", f"{floor:.2f}"])
        rows[-1].append(f"{mib / floor:.0f}")
        wire = bandwidth_floor(network["knobs"], size)
        if wire is not None and workload != "folder":
            rows.append([label, workload, "floor: bandwidth", f"{wire:.2f}", f"{mib / wire:.0f}"])
    return rows


def _notes(network: Dict[str, Any]) -> List[str]:
    limits = network["limits"].get("big")
    by_client = network["runs"]["big"]
    if not limits or not by_client["hfapi"] or math.isnan(limits.get("multipart_s", math.nan)):
        return []
    path = limits["hash_s"] + limits["multipart_s"]
    ratios = [_median(by_client[c], "wall") / path for c in CLIENTS]
    return [
        f"  big vs sha256 + raw multipart ({path:.2f} s, the clients' server path):"
        f" hfapi {ratios[0]:.2f}x, reference {ratios[1]:.2f}x"
    ]


def report(results: Dict[str, Any]) -> str:
    """The whole table, with the machine and the notes, as text."""
    machine, sizes = results["machine"], results["data_bytes"]
    lines = [
        f"{machine['date']}: {machine['cpus']} CPUs ({machine['cpu']}), Python"
        f" {machine['python']}, huggingface_hub {machine['reference']}; big:"
        f" {sizes['big'] / MiB:.0f} MiB, folder: {results['files']['folder']} files, lfs:"
        f" {results['files']['lfs']} files of {results['lfs_mb']} MB; hub knobs:"
        f" {results['knobs'] or 'defaults'}; file creation in the hub's directory"
        f" {results['file_create_ms']:.2f} ms",
        "",
    ]
    rows = [["network", "workload", "client", "wall s", "MiB/s", "RSS +MiB"]]
    rows[0] += ["CPU s client/hub", "CPU ms/file", "wall vs ref", "CPU vs ref", "vs floor"]
    notes: List[str] = []
    for label, network in results["networks"].items():
        rows += _rows(results, label, network)
        notes += [f"{label}:", *_notes(network)] if _notes(network) else []
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(rows[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"\nMedians of {results['repeat']} round(s); RSS: the largest growth.")
    lines += notes
    redone = sum(
        len(run["discarded"])
        for network in results["networks"].values()
        for by_client in network["runs"].values()
        for runs in by_client.values()
        for run in runs
    )
    return "\n".join([*lines, f"{redone} run(s) re-done: other processes were busy meanwhile."])
