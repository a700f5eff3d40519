"""Capacity gauge arithmetic: people inside versus the site's limit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

WARN_RATIO = 0.8  # gauge turns amber at 80 % of the limit


class GaugeLevel(str, Enum):
    OK = "ok"
    WARN = "warn"
    FULL = "full"


@dataclass(frozen=True)
class Occupancy:
    inside_here: int  # open visits recorded by this station
    capacity: int | None  # None: the site has no limit
    inside_elsewhere: int = 0  # last known count of the site's other gates
    elsewhere_age_s: float | None = None  # how old that count is (None: no other gates known)

    @property
    def inside(self) -> int:
        return max(0, self.inside_here) + max(0, self.inside_elsewhere)

    @property
    def ratio(self) -> float:
        if not self.capacity:
            return 0.0
        return self.inside / self.capacity

    @property
    def level(self) -> GaugeLevel:
        if self.capacity is None:
            return GaugeLevel.OK
        if self.inside >= self.capacity:
            return GaugeLevel.FULL
        if self.ratio >= WARN_RATIO:
            return GaugeLevel.WARN
        return GaugeLevel.OK

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.inside >= self.capacity
