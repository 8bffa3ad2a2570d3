"""Command line: ``python -m hfapi.hub`` (or ``hfapi-hub``) runs a local Hub until Ctrl-C.

Example::

    $ python -m hfapi.hub --port 8000 --data-dir ./hub-data
    Local Hub running at http://127.0.0.1:8000
      user:  hub-user
      token: hf_...
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import List, Optional

from .server import LocalHub


def main(argv: Optional[List[str]] = None) -> int:
    """Run a local Hub in the foreground.

    Args:
        argv: command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    parser = argparse.ArgumentParser(
        prog="hfapi-hub", description="Run a local, Hub-compatible server on loopback."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--port", type=int, default=0, help="port (0: pick a free one)")
    parser.add_argument("--data-dir", help="keep the state in this directory across restarts")
    parser.add_argument("--config", help="JSON file with users, orgs, tokens, settings, repos")
    parser.add_argument("--user", default="hub-user", help="default user (gets a write token)")
    parser.add_argument("--admin-token", help="fixed admin token for the /_hub/ routes")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KNOB=N",
        help="set a knob, e.g. --set lfs_chunk_size=1048576 (repeatable)",
    )
    args = parser.parse_args(argv)
    settings = {}
    for item in args.set:
        name, _, value = item.partition("=")
        if not value.isdigit():
            parser.error(f"--set {item!r}: expected KNOB=<positive integer>")
        settings[name] = int(value)
    try:
        hub = LocalHub(
            args.host,
            args.port,
            args.data_dir,
            args.config,
            default_user=args.user,
            admin_token=args.admin_token,
        )
        hub.configure(**settings)
        hub.start()
    except (OSError, ValueError, json.JSONDecodeError) as error:
        print(f"hfapi-hub: {error}", file=sys.stderr)
        return 1
    print(f"Local Hub running at {hub.url}")
    print(f"  user:        {hub.default_user}")
    print(f"  token:       {hub.token}")
    print(f"  admin token: {hub.admin_token}")
    print(f"  data dir:    {args.data_dir or '(temporary, deleted on exit)'}")
    print("Press Ctrl-C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
