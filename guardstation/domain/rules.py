"""Rule packs: the colour rules as versioned data with effective dates.

Colour meanings changed in real life (2021: two doses = green; 2022: booster
= green), so nothing about them is a constant in code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guardstation.domain.verdict_types import Colour

FORMAT_VERSION = 1
STATUS_KINDS = ("positive", "close_contact", "deny")


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message says which field is wrong."""


@dataclass(frozen=True)
class DoseRule:
    min_doses: int
    colour: Colour
    reason: str


@dataclass(frozen=True)
class RulePack:
    pack_id: str
    name: str
    effective_from: datetime
    effective_until: datetime | None
    vaccination: tuple[DoseRule, ...]  # sorted by min_doses, highest first
    unknown_vaccination: Colour
    manual_entry: Colour
    status_colours: dict[str, Colour]
    admit: frozenset[Colour]
    source: dict[str, Any]
    # A completed primary series counts as this many doses (a one-dose vaccine is "complete"), or None.
    complete_series_as_doses: int | None = None
    test_rules: dict[str, tuple[int, Colour]] | None = None  # kind -> (max age in hours, colour)
    recovery_colour: Colour | None = None  # None: recovery certificates earn nothing

    def in_force(self, at: datetime) -> bool:
        return self.effective_from <= at and (self.effective_until is None or at < self.effective_until)

    def colour_for_doses(self, doses: int) -> DoseRule | None:
        for rule in self.vaccination:
            if doses >= rule.min_doses:
                return rule
        return None


def _colour(value: Any, where: str) -> Colour:
    try:
        colour = Colour(value)
    except ValueError:
        raise RulePackError(f"{where}: unknown colour {value!r}") from None
    if colour is Colour.FULL:
        raise RulePackError(f"{where}: 'full' is decided by capacity, not by rules")
    return colour


def _time(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise RulePackError(f"{where}: expected an ISO date/time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RulePackError(f"{where}: not an ISO date/time: {value!r}") from None
    if parsed.tzinfo is None:
        # A rule change takes effect at a moment in Indonesia, not in UTC: the offset must be explicit.
        raise RulePackError(f"{where}: needs a UTC offset, e.g. 2022-03-08T00:00:00+07:00")
    return parsed


def parse_rule_pack(data: Any) -> RulePack:
    if not isinstance(data, dict):
        raise RulePackError("a rule pack must be a JSON object")
    if data.get("format") != FORMAT_VERSION:
        raise RulePackError(f"format: expected {FORMAT_VERSION}, got {data.get('format')!r}")
    for key in ("id", "name", "effective_from", "vaccination"):
        if key not in data:
            raise RulePackError(f"missing field {key!r}")
    rules = data["vaccination"]
    if not isinstance(rules, list) or not rules:
        raise RulePackError("vaccination: expected a non-empty list of rules")
    dose_rules = []
    for i, rule in enumerate(rules):
        doses = rule.get("min_doses") if isinstance(rule, dict) else None
        if not isinstance(doses, int) or isinstance(doses, bool) or doses < 0:
            raise RulePackError(f"vaccination[{i}]: needs a non-negative integer min_doses")
        dose_rules.append(
            DoseRule(
                rule["min_doses"],
                _colour(rule.get("colour"), f"vaccination[{i}].colour"),
                str(rule.get("reason", "vaccination_unknown")),
            )
        )
    dose_rules.sort(key=lambda r: r.min_doses, reverse=True)
    if dose_rules[-1].min_doses != 0:
        raise RulePackError("vaccination: a rule for min_doses 0 is required so every dose count has a colour")
    status = data.get("status", {"positive": "black", "close_contact": "black", "deny": "red"})
    if not isinstance(status, dict) or set(status) - set(STATUS_KINDS):
        raise RulePackError(f"status: keys must be among {STATUS_KINDS}")
    until = data.get("effective_until")
    complete_as = data.get("complete_series_as_doses")
    if complete_as is not None and (
        not isinstance(complete_as, int) or isinstance(complete_as, bool) or complete_as < 0
    ):
        raise RulePackError("complete_series_as_doses: expected a non-negative integer")
    tests = data.get("tests")
    test_rules = None
    if tests is not None:
        if not isinstance(tests, dict):
            raise RulePackError("tests: expected an object of test kinds")
        test_rules = {}
        for kind, rule in tests.items():
            hours = rule.get("max_age_hours") if isinstance(rule, dict) else None
            if kind not in ("pcr", "rapid") or not isinstance(hours, int) or isinstance(hours, bool) or hours <= 0:
                raise RulePackError(f"tests.{kind}: needs kind pcr|rapid and a positive max_age_hours")
            test_rules[kind] = (hours, _colour(rule.get("colour"), f"tests.{kind}.colour"))
    recovery = data.get("recovery_colour")
    pack = RulePack(
        pack_id=str(data["id"]),
        name=str(data["name"]),
        effective_from=_time(data["effective_from"], "effective_from"),
        effective_until=None if until is None else _time(until, "effective_until"),
        vaccination=tuple(dose_rules),
        unknown_vaccination=_colour(data.get("unknown_vaccination", "red"), "unknown_vaccination"),
        manual_entry=_colour(data.get("manual_entry", "yellow"), "manual_entry"),
        status_colours={k: _colour(v, f"status.{k}") for k, v in status.items()},
        admit=frozenset(_colour(c, "admit") for c in data.get("admit", ["green", "yellow"])),
        source=data,
        complete_series_as_doses=complete_as,
        test_rules=test_rules,
        recovery_colour=None if recovery is None else _colour(recovery, "recovery_colour"),
    )
    if pack.effective_until is not None and pack.effective_until <= pack.effective_from:
        raise RulePackError("effective_until must be after effective_from")
    return pack


def pack_in_force(packs: Iterable[RulePack], at: datetime) -> RulePack | None:
    """The pack that applies at `at`: the most recently effective one among those in force."""
    candidates = [p for p in packs if p.in_force(at)]
    return max(candidates, key=lambda p: p.effective_from, default=None)
