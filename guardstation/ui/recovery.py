"""A damaged database at start-up: say so, offer the newest backup that passes its integrity check."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from guardstation.station.context import DB_FILENAME, StationContext, open_station
from guardstation.store.db import DatabaseError, backup_if_older_than, good_backups, restore_backup

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("DatabaseRecovery", text)


def ask(question: str, details: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "GuardStation",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDetailedText(details)
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


def offer_backup(home: Path, problem: str, *, ask=ask) -> StationContext | None:
    """The station, opened on the restored backup the person at the desk agreed to; None otherwise."""
    path = Path(home) / DB_FILENAME
    backups = good_backups(path)
    if not backups:
        return None
    newest = backups[0]
    made = datetime.fromtimestamp(newest.stat().st_mtime).strftime("%d-%m-%Y %H:%M")
    question = _tr(
        "The station's database is damaged and cannot be used. The last good backup is from %1.\n\n"
        "Restore it? Visits recorded after %1 are not in it; the damaged database is kept beside it, "
        "renamed."
    ).replace("%1", made)
    if not ask(question, problem):
        return None
    damaged = restore_backup(path, newest)
    log.warning("database restored from %s; the damaged one kept as %s", newest, damaged)
    try:
        return open_station(home)
    except DatabaseError as exc:
        log.error("the restored backup cannot be opened either: %s", exc)
        return None


def daily_backup(station: StationContext) -> None:
    """One backup a day at start-up: what offer_backup can go back to."""
    try:
        made = backup_if_older_than(station.db.path)
    except (OSError, RuntimeError) as exc:  # disk full, locked...: the hardware check says the rest
        log.error("daily backup not made: %s", exc)
        return
    except Exception as exc:  # sqlite3.Error: a backup is a convenience, never a reason not to start
        log.exception("daily backup failed: %s", exc)
        return
    if made is not None:
        log.info("daily backup written to %s", made)
