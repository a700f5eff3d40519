"""The station's sync engine against the real server app: enrolment, many gates, lost replies, restored
backups, refused events, exposure alerts, bad replies."""

from __future__ import annotations

import base64
import shutil
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from guardstation.domain.ids import new_id
from guardstation.domain.verdict_types import Action, Colour
from guardstation.server import service, tracing
from guardstation.server.models import Event
from guardstation.server.models import Visit as ServerVisit
from guardstation.station.context import open_station
from guardstation.store.events import append_event, load_station
from guardstation.store.models import AlertRow, Outbox, VisitEvent
from guardstation.store.secrets import DEPLOYMENT_SECRET, TOKEN_SECRET
from guardstation.sync.engine import pending_count, sync_state
from guardstation.sync.transport import Offline, Refused, Reply, ServerTrouble

from .conftest import NIKS, URL


def server_events(server) -> int:
    with server.db.read() as s:
        return s.scalar(select(func.count()).select_from(Event))


def test_enrolment_keeps_secrets_in_the_keyring_and_adopts_the_server_identity(server, make_gate):
    site = server.site("Mal Pelayanan Publik", capacity=40)
    gate = make_gate(site, "Pintu Depan")
    token = gate.ctx.secrets.get(TOKEN_SECRET)
    assert token and token.startswith("gst_")
    with gate.ctx.db.read() as s:
        state = sync_state(s)
        assert state.server_url == URL and state.cursor == 0
    # Neither the token nor the deployment key is in the database or the settings file.
    raw = (gate.home / "guardstation.sqlite").read_bytes() + (gate.home / "config.json").read_bytes()
    assert token.encode() not in raw
    assert gate.ctx.secrets.get(DEPLOYMENT_SECRET).encode() not in raw
    assert gate.ctx.settings.enrolment == "enrolled"
    gate.sync()
    # The site's name and limit come down with the first pull and replace the local placeholder.
    assert gate.checkpoint.site_name == "Mal Pelayanan Publik" and gate.checkpoint.capacity == 40


def test_a_person_who_came_in_at_gate_a_leaves_through_gate_b(server, make_gate):
    site = server.site(capacity=10)
    a, b = make_gate(site, "Pintu A"), make_gate(site, "Pintu B")
    for gate in (a, b):
        gate.sync()
    first = a.enter(NIKS[0], "Siti Aminah")
    a.enter(NIKS[1], "Budi Santoso")
    assert first.decision.action is Action.CHECK_IN
    a.sync()
    b.sync()
    # Gate B counts the people who came in at A (its own 0 + the others' 2).
    occupancy = b.checkpoint.occupancy()
    assert (occupancy.inside_here, occupancy.inside_elsewhere, occupancy.inside) == (0, 2, 2)
    leaving = b.enter(NIKS[0], "Siti Aminah")  # auto gate mode: already inside -> check-out
    assert leaving.visit_id == first.visit_id
    assert b.inside() == 1
    b.sync()
    a.sync()
    assert a.inside() == 1 and b.inside() == 1
    with server.db.read() as s:
        visit = s.get(ServerVisit, first.visit_id)
        assert visit.time_out is not None and visit.gate_in == "Pintu A" and visit.gate_out == "Pintu B"


def test_a_lost_reply_is_resent_and_stored_once(server, make_gate):
    gate = make_gate(server.site(), "Pintu Depan")
    for nik in NIKS[:3]:
        gate.enter(nik)
    gate.transport.plan = ["drop_after"]  # the server commits, the station never hears
    with pytest.raises(Offline):
        gate.engine.push()
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 3  # nothing marked acked without an answer
    gate.engine.push()
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 0
    assert server_events(server) == 3


def test_a_duplicated_request_is_stored_once(server, make_gate):
    gate = make_gate(server.site(), "Pintu Depan")
    gate.enter(NIKS[0])
    gate.transport.plan = ["duplicate"]
    gate.engine.push()
    assert server_events(server) == 1


def test_a_restored_backup_takes_a_new_epoch_and_loses_nothing(server, make_gate, tmp_path):
    gate = make_gate(server.site(), "Pintu Depan")
    gate.enter(NIKS[0])
    gate.sync()
    backup = tmp_path / "backup.sqlite"
    src, dst = sqlite3.connect(gate.home / "guardstation.sqlite"), sqlite3.connect(backup)
    src.backup(dst)  # a consistent copy, as a backup tool makes it
    src.close()
    dst.close()
    gate.enter(NIKS[1])
    gate.sync()  # these two events reach the server...
    gate.close()
    db_path = gate.home / "guardstation.sqlite"
    for suffix in ("-wal", "-shm"):
        (gate.home / f"guardstation.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copyfile(backup, db_path)  # ...then the disk is restored from the backup
    gate.ctx = open_station(gate.home, clock=gate.clock, gate_name=gate.name)
    gate.engine = gate.make_engine()
    gate.enter(NIKS[2])  # a new event reuses the seq the server has seen
    report = gate.sync()
    assert report.epoch_changes == 1
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 0
        ids = set(s.scalars(select(VisitEvent.event_id)))
    with server.db.read() as s:
        on_server = set(s.scalars(select(Event.event_id)))
    assert ids <= on_server and len(on_server) == 3  # every event once: before, lost locally, after


def test_a_refused_event_is_marked_and_does_not_block_the_queue(server, make_gate):
    gate = make_gate(server.site(), "Pintu Depan")
    with gate.ctx.db.transaction() as s:  # an event from a future version of the app
        append_event(s, load_station(s), kind="teleport", visit_id=new_id(), occurred_at=gate.clock(), body={})
    gate.enter(NIKS[1])
    report = gate.engine.push()
    assert report.pushed == 2 and report.rejected == 1
    with gate.ctx.db.read() as s:
        codes = dict(s.execute(select(Outbox.event_id, Outbox.reject_code)).all())
    assert sorted(codes.values()) == ["", "unknown_kind"]


def test_status_list_and_exposure_alert_reach_the_gate(server, make_gate, server_clock):
    site = server.site()
    gate = make_gate(site, "Pintu Depan")
    case = gate.enter(NIKS[0], "Kasus")
    contact = gate.enter(NIKS[1], "Kontak")
    server_clock.advance(minutes=40)
    gate.enter(NIKS[0], "Kasus")  # both leave
    gate.enter(NIKS[1], "Kontak")
    gate.sync()
    with server.db.write() as s:
        tracing.flag_positive(s, case.credential.subject_key, server_clock() - timedelta(days=1), server_clock())
    report = gate.sync()
    assert report.reference_changed and len(report.alerts) == 1
    with gate.ctx.db.read() as s:
        assert "kontak erat" in s.scalars(select(AlertRow)).one().body_json.lower()
    server_clock.advance(hours=1)
    again = gate.enter(NIKS[1], "Kontak")
    assert again.decision.colour is Colour.BLACK
    assert contact.credential.subject_key == again.credential.subject_key


def test_a_revoked_station_is_refused_and_keeps_its_queue(server, make_gate):
    gate = make_gate(server.site(), "Pintu Depan")
    gate.enter(NIKS[0])
    with gate.ctx.db.read() as s:
        station_id = sync_state(s) and gate.checkpoint.station_id
    with server.db.write() as s:
        service.revoke_station(s, station_id, server.clock())
    with pytest.raises(Refused) as refused:
        gate.engine.sync()
    assert refused.value.status == 401
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 1


class BadServer:
    def __init__(self, reply) -> None:
        self.reply = reply

    def request(self, method, path, **kw):
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    "reply",
    [
        Reply(500, {"error": "internal"}),
        Reply(200, {"acked_through": "all of them", "rejected": [], "server_time": "x", "server_hlc": "y"}),
        Reply(
            200, {"acked_through": 5, "rejected": [17], "server_time": "2026-11-23T08:00:00+07:00", "server_hlc": ""}
        ),
        Reply(200, {}),
        Reply(503, {}),
    ],
    ids=["500", "wrong-types", "bad-rejected", "empty", "503"],
)
def test_bad_server_replies_are_transient_errors_and_keep_the_queue(server, make_gate, reply):
    gate = make_gate(server.site(), "Pintu Depan")
    gate.enter(NIKS[0])
    gate.engine.transport = BadServer(reply)
    with pytest.raises(ServerTrouble):
        gate.engine.sync()
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 1


def test_a_bad_pulled_change_is_skipped_and_the_rest_applied(server, make_gate):
    site = server.site(capacity=12)
    gate = make_gate(site, "Pintu Depan")
    with server.db.write() as s:
        from guardstation.server import changelog

        changelog.append(
            s,
            [
                changelog.Change("rule_pack", "upsert", {"pack_id": "broken"}),
                changelog.Change("trust_key", "upsert", {"scheme": "gspass", "kid": "!!", "public_der": "not base64"}),
            ],
            server.clock(),
        )
    report = gate.sync()
    assert len(report.skipped) == 2
    assert gate.checkpoint.capacity == 12  # the good changes of the same pull are in
    assert gate.checkpoint.rule_pack(gate.clock()) is not None  # the bundled pack is still in force
    with gate.ctx.db.read() as s:
        assert sync_state(s).cursor > 0  # and the cursor moved past the bad ones


def test_enrolment_with_a_used_code_says_so(server, make_gate, tmp_path):
    from guardstation.station.server_link import enrol_station

    site = server.site()
    code = server.code(site)
    gate = make_gate(site, "Pintu Depan")
    other = open_station(tmp_path / "other", gate_name="Pintu Lain")
    try:
        enrol_station(other, URL, code, transport=server.transport())
        with pytest.raises(Refused) as refused:
            enrol_station(other, URL, code, transport=server.transport())
        assert refused.value.code == "code_used"
    finally:
        other.close()
    assert base64.b64decode(gate.ctx.secrets.get(DEPLOYMENT_SECRET))


def test_a_supervisor_correction_at_one_gate_reaches_the_other(server, make_gate, server_clock):
    from guardstation.station.supervisor_actions import Supervision
    from guardstation.store.models import Visit

    site = server.site()
    a, b = make_gate(site, "Pintu A"), make_gate(site, "Pintu B")
    visit = a.enter(NIKS[0], "Budi Santosa")
    server_clock.advance(minutes=30)
    Supervision(a.checkpoint).correct(
        visit.visit_id,
        display_name="Budi Santoso",
        purpose="Rapat Bappeda",
        host="Sekretariat",
        time_out=a.clock(),
        supervisor="Ibu Rina",
        reason="nama salah ketik; lupa catat keluar",
    )
    a.sync()
    b.sync()
    with b.ctx.db.read() as s:
        seen = s.get(Visit, visit.visit_id)
        assert (seen.display_name, seen.purpose, seen.status) == ("Budi Santoso", "Rapat Bappeda", "left")
        assert seen.correction_hlc is not None and seen.time_out is not None
    assert a.inside() == b.inside() == 0
