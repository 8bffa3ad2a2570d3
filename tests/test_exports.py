"""The public face: signatures, root aliases, ``__all__`` and import paths match the reference."""

from __future__ import annotations

import dataclasses
import inspect
import json
from pathlib import Path

import pytest

import hfapi
import hfapi.errors
import hfapi.hf_api
import hfapi.utils
from hfapi import HfApi

SURFACE = json.loads(
    (Path(__file__).parent / "reference" / "hfapi-0.16.4-surface.json").read_text(encoding="utf-8")
)
METHODS = {name: spec for name, spec in SURFACE["methods"].items() if name != "__init__"}

#: Exactly the reference methods hfapi does not have yet: a method that lands must leave this
#: set, and one that disappears must be added to it, or ``test_missing_methods_are_exactly_known``
#: fails.
NOT_YET_IMPLEMENTED: set = set()
IMPLEMENTED = sorted(name for name in METHODS if hasattr(HfApi, name))
CLASSES = [
    "ModelInfo",
    "DatasetInfo",
    "SpaceInfo",
    "RepoFile",
    "RepoUrl",
    "GitRefInfo",
    "GitRefs",
    "GitCommitInfo",
    "CommitInfo",
    "UserLikes",
    "Discussion",
    "DiscussionWithDetails",
    "DiscussionComment",
    "DiscussionStatusChange",
    "DiscussionCommit",
    "DiscussionTitleChange",
    "SpaceRuntime",
    "ModelFilter",
    "DatasetFilter",
    "MetricInfo",
    "ModelSearchArguments",
    "DatasetSearchArguments",
]


def _described(signature: inspect.Signature) -> list:
    params = [p for p in signature.parameters.values() if p.name != "self"]
    return [
        (p.name, p.kind.name, repr(p.default) if p.default is not p.empty else None) for p in params
    ]


def _expected(spec: dict) -> list:
    return [
        (p["name"], p["kind"], p["default"] if p["has_default"] else None) for p in spec["params"]
    ]


# -- (a) method signatures -----------------------------------------------------------------


def test_missing_methods_are_exactly_known():
    missing = {name for name in METHODS if not hasattr(HfApi, name)}
    vanished = missing - NOT_YET_IMPLEMENTED
    assert not vanished, f"reference methods missing from HfApi: {sorted(vanished)}"
    landed = NOT_YET_IMPLEMENTED - missing
    assert not landed, f"implemented now, remove from NOT_YET_IMPLEMENTED: {sorted(landed)}"


def test_expected_missing_names_are_reference_methods():
    assert sorted(NOT_YET_IMPLEMENTED - set(METHODS)) == []


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_method_signature_matches_reference(name):
    assert _described(inspect.signature(getattr(HfApi, name))) == _expected(METHODS[name])


def test_constructor_signature_matches_reference():
    assert _described(inspect.signature(HfApi.__init__)) == _expected(
        SURFACE["methods"]["__init__"]
    )


def test_generator_methods():
    for name in IMPLEMENTED:
        function = inspect.unwrap(getattr(HfApi, name))
        if METHODS[name]["generator"]:
            # lazily evaluated, as the reference's generators are
            assert name in {
                "list_files_info",
                "list_models",
                "list_datasets",
                "list_spaces",
                "get_repo_discussions",
            }, name
        else:
            assert not inspect.isgeneratorfunction(function), name


# -- (b) root aliases ----------------------------------------------------------------------


@pytest.mark.parametrize("name", IMPLEMENTED)
def test_root_alias_is_bound_to_the_default_client(name):
    if not SURFACE["root_aliases"].get(name, {}).get("present"):
        pytest.skip("not a root alias in the reference")
    alias = getattr(hfapi, name)
    assert inspect.ismethod(alias)
    assert alias.__self__ is hfapi.model_info.__self__
    assert isinstance(alias.__self__, HfApi)
    assert alias.__func__ is getattr(HfApi, name)
    assert name in hfapi.__all__


def test_default_client_uses_import_time_settings():
    client = hfapi.whoami.__self__
    assert client.endpoint == hfapi.constants.ENDPOINT
    assert client.token is None


# -- (c) __all__ ---------------------------------------------------------------------------


def test_all_is_sorted_unique_and_resolvable():
    names = hfapi.__all__
    assert names == sorted(names)
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(hfapi, name), name


def test_every_public_method_has_a_root_alias():
    public = {
        name for name, value in vars(HfApi).items() if not name.startswith("_") and callable(value)
    }
    for base in HfApi.__mro__[1:]:
        public |= {
            name
            for name, value in vars(base).items()
            if not name.startswith("_") and callable(value)
        }
    assert public, "HfApi should have public methods"
    assert sorted(public - set(hfapi.__all__)) == []


def test_submodule_all_lists_resolve():
    for module in (hfapi.hf_api, hfapi.utils, hfapi.errors):
        assert len(module.__all__) == len(set(module.__all__))
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


# -- (d) data classes ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSES)
def test_class_signature_matches_reference(name):
    spec = SURFACE["classes"][name]
    cls = getattr(hfapi, name)
    assert _described(inspect.signature(cls)) == _expected(spec["signature"])
    assert (spec["kind"] == "dataclass") == dataclasses.is_dataclass(cls)
    if spec["kind"] == "dataclass":
        fields = dataclasses.fields(cls)
        assert [f.name for f in fields] == spec["fields"]
        assert [f.name for f in fields if f.init] == spec["init_fields"]
    for member in spec["public_members"]:
        assert hasattr(cls, member), member


def test_repo_url_is_a_str():
    assert issubclass(hfapi.RepoUrl, str)


# -- (e) import paths ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSES)
def test_classes_importable_where_the_reference_has_them(name):
    spec = SURFACE["classes"][name]
    cls = getattr(hfapi, name)
    assert getattr(hfapi.hf_api, name) is cls
    if spec["at_root"]:
        assert name in hfapi.__all__


@pytest.mark.parametrize("name", sorted(SURFACE["errors"]))
def test_errors_importable_from_every_path(name):
    cls = getattr(hfapi.errors, name)
    assert getattr(hfapi, name) is cls
    assert getattr(hfapi.utils, name) is cls
    if SURFACE["errors"][name]["found_in"] == "hf_api":
        assert getattr(hfapi.hf_api, name) is cls


def test_other_public_names():
    assert SURFACE["hfapi_class"]["at_root"] and hfapi.HfApi is hfapi.hf_api.HfApi
    for name in ("LocalEntryNotFoundError", "LocalTokenNotFoundError", "HFValidationError"):
        assert getattr(hfapi, name) is getattr(hfapi.utils, name) is getattr(hfapi.errors, name)
    assert hfapi.utils.OfflineModeIsEnabled is hfapi.errors.OfflineModeIsEnabled
    assert hfapi.HfFolder is hfapi.utils.HfFolder
    assert hfapi.hf_api.repo_type_and_id_from_hf_id("a/b") == (None, "a", "b")
    assert isinstance(hfapi.__version__, str)
