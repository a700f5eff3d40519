"""A report as plain data (title, header fields, tables, notes), and its CSV and XLSX renderings.

The monitoring report, the evacuation list and the exposure window are small: they are built
as a `Document` and rendered to PDF (pdf.py), CSV or XLSX from the same data, so the three
formats always agree. (The visit log is different: it streams, see log_export.py.)
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from guardstation.reports.xlsx import XlsxWriter

# Spreadsheet programs run a cell that starts with one of these as a formula: a visitor called
# "=HYPERLINK(...)" must stay text (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    widths: Sequence[float] | None = None  # relative column widths (PDF) / characters (XLSX)
    note: str = ""  # shown under the table (e.g. "none recorded")
    total_row: bool = False  # the last row is a total (bold)
    tick_last: bool = False  # the last column is a box to tick on paper


@dataclass
class Document:
    kind: str
    title: str
    subtitle: str
    info: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    large: bool = False  # big type (evacuation list)
    landscape: bool = False


def time_text(value: datetime, tz: tzinfo | None, *, seconds: bool = True) -> str:
    """Local time with its offset: 2026-11-23 08:00:00+07:00."""
    return value.astimezone(tz).isoformat(sep=" ", timespec="seconds" if seconds else "minutes")


def short_time(value: datetime | None, tz: tzinfo | None, with_date: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def cell_text(value: Any, tz: tzinfo | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return time_text(value, tz) if value.tzinfo else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def excel_value(value: Any, tz: tzinfo | None) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(tz).replace(tzinfo=None)
    return value


def write_csv(doc: Document, path: Path, tz: tzinfo | None, delimiter: str = ",") -> None:
    """Sections one after another: a title line, the header, the rows, a blank line."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([csv_safe(doc.title)])
        for label, value in doc.info:
            writer.writerow([csv_safe(label), csv_safe(value)])
        for table in doc.tables:
            writer.writerow([])
            writer.writerow([csv_safe(table.title)])
            writer.writerow([csv_safe(h) for h in table.headers])
            for row in table.rows:
                writer.writerow([csv_safe(cell_text(v, tz)) if not isinstance(v, (int, float)) else v for v in row])
            if table.note:
                writer.writerow([csv_safe(table.note)])
        for note in doc.notes:
            writer.writerow([])
            writer.writerow([csv_safe(note)])


def write_xlsx(doc: Document, path: Path, tz: tzinfo | None) -> None:
    """One sheet for the header fields and notes, one per table."""
    with XlsxWriter(path) as book:
        info = book.sheet(doc.title, widths=[28, 70], freeze_rows=0)
        info.title(doc.title)
        if doc.subtitle:
            info.append([doc.subtitle])
        info.append([])
        for label, value in doc.info:
            info.append([label, value])
        for note in doc.notes:
            info.append([])
            info.append([note])
        for table in doc.tables:
            widths = table.widths or [max(12, min(45, len(h) + 4)) for h in table.headers]
            sheet = book.sheet(table.title, widths=[max(8.0, float(w)) for w in widths])
            sheet.header(table.headers)
            for row in table.rows:
                sheet.append([excel_value(v, tz) for v in row])
            if table.note:
                sheet.append([table.note])


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
