"""Deterministic simulation of one site: three station engines and the server in one process, a fake
clock, a fake network that drops requests before or after the server commits, duplicates them, delays
and replays them out of order, partitions stations, and stations that crash and restart with clocks
off by up to a day. Hypothesis drives it (stateful testing) and prints the failing steps and a
`@reproduce_failure` blob.

After healing, these must hold: every event the stations wrote is on the server exactly once, nothing
else is there, no queued event was dropped without an ack, and all gates agree with the server on
how many people are inside. CI runs 8 examples of 30 steps; `-m slow` 25.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from guardstation.server import ingest, service
from guardstation.server.api import create_app
from guardstation.server.db import open_db
from guardstation.server.models import Event
from guardstation.station.checkpoint import InvalidEntry, ManualEntry
from guardstation.station.context import open_station
from guardstation.station.server_link import enrol_station
from guardstation.store.models import Outbox, VisitEvent
from guardstation.store.secrets import TOKEN_SECRET
from guardstation.sync.engine import SyncEngine, pending_count
from guardstation.sync.transport import HttpTransport, Offline, Reply, SyncError
from tests.helpers.clock import WIB, FakeClock

from .conftest import NIKS, URL

GATES = 3
PEOPLE = NIKS + ["3513015506880006", "3513012208950007"]
FAULTS = ("ok", "drop_before", "drop_after", "duplicate", "delay")
_templates: dict[str, Path] = {}


def _template(kind: str) -> Path:
    """Migrated databases made once per test session and copied per example (migrations take most of a
    second; Hypothesis runs dozens of examples)."""
    if kind not in _templates:
        folder = Path(tempfile.mkdtemp(prefix=f"gs-sim-{kind}-"))
        if kind == "server":
            open_db(f"sqlite:///{folder / 'server.sqlite'}", migrate=True).close()
            _templates[kind] = folder / "server.sqlite"
        else:
            open_station(folder, site_name="(lokal)", gate_name="Gerbang").close()
            _templates[kind] = folder / "guardstation.sqlite"
    return _templates[kind]


class SimNetwork:
    """The station's side of the wire: faults are chosen by the test, one request at a time."""

    def __init__(self, inner: HttpTransport, world: SiteSimulation) -> None:
        self.inner, self.world = inner, world
        self.partitioned = False
        self.next_fault = "ok"

    def request(self, method: str, path: str, **kw) -> Reply:
        fault, self.next_fault = self.next_fault, "ok"
        if self.partitioned or fault == "drop_before":
            raise Offline("simulated: no route to the server")
        if fault == "delay":  # arrives later, out of order; the station hears nothing now
            self.world.in_flight.append((self.inner, method, path, kw))
            raise Offline("simulated: timed out (the request is still on its way)")
        reply = self.inner.request(method, path, **kw)
        if fault == "duplicate":
            reply = self.inner.request(method, path, **kw)
        if fault == "drop_after":
            raise Offline("simulated: connection reset after the server answered")
        return reply

    def close(self) -> None:
        pass


class SimGate:
    def __init__(self, root: Path, index: int, world: SiteSimulation, skew: timedelta) -> None:
        self.home = root / f"gate{index}"
        self.home.mkdir()
        shutil.copyfile(_template("station"), self.home / "guardstation.sqlite")
        self.name = f"Pintu {index + 1}"
        self.skew = skew
        self.world = world
        self.clock = lambda: world.clock() + skew
        self.network = SimNetwork(HttpTransport(URL, client=world.client), world)
        self.open()
        enrol_station(self.ctx, URL, world.code(), transport=self.network.inner)

    def open(self) -> None:
        self.ctx = open_station(self.home, clock=self.clock, gate_name=self.name)
        self.engine = SyncEngine(
            self.ctx.db,
            self.network,
            token=lambda: self.ctx.secrets.get(TOKEN_SECRET),
            clock=self.clock,
            batch=7,
            page=5,
        )  # small: many batches and pages

    def crash_and_restart(self) -> None:
        # Every step is one committed transaction, so a kill between steps loses nothing in memory that
        # matters; the real-process test kills mid-request with SIGKILL.
        self.ctx.close()
        self.open()

    def sync(self) -> None:
        try:
            report = self.engine.sync()
        except SyncError:
            return
        if report.reference_changed:
            self.ctx.checkpoint.reload_reference()

    def event_ids(self) -> set[str]:
        with self.ctx.db.read() as s:
            return set(s.scalars(select(VisitEvent.event_id)))

    def acked_ids(self) -> set[str]:
        with self.ctx.db.read() as s:
            return set(s.scalars(select(Outbox.event_id).where(Outbox.acked_at.is_not(None))))


class SiteSimulation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="gs-sim-"))
        self.clock = FakeClock(datetime(2026, 11, 23, 7, 30, tzinfo=WIB))
        shutil.copyfile(_template("server"), self.root / "server.sqlite")
        self.server_db = open_db(f"sqlite:///{self.root / 'server.sqlite'}", migrate=False)
        self.client = TestClient(create_app(self.server_db, clock=self.clock), raise_server_exceptions=False)
        with self.server_db.write() as s:
            self.site_id = service.add_site(s, "Kantor Bupati Probolinggo", 200, self.clock()).site_id
        self.in_flight: list[tuple] = []
        self.gates: list[SimGate] = []
        self.written: set[str] = set()

    def code(self) -> str:
        with self.server_db.write() as s:
            return service.make_enrollment_code(s, self.site_id, self.clock(), timedelta(hours=72))[0]

    @initialize(skews=st.lists(st.integers(min_value=-24 * 60, max_value=24 * 60), min_size=GATES, max_size=GATES))
    def enrol_gates(self, skews):
        for i, minutes in enumerate(skews):
            self.gates.append(SimGate(self.root, i, self, timedelta(minutes=minutes)))

    # -- what happens at the gates -------------------------------------------------------------------------
    @rule(gate=st.integers(0, GATES - 1), person=st.integers(0, len(PEOPLE) - 1))
    def visitor_at_gate(self, gate, person):
        g = self.gates[gate]
        try:
            outcome = g.ctx.checkpoint.manual_entry(ManualEntry(nik=PEOPLE[person], name=f"Tamu {person}"))
        except InvalidEntry:
            return
        assert outcome.visit_id is not None

    @rule(gate=st.integers(0, GATES - 1))
    def gate_syncs(self, gate):
        self.gates[gate].sync()

    @rule(gate=st.integers(0, GATES - 1), fault=st.sampled_from(FAULTS))
    def network_fault(self, gate, fault):
        self.gates[gate].network.next_fault = fault

    @rule(gate=st.integers(0, GATES - 1), cut=st.booleans())
    def partition(self, gate, cut):
        self.gates[gate].network.partitioned = cut

    @precondition(lambda self: bool(self.in_flight))
    @rule(which=st.integers(0, 100))
    def late_delivery(self, which):
        inner, method, path, kw = self.in_flight.pop(which % len(self.in_flight))
        inner.request(method, path, **kw)  # nobody is waiting for this reply any more

    @rule(gate=st.integers(0, GATES - 1))
    def crash(self, gate):
        self.gates[gate].crash_and_restart()

    @rule(minutes=st.integers(1, 240))
    def time_passes(self, minutes):
        self.clock.advance(minutes=minutes)

    # -- what must hold at every step ----------------------------------------------------------------------
    @invariant()
    def acked_events_are_on_the_server(self):
        if not self.gates:
            return
        on_server = self.server_event_ids()
        for g in self.gates:
            missing = g.acked_ids() - on_server
            assert not missing, f"{g.name}: {len(missing)} events acked but not on the server"
        every = set().union(*(g.event_ids() for g in self.gates))
        assert on_server <= every, "the server holds events no station wrote"

    def server_event_ids(self) -> set[str]:
        with self.server_db.read() as s:
            ids = list(s.scalars(select(Event.event_id)))
        assert len(ids) == len(set(ids))
        return set(ids)

    def teardown(self):
        try:
            if self.gates:
                self.heal_and_check()
        finally:
            for g in self.gates:
                g.ctx.close()
            self.client.close()
            self.server_db.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def heal_and_check(self):
        for inner, method, path, kw in self.in_flight:
            inner.request(method, path, **kw)
        for g in self.gates:
            g.network.partitioned, g.network.next_fault = False, "ok"
        for _round in range(3):  # push everything, then let everyone hear about it
            for g in self.gates:
                g.engine.sync()
                g.ctx.checkpoint.reload_reference()
        every = set().union(*(g.event_ids() for g in self.gates))
        on_server = self.server_event_ids()
        assert on_server == every, (
            f"missing on the server: {len(every - on_server)}, unexpected: {len(on_server - every)}"
        )
        for g in self.gates:
            with g.ctx.db.read() as s:
                assert pending_count(s) == 0, f"{g.name} still has queued events"
                assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        with self.server_db.read() as s:
            server_inside, _by_gate = ingest.occupancy(s, self.site_id)
            stored = s.scalar(select(func.count()).select_from(Event))
        assert stored == len(every)
        counts = {g.name: g.ctx.checkpoint.occupancy().inside for g in self.gates}
        assert set(counts.values()) == {server_inside}, f"gates {counts} vs server {server_inside}"


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        stateful_step_count=30,
        deadline=None,
        derandomize=True,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


def test_site_simulation():
    run_state_machine_as_test(SiteSimulation, settings=_settings(8))


@pytest.mark.slow
def test_site_simulation_long():
    run_state_machine_as_test(SiteSimulation, settings=_settings(25))
