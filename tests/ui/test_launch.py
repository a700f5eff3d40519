"""The first start through the real launch path: `guardstation` on an empty home shows the setup wizard
before the guard's window; finishing it leads to the main window (ui/launch.py run_gui, not the wizard
built by hand as in tests/ui/test_setup_wizard.py)."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard

from guardstation.app import main
from guardstation.settings.model import Settings
from guardstation.ui.launch import _FirstShown

PIN = "739155"


def _drive_wizard(qtbot, cards, seen: dict) -> None:
    """Runs inside the wizard's own modal loop: an installer filling in every page."""
    from guardstation.ui.setup_wizard import SetupWizard

    wizards = [w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard) and w.isVisible()]
    if not wizards:  # not shown yet: look again
        QTimer.singleShot(20, lambda: _drive_wizard(qtbot, cards, seen))
        return
    wizard = seen["wizard"] = wizards[0]
    seen["main_window_before_wizard"] = any(
        type(w).__name__ == "MainWindow" and w.isVisible() for w in QApplication.topLevelWidgets()
    )

    def next_page(page) -> None:
        wizard.next()
        qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=5000)

    assert wizard.currentPage() is wizard.language_page
    next_page(wizard.connection_page)
    next_page(wizard.site_page)
    wizard.site_page.site.setText("Kantor Camat Kraksaan")
    wizard.site_page.gate.setText("Pintu Utama")
    next_page(wizard.camera_page)
    wizard.camera_page.choose_file_source(str(cards))
    next_page(wizard.pin_page)
    wizard.pin_page.pin.setText(PIN)
    wizard.pin_page.confirm.setText(PIN)
    next_page(wizard.summary_page)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    seen["finished"] = True


def test_first_start_shows_the_wizard_then_the_main_window(qapp, qtbot, tmp_path, capsys):
    home = tmp_path / "empty-home"  # nothing there: no config, no database, no keys
    cards = tmp_path / "cards"
    cards.mkdir()
    seen: dict = {}
    QTimer.singleShot(0, lambda: _drive_wizard(qtbot, cards, seen))

    # The installed program's own entry point; --exit-when-shown ends the app at the main window's first paint.
    code = main(["--home", str(home), "--exit-when-shown"])

    assert seen.get("wizard") is not None, "the first start did not show the setup wizard"
    assert seen["main_window_before_wizard"] is False
    assert seen.get("finished"), "the wizard could not be finished"
    assert code == 0
    assert _FirstShown.MARKER in capsys.readouterr().out  # the main window was painted after the wizard
    settings = Settings.load(home)
    assert settings.configured and settings.camera == str(cards)
    config = json.loads((home / "config.json").read_text("utf-8"))
    assert PIN not in json.dumps(config) and config["supervisor_pin_hash"].startswith("$argon2id$")


def test_a_configured_station_starts_without_the_wizard(qapp, qtbot, tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.json").write_text(json.dumps({"configured": True, "camera": str(tmp_path)}), "utf-8")
    wizard_seen = []

    def look() -> None:
        from guardstation.ui.setup_wizard import SetupWizard

        wizard_seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, SetupWizard) and w.isVisible())
        for w in wizard_seen:
            w.reject()

    QTimer.singleShot(0, look)
    assert main(["--home", str(home), "--exit-when-shown"]) == 0
    assert not wizard_seen
    assert _FirstShown.MARKER in capsys.readouterr().out
