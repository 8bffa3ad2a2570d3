"""``repo create|delete|move``, ``upload`` and ``download``: what the command line does to repos."""

from __future__ import annotations

import argparse
import os
from typing import Any, List, Optional

from ._common import UsageError, add_repo_type, client


def add_parsers(verbs: Any, common: argparse.ArgumentParser) -> None:
    """Register ``repo``, ``upload`` and ``download`` on ``verbs``."""
    _add_repo(verbs, common)
    _add_upload(verbs, common)
    _add_download(verbs, common)


def _add_repo(verbs: Any, common: argparse.ArgumentParser) -> None:
    repo = verbs.add_parser(
        "repo", help="create, delete or move a repo", description="Manage repos."
    )
    actions = repo.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create", parents=[common], help="create a repo", description="Create a repo."
    )
    create.add_argument("name", help="repo name, or namespace/name")
    add_repo_type(create)
    create.add_argument("--organization", help="create it under this organisation")
    create.add_argument("--private", action="store_true", help="make it private")
    create.add_argument("--exist-ok", action="store_true", help="succeed if it exists")
    create.add_argument("--space-sdk", help="Space SDK (gradio, streamlit, docker, static)")
    create.set_defaults(run=_create)
    delete = actions.add_parser(
        "delete", parents=[common], help="delete a repo", description="Delete a repo."
    )
    delete.add_argument("repo_id", help="namespace/name")
    add_repo_type(delete)
    delete.set_defaults(run=_delete)
    move = actions.add_parser(
        "move",
        parents=[common],
        help="rename a repo or move it to another namespace",
        description="Rename a repo or move it to another namespace.",
    )
    move.add_argument("from_id", help="current namespace/name")
    move.add_argument("to_id", help="new namespace/name")
    add_repo_type(move)
    move.set_defaults(run=_move)


def _add_upload(verbs: Any, common: argparse.ArgumentParser) -> None:
    upload = verbs.add_parser(
        "upload",
        parents=[common],
        help="upload a file or a folder in one commit",
        description="Upload a local file or folder to an existing repo in one commit.",
    )
    upload.add_argument("repo_id", help="namespace/name")
    upload.add_argument("local_path", help="file or folder to upload")
    upload.add_argument(
        "path_in_repo",
        nargs="?",
        help="destination (default: the file's name, or the repo's root for a folder)",
    )
    add_repo_type(upload)
    upload.add_argument("--revision", help="branch to commit to (default: main)")
    upload.add_argument("--create-pr", action="store_true", help="open a pull request instead")
    upload.add_argument("--commit-message", help="the commit's summary")
    upload.add_argument("--commit-description", help="the commit's description")
    for flag, what in (
        ("--include", "upload only matching files"),
        ("--exclude", "skip matching files"),
        ("--delete", "delete matching remote files in the same commit"),
    ):
        upload.add_argument(flag, nargs="+", metavar="PATTERN", help=f"folders: {what}")
    upload.set_defaults(run=_upload)


def _add_download(verbs: Any, common: argparse.ArgumentParser) -> None:
    download = verbs.add_parser(
        "download",
        parents=[common],
        help="download files (one file, some, or the whole repo) to the cache",
        description="Download one file (prints its path) or several / all files of a"
        " revision (prints the folder).",
    )
    download.add_argument("repo_id", help="namespace/name")
    download.add_argument("filenames", nargs="*", help="files to download (default: all)")
    add_repo_type(download)
    download.add_argument("--revision", help="branch, tag or commit (default: main)")
    download.add_argument("--include", nargs="+", metavar="PATTERN", help="only matching files")
    download.add_argument("--exclude", nargs="+", metavar="PATTERN", help="skip matching files")
    download.add_argument("--local-dir", help="put the files in this folder")
    download.add_argument("--cache-dir", help="cache folder (default: HF_HUB_CACHE)")
    download.add_argument("--force-download", action="store_true", help="ignore the cache")
    download.set_defaults(run=_download)


def _create(args: argparse.Namespace) -> int:
    repo_id = f"{args.organization}/{args.name}" if args.organization else args.name
    url = client(args).create_repo(
        repo_id,
        private=args.private,
        repo_type=args.repo_type,
        exist_ok=args.exist_ok,
        space_sdk=args.space_sdk,
    )
    print(url)
    return 0


def _delete(args: argparse.Namespace) -> int:
    client(args).delete_repo(args.repo_id, repo_type=args.repo_type)
    print(f"Deleted {args.repo_type} {args.repo_id}")
    return 0


def _move(args: argparse.Namespace) -> int:
    client(args).move_repo(args.from_id, args.to_id, repo_type=args.repo_type)
    print(f"Moved {args.repo_type} {args.from_id} to {args.to_id}")
    return 0


def _upload(args: argparse.Namespace) -> int:
    api = client(args)
    common = {
        "repo_id": args.repo_id,
        "repo_type": args.repo_type,
        "revision": args.revision,
        "create_pr": args.create_pr or None,
        "commit_message": args.commit_message,
        "commit_description": args.commit_description,
    }
    if os.path.isdir(args.local_path):
        url = api.upload_folder(
            folder_path=args.local_path,
            path_in_repo=args.path_in_repo,
            allow_patterns=args.include,
            ignore_patterns=args.exclude,
            delete_patterns=args.delete,
            **common,
        )
    elif os.path.isfile(args.local_path):
        if args.include or args.exclude or args.delete:
            raise UsageError("--include, --exclude and --delete apply to folder uploads only")
        url = api.upload_file(
            path_or_fileobj=args.local_path,
            path_in_repo=args.path_in_repo or os.path.basename(args.local_path),
            **common,
        )
    else:
        raise UsageError(f"{args.local_path}: no such file or folder")
    print(url)
    return 0


def _download(args: argparse.Namespace) -> int:
    api = client(args)
    where = {
        "repo_type": args.repo_type,
        "revision": args.revision,
        "cache_dir": args.cache_dir,
        "local_dir": args.local_dir,
        "force_download": args.force_download,
    }
    if len(args.filenames) == 1 and not (args.include or args.exclude):
        print(api.hf_hub_download(args.repo_id, args.filenames[0], **where))
        return 0
    allow: Optional[List[str]] = args.filenames or args.include
    if args.filenames and args.include:
        raise UsageError("give file names or --include, not both")
    folder = api.snapshot_download(
        args.repo_id, allow_patterns=allow, ignore_patterns=args.exclude, **where
    )
    print(folder)
    return 0
