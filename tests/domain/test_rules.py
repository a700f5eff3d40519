"""Rule packs are data: the same credential changes colour when the pack changes, not the code."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from guardstation.domain.credential import Credential, CredentialKind, Vaccination
from guardstation.domain.rules import RulePackError, pack_in_force, parse_rule_pack
from guardstation.domain.verdict import decide
from guardstation.domain.verdict_types import Action, Colour
from tests.helpers.paths import RULES

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)


def _load(name: str) -> dict:
    return json.loads((RULES / name).read_text("utf-8"))


@pytest.fixture
def pack2021():
    return parse_rule_pack(_load("id-2021.json"))


@pytest.fixture
def pack2022():
    return parse_rule_pack(_load("id-2022.json"))


def vaccinated(doses: int | None) -> Credential:
    return Credential(
        kind=CredentialKind.GSPASS,
        decoded="GS1:...",
        stages={"signature": True},
        subject_key="ab" * 16,
        display_name="Budi Santoso",
        signed=True,
        vaccination=None if doses is None else Vaccination(doses=doses),
    )


def test_bundled_packs_parse_with_their_dates(pack2021, pack2022):
    assert pack2021.pack_id == "id-2021"
    assert pack2021.effective_from == datetime(2021, 7, 3, tzinfo=WIB)
    assert pack2021.effective_until is None
    assert pack2022.pack_id == "id-2022"
    assert pack2022.effective_from == datetime(2022, 3, 8, tzinfo=WIB)
    assert pack2021.manual_entry is Colour.YELLOW
    assert pack2021.admit == {Colour.GREEN, Colour.YELLOW}


@pytest.mark.parametrize(
    "doses, colour, action, reason",
    [
        (2, Colour.GREEN, Action.CHECK_IN, "fully_vaccinated"),
        (3, Colour.GREEN, Action.CHECK_IN, "fully_vaccinated"),
        (1, Colour.YELLOW, Action.CHECK_IN, "partly_vaccinated"),
        (0, Colour.RED, Action.DENY, "not_vaccinated"),
    ],
)
def test_2021_pack_two_doses_green(pack2021, doses, colour, action, reason):
    decision = decide(vaccinated(doses), pack=pack2021, now=NOW)
    assert (decision.colour, decision.action, decision.reason.code) == (colour, action, reason)
    if doses:
        assert str(doses) in decision.reason.text("en")


@pytest.mark.parametrize(
    "doses, colour, reason",
    [
        (3, Colour.GREEN, "booster"),
        (4, Colour.GREEN, "booster"),
        (2, Colour.YELLOW, "partly_vaccinated"),
        (1, Colour.YELLOW, "partly_vaccinated"),
        (0, Colour.RED, "not_vaccinated"),
    ],
)
def test_2022_pack_booster_green(pack2022, doses, colour, reason):
    decision = decide(vaccinated(doses), pack=pack2022, now=NOW)
    assert (decision.colour, decision.reason.code) == (colour, reason)


def test_same_two_dose_credential_changes_colour_with_the_pack_only(pack2021, pack2022):
    credential = vaccinated(2)
    assert decide(credential, pack=pack2021, now=NOW).colour is Colour.GREEN
    assert decide(credential, pack=pack2022, now=NOW).colour is Colour.YELLOW


def test_unknown_vaccination_uses_the_packs_colour(pack2021):
    decision = decide(vaccinated(None), pack=pack2021, now=NOW)
    assert decision.colour is Colour.RED
    assert decision.reason.code == "vaccination_unknown"
    body = _load("id-2021.json") | {"unknown_vaccination": "yellow"}
    lenient = parse_rule_pack(body)
    assert decide(vaccinated(None), pack=lenient, now=NOW).colour is Colour.YELLOW


def test_pack_in_force_picks_by_effective_dates(pack2021, pack2022):
    packs = [pack2022, pack2021]
    assert pack_in_force(packs, datetime(2021, 6, 1, tzinfo=WIB)) is None
    assert pack_in_force(packs, datetime(2021, 7, 3, tzinfo=WIB)) is pack2021  # first day counts
    assert pack_in_force(packs, datetime(2022, 3, 7, 23, 59, tzinfo=WIB)) is pack2021
    assert pack_in_force(packs, datetime(2022, 3, 8, tzinfo=WIB)) is pack2022
    assert pack_in_force(packs, NOW) is pack2022
    # The time zone is honoured: 2022-03-07 17:30 UTC is already 8 March in WIB.
    assert pack_in_force(packs, datetime(2022, 3, 7, 17, 30, tzinfo=UTC)) is pack2022


def test_pack_with_an_end_date_stops_applying(pack2022):
    body = _load("id-2021.json") | {"id": "id-2021-limited", "effective_until": "2022-01-01T00:00:00+07:00"}
    limited = parse_rule_pack(body)
    assert pack_in_force([limited], datetime(2021, 12, 31, 23, 59, tzinfo=WIB)) is limited
    assert pack_in_force([limited], datetime(2022, 1, 1, tzinfo=WIB)) is None  # end is exclusive
    assert pack_in_force([limited, pack2022], datetime(2022, 2, 1, tzinfo=WIB)) is None


def test_rule_order_in_the_file_does_not_matter():
    body = _load("id-2021.json")
    body["vaccination"] = list(reversed(body["vaccination"]))
    pack = parse_rule_pack(body)
    assert decide(vaccinated(2), pack=pack, now=NOW).colour is Colour.GREEN
    assert decide(vaccinated(1), pack=pack, now=NOW).colour is Colour.YELLOW
    assert decide(vaccinated(0), pack=pack, now=NOW).colour is Colour.RED


def _broken(mutate) -> dict:
    body = copy.deepcopy(_load("id-2021.json"))
    mutate(body)
    return body


@pytest.mark.parametrize(
    "body, field",
    [
        (_broken(lambda b: b.update(format=2)), "format"),
        (_broken(lambda b: b.pop("format")), "format"),
        (_broken(lambda b: b.pop("id")), "id"),
        (_broken(lambda b: b.pop("effective_from")), "effective_from"),
        (_broken(lambda b: b.update(effective_from="tomorrow")), "effective_from"),
        (_broken(lambda b: b.update(effective_from=20210703)), "effective_from"),
        (_broken(lambda b: b.update(vaccination=[])), "vaccination"),
        (_broken(lambda b: b["vaccination"].pop()), "min_doses 0"),
        (_broken(lambda b: b["vaccination"][1].update(min_doses=-1)), "vaccination[1]"),
        (_broken(lambda b: b["vaccination"][0].update(min_doses="2")), "vaccination[0]"),
        (_broken(lambda b: b["vaccination"][0].update(colour="purple")), "purple"),
        (_broken(lambda b: b["vaccination"][0].update(colour="purple")), "vaccination[0].colour"),
        (_broken(lambda b: b["vaccination"][0].update(colour="full")), "full"),
        (_broken(lambda b: b.update(manual_entry="full")), "manual_entry"),
        (_broken(lambda b: b.update(unknown_vaccination="purple")), "unknown_vaccination"),
        (_broken(lambda b: b.update(status={"positive": "black", "flu": "red"})), "status"),
        (_broken(lambda b: b.update(status={"positive": "pink"})), "status.positive"),
        (_broken(lambda b: b.update(admit=["green", "purple"])), "admit"),
        (_broken(lambda b: b.update(effective_until="2021-07-01T00:00:00+07:00")), "effective_until"),
        (_broken(lambda b: b.update(effective_until=b["effective_from"])), "effective_until"),
    ],
)
def test_bad_packs_are_rejected_naming_the_field(body, field):
    with pytest.raises(RulePackError) as info:
        parse_rule_pack(body)
    assert field in str(info.value)


@pytest.mark.parametrize("data", [None, [], "id-2021", 42])
def test_a_pack_that_is_not_an_object_is_rejected(data):
    with pytest.raises(RulePackError, match="object"):
        parse_rule_pack(data)


def test_rule_pack_error_is_a_value_error():
    # Callers that catch ValueError (e.g. when loading JSON from sync) also catch bad packs.
    with pytest.raises(ValueError):
        parse_rule_pack({"format": 1})


def test_time_without_offset_is_rejected_with_a_hint():
    # "00:00" means nothing without a zone: WIB and UTC differ by seven hours of wrong verdicts.
    body = _load("id-2021.json") | {"effective_from": "2021-07-03T00:00:00"}
    with pytest.raises(RulePackError, match=r"effective_from: needs a UTC offset"):
        parse_rule_pack(body)
