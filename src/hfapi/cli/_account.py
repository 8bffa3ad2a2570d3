"""``login``, ``logout``, ``whoami`` and ``env``: who the command line acts as."""

from __future__ import annotations

import argparse
import getpass
import importlib.metadata
import os
import platform
import sys
from typing import Any, List

from .. import constants
from .._login import login_with, logout
from ..auth import HfFolder
from ._common import client


def add_parsers(verbs: Any, common: argparse.ArgumentParser) -> None:
    """Register the account verbs on ``verbs`` (the top-level sub-parsers)."""
    login = verbs.add_parser(
        "login",
        parents=[common],
        help="check a token and store it on this machine",
        description="Check a token against the Hub and store it for later calls.",
    )
    login.add_argument(
        "--write-permission", action="store_true", help="refuse a token that cannot write"
    )
    login.set_defaults(run=_login)
    verbs.add_parser(
        "logout",
        parents=[common],
        help="forget the stored token",
        description="Delete the token stored on this machine.",
    ).set_defaults(run=_logout)
    verbs.add_parser(
        "whoami",
        parents=[common],
        help="show the account the token belongs to",
        description="Show the user name and organisations of the token in use.",
    ).set_defaults(run=_whoami)
    verbs.add_parser(
        "env",
        parents=[common],
        help="show versions, endpoint and where the token comes from",
        description="Show versions, the endpoint and the token's source (never the token).",
    ).set_defaults(run=_env)


def _login(args: argparse.Namespace) -> int:
    token = args.token
    if token is None:
        token = getpass.getpass("Token: ") if sys.stdin.isatty() else sys.stdin.readline()
    login_with(client(args), token, write_permission=args.write_permission)
    return 0


def _logout(args: argparse.Namespace) -> int:
    logout()
    return 0


def _whoami(args: argparse.Namespace) -> int:
    info = client(args).whoami()
    print(info["name"])
    orgs = [org.get("name", "?") for org in info.get("orgs") or []]
    if orgs:
        print(f"orgs: {','.join(orgs)}")
    return 0


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _token_source(args: argparse.Namespace) -> str:
    # Where the token would come from, in the order calls resolve it; never its value.
    if args.token:
        return "--token option"
    if os.environ.get(constants.TOKEN_ENV_VAR):
        return f"environment variable {constants.TOKEN_ENV_VAR}"
    if os.path.isfile(HfFolder.path_token):
        return f"token file {HfFolder.path_token}"
    return "none (not logged in)"


def _env(args: argparse.Namespace) -> int:
    lines: List[str] = [
        f"hfapi version: {constants.__version__}",
        f"Python: {platform.python_version()} ({sys.executable})",
        f"Platform: {platform.platform()}",
    ]
    lines += [
        f"{name}: {_version(name)}" for name in ("requests", "tqdm", "filelock", "huggingface_hub")
    ]
    lines += [
        f"Endpoint: {args.endpoint or constants.ENDPOINT}",
        f"Token: {_token_source(args)}",
        f"Cache: {constants.HF_HUB_CACHE}",
        f"HF_HOME: {constants.HF_HOME}",
    ]
    print("\n".join(lines))
    return 0
