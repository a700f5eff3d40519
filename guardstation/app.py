"""Composition root and command-line entry point.

`guardstation` starts the guard's window; `guardstation verify|pass ...` run
without a GUI. Qt is imported only when the window is wanted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from guardstation import __version__
from guardstation.domain.language import LANGUAGES
from guardstation.log import setup_logging
from guardstation.settings.paths import resolve_home
from guardstation.settings.schema import DECODERS, GATE_MODES

log = logging.getLogger("guardstation")


def build_parser() -> argparse.ArgumentParser:
    # Accepted before or after the subcommand. SUPPRESS keeps a subcommand's unset option from
    # overwriting a value given before it (argparse's parent-parser pitfall).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        default=argparse.SUPPRESS,
        help="folder for all data, keys and config (default: $GUARDSTATION_HOME or the platform's data folder)",
    )
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help="language (default: id)")
    common.add_argument(
        "--decoder", choices=DECODERS, default=argparse.SUPPRESS, help="QR decoder backend (default: zxing)"
    )
    common.add_argument(
        "--portable",
        action="store_true",
        default=argparse.SUPPRESS,
        help="keep all data, keys and logs next to the program (USB installs): the "
        "executable's data/ folder, or ./portable-data in a source checkout",
    )

    parser = argparse.ArgumentParser(
        prog="guardstation", parents=[common], description="GuardStation: the guard's entrance station."
    )
    parser.add_argument("--version", action="version", version=f"guardstation {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="demo site, demo passes and a simulated camera (no webcam or server needed)"
    )
    parser.add_argument("--camera", help="webcam number, a video file or a folder of images to play as camera")
    parser.add_argument("--gate-mode", choices=GATE_MODES, default=None)
    parser.add_argument(
        "--rescan-after",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds before the same code counts as a new scan (default 3)",
    )
    parser.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)  # used by docs and tests
    parser.add_argument("--quit-after", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check database, rule pack, trust store, QR decoding, the window and the keyring; "
        "one PASS/FAIL line per check, non-zero exit if any failed",
    )
    parser.add_argument(
        "--kiosk", action="store_true", help="full screen; leaving it or closing needs the supervisor PIN"
    )
    # Startup timing (packaging/build.py --measure): print a marker when the window is first shown, then quit.
    parser.add_argument("--exit-when-shown", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command")

    verify = sub.add_parser("verify", parents=[common], help="decode, verify and judge codes without the GUI")
    verify.add_argument("inputs", nargs="+", metavar="INPUT", help="an image file, or text:PAYLOAD")
    verify.add_argument("--json", action="store_true", help="one JSON object per input")
    verify.add_argument("--at", help="judge validity at this ISO time instead of now")

    pass_cmd = sub.add_parser("pass", help="visitor passes")
    pass_sub = pass_cmd.add_subparsers(dest="pass_command", required=True)
    issue = pass_sub.add_parser("issue", parents=[common], help="issue a signed visitor/employee pass as PNG")
    issue.add_argument("--name", required=True)
    issue.add_argument("--nik", help="the holder's NIK (only its keyed hash goes into the pass)")
    issue.add_argument("--kind", choices=("visitor", "employee"), default="visitor")
    issue.add_argument("--doses", type=int, default=None, help="vaccination doses (omit if unknown)")
    issue.add_argument("--valid-from", help="ISO date/time (default: now)")
    issue.add_argument("--valid-days", type=int, default=30)
    issue.add_argument("--out", required=True, help="PNG file to write")
    issue.add_argument("--json", action="store_true")

    trust = sub.add_parser("trust", help="the keys this station trusts")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True)
    trust_import = trust_sub.add_parser(
        "import",
        parents=[common],
        help="import signer certificates (PEM/DER/base64), a DCC trust list "
        "(JSON) or a SMART issuer key set (JWKS); all or nothing",
    )
    trust_import.add_argument("file")
    trust_import.add_argument("--issuer", help="the SMART issuer URL (iss) a bare JWKS belongs to")
    trust_import.add_argument("--json", action="store_true")
    trust_list = trust_sub.add_parser("list", parents=[common], help="what is trusted and until when")
    trust_list.add_argument("--json", action="store_true")

    export = sub.add_parser(
        "export",
        parents=[common],
        help="export the visit log or a report: CSV, XLSX or PDF (written only when complete)",
    )
    export.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="first day (YYYY-MM-DD, local time) or an ISO time; not for --kind evacuation",
    )
    export.add_argument("--to", dest="date_to", metavar="DATE", help="last day, included (or an ISO time)")
    export.add_argument("--format", choices=("csv", "xlsx", "pdf"), help="default: from the --out file name")
    export.add_argument("--out", required=True, metavar="FILE", help="file to write")
    export.add_argument(
        "--kind",
        choices=("shift", "monitoring", "evacuation", "exposure"),
        default="shift",
        help="shift: the visit log (default); monitoring: report for inspectors; evacuation: "
        "who is inside now; exposure: who shared the site with --subject",
    )
    export.add_argument("--subject", metavar="KEY|NIK", help="exposure: a subject key or a NIK")
    export.add_argument(
        "--gap-minutes",
        type=int,
        default=60,
        metavar="N",
        help="monitoring: report gaps without scans longer than N minutes (default 60)",
    )
    export.add_argument("--json", action="store_true", help="print path, SHA-256 and counts as JSON")
    enroll = sub.add_parser(
        "enroll", parents=[common], help="enrol this station with the central server (URL and a one-time code)"
    )
    enroll.add_argument("url", help="the server, e.g. https://guardstation.probolinggokab.go.id")
    enroll.add_argument("code", help="the one-time code from `guardstation-server enroll-code`")
    enroll.add_argument("--json", action="store_true")
    sync = sub.add_parser("sync", parents=[common], help="sync with the central server once, and show the status")
    sync.add_argument("--status", action="store_true", help="only show the status, do not connect")
    sync.add_argument("--json", action="store_true")
    return parser


def _run_command(args: argparse.Namespace) -> int:
    from guardstation.cli.commands import UsageError, run_pass_issue, run_trust_import, run_trust_list, run_verify
    from guardstation.station.context import open_station
    from guardstation.store.db import DatabaseError
    from guardstation.store.secrets import SecretStoreError

    home = resolve_home(args.home, portable=args.portable)
    setup_logging(home)
    try:
        station = open_station(home)
    except (DatabaseError, SecretStoreError) as exc:
        print(f"guardstation: {exc}", file=sys.stderr)
        return 1
    try:
        args.lang = args.lang or station.settings.language
        if args.command == "verify":
            return run_verify(station, args)
        if args.command == "trust":
            return (run_trust_import if args.trust_command == "import" else run_trust_list)(station, args)
        if args.command == "export":
            from guardstation.cli.commands import run_export

            return run_export(station, args)
        if args.command in ("enroll", "sync"):
            from guardstation.cli.sync import run_enroll, run_sync

            return (run_enroll if args.command == "enroll" else run_sync)(station, args)
        return run_pass_issue(station, args)
    except UsageError as exc:
        print(f"guardstation {args.command}: {exc}", file=sys.stderr)
        return 2
    finally:
        station.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    for name in ("home", "lang", "decoder"):  # suppressed when not given (see build_parser)
        if not hasattr(args, name):
            setattr(args, name, None)
    if not hasattr(args, "portable"):
        args.portable = False
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.portable:
        # Portable means the keys travel with the data too: the file keyring in the portable folder.
        os.environ.setdefault("GUARDSTATION_KEYRING", "file")
    if args.command:
        return _run_command(args)
    if args.self_test:
        from guardstation.cli.selftest import run_self_test

        return run_self_test(resolve_home(args.home, portable=args.portable), lang=args.lang, decoder=args.decoder)
    from guardstation.ui.launch import run_gui  # Qt only when the window is wanted

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
