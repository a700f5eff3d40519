"""Where things are in the repository, for tests in any folder."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT / "tests" / "data"  # public test corpora, see tests/data/README.md
RESOURCES = REPO_ROOT / "resources"  # bundled with the app
RULES = RESOURCES / "rules"  # the rule packs
PACKAGE = REPO_ROOT / "guardstation"
