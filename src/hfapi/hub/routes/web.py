"""The Hub's web pages: repo, tree, blob, history, commit, discussions, accounts, home.

These are ``GET`` pages for browsers. A request that does not accept HTML (say,
``Accept: application/json``) gets the usual JSON 404, as before pages existed. A
browser sends no ``Authorization``: private repos show as missing unless the
``hub_token`` cookie, set by the ``/_hub/login`` form, names a token that may see them.
Failures are HTML pages for browsers (``Accept: text/html``), where a repo the caller may
not see is a 404 page, and the API's JSON refusals for everyone else.
"""

from __future__ import annotations

import re
from http.cookies import CookieError, SimpleCookie
from typing import Callable, List, Optional, Tuple
from urllib.parse import parse_qs

from ..backend import Backend, Caller
from ..backend.discussions import PAGE_SIZE
from ..errors import HubError, not_found
from ..limits import parse_int
from ..web import pages
from ..web.data import WebData
from ..web.html import SECURITY_HEADERS
from ..wire import Request, Response
from ._common import revision

#: The cookie holding a browser's token; ``HttpOnly`` and ``SameSite=Strict``.
COOKIE = "hub_token"
#: Characters a token may hold to travel in the cookie unquoted.
_TOKEN = re.compile(r"[A-Za-z0-9_.~-]{1,256}")
_LOGIN_BODY_LIMIT = 4096


def accepts_html(req: Request) -> bool:
    """Whether the request takes an HTML answer (no ``Accept``, ``*/*``, ``text/*``...)."""
    accept = (req.headers.get("accept") or "*/*").lower()
    return any(kind in accept for kind in ("text/html", "*/*", "text/*"))


def wants_html(req: Request) -> bool:
    """Whether the request asks for HTML by name, as browsers do."""
    return "text/html" in (req.headers.get("accept") or "").lower()


def html_response(
    status: int, document: str, headers: Optional[List[Tuple[str, str]]] = None
) -> Response:
    """An HTML page with the security headers (no script may run) and no caching."""
    pairs = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        *SECURITY_HEADERS,
        *(headers or []),
    ]
    return Response(status, pairs, document.encode("utf-8"))


class PageError(HubError):
    """A refusal answered as an HTML page, with the same status and error headers.

    Args:
        error: the refusal; an anonymous caller's 401 ``RepoNotFound`` becomes a 404,
            as a private repo shows as missing.
    """

    def __init__(self, error: HubError) -> None:
        hidden = error.code == "RepoNotFound"
        status = 404 if hidden else error.status
        message = "Repository not found" if hidden else error.message
        super().__init__(status, message, error.code)
        self.document = pages.error_page(status, message)


def cookie_caller(hub: Backend, req: Request) -> Optional[Caller]:
    """Who the ``hub_token`` cookie names (``None``: no cookie or an unknown token)."""
    raw = req.headers.get("cookie")
    if not raw:
        return None
    try:
        morsel = SimpleCookie(raw).get(COOKIE)
    except CookieError:
        return None
    if morsel is None or not _TOKEN.fullmatch(morsel.value):
        return None
    return hub.identity.authenticate_or_none(morsel.value)


Render = Callable[[WebData, Request], str]


def _page(render: Render) -> Callable[[Backend, Request], Response]:
    # The shared steps of every page: negotiation, the cookie's caller, HTML errors.
    def handler(hub: Backend, req: Request) -> Response:
        if not accepts_html(req):
            raise not_found(f"No route for {req.method} {req.raw_path}")
        caller = req.caller or cookie_caller(hub, req)
        try:
            return html_response(200, render(WebData(hub, caller), req))
        except HubError as error:
            # Browsers get a page; other clients the API's JSON refusal, as before pages.
            raise (PageError(error) if wants_html(req) else error) from None

    # Fault plans and logs name handlers "web.repo_page", as for the other routes.
    handler.__name__ = handler.__qualname__ = render.__name__.lstrip("_")
    handler.__doc__ = render.__doc__
    return handler


def _index(req: Request, name: str) -> int:
    value = req.arg(name)
    return 0 if not value else parse_int(value, f"Query parameter {name!r}")


def _repo_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}``: the repo page."""
    repo = data.repo(req.params["type"], req.params["repo"])
    return pages.repo_page(data.repo_view(repo))


def _tree_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/tree/{rev}[/{path}]``: a folder, 1000 entries a page."""
    repo = data.repo(req.params["type"], req.params["repo"])
    view = data.tree_view(repo, revision(req), req.params.get("path", ""), _index(req, "cursor"))
    return pages.tree_page(view)


def _blob_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/blob/{rev}/{path}``: a file."""
    repo = data.repo(req.params["type"], req.params["repo"])
    return pages.blob_page(data.blob_view(repo, revision(req), req.params["path"]))


def _history_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/commits/{rev}[?p=N]``: the history of a revision."""
    repo = data.repo(req.params["type"], req.params["repo"])
    return pages.history_page(data.history_view(repo, revision(req), _index(req, "p")))


def _commit_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/commit/{oid}``: one commit with its diff."""
    repo = data.repo(req.params["type"], req.params["repo"])
    return pages.commit_page(data.commit_view(repo, req.params["oid"]))


def _discussions_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/discussions[?p=N]``: the repo's threads."""
    repo = data.repo(req.params["type"], req.params["repo"])
    index = _index(req, "p")
    return pages.discussions_page(repo, data.discussions(repo, index), index, PAGE_SIZE)


def _thread_page(data: WebData, req: Request) -> str:
    """``/{prefix}{repo}/discussions/{num}``: one discussion or pull request."""
    repo = data.repo(req.params["type"], req.params["repo"])
    num = req.params["num"]
    if not num.isdigit() or len(num) > 9:
        raise not_found(f"Discussion {num!r} not found")
    return pages.thread_page(data.thread_view(repo, int(num)))


def _account_page(data: WebData, req: Request) -> str:
    """``/{user}`` or ``/{org}``: the account's repos the caller may see."""
    name = req.params["account"]
    kind, repos = data.account_repos(name)
    title = f"{name} ({'organization' if kind == 'org' else 'user'})"
    return pages.repo_list(title, repos, data.likes_of(repos))


def _home_page(data: WebData, req: Request) -> str:
    """``/``: every public repo."""
    repos = data.public_repos()
    intro = "<p>The public repos of this local Hub, newest first.</p>"
    return pages.repo_list("Local Hub", repos, data.likes_of(repos), intro)


repo_page = _page(_repo_page)
tree_page = _page(_tree_page)
blob_page = _page(_blob_page)
history_page = _page(_history_page)
commit_page = _page(_commit_page)
discussions_page = _page(_discussions_page)
thread_page = _page(_thread_page)
account_page = _page(_account_page)
home_page = _page(_home_page)


def login_form(hub: Backend, req: Request) -> Response:
    """``GET /_hub/login``: the form that sets the token cookie."""
    return html_response(200, pages.login_page())


def login(hub: Backend, req: Request) -> Response:
    """``POST /_hub/login`` (form ``token=...``): set the cookie, back to the home page.

    An unknown token is refused with the form again (401); the token never appears in
    a URL or in the answer.
    """
    form = parse_qs(req.read(_LOGIN_BODY_LIMIT).decode("utf-8", "replace"))
    token = (form.get("token") or [""])[0].strip()
    if not _TOKEN.fullmatch(token) or hub.identity.authenticate_or_none(token) is None:
        return html_response(401, pages.login_page("Unknown token."))
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    return html_response(
        303, pages.login_page("Logged in."), [("Set-Cookie", cookie), ("Location", "/")]
    )


def logout(hub: Backend, req: Request) -> Response:
    """``POST /_hub/logout``: forget the cookie."""
    cookie = f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
    return html_response(
        303, pages.login_page("Logged out."), [("Set-Cookie", cookie), ("Location", "/")]
    )


def html_not_found(req: Request, error: HubError) -> HubError:
    """The refusal of an unknown path: a page when the request asks for HTML."""
    if error.status == 404 and req.method in ("GET", "HEAD") and wants_html(req):
        return PageError(error)
    return error
