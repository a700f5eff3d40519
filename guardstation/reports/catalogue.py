"""Every word the exports show (CSV/XLSX headers, PDF text, error messages), in Indonesian and English.

Qt Linguist covers the widgets; reports are written without Qt (in a worker thread or from the
command line), so their words live here. Each entry is (Indonesian, English); `{placeholders}` are
filled by `tr(key, lang, **params)`. tests/reports/test_catalogue_and_stats.py fails when an entry lacks a
language or when the two languages disagree on placeholders.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo

from guardstation.domain.language import DEFAULT_LANGUAGE, LANGUAGES
from guardstation.domain.reasons import describe

LANGS = LANGUAGES
DEFAULT_LANG = DEFAULT_LANGUAGE

TEXTS: dict[str, tuple[str, str]] = {
    # -- columns of the visit log (CSV, XLSX, PDF list) --------------------------------------
    "col.time_in": ("Waktu masuk ({tz})", "Time in ({tz})"),
    "col.time_out": ("Waktu keluar ({tz})", "Time out ({tz})"),
    "col.duration_min": ("Lama (menit)", "Duration (min)"),
    "col.name": ("Nama", "Name"),
    "col.nik": ("NIK (disamarkan)", "NIK (masked)"),
    "col.person_kind": ("Jenis", "Person"),
    "col.credential": ("Kredensial", "Credential"),
    "col.entry": ("Cara masuk", "Entry"),
    "col.verdict": ("Keputusan", "Verdict"),
    "col.reason": ("Alasan", "Reason"),
    "col.status": ("Status", "Status"),
    "col.purpose": ("Keperluan", "Purpose"),
    "col.host": ("Tujuan (yang dikunjungi)", "Host (visiting)"),
    "col.gate_in": ("Gerbang masuk", "Gate in"),
    "col.gate_out": ("Gerbang keluar", "Gate out"),
    "col.guard": ("Petugas", "Guard"),
    "col.visit_id": ("ID kunjungan", "Visit ID"),
    # short headings for the PDF list (narrow columns)
    "col.in_short": ("Masuk", "In"),
    "col.out_short": ("Keluar", "Out"),
    "col.no": ("No", "No"),
    "col.present": ("Hadir", "Present"),
    "col.since": ("Masuk sejak", "Inside since"),
    "col.count": ("Jumlah", "Count"),
    "col.share": ("%", "%"),
    "col.item": ("Uraian", "Item"),
    "col.value": ("Nilai", "Value"),
    "col.section": ("Bagian", "Section"),
    "col.from": ("Dari", "From"),
    "col.to": ("Sampai", "To"),
    "col.minutes": ("Menit", "Minutes"),
    "col.kind": ("Jenis", "Kind"),
    "col.overlap_min": ("Menit bersama", "Minutes shared"),
    "col.host_short": ("Tujuan", "Visiting"),
    "col.nik_short": ("NIK", "NIK"),
    "col.first_contact": ("Kontak pertama", "First contact"),
    "col.subject_stay": ("Kunjungan subjek", "Subject's stay"),
    "col.day": ("Tanggal", "Date"),
    "col.scans": ("Catatan", "Records"),
    "col.shift": ("Shift", "Shift"),
    "col.detail": ("Keterangan", "Detail"),
    # -- cell values -------------------------------------------------------------------------
    "verdict.green": ("HIJAU", "GREEN"),
    "verdict.yellow": ("KUNING", "YELLOW"),
    "verdict.red": ("MERAH", "RED"),
    "verdict.black": ("HITAM", "BLACK"),
    "verdict.full": ("PENUH", "FULL"),
    "status.inside": ("Di dalam", "Inside"),
    "status.left": ("Sudah keluar", "Left"),
    "status.denied": ("Ditolak", "Denied"),
    "status.notice": ("Catatan", "Notice"),
    "person.employee": ("Pegawai", "Employee"),
    "person.visitor": ("Tamu", "Visitor"),
    "entry.scan": ("Pindai QR", "QR scan"),
    "entry.manual": ("Manual", "By hand"),
    "credential.gspass": ("Kartu kunjungan", "Visitor pass"),
    "credential.dcc": ("Sertifikat EU DCC", "EU DCC certificate"),
    "credential.shc": ("SMART Health Card", "SMART Health Card"),
    "credential.venue": ("Kode lokasi", "Venue code"),
    "credential.nik": ("NIK (KTP)", "NIK (ID card)"),
    "credential.text": ("Teks lain", "Other text"),
    "credential.none": ("Tanpa kode", "No code"),
    "value.unnamed": ("(tanpa nama)", "(no name)"),
    "value.not_recorded": ("(tidak tercatat)", "(not recorded)"),
    "value.open": ("masih terbuka", "still open"),
    "value.none": ("tidak ada", "none"),
    # -- PDF: titles and header fields -----------------------------------------------------------
    "title.shift": ("Laporan Buku Tamu Pos Jaga", "Guard Station Visitor Log Report"),
    "title.monitoring": ("Laporan Pemantauan Protokol Kesehatan", "Health Protocol Monitoring Report"),
    "subtitle.monitoring": ("untuk pemeriksa (Satpol PP)", "for inspectors (Satpol PP)"),
    "title.evacuation": ("DAFTAR EVAKUASI", "EVACUATION LIST"),
    "subtitle.evacuation": ("Orang yang tercatat di dalam gedung", "People recorded inside the building"),
    "title.exposure": ("Jendela Paparan (Pelacakan Kontak)", "Exposure Window (Contact Tracing)"),
    "title.sheet_log": ("Log kunjungan", "Visit log"),
    "field.site": ("Lokasi", "Site"),
    "field.gate": ("Gerbang", "Gate"),
    "field.guards": ("Petugas", "Guards"),
    "field.period": ("Periode", "Period"),
    "field.generated": ("Dibuat", "Generated"),
    "field.station": ("Stasiun", "Station"),
    "field.rows": ("Jumlah catatan", "Records"),
    "field.capacity": ("Kapasitas", "Capacity"),
    "field.as_of": ("Keadaan per", "As of"),
    "field.inside_total": ("Total di dalam", "Total inside"),
    "field.subject": ("Subjek", "Subject"),
    "field.window": ("Jendela", "Window"),
    "value.period": ("{start} s.d. {end}", "{start} to {end}"),
    "value.people": ("{n} orang", "{n} people"),
    "value.people_capacity": ("{n} orang (kapasitas {capacity})", "{n} people (capacity {capacity})"),
    "value.no_limit": ("tanpa batas", "no limit"),
    "value.plus_minutes": ("+ {n} menit setelah subjek keluar", "+ {n} minutes after the subject left"),
    "footer.page": ("Halaman {page}", "Page {page}"),
    "footer.generated": ("GuardStation {version} · dibuat {time}", "GuardStation {version} · generated {time}"),
    # -- PDF: shift report sections ------------------------------------------------------------------
    "section.by_verdict": ("Jumlah per keputusan", "Totals by verdict"),
    "section.by_reason": ("Jumlah per alasan", "Totals by reason"),
    "section.occupancy": ("Jumlah orang di dalam per jam", "People inside per hour"),
    "section.list": ("Daftar kunjungan", "Visits"),
    "chart.peak": ("Puncak orang di dalam", "Peak people inside"),
    "chart.entries": ("Masuk", "Entries"),
    "chart.capacity": ("Kapasitas ({capacity})", "Capacity ({capacity})"),
    "chart.by_hour_of_day": (
        "Puncak per jam dalam sehari; hari dengan kunjungan: {days}",
        "Peak by hour of day; days with visits: {days}",
    ),
    "chart.timeline": ("Puncak per jam", "Peak per hour"),
    "note.list_truncated": (
        "Daftar dipotong: {shown} dari {total} catatan ditampilkan. Gunakan ekspor XLSX untuk daftar lengkap.",
        "List cut short: {shown} of {total} records shown. Use the XLSX export for the full list.",
    ),
    "note.no_records": ("Tidak ada catatan dalam periode ini.", "No records in this period."),
    "total.all": ("Total", "Total"),
    "section.summary": ("Ringkasan", "Summary"),
    "sum.admitted": ("Orang masuk (diizinkan)", "Admitted"),
    "sum.manual": ("di antaranya dicatat manual", "of whom entered by hand"),
    "sum.denied": ("Ditolak", "Refused"),
    "sum.notices": ("Catatan lain (tanpa masuk/keluar)", "Other notices (no entry or exit)"),
    "sum.checkouts": ("Keluar dalam periode", "Check-outs in the period"),
    "sum.peak": ("Puncak orang di dalam", "Peak people inside"),
    "sum.peak_value": ("{n} orang ({time})", "{n} people ({time})"),
    "sum.inside_now": ("Masih di dalam saat laporan dibuat", "Still inside when this report was made"),
    "chart.avg_peak": ("Rata-rata puncak", "Average peak"),
    "chart.highest_peak": ("Puncak tertinggi", "Highest peak"),
    "title.sheet_summary": ("Ringkasan", "Summary"),
    "title.sheet_info": ("Keterangan", "About"),
    # -- monitoring report ----------------------------------------------------------------------------------
    "section.entrants": ("Orang masuk: dipindai vs. dicatat manual", "Entrants: scanned vs. entered by hand"),
    "mon.entrants": ("Orang masuk (diizinkan)", "Entrants (admitted)"),
    "mon.scanned": ("Dipindai (QR)", "Scanned (QR)"),
    "mon.manual": ("Dicatat manual", "Entered by hand"),
    "section.refusals": ("Penolakan per alasan", "Refusals by reason"),
    "mon.refusals_total": ("Total ditolak", "Total refused"),
    "section.capacity": ("Pelanggaran kapasitas (PENUH)", "Capacity breaches (FULL)"),
    "mon.capacity_count": ("Penolakan karena kapasitas penuh", "Refusals because the building was full"),
    "mon.capacity_days": ("Hari dengan kapasitas penuh", "Days at capacity"),
    "mon.capacity_peak": ("Puncak orang di dalam", "Peak people inside"),
    "section.overrides": ("Override oleh supervisor", "Supervisor overrides"),
    "mon.overrides_count": ("Jumlah override", "Overrides"),
    "mon.no_overrides": ("Tidak ada override tercatat.", "No overrides recorded."),
    "section.guards": ("Petugas jaga per shift", "Guards on duty per shift"),
    "mon.guards_from_log": (
        "Tabel shift kosong: shift diturunkan dari catatan kunjungan (petugas per hari, "
        "catatan pertama s.d. terakhir).",
        "The shift table is empty: shifts derived from the visit records (guard per day, first to last record).",
    ),
    "section.outages": ("Periode luring / gangguan", "Offline and outage periods"),
    "mon.outage_rule": (
        "Jeda tanpa pindaian lebih dari {minutes} menit pada jam buka ({open}–{close}, "
        "{days}); kamera hilang menurut log audit.",
        "Gaps without any scan longer than {minutes} minutes during opening hours "
        "({open}–{close}, {days}); camera lost according to the audit log.",
    ),
    "mon.no_outages": ("Tidak ada gangguan terdeteksi.", "No outages detected."),
    "outage.gap": ("Tidak ada pindaian", "No scans"),
    "outage.camera": ("Kamera hilang", "Camera lost"),
    "mon.unsent": (
        "Belum terkirim ke server pusat: {n} catatan (tertua {since})",
        "Not yet sent to the central server: {n} events (oldest {since})",
    ),
    "mon.all_sent": (
        "Semua catatan sudah terkirim ke server pusat (atau stasiun mandiri tanpa server).",
        "All events sent to the central server (or a standalone station without a server).",
    ),
    "section.method": ("Cara penghitungan", "How this was counted"),
    "mon.method": (
        "Orang masuk = kunjungan yang diizinkan (status di dalam/sudah keluar) dengan waktu masuk "
        "dalam periode. Penolakan = pindaian yang ditolak, termasuk PENUH. Waktu dalam {tz}.",
        "Entrants = admitted visits (inside/left) whose time in lies in the period. Refusals = denied "
        "scans, FULL included. Times in {tz}.",
    ),
    "weekdays.mon_fri": ("Senin–Jumat", "Monday–Friday"),
    "weekdays.custom": ("hari {days}", "days {days}"),
    # -- evacuation ------------------------------------------------------------------------------------------------
    "evac.gate_heading": ("{gate}: {n} orang", "{gate}: {n} people"),
    "evac.nobody": ("Tidak ada orang tercatat di dalam.", "Nobody is recorded inside."),
    "evac.note": (
        "Menurut catatan stasiun ini saat dicetak (luring). Orang yang masuk lewat gerbang lain hanya "
        "muncul bila sudah tersinkron. Centang kolom Hadir di titik kumpul.",
        "From this station's records when printed (offline). People who came in through other gates "
        "appear only once synchronised. Tick Present at the assembly point.",
    ),
    # -- exposure ----------------------------------------------------------------------------------------------------
    "exp.rule": (
        "Kontak = orang yang berada di lokasi bersamaan dengan subjek antara {t1} dan {t2}, "
        "ditambah {after} menit setelah subjek keluar.",
        "Contact = anyone on site at the same time as the subject between {t1} and {t2}, plus "
        "{after} minutes after the subject left.",
    ),
    "exp.subject_stays": ("Kunjungan subjek", "Subject's stays"),
    "exp.contacts": ("Kontak: {n} orang", "Contacts: {n} people"),
    "exp.no_stays": (
        "Subjek tidak tercatat di lokasi dalam periode ini.",
        "The subject was not on site in this period.",
    ),
    "exp.no_contacts": ("Tidak ada kontak.", "No contacts."),
    # -- errors shown to the guard/supervisor ---------------------------------------------------------------
    "err.cancelled": ("Ekspor dibatalkan; tidak ada berkas yang ditulis.", "Export cancelled; no file was written."),
    "err.disk_full": (
        "Disk penuh: ekspor dihentikan dan tidak ada berkas yang ditulis ke {path}. Kosongkan ruang "
        "atau pilih folder/flashdisk lain.",
        "Disk full: the export stopped and nothing was written to {path}. Free some space or "
        "choose another folder or USB stick.",
    ),
    "err.no_folder": (
        "Folder {folder} tidak ada. Pilih folder yang ada.",
        "Folder {folder} does not exist. Choose an existing folder.",
    ),
    "err.not_a_folder": ("{folder} bukan folder.", "{folder} is not a folder."),
    "err.protected": (
        "{path} ada di folder data stasiun ini (basis data, kunci, pengaturan, kunci PIN atau log); ekspor "
        "hanya boleh ke folder {exports} atau ke luar folder data stasiun. Tidak ada berkas yang ditulis.",
        "{path} is in this station's own data folder (database, keys, settings, PIN lock-outs or logs); "
        "exports may go only into {exports} or outside the station's folder. Nothing was written.",
    ),
    "err.is_folder": ("{path} adalah folder; beri nama berkas.", "{path} is a folder; give a file name."),
    "err.no_permission": (
        "Tidak boleh menulis ke {path}. Pilih folder lain.",
        "Not allowed to write to {path}. Choose another folder.",
    ),
    "err.in_use": (
        "Berkas {path} sedang dibuka program lain (Excel?). Tutup berkas itu lalu coba lagi.",
        "{path} is open in another program (Excel?). Close it and try again.",
    ),
    "err.read_only": (
        "Media {folder} hanya-baca. Pilih folder lain.",
        "{folder} is on read-only media. Choose another folder.",
    ),
    "err.write_failed": ("Tidak dapat menulis {path}: {detail}", "Cannot write {path}: {detail}"),
    "err.bad_format": (
        "Format {fmt} tidak tersedia untuk laporan {kind} (bisa: {allowed}).",
        "Format {fmt} is not available for the {kind} report (possible: {allowed}).",
    ),
    "err.bad_period": (
        "Periode tidak sah: akhir ({end}) harus sesudah awal ({start}).",
        "Invalid period: the end ({end}) must be after the start ({start}).",
    ),
    "err.no_subject": (
        "Laporan paparan memerlukan subjek (kunci subjek atau NIK).",
        "The exposure report needs a subject (subject key or NIK).",
    ),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TZ_NAMES = {7 * 60: "WIB", 8 * 60: "WITA", 9 * 60: "WIT"}


def tr(key: str, lang: str = DEFAULT_LANG, **params) -> str:
    texts = TEXTS[key]  # a missing key is a bug: fail loudly in tests, not silently in a report
    template = texts[1] if lang == "en" else texts[0]
    return template.format(**params) if params else template


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def verdict_word(colour: str, lang: str = DEFAULT_LANG) -> str:
    key = f"verdict.{colour}"
    return tr(key, lang) if key in TEXTS else colour


def status_word(status: str, lang: str = DEFAULT_LANG) -> str:
    key = f"status.{status}"
    return tr(key, lang) if key in TEXTS else status


def person_word(kind: str, lang: str = DEFAULT_LANG) -> str:
    key = f"person.{kind}"
    return tr(key, lang) if key in TEXTS else kind


def credential_word(kind: str, lang: str = DEFAULT_LANG) -> str:
    key = f"credential.{kind}"
    return tr(key, lang) if key in TEXTS else kind


def entry_word(manual: bool, lang: str = DEFAULT_LANG) -> str:
    return tr("entry.manual" if manual else "entry.scan", lang)


_PARAM_GROUP = re.compile(r"\s*\([^()]*\{\w+\}[^()]*\)")
_PARAM_TAIL = re.compile(r"[:\s]*\{\w+\}")


def reason_label(code: str, lang: str = DEFAULT_LANG) -> str:
    """A reason's words without its details, for totals: 'Kapasitas penuh (8/8)' -> 'Kapasitas penuh'."""
    template = describe(code, {}, lang)  # no params: describe() returns the bare template
    label = _PARAM_TAIL.sub("", _PARAM_GROUP.sub("", template)).strip(" :—-")
    return label or code


def tz_label(tz: tzinfo | None, at: datetime | None = None) -> str:
    """'WIB, UTC+07:00' for Indonesian zones, else 'UTC+hh:mm'."""
    offset = (at or datetime.now(UTC)).astimezone(tz).utcoffset() if tz else None
    offset = offset or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = _TZ_NAMES.get(minutes)
    return f"{name}, {text}" if name else text
