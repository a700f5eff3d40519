"""The supervisor's desk in the guard's window: Shift and Supervisor menus, shift status, notices.

Writes (open/close shift, notes, guards, overrides, corrections, auto check-out)
run on the database thread, the one writer of the station (docs/architecture.md §2),
through ui/background.py; the dialogs hear back on the GUI thread. Reads (the summary preview,
guard lists, overstays) are short sessions on the GUI thread, as the models do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtWidgets import QMainWindow, QMessageBox, QTableView, QWidget

from guardstation.station.context import StationContext
from guardstation.station.pin import SupervisorPin
from guardstation.station.shift_book import ShiftBook, ShiftBookError, current_shift, guards, scan_counts
from guardstation.station.supervisor_actions import Supervision, SupervisionError
from guardstation.store.models import Visit
from guardstation.store.visits import DENIED
from guardstation.ui.background import Outcome, run_in_background
from guardstation.ui.pin_dialog import PinDialog
from guardstation.ui.qt_helpers import timer
from guardstation.ui.shift_dialogs import CloseShiftDialog, NoteDialog, OpenShiftDialog, shift_problem_text
from guardstation.ui.shift_status import ShiftStatus, VisitNotices
from guardstation.ui.supervisor_dialogs import CorrectionDialog, GuardsDialog, OverrideDialog, supervision_problem_text

log = logging.getLogger(__name__)
CHECK_EVERY_MS = 60_000


class SupervisorDesk(QObject):
    def __init__(self, window: QMainWindow, station: StationContext, thread: QThread) -> None:
        super().__init__(window)
        self.window = window
        self.station = station
        self.checkpoint = station.checkpoint
        self.book = ShiftBook(station.db, station.home, station.checkpoint)
        self.supervision = Supervision(station.checkpoint, station.settings)
        self.book.resume()
        self.supervisor_name = ""
        self.dialog: QWidget | None = None  # the one desk dialog open now (tests reach it here)
        self.pin_dialog: PinDialog | None = None
        self.message: QMessageBox | None = None
        self.db_thread = thread
        self.status = ShiftStatus()
        window.add_status_widget(self.status)
        self.notices = VisitNotices()
        window.add_top_widget(self.notices)
        self._build_menus()
        self.refresh_status()
        self.timer = timer(self, CHECK_EVERY_MS, self.check_visits)
        self.timer.start()
        self.check_visits()

    def _build_menus(self) -> None:
        shift = self.window.menuBar().addMenu(self.tr("S&hift"))
        self.open_action = shift.addAction(self.tr("Open shift…"), self.open_shift)
        self.note_action = shift.addAction(self.tr("Note or incident…"), self.add_note)
        self.close_action = shift.addAction(self.tr("Close shift…"), self.close_shift)
        shift.addSeparator()
        self.guards_action = shift.addAction(self.tr("Guards and scan counts…"), self.manage_guards)
        shift.aboutToShow.connect(self.refresh_status)
        supervisor = self.window.menuBar().addMenu(self.tr("S&upervisor"))
        self.override_action = supervisor.addAction(self.tr("Admit the refused person…"), self.override)
        self.correct_action = supervisor.addAction(self.tr("Correct the visit…"), self.correct)
        for view in (self.window.log_view, self.window.inside_view):  # also on a right click
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(self.correct_action)
        self.window.log_view.insertAction(self.correct_action, self.override_action)

    # -- state shown ---------------------------------------------------------------------------
    def refresh_status(self) -> None:
        with self.station.db.read() as session:
            shift = current_shift(session)
            scans = scan_counts(session, shift.opened_at).get(shift.guard_name, 0) if shift else 0
        self.status.show_shift(shift, scans)
        self.open_action.setEnabled(shift is None)
        self.note_action.setEnabled(shift is not None)
        self.close_action.setEnabled(shift is not None)

    def check_visits(self) -> None:
        """Every minute: forgotten check-outs past closing time, then who stays too long."""
        self.submit("auto_close", self.supervision.auto_close)

    def _show_overstays(self) -> None:
        policy = self.supervision.policy()
        self.notices.show_overstays(self.supervision.overstays(), policy.overstay, self.checkpoint.now())

    # -- job plumbing --------------------------------------------------------------------------
    def submit(self, job: str, call: Callable[[], object]) -> None:
        """Runs a write on the database thread; the answer comes back under the job's name."""
        run_in_background(
            call,
            lambda outcome: self._finished(job, outcome),
            thread=self.db_thread,
            refused=(ShiftBookError, SupervisionError),
            name=f"desk job {job}",
        )

    def _finished(self, job: str, outcome: Outcome) -> None:
        outcome.route(
            done=lambda result: self._done(job, result),
            refused=lambda error: self._refused(job, error),
            storage=self.window.show_storage_failure,
            bug=self.window.show_crash,
        )

    def _open(self, dialog: QWidget) -> QWidget:
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, job: str, result) -> None:
        if job == "auto_close":
            if result:
                self.notices.show_auto_closed(result, self.supervision.policy().closing)
                self.window.refresh_all()
            self._show_overstays()
            return
        if job == "add_guard":
            self.dialog.guard_added(result.name, self._guard_rows())
            return
        if job == "close_shift":
            self.dialog.show_closed(result)
        elif self.dialog is not None:
            self.dialog.accept()
        self.window.refresh_all()
        self.refresh_status()
        self._show_overstays()

    def _refused(self, job: str, error) -> None:
        text = shift_problem_text(error) if isinstance(error, ShiftBookError) else supervision_problem_text(error)
        if job == "auto_close":
            log.error("auto check-out refused: %s", error)
        elif job == "add_guard":
            self.dialog.show_add_problem(text)
        elif self.dialog is not None:
            self.dialog.show_problem(text)

    def _tell(self, title: str, text: str) -> None:
        """A note that never blocks the event loop (scans keep being shown behind it)."""
        self.message = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.window)
        self.message.open()

    def _with_supervisor_pin(self, purpose: str, then: Callable[[], None]) -> None:
        pin = SupervisorPin.for_home(self.station.home, self.station.settings.supervisor_pin_hash)
        if not pin.is_set:  # a station never set up (demo): nothing to protect yet, as the setup menu does
            then()
            return
        self.pin_dialog = PinDialog(pin, purpose, self.window)
        self.pin_dialog.unlocked.connect(then)
        self.pin_dialog.open()

    def _remember_supervisor(self, name: str) -> None:
        self.supervisor_name = " ".join(name.split())

    # -- shift book ----------------------------------------------------------------------------
    def open_shift(self) -> None:
        with self.station.db.read() as session:
            names = [g.name for g in guards(session)]
        dialog = self._open(OpenShiftDialog(names, self.window))
        dialog.requested.connect(lambda name, pin: self.submit("open_shift", lambda: self.book.open_shift(name, pin)))

    def add_note(self) -> None:
        dialog = self._open(NoteDialog(self.checkpoint.guard, self.window))
        dialog.requested.connect(lambda category, text: self.submit("note", lambda: self.book.add_note(category, text)))

    def close_shift(self) -> None:
        try:
            preview = self.book.preview_close()
        except ShiftBookError as exc:
            self._tell(self.tr("Close shift"), shift_problem_text(exc))
            return
        dialog = self._open(CloseShiftDialog(preview, self.window))
        dialog.requested.connect(lambda: self.submit("close_shift", self.book.close_shift))

    def _guard_rows(self) -> list[tuple[str, int, int]]:
        now = self.checkpoint.now()
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self.station.db.read() as session:
            names = [g.name for g in guards(session)]
            today = scan_counts(session, midnight)
            week = scan_counts(session, midnight - timedelta(days=6))
        unnamed = self.tr("(no shift open)")
        extra = sorted(set(week) - set(names), key=str)
        return [(name or unnamed, today.get(name, 0), week.get(name, 0)) for name in names + extra]

    def manage_guards(self) -> None:
        def show() -> None:
            dialog = self._open(GuardsDialog(self._guard_rows(), self.window))
            dialog.add_requested.connect(
                lambda name, pin, confirm: self.submit(
                    "add_guard",
                    lambda: self.book.add_guard(name, pin, confirm, supervisor=self.supervisor_name or "supervisor"),
                )
            )

        self._with_supervisor_pin(self.tr("Enter the supervisor PIN to see and add guards."), show)

    # -- overrides and corrections -------------------------------------------------------------
    def selected_visit(self, views: tuple[QTableView, ...]) -> Visit | None:
        for view in views:
            rows = view.selectionModel().selectedRows()
            if rows:
                return view.model().visit_at(rows[0].row())
        return None

    def override(self) -> None:
        visit = self.selected_visit((self.window.log_view,))
        if visit is None or visit.status != DENIED:
            self._tell(self.tr("Admit the refused person"), self.tr("Select a refused scan in the log first."))
            return

        def show() -> None:
            dialog = self._open(OverrideDialog(visit, self.window.lang, self.supervisor_name, self.window))
            dialog.requested.connect(lambda reason, who: self._submit_override(visit.visit_id, reason, who))

        self._with_supervisor_pin(self.tr("Enter the supervisor PIN to admit a refused person."), show)

    def _submit_override(self, visit_id: str, reason: str, supervisor: str) -> None:
        self._remember_supervisor(supervisor)
        self.submit("override", lambda: self.supervision.override(visit_id, reason=reason, supervisor=supervisor))

    def correct(self) -> None:
        visit = self.selected_visit((self.window.log_view, self.window.inside_view))
        if visit is None:
            self._tell(self.tr("Correct the visit"), self.tr("Select a visit in the log or the inside-now list first."))
            return

        def show() -> None:
            dialog = self._open(
                CorrectionDialog(visit, self.window.lang, self.supervisor_name, self.checkpoint.now(), self.window)
            )
            dialog.requested.connect(lambda fields: self._submit_correction(visit.visit_id, fields))

        self._with_supervisor_pin(self.tr("Enter the supervisor PIN to correct a visit."), show)

    def _submit_correction(self, visit_id: str, fields: dict) -> None:
        self._remember_supervisor(fields["supervisor"])
        self.submit("correction", lambda: self.supervision.correct(visit_id, **fields))
