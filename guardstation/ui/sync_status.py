"""Sync in the guard's window: the worker thread bridged to Qt signals, the top-bar status, exposure alerts.

The worker (guardstation/sync/loop.py) runs on its own Python thread and never
touches a widget: its callbacks emit signals, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QWidget

from guardstation.station.context import StationContext
from guardstation.station.server_link import build_worker
from guardstation.sync.engine import SyncReport
from guardstation.sync.loop import SyncStatus, SyncWorker
from guardstation.ui.qt_helpers import label

log = logging.getLogger(__name__)

STREAM_NAMES = {
    "visit_event": "Other gates' visits",
    "site_config": "Site settings",
    "rule_pack": "Rule packs",
    "status_entry": "Status list",
    "trust_key": "Trusted keys",
    "alert": "Alerts",
}


class SyncBridge(QObject):
    status = Signal(object)  # SyncStatus
    report = Signal(object)  # SyncReport

    def __init__(self, station: StationContext, worker_factory=build_worker) -> None:
        super().__init__()
        self.station = station
        self._factory = worker_factory
        self.worker: SyncWorker | None = None

    def start(self) -> bool:
        """Starts syncing if this station is enrolled (or has an enrolment waiting); False if standalone."""
        if self.worker is not None:
            return True
        self.worker = self._factory(self.station, on_status=self.status.emit, on_report=self.report.emit)
        if self.worker is None:
            return False
        self.worker.start()
        return True

    def poke(self, *_args) -> None:
        if self.worker is not None:
            self.worker.poke()

    def stop(self) -> None:
        if self.worker is not None:
            if not self.worker.stop(timeout=10.0):
                log.error("the sync thread did not stop within 10 s (a request in flight); leaving it")
            self.worker = None


def _clock_text(at: datetime | None) -> str:
    return at.astimezone().strftime("%H:%M") if at is not None else "—"


class SyncStatusBar(QWidget):
    """One line at the top: online or offline, queue depth, last sync; stream ages in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = label()
        self.text.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.text)
        layout.addStretch(1)
        self.show_standalone()

    def show_standalone(self) -> None:
        self.text.setText(self.tr("Standalone: no central server"))
        self.text.setStyleSheet("#syncStatus { color: #555; }")
        self.text.setToolTip("")

    def show_status(self, status: SyncStatus) -> None:
        if status.online is None:
            state, colour = self.tr("Connecting to the server…"), "#555"
        elif status.online:
            state, colour = self.tr("Online"), "#1b7f3b"
        else:
            state, colour = (
                self.tr("Offline (retry at %1)").replace("%1", _clock_text(status.next_attempt_at)),
                "#b35c00",
            )
        parts = [
            f"● {state}",
            self.tr("queue: %1").replace("%1", str(status.queue_depth)),
            self.tr("last sync: %1").replace("%1", _clock_text(status.last_sync_at)),
        ]
        if status.rejected:
            parts.append(self.tr("%1 refused by the server (see log)").replace("%1", str(status.rejected)))
        self.text.setText("   ".join(parts))
        self.text.setStyleSheet(f"#syncStatus {{ color: {colour}; font-weight: 600; }}")
        now = datetime.now().astimezone()
        lines = []
        for stream, updated in status.stream_updated.items():
            name = self.tr(STREAM_NAMES.get(stream, stream))
            if updated is None:
                lines.append(self.tr("%1: never received").replace("%1", name))
            else:
                minutes = max(0, int((now - updated).total_seconds() // 60))
                lines.append(self.tr("%1: %2 min old").replace("%1", name).replace("%2", str(minutes)))
        if status.last_error:
            lines.append(self.tr("Last problem: %1").replace("%1", status.last_error))
        self.text.setToolTip("\n".join(lines))


def alert_text(body: dict, lang: str) -> str:
    message = body.get("message_id") if lang == "id" else body.get("message")
    return str(message or body.get("message") or json.dumps(body, ensure_ascii=False))[:2000]


class AlertNotifier(QObject):
    """Shows each new exposure alert to the supervisor, once, in a dialog that stays until read."""

    def __init__(self, parent: QWidget, lang: str) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.lang = lang
        self.shown: list[QMessageBox] = []

    def on_report(self, report: SyncReport) -> None:
        for body in report.alerts:
            box = QMessageBox(self.parent_widget)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Exposure alert"))
            box.setText(alert_text(body, self.lang))
            box.setInformativeText(self.tr("Close contacts are answered BLACK at the gate. Tell the supervisor."))
            box.setModal(False)
            box.open()
            self.shown.append(box)
