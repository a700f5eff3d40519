"""The station side of protocol v1: enrol, drain the outbox, pull the server's streams.

Rules that make it safe to kill at any moment (docs/architecture.md §6):
- an outbox row is marked acked only after the server's 200 for a request that carried it,
  in one local transaction; until then it is resent with the same event id and seq, and the
  server stores it once;
- a pulled page and the cursor after it are applied in one local transaction;
- after `409 epoch_conflict` (this disk was restored from a backup) the station takes the
  server's epoch and resends every unacked event with the same ids: nothing is dropped.
No Qt here: the GUI runs this through sync/loop.py, tests and the CLI call it directly.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from guardstation.domain.hlc import HybridClock, Timestamp
from guardstation.store import reference
from guardstation.store.audit import append_audit
from guardstation.store.db import Database
from guardstation.store.events import load_station
from guardstation.store.models import Outbox, SiteConfig, SyncState, Visit, VisitEvent
from guardstation.store.secrets import DEPLOYMENT_SECRET, TOKEN_SECRET, SecretStore
from guardstation.sync import wire
from guardstation.sync.apply import Applied, apply_page
from guardstation.sync.transport import Refused, ServerTrouble, Transport

log = logging.getLogger(__name__)

PUSH_BATCH = 500
PULL_PAGE = 500
MAX_PAGES_PER_SYNC = 200  # a long catch-up continues on the next round instead of holding the thread
PULL_STREAMS = ("visit_event", "site_config", "rule_pack", "status_entry", "trust_key", "alert")
OFFSET_MAX_RTT = timedelta(seconds=5)  # a slower round trip says too little about the server's clock


def utc_now() -> datetime:
    return datetime.now(UTC)


class NotEnrolled(RuntimeError):
    pass


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    skipped: list[str] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    reference_changed: bool = False
    epoch_changes: int = 0
    wire_bytes: int = 0


def sync_state(session: Session) -> SyncState | None:
    return session.get(SyncState, 1)


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Outbox).where(Outbox.acked_at.is_(None))) or 0


def _error(status: int, body: dict) -> tuple[str, str]:
    return str(body.get("error", "http_error"))[:40], str(body.get("message", ""))[:200]


def enrol(
    db: Database,
    secrets: SecretStore,
    transport: Transport,
    *,
    server_url: str,
    code: str,
    station_name: str,
    app_version: str,
    now: datetime,
) -> wire.Enrolled:
    """Trades a one-time code for this station's identity; token and deployment key go to the keyring."""
    reply = transport.request(
        "POST",
        "/v1/enroll",
        json_body={
            "enrollment_code": code.strip(),
            "station_name": station_name[:100] or "Gerbang",
            "app_version": app_version[:40],
        },
    )
    if reply.status != 200:
        code_, message = _error(reply.status, reply.body)
        if reply.status >= 500:
            raise ServerTrouble(f"HTTP {reply.status} {code_}: {message}")
        raise Refused(reply.status, code_, message)
    enrolled = wire.enrolled(reply.body)
    try:
        key = base64.b64decode(enrolled.deployment_key, validate=True)
    except ValueError:
        raise ServerTrouble("the server's deployment key is not base64") from None
    if len(key) < 16:
        raise ServerTrouble("the server's deployment key is too short")
    secrets.put(TOKEN_SECRET, enrolled.token)
    secrets.put(DEPLOYMENT_SECRET, enrolled.deployment_key)
    with db.transaction() as session:
        station = load_station(session)
        old_id, old_site = station.station_id, station.site_id
        station.station_id, station.site_id = enrolled.station_id, enrolled.site_id
        station.epoch = max(station.epoch, enrolled.epoch)
        # This gate's visits so far are its own under the new identity (derived rows only; events keep theirs).
        session.query(Visit).filter(Visit.station_id == old_id).update({Visit.station_id: enrolled.station_id})
        site = session.get(SiteConfig, old_site)
        if site is not None and old_site != enrolled.site_id:
            name, capacity = site.name, site.capacity
            session.delete(site)
            session.flush()
            reference.put_site(session, site_id=enrolled.site_id, name=name, capacity=capacity, now=now)
        state = sync_state(session) or SyncState(
            id=1, server_url=server_url, cursor=0, clock_offset_ms=0, last_error=""
        )
        state.server_url, state.cursor, state.enrolled_at, state.last_error = server_url, 0, now, ""
        session.add(state)
        append_audit(
            session,
            at=now,
            actor="system",
            action="enrolled",
            detail={"server": server_url, "station_id": enrolled.station_id, "site_id": enrolled.site_id},
        )
    return enrolled


class SyncEngine:
    def __init__(
        self,
        db: Database,
        transport: Transport,
        token: str | Callable[[], str | None],
        *,
        clock: Callable[[], datetime] = utc_now,
        batch: int = PUSH_BATCH,
        page: int = PULL_PAGE,
    ) -> None:
        self.db = db
        self.transport = transport
        self._token = token
        self._clock = clock
        self.batch = batch
        self.page = page

    def token(self) -> str:
        token = self._token() if callable(self._token) else self._token
        if not token:
            raise NotEnrolled("this station is not enrolled with a central server")
        return token

    # -- push --------------------------------------------------------------------------------------------
    def push(self, report: SyncReport | None = None) -> SyncReport:
        """Sends the outbox oldest first until it is empty (or the server stops answering)."""
        report = report or SyncReport()
        while self._push_batch(report):
            pass
        return report

    def _pending(self) -> tuple[str, int, list[dict[str, Any]]]:
        with self.db.read() as session:
            station = load_station(session)
            rows = session.execute(
                select(VisitEvent)
                .join(Outbox, Outbox.event_id == VisitEvent.event_id)
                .where(Outbox.acked_at.is_(None))
                .order_by(Outbox.seq)
                .limit(self.batch)
            )
            return station.station_id, station.epoch, [wire.event_to_wire(e) for (e,) in rows]

    def _push_batch(self, report: SyncReport) -> bool:
        """True if a batch went through and more may wait."""
        for _attempt in range(3):  # an epoch conflict is answered by resending at once
            station_id, epoch, events = self._pending()
            if not events:
                return False
            started = self._clock()
            reply = self.transport.request(
                "POST",
                "/v1/sync/push",
                token=self.token(),
                json_body={"station_id": station_id, "epoch": epoch, "events": events},
            )
            report.wire_bytes += reply.wire_bytes
            if reply.status == 409 and reply.body.get("error") == "epoch_conflict":
                self._adopt_epoch(reply.body, epoch)
                report.epoch_changes += 1
                continue
            if reply.status == 413 and self.batch > 10:
                self.batch //= 2  # the server's body limit: smaller batches, same events
                continue
            self._raise_for(reply.status, reply.body)
            answer = wire.push_reply(reply.body)
            self._record_push(events, answer, started)
            report.pushed += sum(1 for e in events if e["seq"] <= answer.acked_through)
            report.rejected += sum(1 for e in events if e["event_id"] in answer.rejected)
            return len(events) == self.batch
        raise ServerTrouble("the server keeps answering epoch_conflict")

    def _adopt_epoch(self, body: dict, sent_epoch: int) -> None:
        epoch = body.get("epoch")
        if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 1 or epoch > 2**31 - 1:
            raise ServerTrouble("epoch_conflict without a valid epoch")
        now = self._clock()
        with self.db.transaction() as session:
            station = load_station(session)
            new_epoch = epoch if epoch > sent_epoch else sent_epoch + 1
            log.warning("sync: epoch conflict, epoch %s -> %s; resending unacked events", station.epoch, new_epoch)
            station.epoch = new_epoch
            append_audit(
                session,
                at=now,
                actor="system",
                action="sync_epoch_changed",
                detail={"from": sent_epoch, "to": new_epoch},
            )

    def _record_push(self, events: list[dict[str, Any]], answer: wire.PushReply, started: datetime) -> None:
        now = self._clock()
        sent = {e["seq"]: e["event_id"] for e in events}
        acked = [seq for seq in sent if seq <= answer.acked_through]
        acked_ids = [sent[seq] for seq in acked]
        with self.db.transaction() as session:
            # Two statements, not one ORM update per row (that cost ~15% of a push); refused events first.
            unacked = Outbox.acked_at.is_(None)
            for event_id in set(answer.rejected) & set(acked_ids):
                session.execute(
                    update(Outbox)
                    .where(Outbox.event_id == event_id, unacked)
                    .values(acked_at=now, reject_code=answer.rejected[event_id])
                    .execution_options(synchronize_session=False)
                )
            session.execute(
                update(Outbox)
                .where(Outbox.event_id.in_(acked_ids), unacked)
                .values(acked_at=now)
                .execution_options(synchronize_session=False)
            )
            self._observe_server(session, answer.server_time, answer.server_hlc, started, now)
            state = sync_state(session)
            if state is not None:
                state.last_push_at, state.last_error = now, ""
        for event_id, code in answer.rejected.items():
            log.warning("sync: the server refused event %s (%s); it stays here, marked", event_id, code)

    # -- pull --------------------------------------------------------------------------------------------
    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        for _ in range(MAX_PAGES_PER_SYNC):
            with self.db.read() as session:
                state = sync_state(session)
                cursor = state.cursor if state else 0
            started = self._clock()
            reply = self.transport.request(
                "GET", "/v1/sync/pull", token=self.token(), params={"cursor": cursor, "limit": self.page}
            )
            self._raise_for(reply.status, reply.body)
            page = wire.pull_reply(reply.body)
            if page.next_cursor < cursor:
                raise ServerTrouble(
                    f"the server's cursor went back ({cursor} -> {page.next_cursor}); was it restored from a backup?"
                )
            applied = self._apply(page, cursor, started)
            report.pulled += sum(applied.counts.values())
            report.skipped += applied.skipped
            report.alerts += applied.alerts
            report.reference_changed |= applied.reference_changed
            if not page.has_more:
                break
        return report

    def _apply(self, page: wire.PullReply, cursor: int, started: datetime) -> Applied:
        now = self._clock()
        with self.db.transaction() as session:
            state = sync_state(session)
            if state is None or state.cursor != cursor:
                raise ServerTrouble("another sync moved the cursor meanwhile")  # two engines on one database
            station = load_station(session)
            applied = apply_page(
                session, page.changes, own_station_id=station.station_id, own_site_id=station.site_id, now=now
            )
            state.cursor = page.next_cursor
            self._observe_server(session, page.server_time, page.server_hlc, started, now)
            state.last_pull_at, state.last_error = now, ""
            if not page.has_more:
                for stream in PULL_STREAMS:
                    reference.mark_fresh(session, stream, now, "server")
        return applied

    # -- both --------------------------------------------------------------------------------------------
    def sync(self) -> SyncReport:
        """One round: push everything, then pull everything new."""
        report = SyncReport()
        self.push(report)
        self.pull(report)
        return report

    def _observe_server(
        self, session: Session, server_time: datetime, server_hlc: str, started: datetime, now: datetime
    ) -> None:
        state = sync_state(session)
        if state is not None and now - started <= OFFSET_MAX_RTT:
            midpoint = started + (now - started) / 2
            state.clock_offset_ms = int((midpoint - server_time).total_seconds() * 1000)
        station = load_station(session)
        try:
            remote = Timestamp.decode(server_hlc)
        except ValueError:
            return
        local = Timestamp.decode(station.hlc_last) if station.hlc_last else None
        clock = HybridClock(station.station_id[:8], local)
        # Never let a wildly wrong server clock drag our HLC a day ahead: only a sane one is merged.
        if abs(remote.wall_ms - now.timestamp() * 1000) < 24 * 3600 * 1000:
            station.hlc_last = clock.observe(remote, int(now.timestamp() * 1000)).encode()

    @staticmethod
    def _raise_for(status: int, body: dict) -> None:
        if status == 200:
            return
        code, message = _error(status, body)
        if status >= 500 or status in (408, 429):
            raise ServerTrouble(f"HTTP {status} {code}: {message}")
        raise Refused(status, code, message)


def record_failure(db: Database, message: str, now: datetime) -> None:
    with db.transaction() as session:
        state = sync_state(session)
        if state is not None:
            state.last_attempt_at, state.last_error = now, message[:300]
