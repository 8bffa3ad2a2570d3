"""The one HTTP chokepoint: sessions, headers, timeouts, retries, pagination, errors.

Domain code describes endpoints; this module alone talks to ``requests``. It knows
nothing about repositories or commits.
"""

from __future__ import annotations

import email.utils
import functools
import importlib.metadata
import logging
import os
import platform
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Union,
)

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from . import constants
from .errors import raise_for_hub_status, redact_url

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
# Retries
# ---------------------------------------------------------------------------------------

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before sending a request again.

    Attributes:
        max_retries: retries after the first attempt.
        base_wait: first wait in seconds; doubled at each retry.
        max_wait: cap of a single wait (``Retry-After`` is capped too).
        statuses: answers worth retrying (rate limit and transient server errors).
    """

    max_retries: int = 5
    base_wait: float = 0.5
    max_wait: float = 8.0
    statuses: FrozenSet[int] = field(default_factory=lambda: frozenset({429, 500, 502, 503, 504}))

    def wait_for(self, attempt: int, response: Optional[requests.Response], rand: float) -> float:
        """Seconds to wait before retry number ``attempt + 1``.

        ``Retry-After`` (seconds or HTTP date) wins when the server sent it;
        otherwise an exponential backoff with "equal jitter" (half fixed, half random)
        so that parallel clients do not retry in lockstep.
        """
        if response is not None:
            hinted = _retry_after_seconds(response.headers.get("Retry-After"))
            if hinted is not None:
                return min(hinted, self.max_wait)
        ceiling: float = min(self.max_wait, self.base_wait * 2.0**attempt)
        return ceiling / 2 + rand * ceiling / 2


def _retry_after_seconds(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


DEFAULT_RETRY = RetryPolicy()
NO_RETRY = RetryPolicy(max_retries=0)

_TRANSIENT_ERRORS = (requests.exceptions.ConnectionError, requests.exceptions.Timeout)


def _nothing_was_sent(exc: Exception) -> bool:
    """True for failures that happened before the request left (safe to resend)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    return isinstance(exc, requests.exceptions.ConnectionError) and (
        "NewConnectionError" in text or "Connection refused" in text
    )


_QUERY_IN_TEXT = re.compile(r"(https?://[^\s'\"?]+|/[^\s'\"?]*)\?[^\s'\")]*")


def _redacted_transport_error(exc: requests.RequestException, trace_id: Optional[str]) -> Exception:
    """Same exception type, with query strings removed and the trace id appended."""
    text = _QUERY_IN_TEXT.sub(r"\1", str(exc))
    args: Tuple[Any, ...] = (text,)
    if trace_id:
        args += (f"(Request ID: {trace_id})",)
    try:
        clean = type(exc)(*args, request=exc.request, response=exc.response)
    except TypeError:  # a subclass with another constructor: keep the original
        return exc
    return clean


# ---------------------------------------------------------------------------------------
# The chokepoint
# ---------------------------------------------------------------------------------------


class HubSession:
    """Sends requests for one client: default timeout, retry policy, error raising.

    It holds no connection itself: each thread reuses its own ``requests.Session``
    (see :func:`get_session`), so one ``HubSession`` may be shared by many threads.

    Args:
        timeout: default ``(connect, read)`` timeout in seconds for every request.
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
        timeout: Timeout = None,
        retry: Optional[bool] = None,
        stream: bool = False,
        raise_for_status: bool = True,
        endpoint_name: Optional[str] = None,
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
            timeout: overrides the default ``(connect, read)`` timeout.
            retry: force (``True``) or forbid (``False``) retries; by default only
                GET/HEAD/OPTIONS are retried on 429, 5xx and transport errors.
                A request that never left the machine is always retried.
            stream: do not read the body eagerly.
            raise_for_status: raise the Hub exception for answers >= 400.
            endpoint_name: quoted in bad-request messages.

        Returns:
            The ``requests.Response``.

        Raises:
            HfHubHTTPError: (or a subclass) for an error answer.
            requests.ConnectionError, requests.Timeout: after the last retry.
        """
        method = method.upper()
        retryable = method in _IDEMPOTENT_METHODS if retry is None else retry
        policy = self.retry
        start_position = _tell(data)
        session = get_session()
        attempt = 0
        while True:
            body = body_factory() if body_factory is not None else data
            if start_position is not None:
                body.seek(start_position)
            # Header names are case-insensitive: a caller's ``x-request-id`` counts too.
            sent_headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(headers or {})
            trace_id = sent_headers.get("X-Request-Id") or str(uuid.uuid4())
            sent_headers.setdefault("X-Amzn-Trace-Id", trace_id)
            wait: Optional[float] = None
            try:
                response = session.request(
                    method,
                    url,
                    params=params,
                    headers=sent_headers,
                    auth=auth,
                    data=body,
                    json=json,
                    timeout=self.timeout if timeout is None else timeout,
                    stream=stream,
                )
            except _TRANSIENT_ERRORS as exc:
                failure = getattr(body, "failure", None)
                if isinstance(failure, Exception):
                    # The body itself failed while being sent (e.g. a file changed under
                    # us); the HTTP stack reports that as a lost connection.
                    raise failure from None
                can_retry = retryable or _nothing_was_sent(exc)
                if not can_retry or attempt >= policy.max_retries:
                    raise _redacted_transport_error(exc, trace_id) from None
                wait = policy.wait_for(attempt, None, self.random())
                logger.warning(
                    "%s %s failed (%s); retry %d/%d in %.1fs",
                    method,
                    redact_url(url),
                    type(exc).__name__,
                    attempt + 1,
                    policy.max_retries,
                    wait,
                )
            else:
                logger.debug("%s %s -> %s", method, redact_url(url), response.status_code)
                if (
                    retryable
                    and response.status_code in policy.statuses
                    and attempt < policy.max_retries
                ):
                    wait = policy.wait_for(attempt, response, self.random())
                    logger.warning(
                        "%s %s answered %s; retry %d/%d in %.1fs",
                        method,
                        redact_url(url),
                        response.status_code,
                        attempt + 1,
                        policy.max_retries,
                        wait,
                    )
                    response.close()
                else:
                    if raise_for_status:
                        raise_for_hub_status(response, endpoint_name=endpoint_name)
                    return response
            finally:
                if body_factory is not None and hasattr(body, "close"):
                    body.close()
            self.sleep(wait)
            attempt += 1

    def paginate(
        self,
        url: str,
        *,
        params: Optional[Any] = None,
        headers: Optional[Mapping[str, str]] = None,
        auth: Optional[requests.auth.AuthBase] = None,
        timeout: Timeout = None,
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
        while next_url:
            response = self.request(
                "GET", next_url, params=next_params, headers=headers, auth=auth, timeout=timeout
            )
            page = response.json()
            if not isinstance(page, list):
                raise ValueError(
                    f"Expected a JSON list from {redact_url(next_url)}, got {type(page).__name__}."
                )
            yield from page
            next_url = response.links.get("next", {}).get("url")
            next_params = None


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
