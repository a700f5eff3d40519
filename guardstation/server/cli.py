"""`guardstation-server`: the central office's admin commands and the API server.

Every command accepts `--db URL` (default: $GUARDSTATION_SERVER_DB, else an
SQLite file in the platform data folder) and `--json` (one JSON object on
stdout). Exit status: 0 done, 2 refused input (bad file, bad subject, ...),
1 anything else that went wrong (unknown site, database unreachable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from guardstation.server.db import ENV_DB, ServerDatabaseError, default_db_url, open_db, safe_url
from guardstation.server.service import ServiceError


def _now() -> datetime:
    return datetime.now(UTC)


class Output:
    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def done(self, data: dict[str, Any], text: str) -> int:
        print(json.dumps(data, ensure_ascii=False, default=str) if self.as_json else text, file=sys.stdout)
        return 0

    def fail(self, code: str, message: str, status: int) -> int:
        if self.as_json:
            print(json.dumps({"error": code, "message": message}, ensure_ascii=False), file=sys.stdout)
        print(f"guardstation-server: {message}", file=sys.stderr)
        return status


def _common(parser: argparse.ArgumentParser, top: bool = False) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default,
        help=f"sqlite:///FILE or postgresql://... (default ${ENV_DB}, else {default_db_url()})",
    )
    parser.add_argument(
        "--json", action="store_true", default=False if top else argparse.SUPPRESS, help="print one JSON object"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guardstation-server", description=__doc__.splitlines()[0])
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(parent, name: str, help_text: str) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        _common(p)
        return p

    command(sub, "init", "create or upgrade the database schema")

    site = sub.add_parser("site", help="sites (offices) and their capacity").add_subparsers(
        dest="site_cmd", required=True
    )
    p = command(site, "add", "add a site; prints its id")
    p.add_argument("name")
    p.add_argument("--capacity", type=int, default=None, help="people allowed inside at once (none: no limit)")
    p.add_argument("--policy-file", type=Path, help="site policy JSON (freshness, gate rules)")
    p = command(site, "update", "change a site's name, capacity or policy")
    p.add_argument("site_id")
    p.add_argument("--name")
    p.add_argument("--capacity", type=int)
    p.add_argument("--no-limit", action="store_true", help="remove the capacity limit")
    p.add_argument("--policy-file", type=Path)
    command(site, "list", "list the sites")

    p = command(sub, "enroll-code", "make a one-time enrolment code for a new station of a site")
    p.add_argument("site_id")
    p.add_argument("--valid-hours", type=float, default=72.0)

    station = sub.add_parser("station", help="enrolled stations").add_subparsers(dest="station_cmd", required=True)
    p = command(station, "list", "list stations")
    p.add_argument("--site")
    p = command(station, "revoke", "revoke a station's token (it must enrol again)")
    p.add_argument("station_id")

    rules = sub.add_parser("rules", help="rule packs").add_subparsers(dest="rules_cmd", required=True)
    p = command(rules, "publish", "validate a rule pack file and publish it to every station")
    p.add_argument("file", type=Path)

    trust = sub.add_parser("trust", help="trusted signing keys").add_subparsers(dest="trust_cmd", required=True)
    p = command(trust, "publish", "publish certificates, a DCC trust list or a SMART JWKS to every station")
    p.add_argument("file", type=Path)
    p.add_argument("--issuer", help="SMART issuer URL the key set belongs to")

    status = sub.add_parser("status", help="the status list").add_subparsers(dest="status_cmd", required=True)
    p = command(status, "flag", "flag a subject positive and trace its close contacts (14 days, +30 min)")
    p.add_argument("subject", help="the subject key (keyed hash) the stations use")
    p.add_argument("--positive", action="store_true", required=True)
    p.add_argument("--since", required=True, help="YYYY-MM-DD (midnight WIB) or an ISO time with offset")
    p = command(status, "clear", "remove a subject's status")
    p.add_argument("subject")
    p.add_argument("--status", required=True, choices=("positive", "close_contact", "deny"))

    p = command(sub, "occupancy", "people inside a site now, by gate")
    p.add_argument("site_id")

    p = command(sub, "admin-token", "make a token for the admin API (POST /v1/admin/...)")
    p.add_argument("name")

    command(sub, "rebuild-visits", "derive every visit again from the stored events (repair)")

    p = command(sub, "serve", "run the API server (uvicorn)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--workers", type=int, default=1, help="API processes (stateless; share the database)")
    return parser


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ServiceError("unreadable_file", f"cannot read {path}: {exc.strerror or exc}", 400) from None
    except ValueError as exc:
        raise ServiceError("bad_json", f"{path} is not valid JSON: {exc}", 400) from None


def run(args: argparse.Namespace, out: Output) -> int:
    from guardstation.server import ingest, service, tracing
    from guardstation.server.api import parse_since

    url = args.db or default_db_url()
    if args.command == "serve":
        return _serve(args, url)
    db = open_db(url, migrate=True)
    try:
        now = _now()
        cmd = args.command
        if cmd == "init":
            from guardstation.server.db import head_revision

            return out.done(
                {"db": safe_url(url), "schema": head_revision()},
                f"database ready: {safe_url(url)} (schema {head_revision()})",
            )
        if cmd == "site":
            policy = _read_json(args.policy_file) if getattr(args, "policy_file", None) else None
            if policy is not None and not isinstance(policy, dict):
                raise ServiceError("bad_policy", "a site policy must be a JSON object", 400)
            if args.site_cmd == "add":
                with db.write() as s:
                    site = service.add_site(s, args.name, args.capacity, now, policy)
                    data = service.site_data(site)
                return out.done(data, site.site_id)
            if args.site_cmd == "update":
                capacity: Any = None if args.no_limit else (args.capacity if args.capacity is not None else "keep")
                with db.write() as s:
                    data = service.site_data(
                        service.update_site(s, args.site_id, now, name=args.name, capacity=capacity, policy=policy)
                    )
                return out.done(data, f"{data['site_id']}  {data['name']}  capacity {data['capacity']}")
            with db.read() as s:
                sites = [service.site_data(x) for x in service.list_sites(s)]
            return out.done(
                {"sites": sites},
                "\n".join(f"{x['site_id']}  {x['name']}  capacity {x['capacity']}" for x in sites) or "(no sites)",
            )
        if cmd == "enroll-code":
            if not 0 < args.valid_hours <= 24 * 30:
                raise ServiceError("bad_validity", "--valid-hours must be between 0 and 720", 400)
            with db.write() as s:
                code, expires = service.make_enrollment_code(s, args.site_id, now, timedelta(hours=args.valid_hours))
            return out.done({"code": code, "site_id": args.site_id, "expires_at": expires.isoformat()}, code)
        if cmd == "station":
            if args.station_cmd == "revoke":
                with db.write() as s:
                    data = service.station_data(service.revoke_station(s, args.station_id, now))
                return out.done(data, f"revoked {data['station_id']} ({data['name']})")
            with db.read() as s:
                stations = [service.station_data(x) for x in service.list_stations(s, args.site)]
            return out.done(
                {"stations": stations},
                "\n".join(
                    f"{x['station_id']}  {x['site_id']}  {x['name']}  epoch {x['epoch']}"
                    f"{'  REVOKED' if x['revoked_at'] else ''}"
                    for x in stations
                )
                or "(no stations)",
            )
        if cmd == "rules":
            body = _read_json(args.file)
            with db.write() as s:
                row = service.publish_rule_pack(s, body, now)
                data = {"pack_id": row.pack_id, "name": row.name, "effective_from": row.effective_from.isoformat()}
            return out.done(data, f"published rule pack {row.pack_id} ({row.name}), effective {data['effective_from']}")
        if cmd == "trust":
            from guardstation.credentials.trust_files import parse_trust_file
            from guardstation.credentials.x509_keys import TrustImportError

            try:
                keys = parse_trust_file(args.file.read_bytes(), issuer=args.issuer)
            except OSError as exc:
                raise ServiceError("unreadable_file", f"cannot read {args.file}: {exc.strerror or exc}", 400) from None
            except TrustImportError as exc:
                raise ServiceError("bad_trust_file", f"trust file refused: {exc}", 400) from None
            with db.write() as s:
                rows = service.publish_trust_keys(s, keys, now)
                data = {"keys": [service.trust_data(r) for r in rows]}
            return out.done(data, f"published {len(rows)} key(s)")
        if cmd == "status":
            if args.status_cmd == "clear":
                subject = service.check_subject_key(args.subject)
                with db.write() as s:
                    removed = service.clear_status(s, subject, args.status, now)
                return out.done(
                    {"subject_key": subject, "status": args.status, "removed": removed},
                    "removed" if removed else "no such status",
                )
            since = parse_since(args.since)
            with db.write() as s:
                result = tracing.flag_positive(s, args.subject, since, now, source="cli")
            data = result.as_dict()
            text = (
                f"{data['subject_key']} positive until {data['positive_until']}; "
                f"{len(data['case_visits'])} visit(s) in the window, {len(data['contacts'])} close contact(s), "
                f"alerts to {len(data['alerts'])} site(s)"
            )
            return out.done(data, text)
        if cmd == "occupancy":
            with db.read() as s:
                site = service.get_site(s, args.site_id)
                inside, gates = ingest.occupancy(s, args.site_id)
                data = {
                    "site_id": site.site_id,
                    "capacity": site.capacity,
                    "inside": inside,
                    "by_gate": [{"station_id": g.station_id, "gate": g.gate, "inside": g.inside} for g in gates],
                }
            return out.done(data, f"{inside} inside" + (f" of {site.capacity}" if site.capacity is not None else ""))
        if cmd == "admin-token":
            with db.write() as s:
                token = service.make_admin_token(s, args.name, now)
            return out.done({"token": token, "name": args.name}, token)
        if cmd == "rebuild-visits":
            with db.write() as s:
                count = ingest.rebuild_visits(s)
            return out.done({"events": count}, f"visits derived again from {count} events")
        raise AssertionError(cmd)  # pragma: no cover - argparse restricts the choice
    finally:
        db.close()


def _serve(args: argparse.Namespace, url: str) -> int:
    import uvicorn

    from guardstation.server.api import create_app, freeze_startup_objects

    db = open_db(url, migrate=True)  # the schema is ready before any worker starts
    print(f"guardstation-server: serving http://{args.host}:{args.port} on {safe_url(url)}", file=sys.stderr)
    if args.workers > 1:
        db.close()
        os.environ[ENV_DB] = url
        uvicorn.run(
            "guardstation.server.api:create_app_from_env",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="info",
        )
    else:
        app = create_app(db)
        freeze_startup_objects()
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(bool(args.json))
    try:
        return run(args, out)
    except ServiceError as exc:
        return out.fail(exc.code, exc.message, 2 if exc.status in (400, 401, 409, 422) else 1)
    except ServerDatabaseError as exc:
        return out.fail("database", str(exc), 1)
    except ValueError as exc:
        return out.fail("bad_input", str(exc), 2)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
