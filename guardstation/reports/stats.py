"""Pure arithmetic for the reports: hourly occupancy, gaps in scanning, opening hours.

No SQL and no I/O: fed one visit at a time in time order, so a report over a year of visits
needs memory only for the people inside at once and for the hour buckets.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

HOUR = timedelta(hours=1)
_TICK = timedelta(microseconds=1)
TIMELINE_MAX_HOURS = 48  # longer periods are summarised by hour of day


@dataclass(frozen=True)
class HourBucket:
    start: datetime  # local time
    peak: int  # most people inside at once during the hour
    entries: int  # check-ins during the hour


class OccupancySweep:
    """People inside over time from check-ins (in time order) and their check-outs.

    Feed it with `carry_in(end)` for everyone already inside at the period's start, then `add(start, end)`
    for each admitted visit in time order (end None: still inside at `now`). Then `timeline()` gives the
    peak and the entries of each clock hour (periods up to TIMELINE_MAX_HOURS), and `hours_of_day()` the
    summary by hour of day (any period). Memory: the people inside at once, plus one entry per hour
    for a short period only, so a ten-year period costs no more than a day.
    """

    def __init__(
        self, start: datetime, end: datetime, tz: tzinfo | None, now: datetime, keep_timeline: bool | None = None
    ) -> None:
        self.tz = tz
        local_start = start.astimezone(tz)
        self._origin = local_start.replace(minute=0, second=0, microsecond=0)
        self._end = end
        self._now = now
        self._count = max(1, math.ceil((end.astimezone(tz) - self._origin) / HOUR))
        self.keep_timeline = (self._count <= TIMELINE_MAX_HOURS) if keep_timeline is None else keep_timeline
        self._timeline: list[HourBucket] = []
        self._sums = [0] * 24
        self._highs = [0] * 24
        self._hour_entries = [0] * 24
        self._days: set[date] = set()
        self._bucket = 0
        self._bucket_peak = 0
        self._bucket_entries = 0
        self._inside = 0
        self._ends: list[datetime] = []
        self._done = False
        self.peak = 0
        self.peak_at: datetime | None = None

    def _index(self, t: datetime) -> int:
        return min(self._count - 1, max(0, int((t.astimezone(self.tz) - self._origin) // HOUR)))

    def _close_bucket(self) -> None:
        start = self._origin + self._bucket * HOUR
        peak, entries = self._bucket_peak, self._bucket_entries
        if self.keep_timeline:
            self._timeline.append(HourBucket(start, peak, entries))
        local = start.astimezone(self.tz)
        hour = local.hour
        self._sums[hour] += peak
        self._highs[hour] = max(self._highs[hour], peak)
        self._hour_entries[hour] += entries
        if peak or entries:
            self._days.add(local.date())

    def _move_to(self, index: int) -> None:
        while self._bucket < index:
            self._close_bucket()
            self._bucket += 1
            self._bucket_peak, self._bucket_entries = self._inside, 0

    def _advance(self, t: datetime) -> None:
        while self._ends and self._ends[0] <= t:
            ended = heapq.heappop(self._ends)
            # inside during the hour they left in (someone leaving at 09:00 sharp was not inside at 09:xx)
            self._move_to(self._index(ended - _TICK))
            self._inside -= 1
        self._move_to(self._index(t))

    def _bump(self, t: datetime) -> None:
        self._inside += 1
        if self._inside > self._bucket_peak:
            self._bucket_peak = self._inside
        if self._inside > self.peak:
            self.peak, self.peak_at = self._inside, t

    def _end_of(self, start: datetime, end: datetime | None) -> datetime:
        if end is None:
            end = max(self._now, start)
        return max(start, end)

    def carry_in(self, end: datetime | None) -> None:
        """Someone already inside when the period began."""
        heapq.heappush(self._ends, self._end_of(self._origin, end))
        self._bump(self._origin)

    def add(self, start: datetime, end: datetime | None) -> None:
        self._advance(start)
        self._bucket_entries += 1
        heapq.heappush(self._ends, self._end_of(start, end))
        self._bump(start)

    def finish(self) -> None:
        if not self._done:
            self._done = True
            self._advance(self._end)
            self._move_to(self._count - 1)
            self._close_bucket()

    def timeline(self) -> list[HourBucket]:
        if not self.keep_timeline:
            raise ValueError("no hourly timeline kept for a period this long; use hours_of_day()")
        self.finish()
        return list(self._timeline)

    def hours_of_day(self) -> list[HourOfDay]:
        """Average (over the days with any visit) and highest peak per hour of day, entries summed."""
        self.finish()
        days = len(self._days)
        return [
            HourOfDay(h, self._sums[h] / days if days else 0.0, self._highs[h], self._hour_entries[h])
            for h in range(24)
        ]

    @property
    def active_days(self) -> int:
        self.finish()
        return len(self._days)


@dataclass(frozen=True)
class HourOfDay:
    hour: int
    average_peak: float
    highest_peak: int
    entries: int


@dataclass(frozen=True)
class OpeningHours:
    """When the office is open: local times, ISO weekdays (1 = Monday)."""

    opens: time = time(7, 0)
    closes: time = time(17, 0)
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})

    @classmethod
    def from_policy(cls, policy: dict[str, Any] | None) -> OpeningHours:
        """Site policy `{"opening_hours": {"open": "07:30", "close": "16:00", "days": [1, 2, 3, 4, 5]}}`."""
        data = (policy or {}).get("opening_hours")
        if not isinstance(data, dict):
            return cls()
        try:
            opens = time.fromisoformat(str(data.get("open", "07:00")))
            closes = time.fromisoformat(str(data.get("close", "17:00")))
            days = frozenset(int(d) for d in data.get("days", [1, 2, 3, 4, 5]) if 1 <= int(d) <= 7)
        except (TypeError, ValueError):
            return cls()
        if closes <= opens or not days:
            return cls()
        return cls(opens, closes, days)

    def windows(self, start: datetime, end: datetime, tz: tzinfo | None) -> Iterable[tuple[datetime, datetime]]:
        """The opening windows (aware, local) that intersect [start, end), clipped to it."""
        day = start.astimezone(tz).date()
        last = end.astimezone(tz).date()
        while day <= last:
            if day.isoweekday() in self.weekdays:
                lo = datetime.combine(day, self.opens).replace(tzinfo=tz) if tz else datetime.combine(day, self.opens)
                hi = datetime.combine(day, self.closes).replace(tzinfo=tz) if tz else datetime.combine(day, self.closes)
                lo, hi = max(lo, start), min(hi, end)
                if lo < hi:
                    yield lo, hi
            day += timedelta(days=1)


@dataclass
class GapFinder:
    """Periods without any scan longer than `min_gap` inside opening hours, fed scan times in order."""

    start: datetime
    end: datetime
    opening: OpeningHours
    min_gap: timedelta
    tz: tzinfo | None
    gaps: list[tuple[datetime, datetime]] = field(default_factory=list)
    _last: datetime | None = None

    def _check(self, a: datetime, b: datetime) -> None:
        if b - a <= self.min_gap:
            return  # the whole gap is short: no need to look at opening hours
        for lo, hi in self.opening.windows(a, b, self.tz):
            if hi - lo > self.min_gap:
                self.gaps.append((lo, hi))

    def add(self, t: datetime) -> None:
        self._check(self._last or self.start, t)
        self._last = max(t, self._last or t)

    def finish(self) -> list[tuple[datetime, datetime]]:
        self._check(self._last or self.start, self.end)
        return self.gaps
