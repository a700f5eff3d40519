"""Times read from other parties (the server, other gates): ISO 8601 text that must carry its UTC offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def parse_aware(value: Any) -> datetime | None:
    """The time in `value`, or None if it is not ISO text with a UTC offset (a naive time is ambiguous)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
