"""Whether to send a request again, how long to wait first, and what to raise otherwise.

Everything here is a pure function of its arguments (the random part of a wait is
passed in), so the retry rules are tested without a server, a clock or luck. The loop
that applies them is :meth:`hfapi._session.HubSession.request`.
"""

from __future__ import annotations

import email.utils
import re
import socket
import time
from typing import Any, FrozenSet, Iterator, List, NamedTuple, Optional, Set, Union
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

from .errors import redact_secrets

#: What one attempt ends with: the server's answer, or the transport's error.
Outcome = Union[requests.Response, requests.RequestException]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_retryable_method(method: str, retry: Optional[bool]) -> bool:
    """Whether a request may be sent twice: the caller's explicit choice, else its method.

    Example:
        >>> is_retryable_method("POST", None), is_retryable_method("POST", True)
        (False, True)
    """
    return method.upper() in IDEMPOTENT_METHODS if retry is None else retry


class RetryPolicy(NamedTuple):
    """When and how long to wait before sending a request again.

    Immutable (a named tuple rather than a dataclass: ``dataclasses`` and the ``inspect``
    it pulls in would cost ``import hfapi`` a few milliseconds, issue 14).

    Attributes:
        max_retries: retries after the first attempt.
        base_wait: first wait in seconds; doubled at each retry.
        max_wait: cap of a single wait (``Retry-After`` is capped too).
        statuses: answers worth retrying (rate limit and transient server errors).
    """

    max_retries: int = 5
    base_wait: float = 0.5
    max_wait: float = 8.0
    statuses: FrozenSet[int] = frozenset({429, 500, 502, 503, 504})

    def should_retry(self, attempt: int, outcome: Outcome, *, retryable: bool) -> bool:
        """Decide whether attempt number ``attempt`` (0-based) is followed by another.

        Rules, in order: never beyond ``max_retries``; an answer is retried when the
        request may be repeated and its status is transient; a connection that could
        not be opened at all (refused, unknown host) is not retried, as waiting does
        not fix it; a connect timeout is retried whatever the method (nothing left the
        machine); any other transport failure (reset, read timeout) only when the
        request may be repeated.

        Args:
            attempt: how many attempts came before this one.
            outcome: the attempt's response or transport error.
            retryable: the request may be sent twice (see :func:`is_retryable_method`).

        Returns:
            ``True`` to wait and send again.

        Example:
            >>> RetryPolicy().should_retry(0, requests.ReadTimeout(), retryable=True)
            True
        """
        if attempt >= self.max_retries:
            return False
        if isinstance(outcome, requests.Response):
            return retryable and outcome.status_code in self.statuses
        if connection_failure(outcome) is not None:
            return False
        if isinstance(outcome, requests.ConnectTimeout):
            return True
        return retryable and isinstance(outcome, (requests.ConnectionError, requests.Timeout))

    def wait_for(self, attempt: int, response: Optional[requests.Response], rand: float) -> float:
        """Seconds to wait before retry number ``attempt + 1``.

        ``Retry-After`` (seconds or HTTP date) wins when the server sent it;
        otherwise an exponential backoff with "equal jitter" (half fixed, half random)
        so that parallel clients do not retry in lockstep.

        Args:
            attempt: how many attempts came before the one that failed.
            response: the failed attempt's answer, if there was one.
            rand: a number in ``[0, 1)`` (the caller's random source).

        Returns:
            The wait in seconds.
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


# ---------------------------------------------------------------------------------------
# Transport errors
# ---------------------------------------------------------------------------------------


def _error_chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps: in ``args`` (requests wraps urllib3's
    error there), ``reason`` (urllib3's retry error) and the cause/context links."""
    pending: List[BaseException] = [exc]
    seen: Set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked: List[Any] = [*current.args, getattr(current, "reason", None)]
        linked += [current.__cause__, current.__context__]
        pending.extend(item for item in linked if isinstance(item, BaseException))


def connection_failure(exc: BaseException) -> Optional[str]:
    """Why no connection could be opened at all, or ``None`` if one was (or may have been).

    Judged from the exception types urllib3 and the OS raise, never from message text.

    Example:
        >>> connection_failure(requests.ReadTimeout()) is None
        True
    """
    chain = list(_error_chain(exc))
    if any(isinstance(e, (NameResolutionError, socket.gaierror)) for e in chain):
        return "the host name could not be resolved"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, NewConnectionError) for e in chain):
        return "no connection could be opened"
    return None


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url``: no credentials, path, query or fragment.

    Example:
        >>> origin_of("https://user:pw@hub.test/api/models?x=1")
        'https://hub.test:443'
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is None:
        port = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def final_transport_error(
    exc: requests.RequestException, url: str, trace_id: Optional[str]
) -> requests.RequestException:
    """The exception to raise for a transport failure after the last attempt.

    Same type as ``exc`` (so ``except requests.ConnectionError`` still works), with a
    one-line message: for a connection never opened, the endpoint and the reason; else
    the transport's own text without query strings or credentials, and the request id.

    Args:
        exc: the transport's error.
        url: the URL that was requested.
        trace_id: the id sent in ``X-Amzn-Trace-Id``.

    Returns:
        A new exception of the same type, or ``exc`` itself for a type whose
        constructor cannot take a message.
    """
    why = connection_failure(exc)
    if why is not None:
        text = f"Cannot connect to {origin_of(url)}: {why}."
    else:
        text = redact_secrets(_QUERY_IN_TEXT.sub(r"\1", str(exc)))
        if trace_id:
            text += f" (Request ID: {trace_id})"
    try:
        return type(exc)(text, request=exc.request, response=exc.response)
    except TypeError:  # a subclass with another constructor: keep the original
        return exc


#: A URL or path followed by a query string, inside a transport error's text.
_QUERY_IN_TEXT = re.compile(r"(https?://[^\s'\"?]+|/[^\s'\"?]*)\?[^\s'\")]*")
