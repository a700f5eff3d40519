"""Protocol v1 bodies on the station side: events out, server replies in (checked, never trusted).

The server's replies are read defensively: a field of the wrong type is a
`ServerTrouble`, never a KeyError deep inside the engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from guardstation.domain.isotime import parse_aware
from guardstation.store.models import VisitEvent
from guardstation.sync.transport import ServerTrouble

# Body keys the server checks as non-empty strings: an empty one is dropped rather than refused.
_NON_EMPTY = ("subject_key", "gate", "site_id")


def event_to_wire(event: VisitEvent) -> dict[str, Any]:
    body = json.loads(event.body_json)
    schema_v = body.pop("schema_v", 1)
    body["visit_id"] = event.visit_id
    for key in _NON_EMPTY:
        if key in body and not body[key]:
            del body[key]
    if event.guard:
        body.setdefault("guard", event.guard)
    return {
        "event_id": event.event_id,
        "seq": event.seq,
        "kind": event.kind,
        "schema_v": schema_v,
        "hlc": event.hlc,
        "occurred_at": event.occurred_at.isoformat(),
        "clock_offset_ms": event.clock_offset_ms,
        "body": body,
    }


def _get(body: dict, key: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ServerTrouble(f"the server's reply has no valid '{key}'")
    return value


def _time(body: dict, key: str) -> datetime:
    value = parse_aware(_get(body, key, str))
    if value is None:
        raise ServerTrouble(f"the server's '{key}' is not an ISO time with a UTC offset")
    return value


@dataclass(frozen=True)
class Enrolled:
    station_id: str
    site_id: str
    token: str
    epoch: int
    deployment_key: str
    server_time: datetime


@dataclass(frozen=True)
class PushReply:
    acked_through: int
    rejected: dict[str, str]  # event_id -> code
    server_time: datetime
    server_hlc: str


@dataclass(frozen=True)
class Change:
    seq: int
    stream: str
    op: str
    data: dict[str, Any]


@dataclass(frozen=True)
class PullReply:
    changes: list[Change]
    next_cursor: int
    has_more: bool
    server_time: datetime
    server_hlc: str


def enrolled(body: dict) -> Enrolled:
    return Enrolled(
        _get(body, "station_id", str),
        _get(body, "site_id", str),
        _get(body, "token", str),
        _get(body, "epoch", int),
        _get(body, "deployment_key", str),
        _time(body, "server_time"),
    )


def push_reply(body: dict) -> PushReply:
    rejected: dict[str, str] = {}
    for item in _get(body, "rejected", list):
        if not isinstance(item, dict):
            raise ServerTrouble("the server's 'rejected' list holds something that is not an object")
        rejected[_get(item, "event_id", str)] = str(item.get("code", ""))[:40]
    return PushReply(
        _get(body, "acked_through", int), rejected, _time(body, "server_time"), _get(body, "server_hlc", str)
    )


def pull_reply(body: dict) -> PullReply:
    changes = []
    for item in _get(body, "changes", list):
        if not isinstance(item, dict):
            raise ServerTrouble("a pulled change is not an object")
        changes.append(
            Change(_get(item, "seq", int), _get(item, "stream", str), _get(item, "op", str), _get(item, "data", dict))
        )
    return PullReply(
        changes,
        _get(body, "next_cursor", int),
        _get(body, "has_more", bool),
        _time(body, "server_time"),
        _get(body, "server_hlc", str),
    )
