"""How old the data behind a verdict is, and what the site does when it is too old.

A status list a week old can admit someone flagged positive yesterday: the
site policy says whether stale data fails open (admit, with a warning) or
closed (deny until fresh data arrives).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

STREAMS = ("trust_key", "rule_pack", "status_entry")
ON_STALE = ("warn", "deny")


@dataclass(frozen=True)
class FreshnessPolicy:
    max_age_hours: dict[str, int] = field(default_factory=dict)  # stream -> hours; absent = never stale
    on_stale: str = "warn"

    @classmethod
    def from_dict(cls, data: Any) -> FreshnessPolicy:
        """Tolerant on purpose: a bad policy from the server must not stop the gate; bad parts are dropped."""
        if not isinstance(data, dict):
            return cls()
        ages = data.get("max_age_hours", {})
        clean = {
            s: h
            for s, h in (ages.items() if isinstance(ages, dict) else ())
            if s in STREAMS and isinstance(h, int) and not isinstance(h, bool) and h > 0
        }
        on_stale = data.get("on_stale", "warn")
        return cls(clean, on_stale if on_stale in ON_STALE else "warn")


@dataclass(frozen=True)
class Freshness:
    stream: str
    updated_at: datetime | None

    def age_hours(self, now: datetime) -> float | None:
        if self.updated_at is None:
            return None
        return max(0.0, (now - self.updated_at).total_seconds() / 3600)


def stale_streams(freshness: list[Freshness], policy: FreshnessPolicy, now: datetime) -> tuple[str, ...]:
    stale = []
    by_stream = {f.stream: f for f in freshness}
    for stream, max_hours in policy.max_age_hours.items():
        age = by_stream.get(stream, Freshness(stream, None)).age_hours(now)
        if age is None or age > max_hours:
            stale.append(stream)
    return tuple(stale)
