"""Supervisor actions through the real window: override (reason required), correction, auto check-out, overstay."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from guardstation.station.checkpoint import ManualEntry
from guardstation.station.pin import hash_pin
from guardstation.store.audit import verify_chain
from guardstation.store.models import AuditLog, Visit, VisitEvent

PIN = "2580"
PEOPLE = [
    ("3513010101800001", "Hadi Prasetyo"),
    ("3513014202850002", "Lina Marlina"),
    ("3513010303900003", "Joko Susilo"),
    ("3513014404920004", "Ratna Dewi"),
]


def enter(station, i):
    nik, name = PEOPLE[i]
    return station.checkpoint.manual_entry(ManualEntry(nik, name, "Rapat", "Sekda"))


def select_visit(window, visit_id):
    model = window.log_model
    window.log_model.refresh()
    row = next(r for r in range(model.rowCount()) if model.visit_at(r).visit_id == visit_id)
    window.log_view.selectRow(row)


def unlock(desk):
    desk.pin_dialog.edit.setText(PIN)
    desk.pin_dialog.ok_button.click()


def visits(station):
    with station.db.read() as session:
        return list(session.scalars(select(Visit)))


def test_override_refuses_an_empty_reason_then_admits_with_one(gui, station, qtbot):
    station.settings.supervisor_pin_hash = hash_pin(PIN)
    for i in range(3):
        enter(station, i)
    denied = enter(station, 3)  # PENUH
    app = gui()
    desk, window = app.desk, app.window
    select_visit(window, denied.visit_id)
    desk.override_action.trigger()
    unlock(desk)
    dialog = desk.dialog
    dialog.supervisor.setText("Pak Anton")
    dialog.ok_button.click()
    assert "Alasan wajib diisi" in dialog.problem.text() and dialog.isVisible()
    assert len(visits(station)) == 4  # nothing recorded

    dialog.reason.setText("Undangan Bupati, dicek lewat telepon")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert station.checkpoint.occupancy().inside == 4
    newest = window.log_model.visit_at(0)
    assert newest.override_of == denied.visit_id
    assert "Diizinkan supervisor Pak Anton" in window.log_model.data(window.log_model.index(0, 4))
    with station.db.read() as session:
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "override")).one()
        assert audit.actor == "Pak Anton" and verify_chain(session).ok


def test_correction_renames_and_closes_the_visit_keeping_the_original(gui, station, qtbot, clock):
    station.settings.supervisor_pin_hash = hash_pin(PIN)
    outcome = enter(station, 0)
    clock.advance(hours=2)
    app = gui()
    desk, window = app.desk, app.window
    select_visit(window, outcome.visit_id)
    desk.correct_action.trigger()
    unlock(desk)
    dialog = desk.dialog
    dialog.name.setText("Hadi Prasetya")
    dialog.has_left.setChecked(True)
    dialog.time_out.setDateTime(dialog.time_out.dateTime().addSecs(-3600))  # left an hour ago
    dialog.ok_button.click()
    assert "nama supervisor" in dialog.problem.text()
    dialog.supervisor.setText("Pak Anton")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())

    assert window.inside_model.rowCount() == 0
    assert window.log_model.data(window.log_model.index(0, 2)) == "Hadi Prasetya"
    with station.db.read() as session:
        events = list(session.scalars(select(VisitEvent).order_by(VisitEvent.seq)))
        assert [e.kind for e in events] == ["check_in", "correction"]
        assert json.loads(events[0].body_json)["display_name"] == "Hadi Prasetyo"
        body = json.loads(events[1].body_json)
        assert body["visit_id"] == outcome.visit_id
        assert (
            body["time_out"] is not None
            and abs((session.get(Visit, outcome.visit_id).time_out - (clock() - timedelta(hours=1))).total_seconds())
            < 60
        )
        assert verify_chain(session).ok


def test_forgotten_check_outs_close_at_closing_time_with_a_notice(gui, station, qtbot, clock):
    outcome = enter(station, 0)
    app = gui()
    desk, window = app.desk, app.window
    assert not desk.notices.isVisible()
    clock.current = clock().replace(hour=17, minute=20)
    desk.check_visits()
    qtbot.waitUntil(lambda: desk.notices.auto_closed.isVisible())
    assert "ditutup otomatis" in desk.notices.auto_closed.text() and "Hadi Prasetyo" in desk.notices.auto_closed.text()
    assert window.inside_model.rowCount() == 0
    assert window.log_model.data(window.log_model.index(0, 7)).endswith("(otomatis)")
    with station.db.read() as session:
        assert session.get(Visit, outcome.visit_id).auto_closed


def test_overstay_raises_a_notice(gui, station, qtbot, clock):
    station.settings.overstay_hours = 2
    enter(station, 0)
    app = gui()
    desk = app.desk
    clock.advance(hours=1)
    desk.check_visits()
    qtbot.wait(200)
    assert not desk.notices.overstay.isVisible()
    clock.advance(hours=1, minutes=5)
    desk.check_visits()
    qtbot.waitUntil(lambda: desk.notices.overstay.isVisible())
    assert "lebih dari 2 jam" in desk.notices.overstay.text() and "Hadi Prasetyo" in desk.notices.overstay.text()
