"""What every ``HfApi`` mixin shares: endpoint, token, the HTTP session, URL builders.

Mixins hold no state of their own; everything they need is here, typed, so mypy
checks every call they make.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Optional, TypeVar, Union

import requests

from .. import constants
from .._session import (
    USE_CLIENT_DEFAULT,
    BearerAuth,
    HubSession,
    Timeout,
    TimeoutArg,
    build_user_agent,
)
from .._validators import quote, validate_repo_type
from ..auth import TokenArg, check_token_type, require_write_token, resolve_token

if TYPE_CHECKING:  # concurrent.futures is imported by the first run_as_future (issue 14)
    from concurrent.futures import Future, ThreadPoolExecutor

R = TypeVar("R")

_INVALID_TOKEN = (
    "Invalid user token. If you didn't pass a user token, make sure you are properly logged"
    " in by executing `hfapi login` (or `huggingface-cli login`), and if you did pass a user"
    " token, double-check it's correct."
)


class _ApiBase:
    """State and plumbing of an ``HfApi`` client (see :class:`hfapi.HfApi`)."""

    def __init__(
        self,
        endpoint: Optional[str] = None,
        token: Optional[str] = None,
        library_name: Optional[str] = None,
        library_version: Optional[str] = None,
        user_agent: Union[Dict[str, str], str, None] = None,
    ) -> None:
        check_token_type(token)
        self.endpoint = endpoint if endpoint is not None else constants.ENDPOINT
        self.token = token
        self.library_name = library_name
        self.library_version = library_version
        self.user_agent = user_agent
        self._http = HubSession()
        self._future_lock = threading.Lock()
        self._future_pool: Optional[ThreadPoolExecutor] = None

    def __repr__(self) -> str:
        token = "<set>" if self.token else None
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, token={token})"

    @property
    def timeout(self) -> Timeout:
        """``(connect, read)`` timeout in seconds of every request this client sends.

        ``(10, 60)`` by default; ``None`` waits forever. Its one owner is the client's
        session, so a value set here (``api.timeout = 30``) reaches every request.
        """
        return self._http.timeout

    @timeout.setter
    def timeout(self, value: Timeout) -> None:
        self._http.timeout = value

    @staticmethod
    def _call_timeout(timeout: Optional[float]) -> TimeoutArg:
        """A public method's ``timeout=None`` means "not given": the client's timeout."""
        return USE_CLIENT_DEFAULT if timeout is None else timeout

    # -- URLs ----------------------------------------------------------------------------

    def _repo_api_url(self, repo_id: str, repo_type: Optional[str], *segments: str) -> str:
        """``{endpoint}/api/{type}s/{repo_id}[/segment...]``; segments are pre-quoted."""
        kind = repo_type or constants.REPO_TYPE_MODEL
        return "/".join((f"{self.endpoint}/api/{kind}s/{repo_id}", *segments))

    def _web_url(self, repo_id: str, repo_type: Optional[str]) -> str:
        """``{endpoint}/[datasets/|spaces/]{repo_id}``."""
        prefix = constants.REPO_TYPES_URL_PREFIXES.get(repo_type or "", "")
        return f"{self.endpoint}/{prefix}{repo_id}"

    @staticmethod
    def _quote(value: str) -> str:
        return quote(value)

    @staticmethod
    def _checked_repo_type(repo_type: Optional[str], message: str = "Invalid repo type") -> str:
        return validate_repo_type(repo_type, message)

    # -- requests ------------------------------------------------------------------------

    def _user_agent(self) -> str:
        return build_user_agent(self.library_name, self.library_version, self.user_agent)

    def _resolve_token(self, token: TokenArg, *, write: bool = False) -> Optional[str]:
        resolved = resolve_token(token, self.token)
        return require_write_token(resolved) if write else resolved

    def _request(
        self,
        method: str,
        url: str,
        *,
        token: TokenArg = None,
        write: bool = False,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        headers: Optional[Dict[str, str]] = None,
        **kwargs: Any,
    ) -> requests.Response:
        """Send a request to this client's endpoint with its headers and token.

        Args:
            token: per-call token argument (see :func:`hfapi.auth.resolve_token`).
            write: the call is a write action: a personal token is mandatory.
            timeout: this request's timeout (``None``: none); the client's by default.
            headers: extra headers.
            **kwargs: passed to :meth:`HubSession.request` (params, json, data...).
        """
        resolved = self._resolve_token(token, write=write)
        sent = {"user-agent": self._user_agent()}
        sent.update(headers or {})
        return self._http.request(
            method,
            url,
            headers=sent,
            auth=BearerAuth(resolved) if resolved else None,
            timeout=timeout,
            **kwargs,
        )

    def _paginate(
        self,
        url: str,
        *,
        token: TokenArg = None,
        params: Optional[Any] = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> Iterator[Any]:
        """Lazily yield the items of a paginated listing on this client's endpoint."""
        resolved = self._resolve_token(token)
        return self._http.paginate(
            url,
            params=params,
            headers={"user-agent": self._user_agent()},
            auth=BearerAuth(resolved) if resolved else None,
            timeout=timeout,
        )

    def _whoami(self, token: TokenArg = None) -> Dict[str, Any]:
        """``GET /api/whoami-v2`` with a mandatory token; HTTP errors become a plain
        ``requests.HTTPError`` (as the reference does) with a hint to log in."""
        # Checked before ``or``: a falsy wrong type (``b""``) must not fall through.
        check_token_type(token)
        check_token_type(self.token)
        chosen: TokenArg = token or self.token or True
        try:
            response = self._request("GET", f"{self.endpoint}/api/whoami-v2", token=chosen)
        except requests.HTTPError as err:
            raise requests.HTTPError(_INVALID_TOKEN) from err
        data: Dict[str, Any] = response.json()
        return data

    # -- background jobs -----------------------------------------------------------------

    def run_as_future(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> "Future[R]":
        """Run ``fn(*args, **kwargs)`` on this client's background worker.

        Jobs run one at a time, in the order they were submitted, so uploads queued
        from a training loop never race each other. Errors surface from
        ``future.result()``.

        Args:
            fn: the callable to run (typically a method of this client).
            *args: its positional arguments.
            **kwargs: its keyword arguments.

        Returns:
            A ``concurrent.futures.Future`` holding ``fn``'s result.

        Example:
            >>> future = api.run_as_future(api.delete_file, "old.txt", "me/repo")
            >>> future.result()
        """
        from concurrent.futures import ThreadPoolExecutor

        with self._future_lock:
            if self._future_pool is None:
                self._future_pool = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="hfapi-future"
                )
            pool = self._future_pool
        return pool.submit(fn, *args, **kwargs)
