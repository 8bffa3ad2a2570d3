"""Network emulation: RTT per request (plus a handshake), bandwidth per connection, knobs."""

from __future__ import annotations

import argparse
import hashlib
import threading
from typing import Iterator, List

import pytest
import requests

from hfapi.hub import LocalHub
from hfapi.hub.__main__ import _knobs
from hfapi.hub.netem import NetworkEmulator
from hfapi.hub.settings import HubSettings

from ._helpers import Http


class FakeTime:
    """A clock that only moves when the emulation sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: List[float] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def hub(fake: FakeTime) -> Iterator[LocalHub]:
    with LocalHub(sleep=fake.sleep, clock=fake.clock) as running:
        yield running


def test_off_by_default(hub: LocalHub, fake: FakeTime) -> None:
    http = Http(hub)
    config = http("GET", "/_hub/config", hub.admin_token).json()
    assert (config["network_rtt_ms"], config["network_bandwidth_kbps"]) == (0, 0)
    assert http("GET", "/api/whoami-v2", hub.token).status_code == 200
    assert fake.sleeps == []


def test_rtt_per_request_and_handshake_per_connection(hub: LocalHub, fake: FakeTime) -> None:
    admin = Http(hub)
    assert admin("PUT", "/_hub/config", hub.admin_token, json={"network_rtt_ms": 50}).ok
    fake.sleeps.clear()
    session = Http(hub)
    for _ in range(3):  # one keep-alive connection: the handshake is paid once
        assert session("GET", "/api/whoami-v2", hub.token).status_code == 200
    assert fake.sleeps == [0.1, 0.05, 0.05]
    fake.sleeps.clear()
    requests.get(f"{hub.url}/_hub/health")  # a new connection pays the handshake again
    assert fake.sleeps == [0.1]


def test_upload_urls_pay_rtt_and_bandwidth(fake: FakeTime) -> None:
    # 8 kbit/s = 1000 bytes/s: the 5,000 bytes of the PUT take 5 s, its answer adds more.
    with LocalHub(sleep=fake.sleep, clock=fake.clock, network_bandwidth_kbps=8) as hub:
        http = Http(hub)
        http.create_repo(hub.token, "netem")
        data = b"x" * 5000
        oid = hashlib.sha256(data).hexdigest()
        objects = [{"oid": oid, "size": len(data)}]
        batch = http.batch(hub.token, f"{hub.default_user}/netem", objects).json()
        href = batch["objects"][0]["actions"]["upload"]["href"]
        hub.configure(network_rtt_ms=20)
        fake.sleeps.clear()
        put = http.session.put(href, data=data)
        assert put.ok
        rtt, paced = fake.sleeps[0], fake.sleeps[1:]
        assert rtt == pytest.approx(0.02)  # the session's connection is already open
        assert sum(paced) == pytest.approx((len(data) + len(put.content)) / 1000)


def test_pacer_books_the_link_without_burst(fake: FakeTime) -> None:
    settings = HubSettings(network_bandwidth_kbps=800)  # 100,000 bytes/s
    pacer = NetworkEmulator(settings, fake.sleep, fake.clock).pacer()
    pacer.transfer(10_000)
    pacer.transfer(10_000)
    assert fake.sleeps == pytest.approx([0.1, 0.1])
    fake.now += 5  # an idle link does not bank credit for later
    pacer.transfer(50_000)
    assert fake.sleeps[-1] == pytest.approx(0.5)


def test_knobs_refuse_negative_values_and_accept_zero(hub: LocalHub) -> None:
    http = Http(hub)
    refused = http("PUT", "/_hub/config", hub.admin_token, json={"network_rtt_ms": -1})
    assert refused.status_code == 400
    assert "must be 0 or more" in refused.json()["error"]
    with pytest.raises(ValueError, match="network_bandwidth_kbps"):
        LocalHub(network_bandwidth_kbps=-5)
    assert http("PUT", "/_hub/config", hub.admin_token, json={"network_rtt_ms": 0}).ok
    with pytest.raises(ValueError, match="lfs_chunk_size"):
        HubSettings(lfs_chunk_size=0)  # other knobs stay strictly positive


def test_cli_set_parses_network_knobs() -> None:
    parser = argparse.ArgumentParser()
    knobs = _knobs(parser, ["network_rtt_ms=50", "network_bandwidth_kbps=200000"])
    assert knobs == {"network_rtt_ms": 50, "network_bandwidth_kbps": 200000}
    assert LocalHub(**knobs).settings.network_rtt_ms == 50
