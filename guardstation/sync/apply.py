"""Applying a pulled page of server changes to the station database (in the caller's transaction).

A change the station cannot use (a bad rule pack, a key that does not parse,
an unknown stream from a newer server) is skipped and logged, and the data it
would have replaced stays: one bad row must neither stop the cursor forever
nor replace good reference data with junk.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from guardstation.credentials.trust import TrustedKey, load_public_der
from guardstation.domain.isotime import parse_aware
from guardstation.domain.rules import RulePackError
from guardstation.store import reference
from guardstation.store.models import AlertRow, RemoteEvent, SiteConfig, StatusEntryRow
from guardstation.store.visit_fold import refold_visit
from guardstation.sync.wire import Change

log = logging.getLogger(__name__)

VISIT_KINDS = ("check_in", "check_out", "void", "correction")


class BadChange(ValueError):
    pass


@dataclass
class Applied:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "stream seq: why", for the log
    reference_changed: bool = False  # site, rules, status or trust: reload the checkpoint
    alerts: list[dict[str, Any]] = field(default_factory=list)


def _time(data: dict, key: str, *, optional: bool = False) -> datetime | None:
    value = data.get(key)
    if value is None and optional:
        return None
    parsed = parse_aware(value)
    if parsed is None:
        raise BadChange(f"{key} missing, or not an ISO time with a UTC offset")
    return parsed


def _str(data: dict, key: str, limit: int) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadChange(f"{key} missing or too long")
    return value


def _b64(data: dict, key: str) -> bytes:
    try:
        return base64.b64decode(_str(data, key, 20000), validate=True)
    except (binascii.Error, ValueError):
        raise BadChange(f"{key} is not base64") from None


def _visit_event(
    session: Session, data: dict, own_station_id: str, now: datetime, touched: set[str], known: set[str]
) -> None:
    origin = _str(data, "station_id", 36)
    if origin == own_station_id:
        return  # our own event, echoed: we have it already
    body = data.get("body")
    if not isinstance(body, dict):
        raise BadChange("body is not an object")
    kind = _str(data, "kind", 20)
    if kind not in VISIT_KINDS:
        return  # denied scans and notices stay at their gate
    event_id = _str(data, "event_id", 36)
    visit_id = _str(body, "visit_id", 64)
    if event_id in known:
        return
    session.add(
        RemoteEvent(
            event_id=event_id,
            station_id=origin,
            visit_id=visit_id,
            kind=kind,
            hlc=_str(data, "hlc", 64),
            occurred_at=_time(data, "corrected_at"),
            body_json=json.dumps(body, ensure_ascii=False, sort_keys=True),
            received_at=now,
        )
    )
    known.add(event_id)
    touched.add(visit_id)


def _site_config(session: Session, data: dict, own_site_id: str, now: datetime) -> None:
    site_id = _str(data, "site_id", 64)
    if site_id != own_site_id:
        raise BadChange("config of another site")
    capacity = data.get("capacity")
    if capacity is not None and (not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0):
        raise BadChange("capacity is not a count")
    policy = data.get("policy") if isinstance(data.get("policy"), dict) else {}
    # The seeded local site (standalone or demo) gives way to the server's.
    session.execute(delete(SiteConfig).where(SiteConfig.site_id != site_id))
    site = reference.put_site(session, site_id=site_id, name=_str(data, "name", 200), capacity=capacity, now=now)
    site.policy_json = json.dumps(policy, ensure_ascii=False, sort_keys=True)


def _status(session: Session, op: str, data: dict) -> None:
    subject, status = _str(data, "subject_key", 64), _str(data, "status", 20)
    if op == "delete":
        session.execute(
            delete(StatusEntryRow).where(StatusEntryRow.subject_key == subject, StatusEntryRow.status == status)
        )
        return
    reference.put_status(session, subject, status, _time(data, "valid_from"), _time(data, "valid_until", optional=True))


def _trust_key(session: Session, data: dict, now: datetime) -> None:
    der = _b64(data, "public_der")
    try:
        public_key = load_public_der(der)
    except ValueError:
        raise BadChange("public key does not parse") from None
    usage = data.get("usage") if isinstance(data.get("usage"), str) else ""
    key = TrustedKey(
        _b64(data, "kid"),
        _str(data, "scheme", 16),
        public_key,
        str(data.get("label") or "")[:200],
        _time(data, "not_before", optional=True),
        _time(data, "not_after", optional=True),
        frozenset(filter(None, usage.split(","))),
        str(data.get("issuer") or "")[:300],
    )
    reference.put_trusted_key(session, key, now=now, source="server")


def _alert(session: Session, data: dict, now: datetime) -> dict[str, Any] | None:
    alert_id = _str(data, "alert_id", 64)
    if session.get(AlertRow, alert_id) is not None:
        return None
    created = _time(data, "created_at", optional=True) or now
    session.add(
        AlertRow(alert_id=alert_id, created_at=created, body_json=json.dumps(data, ensure_ascii=False, sort_keys=True))
    )
    return data


def apply_page(
    session: Session, changes: list[Change], *, own_station_id: str, own_site_id: str, now: datetime
) -> Applied:
    result = Applied()
    touched: set[str] = set()
    # Other gates' events already here, found in one query (not one lookup per change).
    ids = [c.data.get("event_id") for c in changes if c.stream == "visit_event"]
    known = (
        set(
            session.scalars(
                select(RemoteEvent.event_id).where(RemoteEvent.event_id.in_([i for i in ids if isinstance(i, str)]))
            )
        )
        if ids
        else set()
    )
    for change in changes:
        try:
            if change.stream == "visit_event":
                # Checked in full before its one insert, so it cannot be half-applied: no savepoint (a savepoint
                # per change was a third of the time a week's catch-up spent applying other gates' visits).
                _visit_event(session, change.data, own_station_id, now, touched, known)
            else:
                with session.begin_nested():  # a bad change leaves nothing half-applied
                    if change.stream == "site_config":
                        _site_config(session, change.data, own_site_id, now)
                    elif change.stream == "rule_pack":
                        reference.put_rule_pack(session, change.data, now)
                    elif change.stream == "status_entry":
                        _status(session, change.op, change.data)
                    elif change.stream == "trust_key":
                        _trust_key(session, change.data, now)
                    elif change.stream == "alert":
                        alert = _alert(session, change.data, now)
                        if alert is not None:
                            result.alerts.append(alert)
                    else:
                        raise BadChange("unknown stream (a newer server?)")
        except (BadChange, RulePackError, ValueError, TypeError) as exc:
            result.skipped.append(f"{change.stream} {change.seq}: {exc}")
            log.warning("sync: skipped %s change %s: %s", change.stream, change.seq, exc)
            continue
        result.counts[change.stream] = result.counts.get(change.stream, 0) + 1
        if change.stream in ("site_config", "rule_pack", "status_entry", "trust_key"):
            result.reference_changed = True
    for visit_id in sorted(touched):
        refold_visit(session, visit_id)
    return result


def open_alerts(session: Session) -> list[AlertRow]:
    return list(
        session.scalars(select(AlertRow).where(AlertRow.acknowledged_at.is_(None)).order_by(AlertRow.created_at))
    )
