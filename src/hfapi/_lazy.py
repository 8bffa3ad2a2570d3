"""Public names whose module is imported on first access (PEP 562).

``import hfapi`` must stay cheap: a script that only calls ``model_info`` should not pay
for the commit machinery, the download cache or tqdm. The package modules that re-export
those names list them here instead of importing them, and their module ``__getattr__``
imports the owning module when a name is first read, then keeps the value in the
package's namespace so that later reads are plain attribute lookups.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Dict, List, Mapping, Tuple


def lazy_names(
    package: str, namespace: Dict[str, Any], owners: Mapping[str, str]
) -> Tuple[Callable[[str], Any], Callable[[], List[str]]]:
    """Build a module's ``__getattr__`` and ``__dir__`` for names imported on demand.

    Args:
        package: ``__name__`` of the module re-exporting the names (for error messages).
        namespace: that module's ``globals()``; a resolved name is stored there.
        owners: public name -> absolute name of the module defining it
            (``"hfapi.commit.scheduler"``).

    Returns:
        ``(__getattr__, __dir__)`` to assign at the module's top level.

    Example:
        >>> __getattr__, __dir__ = lazy_names(__name__, globals(), {"tqdm": "hfapi._progress"})
    """

    def __getattr__(name: str) -> Any:
        owner = owners.get(name)
        if owner is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(owner), name)
        namespace[name] = value
        return value

    def __dir__() -> List[str]:
        return sorted(set(namespace) | set(owners))

    return __getattr__, __dir__
