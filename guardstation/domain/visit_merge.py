"""Visits derived from visit events by set union (docs/architecture.md §6 conflict rules), independent of arrival order.

- A check-in opens a visit; a check-out at any gate closes it. A check-out that
  arrives before its check-in is kept and waits: the visit is not open until
  its check-in is there, and it is closed the moment it is.
- Two check-ins or two check-outs of one visit: the earliest (time, then event
  id) wins; the others stay as observations.
- A supervisor correction outranks raw events; between two corrections the
  later HLC wins. A correction may set `time_out` (None re-opens the visit).
- A void removes the visit from occupancy and tracing.

The same rules run as SQL upserts on the server (guardstation.server.ingest)
and on the station for other gates' visits; the tests hold both to this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

VISIT_KINDS = ("check_in", "check_out", "void", "correction")


@dataclass(frozen=True)
class VisitEventView:
    event_id: str
    visit_id: str
    kind: str
    at: datetime  # corrected (server) time of the event
    hlc: str = ""
    gate: str = ""
    station_id: str = ""
    subject_key: str | None = None
    corrected_time_out: datetime | None = None  # correction events only
    corrects_time_out: bool = False  # whether this correction carries time_out at all


@dataclass
class MergedVisit:
    visit_id: str
    subject_key: str | None = None
    time_in: datetime | None = None
    time_out_raw: datetime | None = None
    gate_in: str = ""
    gate_out: str = ""
    station_in: str = ""
    station_out: str = ""
    in_key: tuple | None = None
    out_key: tuple | None = None
    voided: bool = False
    correction_hlc: str | None = None
    correction_time_out: datetime | None = None
    observations: list[str] = field(default_factory=list)

    @property
    def time_out(self) -> datetime | None:
        return self.correction_time_out if self.correction_hlc is not None else self.time_out_raw

    @property
    def is_open(self) -> bool:
        return self.time_in is not None and self.time_out is None and not self.voided


def apply(visit: MergedVisit, event: VisitEventView) -> None:
    key = (event.at, event.event_id)
    if event.kind == "check_in":
        if visit.subject_key is None:
            visit.subject_key = event.subject_key
        if visit.in_key is None or key < visit.in_key:
            if visit.in_key is not None:
                visit.observations.append(visit.in_key[1])
            visit.in_key, visit.time_in = key, event.at
            visit.gate_in, visit.station_in = event.gate, event.station_id
        else:
            visit.observations.append(event.event_id)
    elif event.kind == "check_out":
        if visit.subject_key is None:
            visit.subject_key = event.subject_key
        if visit.out_key is None or key < visit.out_key:
            if visit.out_key is not None:
                visit.observations.append(visit.out_key[1])
            visit.out_key, visit.time_out_raw = key, event.at
            visit.gate_out, visit.station_out = event.gate, event.station_id
        else:
            visit.observations.append(event.event_id)
    elif event.kind == "void":
        visit.voided = True
    elif event.kind == "correction":
        if event.corrects_time_out and (visit.correction_hlc is None or event.hlc > visit.correction_hlc):
            visit.correction_hlc = event.hlc
            visit.correction_time_out = event.corrected_time_out


def merge(events: Iterable[VisitEventView]) -> dict[str, MergedVisit]:
    """Visits by id; the result does not depend on the order (or repetition) of the events."""
    visits: dict[str, MergedVisit] = {}
    seen: set[str] = set()
    for event in events:
        if event.kind not in VISIT_KINDS or event.event_id in seen:
            continue
        seen.add(event.event_id)
        apply(visits.setdefault(event.visit_id, MergedVisit(event.visit_id)), event)
    return visits


def open_visits(visits: Iterable[MergedVisit]) -> list[MergedVisit]:
    return [v for v in visits if v.is_open]
