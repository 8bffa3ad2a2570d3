"""``import hfapi`` stays light: what a plain script does not use is imported on first use.

Issue 14: every script pays for the import before doing anything. A fresh interpreter runs
``import hfapi; hfapi.HfApi()`` and reports what it loaded; the heavy modules (tqdm, thread
pools, file locks, the commit and download machinery, the data classes) must not be there.
Timing is ``benchmarks/import_time.py``'s business; this test only guards the structure, so
that an eager import slipping back in fails here. The second half checks that every name
the lazy modules export still resolves to the object its owner defines.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import List

import pytest

import hfapi
import hfapi.hf_api
import hfapi.models
import hfapi.utils

SRC = Path(__file__).resolve().parents[1] / "src"

#: Modules (and packages: their submodules too) a plain ``import hfapi`` must not load
#: (beyond what ``import requests`` loads in this environment).
DEFERRED = [
    "tqdm",
    "concurrent.futures",
    "asyncio",
    "filelock",
    "typing_extensions",
    "dataclasses",
    "inspect",
    "getpass",
    "uuid",
    "importlib.metadata",
    "hfapi._progress",
    "hfapi._login",
    "hfapi.commit",
    "hfapi.commit.lfs",
    "hfapi.api._commit_engine",
    "hfapi.api.search_arguments",
    "hfapi.download.cache",
    "hfapi.download.fetch",
    "hfapi.download.functions",
    "hfapi.download.snapshot",
    "hfapi.download.transfer",
    "hfapi.models",
    "hfapi.hub",
]


def _loaded_after(code: str) -> List[str]:
    """``sys.modules`` of a fresh interpreter after ``import requests`` then ``code``,
    minus what ``import requests`` alone loaded."""
    script = (
        "import json, sys\n"
        "import requests\n"
        "before = set(sys.modules)\n"
        f"{code}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    ).stdout
    loaded: List[str] = json.loads(output.strip().splitlines()[-1])
    return loaded


@pytest.fixture(scope="module")
def loaded() -> List[str]:
    return _loaded_after("import hfapi\nhfapi.HfApi()")


@pytest.mark.parametrize("module", DEFERRED)
def test_plain_import_does_not_load(module: str, loaded: List[str]) -> None:
    offenders = [name for name in loaded if name == module or name.startswith(module + ".")]
    assert offenders == [], f"`import hfapi; hfapi.HfApi()` loads {offenders}"


def test_plain_import_loads_only_hfapi_beyond_requests(loaded: List[str]) -> None:
    # The client's own modules, nothing from the standard library or elsewhere: any new
    # dependency of the import path shows up here and must be deferred or justified.
    others = [name for name in loaded if name != "hfapi" and not name.startswith("hfapi.")]
    assert others == []


def test_the_root_functions_stay_bound_to_the_default_client() -> None:
    assert hfapi.model_info.__self__ is hfapi.upload_file.__self__
    assert isinstance(hfapi.model_info.__self__, hfapi.HfApi)


def test_first_use_imports_the_owner() -> None:
    loaded = _loaded_after("import hfapi\nhfapi.CommitScheduler")
    assert "hfapi.commit.scheduler" in loaded
    assert "hfapi.download.cache" not in loaded


# -- every lazily exported name resolves -----------------------------------------------------


MODULES = [hfapi, hfapi.hf_api, hfapi.utils, hfapi.models]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_exported_name_resolves_and_is_listed(module: ModuleType) -> None:
    names = module.__all__
    for name in names:
        assert getattr(module, name) is not None, name
    assert set(names) <= set(dir(module))


@pytest.mark.parametrize(
    ("public", "owner", "name"),
    [
        ("hfapi", "hfapi.commit.operations", "CommitOperationAdd"),
        ("hfapi", "hfapi.commit.scheduler", "CommitScheduler"),
        ("hfapi", "hfapi.download.functions", "hf_hub_download"),
        ("hfapi", "hfapi._login", "login"),
        ("hfapi", "hfapi.models.repo", "ModelInfo"),
        ("hfapi", "hfapi.api.search_arguments", "ModelSearchArguments"),
        ("hfapi.hf_api", "hfapi.models.community", "DiscussionWithDetails"),
        ("hfapi.hf_api", "hfapi.commit.multi_commits", "plan_multi_commits"),
        ("hfapi.utils", "hfapi._progress", "tqdm"),
        ("hfapi.utils", "hfapi.models._fields", "parse_datetime"),
    ],
)
def test_lazy_name_is_the_owners_object(public: str, owner: str, name: str) -> None:
    value = getattr(importlib.import_module(public), name)
    assert value is getattr(importlib.import_module(owner), name)
    assert name in vars(importlib.import_module(public))  # kept: later reads are plain lookups


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_unknown_names_still_raise_attribute_error(module: ModuleType) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        module.no_such_name  # noqa: B018 (the attribute access is the test)
