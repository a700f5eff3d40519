"""The evacuation list: everyone recorded inside now, per gate, in big type, with a tick column.

Works offline from this station's database: people who came in through another gate appear
only once their check-in has been synchronised (the list says so).
"""

from __future__ import annotations

from itertools import groupby

from guardstation.reports import data
from guardstation.reports.catalogue import person_word
from guardstation.reports.context import ReportContext
from guardstation.reports.document import Document, Table


def document(ctx: ReportContext) -> tuple[Document, int]:
    t = ctx.t
    people = data.inside_now(ctx.db)
    ctx.ticker.add_total(len(people))
    info = [
        (t("field.site"), ctx.station.site_name or t("value.not_recorded")),
        (t("field.as_of"), ctx.generated_text),
        (
            t("field.inside_total"),
            t("value.people_capacity", n=len(people), capacity=ctx.station.capacity)
            if ctx.station.capacity
            else t("value.people", n=len(people)),
        ),
        (t("field.station"), f"{ctx.station.gate_name} · {ctx.station.station_id}"),
    ]
    doc = Document("evacuation", t("title.evacuation"), t("subtitle.evacuation"), info, large=True)
    headers = [t("col.no"), t("col.name"), t("col.person_kind"), t("col.host_short"), t("col.since"), t("col.present")]
    for gate, group in groupby(people, key=lambda v: v.gate_in or ctx.station.gate_name):
        rows = []
        for row in group:
            ctx.ticker.step()
            host = " · ".join(x for x in (row.host, row.purpose) if x)
            rows.append(
                [
                    len(rows) + 1,
                    row.display_name or t("value.unnamed"),
                    person_word(row.person_kind, ctx.lang),
                    host,
                    ctx.when(row.time_in, with_date=False)
                    if row.time_in.astimezone(ctx.tz).date() == ctx.now.astimezone(ctx.tz).date()
                    else ctx.when(row.time_in),
                    "",
                ]
            )
        doc.tables.append(
            Table(
                t("evac.gate_heading", gate=gate, n=len(rows)),
                headers,
                rows,
                widths=[0.75, 3.5, 1.2, 2.6, 1.45, 1.1],
                tick_last=True,
            )
        )
    if not people:
        doc.notes.append(t("evac.nobody"))
    doc.notes.append(t("evac.note"))
    return doc, len(people)
