"""Re-deriving a `visit` row from every event known for it: this gate's and other gates'.

Used when another gate's event arrives by sync. The merge rules are those of
domain.visit_merge (set union: order and duplicates do not matter), so a
check-out at gate B closes a visit that began at gate A, and a check-out that
arrives before its check-in waits for it. Display fields come from the
check-in, then from corrections in HLC order (the later correction wins).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardstation.domain import visit_merge
from guardstation.domain.isotime import parse_aware
from guardstation.store.models import RemoteEvent, Visit, VisitEvent
from guardstation.store.visits import INSIDE, LEFT

VOID = "void"
CORRECTABLE = ("display_name", "purpose", "host")


def _view(
    event_id: str, visit_id: str, kind: str, at: datetime, hlc: str, station_id: str, body: dict[str, Any]
) -> visit_merge.VisitEventView:
    return visit_merge.VisitEventView(
        event_id=event_id,
        visit_id=visit_id,
        kind=kind,
        at=at,
        hlc=hlc,
        gate=str(body.get("gate") or ""),
        station_id=station_id,
        subject_key=body.get("subject_key"),
        corrected_time_out=parse_aware(body.get("time_out")),
        corrects_time_out="time_out" in body,
    )


def _events(session: Session, visit_id: str) -> list[tuple[visit_merge.VisitEventView, dict[str, Any]]]:
    found = []
    for e in session.scalars(select(VisitEvent).where(VisitEvent.visit_id == visit_id)):
        # This gate's own time, corrected by the clock offset it estimated, like the server does.
        at = e.occurred_at - timedelta(milliseconds=e.clock_offset_ms)
        body = json.loads(e.body_json)
        found.append((_view(e.event_id, visit_id, e.kind, at, e.hlc, e.station_id, body), body))
    for r in session.scalars(select(RemoteEvent).where(RemoteEvent.visit_id == visit_id)):
        body = json.loads(r.body_json)
        found.append((_view(r.event_id, visit_id, r.kind, r.occurred_at, r.hlc, r.station_id, body), body))
    return found


def refold_visit(session: Session, visit_id: str) -> Visit | None:
    """Brings the visit row in line with all its events; creates it from another gate's check-in."""
    events = _events(session, visit_id)
    merged = visit_merge.merge(view for view, _ in events).get(visit_id)
    visit = session.get(Visit, visit_id)
    if merged is None or merged.time_in is None:
        return visit  # only a check-out so far: it waits for its check-in
    bodies = {view.event_id: body for view, body in events}
    if visit is None:
        check_in = bodies[merged.in_key[1]]
        visit = Visit(
            visit_id=visit_id,
            subject_key=merged.subject_key,
            display_name=str(check_in.get("display_name") or "")[:200],
            nik_masked=str(check_in.get("nik_masked") or "")[:20],
            person_kind=str(check_in.get("person_kind") or "")[:16],
            credential_kind=str(check_in.get("credential_kind") or "nik")[:16],
            purpose=str(check_in.get("purpose") or "")[:200],
            host=str(check_in.get("host") or "")[:200],
            colour=str(check_in.get("colour") or "green")[:10],
            reason_code=str(check_in.get("reason") or "")[:40],
            reason_params_json=json.dumps(check_in.get("reason_params") or {}, ensure_ascii=False),
            status=INSIDE,
            time_in=merged.time_in,
            guard=str(check_in.get("guard") or "")[:100],
            station_id=merged.station_in,
            manual=bool(check_in.get("manual")),
        )
        session.add(visit)
    visit.time_in = merged.time_in
    visit.gate_in = merged.gate_in or visit.gate_in
    visit.time_out = merged.time_out
    visit.gate_out = merged.gate_out if merged.time_out is not None else ""
    visit.status = VOID if merged.voided else (INSIDE if merged.time_out is None else LEFT)
    check_out = bodies.get(merged.out_key[1]) if merged.out_key else None
    visit.auto_closed = bool(
        merged.time_out is not None
        and merged.correction_hlc is None
        and check_out is not None
        and check_out.get("auto")
    )
    override = bodies[merged.in_key[1]].get("override")
    if isinstance(override, dict) and isinstance(override.get("denied_visit_id"), str):
        visit.override_of = override["denied_visit_id"][:36]
    corrections = sorted(
        ((view.hlc, view.event_id, body) for view, body in events if view.kind == "correction"),
        key=lambda item: item[:2],
    )
    for hlc, _id, body in corrections:
        for field in CORRECTABLE:
            if isinstance(body.get(field), str):
                setattr(visit, field, body[field][:200])
        visit.correction_hlc = hlc
    session.flush()
    return visit
