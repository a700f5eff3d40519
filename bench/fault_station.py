"""A station process for the crash loop (`python -m bench.fault_station`).

It opens a station home exactly as the app does (`open_station`: database, pragmas,
migrations, keyring), then scans passes read from a JSON file through the real
`Checkpoint` as fast as it can, mixed with manual entries. Right after each
`scan()` / `manual_entry()` returns — the moment the GUI would show the verdict to
the guard — it prints one line to stdout and flushes it:

    SHOWN <visit_id> <action>

`bench.faults.kill_loop` SIGKILLs this process at random moments,
restarts it, and checks that every visit printed is in the database, once.
Before the first scan it prints `READY <pid>`.

With `--sync` (an enrolled home) the real sync worker runs alongside, as in the app: a
background thread pushing the outbox and pulling, poked after every verdict, so the kills
also land inside pushes, between the server's commit and the station's ack.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

READY, SHOWN = "READY", "SHOWN"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.fault_station")
    parser.add_argument("--home", required=True, help="station home (GUARDSTATION_KEYRING should be 'file')")
    parser.add_argument("--passes", required=True, help="JSON file: a list of QR texts to scan")
    parser.add_argument("--people", default=None, help="JSON file: [[name, nik], ...] for manual entries")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scans", type=int, default=0, help="stop after this many (0: until killed)")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between scans")
    parser.add_argument("--sync", action="store_true", help="run the sync worker (the home must be enrolled)")
    parser.add_argument(
        "--sync-interval",
        type=float,
        default=0.2,
        help="seconds between sync rounds, and the least gap after a poke (the app: 30 s and 1 s)",
    )
    return parser


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.station.context import open_station

    texts: list[str] = json.loads(Path(args.passes).read_text("utf-8"))
    people: list[list[str]] = json.loads(Path(args.people).read_text("utf-8")) if args.people else []
    rng = random.Random(args.seed)
    station = open_station(Path(args.home), site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan")
    worker = None
    if args.sync:
        from guardstation.station.server_link import build_worker

        worker = build_worker(station, interval_s=args.sync_interval, min_gap_s=args.sync_interval)
        if worker is None:
            station.close()
            raise SystemExit("--sync: this home is not enrolled")
        worker.start()
    out = sys.stdout
    out.write(f"{READY} {os.getpid()}\n")
    out.flush()
    done = 0
    try:
        while not args.scans or done < args.scans:
            if people and rng.random() < 0.1:
                name, nik = rng.choice(people)
                outcome = station.checkpoint.manual_entry(ManualEntry(nik=nik, name=name, purpose="Rapat"))
            else:
                outcome = station.checkpoint.scan(rng.choice(texts))
            # "Shown to the guard": scan() has returned, so the visit is committed.
            out.write(f"{SHOWN} {outcome.visit_id} {outcome.decision.action.value}\n")
            out.flush()
            if worker is not None:
                worker.poke()
            done += 1
            if args.pause:
                time.sleep(args.pause)
    finally:
        if worker is not None:
            worker.stop(timeout=30)
        station.close()
    return 0


if __name__ == "__main__":
    sys.exit(run())
