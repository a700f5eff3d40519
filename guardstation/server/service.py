"""What the central office does, shared by the admin CLI and the HTTP API: sites, enrolment, stations,
rule packs, status list, trust keys, admin tokens.

Secrets (enrolment codes, station and admin tokens) are random, shown once,
and stored only as SHA-256 hashes: a copy of the database lets nobody act as
a station. The one secret kept in clear is the deployment's subject-key HMAC
key, which every station must share (see `deployment_key`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from guardstation.credentials.trust import TrustedKey
from guardstation.domain.ids import new_id
from guardstation.domain.rules import RulePackError, parse_rule_pack
from guardstation.server import changelog
from guardstation.server.changelog import Change
from guardstation.server.models import (
    AdminToken,
    DeploymentSecret,
    EnrollmentCode,
    RulePackRow,
    Site,
    Station,
    StationEpoch,
    StatusEntry,
    TrustKey,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
CODE_GROUPS, CODE_GROUP_LEN = 4, 4  # 16 symbols of 5 bits = 80 bits
DEFAULT_CODE_HOURS = 72
TOKEN_PREFIX = "gst_"
ADMIN_PREFIX = "gsa_"
STATUS_KINDS = ("positive", "close_contact", "deny")


class ServiceError(Exception):
    """A refused request: `code` for machines, the message for people, `status` for HTTP."""

    def __init__(self, code: str, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.status, self.extra = code, message, status, extra


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- sites ---------------------------------------------------------------------------------------------------


def site_data(site: Site) -> dict[str, Any]:
    return {
        "site_id": site.site_id,
        "name": site.name,
        "capacity": site.capacity,
        "policy": json.loads(site.policy_json or "{}"),
        "updated_at": site.updated_at.isoformat(),
    }


def add_site(session: Session, name: str, capacity: int | None, now: datetime, policy: dict | None = None) -> Site:
    name = name.strip()
    if not name or len(name) > 200:
        raise ServiceError("bad_name", "a site needs a name of 1 to 200 characters")
    if capacity is not None and not (0 <= capacity <= 1_000_000):
        raise ServiceError("bad_capacity", "capacity must be between 0 and 1,000,000 (or none)")
    site = Site(
        site_id=new_id(),
        name=name,
        capacity=capacity,
        policy_json=json.dumps(policy or {}),
        created_at=now,
        updated_at=now,
    )
    session.add(site)
    session.flush()
    changelog.append(session, [Change("site_config", "upsert", site_data(site), site_id=site.site_id)], now)
    return site


def update_site(
    session: Session,
    site_id: str,
    now: datetime,
    *,
    name: str | None = None,
    capacity: int | None | str = "keep",
    policy: dict | None = None,
) -> Site:
    site = get_site(session, site_id)
    if name is not None:
        site.name = name
    if capacity != "keep":
        if capacity is not None and not (0 <= int(capacity) <= 1_000_000):
            raise ServiceError("bad_capacity", "capacity must be between 0 and 1,000,000 (or none)")
        site.capacity = capacity
    if policy is not None:
        site.policy_json = json.dumps(policy)
    site.updated_at = now
    session.flush()
    changelog.append(session, [Change("site_config", "upsert", site_data(site), site_id=site.site_id)], now)
    return site


def get_site(session: Session, site_id: str) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise ServiceError("unknown_site", f"no site with id {site_id!r}", 404)
    return site


def list_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.name)))


# ---- enrolment -----------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


def make_enrollment_code(
    session: Session, site_id: str, now: datetime, valid: timedelta = timedelta(hours=DEFAULT_CODE_HOURS)
) -> tuple[str, datetime]:
    get_site(session, site_id)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LEN))
    code = "-".join(raw[i : i + CODE_GROUP_LEN] for i in range(0, len(raw), CODE_GROUP_LEN))
    expires = now + valid
    session.add(EnrollmentCode(code_hash=sha256_hex(raw), site_id=site_id, created_at=now, expires_at=expires))
    return code, expires


@dataclass(frozen=True)
class Enrolment:
    station_id: str
    site_id: str
    token: str
    epoch: int
    deployment_key: str = ""


DEPLOYMENT_KEY = "subject-hmac"


def deployment_key(session: Session, now: datetime) -> str:
    """The deployment's subject-key secret (base64), made on first need. Racing creators: the loser's insert
    does nothing and it reads the winner's key."""
    row = session.get(DeploymentSecret, DEPLOYMENT_KEY)
    if row is None:
        value = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(
            insert(DeploymentSecret)
            .values(name=DEPLOYMENT_KEY, value=value, created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        row = session.get(DeploymentSecret, DEPLOYMENT_KEY, populate_existing=True)
    return row.value


def enroll(session: Session, code: str, station_name: str, app_version: str, now: datetime) -> Enrolment:
    code_hash = sha256_hex(normalise_code(code))
    row = session.get(EnrollmentCode, code_hash, with_for_update=True)
    if row is None:
        raise ServiceError("invalid_code", "this enrolment code is not known", 401)
    if row.used_at is not None:
        raise ServiceError("code_used", "this enrolment code was already used; ask for a new one", 409)
    if row.expires_at <= now:
        raise ServiceError("code_expired", "this enrolment code has expired; ask for a new one", 401)
    station_id = new_id()
    # Consumed with a guarded UPDATE: of two stations racing with one code, exactly one wins.
    taken = session.execute(
        update(EnrollmentCode)
        .where(EnrollmentCode.code_hash == code_hash, EnrollmentCode.used_at.is_(None))
        .values(used_at=now, station_id=station_id)
    ).rowcount
    if taken != 1:
        raise ServiceError("code_used", "this enrolment code was already used; ask for a new one", 409)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        Station(
            station_id=station_id,
            site_id=row.site_id,
            name=station_name,
            app_version=app_version,
            token_hash=sha256_hex(token),
            epoch=1,
            last_seq=0,
            created_at=now,
            last_seen_at=now,
        )
    )
    session.flush()
    session.add(StationEpoch(station_id=station_id, epoch=1, reason="enrolled", at=now))
    return Enrolment(station_id, row.site_id, token, 1, deployment_key(session, now))


def plausible_token(token: str) -> bool:
    """Shaped like a token this server issues (checked before any database work)."""
    return token.startswith(TOKEN_PREFIX) and len(token) <= 200


def station_for_token(session: Session, token: str) -> Station | None:
    if not plausible_token(token):
        return None
    station = session.scalars(select(Station).where(Station.token_hash == sha256_hex(token))).first()
    if station is None or station.revoked_at is not None:
        return None
    return station


def revoke_station(session: Session, station_id: str, now: datetime) -> Station:
    station = session.get(Station, station_id)
    if station is None:
        raise ServiceError("unknown_station", f"no station with id {station_id!r}", 404)
    if station.revoked_at is None:
        station.revoked_at = now
    return station


def list_stations(session: Session, site_id: str | None = None) -> list[Station]:
    stmt = select(Station).order_by(Station.site_id, Station.name)
    if site_id:
        stmt = stmt.where(Station.site_id == site_id)
    return list(session.scalars(stmt))


def station_data(s: Station) -> dict[str, Any]:
    return {
        "station_id": s.station_id,
        "site_id": s.site_id,
        "name": s.name,
        "app_version": s.app_version,
        "epoch": s.epoch,
        "last_seq": s.last_seq,
        "created_at": s.created_at.isoformat(),
        "last_seen_at": s.last_seen_at.isoformat() if s.last_seen_at else None,
        "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
    }


# ---- admin tokens --------------------------------------------------------------------------------------------


def make_admin_token(session: Session, name: str, now: datetime) -> str:
    token = ADMIN_PREFIX + secrets.token_urlsafe(32)
    session.add(AdminToken(token_hash=sha256_hex(token), name=name[:100], created_at=now))
    return token


def admin_for_token(session: Session, token: str) -> AdminToken | None:
    if not token.startswith(ADMIN_PREFIX) or len(token) > 200:
        return None
    row = session.get(AdminToken, sha256_hex(token))
    return row if row is not None and row.revoked_at is None else None


# ---- rule packs ----------------------------------------------------------------------------------------------


def publish_rule_pack(session: Session, body: Any, now: datetime) -> RulePackRow:
    try:
        pack = parse_rule_pack(body)
    except RulePackError as exc:
        raise ServiceError("bad_rule_pack", f"rule pack refused: {exc}", 422) from None
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    row = session.get(RulePackRow, pack.pack_id)
    if row is None:
        row = RulePackRow(
            pack_id=pack.pack_id, name=pack.name, effective_from=pack.effective_from, body_json=text, published_at=now
        )
        session.add(row)
    else:
        row.name, row.effective_from, row.body_json, row.published_at = pack.name, pack.effective_from, text, now
    session.flush()
    changelog.append(session, [Change("rule_pack", "upsert", body)], now)
    return row


# ---- status list ---------------------------------------------------------------------------------------------

SUBJECT_KEY = re.compile(r"^[0-9a-f]{32}$")


def check_subject_key(subject: str) -> str:
    subject = subject.strip().lower()
    if re.fullmatch(r"\d{16}", subject):
        raise ServiceError(
            "nik_given",
            "give the subject key (the keyed hash the stations use), not a NIK: the server never stores NIKs",
        )
    if not SUBJECT_KEY.match(subject):
        raise ServiceError("bad_subject", "a subject key is 32 lower-case hex characters")
    return subject


def status_data(row: StatusEntry) -> dict[str, Any]:
    return {
        "subject_key": row.subject_key,
        "status": row.status,
        "valid_from": row.valid_from.isoformat(),
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
    }


def put_status(
    session: Session,
    subject_key: str,
    status: str,
    valid_from: datetime,
    valid_until: datetime | None,
    now: datetime,
    source: str = "",
) -> tuple[StatusEntry, Change]:
    """Upsert without shortening an existing status (domain.exposure.merge_validity); returns the change to log."""
    from guardstation.domain.exposure import merge_validity

    if status not in STATUS_KINDS:
        raise ServiceError("bad_status", f"status must be one of {', '.join(STATUS_KINDS)}")
    row = session.get(StatusEntry, (subject_key, status), with_for_update=True)
    if row is None:
        row = StatusEntry(
            subject_key=subject_key,
            status=status,
            valid_from=valid_from,
            valid_until=valid_until,
            source=source[:100],
            updated_at=now,
        )
        session.add(row)
    else:
        row.valid_from, row.valid_until = merge_validity(row.valid_from, row.valid_until, valid_from, valid_until)
        row.source, row.updated_at = source[:100], now
    session.flush()
    return row, Change("status_entry", "upsert", status_data(row))


def clear_status(session: Session, subject_key: str, status: str, now: datetime) -> bool:
    row = session.get(StatusEntry, (subject_key, status))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    changelog.append(session, [Change("status_entry", "delete", {"subject_key": subject_key, "status": status})], now)
    return True


# ---- trust keys ----------------------------------------------------------------------------------------------


def trust_data(row: TrustKey) -> dict[str, Any]:
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return {
        "scheme": row.scheme,
        "kid": b64(row.kid),
        "public_der": b64(row.public_der),
        "label": row.label,
        "issuer": row.issuer,
        "usage": row.usage,
        "not_before": row.not_before.isoformat() if row.not_before else None,
        "not_after": row.not_after.isoformat() if row.not_after else None,
    }


def publish_trust_keys(session: Session, keys: list[TrustedKey], now: datetime) -> list[TrustKey]:
    rows, changes = [], []
    for key in keys:
        existing = session.scalars(
            select(TrustKey).where(
                TrustKey.scheme == key.scheme, TrustKey.kid == key.kid, TrustKey.public_der == key.public_der
            )
        ).first()
        if existing is not None:
            rows.append(existing)
            continue
        row = TrustKey(
            scheme=key.scheme,
            kid=key.kid,
            public_der=key.public_der,
            label=key.label[:200],
            issuer=key.issuer[:300],
            usage=",".join(sorted(key.usage)),
            not_before=key.not_before,
            not_after=key.not_after,
            added_at=now,
        )
        session.add(row)
        session.flush()
        rows.append(row)
        changes.append(Change("trust_key", "upsert", trust_data(row)))
    changelog.append(session, changes, now)
    return rows
