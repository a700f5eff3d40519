"""The verdict engine's order: trust, then inside/outside, then status list, content, capacity."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from guardstation.domain.credential import Credential, CredentialKind, Vaccination
from guardstation.domain.occupancy import Occupancy
from guardstation.domain.reasons import Reason
from guardstation.domain.rules import parse_rule_pack
from guardstation.domain.verdict import OpenVisit, StatusEntry, decide
from guardstation.domain.verdict_types import Action, Colour, GateMode
from tests.helpers.paths import RULES

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=WIB)


@pytest.fixture
def pack():
    return parse_rule_pack(json.loads((RULES / "id-2021.json").read_text("utf-8")))


def person(doses: int = 2, **kw) -> Credential:
    values = dict(
        kind=CredentialKind.GSPASS,
        decoded="GS1:x",
        stages={"signature": True},
        subject_key="cd" * 16,
        display_name="Budi Santoso",
        vaccination=Vaccination(doses),
        signed=True,
    )
    values.update(kw)
    return Credential(**values)


def manual() -> Credential:
    return Credential(
        kind=CredentialKind.NIK,
        decoded=None,
        stages={"nik": True},
        identity="NIK:3513011708800008",
        subject_key="ef" * 16,
        display_name="Siti",
        manual=True,
    )


def test_green_person_with_room_checks_in(pack):
    decision = decide(person(2), pack=pack, now=NOW, occupancy=Occupancy(1, 60))
    assert decision.colour is Colour.GREEN
    assert decision.action is Action.CHECK_IN
    assert decision.admitted


def test_untrusted_credential_is_red_with_its_own_reason(pack):
    failure = Reason("bad_signature")
    forged = person(2, failure=failure)
    # Even if the person appears inside and flagged positive, nothing else is judged.
    decision = decide(
        forged,
        pack=pack,
        now=NOW,
        occupancy=Occupancy(60, 60),
        open_visit=OpenVisit("v1", NOW - timedelta(hours=1)),
        status_entries=(StatusEntry("positive", NOW - timedelta(days=1), None),),
    )
    assert decision.colour is Colour.RED
    assert decision.action is Action.DENY
    assert decision.reason == failure
    assert not decision.admitted


def test_untrusted_credential_is_red_even_without_a_rule_pack():
    expired = person(failure=Reason("expired", {"date": "2026-01-01"}))
    decision = decide(expired, pack=None, now=NOW)
    assert decision.colour is Colour.RED
    assert decision.reason.code == "expired"
    assert "2026-01-01" in decision.reason.text("en")


def test_person_inside_at_an_auto_gate_is_checked_out(pack):
    visit = OpenVisit("v1", NOW - timedelta(hours=1, minutes=5))
    # Leaving is allowed even when the building is full and the person is now flagged.
    decision = decide(
        person(0),
        pack=pack,
        now=NOW,
        occupancy=Occupancy(60, 60),
        open_visit=visit,
        status_entries=(StatusEntry("positive", NOW - timedelta(days=1), None),),
    )
    assert decision.action is Action.CHECK_OUT
    assert decision.reason.code == "checked_out"
    assert decision.reason.params["duration"] == "1j 05m"


def test_short_stay_duration_is_in_minutes(pack):
    decision = decide(person(), pack=pack, now=NOW, open_visit=OpenVisit("v1", NOW - timedelta(minutes=7)))
    assert decision.reason.text("en") == "Checked out after 7m"


def test_person_inside_at_an_in_gate_gets_already_inside_with_local_time(pack):
    # time_in as the database returns it: aware UTC. 02:15 UTC is 09:15 in WIB.
    time_in = datetime(2026, 11, 23, 2, 15, tzinfo=UTC)
    decision = decide(person(), pack=pack, now=NOW, gate_mode=GateMode.IN, open_visit=OpenVisit("v1", time_in))
    assert decision.action is Action.NOTICE
    assert decision.reason.code == "already_inside"
    assert decision.reason.params["time"] == "09:15"
    assert decision.reason.text("id") == "Sudah di dalam sejak 09:15"
    assert decision.reason.text("en") == "Already inside since 09:15"


def test_person_inside_at_an_out_gate_is_checked_out(pack):
    decision = decide(
        person(), pack=pack, now=NOW, gate_mode=GateMode.OUT, open_visit=OpenVisit("v1", NOW - timedelta(minutes=30))
    )
    assert decision.action is Action.CHECK_OUT


def test_out_gate_person_not_inside_gets_a_notice(pack):
    decision = decide(person(), pack=pack, now=NOW, gate_mode=GateMode.OUT)
    assert decision.action is Action.NOTICE
    assert decision.reason.code == "not_inside"
    assert not decision.admitted


@pytest.mark.parametrize(
    "status, colour, code",
    [
        ("positive", Colour.BLACK, "positive"),
        ("close_contact", Colour.BLACK, "close_contact"),
        ("deny", Colour.RED, "status_deny"),
    ],
)
def test_status_list_outranks_a_green_certificate(pack, status, colour, code):
    entry = StatusEntry(status, NOW - timedelta(days=2), NOW + timedelta(days=12))
    decision = decide(person(3), pack=pack, now=NOW, occupancy=Occupancy(0, 60), status_entries=(entry,))
    assert decision.colour is colour
    assert decision.action is Action.DENY
    assert decision.reason.code == code


def test_positive_outranks_close_contact(pack):
    entries = (
        StatusEntry("close_contact", NOW - timedelta(days=1), None),
        StatusEntry("positive", NOW - timedelta(days=1), None),
    )
    assert decide(person(), pack=pack, now=NOW, status_entries=entries).reason.code == "positive"


def test_status_black_also_applies_to_manual_entry(pack):
    entry = StatusEntry("positive", NOW - timedelta(days=1), None)
    decision = decide(manual(), pack=pack, now=NOW, status_entries=(entry,))
    assert decision.colour is Colour.BLACK


@pytest.mark.parametrize(
    "valid_from, valid_until",
    [
        (NOW - timedelta(days=20), NOW - timedelta(days=6)),  # ended
        (NOW - timedelta(days=20), NOW),  # ends exactly now (end is exclusive)
        (NOW + timedelta(hours=1), None),  # not started yet
    ],
)
def test_inactive_status_entries_are_ignored(pack, valid_from, valid_until):
    entry = StatusEntry("positive", valid_from, valid_until)
    decision = decide(person(2), pack=pack, now=NOW, status_entries=(entry,))
    assert decision.colour is Colour.GREEN
    assert decision.action is Action.CHECK_IN


def test_capacity_full_turns_away_an_admissible_person(pack):
    decision = decide(person(2), pack=pack, now=NOW, occupancy=Occupancy(60, 60))
    assert decision.colour is Colour.FULL
    assert decision.action is Action.DENY
    assert decision.reason.code == "capacity_full"
    assert decision.reason.params == {"inside": 60, "capacity": 60}
    assert decision.reason.text("id") == "Kapasitas penuh (60/60)"
    assert decision.reason.text("en") == "Capacity full (60/60)"


def test_capacity_counts_other_gates(pack):
    decision = decide(person(1), pack=pack, now=NOW, occupancy=Occupancy(2, 5, inside_elsewhere=3))
    assert decision.colour is Colour.FULL
    assert decision.reason.params == {"inside": 5, "capacity": 5}


def test_one_place_left_is_not_full(pack):
    assert decide(person(2), pack=pack, now=NOW, occupancy=Occupancy(59, 60)).action is Action.CHECK_IN


def test_no_capacity_limit_is_never_full(pack):
    assert decide(person(2), pack=pack, now=NOW, occupancy=Occupancy(10_000, None)).action is Action.CHECK_IN


def test_red_person_at_full_capacity_is_red_not_full(pack):
    decision = decide(person(0), pack=pack, now=NOW, occupancy=Occupancy(60, 60))
    assert decision.colour is Colour.RED
    assert decision.reason.code == "not_vaccinated"
    assert decision.action is Action.DENY


def test_black_person_at_full_capacity_is_black_not_full(pack):
    entry = StatusEntry("close_contact", NOW - timedelta(days=1), None)
    decision = decide(person(2), pack=pack, now=NOW, occupancy=Occupancy(60, 60), status_entries=(entry,))
    assert decision.colour is Colour.BLACK


def test_manual_entry_gets_the_packs_manual_colour(pack):
    decision = decide(manual(), pack=pack, now=NOW, occupancy=Occupancy(0, 60))
    assert decision.colour is pack.manual_entry is Colour.YELLOW
    assert decision.action is Action.CHECK_IN
    assert decision.reason.code == "manual_entry"


def test_manual_entry_colour_follows_the_pack():
    body = json.loads((RULES / "id-2021.json").read_text("utf-8")) | {"manual_entry": "red"}
    strict = parse_rule_pack(body)
    decision = decide(manual(), pack=strict, now=NOW)
    assert decision.colour is Colour.RED
    assert decision.action is Action.DENY


def test_no_rule_pack_in_force_denies_a_trusted_credential():
    decision = decide(person(3), pack=None, now=NOW)
    assert decision.colour is Colour.RED
    assert decision.action is Action.DENY
    assert decision.reason.code == "no_rule_pack"
