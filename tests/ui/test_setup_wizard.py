"""The first-run setup wizard, driven like an installer would: real widgets, offscreen."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QWizard

from guardstation.settings.model import Settings
from guardstation.station.pin import MAX_FAILURES, PinResult, SupervisorPin
from guardstation.store import reference
from guardstation.store.events import load_station
from guardstation.store.secrets import ENROLMENT_CODE_SECRET


@pytest.fixture
def make_wizard(qtbot, qapp, station, translator):
    from guardstation.ui.setup_wizard import SetupWizard

    made = []

    def make(lang: str = "id", rerun: bool = False) -> SetupWizard:
        current = [translator(lang)]
        languages = []

        def switch(code):  # what the app does (ui.i18n.switch_language); the fixture removes it afterwards
            languages.append(code)
            if current[0] is not None:
                qapp.removeTranslator(current[0])
            current[0] = translator(code)

        wizard = SetupWizard(station, rerun=rerun, switch_language_to=switch)
        wizard.languages = languages
        qtbot.addWidget(wizard)
        wizard.show()
        made.append(wizard)
        return wizard

    yield make
    for wizard in made:
        wizard.camera_page.stop_preview()


def _next(wizard, qtbot, expected_page):
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is expected_page, timeout=3000)


def _fill_site(wizard, qtbot, site="Kantor Bupati Probolinggo", gate="Pintu Samping", capacity=25):
    page = wizard.site_page
    page.site.setText(site)
    page.gate.setText(gate)
    if capacity is None:
        page.no_limit.setChecked(True)
    else:
        page.no_limit.setChecked(False)
        page.capacity.setValue(capacity)


def test_standalone_setup_end_to_end(make_wizard, qtbot, station, tmp_path, pass_png, passes):
    wizard = make_wizard("id")
    assert wizard.currentPage() is wizard.language_page
    assert wizard.language_page.title() == "Bahasa"  # Indonesian until the installer chooses
    wizard.language_page.buttons["en"].setChecked(True)
    assert wizard.languages == ["en"]
    qtbot.waitUntil(lambda: wizard.language_page.title() == "Language", timeout=2000)  # re-worded at once
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "Next >"

    _next(wizard, qtbot, wizard.connection_page)
    assert wizard.connection_page.standalone.isChecked()
    _next(wizard, qtbot, wizard.site_page)
    assert not wizard.site_page.isComplete()  # names are required
    _fill_site(wizard, qtbot)
    assert wizard.site_page.isComplete()

    _next(wizard, qtbot, wizard.camera_page)
    cards = tmp_path / "cards"
    pass_png(passes("Budi Santoso", doses=2), "budi", cards)
    wizard.camera_page.choose_file_source(str(cards))
    qtbot.waitUntil(lambda: wizard.camera_page.preview.image is not None, timeout=5000)

    _next(wizard, qtbot, wizard.pin_page)
    assert wizard.camera_page.bridge is None  # preview stopped when leaving the page
    wizard.pin_page.pin.setText("1234")
    wizard.pin_page.confirm.setText("1234")
    wizard.next()
    assert wizard.currentPage() is wizard.pin_page and "easy to guess" in wizard.pin_page.error.text()
    wizard.pin_page.pin.setText("739155")
    wizard.pin_page.confirm.setText("739156")
    wizard.next()
    assert "not the same" in wizard.pin_page.error.text()
    wizard.pin_page.confirm.setText("739155")
    wizard.pin_page.kiosk.setChecked(True)
    _next(wizard, qtbot, wizard.summary_page)
    summary = wizard.summary_page.summary.text()
    assert "Kantor Bupati Probolinggo" in summary and "25" in summary and "standalone" in summary

    with qtbot.waitSignal(wizard.setup_applied, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()

    # The station is configured: settings saved, site and gate rows written, the window will show them.
    saved = Settings.load(station.home)
    assert saved.configured and saved.kiosk and saved.language == "en" and saved.camera == str(cards)
    assert saved.enrolment == "standalone" and saved.server_url == ""
    with station.db.read() as session:
        site = reference.get_site(session)
        assert (site.name, site.capacity) == ("Kantor Bupati Probolinggo", 25)
        assert load_station(session).gate_name == "Pintu Samping"
    assert (station.checkpoint.site_name, station.checkpoint.gate_name, station.checkpoint.capacity) == (
        "Kantor Bupati Probolinggo",
        "Pintu Samping",
        25,
    )

    # The PIN: only its Argon2id hash is stored, it verifies, a wrong one does not, five lock it out.
    config_text = (station.home / "config.json").read_text("utf-8")
    assert "739155" not in config_text and json.loads(config_text)["supervisor_pin_hash"].startswith("$argon2id$")
    pin = SupervisorPin.for_home(station.home, saved.supervisor_pin_hash)
    assert pin.verify("739155").ok
    assert pin.verify("739154").result is PinResult.WRONG
    for _ in range(MAX_FAILURES - 1):
        pin.verify("000000")
    assert pin.verify("739155").result is PinResult.LOCKED


def test_camera_page_previews_a_folder_and_test_scans_a_pass(make_wizard, qtbot, tmp_path, pass_png, passes):
    wizard = make_wizard("id")
    wizard.setCurrentId(wizard.pageIds()[3])  # straight to the camera page
    page = wizard.camera_page
    assert wizard.currentPage() is page
    cards = tmp_path / "cards"
    pass_png(passes("Siti Rahmawati", doses=2), "siti", cards)
    with qtbot.waitSignal(page.test_scanned, timeout=8000) as scanned:
        page.choose_file_source(str(cards))
    assert scanned.args[0].startswith("GS1:")
    qtbot.waitUntil(lambda: page.preview.image is not None, timeout=3000)
    assert page.preview.image.width() == 1280
    assert "Kamera berfungsi" in page.status.text()
    result = page.result.text()
    assert "HIJAU" in result and "Siti Rahmawati" in result and "tidak ada yang dicatat" in result
    with wizard.station.db.read() as session:  # a test scan records nothing
        from guardstation.store.models import VisitEvent

        assert session.query(VisitEvent).count() == 0


def test_missing_camera_source_is_said_plainly(make_wizard, qtbot, tmp_path):
    wizard = make_wizard("en")
    wizard.setCurrentId(wizard.pageIds()[3])
    wizard.camera_page.choose_file_source(str(tmp_path / "no-such-folder"))
    assert "Camera not available" in wizard.camera_page.status.text()


def test_enrolment_is_validated_and_kept_as_pending(make_wizard, qtbot, station):
    wizard = make_wizard("en")
    _next(wizard, qtbot, wizard.connection_page)
    page = wizard.connection_page
    page.enrol.setChecked(True)
    assert page.pending_note.isVisible() and "as soon as the server answers" in page.pending_note.text()
    page.url.setText("sync.pemkab.go.id")
    page.code.setText("ABCD-1234")
    wizard.next()
    assert wizard.currentPage() is page and "https://" in page.error.text()
    page.url.setText("http://sync.pemkab.go.id")
    wizard.next()
    assert "must start with https://" in page.error.text()
    page.url.setText("https://sync.pemkab.go.id/")
    page.code.setText("no")
    wizard.next()
    assert "6 to 64" in page.error.text()
    page.code.setText("ABCD-1234-EFGH")
    _next(wizard, qtbot, wizard.site_page)
    assert not wizard.site_page.capacity.isVisible() and wizard.site_page.server_capacity_note.isVisible()
    _fill_site(wizard, qtbot, capacity=None)
    _next(wizard, qtbot, wizard.camera_page)
    wizard.camera_page.stop_preview()
    _next(wizard, qtbot, wizard.pin_page)
    wizard.pin_page.pin.setText("582046")
    wizard.pin_page.confirm.setText("582046")
    _next(wizard, qtbot, wizard.summary_page)
    assert "pending" in wizard.summary_page.summary.text()
    with qtbot.waitSignal(wizard.setup_applied, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    saved = Settings.load(station.home)
    assert (saved.enrolment, saved.server_url) == ("pending", "https://sync.pemkab.go.id")
    # The one-time code is a credential: in the keyring, never in the settings file.
    assert station.secrets.get(ENROLMENT_CODE_SECRET) == "ABCD-1234-EFGH"
    assert "ABCD-1234-EFGH" not in (station.home / "config.json").read_text("utf-8")
    with station.db.read() as session:
        assert reference.get_site(session).capacity is None  # capacity comes from the server later


def test_rerun_keeps_the_pin_when_left_empty_and_starts_from_the_current_setup(make_wizard, qtbot, station):
    from guardstation.station.first_run import SetupChoices, apply_setup

    apply_setup(
        station,
        SetupChoices(
            language="en",
            site_name="Puskesmas Kraksaan",
            gate_name="Pintu Depan",
            capacity=40,
            camera="0",
            pin="582046",
        ),
    )
    old_hash = station.settings.supervisor_pin_hash
    wizard = make_wizard("en", rerun=True)
    assert wizard.windowTitle() == "GuardStation setup (again)"
    _next(wizard, qtbot, wizard.connection_page)
    _next(wizard, qtbot, wizard.site_page)
    assert (wizard.site_page.site.text(), wizard.site_page.capacity.value()) == ("Puskesmas Kraksaan", 40)
    wizard.site_page.gate.setText("Pintu IGD")
    _next(wizard, qtbot, wizard.camera_page)
    _next(wizard, qtbot, wizard.pin_page)
    assert wizard.pin_page.keep_note.isVisible()
    _next(wizard, qtbot, wizard.summary_page)
    with qtbot.waitSignal(wizard.setup_applied, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert station.settings.supervisor_pin_hash == old_hash
    assert station.checkpoint.gate_name == "Pintu IGD"


def test_cancelling_restores_the_language(make_wizard, qtbot):
    wizard = make_wizard("id")
    wizard.language_page.buttons["en"].setChecked(True)
    wizard.reject()
    assert wizard.languages == ["en", "id"]
