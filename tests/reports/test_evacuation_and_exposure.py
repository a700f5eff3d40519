"""Evacuation list = exactly who is inside, per gate; exposure window on known stays, edges included."""

from __future__ import annotations

import csv
import threading
from datetime import datetime, timedelta, timezone

import pytest

from guardstation.reports import data, evacuation, exposure_report
from guardstation.reports.context import ReportContext
from guardstation.reports.output import Ticker

WIB = timezone(timedelta(hours=7))
TUESDAY = datetime(2026, 11, 24, tzinfo=WIB)


def context(station, clock, lang="id") -> ReportContext:
    return ReportContext(station.db, lang, WIB, clock(), data.station_info(station.db), Ticker(0), threading.Event())


def test_evacuation_is_exactly_who_is_inside_per_gate(gate_day, station, clock):
    doc, count = evacuation.document(context(station, clock))
    assert count == 3
    assert [t.title for t in doc.tables] == ["Pintu Depan: 2 orang", "Pintu Samping: 1 orang"]
    assert [[r[1] for r in t.rows] for t in doc.tables] == [["Nur Aini", "Agus Wijaya"], ["Wahyu Hidayat"]]
    assert doc.tables[0].rows[0] == [1, "Nur Aini", "", "Dispendukcapil · Layanan KTP", "08:45", ""]
    assert doc.tables[0].tick_last and doc.large

    # Someone leaves: the next list no longer has them.
    clock.current = clock.current + timedelta(minutes=5)
    with station.db.read() as session:
        from sqlalchemy import select

        from guardstation.store.models import Visit

        agus = session.scalars(select(Visit).where(Visit.display_name == "Agus Wijaya", Visit.status == "inside")).one()
    station.checkpoint.check_out(agus.visit_id)
    doc, count = evacuation.document(context(station, clock))
    assert count == 2 and [[r[1] for r in t.rows] for t in doc.tables] == [["Nur Aini"], ["Wahyu Hidayat"]]


def test_evacuation_csv_and_empty_building(station, clock, export, tmp_path):
    result = export("evacuation", "csv", tmp_path / "evac.csv", lang="en")
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["EVACUATION LIST"] and ["Nobody is recorded inside."] in rows
    assert result.rows == 0


def test_exposure_on_the_known_day(gate_day, station, clock, day_period):
    """Budi was inside 08:00-08:40: Siti, Dewi and Nur (arrived 08:45, within 30 minutes) shared it."""
    ctx = context(station, clock)
    budi = gate_day.keys["Budi Santoso"]
    cases, _, contacts = exposure_report.find(ctx, budi, day_period)
    assert [(c.start, c.end) for c in cases] == [(at(8, 0), at(8, 40))]
    found = {row.display_name: exposure_report._overlap_minutes(items) for row, items in contacts}
    assert found == {"Siti Rahayu": 50, "Dewi Lestari": 50, "Nur Aini": 25}
    # Refused people never entered; Agus's later visit (13:00) and Wahyu (14:00) were long after.
    assert exposure_report.contact_keys(ctx, budi, day_period) == {
        gate_day.keys["Siti Rahayu"],
        gate_day.keys["Dewi Lestari"],
        gate_day.keys["Nur Aini"],
    }
    # A window that ends before Budi came: no stays, no contacts.
    from guardstation.reports import Period

    assert exposure_report.find(ctx, budi, Period(at(6, 0), at(7, 59)))[0] == []


def at(hour: int, minute: int = 0, second: int = 0, day: datetime = datetime(2026, 11, 23, tzinfo=WIB)) -> datetime:
    return day.replace(hour=hour, minute=minute, second=second)


@pytest.fixture
def edge_day(station, clock, passes):
    """Tuesday: the subject is inside 10:00-10:30; others arrive and leave around the 30-minute edge."""
    station.checkpoint.capacity = None
    cards = {
        name: passes(name, 2)
        for name in (
            "Subjek",
            "Pas 30 menit",
            "Lewat 1 detik",
            "Keluar saat masuk",
            "Keluar 1 detik sebelum",
            "Masih di dalam",
        )
    }

    def scan(hour, minute, second, name):
        clock.current = at(hour, minute, second, TUESDAY)
        return station.checkpoint.scan(cards[name])

    keys = {}
    for hour, minute, second, name in [
        (9, 0, 0, "Keluar saat masuk"),
        (9, 0, 0, "Keluar 1 detik sebelum"),
        (9, 30, 0, "Masih di dalam"),
        (9, 59, 59, "Keluar 1 detik sebelum"),
        (10, 0, 0, "Subjek"),
        (10, 0, 0, "Keluar saat masuk"),
        (10, 30, 0, "Subjek"),
        (11, 0, 0, "Pas 30 menit"),
        (11, 0, 1, "Lewat 1 detik"),
    ]:
        outcome = scan(hour, minute, second, name)
        keys.setdefault(name, outcome.credential.subject_key)
    clock.current = at(12, 0, 0, TUESDAY)
    return keys


def test_exposure_edges(edge_day, station, clock):
    """Closed intervals, as on the server: arriving exactly 30 minutes after the subject left is a contact,
    one second later is not; leaving exactly when the subject arrived is a contact, a second before is not."""
    from guardstation.reports import Period

    ctx = context(station, clock)
    found = exposure_report.contact_keys(ctx, edge_day["Subjek"], Period(at(0, day=TUESDAY), at(23, day=TUESDAY)))
    assert found == {edge_day["Pas 30 menit"], edge_day["Keluar saat masuk"], edge_day["Masih di dalam"]}


def test_exposure_window_limits_the_subjects_stays(edge_day, station, clock):
    from guardstation.reports import Period

    ctx = context(station, clock)
    # T2 before the subject came: nothing; T1 after the subject left: nothing either.
    assert (
        exposure_report.contact_keys(ctx, edge_day["Subjek"], Period(at(8, day=TUESDAY), at(9, 59, day=TUESDAY)))
        == set()
    )
    assert (
        exposure_report.contact_keys(ctx, edge_day["Subjek"], Period(at(10, 31, day=TUESDAY), at(23, day=TUESDAY)))
        == set()
    )
    # A window touching the stay counts the whole stay (plus 30 minutes), as central tracing does.
    assert edge_day["Pas 30 menit"] in exposure_report.contact_keys(
        ctx, edge_day["Subjek"], Period(at(10, 29, day=TUESDAY), at(10, 29, 30, day=TUESDAY))
    )


def test_exposure_subject_by_nik(station, clock, passes, export, tmp_path):
    from guardstation.reports import resolve_subject

    key, label = resolve_subject("3513-0117-0880-0008", station.checkpoint.subject_key_for)
    assert label == "NIK 3513********0008"
    assert key == station.checkpoint.subject_key_for("NIK:3513011708800008")
    assert resolve_subject(key.upper(), station.checkpoint.subject_key_for) == (key, f"{key[:8]}…")
    for bad in ("12345", "Budi", "3513011708800008x", "z" * 32):
        with pytest.raises(ValueError):
            resolve_subject(bad, station.checkpoint.subject_key_for)
