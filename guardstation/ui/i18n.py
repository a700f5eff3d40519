"""Qt Linguist translations: English source strings, Indonesian (default) from resources/i18n.

The .ts files are the source of truth; .qm files are compiled from them at
build time (packaging) or, in a source checkout, on first use into the cache.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QTranslator

from guardstation.resources import resources_dir

log = logging.getLogger(__name__)
CATALOGUE = "guardstation"


def ts_path(lang: str) -> Path:
    return resources_dir() / "i18n" / f"{CATALOGUE}_{lang}.ts"


def compile_ts(ts: Path, qm: Path) -> None:
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from PySide6.scripts.pyside_tool import lrelease; lrelease()",
            "-silent",
            str(ts),
            "-qm",
            str(qm),
        ],
        check=True,
        timeout=60,
    )


def qm_path(lang: str) -> Path | None:
    """A compiled catalogue for `lang`, compiling the .ts if no fresh .qm exists yet."""
    ts = ts_path(lang)
    bundled = ts.with_suffix(".qm")
    if bundled.exists() and (not ts.exists() or bundled.stat().st_mtime >= ts.stat().st_mtime):
        return bundled
    if not ts.exists():
        return None
    cached = Path(platformdirs.user_cache_dir("GuardStation", appauthor=False)) / "i18n" / bundled.name
    if not cached.exists() or cached.stat().st_mtime < ts.stat().st_mtime:
        try:
            compile_ts(ts, cached)
        except (OSError, subprocess.SubprocessError) as exc:
            log.error("cannot compile translations %s: %s", ts, exc)
            return None
    return cached


def install_translator(app: QCoreApplication, lang: str) -> QTranslator | None:
    """English needs no catalogue (the source strings are English)."""
    if lang == "en":
        return None
    path = qm_path(lang)
    translator = QTranslator(app)
    if path is None or not translator.load(str(path)):
        log.error("no translations for %r; showing English", lang)
        return None
    app.installTranslator(translator)
    return translator


def switch_language(app: QCoreApplication, lang: str) -> QTranslator | None:
    """Replaces the app's GuardStation catalogue (kept as `app._translator`, as ui/launch.py does).

    Every widget then gets a LanguageChange event; the setup wizard re-words itself on it.
    """
    old = getattr(app, "_translator", None)
    if old is not None:
        app.removeTranslator(old)
    app._translator = install_translator(app, lang)
    return app._translator
