"""Push: idempotent by event id, rejects recorded and acknowledged, epochs, gzip, limits, bad input."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from guardstation.domain.ids import new_id
from guardstation.server.models import Event, RejectedEvent, Station, StationEpoch, Visit


def _count(db, model, *where):
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_same_batch_twice_is_stored_once(deployment, db):
    gate = deployment.gate(deployment.site())
    batch = [gate.event("check_in", f"v{i}", subject=f"{i:032x}") for i in range(5)]
    first = gate.push(batch)
    assert first["acked_through"] == 5 and first["rejected"] == []
    second = gate.push(batch)
    assert second["acked_through"] == 5 and second["rejected"] == []
    assert _count(db, Event) == 5
    # Resending an overlapping batch (a retry after a timeout plus new events) adds only the new ones.
    more = batch[3:] + [gate.event("check_out", "v0", subject=f"{0:032x}")]
    assert gate.push(more)["acked_through"] == 6
    assert _count(db, Event) == 6
    with db.read() as s:
        assert s.get(Station, gate.station_id).last_seq == 6


def test_same_event_twice_in_one_batch(deployment, db):
    gate = deployment.gate(deployment.site())
    ev = gate.event("check_in", "v1")
    assert gate.push([ev, ev])["rejected"] == []
    assert _count(db, Event) == 1


def test_empty_push_is_fine(deployment):
    gate = deployment.gate(deployment.site())
    out = gate.push([])
    assert out["acked_through"] == 0 and out["rejected"] == []


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda e: e.update(kind="teleport"), "unknown_kind"),
        (lambda e: e["body"].pop("visit_id"), "missing_visit_id"),
        (lambda e: e["body"].update(visit_id=""), "bad_visit_id"),
        (lambda e: e["body"].update(visit_id="x" * 65), "bad_visit_id"),
        (lambda e: e["body"].update(subject_key=12), "bad_subject_key"),
        (lambda e: e["body"].update(gate="\x00"), "bad_gate"),
        (lambda e: e["body"].update(site_id="another-site"), "other_site"),
        (lambda e: e.update(hlc="yesterday"), "bad_hlc"),
        (lambda e: e.update(hlc="1-2-x y"), "bad_hlc"),
        (lambda e: e.update(schema_v=2), "unsupported_schema"),
        (lambda e: e["body"].update(blob="x" * 20000), "body_too_large"),
    ],
)
def test_unacceptable_events_are_rejected_recorded_and_acked(deployment, db, change, code):
    gate = deployment.gate(deployment.site())
    good = gate.event("check_in", "v1")
    bad = gate.event("check_in", "v2")
    change(bad)
    after = gate.event("check_in", "v3")
    out = gate.push([good, bad, after])
    assert out["acked_through"] == 3
    assert out["rejected"] == [{"event_id": bad["event_id"], "code": code}]
    assert _count(db, Event) == 2
    with db.read() as s:
        row = s.scalars(select(RejectedEvent)).one()
        assert row.code == code and row.station_id == gate.station_id
        assert json.loads(row.raw_json)["event_id"] == bad["event_id"]  # kept verbatim, nothing lost
    # Sent again (the ack was lost): the same answer, still recorded once.
    assert gate.push([good, bad, after])["rejected"] == [{"event_id": bad["event_id"], "code": code}]
    assert _count(db, RejectedEvent) == 1


def test_correction_needs_a_time_out(deployment):
    gate = deployment.gate(deployment.site())
    bad = gate.event("correction", "v1")
    worse = gate.event("correction", "v1", time_out="not a time")
    good = gate.event("correction", "v1", time_out=None)
    out = gate.push([bad, worse, good])
    assert [r["code"] for r in out["rejected"]] == ["bad_correction", "bad_correction"]


def test_visit_of_another_site_is_rejected(deployment, db):
    a = deployment.gate(deployment.site("Kantor Bupati"), "Pintu A")
    b = deployment.gate(deployment.site("RSUD Waluyo Jati"), "Pintu B")
    a.push([a.event("check_in", "shared-visit", subject="a" * 32)])
    out = b.push([b.event("check_out", "shared-visit", subject="a" * 32)])
    assert [r["code"] for r in out["rejected"]] == ["foreign_visit"]
    with db.read() as s:
        assert s.get(Visit, "shared-visit").time_out is None


def test_event_id_of_another_station_is_rejected(deployment, db):
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    ev = a.event("check_in", "v1")
    a.push([ev])
    stolen = dict(b.event("check_out", "v1"), event_id=ev["event_id"])
    assert b.push([stolen])["rejected"] == [{"event_id": ev["event_id"], "code": "event_id_taken"}]
    with db.read() as s:
        assert s.get(Event, ev["event_id"]).station_id == a.station_id


def test_station_id_must_match_the_token(deployment, client):
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    r = client.post("/v1/sync/push", json={"station_id": b.station_id, "epoch": 1, "events": []}, headers=a.auth)
    assert r.status_code == 403 and r.json()["error"] == "forbidden"


def test_older_epoch_is_a_conflict_newer_is_adopted(deployment, db):
    gate = deployment.gate(deployment.site())
    gate.push([gate.event("check_in", "v1")])
    out = gate.push([gate.event("check_in", "v2")], epoch=3)
    assert out["acked_through"] == 2
    conflict = gate.push([gate.event("check_in", "v3")], epoch=2, expect=409)
    assert conflict["error"] == "epoch_conflict" and conflict["epoch"] == 3
    with db.read() as s:
        assert s.get(Station, gate.station_id).epoch == 3
        assert {(e.epoch, e.reason) for e in s.scalars(select(StationEpoch))} == {(1, "enrolled"), (3, "station")}


def test_restored_backup_is_detected_and_resolved_with_a_new_epoch(deployment, db):
    """The station's disk goes back to seq 2: its next new event reuses seq 3 with a new id."""
    gate = deployment.gate(deployment.site())
    sent = [gate.event("check_in", f"v{i}") for i in range(1, 5)]
    gate.push(sent)
    gate.seq = 2  # restored backup: counter went back
    unacked_in_backup = sent[1]  # the backup still had seq 2 unacked
    new = gate.event("check_in", "v-after-restore")  # seq 3, a different event
    conflict = gate.push([unacked_in_backup, new], expect=409)
    assert conflict["error"] == "epoch_conflict" and conflict["epoch"] == 2
    gate.epoch = conflict["epoch"]
    out = gate.push([unacked_in_backup, new])  # same ids, new epoch
    assert out["rejected"] == [] and out["acked_through"] == 3
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Event)) == 5
        assert s.get(Event, new["event_id"]).epoch == 2
        assert s.get(Event, unacked_in_backup["event_id"]).epoch == 1
        reasons = {e.epoch: e.reason for e in s.scalars(select(StationEpoch))}
        assert reasons[2] == "restore_detected"
    # The old epoch is refused from now on.
    assert gate.push([gate.event("check_in", "v9")], epoch=1, expect=409)["epoch"] == 2


def test_gzip_bodies(deployment, db):
    gate = deployment.gate(deployment.site())
    out = gate.push([gate.event("check_in", f"v{i}") for i in range(50)], gzip_body=True)
    assert out["acked_through"] == 50 and _count(db, Event) == 50


def test_bad_gzip_is_400(deployment, client):
    gate = deployment.gate(deployment.site())
    r = client.post(
        "/v1/sync/push",
        content=b"\x1f\x8b not gzip at all",
        headers={**gate.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert r.status_code == 400 and r.json()["error"] == "bad_gzip"
    truncated = gzip.compress(b'{"station_id": "x", "epoch": 1, "events": []}')[:-10]
    r = client.post(
        "/v1/sync/push",
        content=truncated,
        headers={**gate.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert r.status_code == 400
    r = client.post("/v1/sync/push", content=b"{}", headers={**gate.auth, "Content-Encoding": "br"})
    assert r.status_code == 415


def test_oversize_bodies_are_413(deployment, client):
    gate = deployment.gate(deployment.site())
    big = b'{"station_id": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    r = client.post("/v1/sync/push", content=big, headers={**gate.auth, "Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"] == "too_large"
    # A gzip bomb: 60 MB of spaces compress to ~60 KB, under the wire limit, over the inflated one.
    bomb = gzip.compress(b" " * (60 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 5 * 1024 * 1024
    r = client.post(
        "/v1/sync/push",
        content=bomb,
        headers={**gate.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert r.status_code == 413
    # Too many events in one push.
    r = client.post(
        "/v1/sync/push",
        headers=gate.auth,
        json={"station_id": gate.station_id, "epoch": 1, "events": [gate.event("check_in", "v") for _ in range(2001)]},
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"[]",
        b"null",
        b'"text"',
        b'{"station_id": 5}',
        b"[" * 100000,
        b'{"station_id": "s", "epoch": 1, "events": [], "extra": 1}',
        b'{"station_id": "s", "epoch": 0, "events": []}',
        b'{"station_id": "s", "epoch": 1, "events": [{"event_id": "x"}]}',
        '{"station_id": "s\u0000", "epoch": 1, "events": []}'.encode(),
        b'{"station_id": "s", "epoch": 1, "events": [{"event_id": "0192f0c4-7c1e-7000-8000-000000000001", "seq": 1,'
        b' "kind": "check_in", "schema_v": 1, "hlc": "1-0-a", "occurred_at": "2026-11-23T08:00:00", '
        b'"clock_offset_ms": 0, "body": {}}]}',
        b'{"station_id": "s", "epoch": 1, "events": [{"event_id": "0192f0c4-7c1e-7000-8000-000000000001", "seq": 1,'
        b' "kind": "check_in", "schema_v": 1, "hlc": "1-0-a", "occurred_at": "0001-01-01T00:00:00+14:00", '
        b'"clock_offset_ms": 0, "body": {}}]}',
    ],
)
def test_malformed_requests_are_4xx_with_a_message(deployment, client, content):
    gate = deployment.gate(deployment.site())
    r = client.post("/v1/sync/push", content=content, headers={**gate.auth, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    body = r.json()
    assert body["error"] and body["message"]


def test_corrected_time_and_uncertainty(deployment, db, server_clock):
    gate = deployment.gate(deployment.site())
    gate.offset_ms = 90_000  # the station's clock runs 1.5 minutes fast
    small = gate.event("check_in", "v1")
    gate.offset_ms = -6 * 3600 * 1000  # six hours slow: corrected, but flagged
    large = gate.event("check_in", "v2")
    gate.offset_ms = 0
    future = gate.event("check_in", "v3", at=server_clock() + timedelta(hours=2))
    gate.push([small, large, future])
    with db.read() as s:
        for ev, uncertain in ((small, False), (large, True), (future, True)):
            row = s.get(Event, ev["event_id"])
            assert row.time_uncertain is uncertain
        assert s.get(Event, small["event_id"]).corrected_at == server_clock()
        assert s.get(Event, large["event_id"]).corrected_at == server_clock()
        assert s.get(Visit, "v2").time_in == server_clock() and s.get(Visit, "v2").time_uncertain


def test_push_answers_carry_server_time_and_hlc(deployment, server_clock):
    gate = deployment.gate(deployment.site())
    ahead = gate.event("check_in", "v1", at=server_clock() + timedelta(minutes=3))
    out = gate.push([ahead])
    wall = int(out["server_hlc"].split("-")[0])
    assert wall >= int(ahead["hlc"].split("-")[0])  # never behind what it has seen
    assert out["server_time"].startswith("2026-11-23T01:00:00")


def test_new_event_ids_are_case_insensitive(deployment, db):
    gate = deployment.gate(deployment.site())
    ev = gate.event("check_in", "v1")
    upper = dict(ev, event_id=ev["event_id"].upper())
    gate.push([ev])
    gate.push([upper])
    assert _count(db, Event) == 1


def test_random_uuid_like_ids_work(deployment):
    gate = deployment.gate(deployment.site())
    assert gate.push([dict(gate.event("check_in", new_id()), event_id=new_id())])["rejected"] == []


def test_a_mixed_batch_is_sorted_out_event_by_event(deployment, db, client):
    """One push holding every case at once: new events, a check-in and check-out of one visit, an event sent
    twice, events already stored or already rejected, another station's id, another site's visit, a bad body,
    and kinds that are stored but not published. Each gets its own answer; the new ones are stored once."""
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    x = deployment.gate(deployment.site("RSUD Waluyo Jati"), "X")
    x.push([x.event("check_in", "foreign-visit")])
    stored_before = a.event("check_in", "v-old", subject="0" * 32)
    rejected_before = dict(a.event("check_in", "v-r"), kind="teleport")
    assert a.push([stored_before, rejected_before])["rejected"] == [
        {"event_id": rejected_before["event_id"], "code": "unknown_kind"}
    ]
    b_event = b.event("check_in", "v-b")
    b.push([b_event])

    v1_in = a.event("check_in", "v1", subject="1" * 32)
    v2_in = a.event("check_in", "v2", subject="2" * 32)
    taken = dict(a.event("check_out", "v-old"), event_id=b_event["event_id"])
    foreign = a.event("check_out", "foreign-visit")
    no_visit = a.event("check_in", "v3")
    no_visit["body"].pop("visit_id")
    v1_out = a.event("check_out", "v1", subject="1" * 32)
    denied = a.event("denied", "v-denied")
    notice = a.event("notice", "v-notice")
    batch = [v1_in, stored_before, rejected_before, v2_in, taken, foreign, v2_in, no_visit, v1_out, denied, notice]
    out = a.push(batch)
    assert out["acked_through"] == notice["seq"]
    assert sorted((r["event_id"], r["code"]) for r in out["rejected"]) == sorted(
        [
            (rejected_before["event_id"], "unknown_kind"),
            (taken["event_id"], "event_id_taken"),
            (foreign["event_id"], "foreign_visit"),
            (no_visit["event_id"], "missing_visit_id"),
        ]
    )
    new = [v1_in, v2_in, v1_out, denied, notice]
    with db.read() as s:
        assert {e.event_id for e in s.scalars(select(Event).where(Event.station_id == a.station_id))} == {
            stored_before["event_id"],
            *(e["event_id"] for e in new),
        }
        assert s.get(Event, b_event["event_id"]).station_id == b.station_id
        assert {(r.event_id, r.code) for r in s.scalars(select(RejectedEvent))} == {
            (rejected_before["event_id"], "unknown_kind"),
            (taken["event_id"], "event_id_taken"),
            (foreign["event_id"], "foreign_visit"),
            (no_visit["event_id"], "missing_visit_id"),
        }
        v1, v2 = s.get(Visit, "v1"), s.get(Visit, "v2")
        assert (v1.in_event_id, v1.out_event_id, v1.subject_key) == (v1_in["event_id"], v1_out["event_id"], "1" * 32)
        assert v1.time_out is not None and v1.time_out == v1.raw_time_out
        assert v2.time_out is None and s.get(Visit, "foreign-visit").time_out is None
        assert s.get(Visit, "v-denied") is None and s.get(Station, a.station_id).last_seq == notice["seq"]
    # The other gate hears about the new visit events, once each, and nothing else of this push.
    published = [c["data"]["event_id"] for c in b.pull_all() if c["stream"] == "visit_event"]
    assert sorted(published) == sorted(
        [stored_before["event_id"], v1_in["event_id"], v2_in["event_id"], v1_out["event_id"]]
    )
    # The whole batch again (the ack was lost): the same answer, nothing stored twice.
    again = a.push(batch)
    assert sorted((r["event_id"], r["code"]) for r in again["rejected"]) == sorted(
        (r["event_id"], r["code"]) for r in out["rejected"]
    )
    assert _count(db, Event) == 8 and _count(db, RejectedEvent) == 4
    assert [c for c in b.pull_all() if c["stream"] == "visit_event"] == []


def test_an_id_stored_by_another_station_meanwhile_runs_the_push_again(deployment, db, monkeypatch):
    """Ids are checked, then appended without ON CONFLICT: if another station stores one of them in between,
    the insert fails on the key and the push runs again, where the id is now another station's."""
    from guardstation.server import ingest

    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    ev = a.event("check_in", "v1")
    a.push([ev])
    real_lookup, calls = ingest._read_stored, []

    def lookup_that_misses_the_first_time(*args, **kw):
        found = real_lookup(*args, **kw)
        calls.append(1)
        if len(calls) == 1:
            found.owners.clear()  # as if the other station's commit came just after the check
        return found

    monkeypatch.setattr(ingest, "_read_stored", lookup_that_misses_the_first_time)
    fresh = b.event("check_in", "v2")
    stolen = dict(b.event("check_out", "v1"), event_id=ev["event_id"])
    out = b.push([fresh, stolen])
    assert len(calls) == 2
    assert out["rejected"] == [{"event_id": ev["event_id"], "code": "event_id_taken"}]
    with db.read() as s:
        assert s.get(Event, ev["event_id"]).station_id == a.station_id
        assert s.get(Event, fresh["event_id"]).station_id == b.station_id
        assert s.get(Visit, "v1").time_out is None


def test_text_that_cannot_be_stored_anywhere_in_the_body(deployment, db, client):
    """A lone surrogate cannot be stored at all: the request is refused (it used to fail deep down with a 500).
    A NUL is refused where it would be stored as text (a reject), and kept, escaped, inside the JSON body."""
    site = deployment.site()
    gate, other = deployment.gate(site, "Pintu Depan"), deployment.gate(site, "Pintu Belakang")
    ev = gate.event("check_in", "v1")
    doc = json.dumps({"station_id": gate.station_id, "epoch": 1, "events": [ev]})
    surrogate = doc.replace('"gate": "Pintu Depan"', '"gate": "Pintu Depan", "note": "\\ud800"')
    assert surrogate != doc
    r = client.post(
        "/v1/sync/push", content=surrogate.encode(), headers={**gate.auth, "Content-Type": "application/json"}
    )
    assert 400 <= r.status_code < 500 and r.json()["message"], r.text
    nul_gate = gate.event("check_in", "v2")
    nul_gate["body"]["gate"] = "Pintu\x00"
    nul_note = gate.event("check_in", "v3", note="a\x00b")
    out = gate.push([nul_gate, nul_note])
    assert out["rejected"] == [{"event_id": nul_gate["event_id"], "code": "bad_gate"}]
    with db.read() as s:
        assert json.loads(s.get(Event, nul_note["event_id"]).body_json)["note"] == "a\x00b"
    (change,) = [c for c in other.pull_all() if c["stream"] == "visit_event"]
    assert change["data"]["body"]["note"] == "a\x00b"


def test_a_push_must_be_json(deployment, client):
    gate = deployment.gate(deployment.site())
    doc = json.dumps({"station_id": gate.station_id, "epoch": 1, "events": []}).encode()
    r = client.post("/v1/sync/push", content=doc, headers={**gate.auth, "Content-Type": "text/plain"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_request"
    r = client.post("/v1/sync/push", content=b"{not json", headers={**gate.auth, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "invalid_json" and "JSON" in r.json()["message"]
    r = client.post(
        "/v1/sync/push", content=doc, headers={**gate.auth, "Content-Type": "application/json; charset=utf-8"}
    )
    assert r.status_code == 200


def test_a_visit_created_by_another_station_meanwhile_runs_the_push_again(deployment, db, monkeypatch):
    """A visit the lookup did not see is written as a new row; if another station created it in between, the
    new row fails on its key and the push runs again, where the visit is merged like any other."""
    from guardstation.server import ingest

    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    check_in = a.event("check_in", "v1", subject="1" * 32)
    a.push([check_in])
    real_lookup, calls = ingest._read_stored, []

    def lookup_that_misses_the_visit_the_first_time(*args, **kw):
        found = real_lookup(*args, **kw)
        calls.append(1)
        if len(calls) == 1:
            found.visits.clear()  # as if A's commit came just after the check
        return found

    monkeypatch.setattr(ingest, "_read_stored", lookup_that_misses_the_visit_the_first_time)
    check_out = b.event("check_out", "v1", subject="1" * 32)
    assert b.push([check_out, b.event("check_in", "v2")])["rejected"] == []
    assert len(calls) == 2
    with db.read() as s:
        v1 = s.get(Visit, "v1")
        assert (v1.in_event_id, v1.out_event_id, v1.gate_in, v1.gate_out) == (
            check_in["event_id"],
            check_out["event_id"],
            "A",
            "B",
        )
        assert s.get(Visit, "v2").time_out is None
        assert _count(db, Event) == 3
