"""The route table of the local Hub: ``(method, path pattern) -> handler``.

Patterns are matched against the **raw** path, before any percent-decoding, because
revisions travel as one encoded segment (``refs%2Fpr%2F1``) and a decoded ``/`` would
be indistinguishable from a path separator. Each parameter is decoded once after the
match. Placeholders:

``{type}``    ``models``, ``datasets`` or ``spaces`` (given to handlers as ``model``...)
``{prefix}``  ``datasets/`` or ``spaces/`` of web-side URLs (none for models)
``{repo}``    a repo id of one or two segments (``gpt2``, ``alice/model``)
``{path}``    the rest of the path, slashes included
``{spaces}``  ``spaces`` only (Space endpoints; handlers see type ``space``)
``{web}``     nothing, but refuses paths under ``/api/`` and ``/_hub/`` (web pages)
``{name}``    any other name: one segment

How a path is read (see :func:`match`):

1. By its shape. A web-side path starting with ``datasets/`` or ``spaces/`` always
   names a repo of that type: ``/datasets/squad/resolve/main/x`` is the dataset
   ``squad``, never a model ``datasets/squad``.
2. When the shape still allows two readings - ``/api/models/gpt2/refs`` is the refs of
   the canonical ``gpt2`` or the info of ``gpt2/refs`` - the two-segment reading wins,
   unless the caller cannot see that repo and can see the one the other reading names.
   A repo the caller cannot see therefore never changes how the caller's path is read.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Callable, Dict, List, Optional, Tuple
from urllib.parse import unquote

from .backend import Backend
from .routes import (
    admin,
    commits,
    discussions,
    files,
    lfs,
    likes,
    refs,
    repos,
    search,
    spaces,
    users,
    web,
)
from .wire import Request, Response

Handler = Callable[[Backend, Request], Response]

_PLACEHOLDERS = {
    "type": r"(?P<type>models|datasets|spaces)",
    "spaces": r"(?P<type>spaces)",  # endpoints that exist for Spaces only
    # A leading "datasets/" or "spaces/" is always the type prefix, never a namespace.
    "prefix": r"(?:(?P<prefix>datasets|spaces)/|(?!(?:datasets|spaces)/))",
    "path": r"(?P<path>.+)",
    # Web pages never claim an API path, whatever the repo ids in it.
    "web": r"(?!(?:api|_hub)(?:/|$))",
}
_REPO_TWO_SEGMENTS = r"(?P<repo>[^/]+/[^/]+)"
_REPO_ONE_SEGMENT = r"(?P<repo>[^/]+)"


@dataclasses.dataclass(frozen=True)
class Route:
    """One entry of the table.

    Attributes:
        method: HTTP method (``GET`` routes also answer ``HEAD``).
        pattern: path pattern with placeholders (see the module docstring).
        handler: the function answering the request.
        serves: the ``HfApi`` methods (or other client functions) that call it.
        admin: only the admin token may call it.
        anonymous: no ``Authorization`` is read (pre-signed upload URLs).
        write: a change that needs a token; anonymous calls get 401 before any other
            check (the first step of the Hub's order of checks).
    """

    method: str
    pattern: str
    handler: Handler
    serves: Tuple[str, ...] = ()
    admin: bool = False
    anonymous: bool = False
    write: bool = False

    def regex(self, repo_segments: int) -> re.Pattern[str]:
        """The compiled pattern, with ``{repo}`` standing for that many segments."""
        repo = _REPO_TWO_SEGMENTS if repo_segments == 2 else _REPO_ONE_SEGMENT

        def replace(match: re.Match[str]) -> str:
            name = match[1]
            if name == "repo":
                return repo
            return _PLACEHOLDERS.get(name, f"(?P<{name}>[^/]+)")

        return re.compile("^" + re.sub(r"\{(\w+)\}", replace, self.pattern) + "$")


_INFO = ("model_info", "dataset_info", "space_info", "repo_info")
_UPLOAD = ("create_commit", "upload_file", "upload_folder")
_LFS = ("create_commit (LFS)", "upload_file (LFS)", "upload_folder (LFS)")
_MULTI = "create_commits_on_pr"
_THREAD = "/api/{type}/{repo}/discussions/{num}"
_SPACE = "/api/{spaces}/{repo}"
_BROWSER = ("browser (web page)",)

ROUTES: List[Route] = [
    Route(
        "GET",
        "/api/whoami-v2",
        users.whoami,
        ("whoami", "get_token_permission", "get_full_repo_name", "list_liked_repos"),
    ),
    Route("GET", "/api/users/{user}/likes", users.list_likes, ("list_liked_repos",)),
    Route("GET", "/api/models", search.models, ("list_models", "ModelSearchArguments")),
    Route("GET", "/api/datasets", search.datasets, ("list_datasets", "DatasetSearchArguments")),
    Route("GET", "/api/spaces", search.spaces, ("list_spaces",)),
    Route("GET", "/api/models-tags-by-type", search.model_tags, ("get_model_tags",)),
    Route("GET", "/api/datasets-tags-by-type", search.dataset_tags, ("get_dataset_tags",)),
    Route("GET", "/api/metrics", search.metrics, ("list_metrics",)),
    Route("POST", "/api/repos/create", repos.create, ("create_repo",), write=True),
    Route("DELETE", "/api/repos/delete", repos.delete, ("delete_repo",), write=True),
    Route("POST", "/api/repos/move", repos.move, ("move_repo",), write=True),
    Route(
        "PUT",
        "/api/{type}/{repo}/settings",
        repos.settings,
        ("update_repo_visibility",),
        write=True,
    ),
    Route("GET", "/api/{type}/{repo}/revision/{rev}", repos.info, _INFO),
    Route("GET", "/api/{type}/{repo}/refs", refs.listing, ("list_repo_refs",)),
    Route("GET", "/api/{type}/{repo}/commits/{rev}", refs.history, ("list_repo_commits",)),
    Route(
        "POST",
        "/api/{type}/{repo}/branch/{branch}",
        refs.create_branch,
        ("create_branch",),
        write=True,
    ),
    Route(
        "DELETE",
        "/api/{type}/{repo}/branch/{branch}",
        refs.delete_branch,
        ("delete_branch",),
        write=True,
    ),
    Route("POST", "/api/{type}/{repo}/tag/{rev}", refs.create_tag, ("create_tag",), write=True),
    Route("DELETE", "/api/{type}/{repo}/tag/{tag}", refs.delete_tag, ("delete_tag",), write=True),
    Route(
        "GET", "/api/{type}/{repo}/tree/{rev}", files.tree, ("list_repo_files", "list_files_info")
    ),
    Route("GET", "/api/{type}/{repo}/tree/{rev}/{path}", files.tree, ("list_files_info",)),
    Route(
        "POST",
        "/api/{type}/{repo}/paths-info/{rev}",
        files.paths_info,
        ("list_files_info", "create_commit (copies)"),
    ),
    Route("POST", "/api/{type}/{repo}/preupload/{rev}", commits.preupload, _UPLOAD),
    Route(
        "POST",
        "/api/{type}/{repo}/commit/{rev}",
        commits.commit,
        (*_UPLOAD, "delete_file", "delete_folder"),
        write=True,
    ),
    Route(
        "GET",
        "/api/{type}/{repo}/discussions",
        discussions.listing,
        ("get_repo_discussions", _MULTI),
    ),
    Route(
        "POST",
        "/api/{type}/{repo}/discussions",
        discussions.create,
        ("create_discussion", "create_pull_request", _MULTI),
    ),
    Route(
        "GET",
        _THREAD,
        discussions.details,
        ("get_discussion_details", "create_discussion", "create_pull_request", _MULTI),
    ),
    Route(
        "POST",
        f"{_THREAD}/comment",
        discussions.comment,
        ("comment_discussion", _MULTI),
    ),
    Route("POST", f"{_THREAD}/title", discussions.title, ("rename_discussion", _MULTI)),
    Route(
        "POST",
        f"{_THREAD}/status",
        discussions.status,
        ("change_discussion_status", _MULTI),
    ),
    Route(
        "POST", f"{_THREAD}/merge", discussions.merge, ("merge_pull_request", _MULTI), write=True
    ),
    Route(
        "POST",
        f"{_THREAD}/comment/{{comment}}/edit",
        discussions.edit_comment,
        ("edit_discussion_comment", _MULTI),
    ),
    Route(
        "POST",
        f"{_THREAD}/comment/{{comment}}/hide",
        discussions.hide_comment,
        ("hide_discussion_comment",),
    ),
    Route("GET", f"{_SPACE}/runtime", spaces.runtime, ("get_space_runtime",)),
    Route(
        "POST",
        f"{_SPACE}/hardware",
        spaces.hardware,
        ("request_space_hardware",),
        write=True,
    ),
    Route("POST", f"{_SPACE}/sleeptime", spaces.sleep_time, ("set_space_sleep_time",), write=True),
    Route("POST", f"{_SPACE}/pause", spaces.pause, ("pause_space",), write=True),
    Route("POST", f"{_SPACE}/restart", spaces.restart, ("restart_space",), write=True),
    Route("POST", f"{_SPACE}/secrets", spaces.add_secret, ("add_space_secret",), write=True),
    Route(
        "DELETE", f"{_SPACE}/secrets", spaces.delete_secret, ("delete_space_secret",), write=True
    ),
    Route("POST", f"{_SPACE}/duplicate", spaces.duplicate, ("duplicate_space",), write=True),
    Route("POST", "/api/{type}/{repo}/like", likes.like, ("like",), write=True),
    Route("DELETE", "/api/{type}/{repo}/like", likes.unlike, ("unlike",), write=True),
    Route("GET", "/api/{type}/{repo}", repos.info, _INFO),
    Route("POST", "/{prefix}{repo}.git/info/lfs/objects/batch", lfs.batch, _LFS),
    Route("POST", "/{prefix}{repo}.git/info/lfs/objects/verify", lfs.verify, _LFS),
    Route("PUT", "/_hub/lfs/upload/{ticket}", lfs.upload, _LFS, anonymous=True),
    Route("PUT", "/_hub/lfs/upload/{ticket}/{part}", lfs.upload_part, _LFS, anonymous=True),
    Route("POST", "/_hub/lfs/upload/{ticket}", lfs.complete, _LFS, anonymous=True),
    Route(
        "GET",
        "/_hub/lfs/download/{ticket}",
        lfs.download,
        ("hf_hub_download (LFS)",),
        anonymous=True,
    ),
    Route(
        "GET",
        "/{prefix}{repo}/resolve/{rev}/{path}",
        files.resolve,
        ("hf_hub_download", "hf_hub_url"),
    ),
    Route("GET", "/_hub/health", admin.health, anonymous=True),
    Route("POST", "/_hub/reset", admin.reset, admin=True),
    Route("POST", "/_hub/seed", admin.seed, admin=True),
    Route("GET", "/_hub/state", admin.state, admin=True),
    Route("GET", "/_hub/config", admin.get_config, admin=True),
    Route("PUT", "/_hub/config", admin.set_config, admin=True),
    Route("GET", "/_hub/faults", admin.get_faults, admin=True),
    Route("PUT", "/_hub/faults", admin.set_faults, admin=True),
    Route("POST", "/_hub/{type}/{repo}/access", admin.grant_access, admin=True),
    Route("POST", "/_hub/{spaces}/{repo}/stage", spaces.force_stage, admin=True),
    Route("PUT", "/_hub/{type}/{repo}/counters", admin.set_counters, admin=True),
    # Web pages (GET, HTML), after every API route: see routes/web.py.
    Route("GET", "/", web.home_page, _BROWSER),
    Route("GET", "/_hub/login", web.login_form, _BROWSER, anonymous=True),
    Route("POST", "/_hub/login", web.login, _BROWSER, anonymous=True),
    Route("POST", "/_hub/logout", web.logout, _BROWSER, anonymous=True),
    Route(
        "GET",
        "/{web}{prefix}{repo}",
        web.repo_page,
        ("RepoUrl (web page)", "create_repo (web page)"),
    ),
    Route("GET", "/{web}{prefix}{repo}/tree/{rev}", web.tree_page, ("upload_folder (web page)",)),
    Route("GET", "/{web}{prefix}{repo}/tree/{rev}/", web.tree_page, ("upload_folder (web page)",)),
    Route(
        "GET",
        "/{web}{prefix}{repo}/tree/{rev}/{path}",
        web.tree_page,
        ("upload_folder (web page)",),
    ),
    Route(
        "GET", "/{web}{prefix}{repo}/blob/{rev}/{path}", web.blob_page, ("upload_file (web page)",)
    ),
    Route("GET", "/{web}{prefix}{repo}/commits/{rev}", web.history_page, _BROWSER),
    Route(
        "GET",
        "/{web}{prefix}{repo}/commit/{oid}",
        web.commit_page,
        ("CommitInfo.commit_url (web page)",),
    ),
    Route("GET", "/{web}{prefix}{repo}/discussions", web.discussions_page, _BROWSER),
    Route(
        "GET",
        "/{web}{prefix}{repo}/discussions/{num}",
        web.thread_page,
        ("CommitInfo.pr_url (web page)", "Discussion.url (web page)"),
    ),
    Route("GET", "/{web}{account}", web.account_page, _BROWSER),
]

# Every route is tried with two-segment repo ids first, then with one-segment ids.
_COMPILED = [(route, route.regex(2)) for route in ROUTES] + [
    (route, route.regex(1)) for route in ROUTES if "{repo}" in route.pattern
]

Match = Tuple[Route, Dict[str, str]]


def _decode(value: str) -> str:
    return unquote(value, errors="strict")


def _params(found: re.Match[str]) -> Dict[str, str]:
    params = {k: _decode(v) for k, v in found.groupdict().items() if v is not None}
    if "type" in params:
        params["type"] = params["type"][:-1]
    else:
        prefix = params.get("prefix", "")
        params["type"] = {"datasets": "dataset", "spaces": "space"}.get(prefix, "model")
    return params


def match(
    method: str,
    raw_path: str,
    repo_visible: Callable[[str, str], bool] = lambda repo_type, repo_id: False,
) -> Tuple[Optional[Match], bool]:
    """Find the route for a request.

    Some paths read two ways: ``/api/models/alice/refs`` is the info of repo
    ``alice/refs`` or the refs of the canonical repo ``alice``. Every reading is
    collected, two-segment repo ids first; the first one naming a repo the caller can
    see wins, and without any, the first reading does (its handler then answers
    ``RepoNotFound``, as the other would).

    Args:
        method: HTTP method (``HEAD`` uses the ``GET`` routes).
        raw_path: the undecoded path, without query.
        repo_visible: tells whether ``(type, repo_id)`` exists *and the caller may see
            it*; only asked when a path reads two ways.

    Returns:
        ``((route, decoded parameters) or None, path_known)``; ``path_known`` tells
        whether another method would have matched (405 rather than 404).

    Raises:
        UnicodeDecodeError: a parameter is not valid percent-encoded UTF-8.
    """
    wanted = "GET" if method == "HEAD" else method
    path_known = False
    candidates: List[Match] = []
    for route, regex in _COMPILED:
        found = regex.match(raw_path)
        if found is None:
            continue
        if route.method != wanted:
            path_known = True
            continue
        candidates.append((route, _params(found)))
    if len(candidates) > 1:
        for route, params in candidates:
            if "repo" in params and repo_visible(params["type"], params["repo"]):
                return (route, params), path_known
    return (candidates[0] if candidates else None), path_known


def repo_span(route: Route, raw_path: str, repo_id: str) -> Optional[Tuple[int, int]]:
    """Where the repo id ``repo_id`` (decoded, as in the route's parameters) sits in a path.

    Returns:
        ``(start, end)`` of the undecoded repo segment(s), or ``None`` when the route does
        not read ``raw_path`` with that repo id.
    """
    for segments in (2, 1):
        found = route.regex(segments).match(raw_path)
        if found is not None and _decode(found["repo"]) == repo_id:
            return found.span("repo")
    return None
