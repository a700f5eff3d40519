"""`faults`: does the station lose or double anything when things go wrong? (issue #7)

Short versions of the reliability runs, each also a test under tests/reliability/:

- crash loop: a station process (`bench/fault_station.py`) scans real signed passes and
  prints each visit id the moment `Checkpoint.scan()` returns ("shown to the guard"); it is
  SIGKILLed at random moments (some during start-up), restarted, and the database is checked:
  every visit shown is there, nothing is doubled, `PRAGMA integrity_check` is ok;
- power cuts: copies of a database and its WAL, the WAL cut (or its tail torn) at random byte
  offsets, reopen to exactly the committed prefix the surviving WAL frames hold;
- hostile input: mutated QR payloads, log searches, export file names, settings files, trust
  files and rule packs; anything but a clean rejection counts as an uncaught exception;
- long shift: scans through `Checkpoint` with a fake clock; resident memory growth after the
  warm-up, threads and open file handles before and after.

The loss and crash columns (`lost_visits`, `doubled_visits`, `bad_recoveries`,
`uncaught_exceptions`) should all be zero.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Protocol

from .common import Progress, environment_info, fmt, format_rows, temporary_home

KEYS = ("kills", "lost_visits", "doubled_visits", "power_cuts", "bad_recoveries", "fuzz_inputs",
        "uncaught_exceptions", "rss_growth_pct")
DEFAULT_KILLS = 20
DEFAULT_POWER_CUTS = 100
DEFAULT_FUZZ = 300
DEFAULT_SHIFT_SCANS = 3000

# What each verdict action leaves in the event log.
EVENT_KIND = {"check_in": "check_in", "check_out": "check_out", "deny": "denied", "notice": "notice"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS, help=f"SIGKILLs (default {DEFAULT_KILLS})")
    parser.add_argument("--power-cuts", type=int, default=DEFAULT_POWER_CUTS,
                        help=f"WAL copies cut at random points (default {DEFAULT_POWER_CUTS})")
    parser.add_argument("--fuzz", type=int, default=DEFAULT_FUZZ,
                        help=f"hostile inputs per surface (default {DEFAULT_FUZZ})")
    parser.add_argument("--shift-scans", type=int, default=DEFAULT_SHIFT_SCANS,
                        help=f"scans in the compressed shift (default {DEFAULT_SHIFT_SCANS}; "
                             "the long run is 50000)")
    parser.add_argument("--seed", type=int, default=7)


# -- the station home and its passes ---------------------------------------------------------------

def prepare_home(home: Path, *, people: int = 40, seed: int = 7) -> tuple[Path, Path]:
    """A set-up station with signed passes of several formats that verify there.

    Returns (passes.json, people.json): the QR texts to scan and (name, NIK) pairs for manual
    entry. Our own passes are issued with a throw-away issuer key; one sample each of an EU DCC,
    a SMART Health Card and a pass from `bench/samples.py`, their signers added to the trust store.
    """
    from ..domain.credential import PersonKind
    from ..issuer import PassRequest, deployment_key, issuer_key, make_pass_text
    from ..station import open_station
    from ..store import reference
    from .samples import sample_dcc, sample_gspass, sample_shc
    from .scan import _people

    rng = random.Random(seed)
    station = open_station(home, site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan")
    try:
        now = station.checkpoint.now()
        key = issuer_key(station.secrets, station.db, now)
        hmac_key = deployment_key(station.secrets)
        crowd = _people(people, rng)
        texts = [make_pass_text(PassRequest(name=name, kind=PersonKind(kind), doses=rng.choice((1, 2, 3)),
                                            valid_from=now - timedelta(days=1), valid_days=365, nik=nik),
                                key, hmac_key) for name, nik, kind in crowd]
        samples = [sample_dcc(now), sample_shc(now), sample_gspass(now)]
        with station.db.transaction() as session:
            for sample in samples:
                reference.put_trusted_key(session, sample.key, now=now, source="import")
        texts += [s.text for s in samples]
        texts.append("https://example.invalid/not-a-pass")      # a refusal now and then
    finally:
        station.close()
    passes, manual = home / "fault-passes.json", home / "fault-people.json"
    passes.write_text(json.dumps(texts), "utf-8")
    manual.write_text(json.dumps([[name, nik] for name, nik, _kind in _people(10, rng)]), "utf-8")
    return passes, manual


# -- checking a station database after crashes -----------------------------------------------------

@dataclass
class DbCheck:
    integrity: str
    visits: int
    events: int
    lost_visits: int = 0            # shown to the guard, not in the database
    doubled_visits: int = 0         # an event kind twice for one visit, or an outbox row twice
    inconsistent: int = 0           # materialised visit disagrees with its events; seq not gapless
    problems: list[str] = field(default_factory=list)


def check_station_db(db_path: Path, shown: list[tuple[str, str]], *, outbox_complete: bool = True) -> DbCheck:
    """Compare what was shown (visit id, action) with what a fresh connection reads back."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        events: dict[str, dict[str, int]] = {}
        for visit_id, kind, count in con.execute(
                "SELECT visit_id, kind, COUNT(*) FROM visit_event GROUP BY visit_id, kind"):
            events.setdefault(visit_id, {})[kind] = count
        status = dict(con.execute("SELECT visit_id, status FROM visit"))
        n_events, low, high = con.execute("SELECT COUNT(*), MIN(seq), MAX(seq) FROM visit_event").fetchone()
        outbox_dups = con.execute("SELECT COUNT(*) FROM (SELECT event_id FROM outbox GROUP BY event_id "
                                  "HAVING COUNT(*) > 1)").fetchone()[0]
        no_outbox = con.execute("SELECT COUNT(*) FROM visit_event e LEFT JOIN outbox o USING (event_id) "
                                "WHERE o.event_id IS NULL").fetchone()[0]
    finally:
        con.close()
    check = DbCheck(integrity, len(status), n_events)
    for visit_id, action in shown:
        kind = EVENT_KIND.get(action, action)
        if visit_id not in status or events.get(visit_id, {}).get(kind, 0) < 1:
            check.lost_visits += 1
            check.problems.append(f"shown but missing: {visit_id} {action}")
    for visit_id, kinds in events.items():
        doubled = [k for k, n in kinds.items() if n > 1]
        if doubled:
            check.doubled_visits += 1
            check.problems.append(f"doubled: {visit_id} {doubled}")
        left = kinds.get("check_out", 0) > 0
        if visit_id not in status or (status[visit_id] == "left") != left:
            check.inconsistent += 1
            check.problems.append(f"visit row disagrees with its events: {visit_id} {status.get(visit_id)} {kinds}")
    check.doubled_visits += outbox_dups
    if n_events and (low != 1 or high != n_events):
        check.inconsistent += 1
        check.problems.append(f"event seq not gapless: {n_events} events, seq {low}..{high}")
    if outbox_complete and no_outbox:
        check.lost_visits += no_outbox
        check.problems.append(f"{no_outbox} events without their outbox row")
    return check


# -- the crash loop --------------------------------------------------------------------------------

class SyncSide(Protocol):
    """What the sync part of the crash loop plugs in (see `sync_side`)."""

    def driver_args(self) -> list[str]: ...        # extra arguments for each station process

    def after_kill(self, home: Path) -> None: ...   # e.g. let the server answer, cut the network

    def check(self, home: Path) -> dict[str, int]:  # e.g. {"doubled_after_sync": 0, "unsent": 0}
        ...

    def close(self) -> None: ...


def sync_side(home: Path, work: Path) -> SyncSide | None:
    """EXTENSION POINT: the syncing part of the crash loop (issue #7, with guardstation/sync/).

    Returning None runs the loop standalone: the station process only scans. To kill the
    station while it also syncs, return a SyncSide that starts a central server (e.g.
    `guardstation-server serve` on a temporary SQLite database, an enrolment code for
    `home`), gives the station process the arguments that make it drain its outbox
    (`driver_args`), and after the last restart checks the server side: every event shown is
    stored once (`check` returns counts; any non-zero `doubled*`/`lost*` count is added to
    the loop's `doubled_visits`/`lost_visits`). `check_station_db` is then run with
    `outbox_complete=False`, since acknowledged outbox rows may be pruned.
    """
    return None


@dataclass
class KillLoopResult:
    kills: int = 0
    early_kills: int = 0            # killed before the station said READY (imports, migrations, seeding)
    shown: list[tuple[str, str]] = field(default_factory=list)
    failed_starts: list[str] = field(default_factory=list)    # a station that exited by itself
    check: DbCheck | None = None
    sync: dict[str, int] = field(default_factory=dict)

    @property
    def lost_visits(self) -> int:
        return (self.check.lost_visits if self.check else 0) + sum(
            v for k, v in self.sync.items() if k.startswith("lost"))

    @property
    def doubled_visits(self) -> int:
        return (self.check.doubled_visits if self.check else 0) + sum(
            v for k, v in self.sync.items() if k.startswith("doubled"))


class _Reader(threading.Thread):
    """Collects a station process's complete stdout lines; READY sets an event."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        from .fault_station import READY

        for raw in self.stream:
            if not raw.endswith("\n"):   # cut off by the kill: never fully written, never "shown"
                break
            self.lines.append(raw.rstrip("\n"))
            if raw.startswith(READY):
                self.ready.set()
        self.stream.close()


def station_env() -> dict[str, str]:
    """The station process keeps its keys in the file keyring of its home, as on a bare Linux PC."""
    return {**os.environ, "GUARDSTATION_KEYRING": "file", "PYTHONUNBUFFERED": "1"}


def start_station(home: Path, passes: Path, people: Path | None, seed: int, extra: list[str] | None = None,
                  scans: int = 0) -> tuple[subprocess.Popen, _Reader, Path]:
    err = home / f"fault-station-{seed}.stderr"
    argv = [sys.executable, "-m", "guardstation.bench.fault_station", "--home", str(home), "--passes", str(passes),
            "--seed", str(seed), "--scans", str(scans)]
    if people is not None:
        argv += ["--people", str(people)]
    with open(err, "wb") as err_file:
        child = subprocess.Popen(argv + list(extra or ()), env=station_env(), stdout=subprocess.PIPE,
                                 stderr=err_file, text=True, encoding="utf-8")
    reader = _Reader(child.stdout)
    reader.start()
    return child, reader, err


def _shown(lines: list[str]) -> list[tuple[str, str]]:
    from .fault_station import SHOWN

    out = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == SHOWN:
            out.append((parts[1], parts[2]))
    return out


def kill_loop(home: Path, kills: int, *, seed: int = 7, max_run_s: float = 0.8, early_share: float = 0.15,
              startup_s: float = 1.5, progress: Progress | None = None,
              sync: SyncSide | None = None) -> KillLoopResult:
    """SIGKILL a scanning station `kills` times at random moments, then check its database."""
    progress = progress or Progress(enabled=False)
    rng = random.Random(seed)
    passes, people = home / "fault-passes.json", home / "fault-people.json"
    if not passes.exists():
        passes, people = prepare_home(home, seed=seed)
    extra = sync.driver_args() if sync else []
    result = KillLoopResult()
    for i in range(kills):
        started = time.monotonic()
        child, reader, err = start_station(home, passes, people, seed * 100_000 + i, extra)
        try:
            if rng.random() < early_share:
                # Somewhere in start-up: imports, opening the database, keyring, the first scans.
                time.sleep(rng.uniform(0.0, startup_s))
            else:
                if not reader.ready.wait(60):
                    raise RuntimeError(f"station did not start: {err.read_text('utf-8', 'replace')[-2000:]}")
                startup_s = time.monotonic() - started    # aim the next early kill at this start-up time
                time.sleep(rng.uniform(0.0, max_run_s))
            early = not reader.ready.is_set()
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
            child.wait(30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(30)
        reader.join(30)
        if child.returncode == -signal.SIGKILL:
            result.kills += 1
            result.early_kills += early
        else:
            result.failed_starts.append(f"exit {child.returncode}: {err.read_text('utf-8', 'replace')[-2000:]}")
        err.unlink(missing_ok=True)
        result.shown += _shown(reader.lines)
        if sync:
            sync.after_kill(home)
        progress.tick(f"kill {i + 1}/{kills}: {len(result.shown)} verdicts shown so far")
    # A last, clean run: the station must start on what the kills left, and end normally.
    child, reader, err = start_station(home, passes, people, seed * 100_000 + kills, extra, scans=5)
    child.wait(120)
    reader.join(30)
    if child.returncode != 0:
        result.failed_starts.append(f"final run exit {child.returncode}: "
                                    f"{err.read_text('utf-8', 'replace')[-2000:]}")
    err.unlink(missing_ok=True)
    result.shown += _shown(reader.lines)
    if sync:
        result.sync = sync.check(home)
    from ..station import DB_FILENAME

    result.check = check_station_db(home / DB_FILENAME, result.shown, outbox_complete=sync is None)
    return result


# -- power cuts ------------------------------------------------------------------------------------

WAL_HEADER, FRAME_HEADER = 32, 24


def wal_commit_ends(wal: bytes) -> list[int]:
    """Byte offsets at which each committed transaction's last WAL frame ends, in order."""
    if len(wal) < WAL_HEADER:
        return []
    page_size = struct.unpack(">I", wal[8:12])[0]
    frame = FRAME_HEADER + page_size
    ends, offset = [], WAL_HEADER
    while offset + frame <= len(wal):
        if struct.unpack(">I", wal[offset + 4:offset + 8])[0]:   # "db size after commit": a commit frame
            ends.append(offset + frame)
        offset += frame
    return ends


@dataclass
class PowerCutResult:
    cuts: int = 0
    bad_recoveries: int = 0
    reopened_by_station: int = 0
    commits: int = 0
    prefix_lengths: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def build_wal_database(work: Path, commits: int, seed: int = 7) -> tuple[Path, Path, list[str], list[str]]:
    """A station database whose last `commits` visits (one transaction each) sit only in its WAL.

    Returns (db copy, wal copy, visits already in the main file, visits committed through the WAL
    in commit order). The copies are taken while the station still has the database open, as a
    power cut would find them.
    """
    from sqlalchemy import event

    from ..checkpoint import ManualEntry
    from ..station import DB_FILENAME, open_station
    from .scan import _people

    home = work / "wal-station"
    home.mkdir(parents=True, exist_ok=True)
    station = open_station(home, site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan")
    try:
        crowd = _people(commits + 5, random.Random(seed))

        def enter(person) -> str:
            return station.checkpoint.manual_entry(ManualEntry(nik=person[1], name=person[0])).visit_id

        base = [enter(p) for p in crowd[:5]]
        # From here on every commit stays in the WAL: no automatic checkpoint moves it.
        event.listen(station.db.engine, "connect", lambda con, _r: con.execute("PRAGMA wal_autocheckpoint=0"))
        station.db.engine.dispose()
        with station.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        in_wal = [enter(p) for p in crowd[5:5 + commits]]
        db_copy, wal_copy = work / "committed.sqlite", work / "committed.sqlite-wal.copy"
        shutil.copyfile(home / DB_FILENAME, db_copy)
        shutil.copyfile(home / f"{DB_FILENAME}-wal", wal_copy)
    finally:
        station.close()
    return db_copy, wal_copy, base, in_wal


def _place(db_orig: Path, wal: bytes, target: Path) -> None:
    """A database file with `wal` as its WAL, as the disk holds them after the power came back."""
    shutil.copyfile(db_orig, target)
    Path(f"{target}-wal").write_bytes(wal)
    Path(f"{target}-shm").unlink(missing_ok=True)   # the shared-memory index does not survive a power cut


def _visits_after_cut(db: Path) -> tuple[str, list[str]]:
    """Reopen: (integrity, visit ids by time in)."""
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        ids = [r[0] for r in con.execute("SELECT visit_id FROM visit ORDER BY time_in, rowid")]
    finally:
        con.close()
    return integrity, ids


def power_cuts(work: Path, cuts: int, *, commits: int = 40, seed: int = 7, station_every: int = 25,
               progress: Progress | None = None) -> PowerCutResult:
    """Cut (or tear the tail of) the WAL at random offsets; each reopen must give the committed prefix."""
    from ..station import DB_FILENAME
    from ..store.db import open_database

    progress = progress or Progress(enabled=False)
    rng = random.Random(seed)
    db_orig, wal_orig, base, in_wal = build_wal_database(work, commits, seed)
    wal = wal_orig.read_bytes()
    ends = wal_commit_ends(wal)
    result = PowerCutResult(commits=len(in_wal))
    if len(ends) < len(in_wal):
        result.bad_recoveries += 1
        result.problems.append(f"expected {len(in_wal)} commits in the WAL, found {len(ends)}")
        return result
    ends = ends[-len(in_wal):]          # one commit per visit, the last ones in the file
    for i in range(cuts):
        # The first two: no WAL at all, and the whole WAL (the power went after the last commit).
        cut = 0 if i == 0 else len(wal) if i == 1 else rng.randrange(0, len(wal) + 1)
        damaged = bytearray(wal[:cut])
        torn = i > 1 and rng.random() < 0.3 and cut > WAL_HEADER
        if torn:   # a torn write: the tail of the last frame written is garbage, not missing
            tail = rng.randrange(1, min(512, cut - WAL_HEADER) + 1)
            damaged[cut - tail:cut] = os.urandom(tail)
        survivors = sum(1 for end in ends if end <= cut - (tail if torn else 0))
        expected = base + in_wal[:survivors]
        target = work / "cut.sqlite"
        _place(db_orig, bytes(damaged), target)
        integrity, ids = _visits_after_cut(target)
        result.cuts += 1
        result.prefix_lengths.append(len(ids) - len(base))
        # Exactly the commits whose frames all survived intact: no more, no fewer, in order.
        if integrity != "ok" or ids != expected:
            result.bad_recoveries += 1
            result.problems.append(f"cut {cut}{' torn' if torn else ''}: integrity {integrity}, "
                                   f"{len(ids) - len(base)} visits back, expected {survivors}")
        elif station_every and i % station_every == 0:
            # The station itself opens the same cut: quick check, schema check, pragmas.
            station_home = work / "cut-home"
            station_home.mkdir(exist_ok=True)
            _place(db_orig, bytes(damaged), station_home / DB_FILENAME)
            open_database(station_home / DB_FILENAME).close()
            result.reopened_by_station += 1
            shutil.rmtree(station_home)
        progress.tick(f"power cut {i + 1}/{cuts}")
    return result


def creation_kills(work: Path, kills: int, *, seed: int = 7, startup_s: float | None = None,
                   progress: Progress | None = None) -> list[str]:
    """Kill a station during its very first start (database created, migrated, seeded, keys made),
    on a fresh home each time; the next start must work. Returns the failures."""
    progress = progress or Progress(enabled=False)
    rng = random.Random(seed)
    passes = work / "creation-passes.json"
    passes.parent.mkdir(parents=True, exist_ok=True)
    passes.write_text(json.dumps(["GS1:not-a-real-pass"]), "utf-8")
    failures: list[str] = []
    if startup_s is None:   # how long a first start takes here, up to the first verdict shown
        home = work / "creation-probe"
        home.mkdir()
        started = time.monotonic()
        child, reader, _err = start_station(home, passes, None, 0, scans=1)
        child.wait(120)
        reader.join(30)
        startup_s = time.monotonic() - started
    for i in range(kills):
        home = work / f"creation-{i}"
        home.mkdir()
        child, reader, err = start_station(home, passes, None, i)
        time.sleep(rng.uniform(0.3 * startup_s, 1.1 * startup_s))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        reader.join(30)
        again, reader, err2 = start_station(home, passes, None, i + 1, scans=2)
        again.wait(120)
        reader.join(30)
        if again.returncode != 0:
            failures.append(f"restart after a kill {'before' if not reader.ready.is_set() else 'after'} READY: "
                            f"{err2.read_text('utf-8', 'replace')[-1500:]}")
        progress.tick(f"first-start kill {i + 1}/{kills}")
    return failures
