"""The project's benchmarks: `python -m bench {scan,log,verify,export,sync,faults} [--json]`.

- scan:   decoder cost on empty frames (zxing vs pyzbar) and the full scan-to-verdict hot path.
- log:    the scan log with a million visits (first page, next page, name search, memory).
- verify: full verifications per second of each signed format (HC1, SHC, our pass).
- export: the visit log to CSV, XLSX and the PDF report (seconds, memory at two sizes).
- sync:   station outbox through the real sync engine to the server (events/s, bytes per event, a week's
          catch-up), one event per request, central server ingest (SQLite, PostgreSQL).
- faults: SIGKILLs while scanning, WAL power cuts, hostile input, a compressed shift.

Each benchmark runs in a temporary station home with the in-memory keyring, prints
one JSON object with --json (else a table), and exits 0. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from typing import Any

from bench.common import isolate_environment

SUBCOMMANDS = ("scan", "log", "verify", "export", "sync", "faults")


def _module(name: str):
    if name == "scan":
        from bench import scan as module
    elif name == "log":
        from bench import log as module
    elif name == "verify":
        from bench import verify as module
    elif name == "export":
        from bench import export as module
    elif name == "sync":
        from bench import sync as module
    elif name == "faults":
        from bench import faults as module
    else:  # pragma: no cover - argparse restricts the choice
        raise ValueError(name)
    return module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="SUBCOMMAND")
    for name, help_text in (
        ("scan", "decoder cost on empty frames and scan-to-verdict latency"),
        ("log", "scan log with many visits: first page, next page, name search"),
        ("verify", "full verifications per second: HC1, SHC, our pass"),
        ("export", "visit log to CSV, XLSX and PDF: seconds and memory"),
        ("sync", "station to server end to end: push rate, bytes per event, catch-up, ingest"),
        ("faults", "kills, power cuts, hostile input, a long shift: lost, doubled, uncaught, memory growth"),
    ):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
        p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
        _module(name).add_arguments(p)
    return parser


def _jsonable(value: Any) -> Any:
    """JSON has no Infinity/NaN: such figures become null rather than invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def run(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run one benchmark and return its result (what --json prints)."""
    args = build_parser().parse_args(argv)
    isolate_environment()
    return _module(args.command).run(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    isolate_environment()
    module = _module(args.command)
    result = module.run(args)
    if args.json:
        print(json.dumps(_jsonable(result), ensure_ascii=False, sort_keys=False))
    else:
        print(module.format_table(result))
    return 0
