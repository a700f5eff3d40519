"""First-run setup: language, connection (standalone or central server), site and gate, camera with
a live preview and a test scan, supervisor PIN and kiosk mode.

Shown on the first start (Settings.configured is False) and again from the Settings menu under
the supervisor PIN. Validation and writing live in guardstation/first_run.py (no Qt); this is
only the conversation. Choosing a language switches the wizard to it at once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from guardstation.domain.language import DEFAULT_LANGUAGE, Language
from guardstation.scanner import CameraUnavailable, Debouncer, DecoderUnavailable, make_decoder, open_source
from guardstation.settings.schema import Decoder
from guardstation.station.context import StationContext
from guardstation.station.first_run import (
    CAPACITY_MAX,
    Mode,
    SetupChoices,
    SetupProblem,
    apply_setup,
    check_enrolment,
    check_site,
    current_choices,
)
from guardstation.station.pin import PIN_MAX, PIN_MIN, PinProblem, check_new_pin
from guardstation.ui.camera_view import CameraView
from guardstation.ui.i18n import switch_language
from guardstation.ui.pin_dialog import pin_line_edit, pin_problem_text
from guardstation.ui.qt_helpers import label, line_edit
from guardstation.ui.theme import verdict_word
from guardstation.ui.workers import CameraBridge

log = logging.getLogger(__name__)

WEBCAMS = (0, 1, 2, 3)
FILE_SOURCE = "file"


def _error_style(widget) -> None:
    widget.setStyleSheet("color: #c62828; font-weight: 600;")


class _Page(QWizardPage):
    """Re-words itself when the language changes (the wizard's first page can switch it)."""

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:  # pragma: no cover - every page overrides it
        pass

    @property
    def choices(self) -> SetupChoices:
        return self.wizard().choices


class LanguagePage(_Page):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.intro = label(wrap=True)
        layout.addWidget(self.intro)
        self.buttons: dict[str, QRadioButton] = {}
        for language in Language:
            code = language.value
            button = QRadioButton(language.display_name)
            button.setStyleSheet("font-size: 16px; padding: 6px;")
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
            button.toggled.connect(lambda on, code=code: on and self._chosen(code))
        layout.addStretch(1)
        self.retranslate()

    def initializePage(self) -> None:
        self.buttons.get(self.choices.language, self.buttons[DEFAULT_LANGUAGE]).setChecked(True)

    def _chosen(self, code: str) -> None:
        if self.choices.language != code:
            self.choices.language = code
            self.wizard().language_chosen.emit(code)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Language"))
        self.setSubTitle(self.tr("The language of the guard's screen. You can change it later in this setup."))
        self.intro.setText(
            self.tr(
                "Welcome to GuardStation. This setup takes about five minutes: the office "
                "and gate, the camera, and the supervisor PIN."
            )
        )


class ConnectionPage(_Page):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.standalone = QRadioButton()
        self.enrol = QRadioButton()
        group = QButtonGroup(self)
        group.addButton(self.standalone)
        group.addButton(self.enrol)
        self.standalone_note = label(wrap=True)
        self.url = line_edit("https://sync.example.go.id", max_length=300)
        self.code = line_edit("", max_length=64)
        self.url_label, self.code_label = label(), label()
        self.pending_note = label(wrap=True)
        self.pending_note.setStyleSheet("background: #fff8e1; color: #5d4037; padding: 8px; border-radius: 4px;")
        self.error = label(wrap=True)
        _error_style(self.error)
        form = QFormLayout()
        form.addRow(self.url_label, self.url)
        form.addRow(self.code_label, self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(self.standalone)
        layout.addWidget(self.standalone_note)
        layout.addSpacing(8)
        layout.addWidget(self.enrol)
        layout.addLayout(form)
        layout.addWidget(self.pending_note)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.standalone.toggled.connect(self._mode_changed)
        self.enrol.toggled.connect(self._mode_changed)
        for edit in (self.url, self.code):
            edit.textChanged.connect(lambda _t: self.error.setText(""))
        self.retranslate()

    def initializePage(self) -> None:
        (self.enrol if self.choices.mode is Mode.ENROL else self.standalone).setChecked(True)
        self.url.setText(self.choices.server_url)
        self.code.setText(self.choices.enrolment_code)
        self._mode_changed()

    def _mode_changed(self, *_args) -> None:
        enrol = self.enrol.isChecked()
        for widget in (self.url, self.code, self.url_label, self.code_label):
            widget.setEnabled(enrol)
        self.pending_note.setVisible(enrol)
        self.error.setText("")

    def validatePage(self) -> bool:
        if self.enrol.isChecked():
            problem = check_enrolment(self.url.text(), self.code.text())
            if problem is not None:
                self.error.setText(self.wizard().problem_text(problem))
                return False
            self.choices.mode = Mode.ENROL
            self.choices.server_url = self.url.text().strip()
            self.choices.enrolment_code = self.code.text().strip()
        else:
            self.choices.mode = Mode.STANDALONE
        return True

    def retranslate(self) -> None:
        self.setTitle(self.tr("Connection"))
        self.setSubTitle(self.tr("Does this station report to the central office, or work on its own?"))
        self.standalone.setText(self.tr("Standalone: this station works on its own"))
        self.standalone_note.setText(
            self.tr("Rules and capacity are set here; the visitor log stays on this computer.")
        )
        self.enrol.setText(self.tr("Enrol with the central server (Diskominfo)"))
        self.url_label.setText(self.tr("Server address"))
        self.code_label.setText(self.tr("Enrolment code"))
        self.code.setPlaceholderText(self.tr("one-time code from the central office"))
        self.pending_note.setText(
            self.tr(
                "The station enrols as soon as the server answers (the code is kept in "
                "the keyring until then); meanwhile it works on its own and keeps every "
                "visit for the server. The top bar shows when it is online."
            )
        )


class SitePage(_Page):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.site = line_edit("", max_length=100)
        self.gate = line_edit("", max_length=100)
        self.capacity = QSpinBox()
        self.capacity.setRange(1, CAPACITY_MAX)
        self.capacity.setValue(50)
        self.no_limit = QCheckBox()
        self.no_limit.toggled.connect(lambda on: self.capacity.setEnabled(not on))
        self.site_label, self.gate_label, self.capacity_label = label(), label(), label()
        capacity_row = QHBoxLayout()
        capacity_row.addWidget(self.capacity)
        capacity_row.addWidget(self.no_limit)
        capacity_row.addStretch(1)
        self.server_capacity_note = label(wrap=True)
        self.error = label(wrap=True)
        _error_style(self.error)
        form = QFormLayout(self)
        form.addRow(self.site_label, self.site)
        form.addRow(self.gate_label, self.gate)
        form.addRow(self.capacity_label, capacity_row)
        form.addRow("", self.server_capacity_note)
        form.addRow(self.error)
        self.site.textChanged.connect(self.completeChanged)
        self.gate.textChanged.connect(self.completeChanged)
        self.retranslate()

    def initializePage(self) -> None:
        self.site.setText(self.choices.site_name)
        self.gate.setText(self.choices.gate_name)
        self.no_limit.setChecked(self.choices.capacity is None and bool(self.choices.site_name))
        if self.choices.capacity:
            self.capacity.setValue(self.choices.capacity)
        standalone = self.choices.mode is Mode.STANDALONE
        for widget in (self.capacity, self.no_limit, self.capacity_label):
            widget.setVisible(standalone)
        self.capacity.setEnabled(not self.no_limit.isChecked())
        self.server_capacity_note.setVisible(not standalone)

    def isComplete(self) -> bool:
        return bool(self.site.text().strip() and self.gate.text().strip())

    def validatePage(self) -> bool:
        standalone = self.choices.mode is Mode.STANDALONE
        capacity = None if (not standalone or self.no_limit.isChecked()) else self.capacity.value()
        problem = check_site(self.site.text(), self.gate.text(), capacity)
        if problem is not None:
            self.error.setText(self.wizard().problem_text(problem))
            return False
        self.error.setText("")
        self.choices.site_name, self.choices.gate_name = self.site.text(), self.gate.text()
        self.choices.capacity = capacity
        return True

    def retranslate(self) -> None:
        self.setTitle(self.tr("Office and gate"))
        self.setSubTitle(self.tr("Shown at the top of the guard's screen and written with every visit."))
        self.site_label.setText(self.tr("Office (site) name"))
        self.gate_label.setText(self.tr("Gate name"))
        self.capacity_label.setText(self.tr("Capacity (people inside at once)"))
        self.no_limit.setText(self.tr("no limit"))
        self.site.setPlaceholderText(self.tr("e.g. Kantor Bupati Probolinggo"))
        self.gate.setPlaceholderText(self.tr("e.g. Pintu Depan"))
        self.server_capacity_note.setText(
            self.tr(
                "The capacity will come from the central server once the "
                "station is enrolled; until then there is no limit."
            )
        )


class CameraPage(_Page):
    """Live preview of the chosen source and a test scan that verifies whatever code is shown."""

    test_scanned = Signal(str)  # the text of a code read during the test (for tests and logs)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.source = QComboBox()
        self.path = line_edit("", max_length=1000)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.preview = CameraView()
        self.preview.setMinimumSize(480, 270)
        self.status = label(wrap=True)
        self.status.setObjectName("cameraStatus")
        self.result = label(wrap=True)
        self.result.setObjectName("testScanResult")
        self.result.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.source_label, self.path_label = label(), label()
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.source_label, self.source)
        form.addRow(self.path_label, path_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.result)
        for index in WEBCAMS:
            self.source.addItem("", str(index))
        self.source.addItem("", FILE_SOURCE)
        self.bridge: CameraBridge | None = None
        self.spec: str | None = None
        self.source.currentIndexChanged.connect(self._source_changed)
        self.path.editingFinished.connect(self._source_changed)
        self.retranslate()

    # -- choosing -------------------------------------------------------------------------------
    def initializePage(self) -> None:
        camera = str(self.choices.camera or "0")
        index = self.source.findData(camera)
        self.source.blockSignals(True)
        if index >= 0:
            self.source.setCurrentIndex(index)
        else:
            self.source.setCurrentIndex(self.source.findData(FILE_SOURCE))
            self.path.setText(camera)
        self.source.blockSignals(False)
        self._source_changed()

    def cleanupPage(self) -> None:  # going Back
        self.stop_preview()

    def validatePage(self) -> bool:
        spec = self.current_spec()
        if not spec:
            self.status.setText(self.wizard().problem_text(SetupProblem.CAMERA))
            return False
        self.choices.camera = spec
        self.stop_preview()
        return True

    def current_spec(self) -> str:
        data = self.source.currentData()
        return self.path.text().strip() if data == FILE_SOURCE else str(data)

    def choose_file_source(self, path: str) -> None:
        """Folder of images, an image or a video file as the camera (the Browse button ends here)."""
        self.source.blockSignals(True)
        self.source.setCurrentIndex(self.source.findData(FILE_SOURCE))
        self.source.blockSignals(False)
        self.path.setText(path)
        self._source_changed()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of images to use as the camera"))
        if folder:
            self.choose_file_source(folder)

    def _source_changed(self, *_args) -> None:
        is_file = self.source.currentData() == FILE_SOURCE
        self.path.setEnabled(is_file)
        self.browse.setEnabled(is_file)
        spec = self.current_spec()
        if spec != self.spec or self.bridge is None:
            self.start_preview(spec)

    # -- preview ------------------------------------------------------------------------------
    def start_preview(self, spec: str) -> None:
        self.stop_preview()
        self.spec = spec
        self.result.setText("")
        if not spec:
            self.preview.show_message(self.tr("Choose a folder or a video file"))
            self.status.setText("")
            return
        wizard = self.wizard()
        try:
            decoder = make_decoder(wizard.decoder_name if wizard else Decoder.ZXING)
            source = open_source(spec, **({"gap_seconds": 1.0} if not spec.isdigit() else {}))
        except (CameraUnavailable, DecoderUnavailable, ValueError) as exc:
            self._show_status("unavailable", str(exc))
            return
        self.preview.show_message(self.tr("Starting camera…"))
        self.status.setText("")
        self.bridge = CameraBridge(source, decoder, Debouncer(cooldown_s=2.0))
        self.bridge.frame.connect(self.preview.show_frame)
        self.bridge.status.connect(self._show_status)
        self.bridge.scanned.connect(self._test_scan)
        self.bridge.start()

    def stop_preview(self) -> None:
        if self.bridge is not None:
            bridge, self.bridge = self.bridge, None
            for signal in (bridge.frame, bridge.status, bridge.scanned):
                signal.disconnect()
            bridge.stop()

    def _show_status(self, status: str, message: str) -> None:
        if status == "ok":
            self.status.setText(self.tr("Camera works: %1. Hold a QR code up to test a scan.").replace("%1", message))
            self.status.setStyleSheet("color: #2e7d32;")
        else:
            self.status.setText(self.tr("Camera not available: %1").replace("%1", message))
            _error_style(self.status)
            self.preview.show_message(self.tr("No picture from this camera"))

    def _test_scan(self, text: str) -> None:
        wizard = self.wizard()
        self.test_scanned.emit(text)
        if wizard is None or wizard.station is None:
            return
        credential, decision = wizard.station.checkpoint.evaluate(text)
        who = credential.display_name or ""
        word = verdict_word(decision.colour)
        self.result.setText(
            self.tr("Test scan: code read (%1) → %2 %3 — nothing was recorded.")
            .replace("%1", credential.kind.value)
            .replace("%2", word)
            .replace("%3", who)
            .replace("  ", " ")
        )

    def retranslate(self) -> None:
        self.setTitle(self.tr("Camera"))
        self.setSubTitle(
            self.tr(
                "Choose the camera that looks at the visitors' codes. A code held up to it is "
                "read and checked here as a test; nothing is recorded."
            )
        )
        self.source_label.setText(self.tr("Camera"))
        self.path_label.setText(self.tr("Folder or file"))
        self.browse.setText(self.tr("Browse…"))
        self.path.setPlaceholderText(self.tr("a folder of images or a video file"))
        for i, index in enumerate(WEBCAMS):
            text = self.tr("Webcam %1").replace("%1", str(index))
            if sys.platform.startswith("linux") and not Path(f"/dev/video{index}").exists():
                text += " " + self.tr("(not detected)")
            self.source.setItemText(i, text)
        self.source.setItemText(len(WEBCAMS), self.tr("Folder or video file…"))


class PinPage(_Page):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.pin = pin_line_edit()
        self.confirm = pin_line_edit()
        self.kiosk = QCheckBox()
        self.pin_label, self.confirm_label = label(), label()
        self.keep_note = label(wrap=True)
        self.hint = label(wrap=True)
        self.hint.setStyleSheet("color: #546e7a;")
        self.error = label(wrap=True)
        self.error.setObjectName("pinError")
        _error_style(self.error)
        self.kiosk_note = label(wrap=True)
        self.kiosk_note.setStyleSheet("color: #546e7a;")
        form = QFormLayout(self)
        form.addRow(self.hint)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.confirm_label, self.confirm)
        form.addRow(self.keep_note)
        form.addRow(self.error)
        form.addRow(self.kiosk)
        form.addRow(self.kiosk_note)
        for edit in (self.pin, self.confirm):
            edit.textChanged.connect(lambda _t: self.error.setText(""))
        self.retranslate()

    @property
    def keeping_allowed(self) -> bool:
        wizard = self.wizard()
        return bool(wizard and wizard.has_pin)

    def initializePage(self) -> None:
        self.keep_note.setVisible(self.keeping_allowed)
        self.kiosk.setChecked(self.choices.kiosk)

    def validatePage(self) -> bool:
        pin, confirm = self.pin.text(), self.confirm.text()
        if not pin and not confirm and self.keeping_allowed:
            self.choices.pin = None
        else:
            problem = check_new_pin(pin, confirm)
            if problem is not None:
                self.error.setText(self.wizard().pin_problem_text(problem))
                return False
            self.choices.pin = pin
        self.choices.kiosk = self.kiosk.isChecked()
        return True

    def retranslate(self) -> None:
        self.setTitle(self.tr("Supervisor PIN"))
        self.setSubTitle(self.tr("The supervisor PIN protects the settings, and closing the station in kiosk mode."))
        self.hint.setText(
            self.tr("%1 to %2 digits. Not 0000 or 1234. Five wrong PINs lock it for five minutes.")
            .replace("%1", str(PIN_MIN))
            .replace("%2", str(PIN_MAX))
        )
        self.pin_label.setText(self.tr("New PIN"))
        self.confirm_label.setText(self.tr("PIN again"))
        self.keep_note.setText(self.tr("Leave both empty to keep the current PIN."))
        self.kiosk.setText(self.tr("Kiosk mode: full screen, closing needs the PIN"))
        self.kiosk_note.setText(self.tr("Recommended for a PC used only as the guard station."))


class SummaryPage(_Page):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.summary = label(wrap=True)
        self.summary.setObjectName("setupSummary")
        self.summary.setStyleSheet("font-size: 14px;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.retranslate()

    def initializePage(self) -> None:
        self._fill()

    def _fill(self) -> None:
        c = self.choices if self.wizard() else None
        if c is None:
            return
        rows = [
            (self.tr("Language"), _language_name(c.language)),
            (self.tr("Office"), c.site_name.strip()),
            (self.tr("Gate"), c.gate_name.strip()),
        ]
        if c.mode is Mode.STANDALONE:
            rows.append((self.tr("Connection"), self.tr("standalone")))
            rows.append((self.tr("Capacity"), str(c.capacity) if c.capacity else self.tr("no limit")))
        else:
            rows.append((self.tr("Connection"), self.tr("enrolment pending with %1").replace("%1", c.server_url)))
        camera = str(c.camera)
        rows.append((self.tr("Camera"), self.tr("Webcam %1").replace("%1", camera) if camera.isdigit() else camera))
        rows.append(
            (self.tr("Supervisor PIN"), self.tr("keep the current PIN") if c.pin is None else self.tr("new PIN set"))
        )
        rows.append((self.tr("Kiosk mode"), self.tr("on") if c.kiosk else self.tr("off")))
        cells = "".join(
            f"<tr><td style='padding-right:16px'><b>{k}</b></td><td>{_escape(v)}</td></tr>" for k, v in rows
        )
        self.summary.setText(f"<table>{cells}</table>")

    def retranslate(self) -> None:
        self.setTitle(self.tr("Ready"))
        self.setSubTitle(
            self.tr(
                "Check the choices, then press Finish. The setup can be run again from the "
                "Settings menu with the supervisor PIN."
            )
        )
        self._fill()


def _language_name(code: str) -> str:
    try:
        return Language(code).display_name
    except ValueError:
        return code


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SetupWizard(QWizard):
    language_chosen = Signal(str)
    setup_applied = Signal(object)  # Settings, after they are saved

    def __init__(
        self,
        station: StationContext,
        *,
        rerun: bool = False,
        switch_language_to: Callable[[str], None] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.station = station
        self.rerun = rerun
        settings = station.settings
        self.decoder_name = settings.decoder
        self.has_pin = bool(settings.supervisor_pin_hash)
        self.choices = (
            current_choices(station)
            if settings.configured
            else SetupChoices(language=settings.language, camera=settings.camera)
        )
        self._initial_language = self.choices.language
        self._switch_language = switch_language_to or (lambda lang: switch_language(QApplication.instance(), lang))
        self.language_chosen.connect(self._switch_language)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.language_page = LanguagePage()
        self.connection_page = ConnectionPage()
        self.site_page = SitePage()
        self.camera_page = CameraPage()
        self.pin_page = PinPage()
        self.summary_page = SummaryPage()
        for page in (
            self.language_page,
            self.connection_page,
            self.site_page,
            self.camera_page,
            self.pin_page,
            self.summary_page,
        ):
            self.addPage(page)
        self.resize(760, 640)
        self.retranslate()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("GuardStation setup") if not self.rerun else self.tr("GuardStation setup (again)"))
        for button, text in (
            (QWizard.WizardButton.BackButton, self.tr("< Back")),
            (QWizard.WizardButton.NextButton, self.tr("Next >")),
            (QWizard.WizardButton.FinishButton, self.tr("Finish")),
            (QWizard.WizardButton.CancelButton, self.tr("Cancel")),
        ):
            self.setButtonText(button, text)

    def problem_text(self, problem: SetupProblem) -> str:
        return {
            SetupProblem.SITE_EMPTY: self.tr("Enter the office name."),
            SetupProblem.GATE_EMPTY: self.tr("Enter the gate name."),
            SetupProblem.NAME_TOO_LONG: self.tr("Names can be at most 100 characters."),
            SetupProblem.CAPACITY: self.tr("Capacity must be between 1 and 100000, or no limit."),
            SetupProblem.URL: self.tr("The server address must look like https://sync.example.go.id"),
            SetupProblem.URL_NOT_HTTPS: self.tr(
                "The server address must start with https:// (the data is personal and must be encrypted)."
            ),
            SetupProblem.CODE: self.tr("The enrolment code has 6 to 64 letters, digits or hyphens."),
            SetupProblem.CAMERA: self.tr("Choose a camera, or a folder or video file."),
        }[problem]

    def pin_problem_text(self, problem: PinProblem) -> str:
        return pin_problem_text(problem)

    def accept(self) -> None:
        try:
            settings = apply_setup(self.station, self.choices, actor="supervisor" if self.rerun else "installer")
        except Exception as exc:  # the installer must see it; the log keeps the traceback
            log.exception("applying the setup failed")
            box = QMessageBox(
                QMessageBox.Icon.Critical,
                self.tr("Setup not saved"),
                self.tr("The setup could not be saved: %1").replace("%1", str(exc)),
                parent=self,
            )
            box.open()
            return
        self.camera_page.stop_preview()
        self.setup_applied.emit(settings)
        super().accept()

    def done(self, result: int) -> None:
        self.camera_page.stop_preview()
        accepted = int(getattr(result, "value", result)) == QDialog.DialogCode.Accepted.value
        if not accepted and self.choices.language != self._initial_language:
            self._switch_language(self._initial_language)  # cancelled: the screen keeps its language
        super().done(result)
