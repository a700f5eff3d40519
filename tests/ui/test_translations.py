"""Every string the guard can see has an Indonesian translation."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from guardstation.ui.i18n import ts_path
from tests.helpers.paths import PACKAGE

UI_DIR = PACKAGE / "ui"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name"), msg.findtext("source")): msg.find("translation")
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_ui_string_is_in_the_catalogue_and_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from PySide6.scripts.pyside_tool import lupdate; lupdate()",
            "-silent",
            *map(str, sorted(UI_DIR.glob("*.py"))),
            "-ts",
            str(fresh),
        ],
        check=True,
    )
    in_code = set(messages(fresh))
    catalogue = messages(ts_path("id"))
    assert in_code, "lupdate found no strings: the check itself is broken"
    missing = in_code - set(catalogue)
    assert not missing, f"strings in the UI code but not in {ts_path('id').name}: {sorted(missing)}"
    untranslated = [
        key
        for key, tr in catalogue.items()
        if tr is None
        or tr.get("type") in ("unfinished", "vanished", "obsolete")
        or not ("".join(tr.itertext())).strip()
    ]
    assert not untranslated, f"no Indonesian translation for: {untranslated}"


def test_catalogue_compiles_and_translates(qapp, translator):
    from PySide6.QtCore import QCoreApplication

    assert translator("id") is not None
    assert QCoreApplication.translate("Verdict", "GREEN") == "HIJAU"


# -- at run time: a visible string that bypasses tr() shows up untranslated -------------------------------------
# lupdate only sees strings passed to tr(); a string handed to a widget without it would stay English in the
# Indonesian screen unnoticed. Here every catalogue entry is replaced by a marked pseudo-translation, the real
# windows and dialogs are built, and every text a person can see must carry the mark (data such as the site
# name is listed).
MARK = "⟦"


def pseudo_catalogue(tmp_path: Path) -> Path:
    from guardstation.ui.i18n import compile_ts

    tree = ET.parse(ts_path("id"))
    for msg in tree.getroot().iter("message"):
        source = msg.findtext("source")
        tr = msg.find("translation")
        tr.attrib.pop("type", None)
        forms = tr.findall("numerusform")
        for form in forms:
            form.text = f"{MARK}{source}⟧"
        if not forms:
            tr.text = f"{MARK}{source}⟧"
    ts = tmp_path / "pseudo.ts"
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    qm = tmp_path / "pseudo.qm"
    compile_ts(ts, qm)
    return qm


def visible_texts(root) -> list[tuple[str, str]]:
    """(where, text) for every text of `root` and its children a person can read, hidden ones included."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QCalendarWidget,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QMenu,
        QSpinBox,
        QWidget,
    )

    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__} {widget.objectName()}".strip()
        if any(isinstance(p, QCalendarWidget) for p in _parents(widget)):
            continue  # Qt's own month and day names, from the locale
        texts = [widget.windowTitle() if widget.isWindow() else "", widget.toolTip()]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QSpinBox):
            texts += [widget.prefix(), widget.suffix()]
        if isinstance(widget, QMenu):
            texts += [widget.title()] + [a.text() for a in widget.actions()]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [str(model.headerData(i, Qt.Orientation.Horizontal) or "") for i in range(model.columnCount())]
        found += [(where, t) for t in texts if t]
    return found


def _parents(widget):
    while widget is not None:
        yield widget
        widget = widget.parentWidget()


def untranslated(texts, allowed: set[str]) -> list[tuple[str, str]]:
    import re

    bad = []
    for where, text in texts:
        plain = re.sub(r"<[^>]+>", "", text)
        for data in allowed:
            plain = plain.replace(data, "")
        if MARK not in text and re.search(r"[A-Za-z]{2,}", plain):
            bad.append((where, text))
    return bad


def test_no_visible_string_bypasses_the_catalogue(qapp, qtbot, station, tmp_path):
    from PySide6.QtCore import QThread, QTranslator
    from PySide6.QtWidgets import QLabel

    from guardstation.station.pin import SupervisorPin, hash_pin
    from guardstation.ui.export_dialog import ExportDialog
    from guardstation.ui.launch import GuardStationApp
    from guardstation.ui.pin_dialog import PinDialog
    from guardstation.ui.retention_dialog import RetentionDialog
    from guardstation.ui.sound import SoundPlayer

    translator = QTranslator()
    assert translator.load(str(pseudo_catalogue(tmp_path)))
    qapp.installTranslator(translator)
    app = GuardStationApp(
        station, lang="id", camera_spec=None, decoder_name="zxing", rescan_after_s=1, sound=SoundPlayer(enabled=False)
    )
    thread = QThread()
    thread.start()
    try:
        qtbot.addWidget(app.window)
        pin = SupervisorPin.for_home(station.home, hash_pin("2580"))
        windows = [
            app.window,
            ExportDialog(station, "id", thread),
            RetentionDialog(station),
            PinDialog(pin, "⟦purpose⟧"),
        ]
        for window in windows[1:]:
            qtbot.addWidget(window)
        allowed = {
            station.checkpoint.site_name,
            station.checkpoint.gate_name,
            "NIK",
            "SHA-256",
            "CSV",
            "XLSX",
            "PDF",
            "UU",
        }
        bad = [item for window in windows for item in untranslated(visible_texts(window), allowed)]
        assert not bad, f"visible strings that do not go through the catalogue: {bad}"
        # The check itself works: a label set without tr() is caught.
        probe = QLabel("Hard-coded words")
        assert untranslated(visible_texts(probe), allowed) == [("QLabel", "Hard-coded words")]
    finally:
        windows[1].done(0)
        thread.quit()
        thread.wait(5000)
        app.worker_thread.quit()
        app.worker_thread.wait(5000)
        app.gc.stop()
        qapp.removeTranslator(translator)
