#!/usr/bin/env python3
"""Upload benchmark: hfapi against huggingface_hub 0.16.4 and against the machine's limits.

Workloads, sent to a local Hub (``python -m hfapi.hub``) running in its own process:
``big``, one random file (1 GiB) with ``upload_file``, multipart in 16 MiB parts with the
Hub's default knobs; ``folder``, 5,000 text files of 1-4 KiB in 50 folders with
``upload_folder``; ``lfs``, 20 random files of 50 MB in one ``upload_folder`` commit. Each
workload runs on loopback (0 ms) and under the hub's network emulation (50 ms RTT,
200 Mbit/s per connection by default; ``--networks``). Each upload runs in a fresh worker
process against a fresh Hub, so RSS figures are clean and every byte is really sent (a
Hub's object stores are shared by its repos). Limits use the same data: hashlib SHA-256 of
the file, a plain ``requests`` PUT of it to a real upload URL of the Hub, the multipart path
driven by hand, and one hand-built NDJSON commit of the folder. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
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
from _upload_report import report

MiB = 1024 * 1024
CLIENTS = ("hfapi", "reference")
WORKLOADS = ("big", "folder", "lfs")
#: ``--quick``: sizes for a run of about a minute per network.
QUICK = {"size_mib": 64, "files": 500, "lfs_files": 20, "lfs_mb": 2, "quiet_wait": 0.0, "redo": 0}
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


def make_lfs_folder(root: str, count: int, size: int) -> int:
    """Write ``count`` random ``*.bin`` files of ``size`` bytes (LFS by name); return the bytes."""
    os.makedirs(root, exist_ok=True)
    for index in range(count):
        make_big_file(os.path.join(root, f"weights-{index:02d}.bin"), size)
    return count * size


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


# -- bytecode --------------------------------------------------------------------------------

#: Run in a child: import every module of the clients once, which compiles them (and what
#: they import) into the bytecode cache. ``__main__`` modules are skipped: they run things.
WARM_BYTECODE = """
import importlib, pkgutil
for name in ("hfapi", "huggingface_hub", "requests"):
    for info in pkgutil.walk_packages(importlib.import_module(name).__path__, name + "."):
        if not info.name.endswith("__main__"):
            try:
                importlib.import_module(info.name)
            except Exception:
                pass
"""


def cache_bytecode(pycache: str) -> None:
    """Have every process started from now on read and write its bytecode under ``pycache``.

    With ``PYTHONDONTWRITEBYTECODE`` set and hfapi run from its source tree, every worker
    would compile the hfapi modules it imports, inside the timed call for the lazily
    imported ones, while the installed reference client comes compiled. Both are compiled
    once here, before anything is measured. A cache set up already (by the suite) is kept.
    """
    if os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    os.environ["PYTHONPYCACHEPREFIX"] = pycache
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print("Compiling hfapi and the reference client", flush=True)
    subprocess.run([sys.executable, "-c", WARM_BYTECODE], check=True)


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


def upload_actions(hub: Hub, repo: str, objects: List[Tuple[str, int]]) -> List[Dict[str, Any]]:
    """The ``upload`` actions that the Hub's LFS batch endpoint gives for new objects."""
    response = requests.post(
        f"{hub.url}/{repo}.git/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": o, "size": n} for o, n in objects]},
        auth=("access_token", hub.token),
        headers={"Accept": "application/vnd.git-lfs+json"},
    )
    response.raise_for_status()
    return [dict(found["actions"]["upload"]) for found in response.json()["objects"]]


def upload_action(hub: Hub, repo: str, oid: str, size: int) -> Dict[str, Any]:
    """The ``upload`` action for one new object."""
    return upload_actions(hub, repo, [(oid, size)])[0]


def time_raw_lfs(hub: Hub, root: str) -> Dict[str, float]:
    """Hash every file of ``root``, then PUT each one in turn on one connection.

    The sequential path without any round trip but the batch call's: hashing and sending
    do not overlap, so a client that overlaps them, or sends on several connections, may
    beat it under emulated latency.
    """
    files = [path for path, _ in folder_files(root)]
    hashed = [time_sha256(path) for path in files]
    objects = [(oid, os.path.getsize(path)) for path, (_, oid) in zip(files, hashed)]
    session = requests.Session()
    start = time.perf_counter()
    actions = upload_actions(hub, hub.create_repo("raw-lfs"), objects)
    for path, action in zip(files, actions):
        with open(path, "rb") as body:
            session.put(action["href"], data=body).raise_for_status()
    put = time.perf_counter() - start
    return {"hash_s": sum(seconds for seconds, _ in hashed), "raw_put_s": put}


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


def measure_limits(
    args: argparse.Namespace, knobs: List[str], workload: str, path: str, oid: str
) -> Dict[str, Any]:
    """One sample of each limit of a workload, each on a fresh hub with ``knobs``."""
    measures: Dict[str, Callable[[Hub], float]] = {
        "hash_s": lambda hub: time_sha256(path)[0],
        "raw_put_s": lambda hub: time_raw_put(hub, path, oid),
        "multipart_s": lambda hub: time_raw_multipart(hub, path, oid),
    }
    if workload == "folder":
        measures = {"commit_s": lambda hub: time_raw_commit(hub, path)}
    limits = {}
    for name, measure in measures.items() if workload != "lfs" else ():
        with Hub(args.hub_dir, knobs) as hub:
            warm(path)
            wait_for_quiet(args.quiet_wait)
            limits[name] = measure(hub)
    if workload == "lfs":
        with Hub(args.hub_dir, knobs) as hub:
            warm(path)
            wait_for_quiet(args.quiet_wait)
            limits.update(time_raw_lfs(hub, path))
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
    if args.workload == "big":  # folder and lfs are both one upload_folder commit
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


def run_upload(
    args: argparse.Namespace, knobs: List[str], client: str, workload: str, path: str
) -> Any:
    """One upload on a fresh hub, re-done (twice at most) if other processes were busy."""
    discarded: List[Any] = []
    while True:
        with Hub(args.hub_dir, knobs) as hub:
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
        result.update(other_cpu=max(0.0, other))
        busy = other > 0.1 * result["wall"] * (os.cpu_count() or 1)
        if not busy or len(discarded) >= args.redo:
            # Set last: a discarded run is kept without this key, so nothing refers to
            # itself (json.dump's "Circular reference detected").
            result["discarded"] = discarded
            return result
        discarded.append(result)


def check_upload(hub: Hub, repo: str, workload: str, path: str) -> None:
    """Make sure the commit holds the files, with their sizes."""
    from hfapi import HfApi

    infos = list(HfApi(endpoint=hub.url, token=hub.token).list_files_info(repo))
    sizes = {info.rfilename: info.size for info in infos if info.rfilename != ".gitattributes"}
    files = [(path, "big.bin")] if workload == "big" else folder_files(path)
    if workload == "lfs":
        lfs = {info.rfilename for info in infos if info.lfs is not None}
        if lfs != {name for _, name in files}:
            raise RuntimeError(f"{repo}: the files did not go through LFS")
    if sizes != {name: os.path.getsize(full) for full, name in files}:
        raise RuntimeError(f"{repo}: the commit does not hold the uploaded files")


# -- main ------------------------------------------------------------------------------------


def parse_network(spec: str) -> Tuple[str, List[str]]:
    """``"0"`` or ``"RTT_MS/MBIT"`` -> (label, hub knobs)."""
    rtt, _, mbit = spec.partition("/")
    if not rtt.isdigit() or (mbit and not mbit.isdigit()):
        raise argparse.ArgumentTypeError(f"network {spec!r}: expected RTT_MS or RTT_MS/MBIT")
    knobs = [f"network_rtt_ms={rtt}"]
    label = f"{rtt} ms" + (f", {mbit} Mbit/s" if mbit else "")
    if mbit:
        knobs.append(f"network_bandwidth_kbps={int(mbit) * 1000}")
    return label, knobs


def network_settings(knobs: List[str]) -> Dict[str, int]:
    """The emulation knobs of a profile from :func:`parse_network`, as a ``PUT /_hub/config``
    body: both knobs are always there (0 turns each off), so a profile replaces the last."""
    settings = {"network_rtt_ms": 0, "network_bandwidth_kbps": 0}
    for knob in knobs:
        name, _, value = knob.partition("=")
        settings[name] = int(value)
    return settings


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=1024, help="size of the big file")
    parser.add_argument("--files", type=int, default=5000, help="files in the folder")
    parser.add_argument("--lfs-files", type=int, default=20, help="files of the lfs workload")
    parser.add_argument("--lfs-mb", type=int, default=50, help="size of each lfs file (MB)")
    parser.add_argument("--quick", action="store_true", help="small sizes: about a minute")
    parser.add_argument("--networks", default="0,50/200", help="RTT_MS[/MBIT],... to emulate")
    parser.add_argument("--repeat", type=int, default=1, help="runs per client and workload")
    parser.add_argument("--only", choices=WORKLOADS, help="run one workload only")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=N", help="hub knob")
    parser.add_argument("--workdir", help="where the data goes (default: the system temp dir)")
    parser.add_argument("--hub-dir", help="where the hubs keep their state (default: workdir)")
    parser.add_argument("--quiet-wait", type=float, default=60, help="max wait for an idle box")
    parser.add_argument("--redo", type=int, default=2, help="re-runs at most, if disturbed")
    parser.add_argument("--json", help="also write every figure to this file")
    parser.add_argument("--profile", metavar="DIR", help="cProfile workers into DIR/*.prof")
    for name in ("worker", "workload", "path", "repo", "endpoint", "token"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        for name, value in QUICK.items():
            setattr(args, name, value)
    args.networks = [parse_network(spec) for spec in args.networks.split(",")]
    return args


def make_data(args: argparse.Namespace, work: str) -> Tuple[Dict[str, str], Dict[str, int]]:
    """Write the data of the workloads to run; return their paths and sizes in bytes.

    The big file is always written: its oid serves the raw PUT limits.
    """
    paths = {w: os.path.join(work, w) for w in WORKLOADS}
    wanted = [args.only] if args.only else WORKLOADS
    print(f"Writing the data of {', '.join(wanted)} in {work}", flush=True)
    make_big_file(paths["big"], args.size_mib * MiB if "big" in wanted else 1)
    sizes = {"big": args.size_mib * MiB}
    if "folder" in wanted:
        sizes["folder"] = make_folder(paths["folder"], args.files)
    if "lfs" in wanted:
        sizes["lfs"] = make_lfs_folder(paths["lfs"], args.lfs_files, args.lfs_mb * 10**6)
    return paths, sizes


def run_network(
    args: argparse.Namespace, knobs: List[str], paths: Dict[str, str], oid: str
) -> Dict[str, Any]:
    """Every round of every workload on hubs with ``knobs``: limits and both clients."""
    runs: Dict[str, Dict[str, List[Any]]] = {w: {c: [] for c in CLIENTS} for w in WORKLOADS}
    samples: Dict[str, List[Dict[str, float]]] = {w: [] for w in WORKLOADS}
    for attempt in range(args.repeat):  # rounds, so that drifts hit every figure alike
        for workload in [args.only] if args.only else WORKLOADS:
            path = paths[workload]
            # The limits go first: each client run then follows a run of the same kind.
            samples[workload].append(measure_limits(args, knobs, workload, path, oid))
            print(f"{workload:6} limits    {samples[workload][-1]}", flush=True)
            for client in CLIENTS[:: -1 if attempt % 2 else 1]:  # alternate who goes first
                result = run_upload(args, knobs, client, workload, path)
                runs[workload][client].append(result)
                shown = (f"{k} {v:.2f}" for k, v in result.items() if k != "discarded")
                print(f"{workload:6} {client:9} " + ", ".join(shown), flush=True)
    limits = {
        w: {k: statistics.median(v[k] for v in values) for k in values[0]}
        for w, values in samples.items()
        if values
    }
    return {"knobs": knobs, "runs": runs, "limits": limits, "limit_samples": samples}


def machine_info() -> Dict[str, Any]:
    machine: Dict[str, Any] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    with open("/proc/cpuinfo") as info:
        machine["cpu"] = next((ln.split(":")[1].strip() for ln in info if "model name" in ln), "")
    machine.update(reference=version("huggingface_hub"), date=time.strftime("%Y-%m-%d %H:%M"))
    return machine


def main() -> None:
    args = parse_args()
    if args.worker:
        return worker(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up on kill as well
    work = tempfile.mkdtemp(prefix="hfapi-bench-", dir=args.workdir)
    args.hub_dir = args.hub_dir or work
    networks: Dict[str, Any] = {}
    try:
        cache_bytecode(os.path.join(work, "pycache"))
        paths, sizes = make_data(args, work)
        oid, create_ms = time_sha256(paths["big"])[1], create_cost_ms(args.hub_dir)
        for label, knobs in args.networks:
            print(f"-- network: {label}", flush=True)
            networks[label] = run_network(args, [*args.set, *knobs], paths, oid)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = {"machine": machine_info(), "repeat": args.repeat, "data_bytes": sizes}
    results.update(files={"big": 1, "folder": args.files, "lfs": args.lfs_files})
    results["lfs_mb"] = args.lfs_mb
    results.update(knobs=" ".join(args.set), file_create_ms=create_ms, networks=networks)
    print("\n" + report(results))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
