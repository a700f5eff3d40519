"""The station's clock: never runs backwards, and notices when the system clock jumps. No Qt.

Cheap PCs lose their time (a flat CMOS battery, a guard "fixing" the date, NTP after days
offline). Two things must hold anyway:

- Time stamps never go backwards. `ClockGuard()` returns the system time, except when that is
  behind the last time it handed out (plus the time the monotonic clock says has passed since):
  then it keeps counting from there. So a check-out is never before its check-in, and a pass that
  expired before the clock was set back is still expired. After a restart the last recorded event
  is the starting point (`anchor`).
- A jump is detected and shown: every reading compares the system clock's progress with the
  monotonic clock's; a difference beyond the tolerance is a `ClockJump` (backwards or forwards),
  which the window shows until the clock is right again.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

TOLERANCE = timedelta(minutes=2)
FORWARD_NOTICE_S = 3600.0  # a forward jump is shown for an hour (it may have been a correction)


def system_now() -> datetime:
    return datetime.now(UTC).astimezone()


@dataclass(frozen=True)
class ClockJump:
    seconds: float  # > 0: the system clock jumped forwards; < 0: backwards
    at: datetime  # the system time seen right after the jump
    mono: float = 0.0  # the monotonic clock then

    @property
    def backwards(self) -> bool:
        return self.seconds < 0


class ClockGuard:
    def __init__(
        self,
        wall: Callable[[], datetime] = system_now,
        monotonic: Callable[[], float] = time.monotonic,
        tolerance: timedelta = TOLERANCE,
    ) -> None:
        self._wall = wall
        self._monotonic = monotonic
        self.tolerance = tolerance
        self._lock = threading.Lock()
        self._floor: tuple[datetime, float] | None = None  # (last time handed out, monotonic then)
        self._last: tuple[datetime, float] | None = None  # last system reading
        self.jumps: deque[ClockJump] = deque(maxlen=20)

    def anchor(self, at: datetime | None) -> None:
        """A time known to have passed already (the last recorded event): never stamp earlier."""
        if at is None:
            return
        with self._lock:
            if self._floor is None or at > self._floor[0]:
                self._floor = (at, self._monotonic())

    def wall(self) -> datetime:
        """The system clock as it is, for showing and for the start-up check."""
        return self._wall()

    def __call__(self) -> datetime:
        wall, mono = self._wall(), self._monotonic()
        with self._lock:
            self._observe(wall, mono)
            now = wall
            estimate = self._estimate(mono)
            if estimate is not None and estimate > wall:
                now = estimate.astimezone(wall.tzinfo) if wall.tzinfo else estimate
            self._floor = (now, mono)
            return now

    def check(self) -> ClockJump | None:
        """Read the system clock (without stamping anything); the jump still in force, if any."""
        wall, mono = self._wall(), self._monotonic()
        with self._lock:
            self._observe(wall, mono)
            return self.current_jump(wall, mono)

    def _estimate(self, mono: float) -> datetime | None:
        """The station's time: the last time handed out plus what the monotonic clock says has passed."""
        if self._floor is None:
            return None
        return self._floor[0] + timedelta(seconds=max(0.0, mono - self._floor[1]))

    def behind_by(self, wall: datetime | None = None, mono: float | None = None) -> timedelta:
        """How far the system clock is behind the station's time (zero when it is not)."""
        estimate = self._estimate(self._monotonic() if mono is None else mono)
        if estimate is None:
            return timedelta(0)
        return max(timedelta(0), estimate - (wall or self._wall()))

    def current_jump(self, wall: datetime, mono: float) -> ClockJump | None:
        """The last jump, while it matters: a backward one until the clock has caught up again."""
        if not self.jumps:
            behind = self.behind_by(wall, mono)
            return ClockJump(-behind.total_seconds(), wall) if behind > self.tolerance else None
        last = self.jumps[-1]
        if last.backwards and self.behind_by(wall, mono) <= self.tolerance:
            return None  # set right again
        if not last.backwards and mono - last.mono > FORWARD_NOTICE_S:
            return None
        return last

    def _observe(self, wall: datetime, mono: float) -> None:
        if self._last is not None:
            drift = (wall - self._last[0]).total_seconds() - (mono - self._last[1])
            if abs(drift) > self.tolerance.total_seconds():
                estimate = self._estimate(mono)
                corrected = (
                    drift > 0
                    and bool(self.jumps)
                    and self.jumps[-1].backwards
                    and estimate is not None
                    and abs(wall - estimate) <= self.tolerance
                )
                if not corrected:  # a clock set right after going back is not a new jump
                    self.jumps.append(ClockJump(drift, wall, mono))
        self._last = (wall, mono)
