"""What every report needs while it is built: database, language, time zone, clock, progress."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, tzinfo

from guardstation.reports import data
from guardstation.reports.catalogue import tr, tz_label
from guardstation.reports.document import short_time
from guardstation.reports.output import Ticker
from guardstation.store.db import Database


@dataclass
class ReportContext:
    db: Database
    lang: str
    tz: tzinfo | None
    now: datetime
    station: data.StationInfo
    ticker: Ticker
    cancel: threading.Event | None = None

    def t(self, key: str, **params) -> str:
        return tr(key, self.lang, **params)

    @property
    def tz_text(self) -> str:
        return tz_label(self.tz, self.now)

    def when(self, value: datetime | None, with_date: bool = True) -> str:
        return short_time(value, self.tz, with_date)

    def period_text(self, period: data.Period) -> str:
        return self.t("value.period", start=self.when(period.start), end=self.when(period.end)) + f" ({self.tz_text})"

    @property
    def generated_text(self) -> str:
        return f"{self.when(self.now)} ({self.tz_text})"

    def header(self, period: data.Period | None, *, with_guards: bool = True) -> list[tuple[str, str]]:
        """Site, gate(s), guards, period, generated, station: the head of every report."""
        station = self.station
        rows = [(self.t("field.site"), station.site_name or self.t("value.not_recorded"))]
        gates = data.gates_in_period(self.db, period) if period else []
        rows.append((self.t("field.gate"), ", ".join(gates or [station.gate_name])))
        if with_guards and period is not None:
            guards = data.guards_in_period(self.db, period)
            rows.append((self.t("field.guards"), ", ".join(guards) or self.t("value.not_recorded")))
        if period is not None:
            rows.append((self.t("field.period"), self.period_text(period)))
        rows.append((self.t("field.generated"), self.generated_text))
        rows.append((self.t("field.station"), station.station_id))
        return rows

    @property
    def footer_left(self) -> str:
        return self.station.site_name or "GuardStation"
