"""The checkpoint: scan or manual entry in, one committed visit and verdict out."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from sqlalchemy import func, select

from guardstation.credentials.trust import kid_for
from guardstation.domain.credential import PersonKind
from guardstation.domain.subject import identity_from_nik
from guardstation.domain.verdict_types import Action, Colour, GateMode
from guardstation.station.checkpoint import InvalidEntry, ManualEntry
from guardstation.store import reference, visits
from guardstation.store.audit import verify_chain
from guardstation.store.models import Outbox, Visit, VisitEvent
from tests.helpers.paths import RULES
from tests.helpers.station import open_test_station

BUDI_NIK = "3513011708800008"
SITI_NIK = "3513015108900009"


@pytest.fixture
def key(passes):
    return passes.key


@pytest.fixture
def make_pass(passes):
    def make(
        name="Budi Santoso",
        doses=2,
        nik=BUDI_NIK,
        kind=PersonKind.EMPLOYEE,
        valid_days=30,
        valid_from=None,
        signer=None,
        kid=None,
    ):
        return passes(name, doses, nik=nik, days=valid_days, kind=kind, valid_from=valid_from, signer=signer, kid=kid)

    return make


def _count(station, model) -> int:
    with station.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _visit(station, visit_id) -> Visit:
    with station.db.read() as session:  # a new session: what is on disk, not what is cached
        return session.get(Visit, visit_id)


def test_valid_pass_checks_in_green_and_is_committed(station, make_pass, clock):
    outcome = station.checkpoint.scan(make_pass())
    assert outcome.decision.colour is Colour.GREEN
    assert outcome.decision.action is Action.CHECK_IN
    assert outcome.decision.reason.code == "fully_vaccinated"
    assert outcome.display_name == "Budi Santoso"
    assert outcome.occupancy.inside == 1 and outcome.occupancy.capacity == 3
    visit = _visit(station, outcome.visit_id)
    assert visit.status == visits.INSIDE
    assert visit.colour == "green"
    assert visit.display_name == "Budi Santoso"
    assert visit.gate_in == "Pintu Depan"
    assert visit.time_in == clock()
    assert visit.person_kind == "employee"
    assert station.checkpoint.occupancy().inside == 1
    assert _count(station, VisitEvent) == 1
    assert _count(station, Outbox) == 1
    with station.db.read() as session:
        event = session.scalars(select(VisitEvent)).one()
        assert event.kind == "check_in" and event.visit_id == outcome.visit_id
        assert session.scalars(select(Outbox)).one().event_id == event.event_id


def test_committed_visit_survives_a_restart(station, make_pass, home, clock):
    outcome = station.checkpoint.scan(make_pass())
    station.close()
    reopened = open_test_station(home, clock)
    try:
        assert reopened.checkpoint.occupancy().inside == 1
        with reopened.db.read() as session:
            assert session.get(Visit, outcome.visit_id).status == visits.INSIDE
    finally:
        reopened.close()


def test_same_pass_again_checks_out(station, make_pass, clock):
    text = make_pass()
    first = station.checkpoint.scan(text)
    clock.advance(minutes=95)
    second = station.checkpoint.scan(text)
    assert second.decision.action is Action.CHECK_OUT
    assert second.decision.reason.code == "checked_out"
    assert second.decision.reason.params["duration"] == "1j 35m"
    assert second.visit_id == first.visit_id
    assert second.occupancy.inside == 0
    visit = _visit(station, first.visit_id)
    assert visit.status == visits.LEFT
    assert visit.time_out == clock()
    assert visit.gate_out == "Pintu Depan"
    assert _count(station, VisitEvent) == 2
    assert _count(station, Outbox) == 2
    # A third scan is a new visit.
    clock.advance(minutes=5)
    third = station.checkpoint.scan(text)
    assert third.decision.action is Action.CHECK_IN and third.visit_id != first.visit_id


def test_in_gate_second_scan_is_already_inside(station, make_pass, clock):
    station.checkpoint.gate_mode = GateMode.IN
    text = make_pass()
    station.checkpoint.scan(text)
    clock.advance(minutes=20)
    again = station.checkpoint.scan(text)
    assert again.decision.action is Action.NOTICE
    assert again.decision.reason.code == "already_inside"
    assert again.decision.reason.params["time"] == "08:00"  # local time of the first scan (WIB)
    assert again.occupancy.inside == 1
    assert station.checkpoint.occupancy().inside == 1


def test_out_gate_person_not_inside_gets_a_notice(station, make_pass):
    station.checkpoint.gate_mode = GateMode.OUT
    outcome = station.checkpoint.scan(make_pass())
    assert outcome.decision.reason.code == "not_inside"
    assert outcome.occupancy.inside == 0
    assert _visit(station, outcome.visit_id).status == visits.NOTICE


def test_capacity_full_turns_the_fourth_person_away(station, make_pass, clock):
    people = [
        ("Budi Santoso", BUDI_NIK),
        ("Siti Rahmawati", SITI_NIK),
        ("Ahmad Fauzi", "3513012009910010"),
        ("Dewi Lestari", "3513016507930011"),
    ]
    outcomes = []
    for name, nik in people:
        outcomes.append(station.checkpoint.scan(make_pass(name=name, nik=nik)))
        clock.advance(minutes=1)
    assert [o.decision.action for o in outcomes[:3]] == [Action.CHECK_IN] * 3
    full = outcomes[3]
    assert full.decision.colour is Colour.FULL
    assert full.decision.action is Action.DENY
    assert full.decision.reason.code == "capacity_full"
    assert full.decision.reason.text("id") == "Kapasitas penuh (3/3)"
    assert full.occupancy.inside == 3
    assert _visit(station, full.visit_id).status == visits.DENIED
    with station.db.read() as session:
        assert visits.count_inside(session) == 3
        assert "Dewi Lestari" not in [v.display_name for v in visits.inside_now(session)]
    # Someone leaves: the next person fits.
    station.checkpoint.scan(make_pass(name="Budi Santoso", nik=BUDI_NIK))  # a new pass, same person
    assert station.checkpoint.occupancy().inside == 2
    assert station.checkpoint.scan(make_pass(name="Dewi Lestari", nik="3513016507930011")).decision.admitted


def test_person_inside_can_leave_when_full(station, make_pass):
    texts = [make_pass(name=f"Tamu {i}", nik=nik) for i, nik in enumerate([BUDI_NIK, SITI_NIK, "3513012009910010"])]
    for text in texts:
        station.checkpoint.scan(text)
    assert station.checkpoint.occupancy().is_full
    assert station.checkpoint.scan(texts[1]).decision.action is Action.CHECK_OUT


def test_forged_pass_is_red_and_the_denied_scan_is_logged(station, make_pass, key):
    forger = ed25519.Ed25519PrivateKey.generate()
    forged = make_pass(name="Tamu Palsu", doses=3, signer=forger, kid=kid_for(key.public_key()))
    outcome = station.checkpoint.scan(forged)
    assert outcome.decision.colour is Colour.RED
    assert outcome.decision.action is Action.DENY
    assert outcome.decision.reason.code == "bad_signature"
    assert outcome.occupancy.inside == 0
    visit = _visit(station, outcome.visit_id)
    assert visit.status == visits.DENIED
    assert visit.reason_code == "bad_signature"
    assert visit.colour == "red"
    assert visit.display_name == ""  # unsigned content is not believed, not even the name
    with station.db.read() as session:
        event = session.scalars(select(VisitEvent)).one()
    assert event.kind == "denied"
    assert _count(station, Outbox) == 1


def test_garbage_scan_is_logged_as_denied(station):
    outcome = station.checkpoint.scan("https://example.com/promo")
    assert outcome.decision.colour is Colour.RED
    assert outcome.decision.reason.code == "url"
    assert outcome.decision.reason.text("id") == "Tautan web, bukan sertifikat atau kartu kunjungan"
    assert _visit(station, outcome.visit_id).status == visits.DENIED


def test_pass_from_an_unknown_issuer_is_red(station, make_pass):
    other = ed25519.Ed25519PrivateKey.generate()
    outcome = station.checkpoint.scan(make_pass(signer=other))
    assert outcome.decision.reason.code == "unknown_key"


def test_expired_pass_is_red_expired(station, make_pass, clock):
    text = make_pass(valid_from=clock() - timedelta(days=40), valid_days=30)
    outcome = station.checkpoint.scan(text)
    assert outcome.decision.colour is Colour.RED
    assert outcome.decision.reason.code == "expired"


def test_red_pass_zero_doses(station, make_pass):
    outcome = station.checkpoint.scan(make_pass(doses=0))
    assert outcome.decision.colour is Colour.RED
    assert outcome.decision.reason.code == "not_vaccinated"
    assert outcome.occupancy.inside == 0


@pytest.mark.parametrize(
    "nik, problem",
    [
        ("3513013208800008", "date"),
        ("9913011708800008", "region"),
        ("351301170880000", "length"),
        ("35130117088O0008", "digits"),
        ("3513011708800000", "serial"),
    ],
)
def test_manual_entry_with_a_bad_nik_is_refused_naming_the_field(station, nik, problem):
    with pytest.raises(InvalidEntry) as info:
        station.checkpoint.manual_entry(ManualEntry(nik=nik, name="Siti", purpose="Rapat", host="Bappeda"))
    assert info.value.field == "nik"
    assert info.value.nik_check.problem == problem
    assert str(info.value) == info.value.nik_check.message("id")
    assert _count(station, Visit) == 0
    assert _count(station, VisitEvent) == 0


def test_manual_entry_without_a_name_is_refused(station):
    with pytest.raises(InvalidEntry) as info:
        station.checkpoint.manual_entry(ManualEntry(nik=SITI_NIK, name="   "))
    assert info.value.field == "name"


def test_valid_manual_entry_is_yellow_and_stores_only_the_masked_nik(station, home):
    outcome = station.checkpoint.manual_entry(
        ManualEntry(nik="3513 0151 0890 0009", name="  Siti   Rahmawati ", purpose="Layanan KTP", host="Dispendukcapil")
    )
    assert outcome.decision.colour is Colour.YELLOW  # id-2021 manual_entry
    assert outcome.decision.action is Action.CHECK_IN
    assert outcome.decision.reason.code == "manual_entry"
    visit = _visit(station, outcome.visit_id)
    assert visit.nik_masked == "3513********0009"
    assert visit.display_name == "Siti Rahmawati"
    assert visit.purpose == "Layanan KTP" and visit.host == "Dispendukcapil"
    assert visit.manual is True
    assert visit.status == visits.INSIDE
    assert visit.subject_key == station.checkpoint.subject_key_for(identity_from_nik(SITI_NIK))
    # The raw NIK (and its birth-date part) is nowhere on disk: not in the database, not in the WAL.
    station.close()
    files = [p for p in home.iterdir() if p.name.startswith("guardstation.sqlite")]
    assert any(p.name == "guardstation.sqlite" for p in files)
    for path in files:
        data = path.read_bytes()
        assert SITI_NIK.encode() not in data, path.name
        assert SITI_NIK.encode("utf-16-le") not in data, path.name


def test_raw_nik_is_not_in_the_wal_while_the_station_is_open(station, home):
    station.checkpoint.manual_entry(ManualEntry(nik=BUDI_NIK, name="Budi Santoso"))
    wal = home / "guardstation.sqlite-wal"
    blobs = [(home / "guardstation.sqlite").read_bytes()] + ([wal.read_bytes()] if wal.exists() else [])
    assert all(BUDI_NIK.encode() not in blob for blob in blobs)


def test_manual_entry_then_same_nik_again_checks_out(station, clock):
    first = station.checkpoint.manual_entry(ManualEntry(nik=BUDI_NIK, name="Budi Santoso"))
    clock.advance(minutes=30)
    second = station.checkpoint.manual_entry(ManualEntry(nik="3513-0117-0880-0008", name="Budi"))
    assert second.decision.action is Action.CHECK_OUT
    assert second.visit_id == first.visit_id


def test_check_out_button_for_someone_inside(station, make_pass, clock):
    inside = station.checkpoint.scan(make_pass())
    clock.advance(minutes=10)
    outcome = station.checkpoint.check_out(inside.visit_id)
    assert outcome.decision.action is Action.CHECK_OUT
    assert outcome.occupancy.inside == 0
    assert outcome.visit_id == inside.visit_id
    visit = _visit(station, inside.visit_id)
    assert visit.status == visits.LEFT and visit.time_out == clock()
    with station.db.read() as session:
        kinds = [e.kind for e in session.scalars(select(VisitEvent).order_by(VisitEvent.seq))]
        by_hand = json.loads(session.scalars(select(VisitEvent).where(VisitEvent.kind == "check_out")).one().body_json)[
            "by_hand"
        ]
    assert kinds == ["check_in", "check_out"]
    assert by_hand is True


def test_check_out_of_someone_not_inside_is_refused(station, make_pass):
    inside = station.checkpoint.scan(make_pass())
    station.checkpoint.check_out(inside.visit_id)
    with pytest.raises(InvalidEntry) as info:
        station.checkpoint.check_out(inside.visit_id)  # already left
    assert info.value.field == "visit"
    denied = station.checkpoint.scan("GS1:BROKEN")
    with pytest.raises(InvalidEntry):
        station.checkpoint.check_out(denied.visit_id)  # a denied scan was never inside
    with pytest.raises(InvalidEntry):
        station.checkpoint.check_out("0192a3b4-0000-7000-8000-000000000000")  # no such visit
    assert _count(station, VisitEvent) == 3  # check_in, check_out, denied: nothing more


@pytest.mark.parametrize(
    "status, colour, code",
    [
        ("positive", Colour.BLACK, "positive"),
        ("close_contact", Colour.BLACK, "close_contact"),
        ("deny", Colour.RED, "status_deny"),
    ],
)
def test_status_list_entry_turns_the_next_scan(station, make_pass, clock, status, colour, code):
    text = make_pass(doses=3)
    subject = station.checkpoint.subject_key_for(identity_from_nik(BUDI_NIK))
    with station.db.transaction() as session:
        reference.put_status(session, subject, status, clock() - timedelta(days=1), clock() + timedelta(days=13))
    outcome = station.checkpoint.scan(text)
    assert outcome.decision.colour is colour
    assert outcome.decision.reason.code == code
    assert outcome.occupancy.inside == 0
    assert _visit(station, outcome.visit_id).status == visits.DENIED


def test_status_list_applies_to_manual_entry_of_the_same_person(station, clock):
    subject = station.checkpoint.subject_key_for(identity_from_nik(SITI_NIK))
    with station.db.transaction() as session:
        reference.put_status(session, subject, "positive", clock() - timedelta(days=1), None)
    outcome = station.checkpoint.manual_entry(ManualEntry(nik=SITI_NIK, name="Siti Rahmawati"))
    assert outcome.decision.colour is Colour.BLACK


def test_expired_status_entry_no_longer_blocks(station, make_pass, clock):
    subject = station.checkpoint.subject_key_for(identity_from_nik(BUDI_NIK))
    with station.db.transaction() as session:
        reference.put_status(session, subject, "positive", clock() - timedelta(days=20), clock() - timedelta(days=6))
    assert station.checkpoint.scan(make_pass()).decision.colour is Colour.GREEN


def test_new_rule_pack_turns_two_doses_from_green_to_yellow(station, make_pass, clock):
    text = make_pass(doses=2)
    assert station.checkpoint.evaluate(text)[1].colour is Colour.GREEN
    body = json.loads((RULES / "id-2022.json").read_text("utf-8"))
    with station.db.transaction() as session:
        reference.put_rule_pack(session, body, clock())
    station.checkpoint.reload_reference()
    assert station.checkpoint.rule_pack(clock()).pack_id == "id-2022"
    outcome = station.checkpoint.scan(text)
    assert outcome.decision.colour is Colour.YELLOW
    assert outcome.decision.reason.code == "partly_vaccinated"
    assert outcome.decision.action is Action.CHECK_IN
    three = station.checkpoint.scan(make_pass(name="Siti Rahmawati", nik=SITI_NIK, doses=3))
    assert three.decision.colour is Colour.GREEN
    assert three.decision.reason.code == "booster"


def test_rule_pack_dated_in_the_future_does_not_apply_yet(station, make_pass, clock):
    body = json.loads((RULES / "id-2022.json").read_text("utf-8"))
    body.update(id="id-2027", effective_from=(clock() + timedelta(days=7)).isoformat())
    with station.db.transaction() as session:
        reference.put_rule_pack(session, body, clock())
    station.checkpoint.reload_reference()
    text = make_pass(doses=2)
    assert station.checkpoint.scan(text).decision.colour is Colour.GREEN


def test_evaluate_records_nothing(station, make_pass):
    credential, decision = station.checkpoint.evaluate(make_pass())
    assert credential.trusted and decision.colour is Colour.GREEN
    assert _count(station, Visit) == 0
    assert _count(station, VisitEvent) == 0


def test_events_have_gapless_seq_across_scans(station, make_pass, clock):
    text = make_pass()
    for _ in range(3):
        station.checkpoint.scan(text)
        clock.advance(minutes=1)
    station.checkpoint.scan("not a code")
    with station.db.read() as session:
        seqs = [e.seq for e in session.scalars(select(VisitEvent).order_by(VisitEvent.seq))]
        outbox = [o.seq for o in session.scalars(select(Outbox).order_by(Outbox.seq))]
    assert seqs == outbox == [1, 2, 3, 4]


def test_fresh_station_audit_log_verifies(station, home, clock):
    # open_station writes "station_opened" with the station's local clock (WIB).
    with station.db.read() as session:
        check = verify_chain(session)
    assert check.rows >= 1
    assert check.ok, check
