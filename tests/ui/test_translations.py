"""Every string the guard can see has an Indonesian translation."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from guardstation.ui.i18n import ts_path

UI_DIR = Path(__file__).resolve().parents[2] / "guardstation" / "ui"


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    return {(ctx.findtext("name"), msg.findtext("source")): msg.find("translation")
            for ctx in root.iter("context") for msg in ctx.iter("message")}


def test_every_ui_string_is_in_the_catalogue_and_translated(tmp_path):
    fresh = tmp_path / "fresh.ts"
    subprocess.run([sys.executable, "-c", "from PySide6.scripts.pyside_tool import lupdate; lupdate()",
                    "-silent", *map(str, sorted(UI_DIR.glob("*.py"))), "-ts", str(fresh)], check=True)
    in_code = set(messages(fresh))
    catalogue = messages(ts_path("id"))
    assert in_code, "lupdate found no strings: the check itself is broken"
    missing = in_code - set(catalogue)
    assert not missing, f"strings in the UI code but not in {ts_path('id').name}: {sorted(missing)}"
    untranslated = [key for key, tr in catalogue.items()
                    if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete")
                    or not ("".join(tr.itertext())).strip()]
    assert not untranslated, f"no Indonesian translation for: {untranslated}"


def test_catalogue_compiles_and_translates(qapp, translator):
    from PySide6.QtCore import QCoreApplication

    assert translator("id") is not None
    assert QCoreApplication.translate("Verdict", "GREEN") == "HIJAU"
