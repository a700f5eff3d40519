"""The hash-chained audit log: any edited, removed or reordered row breaks the chain."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardstation.store.models import AuditLog

GENESIS = "0" * 64


def _row_hash(prev_hash: str, at: datetime, actor: str, action: str, detail_json: str) -> str:
    material = json.dumps([prev_hash, at.isoformat(), actor, action, detail_json], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def append_audit(session: Session, *, at: datetime, actor: str, action: str, detail: dict[str, Any]) -> AuditLog:
    # Hash the time exactly as it will be read back (UTC), or the chain fails its own check.
    at = at.astimezone(UTC)
    last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    row = AuditLog(
        at=at,
        actor=actor,
        action=action,
        detail_json=detail_json,
        prev_hash=prev,
        hash=_row_hash(prev, at, actor, action, detail_json),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    rows: int
    first_bad_id: int | None = None


def verify_chain(session: Session) -> ChainCheck:
    prev = GENESIS
    count = 0
    for row in session.scalars(select(AuditLog).order_by(AuditLog.id)):
        count += 1
        expected = _row_hash(prev, row.at.astimezone(UTC), row.actor, row.action, row.detail_json)
        if row.prev_hash != prev or row.hash != expected:
            return ChainCheck(False, count, row.id)
        prev = row.hash
    return ChainCheck(True, count)
