"""The one HTTP chokepoint: sessions, headers, timeouts, the retry loop, pagination.

Domain code describes endpoints; this module alone sends requests (it builds and uses
every ``requests.Session``). It knows nothing about repositories or commits. The retry
rules themselves live in :mod:`hfapi._retry`.

Other client modules import ``requests`` only for its types and exception classes, never
to send: ``_retry`` (classifies transport errors), ``errors`` (the exception tree derives
from ``requests.HTTPError``, as the reference's does), ``api/_base`` and ``api/users``
(the ``Response`` type; catching ``HTTPError``), ``commit/lfs`` (``HTTPBasicAuth`` for the
LFS batch call; the ``Response`` type), ``commit/outcome`` (its errors derive from
``requests.ConnectionError``), ``api/_commit_engine`` (it catches the transport errors
after which a commit's outcome must be read back) and ``download/_mixin``, ``download/fetch``
and ``download/transfer`` (an unreachable Hub means "answer from the cache"; a body cut while
it streams is resumed).
"""

from __future__ import annotations

import functools
import logging
import os
import random
import threading
import time
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    Union,
)
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from . import constants
from ._retry import (
    DEFAULT_RETRY,
    Outcome,
    RetryPolicy,
    final_transport_error,
    is_retryable_method,
)
from .errors import OfflineModeIsEnabled, raise_for_hub_status, redact_url

logger = logging.getLogger("hfapi.http")

Timeout = Union[None, float, Tuple[float, float]]
Body = Any
BodyFactory = Callable[[], Body]

# ---------------------------------------------------------------------------------------
# Per-thread sessions
# ---------------------------------------------------------------------------------------

#: Connections kept alive per host; LFS uploads run this many transfers at once at most.
POOL_MAXSIZE = 32
#: Bytes per socket write when streaming a request body (urllib3's default is 16 KiB;
#: larger blocks cut Python overhead when pushing gigabytes).
SEND_BLOCKSIZE = 1024 * 1024


def _default_session_factory() -> requests.Session:
    session = requests.Session()
    adapter = _HubAdapter(pool_maxsize=POOL_MAXSIZE)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _HubAdapter(HTTPAdapter):
    """Streams request bodies in large blocks."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blocksize", SEND_BLOCKSIZE)
        super().init_poolmanager(*args, **kwargs)  # type: ignore[no-untyped-call,unused-ignore]


_session_factory: Callable[[], requests.Session] = _default_session_factory
_sessions = threading.local()
_factory_generation = 0


def configure_http_backend(
    backend_factory: Callable[[], requests.Session] = _default_session_factory,
) -> None:
    """Replace the function that builds each thread's ``requests.Session``.

    Use it for proxies, custom certificates or a test adapter. Sessions already
    created are discarded.

    Args:
        backend_factory: a callable returning a configured ``requests.Session``.

    Example:
        >>> def factory():
        ...     session = requests.Session()
        ...     session.proxies = {"https": "http://proxy:3128"}
        ...     return session
        >>> configure_http_backend(factory)
    """
    global _session_factory, _factory_generation
    _session_factory = backend_factory
    _factory_generation += 1


def get_session() -> requests.Session:
    """Return this thread's ``requests.Session`` (one per thread and process).

    Reusing it keeps connections alive between calls.

    Example:
        >>> get_session().get("https://huggingface.co/api/models/gpt2")
    """
    key = (os.getpid(), _factory_generation)
    cached = getattr(_sessions, "entry", None)
    if cached is None or cached[0] != key:
        cached = (key, _session_factory())
        _sessions.entry = cached
    session: requests.Session = cached[1]
    return session


# ---------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------

_TELEMETRY_PACKAGES: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("torch", ("torch",)),
    ("tensorflow", ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-nightly")),
    ("fastai", ("fastai",)),
    ("fastcore", ("fastcore",)),
)


@functools.lru_cache(maxsize=1)
def _installed_frameworks() -> Tuple[str, ...]:
    import importlib.metadata  # on first use only: it costs a few ms at import (issue 14)

    found = []
    for label, distributions in _TELEMETRY_PACKAGES:
        for dist in distributions:
            try:
                found.append(f"{label}/{importlib.metadata.version(dist)}")
                break
            except importlib.metadata.PackageNotFoundError:
                continue
    return tuple(found)


def build_user_agent(
    library_name: Optional[str] = None,
    library_version: Optional[str] = None,
    user_agent: Union[Dict[str, str], str, None] = None,
) -> str:
    """Build the ``user-agent`` value in the Hub's expected format.

    Example:
        >>> build_user_agent("mylib", "1.0", {"foo": "bar"})
        'mylib/1.0; hf_hub/0.16.4; hfapi/0.1.0; python/3.11.7; foo/bar'
    """
    import platform  # not at import time: a script that sends nothing needs no user-agent

    parts = [
        f"{library_name or 'unknown'}/{library_version}",
        f"hf_hub/{constants.HF_HUB_COMPAT_VERSION}",
        f"hfapi/{constants.__version__}",
        f"python/{platform.python_version().split()[0].rstrip('+')}",
    ]
    if not constants.HF_HUB_DISABLE_TELEMETRY:
        parts.extend(_installed_frameworks())
    if isinstance(user_agent, dict):
        parts.extend(f"{key}/{value}" for key, value in user_agent.items())
    elif isinstance(user_agent, str):
        parts.append(user_agent)
    seen: List[str] = []
    for piece in "; ".join(parts).split(";"):
        piece = piece.strip()
        if piece and piece not in seen:
            seen.append(piece)
    return "; ".join(seen)


class BearerAuth(requests.auth.AuthBase):
    """Sets ``authorization: Bearer <token>``.

    Passing the token as an auth object (not a plain header) stops ``requests`` from
    swapping it for ``~/.netrc`` credentials, and lets it drop the token when a
    redirect leaves the host. The token never appears in ``repr``.
    """

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "BearerAuth(<hidden>)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BearerAuth) and other._token == self._token

    def __hash__(self) -> int:
        return hash(self._token)


# ---------------------------------------------------------------------------------------
# Timeouts
# ---------------------------------------------------------------------------------------


class UseClientDefault:
    """The type of :data:`USE_CLIENT_DEFAULT`: "this argument was not given".

    A per-call ``timeout`` left at this value takes the client's timeout, so that
    ``None`` keeps its plain meaning everywhere: no timeout at all.
    """

    def __repr__(self) -> str:
        return "USE_CLIENT_DEFAULT"


USE_CLIENT_DEFAULT = UseClientDefault()
#: A per-call timeout: a value (``None`` = wait forever), or the client's default.
TimeoutArg = Union[Timeout, UseClientDefault]


# ---------------------------------------------------------------------------------------
# The chokepoint
# ---------------------------------------------------------------------------------------


class _Call(NamedTuple):
    """One request as the caller described it, sent as many times as the policy says.

    A named tuple, not a dataclass, to keep ``dataclasses`` out of ``import hfapi``.
    """

    method: str
    url: str
    params: Optional[Any]
    headers: Optional[Mapping[str, str]]
    auth: Optional[requests.auth.AuthBase]
    data: Body
    json: Any
    body_factory: Optional[BodyFactory]
    timeout: Timeout
    stream: bool
    rewind_to: Optional[int]
    allow_redirects: bool


class HubSession:
    """Sends requests for one client: default timeout, retry policy, error raising.

    It holds no connection itself: each thread reuses its own ``requests.Session``
    (see :func:`get_session`), so one ``HubSession`` may be shared by many threads.

    Args:
        timeout: the client's ``(connect, read)`` timeout in seconds, used by every
            request that does not set its own; ``None`` waits forever.
        retry: the retry policy for requests that are safe to repeat.

    Example:
        >>> http = HubSession()
        >>> http.request("GET", "https://huggingface.co/api/models/gpt2").json()["id"]
        'gpt2'
    """

    def __init__(
        self,
        *,
        timeout: Timeout = constants.DEFAULT_TIMEOUT,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self.timeout: Timeout = timeout
        self.retry = retry
        # Seams, so tests can run the retry loop without waiting or randomness.
        self.sleep: Callable[[float], None] = time.sleep
        self.random: Callable[[], float] = random.random
        #: Times each attempt for the DEBUG request line.
        self.clock: Callable[[], float] = time.monotonic

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Optional[Any] = None,
        headers: Optional[Mapping[str, str]] = None,
        auth: Optional[requests.auth.AuthBase] = None,
        data: Body = None,
        json: Any = None,
        body_factory: Optional[BodyFactory] = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
        retry: Optional[bool] = None,
        stream: bool = False,
        raise_for_status: bool = True,
        endpoint_name: Optional[str] = None,
        allow_redirects: bool = True,
    ) -> requests.Response:
        """Send one request, retrying it when that is safe, and check the answer.

        Args:
            method: HTTP method.
            url: absolute URL.
            params: query parameters (lists become repeated keys).
            headers: extra headers.
            auth: an auth object (e.g. :class:`BearerAuth`), or ``None``.
            data: body (bytes, str, dict for a form, or a seekable file object,
                rewound before each attempt).
            json: JSON body.
            body_factory: returns a fresh body for each attempt (used for streams
                that cannot be rewound, such as parts of a file).
            timeout: ``(connect, read)`` seconds for this request; ``None`` waits
                forever; by default the session's :attr:`timeout`.
            retry: force (``True``) or forbid (``False``) retries; by default only
                GET/HEAD/OPTIONS are retried on 429, 5xx and transport errors.
                See :meth:`RetryPolicy.should_retry` for the full rules.
            stream: do not read the body eagerly.
            raise_for_status: raise the Hub exception for answers >= 400.
            endpoint_name: quoted in bad-request messages.
            allow_redirects: follow redirects (``False`` returns the 3xx answer, e.g.
                to read a download's metadata before it redirects to storage).

        Returns:
            The ``requests.Response``.

        Raises:
            OfflineModeIsEnabled: ``HF_HUB_OFFLINE`` is set (nothing is sent).
            HfHubHTTPError: (or a subclass) for an error answer.
            requests.ConnectionError, requests.Timeout: after the last retry.
        """
        _refuse_if_offline(url)
        call = _Call(
            method=method.upper(),
            url=url,
            params=params,
            headers=headers,
            auth=auth,
            data=data,
            json=json,
            body_factory=body_factory,
            timeout=self.timeout if isinstance(timeout, UseClientDefault) else timeout,
            stream=stream,
            rewind_to=_tell(data),
            allow_redirects=allow_redirects,
        )
        retryable = is_retryable_method(call.method, retry)
        attempt = 0
        while True:
            outcome, trace_id = self._send_once(call)
            if not self.retry.should_retry(attempt, outcome, retryable=retryable):
                break
            self._pause_before_retry(call, attempt, outcome)
            attempt += 1
        # Raised here, outside any ``except`` block, so the transport's original error
        # (with its query strings) is not chained as ``__context__``.
        if not isinstance(outcome, requests.Response):
            raise final_transport_error(outcome, url, trace_id)
        if raise_for_status:
            raise_for_hub_status(outcome, endpoint_name=endpoint_name)
        return outcome

    def _send_once(self, call: _Call) -> Tuple[Outcome, str]:
        """One attempt: a fresh (or rewound) body and trace id, the answer or the error.

        Returns:
            The outcome and the trace id that was sent.

        Raises:
            Exception: the body's own failure (e.g. a file changed while being sent),
                which the HTTP stack would otherwise report as a lost connection.
        """
        body = call.body_factory() if call.body_factory is not None else call.data
        if call.rewind_to is not None:
            body.seek(call.rewind_to)
        # Header names are case-insensitive: a caller's ``x-request-id`` counts too.
        import uuid  # deferred: it costs more at import than a lookup per request

        sent_headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(call.headers or {})
        trace_id = sent_headers.get("X-Request-Id") or str(uuid.uuid4())
        sent_headers.setdefault("X-Amzn-Trace-Id", trace_id)
        started = self.clock()
        try:
            response = get_session().request(
                call.method,
                call.url,
                params=call.params,
                headers=sent_headers,
                auth=call.auth,
                data=body,
                json=call.json,
                timeout=call.timeout,
                stream=call.stream,
                allow_redirects=call.allow_redirects,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            failure = getattr(body, "failure", None)
            if isinstance(failure, Exception):
                raise failure from None
            _log_request(call, type(exc).__name__, self.clock() - started, trace_id)
            return exc, trace_id
        finally:
            if call.body_factory is not None and hasattr(body, "close"):
                body.close()
        request_id = response.headers.get("X-Request-Id") or trace_id
        _log_request(call, str(response.status_code), self.clock() - started, request_id)
        return response, trace_id

    def _pause_before_retry(self, call: _Call, attempt: int, outcome: Outcome) -> None:
        """Log the retry, release the failed answer's connection, and wait."""
        response = outcome if isinstance(outcome, requests.Response) else None
        wait = self.retry.wait_for(attempt, response, self.random())
        if response is not None:
            what = f"answered {response.status_code}"
        else:
            what = f"failed ({type(outcome).__name__})"
        logger.warning(
            "%s %s %s; retry %d/%d in %.1fs",
            call.method,
            redact_url(call.url),
            what,
            attempt + 1,
            self.retry.max_retries,
            wait,
        )
        if response is not None:
            response.close()
        self.sleep(wait)

    def paginate(
        self,
        url: str,
        *,
        params: Optional[Any] = None,
        headers: Optional[Mapping[str, str]] = None,
        auth: Optional[requests.auth.AuthBase] = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> Iterator[Any]:
        """Yield the items of a JSON-array listing, following ``Link: rel="next"``.

        Lazy: the first request is sent when the first item is asked for. The next
        URL is used as the server gave it (it already carries the cursor and filters).

        Example:
            >>> for entry in http.paginate(url, params={"recursive": True}):
            ...     print(entry["path"])
        """
        next_url: Optional[str] = url
        next_params = params
        origin = _origin(url)
        while next_url:
            # The token goes only where the listing started: a next link to another host
            # (a misconfigured proxy, a hostile server) is followed without it.
            page_auth = auth if _origin(next_url) == origin else None
            response = self.request(
                "GET",
                next_url,
                params=next_params,
                headers=headers,
                auth=page_auth,
                timeout=timeout,
            )
            page = response.json()
            if not isinstance(page, list):
                raise ValueError(
                    f"Expected a JSON list from {redact_url(next_url)}, got {type(page).__name__}."
                )
            yield from page
            next_url = response.links.get("next", {}).get("url")
            next_params = None


def _log_request(call: _Call, status: str, seconds: float, request_id: str) -> None:
    """The DEBUG line of one attempt. The URL loses its query string (signatures,
    cursors); headers, and so the token, are never logged."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "%s %s -> %s in %.3fs (request id %s)",
            call.method,
            redact_url(call.url),
            status,
            seconds,
            request_id,
        )


def _origin(url: str) -> Tuple[str, str]:
    """``(scheme, host:port)`` of a URL, the default port made explicit."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, f"{(parts.hostname or '').lower()}:{port}"


def _refuse_if_offline(url: str) -> None:
    if constants.HF_HUB_OFFLINE:
        raise OfflineModeIsEnabled(
            f"Cannot reach {redact_url(url)}: offline mode is enabled (HF_HUB_OFFLINE=1)."
            " Unset HF_HUB_OFFLINE to use the network."
        )


def _tell(data: Body) -> Optional[int]:
    """Position of a seekable file-like body, to rewind it before a retry."""
    if data is None or isinstance(data, (bytes, str, dict, list, tuple)):
        return None
    try:
        position: int = data.tell()
        data.seek(position)
    except (AttributeError, OSError, ValueError):
        return None
    return position
