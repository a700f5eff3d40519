"""Commands that run without the GUI: verify, pass issue."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

import cv2

from guardstation.domain.credential import Credential, CredentialKind, PersonKind
from guardstation.domain.reasons import Reason
from guardstation.domain.verdict import Decision
from guardstation.domain.verdict_types import Action, Colour
from guardstation.scanner.decoders import DecoderUnavailable, make_decoder, safe_decode
from guardstation.station.context import StationContext
from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text, render_pass_png

COLOUR_WORDS = {
    "id": {
        Colour.GREEN: "HIJAU",
        Colour.YELLOW: "KUNING",
        Colour.RED: "MERAH",
        Colour.BLACK: "HITAM",
        Colour.FULL: "PENUH",
    },
    "en": {
        Colour.GREEN: "GREEN",
        Colour.YELLOW: "YELLOW",
        Colour.RED: "RED",
        Colour.BLACK: "BLACK",
        Colour.FULL: "FULL",
    },
}
TEXT_PREFIX = "text:"


class UsageError(Exception):
    """Bad command-line use: printed and exit status 2."""


def parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--at: not an ISO date/time: {value!r} (e.g. 2021-06-01T12:00:00+07:00)") from None
    return parsed if parsed.tzinfo else parsed.astimezone()


def _unreadable(item: str, code: str, **params) -> tuple[str | None, Credential]:
    return None, Credential(CredentialKind.NONE, None, {"picture_decode": False}, Reason(code, params))


def read_input(item: str, decoder) -> tuple[str | None, Credential | None]:
    """(QR text, or a ready answer when there is nothing to verify)."""
    if item.startswith(TEXT_PREFIX):
        return item[len(TEXT_PREFIX) :], None
    path = Path(item)
    if not path.is_file():
        return _unreadable(item, "file_unreadable", path=item)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        return _unreadable(item, "file_unreadable", path=item)
    codes = safe_decode(decoder, image)
    if not codes:
        return _unreadable(item, "no_code")
    return codes[0].text, None


def verify_one(station: StationContext, item: str, decoder, at: datetime | None, lang: str) -> dict:
    text, ready = read_input(item, decoder)
    if ready is not None:
        credential, decision = ready, Decision(Colour.RED, Action.DENY, ready.failure)
    else:
        credential, decision = station.checkpoint.evaluate(text, at)
        if not item.startswith(TEXT_PREFIX):
            credential = replace(credential, stages={"picture_decode": True, **credential.stages})
    return {
        "input": item,
        "kind": credential.kind.value,
        "decoded": credential.decoded if ready is None else None,
        "stages": credential.stages,
        "colour": decision.colour.value,
        "verdict": COLOUR_WORDS.get(lang, COLOUR_WORDS["id"])[decision.colour],
        "reason": decision.reason.text(lang),
        "reason_code": decision.reason.code,
        "name": credential.display_name,
        "valid_until": credential.valid_until.isoformat() if credential.valid_until else None,
    }


def run_verify(station: StationContext, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout  # looked up per call: sys.stdout may be replaced (tests, pythonw)
    at = parse_time(args.at)
    try:
        decoder = make_decoder(args.decoder or station.settings.decoder)
    except (DecoderUnavailable, ValueError) as exc:
        raise UsageError(str(exc)) from None
    for item in args.inputs:
        result = verify_one(station, item, decoder, at, args.lang)
        if args.json:
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            out.write(f"{item}: {result['verdict']} — {result['reason']}\n")
    out.flush()
    return 0


def run_pass_issue(station: StationContext, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if args.doses is not None and not 0 <= args.doses <= 20:
        raise UsageError("--doses must be between 0 and 20")
    if args.valid_days < 1:
        raise UsageError("--valid-days must be at least 1")
    if not args.name.strip():
        raise UsageError("--name must not be empty")
    if args.nik:
        from guardstation.domain.nik import check_nik

        check = check_nik(args.nik)
        if not check.ok:
            raise UsageError(f"--nik: {check.message('en')}")
    now = station.checkpoint.now()
    valid_from = parse_time(args.valid_from) or now
    key = issuer_key(station.secrets, station.db, now)
    request = PassRequest(
        name=args.name.strip(),
        kind=PersonKind(args.kind),
        doses=args.doses,
        valid_from=valid_from,
        valid_days=args.valid_days,
        nik=args.nik,
    )
    text = make_pass_text(request, key, deployment_key(station.secrets))
    caption = [request.name, f"{request.kind.value} - s.d. {(valid_from.date()).isoformat()} +{args.valid_days}d"]
    try:
        path = render_pass_png(text, caption, Path(args.out))
    except OSError as exc:
        raise UsageError(f"--out: {exc}") from None
    out.write(
        json.dumps({"out": str(path), "payload": text, "chars": len(text)}, ensure_ascii=False) + "\n"
        if args.json
        else f"{path}\n"
    )
    return 0


def run_trust_import(station: StationContext, args: argparse.Namespace, out: TextIO | None = None) -> int:
    """All or nothing: the whole file is parsed before one transaction stores it."""
    from guardstation.credentials.trust_files import parse_trust_file
    from guardstation.credentials.x509_keys import TrustImportError
    from guardstation.store import reference
    from guardstation.store.audit import append_audit

    out = out or sys.stdout
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        keys = parse_trust_file(data, issuer=args.issuer)
    except TrustImportError as exc:
        raise UsageError(f"{path.name}: {exc} (nothing was imported)") from None
    now = station.checkpoint.now()
    with station.db.transaction() as session:
        before = {row.id for row in reference.trusted_key_rows(session)}
        rows = [reference.put_trusted_key(session, key, now=now, source="import") for key in keys]
        added = [row for row in rows if row.id not in before]
        reference.mark_fresh(session, "trust_key", now, "import")
        append_audit(
            session,
            at=now,
            actor="installer",
            action="trust_import",
            detail={"file": path.name, "keys": len(keys), "added": len(added)},
        )
    station.checkpoint.reload_reference()
    summary = {"file": str(path), "keys": len(keys), "added": len(added), "already_trusted": len(keys) - len(added)}
    out.write(
        json.dumps(summary) + "\n"
        if args.json
        else f"{path.name}: {len(keys)} keys, {len(added)} new, {len(keys) - len(added)} already trusted\n"
    )
    return 0


def run_trust_list(station: StationContext, args: argparse.Namespace, out: TextIO | None = None) -> int:
    from guardstation.store import reference

    out = out or sys.stdout
    now = station.checkpoint.now()
    with station.db.read() as session:
        rows = reference.trusted_key_rows(session)
    for row in rows:
        valid = (row.not_before is None or row.not_before <= now) and (row.not_after is None or now <= row.not_after)
        item = {
            "scheme": row.scheme,
            "kid": row.kid.hex() if row.scheme != "shc" else row.kid.decode("ascii", "replace"),
            "label": row.label,
            "issuer": row.issuer or None,
            "usage": row.usage or None,
            "not_before": row.not_before.isoformat() if row.not_before else None,
            "not_after": row.not_after.isoformat() if row.not_after else None,
            "valid_now": valid,
            "source": row.source,
        }
        if args.json:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
        else:
            until = row.not_after.date().isoformat() if row.not_after else "-"
            state = "" if valid else "  (NOT VALID NOW)"
            out.write(f"{row.scheme:7} {item['kid'][:16]:16} until {until:10}  {row.label}{state}\n")
    if not rows and not args.json:
        out.write("no trusted keys\n")
    return 0


# Export errors that mean "fix the command" (exit 2); the others (disk full, no permission...) exit 1.
_EXPORT_USAGE_ERRORS = {"no_folder", "not_a_folder", "is_folder", "bad_format", "bad_period", "no_subject", "protected"}


def run_export(station: StationContext, args: argparse.Namespace, out: TextIO | None = None) -> int:
    """`guardstation export`: one file, written only when complete; prints its path and SHA-256."""
    from guardstation.reports import FORMATS, ExportError, ExportRequest, parse_period, resolve_subject
    from guardstation.reports import run_export as export

    out = out or sys.stdout
    lang = args.lang or "id"
    fmt = args.format or Path(args.out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"--format: give csv, xlsx or pdf (cannot tell from the file name {args.out!r})")
    now = station.checkpoint.now()
    period = None
    if args.kind == "evacuation":
        if args.date_from or args.date_to:
            raise UsageError("--from/--to do not apply to --kind evacuation (it lists who is inside now)")
    else:
        if not args.date_from or not args.date_to:
            raise UsageError(
                f"--kind {args.kind} needs --from DATE and --to DATE (e.g. --from 2026-11-01 --to 2026-11-30)"
            )
        try:
            period = parse_period(args.date_from, args.date_to, now.tzinfo)
        except ValueError:
            raise UsageError(
                f"--from/--to: not a date (YYYY-MM-DD) or ISO time: {args.date_from!r}, {args.date_to!r}"
            ) from None
    subject_key, subject_label = None, ""
    if args.kind == "exposure":
        if not args.subject:
            raise UsageError("--kind exposure needs --subject (a subject key or a NIK)")
        try:
            subject_key, subject_label = resolve_subject(args.subject, station.checkpoint.subject_key_for)
        except ValueError as exc:
            raise UsageError(f"--subject: {exc}") from None
    elif args.subject:
        raise UsageError("--subject applies only to --kind exposure")
    if args.gap_minutes < 1:
        raise UsageError("--gap-minutes must be at least 1")
    request = ExportRequest(
        args.kind,
        fmt,
        Path(args.out),
        period,
        lang=lang,
        subject_key=subject_key,
        subject_label=subject_label,
        gap_minutes=args.gap_minutes,
        actor="cli",
    )
    try:
        result = export(station.db, request, now=now)
    except ExportError as exc:
        if exc.code in _EXPORT_USAGE_ERRORS:
            raise UsageError(exc.message(lang)) from None
        print(f"guardstation export: {exc.message(lang)}", file=sys.stderr)
        return 1
    if args.json:
        info = result.as_dict()
        if period is not None:
            info.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
        out.write(json.dumps(info, ensure_ascii=False) + "\n")
    else:
        out.write(f"{result.path}\nSHA-256 {result.sha256}\n")
    out.flush()
    return 0
