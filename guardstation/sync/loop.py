"""The background sync loop: rounds of push + pull, exponential backoff with jitter, never on the GUI thread.

The worker owns no state worth keeping: everything it needs to resume (the
outbox, the cursor, the epoch) is in the station database, so a restart in the
middle of a batch just sends that batch again.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from guardstation.store.db import Database
from guardstation.store.events import load_station
from guardstation.store.models import DataFreshness, Outbox
from guardstation.store.visits import count_inside_split
from guardstation.sync.engine import (
    PULL_STREAMS,
    NotEnrolled,
    SyncEngine,
    SyncReport,
    pending_count,
    record_failure,
    sync_state,
)
from guardstation.sync.transport import Offline, Refused, ServerTrouble, SyncError

log = logging.getLogger(__name__)

INTERVAL_S = 30.0  # a quiet gate still hears about other gates and new status lists this often
MIN_GAP_S = 1.0  # pokes after scans are coalesced: at most one round a second
BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 300.0
REFUSED_RETRY_S = 900.0  # a revoked token or a wrong site needs a person; do not hammer the server


def backoff_delay(
    failures: int, rng: random.Random, *, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S
) -> float:
    """Exponential backoff with "equal jitter": between half and all of min(cap, base·2^(n-1)), so stations
    that lost the network together do not all come back in the same second."""
    if failures <= 0:
        return 0.0
    ceiling = min(cap, base * 2 ** min(failures - 1, 30))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    online: bool | None = None  # None: no round finished yet
    queue_depth: int = 0
    rejected: int = 0
    last_sync_at: datetime | None = None
    last_error: str = ""
    next_attempt_at: datetime | None = None
    stream_updated: dict[str, datetime | None] = field(default_factory=dict)
    own_inside: int = 0
    others_inside: int = 0
    others_as_of: datetime | None = None
    failures: int = 0


def read_status(
    db: Database, *, online: bool | None = None, next_attempt_at: datetime | None = None, failures: int = 0
) -> SyncStatus:
    with db.read() as session:
        state = sync_state(session)
        station = load_station(session)
        own, others = count_inside_split(session, station.station_id)
        fresh = {row.stream: row.updated_at for row in session.scalars(select(DataFreshness))}
        rejected = session.scalar(select(func.count()).select_from(Outbox).where(Outbox.reject_code != "")) or 0
        return SyncStatus(
            enrolled=state is not None,
            online=online,
            queue_depth=pending_count(session),
            rejected=rejected,
            last_sync_at=max(filter(None, (state.last_push_at, state.last_pull_at)), default=None) if state else None,
            last_error=state.last_error if state else "",
            next_attempt_at=next_attempt_at,
            stream_updated={s: fresh.get(s) for s in PULL_STREAMS},
            own_inside=own,
            others_inside=others,
            others_as_of=fresh.get("visit_event"),
            failures=failures,
        )


class SyncWorker:
    def __init__(
        self,
        engine: SyncEngine,
        *,
        clock: Callable[[], datetime],
        on_status: Callable[[SyncStatus], None] = lambda status: None,
        on_report: Callable[[SyncReport], None] = lambda report: None,
        before_round: Callable[[], None] = lambda: None,
        interval_s: float = INTERVAL_S,
        min_gap_s: float = MIN_GAP_S,
        rng: random.Random | None = None,
    ) -> None:
        self.engine = engine
        self.db = engine.db
        self._clock = clock
        self._on_status = on_status
        self._on_report = on_report
        self._before_round = before_round
        self.interval_s = interval_s
        self.min_gap_s = min_gap_s
        self._rng = rng or random.Random()
        self.failures = 0
        self.online: bool | None = None
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one round (the thread's body, and what tests call directly) -----------------------------------------
    def run_once(self) -> float:
        """One round; returns the seconds to wait before the next one."""
        try:
            self._before_round()
            report = self.engine.sync()
        except NotEnrolled:
            self.online = None
            delay = self.interval_s
        except Refused as exc:
            self._failed(f"refused: {exc}")
            delay = REFUSED_RETRY_S
        except (Offline, ServerTrouble, SyncError) as exc:
            self._failed(str(exc))
            delay = backoff_delay(self.failures, self._rng)
        else:
            self.failures, self.online = 0, True
            delay = self.interval_s
            try:
                self._on_report(report)
            except Exception:
                log.exception("sync report handler failed")
        self._publish(delay)
        return delay

    def _failed(self, message: str) -> None:
        self.failures += 1
        self.online = False
        log.info("sync round failed (%d in a row): %s", self.failures, message)
        try:
            record_failure(self.db, message, self._clock())
        except Exception:  # the database may be the trouble (disk full): say so in the log
            log.exception("could not record the sync failure")

    def _publish(self, delay: float) -> None:
        try:
            status = read_status(
                self.db,
                online=self.online,
                failures=self.failures,
                next_attempt_at=self._clock() + timedelta(seconds=delay),
            )
        except Exception:
            log.exception("could not read the sync status")
            return
        self._on_status(status)

    # -- the thread -------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="guardstation-sync", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Something new is in the outbox: push soon (rounds are still at least `min_gap_s` apart)."""
        if self.failures == 0:
            self._wake.set()

    def stop(self, timeout: float = 10.0) -> bool:
        self._stopping.set()
        self._wake.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        alive = self._thread.is_alive()
        if not alive:
            self._thread = None
        self.engine.transport.close()
        return not alive

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                delay = self.run_once()
            except Exception:  # a bug, not a network fault: log it, keep the gate syncing
                log.exception("sync round crashed")
                self.failures += 1
                delay = backoff_delay(self.failures, self._rng)
            self._stopping.wait(self.min_gap_s)
            self._wake.clear()
            if self._stopping.is_set():  # stop() set both; the clear above must not make it wait a round
                break
            self._wake.wait(max(0.0, delay - self.min_gap_s))

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
