"""One entry point for every export: `run_export(db, ExportRequest(...), now=..., progress=..., cancel=...)`.

Made for a worker thread: no Qt, no global state; `progress(done, total)` is called from the
calling thread now and then, and setting `cancel` (a threading.Event) stops the export within a
thousand rows (or one PDF page) with ExportCancelled. The file appears under its name only when
complete (output.write_atomically); its SHA-256 is returned and recorded in the hash-chained
audit log (action "export"), unless `audit=False` (a GUI that routes every write through its
single DB worker records it there with `audit_export`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from guardstation.domain.nik import clean_nik, mask_nik
from guardstation.domain.subject import identity_from_nik
from guardstation.reports import data, evacuation, exposure_report, monitoring, pdf, shift
from guardstation.reports.catalogue import DEFAULT_LANG, LANGS
from guardstation.reports.context import ReportContext
from guardstation.reports.document import Document, cell_text, write_csv, write_xlsx
from guardstation.reports.errors import ExportError
from guardstation.reports.output import ProgressFn, Ticker, write_atomically
from guardstation.store.audit import append_audit
from guardstation.store.db import Database

KINDS = ("shift", "monitoring", "evacuation", "exposure")
FORMATS = ("csv", "xlsx", "pdf")
NEEDS_PERIOD = ("shift", "monitoring", "exposure")


@dataclass
class ExportRequest:
    kind: str
    fmt: str
    out: Path
    period: data.Period | None = None
    lang: str = DEFAULT_LANG
    tz: tzinfo | None = None  # default: the time zone of `now`
    subject_key: str | None = None  # exposure: whose stays
    subject_label: str = ""  # what the report shows for the subject (masked NIK, key prefix)
    columns: Sequence[str] | None = None  # log columns (shift CSV/XLSX); default: all of shift.LOG_COLUMNS
    gap_minutes: int = monitoring.DEFAULT_GAP_MINUTES
    list_limit: int = 2000  # visits listed in the shift PDF (the XLSX holds all)
    csv_delimiter: str = ","
    actor: str = "supervisor"
    audit: bool = True


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    size: int
    kind: str
    fmt: str
    rows: int
    audit_id: int | None = None
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "bytes": self.size,
            "kind": self.kind,
            "format": self.fmt,
            "rows": self.rows,
            "audit_id": self.audit_id,
        }


def _validate(request: ExportRequest) -> None:
    if request.kind not in KINDS:
        raise ValueError(f"unknown report kind {request.kind!r} (known: {', '.join(KINDS)})")
    if request.fmt not in FORMATS:
        raise ExportError("err.bad_format", fmt=request.fmt, kind=request.kind, allowed=", ".join(FORMATS))
    if request.lang not in LANGS:
        raise ValueError(f"unknown language {request.lang!r}")
    if request.kind in NEEDS_PERIOD:
        if request.period is None:
            raise ValueError(f"the {request.kind} report needs a period")
        if request.period.end <= request.period.start:
            raise ExportError(
                "err.bad_period", start=request.period.start.isoformat(), end=request.period.end.isoformat()
            )
    if request.kind == "exposure" and not request.subject_key:
        raise ExportError("err.no_subject")
    shift.check_columns(request.columns)


EXPORTS_FOLDER = "exports"  # the one folder of the station home that exports may write into


def refuse_station_files(db: Database, out: Path) -> None:
    """An export never replaces or adds a file in the station home (the folder of the database:
    database and backups, keys, settings, PIN lock-outs, logs...) except in its `exports/` folder,
    whatever name is typed: `..`, links and links to folders are followed to where they lead."""
    try:
        target = Path(out).expanduser().absolute().resolve()
        home = db.path.absolute().resolve().parent
    except (OSError, RuntimeError):
        return  # not a usable path at all: check_target says why
    if target.is_relative_to(home) and not target.parent.is_relative_to(home / EXPORTS_FOLDER):
        raise ExportError("err.protected", path=out, exports=home / EXPORTS_FOLDER)


def run_export(
    db: Database,
    request: ExportRequest,
    *,
    now: datetime,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    _validate(request)
    refuse_station_files(db, Path(request.out))
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    tz = request.tz or now.tzinfo
    period = request.period
    total = data.count_visits(db, period) if request.kind in ("shift", "monitoring") else 0
    ctx = ReportContext(db, request.lang, tz, now, data.station_info(db), Ticker(total, progress, cancel), cancel)
    if progress is not None:
        progress(0, total)
    rows = 0

    def write(temp: Path) -> None:
        nonlocal rows
        rows = _write(ctx, request, temp)
        ctx.ticker.finish()

    # Checked again just before the rename: a link swapped in while a long export ran is refused too.
    written = write_atomically(
        Path(request.out), write, cancel, before_rename=lambda: refuse_station_files(db, Path(request.out))
    )
    result = ExportResult(written.path, written.sha256, written.size, request.kind, request.fmt, rows)
    if request.audit:
        result = replace(result, audit_id=audit_export(db, result, request, now))
    return result


def _write(ctx: ReportContext, request: ExportRequest, temp: Path) -> int:
    kind, fmt, period = request.kind, request.fmt, request.period
    if kind == "shift":
        if fmt == "csv":
            return shift.write_log_csv(ctx, period, temp, columns=request.columns, delimiter=request.csv_delimiter)
        if fmt == "xlsx":
            return shift.write_log_xlsx(ctx, period, temp, columns=request.columns)
        return shift.write_shift_pdf(ctx, period, temp, list_limit=request.list_limit)
    if kind == "monitoring":
        figures = monitoring.compute(ctx, period, request.gap_minutes)
        doc, rows = monitoring.document(ctx, figures), figures.records
    elif kind == "evacuation":
        doc, rows = evacuation.document(ctx)
    else:
        doc, rows = exposure_report.document(
            ctx, request.subject_key, request.subject_label or f"{request.subject_key[:8]}…", period
        )
    _render(ctx, doc, fmt, temp, request.csv_delimiter)
    return rows


def _render(ctx: ReportContext, doc: Document, fmt: str, temp: Path, delimiter: str) -> None:
    ctx.ticker.check()
    if fmt == "csv":
        write_csv(doc, temp, ctx.tz, delimiter)
    elif fmt == "xlsx":
        write_xlsx(doc, temp, ctx.tz)
    else:
        pdf.render_document(
            doc,
            temp,
            lang=ctx.lang,
            generated=ctx.generated_text,
            cell_text=lambda v: cell_text(v, ctx.tz),
            on_page=ctx.ticker.check,
            footer_left=f"{ctx.footer_left} · {doc.title}",
        )


def audit_export(db: Database, result: ExportResult, request: ExportRequest, now: datetime) -> int:
    """Records the export (file, SHA-256, what and for when) in the hash-chained audit log."""
    detail = {
        "kind": result.kind,
        "format": result.fmt,
        "file": result.path.name,
        "path": str(result.path),
        "sha256": result.sha256,
        "bytes": result.size,
        "rows": result.rows,
        "lang": request.lang,
    }
    if request.period is not None:
        detail["from"] = request.period.start.isoformat()
        detail["to"] = request.period.end.isoformat()
    if request.kind == "exposure":
        detail["subject"] = request.subject_label or f"{(request.subject_key or '')[:8]}…"
    with db.transaction() as session:
        row = append_audit(session, at=now, actor=request.actor, action="export", detail=detail)
        return row.id


# -- helpers for callers (command line, GUI) -------------------------------------------------------------------


def parse_moment(text: str, tz: tzinfo | None, *, end: bool = False) -> datetime:
    """'2026-11-23' (a whole day: its start, or with end=True the start of the next day) or an ISO time."""
    text = text.strip()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None and len(text) == 10:
        moment = datetime.combine(day + timedelta(days=1) if end else day, time(0))
        return moment.replace(tzinfo=tz) if tz else moment.astimezone()
    parsed = datetime.fromisoformat(text)  # ValueError for the caller to report
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz) if tz else parsed.astimezone()
    return parsed


def parse_period(start: str, end: str, tz: tzinfo | None) -> data.Period:
    """Dates are whole days: --from 2026-11-01 --to 2026-11-30 is all of November."""
    return data.Period(parse_moment(start, tz), parse_moment(end, tz, end=True))


_HEX_KEY = re.compile(r"^[0-9a-fA-F]{32}$")


def resolve_subject(text: str, subject_key_for: Callable[[str], str]) -> tuple[str, str]:
    """A subject key (32 hex digits) or a NIK (16 digits, hashed with the deployment key) -> (key, label)."""
    text = text.strip()
    if _HEX_KEY.match(text):
        return text.lower(), f"{text[:8].lower()}…"
    digits = clean_nik(text)
    if len(digits) == 16 and digits.isdigit():
        return subject_key_for(identity_from_nik(digits)), f"NIK {mask_nik(digits)}"
    raise ValueError("a subject is a subject key (32 hexadecimal characters) or a NIK (16 digits)")
