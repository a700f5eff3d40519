"""Shared fixtures: an isolated station home, an in-memory keyring, offscreen Qt, a fake clock, passes,
and the GUI over a test station (tests/helpers holds what they are made of)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

# Before anything imports Qt or opens a station: no display, no real keyring, no sound device.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers.clock import FakeClock  # noqa: E402
from tests.helpers.memory_keyring import use_memory_keyring  # noqa: E402
from tests.helpers.passes import PassFactory  # noqa: E402
from tests.helpers.paths import DATA  # noqa: E402
from tests.helpers.station import station_in  # noqa: E402

use_memory_keyring()


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
    if not DATA.is_dir():
        pytest.fail(f"test corpus missing: expected {DATA}")
    return DATA


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
    with station_in(home, clock) as ctx:
        yield ctx


@pytest.fixture
def passes(station) -> PassFactory:
    """make(name, doses=2, nik=None, days=30, forged=False, kind=VISITOR, ...) -> pass text this station issued."""
    return PassFactory(station)


@pytest.fixture
def pass_png(tmp_path):
    """write(text, name, folder=None) -> a PNG of the pass, as printed for the holder."""
    from guardstation.station.pass_issuer import render_pass_png

    def write(text: str, name: str, folder: Path | None = None) -> Path:
        return render_pass_png(text, [name], (folder or tmp_path / "cards") / f"{name}.png")

    return write


@pytest.fixture
def translator(qapp):
    """Installs the Indonesian catalogue for one test and removes it afterwards."""
    from guardstation.ui.i18n import install_translator

    installed = []

    def install(lang: str):
        t = install_translator(qapp, lang)
        if t is not None:
            installed.append(t)
        return t

    yield install
    for t in installed:
        qapp.removeTranslator(t)


@pytest.fixture
def gui(qtbot, station, translator):
    """make(camera=None, lang="id", rescan_after_s=0.3, **source_options) -> GuardStationApp (shown)."""
    from guardstation.ui.launch import GuardStationApp
    from guardstation.ui.sound import SoundPlayer

    apps = []

    def make(camera: str | None = None, lang: str = "id", rescan_after_s: float = 0.3, **source_options):
        translator(lang)
        app = GuardStationApp(
            station,
            lang=lang,
            camera_spec=camera,
            decoder_name="zxing",
            rescan_after_s=rescan_after_s,
            sound=SoundPlayer(enabled=False),
            source_options=source_options,
        )
        qtbot.addWidget(app.window)
        app.window.show()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.shutdown()  # as the app closes: threads stopped, then the station (closing it again is harmless)
