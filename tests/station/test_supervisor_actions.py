"""Supervisor overrides and corrections, automatic check-out at closing time, overstay notices."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from guardstation.domain.verdict_types import Colour
from guardstation.reports import data
from guardstation.server.ingest import WireEvent, check_event
from guardstation.settings.model import Settings
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.supervisor_actions import Supervision, SupervisionError, VisitPolicy, apply_correction
from guardstation.store import visits
from guardstation.store.audit import verify_chain
from guardstation.store.models import AuditLog, SiteConfig, Visit, VisitEvent

PEOPLE = [
    ("3513010101800001", "Hadi Prasetyo"),
    ("3513014202850002", "Lina Marlina"),
    ("3513010303900003", "Joko Susilo"),
    ("3513014404920004", "Ratna Dewi"),
]


@pytest.fixture
def desk(station):
    station.checkpoint.guard = "Budi Santoso"
    return Supervision(station.checkpoint, Settings())


def enter(station, i):
    nik, name = PEOPLE[i]
    return station.checkpoint.manual_entry(ManualEntry(nik, name, "Rapat", "Sekda"))


def visit(station, visit_id) -> Visit:
    with station.db.read() as session:
        return session.get(Visit, visit_id)


def events(station, visit_id, kind=None) -> list[VisitEvent]:
    with station.db.read() as session:
        stmt = select(VisitEvent).where(VisitEvent.visit_id == visit_id).order_by(VisitEvent.seq)
        return [e for e in session.scalars(stmt) if kind is None or e.kind == kind]


def count(station, model) -> int:
    with station.db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def audit(station, action) -> list[AuditLog]:
    with station.db.read() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action)))


def chain_ok(station) -> bool:
    with station.db.read() as session:
        return verify_chain(session).ok


def wire(event: VisitEvent) -> WireEvent:
    return WireEvent(
        event.event_id,
        event.seq,
        event.kind,
        1,
        event.hlc,
        event.occurred_at,
        event.clock_offset_ms,
        json.loads(event.body_json),
    )


SERVER_STATION = SimpleNamespace(station_id="s1", site_id="standalone", epoch=1)


@pytest.fixture
def full_house(station):
    """Three inside (capacity 3) and the fourth refused PENUH."""
    inside = [enter(station, i) for i in range(3)]
    denied = enter(station, 3)
    assert denied.decision.colour is Colour.FULL
    return inside, denied


# -- overrides -------------------------------------------------------------------------------------
def test_override_without_a_reason_is_refused_and_writes_nothing(station, desk, full_house):
    _, denied = full_house
    before = (count(station, VisitEvent), count(station, AuditLog))
    for reason in ("", "   \n"):
        with pytest.raises(SupervisionError) as refused:
            desk.override(denied.visit_id, reason=reason, supervisor="Pak Anton")
        assert refused.value.code == "reason_required"
    with pytest.raises(SupervisionError) as nobody:
        desk.override(denied.visit_id, reason="Undangan Bupati", supervisor=" ")
    assert nobody.value.code == "supervisor_required"
    assert (count(station, VisitEvent), count(station, AuditLog)) == before


def test_override_admits_the_denied_person_with_a_new_check_in_and_an_audit_row(station, desk, full_house, clock):
    _, denied = full_house
    clock.advance(minutes=2)
    admitted = desk.override(denied.visit_id, reason="Undangan Bupati", supervisor="Pak Anton")

    assert visit(station, denied.visit_id).status == visits.DENIED  # the refusal stays on record
    row = visit(station, admitted.visit_id)
    assert (row.status, row.display_name, row.override_of, row.guard) == (
        visits.INSIDE,
        "Ratna Dewi",
        denied.visit_id,
        "Budi Santoso",
    )
    assert station.checkpoint.occupancy().inside == 4  # over capacity, by decision
    (check_in,) = events(station, admitted.visit_id)
    body = json.loads(check_in.body_json)
    assert check_in.kind == "check_in" and check_in.guard == "Budi Santoso"
    assert body["override"] == {
        "reason": "Undangan Bupati",
        "supervisor": "Pak Anton",
        "denied_visit_id": denied.visit_id,
    }
    assert body["visit_id"] == admitted.visit_id
    assert check_event(wire(check_in), SERVER_STATION, clock())["visit_id"] == admitted.visit_id

    # The monitoring report counts it, with the reason it prints.
    period = data.Period(clock() - timedelta(hours=1), clock() + timedelta(hours=1))
    (override,) = data.audit_events(station.db, period, ("override",))
    assert (override.actor, override.detail["reason"]) == ("Pak Anton", "Undangan Bupati")
    assert chain_ok(station)


def test_a_refusal_is_overridden_once_and_only_refusals_are(station, desk, full_house):
    inside, denied = full_house
    desk.override(denied.visit_id, reason="Undangan Bupati", supervisor="Pak Anton")
    with pytest.raises(SupervisionError) as twice:
        desk.override(denied.visit_id, reason="lagi", supervisor="Pak Anton")
    assert twice.value.code == "already_admitted"
    with pytest.raises(SupervisionError) as admitted:
        desk.override(inside[0].visit_id, reason="x", supervisor="Pak Anton")
    assert admitted.value.code == "not_denied"


# -- corrections -----------------------------------------------------------------------------------
def test_correction_appends_an_event_updates_the_visit_and_never_edits_the_original(station, desk, clock):
    outcome = enter(station, 0)
    original = events(station, outcome.visit_id)[0].body_json
    clock.advance(minutes=5)
    desk.correct(
        outcome.visit_id,
        display_name="Hadi  Prasetya",
        purpose="Audiensi",
        host="Bupati",
        time_out=None,
        supervisor="Pak Anton",
        reason="salah ketik",
    )

    row = visit(station, outcome.visit_id)
    assert (row.display_name, row.purpose, row.host, row.status) == (
        "Hadi Prasetya",
        "Audiensi",
        "Bupati",
        visits.INSIDE,
    )
    check_in, correction = events(station, outcome.visit_id)
    assert check_in.body_json == original
    body = json.loads(correction.body_json)
    assert correction.kind == "correction" and body["visit_id"] == outcome.visit_id and body["time_out"] is None
    assert body["fields"] == ["display_name", "purpose", "host"]
    assert check_event(wire(correction), SERVER_STATION, clock())["visit_id"] == outcome.visit_id
    with station.db.read() as session:  # the name search sees the corrected name
        assert [v.visit_id for v in visits.log_page(session, name_query="Prasetya")] == [outcome.visit_id]
    (row_audit,) = audit(station, "correction")
    assert row_audit.actor == "Pak Anton" and json.loads(row_audit.detail_json)["reason"] == "salah ketik"
    assert chain_ok(station)


def test_correcting_the_check_out_time_closes_or_moves_it_within_sense(station, desk, clock):
    outcome = enter(station, 0)
    time_in = clock()
    clock.advance(hours=3)
    with pytest.raises(SupervisionError) as early:
        desk.correct(
            outcome.visit_id,
            display_name="Hadi Prasetyo",
            purpose="Rapat",
            host="Sekda",
            time_out=time_in - timedelta(minutes=1),
            supervisor="Pak Anton",
        )
    assert early.value.code == "time_out_before_in"
    with pytest.raises(SupervisionError) as future:
        desk.correct(
            outcome.visit_id,
            display_name="Hadi Prasetyo",
            purpose="Rapat",
            host="Sekda",
            time_out=clock() + timedelta(hours=1),
            supervisor="Pak Anton",
        )
    assert future.value.code == "time_out_in_future"
    with pytest.raises(SupervisionError) as same:
        desk.correct(
            outcome.visit_id,
            display_name="Hadi Prasetyo",
            purpose="Rapat",
            host="Sekda",
            time_out=None,
            supervisor="Pak Anton",
        )
    assert same.value.code == "nothing_changed"

    left_at = time_in + timedelta(hours=1)
    desk.correct(
        outcome.visit_id,
        display_name="Hadi Prasetyo",
        purpose="Rapat",
        host="Sekda",
        time_out=left_at,
        supervisor="Pak Anton",
    )
    row = visit(station, outcome.visit_id)
    assert (row.status, row.time_out) == (visits.LEFT, left_at)
    assert station.checkpoint.occupancy().inside == 0
    body = json.loads(events(station, outcome.visit_id, "correction")[0].body_json)
    assert datetime.fromisoformat(body["time_out"]) == left_at and body["time_out"].endswith("+07:00")


def test_between_two_corrections_the_later_hlc_wins(station, desk, clock):
    outcome = enter(station, 0)
    desk.correct(
        outcome.visit_id, display_name="Hadi P.", purpose="Rapat", host="Sekda", time_out=None, supervisor="Pak Anton"
    )
    latest = events(station, outcome.visit_id, "correction")[0].hlc
    with station.db.transaction() as session:
        row = session.get(Visit, outcome.visit_id)
        older = "0" * 15 + "-00000-other"  # another gate's correction made earlier
        assert not apply_correction(row, {"display_name": "Salah", "time_out": None}, older)
        later = latest[:-1] + "z"
        assert apply_correction(row, {"display_name": "Hadi Prasetyo Benar", "time_out": None}, later)
    row = visit(station, outcome.visit_id)
    assert (row.display_name, row.correction_hlc) == ("Hadi Prasetyo Benar", later)


def test_a_visit_from_another_gate_is_corrected_with_this_stations_event(station, desk, clock):
    with station.db.transaction() as session:
        session.add(
            Visit(
                visit_id="other-gate-visit",
                subject_key="k1",
                display_name="Tamu Gerbang B",
                credential_kind="gspass",
                colour="green",
                reason_code="fully_vaccinated",
                status="inside",
                time_in=clock() - timedelta(hours=1),
                gate_in="Gerbang B",
                station_id="station-b",
            )
        )
    desk.correct(
        "other-gate-visit",
        display_name="Tamu Gerbang B",
        purpose="Rapat",
        host="",
        time_out=clock(),
        supervisor="Pak Anton",
    )
    (correction,) = events(station, "other-gate-visit")
    with station.db.read() as session:
        from guardstation.store.events import load_station

        assert correction.station_id == load_station(session).station_id
    assert visit(station, "other-gate-visit").status == visits.LEFT


# -- automatic check-out and overstay --------------------------------------------------------------
def test_forgotten_check_outs_close_at_closing_time_flagged_auto(station, desk, clock):
    early = enter(station, 0)  # 08:00
    clock.current = clock().replace(hour=16, minute=59)
    assert desk.auto_close() == []
    clock.current = clock().replace(hour=17, minute=10)
    late = enter(station, 1)  # came after closing time
    closed = desk.auto_close()
    assert [v.visit_id for v in closed] == [early.visit_id]
    row = visit(station, early.visit_id)
    assert row.status == visits.LEFT and row.auto_closed
    assert row.time_out == clock().replace(hour=17, minute=0)
    (out,) = events(station, early.visit_id, "check_out")
    assert json.loads(out.body_json)["auto"] is True and out.guard == "Budi Santoso"
    assert visit(station, late.visit_id).status == visits.INSIDE
    assert desk.auto_close() == []  # nothing twice
    clock.advance(days=1)
    assert [v.visit_id for v in desk.auto_close()] == [late.visit_id]
    assert len(audit(station, "auto_check_out")) == 2 and chain_ok(station)


def test_closing_time_comes_from_site_policy_then_settings(station, clock):
    def policy(site: dict, settings: Settings) -> VisitPolicy:
        with station.db.transaction() as session:
            session.scalars(select(SiteConfig)).one().policy_json = json.dumps(site)
        return Supervision(station.checkpoint, settings).policy()

    assert policy({}, Settings()).closing == time(17, 0)
    assert policy({"opening_hours": {"open": "07:30", "close": "16:00"}}, Settings()).closing == time(16, 0)
    assert policy({}, Settings(auto_checkout_at="15:30")).closing == time(15, 30)
    assert policy({"auto_checkout": "18:00"}, Settings(auto_checkout_at="15:30")).closing == time(18, 0)
    assert policy({}, Settings(auto_checkout_at="off")).closing is None
    assert policy({"overstay_hours": 4}, Settings(overstay_hours=6)).overstay == timedelta(hours=4)
    assert policy({}, Settings(overstay_hours=6)).overstay == timedelta(hours=6)

    enter(station, 0)
    clock.current = clock().replace(hour=20)
    off = Supervision(station.checkpoint, Settings(auto_checkout_at="off"))
    assert off.auto_close() == [] and station.checkpoint.occupancy().inside == 1


def test_overstay_past_the_configured_hours_is_noticed(station, clock):
    desk = Supervision(station.checkpoint, Settings(overstay_hours=3, auto_checkout_at="off"))
    first = enter(station, 0)
    clock.advance(hours=1)
    enter(station, 1)
    clock.advance(hours=2, minutes=1)
    assert [v.visit_id for v in desk.overstays()] == [first.visit_id]
    clock.advance(hours=1)
    assert len(desk.overstays()) == 2
