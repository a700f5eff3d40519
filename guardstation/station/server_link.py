"""Sync for a station home: enrolment (command line, settings dialog, pending code from the first-run
wizard) and the worker wired to the station's checkpoint. Shared by the GUI, the CLI and the tests."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from guardstation import __version__
from guardstation.station.context import StationContext
from guardstation.station.pass_issuer import deployment_key
from guardstation.store.events import load_station
from guardstation.store.secrets import ENROLMENT_CODE_SECRET, TOKEN_SECRET
from guardstation.sync import engine as sync_engine
from guardstation.sync.engine import SyncEngine, SyncReport
from guardstation.sync.loop import SyncStatus, SyncWorker
from guardstation.sync.transport import (
    HttpTransport,
    InsecureServerUrl,
    Refused,
    Reply,
    Transport,
    require_safe_server_url,
)

log = logging.getLogger(__name__)


def is_enrolled(station: StationContext) -> bool:
    with station.db.read() as session:
        state = sync_engine.sync_state(session)
    return state is not None and bool(station.secrets.get(TOKEN_SECRET))


def enrol_station(
    station: StationContext,
    server_url: str,
    code: str,
    *,
    transport: Transport | None = None,
    now: datetime | None = None,
) -> str:
    """Enrols this station; returns the site id. Raises transport.SyncError subclasses with a reason:
    InsecureServerUrl for plain http:// to another computer, before anything is sent or stored."""
    url = server_url.strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise ValueError("the server address must start with https:// (or http:// to this computer, for testing)")
    require_safe_server_url(url)
    own_transport = transport is None
    transport = transport or HttpTransport(url)
    with station.db.read() as session:
        gate = load_station(session).gate_name
    try:
        enrolled = sync_engine.enrol(
            station.db,
            station.secrets,
            transport,
            server_url=url,
            code=code,
            station_name=gate,
            app_version=__version__,
            now=now or station.checkpoint.now(),
        )
    finally:
        if own_transport:  # else its connection stays open for the life of the process
            transport.close()
    station.checkpoint.rekey(deployment_key(station.secrets))
    station.checkpoint.reload_reference()
    station.settings.enrolment, station.settings.server_url = "enrolled", url
    station.settings.save(station.home)
    station.secrets.delete(ENROLMENT_CODE_SECRET)
    return enrolled.site_id


def _enrol_pending(station: StationContext, transport: Transport) -> Callable[[], None]:
    """The first-run wizard may leave a code waiting for the network: try it before each round until it works."""

    def attempt() -> None:
        if station.settings.enrolment != "pending":
            return
        code = station.secrets.get(ENROLMENT_CODE_SECRET)
        if not code or not station.settings.server_url:
            return
        try:
            enrol_station(station, station.settings.server_url, code, transport=transport)
        except Refused as exc:
            log.error("pending enrolment refused by the server: %s", exc)
            raise

    return attempt


class _RefusingTransport:
    """Stands in for the HTTP transport when the stored server address is plain http:// to another
    computer (enrolled before that was refused): every round is refused with the reason, nothing is sent."""

    def __init__(self, error: InsecureServerUrl) -> None:
        self.error = error

    def request(self, method: str, path: str, **_kwargs) -> Reply:
        raise self.error

    def close(self) -> None:
        pass


def _transport_for(url: str) -> Transport:
    try:
        return HttpTransport(url)
    except InsecureServerUrl as exc:
        log.error("sync stopped: %s", exc)
        return _RefusingTransport(exc)


def build_worker(
    station: StationContext,
    *,
    transport: Transport | None = None,
    on_status: Callable[[SyncStatus], None] = lambda status: None,
    on_report: Callable[[SyncReport], None] = lambda report: None,
    interval_s: float | None = None,
    min_gap_s: float | None = None,
) -> SyncWorker | None:
    """A worker for an enrolled (or enrolment-pending) station; None for a standalone one."""
    pending = station.settings.enrolment == "pending" and bool(station.settings.server_url)
    if not pending and not is_enrolled(station):
        return None
    with station.db.read() as session:
        state = sync_engine.sync_state(session)
    url = state.server_url if state is not None else station.settings.server_url
    transport = transport or _transport_for(url)
    engine = SyncEngine(
        station.db, transport, token=lambda: station.secrets.get(TOKEN_SECRET), clock=station.checkpoint.now
    )

    def reported(report: SyncReport) -> None:
        if report.reference_changed:
            station.checkpoint.reload_reference()
        on_report(report)

    kwargs = {k: v for k, v in (("interval_s", interval_s), ("min_gap_s", min_gap_s)) if v is not None}
    return SyncWorker(
        engine,
        clock=station.checkpoint.now,
        on_status=on_status,
        on_report=reported,
        before_round=_enrol_pending(station, transport),
        **kwargs,
    )
