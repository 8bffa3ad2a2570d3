"""Network emulation for the local Hub: a fixed round-trip time and a per-connection bandwidth.

On loopback a round trip costs nothing, so a client that waits for its requests one after
another looks as fast as one that overlaps them. With the ``network_rtt_ms`` and
``network_bandwidth_kbps`` knobs (:class:`~hfapi.hub.settings.HubSettings`) the socket
server makes every request pay what a distant Hub would charge:

* one round trip per request, before it is handled (the request travels there, the answer
  comes back), and one more on the first request of a connection (the TCP handshake), so
  reusing connections pays off as it does on a real network;
* request and response bodies paced at the bandwidth, each connection on its own (as a
  per-flow limit: parallel connections add up).

The schedule is deterministic: no jitter, delays are a function of the knobs, the bytes
and the clock only. The clock and the sleep are injectable so that tests can check the
delays without waiting for them. Both knobs are read per request, so a change through
``PUT /_hub/config`` applies to the next request of every connection.
"""

from __future__ import annotations

import time
from typing import Callable

from .settings import HubSettings

#: ``time.sleep``-like: waits for the given seconds.
Sleep = Callable[[float], None]
#: ``time.monotonic``-like: seconds from an arbitrary origin.
Clock = Callable[[], float]


class NetworkEmulator:
    """The delays of the emulated network, shared by every connection of a server.

    Args:
        settings: the knobs, read on every call (0 turns each emulation off).
        sleep: how to wait (default :func:`time.sleep`).
        clock: the time source for bandwidth pacing (default :func:`time.monotonic`).
    """

    def __init__(
        self, settings: HubSettings, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
    ) -> None:
        self.settings = settings
        self.sleep = sleep
        self.clock = clock

    def request_delay(self, first_on_connection: bool) -> float:
        """Seconds a request waits before it is handled: its round trip(s)."""
        rtt = self.settings.network_rtt_ms / 1000
        return 2 * rtt if first_on_connection else rtt

    def before_request(self, first_on_connection: bool) -> None:
        """Wait for the request's round trip(s) (nothing when the RTT knob is 0)."""
        delay = self.request_delay(first_on_connection)
        if delay > 0:
            self.sleep(delay)

    def pacer(self) -> Pacer:
        """A bandwidth pacer for one new connection."""
        return Pacer(self)


class Pacer:
    """Paces the bytes of one connection at the emulated bandwidth.

    A token-bucket without burst: each transfer of ``n`` bytes books ``n * 8 / rate``
    seconds of the link after the end of the previous booking (or now, if the link was
    idle), and waits until its booking ends.
    """

    def __init__(self, emulator: NetworkEmulator) -> None:
        self._emulator = emulator
        self._free_at = 0.0

    def transfer(self, count: int) -> None:
        """Account for ``count`` bytes sent or received; wait as long as the link needs."""
        kbps = self._emulator.settings.network_bandwidth_kbps
        if kbps <= 0 or count <= 0:
            return
        now = self._emulator.clock()
        self._free_at = max(self._free_at, now) + count * 8 / (kbps * 1000)
        wait = self._free_at - now
        if wait > 0:
            self._emulator.sleep(wait)
