"""The background sync loop (sync/loop.py): a stop asked for between rounds ends the thread at once."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from guardstation.sync.loop import SyncWorker


class _Engine:
    """Syncs nothing, successfully."""

    def __init__(self, db) -> None:
        self.db = db
        self.transport = SimpleNamespace(close=lambda: None)
        self.rounds = 0

    def sync(self):
        self.rounds += 1
        return SimpleNamespace(reference_changed=False)


def test_stop_right_after_a_round_does_not_wait_for_the_next_one(station, clock):
    engine = _Engine(station.db)
    published = threading.Event()
    worker = SyncWorker(engine, clock=clock, on_status=lambda status: published.set(), interval_s=60, min_gap_s=0.5)
    worker.start()
    assert published.wait(10)  # the round is done; the thread now waits out the minimum gap
    started = time.monotonic()
    assert worker.stop(timeout=10)
    assert time.monotonic() - started < 5 and not worker.running
    assert engine.rounds == 1
