"""The supervisor's actions on the record: overrides, corrections, automatic check-out, overstay.

No Qt here (the dialogs are ui/supervisor_*.py). Nothing already written is
ever edited: an override is a new check-in, a correction and an automatic
check-out are new events; the materialised `visit` row follows them and the
audit log says who did what. Visits of other gates (pulled by sync) are
corrected the same way: the correction is simply this station's event.

Between two corrections of one visit the later HLC wins (`apply_correction`,
which sync can reuse for corrections pulled from other gates).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardstation.domain.ids import new_id
from guardstation.reports.stats import OpeningHours
from guardstation.settings.model import Settings
from guardstation.station.checkpoint import Checkpoint
from guardstation.store import reference, visits
from guardstation.store.audit import append_audit
from guardstation.store.events import append_event, load_station
from guardstation.store.models import Visit

log = logging.getLogger(__name__)

DEFAULT_OVERSTAY_HOURS = 8.0
REASON_MAX = 500
FUTURE_TOLERANCE = timedelta(minutes=2)
CORRECTABLE = ("display_name", "purpose", "host", "time_out")


class SupervisionError(ValueError):
    """A refused supervisor action; `code` is stable (the UI words it)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# -- policy --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitPolicy:
    """When forgotten check-outs are closed, and how long a stay may last before a notice."""

    closing: time | None = OpeningHours().closes
    overstay: timedelta | None = timedelta(hours=DEFAULT_OVERSTAY_HOURS)

    @classmethod
    def resolve(cls, policy: dict[str, Any], settings: Settings | None = None) -> VisitPolicy:
        """Site policy (central office) first, then this station's settings, then the defaults.

        Site policy: `{"auto_checkout": "16:00" | false, "overstay_hours": 6 | 0,
        "opening_hours": {"close": "16:00", ...}}` (without `auto_checkout`, the closing
        time of `opening_hours`, as the monitoring report uses it). Settings:
        `auto_checkout_at` ("HH:MM", "off", or "" for the default) and `overstay_hours` (0 = default).
        """
        closing: time | None = OpeningHours.from_policy(policy).closes
        local_at = (settings.auto_checkout_at if settings else "").strip()
        raw = policy.get("auto_checkout", local_at or None)
        if raw is False or raw == "off":
            closing = None
        elif isinstance(raw, str) and raw:
            try:
                closing = time.fromisoformat(raw)
            except ValueError:
                log.error("auto check-out time %r is not HH:MM; using %s", raw, closing)
        hours = policy.get("overstay_hours", settings.overstay_hours if settings else 0) or 0
        if not isinstance(hours, (int, float)) or isinstance(hours, bool) or hours < 0:
            log.error("overstay_hours %r is not a number of hours; using %s", hours, DEFAULT_OVERSTAY_HOURS)
            hours = 0
        overstay = timedelta(hours=hours or DEFAULT_OVERSTAY_HOURS)
        return cls(closing, overstay)


def closing_moment(time_in: datetime, closing: time, now: datetime) -> datetime:
    """The first closing time (site-local, i.e. in `now`'s zone) after someone came in."""
    local_in = time_in.astimezone(now.tzinfo)
    moment = datetime.combine(local_in.date(), closing, tzinfo=now.tzinfo)
    return moment if moment > local_in else moment + timedelta(days=1)


def overstaying(session: Session, now: datetime, limit: timedelta) -> list[Visit]:
    """People inside longer than `limit`, longest first."""
    return [v for v in visits.inside_now(session) if now - v.time_in > limit]


# -- corrections ---------------------------------------------------------------------------------
def _iso_or_none(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def apply_correction(visit: Visit, body: dict[str, Any], hlc: str) -> bool:
    """Folds a correction event into the visit row, unless a later correction already won."""
    if visit.correction_hlc is not None and hlc <= visit.correction_hlc:
        return False
    for key in ("display_name", "purpose", "host"):
        if isinstance(body.get(key), str):
            setattr(visit, key, body[key])
    if "time_out" in body and visit.status in (visits.INSIDE, visits.LEFT):
        value = body["time_out"]
        visit.time_out = datetime.fromisoformat(value) if value else None
        visit.status = visits.LEFT if visit.time_out else visits.INSIDE
        visit.auto_closed = False  # a supervisor's time is no longer a guess
    visit.correction_hlc = hlc
    return True


def _clean(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]


class Supervision:
    """The supervisor's actions; every method is one transaction with its event and audit row."""

    def __init__(self, checkpoint: Checkpoint, settings: Settings | None = None) -> None:
        self.checkpoint = checkpoint
        self.db = checkpoint.db
        self.settings = settings

    def now(self) -> datetime:
        return self.checkpoint.now()

    def policy(self) -> VisitPolicy:
        with self.db.read() as session:
            return VisitPolicy.resolve(reference.site_policy_data(session), self.settings)

    @staticmethod
    def _who(supervisor: str) -> str:
        name = _clean(supervisor, 100)
        if not name:
            raise SupervisionError("supervisor_required", "the supervisor's name is required")
        return name

    def override(self, denied_visit_id: str, *, reason: str, supervisor: str) -> Visit:
        """Admits a person the gate denied: a new visit and check-in that say who allowed it and why."""
        reason = reason.strip()[:REASON_MAX]
        if not reason:
            raise SupervisionError("reason_required", "an override needs a reason")
        supervisor = self._who(supervisor)
        now = self.now()
        with self.db.transaction() as session:
            denied = session.get(Visit, denied_visit_id)
            if denied is None:
                raise SupervisionError("visit_not_found", f"no visit {denied_visit_id}")
            if denied.status != visits.DENIED:
                raise SupervisionError("not_denied", "only a denied scan can be overridden")
            if session.scalars(select(Visit.visit_id).where(Visit.override_of == denied_visit_id)).first():
                raise SupervisionError("already_admitted", "this refusal was already overridden")
            if visits.find_open_visit(session, denied.subject_key) is not None:
                raise SupervisionError("already_inside", "this person is already inside")
            station = load_station(session)
            guard = self.checkpoint.guard
            params = {"reason": reason, "supervisor": supervisor, "denied_reason": denied.reason_code}
            visit = Visit(
                visit_id=new_id(),
                subject_key=denied.subject_key,
                display_name=denied.display_name,
                nik_masked=denied.nik_masked,
                person_kind=denied.person_kind,
                credential_kind=denied.credential_kind,
                purpose=denied.purpose,
                host=denied.host,
                colour=denied.colour,
                reason_code="supervisor_override",
                reason_params_json=json.dumps(params, ensure_ascii=False),
                status=visits.INSIDE,
                time_in=now,
                gate_in=station.gate_name,
                guard=guard,
                station_id=station.station_id,
                manual=denied.manual,
                override_of=denied_visit_id,
            )
            session.add(visit)
            override = {"reason": reason, "supervisor": supervisor, "denied_visit_id": denied_visit_id}
            event = append_event(
                session,
                station,
                kind="check_in",
                visit_id=visit.visit_id,
                occurred_at=now,
                guard=guard,
                body={
                    "visit_id": visit.visit_id,
                    "subject_key": visit.subject_key,
                    "display_name": visit.display_name,
                    "nik_masked": visit.nik_masked,
                    "person_kind": visit.person_kind,
                    "credential_kind": visit.credential_kind,
                    "colour": visit.colour,
                    "reason": visit.reason_code,
                    "reason_params": params,
                    "purpose": visit.purpose,
                    "host": visit.host,
                    "gate": station.gate_name,
                    "manual": visit.manual,
                    "guard": guard,
                    "override": override,
                },
            )
            append_audit(
                session,
                at=now,
                actor=supervisor,
                action="override",
                detail={
                    "reason": reason,
                    "visit_id": visit.visit_id,
                    "denied_visit_id": denied_visit_id,
                    "event_id": event.event_id,
                    "guard": guard,
                    "colour": denied.colour,
                    "denied_reason": denied.reason_code,
                },
            )
        return visit

    def correct(
        self,
        visit_id: str,
        *,
        display_name: str,
        purpose: str,
        host: str,
        time_out: datetime | None,
        supervisor: str,
        reason: str = "",
    ) -> Visit:
        """Records the corrected state of a visit (all four fields, as the supervisor left them)."""
        supervisor = self._who(supervisor)
        reason = reason.strip()[:REASON_MAX]
        wanted = {
            "display_name": _clean(display_name),
            "purpose": _clean(purpose),
            "host": _clean(host),
            "time_out": time_out,
        }
        now = self.now()
        with self.db.transaction() as session:
            visit = session.get(Visit, visit_id)
            if visit is None:
                raise SupervisionError("visit_not_found", f"no visit {visit_id}")
            changed = [k for k in CORRECTABLE if wanted[k] != getattr(visit, k)]
            if not changed:
                raise SupervisionError("nothing_changed", "nothing was changed")
            if not wanted["display_name"] and "display_name" in changed:
                raise SupervisionError("name_required", "the name cannot be emptied")
            if "time_out" in changed:
                self._check_time_out(session, visit, time_out, now)
            station = load_station(session)
            body = {
                "visit_id": visit.visit_id,
                "time_out": _iso_or_none(wanted["time_out"]),
                "display_name": wanted["display_name"],
                "purpose": wanted["purpose"],
                "host": wanted["host"],
                "fields": changed,
                "supervisor": supervisor,
                "reason": reason,
                "subject_key": visit.subject_key,
                "gate": station.gate_name,
            }
            event = append_event(
                session,
                station,
                kind="correction",
                visit_id=visit.visit_id,
                occurred_at=now,
                guard=self.checkpoint.guard,
                body=body,
            )
            apply_correction(visit, body, event.hlc)
            append_audit(
                session,
                at=now,
                actor=supervisor,
                action="correction",
                detail={
                    "visit_id": visit.visit_id,
                    "event_id": event.event_id,
                    "fields": changed,
                    "reason": reason,
                    "guard": self.checkpoint.guard,
                },
            )
        return visit

    @staticmethod
    def _check_time_out(session: Session, visit: Visit, time_out: datetime | None, now: datetime) -> None:
        if visit.status not in (visits.INSIDE, visits.LEFT):
            raise SupervisionError("not_admitted", "a refused scan has no check-out time")
        if time_out is None:
            other = visits.find_open_visit(session, visit.subject_key)
            if other is not None and other.visit_id != visit.visit_id:
                raise SupervisionError("already_inside", "this person has another visit still open")
            return
        if time_out.tzinfo is None:
            raise SupervisionError("bad_time", "the check-out time needs a time zone")
        if time_out < visit.time_in:
            raise SupervisionError("time_out_before_in", "check-out cannot be before check-in")
        if time_out > now + FUTURE_TOLERANCE:
            raise SupervisionError("time_out_in_future", "check-out cannot be in the future")

    # -- forgotten check-outs ------------------------------------------------------------------
    def auto_close(self) -> list[Visit]:
        """Closes every visit still open past its day's closing time, at that closing time."""
        policy = self.policy()
        if policy.closing is None:
            return []
        now = self.now()
        closed: list[Visit] = []
        with self.db.transaction() as session:
            station = load_station(session)
            for visit in visits.inside_now(session):
                at = closing_moment(visit.time_in, policy.closing, now)
                if at > now:
                    continue
                visit.status, visit.time_out, visit.gate_out, visit.auto_closed = (
                    visits.LEFT,
                    at,
                    station.gate_name,
                    True,
                )
                append_event(
                    session,
                    station,
                    kind="check_out",
                    visit_id=visit.visit_id,
                    occurred_at=at,
                    guard=self.checkpoint.guard,
                    body={
                        "visit_id": visit.visit_id,
                        "subject_key": visit.subject_key,
                        "gate": station.gate_name,
                        "by_hand": False,
                        "auto": True,
                        "closing_time": policy.closing.strftime("%H:%M"),
                    },
                )
                closed.append(visit)
            if closed:
                append_audit(
                    session,
                    at=now,
                    actor="system",
                    action="auto_check_out",
                    detail={
                        "visit_ids": [v.visit_id for v in closed],
                        "closing_time": policy.closing.strftime("%H:%M"),
                    },
                )
        if closed:
            log.info("auto check-out: %d visit(s) closed at the closing time", len(closed))
        return closed

    def overstays(self) -> list[Visit]:
        policy = self.policy()
        with self.db.read() as session:
            return overstaying(session, self.now(), policy.overstay) if policy.overstay else []
