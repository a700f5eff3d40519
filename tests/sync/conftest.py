"""Stations and a central server in one process: the real FastAPI app (SQLite) behind httpx's TestClient,
real station databases, fake clocks, and a transport that can fail on purpose."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from guardstation.server import service
from guardstation.server.api import create_app
from guardstation.server.db import open_db
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.context import open_station
from guardstation.station.server_link import enrol_station
from guardstation.store.secrets import TOKEN_SECRET
from guardstation.sync.engine import SyncEngine
from guardstation.sync.transport import HttpTransport, Offline, Reply
from tests.helpers.clock import FakeClock

URL = "http://127.0.0.1"  # the in-process test client never goes on the network; plain http only to loopback


class Skewed:
    """A station's wall clock: the real (server) time plus a fixed error."""

    def __init__(self, base: FakeClock, skew: timedelta = timedelta(0)) -> None:
        self.base, self.skew = base, skew

    def __call__(self) -> datetime:
        return self.base() + self.skew


class FlakyTransport:
    """Wraps a real transport; `plan` decides per call: "ok", "drop_before" (never reaches the server),
    "drop_after" (the server commits, the reply is lost), "duplicate" (sent twice)."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.plan: list[str] = []
        self.calls: list[tuple[str, str]] = []

    def request(self, method: str, path: str, **kw: Any) -> Reply:
        action = self.plan.pop(0) if self.plan else "ok"
        self.calls.append((path, action))
        if action == "drop_before":
            raise Offline("network down (test)")
        reply = self.inner.request(method, path, **kw)
        if action == "duplicate":
            reply = self.inner.request(method, path, **kw)
        if action == "drop_after":
            raise Offline("reply lost (test)")
        return reply

    def close(self) -> None:
        pass


class Server:
    def __init__(self, tmp: Path, clock: FakeClock) -> None:
        self.clock = clock
        self.db = open_db(f"sqlite:///{tmp / 'server.sqlite'}", migrate=True)
        self.app = create_app(self.db, clock=clock)
        self.client = TestClient(self.app, raise_server_exceptions=False)

    def site(self, name: str = "Kantor Bupati Probolinggo", capacity: int | None = 50) -> str:
        with self.db.write() as s:
            return service.add_site(s, name, capacity, self.clock()).site_id

    def code(self, site_id: str) -> str:
        with self.db.write() as s:
            return service.make_enrollment_code(s, site_id, self.clock(), timedelta(hours=72))[0]

    def transport(self) -> HttpTransport:
        return HttpTransport(URL, client=self.client)

    def close(self) -> None:
        self.client.close()
        self.db.close()


class Gate:
    """A real station home (database, keyring namespace, checkpoint) enrolled with the in-process server."""

    def __init__(self, tmp: Path, server: Server, site_id: str, name: str, *, skew: timedelta = timedelta(0)) -> None:
        self.server = server
        self.home = tmp / name.replace(" ", "_")
        self.home.mkdir(parents=True, exist_ok=True)
        self.clock = Skewed(server.clock, skew)
        self.name = name
        self.ctx = open_station(self.home, clock=self.clock, site_name="(lokal)", capacity=None, gate_name=name)
        self.transport = FlakyTransport(server.transport())
        enrol_station(self.ctx, URL, server.code(site_id), transport=self.transport)
        self.engine = self.make_engine()

    def make_engine(self) -> SyncEngine:
        return SyncEngine(
            self.ctx.db, self.transport, token=lambda: self.ctx.secrets.get(TOKEN_SECRET), clock=self.clock
        )

    @property
    def checkpoint(self):
        return self.ctx.checkpoint

    def enter(self, nik: str, name: str = "Budi Santoso"):
        return self.checkpoint.manual_entry(ManualEntry(nik=nik, name=name, purpose="Layanan KTP"))

    def sync(self):
        report = self.engine.sync()
        if report.reference_changed:
            self.checkpoint.reload_reference()
        return report

    def inside(self) -> int:
        return self.checkpoint.occupancy().inside

    def close(self) -> None:
        self.ctx.close()


@pytest.fixture
def server_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(tmp_path, server_clock):
    s = Server(tmp_path, server_clock)
    yield s
    s.close()


@pytest.fixture
def make_gate(tmp_path, server) -> Callable[..., Gate]:
    gates: list[Gate] = []

    def make(site_id: str, name: str, **kw) -> Gate:
        gate = Gate(tmp_path / "stations", server, site_id, name, **kw)
        gates.append(gate)
        return gate

    yield make
    for gate in gates:
        gate.close()


# Valid NIKs (region 3513 = Kab. Probolinggo, real birth dates).
NIKS = ["3513012505900001", "3513016708850002", "3513011203790003", "3513014411920004", "3513010101000005"]
