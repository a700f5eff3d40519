"""The supervisor's export dialog and the one-click evacuation list, driven through their real widgets."""

from __future__ import annotations

import errno
import hashlib
import json
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCore import Qt

from guardstation.station.checkpoint import ManualEntry
from guardstation.store.models import AuditLog

NIKS = {"Rina Marlina": "3513014708850001", "Joko Susilo": "3513011708800008", "Sari Wulandari": "3513016502920003"}


@pytest.fixture
def visits(station, clock):
    """08:00 Rina in, 08:05 Joko in, 08:30 Joko out, 09:00 Sari in; the export is made at 10:00."""
    cp = station.checkpoint
    outcomes = {}
    for minutes, name in ((0, "Rina Marlina"), (5, "Joko Susilo")):
        clock.current = clock.current.replace(hour=8, minute=minutes)
        outcomes[name] = cp.manual_entry(ManualEntry(NIKS[name], name, "Rapat", "Bagian Umum"))
    clock.current = clock.current.replace(minute=30)
    cp.check_out(outcomes["Joko Susilo"].visit_id)
    clock.current = clock.current.replace(hour=9, minute=0)
    cp.manual_entry(ManualEntry(NIKS["Sari Wulandari"], "Sari Wulandari", "Layanan KTP", "Dispendukcapil"))
    clock.current = clock.current.replace(hour=10)
    return outcomes


@pytest.fixture
def dialog(qtbot, station, translator, db_thread):
    from guardstation.ui.export_dialog import ExportDialog

    made = []

    def make(lang: str = "id") -> ExportDialog:
        translator(lang)
        dlg = ExportDialog(station, lang, db_thread)
        qtbot.addWidget(dlg)
        dlg.show()
        made.append(dlg)
        return dlg

    yield make
    for dlg in made:
        dlg.done(0)


def choose(dlg, kind: str, fmt: str, target) -> None:
    dlg.kind.setCurrentIndex(dlg.kind.findData(kind))
    dlg.fmt.setCurrentIndex(dlg.fmt.findData(fmt))
    dlg.target.setText(str(target))


def run(dlg, qtbot) -> None:
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=20000)


def test_xlsx_export_read_back_with_hash_and_audit(dialog, qtbot, visits, station, tmp_path):
    dlg = dialog("id")
    assert dlg.nik.isChecked()  # the (masked) NIK is in by default
    choose(dlg, "shift", "xlsx", tmp_path / "buku-tamu.xlsx")
    run(dlg, qtbot)
    assert dlg.result is not None, dlg.status.text()
    path = tmp_path / "buku-tamu.xlsx"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert dlg.result.sha256 == digest
    assert str(path) in dlg.status.text() and digest in dlg.status.text()
    assert dlg.status.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert dlg.progress.value() == dlg.progress.maximum()

    sheet = load_workbook(path)["Log kunjungan"]
    assert [c.value for c in sheet[1]][:5] == [
        "Waktu masuk (WIB, UTC+07:00)",
        "Waktu keluar (WIB, UTC+07:00)",
        "Lama (menit)",
        "Nama",
        "NIK (disamarkan)",
    ]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 3
    by_name = {r[3]: r for r in rows}
    assert by_name["Joko Susilo"][:5] == [
        datetime(2026, 11, 23, 8, 5),
        datetime(2026, 11, 23, 8, 30),
        25,
        "Joko Susilo",
        "3513********0008",
    ]
    assert by_name["Joko Susilo"][8:13] == [
        "KUNING",
        "Entri manual — periksa KTP dan kartu vaksin",
        "Sudah keluar",
        "Rapat",
        "Bagian Umum",
    ]
    assert by_name["Sari Wulandari"][4] == "3513********0003" and by_name["Sari Wulandari"][10] == "Di dalam"
    for row in rows:
        assert "*" in row[4]  # never a full NIK

    with station.db.read() as session:
        audit = session.query(AuditLog).filter(AuditLog.action == "export").one()
    detail = json.loads(audit.detail_json)
    assert (detail["sha256"], detail["kind"], detail["format"], detail["rows"]) == (digest, "shift", "xlsx", 3)
    assert audit.actor == "supervisor"


def test_nik_column_can_be_left_out(dialog, qtbot, visits, tmp_path):
    dlg = dialog("en")
    choose(dlg, "shift", "xlsx", tmp_path / "log.xlsx")
    dlg.nik.setChecked(False)
    run(dlg, qtbot)
    headers = [c.value for c in load_workbook(tmp_path / "log.xlsx").worksheets[0][1]]
    assert "Name" in headers and not any("NIK" in h for h in headers)


def test_pdf_report_text(dialog, qtbot, visits, tmp_path):
    dlg = dialog("id")
    choose(dlg, "shift", "pdf", tmp_path / "laporan.pdf")
    assert not dlg.nik.isEnabled()
    run(dlg, qtbot)
    assert dlg.result is not None, dlg.status.text()
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "laporan.pdf").pages)
    for expected in ("Kantor Bupati", "Pintu Depan", "Rina Marlina", "Joko Susilo", "Sari Wulandari", "KUNING"):
        assert expected in text, expected


def test_format_follows_the_chosen_file_and_default_goes_to_exports(dialog, station, tmp_path):
    dlg = dialog("id")
    assert dlg.target.text() == str(station.home / "exports" / "shift-2026-11-23.xlsx")
    dlg.fmt.setCurrentIndex(dlg.fmt.findData("pdf"))
    assert dlg.target.text().endswith("shift-2026-11-23.pdf")
    dlg.target.setText(str(tmp_path / "mine.pdf"))
    dlg.fmt.setCurrentIndex(dlg.fmt.findData("csv"))
    assert dlg.target.text() == str(tmp_path / "mine.csv")
    dlg.kind.setCurrentIndex(dlg.kind.findData("evacuation"))
    assert not dlg.date_from.isEnabled() and not dlg.subject.isEnabled()
    dlg.kind.setCurrentIndex(dlg.kind.findData("exposure"))
    assert dlg.subject.isEnabled()


def test_cancel_leaves_no_file(dialog, qtbot, visits, tmp_path, monkeypatch):
    import guardstation.ui.export_dialog as module

    real = module.run_export

    def slow_export(db, request, *, now, progress, cancel):
        progress(0, 3)
        assert cancel.wait(10), "the dialog never set the cancel flag"
        return real(db, request, now=now, progress=progress, cancel=cancel)

    monkeypatch.setattr(module, "run_export", slow_export)
    out = tmp_path / "out"
    out.mkdir()
    dlg = dialog("en")
    choose(dlg, "shift", "xlsx", out / "log.xlsx")
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.progress.maximum() == 3, timeout=5000)
    assert dlg.cancel_button.isEnabled() and not dlg.export_button.isEnabled()
    qtbot.mouseClick(dlg.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.running, timeout=10000)
    assert dlg.status.text() == "Export cancelled. No file was written."
    assert list(out.iterdir()) == []  # no file, no temporary file
    assert dlg.export_button.isEnabled() and not dlg.cancel_button.isEnabled()


def test_bad_path_gives_a_clear_message(dialog, qtbot, visits, tmp_path):
    dlg = dialog("id")
    choose(dlg, "shift", "xlsx", tmp_path / "tidak-ada" / "log.xlsx")
    run(dlg, qtbot)
    assert dlg.result is None
    assert "tidak-ada" in dlg.status.text() and "Folder" in dlg.status.text(), dlg.status.text()
    assert not (tmp_path / "tidak-ada").exists()


def test_full_disk_leaves_nothing(dialog, qtbot, visits, tmp_path, monkeypatch):
    from guardstation.reports import shift

    def full(ctx, period, temp, columns=None):
        temp.write_bytes(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shift, "write_log_xlsx", full)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "log.xlsx"
    target.write_bytes(b"yesterday's export")
    dlg = dialog("en")
    choose(dlg, "shift", "xlsx", target)
    run(dlg, qtbot)
    assert "full" in dlg.status.text().lower(), dlg.status.text()
    assert target.read_bytes() == b"yesterday's export"  # the older file stays as it was
    assert sorted(p.name for p in out.iterdir()) == ["log.xlsx"]


def test_exposure_needs_a_valid_subject(dialog, qtbot, visits, tmp_path):
    dlg = dialog("en")
    choose(dlg, "exposure", "csv", tmp_path / "exposure.csv")
    dlg.subject.setText("12345")
    run(dlg, qtbot)
    assert "NIK (16 digits)" in dlg.status.text() and not (tmp_path / "exposure.csv").exists()
    dlg.subject.setText(NIKS["Rina Marlina"])
    run(dlg, qtbot)
    assert dlg.result is not None, dlg.status.text()
    assert "Joko Susilo" in (tmp_path / "exposure.csv").read_text("utf-8-sig")


def test_period_ending_before_it_starts(dialog, qtbot, visits, tmp_path):
    dlg = dialog("en")
    choose(dlg, "monitoring", "pdf", tmp_path / "m.pdf")
    dlg.date_from.setDate(dlg.date_to.date().addDays(1))
    run(dlg, qtbot)
    assert dlg.status.text() == "The period ends before it starts."


# -- the menu: PIN for exports, none for the evacuation list ------------------------------------------------------


@pytest.fixture
def app_window(gui):
    opened = []
    app = gui(lang="id")
    app.reports.opener = lambda path: opened.append(path) or True
    app.opened = opened
    return app


def test_evacuation_list_in_one_click_without_pin(app_window, qtbot, visits, station):
    from guardstation.station.pin import hash_pin

    station.settings.supervisor_pin_hash = hash_pin("2580")
    window = app_window.window
    app_window.window.inside_model.refresh()
    qtbot.mouseClick(window.evacuation_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(app_window.opened), timeout=20000)
    path = app_window.opened[0]
    assert path.parent == station.home / "exports" and path.suffix == ".pdf"
    assert app_window.reports.pin_dialog is None  # no PIN asked
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Rina Marlina" in text and "Sari Wulandari" in text and "Joko Susilo" not in text
    message = app_window.reports.message
    assert message.isVisible() and str(path) in message.text()
    with station.db.read() as session:
        audit = session.query(AuditLog).filter(AuditLog.action == "export").one()
    assert json.loads(audit.detail_json)["kind"] == "evacuation" and audit.actor == "guard"


def test_export_menu_asks_for_the_supervisor_pin(app_window, qtbot, station):
    from guardstation.station.pin import hash_pin

    station.settings.supervisor_pin_hash = hash_pin("2580")
    reports = app_window.reports
    reports.export_action.trigger()
    assert reports.pin_dialog is not None and reports.pin_dialog.isVisible() and reports.export_dialog is None
    reports.pin_dialog.edit.setText("1111")
    reports.pin_dialog.try_pin()
    assert reports.export_dialog is None
    reports.pin_dialog.edit.setText("2580")
    reports.pin_dialog.try_pin()
    assert reports.export_dialog is not None and reports.export_dialog.isVisible()
    reports.export_dialog.done(0)
