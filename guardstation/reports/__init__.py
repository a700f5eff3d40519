"""Exports and reports (no Qt): the visit log as CSV/XLSX, the PDF report, the monitoring report for
inspectors, the evacuation list and the exposure window.

    from guardstation.reports import ExportRequest, run_export, parse_period
    result = run_export(db, ExportRequest("shift", "xlsx", Path("log.xlsx"), period), now=now,
                        progress=lambda done, total: ..., cancel=threading.Event())
    result.path, result.sha256

Safe to call from a worker thread; see api.py for progress, cancellation and the audit record,
output.py for how a failed export leaves nothing behind.
"""

from guardstation.reports.api import (
    FORMATS,
    KINDS,
    ExportRequest,
    ExportResult,
    audit_export,
    parse_moment,
    parse_period,
    resolve_subject,
    run_export,
)
from guardstation.reports.data import Period
from guardstation.reports.errors import ExportCancelled, ExportError

__all__ = [
    "FORMATS",
    "KINDS",
    "ExportCancelled",
    "ExportError",
    "ExportRequest",
    "ExportResult",
    "Period",
    "audit_export",
    "parse_moment",
    "parse_period",
    "resolve_subject",
    "run_export",
]
