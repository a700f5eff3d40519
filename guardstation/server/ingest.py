"""Push: storing a station's visit events once, deriving visits, publishing them to the other gates.

One push is one transaction:
1. the station row is locked (two pushes of one station never interleave);
2. an older epoch is refused (409), a newer one is adopted and recorded;
3. each event is checked; what cannot be accepted is recorded in
   `rejected_event` with a code and still acknowledged, so it never blocks
   the station's queue (nothing is dropped: the raw event is kept);
4. a seq of this station and epoch already used by a *different* event means
   the station's disk was restored from a backup: the station's epoch is
   bumped (committed) and the push answered 409 epoch_conflict;
5. events are inserted with ON CONFLICT (event_id) DO NOTHING: a batch sent
   twice is stored once;
6. visits are upserted from the newly stored events with the merge rules of
   domain.visit_merge, written as single SQL upserts (atomic per row on
   PostgreSQL, so concurrent processes cannot lose an update);
7. the change log gets one row per visit event, appended last (changelog.py).

Times: events carry the station's clock and its estimated offset from the
server's (`clock_offset_ms` = station clock - server clock). The server keeps
both and stores the corrected time; a large offset, or a corrected time in
the future or before 2020, sets `time_uncertain`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..domain.hlc import HybridClock, Timestamp
from . import bulk, changelog
from .models import Event, RejectedEvent, Station, StationEpoch, Visit

SUPPORTED_SCHEMA = 1
VISIT_KINDS = ("check_in", "check_out", "void", "correction")
ACCEPTED_KINDS = VISIT_KINDS + ("denied", "notice")
PUBLISHED_KINDS = VISIT_KINDS                      # denied scans and notices stay at their gate
UNCERTAIN_OFFSET_MS = 5 * 60 * 1000
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_PLAUSIBLE = datetime(2020, 1, 1, tzinfo=timezone.utc)
MAX_BODY_BYTES = 16 * 1024
HLC_PATTERN = re.compile(r"^\d{1,16}-\d{1,9}-[A-Za-z0-9_.:]{0,40}$")
MAX_TEXT = {"visit_id": 64, "subject_key": 64, "gate": 100, "site_id": 36}


@dataclass(frozen=True)
class WireEvent:
    """One event of a push, as received (already type-checked by the API schema)."""
    event_id: str
    seq: int
    kind: str
    schema_v: int
    hlc: str
    occurred_at: datetime
    clock_offset_ms: int
    body: Any

    def raw(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "seq": self.seq, "kind": self.kind, "schema_v": self.schema_v,
                "hlc": self.hlc, "occurred_at": self.occurred_at.isoformat(), "clock_offset_ms": self.clock_offset_ms,
                "body": self.body}


@dataclass
class PushOutcome:
    acked_through: int
    rejected: list[dict[str, str]] = field(default_factory=list)
    stored: int = 0
    duplicates: int = 0
    server_hlc: str = ""
    epoch_conflict: int | None = None      # set: answer 409 with this epoch
    unknown_station: bool = False


class Reject(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def _dialect_insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def corrected_time(occurred_at: datetime, offset_ms: int, now: datetime) -> tuple[datetime, bool]:
    corrected = occurred_at - timedelta(milliseconds=offset_ms)
    uncertain = (abs(offset_ms) > UNCERTAIN_OFFSET_MS or corrected > now + FUTURE_TOLERANCE
                 or corrected < EARLIEST_PLAUSIBLE)
    return corrected, uncertain


def _text(body: dict, key: str, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise Reject("missing_" + key, f"body.{key} is required for this kind")
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT[key] or not _storable(value):
        raise Reject("bad_" + key, f"body.{key} must be a non-empty string of at most {MAX_TEXT[key]} characters")
    return value


def _storable(text: str) -> bool:
    """PostgreSQL text holds no NUL; lone surrogates cannot be encoded at all."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_event(ev: WireEvent, station: Station, now: datetime) -> dict[str, Any]:
    """The event row to store, or Reject(code)."""
    if ev.kind not in ACCEPTED_KINDS:
        raise Reject("unknown_kind", f"kind {ev.kind!r} is not one of {', '.join(ACCEPTED_KINDS)}")
    if ev.schema_v > SUPPORTED_SCHEMA:
        raise Reject("unsupported_schema", f"schema_v {ev.schema_v} is newer than this server ({SUPPORTED_SCHEMA})")
    if not HLC_PATTERN.match(ev.hlc):
        raise Reject("bad_hlc", "hlc must look like WALLMS-COUNTER-NODE (digits, digits, letters/digits)")
    body = ev.body
    if not isinstance(body, dict):
        raise Reject("bad_body", "body must be a JSON object")
    body_json = changelog.dumps(body)
    if len(body_json.encode("utf-8")) > MAX_BODY_BYTES:
        raise Reject("body_too_large", f"body is larger than {MAX_BODY_BYTES} bytes")
    site = _text(body, "site_id")
    if site is not None and site != station.site_id:
        raise Reject("other_site", "the event names another site than the station's")
    visit_id = _text(body, "visit_id", required=ev.kind in VISIT_KINDS)
    subject_key = _text(body, "subject_key")
    gate = _text(body, "gate") or ""
    corrected, uncertain = corrected_time(ev.occurred_at, ev.clock_offset_ms, now)
    row = {"event_id": ev.event_id, "station_id": station.station_id, "site_id": station.site_id,
           "epoch": station.epoch, "seq": ev.seq, "kind": ev.kind, "schema_v": ev.schema_v, "hlc": ev.hlc,
           "occurred_at": ev.occurred_at, "clock_offset_ms": ev.clock_offset_ms, "corrected_at": corrected,
           "time_uncertain": uncertain, "visit_id": visit_id, "subject_key": subject_key, "gate": gate,
           "body_json": body_json, "received_at": now}
    if ev.kind == "correction":
        if "time_out" not in body:
            raise Reject("bad_correction", "a correction carries time_out (an ISO time with offset, or null)")
        value = body["time_out"]
        if value is None:
            row["_time_out"] = None
        else:
            try:
                parsed = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
            except ValueError:
                parsed = None
            if parsed is None or parsed.tzinfo is None:
                raise Reject("bad_correction", "time_out must be an ISO time with a UTC offset, or null")
            row["_time_out"] = corrected_time(parsed, ev.clock_offset_ms, now)[0]
    return row


def _earliest(rows: list[dict], time_key: str) -> dict:
    if len(rows) == 1:
        return rows[0]
    return min(rows, key=lambda r: (r[time_key], r["event_id"]))


def apply_visits(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upserts the visits touched by newly stored event rows (merge rules of domain.visit_merge)."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        if row["kind"] in VISIT_KINDS:
            groups.setdefault((row["kind"], row["visit_id"]), []).append(row)
    if not groups:
        return
    blank = {"subject_key": None, "time_in": None, "in_event_id": None, "gate_in": "", "station_in": "",
             "time_out": None, "raw_time_out": None, "out_event_id": None, "gate_out": "", "station_out": "",
             "correction_hlc": None, "voided": False, "time_uncertain": False}
    by_kind: dict[str, list[dict]] = {k: [] for k in VISIT_KINDS}
    for (kind, visit_id), items in groups.items():
        if kind == "check_in":
            r = _earliest(items, "corrected_at")
            by_kind[kind].append({**blank, "visit_id": visit_id, "site_id": r["site_id"], "subject_key": r["subject_key"],
                                  "time_in": r["corrected_at"], "in_event_id": r["event_id"], "gate_in": r["gate"],
                                  "station_in": r["station_id"], "time_uncertain": r["time_uncertain"]})
        elif kind == "check_out":
            r = _earliest(items, "corrected_at")
            by_kind[kind].append({**blank, "visit_id": visit_id, "site_id": r["site_id"], "subject_key": r["subject_key"],
                                  "time_out": r["corrected_at"], "raw_time_out": r["corrected_at"],
                                  "out_event_id": r["event_id"], "gate_out": r["gate"], "station_out": r["station_id"],
                                  "time_uncertain": r["time_uncertain"]})
        elif kind == "void":
            by_kind[kind].append({**blank, "visit_id": visit_id, "site_id": items[0]["site_id"], "voided": True})
        else:
            r = max(items, key=lambda r: r["hlc"])
            by_kind[kind].append({**blank, "visit_id": visit_id, "site_id": r["site_id"], "correction_hlc": r["hlc"],
                                  "time_out": r["_time_out"]})
    table = Visit.__table__
    v = table.c
    for kind, params in by_kind.items():
        if not params:
            continue
        stmt, rows_param = bulk.insert_rows(session, table, params)
        ex = stmt.excluded
        if kind == "check_in":
            take = or_(v.time_in.is_(None), ex.time_in < v.time_in,
                       and_(ex.time_in == v.time_in, ex.in_event_id < v.in_event_id))
            sets = {c: case((take, ex[c]), else_=v[c]) for c in ("time_in", "in_event_id", "gate_in", "station_in")}
            sets["subject_key"] = func.coalesce(v.subject_key, ex.subject_key)
            sets["time_uncertain"] = or_(v.time_uncertain, ex.time_uncertain)
        elif kind == "check_out":
            take = or_(v.raw_time_out.is_(None), ex.raw_time_out < v.raw_time_out,
                       and_(ex.raw_time_out == v.raw_time_out, ex.out_event_id < v.out_event_id))
            sets = {c: case((take, ex[c]), else_=v[c])
                    for c in ("raw_time_out", "out_event_id", "gate_out", "station_out")}
            sets["time_out"] = case((v.correction_hlc.is_not(None), v.time_out),
                                    (take, ex.raw_time_out), else_=v.raw_time_out)
            sets["subject_key"] = func.coalesce(v.subject_key, ex.subject_key)
            sets["time_uncertain"] = or_(v.time_uncertain, ex.time_uncertain)
        elif kind == "void":
            sets = {"voided": ex.voided}
        else:
            take = or_(v.correction_hlc.is_(None), ex.correction_hlc > v.correction_hlc)
            sets = {"correction_hlc": case((take, ex.correction_hlc), else_=v.correction_hlc),
                    "time_out": case((take, ex.time_out), else_=v.time_out)}
        # A visit id already used at another site is never touched (checked before, enforced here).
        stmt = stmt.on_conflict_do_update(index_elements=[v.visit_id], set_=sets, where=(v.site_id == ex.site_id))
        bulk.run(session, stmt, rows_param)


def _published(row: dict[str, Any], wire: WireEvent) -> changelog.Change:
    """The wire event plus where and when it was stored, as JSON built by formatting: every field here was
    checked to be JSON-safe (uuid, digits, the HLC pattern, a known kind, ISO times), and the body is
    spliced in as already encoded. (json.dumps per event was a tenth of the ingest time.)"""
    data_json = (f'{{"event_id":"{wire.event_id}","seq":{wire.seq},"kind":"{wire.kind}",'
                 f'"schema_v":{wire.schema_v},"hlc":"{wire.hlc}","occurred_at":"{wire.occurred_at.isoformat()}",'
                 f'"clock_offset_ms":{wire.clock_offset_ms},"station_id":"{row["station_id"]}",'
                 f'"corrected_at":"{row["corrected_at"].isoformat()}",'
                 f'"time_uncertain":{"true" if row["time_uncertain"] else "false"},"body":{row["body_json"]}}}')
    return changelog.Change("visit_event", "append", None, site_id=row["site_id"],
                            origin_station_id=row["station_id"], visit_id=row["visit_id"],
                            event_time=row["corrected_at"], data_json=data_json)


def server_hlc(now: datetime, seen: Iterable[str] = ()) -> str:
    """A stateless server HLC: the wall clock, pushed past any station HLC seen in this request."""
    clock = HybridClock("server")
    now_ms = int(now.timestamp() * 1000)
    latest = Timestamp(now_ms, 0, "server")
    for text in seen:
        try:
            latest = max(latest, Timestamp.decode(text))
        except ValueError:
            continue
    if latest.wall_ms > now_ms or latest.counter:
        return clock.observe(latest, now_ms).encode()
    return clock.now(now_ms).encode()


def push(session: Session, *, station_id: str, epoch: int, events: Sequence[WireEvent], now: datetime) -> PushOutcome:
    station = session.get(Station, station_id, with_for_update=True)
    if station is None or station.revoked_at is not None:
        return PushOutcome(0, unknown_station=True)
    if epoch < station.epoch:
        return PushOutcome(0, epoch_conflict=station.epoch)
    if epoch > station.epoch:
        station.epoch, station.last_seq = epoch, 0
        session.add(StationEpoch(station_id=station_id, epoch=epoch, reason="station", at=now))
        session.flush()

    outcome = PushOutcome(acked_through=max((e.seq for e in events), default=0),
                          server_hlc=server_hlc(now, (e.hlc for e in events)))
    rejects: list[tuple[WireEvent, Reject]] = []
    candidates: list[tuple[WireEvent, dict]] = []
    seen_ids: set[str] = set()
    seen_seqs: set[int] = set()
    for ev in events:
        if ev.event_id in seen_ids:
            continue                         # the same event twice in one batch: stored once
        seen_ids.add(ev.event_id)
        try:
            if ev.seq in seen_seqs:
                raise Reject("duplicate_seq", f"seq {ev.seq} appears twice in this batch with different events")
            seen_seqs.add(ev.seq)
            candidates.append((ev, check_event(ev, station, now)))
        except Reject as reject:
            rejects.append((ev, reject))

    ids = [ev.event_id for ev in events]
    existing = dict(session.execute(select(Event.event_id, Event.station_id)
                                    .where(bulk.one_of(session, Event.event_id, ids))).all()) if ids else {}
    earlier_rejects = dict(session.execute(
        select(RejectedEvent.event_id, RejectedEvent.code)
        .where(RejectedEvent.station_id == station_id, bulk.one_of(session, RejectedEvent.event_id, ids))).all()) \
        if ids else {}
    fresh: list[tuple[WireEvent, dict]] = []
    for ev, row in candidates:
        owner = existing.get(ev.event_id)
        if owner is None and ev.event_id in earlier_rejects:
            outcome.rejected.append({"event_id": ev.event_id, "code": earlier_rejects[ev.event_id]})
        elif owner is None:
            fresh.append((ev, row))
        elif owner == station_id:
            outcome.duplicates += 1
        else:
            rejects.append((ev, Reject("event_id_taken", "another station already sent an event with this id")))

    # Visits that belong to another site are not this station's to touch.
    visit_ids = sorted({row["visit_id"] for _, row in fresh if row["visit_id"]})
    if visit_ids:
        foreign = set(session.scalars(select(Visit.visit_id).where(bulk.one_of(session, Visit.visit_id, visit_ids),
                                                                   Visit.site_id != station.site_id)))
        if foreign:
            for ev, row in [x for x in fresh if x[1]["visit_id"] in foreign]:
                rejects.append((ev, Reject("foreign_visit", "the visit belongs to another site")))
            fresh = [x for x in fresh if x[1]["visit_id"] not in foreign]

    # A used seq with a different event id: this station's disk went back in time.
    seqs = [row["seq"] for _, row in fresh]
    if seqs:
        clash = session.scalar(select(func.count()).select_from(Event).where(
            Event.station_id == station_id, Event.epoch == station.epoch,
            bulk.one_of(session, Event.seq, seqs)))
        if clash:
            new_epoch = station.epoch + 1
            station.epoch, station.last_seq = new_epoch, 0
            session.add(StationEpoch(station_id=station_id, epoch=new_epoch, reason="restore_detected", at=now))
            return PushOutcome(0, epoch_conflict=new_epoch)

    rows = [row for _, row in fresh]
    inserted: set[str] = set()
    if rows:
        plain = [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
        stmt, params = bulk.insert_rows(session, Event.__table__, plain)
        stmt = stmt.on_conflict_do_nothing(index_elements=["event_id"]).returning(Event.__table__.c.event_id)
        inserted = set(bulk.run(session, stmt, params).scalars())
    stored = [(ev, row) for ev, row in fresh if row["event_id"] in inserted]
    outcome.stored = len(stored)
    outcome.duplicates += len(fresh) - len(stored)

    if rejects:
        ins = _dialect_insert(session)
        stmt = ins(RejectedEvent.__table__).on_conflict_do_nothing(index_elements=["station_id", "event_id"])
        session.connection().execute(stmt, [
            {"event_id": ev.event_id, "station_id": station_id, "code": r.code, "detail": r.detail[:500],
             "raw_json": changelog.dumps(ev.raw()), "received_at": now} for ev, r in rejects])
        outcome.rejected.extend({"event_id": ev.event_id, "code": r.code} for ev, r in rejects)

    apply_visits(session, [row for _, row in stored])
    station.last_seq = max(station.last_seq, max(seqs, default=0))
    station.last_seen_at = now
    changelog.append(session, [_published(row, ev) for ev, row in stored if row["kind"] in PUBLISHED_KINDS], now)
    return outcome


# ---- derived state -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GateCount:
    station_id: str
    gate: str
    inside: int


def occupancy(session: Session, site_id: str) -> tuple[int, list[GateCount]]:
    """Open visits of the site (checked in, not out, not voided), in total and by the gate they came in at."""
    rows = session.execute(
        select(Visit.station_in, Visit.gate_in, func.count())
        .where(Visit.site_id == site_id, Visit.time_in.is_not(None), Visit.time_out.is_(None),
               Visit.voided.is_(False))
        .group_by(Visit.station_in, Visit.gate_in).order_by(Visit.station_in, Visit.gate_in)).all()
    gates = [GateCount(station, gate, count) for station, gate, count in rows]
    return sum(g.inside for g in gates), gates


def rebuild_visits(session: Session) -> int:
    """Throws the derived visits away and derives them again from the stored events (a repair tool)."""
    session.execute(Visit.__table__.delete())
    count = 0
    last = ""
    while True:
        batch = session.execute(
            select(Event).where(Event.kind.in_(VISIT_KINDS), Event.event_id > last)
            .order_by(Event.event_id).limit(5000)).scalars().all()
        if not batch:
            return count
        rows = []
        for e in batch:
            row = {"event_id": e.event_id, "station_id": e.station_id, "site_id": e.site_id, "kind": e.kind,
                   "hlc": e.hlc, "corrected_at": e.corrected_at, "time_uncertain": e.time_uncertain,
                   "visit_id": e.visit_id, "subject_key": e.subject_key, "gate": e.gate}
            if e.kind == "correction":
                body = json.loads(e.body_json)
                value = body.get("time_out")
                row["_time_out"] = None if value is None else corrected_time(
                    datetime.fromisoformat(value), e.clock_offset_ms, e.received_at)[0]
            rows.append(row)
        apply_visits(session, rows)
        count += len(batch)
        last = batch[-1].event_id
