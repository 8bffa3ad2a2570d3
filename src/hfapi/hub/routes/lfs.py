"""The LFS batch API, the pre-signed upload and download URLs, and verify."""

from __future__ import annotations

from typing import Any, Dict

from ..backend import Backend
from ..backend.lfs import MAX_PARTS, BatchItem
from ..limits import parse_int
from ..wire import Request, Response, json_response
from .files import ranged_response

LFS_JSON = "application/vnd.git-lfs+json"


def _render(req: Request, item: BatchItem, verify_href: str, ttl: int) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"oid": item.oid, "size": item.size}
    if item.error is not None:
        entry["error"] = {"code": item.error[0], "message": item.error[1]}
        return entry
    ticket = item.ticket
    if ticket is None:
        return entry  # already stored: no "actions" at all, as clients expect
    href = req.url(f"/_hub/lfs/upload/{ticket.token}")
    header: Dict[str, str] = {}
    if ticket.chunk_size:
        header["chunk_size"] = str(ticket.chunk_size)
        for number in range(1, ticket.part_count + 1):
            header[f"{number:05d}"] = f"{href}/{number}"
    upload: Dict[str, Any] = {"href": href, "expires_in": ttl}
    if header:
        upload["header"] = header
    entry["actions"] = {"upload": upload, "verify": {"href": verify_href}}
    return entry


def batch(hub: Backend, req: Request) -> Response:
    """``POST /{prefix}{repo}.git/info/lfs/objects/batch`` (Basic ``access_token:<token>``)."""
    repo = hub.lfs.batch_repo(req.caller, req.params["type"], req.params["repo"])
    assert req.caller is not None  # batch_repo refuses anonymous callers
    body = req.json_object()
    items = hub.lfs.batch(req.caller, repo, body.get("operation"), body.get("objects"))
    verify_href = req.url(f"/{repo.web_path}.git/info/lfs/objects/verify")
    ttl = hub.settings.upload_url_ttl
    objects = [_render(req, item, verify_href, ttl) for item in items]
    return json_response({"transfer": "basic", "objects": objects}, content_type=LFS_JSON)


def upload(hub: Backend, req: Request) -> Response:
    """``PUT`` on an upload URL: the whole object (no ``Authorization`` needed)."""
    ticket = hub.lfs.check_ticket(req.params["ticket"])
    hub.lfs.receive_whole(ticket, req.body)
    return json_response({})


def upload_part(hub: Backend, req: Request) -> Response:
    """``PUT`` on a part URL: one part of a multipart upload; answers its ``ETag``."""
    ticket = hub.lfs.check_ticket(req.params["ticket"])
    etag = hub.lfs.receive_part(
        ticket, parse_int(req.params["part"], "Part number", MAX_PARTS), req.body
    )
    return json_response({}, headers={"ETag": etag})


def complete(hub: Backend, req: Request) -> Response:
    """``POST`` on the upload URL of a multipart upload: assemble the parts."""
    ticket = hub.lfs.check_ticket(req.params["ticket"])
    hub.lfs.complete(ticket, req.json())
    return json_response({}, content_type=LFS_JSON)


def verify(hub: Backend, req: Request) -> Response:
    """``POST .../info/lfs/objects/verify`` (Basic ``USER:<token>``): 200 when stored."""
    repo = hub.lfs.batch_repo(req.caller, req.params["type"], req.params["repo"])
    assert req.caller is not None  # batch_repo refuses anonymous callers
    hub.lfs.verify(req.caller, repo, req.json())
    return json_response({}, content_type=LFS_JSON)


def download(hub: Backend, req: Request) -> Response:
    """``GET`` on a download URL (where ``resolve`` redirects LFS files; no ``Authorization``).

    Answers the object's bytes, or the one range asked for (206; 416 past the end), with
    ``ETag`` = the quoted sha256; 403 once expired.
    """
    ticket = hub.lfs.check_download(req.params["ticket"])
    headers = [("ETag", f'"{ticket.oid}"'), ("Content-Type", "application/octet-stream")]
    return ranged_response(
        req,
        ticket.size,
        headers,
        lambda start, length: hub.lfs.read_object(ticket.oid, start, length),
    )
