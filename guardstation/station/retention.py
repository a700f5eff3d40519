"""Retention (UU 27/2022): personal data past its time is removed; anonymous counts stay.

No Qt here: the GUI runs `purge` on its database thread at start-up and daily
(ui/retention_dialog.py), tests call it directly.

What goes, per category (days in Settings, see RetentionPolicy):
- visits that ended (left, notice) and refused scans: name, masked NIK, purpose, host and subject
  key, both in the `visit` row and in the bodies of its events (this station's `visit_event` and
  other gates' `remote_event`); the trigram name index follows the row through its triggers.
- files in the data folder's `exports/` (the one-click evacuation lists).

What stays: every row, with its times, verdict colour, reason, gates, guard and status, so that
totals per day, verdict and reason are the same before and after. People still inside are never
touched (they are on the evacuation list). The audit log is not purged: it is hash-chained and
holds no names by design (counts, file names, masked labels).

`visit_event` is append-only (a trigger refuses updates). Erasure is the one lawful rewrite:
each batch drops that trigger, rewrites the bodies and re-creates it from its stored SQL inside
the same transaction, so no other connection ever sees the table unguarded. Unsent events are
sent as purged, which is what the law asks of the server too.

Each batch is one transaction with its own `purge` audit row (counts and cut-off dates only),
so a purge interrupted half-way is still fully audited; running it again changes nothing more.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, text, update
from sqlalchemy.orm import Session

from guardstation.settings.schema import MAX_DAYS, MIN_DAYS, MIN_VISIT_DAYS
from guardstation.store.audit import append_audit
from guardstation.store.db import Database
from guardstation.store.models import RemoteEvent, Visit, VisitEvent
from guardstation.store.visits import DENIED, INSIDE

log = logging.getLogger(__name__)

EXPORTS_DIR = "exports"
BATCH = 2000
# Keys of an event body that identify a person (at any depth: corrections nest them).
PERSONAL_KEYS = frozenset(
    {"display_name", "name", "nik", "nik_masked", "purpose", "host", "subject_key", "credential_id"}
)


@dataclass(frozen=True)
class RetentionPolicy:
    visit_days: int = 30
    denied_days: int = 14
    export_days: int = 30

    @classmethod
    def from_settings(cls, settings) -> RetentionPolicy:
        """Out-of-range numbers in config.json are brought into range, never obeyed blindly."""

        def days(value, low: int) -> int:
            try:
                return min(MAX_DAYS, max(low, int(value)))
            except (TypeError, ValueError):
                return low

        return cls(
            days(settings.retention_visit_days, MIN_VISIT_DAYS),
            days(settings.retention_denied_days, MIN_DAYS),
            days(settings.retention_export_days, MIN_DAYS),
        )

    def problems(self) -> list[str]:
        """Field names whose value is out of range (for a settings dialog to refuse)."""
        bad = []
        for name, low in (("visit_days", MIN_VISIT_DAYS), ("denied_days", MIN_DAYS), ("export_days", MIN_DAYS)):
            value = getattr(self, name)
            if not isinstance(value, int) or not low <= value <= MAX_DAYS:
                bad.append(name)
        return bad


@dataclass
class PurgeReport:
    visits: int = 0  # ended visits whose personal data was removed
    denied: int = 0  # refused scans whose personal data was removed
    events: int = 0  # event bodies rewritten (this station)
    remote_events: int = 0  # event bodies rewritten (other gates)
    export_files: int = 0  # files removed from exports/
    audit_ids: list[int] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.visits or self.denied or self.events or self.remote_events or self.export_files)

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if k != "audit_ids"}


def scrub_body(body: Any) -> Any:
    """The event body without its personal keys, at any depth."""
    if isinstance(body, dict):
        return {k: scrub_body(v) for k, v in body.items() if k not in PERSONAL_KEYS}
    if isinstance(body, list):
        return [scrub_body(v) for v in body]
    return body


def _has_personal(body: Any) -> bool:
    if isinstance(body, dict):
        return any(k in PERSONAL_KEYS for k in body) or any(_has_personal(v) for v in body.values())
    if isinstance(body, list):
        return any(_has_personal(v) for v in body)
    return False


def _cutoffs(policy: RetentionPolicy, now: datetime) -> dict[str, datetime]:
    return {
        "visits": now - timedelta(days=policy.visit_days),
        "denied": now - timedelta(days=policy.denied_days),
        "exports": now - timedelta(days=policy.export_days),
    }


def _due_visits(session: Session, cut: dict[str, datetime], limit: int) -> list[tuple[str, str]]:
    ended = func.coalesce(Visit.time_out, Visit.time_in)
    personal = or_(
        Visit.display_name != "",
        Visit.nik_masked != "",
        Visit.purpose != "",
        Visit.host != "",
        Visit.subject_key.is_not(None),
    )
    due = or_(
        and_(Visit.status == DENIED, Visit.time_in < cut["denied"]),
        and_(Visit.status.not_in((DENIED, INSIDE)), Visit.time_in < cut["visits"], ended < cut["visits"]),
    )
    stmt = select(Visit.visit_id, Visit.status).where(due, personal).order_by(Visit.time_in).limit(limit)
    return [(row.visit_id, row.status) for row in session.execute(stmt)]


def _rewrite_bodies(session: Session, model, key_column, ids: list[str]) -> int:
    rows = session.execute(select(key_column, model.body_json).where(model.visit_id.in_(ids))).all()
    changes = []
    for key, body_json in rows:
        try:
            body = json.loads(body_json)
        except ValueError:
            log.error("retention: unreadable event body %s left as it is", key)
            continue
        if _has_personal(body):
            changes.append(
                {
                    "k": key,
                    "b": json.dumps(
                        {**scrub_body(body), "purged": True}, ensure_ascii=False, sort_keys=True, default=str
                    ),
                }
            )
    if changes:
        table, column = model.__tablename__, key_column.key
        session.execute(text(f"UPDATE {table} SET body_json = :b WHERE {column} = :k"), changes)
    return len(changes)


def _update_guards(session: Session) -> list[tuple[str, str]]:
    """The triggers that refuse updates of visit_event, as (name, sql), to lift and restore."""
    rows = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'visit_event'")
    ).all()
    return [(name, sql) for name, sql in rows if sql and "UPDATE" in sql.upper().split(" ON ", 1)[0]]


def _purge_batch(session: Session, batch: list[tuple[str, str]]) -> tuple[int, int, int, int]:
    ids = [visit_id for visit_id, _ in batch]
    # Updating `visit` first also opens the transaction: the trigger DDL below must not run in autocommit.
    session.execute(
        update(Visit)
        .where(Visit.visit_id.in_(ids))
        .values(display_name="", nik_masked="", purpose="", host="", subject_key=None)
    )
    if not session.connection().connection.dbapi_connection.in_transaction:
        raise RuntimeError("retention purge outside a transaction; refusing to lift the event guard")
    guards = _update_guards(session)
    for name, _ in guards:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    events = _rewrite_bodies(session, VisitEvent, VisitEvent.event_id, ids)
    for _, sql in guards:
        session.execute(text(sql))
    remote = _rewrite_bodies(session, RemoteEvent, RemoteEvent.event_id, ids)
    denied = sum(1 for _, status in batch if status == DENIED)
    return len(batch) - denied, denied, events, remote


def purge_exports(folder: Path, before: datetime) -> int:
    """Removes files in `folder` last written before `before`; a file that cannot go is logged and kept."""
    if not folder.is_dir():
        return 0
    limit = before.timestamp()
    removed = 0
    for entry in os.scandir(folder):
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < limit:
                os.unlink(entry.path)
                removed += 1
        except OSError as exc:
            log.error("retention: cannot remove %s: %s", entry.path, exc)
    return removed


def _audit_detail(counts: dict[str, int], policy: RetentionPolicy, cut: dict[str, datetime]) -> dict:
    return {
        **counts,
        "days": {"visits": policy.visit_days, "denied": policy.denied_days, "exports": policy.export_days},
        "before": {k: v.astimezone(UTC).isoformat(timespec="seconds") for k, v in cut.items()},
    }


def _compact(db: Database) -> None:
    """Deleted names must not linger in index segments, free pages or the WAL."""
    with db.transaction() as session:
        session.execute(text("INSERT INTO visit_fts(visit_fts) VALUES ('optimize')"))
    # The WAL still holds the old pages until it is reset; a reader (the guard's list) may hold it
    # briefly, so wait only a moment: the WAL is rewritten from its start later anyway.
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA busy_timeout = 500")
        try:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
        finally:
            conn.exec_driver_sql("PRAGMA busy_timeout = 5000")
    if busy:
        log.info("retention: the WAL is in use; purged pages leave it at its next reset")


def purge(
    db: Database,
    policy: RetentionPolicy,
    *,
    now: datetime,
    exports_dir: Path | None = None,
    actor: str = "retention",
    batch_size: int = BATCH,
) -> PurgeReport:
    """Removes personal data past its retention time; idempotent (a second run finds nothing)."""
    bad = policy.problems()
    if bad:
        raise ValueError(f"retention days out of range: {', '.join(bad)}")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cut = _cutoffs(policy, now)
    report = PurgeReport()
    files = purge_exports(exports_dir, cut["exports"]) if exports_dir is not None else 0
    report.export_files = files
    while True:
        with db.transaction() as session:
            session.execute(text("PRAGMA secure_delete = ON"))  # overwrite freed content, not just unlink it
            batch = _due_visits(session, cut, batch_size)
            if not batch and not files:
                break
            visits, denied, events, remote = _purge_batch(session, batch) if batch else (0, 0, 0, 0)
            counts = {
                "visits": visits,
                "denied": denied,
                "events": events,
                "remote_events": remote,
                "export_files": files,
            }
            row = append_audit(session, at=now, actor=actor, action="purge", detail=_audit_detail(counts, policy, cut))
        report.visits += visits
        report.denied += denied
        report.events += events
        report.remote_events += remote
        report.audit_ids.append(row.id)
        files = 0
        if len(batch) < batch_size:
            break
    if report.visits or report.denied:
        _compact(db)
    if report.changed:
        log.info("retention purge: %s", report.counts())
    return report
