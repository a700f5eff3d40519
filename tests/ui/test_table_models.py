"""The visit table models under Qt's model tester, over real rows of a real station.

Every QAbstractItemModel in guardstation/ui/ is here (table_models.py: the scan log and the inside-now
list). Each is checked with Qt's C++ QAbstractItemModelTester and with pytest-qt's Python port, which
checks the types of more roles; both keep checking while the model is refreshed, searched and paged.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from guardstation.domain.credential import PersonKind
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.supervisor_actions import Supervision

TESTERS = [pytest.param(False, id="qt-tester"), pytest.param(True, id="python-tester")]


@pytest.fixture
def day(station, passes, clock):
    """Yesterday's forgotten check-out closed automatically; today every verdict, a check-out, a refusal
    at capacity admitted by the supervisor, a manual entry. Returns the names still inside."""
    cp = station.checkpoint
    supervision = Supervision(cp, station.settings)
    today = clock.current
    clock.current = today - timedelta(days=1, hours=-1)
    cp.manual_entry(ManualEntry("3513010101800001", "Hadi Prasetyo", "Rapat", "Sekda"))
    clock.current = today
    assert [v.display_name for v in supervision.auto_close()] == ["Hadi Prasetyo"]

    budi = passes("Budi Santoso", nik="3513011708800008", kind=PersonKind.EMPLOYEE)
    cp.scan(budi)  # HIJAU, employee
    clock.advance(minutes=3)
    cp.scan(passes("Ani", doses=1))  # KUNING: partly vaccinated
    cp.scan(passes("Dewi", doses=0))  # MERAH: not vaccinated
    cp.scan(passes("Tamu Palsu", forged=True))  # MERAH, no name shown
    cp.manual_entry(ManualEntry("3513014708850001", "Rina Marlina", "Layanan KTP", "Dispendukcapil"))
    clock.advance(minutes=20)
    cp.scan(budi)  # KELUAR: his row gets a time out
    cp.scan(passes("Bayu"))
    full = cp.scan(passes("Citra"))  # PENUH: three inside
    supervision.override(full.visit_id, reason="Undangan Bupati", supervisor="Pak Anton")
    return {"Ani", "Rina Marlina", "Bayu", "Citra"}


@pytest.fixture
def models(qapp, station):
    from guardstation.ui.table_models import InsideNowModel, ScanLogModel

    def make(lang: str = "en"):
        log, inside = ScanLogModel(station.db, lang), InsideNowModel(station.db)
        log.refresh()
        inside.refresh()
        return log, inside

    return make


def column(model, col: int) -> list:
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


@pytest.mark.parametrize("force_py", TESTERS)
def test_scan_log_model(qtmodeltester, models, day, force_py):
    log, _ = models()
    assert log.rowCount() == 9 and log.columnCount() == 8  # Budi in and out is one row
    assert {"Budi Santoso", "Ani", "Dewi", "Rina Marlina", "Citra", "Hadi Prasetyo", "(unknown)"} <= set(column(log, 2))
    assert any(out.endswith("(auto)") for out in column(log, 7))
    assert log.data(log.index(0, 1), Qt.ItemDataRole.BackgroundRole) is not None
    qtmodeltester.check(log, force_py=force_py)


@pytest.mark.parametrize("force_py", TESTERS)
def test_inside_now_model(qtmodeltester, models, day, force_py):
    _, inside = models()
    assert set(column(inside, 1)) == day and inside.columnCount() == 5
    qtmodeltester.check(inside, force_py=force_py)


@pytest.mark.parametrize("force_py", TESTERS)
def test_models_stay_consistent_while_the_station_works(qtmodeltester, models, day, station, passes, clock, force_py):
    log, inside = models("id")
    qtmodeltester.check(log, force_py=force_py)
    qtmodeltester.check(inside, force_py=force_py)
    clock.advance(minutes=1)
    for row in range(inside.rowCount()):  # four inside (one admitted over capacity)
        if inside.visit_at(row).display_name in ("Ani", "Rina Marlina"):
            station.checkpoint.check_out(inside.visit_at(row).visit_id)
    station.checkpoint.scan(passes("Eko"))
    log.refresh()  # resets under the tester's eyes
    inside.refresh()
    assert log.rowCount() == 10 and set(column(inside, 1)) == {"Bayu", "Citra", "Eko"}
    log.set_query("Budi")
    assert column(log, 2) == ["Budi Santoso"]
    log.set_query("zzz")
    assert log.rowCount() == 0
    log.set_query("")
    assert log.rowCount() == 10


@pytest.mark.parametrize("force_py", TESTERS)
def test_scan_log_pages_in_as_the_view_scrolls(qtmodeltester, models, day, monkeypatch, force_py):
    import guardstation.ui.table_models as table_models

    monkeypatch.setattr(table_models, "PAGE_SIZE", 3)
    log, _ = models()
    qtmodeltester.check(log, force_py=force_py)  # the tester itself may fetch a page
    while log.canFetchMore(QModelIndex()):
        log.fetchMore(QModelIndex())
    assert log.rowCount() == 9
    assert len({log.visit_at(r).visit_id for r in range(9)}) == 9  # no row twice across pages
    times = [log.visit_at(r).time_in for r in range(9)]
    assert times == sorted(times, reverse=True)  # newest first, across pages


@pytest.mark.parametrize("force_py", TESTERS)
def test_empty_station(qtmodeltester, models, force_py):
    log, inside = models()
    assert (log.rowCount(), inside.rowCount()) == (0, 0)
    qtmodeltester.check(log, force_py=force_py)
    qtmodeltester.check(inside, force_py=force_py)


def test_the_windows_models_while_scans_arrive(gui, qtbot, qtmodeltester, passes):
    """The models as the guard's window holds them: refreshed by every verdict from the database thread."""
    app = gui()
    window = app.window
    qtmodeltester.check(window.log_model)
    qtmodeltester.check(window.inside_model)
    for name in ("Budi", "Ani", "Bayu", "Citra"):
        with qtbot.waitSignal(window.verdict_shown, timeout=5000):
            window.scan_requested.emit(passes(name))
    window.inside_view.selectRow(0)
    with qtbot.waitSignal(window.verdict_shown, timeout=5000):
        window.check_out_button.click()
    assert window.log_model.rowCount() == 4 and window.inside_model.rowCount() == 2
