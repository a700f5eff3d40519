"""The change log: one global, gap-free order of everything stations pull.

Why a station can never skip a row
----------------------------------
A station pulls `seq > cursor` and then stores the highest seq it saw as its
new cursor. That is only safe if no row with a *lower* seq can become visible
*later*. With a plain sequence (or autoincrement) and several API processes on
PostgreSQL it can: transaction A takes seq 41, transaction B takes seq 42 and
commits first, a station reads 42 and moves its cursor past 41, then A commits
and row 41 is never delivered.

We assign change seqs from a one-row counter table, `change_counter`, with
`UPDATE change_counter SET last_seq = last_seq + n RETURNING last_seq`. The
UPDATE takes the row lock and keeps it until the transaction ends, so:

- only one transaction at a time holds unpublished seqs, and they are all
  higher than every committed seq;
- the next writer's UPDATE waits for that commit (or rollback) and then, in
  READ COMMITTED, re-reads the committed row, so seqs are handed out in commit
  order, with no holes (a rolled-back block is handed out again);
- PostgreSQL makes a commit visible before it releases the transaction's
  locks, so a reader that sees seq 42 also sees everything below it.

In other words the committed seqs are always a prefix 1..N: "the lowest seq
still in flight" is simply N+1, and a reader never has to compute it. On
SQLite writers are serialised by the database lock anyway, and the same code
gives the same guarantee. Nothing lives in process memory, so any number of
API processes behind a load balancer can share one PostgreSQL.

The cost is that appends are serialised. Writers therefore take the counter
*last*, right before commit (everything else in the transaction is done by
then) and append all of a transaction's changes in one block, so the lock is
held for a few hundred microseconds per transaction, not per event.

Alternatives considered: a PostgreSQL sequence plus `pg_snapshot_xmin()` /
per-row transaction ids (lock-free appends, but the cursor becomes a pair,
the reader logic is subtle and there is no SQLite equivalent), or a delay
("only show rows older than 5 s"), which fails under a long transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, literal_column, or_, select, text, update
from sqlalchemy.orm import Session

from guardstation.server import bulk
from guardstation.server.models import ChangeCounter, ChangeLog, Event, Visit

STREAMS = ("visit_event", "site_config", "rule_pack", "status_entry", "trust_key", "alert")
SITE_STREAMS = ("visit_event", "site_config", "alert")  # the rest are deployment-wide
# Other gates' visit events are delivered while the visit is open, or while the event is this recent.
VISIT_EVENT_HORIZON = timedelta(hours=36)
# One pull examines at most this many seqs: in a big deployment most rows are other sites' business, and a
# station far behind walks past them a window at a time instead of in one long query.
SCAN_WINDOW = 20000


@dataclass(frozen=True)
class Change:
    stream: str
    op: str
    data: dict[str, Any] | None  # None: `data_json` holds it, already encoded
    site_id: str | None = None
    origin_station_id: str | None = None
    visit_id: str | None = None
    event_time: datetime | None = None
    data_json: str | None = None

    def __post_init__(self) -> None:
        if self.stream not in STREAMS:
            raise ValueError(f"unknown stream {self.stream!r}")
        if self.stream in SITE_STREAMS and self.site_id is None:
            raise ValueError(f"{self.stream} changes belong to one site")


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)


_counter = ChangeCounter.__table__
# Core, not an ORM UPDATE: no session objects to synchronise, the same compiled statement every time.
_RESERVE = (
    update(_counter)
    .where(_counter.c.id == 1)
    .values(last_seq=_counter.c.last_seq + bindparam("count"))
    .returning(_counter.c.last_seq)
)


def reserve(session: Session, count: int) -> int:
    """Locks the counter until commit and returns the first of `count` new seqs."""
    last = session.connection().execute(_RESERVE, {"count": count}).scalar_one()
    return last - count + 1


COLUMNS = ("seq", "stream", "op", "site_id", "origin_station_id", "visit_id", "event_time", "data_json", "created_at")


def append(session: Session, changes: Sequence[Change], now: datetime) -> list[int]:
    """Call as the last thing before commit: the counter stays locked until then."""
    if not changes:
        return []
    first = reserve(session, len(changes))
    rows = [
        (
            first + i,
            c.stream,
            c.op,
            c.site_id,
            c.origin_station_id,
            c.visit_id,
            c.event_time,
            c.data_json if c.data_json is not None else dumps(c.data),
            now,
        )
        for i, c in enumerate(changes)
    ]
    bulk.append_rows(session, ChangeLog.__table__, COLUMNS, rows)
    return [r[0] for r in rows]


# A stored visit event as stations pull it: the wire event plus where and when it was stored, as JSON made by the
# database from the event row when it is pulled (the change log row only points at it: the event is stored once).
# Safe as plain text concatenation: every field was checked at ingest to be JSON-safe (uuid, digits, the HLC
# pattern, a known kind) and body_json is already JSON. Times are UTC ISO text with microseconds on both databases.
_EVENT_DATA = """'{{"event_id":"' || e.event_id || '","seq":' || e.seq || ',"kind":"' || e.kind
 || '","schema_v":' || e.schema_v || ',"hlc":"' || e.hlc || '","occurred_at":"' || {occurred}
 || '","clock_offset_ms":' || e.clock_offset_ms || ',"station_id":"' || e.station_id
 || '","corrected_at":"' || {corrected} || '","time_uncertain":'
 || CASE WHEN e.time_uncertain THEN 'true' ELSE 'false' END || ',"body":' || e.body_json || '}}'"""
_TIME = {
    "postgresql": """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')""",
    "sqlite": "replace({}, ' ', 'T') || '+00:00'",
}  # UtcDateTime's text: 'YYYY-MM-DD HH:MM:SS.ffffff' UTC


def event_data_sql(dialect: str) -> str:
    """The SQL expression of a visit event's change data, over the event table aliased `e`."""
    time = _TIME[dialect]
    return _EVENT_DATA.format(occurred=time.format("e.occurred_at"), corrected=time.format("e.corrected_at"))


_PUBLISH_COLUMNS = "seq, stream, op, site_id, origin_station_id, visit_id, event_time, event_id, created_at"
_PUBLISH_SELECT = """SELECT {first} + row_number() OVER (ORDER BY e.seq), 'visit_event', 'append', e.site_id,
       e.station_id, e.visit_id, e.corrected_at, e.event_id, :now"""
_PUBLISH = {
    # The counter is reserved in the same statement (it stays locked until commit, see the module docstring).
    "postgresql": text(f"""
WITH r AS (UPDATE change_counter SET last_seq = last_seq + :n WHERE id = 1 RETURNING last_seq)
INSERT INTO change_log ({_PUBLISH_COLUMNS})
{_PUBLISH_SELECT.format(first="r.last_seq - :n")}
  FROM r, event e
 WHERE e.station_id = :sid AND e.epoch = :epoch
   AND e.seq = ANY(ARRAY(SELECT CAST(json_array_elements_text(CAST(:seqs AS json)) AS bigint)))"""),
    "sqlite": text(f"""
INSERT INTO change_log ({_PUBLISH_COLUMNS})
{_PUBLISH_SELECT.format(first=":first - 1")}
  FROM event e
 WHERE e.station_id = :sid AND e.epoch = :epoch AND e.seq IN (SELECT value FROM json_each(:seqs))"""),
}


def publish_visit_events(
    session: Session, station_id: str, epoch: int, seqs: Sequence[int], now: datetime, *, send: Any
) -> None:
    """Appends the stored events (station, epoch, seqs) to the visit_event stream, in seq order: rows that point
    at the events just written, made in the database. Sent last before commit on the push's bulk.Pipeline
    (`send`), like `append`: the counter stays locked until then."""
    if not seqs:
        return
    dialect = session.get_bind().dialect.name
    params = {"n": len(seqs), "now": now, "sid": station_id, "epoch": epoch, "seqs": json.dumps(list(seqs))}
    if dialect != "postgresql":
        params["first"] = reserve(session, len(seqs))
    # A hole in the reserved seqs would be handed to no one: the block raises before commit unless every row came.
    send(_PUBLISH[dialect], params, expect_rows=len(seqs))


def last_seq(session: Session) -> int:
    return session.scalar(select(ChangeCounter.last_seq).where(ChangeCounter.id == 1)) or 0


@dataclass(frozen=True)
class Page:
    changes: list[dict[str, Any]]
    next_cursor: int
    has_more: bool


def _open_visit(visit_id_col):
    return exists().where(
        and_(
            Visit.visit_id == visit_id_col,
            Visit.time_in.is_not(None),
            Visit.time_out.is_(None),
            Visit.voided.is_(False),
        )
    )


_EVENT = Event.__table__.alias("e")


def pull(session: Session, *, site_id: str, station_id: str, cursor: int, limit: int, now: datetime) -> Page:
    """The changes a station of `site_id` may see after `cursor`, in seq order.

    Rows the station must not see (other sites' data, its own events, old
    closed visits) are skipped, and the cursor still moves past them.
    """
    # Everything <= high is committed (see the module docstring): a page never reaches beyond it.
    committed = last_seq(session)
    high = min(committed, cursor + SCAN_WINDOW)
    horizon = now - VISIT_EVENT_HORIZON
    visible = and_(
        ChangeLog.seq > cursor,
        ChangeLog.seq <= high,
        or_(ChangeLog.site_id.is_(None), ChangeLog.site_id == site_id),
        or_(
            ChangeLog.stream != "visit_event",
            and_(
                ChangeLog.origin_station_id != station_id,
                or_(ChangeLog.event_time >= horizon, _open_visit(ChangeLog.visit_id)),
            ),
        ),
    )
    # The page first, then its events: joined before the LIMIT, PostgreSQL hashes the whole event table per page.
    page = (
        select(ChangeLog.seq, ChangeLog.stream, ChangeLog.op, ChangeLog.data_json, ChangeLog.event_id)
        .where(visible)
        .order_by(ChangeLog.seq)
        .limit(limit + 1)
        .subquery()
    )
    data = func.coalesce(page.c.data_json, literal_column(event_data_sql(session.get_bind().dialect.name)))
    rows = session.execute(
        select(page.c.seq, page.c.stream, page.c.op, data)
        .select_from(page.outerjoin(_EVENT, _EVENT.c.event_id == page.c.event_id))
        .order_by(page.c.seq)
    ).all()
    changes = [
        {"seq": seq, "stream": stream, "op": op, "data": json.loads(data)} for seq, stream, op, data in rows[:limit]
    ]
    if len(rows) > limit:
        return Page(changes, rows[limit - 1][0], True)
    # Nothing visible left up to `high`: the cursor may skip to it (past rows this station does not get).
    return Page(changes, max(cursor, high), high < committed)
