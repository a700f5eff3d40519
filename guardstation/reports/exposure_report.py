"""The exposure window on this station: who shared the site with a subject between T1 and T2.

The overlap rule is the server's (guardstation.domain.exposure, shared with central tracing):
a subject's stay that overlaps [T1, T2] counts whole, extended by 30 minutes after the subject
left; another person's stay is a contact when it overlaps that (closed intervals: arriving
exactly 30 minutes after the subject left still counts); a stay without check-out lasts until
now. Only admitted visits count (a refused scan never entered the building).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from guardstation.domain import exposure
from guardstation.reports import data
from guardstation.reports.catalogue import person_word
from guardstation.reports.context import ReportContext
from guardstation.reports.document import Document, Table


def _span(row: data.VisitRow, site_id: str) -> exposure.VisitSpan:
    return exposure.VisitSpan(row.visit_id, site_id, row.subject_key, row.time_in, row.time_out)


def find(ctx: ReportContext, subject_key: str, period: data.Period):
    """(the subject's stays in the window, their rows by visit id, [(contact row, [Exposure...])])."""
    site = ctx.station.site_id or "site"
    window = exposure.FlagWindow(period.start, period.end)
    own_rows = {r.visit_id: r for r in data.visits_of_subject(ctx.db, subject_key)}
    cases = exposure.case_visits_in_window([_span(r, site) for r in own_rows.values()], subject_key, window, ctx.now)
    if not cases:
        return [], own_rows, []
    lo = min(c.start for c in cases)
    hi = max(exposure.reach(c, ctx.now)[1] for c in cases)
    candidates = {r.visit_id: r for r in data.admitted_overlapping(ctx.db, lo, hi)}
    ctx.ticker.add_total(len(candidates))
    found = exposure.find_exposures(
        cases, [_span(r, site) for r in candidates.values()], case_subject=subject_key, now=ctx.now
    )
    ctx.ticker.step(len(candidates))
    by_visit: dict[str, list[exposure.Exposure]] = defaultdict(list)
    for item in found:
        by_visit[item.contact_visit_id].append(item)
    contacts = sorted(
        ((candidates[vid], items) for vid, items in by_visit.items()),
        key=lambda pair: (min(e.start for e in pair[1]), pair[0].display_name),
    )
    return cases, own_rows, contacts


def _overlap_minutes(items: list[exposure.Exposure]) -> int:
    """Total shared time of one contact visit, overlapping case windows counted once."""
    spans = sorted((e.start, e.end) for e in items)
    total = timedelta(0)
    cur_start, cur_end = spans[0]
    for start, end in spans[1:]:
        if start <= cur_end:
            cur_end = max(cur_end, end)
        else:
            total += cur_end - cur_start
            cur_start, cur_end = start, end
    total += cur_end - cur_start
    return round(total.total_seconds() / 60)


def document(ctx: ReportContext, subject_key: str, subject_label: str, period: data.Period) -> tuple[Document, int]:
    t = ctx.t
    cases, own_rows, contacts = find(ctx, subject_key, period)
    after = int(exposure.LINGER.total_seconds() // 60)
    info = [
        (t("field.site"), ctx.station.site_name or t("value.not_recorded")),
        (t("field.subject"), subject_label),
        (t("field.window"), f"{ctx.period_text(period)} {t('value.plus_minutes', n=after)}"),
        (t("field.generated"), ctx.generated_text),
        (t("field.station"), ctx.station.station_id),
    ]
    doc = Document("exposure", t("title.exposure"), ctx.station.site_name, info, landscape=True)
    stay_rows = []
    for case in cases:
        row = own_rows[case.visit_id]
        stay_rows.append(
            [
                ctx.when(case.start),
                ctx.when(case.end) if case.end else t("value.open"),
                row.gate_in,
                row.display_name or t("value.unnamed"),
            ]
        )
    doc.tables.append(
        Table(
            t("exp.subject_stays"),
            [t("col.in_short"), t("col.out_short"), t("col.gate_in"), t("col.name")],
            stay_rows,
            widths=[1.5, 1.5, 1.5, 2.5],
            note="" if stay_rows else t("exp.no_stays"),
        )
    )
    contact_rows = []
    for row, items in contacts:
        first = min(e.start for e in items)
        contact_rows.append(
            [
                row.display_name or t("value.unnamed"),
                row.nik_masked,
                person_word(row.person_kind, ctx.lang),
                ctx.when(row.time_in),
                ctx.when(row.time_out) if row.time_out else t("value.open"),
                ctx.when(first),
                _overlap_minutes(items),
            ]
        )
    people = len({row.subject_key for row, _ in contacts})
    doc.tables.append(
        Table(
            t("exp.contacts", n=people),
            [
                t("col.name"),
                t("col.nik"),
                t("col.person_kind"),
                t("col.in_short"),
                t("col.out_short"),
                t("col.first_contact"),
                t("col.overlap_min"),
            ],
            contact_rows,
            widths=[2.6, 1.7, 1, 1.5, 1.5, 1.5, 1.2],
            note="" if contact_rows else t("exp.no_contacts"),
        )
    )
    doc.notes.append(t("exp.rule", t1=ctx.when(period.start), t2=ctx.when(period.end), after=after))
    return doc, len(contact_rows)


def contact_keys(ctx: ReportContext, subject_key: str, period: data.Period) -> set[str]:
    """The subject keys of everyone found (for tests and the server-side comparison)."""
    _, _, contacts = find(ctx, subject_key, period)
    return {row.subject_key for row, _ in contacts if row.subject_key}
