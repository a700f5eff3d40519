"""The start-up hardware check: camera present, free disk space, clock sanity, settings file. No Qt.

Each finding is a code plus numbers; the UI (ui/hardware_notices.py) words it
in Indonesian or English. Levels: "ok", "warn" (shown in a banner), "refuse"
(free space so low that scans must not be taken: the window shows the same
message as a full disk).
"""

from __future__ import annotations

import logging
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from guardstation.store.db import Database
from guardstation.store.models import VisitEvent

log = logging.getLogger(__name__)

LOW_DISK_WARN_BYTES = 1_000_000_000  # < 1 GB free: warn
LOW_DISK_REFUSE_BYTES = 100_000_000  # < 100 MB free: no new scans
CLOCK_TOLERANCE = timedelta(minutes=2)  # a last event this far in the future means the clock went back
EARLIEST_PLAUSIBLE = datetime(2024, 1, 1).astimezone()

OK, WARN, REFUSE = "ok", "warn", "refuse"


@dataclass(frozen=True)
class Finding:
    check: str  # "camera" | "disk" | "clock" | "settings"
    level: str  # OK | WARN | REFUSE
    code: str  # e.g. "camera_missing", "disk_low", "clock_behind"
    params: dict = field(default_factory=dict)


def camera_present(spec: str | None, *, probe: Callable[[int], bool] | None = None) -> Finding:
    if spec is None or not str(spec).strip():
        return Finding("camera", WARN, "camera_none")
    spec = str(spec).strip()
    if not spec.isdigit():
        path = Path(spec)
        return (
            Finding("camera", OK, "camera_file", {"source": spec})
            if path.exists()
            else Finding("camera", WARN, "camera_file_missing", {"source": spec})
        )
    index = int(spec)
    present = (probe or _probe_webcam)(index)
    return Finding("camera", OK if present else WARN, "camera_ok" if present else "camera_missing", {"index": index})


def _probe_webcam(index: int) -> bool:
    """Linux: the device node exists (cheap, does not grab the camera). Elsewhere: open and release."""
    if sys.platform.startswith("linux"):
        return Path(f"/dev/video{index}").exists()
    import cv2

    capture = cv2.VideoCapture(index)
    try:
        return bool(capture.isOpened())
    finally:
        capture.release()


def disk_space(folder: Path) -> Finding:
    free = shutil.disk_usage(folder).free
    params = {"free_mb": int(free // 1_000_000), "folder": str(folder)}
    if free < LOW_DISK_REFUSE_BYTES:
        return Finding("disk", REFUSE, "disk_critical", params)
    if free < LOW_DISK_WARN_BYTES:
        return Finding("disk", WARN, "disk_low", params)
    return Finding("disk", OK, "disk_ok", params)


def last_event_time(db: Database) -> datetime | None:
    with db.read() as session:
        return session.scalar(select(func.max(VisitEvent.occurred_at)))


def clock_sanity(db: Database, now: datetime) -> Finding:
    last = last_event_time(db)
    if now < EARLIEST_PLAUSIBLE:
        return Finding("clock", WARN, "clock_unset", {"now": now})
    if last is not None and now + CLOCK_TOLERANCE < last:
        return Finding(
            "clock",
            WARN,
            "clock_behind",
            {"now": now, "last": last, "minutes": int((last - now).total_seconds() // 60)},
        )
    return Finding("clock", OK, "clock_ok", {"now": now, "last": last})


def settings_file(fallback: str, damaged_copy: str, reset_fields: tuple[str, ...] = ()) -> Finding:
    """config.json was damaged at start (settings.model.Settings.load): what is in use instead.

    `reset_fields`: only these values were refused; the others were read as they were."""
    if not fallback:
        return Finding("settings", OK, "settings_ok")
    if reset_fields:
        return Finding(
            "settings", WARN, "settings_fields_reset", {"fields": ", ".join(reset_fields), "file": damaged_copy}
        )
    return Finding("settings", WARN, f"settings_damaged_{fallback}", {"file": damaged_copy})


def run_hardware_check(
    *,
    camera: str | None,
    home: Path,
    db: Database,
    now: datetime,
    probe: Callable[[int], bool] | None = None,
    settings_fallback: str = "",
    damaged_settings: str = "",
    reset_settings: tuple[str, ...] = (),
) -> list[Finding]:
    findings = [
        camera_present(camera, probe=probe),
        disk_space(home),
        clock_sanity(db, now),
        settings_file(settings_fallback, damaged_settings, reset_settings),
    ]
    for f in findings:
        (log.info if f.level == OK else log.warning)("hardware check %s: %s %s %s", f.check, f.level, f.code, f.params)
    return findings
