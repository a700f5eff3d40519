"""The shift book (buku mutasi): guards, shifts, handover notes and incidents, the handover summary.

No Qt here (the dialogs are ui/shift_*.py). Guard PINs are Argon2id hashes in the
`guard` table, checked with the supervisor PIN's own hasher and lock-out
(station/pin.py), one lock-out file per guard. While a shift is
open its guard is the checkpoint's `guard`, so every visit, event and audit row
written meanwhile names the guard on duty.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guardstation.domain.ids import new_id
from guardstation.station.checkpoint import Checkpoint
from guardstation.station.pin import PinCheck, SupervisorPin, audit_lockout_damage, check_new_pin, hash_pin
from guardstation.store import visits
from guardstation.store.audit import append_audit
from guardstation.store.db import Database
from guardstation.store.events import load_station
from guardstation.store.models import Guard, Shift, ShiftNote, Visit, VisitEvent

CATEGORIES = ("handover", "incident", "info")
SCAN_KINDS = ("check_in", "check_out", "denied", "notice")
GUARD_LOCKOUT_DIR = "guard_lockout"
NAME_MAX = 100
NOTE_MAX = 2000


class ShiftBookError(ValueError):
    """A refused shift-book action; `code` is stable (the UI words it), `params` fill the words in."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def clean_name(name: str) -> str:
    return " ".join(name.split())[:NAME_MAX]


@dataclass(frozen=True)
class InsideRow:
    visit_id: str
    name: str
    nik_masked: str
    time_in: datetime
    gate: str


@dataclass(frozen=True)
class NoteRow:
    at: datetime
    author: str
    category: str
    text: str


@dataclass
class HandoverSummary:
    """What the next guard must know: who is still inside, the incidents, what the gate did."""

    shift_id: str
    guard: str
    opened_at: datetime
    closed_at: datetime
    inside: list[InsideRow] = field(default_factory=list)
    incidents: list[NoteRow] = field(default_factory=list)
    handover_notes: list[NoteRow] = field(default_factory=list)
    by_colour: dict[str, int] = field(default_factory=dict)  # this gate's scans in the shift, by verdict
    check_outs: int = 0
    auto_check_outs: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, default=str)

    @classmethod
    def from_json(cls, text: str) -> HandoverSummary:
        data = json.loads(text)
        when = datetime.fromisoformat
        data["opened_at"], data["closed_at"] = when(data["opened_at"]), when(data["closed_at"])
        data["inside"] = [InsideRow(**{**r, "time_in": when(r["time_in"])}) for r in data["inside"]]
        for key in ("incidents", "handover_notes"):
            data[key] = [NoteRow(**{**r, "at": when(r["at"])}) for r in data[key]]
        return cls(**data)


def _note_row(note: ShiftNote) -> NoteRow:
    return NoteRow(note.at, note.author, note.category, note.text)


# -- queries (no writes) -------------------------------------------------------------------------
def current_shift(session: Session) -> Shift | None:
    return session.scalars(
        select(Shift).where(Shift.closed_at.is_(None)).order_by(Shift.opened_at.desc()).limit(1)
    ).first()


def guards(session: Session) -> list[Guard]:
    return list(session.scalars(select(Guard).where(Guard.active.is_(True)).order_by(Guard.name)))


def find_guard(session: Session, name: str) -> Guard | None:
    return session.scalars(
        select(Guard).where(func.lower(Guard.name) == clean_name(name).lower(), Guard.active.is_(True))
    ).first()


def shift_notes(session: Session, shift_id: str) -> list[ShiftNote]:
    return list(
        session.scalars(select(ShiftNote).where(ShiftNote.shift_id == shift_id).order_by(ShiftNote.at, ShiftNote.id))
    )


def scan_counts(session: Session, since: datetime, until: datetime | None = None) -> dict[str, int]:
    """Scans recorded by each guard at this station (check-ins, check-outs, refusals, notices).

    A supervisor's override and an automatic check-out are not the guard's scans.
    """
    body = VisitEvent.body_json
    stmt = (
        select(VisitEvent.guard, func.count())
        .where(
            VisitEvent.kind.in_(SCAN_KINDS),
            VisitEvent.occurred_at >= since,
            func.json_extract(body, "$.override").is_(None),
            func.coalesce(func.json_extract(body, "$.auto"), 0) == 0,
        )
        .group_by(VisitEvent.guard)
        .order_by(func.count().desc())
    )
    if until is not None:
        stmt = stmt.where(VisitEvent.occurred_at < until)
    return {guard: count for guard, count in session.execute(stmt)}


def handover_summary(session: Session, shift: Shift, until: datetime) -> HandoverSummary:
    station_id = load_station(session).station_id
    in_shift = (Visit.station_id == station_id, Visit.time_in >= shift.opened_at, Visit.time_in < until)
    by_colour = dict(session.execute(select(Visit.colour, func.count()).where(*in_shift).group_by(Visit.colour)).all())
    outs = Counter(
        session.execute(
            select(func.coalesce(func.json_extract(VisitEvent.body_json, "$.auto"), 0)).where(
                VisitEvent.station_id == station_id,
                VisitEvent.kind == "check_out",
                VisitEvent.occurred_at >= shift.opened_at,
                VisitEvent.occurred_at < until,
            )
        ).scalars()
    )
    notes = shift_notes(session, shift.shift_id)
    return HandoverSummary(
        shift_id=shift.shift_id,
        guard=shift.guard_name,
        opened_at=shift.opened_at,
        closed_at=until,
        inside=[
            InsideRow(v.visit_id, v.display_name, v.nik_masked, v.time_in, v.gate_in)
            for v in visits.inside_now(session)
        ],
        incidents=[_note_row(n) for n in notes if n.category == "incident"],
        handover_notes=[_note_row(n) for n in notes if n.category == "handover"],
        by_colour=by_colour,
        check_outs=sum(outs.values()),
        auto_check_outs=outs.get(1, 0),
    )


# -- the service the window calls (on the database worker thread) ------------------------------
class ShiftBook:
    def __init__(self, db: Database, home: Path, checkpoint: Checkpoint) -> None:
        self.db = db
        self.home = Path(home)
        self.checkpoint = checkpoint

    def now(self) -> datetime:
        return self.checkpoint.now()

    def resume(self) -> Shift | None:
        """At start-up: a shift left open (the app was restarted) keeps its guard on duty."""
        with self.db.read() as session:
            shift = current_shift(session)
        self.checkpoint.guard = shift.guard_name if shift else ""
        return shift

    def guard_pin(self, guard: Guard) -> SupervisorPin:
        return SupervisorPin(
            guard.pin_hash,
            self.home / GUARD_LOCKOUT_DIR / f"{guard.guard_id}.json",
            clock=lambda: self.now().astimezone(UTC),
            on_damaged=lambda damage: audit_lockout_damage(self.db, damage, actor=guard.name),
        )

    def add_guard(self, name: str, pin: str, confirm: str, *, supervisor: str) -> Guard:
        name = clean_name(name)
        if not name:
            raise ShiftBookError("name_required", "the guard's name is required")
        problem = check_new_pin(pin, confirm)
        if problem is not None:
            raise ShiftBookError("pin", f"unacceptable PIN: {problem.value}", problem=problem)
        pin_hash = hash_pin(pin)  # Argon2id costs ~0.2 s: outside the transaction
        now = self.now()
        with self.db.transaction() as session:
            if find_guard(session, name) is not None:
                raise ShiftBookError("guard_exists", f"a guard named {name!r} already exists", name=name)
            guard = Guard(guard_id=new_id(), name=name, pin_hash=pin_hash, created_at=now, active=True)
            session.add(guard)
            append_audit(
                session,
                at=now,
                actor=supervisor or "supervisor",
                action="guard_added",
                detail={"guard_id": guard.guard_id, "guard": name},
            )
        return guard

    def open_shift(self, name: str, pin: str) -> Shift:
        with self.db.read() as session:
            open_now = current_shift(session)
            guard = find_guard(session, name)
        if open_now is not None:
            raise ShiftBookError(
                "shift_open", f"{open_now.guard_name}'s shift is still open", guard=open_now.guard_name
            )
        if guard is None:
            raise ShiftBookError("unknown_guard", f"no guard named {clean_name(name)!r}", name=clean_name(name))
        check: PinCheck = self.guard_pin(guard).verify(pin)
        if not check.ok:
            raise ShiftBookError(check.result.value, f"guard PIN {check.result.value}", check=check)
        now = self.now()
        with self.db.transaction() as session:
            if current_shift(session) is not None:  # opened at another window meanwhile
                raise ShiftBookError("shift_open", "a shift is already open", guard="")
            shift = Shift(
                shift_id=new_id(),
                guard_name=guard.name,
                guard_id=guard.guard_id,
                opened_at=now,
                closed_at=None,
                summary_json="",
            )
            session.add(shift)
            append_audit(
                session,
                at=now,
                actor=guard.name,
                action="shift_opened",
                detail={"shift_id": shift.shift_id, "guard_id": guard.guard_id},
            )
        self.checkpoint.guard = guard.name
        return shift

    def add_note(self, category: str, text: str, *, author: str = "") -> ShiftNote:
        text = text.strip()[:NOTE_MAX]
        if category not in CATEGORIES:
            raise ShiftBookError("bad_category", f"category must be one of {', '.join(CATEGORIES)}")
        if not text:
            raise ShiftBookError("note_empty", "the note is empty")
        now = self.now()
        with self.db.transaction() as session:
            shift = current_shift(session)
            if shift is None:
                raise ShiftBookError("no_shift", "no shift is open")
            author = clean_name(author) or shift.guard_name
            note = ShiftNote(shift_id=shift.shift_id, at=now, author=author, category=category, text=text)
            session.add(note)
            session.flush()
            append_audit(
                session,
                at=now,
                actor=author,
                action="shift_note",
                detail={"shift_id": shift.shift_id, "note_id": note.id, "category": category},
            )
        return note

    def preview_close(self) -> HandoverSummary:
        with self.db.read() as session:
            shift = current_shift(session)
            if shift is None:
                raise ShiftBookError("no_shift", "no shift is open")
            return handover_summary(session, shift, self.now())

    def close_shift(self) -> HandoverSummary:
        now = self.now()
        with self.db.transaction() as session:
            shift = current_shift(session)
            if shift is None:
                raise ShiftBookError("no_shift", "no shift is open")
            summary = handover_summary(session, shift, now)
            shift.closed_at = now
            shift.summary_json = summary.to_json()
            append_audit(
                session,
                at=now,
                actor=shift.guard_name,
                action="shift_closed",
                detail={
                    "shift_id": shift.shift_id,
                    "inside": len(summary.inside),
                    "incidents": len(summary.incidents),
                    "by_colour": summary.by_colour,
                },
            )
        self.checkpoint.guard = ""
        return summary
