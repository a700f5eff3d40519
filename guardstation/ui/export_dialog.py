"""The supervisor's export dialog: report kind, period, format, target file; runs off the GUI thread.

The export itself (guardstation.reports.run_export) runs on the dialog's own thread so that a long
export never holds up the gate; its audit record (file, SHA-256) is written afterwards on the app's
single database thread. The file appears under its name only when complete: a cancel, a bad path
or a full disk leaves nothing behind and says so in words.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guardstation.reports import (
    ExportCancelled,
    ExportError,
    ExportRequest,
    ExportResult,
    audit_export,
    parse_period,
    resolve_subject,
    run_export,
)
from guardstation.reports.shift import LOG_COLUMNS
from guardstation.station.context import StationContext
from guardstation.station.retention import EXPORTS_DIR
from guardstation.ui.background import (
    DONE,
    EXPORT_THREAD,
    REFUSED,
    Outcome,
    Task,
    run_in_background,
    start_thread,
    stop_thread,
)
from guardstation.ui.qt_helpers import label, line_edit

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "pdf", "csv")
NO_NIK_COLUMNS = tuple(c for c in LOG_COLUMNS if c != "nik")


def exports_folder(station: StationContext) -> Path:
    folder = station.home / EXPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_file_name(kind: str, fmt: str, start: date | None, end: date | None, stamp: str) -> str:
    if start is None or end is None:
        return f"{kind}-{stamp}.{fmt}"
    period = start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"
    return f"{kind}-{period}.{fmt}"


class ExportDialog(QDialog):
    finished_export = Signal(object)  # ExportResult, after its audit record is written

    def __init__(
        self, station: StationContext, lang: str, db_thread: QThread | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.lang = lang
        self.db_thread = db_thread
        self.export_thread: QThread | None = None
        self._cancel: threading.Event | None = None
        self._call: Task | None = None
        self._audit_call: Task | None = None
        self._request: ExportRequest | None = None
        self._default_target = ""  # what _update last filled in; anything else was chosen by hand
        self.result: ExportResult | None = None
        self.setWindowTitle(self.tr("Export"))
        self.setMinimumWidth(620)

        self.kind = QComboBox()
        for kind, text in (
            ("shift", self.tr("Visit log (shift or period)")),
            ("monitoring", self.tr("Monitoring report (for inspectors)")),
            ("evacuation", self.tr("Evacuation list (inside now)")),
            ("exposure", self.tr("Exposure window of one visitor")),
        ):
            self.kind.addItem(text, kind)
        self.subject = line_edit(self.tr("NIK (16 digits) or subject key"), max_length=64)
        today = _qdate(station.checkpoint.now().date())
        self.date_from = _date_edit(today)
        self.date_to = _date_edit(today)
        self.fmt = QComboBox()
        for fmt, text in (
            ("xlsx", self.tr("Excel workbook (XLSX)")),
            ("pdf", self.tr("PDF report")),
            ("csv", self.tr("CSV (comma-separated text)")),
        ):
            self.fmt.addItem(text, fmt)
        self.target = line_edit(self.tr("File to write"), max_length=1000)
        self.browse = QPushButton(self.tr("Choose…"))
        self.browse.clicked.connect(self.choose_target)
        self.nik = QCheckBox(self.tr("Include the NIK column (always masked, e.g. 3513********0001)"))
        self.nik.setChecked(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = label(wrap=True)
        self.status.setObjectName("exportStatus")
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 3 + 4)  # path + SHA-256 + one more
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel export"), QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.buttons.rejected.connect(self.reject)
        self._build_layout()
        for signal in (
            self.kind.currentIndexChanged,
            self.fmt.currentIndexChanged,
            self.date_from.dateChanged,
            self.date_to.dateChanged,
        ):
            signal.connect(self._update)
        self._update()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("Report"), self.kind)
        form.addRow(self.tr("Visitor"), self.subject)
        period = QHBoxLayout()
        period.addWidget(self.date_from)
        period.addWidget(label(self.tr("to")))
        period.addWidget(self.date_to)
        period.addStretch(1)
        form.addRow(self.tr("Period"), period)
        form.addRow(self.tr("Format"), self.fmt)
        target = QHBoxLayout()
        target.addWidget(self.target, 1)
        target.addWidget(self.browse)
        form.addRow(self.tr("Save as"), target)
        form.addRow("", self.nik)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    # -- state ----------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._call is not None or self._audit_call is not None

    def _update(self) -> None:
        kind, fmt = self.kind.currentData(), self.fmt.currentData()
        self.subject.setEnabled(kind == "exposure" and not self.running)
        for widget in (self.date_from, self.date_to):
            widget.setEnabled(kind != "evacuation" and not self.running)
        self.nik.setEnabled(kind == "shift" and fmt != "pdf" and not self.running)
        for widget in (self.kind, self.fmt, self.target, self.browse):
            widget.setEnabled(not self.running)
        self.export_button.setEnabled(not self.running)
        self.cancel_button.setEnabled(self._call is not None)
        if self.target.text() in ("", self._default_target):
            self._default_target = str(exports_folder(self.station) / self._default_name())
            self.target.setText(self._default_target)
        else:  # keep the chosen name, follow the chosen format
            path = Path(self.target.text().strip())
            if path.name and path.suffix.lower().lstrip(".") in FORMATS and path.suffix.lower() != f".{fmt}":
                self.target.setText(str(path.with_suffix(f".{fmt}")))

    def _default_name(self) -> str:
        kind = self.kind.currentData()
        dated = kind != "evacuation"
        stamp = self.station.checkpoint.now().strftime("%Y%m%d-%H%M")
        return default_file_name(
            kind,
            self.fmt.currentData(),
            self.date_from.date().toPython() if dated else None,
            self.date_to.date().toPython() if dated else None,
            stamp,
        )

    def choose_target(self) -> None:
        fmt = self.fmt.currentData()
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the export as"), self.target.text(), f"{fmt.upper()} (*.{fmt})"
        )
        if chosen:
            if Path(chosen).suffix.lower() != f".{fmt}":
                chosen += f".{fmt}"
            self.target.setText(chosen)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828; font-weight: 600;" if error else "")
        self.status.setText(text)

    # -- running ---------------------------------------------------------------------------------------------
    def build_request(self) -> ExportRequest | None:
        """The request from the form, or None after saying what is wrong."""
        kind, fmt = self.kind.currentData(), self.fmt.currentData()
        target = self.target.text().strip()
        if not target:
            self._say(self.tr("Choose the file to write."), error=True)
            return None
        now = self.station.checkpoint.now()
        period = None
        if kind != "evacuation":
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            if end < start:
                self._say(self.tr("The period ends before it starts."), error=True)
                return None
            period = parse_period(start.isoformat(), end.isoformat(), now.tzinfo)
        subject_key, subject_label = None, ""
        if kind == "exposure":
            try:
                subject_key, subject_label = resolve_subject(
                    self.subject.text(), self.station.checkpoint.subject_key_for
                )
            except ValueError:
                self._say(
                    self.tr("Enter the visitor's NIK (16 digits) or subject key (32 hexadecimal characters)."),
                    error=True,
                )
                return None
        columns = None if self.nik.isChecked() or kind != "shift" else NO_NIK_COLUMNS
        return ExportRequest(
            kind,
            fmt,
            Path(target).expanduser(),
            period,
            lang=self.lang,
            tz=now.tzinfo,
            subject_key=subject_key,
            subject_label=subject_label,
            columns=columns,
            actor="supervisor",
            audit=False,
        )

    def start_export(self) -> None:
        if self.running:
            return
        request = self.build_request()
        if request is None:
            return
        self._request = request
        self._cancel = cancel = threading.Event()
        now = self.station.checkpoint.now()
        db = self.station.db
        self.result = None
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self._say(self.tr("Exporting…"))
        self._call = run_in_background(
            lambda progress: run_export(db, request, now=now, progress=progress, cancel=cancel),
            lambda outcome: self._export_done(outcome, now),
            thread=self._thread(),
            refused=(ExportError,),
            on_progress=self._progress,
            name="export",
        )
        self._update()

    def _thread(self) -> QThread:
        if self.export_thread is None:
            self.export_thread = start_thread(EXPORT_THREAD)
        return self.export_thread

    def cancel_export(self) -> None:
        if self._cancel is not None and self._call is not None:
            self._cancel.set()
            self._say(self.tr("Cancelling…"))

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _export_done(self, outcome: Outcome, now) -> None:
        self._call = None
        if outcome.kind == DONE:
            self._exported(outcome.value, now)
        else:
            self._failed(outcome)

    def _exported(self, result: ExportResult, now) -> None:
        request = self._request
        db = self.station.db
        # The audit row is a write: on the database thread, in turn with the scans.
        self._audit_call = run_in_background(
            lambda: audit_export(db, result, request, now),
            lambda outcome: self._audit_done(result, outcome),
            thread=self.db_thread or self._thread(),
            name="export audit",
        )

    def _audit_done(self, result: ExportResult, outcome: Outcome) -> None:
        if outcome.kind == DONE:
            self._audited(result, outcome.value)
        else:
            self._audit_failed(result, outcome.error)

    def _audited(self, result: ExportResult, audit_id: int) -> None:
        self._audit_call = None
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        text = self.tr("Saved: %1\nSHA-256: %2").replace("%1", str(result.path)).replace("%2", result.sha256)
        self._say(text)
        self._update()
        self.finished_export.emit(result)

    def _audit_failed(self, result: ExportResult, exc: BaseException) -> None:
        self._audit_call = None
        self.result = result
        log.error("export %s written but not audited: %s", result.path, exc)  # the cause is logged above
        text = self.tr("Saved: %1\nSHA-256: %2\nThe audit log could not record it: %3")
        self._say(text.replace("%1", str(result.path)).replace("%2", result.sha256).replace("%3", str(exc)), error=True)
        self._update()

    def _failed(self, outcome: Outcome) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        exc = outcome.error
        if isinstance(exc, ExportCancelled):
            self._say(self.tr("Export cancelled. No file was written."))
        elif outcome.kind == REFUSED:  # an ExportError: says itself what to do
            self._say(exc.message(self.lang), error=True)
        else:  # storage trouble or a bug: logged (with its traceback) where it was classified, shown here
            self._say(self.tr("The export failed unexpectedly (see the log): %1").replace("%1", str(exc)), error=True)
        self._update()

    def done(self, code: int) -> None:
        """Closing stops a running export first (its file is never half-written)."""
        if self._cancel is not None:
            self._cancel.set()
        stop_thread(self.export_thread)
        self.export_thread = None
        super().done(code)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit
