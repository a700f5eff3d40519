"""Server-authored reference data on the station: site config, rule packs, status list, trust keys.

Sync replaces these; standalone and demo stations seed them locally.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardstation.credentials.trust import TrustedKey, TrustStore, kid_for, load_public_der
from guardstation.domain.freshness import STREAMS, Freshness, FreshnessPolicy
from guardstation.domain.rules import RulePack, RulePackError, parse_rule_pack
from guardstation.domain.verdict import StatusEntry
from guardstation.store.models import DataFreshness, RulePackRow, SiteConfig, StatusEntryRow, TrustKeyRow

log = logging.getLogger(__name__)


def get_site(session: Session) -> SiteConfig | None:
    return session.scalars(select(SiteConfig).limit(1)).first()


def put_site(session: Session, *, site_id: str, name: str, capacity: int | None, now: datetime) -> SiteConfig:
    if capacity is not None and capacity < 0:
        raise ValueError("capacity cannot be negative")
    site = session.get(SiteConfig, site_id)
    if site is None:
        site = SiteConfig(site_id=site_id, name=name, capacity=capacity, policy_json="{}", updated_at=now)
        session.add(site)
    else:
        site.name, site.capacity, site.updated_at = name, capacity, now
    return site


def put_rule_pack(session: Session, body: dict, now: datetime) -> RulePack:
    pack = parse_rule_pack(body)  # a bad pack is rejected before it replaces a good one
    row = session.get(RulePackRow, pack.pack_id)
    text_body = json.dumps(body, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(RulePackRow(pack_id=pack.pack_id, body_json=text_body, received_at=now))
    else:
        row.body_json, row.received_at = text_body, now
    return pack


def load_rule_packs(session: Session) -> list[RulePack]:
    packs = []
    for row in session.scalars(select(RulePackRow)):
        try:
            packs.append(parse_rule_pack(json.loads(row.body_json)))
        except (RulePackError, ValueError) as exc:
            log.error("stored rule pack %s unusable: %s", row.pack_id, exc)
    return packs


def status_for(session: Session, subject_key: str | None) -> tuple[StatusEntry, ...]:
    if not subject_key:
        return ()
    rows = session.scalars(select(StatusEntryRow).where(StatusEntryRow.subject_key == subject_key))
    return tuple(StatusEntry(r.status, r.valid_from, r.valid_until) for r in rows)


def put_status(
    session: Session, subject_key: str, status: str, valid_from: datetime, valid_until: datetime | None
) -> None:
    row = session.get(StatusEntryRow, (subject_key, status))
    if row is None:
        session.add(
            StatusEntryRow(subject_key=subject_key, status=status, valid_from=valid_from, valid_until=valid_until)
        )
    else:
        row.valid_from, row.valid_until = valid_from, valid_until


def add_trusted_key(
    session: Session,
    *,
    scheme: str,
    public_key,
    label: str,
    now: datetime,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    source: str = "local",
) -> TrustKeyRow:
    key = TrustedKey(kid_for(public_key), scheme, public_key, label, not_before, not_after)
    return put_trusted_key(session, key, now=now, source=source)


def put_trusted_key(session: Session, key: TrustedKey, *, now: datetime, source: str = "local") -> TrustKeyRow:
    """Adds a key unless the same (scheme, kid, public key) is already trusted; returns its row."""
    existing = session.scalars(
        select(TrustKeyRow).where(
            TrustKeyRow.scheme == key.scheme, TrustKeyRow.kid == key.kid, TrustKeyRow.public_der == key.public_der
        )
    ).first()
    if existing is not None:
        return existing
    row = TrustKeyRow(
        scheme=key.scheme,
        kid=key.kid,
        public_der=key.public_der,
        label=key.label,
        not_before=key.not_before,
        not_after=key.not_after,
        usage=",".join(sorted(key.usage)),
        source=source,
        added_at=now,
        issuer=key.issuer,
        cert_der=key.certificate_der,
    )
    session.add(row)
    session.flush()
    return row


def trusted_key_rows(session: Session) -> list[TrustKeyRow]:
    return list(session.scalars(select(TrustKeyRow).order_by(TrustKeyRow.scheme, TrustKeyRow.label)))


def mark_fresh(session: Session, stream: str, now: datetime, source: str) -> None:
    row = session.get(DataFreshness, stream)
    if row is None:
        session.add(DataFreshness(stream=stream, updated_at=now, source=source))
    else:
        row.updated_at, row.source = now, source


def stream_updated_at(session: Session, stream: str) -> datetime | None:
    row = session.get(DataFreshness, stream)
    return row.updated_at if row is not None else None


def load_freshness(session: Session) -> list[Freshness]:
    rows = {r.stream: r for r in session.scalars(select(DataFreshness))}
    return [Freshness(stream, rows[stream].updated_at if stream in rows else None) for stream in STREAMS]


def site_policy_data(session: Session) -> dict:
    """The site policy as sent by the server; {} when missing or damaged (the gate keeps working)."""
    site = get_site(session)
    try:
        data = json.loads(site.policy_json) if site else {}
    except ValueError:
        log.error("site policy is not valid JSON; using defaults")
        data = {}
    return data if isinstance(data, dict) else {}


def site_policy(session: Session) -> FreshnessPolicy:
    return FreshnessPolicy.from_dict(site_policy_data(session).get("freshness"))


def load_trust_store(session: Session) -> TrustStore:
    store = TrustStore()
    for row in session.scalars(select(TrustKeyRow)):
        try:
            public_key = load_public_der(row.public_der)
        except ValueError as exc:
            log.error("trusted key %s unusable: %s", row.id, exc)
            continue
        store.add(
            TrustedKey(
                row.kid,
                row.scheme,
                public_key,
                row.label,
                row.not_before,
                row.not_after,
                frozenset(filter(None, row.usage.split(","))),
                row.issuer,
                row.cert_der,
            )
        )
    return store
