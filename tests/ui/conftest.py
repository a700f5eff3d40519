"""GUI fixtures: the real window and threads over a test station, Indonesian by default."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest


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
def passes(station, clock):
    """make(name, doses=2, nik=None, days=30, forged=False) -> pass text issued by this station."""
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from guardstation.credentials.trust import kid_for
    from guardstation.domain.credential import PersonKind
    from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text

    key = issuer_key(station.secrets, station.db, clock())
    station.checkpoint.reload_reference()
    hmac_key = deployment_key(station.secrets)

    def make(name: str, doses: int | None = 2, nik: str | None = None, days: int = 30, forged: bool = False,
             kind: PersonKind = PersonKind.VISITOR) -> str:
        request = PassRequest(name=name, kind=kind, doses=doses, valid_from=clock() - timedelta(hours=1),
                              valid_days=days, nik=nik)
        if forged:
            return make_pass_text(request, ed25519.Ed25519PrivateKey.generate(), hmac_key,
                                  kid=kid_for(key.public_key()))
        return make_pass_text(request, key, hmac_key)

    return make


@pytest.fixture
def pass_png(tmp_path):
    from guardstation.station.pass_issuer import render_pass_png

    def write(text: str, name: str, folder: Path | None = None) -> Path:
        return render_pass_png(text, [name], (folder or tmp_path / "cards") / f"{name}.png")

    return write


@pytest.fixture
def gui(qtbot, station, translator):
    """make(camera=None, lang="id", rescan_after_s=0.3, **source_options) -> GuardStationApp (shown)."""
    from guardstation.ui.sound import SoundPlayer
    from guardstation.ui.launch import GuardStationApp

    apps = []

    def make(camera: str | None = None, lang: str = "id", rescan_after_s: float = 0.3, **source_options):
        translator(lang)
        app = GuardStationApp(station, lang=lang, camera_spec=camera, decoder_name="zxing",
                              rescan_after_s=rescan_after_s, sound=SoundPlayer(enabled=False),
                              source_options=source_options)
        qtbot.addWidget(app.window)
        app.window.show()
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.shutdown()      # as the app closes: threads stopped, then the station (closing it again is harmless)


@pytest.fixture
def db_thread():
    """A started QThread standing in for the app's database thread."""
    from PySide6.QtCore import QThread

    thread = QThread()
    thread.start()
    yield thread
    thread.quit()
    thread.wait(5000)
