"""The monitoring report for inspectors (Satpol PP): what the gate did in a period, and how well.

What is counted (also printed in the report, "How this was counted"):
- Entrants: admitted visits (status inside or left) whose time in lies in the period; "scanned"
  are those from a QR code, "by hand" those entered manually (visit.manual).
- Refusals: denied scans in the period by reason (capacity-full refusals included, as a reason).
- Capacity breaches: scans refused with the FULL verdict, the days they happened, and the peak
  number of people inside (from the check-ins and check-outs) against the site's capacity.
- Overrides: audit-log rows with action "override" in the period (the supervisor's override is a
  later step; until then this says "no overrides recorded").
- Guards on duty: the shift table when it holds shifts for the period (guard, opened, closed,
  records made by that guard meanwhile); otherwise derived from the records: per guard and
  day, the first and the last record.
- Offline / outage periods:
  * gaps without any scan (check-in, check-out, refusal or notice) longer than `gap_minutes`
    (default 60) inside the opening hours (site policy `opening_hours`, default Monday-Friday 07:00-17:00);
  * camera-lost periods: audit rows "camera_lost" ... "camera_restored" (an unmatched loss runs
    to the end of the period);
  * events not yet acknowledged by the central server (outbox), with the oldest one's time.
  Application restarts are not listed: every command-line run opens the station too, so the
  "station_opened" audit rows do not say when the gate was down.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from guardstation.reports import data
from guardstation.reports.catalogue import reason_label, verdict_word
from guardstation.reports.context import ReportContext
from guardstation.reports.document import Document, Table, percent
from guardstation.reports.stats import GapFinder, OccupancySweep, OpeningHours

OVERRIDE_ACTIONS = ("override",)
CAMERA_LOST, CAMERA_BACK = "camera_lost", "camera_restored"
DEFAULT_GAP_MINUTES = 60


@dataclass(frozen=True)
class Duty:
    guard: str
    start: datetime
    end: datetime | None
    records: int


@dataclass(frozen=True)
class Outage:
    kind: str  # "gap" | "camera"
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)


@dataclass
class MonitoringFigures:
    period: data.Period
    records: int = 0
    entrants: int = 0
    manual: int = 0
    refusals: Counter = field(default_factory=Counter)
    refusal_colour: dict[str, str] = field(default_factory=dict)
    capacity_refusals: int = 0
    capacity_days: Counter = field(default_factory=Counter)
    peak: int = 0
    peak_at: datetime | None = None
    capacity: int | None = None
    overrides: list[data.AuditEvent] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    duties_from_shifts: bool = False
    outages: list[Outage] = field(default_factory=list)
    unsent: int = 0
    unsent_since: datetime | None = None
    opening: OpeningHours = field(default_factory=OpeningHours)
    gap_minutes: int = DEFAULT_GAP_MINUTES

    @property
    def scanned(self) -> int:
        return self.entrants - self.manual

    @property
    def refused(self) -> int:
        return sum(self.refusals.values())


def compute(ctx: ReportContext, period: data.Period, gap_minutes: int = DEFAULT_GAP_MINUTES) -> MonitoringFigures:
    figures = MonitoringFigures(
        period,
        capacity=ctx.station.capacity,
        gap_minutes=gap_minutes,
        opening=OpeningHours.from_policy(ctx.station.policy),
    )
    until = min(period.end, max(ctx.now, period.start))
    gaps = GapFinder(period.start, until, figures.opening, timedelta(minutes=gap_minutes), ctx.tz)
    sweep = OccupancySweep(period.start, period.end, ctx.tz, ctx.now, keep_timeline=False)
    for carried in data.inside_at(ctx.db, period.start):
        sweep.carry_in(carried.time_out)
    derived: dict[tuple[str, date], list] = {}
    # Check-outs are scans too: their times join the stream in order (a heap of the pending ones).
    check_outs: list[datetime] = [
        c.time_out for c in data.inside_at(ctx.db, period.start) if c.time_out is not None and c.time_out < until
    ]
    heapq.heapify(check_outs)
    for row in data.stream_visits(ctx.db, period):
        ctx.ticker.step()
        figures.records += 1
        while check_outs and check_outs[0] <= row.time_in:
            gaps.add(heapq.heappop(check_outs))
        gaps.add(row.time_in)
        if row.status in data.ADMITTED:
            figures.entrants += 1
            figures.manual += bool(row.manual)
            sweep.add(row.time_in, row.time_out)
            if row.time_out is not None and row.time_out < until:
                heapq.heappush(check_outs, row.time_out)
        elif row.status == "denied":
            figures.refusals[row.reason_code] += 1
            figures.refusal_colour.setdefault(row.reason_code, row.colour)
        if row.colour == "full":
            figures.capacity_refusals += 1
            figures.capacity_days[row.time_in.astimezone(ctx.tz).date()] += 1
        day = row.time_in.astimezone(ctx.tz).date()
        duty = derived.get((row.guard, day))
        if duty is None:
            derived[(row.guard, day)] = [row.time_in, row.time_in, 1]
        else:
            duty[1] = row.time_in
            duty[2] += 1
    while check_outs:
        gaps.add(heapq.heappop(check_outs))
    sweep.finish()
    figures.peak, figures.peak_at = sweep.peak, sweep.peak_at
    figures.outages = [Outage("gap", a, b) for a, b in gaps.finish()]
    figures.outages += _camera_outages(ctx, period, until)
    figures.outages.sort(key=lambda o: o.start)
    figures.overrides = data.audit_events(ctx.db, period, OVERRIDE_ACTIONS)
    shifts = data.shifts_in_period(ctx.db, period)
    if shifts:
        figures.duties_from_shifts = True
        figures.duties = [
            Duty(
                s.guard,
                s.opened_at,
                s.closed_at,
                data.count_by_guard(
                    ctx.db, max(s.opened_at, period.start), min(s.closed_at or ctx.now, period.end), s.guard
                ),
            )
            for s in shifts
        ]
    else:
        figures.duties = [
            Duty(guard, first, last, count)
            for (guard, _), (first, last, count) in sorted(derived.items(), key=lambda kv: (kv[0][1], kv[1][0]))
        ]
    figures.unsent, figures.unsent_since = data.unsent_events(ctx.db)
    return figures


def _camera_outages(ctx: ReportContext, period: data.Period, until: datetime) -> list[Outage]:
    outages, lost_at = [], None
    for event in data.audit_events(ctx.db, period, (CAMERA_LOST, CAMERA_BACK)):
        if event.action == CAMERA_LOST and lost_at is None:
            lost_at = event.at
        elif event.action == CAMERA_BACK and lost_at is not None:
            outages.append(Outage("camera", lost_at, event.at))
            lost_at = None
    if lost_at is not None:
        outages.append(Outage("camera", lost_at, max(until, lost_at)))
    return outages


def _weekdays_text(ctx: ReportContext, opening: OpeningHours) -> str:
    if opening.weekdays == frozenset({1, 2, 3, 4, 5}):
        return ctx.t("weekdays.mon_fri")
    return ctx.t("weekdays.custom", days=",".join(str(d) for d in sorted(opening.weekdays)))


def document(ctx: ReportContext, figures: MonitoringFigures) -> Document:
    t = ctx.t
    period = figures.period
    info = ctx.header(period)
    info.append((t("field.capacity"), str(figures.capacity) if figures.capacity else t("value.no_limit")))
    info.append((t("field.rows"), str(figures.records)))
    doc = Document("monitoring", t("title.monitoring"), t("subtitle.monitoring"), info)

    doc.tables.append(
        Table(
            t("section.entrants"),
            [t("col.item"), t("col.count"), t("col.share")],
            [
                [t("mon.entrants"), figures.entrants, 100.0 if figures.entrants else 0.0],
                [t("mon.scanned"), figures.scanned, percent(figures.scanned, figures.entrants)],
                [t("mon.manual"), figures.manual, percent(figures.manual, figures.entrants)],
            ],
            widths=[4, 1, 1],
        )
    )

    refusal_rows = [
        [
            reason_label(code, ctx.lang),
            verdict_word(figures.refusal_colour.get(code, ""), ctx.lang),
            count,
            percent(count, figures.refused),
        ]
        for code, count in sorted(figures.refusals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    if refusal_rows:
        refusal_rows.append([t("mon.refusals_total"), "", figures.refused, 100.0])
    doc.tables.append(
        Table(
            t("section.refusals"),
            [t("col.reason"), t("col.verdict"), t("col.count"), t("col.share")],
            refusal_rows,
            widths=[5, 1.6, 1, 1],
            total_row=bool(refusal_rows),
            note="" if refusal_rows else t("value.none"),
        )
    )

    days = ", ".join(f"{d.isoformat()} ({n})" for d, n in sorted(figures.capacity_days.items())[:14])
    if len(figures.capacity_days) > 14:
        days += ", …"
    peak = t("sum.peak_value", n=figures.peak, time=ctx.when(figures.peak_at)) if figures.peak_at else "0"
    if figures.capacity:
        peak += f" / {figures.capacity}"
    doc.tables.append(
        Table(
            t("section.capacity"),
            [t("col.item"), t("col.value")],
            [
                [t("mon.capacity_count"), figures.capacity_refusals],
                [t("mon.capacity_days"), f"{len(figures.capacity_days)}" + (f": {days}" if days else "")],
                [t("mon.capacity_peak"), peak],
            ],
            widths=[2.2, 3],
        )
    )

    override_rows = [[ctx.when(e.at), e.actor, e.detail.get("reason", "")] for e in figures.overrides]
    doc.tables.append(
        Table(
            t("section.overrides"),
            [t("col.from"), t("col.guard"), t("col.detail")],
            override_rows,
            widths=[1.3, 1.3, 4],
            note=f"{t('mon.overrides_count')}: {len(figures.overrides)}. "
            + ("" if override_rows else t("mon.no_overrides")),
        )
    )

    duty_rows = [
        [
            d.guard or t("value.not_recorded"),
            ctx.when(d.start),
            ctx.when(d.end) if d.end else t("value.open"),
            d.records,
        ]
        for d in figures.duties
    ]
    doc.tables.append(
        Table(
            t("section.guards"),
            [t("col.guard"), t("col.from"), t("col.to"), t("col.scans")],
            duty_rows,
            widths=[2.2, 1.6, 1.6, 1],
            note=("" if figures.duties_from_shifts else t("mon.guards_from_log")) if duty_rows else t("value.none"),
        )
    )

    kind_words = {"gap": t("outage.gap"), "camera": t("outage.camera")}
    outage_rows = [[kind_words[o.kind], ctx.when(o.start), ctx.when(o.end), o.minutes] for o in figures.outages]
    opening = figures.opening
    notes = [
        t(
            "mon.outage_rule",
            minutes=figures.gap_minutes,
            open=opening.opens.strftime("%H:%M"),
            close=opening.closes.strftime("%H:%M"),
            days=_weekdays_text(ctx, opening),
        )
    ]
    if not outage_rows:
        notes.append(t("mon.no_outages"))
    notes.append(
        t("mon.unsent", n=figures.unsent, since=ctx.when(figures.unsent_since)) if figures.unsent else t("mon.all_sent")
    )
    doc.tables.append(
        Table(
            t("section.outages"),
            [t("col.kind"), t("col.from"), t("col.to"), t("col.minutes")],
            outage_rows,
            widths=[2, 1.6, 1.6, 1],
            note=" ".join(notes),
        )
    )
    doc.notes.append(f"{t('section.method')}: {t('mon.method', tz=ctx.tz_text)}")
    return doc
