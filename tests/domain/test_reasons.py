"""Reason codes render as words in Indonesian and English."""

from __future__ import annotations

import pytest

from guardstation.domain.reasons import LANGUAGES, Reason, describe, known_codes

ALL_PARAMS = {
    "doses": 2,
    "date": "2026-12-31",
    "inside": 60,
    "capacity": 60,
    "time": "09:15",
    "duration": "1j 05m",
    "kind": "EU DCC",
    "path": "/tmp/kartu.png",
    "scheme": "luca",
    "detail": "bad base45",
    "hours": 30,
    "max_hours": 24,
    "until": "2026-12-31",
    "what": "status list",
    "supervisor": "Ibu Rina",
    "reason": "undangan Bupati",
}


def test_there_are_codes_for_every_verdict_the_engine_gives():
    codes = set(known_codes())
    for code in (
        "fully_vaccinated",
        "booster",
        "partly_vaccinated",
        "not_vaccinated",
        "bad_signature",
        "unknown_key",
        "expired",
        "not_yet_valid",
        "malformed",
        "positive",
        "close_contact",
        "status_deny",
        "capacity_full",
        "already_inside",
        "checked_out",
        "not_inside",
        "manual_entry",
        "no_rule_pack",
        "file_unreadable",
        "no_code",
    ):
        assert code in codes


@pytest.mark.parametrize("code", known_codes())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_known_code_renders_without_leftover_placeholders(code, lang):
    text = describe(code, ALL_PARAMS, lang)
    assert text
    assert "{" not in text and "}" not in text
    assert text != code


@pytest.mark.parametrize("code", known_codes())
def test_the_two_languages_differ(code):
    assert describe(code, ALL_PARAMS, "id") != describe(code, ALL_PARAMS, "en")


def test_params_are_filled_in():
    assert Reason("capacity_full", {"inside": 3, "capacity": 3}).text("en") == "Capacity full (3/3)"
    assert Reason("expired", {"date": "2026-01-31"}).text("id") == "Kartu kedaluwarsa (2026-01-31)"
    assert Reason("partly_vaccinated", {"doses": 1}).text() == "Vaksin belum lengkap (1 dosis)"


def test_default_language_is_indonesian():
    assert Reason("not_vaccinated").text() == "Belum vaksin"
    assert Reason("not_vaccinated").text("en") == "Not vaccinated"


def test_unknown_code_renders_as_the_code():
    assert describe("some_new_server_code", {}, "id") == "some_new_server_code"
    assert Reason("some_new_server_code", {"x": 1}).text("en") == "some_new_server_code"


def test_missing_params_do_not_crash():
    # A reason from an older station without params still shows its words.
    text = Reason("capacity_full").text("en")
    assert text.startswith("Capacity full")
