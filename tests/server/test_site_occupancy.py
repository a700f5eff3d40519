"""Occupancy from events by set union: gates, arrival order and duplicates do not change it."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from guardstation.domain.visit_merge import VisitEventView, merge
from guardstation.server import ingest
from guardstation.server.models import Event, Visit


def _inside(gate):
    r = gate.occupancy()
    assert r.status_code == 200, r.text
    return r.json()


def test_check_out_at_another_gate(deployment, server_clock):
    site = deployment.site(capacity=8)
    a, b = deployment.gate(site, "Pintu Depan"), deployment.gate(site, "Pintu Belakang")
    a.push([a.event("check_in", "v1", subject="1" * 32), a.event("check_in", "v2", subject="2" * 32)])
    occ = _inside(b)
    assert occ["inside"] == 2 and occ["capacity"] == 8
    assert occ["by_gate"] == [{"station_id": a.station_id, "gate": "Pintu Depan", "inside": 2}]
    server_clock.advance(minutes=30)
    b.push([b.event("check_out", "v1", subject="1" * 32)])
    assert _inside(a)["inside"] == 1


def test_check_out_before_its_check_in_waits(deployment, db, server_clock):
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    check_in = a.event("check_in", "v1", subject="1" * 32)
    server_clock.advance(minutes=20)
    check_out = b.event("check_out", "v1", subject="1" * 32)
    b.push([check_out])  # gate A is offline: its check-in comes later
    assert _inside(b)["inside"] == 0
    with db.read() as s:
        v = s.get(Visit, "v1")
        assert v.time_in is None and v.time_out is not None
    a.push([check_in])
    assert _inside(a)["inside"] == 0  # closed the moment the check-in is there
    with db.read() as s:
        v = s.get(Visit, "v1")
        assert v.gate_in == "A" and v.gate_out == "B" and v.time_out - v.time_in == timedelta(minutes=20)


def test_two_check_outs_earliest_wins(deployment, db, server_clock):
    site = deployment.site()
    a, b, c = (deployment.gate(site, n) for n in "ABC")
    t0 = server_clock()
    a.push([a.event("check_in", "v1", at=t0)])
    late = c.event("check_out", "v1", at=t0 + timedelta(minutes=50))
    early = b.event("check_out", "v1", at=t0 + timedelta(minutes=40))
    c.push([late])
    b.push([early])
    with db.read() as s:
        v = s.get(Visit, "v1")
        assert v.time_out == t0 + timedelta(minutes=40) and v.gate_out == "B"
        # The later check-out is kept as an event (an observation), not lost.
        assert s.get(Event, late["event_id"]) is not None
    assert _inside(a)["inside"] == 0


def test_void_and_correction(deployment, server_clock):
    site = deployment.site()
    a = deployment.gate(site, "A")
    a.push([a.event("check_in", "v1"), a.event("check_in", "v2"), a.event("check_in", "v3")])
    assert _inside(a)["inside"] == 3
    a.push([a.event("void", "v1")])
    assert _inside(a)["inside"] == 2
    closing = server_clock() + timedelta(hours=1)
    a.push([a.event("correction", "v2", time_out=closing.isoformat())])
    assert _inside(a)["inside"] == 1
    a.push([a.event("correction", "v2", time_out=None)])  # a later correction re-opens it
    assert _inside(a)["inside"] == 2


def _views(rows):
    return [
        VisitEventView(r.event_id, r.visit_id, r.kind, r.corrected_at, r.hlc, r.gate, r.station_id, r.subject_key)
        for r in rows
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_arrival_order_gives_the_domain_merge(deployment, db, server_clock, seed):
    """Random visits over three gates, pushed in random order, duplicated, in random batches: the server's
    visits equal guardstation.domain.visit_merge over the same events, and rebuilding changes nothing."""
    rng = random.Random(seed)
    site = deployment.site()
    gates = [deployment.gate(site, n) for n in ("A", "B", "C")]
    t0 = server_clock()
    queued = {g.station_id: [] for g in gates}
    for i in range(25):
        visit = f"v{i}"
        start = t0 + timedelta(minutes=rng.randint(0, 300))
        g_in = rng.choice(gates)
        queued[g_in.station_id].append(g_in.event("check_in", visit, subject=f"{i:032x}", at=start))
        for _ in range(rng.choice([0, 1, 1, 2])):  # no check-out, one, or two at different gates
            g_out = rng.choice(gates)
            queued[g_out.station_id].append(
                g_out.event("check_out", visit, subject=f"{i:032x}", at=start + timedelta(minutes=rng.randint(1, 120)))
            )
    for g in gates:
        events = queued[g.station_id]
        sends = events + rng.sample(events, k=len(events) // 3)  # some sent twice (lost acks)
        rng.shuffle(sends)
        while sends:
            n = rng.randint(1, 6)
            g.push(sends[:n])
            sends = sends[n:]
    with db.read() as s:
        expected = merge(_views(s.scalars(select(Event))))
        got = {v.visit_id: v for v in s.scalars(select(Visit))}
    assert set(got) == set(expected)
    for visit_id, e in expected.items():
        v = got[visit_id]
        assert (v.time_in, v.time_out, v.gate_in, v.gate_out) == (e.time_in, e.time_out, e.gate_in, e.gate_out)
    open_count = sum(1 for e in expected.values() if e.is_open)
    assert _inside(gates[0])["inside"] == open_count
    with db.write() as s:
        assert ingest.rebuild_visits(s) == sum(len(q) for q in queued.values())
    with db.read() as s:
        rebuilt = {v.visit_id: (v.time_in, v.time_out, v.gate_in, v.gate_out) for v in s.scalars(select(Visit))}
    assert rebuilt == {k: (v.time_in, v.time_out, v.gate_in, v.gate_out) for k, v in got.items()}


@pytest.mark.parametrize("seed", [4, 5])
def test_visits_coming_and_going_within_big_batches_give_the_domain_merge(deployment, db, server_clock, seed):
    """A gate back online pushes check-ins and check-outs of the same visits in one batch (the server folds them
    into one row per visit), mixed with check-ins and check-outs at the other gate, voids and corrections, in
    big and small batches and twice: every field of every visit equals guardstation.domain.visit_merge."""
    from guardstation.domain.visit_merge import VisitEventView, merge

    rng = random.Random(seed)
    site = deployment.site()
    gates = [deployment.gate(site, n) for n in ("A", "B")]
    t0 = server_clock()
    queued = {g.station_id: [] for g in gates}
    for i in range(80):
        visit, subject = f"v{i}", (f"{i:032x}" if rng.random() < 0.8 else None)
        start = t0 + timedelta(minutes=rng.randint(0, 300))
        for _ in range(rng.choice([0, 1, 1, 1, 2])):  # sometimes checked in at both gates
            g = rng.choice(gates)
            queued[g.station_id].append(
                g.event("check_in", visit, subject=subject, at=start + timedelta(minutes=rng.randint(0, 3)))
            )
        for _ in range(rng.choice([0, 1, 1, 2])):
            g = rng.choice(gates)
            queued[g.station_id].append(
                g.event("check_out", visit, subject=subject, at=start + timedelta(minutes=rng.randint(4, 120)))
            )
        roll = rng.random()
        if roll < 0.1:
            g = rng.choice(gates)
            queued[g.station_id].append(g.event("void", visit))
        elif roll < 0.25:
            for _ in range(rng.choice([1, 2])):
                g = rng.choice(gates)
                closing = (start + timedelta(hours=rng.randint(1, 5))).isoformat() if rng.random() < 0.7 else None
                queued[g.station_id].append(g.event("correction", visit, time_out=closing))
    big, small = gates
    events = queued[big.station_id]
    rng.shuffle(events)
    big.push(events)  # everything in one batch
    big.push(rng.sample(events, k=len(events) // 2))  # half of it again
    events = queued[small.station_id]
    sends = events + rng.sample(events, k=len(events) // 3)
    rng.shuffle(sends)
    while sends:
        n = rng.randint(1, 15)
        small.push(sends[:n])
        sends = sends[n:]

    with db.read() as s:
        views = []
        for r in s.scalars(select(Event)):
            body = json.loads(r.body_json)
            corrected = None
            if r.kind == "correction" and body["time_out"] is not None:
                corrected = datetime.fromisoformat(body["time_out"]) - timedelta(milliseconds=r.clock_offset_ms)
            views.append(
                VisitEventView(
                    r.event_id,
                    r.visit_id,
                    r.kind,
                    r.corrected_at,
                    r.hlc,
                    r.gate,
                    r.station_id,
                    r.subject_key,
                    corrected_time_out=corrected,
                    corrects_time_out=r.kind == "correction",
                )
            )
        expected = merge(views)
        got = {v.visit_id: v for v in s.scalars(select(Visit))}
    assert set(got) == set(expected)
    for visit_id, e in expected.items():
        v = got[visit_id]
        assert (v.time_in, v.gate_in, v.station_in, v.in_event_id) == (
            e.time_in,
            e.gate_in,
            e.station_in,
            e.in_key and e.in_key[1],
        ), visit_id
        assert (v.raw_time_out, v.gate_out, v.station_out, v.out_event_id) == (
            e.time_out_raw,
            e.gate_out,
            e.station_out,
            e.out_key and e.out_key[1],
        ), visit_id
        assert (v.time_out, v.voided, v.correction_hlc) == (e.time_out, e.voided, e.correction_hlc), visit_id
        subjects = {view.subject_key for view in views if view.visit_id == visit_id} - {None}
        assert v.subject_key == (subjects.pop() if subjects else None)
    assert _inside(gates[0])["inside"] == sum(1 for e in expected.values() if e.is_open)
    columns = [c for c in Visit.__table__.c]
    with db.read() as s:
        before = set(s.execute(select(*columns)).all())
    with db.write() as s:
        ingest.rebuild_visits(s)
    with db.read() as s:
        assert set(s.execute(select(*columns)).all()) == before
