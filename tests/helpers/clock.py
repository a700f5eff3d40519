"""The fake clock of every test."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7))  # Western Indonesian Time
START = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)  # a Monday morning


class FakeClock:
    """A settable clock. Called, it gives the wall time `current` (an aware datetime); `monotonic()`
    gives seconds that only run forward, like time.monotonic().

    advance(seconds=0, **timedelta_kw): time passes, both clocks move.
    jump(**timedelta_kw): someone sets the wall clock; the monotonic clock does not move.
    """

    def __init__(self, start: datetime = START, monotonic: float = 1000.0) -> None:
        self.current = start
        self.mono = monotonic

    def __call__(self) -> datetime:
        return self.current

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float = 0.0, **kw: float) -> datetime:
        step = timedelta(**kw)
        self.current += timedelta(seconds=seconds) + step
        if seconds:
            self.mono += seconds
        if step:
            self.mono += step.total_seconds()
        return self.current

    def jump(self, **kw: float) -> datetime:
        self.current += timedelta(**kw)
        return self.current
