"""What a scanned or typed credential turned out to be, after parsing and verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from guardstation.domain.reasons import Reason


class CredentialKind(str, Enum):
    GSPASS = "gspass"  # our own signed visitor/employee pass
    DCC = "dcc"  # EU Digital COVID Certificate ("HC1:")
    SHC = "shc"  # SMART Health Card ("shc:/")
    VENUE = "venue"  # a check-in code of some venue, not a person
    NIK = "nik"  # a bare NIK (typed, or in an unsigned QR)
    TEXT = "text"  # anything else
    NONE = "none"  # no code at all


class PersonKind(str, Enum):
    EMPLOYEE = "employee"
    VISITOR = "visitor"


@dataclass(frozen=True)
class Vaccination:
    doses: int  # doses received (DCC "dn")
    last_dose: date | None = None
    series_doses: int | None = None  # doses the primary series needs (DCC "sd"); None when unknown

    @property
    def series_complete(self) -> bool:
        return self.series_doses is not None and self.doses >= self.series_doses


@dataclass(frozen=True)
class TestResult:
    kind: str  # "pcr" (NAAT) or "rapid" (antigen)
    sampled_at: datetime
    negative: bool


@dataclass(frozen=True)
class Recovery:
    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class Credential:
    kind: CredentialKind
    decoded: str | None
    stages: dict[str, bool] = field(default_factory=dict)
    # None when every stage passed; otherwise why the credential cannot be trusted.
    failure: Reason | None = None
    identity: str | None = None  # normalised identity (NIK or NAME|BIRTHDATE), never stored raw
    subject_key: str | None = None  # keyed hash of the identity, filled by the caller holding the key
    display_name: str | None = None
    person_kind: PersonKind | None = None
    vaccination: Vaccination | None = None
    test: TestResult | None = None
    recovery: Recovery | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    credential_id: str | None = None  # pass id / certificate id
    signed: bool = False  # a verified signature vouches for the content
    manual: bool = False  # typed by the guard, identity checked by eye

    @property
    def trusted(self) -> bool:
        return self.failure is None
