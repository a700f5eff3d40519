"""Opening a station home: database, secrets, first-start seeding, the checkpoint.

Shared by the GUI, the command line and the tests, so that all three see the
same station built the same way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from guardstation.domain.verdict_types import GateMode
from guardstation.health.clock_guard import ClockGuard
from guardstation.resources import DEFAULT_RULE_PACK, resource
from guardstation.settings.model import Settings
from guardstation.station.checkpoint import Checkpoint, local_now
from guardstation.station.pass_issuer import deployment_key
from guardstation.store import reference
from guardstation.store.audit import append_audit
from guardstation.store.db import Database, open_database
from guardstation.store.events import ensure_station
from guardstation.store.secrets import SecretStore

log = logging.getLogger(__name__)

DB_FILENAME = "guardstation.sqlite"
STANDALONE_SITE_ID = "standalone"


@dataclass
class StationContext:
    home: Path
    settings: Settings
    db: Database
    secrets: SecretStore
    checkpoint: Checkpoint

    def close(self) -> None:
        self.db.close()


def seed_reference(
    db: Database, now: datetime, *, site_id: str, site_name: str, capacity: int | None, gate_name: str
) -> None:
    """First start: a station identity, the default rule pack and a site, unless sync already gave them."""
    with db.transaction() as session:
        ensure_station(session, site_id=site_id, gate_name=gate_name, now=now)
        if not reference.load_rule_packs(session):
            body = json.loads(resource(*DEFAULT_RULE_PACK).read_text("utf-8"))
            reference.put_rule_pack(session, body, now)
            reference.mark_fresh(session, "rule_pack", now, "bundled")
        if reference.get_site(session) is None:
            reference.put_site(session, site_id=site_id, name=site_name, capacity=capacity, now=now)


def open_station(
    home: Path,
    *,
    clock: Callable[[], datetime] = local_now,
    site_name: str = "Kantor",
    capacity: int | None = None,
    gate_name: str = "Gerbang Utama",
    site_id: str = STANDALONE_SITE_ID,
    actor: str = "system",
) -> StationContext:
    home = Path(home)
    settings = Settings.load(home)
    secrets = SecretStore.for_home(home)
    db = open_database(home / DB_FILENAME)
    try:
        if clock is local_now:
            # The real clock: never earlier than the last recorded event, and jumps noticed (clock_guard.py).
            from guardstation.health.hardware_check import last_event_time

            clock = ClockGuard(local_now)
            clock.anchor(last_event_time(db))
        now = clock()
        seed_reference(db, now, site_id=site_id, site_name=site_name, capacity=capacity, gate_name=gate_name)
        with db.transaction() as session:
            append_audit(
                session,
                at=now,
                actor=actor,
                action="station_opened",
                detail={"keyring": secrets.description, "keyring_fallback": secrets.fallback},
            )
        try:
            mode = GateMode(settings.gate_mode)
        except ValueError:
            mode = GateMode.AUTO
        checkpoint = Checkpoint(db, deployment_key=deployment_key(secrets), clock=clock, gate_mode=mode)
    except BaseException:
        db.close()
        raise
    return StationContext(home, settings, db, secrets, checkpoint)
