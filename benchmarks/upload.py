#!/usr/bin/env python3
"""Upload benchmark: hfapi against huggingface_hub 0.16.4 and the machine's limits.

Two workloads go to a local Hub running in its own process: one large random file
(``upload_file``; 1 GiB by default, multipart with the Hub's default 16 MiB parts) and
a folder of many small files (``upload_folder``; 5,000 files of 1-4 KiB in 50 folders).
Every upload runs in a fresh worker process against a fresh Hub, so that RSS figures are
clean and every byte is really sent (the Hub's LFS store is shared by its repos).

Limits, measured on the same data: hashlib SHA-256 of the large file (4 MiB reads), a
plain ``requests`` PUT of it to a real upload URL of the Hub (single PUT, streamed from
the file), the same object sent through the Hub's multipart path with sequential part
PUTs, and, for the folder, one hand-built NDJSON commit POST carrying every file.

Usage: ``python benchmarks/upload.py [--size-mib 64] [--files 500] [--repeat 3] [--json F]``
(see ``benchmarks/README.md``). Never part of the pass/fail suite.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

import requests

MiB = 1024 * 1024
CLIENTS = ("hfapi", "reference")
WORKLOADS = ("big", "folder")
USER = "hub-user"
ADMIN = "hf_bench_admin"


# -- data ------------------------------------------------------------------------------------


def make_big_file(path: str, size: int) -> None:
    """Write ``size`` random bytes in 4 MiB chunks."""
    with open(path, "wb") as handle:
        for start in range(0, size, 4 * MiB):
            handle.write(os.urandom(min(4 * MiB, size - start)))


def make_folder(root: str, count: int) -> int:
    """Write ``count`` random files of 1-4 KiB, two levels deep in ~50 folders; total bytes."""
    rng = random.Random(0)
    total = 0
    for index in range(count):
        folder = os.path.join(root, f"group{index % 5}", f"dir{index % 50:02d}")
        os.makedirs(folder, exist_ok=True)
        size = rng.randint(1024, 4096)
        with open(os.path.join(folder, f"file{index:05d}.bin"), "wb") as handle:
            handle.write(os.urandom(size))
        total += size
    return total


def folder_files(root: str) -> List[Tuple[str, str]]:
    """``(absolute path, path in repo)`` of every file under ``root``, sorted."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            found.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    return sorted(found, key=lambda item: item[1])


# -- the hub, in its own process -------------------------------------------------------------


class Hub:
    """``python -m hfapi.hub`` in a child process, with its state in a fresh temp dir."""

    def __init__(self, workdir: str, knobs: List[str]) -> None:
        self.tmp = tempfile.mkdtemp(prefix="hub-", dir=workdir)
        command = [sys.executable, "-m", "hfapi.hub", "--port", "0", "--admin-token", ADMIN]
        command += [arg for knob in knobs for arg in ("--set", knob)]
        # No --data-dir: the hub then keeps its state in a temporary directory (under
        # TMPDIR, i.e. our work dir on the same disk) without fsync, as in our tests.
        env = {**os.environ, "TMPDIR": self.tmp}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        assert self.process.stdout is not None
        fields: Dict[str, str] = {}
        for line in self.process.stdout:
            if line.startswith("Local Hub running at "):
                fields["url"] = line.split()[-1]
            elif line.strip().startswith("token:"):
                fields["token"] = line.split()[-1]
            elif line.startswith("Press Ctrl-C"):
                break
        if set(fields) != {"url", "token"}:
            self.stop()
            raise RuntimeError("The local Hub did not start")
        self.url, self.token = fields["url"], fields["token"]

    def stop(self) -> None:
        """Ctrl-C the hub (it deletes its temporary state), then remove our temp dir."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def create_repo(self, name: str) -> str:
        response = requests.post(
            f"{self.url}/_hub/seed",
            json={"repos": [{"repo_id": f"{USER}/{name}"}]},
            headers={"authorization": f"Bearer {ADMIN}"},
        )
        response.raise_for_status()
        return f"{USER}/{name}"

    def config(self, **knobs: int) -> Dict[str, int]:
        auth = {"authorization": f"Bearer {ADMIN}"}
        if knobs:
            response = requests.put(f"{self.url}/_hub/config", json=knobs, headers=auth)
        else:
            response = requests.get(f"{self.url}/_hub/config", headers=auth)
        response.raise_for_status()
        return dict(response.json())


@contextlib.contextmanager
def running_hub(workdir: str, knobs: List[str]) -> Iterator[Hub]:
    hub = Hub(workdir, knobs)
    try:
        yield hub
    finally:
        hub.stop()


# -- limits ----------------------------------------------------------------------------------


def time_sha256(path: str) -> Tuple[float, str]:
    """Seconds to hash ``path`` with hashlib in 4 MiB reads, and the hex digest."""
    digest = hashlib.sha256()
    buffer = bytearray(4 * MiB)
    view = memoryview(buffer)
    start = time.perf_counter()
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
    return time.perf_counter() - start, digest.hexdigest()


def lfs_actions(hub: Hub, repo: str, oid: str, size: int) -> Dict[str, Any]:
    """Ask the Hub's LFS batch endpoint where to send object ``oid``."""
    response = requests.post(
        f"{hub.url}/{repo}.git/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": oid, "size": size}]},
        auth=("access_token", hub.token),
        headers={"Accept": "application/vnd.git-lfs+json"},
    )
    response.raise_for_status()
    return dict(response.json()["objects"][0]["actions"])


def time_raw_put(hub: Hub, path: str, oid: str) -> float:
    """Seconds of one plain ``requests`` PUT of the whole file to a real upload URL."""
    size = os.path.getsize(path)
    threshold = hub.config()["lfs_multipart_threshold"]
    hub.config(lfs_multipart_threshold=size + 1)  # a single-PUT href for this object
    actions = lfs_actions(hub, hub.create_repo("raw-put"), oid, size)
    hub.config(lfs_multipart_threshold=threshold)
    with open(path, "rb") as body:
        start = time.perf_counter()
        requests.put(actions["upload"]["href"], data=body).raise_for_status()
        return time.perf_counter() - start


def time_raw_multipart(hub: Hub, path: str, oid: str) -> float:
    """Seconds to send the file through the multipart path: part PUTs in order, completion."""
    size = os.path.getsize(path)
    upload = lfs_actions(hub, hub.create_repo("raw-multipart"), oid, size)["upload"]
    header = upload.get("header") or {}
    if "chunk_size" not in header:
        return float("nan")  # below the multipart threshold
    chunk = int(header["chunk_size"])
    urls = [header[key] for key in sorted(key for key in header if key.isdigit())]
    session = requests.Session()
    parts = []
    start = time.perf_counter()
    with open(path, "rb") as handle:
        for number, url in enumerate(urls, start=1):
            response = session.put(url, data=handle.read(chunk))
            response.raise_for_status()
            parts.append({"partNumber": number, "etag": response.headers["ETag"]})
    session.post(upload["href"], json={"oid": oid, "parts": parts}).raise_for_status()
    return time.perf_counter() - start


def time_raw_commit(hub: Hub, root: str) -> float:
    """Seconds to read every file, build one NDJSON commit body and POST it."""
    repo = hub.create_repo("raw-commit")
    start = time.perf_counter()
    lines = [json.dumps({"key": "header", "value": {"summary": "raw", "description": ""}})]
    for path, in_repo in folder_files(root):
        with open(path, "rb") as handle:
            content = base64.b64encode(handle.read()).decode()
        value = {"content": content, "path": in_repo, "encoding": "base64"}
        lines.append(json.dumps({"key": "file", "value": value}))
    response = requests.post(
        f"{hub.url}/api/models/{repo}/commit/main",
        data="\n".join(lines).encode(),
        headers={"authorization": f"Bearer {hub.token}", "content-type": "application/x-ndjson"},
    )
    response.raise_for_status()
    return time.perf_counter() - start


# -- workers ---------------------------------------------------------------------------------


def vmrss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def worker(args: argparse.Namespace) -> None:
    """Upload once with one client and print ``{"wall": s, "rss_growth_kib": n}``."""
    if args.worker == "hfapi":
        from hfapi import HfApi
    else:
        from huggingface_hub import HfApi  # type: ignore[no-redef]
    api: Any = HfApi(endpoint=args.endpoint, token=args.token)
    api.whoami()  # warm the connection and the imports it pulls in
    baseline = vmrss_kib()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    if args.workload == "big":
        api.upload_file(path_or_fileobj=args.path, path_in_repo="big.bin", repo_id=args.repo)
    else:
        api.upload_folder(folder_path=args.path, repo_id=args.repo)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(json.dumps({"wall": wall, "rss_growth_kib": max(0, peak - baseline)}))


def run_worker(hub: Hub, client: str, workload: str, path: str, profile: Optional[str]) -> Any:
    repo = hub.create_repo(f"{workload}-{client}")
    command = [sys.executable, os.path.abspath(__file__), "--worker", client]
    command += ["--workload", workload, "--path", path, "--repo", repo]
    command += ["--endpoint", hub.url, "--token", hub.token]
    if profile:
        command += ["--profile", profile]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env.update(HF_ENDPOINT=hub.url, HF_HOME=os.path.join(hub.tmp, "hf-home"))
    env.update(HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
    output = subprocess.run(command, env=env, capture_output=True, text=True)
    if output.returncode:
        raise RuntimeError(f"{client} worker failed:\n{output.stderr}")
    result = json.loads(output.stdout.strip().splitlines()[-1])
    check_upload(hub, repo, workload, path)
    return result


def check_upload(hub: Hub, repo: str, workload: str, path: str) -> None:
    """Make sure the commit really holds what was uploaded."""
    from hfapi import HfApi

    files = HfApi(endpoint=hub.url, token=hub.token).list_files_info(repo)
    sizes = {info.rfilename: info.size for info in files}
    if workload == "big":
        expected = {"big.bin": os.path.getsize(path)}
    else:
        expected = {name: os.path.getsize(full) for full, name in folder_files(path)}
    if {k: v for k, v in sizes.items() if k != ".gitattributes"} != expected:
        raise RuntimeError(f"{repo}: the commit does not hold the uploaded files")


# -- report ----------------------------------------------------------------------------------


def summarise(results: Dict[str, Any]) -> List[List[str]]:
    rows = [["workload", "client", "wall s", "MiB/s", "peak RSS +MiB", "vs ref", "vs limit"]]
    limits = results["limits"]
    for workload in WORKLOADS:
        data_mib = results["data_bytes"][workload] / MiB
        limit = limits["hash_s"] + limits["raw_put_s"] if workload == "big" else limits["commit_s"]
        walls = {c: statistics.median(r["wall"] for r in results["runs"][workload][c]) for c in CLIENTS}
        for client in CLIENTS:
            rss = max(r["rss_growth_kib"] for r in results["runs"][workload][client]) / 1024
            wall = walls[client]
            ratio = wall / walls["reference"]
            rows.append(
                [workload, client, f"{wall:.2f}", f"{data_mib / wall:.0f}", f"{rss:.1f}"]
                + [f"{ratio:.2f}x", f"{wall / limit:.2f}x"]
            )
        name = "hash+PUT" if workload == "big" else "raw commit"
        rows.append([workload, f"limit ({name})", f"{limit:.2f}", f"{data_mib / limit:.0f}"])
    return rows


def print_report(results: Dict[str, Any]) -> None:
    machine, limits = results["machine"], results["limits"]
    size_mib = results["data_bytes"]["big"] / MiB
    print(f"\n{machine['cpus']} CPUs, {machine['cpu']}, Python {machine['python']}, {machine['date']}")
    print(f"big: {size_mib:.0f} MiB file; folder: {results['files']} files")
    print(f"limits: sha256 {size_mib / limits['hash_s']:.0f} MiB/s ({limits['hash_s']:.2f} s)")
    print(f"        raw PUT {size_mib / limits['raw_put_s']:.0f} MiB/s ({limits['raw_put_s']:.2f} s)")
    print(
        f"        raw multipart (sequential parts + completion) {limits['multipart_s']:.2f} s;"
        f" raw commit of the folder {limits['commit_s']:.2f} s"
    )
    print(f"median of {results['repeat']} run(s); peak RSS growth: the largest run\n")
    rows = summarise(results)
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print("\nvs limit: wall / (sha256 s + raw PUT s) for big, wall / raw commit s for folder.")


def machine_info() -> Dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), cpu)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big file")
    parser.add_argument("--files", type=int, default=5000, help="files in the folder")
    parser.add_argument("--repeat", type=int, default=1, help="runs per client and workload")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=N", help="hub knob")
    parser.add_argument("--workdir", help="where to put the data (default: system temp dir)")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--profile", help="cProfile each worker into DIR/<workload>-<client>.prof")
    for name in ("worker", "workload", "path", "repo", "endpoint", "token"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    work = tempfile.mkdtemp(prefix="hfapi-bench-", dir=args.workdir)
    try:
        results = benchmark(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_report(results)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


def benchmark(args: argparse.Namespace, work: str) -> Dict[str, Any]:
    big, folder = os.path.join(work, "big.bin"), os.path.join(work, "folder")
    print(f"Writing {args.size_mib} MiB file and {args.files} small files in {work}", flush=True)
    make_big_file(big, args.size_mib * MiB)
    folder_bytes = make_folder(folder, args.files)
    hash_s, oid = time_sha256(big)
    with running_hub(work, args.set) as hub:
        limits = {
            "hash_s": hash_s,
            "raw_put_s": time_raw_put(hub, big, oid),
            "multipart_s": time_raw_multipart(hub, big, oid),
            "commit_s": time_raw_commit(hub, folder),
        }
    print("limits: " + ", ".join(f"{k} {v:.2f}" for k, v in limits.items()), flush=True)
    runs: Dict[str, Dict[str, List[Any]]] = {w: {c: [] for c in CLIENTS} for w in WORKLOADS}
    for workload in WORKLOADS:
        for attempt in range(args.repeat):
            # Alternate the order so that neither client always runs on a warmer machine.
            for client in CLIENTS if attempt % 2 == 0 else CLIENTS[::-1]:
                profile = None
                if args.profile:
                    os.makedirs(args.profile, exist_ok=True)
                    profile = os.path.join(args.profile, f"{workload}-{client}.prof")
                with running_hub(work, args.set) as hub:
                    path = big if workload == "big" else folder
                    result = run_worker(hub, client, workload, path, profile)
                runs[workload][client].append(result)
                print(
                    f"{workload:6} {client:9} {result['wall']:7.2f} s"
                    f"  +{result['rss_growth_kib'] / 1024:.1f} MiB",
                    flush=True,
                )
    return {
        "machine": machine_info(),
        "files": args.files,
        "repeat": args.repeat,
        "hub_settings": args.set,
        "data_bytes": {"big": args.size_mib * MiB, "folder": folder_bytes},
        "limits": limits,
        "runs": runs,
    }


if __name__ == "__main__":
    main()
