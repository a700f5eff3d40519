"""The guard's window with sync running: the top bar, the site-wide gauge, exposure alerts, going offline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PySide6.QtWidgets import QMessageBox

from guardstation.server import tracing
from guardstation.station.server_link import build_worker
from guardstation.sync.transport import HttpTransport
from guardstation.ui.sound import SoundPlayer

from .conftest import NIKS, URL, FlakyTransport


@pytest.fixture
def translator(qapp):
    from guardstation.ui.i18n import install_translator

    installed = []
    yield lambda lang: installed.append(install_translator(qapp, lang))
    for t in installed:
        if t is not None:
            qapp.removeTranslator(t)


@pytest.fixture
def window_for(qtbot, translator):
    from guardstation.ui.launch import GuardStationApp

    apps = []

    def make(gate, lang="id"):
        translator(lang)
        app = GuardStationApp(
            gate.ctx,
            lang=lang,
            camera_spec=None,
            decoder_name="zxing",
            rescan_after_s=0.3,
            sound=SoundPlayer(enabled=False),
        )
        qtbot.addWidget(app.window)
        app.window.show()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.shutdown()


def test_gate_b_window_shows_gate_a_visitors_alerts_and_going_offline(
    qtbot, server, make_gate, window_for, server_clock
):
    site = server.site("Kantor Camat Kraksaan", capacity=20)
    a, b = make_gate(site, "Pintu A"), make_gate(site, "Pintu B")
    case = a.enter(NIKS[0], "Kasus Positif")
    a.enter(NIKS[1], "Kontak Erat")
    a.sync()
    # Gate B's worker has its own HTTP client (it runs on its own thread) and can be cut off.
    transport = FlakyTransport(HttpTransport(URL, client=TestClient(server.app, raise_server_exceptions=False)))
    app = window_for(b)
    assert app.start_sync(lambda station, **kw: build_worker(station, transport=transport, interval_s=0.2, **kw))
    bar, gauge = app.sync_bar, app.window.gauge
    qtbot.waitUntil(lambda: "Daring" in bar.text.text(), timeout=10000)
    qtbot.waitUntil(lambda: gauge.count.text() == "2 / 20", timeout=10000)
    assert "gerbang lain 2" in gauge.elsewhere.text() and gauge.elsewhere.isVisible()
    assert "antrean: 0" in bar.text.text()
    qtbot.waitUntil(lambda: "Kantor Camat Kraksaan" in app.window.site_label.text(), timeout=10000)
    assert "Daftar status" in bar.text.toolTip()

    with server.db.write() as s:
        tracing.flag_positive(s, case.credential.subject_key, server_clock() - timedelta(days=1), server_clock())
    qtbot.waitUntil(lambda: bool(app.alerts.shown), timeout=10000)
    box = app.alerts.shown[0]
    assert box.isVisible() and "positif" in box.text().lower()
    box.grab().save("/tmp/guardstation-exposure-alert.png")
    box.done(QMessageBox.StandardButton.Ok.value)

    transport.plan = ["drop_before"] * 1000  # the network goes away
    qtbot.waitUntil(lambda: "Luring" in bar.text.text(), timeout=10000)
    app.window.grab().save("/tmp/guardstation-sync-offline.png")
    assert "coba lagi" in bar.text.text()


def test_a_standalone_station_says_it_has_no_server(qtbot, station, window_for):
    class Standalone:
        ctx = station

    app = window_for(Standalone)
    assert app.start_sync() is False
    assert "Mandiri" in app.sync_bar.text.text()
