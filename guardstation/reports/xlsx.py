"""A small streaming XLSX writer: rows go straight into the zip entry, memory stays flat.

Why not openpyxl's write-only mode: it builds a Cell object and an lxml element per cell, which
costs ~10 µs a cell; 100,000 visits x 17 columns took 19 s on the 2-core reference machine
(22 s without lxml; XlsxWriter's constant_memory mode 11.7 s), against a goal of 10 s. Writing
the SpreadsheetML text directly costs ~1 µs a cell. openpyxl reads these files back in the tests
(cell by cell), which checks that the package is well formed.

What it writes: inline strings (no shared-string table, so nothing grows with the rows),
numbers, booleans, dates/times as Excel serial numbers with a date format, a bold header row
that stays visible when scrolling (frozen pane), column widths and an autofilter. Excel's limit
of 1,048,576 rows per sheet is the caller's to respect (see `MAX_ROWS`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

MAX_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
_EPOCH = datetime(1899, 12, 30)
# XML 1.0 forbids most control characters; a name from a foreign certificate must not break the file.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_XML_SPACE = " \t\r\n"
_FLUSH_CHARS = 1 << 18  # write (and compress) in pieces of ~256 kB, not row by row

# Style indexes in styles.xml below.
STYLE_DEFAULT, STYLE_DATETIME, STYLE_HEADER, STYLE_DATE, STYLE_TITLE = 0, 1, 2, 3, 4

_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE4EE"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_NS_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_NEEDS_WORK = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS]
    if _NEEDS_WORK.search(text) is None:  # the common case: one regex scan, nothing to change
        return text
    text = _ILLEGAL.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def excel_serial(value: datetime | date) -> float:
    """Excel's day number (1900 date system); aware datetimes must be converted to local time first."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("Excel has no time zones: give local (naive) times")
        delta = value - _EPOCH
    else:
        delta = datetime(value.year, value.month, value.day) - _EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def sheet_name(name: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    base = " ".join(_BAD_SHEET_CHARS.sub(" ", name).split()).strip("'")[:31].strip() or "Sheet"
    taken_lower = {t.lower() for t in taken}
    candidate, n = base, 2
    while candidate.lower() in taken_lower:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


class Sheet:
    """One worksheet being written; rows must be appended in order. Use via XlsxWriter.sheet()."""

    def __init__(self, stream, name: str, widths: Sequence[float] | None, freeze_rows: int) -> None:
        self.name = name
        self._stream = stream
        self._row = 0
        self._max_cols = 0
        self._letters: list[str] = []
        self._header_row: int | None = None
        self._closed = False
        self._pending: list[str] = []
        self._pending_chars = 0
        head = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_NS_R}>']
        if freeze_rows:
            top = f"A{freeze_rows + 1}"
            head.append(
                f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{freeze_rows}" topLeftCell="{top}" '
                f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="{top}" '
                f'sqref="{top}"/></sheetView></sheetViews>'
            )
        head.append('<sheetFormatPr defaultRowHeight="15"/>')
        if widths:
            head.append(
                "<cols>"
                + "".join(
                    f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, 1)
                )
                + "</cols>"
            )
        head.append("<sheetData>")
        self._write("".join(head))

    @property
    def rows_written(self) -> int:
        return self._row

    def _write(self, text: str) -> None:
        self._pending.append(text)
        self._pending_chars += len(text)
        if self._pending_chars >= _FLUSH_CHARS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._stream.write("".join(self._pending).encode("utf-8"))
            self._pending.clear()
            self._pending_chars = 0

    def _letter(self, col: int) -> str:
        while len(self._letters) <= col:
            self._letters.append(column_letter(len(self._letters)))
        return self._letters[col]

    def append(self, values: Sequence[Any], style: int | None = None) -> None:
        """Strings, numbers, bools, dates/naive datetimes; None leaves the cell empty."""
        if self._row >= MAX_ROWS:
            raise OverflowError(f"sheet {self.name!r} is full ({MAX_ROWS} rows)")
        self._row += 1
        r = self._row
        if len(self._letters) < len(values):
            self._letter(len(values) - 1)
        letters = self._letters
        parts = [f'<row r="{r}">']
        add = parts.append
        styled = f' s="{style}"' if style else ""
        for col, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                text = _escape(value)
                space = ' xml:space="preserve"' if text[0] in _XML_SPACE or text[-1] in _XML_SPACE else ""
                add(f'<c r="{letters[col]}{r}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif kind is int or kind is float:
                add(f'<c r="{letters[col]}{r}"{styled}><v>{value!r}</v></c>')
            elif kind is datetime:
                add(f'<c r="{letters[col]}{r}" s="{style or STYLE_DATETIME}"><v>{excel_serial(value)!r}</v></c>')
            elif kind is bool:
                add(f'<c r="{letters[col]}{r}"{styled} t="b"><v>{int(value)}</v></c>')
            elif kind is date:
                add(f'<c r="{letters[col]}{r}" s="{style or STYLE_DATE}"><v>{excel_serial(value)!r}</v></c>')
            elif isinstance(value, (int, float)):  # numpy numbers, IntEnum ...
                add(f'<c r="{letters[col]}{r}"{styled}><v>{float(value)!r}</v></c>')
            else:
                add(f'<c r="{letters[col]}{r}"{styled} t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>')
        add("</row>")
        if len(values) > self._max_cols:
            self._max_cols = len(values)
        self._write("".join(parts))

    def header(self, values: Sequence[str]) -> None:
        self._header_row = self._row + 1
        self.append(list(values), STYLE_HEADER)

    def title(self, text: str) -> None:
        self.append([text], STYLE_TITLE)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        tail = ["</sheetData>"]
        if self._header_row is not None and self._max_cols and self._row > self._header_row:
            tail.append(f'<autoFilter ref="A{self._header_row}:{self._letter(self._max_cols - 1)}{self._row}"/>')
        tail.append(
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup orientation="landscape" paperSize="9" fitToWidth="1" fitToHeight="0"/>'
        )
        tail.append("</worksheet>")
        self._write("".join(tail))
        self._flush()
        self._stream.close()

    @property
    def filter_ref(self) -> str | None:
        if self._header_row is None or not self._max_cols or self._row <= self._header_row:
            return None
        return f"$A${self._header_row}:${self._letter(self._max_cols - 1)}${self._row}"


class XlsxWriter:
    """with XlsxWriter(path) as book: sheet = book.sheet("Log", widths); sheet.header(...); sheet.append(...)"""

    def __init__(self, path: Path | str, *, creator: str = "GuardStation", compresslevel: int = 5) -> None:
        self._zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheets: list[Sheet] = []
        self._creator = creator
        self._open: Sheet | None = None

    def sheet(self, name: str, widths: Sequence[float] | None = None, freeze_rows: int = 1) -> Sheet:
        if self._open is not None:
            self._open.close()  # a zip takes one entry at a time
        name = sheet_name(name, [s.name for s in self._sheets])
        stream = self._zip.open(f"xl/worksheets/sheet{len(self._sheets) + 1}.xml", "w")
        sheet = Sheet(stream, name, widths, freeze_rows)
        self._sheets.append(sheet)
        self._open = sheet
        return sheet

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None
        if not self._sheets:
            self.sheet("Sheet").close()
        n = len(self._sheets)
        sheets_xml = "".join(
            f'<sheet name="{_escape(s.name).replace(chr(34), "&quot;")}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(self._sheets, 1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"'{_escape(s.name).replace(chr(39), chr(39) * 2)}'!{s.filter_ref}</definedName>"
            for i, s in enumerate(self._sheets)
            if s.filter_ref
        )
        defined = f"<definedNames>{names}</definedNames>" if names else ""
        self._put(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_NS_R}>'
            f"<bookViews><workbookView/></bookViews><sheets>{sheets_xml}</sheets>{defined}</workbook>",
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/styles" Target="styles.xml"/>'
        )
        self._put(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://'
            f'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        self._put("xl/styles.xml", _STYLES)
        self._put(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._put(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://'
            'schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/'
            'elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
            f'XMLSchema-instance"><dc:creator>{_escape(self._creator)}</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        self._put(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="'
            'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
            'styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
            f'core-properties+xml"/>{overrides}</Types>',
        )
        self._zip.close()

    def abort(self) -> None:
        """Close the file without finishing the workbook (the caller deletes it)."""
        try:
            if self._open is not None:
                self._open._closed = True
                self._open._stream.close()
        except (OSError, ValueError):
            pass
        try:
            self._zip.close()
        except (OSError, ValueError):
            pass

    def _put(self, name: str, text: str) -> None:
        self._zip.writestr(name, text.encode("utf-8"))

    def __enter__(self) -> XlsxWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
