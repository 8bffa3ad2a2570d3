"""CommitScheduler with a fake HfApi: what each push commits, when, and what it never does."""

from __future__ import annotations

import inspect
import json
import logging
import os
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import pytest
import responses
from _wire import ENDPOINT, TOKEN

import hfapi
from hfapi import CommitInfo, CommitOperationAdd, CommitScheduler, RepoUrl
from hfapi import constants as constants_module
from hfapi.commit import scheduler as scheduler_module
from hfapi.commit.scheduler import CappedFileReader, ManualTimer

SURFACE = json.loads(
    (Path(__file__).parent.parent / "reference" / "hfapi-0.16.4-surface.json").read_text(
        encoding="utf-8"
    )
)


class FakeApi:
    """Records create_repo/create_commit; runs background jobs at once, in the caller."""

    def __init__(self, endpoint: str = "https://hub.test") -> None:
        self.endpoint = endpoint
        self.calls: List[str] = []
        self.repos: List[Dict[str, Any]] = []
        self.commits: List[Dict[str, Any]] = []
        self.fail_next: List[Exception] = []

    def create_repo(self, **kwargs: Any) -> RepoUrl:
        self.calls.append("create_repo")
        self.repos.append(kwargs)
        name = kwargs["repo_id"] if "/" in kwargs["repo_id"] else f"alice/{kwargs['repo_id']}"
        prefix = {None: "", "dataset": "datasets/"}[kwargs.get("repo_type")]
        return RepoUrl(f"{self.endpoint}/{prefix}{name}", endpoint=self.endpoint)

    def create_commit(self, **kwargs: Any) -> CommitInfo:
        self.calls.append("create_commit")
        if self.fail_next:
            raise self.fail_next.pop(0)
        files = {}
        for operation in kwargs["operations"]:
            assert isinstance(operation, CommitOperationAdd)
            with operation.as_file() as stream:
                stream.seek(0)
                files[operation.path_in_repo] = stream.read()
        self.commits.append({**kwargs, "files": files})
        return CommitInfo(
            commit_url=f"{self.endpoint}/c/{len(self.commits)}",
            commit_message=kwargs["commit_message"],
            commit_description="",
            oid=f"{len(self.commits):040d}",
        )

    def run_as_future(self, fn: Callable[[], Any]) -> "Future[Any]":
        future: Future[Any] = Future()
        try:
            future.set_result(fn())
        except Exception as error:
            future.set_exception(error)
        return future


@pytest.fixture
def timer(monkeypatch: pytest.MonkeyPatch) -> ManualTimer:
    manual = ManualTimer()
    monkeypatch.setattr(CommitScheduler, "_new_timer", lambda self: manual)
    return manual


@pytest.fixture
def fake() -> FakeApi:
    return FakeApi()


@pytest.fixture
def make(
    tmp_path: Path, fake: FakeApi, timer: ManualTimer
) -> Iterator[Callable[..., CommitScheduler]]:
    """Build a scheduler on ``tmp_path/data`` with the fake client; stopped afterwards."""
    built: List[CommitScheduler] = []

    def build(**kwargs: Any) -> CommitScheduler:
        kwargs.setdefault("repo_id", "alice/logs")
        kwargs.setdefault("folder_path", tmp_path / "data")
        kwargs.setdefault("hf_api", fake)
        scheduler = CommitScheduler(**kwargs)
        built.append(scheduler)
        timer.wait_until_waiting()  # the first push (at start) has run
        return scheduler

    yield build
    for scheduler in built:
        scheduler.stop()


def append(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        handle.write(data)


# -- surface -----------------------------------------------------------------------------


def test_signature_and_members_match_the_reference():
    spec = SURFACE["classes"]["CommitScheduler"]
    described = [
        (p.name, p.kind.name, repr(p.default) if p.default is not p.empty else None)
        for p in inspect.signature(CommitScheduler).parameters.values()
    ]
    expected = [
        (p["name"], p["kind"], p["default"] if p["has_default"] else None)
        for p in spec["signature"]["params"]
    ]
    assert described == expected
    for member in spec["public_members"]:
        assert callable(getattr(CommitScheduler, member)), member
    assert spec["at_root"] and "CommitScheduler" in hfapi.__all__


# -- construction ------------------------------------------------------------------------


def test_start_creates_the_repo_and_the_folder(make, fake, timer, tmp_path):
    scheduler = make(repo_id="logs", repo_type="dataset", private=True, every=0.5)
    assert timer.requested == [30.0]
    assert fake.repos == [
        {"repo_id": "logs", "private": True, "repo_type": "dataset", "exist_ok": True}
    ]
    assert scheduler.repo_id == "alice/logs"  # the namespace comes from the answer
    assert (tmp_path / "data").is_dir()
    assert scheduler.folder_path == (tmp_path / "data").resolve()
    assert scheduler.ignore_patterns == [".git", ".git/*", "*/.git", "**/.git/**"]
    assert not scheduler.lock.locked()
    assert scheduler.last_future is not None and scheduler.last_future.result() is None
    assert fake.calls == ["create_repo"]  # empty folder: the first push sent nothing


@pytest.mark.parametrize("every", [0, -1, float("inf"), float("nan"), "5", True, None])
def test_bad_every_is_refused_before_any_request(make, fake, every):
    with pytest.raises(ValueError, match="'every' must be a positive number of minutes"):
        make(every=every)
    assert fake.calls == []


def test_folder_path_that_is_a_file_is_refused(make, fake, tmp_path):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ValueError, match="must be a directory, not a file"):
        make(folder_path=tmp_path / "file.txt")
    assert fake.calls == []


def test_without_hf_api_a_client_with_the_token_is_built(monkeypatch, tmp_path, timer):
    monkeypatch.setattr(constants_module, "ENDPOINT", ENDPOINT)
    with responses.RequestsMock() as rsps:
        rsps.post(f"{ENDPOINT}/api/repos/create", json={"url": f"{ENDPOINT}/alice/logs"})
        scheduler = CommitScheduler(repo_id="alice/logs", folder_path=tmp_path, token=TOKEN)
        try:
            timer.wait_until_waiting()
            assert scheduler.api.token == TOKEN and scheduler.token == TOKEN
            (call,) = rsps.calls
            assert call.request.headers["authorization"] == f"Bearer {TOKEN}"
            assert json.loads(call.request.body) == {
                "name": "logs",
                "organization": "alice",
                "private": False,
            }
        finally:
            scheduler.stop()
    assert TOKEN not in repr(scheduler)


# -- what a push commits -----------------------------------------------------------------


def test_files_present_at_start_are_pushed_at_once(make, fake, tmp_path):
    append(tmp_path / "data" / "a.csv", b"1\n")
    append(tmp_path / "data" / "sub" / "b.json", b"{}")
    scheduler = make(path_in_repo="runs/", revision="dev", repo_type="dataset")
    info = scheduler.last_future.result()
    assert isinstance(info, CommitInfo)
    (commit,) = fake.commits
    assert commit["files"] == {"runs/a.csv": b"1\n", "runs/sub/b.json": b"{}"}
    assert commit["commit_message"] == "Scheduled Commit"
    assert commit["revision"] == "dev" and commit["repo_type"] == "dataset"
    assert commit["repo_id"] == "alice/logs"


def test_each_tick_commits_only_what_changed(make, fake, timer, tmp_path):
    log, other = tmp_path / "data" / "log.txt", tmp_path / "data" / "other.txt"
    append(log, b"one\n")
    append(other, b"same\n")
    scheduler = make()
    append(log, b"two\n")
    timer.tick()
    assert scheduler.last_future.result() is not None
    assert [c["files"] for c in fake.commits] == [
        {"log.txt": b"one\n", "other.txt": b"same\n"},
        {"log.txt": b"one\ntwo\n"},
    ]
    timer.tick()  # nothing changed: no commit, no request
    assert scheduler.last_future.result() is None
    assert fake.calls.count("create_commit") == 2
    assert timer.requested == [300, 300, 300]  # every=5 minutes


def test_a_same_size_rewrite_with_a_new_mtime_is_pushed(make, fake, tmp_path):
    path = tmp_path / "data" / "state.txt"
    append(path, b"aaaa")
    scheduler = make()
    path.write_bytes(b"bbbb")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    scheduler.trigger().result()
    assert fake.commits[-1]["files"] == {"state.txt": b"bbbb"}


def test_patterns_filter_what_is_pushed(make, fake, tmp_path):
    for name in ("a.csv", "b.log", "skip.csv", ".git/config", "sub/.git/HEAD", ".gitignore"):
        append(tmp_path / "data" / name, b"x")
    make(allow_patterns=["*.csv", ".git*"], ignore_patterns="skip*")
    assert set(fake.commits[0]["files"]) == {"a.csv", ".gitignore"}


def test_bytes_appended_after_the_scan_wait_for_the_next_push(make, fake, monkeypatch, tmp_path):
    path = tmp_path / "data" / "log.txt"
    scheduler = make()
    append(path, b"complete line\n")
    real_reader = scheduler_module.CappedFileReader

    def writer_appends_after_the_scan(name: str, length: int) -> CappedFileReader:
        append(path, b"half a li")
        return real_reader(name, length)

    monkeypatch.setattr(scheduler_module, "CappedFileReader", writer_appends_after_the_scan)
    scheduler.trigger().result()
    monkeypatch.setattr(scheduler_module, "CappedFileReader", real_reader)
    assert fake.commits[-1]["files"] == {"log.txt": b"complete line\n"}
    append(path, b"ne\n")
    scheduler.trigger().result()
    assert fake.commits[-1]["files"] == {"log.txt": b"complete line\nhalf a line\n"}


def test_the_scan_runs_under_the_lock(make, monkeypatch, tmp_path):
    scheduler = make()
    seen: List[bool] = []
    real_listing = scheduler_module.list_local_files

    def listing(folder: str) -> List[str]:
        seen.append(scheduler.lock.locked())
        return real_listing(folder)

    monkeypatch.setattr(scheduler_module, "list_local_files", listing)
    scheduler.trigger().result()
    assert seen == [True]
    assert not scheduler.lock.locked()


def test_a_file_removed_before_its_read_is_left_out(make, fake, monkeypatch, tmp_path):
    append(tmp_path / "data" / "keep.txt", b"k")
    scheduler = make()
    append(tmp_path / "data" / "gone.txt", b"g")
    append(tmp_path / "data" / "keep.txt", b"k")
    real_reader = scheduler_module.CappedFileReader

    def remove_first(name: str, length: int) -> CappedFileReader:
        if name.endswith("gone.txt"):
            os.remove(name)
        return real_reader(name, length)

    monkeypatch.setattr(scheduler_module, "CappedFileReader", remove_first)
    scheduler.trigger().result()
    assert fake.commits[-1]["files"] == {"keep.txt": b"kk"}
    assert set(scheduler.last_uploaded) == {scheduler.folder_path / "keep.txt"}


# -- failures, stop and exit ---------------------------------------------------------------


def test_a_failed_push_is_logged_raised_and_retried_next_tick(make, fake, timer, tmp_path, caplog):
    path = tmp_path / "data" / "log.txt"
    scheduler = make()
    append(path, b"one\n")
    fake.fail_next.append(RuntimeError("hub down"))
    with caplog.at_level(logging.ERROR, logger="hfapi.scheduler"):
        timer.tick()
        error = scheduler.last_future.exception()
    assert isinstance(error, RuntimeError) and str(error) == "hub down"
    assert "Scheduled push of" in caplog.text and "next tick" in caplog.text
    append(path, b"two\n")
    timer.tick()
    assert fake.commits[-1]["files"] == {"log.txt": b"one\ntwo\n"}


def test_stop_ends_pushes_and_the_exit_hook(make, fake, timer, monkeypatch, tmp_path):
    hooks: List[Callable[[], None]] = []
    monkeypatch.setattr(scheduler_module.atexit, "register", hooks.append)
    monkeypatch.setattr(  # like atexit's: unregistering twice is harmless
        scheduler_module.atexit, "unregister", lambda f: hooks.remove(f) if f in hooks else None
    )
    scheduler = make()
    assert hooks == [scheduler._push_at_exit]
    append(tmp_path / "data" / "late.txt", b"x")
    scheduler.stop()
    assert hooks == []
    assert scheduler.trigger().result() is None
    scheduler._push_at_exit()  # even if called: a stopped scheduler pushes nothing
    assert fake.calls == ["create_repo"]


def test_the_exit_hook_pushes_synchronously_and_swallows_a_logged_failure(make, fake, tmp_path):
    scheduler = make()
    append(tmp_path / "data" / "last.txt", b"bye")
    fake.fail_next.append(RuntimeError("offline"))
    scheduler._push_at_exit()  # logged, not raised at interpreter exit
    scheduler._push_at_exit()
    assert fake.commits[-1]["files"] == {"last.txt": b"bye"}
    # New threads are refused at exit: the last push transfers one file at a time.
    assert fake.commits[-1]["num_threads"] == 1


def test_background_pushes_transfer_in_parallel(make, fake, tmp_path):
    append(tmp_path / "data" / "a.bin", b"a")
    make()
    assert fake.commits[-1]["num_threads"] == 5


def test_the_thread_ends_when_stopped(make, timer):
    scheduler = make()
    scheduler.stop()
    scheduler._thread.join(timeout=30)
    assert not scheduler._thread.is_alive()


# -- the capped reader -------------------------------------------------------------------


def test_capped_reader_never_reads_past_its_length(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"0123456789")
    reader = CappedFileReader(str(path), 6)
    assert reader.read(4) == b"0123"
    assert reader._handle is not None
    assert reader.read() == b"45"
    assert reader._handle is None  # released at the end: no descriptor held meanwhile
    assert reader.read() == b""
    assert reader.seek(-2, os.SEEK_END) == 4 and reader.tell() == 4
    assert reader.read(10) == b"45"
    assert reader.seek(1) == 1 and reader.seek(2, os.SEEK_CUR) == 3
    with pytest.raises(ValueError, match="negative seek"):
        reader.seek(-1)
    reader.close()
    with pytest.raises(ValueError, match="closed file"):
        reader.read()


def test_capped_reader_ends_early_when_the_file_shrank(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"012")
    reader = CappedFileReader(str(path), 10)
    assert reader.read() == b"012"
    assert reader.read() == b""
    reader.close()


def test_capped_reader_is_an_accepted_commit_source(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"hello world")
    operation = CommitOperationAdd("f.bin", CappedFileReader(str(path), 5))
    assert operation.upload_info.size == 5
    assert operation.b64content() == b"aGVsbG8="
