"""Real processes, real sockets: the central server under uvicorn (SQLite file), three station processes
(tests/helpers/station_process.py: the real Checkpoint, the real SyncWorker/SyncEngine, a file keyring)
talking to it through a fault-injecting proxy on loopback (tests/helpers/fault_proxy.py). People check in at
one gate and out at another; a station is SIGKILLed while its push is parked in the proxy, and restarted
(once in CI, four times in the slow run). Then the proxy heals, everything syncs until quiet, and the
invariants of issue #4 must hold:

- every event in every station's `visit_event` is on the server (`event`) exactly once, with the same
  station and seq, and nothing else is there (nothing rejected either);
- no outbox row is unacknowledged;
- every visit a station printed as shown to the guard is in its database, as shown;
- all gates and the server agree on occupancy (the count, per gate, and which visits are open);
- `PRAGMA integrity_check` is ok on every database.

The proxy's fault plan comes from a seed: GUARDSTATION_SYNC_SEED=N reruns one. The seed is printed at the
start (pytest shows it with a failure) and is part of every assertion message.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections import Counter
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import httpx
import pytest

from tests.helpers.fault_proxy import FaultProxy, Hold
from tests.helpers.processes import ProcessFailure as Failure
from tests.helpers.processes import StationProcess, child_env, serve_process

GATES = ("Pintu Utara", "Pintu Selatan", "Pintu Timur")
FIRST = ["Siti", "Ahmad", "Dewi", "Budi", "Nur", "Agus", "Sri", "Eko", "Rina", "Wahyu", "Yuliana", "Hadi"]
LAST = ["Rahmawati", "Santoso", "Hidayat", "Wulandari", "Setiawan", "Kurniawan", "Pratama", "Handayani"]


@dataclass(frozen=True)
class Scenario:
    steps: int  # rounds of one command per station
    people: int  # size of the shared pool of visitors (smaller: more check-outs)
    fault_rate: float
    pause_s: float  # between rounds
    kills: tuple[int, ...]  # rounds after which a station's next push is parked and the station killed
    quiet_timeout_s: float
    after_commit: bool | None  # the parked push reached the server first (None: the seed decides)


CI = Scenario(steps=24, people=10, fault_rate=0.35, pause_s=0.25, kills=(8,), quiet_timeout_s=40, after_commit=True)
LONG = Scenario(
    steps=300,
    people=30,
    fault_rate=0.35,
    pause_s=0.15,
    kills=(30, 100, 170, 240),
    quiet_timeout_s=120,
    after_commit=None,
)


def make_people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Valid NIKs of Kab. Probolinggo (3513 01), real birth dates (women: day + 40), serials from 1."""
    people = []
    for i in range(count):
        day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
        nik = f"351301{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{i + 1:04d}"
        people.append((nik, f"{rng.choice(FIRST)} {rng.choice(LAST)}"))
    return people


def admin(db_url: str, *args: str) -> dict:
    """`guardstation-server ... --json` (the admin CLI's own main, in this process)."""
    from guardstation.server.cli import main

    out = StringIO()
    with redirect_stdout(out):
        status = main([*args, "--db", db_url, "--json"])
    if status != 0:
        raise Failure(f"guardstation-server {' '.join(args)} failed ({status}): {out.getvalue()}")
    return json.loads(out.getvalue())


def integrity(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def rows(path: Path, sql: str) -> list[tuple]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def run_scenario(tmp_path: Path, scenario: Scenario, seed: int, monkeypatch) -> None:
    print(f"real-process sync test: GUARDSTATION_SYNC_SEED={seed} {scenario}")
    rng = random.Random(seed)
    db_path = tmp_path / "server.sqlite"
    db_url = f"sqlite:///{db_path}"
    admin(db_url, "init")
    site_id = admin(db_url, "site", "add", "Kantor Bupati Probolinggo", "--capacity", "500")["site_id"]
    codes = [admin(db_url, "enroll-code", site_id)["code"] for _ in GATES]
    env = child_env()

    with ExitStack() as cleanup:
        base = cleanup.enter_context(serve_process(db_url, log=tmp_path / "server.log"))  # stopped on the way out
        port = int(base.rsplit(":", 1)[1])
        proxy = FaultProxy(port, list(GATES), seed=seed, fault_rate=scenario.fault_rate).start()
        cleanup.callback(proxy.stop)

        def fail(message: str) -> str:
            return f"[GUARDSTATION_SYNC_SEED={seed}; proxy {proxy.summary()}] {message}"

        stations = [
            StationProcess(gate, tmp_path / f"station{i}", proxy.url(gate), env) for i, gate in enumerate(GATES)
        ]
        for station, code in zip(stations, codes):
            station.home.mkdir()
            station.start(code)  # enrolment goes through the proxy too
            cleanup.callback(station.stop)
        for station in stations:
            station.ready()
            assert station.site_id == site_id, fail(f"{station.gate} enrolled into {station.site_id}")

        # -- traffic under faults, and a station killed while its push is parked in the proxy -------------
        people = make_people(rng, scenario.people)
        kills: list[tuple[StationProcess, bool]] = []
        parked: tuple[StationProcess, Hold, bool] | None = None

        def kill_and_restart() -> None:
            nonlocal parked
            victim, hold, after_commit = parked
            victim.kill()  # SIGKILL: mid-sync, its push parked in the proxy
            proxy.release(victim.gate)
            if after_commit and hold.upstream_status != 200:
                raise Failure(fail(f"the parked push was not committed by the server (HTTP {hold.upstream_status})"))
            kills.append((victim, after_commit))
            parked = None
            victim.start()
            victim.ready()

        for step in range(scenario.steps):
            if step in scenario.kills and parked is None:
                victim = stations[rng.randrange(len(stations))]
                after_commit = rng.random() < 0.6 if scenario.after_commit is None else scenario.after_commit
                parked = victim, proxy.hold_next_push(victim.gate, after_commit=after_commit), after_commit
            for station in stations:
                if rng.random() < 0.85:
                    nik, name = rng.choice(people)
                    station.do(f"enter {nik} {name}")
                else:
                    station.do(f"checkout-any {rng.randrange(1000)}")
            if parked is not None and parked[1].held.is_set():
                kill_and_restart()
            time.sleep(scenario.pause_s)
        if parked is not None:
            if not parked[1].held.wait(30):
                raise Failure(fail(f"{parked[0].gate} never pushed while the proxy was holding its pushes"))
            kill_and_restart()
        for station in stations:  # a few more after the restart, the victim included
            nik, name = rng.choice(people)
            station.do(f"enter {nik} {name}")
        injected = Counter({k: n for k, n in proxy.counts.items() if not k.startswith("hold")})
        assert len(injected) >= 3 and sum(injected.values()) >= 5, fail(
            f"too few faults were injected to mean anything: {dict(injected)}"
        )

        # -- heal, then sync until quiet -----------------------------------------------------------------
        proxy.heal()
        direct = httpx.Client(base_url=base, timeout=10)
        cleanup.callback(direct.close)
        deadline = time.monotonic() + scenario.quiet_timeout_s
        while True:
            before = direct.get("/v1/health").json()["change_seq"]
            statuses = [s.status() for s in stations]
            after = direct.get("/v1/health").json()["change_seq"]
            if before == after and all(st["pending"] == 0 and st["cursor"] >= after for st in statuses):
                break
            if time.monotonic() > deadline:
                raise Failure(
                    fail(
                        f"not quiet after {scenario.quiet_timeout_s} s of healed network: server change_seq "
                        f"{after}, stations {[(s.gate, st) for s, st in zip(stations, statuses)]}"
                    )
                )
            time.sleep(0.5)

        # -- occupancy: every gate and the server agree ------------------------------------------------------
        monkeypatch.setenv("GUARDSTATION_KEYRING", "file")
        from guardstation.store.secrets import TOKEN_SECRET, SecretStore

        token = SecretStore.for_home(stations[0].home).get(TOKEN_SECRET)
        reply = direct.get(f"/v1/sites/{site_id}/occupancy", headers={"Authorization": f"Bearer {token}"})
        assert reply.status_code == 200, fail(reply.text)
        server_occupancy = reply.json()
        by_gate = {g["station_id"]: g["inside"] for g in server_occupancy["by_gate"]}
        for station, st in zip(stations, statuses):
            assert st["inside"] == server_occupancy["inside"], fail(
                f"{station.gate} shows {st['inside']} inside, the server {server_occupancy['inside']}"
            )
            assert st["inside_here"] == by_gate.get(station.station_id, 0), fail(
                f"{station.gate} counts {st['inside_here']} who came in there, the server "
                f"{by_gate.get(station.station_id, 0)}"
            )
        for station in stations:
            station.quit()

    # -- the databases, with every process stopped --------------------------------------------------------
    on_server = {e: (sid, seq) for e, sid, seq in rows(db_path, "SELECT event_id, station_id, seq FROM event")}
    rejected = rows(db_path, "SELECT event_id, code FROM rejected_event")
    assert not rejected, fail(f"the server rejected events: {rejected[:5]}")
    server_open = {
        v
        for (v,) in rows(
            db_path, "SELECT visit_id FROM visit WHERE time_in IS NOT NULL AND time_out IS NULL AND voided = 0"
        )
    }
    everywhere: dict[str, tuple[str, int]] = {}
    for station in stations:
        assert integrity(station.db_path) == "ok", fail(f"{station.gate}: integrity_check failed")
        events = rows(station.db_path, "SELECT event_id, station_id, seq FROM visit_event")
        assert all(sid == station.station_id for _, sid, _ in events), fail(f"{station.gate}: foreign events")
        mine = {e: (sid, seq) for e, sid, seq in events}
        missing = set(mine) - set(on_server)
        assert not missing, fail(f"{station.gate}: {len(missing)} of {len(mine)} events never reached the server")
        wrong = {e for e in mine if on_server[e] != mine[e]}
        assert not wrong, fail(f"{station.gate}: events stored with another station/seq: {sorted(wrong)[:5]}")
        everywhere.update(mine)
        unacked = rows(station.db_path, "SELECT seq, event_id FROM outbox WHERE acked_at IS NULL")
        assert not unacked, fail(f"{station.gate}: unacked outbox rows {unacked[:5]}")
        assert rows(station.db_path, "SELECT count(*) FROM outbox")[0][0] == len(mine), fail(
            f"{station.gate}: an event without its outbox row"
        )
        visits = {
            v: (status, t_out)
            for v, status, t_out in rows(station.db_path, "SELECT visit_id, status, time_out FROM visit")
        }
        kinds = Counter((v, k) for v, k in rows(station.db_path, "SELECT visit_id, kind FROM visit_event"))
        for shown in station.shown:
            assert shown.visit_id in visits, fail(f"{station.gate}: shown visit {shown.visit_id} is not in its DB")
            if shown.action == "check_out":
                assert visits[shown.visit_id][1] is not None and kinds[(shown.visit_id, "check_out")] >= 1, fail(
                    f"{station.gate}: shown check-out of {shown.visit_id} is not in its DB"
                )
            elif shown.action == "check_in":
                assert kinds[(shown.visit_id, "check_in")] == 1, fail(
                    f"{station.gate}: shown check-in {shown.visit_id} is not in its DB exactly once"
                )
        station_open = {v for v, (status, _) in visits.items() if status == "inside"}
        assert station_open == server_open, fail(
            f"{station.gate} and the server disagree on who is inside: only at the gate "
            f"{sorted(station_open - server_open)[:5]}, only on the server {sorted(server_open - station_open)[:5]}"
        )
    extra = set(on_server) - set(everywhere)
    assert not extra, fail(f"{len(extra)} events on the server that no station has: {sorted(extra)[:5]}")
    assert len(on_server) == len(everywhere)
    assert integrity(db_path) == "ok", fail("server database: integrity_check failed")

    # The workload did what it is meant to: people left through another gate than they came in by.
    came_in = {s.visit_id: s.gate for st in stations for s in st.shown if s.action == "check_in"}
    crossed = [
        s for st in stations for s in st.shown if s.action == "check_out" and came_in.get(s.visit_id, s.gate) != s.gate
    ]
    assert crossed, fail("nobody checked out at another gate than the one they came in by")
    print(
        f"ok: {len(on_server)} events, {len(server_open)} inside, {len(crossed)} cross-gate check-outs, "
        f"killed {[(v.gate, 'after commit' if after else 'before commit') for v, after in kills]}; "
        f"proxy {proxy.summary()}"
    )


def _seed(default: int) -> int:
    value = os.environ.get("GUARDSTATION_SYNC_SEED")
    return int(value) if value else default


@pytest.mark.timeout(120)
def test_three_stations_a_fault_proxy_and_a_sigkill(tmp_path, monkeypatch):
    run_scenario(tmp_path, CI, _seed(20261123), monkeypatch)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_three_stations_long_run(tmp_path, monkeypatch):
    run_scenario(tmp_path, LONG, _seed(random.SystemRandom().randrange(2**31)), monkeypatch)
