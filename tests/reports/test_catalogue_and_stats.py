"""Report words in both languages; the pure arithmetic (occupancy sweep, gaps, opening hours); the XLSX writer."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest
from openpyxl import load_workbook

from guardstation.domain.reasons import known_codes
from guardstation.reports.catalogue import TEXTS, placeholders, reason_label, tr, tz_label
from guardstation.reports.stats import GapFinder, OccupancySweep, OpeningHours
from guardstation.reports.xlsx import XlsxWriter, column_letter, sheet_name

WIB = timezone(timedelta(hours=7))
MON = datetime(2026, 11, 23, tzinfo=WIB)


def t(h, m=0, day=MON):
    return day.replace(hour=h, minute=m)


def test_every_entry_exists_in_both_languages_with_the_same_placeholders():
    for key, texts in TEXTS.items():
        assert len(texts) == 2, key
        indonesian, english = texts
        assert indonesian.strip() and english.strip(), key
        assert placeholders(indonesian) == placeholders(english), key


def test_every_key_used_in_the_reports_exists():
    """A typo in a key used by the report code fails here, not in front of an inspector."""
    from pathlib import Path

    import guardstation.reports as package

    used = set()
    for path in Path(package.__file__).parent.glob("*.py"):
        source = path.read_text("utf-8")
        used |= set(re.findall(r"""(?:t|tr|ctx\.t|self\.t)\(\s*["']([a-z_]+\.[a-z_0-9]+)["']""", source))
        used |= set(re.findall(r"""ExportError\(\s*["'](err\.[a-z_]+)["']""", source))
    assert used, "no keys found: the pattern is out of date"
    assert sorted(used - set(TEXTS)) == []


def test_reason_labels_drop_the_details_in_both_languages():
    assert reason_label("capacity_full", "id") == "Kapasitas penuh"
    assert reason_label("capacity_full", "en") == "Capacity full"
    assert reason_label("fully_vaccinated", "id") == "Vaksin lengkap"
    assert reason_label("stale_data", "en") == "Verification data out of date"
    assert reason_label("no_such_code") == "no_such_code"
    for code in known_codes():
        for lang in ("id", "en"):
            assert "{" not in reason_label(code, lang), (code, lang)


def test_time_zone_labels():
    assert tz_label(WIB) == "WIB, UTC+07:00"
    assert tz_label(timezone(timedelta(hours=8))) == "WITA, UTC+08:00"
    assert tz_label(timezone(timedelta(hours=9))) == "WIT, UTC+09:00"
    assert tz_label(timezone(timedelta(hours=-3, minutes=-30))) == "UTC-03:30"
    assert tr("col.time_in", "en", tz="WIB, UTC+07:00") == "Time in (WIB, UTC+07:00)"


def test_occupancy_sweep_by_hour():
    sweep = OccupancySweep(t(0), t(0) + timedelta(days=1), WIB, now=t(12))
    sweep.carry_in(t(8, 30))  # inside since yesterday, leaves 08:30
    sweep.add(t(8, 0), t(9, 0))  # leaves exactly at 09:00: not inside during 09:xx
    sweep.add(t(8, 10), t(10, 15))
    sweep.add(t(8, 20), None)  # still inside: until now (12:00)
    sweep.add(t(10, 0), t(10, 5))
    hours = {b.start.hour: (b.peak, b.entries) for b in sweep.timeline()}
    assert hours[0] == (1, 0) and hours[7] == (1, 0)
    assert hours[8] == (4, 3)
    assert hours[9] == (2, 0)
    assert hours[10] == (3, 1)
    assert hours[11] == (1, 0) and hours[12] == (0, 0) and hours[23] == (0, 0)
    assert (sweep.peak, sweep.peak_at) == (4, t(8, 20))


def test_long_periods_keep_no_timeline_but_an_hour_of_day_summary():
    start = t(0) - timedelta(days=3650)  # ten years: memory must not follow
    sweep = OccupancySweep(start, t(0) + timedelta(days=2), WIB, now=t(23) + timedelta(days=1))
    assert not sweep.keep_timeline
    sweep.add(t(8), t(10))
    sweep.add(t(8, 30), t(9))
    sweep.add(t(8) + timedelta(days=1), t(9) + timedelta(days=1))
    hours = sweep.hours_of_day()
    assert sweep.active_days == 2
    assert (hours[8].highest_peak, hours[8].average_peak, hours[8].entries) == (2, 1.5, 3)
    assert (hours[9].highest_peak, hours[9].average_peak) == (1, 0.5)
    with pytest.raises(ValueError):
        sweep.timeline()


def test_gaps_only_count_inside_opening_hours():
    opening = OpeningHours(time(7), time(17), frozenset({1, 2, 3, 4, 5}))
    gaps = GapFinder(t(0), t(0) + timedelta(days=7), opening, timedelta(minutes=60), WIB)
    for stamp in (t(7, 30), t(8, 0), t(10, 0), t(16, 30)):  # Monday
        gaps.add(stamp)
    for stamp in (t(7, 5, MON + timedelta(days=1)), t(16, 55, MON + timedelta(days=1))):  # Tuesday
        gaps.add(stamp)
    found = gaps.finish()
    # Monday 08:00-10:00 and 10:00-16:30; Tuesday 07:05-16:55; Wednesday to Friday whole days; not the weekend.
    assert found[:3] == [
        (t(8), t(10)),
        (t(10), t(16, 30)),
        (t(7, 5, MON + timedelta(days=1)), t(16, 55, MON + timedelta(days=1))),
    ]
    assert [(a.date(), a.time(), b.time()) for a, b in found[3:]] == [
        (date(2026, 11, d), time(7), time(17)) for d in (25, 26, 27)
    ]


def test_opening_hours_from_policy():
    assert OpeningHours.from_policy({}) == OpeningHours()
    custom = OpeningHours.from_policy(
        {"opening_hours": {"open": "07:30", "close": "16:00", "days": [1, 2, 3, 4, 5, 6]}}
    )
    assert (custom.opens, custom.closes, custom.weekdays) == (time(7, 30), time(16), frozenset(range(1, 7)))
    for broken in (
        {"opening_hours": {"open": "16:00", "close": "07:00"}},
        {"opening_hours": {"open": "x"}},
        {"opening_hours": {"days": []}},
        {"opening_hours": "07-17"},
    ):
        assert OpeningHours.from_policy(broken) == OpeningHours()


def test_xlsx_writer_round_trip(tmp_path):
    path = tmp_path / "w.xlsx"
    with XlsxWriter(path) as book:
        sheet = book.sheet("Log: 2026/11", widths=[20, 10])
        sheet.header(["Nama", "Jumlah", "Waktu", "Tanggal", "Ya?"])
        sheet.append(["  Siti & <Budi>  ", 3, datetime(2026, 11, 23, 8, 5, 30), date(2026, 11, 23), True])
        sheet.append(["bell\x07 and nul\x00", 2.5, None, "", False])
        sheet.append(["=1+1", -4])
        other = book.sheet("Log: 2026/11")  # same name again: made unique
        other.append(["x" * 40_000])
    wb = load_workbook(path)
    assert wb.sheetnames == ["Log 2026 11", "Log 2026 11 (2)"]
    ws = wb["Log 2026 11"]
    assert [c.value for c in ws[1]] == ["Nama", "Jumlah", "Waktu", "Tanggal", "Ya?"]
    assert ws["A1"].font.b
    assert [c.value for c in ws[2]] == [
        "  Siti & <Budi>  ",
        3,
        datetime(2026, 11, 23, 8, 5, 30),
        datetime(2026, 11, 23),
        True,
    ]
    assert ws["C2"].number_format == "yyyy\\-mm\\-dd\\ hh:mm:ss" and ws["D2"].is_date
    assert [c.value for c in ws[3]] == ["bell\ufffd and nul\ufffd", 2.5, None, None, False]
    assert ws["A4"].value == "=1+1" and ws["A4"].data_type == "s"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4"
    assert ws.column_dimensions["A"].width == 20
    assert len(wb["Log 2026 11 (2)"]["A1"].value) == 32_767
    with pytest.raises(ValueError):
        with XlsxWriter(tmp_path / "tz.xlsx") as book:
            book.sheet("x").append([datetime.now(WIB)])  # Excel has no time zones: a bug to pass one
    assert sheet_name("[a]*?/\\:b") == "a b"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
