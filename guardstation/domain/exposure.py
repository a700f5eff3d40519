"""Exposure tracing (docs/architecture.md §7): who shared a site with a positive case, and for how long they
are flagged.

Pure functions over plain visit spans; the server fetches candidate visits
with SQL and asks this module which of them are contacts.

- The look-back window starts `LOOKBACK` (14 days) before the date the case was
  positive from (`since`) and ends when the flag is raised (`now`): a case who
  kept coming to the office after `since` exposed people then too.
- A visit of another subject at the same site is a contact when it overlaps
  the case's visit extended by `LINGER` (30 minutes) after the case left:
  someone who arrives 20 minutes after the case left shared the air, someone
  who left before the case arrived did not.
- A visit still open (no check-out yet) lasts until `now`.
- Voided visits and visits without a subject key (nothing to flag) never count.
- A contact is flagged "close_contact" from the start of its first exposure
  until `CONTACT_DAYS` (14 days) after the end of its last one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

LOOKBACK = timedelta(days=14)
LINGER = timedelta(minutes=30)
CONTACT_DAYS = timedelta(days=14)
POSITIVE_DAYS = timedelta(days=14)


@dataclass(frozen=True)
class VisitSpan:
    visit_id: str
    site_id: str
    subject_key: str | None
    start: datetime
    end: datetime | None  # None: still inside
    voided: bool = False

    def end_or(self, now: datetime) -> datetime:
        return self.end if self.end is not None else max(now, self.start)


@dataclass(frozen=True)
class Exposure:
    subject_key: str
    site_id: str
    contact_visit_id: str
    case_visit_id: str
    start: datetime  # when the two visits (case visit + linger) began to overlap
    end: datetime  # when that overlap ended


@dataclass(frozen=True)
class FlagWindow:
    start: datetime
    end: datetime


def lookback_window(since: datetime, now: datetime, lookback: timedelta = LOOKBACK) -> FlagWindow:
    """Visits that started before `end` and had not ended by `start` belong to the case's window."""
    if since.tzinfo is None or now.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    start = since - lookback
    return FlagWindow(start, max(now, since))


def case_visits_in_window(
    visits: Iterable[VisitSpan], subject_key: str, window: FlagWindow, now: datetime
) -> list[VisitSpan]:
    return sorted(
        (
            v
            for v in visits
            if v.subject_key == subject_key and not v.voided and v.start <= window.end and v.end_or(now) >= window.start
        ),
        key=lambda v: (v.start, v.visit_id),
    )


def reach(case: VisitSpan, now: datetime, linger: timedelta = LINGER) -> tuple[datetime, datetime]:
    """The time during which sharing the case's site makes a contact."""
    return case.start, case.end_or(now) + linger


def find_exposures(
    case_visits: Sequence[VisitSpan],
    site_visits: Iterable[VisitSpan],
    *,
    case_subject: str,
    now: datetime,
    linger: timedelta = LINGER,
) -> list[Exposure]:
    """Every (contact visit, case visit) pair at the same site whose times overlap (closed intervals)."""
    by_site: dict[str, list[VisitSpan]] = {}
    for case in case_visits:
        if not case.voided:
            by_site.setdefault(case.site_id, []).append(case)
    found: list[Exposure] = []
    seen: set[tuple[str, str]] = set()
    for other in site_visits:
        if other.voided or not other.subject_key or other.subject_key == case_subject:
            continue
        for case in by_site.get(other.site_id, ()):
            lo, hi = reach(case, now, linger)
            start = max(lo, other.start)
            end = min(hi, other.end_or(now))
            if start <= end and (other.visit_id, case.visit_id) not in seen:
                seen.add((other.visit_id, case.visit_id))
                found.append(Exposure(other.subject_key, other.site_id, other.visit_id, case.visit_id, start, end))
    found.sort(key=lambda e: (e.site_id, e.start, e.contact_visit_id, e.case_visit_id))
    return found


@dataclass(frozen=True)
class ContactStatus:
    subject_key: str
    valid_from: datetime
    valid_until: datetime
    sites: tuple[str, ...]
    exposures: int


def contact_statuses(exposures: Iterable[Exposure], days: timedelta = CONTACT_DAYS) -> list[ContactStatus]:
    """One status per contact: from the first exposure to `days` after the last one."""
    grouped: dict[str, list[Exposure]] = {}
    for exposure in exposures:
        grouped.setdefault(exposure.subject_key, []).append(exposure)
    statuses = []
    for subject, items in sorted(grouped.items()):
        statuses.append(
            ContactStatus(
                subject,
                min(e.start for e in items),
                max(e.end for e in items) + days,
                tuple(sorted({e.site_id for e in items})),
                len(items),
            )
        )
    return statuses


def merge_validity(
    old_from: datetime | None, old_until: datetime | None, new_from: datetime, new_until: datetime | None
) -> tuple[datetime, datetime | None]:
    """Flagging again never shortens a status: the earliest start and the latest end (None = open-ended) win."""
    start = new_from if old_from is None else min(old_from, new_from)
    if old_from is None:
        return start, new_until
    if old_until is None or new_until is None:
        return start, None
    return start, max(old_until, new_until)
