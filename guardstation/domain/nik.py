"""NIK (Nomor Induk Kependudukan): structure check that says which part is wrong.

16 digits = province(2) regency(2) district(2) birth DDMMYY (day + 40 for
women) serial(4). There is no check digit, so only the region code and the
date can be validated; python-stdnum carries the official region table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import numdb

NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class NikCheck:
    nik: str  # the cleaned digits (or what was typed, when invalid)
    problem: str | None = None  # None | "length" | "digits" | "region" | "date" | "serial"
    region: str | None = None  # province / regency names when known
    birth_date: date | None = None
    female: bool | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def message(self, lang: str = "id") -> str:
        texts = {
            None: ("NIK valid", "Valid NIK"),
            "length": (
                f"NIK harus {NIK_LENGTH} digit (tertulis {len(self.nik)})",
                f"NIK must have {NIK_LENGTH} digits (got {len(self.nik)})",
            ),
            "digits": ("NIK hanya boleh berisi angka", "NIK may contain digits only"),
            "region": (f"Kode wilayah {self.nik[:4]} tidak dikenal", f"Unknown region code {self.nik[:4]}"),
            "date": (f"Tanggal lahir {self.nik[6:12]} tidak mungkin", f"Impossible birth date {self.nik[6:12]}"),
            "serial": ("Nomor urut 0000 tidak sah", "Serial number 0000 is not valid"),
        }[self.problem]
        return texts[1] if lang == "en" else texts[0]


def clean_nik(text: str) -> str:
    return _SEPARATORS.sub("", text or "")


def _region_names(code4: str) -> str | None:
    """'PROBOLINGGO, Jawa Timur' when both the province and the regency are known, else None."""
    parts = numdb.get("id/loc").info(code4)
    names = [props.get("name_id") for _, props in parts]
    if len(parts) != 2 or not all(names):
        return None
    return f"{names[1]}, {names[0]}"


def birth_date(digits: str, today: date | None = None) -> tuple[date | None, bool]:
    """Decode DDMMYY (+40 on the day for women). The century is the one that is not in the future."""
    day, month, year2 = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = day > 40
    if female:
        day -= 40
    today = today or date.today()
    for century in (2000, 1900):
        try:
            born = date(century + year2, month, day)
        except ValueError:
            continue
        if born <= today:
            return born, female
    return None, female


def check_nik(text: str, today: date | None = None) -> NikCheck:
    digits = clean_nik(text)
    if digits and (not digits.isascii() or not digits.isdigit()):
        return NikCheck(digits, "digits")
    if len(digits) != NIK_LENGTH:
        return NikCheck(digits, "length")
    region = _region_names(digits[:4])
    if region is None:
        return NikCheck(digits, "region")
    born, female = birth_date(digits, today)
    if born is None:
        return NikCheck(digits, "date", region=region, female=female)
    if digits[12:] == "0000":
        return NikCheck(digits, "serial", region=region, birth_date=born, female=female)
    return NikCheck(digits, None, region=region, birth_date=born, female=female)


def mask_nik(nik: str) -> str:
    """Show only the region prefix and the serial: 3513********0001."""
    digits = clean_nik(nik)
    if len(digits) <= 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
