"""Hybrid logical clock: orders events across stations whose wall clocks disagree.

Encoded as a fixed-width string so that text comparison equals causal order
(wall ms, then counter, then node id to break ties deterministically).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Timestamp:
    wall_ms: int
    counter: int
    node: str = ""

    def encode(self) -> str:
        return f"{self.wall_ms:015d}-{self.counter:05d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        wall, counter, node = text.split("-", 2)
        return cls(int(wall), int(counter), node)


class HybridClock:
    def __init__(self, node: str, last: Timestamp | None = None) -> None:
        self.node = node
        self._last = last or Timestamp(0, 0, node)

    @property
    def last(self) -> Timestamp:
        return self._last

    def now(self, physical_ms: int) -> Timestamp:
        """Timestamp for a local event; never goes backwards even if the wall clock does."""
        if physical_ms > self._last.wall_ms:
            ts = Timestamp(physical_ms, 0, self.node)
        else:
            ts = Timestamp(self._last.wall_ms, self._last.counter + 1, self.node)
        self._last = ts
        return ts

    def observe(self, remote: Timestamp, physical_ms: int) -> Timestamp:
        """Merge a timestamp received from elsewhere (e.g. the server's HLC)."""
        wall = max(physical_ms, self._last.wall_ms, remote.wall_ms)
        if wall == self._last.wall_ms == remote.wall_ms:
            counter = max(self._last.counter, remote.counter) + 1
        elif wall == self._last.wall_ms:
            counter = self._last.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self._last = Timestamp(wall, counter, self.node)
        return self._last
