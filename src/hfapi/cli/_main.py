"""The ``hfapi`` entry point: the parser, the dispatch, and how failures are reported."""

from __future__ import annotations

import argparse
import sys
import traceback
from typing import List, Optional, Sequence

from .. import constants
from . import _account, _repos
from ._common import UsageError, common_options

#: Exit statuses: an operation that failed, and a command line that makes no sense.
FAILURE = 1
USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: one sub-parser per verb, each with ``--help``."""
    parser = argparse.ArgumentParser(
        prog="hfapi",
        description="Work with the Hugging Face Hub (or a local Hub) from the shell.",
        epilog="Run 'hfapi VERB --help' for a verb's options. Exit status: 0 success,"
        " 1 the operation failed, 2 bad command line.",
    )
    parser.add_argument("--version", action="version", version=f"hfapi {constants.__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    common = common_options()
    _account.add_parsers(verbs, common)
    _repos.add_parsers(verbs, common)
    # Listed for --help; 'hfapi hub ...' is handed to the local Hub's own parser.
    verbs.add_parser("hub", help="run a local Hub (see 'hfapi hub --help')", add_help=False)
    return parser


def _report(error: BaseException, debug: bool) -> None:
    """One line on stderr: the class and the message (newlines folded); or the traceback."""
    if debug:
        traceback.print_exception(type(error), error, error.__traceback__)
    message = " ".join(str(error).split())
    name = type(error).__name__
    print(
        f"hfapi: error: {name}: {message}" if message else f"hfapi: error: {name}", file=sys.stderr
    )


def _run_hub(argv: List[str]) -> int:
    from ..hub.__main__ import main as hub_main  # the local Hub loads only for this verb

    try:
        return hub_main(argv)
    except SystemExit as leaving:  # its parser's --help (0) or a bad argument (2)
        return leaving.code if isinstance(leaving.code, int) else USAGE


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run one ``hfapi`` command.

    Args:
        argv: the arguments after the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0 on success, 1 when the operation failed, 2 for a bad
        command line.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["hub"]:
        return _run_hub(words[1:])
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except SystemExit as leaving:  # --help / --version (0) or a bad command line (2)
        return leaving.code if isinstance(leaving.code, int) else USAGE
    if args.verb is None:
        parser.print_help(sys.stderr)
        return USAGE
    if args.debug:
        from .. import logging as hf_logging

        hf_logging.set_verbosity_debug()
    try:
        status: int = args.run(args)
    except UsageError as error:
        print(f"hfapi {args.verb}: error: {error}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        print("hfapi: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        _report(error, args.debug)
        return FAILURE
    return status
