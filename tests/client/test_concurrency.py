"""Calls side by side on the shared worker pool: bounds, order, errors, lazy inputs."""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError
from typing import Iterator, List

import pytest

from hfapi.commit.concurrency import CallGroup, ParallelismProbe, map_ordered, shared_pool

WAIT = 10.0  # seconds before a test gives up on an event that must happen


class _Gate:
    """Counts calls running at once; each call waits until the test opens the gate."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.open = threading.Event()
        self.threads: List[int] = []

    def call(self, value: int) -> int:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.append(threading.get_ident())
        assert self.open.wait(WAIT)
        with self.lock:
            self.running -= 1
        return value * 10


def test_a_group_never_runs_more_than_its_bound() -> None:
    gate = _Gate()
    group = CallGroup(max_workers=3)
    futures = [group.submit(gate.call, value) for value in range(10)]
    gate.open.set()
    group.shutdown(wait=True)
    assert [future.result() for future in futures] == [value * 10 for value in range(10)]
    assert gate.most <= 3


def test_shutdown_cancels_calls_not_started_and_waits_for_the_others() -> None:
    gate = _Gate()
    group = CallGroup(max_workers=1)
    futures = [group.submit(gate.call, value) for value in range(3)]
    group.shutdown(wait=False, cancel_futures=True)
    gate.open.set()
    assert futures[0].result(timeout=WAIT) == 0
    for future in futures[1:]:
        with pytest.raises(CancelledError):
            future.result()
    with pytest.raises(RuntimeError):
        group.submit(gate.call, 4)


def test_a_call_submitted_first_goes_ahead_of_those_waiting() -> None:
    # An LFS object's verify call must not wait behind every transfer not started yet.
    gate, order = _Gate(), []
    group = CallGroup(max_workers=1)
    group.submit(gate.call, 0)  # holds the only slot
    for name in ("transfer-1", "transfer-2"):
        group.submit(order.append, name)
    group.submit_first(lambda: order.append("verify"))
    gate.open.set()
    group.shutdown()
    assert order == ["verify", "transfer-1", "transfer-2"]


def test_a_failing_call_is_reported_on_its_future_and_frees_its_slot() -> None:
    group = CallGroup(max_workers=1)

    def fail(value: int) -> int:
        raise KeyError(value)

    failed = group.submit(fail, 1)
    after = group.submit(lambda: 2)
    group.shutdown()
    with pytest.raises(KeyError):
        failed.result()
    assert after.result() == 2


def test_worker_threads_outlive_their_groups() -> None:
    # The same threads serve one group after another: their sessions (and keep-alive
    # connections) serve the preupload calls and then the LFS transfers.
    first, second = _Gate(), _Gate()
    for gate in (first, second):
        gate.open.set()
        group = CallGroup(max_workers=2)
        for value in range(6):
            group.submit(gate.call, value)
        group.shutdown()
    assert set(second.threads) <= set(first.threads) | {
        thread.ident for thread in threading.enumerate() if thread.name.startswith("hfapi-calls")
    }
    assert shared_pool() is shared_pool()


def test_map_ordered_keeps_the_order_of_its_inputs() -> None:
    gate = _Gate()
    gate.open.set()
    assert list(map_ordered(gate.call, range(20), max_workers=4)) == [v * 10 for v in range(20)]
    assert gate.most <= 4


def test_map_ordered_reads_its_inputs_while_calls_are_in_flight() -> None:
    # The producer (hashing, in upload_folder) runs while earlier calls wait on the
    # network: here the second input is produced while the first call is still blocked.
    first_call_started = threading.Event()
    release = threading.Event()
    produced_during_first_call: List[bool] = []

    def inputs() -> Iterator[int]:
        yield 0
        yield 1
        assert first_call_started.wait(WAIT)
        produced_during_first_call.append(not release.is_set())
        release.set()
        yield 2

    def call(value: int) -> int:
        if value == 0:
            first_call_started.set()
            assert release.wait(WAIT)
        return value

    assert list(map_ordered(call, inputs(), max_workers=2)) == [0, 1, 2]
    assert produced_during_first_call == [True]


def test_map_ordered_sends_the_first_call_before_producing_the_second_input() -> None:
    # upload_folder: the preupload call of the first 256 files goes out while the next
    # 256 are hashed, even when there are only two groups.
    first_call_started = threading.Event()

    def inputs() -> Iterator[int]:
        yield 0
        assert first_call_started.wait(WAIT), "the first call waited for the second input"
        yield 1

    def call(value: int) -> int:
        if value == 0:
            first_call_started.set()
        return value

    assert list(map_ordered(call, inputs(), max_workers=2)) == [0, 1]


def test_map_ordered_raises_the_first_error_in_order_and_sends_nothing_more() -> None:
    started: List[int] = []
    lock = threading.Lock()
    failed = threading.Event()

    def call(value: int) -> int:
        with lock:
            started.append(value)
        if value == 1:
            failed.set()
            raise ValueError("bad answer for 1")
        return value

    def inputs() -> Iterator[int]:
        yield from range(3)
        assert failed.wait(WAIT)
        yield from range(3, 1000)

    with pytest.raises(ValueError, match="bad answer for 1"):
        list(map_ordered(call, inputs(), max_workers=2))
    assert len(started) < 1000


def test_map_ordered_reports_an_error_of_its_inputs() -> None:
    def inputs() -> Iterator[int]:
        yield 1
        yield 2
        raise OSError("file vanished while hashing")

    with pytest.raises(OSError, match="vanished"):
        list(map_ordered(lambda v: v, inputs(), max_workers=2))


@pytest.mark.parametrize("max_workers", [1, 4])
def test_a_single_input_or_one_worker_runs_in_the_calling_thread(max_workers: int) -> None:
    here = threading.get_ident()
    items = [1] if max_workers > 1 else [1, 2, 3]
    threads = list(map_ordered(lambda _: threading.get_ident(), items, max_workers))
    assert set(threads) == {here}


def test_no_input_makes_no_call() -> None:
    assert list(map_ordered(lambda v: v, iter(()), max_workers=3)) == []


# -- resizing and the parallelism probe ----------------------------------------------------


def test_a_narrower_bound_lets_running_calls_finish_and_holds_the_next() -> None:
    gate = _Gate()
    group = CallGroup(max_workers=3)
    futures = [group.submit(gate.call, value) for value in range(6)]
    group.resize(1)
    assert group.max_workers == 1
    gate.open.set()
    group.shutdown()
    assert [future.result() for future in futures] == [v * 10 for v in range(6)]
    assert gate.most <= 3


def test_a_wider_bound_starts_waiting_calls_at_once() -> None:
    # Each call waits for all four to be running: only a wider bound lets them finish.
    everyone = threading.Barrier(4)
    group = CallGroup(max_workers=1)
    futures = [group.submit(lambda v=value: everyone.wait(WAIT) >= 0 and v) for value in range(4)]
    group.resize(4)
    group.shutdown()
    assert [future.result() for future in futures] == [0, 1, 2, 3]


class _Link:
    """Bytes sent through a group over simulated time (a fake clock, no threads)."""

    def __init__(self, group: CallGroup, per_transfer: float, shared: float) -> None:
        self.group, self.now = group, 0.0
        self.per_transfer, self.shared = per_transfer, shared

    def clock(self) -> float:
        return self.now

    def run(self, probe: ParallelismProbe, seconds: float, step: float = 0.05) -> None:
        for _ in range(int(seconds / step)):
            self.now += step
            rate = min(self.per_transfer * self.group.max_workers, self.shared)
            probe.sent(int(rate * step))


@pytest.mark.parametrize(
    ("start", "per_transfer", "shared", "burst", "timeline"),
    [
        # A per-connection limit: every doubling pays, up to the limit.
        (5, 25e6, 1e12, 0, [(1.4, 5), (0.4, 10), (1.6, 16), (5, 16)]),
        # A shared bottleneck: the doubling buys nothing, is undone, and probing stops.
        (5, 100e6, 300e6, 0, [(1.6, 10), (1.6, 5), (5, 5)]),
        # Buffers filling at the start look like speed: the burst must not set the baseline.
        (4, 10e6, 40e6, 10**9, [(1.6, 8), (1.6, 4)]),
    ],
    ids=["per-connection-limit", "shared-bottleneck", "start-up-burst"],
)
def test_the_probe_doubles_while_it_pays_and_undoes_what_does_not(
    start: int, per_transfer: float, shared: float, burst: int, timeline: List[tuple]
) -> None:
    group = CallGroup(max_workers=start)
    link = _Link(group, per_transfer=per_transfer, shared=shared)
    probe = ParallelismProbe(group, limit=16, window=1.0, settle=0.5, clock=link.clock)
    if burst:
        probe.sent(burst)  # at time 0
    for seconds, bound in timeline:
        link.run(probe, seconds)
        assert group.max_workers == bound, (link.now, bound)


def test_no_probing_at_or_above_the_limit() -> None:
    group = CallGroup(max_workers=8)
    link = _Link(group, per_transfer=1e6, shared=1e12)
    probe = ParallelismProbe(group, limit=8, window=1.0, settle=0.5, clock=link.clock)
    link.run(probe, 10)
    assert group.max_workers == 8
