"""The shift book's dialogs: open a shift (guard name + PIN), write a note or incident, close with a handover.

The dialogs only collect input and show results; the writes run on the
database worker (ui/supervisor_desk.py), which answers with done or refused.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
)

from guardstation.domain.verdict_types import Colour
from guardstation.station.pin import LOCKOUT, PinResult
from guardstation.station.shift_book import CATEGORIES, NOTE_MAX, HandoverSummary, ShiftBookError
from guardstation.ui.pin_dialog import pin_line_edit, pin_problem_text
from guardstation.ui.qt_helpers import label
from guardstation.ui.theme import verdict_word

ERROR_STYLE = "color: #c62828; font-weight: 600;"


def shift_problem_text(error: ShiftBookError) -> str:
    translate = QCoreApplication.translate
    p = error.params
    if error.code == "pin":
        return pin_problem_text(p["problem"])
    if error.code == PinResult.WRONG.value:
        tries, minutes = p["check"].tries_left, str(int(LOCKOUT.total_seconds() // 60))
        return translate("PinDialog", "Wrong PIN. %n more attempt(s) before a %1-minute lock.", "", tries).replace(
            "%1", minutes
        )
    if error.code == PinResult.LOCKED.value:
        return translate("ShiftBook", "Too many wrong PINs for this guard. Try again after %1.").replace(
            "%1", p["check"].locked_until.astimezone().strftime("%H:%M")
        )
    texts = {
        "name_required": lambda: translate("ShiftBook", "Enter the guard's name."),
        "guard_exists": lambda: translate("ShiftBook", "A guard named %1 already exists.").replace(
            "%1", p.get("name", "")
        ),
        "unknown_guard": lambda: translate(
            "ShiftBook", "No guard named %1. The supervisor adds guards under Shift → Guards."
        ).replace("%1", p.get("name", "")),
        "shift_open": lambda: translate("ShiftBook", "The shift of %1 is still open: close it first.").replace(
            "%1", p.get("guard", "")
        ),
        "no_shift": lambda: translate("ShiftBook", "No shift is open. Open a shift first."),
        "note_empty": lambda: translate("ShiftBook", "Write the note first."),
        "bad_category": lambda: translate("ShiftBook", "Choose a category."),
    }
    return texts[error.code]() if error.code in texts else str(error)


def category_label(category: str) -> str:
    translate = QCoreApplication.translate
    return {
        "handover": translate("ShiftBook", "Handover"),
        "incident": translate("ShiftBook", "Incident"),
        "info": translate("ShiftBook", "Note"),
    }.get(category, category)


class _DeskDialog(QDialog):
    """A dialog with a problem line and OK/Cancel; the desk calls show_problem() on a refusal."""

    def __init__(self, title: str, ok_text: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.problem = label(wrap=True)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        raise NotImplementedError  # each dialog collects its own fields

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.ok_button.setEnabled(True)

    def busy(self) -> None:
        """While the worker writes: no second click."""
        self.problem.setText("")
        self.ok_button.setEnabled(False)


class OpenShiftDialog(_DeskDialog):
    requested = Signal(str, str)  # guard name, PIN

    def __init__(self, guard_names: list[str], parent=None) -> None:
        super().__init__(self.tr("Open shift"), self.tr("Open shift"), parent)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(guard_names)
        self.pin = pin_line_edit(self.tr("Your guard PIN"))
        self.form.addRow(
            label(self.tr("The guard on duty is named in every record until the shift is closed."), wrap=True)
        )
        self.form.addRow(self.tr("Guard"), self.name)
        self.form.addRow(self.tr("PIN"), self.pin)
        if not guard_names:
            self.show_problem(self.tr("No guards registered yet: the supervisor adds them under Shift → Guards."))
            self.ok_button.setEnabled(False)
        self.pin.setFocus()

    def submit(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        self.busy()
        self.requested.emit(self.name.currentText(), pin)


class NoteDialog(_DeskDialog):
    requested = Signal(str, str)  # category, text

    def __init__(self, author: str, parent=None) -> None:
        super().__init__(self.tr("Shift book: note or incident"), self.tr("Save"), parent)
        self.category = QComboBox()
        for category in CATEGORIES:
            self.category.addItem(category_label(category), category)
        self.category.setCurrentIndex(self.category.findData("incident"))
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What happened, who was involved, what was done"))
        self.text.setMinimumHeight(120)
        self.form.addRow(self.tr("Author"), label(html.escape(author)))
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Note"), self.text)

    def submit(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.show_problem(self.tr("Write the note first."))
            return
        if len(text) > NOTE_MAX:
            self.show_problem(self.tr("The note is too long (at most %1 characters).").replace("%1", str(NOTE_MAX)))
            return
        self.busy()
        self.requested.emit(self.category.currentData(), text)


def summary_html(summary: HandoverSummary, *, closed: bool) -> str:
    translate = QCoreApplication.translate  # literal calls outside f-strings, so lupdate finds them
    e = html.escape

    def hm(value) -> str:
        return value.astimezone().strftime("%H:%M")

    title = translate("ShiftBook", "Shift closed — handover") if closed else translate("ShiftBook", "Handover summary")
    inside, nobody = translate("ShiftBook", "Still inside"), translate("ShiftBook", "Nobody.")
    incidents, handover = translate("ShiftBook", "Incidents"), translate("ShiftBook", "Handover notes")
    by_verdict = translate("ShiftBook", "Scans by verdict")
    outs = translate("ShiftBook", "Check-outs: %1 (automatic: %2)")
    parts = [
        f"<h3>{e(title)}: {e(summary.guard)}</h3>",
        f"<p>{summary.opened_at.astimezone():%d-%m-%Y %H:%M} – {hm(summary.closed_at)}</p>",
        f"<p><b>{e(inside)} ({len(summary.inside)})</b></p>",
    ]
    rows = [f"<li>{hm(r.time_in)} · {e(r.name or '?')} {e(r.nik_masked)} · {e(r.gate)}</li>" for r in summary.inside]
    parts.append(f"<ul>{''.join(rows)}</ul>" if rows else f"<p>{e(nobody)}</p>")
    for heading, notes in ((incidents, summary.incidents), (handover, summary.handover_notes)):
        parts.append(f"<p><b>{e(heading)} ({len(notes)})</b></p>")
        if notes:
            parts.append("<ul>" + "".join(f"<li>{hm(n.at)} · {e(n.author)}: {e(n.text)}</li>" for n in notes) + "</ul>")
    counts = " · ".join(
        f"{e(verdict_word(c))} {summary.by_colour[c.value]}" for c in Colour if summary.by_colour.get(c.value)
    )
    parts.append(
        f"<p><b>{e(by_verdict)}:</b> {counts or '0'}<br>"
        + e(outs.replace("%1", str(summary.check_outs)).replace("%2", str(summary.auto_check_outs)))
        + "</p>"
    )
    return "".join(parts)


class CloseShiftDialog(_DeskDialog):
    requested = Signal()

    def __init__(self, preview: HandoverSummary, parent=None) -> None:
        super().__init__(self.tr("Close shift"), self.tr("Close shift and hand over"), parent)
        self.setMinimumSize(560, 520)
        self.view = QTextBrowser()
        self.view.setHtml(summary_html(preview, closed=False))
        self.form.addRow(self.view)

    def submit(self) -> None:
        self.busy()
        self.requested.emit()

    def show_closed(self, summary: HandoverSummary) -> None:
        """The summary as recorded; the dialog stays open for the next guard to read."""
        self.view.setHtml(summary_html(summary, closed=True))
        self.ok_button.hide()
        self.cancel_button.setText(self.tr("Done"))
