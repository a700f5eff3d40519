"""Logging set-up: one rotating log file in the station home's logs/ folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path


def setup_logging(home: Path, verbose: bool = False) -> Path:
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        logs / "guardstation.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler.set_name("guardstation-file")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "guardstation-file"]:
        root.removeHandler(old)  # one log file at a time, even when main() runs again in-process
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return logs
