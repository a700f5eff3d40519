"""The checkpoint: one scan or manual entry in, one committed visit and verdict out.

This is the station's use-case layer (below ui/ and app.py, above store/ and
credentials/). `scan()` returns only after the visit is committed, so whatever
the UI then shows is already on disk.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from guardstation.credentials.verify import parse_and_verify
from guardstation.domain.credential import Credential, CredentialKind
from guardstation.domain.freshness import Freshness, stale_streams
from guardstation.domain.ids import new_id
from guardstation.domain.nik import NikCheck, check_nik, mask_nik
from guardstation.domain.occupancy import Occupancy
from guardstation.domain.rules import RulePack, pack_in_force
from guardstation.domain.subject import identity_from_nik, subject_key
from guardstation.domain.verdict import Decision, decide
from guardstation.domain.verdict_types import Action, Colour, GateMode
from guardstation.store import reference, visits
from guardstation.store.db import Database
from guardstation.store.events import append_event, load_station
from guardstation.store.models import Visit


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


class InvalidEntry(ValueError):
    """Manual entry that cannot be recorded; `field` names the input to fix."""

    def __init__(self, field: str, message: str, nik_check: NikCheck | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.nik_check = nik_check


@dataclass(frozen=True)
class ManualEntry:
    nik: str
    name: str
    purpose: str = ""
    host: str = ""


@dataclass(frozen=True)
class ScanOutcome:
    credential: Credential
    decision: Decision
    visit_id: str | None
    occupancy: Occupancy
    display_name: str
    at: datetime

    @property
    def headline_colour(self) -> Colour:
        return self.decision.colour


class Checkpoint:
    def __init__(
        self,
        db: Database,
        *,
        deployment_key: bytes,
        clock: Callable[[], datetime] = local_now,
        gate_mode: GateMode = GateMode.AUTO,
        guard: str = "",
    ) -> None:
        self.db = db
        self._key = deployment_key
        self._clock = clock
        self.gate_mode = gate_mode
        self.guard = guard
        self._lock = threading.Lock()  # one writer even if two threads call in
        # Called before every write; raises storage.StorageUnavailable to refuse it (e.g. storage.DiskGuard.check).
        self.storage_guard: Callable[[], None] | None = None
        self.reload_reference()

    def now(self) -> datetime:
        return self._clock()

    @property
    def clock(self) -> Callable[[], datetime]:
        return self._clock

    # -- reference data -------------------------------------------------------------------
    def reload_reference(self) -> None:
        with self.db.read() as session:
            self.trust = reference.load_trust_store(session)
            self.packs = reference.load_rule_packs(session)
            station = load_station(session)
            self.gate_name = station.gate_name
            self.station_id = station.station_id
            site = reference.get_site(session)
            self.capacity = site.capacity if site else None
            self.site_name = site.name if site else ""
            self.policy = reference.site_policy(session)

    def freshness(self) -> list[Freshness]:
        with self.db.read() as session:
            return reference.load_freshness(session)

    def _stale(self, session, now: datetime) -> tuple[str, ...]:
        if not self.policy.max_age_hours:
            return ()
        return stale_streams(reference.load_freshness(session), self.policy, now)

    def rule_pack(self, at: datetime) -> RulePack | None:
        return pack_in_force(self.packs, at)

    def rekey(self, deployment_key: bytes) -> None:
        """After enrolment: subject keys from now on use the deployment's shared secret."""
        self._key = deployment_key

    def subject_key_for(self, identity: str) -> str:
        return subject_key(self._key, identity)

    # -- reads ------------------------------------------------------------------------------
    def occupancy(self, session=None) -> Occupancy:
        """Site-wide: this gate's open visits plus the other gates' as last synced, and how old those are."""
        if session is None:
            with self.db.read() as s:
                return self.occupancy(s)
        here, elsewhere = visits.count_inside_split(session, self.station_id)
        synced = reference.stream_updated_at(session, "visit_event")
        age = None if synced is None else max(0.0, (self._clock() - synced).total_seconds())
        return Occupancy(here, self.capacity, elsewhere, age)

    def evaluate(self, text: str | None, at: datetime | None = None) -> tuple[Credential, Decision]:
        """Verify and decide without recording anything (the `verify` command)."""
        now = at or self._clock()
        credential = self._with_subject(parse_and_verify(text, self.trust, now))
        with self.db.read() as session:
            decision = decide(
                credential,
                pack=self.rule_pack(now),
                now=now,
                status_entries=reference.status_for(session, credential.subject_key),
                stale=self._stale(session, now),
                on_stale=self.policy.on_stale,
            )
        return credential, decision

    # -- writes -----------------------------------------------------------------------------
    def scan(self, text: str) -> ScanOutcome:
        now = self._clock()
        return self._record(self._with_subject(parse_and_verify(text, self.trust, now)), now)

    def manual_entry(self, entry: ManualEntry) -> ScanOutcome:
        nik_check = check_nik(entry.nik, today=self._clock().date())
        if not nik_check.ok:
            raise InvalidEntry("nik", nik_check.message(), nik_check)
        name = " ".join(entry.name.split())
        if not name:
            raise InvalidEntry("name", "Nama wajib diisi")
        identity = identity_from_nik(nik_check.nik)
        credential = Credential(
            kind=CredentialKind.NIK,
            decoded=None,
            stages={"nik": True},
            identity=identity,
            subject_key=self.subject_key_for(identity),
            display_name=name[:200],
            manual=True,
        )
        return self._record(
            credential,
            self._clock(),
            nik=nik_check.nik,
            purpose=entry.purpose.strip()[:200],
            host=entry.host.strip()[:200],
        )

    def check_out(self, visit_id: str) -> ScanOutcome:
        """The guard's check-out button on the inside-now list."""
        now = self._clock()
        self._check_storage()
        with self._lock, self.db.transaction() as session:
            visit = session.get(Visit, visit_id)
            if visit is None or visit.status != visits.INSIDE:
                raise InvalidEntry("visit", "Kunjungan ini sudah tidak di dalam")
            credential = Credential(
                kind=CredentialKind(visit.credential_kind),
                decoded=None,
                subject_key=visit.subject_key,
                display_name=visit.display_name,
            )
            decision = decide(
                credential,
                pack=self.rule_pack(now),
                now=now,
                gate_mode=GateMode.OUT,
                open_visit=visits.as_open_visit(visit),
            )
            self._close_visit(session, visit, now, manual=True)
            occupancy = self.occupancy(session)
        return ScanOutcome(credential, decision, visit_id, occupancy, visit.display_name, now)

    def _check_storage(self) -> None:
        if self.storage_guard is not None:
            self.storage_guard()

    def _with_subject(self, credential: Credential) -> Credential:
        if credential.subject_key is None and credential.identity:
            return replace(credential, subject_key=self.subject_key_for(credential.identity))
        return credential

    def _record(
        self, credential: Credential, now: datetime, *, nik: str = "", purpose: str = "", host: str = ""
    ) -> ScanOutcome:
        self._check_storage()
        with self._lock, self.db.transaction() as session:
            station = load_station(session)
            open_visit = visits.find_open_visit(session, credential.subject_key) if credential.trusted else None
            decision = decide(
                credential,
                pack=self.rule_pack(now),
                now=now,
                occupancy=self.occupancy(session),
                gate_mode=self.gate_mode,
                open_visit=visits.as_open_visit(open_visit),
                status_entries=reference.status_for(session, credential.subject_key),
                stale=self._stale(session, now),
                on_stale=self.policy.on_stale,
            )
            name = credential.display_name or ""
            if decision.action is Action.CHECK_OUT and open_visit is not None:
                self._close_visit(session, open_visit, now, manual=False)
                visit_id = open_visit.visit_id
                name = open_visit.display_name
            else:
                visit_id = new_id()
                status = {Action.CHECK_IN: visits.INSIDE, Action.DENY: visits.DENIED}.get(
                    decision.action, visits.NOTICE
                )
                visit = Visit(
                    visit_id=visit_id,
                    subject_key=credential.subject_key,
                    display_name=name,
                    nik_masked=mask_nik(nik) if nik else "",
                    person_kind=credential.person_kind.value if credential.person_kind else "",
                    credential_kind=credential.kind.value,
                    purpose=purpose,
                    host=host,
                    colour=decision.colour.value,
                    reason_code=decision.reason.code,
                    reason_params_json=json.dumps(decision.reason.params, ensure_ascii=False, default=str),
                    status=status,
                    time_in=now,
                    gate_in=station.gate_name,
                    guard=self.guard,
                    station_id=station.station_id,
                    manual=credential.manual,
                )
                session.add(visit)
                kind = {visits.INSIDE: "check_in", visits.DENIED: "denied"}.get(status, "notice")
                append_event(
                    session,
                    station,
                    kind=kind,
                    visit_id=visit_id,
                    occurred_at=now,
                    guard=self.guard,
                    body={
                        "subject_key": credential.subject_key,
                        "display_name": name,
                        "nik_masked": visit.nik_masked,
                        "person_kind": visit.person_kind,
                        "credential_kind": visit.credential_kind,
                        "credential_id": credential.credential_id,
                        "colour": visit.colour,
                        "reason": decision.reason.code,
                        "reason_params": decision.reason.params,
                        "purpose": purpose,
                        "host": host,
                        "gate": station.gate_name,
                        "manual": credential.manual,
                    },
                )
            occupancy = self.occupancy(session)
        return ScanOutcome(credential, decision, visit_id, occupancy, name, now)

    def _close_visit(self, session, visit: Visit, now: datetime, *, manual: bool) -> None:
        station = load_station(session)
        visit.status = visits.LEFT
        visit.time_out = max(now, visit.time_in)  # a clock set back never makes a stay negative
        visit.gate_out = station.gate_name
        append_event(
            session,
            station,
            kind="check_out",
            visit_id=visit.visit_id,
            occurred_at=now,
            guard=self.guard,
            body={"subject_key": visit.subject_key, "gate": station.gate_name, "by_hand": manual},
        )
