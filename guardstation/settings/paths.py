"""Where the station keeps its data: --home, --portable, $GUARDSTATION_HOME or the platform's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

HOME_ENV = "GUARDSTATION_HOME"
APP_NAME = "GuardStation"


PORTABLE_FROZEN_DIR = "data"  # beside the executable of a packaged build
PORTABLE_SOURCE_DIR = "portable-data"  # in a source checkout's root


def portable_home() -> Path:
    """Where `--portable` keeps everything: next to the executable (USB installs)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent / PORTABLE_FROZEN_DIR
    return Path(__file__).resolve().parents[2] / PORTABLE_SOURCE_DIR


def resolve_home(explicit: str | os.PathLike | None = None, *, demo: bool = False, portable: bool = False) -> Path:
    """--home wins, then --portable, then $GUARDSTATION_HOME, then the platform's data folder.

    Demo mode gets its own `demo/` subfolder of the portable or platform folder.
    """
    if explicit:
        home = Path(explicit)
    elif portable:
        home = portable_home()
        if demo:
            home = home / "demo"
    elif os.environ.get(HOME_ENV):
        home = Path(os.environ[HOME_ENV])
    else:
        home = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        if demo:
            home = home / "demo"
    home = home.expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home
