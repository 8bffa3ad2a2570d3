"""Helpers shared by the route modules."""

from __future__ import annotations

import re
from typing import Any, Dict, Optional
from urllib.parse import unquote

from ..backend import Backend
from ..backend.gitstore import BlobInfo
from ..backend.repos import Repo
from ..errors import bad_request
from ..wire import Request

_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")


def visible_repo(hub: Backend, req: Request) -> Repo:
    """The repo named in the path, if the caller may see it (else 401/404)."""
    return hub.repos.visible(req.caller, req.params["type"], req.params["repo"])


def revision(req: Request, name: str = "rev") -> str:
    """The revision path parameter, decoded once by the router.

    A revision still holding ``%XX`` after that was encoded twice (the reference client
    does this for copies on ``refs/pr/N``), so it is decoded a second time.
    """
    value = req.params[name]
    return unquote(value) if _ENCODED.search(value) else value


def web_url(req: Request, repo: Repo) -> str:
    """The repo's web URL as the client knows the hub (``{endpoint}/[datasets/]ns/name``)."""
    return f"{req.base_url}/{repo.web_path}"


def file_entry(path: str, info: BlobInfo) -> Dict[str, Any]:
    """A tree / paths-info entry for a file."""
    entry: Dict[str, Any] = {"type": "file", "oid": info.oid, "size": info.size, "path": path}
    if info.lfs_oid is not None:
        entry["lfs"] = {"oid": info.lfs_oid, "size": info.lfs_size, "pointerSize": info.blob_size}
    return entry


def folder_entry(path: str, oid: str) -> Dict[str, Any]:
    """A tree / paths-info entry for a folder."""
    return {"type": "directory", "oid": oid, "size": 0, "path": path}


def bool_in(body: Dict[str, Any], name: str) -> Optional[bool]:
    """A boolean field of a JSON body: ``true``/``false``, or ``None`` when absent or null.

    Anything else (``"yes please"``, ``1``, ``"false"``) is refused rather than guessed:
    reading a setting such as ``private`` loosely could make a private repo public.

    Raises:
        HubError: 400 when the field is not a JSON boolean.
    """
    value = body.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise bad_request(f"'{name}' must be a JSON boolean (true or false)")
