"""The guard's screen: live feed, verdict banner, capacity gauge, inside-now list, manual entry, log."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guardstation.domain.credential import PersonKind
from guardstation.domain.verdict_types import GateMode
from guardstation.station.checkpoint import InvalidEntry, ScanOutcome
from guardstation.station.context import StationContext
from guardstation.ui.camera_view import CameraView
from guardstation.ui.capacity_gauge import CapacityGauge
from guardstation.ui.freshness_label import FreshnessLabel
from guardstation.ui.manual_entry import ManualEntryPanel
from guardstation.ui.qt_helpers import line_edit
from guardstation.ui.sound import SoundPlayer
from guardstation.ui.table_models import InsideNowModel, ScanLogModel
from guardstation.ui.theme import sound_cue
from guardstation.ui.verdict_banner import VerdictBanner

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    scan_requested = Signal(str)
    manual_requested = Signal(object)
    check_out_requested = Signal(str)
    verdict_shown = Signal(object)  # ScanOutcome, after the banner shows it

    def __init__(self, station: StationContext, sound: SoundPlayer, lang: str, log_dir: Path | None = None) -> None:
        super().__init__()
        self.station = station
        self.checkpoint = station.checkpoint
        self.sound = sound
        self.lang = lang
        self.log_dir = log_dir
        self.last_outcome: ScanOutcome | None = None
        self.setWindowTitle(
            self.tr("GuardStation — %1 · %2")
            .replace("%1", self.checkpoint.site_name)
            .replace("%2", self.checkpoint.gate_name)
        )
        self.resize(1366, 900)

        self.camera_view = CameraView()
        self.banner = VerdictBanner()
        self.gauge = CapacityGauge()
        self.inside_model = InsideNowModel(station.db, self)
        self.inside_view = self._table(self.inside_model)
        self.check_out_button = QPushButton(self.tr("Check out selected"))
        self.check_out_button.clicked.connect(self._check_out_selected)
        # One click, no PIN: any guard prints it in an emergency (wired by ui/reports_menu.py).
        self.evacuation_button = QPushButton(self.tr("Print evacuation list"))
        self.manual_panel = ManualEntryPanel(lang)
        self.manual_panel.submitted.connect(self.manual_requested)
        self.log_model = ScanLogModel(station.db, lang, self)
        self.log_view = self._table(self.log_model)
        self.search = line_edit(self.tr("Search name in the log…"), clear_button=True)
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(self.log_model.set_query)
        self.gate_mode = QComboBox()
        for mode, label in (
            (GateMode.AUTO, self.tr("Auto (in/out)")),
            (GateMode.IN, self.tr("In only")),
            (GateMode.OUT, self.tr("Out only")),
        ):
            self.gate_mode.addItem(label, mode.value)  # plain str: Qt would flatten the enum anyway
        self.gate_mode.setCurrentIndex(self.gate_mode.findData(self.checkpoint.gate_mode.value))
        self.gate_mode.currentIndexChanged.connect(self._gate_mode_changed)
        self.camera_status = QLabel(self.tr("Camera: starting"))
        self.freshness = FreshnessLabel(self.checkpoint)
        self.storage_status = QLabel()
        self._build_layout()
        self.refresh_all()

    @staticmethod
    def _table(model) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.verticalHeader().setVisible(False)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def _build_layout(self) -> None:
        top = self.top_bar = QHBoxLayout()
        site = self.site_label = QLabel(f"<b>{self.checkpoint.site_name}</b> · {self.checkpoint.gate_name}")
        site.setStyleSheet("font-size: 18px;")
        top.addWidget(site)
        top.addStretch(1)
        if self.station.secrets.fallback:
            warning = QLabel(self.tr("Keys stored in a file (no OS keyring)"))
            warning.setStyleSheet("color: #ef6c00;")
            top.addWidget(warning)
        top.addWidget(self.storage_status)
        top.addWidget(self.freshness)
        top.addWidget(self.camera_status)
        top.addWidget(QLabel(self.tr("Gate mode:")))
        top.addWidget(self.gate_mode)

        left = QVBoxLayout()
        left.addWidget(self.camera_view, 3)
        left.addWidget(self.banner, 0)
        left_widget = QWidget()
        left_widget.setLayout(left)

        right = QVBoxLayout()
        right.addWidget(self.gauge)
        right.addWidget(QLabel(self.tr("<b>Inside now</b> (evacuation list)")))
        right.addWidget(self.inside_view, 2)
        inside_buttons = QHBoxLayout()
        inside_buttons.addWidget(self.check_out_button, 1)
        inside_buttons.addWidget(self.evacuation_button)
        right.addLayout(inside_buttons)
        right.addWidget(self.manual_panel)
        right_widget = QWidget()
        right_widget.setLayout(right)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(left_widget)
        upper.addWidget(right_widget)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        upper.setSizes([800, 560])

        log_box = QVBoxLayout()
        log_header = QHBoxLayout()
        log_header.addWidget(QLabel(self.tr("<b>Recent scans</b>")))
        log_header.addStretch(1)
        log_header.addWidget(self.search)
        log_box.addLayout(log_header)
        log_box.addWidget(self.log_view)
        log_widget = QWidget()
        log_widget.setLayout(log_box)

        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(upper)
        vertical.addWidget(log_widget)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 1)
        vertical.setSizes([620, 240])

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addLayout(top)
        outer.addWidget(vertical, 1)
        self.setCentralWidget(central)

    def add_status_widget(self, widget: QWidget) -> None:
        """A status in the top bar, after the site name (the shift on duty)."""
        self.top_bar.insertWidget(1, widget)

    def add_top_widget(self, widget: QWidget) -> None:
        """A bar above the feed (the start-up hardware notices)."""
        self.centralWidget().layout().insertWidget(0, widget)

    def refresh_identity(self) -> None:
        """After the setup was run again: the site and gate names may have changed."""
        self.setWindowTitle(
            self.tr("GuardStation — %1 · %2")
            .replace("%1", self.checkpoint.site_name)
            .replace("%2", self.checkpoint.gate_name)
        )
        self.site_label.setText(f"<b>{self.checkpoint.site_name}</b> · {self.checkpoint.gate_name}")
        self.refresh_all()

    # -- updates -----------------------------------------------------------------------------
    def refresh_all(self) -> None:
        self.freshness.refresh()
        self.gauge.update_occupancy(self.checkpoint.occupancy())
        self.inside_model.refresh()
        self.log_model.refresh()

    @Slot(object)
    def show_outcome(self, outcome: ScanOutcome) -> None:
        """Called only after the worker committed the visit (what the guard sees is on disk)."""
        self.last_outcome = outcome
        decision = outcome.decision
        detail = outcome.display_name
        if outcome.credential.person_kind is PersonKind.EMPLOYEE:
            detail += " · " + self.tr("employee")
        elif outcome.credential.person_kind is PersonKind.VISITOR:
            detail += " · " + self.tr("visitor")
        for warning in decision.warnings:
            detail += ("\n" if detail else "") + "⚠ " + warning.text(self.lang)
        self.banner.show_verdict(decision.colour, decision.action, decision.reason.text(self.lang), detail)
        self.sound.play(sound_cue(decision.colour, decision.action))
        self.storage_status.setText("")
        self.gauge.update_occupancy(outcome.occupancy)
        self.inside_model.refresh()
        self.log_model.refresh()
        log.info(
            "verdict shown: visit=%s colour=%s action=%s",
            outcome.visit_id,
            decision.colour.value,
            decision.action.value,
        )
        if outcome.credential.manual and decision.admitted:
            self.manual_panel.clear()
        self.verdict_shown.emit(outcome)

    @Slot(object)
    def show_entry_rejected(self, error: InvalidEntry) -> None:
        message = error.nik_check.message(self.lang) if error.nik_check else str(error)
        self.banner.show_problem(message)

    @Slot(str)
    def show_storage_failure(self, problem: str) -> None:
        messages = {
            "disk_full": self.tr("Disk full: scans are NOT being recorded. Free disk space, then scan again."),
            "read_only": self.tr("Storage is read-only: scans are NOT being recorded."),
            "locked": self.tr("Database busy: scan not recorded, please scan again."),
            "io_error": self.tr("Disk error: scans are NOT being recorded. Check the disk, then scan again."),
        }
        message = messages.get(problem, problem)
        self.banner.show_problem(message)
        self.storage_status.setText("⚠ " + message)
        self.storage_status.setStyleSheet("color: #c62828; font-weight: 700;")
        self.sound.play("red")

    @Slot(str)
    def show_crash(self, details: str) -> None:
        where = str(self.log_dir) if self.log_dir else ""
        text = self.tr("Something went wrong. The data recorded so far is safe.\nLog folder: %1")
        box = QMessageBox(
            QMessageBox.Icon.Critical, self.tr("Unexpected error"), text.replace("%1", where), parent=self
        )
        box.setDetailedText(details)
        box.open()

    @Slot(str, str)
    def show_camera_status(self, status: str, message: str) -> None:
        if status == "ok":
            self.camera_status.setText(self.tr("Camera: on"))
            self.camera_status.setStyleSheet("color: #2e7d32;")
        else:
            text = self.tr("Camera disconnected — manual entry still works")
            self.camera_status.setText(text)
            self.camera_status.setStyleSheet("color: #c62828; font-weight: 700;")
            self.camera_view.show_message(f"{text}\n{message}")

    def _gate_mode_changed(self) -> None:
        mode = GateMode(self.gate_mode.currentData())
        self.checkpoint.gate_mode = mode
        self.station.settings.gate_mode = mode.value
        self.station.settings.save(self.station.home)

    def _check_out_selected(self) -> None:
        rows = self.inside_view.selectionModel().selectedRows()
        if rows:
            self.check_out_requested.emit(self.inside_model.visit_at(rows[0].row()).visit_id)
