"""The supervisor's dialogs (behind the supervisor PIN): admit a refused person, correct a visit, guards.

As in ui/shift_dialogs.py, the dialogs collect input; ui/supervisor_desk.py runs
the write on the database worker and answers with show_problem() or accept().
"""

from __future__ import annotations

import html
import json
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from guardstation.domain.reasons import describe
from guardstation.domain.verdict_types import Colour
from guardstation.station.supervisor_actions import REASON_MAX, SupervisionError
from guardstation.store.models import Visit
from guardstation.ui.pin_dialog import pin_line_edit
from guardstation.ui.qt_helpers import label, line_edit
from guardstation.ui.shift_dialogs import ERROR_STYLE, _DeskDialog
from guardstation.ui.theme import verdict_word


def supervision_problem_text(error: SupervisionError) -> str:
    translate = QCoreApplication.translate
    texts = {
        "reason_required": lambda: translate("Supervision", "A reason is required: say why this person may enter."),
        "supervisor_required": lambda: translate("Supervision", "Enter the supervisor's name."),
        "visit_not_found": lambda: translate("Supervision", "This visit is no longer in the log."),
        "not_denied": lambda: translate("Supervision", "Only a refused scan can be admitted by the supervisor."),
        "already_admitted": lambda: translate("Supervision", "This refusal has already been overridden."),
        "already_inside": lambda: translate("Supervision", "This person is already inside (another visit is open)."),
        "nothing_changed": lambda: translate("Supervision", "Nothing was changed."),
        "name_required": lambda: translate("Supervision", "The name cannot be empty."),
        "not_admitted": lambda: translate("Supervision", "A refused scan has no check-out time."),
        "bad_time": lambda: translate("Supervision", "The check-out time is not valid."),
        "time_out_before_in": lambda: translate("Supervision", "The check-out time is before the check-in time."),
        "time_out_in_future": lambda: translate("Supervision", "The check-out time is in the future."),
    }
    return texts[error.code]() if error.code in texts else str(error)


def _visit_line(visit: Visit, lang: str) -> str:
    reason = describe(visit.reason_code, json.loads(visit.reason_params_json or "{}"), lang)
    when = visit.time_in.astimezone().strftime("%d-%m-%Y %H:%M")
    who = html.escape(visit.display_name or "?")
    return (
        f"<b>{who}</b> {html.escape(visit.nik_masked)}<br>{when} · {html.escape(visit.gate_in)} · "
        f"<b>{html.escape(verdict_word(Colour(visit.colour)))}</b> — {html.escape(reason)}"
    )


class _SupervisorDialog(_DeskDialog):
    """Adds the supervisor's name (said in the audit log and the event) and a reason field."""

    def __init__(self, title: str, ok_text: str, supervisor: str, parent=None) -> None:
        super().__init__(title, ok_text, parent)
        self.supervisor = line_edit(self.tr("Name of the supervisor on duty"), max_length=100)
        self.supervisor.setText(supervisor)
        self.reason = line_edit(self.tr("Why"), max_length=REASON_MAX)


class OverrideDialog(_SupervisorDialog):
    requested = Signal(str, str)  # reason, supervisor

    def __init__(self, visit: Visit, lang: str, supervisor: str, parent=None) -> None:
        super().__init__(self.tr("Admit a refused person"), self.tr("Admit"), supervisor, parent)
        self.visit_id = visit.visit_id
        self.form.addRow(label(_visit_line(visit, lang), wrap=True))
        self.form.addRow(
            label(
                self.tr(
                    "The refusal stays in the log. A new check-in is recorded with your name "
                    "and reason, and written to the audit log."
                ),
                wrap=True,
            )
        )
        self.reason.setPlaceholderText(self.tr("Mandatory: e.g. invited by the Regent, checked by phone"))
        self.form.addRow(self.tr("Supervisor"), self.supervisor)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.reason.setFocus()

    def submit(self) -> None:
        if not self.reason.text().strip():
            self.show_problem(supervision_problem_text(SupervisionError("reason_required", "")))
            self.reason.setFocus()
            return
        if not self.supervisor.text().strip():
            self.show_problem(supervision_problem_text(SupervisionError("supervisor_required", "")))
            return
        self.busy()
        self.requested.emit(self.reason.text(), self.supervisor.text())


def to_qdatetime(value: datetime, tz: tzinfo) -> QDateTime:
    """The site's wall time, whatever zone the PC is set to."""
    local = value.astimezone(tz)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qdatetime(value: QDateTime, tz: tzinfo) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=tz)


class CorrectionDialog(_SupervisorDialog):
    requested = Signal(object)  # dict: display_name, purpose, host, time_out, supervisor, reason

    def __init__(self, visit: Visit, lang: str, supervisor: str, now: datetime, parent=None) -> None:
        super().__init__(self.tr("Correct a visit"), self.tr("Save correction"), supervisor, parent)
        self.visit_id = visit.visit_id
        self.original_out = visit.time_out
        self.tz = now.astimezone().tzinfo  # the PC's zone, as the log shows times
        self.name = line_edit(self.tr("Full name"))
        self.name.setText(visit.display_name)
        self.purpose = line_edit(self.tr("Purpose"))
        self.purpose.setText(visit.purpose)
        self.host = line_edit(self.tr("Host"))
        self.host.setText(visit.host)
        self.has_left = QCheckBox(self.tr("Has left at"))
        self.time_out = QDateTimeEdit()
        self.time_out.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.time_out.setCalendarPopup(True)
        self.time_out.setDateTime(to_qdatetime(visit.time_out or now, self.tz))
        self.initial_out = self.time_out.dateTime()
        self.has_left.setChecked(visit.time_out is not None)
        self.has_left.toggled.connect(self.time_out.setEnabled)
        self.time_out.setEnabled(visit.time_out is not None)
        admitted = visit.status in ("inside", "left")
        self.has_left.setVisible(admitted)
        self.time_out.setVisible(admitted)
        self.reason.setPlaceholderText(self.tr("Optional: what was wrong"))
        self.form.addRow(label(_visit_line(visit, lang), wrap=True))
        self.form.addRow(
            label(
                self.tr(
                    "The original record is kept; the correction is a new entry with your "
                    "name, and is written to the audit log."
                ),
                wrap=True,
            )
        )
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Purpose"), self.purpose)
        self.form.addRow(self.tr("Host"), self.host)
        out_row = QHBoxLayout()
        out_row.addWidget(self.has_left)
        out_row.addWidget(self.time_out, 1)
        self.form.addRow(self.tr("Check-out"), out_row)
        self.form.addRow(self.tr("Supervisor"), self.supervisor)
        self.form.addRow(self.tr("Reason"), self.reason)

    def chosen_time_out(self) -> datetime | None:
        if not self.has_left.isChecked():
            return None
        if self.original_out is not None and self.time_out.dateTime() == self.initial_out:
            return self.original_out  # untouched: keep the exact recorded time
        return from_qdatetime(self.time_out.dateTime(), self.tz)

    def submit(self) -> None:
        if not self.supervisor.text().strip():
            self.show_problem(supervision_problem_text(SupervisionError("supervisor_required", "")))
            return
        self.busy()
        self.requested.emit(
            {
                "display_name": self.name.text(),
                "purpose": self.purpose.text(),
                "host": self.host.text(),
                "time_out": self.chosen_time_out(),
                "supervisor": self.supervisor.text(),
                "reason": self.reason.text(),
            }
        )


class GuardsDialog(_DeskDialog):
    """Registered guards with their scan counts, and a form to add a guard."""

    add_requested = Signal(str, str, str)  # name, PIN, confirmation

    def __init__(self, rows: list[tuple[str, int, int]], parent=None) -> None:
        super().__init__(self.tr("Guards and scan counts"), self.tr("Close"), parent)
        self.cancel_button.hide()
        self.setMinimumSize(520, 480)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Guard"), self.tr("Scans today"), self.tr("Last 7 days")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.form.addRow(self.table)
        self.show_rows(rows)
        box = QGroupBox(self.tr("Add a guard"))
        add_form = QFormLayout(box)
        self.new_name = line_edit(self.tr("Full name"), max_length=100)
        self.new_pin = pin_line_edit(self.tr("4–12 digits"))
        self.new_confirm = pin_line_edit(self.tr("the same PIN again"))
        self.add_button = QPushButton(self.tr("Add guard"))
        self.add_button.clicked.connect(self._add)
        self.add_status = label(wrap=True)
        add_form.addRow(self.tr("Name"), self.new_name)
        add_form.addRow(self.tr("PIN"), self.new_pin)
        add_form.addRow(self.tr("Confirm PIN"), self.new_confirm)
        add_form.addRow(self.add_status)
        add_form.addRow(self.add_button)
        self.form.addRow(box)

    def show_rows(self, rows: list[tuple[str, int, int]]) -> None:
        self.table.setRowCount(len(rows))
        for r, (name, today, week) in enumerate(rows):
            for c, value in enumerate((name, str(today), str(week))):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def submit(self) -> None:
        self.accept()

    def _add(self) -> None:
        self.add_button.setEnabled(False)
        self.add_status.setText("")
        self.add_requested.emit(self.new_name.text(), self.new_pin.text(), self.new_confirm.text())

    def show_add_problem(self, text: str) -> None:
        self.add_status.setStyleSheet(ERROR_STYLE)
        self.add_status.setText(text)
        self.add_button.setEnabled(True)

    def guard_added(self, name: str, rows: list[tuple[str, int, int]]) -> None:
        for edit in (self.new_name, self.new_pin, self.new_confirm):
            edit.clear()
        self.add_status.setStyleSheet("color: #2e7d32;")
        self.add_status.setText(self.tr("Guard %1 added.").replace("%1", name))
        self.add_button.setEnabled(True)
        self.show_rows(rows)
