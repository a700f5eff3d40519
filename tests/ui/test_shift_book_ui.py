"""The shift book driven through the real window: guards, open shift, notes, close with handover (Indonesian)."""

from __future__ import annotations

from sqlalchemy import select

from guardstation.station.checkpoint import ManualEntry
from guardstation.station.pin import hash_pin
from guardstation.store.audit import verify_chain
from guardstation.store.models import Shift, Visit

SUPERVISOR_PIN = "2580"


def unlock(qtbot, desk):
    desk.pin_dialog.edit.setText(SUPERVISOR_PIN)
    desk.pin_dialog.ok_button.click()


def test_guard_added_opens_shift_writes_incident_and_hands_over(gui, station, qtbot, clock):
    station.settings.supervisor_pin_hash = hash_pin(SUPERVISOR_PIN)
    app = gui()
    desk, window = app.desk, app.window
    assert "Belum ada shift" in desk.status.text()

    desk.guards_action.trigger()  # behind the supervisor PIN
    unlock(qtbot, desk)
    guards = desk.dialog
    guards.new_name.setText("Budi Santoso")
    guards.new_pin.setText("1234")
    guards.new_confirm.setText("1234")
    guards.add_button.click()
    qtbot.waitUntil(lambda: "mudah ditebak" in guards.add_status.text())  # weak PIN refused, in words
    guards.new_pin.setText("3691")
    guards.new_confirm.setText("3691")
    guards.add_button.click()
    qtbot.waitUntil(lambda: "ditambahkan" in guards.add_status.text())
    assert guards.table.item(0, 0).text() == "Budi Santoso"
    guards.accept()

    desk.open_action.trigger()
    opening = desk.dialog
    opening.name.setCurrentText("Budi Santoso")
    opening.pin.setText("0000")
    opening.ok_button.click()
    qtbot.waitUntil(lambda: "PIN salah" in opening.problem.text())
    assert station.checkpoint.guard == ""
    opening.pin.setText("3691")
    opening.ok_button.click()
    qtbot.waitUntil(lambda: not opening.isVisible())
    assert "Bertugas: Budi Santoso" in desk.status.text()

    window.manual_requested.emit(ManualEntry("3513010101800001", "Hadi Prasetyo", "Rapat", "Sekda"))
    qtbot.waitUntil(lambda: window.inside_model.rowCount() == 1)
    with station.db.read() as session:
        assert session.scalars(select(Visit)).one().guard == "Budi Santoso"

    desk.note_action.trigger()
    note = desk.dialog
    note.ok_button.click()
    assert "Tulis catatannya dulu" in note.problem.text()  # an empty note is not saved
    note.text.setPlainText("Pintu samping macet, dilaporkan ke bagian umum")
    note.ok_button.click()
    qtbot.waitUntil(lambda: not note.isVisible())

    clock.advance(hours=8)
    desk.close_action.trigger()
    closing = desk.dialog
    preview = closing.view.toPlainText()
    assert "Hadi Prasetyo" in preview and "Pintu samping macet" in preview and "KUNING 1" in preview
    closing.ok_button.click()
    qtbot.waitUntil(lambda: "Shift ditutup" in closing.view.toPlainText())
    assert "Belum ada shift" in desk.status.text() and station.checkpoint.guard == ""
    closing.cancel_button.click()
    with station.db.read() as session:
        assert session.scalars(select(Shift)).one().closed_at == clock()
        assert verify_chain(session).ok
