"""Retention settings (supervisor) and the purge schedule: at start-up and then once a day.

The purge itself (guardstation/station/retention.py) runs on the app's single database thread; this
module only decides when, shows the settings and reports the outcome.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from guardstation.station.context import StationContext
from guardstation.station.retention import (
    EXPORTS_DIR,
    MAX_DAYS,
    MIN_DAYS,
    MIN_VISIT_DAYS,
    PurgeReport,
    RetentionPolicy,
    purge,
)
from guardstation.store.audit import append_audit
from guardstation.ui.background import DONE, Outcome, Task, run_in_background, start_thread, stop_thread
from guardstation.ui.qt_helpers import label, timer

log = logging.getLogger(__name__)

DAY_MS = 24 * 60 * 60 * 1000
FIRST_RUN_DELAY_MS = 10_000  # after the window is up: start-up stays quick


class RetentionScheduler(QObject):
    """Runs the purge `first_delay_ms` after start and every `interval_ms` after that, one at a time."""

    purged = Signal(object)  # PurgeReport
    failed = Signal(str)  # an unexpected error's traceback (storage problems are only logged)

    def __init__(
        self,
        station: StationContext,
        db_thread: QThread | None,
        parent: QObject | None = None,
        *,
        interval_ms: int = DAY_MS,
        first_delay_ms: int = FIRST_RUN_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.db_thread = db_thread
        self._own_thread: QThread | None = None
        self._call: Task | None = None
        self.last: PurgeReport | None = None
        self.daily = timer(self, interval_ms, self.run_now)
        self.first = timer(self, first_delay_ms, self.run_now, single_shot=True)

    def start(self) -> None:
        self.first.start()
        self.daily.start()

    def stop(self) -> None:
        self.first.stop()
        self.daily.stop()
        stop_thread(self._own_thread)
        self._own_thread = None

    @property
    def running(self) -> bool:
        return self._call is not None

    def run_now(self) -> bool:
        """Starts a purge unless one is running; False if one was."""
        if self._call is not None:
            return False
        policy = RetentionPolicy.from_settings(self.station.settings)
        now = self.station.checkpoint.now()
        db, exports = self.station.db, self.station.home / EXPORTS_DIR
        thread = self.db_thread
        if thread is None:
            self._own_thread = thread = self._own_thread or start_thread("guardstation-retention")
        self._call = run_in_background(
            lambda: purge(db, policy, now=now, exports_dir=exports),
            self._finished,
            thread=thread,
            name="retention purge",
        )
        return True

    def _finished(self, outcome: Outcome) -> None:
        self._call = None
        # Storage trouble (disk full, locked...) is only logged: the next run tries again.
        outcome.route(done=self._done, bug=self.failed.emit)

    def _done(self, report: PurgeReport) -> None:
        self.last = report
        self.purged.emit(report)


class RetentionDialog(QDialog):
    """Days per data category; saving is audited; 'Purge now' runs the job at once."""

    saved = Signal(object)  # RetentionPolicy

    def __init__(
        self, station: StationContext, scheduler: RetentionScheduler | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.scheduler = scheduler
        self.setWindowTitle(self.tr("Data retention"))
        self.setMinimumWidth(560)
        policy = RetentionPolicy.from_settings(station.settings)
        self.visit_days = self._days(policy.visit_days, MIN_VISIT_DAYS)
        self.denied_days = self._days(policy.denied_days, MIN_DAYS)
        self.export_days = self._days(policy.export_days, MIN_DAYS)
        intro = label(
            self.tr(
                "Personal data is kept only as long as needed (UU 27/2022). After these many days "
                "names, masked NIK, purpose and host are removed; the counts per day, verdict and "
                "reason stay. Every purge is recorded in the audit log."
            ),
            wrap=True,
        )
        form = QFormLayout()
        form.addRow(self.tr("Visits (names, NIK, purpose, host)"), self.visit_days)
        form.addRow(self.tr("Refused scans"), self.denied_days)
        form.addRow(self.tr("Files in the exports folder"), self.export_days)
        note = label(
            self.tr(
                "Visits are kept at least %1 days: exposure tracing looks that far back. People "
                "still inside are never purged."
            ).replace("%1", str(MIN_VISIT_DAYS)),
            wrap=True,
        )
        note.setStyleSheet("color: #555;")
        self.status = label(wrap=True)
        self.status.setObjectName("retentionStatus")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.purge_button = self.buttons.addButton(self.tr("Purge now"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.purge_button.clicked.connect(self.purge_now)
        self.buttons.rejected.connect(self.reject)
        self.purge_button.setEnabled(scheduler is not None)
        if scheduler is not None:
            scheduler.purged.connect(self._show_report)
            scheduler.failed.connect(self._show_failure)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def policy(self) -> RetentionPolicy:
        return RetentionPolicy(self.visit_days.value(), self.denied_days.value(), self.export_days.value())

    def save(self) -> None:
        policy = self.policy()
        settings = self.station.settings
        changed = (settings.retention_visit_days, settings.retention_denied_days, settings.retention_export_days) != (
            policy.visit_days,
            policy.denied_days,
            policy.export_days,
        )
        settings.retention_visit_days = policy.visit_days
        settings.retention_denied_days = policy.denied_days
        settings.retention_export_days = policy.export_days
        try:
            settings.save(self.station.home)
        except OSError as exc:
            self.status.setText(self.tr("The settings could not be saved: %1").replace("%1", str(exc)))
            return
        if changed:
            self._audit(policy, self.station.checkpoint.now())
        self.status.setText(self.tr("Saved. The next purge uses these days."))
        self.saved.emit(policy)

    def _audit(self, policy: RetentionPolicy, now: datetime) -> None:
        db = self.station.db
        detail = {"visits": policy.visit_days, "denied": policy.denied_days, "exports": policy.export_days}

        def record() -> int:
            with db.transaction() as session:
                return append_audit(
                    session, at=now, actor="supervisor", action="retention_settings", detail={"days": detail}
                ).id

        # On the database thread; a lone dialog has none and writes its one small row here, at once.
        thread = self.scheduler.db_thread if self.scheduler is not None else None
        run_in_background(record, self._audit_done, thread=thread, name="retention settings audit")

    def _audit_done(self, outcome: Outcome) -> None:
        if outcome.kind != DONE:
            exc = outcome.error
            log.error("retention settings saved but not audited: %s", exc)
            self.status.setText(self.tr("Saved, but the audit log could not record it: %1").replace("%1", str(exc)))

    def purge_now(self) -> None:
        if self.scheduler is None:
            return
        self.save()
        if self.scheduler.run_now():
            self.status.setText(self.tr("Purging…"))
            self.purge_button.setEnabled(False)

    def _show_report(self, report: PurgeReport) -> None:
        self.purge_button.setEnabled(True)
        text = self.tr("Purge done: %1 visits and %2 refused scans anonymised, %3 export files removed.")
        self.status.setText(
            text.replace("%1", str(report.visits))
            .replace("%2", str(report.denied))
            .replace("%3", str(report.export_files))
        )

    def _show_failure(self, _details: str) -> None:
        self.purge_button.setEnabled(True)
        self.status.setText(self.tr("The purge failed; see the log."))

    def _days(self, value: int, minimum: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(minimum, MAX_DAYS)
        box.setValue(value)
        box.setSuffix(self.tr(" days"))
        return box
