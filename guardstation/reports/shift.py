"""The shift / date-range log: CSV and XLSX (every visit, streamed) and the PDF report.

The PDF report carries the header (site, gate, guards, period), the totals by verdict and by
reason, the hourly occupancy chart and the list of visits (the first `list_limit`; the XLSX
holds them all).

NIK: the station database never holds a full NIK, only the masked form (3513********0001), so
there is nothing to unmask; a value that still looks like a full NIK (an old or foreign row) is
masked again on the way out.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, LongTable, Spacer, TableStyle
from reportlab.platypus import Table as PlatypusTable

from guardstation.domain.nik import mask_nik
from guardstation.domain.reasons import describe
from guardstation.reports import data, pdf
from guardstation.reports.catalogue import (
    credential_word,
    entry_word,
    person_word,
    reason_label,
    status_word,
    tr,
    tz_label,
    verdict_word,
)
from guardstation.reports.context import ReportContext
from guardstation.reports.document import Document, Table, csv_safe, percent
from guardstation.reports.stats import OccupancySweep
from guardstation.reports.xlsx import MAX_ROWS, XlsxWriter

LOG_COLUMNS = (
    "time_in",
    "time_out",
    "duration_min",
    "name",
    "nik",
    "person_kind",
    "credential",
    "entry",
    "verdict",
    "reason",
    "status",
    "purpose",
    "host",
    "gate_in",
    "gate_out",
    "guard",
    "visit_id",
)
XLSX_WIDTHS = {
    "time_in": 20,
    "time_out": 20,
    "duration_min": 9,
    "name": 28,
    "nik": 19,
    "person_kind": 10,
    "credential": 18,
    "entry": 11,
    "verdict": 11,
    "reason": 34,
    "status": 13,
    "purpose": 22,
    "host": 22,
    "gate_in": 16,
    "gate_out": 16,
    "guard": 16,
    "visit_id": 38,
}
VERDICT_ORDER = ("green", "yellow", "red", "black", "full")
FREE_TEXT_COLUMNS = frozenset({"name", "purpose", "host", "gate_in", "gate_out", "guard"})
_REASON_CACHE_MAX = 10_000


def check_columns(columns: Sequence[str] | None) -> tuple[str, ...]:
    if not columns:
        return LOG_COLUMNS
    unknown = [c for c in columns if c not in LOG_COLUMNS]
    if unknown:
        raise ValueError(f"unknown log columns {unknown}; known: {', '.join(LOG_COLUMNS)}")
    return tuple(columns)


class LogFormatter:
    """One visit row -> the cells of the chosen columns, in the chosen language and time zone."""

    def __init__(
        self, lang: str, tz: tzinfo | None, columns: Sequence[str] | None = None, at: datetime | None = None
    ) -> None:
        self.lang = lang
        self.tz = tz
        self.columns = check_columns(columns)
        self._pick = [LOG_COLUMNS.index(c) for c in self.columns]
        self._all = self._pick == list(range(len(LOG_COLUMNS)))
        self._tz_text = tz_label(tz, at)
        self._reasons: dict[tuple[str, str], str] = {}
        self._words = {
            "verdict": {c: verdict_word(c, lang) for c in VERDICT_ORDER},
            "status": {s: status_word(s, lang) for s in ("inside", "left", "denied", "notice")},
            "person": {p: person_word(p, lang) for p in ("employee", "visitor")},
            "entry": {m: entry_word(m, lang) for m in (False, True)},
        }

    def headers(self) -> list[str]:
        return [tr(f"col.{c}", self.lang, tz=self._tz_text) for c in self.columns]

    def reason(self, code: str, params_json: str) -> str:
        key = (code, params_json)
        text = self._reasons.get(key)
        if text is None:
            try:
                params = json.loads(params_json) if params_json else {}
            except ValueError:
                params = {}
            text = describe(code, params if isinstance(params, dict) else {}, self.lang)
            if len(self._reasons) >= _REASON_CACHE_MAX:
                self._reasons.clear()  # memory stays flat whatever the data holds
            self._reasons[key] = text
        return text

    @staticmethod
    def nik(value: str) -> str:
        digits = value.replace(" ", "")
        return mask_nik(digits) if digits.isdigit() and len(digits) > 8 else value

    def cells(self, row: data.VisitRow, *, excel: bool) -> list[Any]:
        tz = self.tz
        time_in = row.time_in.astimezone(tz)
        time_out = row.time_out.astimezone(tz) if row.time_out is not None else None
        duration = round((time_out - time_in).total_seconds() / 60) if time_out is not None else None
        if excel:
            t_in, t_out = time_in.replace(tzinfo=None), time_out.replace(tzinfo=None) if time_out else None
        else:
            t_in = time_in.isoformat(sep=" ", timespec="seconds")
            t_out = time_out.isoformat(sep=" ", timespec="seconds") if time_out else ""
        words = self._words
        values = [
            t_in,
            t_out,
            duration,
            row.display_name,
            self.nik(row.nik_masked),
            words["person"].get(row.person_kind, row.person_kind),
            credential_word(row.credential_kind, self.lang),
            words["entry"][bool(row.manual)],
            words["verdict"].get(row.colour, row.colour),
            self.reason(row.reason_code, row.reason_params_json),
            words["status"].get(row.status, row.status),
            row.purpose,
            row.host,
            row.gate_in,
            row.gate_out,
            row.guard,
            row.visit_id,
        ]
        return values if self._all else [values[i] for i in self._pick]


@dataclass
class ShiftTotals:
    """Counts gathered while the rows stream past (memory: one counter per verdict/reason)."""

    rows: int = 0
    by_colour: Counter = field(default_factory=Counter)
    by_reason: Counter = field(default_factory=Counter)
    reason_colour: dict[str, Counter] = field(default_factory=dict)
    admitted: int = 0
    manual_admitted: int = 0
    denied: int = 0
    notices: int = 0

    def add(self, row: data.VisitRow) -> None:
        self.rows += 1
        self.by_colour[row.colour] += 1
        self.by_reason[row.reason_code] += 1
        self.reason_colour.setdefault(row.reason_code, Counter())[row.colour] += 1
        if row.status in data.ADMITTED:
            self.admitted += 1
            if row.manual:
                self.manual_admitted += 1
        elif row.status == "denied":
            self.denied += 1
        else:
            self.notices += 1

    def verdict_table(self, lang: str) -> tuple[Table, dict[int, str]]:
        rows, swatches = [], {}
        for colour in list(VERDICT_ORDER) + sorted(set(self.by_colour) - set(VERDICT_ORDER)):
            count = self.by_colour.get(colour, 0)
            if colour not in VERDICT_ORDER and not count:
                continue
            swatches[len(rows)] = colour
            rows.append([verdict_word(colour, lang), count, percent(count, self.rows)])
        rows.append([tr("total.all", lang), self.rows, 100.0 if self.rows else 0.0])
        table = Table(
            tr("section.by_verdict", lang),
            [tr("col.verdict", lang), tr("col.count", lang), tr("col.share", lang)],
            rows,
            widths=[3, 1, 1],
            total_row=True,
        )
        return table, swatches

    def reason_table(self, lang: str) -> tuple[Table, dict[int, str]]:
        rows, swatches = [], {}
        for code, count in sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
            colour = self.reason_colour[code].most_common(1)[0][0]
            swatches[len(rows)] = colour
            rows.append([reason_label(code, lang), verdict_word(colour, lang), count, percent(count, self.rows)])
        table = Table(
            tr("section.by_reason", lang),
            [tr("col.reason", lang), tr("col.verdict", lang), tr("col.count", lang), tr("col.share", lang)],
            rows,
            widths=[5, 1.6, 1, 1],
            note="" if rows else tr("note.no_records", lang),
        )
        return table, swatches


def _check_rows(ctx: ReportContext, period: data.Period) -> Iterable[data.VisitRow]:
    for row in data.stream_visits(ctx.db, period):
        yield row
        ctx.ticker.step()


# -- CSV -----------------------------------------------------------------------------------------------------------


def write_log_csv(
    ctx: ReportContext, period: data.Period, path: Path, *, columns: Sequence[str] | None = None, delimiter: str = ","
) -> int:
    """UTF-8 with a byte-order mark, so Excel shows Indonesian names correctly when the file is opened."""
    formatter = LogFormatter(ctx.lang, ctx.tz, columns, ctx.now)
    rows = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(formatter.headers())
        # Text people typed or carried in (names, purposes, hosts, gates, guards) is guarded against
        # spreadsheet formulas; the rest is the station's own words, numbers and times.
        free = [i for i, c in enumerate(formatter.columns) if c in FREE_TEXT_COLUMNS]
        for row in _check_rows(ctx, period):
            cells = formatter.cells(row, excel=False)
            for i in free:
                value = cells[i]
                if value and value[0] in "=+-@\t\r":
                    cells[i] = csv_safe(value)
            writer.writerow(cells)
            rows += 1
    return rows


# -- XLSX ----------------------------------------------------------------------------------------------------------


def write_log_xlsx(ctx: ReportContext, period: data.Period, path: Path, *, columns: Sequence[str] | None = None) -> int:
    """Sheet 1: the visits (a new sheet every 1,048,575 rows); then the totals and the report's header."""
    formatter = LogFormatter(ctx.lang, ctx.tz, columns, ctx.now)
    headers = formatter.headers()
    widths = [XLSX_WIDTHS[c] for c in formatter.columns]
    totals = ShiftTotals()
    log_title = ctx.t("title.sheet_log")
    with XlsxWriter(path) as book:
        sheet = book.sheet(log_title, widths)
        sheet.header(headers)
        for row in _check_rows(ctx, period):
            if sheet.rows_written >= MAX_ROWS:
                sheet = book.sheet(log_title, widths)
                sheet.header(headers)
            sheet.append(formatter.cells(row, excel=True))
            totals.add(row)
        summary = book.sheet(ctx.t("title.sheet_summary"), widths=[40, 14, 14, 10])
        for table, _ in (totals.verdict_table(ctx.lang), totals.reason_table(ctx.lang)):
            summary.title(table.title)
            summary.header(table.headers)
            for values in table.rows:
                summary.append(values)
            summary.append([])
        info = book.sheet(ctx.t("title.sheet_info"), widths=[24, 70], freeze_rows=0)
        info.title(ctx.t("title.shift"))
        for label, value in ctx.header(period) + [(ctx.t("field.rows"), str(totals.rows))]:
            info.append([label, value])
    return totals.rows


# -- PDF -----------------------------------------------------------------------------------------------------------

LIST_COLUMNS = (
    ("col.in_short", 0.9),
    ("col.out_short", 0.9),
    ("col.name", 2.5),
    ("col.nik_short", 1.9),
    ("col.verdict", 1.2),
    ("col.reason", 3.2),
    ("col.guard", 1.4),
)
LIST_FONT_SIZE = 7.2


def _fit(text: str, width: float, font: str = pdf.FONT, size: float = LIST_FONT_SIZE) -> str:
    """Cut text to the column (the list has thousands of cells: no wrapping paragraphs there)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _occupancy(ctx: ReportContext, period: data.Period) -> OccupancySweep:
    sweep = OccupancySweep(period.start, period.end, ctx.tz, ctx.now)
    for carried in data.inside_at(ctx.db, period.start):
        sweep.carry_in(carried.time_out)
    return sweep


def occupancy_chart(ctx: ReportContext, sweep: OccupancySweep, period: data.Period, width: float):
    capacity = ctx.station.capacity
    cap_label = ctx.t("chart.capacity", capacity=capacity) if capacity else ""
    if sweep.keep_timeline:
        buckets = sweep.timeline()
        busy = [i for i, b in enumerate(buckets) if b.peak or b.entries]
        if busy:  # quiet night hours at either end say nothing: one hour of margin is kept
            buckets = buckets[max(0, busy[0] - 1) : busy[-1] + 2]
        multi_day = len({b.start.date() for b in buckets}) > 1
        labels = [b.start.strftime("%d/%m %H" if multi_day and b.start.hour == 0 else "%H") for b in buckets]
        return pdf.bar_chart(
            labels,
            [[b.peak for b in buckets]],
            [ctx.t("chart.peak")],
            width=width,
            height=62 * mm,
            capacity=capacity,
            capacity_label=cap_label,
            title=f"{ctx.t('chart.timeline')} ({ctx.tz_text})",
        )
    hours = sweep.hours_of_day()
    busy = [h.hour for h in hours if h.highest_peak or h.entries] or list(range(24))
    hours = hours[max(0, busy[0] - 1) : busy[-1] + 2]
    return pdf.bar_chart(
        [f"{h.hour:02d}" for h in hours],
        [[round(h.average_peak, 1) for h in hours], [h.highest_peak for h in hours]],
        [ctx.t("chart.avg_peak"), ctx.t("chart.highest_peak")],
        width=width,
        height=62 * mm,
        capacity=capacity,
        capacity_label=cap_label,
        title=f"{ctx.t('chart.by_hour_of_day', days=sweep.active_days)} ({ctx.tz_text})",
    )


def _list_table(ctx: ReportContext, rows: list[data.VisitRow], width: float, multi_day: bool, total: int):
    formatter = LogFormatter(ctx.lang, ctx.tz, ("verdict",), ctx.now)
    weights = [w for _, w in LIST_COLUMNS]
    col_widths = [width * w / sum(weights) for w in weights]
    inner = [w - 6 for w in col_widths]
    time_format = "%d/%m %H:%M" if multi_day else "%H:%M"
    data_rows = [[_fit(ctx.t(key), w, pdf.FONT_BOLD) for (key, _), w in zip(LIST_COLUMNS, inner)]]
    for row in rows:
        t_in = row.time_in.astimezone(ctx.tz).strftime(time_format)
        t_out = row.time_out.astimezone(ctx.tz).strftime(time_format) if row.time_out else ""
        values = [
            t_in,
            t_out,
            row.display_name or ctx.t("value.unnamed"),
            LogFormatter.nik(row.nik_masked),
            verdict_word(row.colour, ctx.lang),
            formatter.reason(row.reason_code, row.reason_params_json),
            row.guard,
        ]
        data_rows.append([_fit(v, w) for v, w in zip(values, inner)])
    table = LongTable(data_rows, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), LIST_FONT_SIZE),
        ("FONTNAME", (0, 0), (-1, 0), pdf.FONT_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), pdf.HEAD_FILL),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, pdf.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, row in enumerate(rows, 1):
        shade = pdf.VERDICT_COLOURS.get(row.colour)
        if shade is not None:
            style.append(("LINEBEFORE", (0, i), (0, i), 3.5, shade))
    table.setStyle(TableStyle(style))
    return table


def write_shift_pdf(ctx: ReportContext, period: data.Period, path: Path, *, list_limit: int = 2000) -> int:
    totals = ShiftTotals()
    sweep = _occupancy(ctx, period)
    shown: list[data.VisitRow] = []
    for row in _check_rows(ctx, period):
        totals.add(row)
        if row.status in data.ADMITTED:
            sweep.add(row.time_in, row.time_out)
        if len(shown) < list_limit:
            shown.append(row)
    st = pdf.styles(pdf.Sizes.normal())
    template = pdf.ReportTemplate(
        path,
        footer_left=f"{ctx.footer_left} · {ctx.t('title.shift')}",
        generated=ctx.generated_text,
        lang=ctx.lang,
        on_page=ctx.ticker.check,
        title=ctx.t("title.shift"),
        subject=ctx.period_text(period),
    )
    width = template.width
    info = ctx.header(period) + [(ctx.t("field.rows"), str(totals.rows))]
    doc = Document("shift", ctx.t("title.shift"), ctx.station.site_name, info)
    story = pdf.title_block(doc, st, width)

    # Summary and totals by verdict side by side: both short, and the chart then fits on page 1.
    half = width / 2 - 4 * mm
    summary = pdf.data_table(_summary_table(ctx, period, totals, sweep), st, half, cell_text=str)
    verdicts, verdict_swatches = totals.verdict_table(ctx.lang)
    verdict_flow = pdf.data_table(verdicts, st, half, cell_text=_number_text, swatches=verdict_swatches)
    pair = PlatypusTable([[summary, verdict_flow]], colWidths=[width / 2, width / 2], hAlign="LEFT")
    pair.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 8 * mm),
            ]
        )
    )
    story.append(pair)
    reasons, reason_swatches = totals.reason_table(ctx.lang)
    story.append(pdf.keep(pdf.data_table(reasons, st, width, cell_text=_number_text, swatches=reason_swatches)))
    story.append(
        pdf.keep([pdf.para(ctx.t("section.occupancy"), st["heading"]), occupancy_chart(ctx, sweep, period, width)])
    )
    story.append(CondPageBreak(40 * mm))  # never a heading with one lonely row at the foot of a page
    story.append(pdf.para(ctx.t("section.list"), st["heading"]))
    if shown:
        multi_day = (
            period.hours > 24
            or shown[0].time_in.astimezone(ctx.tz).date() != shown[-1].time_in.astimezone(ctx.tz).date()
        )
        story.append(_list_table(ctx, shown, width, multi_day, totals.rows))
        if totals.rows > len(shown):
            story.append(Spacer(1, 4))
            story.append(pdf.para(ctx.t("note.list_truncated", shown=len(shown), total=totals.rows), st["small"]))
    else:
        story.append(pdf.para(ctx.t("note.no_records"), st["body"]))
    template.build_story(story)
    return totals.rows


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _summary_table(ctx: ReportContext, period: data.Period, totals: ShiftTotals, sweep: OccupancySweep) -> Table:
    checkouts = data.count_checkouts(ctx.db, period)
    peak = (
        ctx.t("sum.peak_value", n=sweep.peak, time=ctx.when(sweep.peak_at, with_date=period.hours > 24))
        if sweep.peak_at is not None
        else "0"
    )
    rows = [
        [ctx.t("sum.admitted"), str(totals.admitted)],
        [ctx.t("sum.manual"), str(totals.manual_admitted)],
        [ctx.t("sum.denied"), str(totals.denied)],
        [ctx.t("sum.notices"), str(totals.notices)],
        [ctx.t("sum.checkouts"), str(checkouts)],
        [ctx.t("sum.peak"), peak],
        [ctx.t("sum.inside_now"), str(data.count_inside(ctx.db))],
    ]
    return Table(ctx.t("section.summary"), [ctx.t("col.item"), ctx.t("col.count")], rows, widths=[2.3, 1.6])
