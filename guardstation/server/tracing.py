"""Exposure tracing on the server (docs/architecture.md §7): flag a case positive, find and flag the close contacts,
alert every site the case visited. One transaction: either all of it is published or none.

SQL only narrows the candidates (the case's visits in the window; per site the
visits whose times can touch them); which of them are contacts, and for how
long they are flagged, is decided by guardstation.domain.exposure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from guardstation.domain import exposure
from guardstation.domain.ids import new_id
from guardstation.server import changelog
from guardstation.server.changelog import Change
from guardstation.server.models import Alert, Site, Visit
from guardstation.server.service import check_subject_key, put_status


@dataclass
class TraceResult:
    subject_key: str
    window_start: datetime
    window_end: datetime
    positive_until: datetime
    case_visits: list[exposure.VisitSpan] = field(default_factory=list)
    contacts: list[exposure.ContactStatus] = field(default_factory=list)
    exposures: list[exposure.Exposure] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject_key": self.subject_key,
            "status": "positive",
            "window": {"start": self.window_start.isoformat(), "end": self.window_end.isoformat()},
            "positive_until": self.positive_until.isoformat(),
            "case_visits": [
                {
                    "visit_id": v.visit_id,
                    "site_id": v.site_id,
                    "time_in": v.start.isoformat(),
                    "time_out": v.end.isoformat() if v.end else None,
                }
                for v in self.case_visits
            ],
            "contacts": [
                {
                    "subject_key": c.subject_key,
                    "valid_from": c.valid_from.isoformat(),
                    "valid_until": c.valid_until.isoformat(),
                    "sites": list(c.sites),
                    "exposures": c.exposures,
                }
                for c in self.contacts
            ],
            "alerts": self.alerts,
        }


def _span(v: Visit) -> exposure.VisitSpan:
    return exposure.VisitSpan(v.visit_id, v.site_id, v.subject_key, v.time_in, v.time_out, v.voided)


def flag_positive(
    session: Session,
    subject: str,
    since: datetime,
    now: datetime,
    *,
    source: str = "admin",
    positive_days=exposure.POSITIVE_DAYS,
) -> TraceResult:
    subject = check_subject_key(subject)
    if since.tzinfo is None:
        raise ValueError("since must be timezone-aware")
    window = exposure.lookback_window(since, now)
    result = TraceResult(subject, window.start, window.end, since + positive_days)
    changes: list[Change] = []
    _, change = put_status(session, subject, "positive", since, since + positive_days, now, source)
    changes.append(change)

    # Candidates: the case's visits that can touch the window (SQL), then the exact rule (domain).
    rows = session.scalars(
        select(Visit).where(
            Visit.subject_key == subject,
            Visit.time_in.is_not(None),
            Visit.time_in <= window.end,
            or_(Visit.time_out.is_(None), Visit.time_out >= window.start),
        )
    ).all()
    cases = exposure.case_visits_in_window([_span(v) for v in rows], subject, window, now)
    result.case_visits = cases

    others: list[exposure.VisitSpan] = []
    for case in cases:
        lo, hi = exposure.reach(case, now)
        others.extend(
            _span(v)
            for v in session.scalars(
                select(Visit).where(
                    Visit.site_id == case.site_id,
                    Visit.time_in.is_not(None),
                    Visit.time_in <= hi,
                    or_(Visit.time_out.is_(None), Visit.time_out >= lo),
                    Visit.subject_key.is_not(None),
                    Visit.subject_key != subject,
                    Visit.voided.is_(False),
                )
            )
        )
    unique = {s.visit_id: s for s in others}
    result.exposures = exposure.find_exposures(cases, unique.values(), case_subject=subject, now=now)
    result.contacts = exposure.contact_statuses(result.exposures)
    for contact in result.contacts:
        _, change = put_status(
            session,
            contact.subject_key,
            "close_contact",
            contact.valid_from,
            contact.valid_until,
            now,
            f"contact of {subject[:8]}",
        )
        changes.append(change)

    sites = {s.site_id: s for s in session.scalars(select(Site).where(Site.site_id.in_({c.site_id for c in cases})))}
    for site_id in sorted(sites):
        site_cases = [c for c in cases if c.site_id == site_id]
        site_exposures = [e for e in result.exposures if e.site_id == site_id]
        body = {
            "alert_id": new_id(),
            "kind": "exposure",
            "site_id": site_id,
            "site_name": sites[site_id].name,
            "created_at": now.isoformat(),
            "message": (
                f"A visitor of {sites[site_id].name} was reported COVID-positive. "
                f"{len({e.subject_key for e in site_exposures})} close contact(s) at this site are flagged "
                "and will be answered HITAM for 14 days."
            ),
            "message_id": (
                f"Seorang pengunjung {sites[site_id].name} dilaporkan positif COVID-19. "
                f"{len({e.subject_key for e in site_exposures})} kontak erat di lokasi ini ditandai "
                "dan akan mendapat HITAM selama 14 hari."
            ),
            "case_visits": [
                {
                    "visit_id": c.visit_id,
                    "time_in": c.start.isoformat(),
                    "time_out": c.end.isoformat() if c.end else None,
                }
                for c in site_cases
            ],
            "contacts": [
                {
                    "visit_id": e.contact_visit_id,
                    "subject_key": e.subject_key,
                    "from": e.start.isoformat(),
                    "until": e.end.isoformat(),
                }
                for e in site_exposures
            ],
        }
        session.add(
            Alert(
                alert_id=body["alert_id"],
                site_id=site_id,
                kind="exposure",
                created_at=now,
                body_json=changelog.dumps(body),
            )
        )
        changes.append(Change("alert", "append", body, site_id=site_id))
        result.alerts.append(
            {"alert_id": body["alert_id"], "site_id": site_id, "contacts": len({e.subject_key for e in site_exposures})}
        )
    session.flush()
    changelog.append(session, changes, now)
    return result


def alerts_for_site(session: Session, site_id: str) -> list[dict[str, Any]]:
    return [
        json.loads(a.body_json)
        for a in session.scalars(select(Alert).where(Alert.site_id == site_id).order_by(Alert.created_at))
    ]
