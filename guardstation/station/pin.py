"""The supervisor PIN: Argon2id hash, checking, and lock-out after repeated failures.

No Qt here (the PIN dialog is ui/pin_dialog.py). The PIN itself is never stored
or logged: only its Argon2id hash (in the settings file, `supervisor_pin_hash`).
Failed attempts are counted in `supervisor_lockout.json` in the station home,
so restarting the app does not reset a lock-out.

A 4-12 digit PIN has a small key space; Argon2id (64 MiB, 3 passes) makes each
offline guess cost ~0.2 s, and the lock-out (5 failures -> 5 minutes) limits
guesses at the desk.

A damaged or unreadable counter file fails safe: it counts as a lock-out of LOCKOUT from the
moment the damage is found, a fresh valid file saying so replaces it, and the caller that holds
the database is told (`on_damaged`, e.g. `audit_lockout_damage`) so the audit log records it.
Never "unlocked" by damage, and never locked for longer than LOCKOUT.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from guardstation.store.audit import append_audit
from guardstation.store.db import Database

log = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
PIN_MIN, PIN_MAX = 4, 12
LOCKOUT_FILE = "supervisor_lockout.json"


class PinProblem(str, Enum):
    """Why a new PIN is refused (the UI turns these into words)."""

    EMPTY = "empty"
    NOT_DIGITS = "not_digits"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_SIMPLE = "too_simple"  # 0000, 1234, 9876 ...
    MISMATCH = "mismatch"  # the confirmation differs


def check_new_pin(pin: str, confirm: str | None = None) -> PinProblem | None:
    """None if `pin` is acceptable as a new supervisor PIN."""
    if not pin:
        return PinProblem.EMPTY
    if not pin.isascii() or not pin.isdigit():
        return PinProblem.NOT_DIGITS
    if len(pin) < PIN_MIN:
        return PinProblem.TOO_SHORT
    if len(pin) > PIN_MAX:
        return PinProblem.TOO_LONG
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:])}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        return PinProblem.TOO_SIMPLE
    if confirm is not None and confirm != pin:
        return PinProblem.MISMATCH
    return None


def default_hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2-cffi's defaults: Argon2id, RFC 9106 low-memory profile


def hash_pin(pin: str, hasher: PasswordHasher | None = None) -> str:
    problem = check_new_pin(pin)
    if problem is not None:
        raise ValueError(f"unacceptable PIN: {problem.value}")
    return (hasher or default_hasher()).hash(pin)


class PinResult(str, Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


@dataclass(frozen=True)
class PinCheck:
    result: PinResult
    tries_left: int = MAX_FAILURES
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.result is PinResult.OK

    def seconds_locked(self, now: datetime) -> int:
        if self.locked_until is None:
            return 0
        return max(0, int((self.locked_until - now).total_seconds() + 0.999))


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class LockoutDamage:
    """A lock-out file found damaged: what was wrong, when, and the lock-out it caused."""

    path: Path
    error: str
    found_at: datetime
    locked_until: datetime


# When damage to each lock-out file was found, in this process: if the fresh file cannot be
# written (read-only disk), the lock-out still ends LOCKOUT after the damage was first found.
_damage_found: dict[Path, datetime] = {}


def audit_lockout_damage(db: Database, damage: LockoutDamage, *, actor: str = "station") -> int:
    """Records a damaged lock-out file in the audit log (a write: on the database thread). Returns the row id."""
    with db.transaction() as session:
        row = append_audit(
            session,
            at=damage.found_at,
            actor=actor,
            action="pin_lockout_file_damaged",
            detail={
                "file": damage.path.name,
                "error": damage.error,
                "locked_until": damage.locked_until.isoformat(),
            },
        )
        return row.id


class SupervisorPin:
    """Checks PIN attempts against a stored hash, with a persistent failure counter."""

    def __init__(
        self,
        pin_hash: str,
        state_path: Path,
        *,
        clock: Callable[[], datetime] = _utc_now,
        hasher: PasswordHasher | None = None,
        on_damaged: Callable[[LockoutDamage], object] | None = None,
    ) -> None:
        self.pin_hash = pin_hash or ""
        self.state_path = Path(state_path)
        self._clock = clock
        self._hasher = hasher or default_hasher()
        self._on_damaged = on_damaged

    @classmethod
    def for_home(cls, home: Path, pin_hash: str, **kw) -> SupervisorPin:
        return cls(pin_hash, Path(home) / LOCKOUT_FILE, **kw)

    @property
    def is_set(self) -> bool:
        return bool(self.pin_hash)

    # -- the failure counter -------------------------------------------------------------------
    def _load(self) -> tuple[int, datetime | None]:
        try:
            data = json.loads(self.state_path.read_text("utf-8"))
            failures, until = data.get("failures", 0), data.get("locked_until")
            if type(failures) is not int or not 0 <= failures <= MAX_FAILURES:
                raise ValueError(f"failures is {failures!r}")
            if until is None:
                return failures, None
            until = datetime.fromisoformat(until)
            if until.tzinfo is None:
                raise ValueError("locked_until has no time zone")
            return failures, until
        except FileNotFoundError:
            return 0, None
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            return self._damaged(exc)

    def _damaged(self, exc: Exception) -> tuple[int, datetime | None]:
        """A damaged counter must not unlock anything, nor lock for ever: locked for LOCKOUT from
        when the damage was found, then a fresh valid file takes over."""
        now = self._clock()
        first = self.state_path not in _damage_found
        found = _damage_found.setdefault(self.state_path, now)
        until = min(found, now) + LOCKOUT
        log.error("PIN lock-out file %s damaged (%s); locked until %s", self.state_path, exc, until.isoformat())
        try:
            self._save(MAX_FAILURES, until)
        except OSError as write_exc:
            log.error("PIN lock-out file %s cannot be replaced: %s", self.state_path, write_exc)
        else:
            del _damage_found[self.state_path]
        if first and self._on_damaged is not None:
            self._on_damaged(LockoutDamage(self.state_path, f"{type(exc).__name__}: {exc}", now, until))
        return MAX_FAILURES, until

    def _save(self, failures: int, locked_until: datetime | None) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"failures": failures, "locked_until": locked_until.isoformat() if locked_until else None}),
            "utf-8",
        )
        os.replace(tmp, self.state_path)

    def status(self) -> PinCheck:
        """The lock-out state without trying a PIN: NOT_SET, LOCKED, or OK with the tries left."""
        if not self.is_set:
            return PinCheck(PinResult.NOT_SET)
        failures, until = self._load()
        now = self._clock()
        if until is not None:
            # A clock set back must not stretch a lock-out beyond its length.
            until = min(until, now + LOCKOUT)
            if now < until:
                return PinCheck(PinResult.LOCKED, 0, until)
            failures = 0
        return PinCheck(PinResult.OK, MAX_FAILURES - failures)  # OK here means "not locked"

    def verify(self, pin: str) -> PinCheck:
        state = self.status()
        if state.result in (PinResult.NOT_SET, PinResult.LOCKED):
            return state
        failures = MAX_FAILURES - state.tries_left
        try:
            self._hasher.verify(self.pin_hash, pin)
        except VerifyMismatchError:
            failures += 1
            if failures >= MAX_FAILURES:
                until = self._clock() + LOCKOUT
                self._save(failures, until)
                log.warning("supervisor PIN: %d wrong attempts, locked until %s", failures, until.isoformat())
                return PinCheck(PinResult.LOCKED, 0, until)
            self._save(failures, None)
            log.info("supervisor PIN: wrong attempt (%d of %d)", failures, MAX_FAILURES)
            return PinCheck(PinResult.WRONG, MAX_FAILURES - failures)
        except (InvalidHashError, VerificationError) as exc:
            # A damaged stored hash: nobody can unlock with a PIN; the log says why.
            log.error("supervisor PIN hash unusable: %s", exc)
            return PinCheck(PinResult.WRONG, MAX_FAILURES - failures)
        if failures:
            self._save(0, None)
        return PinCheck(PinResult.OK)
