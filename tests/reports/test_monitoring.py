"""The monitoring report's numbers on the known day (see conftest), and its CSV/XLSX forms."""

from __future__ import annotations

import csv
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook

from guardstation.reports import data, monitoring
from guardstation.reports.context import ReportContext
from guardstation.reports.output import Ticker
from guardstation.store.audit import append_audit
from guardstation.store.models import Shift

WIB = timezone(timedelta(hours=7))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=WIB)


def figures_for(station, clock, period, gap_minutes=60) -> monitoring.MonitoringFigures:
    ctx = ReportContext(station.db, "id", WIB, clock(), data.station_info(station.db), Ticker(0), threading.Event())
    return monitoring.compute(ctx, period, gap_minutes)


def test_numbers_of_the_known_day(gate_day, station, clock, day_period):
    f = figures_for(station, clock, day_period)
    assert f.records == 10
    assert (f.entrants, f.scanned, f.manual) == (6, 5, 1)
    assert dict(f.refusals) == {"capacity_full": 1, "not_vaccinated": 1, "bad_signature": 1, "positive": 1}
    assert f.refused == 4
    assert f.capacity_refusals == 1 and dict(f.capacity_days) == {at(0).date(): 1}
    assert (f.peak, f.peak_at, f.capacity) == (3, at(8, 20), 3)
    assert f.overrides == []
    assert not f.duties_from_shifts
    assert [(d.guard, d.start, d.end, d.records) for d in f.duties] == [
        ("Pak Slamet", at(8, 0), at(8, 50), 7),
        ("Bu Sumi", at(13, 0), at(14, 0), 3),
    ]
    # Check-outs count as scans: the quiet time runs from Siti's check-out at 09:00 to 13:00.
    assert [(o.kind, o.start, o.end, o.minutes) for o in f.outages] == [("gap", at(9, 0), at(13, 0), 240)]
    assert f.unsent == 13 and f.unsent_since == at(8, 0)  # 10 scans + 3 check-outs, never sent (standalone)


def test_shorter_gap_threshold_and_opening_hours_from_the_site_policy(gate_day, station, clock, day_period):
    f = figures_for(station, clock, day_period, gap_minutes=30)
    # Opening at 07:00 with the first scan at 08:00 is a gap too once the threshold is below an hour.
    assert [(o.start, o.end) for o in f.outages] == [
        (at(7, 0), at(8, 0)),
        (at(9, 0), at(13, 0)),
        (at(14, 0), at(15, 0)),
    ]
    from guardstation.store.models import SiteConfig

    with station.db.transaction() as session:
        site = session.get(SiteConfig, "standalone")
        site.policy_json = json.dumps({"opening_hours": {"open": "07:00", "close": "16:00", "days": [1, 2, 3, 4, 5]}})
    clock.current = at(17, 0)
    f = figures_for(station, clock, day_period, gap_minutes=30)
    assert [(o.start, o.end) for o in f.outages] == [
        (at(7, 0), at(8, 0)),
        (at(9, 0), at(13, 0)),
        (at(14, 0), at(16, 0)),
    ]
    assert (f.opening.opens.hour, f.opening.closes.hour) == (7, 16)


def test_shifts_overrides_and_camera_outages_when_recorded(gate_day, station, clock, day_period):
    with station.db.transaction() as session:
        session.add(Shift(shift_id="s1", guard_name="Pak Slamet", opened_at=at(7, 0), closed_at=at(12, 0)))
        session.add(Shift(shift_id="s2", guard_name="Bu Sumi", opened_at=at(12, 0), closed_at=None))
        session.add(
            Shift(
                shift_id="s0",
                guard_name="Pak Darto",
                opened_at=at(0) - timedelta(days=2),
                closed_at=at(0) - timedelta(days=1),
            )
        )  # another day: not listed
        append_audit(session, at=at(10, 0), actor="system", action="camera_lost", detail={"camera": "0"})
        append_audit(session, at=at(10, 20), actor="system", action="camera_restored", detail={"camera": "0"})
        append_audit(session, at=at(14, 30), actor="system", action="camera_lost", detail={"camera": "0"})
        append_audit(
            session,
            at=at(13, 6),
            actor="supervisor",
            action="override",
            detail={"visit": "x", "reason": "Petugas damkar, darurat"},
        )
    f = figures_for(station, clock, day_period)
    assert f.duties_from_shifts
    assert [(d.guard, d.start, d.end, d.records) for d in f.duties] == [
        ("Pak Slamet", at(7, 0), at(12, 0), 7),
        ("Bu Sumi", at(12, 0), None, 3),
    ]
    assert [(o.kind, o.start, o.end) for o in f.outages] == [
        ("gap", at(9, 0), at(13, 0)),
        ("camera", at(10, 0), at(10, 20)),
        ("camera", at(14, 30), at(15, 0)),
    ]
    assert [(e.actor, e.detail["reason"]) for e in f.overrides] == [("supervisor", "Petugas damkar, darurat")]


def test_monitoring_as_csv_and_xlsx(gate_day, export, day_period, tmp_path):
    result = export("monitoring", "csv", tmp_path / "m.csv", day_period, lang="en")
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Health Protocol Monitoring Report"]
    assert ["Entrants (admitted)", "6", "100.0"] in rows
    assert ["Scanned (QR)", "5", "83.3"] in rows and ["Entered by hand", "1", "16.7"] in rows
    assert ["Total refused", "", "4", "100.0"] in rows
    assert ["Overrides: 0. No overrides recorded."] in rows
    assert ["No scans", "2026-11-23 09:00", "2026-11-23 13:00", "240"] in rows

    book = load_workbook(export("monitoring", "xlsx", tmp_path / "m.xlsx", day_period).path)
    assert book.sheetnames[1:] == [
        "Orang masuk dipindai vs. dicata",
        "Penolakan per alasan",
        "Pelanggaran kapasitas (PENUH)",
        "Override oleh supervisor",
        "Petugas jaga per shift",
        "Periode luring gangguan",
    ]
    entrants = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert entrants == [
        ["Uraian", "Jumlah", "%"],
        ["Orang masuk (diizinkan)", 6, 100.0],
        ["Dipindai (QR)", 5, 83.3],
        ["Dicatat manual", 1, 16.7],
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_visits_at_all(station, clock, export, tmp_path, lang, day_period):
    result = export("monitoring", "pdf", tmp_path / "empty.pdf", day_period, lang=lang)
    assert result.rows == 0 and result.path.stat().st_size > 1000
