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
5. what is already stored about the batch (its event ids, earlier rejects,
   other sites' visits, used seqs) is read in one query; events already
   stored are acknowledged again, not stored again (a batch sent twice is
   stored once), and the new ones are appended (COPY on PostgreSQL);
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
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import msgspec
from sqlalchemy import and_, bindparam, case, func, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from guardstation.domain.hlc import HybridClock, Timestamp
from guardstation.server import bulk, changelog
from guardstation.server.models import Event, RejectedEvent, Station, StationEpoch, Visit

SUPPORTED_SCHEMA = 1
VISIT_KINDS = ("check_in", "check_out", "void", "correction")
ACCEPTED_KINDS = VISIT_KINDS + ("denied", "notice")
PUBLISHED_KINDS = VISIT_KINDS  # denied scans and notices stay at their gate
UNCERTAIN_OFFSET_MS = 5 * 60 * 1000
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_PLAUSIBLE = datetime(2020, 1, 1, tzinfo=UTC)
MAX_BODY_BYTES = 16 * 1024
HLC_PATTERN = re.compile(r"^\d{1,16}-\d{1,9}-[A-Za-z0-9_.:]{0,40}$")
MAX_TEXT = {"visit_id": 64, "subject_key": 64, "gate": 100, "site_id": 36}


@dataclass(frozen=True)
class WireEvent:
    """One event of a push, as received (already type-checked by the API schema). The API passes its validated
    schemas.EventIn objects as they are; anything with these attributes will do."""

    event_id: str
    seq: int
    kind: str
    schema_v: int
    hlc: str
    occurred_at: datetime
    clock_offset_ms: int
    body: Any

    def raw(self) -> dict[str, Any]:
        return raw_event(self)


def raw_event(ev: Any) -> dict[str, Any]:
    """An event as received (a WireEvent or the API's EventIn: the same attributes), for rejected_event."""
    return {
        "event_id": ev.event_id,
        "seq": ev.seq,
        "kind": ev.kind,
        "schema_v": ev.schema_v,
        "hlc": ev.hlc,
        "occurred_at": ev.occurred_at.isoformat(),
        "clock_offset_ms": ev.clock_offset_ms,
        "body": ev.body,
    }


@dataclass
class PushOutcome:
    acked_through: int
    rejected: list[dict[str, str]] = field(default_factory=list)
    stored: int = 0
    duplicates: int = 0
    server_hlc: str = ""
    epoch_conflict: int | None = None  # set: answer 409 with this epoch
    unknown_station: bool = False


class Reject(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


_DIALECT_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _dialect_insert(session: Session):
    return _DIALECT_INSERT[session.get_bind().dialect.name]


def corrected_time(occurred_at: datetime, offset_ms: int, now: datetime) -> tuple[datetime, bool]:
    corrected = occurred_at - timedelta(milliseconds=offset_ms) if offset_ms else occurred_at
    # One subtraction across time zones, then cheap comparisons: comparing an aware time of the request's
    # parsed zone with `now` costs as much as the subtraction, every time (twice per event before).
    ahead = corrected - now
    uncertain = abs(offset_ms) > UNCERTAIN_OFFSET_MS or ahead > FUTURE_TOLERANCE or ahead < EARLIEST_PLAUSIBLE - now
    return corrected, uncertain


# changelog.dumps without its per-call set-up (one encoder, built once).
_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode
# msgspec writes the same text about seven times faster (measured: 0.25 vs 1.7 ms for a push of 500 bodies), for all
# that a body holds except floats in exponent form (1e16, not 1e+16; both JSON) and NaN (null, where the json module
# writes NaN, which is not JSON). It refuses lone surrogates, as the UTF-8 check below does.
_encode_fast = msgspec.json.Encoder(order="sorted").encode
_encode_list = msgspec.json.Encoder().encode  # the lookup's lists of ids and seqs (_json_list)


def encode_body(body: dict) -> tuple[str, int]:
    """An event body as stored (compact JSON, keys sorted) and its size in UTF-8 bytes; Reject if it holds
    text that is not valid Unicode (a lone surrogate)."""
    try:
        raw = _encode_fast(body)
    except Exception:  # noqa: BLE001 - whatever msgspec refuses, the json module decides
        text_ = _encode_json(body)
        try:
            return text_, len(text_.encode("utf-8"))
        except UnicodeEncodeError:
            raise Reject("bad_body", "body text must be valid Unicode (no lone surrogates)") from None
    return raw.decode("utf-8"), len(raw)


def _text(body: dict, key: str, *, required: bool = False) -> str | None:
    """body[key] as stored text. Called after the whole body was encoded to UTF-8 (check_event): a lone
    surrogate anywhere in it is refused there, so only NUL (which PostgreSQL text cannot hold) is left to see."""
    value = body.get(key)
    if value is None:
        if required:
            raise Reject("missing_" + key, f"body.{key} is required for this kind")
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT[key] or "\x00" in value:
        raise Reject("bad_" + key, f"body.{key} must be a non-empty string of at most {MAX_TEXT[key]} characters")
    return value


def check_event(ev: WireEvent, station: LockedStation | Station, now: datetime) -> dict[str, Any]:
    """The event row to store, or Reject(code). Besides the columns of `event` the row carries, for a
    correction, `_time_out` (the corrected time it sets, or None)."""
    kind = ev.kind
    if kind not in ACCEPTED_KINDS:
        raise Reject("unknown_kind", f"kind {kind!r} is not one of {', '.join(ACCEPTED_KINDS)}")
    if ev.schema_v > SUPPORTED_SCHEMA:
        raise Reject("unsupported_schema", f"schema_v {ev.schema_v} is newer than this server ({SUPPORTED_SCHEMA})")
    if not HLC_PATTERN.match(ev.hlc):
        raise Reject("bad_hlc", "hlc must look like WALLMS-COUNTER-NODE (digits, digits, letters/digits)")
    body = ev.body
    if not isinstance(body, dict):
        raise Reject("bad_body", "body must be a JSON object")
    body_json, size = encode_body(body)
    if size > MAX_BODY_BYTES:
        raise Reject("body_too_large", f"body is larger than {MAX_BODY_BYTES} bytes")
    site = _text(body, "site_id")
    if site is not None and site != station.site_id:
        raise Reject("other_site", "the event names another site than the station's")
    visit_id = _text(body, "visit_id", required=kind in VISIT_KINDS)
    subject_key = _text(body, "subject_key")
    gate = _text(body, "gate") or ""
    occurred_at, offset_ms = ev.occurred_at, ev.clock_offset_ms
    corrected, uncertain = corrected_time(occurred_at, offset_ms, now)
    row = {
        "event_id": ev.event_id,
        "station_id": station.station_id,
        "site_id": station.site_id,
        "epoch": station.epoch,
        "seq": ev.seq,
        "kind": kind,
        "schema_v": ev.schema_v,
        "hlc": ev.hlc,
        "occurred_at": occurred_at,
        "clock_offset_ms": offset_ms,
        "corrected_at": corrected,
        "time_uncertain": uncertain,
        "visit_id": visit_id,
        "subject_key": subject_key,
        "gate": gate,
        "body_json": body_json,
        "received_at": now,
    }
    if kind == "correction":
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


def _raw_json(ev: Any) -> str:
    """The rejected event as stored: readable JSON, or all-ASCII JSON if its text cannot be stored as it is."""
    raw = raw_event(ev)
    text_ = changelog.dumps(raw)
    try:
        text_.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(raw, ensure_ascii=True, separators=(",", ":"), sort_keys=True, default=str)
    return text_


# What events say about their visit, by statement: a visit's check-ins and check-outs of one push are folded
# into one row ("presence": the earliest check-in and the earliest check-out of the push, either may be absent),
# so a visit that comes and goes within a push is written once, not inserted and then updated. The other
# columns of a visit a statement creates are blank.
VISIT_FIELDS = {
    "presence": (
        "visit_id",
        "site_id",
        "subject_key",
        "time_in",
        "in_event_id",
        "gate_in",
        "station_in",
        "raw_time_out",
        "out_event_id",
        "gate_out",
        "station_out",
        "time_uncertain",
    ),
    "void": ("visit_id", "site_id", "voided"),
    "correction": ("visit_id", "site_id", "correction_hlc", "time_out"),
}
VISIT_BLANK = {
    "subject_key": None,
    "time_in": None,
    "in_event_id": None,
    "gate_in": "",
    "station_in": "",
    "time_out": None,
    "raw_time_out": None,
    "out_event_id": None,
    "gate_out": "",
    "station_out": "",
    "correction_hlc": None,
    "voided": False,
    "time_uncertain": False,
}
# A new visit's time_out is its raw (earliest) check-out time: no correction can have come before it.
VISIT_SAME_AS = {"presence": {"time_out": "raw_time_out"}}


def _earlier(row: dict, than: dict | None) -> bool:
    return than is None or (row["corrected_at"], row["event_id"]) < (than["corrected_at"], than["event_id"])


def apply_visits(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Upserts the visits touched by newly stored event rows (merge rules of domain.visit_merge)."""
    folder = VisitFolder()
    for row in rows:
        folder.add(row)
    folder.write(session)


class VisitFolder:
    """What new event rows say about their visits, folded: per visit the earliest check-in and earliest
    check-out (one row for both), then voids, then the latest correction. `write` merges each with what the
    visit already holds by its statement's ON CONFLICT rule; given the visits that exist (`prepare`), the visits
    that do not are plain new rows (the merge of nothing), appended without the upsert. Rows go in visit id
    order, so concurrent pushes lock shared visits in the same order."""

    def __init__(self) -> None:
        self.first_in: dict[str, dict] = {}
        self.first_out: dict[str, dict] = {}
        self.voids: dict[str, dict] = {}
        self.corrections: dict[str, dict] = {}

    def add(self, row: dict[str, Any]) -> None:
        kind = row["kind"]
        visit_id = row["visit_id"]
        if kind == "check_in":
            if _earlier(row, self.first_in.get(visit_id)):
                self.first_in[visit_id] = row
        elif kind == "check_out":
            if _earlier(row, self.first_out.get(visit_id)):
                self.first_out[visit_id] = row
        elif kind == "void":
            self.voids.setdefault(visit_id, row)
        elif kind == "correction":
            latest = self.corrections.get(visit_id)
            if latest is None or row["hlc"] > latest["hlc"]:
                self.corrections[visit_id] = row

    def write(self, session: Session) -> None:
        new_rows, statements = self.prepare(session.get_bind().dialect.name)
        bulk.append_rows(session, Visit.__table__, NEW_VISIT_COLUMNS, new_rows)
        conn = session.connection()
        for stmt, params in statements:
            conn.execute(stmt, params)

    def prepare(self, dialect: str, existing: set[str] | None = None) -> tuple[list[tuple], list[tuple[Any, Any]]]:
        """(new visit rows, upsert statements and their parameters): Python work only (the push does it while
        PostgreSQL is still inserting the events). `existing`: the visit ids already stored (None: unknown,
        every visit is upserted). A visit created by someone else meanwhile makes the new row fail on its key
        (IntegrityError: the push runs again)."""
        postgres = dialect == "postgresql"

        def at(row: dict) -> Any:  # PostgreSQL gets ISO text (a JSON document)
            return row["corrected_at"].isoformat() if postgres else row["corrected_at"]

        first_in, first_out = self.first_in, self.first_out
        new_rows: list[tuple] = []
        by_statement: dict[str, list[tuple]] = {"presence": [], "void": [], "correction": []}
        for visit_id in sorted(first_in.keys() | first_out.keys()):
            i, o = first_in.get(visit_id), first_out.get(visit_id)
            subject = i["subject_key"] if i is not None else None
            if subject is None and o is not None:
                subject = o["subject_key"]
            uncertain = bool((i is not None and i["time_uncertain"]) or (o is not None and o["time_uncertain"]))
            if existing is not None and visit_id not in existing:
                time_out = o["corrected_at"] if o is not None else None
                new_rows.append(
                    (
                        visit_id,
                        (i or o)["site_id"],
                        subject,
                        *(
                            (i["corrected_at"], i["event_id"], i["gate"], i["station_id"])
                            if i is not None
                            else (None, None, "", "")
                        ),
                        time_out,
                        time_out,
                        *((o["event_id"], o["gate"], o["station_id"]) if o is not None else (None, "", "")),
                        None,
                        False,
                        uncertain,
                    )
                )
                continue
            by_statement["presence"].append(
                (
                    visit_id,
                    (i or o)["site_id"],
                    subject,
                    *((at(i), i["event_id"], i["gate"], i["station_id"]) if i is not None else (None, None, "", "")),
                    *((at(o), o["event_id"], o["gate"], o["station_id"]) if o is not None else (None, None, "", "")),
                    uncertain,
                )
            )
        for visit_id in sorted(self.voids):
            by_statement["void"].append((visit_id, self.voids[visit_id]["site_id"], True))
        for visit_id in sorted(self.corrections):
            r = self.corrections[visit_id]
            by_statement["correction"].append((visit_id, r["site_id"], r["hlc"], r["_time_out"]))
        statements = []
        for name, params in by_statement.items():
            if params:
                stmt, is_json = _visit_upsert(dialect, name)
                if is_json:
                    statements.append((stmt, {"rows_json": bulk.json_rows(params)}))
                else:
                    fields, same = VISIT_FIELDS[name], VISIT_SAME_AS.get(name, {})
                    dicts = [{**VISIT_BLANK, **dict(zip(fields, p))} for p in params]
                    for d in dicts:
                        d.update({alias: d[source] for alias, source in same.items()})
                    statements.append((stmt, dicts))
        return new_rows, statements


# The columns of a new visit row (VisitFolder.prepare).
NEW_VISIT_COLUMNS = (
    "visit_id",
    "site_id",
    "subject_key",
    "time_in",
    "in_event_id",
    "gate_in",
    "station_in",
    "time_out",
    "raw_time_out",
    "out_event_id",
    "gate_out",
    "station_out",
    "correction_hlc",
    "voided",
    "time_uncertain",
)


@cache
def _visit_upsert(dialect: str, name: str):
    """(statement, takes a JSON document) for one visit statement of apply_visits, built once: the merge rules
    of domain.visit_merge as ON CONFLICT DO UPDATE."""
    table = Visit.__table__
    v = table.c
    if dialect == "postgresql":
        stmt, is_json = (
            bulk.insert_from_json_arrays(table, VISIT_FIELDS[name], VISIT_BLANK, VISIT_SAME_AS.get(name, {})),
            True,
        )
    else:
        stmt, is_json = _DIALECT_INSERT[dialect](table), False
    ex = stmt.excluded
    if name == "presence":
        # The earliest check-in wins (ties: the smaller event id); a row without one changes nothing of it.
        take_in = and_(
            ex.time_in.is_not(None),
            or_(
                v.time_in.is_(None),
                ex.time_in < v.time_in,
                and_(ex.time_in == v.time_in, ex.in_event_id < v.in_event_id),
            ),
        )
        # The same for the check-out; a correction's time_out outranks any check-out.
        take_out = and_(
            ex.raw_time_out.is_not(None),
            or_(
                v.raw_time_out.is_(None),
                ex.raw_time_out < v.raw_time_out,
                and_(ex.raw_time_out == v.raw_time_out, ex.out_event_id < v.out_event_id),
            ),
        )
        sets = {c: case((take_in, ex[c]), else_=v[c]) for c in ("time_in", "in_event_id", "gate_in", "station_in")}
        sets.update(
            {
                c: case((take_out, ex[c]), else_=v[c])
                for c in ("raw_time_out", "out_event_id", "gate_out", "station_out")
            }
        )
        sets["time_out"] = case(
            (v.correction_hlc.is_not(None), v.time_out), (take_out, ex.raw_time_out), else_=v.time_out
        )
        sets["subject_key"] = func.coalesce(v.subject_key, ex.subject_key)
        sets["time_uncertain"] = or_(v.time_uncertain, ex.time_uncertain)
    elif name == "void":
        sets = {"voided": ex.voided}
    else:
        take = or_(v.correction_hlc.is_(None), ex.correction_hlc > v.correction_hlc)
        sets = {
            "correction_hlc": case((take, ex.correction_hlc), else_=v.correction_hlc),
            "time_out": case((take, ex.time_out), else_=v.time_out),
        }
    # A visit id already used at another site is never touched (checked before, enforced here).
    return stmt.on_conflict_do_update(index_elements=[v.visit_id], set_=sets, where=(v.site_id == ex.site_id)), is_json


def server_hlc(now: datetime, seen: Iterable[str] = ()) -> str:
    """A stateless server HLC: the wall clock, pushed past any station HLC seen in this request."""
    clock = HybridClock("server")
    now_ms = int(now.timestamp() * 1000)
    seen = list(seen)
    try:
        # Usually every station HLC is behind the wall clock: found in one pass of C-level calls (a Python
        # loop over a push's 500 HLCs cost 0.6 ms). Anything odd goes to the careful loop below.
        if max(map(int, [text_[: text_.index("-")] for text_ in seen]), default=0) < now_ms:
            return clock.now(now_ms).encode()
    except ValueError:
        pass
    latest = Timestamp(now_ms, 0, "server")
    for text_ in seen:
        try:
            if int(text_[: text_.index("-")]) < now_ms:
                continue  # behind the wall clock: cannot move it (and decoding costs)
            latest = max(latest, Timestamp.decode(text_))
        except ValueError:
            continue
    if latest.wall_ms > now_ms or latest.counter:
        return clock.observe(latest, now_ms).encode()
    return clock.now(now_ms).encode()


@dataclass
class LockedStation:
    """The pushing station's row, locked for the transaction (what check_event needs, and the seq state)."""

    station_id: str
    site_id: str
    epoch: int
    last_seq: int


_station = Station.__table__
_LOCK_STATION = (
    select(_station.c.site_id, _station.c.epoch, _station.c.last_seq, _station.c.revoked_at)
    .where(_station.c.station_id == bindparam("sid"))
    .with_for_update()
)
_LOCK_STATION_BY_TOKEN = (
    select(_station.c.station_id, _station.c.site_id, _station.c.epoch, _station.c.last_seq, _station.c.revoked_at)
    .where(_station.c.token_hash == bindparam("token_hash"))
    .with_for_update()
)
_UPDATE_STATION = (
    update(_station)
    .where(_station.c.station_id == bindparam("sid"))
    .values(last_seq=bindparam("last_seq"), last_seen_at=bindparam("seen"))
)
_SET_EPOCH = (
    update(_station).where(_station.c.station_id == bindparam("sid")).values(epoch=bindparam("epoch"), last_seq=0)
)
EVENT_COLUMNS = (
    "event_id",
    "station_id",
    "site_id",
    "epoch",
    "seq",
    "kind",
    "schema_v",
    "hlc",
    "occurred_at",
    "clock_offset_ms",
    "corrected_at",
    "time_uncertain",
    "visit_id",
    "subject_key",
    "gate",
    "body_json",
    "received_at",
)
_event_tuple = operator.itemgetter(*EVENT_COLUMNS)

# Everything push needs to know about what is already stored, in one round trip: (0) events with these ids and
# who sent them, (1) this station's earlier rejects of these ids, (2) the visits with these ids and their site,
# (3) this station's events of this epoch that use these seqs. The lists go in as one JSON text each (psycopg turns a
# Python list into an array parameter element by element, in Python).
_LOOKUP = {
    "postgresql": text("""
SELECT 0 AS k, event_id AS id, station_id AS v, seq FROM event
 WHERE event_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(:ids AS json))))
UNION ALL
SELECT 1, event_id, code, NULL FROM rejected_event
 WHERE station_id = :sid AND event_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(:ids AS json))))
UNION ALL
SELECT 2, visit_id, site_id, NULL FROM visit
 WHERE visit_id = ANY(ARRAY(SELECT json_array_elements_text(CAST(:vids AS json))))
UNION ALL
SELECT 3, event_id, NULL, seq FROM event
 WHERE station_id = :sid AND epoch = :epoch
   AND seq = ANY(ARRAY(SELECT CAST(json_array_elements_text(CAST(:seqs AS json)) AS bigint)))"""),
    "sqlite": text("""
SELECT 0 AS k, event_id AS id, station_id AS v, seq FROM event WHERE event_id IN (SELECT value FROM json_each(:ids))
UNION ALL
SELECT 1, event_id, code, NULL FROM rejected_event
 WHERE station_id = :sid AND event_id IN (SELECT value FROM json_each(:ids))
UNION ALL
SELECT 2, visit_id, site_id, NULL FROM visit WHERE visit_id IN (SELECT value FROM json_each(:vids))
UNION ALL
SELECT 3, event_id, NULL, seq FROM event
 WHERE station_id = :sid AND epoch = :epoch AND seq IN (SELECT value FROM json_each(:seqs))"""),
}


def lock_station(session: Session, token_hash: str) -> LockedStation | None:
    """The station whose token has this hash, locked until the transaction ends (two pushes of one station never
    interleave); None if there is none or it is revoked. Authenticates and locks in one statement."""
    found = session.connection().execute(_LOCK_STATION_BY_TOKEN, {"token_hash": token_hash}).first()
    if found is None or found.revoked_at is not None:
        return None
    return LockedStation(found.station_id, found.site_id, found.epoch, found.last_seq)


@dataclass
class Stored:
    """What the database already holds about a batch (see _LOOKUP)."""

    owners: dict[str, str] = field(default_factory=dict)  # event id -> station that sent it
    rejects: dict[str, str] = field(default_factory=dict)  # event id -> this station's earlier reject code
    visits: set[str] = field(default_factory=set)  # visit ids that exist
    foreign_visits: set[str] = field(default_factory=set)  # ... and belong to another site
    used_seqs: set[int] = field(default_factory=set)  # seqs this station already used in this epoch


def _lookup_params(station: LockedStation, events: Sequence[WireEvent]) -> dict[str, Any]:
    """The parameters of _LOOKUP: the ids, seqs and visit ids as sent (before any check)."""
    visit_ids: set[str] = set()
    for ev in events:
        visit_id = ev.body.get("visit_id") if isinstance(ev.body, dict) else None
        if visit_id.__class__ is str:
            visit_ids.add(visit_id)
    return {
        "ids": _json_list(list(dict.fromkeys([ev.event_id for ev in events]))),
        "vids": _json_list(sorted(visit_ids)),
        "seqs": _json_list([ev.seq for ev in events]),
        "sid": station.station_id,
        "epoch": station.epoch,
    }


def _json_list(values: list) -> str:
    try:
        return _encode_list(values).decode()
    except UnicodeEncodeError:  # a lone surrogate in a visit id: escaped (its event is rejected)
        return json.dumps(values)


def _read_stored(rows: Iterable[Sequence[Any]], station: LockedStation) -> Stored:
    found = Stored()
    for k, key, value, seq in rows:
        if k == 0:
            found.owners[key] = value
        elif k == 1:
            found.rejects[key] = value
        elif k == 2:
            found.visits.add(key)
            if value != station.site_id:
                found.foreign_visits.add(key)
        else:
            found.used_seqs.add(seq)
    return found


def _new_epoch(session: Session, station: LockedStation, epoch: int, reason: str, now: datetime) -> None:
    conn = session.connection()
    conn.execute(_SET_EPOCH, {"sid": station.station_id, "epoch": epoch})
    conn.execute(
        StationEpoch.__table__.insert(), {"station_id": station.station_id, "epoch": epoch, "reason": reason, "at": now}
    )
    station.epoch, station.last_seq = epoch, 0


def push(
    session: Session,
    *,
    epoch: int,
    events: Sequence[WireEvent],
    now: datetime,
    station_id: str | None = None,
    station: LockedStation | None = None,
) -> PushOutcome:
    """Stores a push of `station` (already locked by lock_station) or of `station_id` (locked here)."""
    if station is None:
        locked = session.connection().execute(_LOCK_STATION, {"sid": station_id}).first()
        if locked is None or locked.revoked_at is not None:
            return PushOutcome(0, unknown_station=True)
        station = LockedStation(station_id, locked.site_id, locked.epoch, locked.last_seq)
    station_id = station.station_id
    if epoch < station.epoch:
        return PushOutcome(0, epoch_conflict=station.epoch)
    if epoch > station.epoch:
        _new_epoch(session, station, epoch, "station", now)

    outcome = PushOutcome(
        acked_through=max((e.seq for e in events), default=0), server_hlc=server_hlc(now, (e.hlc for e in events))
    )
    # What is stored already is asked with the ids, seqs and visit ids as sent, in one query; on PostgreSQL the
    # server looks them up while the events are checked here (the checks do not depend on it).
    dialect = session.get_bind().dialect.name
    with bulk.Pipeline(session) as send:
        looked_up = send(_LOOKUP[dialect], _lookup_params(station, events))
        checked = _check_all(events, station, now)
        stored = _read_stored(looked_up.rows(), station)

    # A used seq on an event that would be stored: this station's disk went back in time. (Rare: usually no
    # seq is used, or only by the same ids sent again.)
    if stored.used_seqs and any(
        row["seq"] in stored.used_seqs for verdict, _, row in _sort_out(checked, station, stored) if verdict is _FRESH
    ):
        _new_epoch(session, station, station.epoch + 1, "restore_detected", now)
        return PushOutcome(0, epoch_conflict=station.epoch)

    # New events go to the database as they are sorted out (COPY on PostgreSQL); they were checked under the
    # station's lock, so it is a plain append. (Another station racing to store the same id makes it raise
    # IntegrityError; the API runs the push again and it becomes an event_id_taken reject.)
    rejects: list[tuple[WireEvent, Reject]] = []
    later_rejects: dict[str, list[tuple[WireEvent, Reject]]] = {"event_id_taken": [], "foreign_visit": []}
    visits = VisitFolder()
    published: list[int] = []  # seqs of the fresh visit events
    top_seq = station.last_seq
    with bulk.Appender(session, Event.__table__, EVENT_COLUMNS) as append:
        for verdict, ev, found in _sort_out(checked, station, stored):
            if verdict is _FRESH:
                append(_event_tuple(found))
                visits.add(found)
                if found["kind"] in PUBLISHED_KINDS:
                    published.append(found["seq"])
                if found["seq"] > top_seq:
                    top_seq = found["seq"]
                outcome.stored += 1
            elif verdict is _DUPLICATE:
                outcome.duplicates += 1
            elif verdict is _REJECTED_BEFORE:
                outcome.rejected.append({"event_id": ev.event_id, "code": found})
            elif found.code in later_rejects:
                later_rejects[found.code].append((ev, found))
            else:
                rejects.append((ev, found))
        # Still inside the COPY: PostgreSQL inserts the last events while the visit rows are made.
        new_visits, visit_statements = visits.prepare(dialect, stored.visits)
    rejects += later_rejects["event_id_taken"] + later_rejects["foreign_visit"]

    if rejects:
        ins = _dialect_insert(session)
        stmt = ins(RejectedEvent.__table__).on_conflict_do_nothing(index_elements=["station_id", "event_id"])
        session.connection().execute(
            stmt,
            [
                {
                    "event_id": ev.event_id,
                    "station_id": station_id,
                    "code": r.code,
                    "detail": r.detail[:500],
                    "raw_json": _raw_json(ev),
                    "received_at": now,
                }
                for ev, r in rejects
            ],
        )
        outcome.rejected.extend({"event_id": ev.event_id, "code": r.code} for ev, r in rejects)

    # New visits first (a void or correction of the same push may name one), then the rest in one pipeline:
    # the server runs each statement while the next is sent.
    bulk.append_rows(session, Visit.__table__, NEW_VISIT_COLUMNS, new_visits)
    with bulk.Pipeline(session) as send:
        for stmt, params in visit_statements:
            send(stmt, params)
        send(_UPDATE_STATION, {"sid": station_id, "last_seq": top_seq, "seen": now})
        changelog.publish_visit_events(session, station_id, station.epoch, published, now, send=send)
    return outcome


_FRESH, _DUPLICATE, _REJECTED_BEFORE, _REJECT = "fresh", "duplicate", "rejected before", "reject"


def _check_all(events: Sequence[WireEvent], station: LockedStation, now: datetime) -> list[tuple[WireEvent, Any]]:
    """(event, row to store | Reject) for each event of a push, in order: check_event, and a seq used twice in
    the batch by different events. An event sent twice in the batch is kept once."""
    checked: list[tuple[WireEvent, Any]] = []
    seen_ids: set[str] = set()
    seen_seqs: set[int] = set()
    for ev in events:
        if ev.event_id in seen_ids:
            continue  # the same event twice in one batch: stored once
        seen_ids.add(ev.event_id)
        try:
            if ev.seq in seen_seqs:
                raise Reject("duplicate_seq", f"seq {ev.seq} appears twice in this batch with different events")
            seen_seqs.add(ev.seq)
            checked.append((ev, check_event(ev, station, now)))
        except Reject as reject:
            checked.append((ev, reject))
    return checked


def _sort_out(checked: Sequence[tuple[WireEvent, Any]], station: LockedStation, stored: Stored):
    """(verdict, event, row | code | Reject) for each checked event (_check_all), given what is stored. _FRESH:
    the row to store; _DUPLICATE: this station stored it before; _REJECTED_BEFORE: the code it was rejected with
    before; _REJECT: why it cannot be stored (the checks, another station's id, another site's visit)."""
    owners, earlier, foreign = stored.owners, stored.rejects, stored.foreign_visits
    for ev, row in checked:
        if row.__class__ is Reject:
            yield _REJECT, ev, row
            continue
        owner = owners.get(ev.event_id)
        if owner is None:
            if ev.event_id in earlier:
                yield _REJECTED_BEFORE, ev, earlier[ev.event_id]
            elif row["visit_id"] in foreign:
                yield _REJECT, ev, Reject("foreign_visit", "the visit belongs to another site")
            else:
                yield _FRESH, ev, row
        elif owner == station.station_id:
            yield _DUPLICATE, ev, None
        else:
            yield _REJECT, ev, Reject("event_id_taken", "another station already sent an event with this id")


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
        .where(Visit.site_id == site_id, Visit.time_in.is_not(None), Visit.time_out.is_(None), Visit.voided.is_(False))
        .group_by(Visit.station_in, Visit.gate_in)
        .order_by(Visit.station_in, Visit.gate_in)
    ).all()
    gates = [GateCount(station, gate, count) for station, gate, count in rows]
    return sum(g.inside for g in gates), gates


def rebuild_visits(session: Session) -> int:
    """Throws the derived visits away and derives them again from the stored events (a repair tool)."""
    session.execute(Visit.__table__.delete())
    count = 0
    last = ""
    while True:
        batch = (
            session.execute(
                select(Event)
                .where(Event.kind.in_(VISIT_KINDS), Event.event_id > last)
                .order_by(Event.event_id)
                .limit(5000)
            )
            .scalars()
            .all()
        )
        if not batch:
            return count
        rows = []
        for e in batch:
            row = {
                "event_id": e.event_id,
                "station_id": e.station_id,
                "site_id": e.site_id,
                "kind": e.kind,
                "hlc": e.hlc,
                "corrected_at": e.corrected_at,
                "time_uncertain": e.time_uncertain,
                "visit_id": e.visit_id,
                "subject_key": e.subject_key,
                "gate": e.gate,
            }
            if e.kind == "correction":
                body = json.loads(e.body_json)
                value = body.get("time_out")
                row["_time_out"] = (
                    None
                    if value is None
                    else corrected_time(datetime.fromisoformat(value), e.clock_offset_ms, e.received_at)[0]
                )
            rows.append(row)
        apply_visits(session, rows)
        count += len(batch)
        last = batch[-1].event_id
