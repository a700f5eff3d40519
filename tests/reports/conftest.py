"""A known day at the gate, recorded through the real checkpoint, for the export tests.

Monday 23 November 2026, Kantor Bupati (capacity 3), gate "Pintu Depan"; Pak Slamet on duty
until noon, then Bu Sumi; from 13:50 the station stands at "Pintu Samping" (a second gate).

    08:00 Budi Santoso    pass, 2 doses      HIJAU   in        (out 08:40)
    08:10 Siti Rahayu     pass, 3 doses      HIJAU   in        (out 09:00)
    08:20 Dewi Lestari    pass, 1 dose       KUNING  in        (out 13:30)   -> 3 inside = full
    08:25 Agus Wijaya     pass, 2 doses      PENUH   refused
    08:30 Rudi Hartono    pass, 0 doses      MERAH   refused (not vaccinated)
    08:40 Budi Santoso    same pass          check-out
    08:45 Nur Aini        by hand (NIK)      KUNING  in        (still inside)
    08:50 Eko Prasetyo    forged pass        MERAH   refused (invalid signature)
    09:00 Siti Rahayu     same pass          check-out
          ... nothing between 09:00 and 13:00 (a 4-hour gap in opening hours) ...
    13:00 Agus Wijaya     same pass          HIJAU   in        (still inside)
    13:05 Hana Pertiwi    pass, positive     HITAM   refused
    13:30 Dewi Lestari    same pass          check-out
    14:00 Wahyu Hidayat   pass, 2 doses      HIJAU   in at Pintu Samping (still inside)

The report is made at 15:00.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest

from tests.helpers.clock import WIB
from tests.helpers.passes import PassFactory

DAY = datetime(2026, 11, 23, tzinfo=WIB)
BUDI_NIK = "3513011708800008"
NUR_NIK = "3513014708850001"
HANA_NIK = "3513016502920003"


def at(hour: int, minute: int = 0, second: int = 0, day: datetime = DAY) -> datetime:
    return day.replace(hour=hour, minute=minute, second=second)


@pytest.fixture
def passes(station):
    """As tests/conftest.py's, valid from the day before the known day."""
    return PassFactory(station, valid_from=DAY - timedelta(days=1))


@dataclass
class GateDay:
    station: object
    clock: object
    outcomes: list = field(default_factory=list)  # (time, name, colour, action)
    keys: dict = field(default_factory=dict)  # name -> subject key

    def expect(self, outcome, name: str, colour: str, action: str) -> None:
        assert (outcome.decision.colour.value, outcome.decision.action.value) == (colour, action), (
            name,
            outcome.decision,
        )
        self.outcomes.append((outcome.at, name, colour, action))
        if outcome.credential.subject_key:
            self.keys.setdefault(name, outcome.credential.subject_key)


def set_gate(station, gate: str) -> None:
    from guardstation.store.events import load_station

    with station.db.transaction() as session:
        load_station(session).gate_name = gate


@pytest.fixture
def gate_day(station, clock, passes) -> GateDay:
    from guardstation.domain.credential import PersonKind
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.store import reference

    cp = station.checkpoint
    day = GateDay(station, clock)
    cards = {
        "Budi Santoso": passes("Budi Santoso", 2, nik=BUDI_NIK, kind=PersonKind.EMPLOYEE),
        "Siti Rahayu": passes("Siti Rahayu", 3),
        "Dewi Lestari": passes("Dewi Lestari", 1),
        "Agus Wijaya": passes("Agus Wijaya", 2),
        "Rudi Hartono": passes("Rudi Hartono", 0),
        "Eko Prasetyo": passes("Eko Prasetyo", 2, forged=True),
        "Hana Pertiwi": passes("Hana Pertiwi", 2, nik=HANA_NIK),
        "Wahyu Hidayat": passes("Wahyu Hidayat", 2),
    }
    hana_key = cp.subject_key_for("NIK:" + HANA_NIK)
    with station.db.transaction() as session:
        reference.put_status(session, hana_key, "positive", DAY - timedelta(days=2), DAY + timedelta(days=12))

    def scan(when: datetime, name: str, colour: str, action: str) -> None:
        clock.current = when
        day.expect(cp.scan(cards[name]), name, colour, action)

    cp.guard = "Pak Slamet"
    scan(at(8, 0), "Budi Santoso", "green", "check_in")
    scan(at(8, 10), "Siti Rahayu", "green", "check_in")
    scan(at(8, 20), "Dewi Lestari", "yellow", "check_in")
    scan(at(8, 25), "Agus Wijaya", "full", "deny")
    scan(at(8, 30), "Rudi Hartono", "red", "deny")
    scan(at(8, 40), "Budi Santoso", "green", "check_out")
    clock.current = at(8, 45)
    day.expect(
        cp.manual_entry(ManualEntry(NUR_NIK, "Nur Aini", "Layanan KTP", "Dispendukcapil")),
        "Nur Aini",
        "yellow",
        "check_in",
    )
    scan(at(8, 50), "Eko Prasetyo", "red", "deny")
    scan(at(9, 0), "Siti Rahayu", "green", "check_out")
    cp.guard = "Bu Sumi"
    scan(at(13, 0), "Agus Wijaya", "green", "check_in")
    scan(at(13, 5), "Hana Pertiwi", "black", "deny")
    scan(at(13, 30), "Dewi Lestari", "green", "check_out")
    set_gate(station, "Pintu Samping")
    scan(at(14, 0), "Wahyu Hidayat", "green", "check_in")
    clock.current = at(15, 0)
    return day


@pytest.fixture
def day_period():
    from guardstation.reports import Period

    return Period(DAY, DAY + timedelta(days=1))


@pytest.fixture
def export(station, clock):
    """export(kind, fmt, out, period=None, **request_fields) -> ExportResult, at the clock's time."""
    from guardstation.reports import ExportRequest, run_export

    def run(kind: str, fmt: str, out, period=None, progress=None, cancel=None, **fields):
        request = ExportRequest(kind, fmt, out, period, **fields)
        return run_export(station.db, request, now=clock(), progress=progress, cancel=cancel)

    return run
