"""The one place where server JSON becomes Python objects: field tables and converters.

Each info class declares a table of :class:`Field` rows (wire key, attribute,
default, converter). The constructor, its signature (for ``inspect`` and IDEs) and
the parsing of server payloads are all derived from that table; keys the table does
not know are kept as attributes, as the Hub adds fields over time.
"""

from __future__ import annotations

import inspect
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, ClassVar, Dict, NamedTuple, Optional, Tuple

Converter = Callable[[Any], Any]

_REQUIRED = inspect.Parameter.empty


class Field(NamedTuple):
    """One row of a model's field table.

    Attributes:
        wire: key in the server JSON, which is also the constructor parameter name.
        attr: attribute name on the object (often equal to ``wire``).
        default: value when the key is absent (``inspect.Parameter.empty`` = required).
        convert: applied to the value (present or default), or ``None``.
        annotation: shown in the constructor signature.
    """

    wire: str
    attr: str
    default: Any = None
    convert: Optional[Converter] = None
    annotation: str = "Any"


class HubObject:
    """Base of the info classes (``ModelInfo``, ``RepoFile``...).

    Mutable, compared by identity, and shown as ``ClassName: {attributes}``.
    """

    _fields: ClassVar[Tuple[Field, ...]] = ()
    #: Fields that may be given positionally (the first N of the table).
    _positional: ClassVar[int] = 0
    #: Legacy wire keys that are dropped instead of kept.
    _dropped: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params = []
        for index, row in enumerate(cls._fields):
            kind = (
                inspect.Parameter.POSITIONAL_OR_KEYWORD
                if index < cls._positional
                else inspect.Parameter.KEYWORD_ONLY
            )
            params.append(
                inspect.Parameter(row.wire, kind, default=row.default, annotation=row.annotation)
            )
        params.append(inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD))
        cls.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            self._take_positional(args, kwargs)
        # Listings build thousands of these: one pass over the table, straight into the
        # instance dict (no subclass defines descriptors for these names).
        values = self.__dict__
        for wire, attr, default, convert, _ in self._fields:
            value = kwargs.pop(wire, _REQUIRED)
            if value is _REQUIRED:
                if default is _REQUIRED:
                    raise TypeError(f"{type(self).__name__}() missing argument '{wire}'")
                value = default
            values[attr] = value if convert is None else convert(value)
        for key in self._dropped:
            kwargs.pop(key, None)
        values.update(kwargs)

    def _take_positional(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> None:
        if len(args) > self._positional:
            raise TypeError(
                f"{type(self).__name__}() takes at most {self._positional} positional "
                f"arguments ({len(args)} given)"
            )
        for row, value in zip(self._fields, args):
            if row.wire in kwargs:
                raise TypeError(f"{type(self).__name__}() got multiple values for '{row.wire}'")
            kwargs[row.wire] = value

    def __repr__(self) -> str:
        import pprint  # only when a repr is asked for (issue 14: import cost)

        body = pprint.pformat(vars(self), width=119, compact=True, sort_dicts=True)
        name = type(self).__name__
        if "\n" not in body:
            return f"{name}: {body}"
        indented = "\n".join("  " + line for line in body.splitlines())
        return f"{name}: {{ \n{indented}\n}}"


_ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$"
)


def parse_datetime(value: str) -> datetime:
    """Parse a Hub timestamp into an aware UTC ``datetime``.

    Accepts ISO 8601 with or without fractional seconds, ``Z`` or an offset (the Hub
    sends ``2023-07-03T12:34:56.000Z``). Unlike the reference, the result does not
    depend on the machine's timezone.

    Raises:
        ValueError: the string is not such a timestamp.

    Example:
        >>> parse_datetime("2022-08-19T07:19:38.123Z")
        datetime.datetime(2022, 8, 19, 7, 19, 38, 123000, tzinfo=datetime.timezone.utc)
    """
    match = _ISO_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            f"Cannot parse '{value}' as a datetime. Date string is expected to follow"
            " '%Y-%m-%dT%H:%M:%S.%fZ' pattern."
        )
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    parsed = datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        micro,
        tzinfo=timezone.utc,
    )
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset_minutes = sign * (int(digits[:2]) * 60 + int(digits[2:]))
        parsed -= timedelta(minutes=offset_minutes)
    return parsed


def from_table(data: Dict[str, Any], table: Tuple[Tuple[str, str, Any], ...]) -> Dict[str, Any]:
    """Read ``(attribute, dotted.wire.key, default)`` rows out of a raw server dict.

    A dotted key walks nested objects; a missing segment yields the default, and a
    default of ``inspect.Parameter.empty`` makes the key mandatory (``KeyError``).

    Example:
        >>> from_table({"a": {"b": 1}}, (("x", "a.b", None),))
        {'x': 1}
    """
    out: Dict[str, Any] = {}
    for attr, key, default in table:
        node: Any = data
        for segment in key.split("."):
            if isinstance(node, dict) and segment in node:
                node = node[segment]
            elif default is _REQUIRED:
                raise KeyError(key)
            else:
                node = default
                break
        out[attr] = node
    return out


REQUIRED = _REQUIRED
