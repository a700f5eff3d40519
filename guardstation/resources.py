"""Where the bundled resources (rule packs, sounds, translations, demo media) live.

Source checkouts and editable installs use the repository's resources/;
a PyInstaller bundle carries the same folder next to the frozen modules.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"GuardStation resource missing: {path} (is the installation complete?)")
    return path


DEFAULT_RULE_PACK = ("rules", "id-2021.json")
