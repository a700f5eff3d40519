"""PDF reports: text extracted with pypdf and checked; first page rendered to PNG (saved in tmp_path)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import pypdfium2
from pypdf import PdfReader

DAY = datetime(2026, 11, 23, tzinfo=timezone(timedelta(hours=7)))


def pdf_text(path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def render_first_page(path, png) -> tuple[int, int]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[0].render(scale=1.5).to_pil()
        image.save(png)
        return image.size
    finally:
        document.close()


def test_shift_report(gate_day, export, day_period, tmp_path):
    result = export("shift", "pdf", tmp_path / "laporan.pdf", day_period)
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF-") and hashlib.sha256(data).hexdigest() == result.sha256
    text = flat(pdf_text(result.path))
    for expected in (
        "Laporan Buku Tamu Pos Jaga",
        "Lokasi Kantor Bupati",
        "Gerbang Pintu Depan, Pintu Samping",
        "Petugas Bu Sumi, Pak Slamet",
        "Periode 2026-11-23 00:00 s.d. 2026-11-24 00:00 (WIB, UTC+07:00)",
        "Jumlah catatan 10",
        # totals by verdict, with shares
        "HIJAU 4 40.0",
        "KUNING 2 20.0",
        "MERAH 2 20.0",
        "HITAM 1 10.0",
        "PENUH 1 10.0",
        "Total 10 100.0",
        # totals by reason
        "Vaksin lengkap HIJAU 4 40.0",
        "Tanda tangan tidak sah MERAH 1",
        "Kapasitas penuh PENUH 1",
        "Positif COVID-19 HITAM 1",
        "Belum vaksin MERAH 1",
        # summary
        "Orang masuk (diizinkan) 6",
        "Ditolak 4",
        "Keluar dalam periode 3",
        "Puncak orang di dalam 3 orang (08:20)",
        "Masih di dalam saat laporan dibuat 3",
        # chart and list
        "Jumlah orang di dalam per jam",
        "Kapasitas (3)",
        "Daftar kunjungan",
        "08:45 Nur Aini 3513********0001 KUNING",
        "14:00 Wahyu Hidayat",
        "Halaman 1",
        "Halaman 2",
    ):
        assert expected in text, expected
    assert "3513011708800008" not in text  # never an unmasked NIK
    size = render_first_page(result.path, tmp_path / "laporan-p1.png")
    assert size[0] > 800 and size[1] > size[0]  # A4 portrait
    assert (tmp_path / "laporan-p1.png").stat().st_size > 20_000


def test_shift_report_in_english_and_a_long_period(gate_day, export, tmp_path):
    from datetime import timedelta

    from guardstation.reports import Period

    period = Period(DAY - timedelta(days=6), DAY + timedelta(days=1))  # a week: chart by hour of day
    result = export("shift", "pdf", tmp_path / "week.pdf", period, lang="en", list_limit=4)
    text = flat(pdf_text(result.path))
    for expected in (
        "Guard Station Visitor Log Report",
        "Site Kantor Bupati",
        "Totals by verdict",
        "GREEN 4 40.0",
        "Fully vaccinated GREEN 4",
        "Invalid signature RED 1",
        "Capacity full FULL 1",
        "Peak by hour of day; days with visits: 1",
        "Average peak",
        "Highest peak",
        "List cut short: 4 of 10 records shown. Use the XLSX export for the full list.",
        "Page 1",
    ):
        assert expected in text, expected
    render_first_page(result.path, tmp_path / "week-p1.png")


def test_evacuation_list(gate_day, export, tmp_path):
    result = export("evacuation", "pdf", tmp_path / "evakuasi.pdf")
    assert result.rows == 3
    text = flat(pdf_text(result.path))
    for expected in (
        "DAFTAR EVAKUASI",
        "Orang yang tercatat di dalam gedung",
        "Lokasi Kantor Bupati",
        "Keadaan per 2026-11-23 15:00 (WIB, UTC+07:00)",
        "Total di dalam 3 orang (kapasitas 3)",
        "Pintu Depan: 2 orang",
        "Pintu Samping: 1 orang",
        "1 Nur Aini",
        "2 Agus Wijaya Tamu",
        "1 Wahyu Hidayat Tamu",
        "Dispendukcapil · Layanan KTP",
        "Hadir",
    ):
        assert expected in text, expected
    for left in ("Budi Santoso", "Siti Rahayu", "Dewi Lestari", "Hana Pertiwi", "Rudi Hartono"):
        assert left not in text
    size = render_first_page(result.path, tmp_path / "evakuasi-p1.png")
    assert size[1] > size[0]
    english = flat(pdf_text(export("evacuation", "pdf", tmp_path / "evacuation.pdf", lang="en").path))
    assert "EVACUATION LIST" in english and "Pintu Depan: 2 people" in english and "Present" in english


def test_monitoring_report(gate_day, export, day_period, tmp_path):
    result = export("monitoring", "pdf", tmp_path / "pemantauan.pdf", day_period)
    text = flat(pdf_text(result.path))
    for expected in (
        "Laporan Pemantauan Protokol Kesehatan",
        "untuk pemeriksa (Satpol PP)",
        "Kapasitas 3",
        "Orang masuk (diizinkan) 6 100.0",
        "Dipindai (QR) 5 83.3",
        "Dicatat manual 1 16.7",
        "Total ditolak 4 100.0",
        "Penolakan karena kapasitas penuh 1",
        "Jumlah override: 0. Tidak ada override tercatat.",
        "Pak Slamet 2026-11-23 08:00 2026-11-23 08:50 7",
        "Bu Sumi 2026-11-23 13:00 2026-11-23 14:00 3",
        "Tidak ada pindaian 2026-11-23 09:00 2026-11-23 13:00 240",
        "Belum terkirim ke server pusat: 13 catatan",
    ):
        assert expected in text, expected
    render_first_page(result.path, tmp_path / "pemantauan-p1.png")


def test_exposure_report(gate_day, export, day_period, tmp_path):
    result = export(
        "exposure",
        "pdf",
        tmp_path / "paparan.pdf",
        day_period,
        subject_key=gate_day.keys["Budi Santoso"],
        subject_label="Budi (uji)",
    )
    text = flat(pdf_text(result.path))
    for expected in (
        "Jendela Paparan (Pelacakan Kontak)",
        "Subjek Budi (uji)",
        "Kontak: 3 orang",
        "Siti Rahayu",
        "Dewi Lestari",
        "Nur Aini 3513********0001",
        "ditambah 30 menit",
    ):
        assert expected in text, expected
    render_first_page(result.path, tmp_path / "paparan-p1.png")
