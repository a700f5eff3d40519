"""Request and response bodies of protocol v1 (DESIGN §6). Unknown fields are refused (extra=forbid),
every string has a maximum length, and text that a database could not store (NUL characters, lone
surrogates) is refused with a 422 instead of failing deeper down."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

MAX_EVENTS_PER_PUSH = 2000
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
MAX_OFFSET_MS = 4_000_000_000_000          # ~126 years: any clock, however wrong, still fits


def storable(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return text


def plausible_time(value: datetime) -> datetime:
    if not (2000 <= value.year <= 2200):
        raise ValueError("time must be between the years 2000 and 2200")
    return value


Text = Annotated[str, AfterValidator(storable)]
Time = Annotated[AwareDatetime, AfterValidator(plausible_time)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnrollRequest(Strict):
    enrollment_code: Text = Field(min_length=4, max_length=64, examples=["ABCD-EFGH-JKMN-PQRS"])
    station_name: Text = Field(min_length=1, max_length=100, examples=["Pintu Depan"])
    app_version: Text = Field(max_length=40, examples=["0.1.0"])


class EnrollResponse(Strict):
    station_id: str
    site_id: str
    token: str = Field(description="Bearer token for every later call; shown once, the server keeps only its hash")
    epoch: int
    server_time: datetime
    deployment_key: str = Field(description="base64 HMAC key for subject keys, shared by every station of the "
                                            "deployment; the station keeps it in its OS keyring")


class EventIn(Strict):
    # The push path hands these to ingest as they are (the attributes of ingest.WireEvent); event ids are
    # case-insensitive, lowercased here.
    event_id: Annotated[str, StringConstraints(to_lower=True)] = Field(pattern=UUID_PATTERN,
                                                                      description="UUIDv7; the idempotency key")
    seq: int = Field(ge=1, le=2**53, description="the station's gapless sequence number")
    kind: Text = Field(min_length=1, max_length=32,
                       description="check_in | check_out | void | correction | denied | notice")
    schema_v: int = Field(ge=1, le=1000)
    hlc: Text = Field(min_length=1, max_length=64, description="hybrid logical clock, WALLMS-COUNTER-NODE")
    occurred_at: Time = Field(description="the station's clock, with its UTC offset")
    clock_offset_ms: int = Field(ge=-MAX_OFFSET_MS, le=MAX_OFFSET_MS,
                                 description="station clock minus server clock, as the station estimates it")
    body: dict[str, Any] = Field(description="visit_id (visit kinds), subject_key, gate, ...; at most 16 KiB")


class PushRequest(Strict):
    station_id: str = Field(max_length=36)
    epoch: int = Field(ge=1, le=2**31 - 1)
    events: list[EventIn] = Field(max_length=MAX_EVENTS_PER_PUSH)


class Rejected(Strict):
    event_id: str
    code: str


class PushResponse(Strict):
    acked_through: int = Field(description="every event of the request up to this seq is stored or rejected")
    rejected: list[Rejected]
    server_time: datetime
    server_hlc: str


class ChangeOut(Strict):
    seq: int
    stream: Literal["visit_event", "site_config", "rule_pack", "status_entry", "trust_key", "alert"]
    op: str
    data: dict[str, Any]


class PullResponse(Strict):
    changes: list[ChangeOut]
    next_cursor: int
    has_more: bool
    server_time: datetime
    server_hlc: str


class GateOccupancy(Strict):
    station_id: str
    gate: str
    inside: int


class OccupancyResponse(Strict):
    site_id: str
    capacity: int | None
    inside: int
    by_gate: list[GateOccupancy]
    server_time: datetime


class FlagRequest(Strict):
    subject_key: str = Field(pattern=r"^[0-9a-f]{32}$")
    since: Text = Field(min_length=10, max_length=40, examples=["2026-11-20"],
                        description="positive since: a date (midnight, Western Indonesian Time) or an ISO time "
                                    "with offset")
    positive: Literal[True] = True


class ErrorResponse(BaseModel):
    error: str
    message: str
