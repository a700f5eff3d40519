"""The visit log as CSV and XLSX, read back cell by cell."""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from guardstation.reports import ExportRequest, run_export
from guardstation.reports.shift import LOG_COLUMNS
from guardstation.store.models import AuditLog, Visit

ID_HEADERS = [
    "Waktu masuk (WIB, UTC+07:00)",
    "Waktu keluar (WIB, UTC+07:00)",
    "Lama (menit)",
    "Nama",
    "NIK (disamarkan)",
    "Jenis",
    "Kredensial",
    "Cara masuk",
    "Keputusan",
    "Alasan",
    "Status",
    "Keperluan",
    "Tujuan (yang dikunjungi)",
    "Gerbang masuk",
    "Gerbang keluar",
    "Petugas",
    "ID kunjungan",
]
EN_HEADERS = [
    "Time in (WIB, UTC+07:00)",
    "Time out (WIB, UTC+07:00)",
    "Duration (min)",
    "Name",
    "NIK (masked)",
    "Person",
    "Credential",
    "Entry",
    "Verdict",
    "Reason",
    "Status",
    "Purpose",
    "Host (visiting)",
    "Gate in",
    "Gate out",
    "Guard",
    "Visit ID",
]


def ids_by_name(station) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with station.db.read() as session:
        for name, vid in session.execute(select(Visit.display_name, Visit.visit_id).order_by(Visit.time_in)):
            found.setdefault(name, []).append(vid)
    return found


def test_xlsx_read_back_cell_by_cell(gate_day, export, day_period, tmp_path, station):
    result = export("shift", "xlsx", tmp_path / "log.xlsx", day_period)
    assert result.rows == 10
    book = load_workbook(result.path)
    assert book.sheetnames == ["Log kunjungan", "Ringkasan", "Keterangan"]
    sheet = book["Log kunjungan"]
    assert [c.value for c in sheet[1]] == ID_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:Q11"
    assert sheet.max_row == 11
    ids = ids_by_name(station)

    budi = [c.value for c in sheet[2]]
    assert budi == [
        datetime(2026, 11, 23, 8, 0),
        datetime(2026, 11, 23, 8, 40),
        40,
        "Budi Santoso",
        None,
        "Pegawai",
        "Kartu kunjungan",
        "Pindai QR",
        "HIJAU",
        "Vaksin lengkap (2 dosis)",
        "Sudah keluar",
        None,
        None,
        "Pintu Depan",
        "Pintu Depan",
        "Pak Slamet",
        ids["Budi Santoso"][0],
    ]
    assert sheet["A2"].is_date and sheet["B2"].is_date  # real date cells, sortable in Excel

    full = [c.value for c in sheet[5]]  # Agus at 08:25: refused, building full
    assert full[:4] == [datetime(2026, 11, 23, 8, 25), None, None, "Agus Wijaya"]
    assert full[8:11] == ["PENUH", "Kapasitas penuh (3/3)", "Ditolak"]

    nur = [c.value for c in sheet[7]]  # entered by hand: the only row with a (masked) NIK
    assert nur == [
        datetime(2026, 11, 23, 8, 45),
        None,
        None,
        "Nur Aini",
        "3513********0001",
        None,
        "NIK (KTP)",
        "Manual",
        "KUNING",
        "Entri manual — periksa KTP dan kartu vaksin",
        "Di dalam",
        "Layanan KTP",
        "Dispendukcapil",
        "Pintu Depan",
        None,
        "Pak Slamet",
        ids["Nur Aini"][0],
    ]

    forged = [c.value for c in sheet[8]]
    assert forged[3] is None and forged[8:11] == ["MERAH", "Tanda tangan tidak sah", "Ditolak"]
    hana = [c.value for c in sheet[10]]
    assert hana[3:4] + hana[8:11] + hana[15:16] == ["Hana Pertiwi", "HITAM", "Positif COVID-19", "Ditolak", "Bu Sumi"]
    wahyu = [c.value for c in sheet[11]]
    assert wahyu[0] == datetime(2026, 11, 23, 14, 0) and wahyu[13] == "Pintu Samping" and wahyu[10] == "Di dalam"

    # No NIK in the file is ever unmasked.
    for row in sheet.iter_rows(min_row=2, values_only=True):
        assert row[4] is None or "*" in row[4]

    summary = [[v for v in row if v is not None] for row in book["Ringkasan"].iter_rows(values_only=True)]
    assert ["HIJAU", 4, 40.0] in summary and ["PENUH", 1, 10.0] in summary and ["Total", 10, 100.0] in summary
    info = {row[0].value: row[1].value for row in book["Keterangan"].iter_rows(min_row=2)}
    assert info["Lokasi"] == "Kantor Bupati"
    assert info["Petugas"] == "Bu Sumi, Pak Slamet"
    assert info["Jumlah catatan"] == "10"


def test_xlsx_in_english(gate_day, export, day_period, tmp_path):
    result = export("shift", "xlsx", tmp_path / "log-en.xlsx", day_period, lang="en")
    book = load_workbook(result.path)
    assert book.sheetnames == ["Visit log", "Summary", "About"]
    sheet = book["Visit log"]
    assert [c.value for c in sheet[1]] == EN_HEADERS
    assert [c.value for c in sheet[2]][5:11] == [
        "Employee",
        "Visitor pass",
        "QR scan",
        "GREEN",
        "Fully vaccinated (2 doses)",
        "Left",
    ]
    assert [c.value for c in sheet[7]][7:11] == [
        "By hand",
        "YELLOW",
        "Manual entry — check ID card and vaccination card",
        "Inside",
    ]


def test_csv_read_back_cell_by_cell(gate_day, export, day_period, tmp_path, station):
    result = export("shift", "csv", tmp_path / "log.csv", day_period)
    raw = result.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    assert hashlib.sha256(raw).hexdigest() == result.sha256
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ID_HEADERS
    assert len(rows) == 11
    ids = ids_by_name(station)
    assert rows[1] == [
        "2026-11-23 08:00:00+07:00",
        "2026-11-23 08:40:00+07:00",
        "40",
        "Budi Santoso",
        "",
        "Pegawai",
        "Kartu kunjungan",
        "Pindai QR",
        "HIJAU",
        "Vaksin lengkap (2 dosis)",
        "Sudah keluar",
        "",
        "",
        "Pintu Depan",
        "Pintu Depan",
        "Pak Slamet",
        ids["Budi Santoso"][0],
    ]
    assert rows[6][:5] == ["2026-11-23 08:45:00+07:00", "", "", "Nur Aini", "3513********0001"]
    assert rows[6][7:13] == [
        "Manual",
        "KUNING",
        "Entri manual — periksa KTP dan kartu vaksin",
        "Di dalam",
        "Layanan KTP",
        "Dispendukcapil",
    ]
    assert [r[8] for r in rows[1:]] == [
        "HIJAU",
        "HIJAU",
        "KUNING",
        "PENUH",
        "MERAH",
        "KUNING",
        "MERAH",
        "HIJAU",
        "HITAM",
        "HIJAU",
    ]
    # Times read back as the same instants.
    assert datetime.fromisoformat(rows[1][0]) == gate_day.outcomes[0][0]


def test_chosen_columns_and_no_formula_injection(station, clock, export, tmp_path, day_period):
    """A name that looks like a formula stays text in CSV; an unknown column is refused."""
    from guardstation.station.checkpoint import ManualEntry

    clock.current = day_period.start.replace(hour=9)
    station.checkpoint.guard = "=cmd|' /C calc'!A0"
    station.checkpoint.manual_entry(
        ManualEntry("3513014708850001", '=HYPERLINK("http://x","klik")', "+62 812", "@host")
    )
    result = export("shift", "csv", tmp_path / "few.csv", day_period, columns=("name", "purpose", "host", "guard"))
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Nama", "Keperluan", "Tujuan (yang dikunjungi)", "Petugas"]
    assert rows[1] == ['\'=HYPERLINK("http://x","klik")', "'+62 812", "'@host", "'=cmd|' /C calc'!A0"]
    xlsx = export("shift", "xlsx", tmp_path / "few.xlsx", day_period, columns=("name", "nik"))
    sheet = load_workbook(xlsx.path).active
    assert [c.value for c in sheet[2]] == ['=HYPERLINK("http://x","klik")', "3513********0001"]
    assert sheet["A2"].data_type == "s"  # text, never a formula
    with pytest.raises(ValueError, match="unknown log columns"):
        export("shift", "csv", tmp_path / "bad.csv", day_period, columns=("name", "salary"))


def test_every_column_has_a_header_in_both_languages():
    from guardstation.reports.shift import LogFormatter

    for lang, expected in (("id", ID_HEADERS), ("en", EN_HEADERS)):
        assert LogFormatter(lang, None, at=datetime(2026, 11, 23).astimezone()).headers()[3:] == expected[3:]
    assert len(LOG_COLUMNS) == len(ID_HEADERS)


def test_export_is_in_the_audit_log_with_its_hash(gate_day, export, day_period, tmp_path, station):
    from guardstation.store.audit import verify_chain

    result = export("shift", "xlsx", tmp_path / "log.xlsx", day_period, actor="Pak Slamet")
    with station.db.read() as session:
        row = session.get(AuditLog, result.audit_id)
        assert verify_chain(session).ok
    assert (row.action, row.actor) == ("export", "Pak Slamet")
    assert f'"sha256": "{result.sha256}"' in row.detail_json
    assert '"rows": 10' in row.detail_json and '"file": "log.xlsx"' in row.detail_json
    assert hashlib.sha256(result.path.read_bytes()).hexdigest() == result.sha256
    quiet = export("shift", "csv", tmp_path / "q.csv", day_period, audit=False)
    assert quiet.audit_id is None


def test_progress_counts_up_to_the_total(station, clock, passes, tmp_path, monkeypatch, day_period):
    """Many rows: the callback sees increasing numbers and ends at (total, total)."""
    from guardstation.reports import output

    texts = [passes(f"Tamu {i}", 2) for i in range(40)]
    station.checkpoint.capacity = None
    clock.current = day_period.start.replace(hour=8)
    for text in texts * 2:  # 40 in, then the same 40 out
        clock.advance(minutes=1)
        station.checkpoint.scan(text)
    original = output.Ticker.__init__
    monkeypatch.setattr(
        output.Ticker,
        "__init__",
        lambda self, total, progress=None, cancel=None, every=1000: original(self, total, progress, cancel, every=7),
    )
    calls: list[tuple[int, int]] = []
    run_export(
        station.db,
        ExportRequest("shift", "xlsx", tmp_path / "p.xlsx", day_period),
        now=clock(),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls[0] == (0, 40) and calls[-1] == (40, 40)
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) == len(done) and len(calls) >= 6
