#!/usr/bin/env python3
"""Web pages of the local Hub: render time of a tree page of a 5,000-file repo.

The issue's target is under 200 ms on the 2-core machine. First visit (cold caches) and
repeat visits are shown separately; medians of ``--repeat`` requests over loopback.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests

from hfapi.hub import LocalHub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with LocalHub() as hub:
        files = {f"f{i:05}.txt": str(i) for i in range(args.files)}
        hub.seed({"repos": [{"repo_id": "hub-user/big", "files": files}]})
        session = requests.Session()
        url = f"{hub.url}/hub-user/big/tree/main"
        timings = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            answer = session.get(url, headers={"accept": "text/html"})
            timings.append(time.perf_counter() - started)
            answer.raise_for_status()
        first, rest = timings[0], timings[1:]
        print(f"tree page of {args.files} files (1,000 rows): first visit {first * 1000:.0f} ms,")
        print(
            f"  then median {statistics.median(rest) * 1000:.0f} ms, max {max(rest) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
