"""`faults`: does the station lose or double anything when things go wrong?

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
import logging
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
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from bench.common import Progress, environment_info, fmt, format_rows, temporary_home

KEYS = (
    "kills",
    "lost_visits",
    "doubled_visits",
    "power_cuts",
    "bad_recoveries",
    "fuzz_inputs",
    "uncaught_exceptions",
    "rss_growth_pct",
)
DEFAULT_KILLS = 20
DEFAULT_POWER_CUTS = 100
DEFAULT_FUZZ = 300
DEFAULT_SHIFT_SCANS = 3000

# What each verdict action leaves in the event log.
EVENT_KIND = {"check_in": "check_in", "check_out": "check_out", "deny": "denied", "notice": "notice"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kills", type=int, default=DEFAULT_KILLS, help=f"SIGKILLs (default {DEFAULT_KILLS})")
    parser.add_argument(
        "--power-cuts",
        type=int,
        default=DEFAULT_POWER_CUTS,
        help=f"WAL copies cut at random points (default {DEFAULT_POWER_CUTS})",
    )
    parser.add_argument(
        "--fuzz", type=int, default=DEFAULT_FUZZ, help=f"hostile inputs per surface (default {DEFAULT_FUZZ})"
    )
    parser.add_argument(
        "--shift-scans",
        type=int,
        default=DEFAULT_SHIFT_SCANS,
        help=f"scans in the compressed shift (default {DEFAULT_SHIFT_SCANS}; the long run is 50000)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-sync", action="store_true", help="crash loop without the central server (the station only scans)"
    )


# -- the station home and its passes ---------------------------------------------------------------


def prepare_home(home: Path, *, people: int = 40, seed: int = 7) -> tuple[Path, Path]:
    """A set-up station with signed passes of several formats that verify there.

    Returns (passes.json, people.json): the QR texts to scan and (name, NIK) pairs for manual
    entry. Our own passes are issued with a throw-away issuer key; one sample each of an EU DCC,
    a SMART Health Card and a pass from `bench/samples.py`, their signers added to the trust store.
    """
    from bench.samples import sample_dcc, sample_gspass, sample_shc
    from bench.scan import _people
    from guardstation.domain.credential import PersonKind
    from guardstation.station.context import open_station
    from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text
    from guardstation.store import reference

    rng = random.Random(seed)
    station = open_station(home, site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan")
    try:
        now = station.checkpoint.now()
        key = issuer_key(station.secrets, station.db, now)
        hmac_key = deployment_key(station.secrets)
        crowd = _people(people, rng)
        texts = [
            make_pass_text(
                PassRequest(
                    name=name,
                    kind=PersonKind(kind),
                    doses=rng.choice((1, 2, 3)),
                    valid_from=now - timedelta(days=1),
                    valid_days=365,
                    nik=nik,
                ),
                key,
                hmac_key,
            )
            for name, nik, kind in crowd
        ]
        samples = [sample_dcc(now), sample_shc(now), sample_gspass(now)]
        with station.db.transaction() as session:
            for sample in samples:
                reference.put_trusted_key(session, sample.key, now=now, source="import")
        texts += [s.text for s in samples]
        texts.append("https://example.invalid/not-a-pass")  # a refusal now and then
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
    lost_visits: int = 0  # shown to the guard, not in the database
    doubled_visits: int = 0  # an event kind twice for one visit, or an outbox row twice
    inconsistent: int = 0  # materialised visit disagrees with its events; seq not gapless
    problems: list[str] = field(default_factory=list)


def check_station_db(db_path: Path, shown: list[tuple[str, str]]) -> DbCheck:
    """Compare what was shown (visit id, action) with what a fresh connection reads back."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        events: dict[str, dict[str, int]] = {}
        for visit_id, kind, count in con.execute(
            "SELECT visit_id, kind, COUNT(*) FROM visit_event GROUP BY visit_id, kind"
        ):
            events.setdefault(visit_id, {})[kind] = count
        status = dict(con.execute("SELECT visit_id, status FROM visit"))
        n_events, low, high = con.execute("SELECT COUNT(*), MIN(seq), MAX(seq) FROM visit_event").fetchone()
        outbox_dups = con.execute(
            "SELECT COUNT(*) FROM (SELECT event_id FROM outbox GROUP BY event_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        no_outbox = con.execute(
            "SELECT COUNT(*) FROM visit_event e LEFT JOIN outbox o USING (event_id) WHERE o.event_id IS NULL"
        ).fetchone()[0]
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
    if no_outbox:
        check.lost_visits += no_outbox
        check.problems.append(f"{no_outbox} events without their outbox row")
    return check


# -- the crash loop --------------------------------------------------------------------------------


class SyncSide(Protocol):
    """What the sync part of the crash loop plugs in (`ServerSyncSide`; tests may plug in others)."""

    def driver_args(self) -> list[str]: ...  # extra arguments for each station process

    def after_kill(self, home: Path) -> None: ...  # e.g. let the server answer, cut the network

    def check(self, home: Path) -> dict[str, int]:  # e.g. {"doubled_after_sync": 0, "unsent": 0}
        ...


class CentralServer:
    """`guardstation-server serve` (uvicorn) on an SQLite file in `work`, with one site; it hands out
    enrolment codes for that site. A context manager: the server process stops on the way out."""

    def __init__(self, work: Path) -> None:
        from bench.sync import serve_process
        from guardstation.server import service

        self.db_path = work / "central.sqlite"
        with self._admin() as session:
            self.site_id = service.add_site(
                session, "Kantor Bupati Probolinggo", 500, datetime.now().astimezone()
            ).site_id
        self._stack = ExitStack()
        self.url = self._stack.enter_context(serve_process(f"sqlite:///{self.db_path}", log=work / "central.log"))

    @contextmanager
    def _admin(self) -> Iterator[Any]:
        """A write transaction, as `guardstation-server` admin commands do. Not kept open: SQLite defers
        closing a file's descriptors while another connection of the process holds it, which would
        show as a leak in the long shift's file count."""
        from guardstation.server.db import open_db

        db = open_db(f"sqlite:///{self.db_path}", migrate=True)
        try:
            with db.write() as session:
                yield session
        finally:
            db.close()

    def enrolment_code(self) -> str:
        from guardstation.server import service

        with self._admin() as session:
            code, _ = service.make_enrollment_code(session, self.site_id, datetime.now().astimezone())
        return code

    def read(self, query: str, *params: Any) -> list[tuple]:
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> CentralServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ServerSyncSide:
    """The crash loop with syncing: a station home enrolled with a `CentralServer`.

    The home is enrolled through `guardstation enroll`, as an installer would. Each station process
    runs the real sync worker (`fault_station --sync`), so kills land inside pushes too. After each
    kill the two databases are compared: an event the server stored whose ack the station never
    recorded is a kill between the server's commit and the station's ack, the window where a
    resend must not double anything. At the end the station drains its queue with `guardstation
    sync`, and the server must hold every event of the station exactly once, and nothing else.
    """

    def __init__(self, home: Path, server: CentralServer, *, interval_s: float = 0.2) -> None:
        self.home, self.server, self.interval_s = home, server, interval_s
        self.kills_with_queue = 0  # the station was killed with events not yet acknowledged
        self.kills_after_commit = 0  # ... some of which the server had already stored
        enrolled = self._cli("enroll", server.url, server.enrolment_code(), "--json")
        try:
            self.station_id = json.loads(enrolled.stdout.strip().splitlines()[-1])["station_id"]
        except (ValueError, KeyError, IndexError):
            raise RuntimeError(f"guardstation enroll: {enrolled.stdout[-800:]} {enrolled.stderr[-800:]}") from None

    def _cli(self, *argv: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "guardstation", "--home", str(self.home), *argv],
            env=station_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode not in (0, 1):
            raise RuntimeError(
                f"guardstation {argv[0]} exit {done.returncode}: {done.stdout[-800:]} {done.stderr[-1500:]}"
            )
        return done

    def driver_args(self) -> list[str]:
        return ["--sync", "--sync-interval", str(self.interval_s)]

    def _station_events(self, *, unacked_only: bool = False) -> dict[str, tuple[int, str, str | None]]:
        from guardstation.station.context import DB_FILENAME

        query = "SELECT e.event_id, e.seq, e.kind, e.visit_id FROM visit_event e JOIN outbox o USING (event_id)" + (
            " WHERE o.acked_at IS NULL" if unacked_only else ""
        )
        con = sqlite3.connect(f"file:{self.home / DB_FILENAME}?mode=ro", uri=True)
        try:
            return {r[0]: (r[1], r[2], r[3]) for r in con.execute(query)}
        finally:
            con.close()

    def _server_events(self) -> list[tuple[str, int, str, str | None]]:
        return self.server.read("SELECT event_id, seq, kind, visit_id FROM event WHERE station_id = ?", self.station_id)

    def after_kill(self, home: Path) -> None:
        unacked = self._station_events(unacked_only=True)
        if unacked:
            self.kills_with_queue += 1
            if any(row[0] in unacked for row in self._server_events()):
                self.kills_after_commit += 1

    def check(self, home: Path) -> dict[str, int]:
        """Drain the queue, then: every station event on the server once, nothing else, nothing refused."""
        queue_depth = -1
        for _ in range(10):
            done = self._cli("sync", "--json")
            try:
                queue_depth = json.loads(done.stdout.strip().splitlines()[-1])["queue_depth"]
            except (ValueError, KeyError, IndexError):
                queue_depth = -1
            if queue_depth == 0:
                break
            time.sleep(1)
        station = self._station_events()
        server = self._server_events()
        stored: dict[str, int] = {}
        for event_id, *_ in server:
            stored[event_id] = stored.get(event_id, 0) + 1
        per_kind: dict[tuple[str | None, str], int] = {}
        for _event_id, _seq, kind, visit_id in server:
            if kind in ("check_in", "check_out"):
                per_kind[(visit_id, kind)] = per_kind.get((visit_id, kind), 0) + 1
        refused = self.server.read("SELECT COUNT(*) FROM rejected_event WHERE station_id = ?", self.station_id)[0][0]
        mismatched = sum(
            1
            for event_id, seq, kind, visit_id in server
            if event_id in station and station[event_id] != (seq, kind, visit_id)
        )
        return {
            "synced_events": len(stored),
            "kills_with_queue": self.kills_with_queue,
            "kills_after_commit": self.kills_after_commit,
            "lost_on_server": sum(1 for event_id in station if event_id not in stored),
            "lost_unsent": queue_depth if queue_depth >= 0 else len(station),  # unknown: count all as unsent
            "lost_refused": refused,
            "doubled_on_server": sum(n - 1 for n in stored.values() if n > 1)
            + sum(n - 1 for n in per_kind.values() if n > 1),
            "doubled_unexpected": sum(1 for event_id in stored if event_id not in station) + mismatched,
        }


@dataclass
class KillLoopResult:
    kills: int = 0
    early_kills: int = 0  # killed before the station said READY (imports, migrations, seeding)
    shown: list[tuple[str, str]] = field(default_factory=list)
    failed_starts: list[str] = field(default_factory=list)  # a station that exited by itself
    check: DbCheck | None = None
    sync: dict[str, int] = field(default_factory=dict)

    @property
    def lost_visits(self) -> int:
        return (self.check.lost_visits if self.check else 0) + sum(
            v for k, v in self.sync.items() if k.startswith("lost")
        )

    @property
    def doubled_visits(self) -> int:
        return (self.check.doubled_visits if self.check else 0) + sum(
            v for k, v in self.sync.items() if k.startswith("doubled")
        )


class _Reader(threading.Thread):
    """Collects a station process's complete stdout lines; READY sets an event."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        from bench.fault_station import READY

        for raw in self.stream:
            if not raw.endswith("\n"):  # cut off by the kill: never fully written, never "shown"
                break
            self.lines.append(raw.rstrip("\n"))
            if raw.startswith(READY):
                self.ready.set()
        self.stream.close()


def station_env() -> dict[str, str]:
    """The station process keeps its keys in the file keyring of its home, as on a bare Linux PC."""
    return {**os.environ, "GUARDSTATION_KEYRING": "file", "PYTHONUNBUFFERED": "1"}


def start_station(
    home: Path, passes: Path, people: Path | None, seed: int, extra: list[str] | None = None, scans: int = 0
) -> tuple[subprocess.Popen, _Reader, Path]:
    err = home / f"fault-station-{seed}.stderr"
    argv = [
        sys.executable,
        "-m",
        "bench.fault_station",
        "--home",
        str(home),
        "--passes",
        str(passes),
        "--seed",
        str(seed),
        "--scans",
        str(scans),
    ]
    if people is not None:
        argv += ["--people", str(people)]
    with open(err, "wb") as err_file:
        child = subprocess.Popen(
            argv + list(extra or ()),
            env=station_env(),
            stdout=subprocess.PIPE,
            stderr=err_file,
            text=True,
            encoding="utf-8",
        )
    reader = _Reader(child.stdout)
    reader.start()
    return child, reader, err


def _shown(lines: list[str]) -> list[tuple[str, str]]:
    from bench.fault_station import SHOWN

    out = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == SHOWN:
            out.append((parts[1], parts[2]))
    return out


def kill_loop(
    home: Path,
    kills: int,
    *,
    seed: int = 7,
    max_run_s: float = 0.8,
    early_share: float = 0.15,
    startup_s: float = 1.5,
    progress: Progress | None = None,
    sync: SyncSide | None = None,
) -> KillLoopResult:
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
                startup_s = time.monotonic() - started  # aim the next early kill at this start-up time
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
        result.failed_starts.append(f"final run exit {child.returncode}: {err.read_text('utf-8', 'replace')[-2000:]}")
    err.unlink(missing_ok=True)
    result.shown += _shown(reader.lines)
    if sync:
        result.sync = sync.check(home)
    from guardstation.station.context import DB_FILENAME

    result.check = check_station_db(home / DB_FILENAME, result.shown)
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
        if struct.unpack(">I", wal[offset + 4 : offset + 8])[0]:  # "db size after commit": a commit frame
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

    from bench.scan import _people
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.station.context import DB_FILENAME, open_station

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
        in_wal = [enter(p) for p in crowd[5 : 5 + commits]]
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
    Path(f"{target}-shm").unlink(missing_ok=True)  # the shared-memory index does not survive a power cut


def _visits_after_cut(db: Path) -> tuple[str, list[str]]:
    """Reopen: (integrity, visit ids by time in)."""
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        ids = [r[0] for r in con.execute("SELECT visit_id FROM visit ORDER BY time_in, rowid")]
    finally:
        con.close()
    return integrity, ids


def power_cuts(
    work: Path,
    cuts: int,
    *,
    commits: int = 40,
    seed: int = 7,
    station_every: int = 25,
    progress: Progress | None = None,
) -> PowerCutResult:
    """Cut (or tear the tail of) the WAL at random offsets; each reopen must give the committed prefix."""
    from guardstation.station.context import DB_FILENAME
    from guardstation.store.db import open_database

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
    ends = ends[-len(in_wal) :]  # one commit per visit, the last ones in the file
    for i in range(cuts):
        # The first two: no WAL at all, and the whole WAL (the power went after the last commit).
        cut = 0 if i == 0 else len(wal) if i == 1 else rng.randrange(0, len(wal) + 1)
        damaged = bytearray(wal[:cut])
        torn = i > 1 and rng.random() < 0.3 and cut > WAL_HEADER
        if torn:  # a torn write: the tail of the last frame written is garbage, not missing
            tail = rng.randrange(1, min(512, cut - WAL_HEADER) + 1)
            damaged[cut - tail : cut] = os.urandom(tail)
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
            result.problems.append(
                f"cut {cut}{' torn' if torn else ''}: integrity {integrity}, "
                f"{len(ids) - len(base)} visits back, expected {survivors}"
            )
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


def creation_kills(
    work: Path, kills: int, *, seed: int = 7, startup_s: float | None = None, progress: Progress | None = None
) -> list[str]:
    """Kill a station during its very first start (database created, migrated, seeded, keys made),
    on a fresh home each time; the next start must work. Returns the failures."""
    progress = progress or Progress(enabled=False)
    rng = random.Random(seed)
    passes = work / "creation-passes.json"
    passes.parent.mkdir(parents=True, exist_ok=True)
    passes.write_text(json.dumps(["GS1:not-a-real-pass"]), "utf-8")
    failures: list[str] = []
    if startup_s is None:  # how long a first start takes here, up to the first verdict shown
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
            failures.append(
                f"restart after a kill {'before' if not reader.ready.is_set() else 'after'} READY: "
                f"{err2.read_text('utf-8', 'replace')[-1500:]}"
            )
        progress.tick(f"first-start kill {i + 1}/{kills}")
    return failures


# -- hostile input ---------------------------------------------------------------------------------

HOSTILE_TEXTS = (
    "'; DROP TABLE visit; --",
    '" OR 1=1 --',
    "Budi' OR '1'='1",
    "%",
    "_",
    "\\",
    "*",
    "NEAR(a b)",
    '"""',
    'a" OR "b',
    "visit_fts MATCH '*'",
    "\x00",
    "名前",
    "🙂🙂🙂",
    "Budi\x00Santoso",
    "' UNION SELECT * FROM audit_log --",
    "x" * 5000,
    "^",
    "-",
    "AND",
    "OR NOT",
    "(",
    ")",
    "{col}",
    "$(rm -rf /)",
)
HOSTILE_NAMES = (
    "../guardstation.sqlite",
    "../../guardstation.sqlite",
    "../guardstation.sqlite-wal",
    "../config.json",
    "../secrets/keyring.json",
    "../logs/guardstation.log",
    "..",
    ".",
    "",
    "/",
    "a/../../guardstation.sqlite",
    "laporan\x00.csv",
    "laporan%00.csv",
    "CON",
    "x" * 300 + ".csv",
    "nul:.csv",
    "laporan.csv/",
)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        pos = rng.randrange(len(data) + 1)
        roll = rng.random()
        if roll < 0.3 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif roll < 0.5:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif roll < 0.7:
            del data[pos : pos + rng.randint(1, 16)]
        elif roll < 0.85:
            del data[pos:]
        else:
            data[pos:pos] = bytes(data[pos : pos + 32]) * rng.randint(1, 4)
    return bytes(data)


@dataclass
class HostileResult:
    inputs: int = 0
    uncaught: list[str] = field(default_factory=list)  # "surface: exception" for each one not handled
    written_outside: list[str] = field(default_factory=list)  # station files an export name replaced


def hostile_inputs(work: Path, per_surface: int, *, seed: int = 7) -> HostileResult:
    """Mutated QR payloads, log searches, export names, settings, trust files and rule packs.

    A clean rejection is the documented error of each surface (a red verdict, an ExportError, a
    TrustImportError, a RulePackError, default settings); anything else counts as uncaught. No export
    name may replace the station's own files (`../guardstation.sqlite`, `../config.json`...).
    """
    from bench.samples import sample_dcc, sample_gspass, sample_shc
    from guardstation.credentials.trust_files import parse_trust_file
    from guardstation.credentials.x509_keys import TrustImportError
    from guardstation.domain.rules import RulePackError
    from guardstation.reports import ExportError, ExportRequest, run_export
    from guardstation.resources import DEFAULT_RULE_PACK, resource
    from guardstation.settings.model import Settings
    from guardstation.station.context import DB_FILENAME, open_station
    from guardstation.store import reference, visits

    rng = random.Random(seed)
    result = HostileResult()
    home = work / "hostile-station"
    home.mkdir(parents=True, exist_ok=True)
    station = open_station(home, site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan")

    def attempt(surface: str, call: Callable[[], Any], allowed: tuple[type[BaseException], ...] = ()) -> None:
        result.inputs += 1
        try:
            call()
        except allowed:
            pass
        except Exception as exc:  # noqa: BLE001 - counting exactly these is the point
            result.uncaught.append(f"{surface}: {type(exc).__name__}: {exc}"[:300])

    try:
        now = station.checkpoint.now()
        samples = [sample_gspass(now), sample_dcc(now), sample_shc(now)]
        with station.db.transaction() as session:
            for sample in samples:
                reference.put_trusted_key(session, sample.key, now=now)
        station.checkpoint.reload_reference()
        for _ in range(per_surface):  # QR payloads: every answer is a verdict, never an exception
            text = _mutate(rng, rng.choice(samples).text.encode()).decode("utf-8", "replace")
            attempt("scan", lambda text=text: station.checkpoint.evaluate(text))
        with station.db.read() as session:
            rows_before = visits.count_log(session)
        searches = list(HOSTILE_TEXTS) + [
            _mutate(rng, rng.choice(HOSTILE_TEXTS).encode()).decode("utf-8", "replace") for _ in range(per_surface)
        ]
        for query in searches:

            def search(q=query) -> None:
                with station.db.read() as session:
                    visits.log_page(session, name_query=q, limit=20)

            attempt("search", search)
        with station.db.read() as session:
            if visits.count_log(session) != rows_before:
                result.uncaught.append("search: the visit log changed")
        exports = home / "exports"
        exports.mkdir(exist_ok=True)
        protected = {p: p.read_bytes() for p in (home / DB_FILENAME, home / "config.json") if p.exists()}
        names = list(HOSTILE_NAMES) + [
            _mutate(rng, rng.choice(HOSTILE_NAMES).encode()).decode("utf-8", "replace")
            for _ in range(max(1, per_surface // 10))
        ]
        for name in names:
            request = ExportRequest("evacuation", "csv", exports / name, None, audit=False)
            attempt("export name", lambda r=request: run_export(station.db, r, now=now), (ExportError, ValueError))
        for path, content in protected.items():
            if path.name == DB_FILENAME:
                continue  # the database changes by itself (audit rows); checked by integrity below
            if path.read_bytes() != content:
                result.written_outside.append(f"{path} changed")
        if station.db.integrity_check(quick=False) != "ok":
            result.uncaught.append("export name: database damaged")
        settings_home = work / "hostile-settings"
        settings_home.mkdir(exist_ok=True)
        good_settings = json.dumps({"language": "en", "configured": True}).encode()
        logging.disable(logging.ERROR)  # each damaged file is logged; not hundreds of times here
        try:
            for _ in range(per_surface):
                (settings_home / "config.json").write_bytes(_mutate(rng, good_settings))
                attempt("settings", lambda: Settings.load(settings_home))
        finally:
            logging.disable(logging.NOTSET)
        trust_seeds = [
            json.dumps({"keys": []}).encode(),
            b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        ]
        for _ in range(per_surface):
            data = _mutate(rng, rng.choice(trust_seeds))
            attempt("trust file", lambda d=data: parse_trust_file(d), (TrustImportError,))
        pack = resource(*DEFAULT_RULE_PACK).read_text("utf-8").encode()
        for _ in range(per_surface):
            data = _mutate(rng, pack)

            def load_pack(d=data) -> None:
                body = json.loads(d.decode("utf-8"))
                with station.db.transaction() as session:
                    reference.put_rule_pack(session, body, now)
                    session.rollback()

            attempt("rule pack", load_pack, (RulePackError, ValueError))
    finally:
        station.close()
    return result


# -- the long shift --------------------------------------------------------------------------------


def _rss_mb() -> float:
    """Resident memory now (not the peak): /proc on Linux, else the peak as an upper bound."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    from bench.common import peak_rss_mb

    return peak_rss_mb()


def _open_files() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


@dataclass
class ShiftResult:
    scans: int
    warmup_scans: int
    rss_warm_mb: float
    rss_end_mb: float
    threads_before: int
    threads_after: int
    files_before: int
    files_after: int
    visits: int
    scans_per_s: float
    synced_events: int | None = None  # with a server: events the server acknowledged
    unsent_events: int | None = None  # ... and what was still queued at the end (should be 0)

    @property
    def rss_growth_pct(self) -> float:
        return (self.rss_end_mb - self.rss_warm_mb) / self.rss_warm_mb * 100.0


def long_shift(
    work: Path,
    scans: int,
    *,
    seed: int = 7,
    people: int = 600,
    warmup_share: float = 0.1,
    progress: Progress | None = None,
    server: CentralServer | None = None,
) -> ShiftResult:
    """A 12-hour shift compressed: `scans` scans through Checkpoint with a fake clock (07:00-19:00).

    With a `server` the station is enrolled and its sync worker runs all shift long, as in the app
    (a round at least every second, poked by the scans); at the end the queue must drain."""
    from bench.scan import _people
    from guardstation.domain.credential import PersonKind
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.station.context import open_station
    from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text

    progress = progress or Progress(enabled=False)
    rng = random.Random(seed)
    start = datetime.now().astimezone().replace(hour=7, minute=0, second=0, microsecond=0)
    step = timedelta(hours=12) / scans
    clock_now = [start]
    home = work / "shift-station"
    home.mkdir(parents=True, exist_ok=True)
    code = server.enrolment_code() if server is not None else None  # the bench's own connection: not counted
    gc.collect()
    threads_before, files_before = threading.active_count(), _open_files()
    station = open_station(
        home, clock=lambda: clock_now[0], site_name="Kantor Bupati Probolinggo", gate_name="Pintu Depan"
    )
    try:
        worker = None
        if server is not None:
            from guardstation.station.server_link import build_worker, enrol_station

            enrol_station(station, server.url, code)
            worker = build_worker(station, interval_s=5.0)
            worker.start()
        key = issuer_key(station.secrets, station.db, start)
        station.checkpoint.reload_reference()
        hmac_key = deployment_key(station.secrets)
        crowd = _people(people, rng)
        texts = [
            make_pass_text(
                PassRequest(
                    name=n, kind=PersonKind(k), doses=2, valid_from=start - timedelta(days=1), valid_days=30, nik=nik
                ),
                key,
                hmac_key,
            )
            for n, nik, k in crowd
        ]
        warmup = max(200, int(scans * warmup_share))
        rss_warm = 0.0
        started = time.perf_counter()
        for i in range(scans):
            if i % 20 == 19:
                name, nik, _kind = rng.choice(crowd)
                station.checkpoint.manual_entry(ManualEntry(nik=nik, name=name, purpose="Layanan"))
            else:
                station.checkpoint.scan(rng.choice(texts))
            clock_now[0] += step
            if worker is not None:
                worker.poke()
            if i % 1000 == 999:
                gc.collect()  # as the app's GUI-thread collector does
            if i + 1 == warmup:
                gc.collect()
                rss_warm = _rss_mb()
            progress.tick(f"shift scan {i + 1}/{scans}")
        elapsed = time.perf_counter() - started
        gc.collect()
        rss_end = _rss_mb()
        synced = unsent = None
        if worker is not None:
            unsent = _drain(station, worker)
            synced = server.read("SELECT COUNT(*) FROM event WHERE station_id = ?", station.checkpoint.station_id)[0][0]
        with station.db.read() as session:
            from guardstation.store import visits

            total = visits.count_log(session)
    finally:
        if worker is not None:
            worker.stop(timeout=30)
        station.close()
    gc.collect()
    return ShiftResult(
        scans,
        warmup,
        rss_warm,
        rss_end,
        threads_before,
        threading.active_count(),
        files_before,
        _open_files(),
        total,
        scans / elapsed,
        synced,
        unsent,
    )


def _drain(station, worker, timeout_s: float = 120.0) -> int:
    """Poke the worker until the outbox is empty (or the time is up); returns what is still queued."""
    from guardstation.sync.engine import pending_count

    deadline = time.monotonic() + timeout_s
    while True:
        with station.db.read() as session:
            pending = pending_count(session)
        if pending == 0 or time.monotonic() > deadline:
            return pending
        worker.poke()
        time.sleep(0.2)


# -- the benchmark ---------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not getattr(args, "quiet", False))
    with temporary_home() as work, ExitStack() as stack:
        progress.say(f"crash loop: {args.kills} kills")
        home = work / "station"
        home.mkdir()
        prepare_home(home, seed=args.seed)
        server = None if args.no_sync else stack.enter_context(CentralServer(work))
        sync = None if server is None else ServerSyncSide(home, server)
        kills = kill_loop(home, args.kills, seed=args.seed, progress=progress, sync=sync)
        first_start_failures = creation_kills(work / "first-start", max(1, args.kills // 10), seed=args.seed)
        progress.say(f"power cuts: {args.power_cuts}")
        cuts = power_cuts(work / "power", args.power_cuts, seed=args.seed, progress=progress)
        progress.say(f"hostile input: {args.fuzz} per surface")
        hostile = hostile_inputs(work / "hostile", args.fuzz, seed=args.seed)
        progress.say(f"long shift: {args.shift_scans} scans")
        shift = long_shift(work / "shift", args.shift_scans, seed=args.seed, progress=progress, server=server)
    check = kills.check
    return {
        "kills": kills.kills,
        "lost_visits": kills.lost_visits,
        "doubled_visits": kills.doubled_visits,
        "power_cuts": cuts.cuts,
        "bad_recoveries": cuts.bad_recoveries
        + (check.inconsistent if check else 0)
        + len(kills.failed_starts)
        + len(first_start_failures),
        "fuzz_inputs": hostile.inputs,
        "uncaught_exceptions": len(hostile.uncaught) + len(hostile.written_outside),
        "rss_growth_pct": round(shift.rss_growth_pct, 2),
        "early_kills": kills.early_kills,
        "first_start_kills": max(1, args.kills // 10),
        "verdicts_shown": len(kills.shown),
        "integrity": check.integrity if check else None,
        "sync": kills.sync or None,
        "shift_scans": shift.scans,
        "shift_scans_per_s": round(shift.scans_per_s, 1),
        "rss_warm_mb": round(shift.rss_warm_mb, 1),
        "rss_end_mb": round(shift.rss_end_mb, 1),
        "shift_synced_events": shift.synced_events,
        "shift_unsent_events": shift.unsent_events,
        "threads_leaked": shift.threads_after - shift.threads_before,
        "files_leaked": shift.files_after - shift.files_before,
        "problems": (check.problems if check else [])[:10]
        + cuts.problems[:10]
        + kills.failed_starts[:3]
        + first_start_failures[:3]
        + hostile.uncaught[:10]
        + hostile.written_outside[:10]
        + ([f"long shift: {shift.unsent_events} events still queued after the drain"] if shift.unsent_events else []),
        **environment_info(),
    }


def format_table(result: dict[str, Any]) -> str:
    rows = [
        (
            key,
            fmt(result[key]),
            "goal 0" if key in ("lost_visits", "doubled_visits", "bad_recoveries", "uncaught_exceptions") else "",
        )
        for key in KEYS
    ]
    rows.append(("rss_growth_pct", fmt(result["rss_growth_pct"]), "goal <= 10"))
    rows += [
        (k, fmt(result[k]), "")
        for k in ("early_kills", "verdicts_shown", "shift_scans", "threads_leaked", "files_leaked")
    ]
    rows += [(f"sync.{k}", fmt(v), "") for k, v in (result.get("sync") or {}).items()]
    rows += [
        (k, fmt(result[k]), "goal 0" if k == "shift_unsent_events" else "")
        for k in ("shift_synced_events", "shift_unsent_events")
        if result.get(k) is not None
    ]
    table = format_rows("faults", rows[: len(KEYS) - 1] + rows[len(KEYS) :])
    return table + ("\nproblems:\n  " + "\n  ".join(result["problems"]) if result["problems"] else "")
