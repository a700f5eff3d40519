"""The verdict engine: credential + status list + occupancy + rule pack -> what the door does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from guardstation.domain.credential import Credential
from guardstation.domain.occupancy import Occupancy
from guardstation.domain.reasons import Reason
from guardstation.domain.rules import RulePack
from guardstation.domain.verdict_types import Action, Colour, GateMode


@dataclass(frozen=True)
class StatusEntry:
    status: str  # positive | close_contact | deny
    valid_from: datetime
    valid_until: datetime | None

    def active(self, at: datetime) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


@dataclass(frozen=True)
class OpenVisit:
    visit_id: str
    time_in: datetime


@dataclass(frozen=True)
class Decision:
    colour: Colour
    action: Action
    reason: Reason
    warnings: tuple[Reason, ...] = ()

    @property
    def admitted(self) -> bool:
        return self.action is Action.CHECK_IN


def _deny(colour: Colour, code: str, **params) -> Decision:
    return Decision(colour, Action.DENY, Reason(code, params))


def _format_duration(seconds: float) -> str:
    minutes = max(0, int(seconds // 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours}j {minutes:02d}m" if hours else f"{minutes}m"


def _test_colour(credential: Credential, pack: RulePack, now: datetime) -> tuple[Colour, Reason]:
    test = credential.test
    if not test.negative:
        return Colour.RED, Reason("test_positive")
    rule = (pack.test_rules or {}).get(test.kind)
    if rule is None:
        return pack.unknown_vaccination, Reason("test_not_accepted")
    max_hours, colour = rule
    age_hours = (now - test.sampled_at).total_seconds() / 3600
    if age_hours < 0:
        return Colour.RED, Reason("test_in_future")
    if age_hours > max_hours:
        return Colour.RED, Reason("test_too_old", {"hours": int(age_hours), "max_hours": max_hours})
    return colour, Reason("test_negative", {"hours": int(age_hours)})


def _recovery_colour(credential: Credential, pack: RulePack, now: datetime) -> tuple[Colour, Reason]:
    recovery = credential.recovery
    if pack.recovery_colour is None:
        return pack.unknown_vaccination, Reason("recovery_not_accepted")
    if not recovery.valid_from <= now.date() <= recovery.valid_until:
        return Colour.RED, Reason("recovery_out_of_range", {"until": recovery.valid_until.isoformat()})
    return pack.recovery_colour, Reason("recovered", {"until": recovery.valid_until.isoformat()})


def content_colour(credential: Credential, pack: RulePack, now: datetime | None = None) -> tuple[Colour, Reason]:
    """The colour a trusted credential earns from its content alone."""
    if credential.manual:
        return pack.manual_entry, Reason("manual_entry")
    if credential.test is not None and now is not None:
        return _test_colour(credential, pack, now)
    if credential.recovery is not None and now is not None:
        return _recovery_colour(credential, pack, now)
    if credential.vaccination is None:
        return pack.unknown_vaccination, Reason("vaccination_unknown")
    doses = credential.vaccination.doses
    if credential.vaccination.series_complete and pack.complete_series_as_doses is not None:
        doses = max(doses, pack.complete_series_as_doses)
    rule = pack.colour_for_doses(doses)
    assert rule is not None  # parse_rule_pack guarantees a min_doses 0 rule
    return rule.colour, Reason(rule.reason, {"doses": credential.vaccination.doses})


def decide(
    credential: Credential,
    *,
    pack: RulePack | None,
    now: datetime,
    occupancy: Occupancy | None = None,
    gate_mode: GateMode = GateMode.AUTO,
    open_visit: OpenVisit | None = None,
    status_entries: tuple[StatusEntry, ...] = (),
    stale: tuple[str, ...] = (),
    on_stale: str = "warn",
) -> Decision:
    # 1. An untrusted credential identifies nobody: nothing else can be judged.
    if credential.failure is not None:
        return Decision(Colour.RED, Action.DENY, credential.failure)

    # 2. Leaving is always allowed; a person inside is checked out at an auto/out gate.
    if open_visit is not None:
        if gate_mode in (GateMode.AUTO, GateMode.OUT):
            stay = (now - open_visit.time_in).total_seconds()
            return Decision(Colour.GREEN, Action.CHECK_OUT, Reason("checked_out", {"duration": _format_duration(stay)}))
        local_in = open_visit.time_in.astimezone(now.tzinfo) if now.tzinfo else open_visit.time_in
        return Decision(Colour.YELLOW, Action.NOTICE, Reason("already_inside", {"time": local_in.strftime("%H:%M")}))
    if gate_mode is GateMode.OUT:
        return Decision(Colour.YELLOW, Action.NOTICE, Reason("not_inside"))

    if pack is None:
        return _deny(Colour.RED, "no_rule_pack")

    # 3. Status list outranks whatever the certificate says.
    active = [e for e in status_entries if e.active(now)]
    for status in ("positive", "close_contact", "deny"):
        if any(e.status == status for e in active):
            colour = pack.status_colours.get(status, Colour.BLACK)
            return _deny(colour, "status_deny" if status == "deny" else status)

    # 4. Out-of-date verification data: the site policy fails closed (deny) or open (admit, warn).
    warnings: tuple[Reason, ...] = ()
    if stale:
        stale_reason = Reason("stale_data", {"what": ", ".join(stale)})
        if on_stale == "deny":
            return Decision(Colour.RED, Action.DENY, stale_reason)
        warnings = (stale_reason,)

    # 5. Content, then capacity (only someone who would be admitted can be turned away for space).
    colour, reason = content_colour(credential, pack, now)
    if colour not in pack.admit:
        return Decision(colour, Action.DENY, reason, warnings)
    if occupancy is not None and occupancy.is_full:
        return Decision(
            Colour.FULL,
            Action.DENY,
            Reason("capacity_full", {"inside": occupancy.inside, "capacity": occupancy.capacity}),
            warnings,
        )
    return Decision(colour, Action.CHECK_IN, reason, warnings)
