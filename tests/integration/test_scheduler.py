"""CommitScheduler against the local Hub, its ticks driven by a manual timer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest

import hfapi
from hfapi import CommitScheduler, HfApi, HfHubHTTPError
from hfapi.commit.scheduler import ManualTimer
from hfapi.hub import LocalHub
from hfapi.hub.pytest_plugin import HubUser

from ._helpers import content, download

SUBPROCESS_DEADLINE = 120


@pytest.fixture
def timer(monkeypatch: pytest.MonkeyPatch) -> ManualTimer:
    manual = ManualTimer()
    monkeypatch.setattr(CommitScheduler, "_new_timer", lambda self: manual)
    return manual


@pytest.fixture
def start(
    hf_api: HfApi, tmp_path: Path, timer: ManualTimer
) -> Iterator[Callable[..., CommitScheduler]]:
    """Start a scheduler on ``tmp_path/data``; returns once its first push is over."""
    built: List[CommitScheduler] = []

    def build(**kwargs: Any) -> CommitScheduler:
        kwargs.setdefault("repo_id", "sched")
        kwargs.setdefault("folder_path", tmp_path / "data")
        kwargs.setdefault("hf_api", hf_api)
        scheduler = CommitScheduler(**kwargs)
        built.append(scheduler)
        timer.wait_until_waiting()
        assert scheduler.last_future is not None
        scheduler.last_future.result()
        return scheduler

    yield build
    for scheduler in built:
        scheduler.stop()


def append_line(scheduler: CommitScheduler, name: str, line: str) -> None:
    with scheduler.lock, (scheduler.folder_path / name).open("a") as handle:
        handle.write(line + "\n")


def scheduled_commits(api: HfApi, repo_id: str, **kwargs: Any) -> int:
    return sum(c.title == "Scheduled Commit" for c in api.list_repo_commits(repo_id, **kwargs))


def test_appended_lines_go_out_one_commit_per_tick(start, timer, hf_api, local_hub, hub_user):
    scheduler = start(repo_type="dataset")
    repo = f"{hub_user.name}/sched"
    assert scheduler.repo_id == repo
    assert hf_api.repo_info(repo, repo_type="dataset").id == repo
    assert scheduled_commits(hf_api, repo, repo_type="dataset") == 0  # empty folder
    lines = []
    for step in range(3):
        lines.append(f"{step},{step * 0.5}")
        append_line(scheduler, "metrics.csv", lines[-1])
        timer.tick()
        info = scheduler.last_future.result()
        assert info is not None and info.commit_message == "Scheduled Commit"
        expected = "".join(line + "\n" for line in lines).encode()
        assert content(local_hub, repo, "metrics.csv", repo_type="dataset") == expected
        assert scheduled_commits(hf_api, repo, repo_type="dataset") == step + 1
    timer.tick()  # nothing changed: no commit
    assert scheduler.last_future.result() is None
    assert scheduled_commits(hf_api, repo, repo_type="dataset") == 3


def test_a_failed_commit_is_retried_at_the_next_tick(start, timer, hf_api, local_hub, hub_user):
    scheduler = start()
    repo = f"{hub_user.name}/sched"
    append_line(scheduler, "log.txt", "kept")
    local_hub.inject_faults(1, kinds=("500",), routes=("commits.commit",))
    try:
        timer.tick()
        error = scheduler.last_future.exception()
    finally:
        local_hub.inject_faults(0)
    assert isinstance(error, HfHubHTTPError) and error.response.status_code == 500
    assert download(local_hub, repo, "log.txt").status_code == 404
    timer.tick()  # no new write: the failed push's files go out now
    assert scheduler.last_future.result() is not None
    assert content(local_hub, repo, "log.txt") == b"kept\n"
    assert scheduled_commits(hf_api, repo) == 1


def test_a_push_waits_for_the_writer_holding_the_lock(start, local_hub, hub_user):
    scheduler = start()
    path = scheduler.folder_path / "log.txt"
    with scheduler.lock, path.open("a") as handle:
        handle.write("first half, ")
        handle.flush()
        future = scheduler.trigger()
        assert not future.done()  # its scan needs the lock
        handle.write("second half\n")
    assert future.result() is not None
    assert content(local_hub, f"{hub_user.name}/sched", "log.txt") == b"first half, second half\n"


def test_path_in_repo_revision_and_patterns(start, hf_api, local_hub, hub_user, tmp_path):
    repo = f"{hub_user.name}/sched"
    hf_api.create_repo(repo, private=True)
    hf_api.create_branch(repo, branch="logs")
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.txt").write_text("a")
    (data / "sub" / "b.txt").write_text("b")
    (data / "skip.bin").write_bytes(b"\0")
    start(path_in_repo="runs/1", revision="logs", ignore_patterns="*.bin")
    files = hf_api.list_repo_files(repo, revision="logs")
    assert sorted(files) == [".gitattributes", "runs/1/a.txt", "runs/1/sub/b.txt"]
    assert hf_api.list_repo_files(repo) == [".gitattributes"]
    assert content(local_hub, repo, "runs/1/sub/b.txt", "logs", token=hub_user.token) == b"b"


_EXIT_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from hfapi import CommitScheduler, HfApi
    from hfapi.commit.scheduler import ManualTimer

    timer = ManualTimer()  # never ticks: only the start and the exit hook push
    CommitScheduler._new_timer = lambda self: timer
    api = HfApi(endpoint=sys.argv[1], token=os.environ["SCHEDULER_TEST_TOKEN"])
    scheduler = CommitScheduler(repo_id="exit", folder_path=sys.argv[2], hf_api=api)
    timer.wait_until_waiting()
    scheduler.last_future.result()
    with scheduler.lock:
        with open(os.path.join(sys.argv[2], "last.txt"), "w") as handle:
            handle.write("written just before exit")
        for name in ("one.bin", "two.bin"):  # two LFS transfers
            with open(os.path.join(sys.argv[2], name), "wb") as handle:
                handle.write(name.encode() * 100)
    if sys.argv[3] == "stop":
        scheduler.stop()
    """
)


@pytest.mark.parametrize("stop", [False, True])
def test_the_last_push_happens_at_exit_unless_stopped(
    stop: bool, hf_api: HfApi, local_hub: LocalHub, hub_user: HubUser, tmp_path: Path
):
    source_root = str(Path(hfapi.__file__).resolve().parent.parent)
    env = {**os.environ, "SCHEDULER_TEST_TOKEN": hub_user.token, "PYTHONPATH": source_root}
    result = subprocess.run(
        [sys.executable, "-c", _EXIT_SCRIPT, local_hub.url, str(tmp_path), "stop" if stop else ""],
        env=env,
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_DEADLINE,
    )
    assert result.returncode == 0, result.stderr
    assert hub_user.token not in result.stderr + result.stdout
    repo = f"{hub_user.name}/exit"
    if stop:
        assert download(local_hub, repo, "last.txt").status_code == 404
        assert scheduled_commits(hf_api, repo) == 0
    else:
        assert content(local_hub, repo, "last.txt") == b"written just before exit"
        assert content(local_hub, repo, "two.bin") == b"two.bin" * 100
        siblings = hf_api.model_info(repo, files_metadata=True).siblings
        assert sorted(file.rfilename for file in siblings if file.lfs) == ["one.bin", "two.bin"]
        assert scheduled_commits(hf_api, repo) == 1
