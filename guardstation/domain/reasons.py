"""Why a verdict was given: a stable code for logs/JSON plus words for the guard.

The code is what gets stored and synced; the words are rendered per language
at display time, so a language switch never rewrites history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from guardstation.domain.language import DEFAULT_LANGUAGE
from guardstation.domain.language import LANGUAGES as LANGUAGES  # re-exported: callers of reasons know it here

# code -> (Indonesian, English); {placeholders} come from Reason.params.
_TEXTS: dict[str, tuple[str, str]] = {
    "fully_vaccinated": ("Vaksin lengkap ({doses} dosis)", "Fully vaccinated ({doses} doses)"),
    "booster": ("Vaksin lengkap + booster ({doses} dosis)", "Vaccinated with booster ({doses} doses)"),
    "partly_vaccinated": ("Vaksin belum lengkap ({doses} dosis)", "Partly vaccinated ({doses} doses)"),
    "not_vaccinated": ("Belum vaksin", "Not vaccinated"),
    "vaccination_unknown": ("Status vaksin tidak diketahui", "Vaccination status unknown"),
    "bad_signature": ("Tanda tangan tidak sah", "Invalid signature"),
    "unknown_key": ("Penerbit tidak dikenal", "Unknown issuer"),
    "expired": ("Kartu kedaluwarsa ({date})", "Pass expired ({date})"),
    "not_yet_valid": ("Kartu belum berlaku (mulai {date})", "Pass not yet valid (from {date})"),
    "malformed": ("Kode rusak atau tidak sah", "Damaged or invalid code"),  # detail stays in logs/JSON
    "positive": ("Positif COVID-19", "COVID-19 positive"),
    "close_contact": ("Kontak erat", "Close contact"),
    "status_deny": ("Ditolak oleh pusat", "Denied by the central office"),
    "capacity_full": ("Kapasitas penuh ({inside}/{capacity})", "Capacity full ({inside}/{capacity})"),
    "already_inside": ("Sudah di dalam sejak {time}", "Already inside since {time}"),
    "checked_out": ("Keluar setelah {duration}", "Checked out after {duration}"),
    "not_inside": ("Belum tercatat masuk", "Not checked in"),
    "manual_entry": (
        "Entri manual — periksa KTP dan kartu vaksin",
        "Manual entry — check ID card and vaccination card",
    ),
    "unsigned_nik": ("NIK tanpa tanda tangan — gunakan entri manual", "Unsigned NIK — use manual entry"),
    "credential_unsupported": (
        "Sertifikat {kind} belum dapat diverifikasi di stasiun ini",
        "{kind} certificates cannot be verified on this station yet",
    ),
    "venue_code": (
        "Kode lokasi ({scheme}), bukan identitas — minta sertifikat/kartu kunjungan",
        "Venue code ({scheme}), not an identity — ask for a certificate or visitor pass",
    ),
    "app_code": (
        "Kode check-in aplikasi {scheme}, bukan sertifikat — minta sertifikat vaksin atau kartu kunjungan",
        "Check-in code of the {scheme} app, not a certificate — ask for a vaccination certificate or visitor pass",
    ),
    "url": ("Tautan web, bukan sertifikat atau kartu kunjungan", "Web link, not a certificate or visitor pass"),
    "chunked_shc": (
        "Kartu SMART terdiri dari beberapa kode QR — pindai semua bagian",
        "SMART Health Card in several QR codes — scan every part",
    ),
    "plain_text": ("Bukan kartu kunjungan atau sertifikat", "Not a visitor pass or certificate"),
    "test_negative": ("Tes negatif ({hours} jam lalu)", "Negative test ({hours} h ago)"),
    "test_positive": ("Hasil tes positif", "Positive test result"),
    "test_too_old": ("Tes terlalu lama ({hours} jam, maks. {max_hours})", "Test too old ({hours} h, max {max_hours})"),
    "test_in_future": ("Waktu tes di masa depan", "Test time in the future"),
    "test_not_accepted": ("Jenis tes ini tidak diterima", "This test type is not accepted"),
    "recovered": ("Sembuh, berlaku s.d. {until}", "Recovered, valid until {until}"),
    "recovery_out_of_range": (
        "Surat sembuh tidak berlaku (s.d. {until})",
        "Recovery certificate not valid (until {until})",
    ),
    "recovery_not_accepted": ("Surat sembuh tidak diterima", "Recovery certificates not accepted"),
    "schema_invalid": ("Isi sertifikat tidak sesuai standar", "Certificate content does not match the standard"),
    "key_usage": (
        "Penanda tangan tidak berwenang untuk jenis sertifikat ini",
        "The signer may not sign this kind of certificate",
    ),
    "signer_expired": ("Sertifikat penanda tangan tidak berlaku", "The signer's certificate is not valid"),
    "cert_expired": ("Sertifikat kedaluwarsa ({date})", "Certificate expired ({date})"),
    "cert_not_yet_valid": ("Sertifikat belum berlaku (mulai {date})", "Certificate not yet valid (from {date})"),
    "stale_data": ("Data verifikasi usang: {what}", "Verification data out of date: {what}"),
    "file_unreadable": ("Berkas gambar tidak dapat dibaca: {path}", "Cannot read image file: {path}"),
    "no_code": ("Tidak ada kode QR terbaca", "No QR code found"),
    "no_rule_pack": ("Tidak ada aturan yang berlaku", "No rule pack in force"),
    "supervisor_override": (
        "Diizinkan supervisor {supervisor}: {reason}",
        "Admitted by supervisor {supervisor}: {reason}",
    ),
}


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return describe(self.code, self.params, lang)


def describe(code: str, params: dict[str, Any] | None = None, lang: str = DEFAULT_LANGUAGE) -> str:
    texts = _TEXTS.get(code)
    if texts is None:
        return code  # an unknown code (e.g. from a newer server) still shows something
    template = texts[1] if lang == "en" else texts[0]
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template


def known_codes() -> list[str]:
    return sorted(_TEXTS)
