"""Shared fixtures: an isolated station home, an in-memory keyring, offscreen Qt, a fake clock."""
from __future__ import annotations

import gc
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

# Before anything imports Qt or keyring: no display, no real keyring, no sound device.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["GUARDSTATION_KEYRING"] = "memory"

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT / "tests" / "data"   # public test corpora, see tests/data/README.md
WIB = timezone(timedelta(hours=7))


@pytest.fixture(autouse=True)
def _collect_garbage_on_main_thread(request):
    """As in the app (ui/gc_guard.py): Qt objects must never be freed by a worker thread's GC.

    Automatic GC stays off; after each test the main thread collects: everything after a Qt test,
    only the young generation (all a plain test makes) otherwise, which is ~100x cheaper.
    """
    gc.disable()
    yield
    uses_qt = {"qapp", "qtbot"} & set(request.fixturenames)
    gc.collect(2 if uses_qt else 0)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"test corpus missing: expected {CORPUS}")
    return CORPUS


class FakeClock:
    """A settable wall clock in Western Indonesian Time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 23, 8, 0, tzinfo=WIB)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **kw) -> datetime:
        self.current += timedelta(**kw)
        return self.current


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def station(home, clock):
    from guardstation.station.context import open_station

    ctx = open_station(home, clock=clock, site_name="Kantor Bupati", capacity=3, gate_name="Pintu Depan")
    yield ctx
    ctx.close()
