"""PDF rendering with reportlab: page frame, fonts, header fields, tables, the hourly chart.

Fonts: a TrueType font with wide coverage is embedded (DejaVu Sans where the system has it,
Arial on Windows, else Bitstream Vera, which ships inside reportlab itself), so names with
accents print correctly and the text can be extracted again (pypdf in the tests).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from guardstation import __version__
from guardstation.reports.catalogue import tr
from guardstation.reports.document import Document
from guardstation.reports.document import Table as DocTable

FONT, FONT_BOLD = "GS-Sans", "GS-Sans-Bold"
_FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
]
_font_lock = threading.Lock()
_fonts_ready = False

VERDICT_COLOURS = {
    "green": colors.HexColor("#1e8e3e"),
    "yellow": colors.HexColor("#f2b705"),
    "red": colors.HexColor("#d93025"),
    "black": colors.HexColor("#202124"),
    "full": colors.HexColor("#7b1fa2"),
}
INK = colors.HexColor("#202124")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#c4c9d0")
HEAD_FILL = colors.HexColor("#dde4ee")
ZEBRA = colors.HexColor("#f4f6f9")


def register_fonts() -> str:
    """Registers GS-Sans/GS-Sans-Bold once per process; returns the file used."""
    global _fonts_ready
    with _font_lock:
        if _fonts_ready:
            return pdfmetrics.getFont(FONT).face.filename
        import reportlab

        bundled = Path(reportlab.__file__).parent / "fonts"
        candidates = _FONT_CANDIDATES + [(str(bundled / "Vera.ttf"), str(bundled / "VeraBd.ttf"))]
        for regular, bold in candidates:
            if Path(regular).is_file() and Path(bold).is_file():
                pdfmetrics.registerFont(TTFont(FONT, regular))
                pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
                pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
                _fonts_ready = True
                return regular
        raise RuntimeError("no TrueType font found for PDF reports (reportlab's Vera.ttf is missing)")


@dataclass(frozen=True)
class Sizes:
    body: float
    small: float
    title: float
    heading: float
    table: float
    leading: float

    @classmethod
    def normal(cls) -> Sizes:
        return cls(body=9.5, small=7.5, title=17, heading=12, table=8.5, leading=1.25)

    @classmethod
    def large(cls) -> Sizes:
        return cls(body=13, small=10, title=26, heading=18, table=14, leading=1.3)


def styles(sizes: Sizes) -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=sizes.body, leading=sizes.body * sizes.leading, textColor=INK, alignment=TA_LEFT
    )
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=sizes.small, leading=sizes.small * 1.3, textColor=MUTED),
        "title": ParagraphStyle(
            "title", parent=base, fontName=FONT_BOLD, fontSize=sizes.title, leading=sizes.title * 1.2, spaceAfter=2
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=sizes.heading * 0.9,
            leading=sizes.heading * 1.2,
            textColor=MUTED,
            spaceAfter=6,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=sizes.heading,
            leading=sizes.heading * 1.25,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=sizes.table, leading=sizes.table * 1.2),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT_BOLD, fontSize=sizes.table, leading=sizes.table * 1.2
        ),
    }


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class ReportTemplate(SimpleDocTemplate):
    """A4 with a footer on every page: what this is, when it was made, the page number."""

    def __init__(
        self,
        path: Path,
        *,
        footer_left: str,
        generated: str,
        lang: str,
        landscape_mode: bool = False,
        on_page: Callable[[], None] | None = None,
        title: str = "",
        subject: str = "",
    ) -> None:
        size = landscape(A4) if landscape_mode else A4
        super().__init__(
            str(path),
            pagesize=size,
            leftMargin=14 * mm,
            rightMargin=14 * mm,
            topMargin=14 * mm,
            bottomMargin=16 * mm,
            title=title,
            author="GuardStation",
            subject=subject,
            creator=f"GuardStation {__version__}",
        )
        self._footer_left = footer_left
        self._footer_right = tr("footer.generated", lang, version=__version__, time=generated)
        self._lang = lang
        self._on_page = on_page

    def _footer(self, canvas, doc) -> None:
        if self._on_page is not None:
            self._on_page()  # e.g. stop here when the export is cancelled
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        width, _ = self.pagesize
        y = 9 * mm
        right = f"{self._footer_right}  ·  {tr('footer.page', self._lang, page=doc.page)}"
        room = width - self.leftMargin - self.rightMargin - pdfmetrics.stringWidth(right, FONT, 7.5) - 12
        left = self._footer_left
        while left and pdfmetrics.stringWidth(left, FONT, 7.5) > room:
            left = left[:-2] + "…" if len(left) > 2 else ""
        canvas.drawString(self.leftMargin, y, left)
        canvas.drawRightString(width - self.rightMargin, y, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.leftMargin, y + 4 * mm, width - self.rightMargin, y + 4 * mm)
        canvas.restoreState()

    def build_story(self, story: list) -> None:
        self.build(story, onFirstPage=self._footer, onLaterPages=self._footer)


def info_table(
    rows: Sequence[tuple[str, str]], st: dict[str, ParagraphStyle], width: float, label_share: float = 0.24
) -> Table:
    data = [[para(label, st["cell_bold"]), para(value, st["cell"])] for label, value in rows]
    table = Table(data, colWidths=[width * label_share, width * (1 - label_share)], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def data_table(
    table: DocTable,
    st: dict[str, ParagraphStyle],
    width: float,
    *,
    cell_text: Callable[[Any], str],
    swatches: dict[int, str] | None = None,
    roomy: bool = False,
) -> list:
    """A titled table; cells wrap. `swatches` maps row index -> verdict colour for a coloured marker.
    `roomy`: taller rows (a list printed to be ticked by hand)."""
    flow: list = [para(table.title, st["heading"])]
    if not table.rows:
        if table.note:
            flow.append(para(table.note, st["body"]))
        return flow
    weights = list(table.widths or [1] * len(table.headers))
    total = float(sum(weights))
    col_widths = [width * w / total for w in weights]
    data = [[para(h, st["cell_bold"]) for h in table.headers]]
    for row in table.rows:
        data.append([para(cell_text(v), st["cell"]) for v in row])
    result = LongTable(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    pad = 7 if roomy else 2
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE" if roomy else "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 1), (-1, -1), pad + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for i in range(2, len(data), 2):
        style.append(("BACKGROUND", (0, i), (-1, i), ZEBRA))
    if table.total_row:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1.0, INK))
        for col in range(len(table.headers)):
            data[-1][col].style = st["cell_bold"]
    if table.tick_last:
        style.append(("GRID", (-1, 1), (-1, -1), 1.0, INK))
        style.append(("BACKGROUND", (-1, 1), (-1, -1), colors.white))
    for row_index, colour in (swatches or {}).items():
        shade = VERDICT_COLOURS.get(colour)
        if shade is not None:
            style.append(("LINEBEFORE", (0, row_index + 1), (0, row_index + 1), 5, shade))
    result.setStyle(TableStyle(style))
    flow.append(result)
    if table.note:
        flow.append(Spacer(1, 2))
        flow.append(para(table.note, st["small"]))
    return flow


def title_block(doc: Document, st: dict[str, ParagraphStyle], width: float) -> list:
    flow = [para(doc.title, st["title"])]
    if doc.subtitle:
        flow.append(para(doc.subtitle, st["subtitle"]))
    flow.append(info_table(doc.info, st, width, label_share=0.3 if doc.large else 0.24))
    return flow


def render_document(
    doc: Document,
    path: Path,
    *,
    lang: str,
    generated: str,
    cell_text: Callable[[Any], str],
    footer_left: str,
    on_page: Callable[[], None] | None = None,
    extra: Callable[[dict[str, ParagraphStyle], float], list] | None = None,
) -> None:
    sizes = Sizes.large() if doc.large else Sizes.normal()
    st = styles(sizes)
    template = ReportTemplate(
        path,
        footer_left=footer_left,
        generated=generated,
        lang=lang,
        landscape_mode=doc.landscape,
        on_page=on_page,
        title=doc.title,
        subject=doc.subtitle,
    )
    width = template.width
    story = title_block(doc, st, width)
    if extra is not None:
        story.extend(extra(st, width))
    for table in doc.tables:
        story.extend(data_table(table, st, width, cell_text=cell_text, roomy=doc.large))
    for note in doc.notes:
        story.append(Spacer(1, 6))
        story.append(para(note, st["small"]))
    template.build_story(story)


# -- the hourly occupancy chart ----------------------------------------------------------------------------------


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    names: Sequence[str],
    *,
    width: float,
    height: float,
    capacity: int | None,
    capacity_label: str,
    title: str,
    fills: Sequence[Any] = (colors.HexColor("#3b6ea8"), colors.HexColor("#9bb7d8")),
) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 34
    chart.width, chart.height = width - 40, height - 70
    chart.data = [list(s) or [0] for s in series]
    top = max([max(s) if s else 0 for s in chart.data] + [capacity or 0, 1])
    step = max(1, int(round(top / 5.0)))
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top + step - (top % step) if top % step else top + step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5 if len(labels) > 24 else 7
    chart.categoryAxis.labels.angle = 90 if len(labels) > 24 else 0
    chart.categoryAxis.labels.dy = -6 if len(labels) > 24 else -2
    chart.categoryAxis.labels.boxAnchor = "e" if len(labels) > 24 else "n"
    chart.barSpacing = 0.5
    chart.groupSpacing = 2
    for i, fill in enumerate(fills[: len(chart.data)]):
        chart.bars[i].fillColor = fill
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    drawing.add(String(chart.x, height - 12, title, fontName=FONT_BOLD, fontSize=8.5, fillColor=INK))
    if capacity:
        y = chart.y + chart.height * capacity / chart.valueAxis.valueMax
        drawing.add(
            Line(
                chart.x,
                y,
                chart.x + chart.width,
                y,
                strokeColor=VERDICT_COLOURS["red"],
                strokeWidth=1.2,
                strokeDashArray=[4, 2],
            )
        )
        drawing.add(
            String(
                chart.x + chart.width,
                y + 2,
                capacity_label,
                fontName=FONT,
                fontSize=7,
                fillColor=VERDICT_COLOURS["red"],
                textAnchor="end",
            )
        )
    legend = Legend()  # on its own line under the title, so a long title never runs into it
    legend.fontName = FONT
    legend.fontSize = 7
    legend.x, legend.y = chart.x, height - 19
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 10
    legend.autoXPadding = 12
    legend.colorNamePairs = list(zip(fills[: len(names)], names))
    legend.boxAnchor = "nw"
    drawing.add(legend)
    return drawing


def keep(flow: list) -> KeepTogether:
    return KeepTogether(flow)
