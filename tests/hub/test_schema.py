"""Storage schema versions: old data dirs open and upgrade; newer ones are refused clearly."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hfapi.hub import LocalHub
from hfapi.hub.backend import gitobj
from hfapi.hub.storage import MIGRATIONS, SCHEMA_VERSION, SchemaVersionError, Storage

from ._helpers import Http, add_file

FIXTURES = Path(__file__).parent / "fixtures"

#: The contents committed to ``acme/old`` by fixtures/make_schema_v0.py.
V0_FILES = {"a.txt": b"A", "w.bin": b"\x00weights"}


def _git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\x00" % len(data) + data).hexdigest()


def _data_dir_from_v0_dump(root: Path) -> Path:
    """A data dir as the pre-versioning code left it: the dumped db plus content files.

    Content files are written where that code put them (``objects/{git|lfs}/ab/cdef…``):
    the layout is part of a data dir's format, like the schema.
    """
    db = sqlite3.connect(root / "hub.sqlite3")
    db.executescript((FIXTURES / "schema_v0.sql").read_text(encoding="utf-8"))
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    db.close()
    contents = [*V0_FILES.values(), gitobj.DEFAULT_GITATTRIBUTES.encode()]
    for data in contents:
        for kind, oid in (("git", _git_blob_id(data)), ("lfs", hashlib.sha256(data).hexdigest())):
            path = root / "objects" / kind / oid[:2] / oid[2:]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return root


def test_pre_versioning_data_dir_upgrades_without_loss(tmp_path: Path) -> None:
    data_dir = _data_dir_from_v0_dump(tmp_path)
    with LocalHub(data_dir=data_dir) as hub:
        http = Http(hub)
        assert hub.admin_token == "hf_admin_v0"
        whoami = http("GET", "/api/whoami-v2", "hf_alice_v0").json()
        assert [o["name"] for o in whoami["orgs"]] == ["acme"]
        assert http("GET", "/api/models/acme/old").status_code == 401  # still private
        info = http("GET", "/api/models/acme/old", "hf_alice_v0").json()
        assert (info["likes"], info["gated"]) == (1, False)
        assert sorted(s["rfilename"] for s in info["siblings"]) == [
            ".gitattributes",
            "a.txt",
            "w.bin",
        ]
        for path, data in V0_FILES.items():
            assert http("GET", f"/acme/old/resolve/dev/{path}", "hf_alice_v0").content == data
        head = info["sha"]
        new = http.commit("hf_alice_v0", "acme/old", [add_file("b.txt", b"B")], parent=head)
        assert new.ok, new.text
        # The new column and table work on the upgraded database.
        settings = {"gated": "manual"}
        put = http("PUT", "/api/models/acme/old/settings", "hf_alice_v0", json=settings)
        assert put.json()["gated"] == "manual"
        assert hub.backend.storage.schema_version == SCHEMA_VERSION
    with LocalHub(data_dir=data_dir) as again:  # reopening a current db changes nothing
        info = Http(again)("GET", "/api/models/acme/old", "hf_alice_v0").json()
        assert info["gated"] == "manual"


def test_new_data_dir_gets_the_current_version(tmp_path: Path) -> None:
    storage = Storage(str(tmp_path))
    try:
        assert storage.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
    finally:
        storage.close()


def _set_version(data_dir: Path, version: int) -> None:
    db = sqlite3.connect(data_dir / "hub.sqlite3")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()


def test_newer_schema_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    Storage(str(tmp_path)).close()
    _set_version(tmp_path, SCHEMA_VERSION + 1)
    hub = LocalHub(data_dir=tmp_path)
    with pytest.raises(SchemaVersionError, match=f"schema version {SCHEMA_VERSION + 1}"):
        hub.start()
    assert not hub.running
    command = [sys.executable, "-m", "hfapi.hub", "--data-dir", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "upgrade hfapi" in result.stderr


def test_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Storage(str(tmp_path)).close()
    broken = (*MIGRATIONS, ("CREATE TABLE added (a)", "NOT SQL"))
    monkeypatch.setattr("hfapi.hub.storage.MIGRATIONS", broken)
    monkeypatch.setattr("hfapi.hub.storage.SCHEMA_VERSION", len(broken))
    with pytest.raises(sqlite3.OperationalError):
        Storage(str(tmp_path))
    db = sqlite3.connect(tmp_path / "hub.sqlite3")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'added'").fetchall() == []
    db.close()
