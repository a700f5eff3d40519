"""Retention settings dialog (supervisor) and the purge schedule, with the real widgets and threads."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from guardstation.settings.model import Settings
from guardstation.station.checkpoint import ManualEntry
from guardstation.store.models import AuditLog, Visit


@pytest.fixture
def old_visit(station, clock):
    """A visitor 40 days ago, checked in and out; today's clock is unchanged afterwards."""
    today = clock.current
    clock.current = today - timedelta(days=40)
    outcome = station.checkpoint.manual_entry(ManualEntry("3513014708850001", "Rina Marlina", "Rapat", "Sekda"))
    clock.advance(hours=1)
    station.checkpoint.check_out(outcome.visit_id)
    clock.current = today
    return outcome.visit_id


@pytest.fixture
def scheduler(qapp, station, db_thread):
    from guardstation.ui.retention_dialog import RetentionScheduler

    made = RetentionScheduler(station, db_thread, first_delay_ms=10)
    yield made
    made.stop()


@pytest.fixture
def dialog(qtbot, station, translator, scheduler):
    from guardstation.ui.retention_dialog import RetentionDialog

    def make(lang: str = "id"):
        translator(lang)
        dlg = RetentionDialog(station, scheduler)
        qtbot.addWidget(dlg)
        dlg.show()
        return dlg

    return make


def audit_rows(station, action: str) -> list[AuditLog]:
    with station.db.read() as session:
        return session.query(AuditLog).filter(AuditLog.action == action).all()


def test_saving_writes_settings_and_is_audited(dialog, qtbot, station):
    dlg = dialog("id")
    assert (dlg.visit_days.value(), dlg.denied_days.value(), dlg.export_days.value()) == (30, 14, 30)
    assert dlg.visit_days.suffix() == " hari"
    dlg.visit_days.setValue(5)
    assert dlg.visit_days.value() == 14  # exposure tracing needs 14 days
    dlg.visit_days.setValue(60)
    dlg.denied_days.setValue(7)
    dlg.export_days.setValue(3)
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    saved = Settings.load(station.home)
    assert (saved.retention_visit_days, saved.retention_denied_days, saved.retention_export_days) == (60, 7, 3)
    qtbot.waitUntil(lambda: len(audit_rows(station, "retention_settings")) == 1, timeout=5000)
    detail = json.loads(audit_rows(station, "retention_settings")[0].detail_json)
    assert detail == {"days": {"visits": 60, "denied": 7, "exports": 3}}
    assert dlg.status.text() == "Tersimpan. Penghapusan berikutnya memakai jumlah hari ini."
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)  # unchanged: no second audit row
    qtbot.wait(100)
    assert len(audit_rows(station, "retention_settings")) == 1


def test_purge_now_from_the_dialog(dialog, qtbot, station, old_visit):
    dlg = dialog("en")
    qtbot.mouseClick(dlg.purge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.status.text().startswith("Purge done"), timeout=10000)
    assert dlg.status.text() == "Purge done: 1 visits and 0 refused scans anonymised, 0 export files removed."
    assert dlg.purge_button.isEnabled()
    with station.db.read() as session:
        assert session.get(Visit, old_visit).display_name == ""
    assert len(audit_rows(station, "purge")) == 1


def test_scheduler_runs_at_start_and_one_at_a_time(qtbot, scheduler, station, old_visit):
    with qtbot.waitSignal(scheduler.purged, timeout=10000) as blocker:
        scheduler.start()
    assert blocker.args[0].visits == 1
    assert scheduler.daily.isActive() and scheduler.daily.interval() == 24 * 60 * 60 * 1000
    assert scheduler.run_now()
    assert not scheduler.run_now()  # one purge at a time
    with qtbot.waitSignal(scheduler.purged, timeout=10000) as again:
        pass
    assert not again.args[0].changed  # idempotent: nothing more to do
    assert len(audit_rows(station, "purge")) == 1


def test_retention_menu_needs_the_supervisor_pin(gui, qtbot, station):
    from guardstation.station.pin import hash_pin

    station.settings.supervisor_pin_hash = hash_pin("2580")
    reports = gui(lang="en").reports
    reports.retention_action.trigger()
    assert reports.pin_dialog.isVisible() and reports.retention_dialog is None
    reports.pin_dialog.edit.setText("2580")
    reports.pin_dialog.try_pin()
    assert reports.retention_dialog is not None and reports.retention_dialog.isVisible()
