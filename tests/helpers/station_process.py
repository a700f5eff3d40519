"""A guard station as its own process (tests/helpers/processes.py StationProcess drives it).

    python tests/helpers/station_process.py --home DIR --gate NAME --server URL [--code CODE] [--interval S]

It opens the home exactly as the app does (`open_station`: database, migrations, keyring; the test
sets GUARDSTATION_KEYRING=file), enrols with CODE if the home is not enrolled yet, starts the real
sync worker (`server_link.build_worker`) and then reads commands from stdin, one per line:

    enter NIK NAME...      manual entry through the Checkpoint (auto gate mode: in, or out if inside)
    checkout-any K         the guard's check-out button on the K-th (mod n) visit of the inside-now list
    status                 one STATUS line: queue depth, cursor, site-wide occupancy, worker state
    quit                   stop the worker, close the database, exit 0

Replies on stdout, one line each, flushed at once:

    READY <pid> <station_id> <site_id>
    SHOWN <visit_id> <action> <nik or ->       printed after the Checkpoint returned (the guard saw it)
    NOOP <why>
    STATUS <json>
    BYE
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy import select


def emit(*parts: object) -> None:
    sys.stdout.write(" ".join(str(p) for p in parts) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", required=True)
    parser.add_argument("--gate", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--code")
    parser.add_argument("--interval", type=float, default=1.0)
    args = parser.parse_args(argv)
    if os.environ.get("GUARDSTATION_KEYRING") != "file":
        parser.error("run with GUARDSTATION_KEYRING=file (a station keeps its token across restarts)")
    logging.basicConfig(
        filename=str(Path(args.home) / "station.log"),
        level=logging.INFO,
        format="%(asctime)s %(process)d %(threadName)s %(name)s %(levelname)s %(message)s",
    )

    from guardstation.station.checkpoint import InvalidEntry, ManualEntry
    from guardstation.station.context import open_station
    from guardstation.station.server_link import build_worker, enrol_station, is_enrolled
    from guardstation.store.events import load_station
    from guardstation.store.models import Visit
    from guardstation.store.visits import INSIDE
    from guardstation.sync.engine import pending_count, sync_state

    home = Path(args.home)
    home.mkdir(parents=True, exist_ok=True)
    station = open_station(home, site_name="(lokal)", capacity=None, gate_name=args.gate)
    if not is_enrolled(station):
        if not args.code:
            parser.error("this home is not enrolled and no --code was given")
        enrol_station(station, args.server, args.code)
    worker = build_worker(station, interval_s=args.interval)
    if worker is None:
        raise SystemExit("enrolled, yet no sync worker")
    worker.start()
    checkpoint = station.checkpoint
    with station.db.read() as session:
        site_id = load_station(session).site_id
    emit("READY", os.getpid(), checkpoint.station_id, site_id)

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        command, rest = words[0], words[1:]
        if command == "enter":
            try:
                outcome = checkpoint.manual_entry(
                    ManualEntry(nik=rest[0], name=" ".join(rest[1:]) or "Tamu", purpose="Rapat")
                )
            except InvalidEntry as exc:
                emit("NOOP", f"invalid:{exc.field}")
                continue
            emit("SHOWN", outcome.visit_id, outcome.decision.action.value, rest[0])
            worker.poke()
        elif command == "checkout-any":
            with station.db.read() as session:
                inside = sorted(session.scalars(select(Visit.visit_id).where(Visit.status == INSIDE)))
            if not inside:
                emit("NOOP", "nobody-inside")
                continue
            visit_id = inside[int(rest[0]) % len(inside)]
            try:
                outcome = checkpoint.check_out(visit_id)
            except InvalidEntry as exc:
                emit("NOOP", f"invalid:{exc.field}")
                continue
            emit("SHOWN", outcome.visit_id, "check_out", "-")
            worker.poke()
        elif command == "status":
            occupancy = checkpoint.occupancy()
            with station.db.read() as session:
                state = sync_state(session)
                status = {
                    "pending": pending_count(session),
                    "cursor": state.cursor if state else None,
                    "inside": occupancy.inside,
                    "inside_here": occupancy.inside_here,
                    "inside_elsewhere": occupancy.inside_elsewhere,
                    "failures": worker.failures,
                    "online": worker.online,
                    "last_error": state.last_error if state else "",
                    "running": worker.running,
                }
            emit("STATUS", json.dumps(status, sort_keys=True))
        elif command == "quit":
            stopped = worker.stop(timeout=30)
            station.close()
            emit("BYE", "stopped" if stopped else "worker-still-running")
            return 0
        else:
            emit("NOOP", f"unknown-command:{command}")
    worker.stop(timeout=30)
    station.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
