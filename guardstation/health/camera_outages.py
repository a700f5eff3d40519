"""Camera outages in the audit log: `camera_lost` when the feed stops, `camera_restored` when it is back.

No Qt. The monitoring report (reports/monitoring.py) turns these rows into outage periods for
inspectors. Only changes are written: a camera that stays lost while it is retried is one row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from guardstation.reports.monitoring import CAMERA_BACK, CAMERA_LOST
from guardstation.store.audit import append_audit
from guardstation.store.db import Database

log = logging.getLogger(__name__)
OK = "ok"


class CameraOutageLog:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        self.down: bool | None = None  # unknown until the camera first reports

    def status(self, status: str, message: str = "") -> str | None:
        """Record a change of the camera's state; returns the audit action written, if any."""
        down = status != OK
        if down == self.down or (self.down is None and not down):
            self.down = down
            return None
        action = CAMERA_LOST if down else CAMERA_BACK
        with self.db.transaction() as session:
            append_audit(
                session,
                at=self.clock(),
                actor="system",
                action=action,
                detail={"status": status, "message": message[:300]},
            )
        self.down = down
        log.warning("camera %s: %s", "lost" if down else "restored", message)
        return action
