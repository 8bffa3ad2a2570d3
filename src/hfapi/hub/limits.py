"""Input limits of the local Hub and the strict parsers that enforce them.

Every number, JSON body and repo path a client sends goes through one of these parsers
before any work is done, so that hostile input (a JSON document nested 100,000 levels
deep, a 5,000-digit integer, a lone UTF-16 surrogate, a path 1,000 folders deep) is a
400 in the Hub's error shape instead of an exception deep inside the backend. The
values are documented in ``docs/local-hub.md`` (section "Limits").

The module is pure (no HTTP, no storage), so both the routes and the backend use it.
"""

from __future__ import annotations

import json
import re
from typing import Any, List, Tuple, Union

from .errors import HubError

#: Largest JSON request body (and form body) read into memory.
MAX_JSON_BODY = 64 * 1024 * 1024
#: Deepest nesting of arrays and objects in a JSON document (the Hub's bodies need ~5).
MAX_JSON_DEPTH = 64
#: Largest integer accepted anywhere (query, header, path or JSON): SQLite's INTEGER.
MAX_INT = 2**63 - 1
#: Largest ``Content-Length`` (above the Hub's 50 GB per-file limit).
MAX_CONTENT_LENGTH = 64 * 1024**3
#: Longest repo file path, in UTF-8 bytes.
MAX_PATH_BYTES = 4096
#: Most components (folders + file name) in a repo file path.
MAX_PATH_DEPTH = 256

_SURROGATE = re.compile("[\ud800-\udfff]")
#: Characters of a refused value echoed in an error message.
_ECHO = 40


class InputError(HubError, ValueError):
    """A value refused by a limit or a strict parser: a 400 (or the given status).

    It is also a ``ValueError``, so code that already turns ``ValueError`` into its own
    400 message (the NDJSON commit reader adds the line number) keeps doing so.
    """

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(status, message)


def _echo(text: str) -> str:
    return repr(text if len(text) <= _ECHO else text[:_ECHO] + "...")


def parse_int(text: str, name: str, maximum: int = MAX_INT, too_large_status: int = 400) -> int:
    """Parse a non-negative decimal integer sent as text (query, header, path segment).

    The digit count is checked before conversion, so a huge number costs nothing.

    Args:
        text: the digits as sent.
        name: what the value is, for the error message.
        maximum: largest value accepted.
        too_large_status: status of the error for a value over ``maximum``.

    Returns:
        The value.

    Raises:
        InputError: 400 when ``text`` is not plain ASCII digits, ``too_large_status``
            when the value is over ``maximum``.
    """
    if not (text.isascii() and text.isdigit()):
        raise InputError(f"{name} must be a non-negative integer, not {_echo(text)}")
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        raise InputError(f"{name} is too large (at most {maximum})", too_large_status)
    return int(digits)


def _json_int(text: str) -> int:
    # JSON integers have no leading zeros: 20 characters hold any in-range value ("-" and
    # 19 digits), and the length test spares converting thousands of digits.
    if len(text) > 20 or not -MAX_INT <= int(text) <= MAX_INT:
        raise InputError(f"JSON integer out of range (at most {MAX_INT} in magnitude)")
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InputError("JSON number out of range")
    return value


def _json_constant(name: str) -> Any:
    raise InputError(f"{name} is not valid JSON")


def _check_string(text: str) -> None:
    # Valid pairs were joined by the decoder: only lone surrogates remain, and they
    # cannot be encoded to UTF-8 (names, git objects, SQLite all need UTF-8).
    if not text.isascii() and _SURROGATE.search(text):
        raise InputError("JSON strings must not contain lone surrogates (\\ud800-\\udfff)")


def _check_document(value: Any) -> None:
    # An explicit stack (the check must not recurse on hostile input) holding containers
    # only: scalars are checked on the spot, which keeps big documents cheap.
    stack: List[Tuple[Any, int]] = [([value], -1)]
    while stack:
        item, depth = stack.pop()
        if depth >= MAX_JSON_DEPTH:
            raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(item, dict):
            for key in item:
                _check_string(key)
            item = item.values()
        for child in item:
            if isinstance(child, str):
                _check_string(child)
            elif isinstance(child, (dict, list)):
                stack.append((child, depth + 1))


def parse_json(data: Union[bytes, str]) -> Any:
    """Parse one strict JSON document.

    Strict means: no ``NaN``/``Infinity``, integers within ``MAX_INT``, finite numbers,
    at most ``MAX_JSON_DEPTH`` levels of arrays/objects, and no lone surrogates in
    strings or keys.

    Args:
        data: the document (UTF-8/16/32 bytes, or text).

    Returns:
        The decoded value.

    Raises:
        InputError: (a ``ValueError``) invalid or refused JSON, with the reason.
    """
    try:
        value = json.loads(
            data,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except RecursionError:
        raise InputError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    except InputError:
        raise
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
        raise InputError(str(error)) from None
    _check_document(value)
    return value


def check_path_limits(path: str) -> str:
    """Refuse a repo file path too long or too deep, before any work on it.

    Args:
        path: the path (``/``-separated).

    Returns:
        ``path``.

    Raises:
        InputError: 400 when over ``MAX_PATH_BYTES`` or ``MAX_PATH_DEPTH`` components.
    """
    if len(path) > MAX_PATH_BYTES or len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        raise InputError(f"Path too long (at most {MAX_PATH_BYTES} bytes): {_echo(path)}")
    if path.count("/") >= MAX_PATH_DEPTH:
        raise InputError(f"Path too deep (at most {MAX_PATH_DEPTH} components): {_echo(path)}")
    return path
