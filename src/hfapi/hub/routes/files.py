"""File listings (tree, paths-info) and downloads (resolve)."""

from __future__ import annotations

import mimetypes
import re
from typing import Any, Callable, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs

from ..backend import Backend
from ..backend.repos import Repo
from ..backend.search import counts_as_download
from ..backend.timefmt import format_epoch
from ..errors import HubError, bad_request, entry_not_found
from ..limits import parse_int
from ..wire import Request, Response, json_response, paginate
from ._common import bool_in, file_entry, folder_entry, revision, visible_repo, web_url

Listed = Tuple[str, str, str]  # (path, "file" | "directory", oid)


def _entries(
    hub: Backend, repo: Repo, commit: str, listed: List[Listed], expand: bool
) -> List[Any]:
    infos = hub.git.blob_infos(oid for _, kind, oid in listed if kind == "file")
    last = hub.git.last_commits(commit, [path for path, _, _ in listed]) if expand else {}
    entries = []
    for path, kind, oid in listed:
        entry = file_entry(path, infos[oid]) if kind == "file" else folder_entry(path, oid)
        if path in last:
            last_id, last_commit = last[path]
            entry["lastCommit"] = {
                "id": last_id,
                "title": last_commit.title,
                "date": format_epoch(last_commit.timestamp),
            }
        if expand and kind == "file":
            entry["security"] = {
                "safe": True,
                "avScan": {"virusFound": False, "virusNames": None},
                "pickleImportScan": None,
                "blobId": oid,
                "name": path,
                "repositoryId": f"{repo.type}s/{repo.repo_id}",
            }
        entries.append(entry)
    return entries


def tree(hub: Backend, req: Request) -> Response:
    """``GET /api/{type}s/{repo}/tree/{rev}[/{folder}]`` with ``recursive`` and ``expand``.

    Entries are sorted by path; folders are listed too. Pages hold ``tree_page_size``
    entries (``tree_expand_page_size`` with ``expand``).
    """
    repo = visible_repo(hub, req)
    commit = hub.repos.resolve(repo, revision(req)).commit
    snapshot = hub.git.snapshot(commit)
    folder = req.params.get("path", "").strip("/")
    if folder and folder not in snapshot.dirs:
        raise entry_not_found(f"Folder {folder!r} not found at this revision")
    prefix = f"{folder}/" if folder else ""
    recursive = req.flag("recursive")
    listed: List[Listed] = []
    for kind, mapping in (("directory", snapshot.dirs), ("file", snapshot.files)):
        for path, oid in mapping.items():
            if path.startswith(prefix) and (recursive or "/" not in path[len(prefix) :]):
                listed.append((path, kind, oid))
    listed.sort()
    expand = req.flag("expand")
    size = hub.settings.tree_expand_page_size if expand else hub.settings.tree_page_size
    return paginate(
        req, listed, size, "cursor", lambda page: _entries(hub, repo, commit, page, expand)
    )


def _paths_request(req: Request) -> Tuple[List[str], bool]:
    content_type = (req.headers.get("content-type") or "").lower()
    if "json" in content_type:
        body = req.json_object()
        paths, expand = body.get("paths", []), bool(bool_in(body, "expand"))
        if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
            raise bad_request("'paths' must be a list of strings")
        return paths, expand
    form = parse_qs(req.read().decode("utf-8", "replace"), keep_blank_values=True)
    expand = form.get("expand", ["False"])[0].lower() in ("1", "true", "yes", "on")
    return form.get("paths", []), expand


def paths_info(hub: Backend, req: Request) -> Response:
    """``POST /api/{type}s/{repo}/paths-info/{rev}``: entries for the existing paths.

    The body is form-encoded (``paths=a&paths=b&expand=True``) or JSON. Unknown paths
    are left out; an empty path is a 400.
    """
    repo = visible_repo(hub, req)
    commit = hub.repos.resolve(repo, revision(req)).commit
    snapshot = hub.git.snapshot(commit)
    paths, expand = _paths_request(req)
    listed: List[Listed] = []
    for raw in paths:
        if raw == "":
            raise bad_request("Empty path in 'paths'")
        path = raw.strip("/")
        if path in snapshot.files:
            listed.append((path, "file", snapshot.files[path]))
        elif path in snapshot.dirs:
            listed.append((path, "directory", snapshot.dirs[path]))
    return json_response(_entries(hub, repo, commit, listed, expand))


def _byte_range(header: Optional[str], size: int) -> Optional[Tuple[int, int]]:
    # One range only ("bytes=a-b", "bytes=a-", "bytes=-n"); anything else means whole file.
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header or "")
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:
        length = min(parse_int(match[2], "Range suffix length"), size)
        return size - length, size - 1
    start = parse_int(match[1], "Range start")
    end = min(parse_int(match[2], "Range end"), size - 1) if match[2] else size - 1
    if start >= size or end < start:
        raise HubError(416, f"Requested range not satisfiable (file size {size})")
    return start, end


def ranged_response(
    req: Request,
    size: int,
    headers: List[Tuple[str, str]],
    read: Callable[[int, int], Iterator[bytes]],
) -> Response:
    """The whole content (200), or the one range the ``Range`` header asks for (206).

    Args:
        size: the content's length.
        headers: headers to send besides ``Accept-Ranges``, ``Content-Range`` and
            ``Content-Length``.
        read: ``read(start, length)`` yields those bytes of the content.

    Raises:
        HubError: 416 for a range starting past the end.
    """
    headers = [*headers, ("Accept-Ranges", "bytes")]
    wanted = _byte_range(req.headers.get("range"), size)
    status, start, length = 200, 0, size
    if wanted is not None:
        status, start, length = 206, wanted[0], wanted[1] - wanted[0] + 1
        headers.append(("Content-Range", f"bytes {wanted[0]}-{wanted[1]}/{size}"))
    headers.append(("Content-Length", str(length)))
    return Response(status, headers, read(start, length))


def _from_the_start(req: Request) -> bool:
    # As the Hub counts: a download is a GET of the file's start (resumed ranges are not).
    wanted = (req.headers.get("range") or "").replace(" ", "").lower()
    return not wanted or wanted.startswith("bytes=0-")


def resolve(hub: Backend, req: Request) -> Response:
    """``GET``/``HEAD /{prefix}{repo}/resolve/{rev}/{path}``: the file, as the Hub serves it.

    A regular file is answered here: ``ETag`` is its git blob id, and a single
    ``Range`` is honoured with 206. An LFS file is a 302 to a pre-signed download URL
    (see :func:`hfapi.hub.routes.lfs.download`), carrying what clients read from the
    redirect itself: ``ETag`` and ``X-Linked-Etag`` (the quoted sha256) and
    ``X-Linked-Size``. Both carry ``X-Repo-Commit``.
    """
    repo = visible_repo(hub, req)
    _check_gate(hub, req, repo)
    commit = hub.repos.resolve(repo, revision(req)).commit
    path = req.params["path"]
    oid = hub.git.snapshot(commit).files.get(path)
    if oid is None:
        raise entry_not_found(f"Entry {path!r} not found at this revision")
    info = hub.git.blob_infos([oid])[oid]
    size = hub.file_size(info)
    if req.method == "GET" and counts_as_download(repo.type, path) and _from_the_start(req):
        hub.search.count_download(repo)
    headers = [("X-Repo-Commit", commit)]
    if info.lfs_oid is not None:
        etag = f'"{info.lfs_oid}"'
        ticket = hub.lfs.download_ticket(info.lfs_oid, size)
        headers += [
            ("ETag", etag),
            ("X-Linked-Etag", etag),
            ("X-Linked-Size", str(size)),
            ("Location", req.url(f"/_hub/lfs/download/{ticket}")),
            ("Content-Length", "0"),
        ]
        return Response(302, headers)
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    headers += [("ETag", f'"{oid}"'), ("Content-Type", content_type)]
    return ranged_response(
        req, size, headers, lambda start, length: hub.read_file(info, start, length)
    )


def _check_gate(hub: Backend, req: Request, repo: Repo) -> None:
    # The Hub's refusal for a gated repo, with the web page where access is requested.
    if not hub.repos.may_download(req.caller, repo):
        raise HubError(
            403,
            f"Access to {repo.type} {repo.repo_id} is restricted and you are not in the"
            f" authorized list. Visit {web_url(req, repo)} to ask for access.",
            code="GatedRepo",
        )
