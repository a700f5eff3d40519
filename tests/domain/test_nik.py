"""NIK structure check: valid numbers pass, and a wrong one says which part is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from guardstation.domain.nik import check_nik, mask_nik

TODAY = date(2026, 11, 23)
BUDI = "3513011708800008"  # male, born 17-08-1980, Probolinggo
SITI = "3513015108900009"  # female (day 11 + 40), born 11-08-1990, Probolinggo

# Words the guard would see for each problem, per language.
PROBLEM_WORDS = {
    "region": ("wilayah", "region"),
    "date": ("tanggal lahir", "birth date"),
    "length": ("16 digit", "16 digits"),
    "digits": ("angka", "digits"),
    "serial": ("nomor urut", "serial"),
}


def test_valid_male_nik_decodes_region_and_birth_date():
    check = check_nik(BUDI, today=TODAY)
    assert check.ok and check.problem is None
    assert check.nik == BUDI
    assert check.birth_date == date(1980, 8, 17)
    assert check.female is False
    assert "PROBOLINGGO" in check.region.upper()
    assert "jawa timur" in check.region.lower()
    assert check.message("id") == "NIK valid"
    assert check.message("en") == "Valid NIK"


def test_valid_female_nik_has_day_plus_40():
    check = check_nik(SITI, today=TODAY)
    assert check.ok
    assert check.birth_date == date(1990, 8, 11)
    assert check.female is True


def test_leap_day_is_accepted_for_a_leap_year_both_sexes():
    assert check_nik("3513012902840008", today=TODAY).birth_date == date(1984, 2, 29)
    female = check_nik("3513016902840008", today=TODAY)
    assert female.ok and female.female and female.birth_date == date(1984, 2, 29)


def test_century_is_the_one_not_in_the_future():
    # YY=05: 2005 is in the past, so the holder is a young adult, not 121 years old.
    assert check_nik("3513010101050001", today=TODAY).birth_date == date(2005, 1, 1)
    # YY=30 is in the future in 2026, so it must be 1930.
    assert check_nik("3513010101300001", today=TODAY).birth_date == date(1930, 1, 1)


@pytest.mark.parametrize(
    "nik, why",
    [
        ("3513013208800008", "day 32"),
        ("3513017208800008", "female day 72 (= 32)"),
        ("3513011713800008", "month 13"),
        ("3513011700800008", "month 00"),
        ("3513012902810008", "29 Feb 1981 (not a leap year), male"),
        ("3513016902810008", "29 Feb 1981 (not a leap year), female day 69"),
        ("3513010008800008", "day 00"),
        ("3513014008800008", "female day 40 (= 00)"),
    ],
)
def test_impossible_birth_dates_are_reported_as_date(nik, why):
    check = check_nik(nik, today=TODAY)
    assert not check.ok, why
    assert check.problem == "date", why
    assert check.birth_date is None
    assert nik[6:12] in check.message("en")
    assert "birth date" in check.message("en").lower()
    assert "tanggal lahir" in check.message("id").lower()


@pytest.mark.parametrize("nik", ["9913011708800008", "3599011708800008", "0013011708800008"])
def test_unknown_region_codes_are_reported_as_region(nik):
    check = check_nik(nik, today=TODAY)
    assert check.problem == "region"
    assert nik[:4] in check.message("id")
    assert nik[:4] in check.message("en")


@pytest.mark.parametrize("nik, got", [("351301170880000", 15), ("35130117088000081", 17), ("3513", 4)])
def test_wrong_length_is_reported_with_the_count(nik, got):
    check = check_nik(nik, today=TODAY)
    assert check.problem == "length"
    assert f"({got})" in check.message("en") or f"got {got}" in check.message("en")
    assert str(got) in check.message("id")


@pytest.mark.parametrize(
    "nik",
    [
        "35130117088O0008",
        "3513011708800OO8",
        "abcdefghijklmnop",
        "3513/0117/0880/0008",
        "３５１３０１１７０８８０００８",
    ],
)
def test_non_digits_are_reported_as_digits(nik):
    check = check_nik(nik, today=TODAY)
    assert check.problem == "digits"


@pytest.mark.parametrize(
    "typed",
    [
        "3513 0117 0880 0008",
        "3513.0117.0880.0008",
        "3513-0117-0880-0008",
        " 3513011708800008 ",
        "3513\t0117 0880\n0008",
    ],
)
def test_usual_separators_are_accepted(typed):
    check = check_nik(typed, today=TODAY)
    assert check.ok, check.problem
    assert check.nik == BUDI


def test_serial_0000_is_rejected_as_serial():
    check = check_nik("3513011708800000", today=TODAY)
    assert check.problem == "serial"
    assert "0000" in check.message("id") and "0000" in check.message("en")


def test_empty_nik_is_reported_as_too_short():
    # A guard who leaves the NIK box empty should read "must have 16 digits (got 0)",
    # not "may contain digits only" (there is nothing that is not a digit).
    check = check_nik("", today=TODAY)
    assert not check.ok
    assert check.problem == "length"


@pytest.mark.parametrize(
    "nik, problem",
    [
        ("9913011708800008", "region"),
        ("3513013208800008", "date"),
        ("351301170880000", "length"),
        ("35130117088O0008", "digits"),
        ("3513011708800000", "serial"),
    ],
)
def test_message_names_the_wrong_part_in_both_languages(nik, problem):
    check = check_nik(nik, today=TODAY)
    assert check.problem == problem
    id_word, en_word = PROBLEM_WORDS[problem]
    assert id_word in check.message("id").lower()
    assert en_word in check.message("en").lower()
    assert check.message("id") != check.message("en")
    # The default language is Indonesian.
    assert check.message() == check.message("id")


@pytest.mark.parametrize("nik", [BUDI, SITI, "3513 0117 0880 0008"])
def test_mask_shows_only_first_and_last_four_digits(nik):
    masked = mask_nik(nik)
    digits = "".join(c for c in nik if c.isdigit())
    assert masked == digits[:4] + "*" * 8 + digits[-4:]
    assert len(masked) == 16
    # The birth date (DDMMYY) and district never show.
    assert digits[6:12] not in masked
    assert digits[4:6] + digits[6:8] not in masked
    assert sum(c.isdigit() for c in masked) == 8


def test_mask_of_a_short_value_hides_everything():
    assert mask_nik("1234") == "****"
    assert mask_nik("") == ""
