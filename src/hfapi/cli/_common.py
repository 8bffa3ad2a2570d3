"""What every verb shares: the common options and how a client is built from them."""

from __future__ import annotations

import argparse
from typing import Optional

from ..hf_api import HfApi

REPO_TYPES = ("model", "dataset", "space")


class UsageError(Exception):
    """A command line that parses but makes no sense (exit status 2)."""


def common_options() -> argparse.ArgumentParser:
    """The options every verb accepts, as a parent parser."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("common options")
    group.add_argument(
        "--token", help="token to use (default: HUGGING_FACE_HUB_TOKEN, then the stored one)"
    )
    group.add_argument("--endpoint", help="Hub URL (default: HF_ENDPOINT or huggingface.co)")
    group.add_argument(
        "--debug", action="store_true", help="show the traceback of an error and log requests"
    )
    return parent


def client(args: argparse.Namespace) -> HfApi:
    """The client the command line asked for (endpoint and token options applied)."""
    endpoint: Optional[str] = args.endpoint
    token: Optional[str] = args.token
    return HfApi(endpoint=endpoint, token=token)


def add_repo_type(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo-type",
        "--type",
        dest="repo_type",
        choices=REPO_TYPES,
        default="model",
        help="kind of repo (default: model)",
    )
