"""Spaces: the hardware and stage names, and the runtime state the Hub reports.

The two enums derive from ``str``, so a member is interchangeable with its value
(``SpaceHardware.T4_SMALL == "t4-small"``, and JSON encodes it as that string).
``SpaceRuntime`` keeps the Hub's strings as they came: a stage or hardware name the
client does not know yet is still readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Dict, Optional, Tuple

from ._fields import REQUIRED, from_table


class SpaceHardware(str, Enum):
    """Hardware a Space can run on (the ``flavor`` of a hardware request).

    Example:
        >>> SpaceHardware.T4_MEDIUM == "t4-medium"
        True
    """

    CPU_BASIC = "cpu-basic"
    CPU_UPGRADE = "cpu-upgrade"
    T4_SMALL = "t4-small"
    T4_MEDIUM = "t4-medium"
    A10G_SMALL = "a10g-small"
    A10G_LARGE = "a10g-large"
    A100_LARGE = "a100-large"


class SpaceStage(str, Enum):
    """Where a Space is in its life cycle (``SpaceRuntime.stage``).

    Example:
        >>> get_space_runtime("alice/demo").stage == SpaceStage.RUNNING
        True
    """

    NO_APP_FILE = "NO_APP_FILE"
    CONFIG_ERROR = "CONFIG_ERROR"
    BUILDING = "BUILDING"
    BUILD_ERROR = "BUILD_ERROR"
    RUNNING = "RUNNING"
    RUNNING_BUILDING = "RUNNING_BUILDING"
    RUNTIME_ERROR = "RUNTIME_ERROR"
    DELETING = "DELETING"
    STOPPED = "STOPPED"
    PAUSED = "PAUSED"


#: attribute <- dotted key of the runtime JSON. Only ``stage`` is mandatory: an answer
#: without hardware or sleep time is still a runtime (those read as ``None``).
_RUNTIME_TABLE: Tuple[Tuple[str, str, Any], ...] = (
    ("stage", "stage", REQUIRED),
    ("hardware", "hardware.current", None),
    ("requested_hardware", "hardware.requested", None),
    ("sleep_time", "gcTimeout", None),
)


@dataclass(init=False)
class SpaceRuntime:
    """The runtime state of a Space, built from the Hub's JSON answer.

    Args:
        data (`dict`): the answer of a Space runtime endpoint.

    Attributes:
        stage: the current stage, as the Hub names it (compares equal to a
            :class:`SpaceStage` member).
        hardware: the hardware the Space runs on now (``None`` while none is assigned).
        requested_hardware: the hardware asked for, which differs from ``hardware``
            until the switch is done (``None`` when nothing was asked for).
        sleep_time: seconds of inactivity before the Space sleeps (``-1``: never;
            ``None``: the Hub's default).
        raw: the whole answer, including fields the client does not read.

    Raises:
        KeyError: ``data`` has no ``stage``.

    Example:
        >>> runtime = request_space_hardware("alice/demo", SpaceHardware.T4_SMALL)
        >>> runtime.hardware, runtime.requested_hardware
        ('cpu-basic', 't4-small')
    """

    stage: str
    hardware: Optional[str]
    requested_hardware: Optional[str]
    sleep_time: Optional[int]
    raw: Dict[str, Any]

    def __init__(self, data: Dict[str, Any]) -> None:
        values = from_table(data, _RUNTIME_TABLE)
        self.stage = values["stage"]
        self.hardware = values["hardware"]
        self.requested_hardware = values["requested_hardware"]
        self.sleep_time = values["sleep_time"]
        self.raw = data
