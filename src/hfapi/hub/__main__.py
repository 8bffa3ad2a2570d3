"""Command line: ``python -m hfapi.hub`` (or ``hfapi-hub``) runs a local Hub until stopped.

Ctrl-C and SIGTERM both stop it cleanly (a temporary data directory is deleted). Bad
input (a config file that cannot be read or applied, an unknown knob, a data directory
written by a newer version) is reported on one line, with exit status 2.

Example::

    $ python -m hfapi.hub --port 8000 --data-dir ./hub-data -v
    Local Hub running at http://127.0.0.1:8000
      user:  hub-user
      token: hf_...
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any, Callable, Dict, List, Optional

from .backend.config import check_config
from .errors import HubError
from .server import LocalHub
from .settings import HubSettings, Knob

#: Exit status for bad input, as argparse uses for bad arguments.
USAGE_ERROR = 2


class _Refused(Exception):
    """A one-line reason not to start, and the exit status to give."""

    def __init__(self, message: str, status: int = USAGE_ERROR) -> None:
        super().__init__(message)
        self.status = status


def _parser() -> argparse.ArgumentParser:
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
        metavar="KNOB=VALUE",
        help="set a knob, e.g. --set lfs_chunk_size=1048576 or"
        " --set reject_unknown_tokens=true (repeatable)",
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        help="log level on stderr; 'info' prints one access-log line per request",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="same as --log-level info")
    return parser


def _knobs(parser: argparse.ArgumentParser, items: List[str]) -> Dict[str, Knob]:
    knobs: Dict[str, Knob] = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            kind = HubSettings.kind_of(name)
        except ValueError as error:
            parser.error(f"--set {item!r}: {error}")
        if kind is bool and value.lower() in ("true", "false", "1", "0"):
            knobs[name] = value.lower() in ("true", "1")
        elif kind is int and value.isdigit():
            knobs[name] = int(value)
        else:
            expected = "true or false" if kind is bool else "a positive integer"
            parser.error(f"--set {item!r}: expected KNOB=<{expected}>")
    return knobs


def _read_config(path: str) -> Dict[str, Any]:
    """Load and check a config file, or refuse with a line naming the file and entry."""
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except OSError as error:
        raise _Refused(f"config file {path}: cannot read it: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise _Refused(f"config file {path}: not UTF-8 text: {error.reason}") from None
    except json.JSONDecodeError as error:
        raise _Refused(
            f"config file {path}: invalid JSON at line {error.lineno}, column {error.colno}:"
            f" {error.msg}"
        ) from None
    try:
        check_config(config)
    except HubError as error:
        raise _Refused(f"config file {path}: {error.message}") from None
    assert isinstance(config, dict)
    return config


def _start(args: argparse.Namespace, knobs: Dict[str, Knob]) -> LocalHub:
    config = None if args.config is None else _read_config(args.config)
    where = f"config file {args.config}: " if args.config else ""
    try:
        hub = LocalHub(
            args.host,
            args.port,
            args.data_dir,
            config,
            default_user=args.user,
            admin_token=args.admin_token,
        )
        hub.configure(**knobs)  # before start: given for this run, over stored values
        return hub.start()
    except HubError as error:  # the config or --user names something the Hub refuses
        raise _Refused(where + error.message) from None
    except ValueError as error:  # a data dir from a newer version, a bad knob
        raise _Refused(str(error)) from None
    except OSError as error:  # the address cannot be bound
        raise _Refused(str(error), 1) from None


def _configure_logging(args: argparse.Namespace) -> None:
    level = args.log_level or ("info" if args.verbose else None)
    if level is not None:
        logging.basicConfig(
            stream=sys.stderr, level=level.upper(), format="%(asctime)s %(name)s %(message)s"
        )


def _serve_until_stopped(hub: LocalHub, announce: Callable[[], None]) -> None:
    """Announce the hub, then serve until Ctrl-C or SIGTERM, and stop it cleanly.

    The SIGTERM handler is in place before the announcement: whoever reads the banner
    and stops the hub at once must get a clean stop, not the default fatal signal.
    """
    stop = threading.Event()

    def on_sigterm(signum: int, frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        announce()
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        hub.stop()


def main(argv: Optional[List[str]] = None) -> int:
    """Run a local Hub in the foreground until Ctrl-C or SIGTERM.

    Args:
        argv: command-line arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit status: 0 after a clean stop, 2 for bad input, 1 when the
        address cannot be bound.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    knobs = _knobs(parser, args.set)
    _configure_logging(args)
    try:
        hub = _start(args, knobs)
    except _Refused as refusal:
        print(f"hfapi-hub: {refusal}", file=sys.stderr)
        return refusal.status
    data_dir = args.data_dir or f"{hub.backend.storage.root} (temporary, deleted on exit)"

    def announce() -> None:
        print(f"Local Hub running at {hub.url}")
        print(f"  user:        {hub.default_user}")
        print(f"  token:       {hub.token}")
        print(f"  admin token: {hub.admin_token}")
        print(f"  data dir:    {data_dir}")
        print("Press Ctrl-C to stop.", flush=True)

    _serve_until_stopped(hub, announce)
    return 0


if __name__ == "__main__":
    sys.exit(main())
