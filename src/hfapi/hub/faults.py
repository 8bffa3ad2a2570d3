"""Fault injection: a seeded share of requests fails the way real networks and servers do.

Users test their own retry logic against it, and our benchmarks measure how both clients
come out of a faulty Hub. A :class:`FaultPlan` says how often (``rate``), how (``kinds``),
where (``routes``: route classes such as ``commits.commit`` or a whole module such as
``lfs``) and from which seed; the :class:`FaultInjector` draws from one seeded generator
under a lock, so a run with the same seed and the same sequence of requests fails the
same requests.

Kinds:

``500``, ``503``    the request is answered with that status before it is applied.
``429``             answered ``429 Too Many Requests`` with ``Retry-After`` before it is applied.
``reset-before``    the connection is reset before the request is applied.
``reset-after``     the request is applied, then the connection is reset instead of answered.

Admin routes (``/_hub/...``) are never faulted, so a test can always turn faults off.

Example:
    >>> hub.inject_faults(rate=0.2, kinds=("503", "reset-after"), routes=("lfs",), seed=7)
"""

from __future__ import annotations

import dataclasses
import random
import threading
from typing import Any, Dict, Mapping, Optional, Tuple

KINDS = ("500", "503", "429", "reset-before", "reset-after")
#: Response header asking the transport to reset the connection instead of answering.
#: The transport removes it; an in-process caller sees it.
RESET_HEADER = "X-Hub-Fault-Reset"


@dataclasses.dataclass(frozen=True)
class FaultPlan:
    """Which requests fail, and how.

    Attributes:
        rate: share of eligible requests that fail, from 0 (none, the default) to 1.
        kinds: the ways they fail, drawn with equal odds (see the module docstring).
        routes: route classes eligible for faults: ``"all"``, a route module
            (``"commits"``, ``"lfs"``, ``"files"``...) or one handler
            (``"commits.commit"``, ``"lfs.upload_part"``, ``"files.resolve"``).
        seed: seed of the generator; the same seed fails the same requests.
        retry_after: seconds announced by ``429`` answers.
    """

    rate: float = 0.0
    kinds: Tuple[str, ...] = KINDS
    routes: Tuple[str, ...] = ("all",)
    seed: int = 0
    retry_after: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.rate, bool) or not isinstance(self.rate, (int, float)):
            raise ValueError(f"rate must be a number from 0 to 1, got {self.rate!r}")
        if not 0 <= self.rate <= 1:
            raise ValueError(f"rate must be from 0 to 1, got {self.rate!r}")
        unknown = [kind for kind in self.kinds if kind not in KINDS]
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be some of {', '.join(KINDS)}; got {self.kinds!r}")
        if not self.routes or not all(isinstance(r, str) and r for r in self.routes):
            raise ValueError(f"routes must be non-empty route class names, got {self.routes!r}")
        for name in ("seed", "retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaultPlan:
        """Build a plan from the JSON of ``PUT /_hub/faults``.

        Raises:
            ValueError: an unknown key or an invalid value.
        """
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"Unknown fault setting(s) {unknown}; known: {sorted(known)}")
        values: Dict[str, Any] = dict(data)
        for name in ("kinds", "routes"):
            if name in values:
                if not isinstance(values[name], list):
                    raise ValueError(f"{name} must be a list of strings")
                values[name] = tuple(values[name])
        return cls(**values)

    def as_json(self) -> Dict[str, Any]:
        """The plan as JSON-ready data."""
        return {**dataclasses.asdict(self), "kinds": list(self.kinds), "routes": list(self.routes)}

    def covers(self, route_class: str) -> bool:
        """Whether requests of ``route_class`` (``module.handler``) are eligible."""
        module = route_class.partition(".")[0]
        return any(r in ("all", module, route_class) for r in self.routes)


class FaultInjector:
    """Draws, for each request, whether and how it fails under the current plan."""

    def __init__(self, plan: Optional[FaultPlan] = None) -> None:
        self._lock = threading.Lock()
        self._plan = plan or FaultPlan()
        self._random = random.Random(self._plan.seed)
        self.injected: Dict[str, int] = {}

    @property
    def plan(self) -> FaultPlan:
        """The plan in force."""
        return self._plan

    def set_plan(self, plan: FaultPlan) -> None:
        """Replace the plan and restart the generator from its seed; reset the counts."""
        with self._lock:
            self._plan = plan
            self._random = random.Random(plan.seed)
            self.injected = {}

    def draw(self, route_class: str) -> Optional[str]:
        """The fault for one request of ``route_class``, or ``None`` to serve it normally."""
        with self._lock:
            plan = self._plan
            if plan.rate == 0 or route_class.startswith("admin.") or not plan.covers(route_class):
                return None
            if self._random.random() >= plan.rate:
                return None
            kind = self._random.choice(plan.kinds)
            self.injected[kind] = self.injected.get(kind, 0) + 1
            return kind

    def status(self) -> Dict[str, Any]:
        """The plan and how many faults of each kind were injected since it was set."""
        with self._lock:
            return {"plan": self._plan.as_json(), "injected": dict(self.injected)}
