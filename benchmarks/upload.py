#!/usr/bin/env python3
"""Upload benchmark: hfapi against huggingface_hub 0.16.4 and against the machine's limits.

Workloads, sent to a local Hub (``python -m hfapi.hub``) running in its own process:
``big``, one random file (1 GiB) with ``upload_file``, multipart in 16 MiB parts with the
Hub's default knobs; ``folder``, 5,000 text files of 1-4 KiB in 50 folders with
``upload_folder``. Each upload runs in a fresh worker process against a fresh Hub, so RSS
figures are clean and every byte is really sent (a Hub's object stores are shared by its
repos). Limits use the same data: hashlib SHA-256 of the file, a plain ``requests`` PUT of it
to a real upload URL of the Hub, the multipart path driven by hand, and one hand-built NDJSON
commit of the folder. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from typing import Any, Callable, Dict, List, Optional, Tuple

import requests

MiB = 1024 * 1024
CLIENTS = ("hfapi", "reference")
WORKLOADS = ("big", "folder")
ADMIN = "hf_bench_admin"
ADMIN_AUTH = {"authorization": f"Bearer {ADMIN}"}

# -- data ------------------------------------------------------------------------------------


def make_big_file(path: str, size: int) -> None:
    with open(path, "wb") as handle:
        for start in range(0, size, 4 * MiB):
            handle.write(os.urandom(min(4 * MiB, size - start)))


def make_folder(root: str, count: int) -> int:
    """Write ``count`` files of 1-4 KiB in 50 folders two levels deep; return the bytes.

    Text (base64 lines), so that the Hub keeps them as regular files in the commit body,
    like configs and code: ``*.bin`` names or NUL bytes would send them to LFS.
    """
    rng, total = random.Random(0), 0
    for index in range(count):
        folder = os.path.join(root, f"group{index % 5}", f"dir{index % 50:02d}")
        os.makedirs(folder, exist_ok=True)
        size = rng.randint(1024, 4096)
        with open(os.path.join(folder, f"file{index:05d}.txt"), "wb") as handle:
            handle.write(base64.encodebytes(os.urandom(size))[:size])
        total += size
    return total


def folder_files(root: str) -> List[Tuple[str, str]]:
    """``(path, path in repo)`` of every file under ``root``, sorted by path in repo."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            found.append((path, os.path.relpath(path, root).replace(os.sep, "/")))
    return sorted(found, key=lambda item: item[1])


def warm(path: str) -> None:
    """Read the data once, so that every run starts with it in the page cache."""
    for name in [path] if os.path.isfile(path) else [full for full, _ in folder_files(path)]:
        with open(name, "rb") as handle:
            while handle.read(8 * MiB):
                pass


# -- the hub, in its own process -------------------------------------------------------------


class Hub:
    """``python -m hfapi.hub`` in a child process, its state in a fresh dir under ``root``."""

    def __init__(self, root: str, knobs: List[str]) -> None:
        self.tmp = tempfile.mkdtemp(prefix="hub-", dir=root)
        command = [sys.executable, "-m", "hfapi.hub", "--port", "0", "--admin-token", ADMIN]
        command += [arg for knob in knobs for arg in ("--set", knob)]
        # No --data-dir: the hub keeps its state in a temporary directory under TMPDIR
        # (ours), without fsync, as in the test suite.
        env = {**os.environ, "TMPDIR": self.tmp}
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        fields: Dict[str, str] = {}
        for line in self.process.stdout or ():
            if line.startswith("Local Hub running at ") or line.strip().startswith("token:"):
                fields["url" if line.startswith("Local") else "token"] = line.split()[-1]
            elif line.startswith("Press Ctrl-C"):
                break
        if len(fields) != 2:
            self.stop()
            raise RuntimeError("The local Hub did not start")
        self.url, self.token = fields["url"], fields["token"]

    def stop(self) -> None:
        """Stop the hub (its state lives in our directory, which is then removed)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def create_repo(self, name: str) -> str:
        body = {"repos": [{"repo_id": f"hub-user/{name}"}]}
        requests.post(f"{self.url}/_hub/seed", json=body, headers=ADMIN_AUTH).raise_for_status()
        return f"hub-user/{name}"


# -- the machine -----------------------------------------------------------------------------


def cpu_seconds(pid: Optional[int] = None) -> float:
    """CPU time (user + system) of a process, or busy time of the whole machine."""
    if pid is None:
        with open("/proc/stat") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:9]]
        busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
    else:
        with open(f"/proc/{pid}/stat") as stat:
            busy = sum(int(x) for x in stat.read().rpartition(")")[2].split()[11:13])
    return busy / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float) -> None:
    """Wait (at most ``max_wait`` s) for a second with < 10% of a core busy and little dirty
    page cache: the machine may be shared, and writeback of a run slows the next."""
    deadline = time.monotonic() + max_wait
    while time.monotonic() < deadline:
        before = cpu_seconds()
        time.sleep(1.0)
        with open("/proc/meminfo") as meminfo:
            kib = {k: int(v.split()[0]) for k, v in (line.split(":") for line in meminfo)}
        if cpu_seconds() - before < 0.1 and kib["Dirty"] + kib["Writeback"] < 256 * 1024:
            return


def create_cost_ms(root: str, count: int = 300) -> float:
    """Milliseconds to create one small file in ``root`` (the hub writes a file per blob)."""
    folder = tempfile.mkdtemp(dir=root)
    start = time.perf_counter()
    for index in range(count):
        with open(os.path.join(folder, str(index)), "wb") as handle:
            handle.write(b"x" * 2048)
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder)
    return elapsed / count * 1000


# -- limits ----------------------------------------------------------------------------------


def time_sha256(path: str) -> Tuple[float, str]:
    """Seconds to hash ``path`` with hashlib in 4 MiB reads, and the hex digest."""
    digest, buffer = hashlib.sha256(), bytearray(4 * MiB)
    start = time.perf_counter()
    with open(path, "rb", buffering=0) as handle:
        while count := handle.readinto(buffer):
            digest.update(memoryview(buffer)[:count])
    return time.perf_counter() - start, digest.hexdigest()


def upload_action(hub: Hub, repo: str, oid: str, size: int) -> Dict[str, Any]:
    """The ``upload`` action that the Hub's LFS batch endpoint gives for a new object."""
    response = requests.post(
        f"{hub.url}/{repo}.git/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": oid, "size": size}]},
        auth=("access_token", hub.token),
        headers={"Accept": "application/vnd.git-lfs+json"},
    )
    response.raise_for_status()
    return dict(response.json()["objects"][0]["actions"]["upload"])


def time_raw_put(hub: Hub, path: str, oid: str) -> float:
    """One plain ``requests`` PUT of the whole file (streamed, Content-Length) to the Hub."""
    size = os.path.getsize(path)
    knobs = {"lfs_multipart_threshold": size + 1}  # a single-PUT URL for this object
    requests.put(f"{hub.url}/_hub/config", json=knobs, headers=ADMIN_AUTH).raise_for_status()
    href = upload_action(hub, hub.create_repo("raw-put"), oid, size)["href"]
    with open(path, "rb") as body:
        start = time.perf_counter()
        requests.put(href, data=body).raise_for_status()
        return time.perf_counter() - start


def time_raw_multipart(hub: Hub, path: str, oid: str) -> float:
    """The clients' server path driven by hand: the part PUTs in turn, then completion."""
    upload = upload_action(hub, hub.create_repo("raw-multipart"), oid, os.path.getsize(path))
    header = upload.get("header") or {}
    if "chunk_size" not in header:
        return float("nan")  # smaller than the multipart threshold
    session, parts = requests.Session(), []
    start = time.perf_counter()
    with open(path, "rb") as handle:
        for number, key in enumerate(sorted(k for k in header if k.isdigit()), start=1):
            response = session.put(header[key], data=handle.read(int(header["chunk_size"])))
            response.raise_for_status()
            parts.append({"partNumber": number, "etag": response.headers["ETag"]})
    session.post(upload["href"], json={"oid": oid, "parts": parts}).raise_for_status()
    return time.perf_counter() - start


def time_raw_commit(hub: Hub, root: str) -> float:
    """Read every file, build one NDJSON commit (base64 contents) and POST it."""
    url = f"{hub.url}/api/models/{hub.create_repo('raw-commit')}/commit/main"
    start = time.perf_counter()
    lines = [json.dumps({"key": "header", "value": {"summary": "raw", "description": ""}})]
    for path, in_repo in folder_files(root):
        with open(path, "rb") as handle:
            content = base64.b64encode(handle.read()).decode()
        value = {"content": content, "path": in_repo, "encoding": "base64"}
        lines.append(json.dumps({"key": "file", "value": value}))
    headers = {"authorization": f"Bearer {hub.token}", "content-type": "application/x-ndjson"}
    requests.post(url, data="\n".join(lines).encode(), headers=headers).raise_for_status()
    return time.perf_counter() - start


def measure_limits(args: argparse.Namespace, workload: str, path: str, oid: str) -> Dict[str, Any]:
    """One sample of each limit of a workload, each on a fresh hub."""
    measures: Dict[str, Callable[[Hub], float]] = {
        "hash_s": lambda hub: time_sha256(path)[0],
        "raw_put_s": lambda hub: time_raw_put(hub, path, oid),
        "multipart_s": lambda hub: time_raw_multipart(hub, path, oid),
    }
    if workload == "folder":
        measures = {"commit_s": lambda hub: time_raw_commit(hub, path)}
    limits = {}
    for name, measure in measures.items():
        with Hub(args.hub_dir, args.set) as hub:
            warm(path)
            wait_for_quiet(args.quiet_wait)
            limits[name] = measure(hub)
    return limits


# -- workers ---------------------------------------------------------------------------------


def rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return int(next(line for line in status if line.startswith(field + ":")).split()[1])


def worker(args: argparse.Namespace) -> None:
    """Upload once with one client; print one JSON line of figures."""
    if args.worker == "hfapi":
        from hfapi import HfApi
    else:
        from huggingface_hub import HfApi  # type: ignore[no-redef,import-untyped]
    api: Any = HfApi(endpoint=args.endpoint, token=args.token)
    api.whoami()  # warm the connection and the imports it pulls in
    # Reset VmHWM (peak RSS) to the current RSS. ru_maxrss cannot serve: Linux carries it
    # across execve, so a worker inherits its parent's peak.
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    baseline = rss_kib("VmRSS")
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    machine, own, start = cpu_seconds(), cpu_seconds(os.getpid()), time.perf_counter()
    if args.workload == "big":
        api.upload_file(path_or_fileobj=args.path, path_in_repo="big.bin", repo_id=args.repo)
    else:
        api.upload_folder(folder_path=args.path, repo_id=args.repo)
    wall = time.perf_counter() - start
    machine, own = cpu_seconds() - machine, cpu_seconds(os.getpid()) - own
    growth = rss_kib("VmHWM") - baseline
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(json.dumps({"wall": wall, "rss_growth_kib": growth, "cpu": own, "machine_cpu": machine}))


def run_upload(args: argparse.Namespace, client: str, workload: str, path: str) -> Any:
    """One upload on a fresh hub, re-done (twice at most) if other processes were busy."""
    discarded: List[Any] = []
    while True:
        with Hub(args.hub_dir, args.set) as hub:
            repo = hub.create_repo(f"{workload}-{client}")
            command = [sys.executable, os.path.abspath(__file__), "--worker", client]
            command += ["--workload", workload, "--path", path, "--repo", repo]
            command += ["--endpoint", hub.url, "--token", hub.token]
            if args.profile:
                os.makedirs(args.profile, exist_ok=True)
                command += ["--profile", os.path.join(args.profile, f"{workload}-{client}.prof")]
            env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
            env.update(HF_ENDPOINT=hub.url, HF_HOME=os.path.join(hub.tmp, "hf-home"))
            env.update(HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
            warm(path)
            wait_for_quiet(args.quiet_wait)
            hub_cpu = cpu_seconds(hub.process.pid)
            output = subprocess.run(command, env=env, capture_output=True, text=True)
            if output.returncode:
                raise RuntimeError(f"{client} worker failed:\n{output.stderr}")
            result = json.loads(output.stdout.strip().splitlines()[-1])
            result["hub_cpu"] = cpu_seconds(hub.process.pid) - hub_cpu
            check_upload(hub, repo, workload, path)
        other = result["machine_cpu"] - result["cpu"] - result["hub_cpu"]
        result.update(other_cpu=max(0.0, other), discarded=discarded)
        if other <= 0.1 * result["wall"] * (os.cpu_count() or 1) or len(discarded) == 2:
            return result
        discarded.append(result)


def check_upload(hub: Hub, repo: str, workload: str, path: str) -> None:
    """Make sure the commit holds the files, with their sizes."""
    from hfapi import HfApi

    infos = HfApi(endpoint=hub.url, token=hub.token).list_files_info(repo)
    sizes = {info.rfilename: info.size for info in infos if info.rfilename != ".gitattributes"}
    files = [(path, "big.bin")] if workload == "big" else folder_files(path)
    if sizes != {name: os.path.getsize(full) for full, name in files}:
        raise RuntimeError(f"{repo}: the commit does not hold the uploaded files")


# -- report ----------------------------------------------------------------------------------


def report(results: Dict[str, Any]) -> str:
    machine, limits, runs = results["machine"], results["limits"], results["runs"]
    big_mib = results["data_bytes"]["big"] / MiB
    floors = {"big": limits["hash_s"] + limits["raw_put_s"], "folder": limits["commit_s"]}
    lines = [
        f"{machine['date']}: {machine['cpus']} CPUs ({machine['cpu']}), Python"
        f" {machine['python']}, huggingface_hub {machine['reference']}; big: {big_mib:.0f} MiB,"
        f" folder: {results['files']} files; hub knobs: {results['knobs'] or 'defaults'}",
        f"limits: sha256 {big_mib / limits['hash_s']:.0f} MiB/s, raw PUT"
        f" {big_mib / limits['raw_put_s']:.0f} MiB/s, raw multipart {limits['multipart_s']:.2f}"
        f" s, raw commit {limits['commit_s']:.2f} s, file creation in the hub's directory"
        f" {limits['file_create_ms']:.2f} ms",
        "",
    ]
    rows = [["workload", "client", "wall s", "MiB/s", "RSS +MiB", "CPU s client/hub"]]
    rows[0] += ["vs ref", "vs limit"]
    for workload in (w for w in WORKLOADS if runs[w]["hfapi"]):
        mib = results["data_bytes"][workload] / MiB
        walls = {c: statistics.median(r["wall"] for r in runs[workload][c]) for c in CLIENTS}
        for client in CLIENTS:
            wall, done = walls[client], runs[workload][client]
            rss = max(r["rss_growth_kib"] for r in done) / 1024
            cpu = [statistics.median(r[key] for r in done) for key in ("cpu", "hub_cpu")]
            rows.append([workload, client, f"{wall:.2f}", f"{mib / wall:.0f}", f"{rss:.1f}"])
            rows[-1] += [f"{cpu[0]:.2f} / {cpu[1]:.2f}", f"{wall / walls['reference']:.2f}x"]
            rows[-1].append(f"{wall / floors[workload]:.2f}x")
        name = "sha256 + raw PUT" if workload == "big" else "raw commit"
        floor = floors[workload]
        rows.append([workload, f"limit: {name}", f"{floor:.2f}", f"{mib / floor:.0f}"])
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(rows[0]))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"\nMedians of {results['repeat']} round(s); RSS: the largest growth.")
    if runs["big"]["hfapi"] and not math.isnan(limits["multipart_s"]):
        path = limits["hash_s"] + limits["multipart_s"]
        ratios = [statistics.median(r["wall"] for r in runs["big"][c]) / path for c in CLIENTS]
        lines.append(
            f"big vs sha256 + raw multipart ({path:.2f} s, the clients' server path):"
            f" hfapi {ratios[0]:.2f}x, reference {ratios[1]:.2f}x"
        )
    redone = sum(len(r["discarded"]) for w in runs.values() for c in w.values() for r in c)
    return "\n".join([*lines, f"{redone} run(s) re-done: other processes were busy meanwhile."])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big file")
    parser.add_argument("--files", type=int, default=5000, help="files in the folder")
    parser.add_argument("--repeat", type=int, default=1, help="runs per client and workload")
    parser.add_argument("--only", choices=WORKLOADS, help="run one workload only")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=N", help="hub knob")
    parser.add_argument("--workdir", help="where the data goes (default: the system temp dir)")
    parser.add_argument("--hub-dir", help="where the hubs keep their state (default: workdir)")
    parser.add_argument("--quiet-wait", type=float, default=60, help="max wait for an idle box")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--profile", metavar="DIR", help="cProfile workers into DIR/*.prof")
    for name in ("worker", "workload", "path", "repo", "endpoint", "token"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up on kill as well
    work = tempfile.mkdtemp(prefix="hfapi-bench-", dir=args.workdir)
    args.hub_dir = args.hub_dir or work
    runs: Dict[str, Dict[str, List[Any]]] = {w: {c: [] for c in CLIENTS} for w in WORKLOADS}
    samples: Dict[str, List[Dict[str, float]]] = {w: [] for w in WORKLOADS}
    try:
        big, folder = os.path.join(work, "big.bin"), os.path.join(work, "folder")
        print(f"Writing {args.size_mib} MiB + {args.files} files in {work}", flush=True)
        make_big_file(big, args.size_mib * MiB)
        sizes = {"big": args.size_mib * MiB, "folder": make_folder(folder, args.files)}
        oid, create_ms = time_sha256(big)[1], create_cost_ms(args.hub_dir)
        for attempt in range(args.repeat):  # rounds, so that drifts hit every figure alike
            for workload in [args.only] if args.only else WORKLOADS:
                path = big if workload == "big" else folder
                # The limits go first: each client run then follows a run of the same kind.
                samples[workload].append(measure_limits(args, workload, path, oid))
                print(f"{workload:6} limits    {samples[workload][-1]}", flush=True)
                for client in CLIENTS[:: -1 if attempt % 2 else 1]:  # alternate who goes first
                    result = run_upload(args, client, workload, path)
                    runs[workload][client].append(result)
                    shown = (f"{k} {v:.2f}" for k, v in result.items() if k != "discarded")
                    print(f"{workload:6} {client:9} " + ", ".join(shown), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine = {"cpus": os.cpu_count(), "python": platform.python_version()}
    with open("/proc/cpuinfo") as info:
        machine["cpu"] = next((ln.split(":")[1].strip() for ln in info if "model name" in ln), "")
    machine.update(reference=version("huggingface_hub"), date=time.strftime("%Y-%m-%d %H:%M"))
    results = {"machine": machine, "files": args.files, "repeat": args.repeat}
    limits = dict.fromkeys(("hash_s", "raw_put_s", "multipart_s", "commit_s"), math.nan)
    limits["file_create_ms"] = create_ms
    for values in (values for values in samples.values() if values):
        limits.update({k: statistics.median(v[k] for v in values) for k in values[0]})
    results.update(knobs=" ".join(args.set), data_bytes=sizes, limits=limits, runs=runs)
    results["limit_samples"] = samples
    print("\n" + report(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
