"""The status list outranks any certificate, and stale verification data follows the site policy."""

from __future__ import annotations

import json
from datetime import timedelta

from guardstation.domain.subject import identity_from_name
from guardstation.domain.verdict_types import Action, Colour
from guardstation.store import reference
from guardstation.store.models import SiteConfig
from tests.helpers.passes import sample_dcc, sample_shc


def trust(station, *keys):
    with station.db.transaction() as session:
        for key in keys:
            reference.put_trusted_key(session, key, now=station.checkpoint.now())
    station.checkpoint.reload_reference()


def flag(station, identity, status, clock):
    with station.db.transaction() as session:
        reference.put_status(
            session,
            station.checkpoint.subject_key_for(identity),
            status,
            clock() - timedelta(days=1),
            clock() + timedelta(days=13),
        )


def test_dcc_holder_flagged_positive_is_black_whatever_the_certificate_says(station, clock):
    sample = sample_dcc(clock())
    trust(station, sample.key)
    assert station.checkpoint.scan(sample.text).decision.colour is Colour.GREEN
    station.checkpoint.scan(sample.text)  # check out again
    flag(station, identity_from_name("SITI NURHALIZA", "1985-04-12"), "positive", clock)
    outcome = station.checkpoint.scan(sample.text)
    assert (outcome.decision.colour, outcome.decision.action) == (Colour.BLACK, Action.DENY)
    assert outcome.decision.reason.text("id") == "Positif COVID-19"


def test_shc_holder_marked_close_contact_is_black(station, clock):
    sample = sample_shc(clock())
    trust(station, sample.key)
    flag(station, identity_from_name("Budi Santoso", "1980-08-17"), "close_contact", clock)
    outcome = station.checkpoint.scan(sample.text)
    assert outcome.decision.colour is Colour.BLACK
    assert outcome.decision.reason.text("id") == "Kontak erat"


def set_policy(station, policy):
    with station.db.transaction() as session:
        session.get(SiteConfig, reference.get_site(session).site_id).policy_json = json.dumps({"freshness": policy})
    station.checkpoint.reload_reference()


def test_stale_status_list_fails_closed_when_the_site_says_deny(station, clock):
    sample = sample_dcc(clock())
    trust(station, sample.key)
    with station.db.transaction() as session:
        reference.mark_fresh(session, "status_entry", clock() - timedelta(hours=30), "sync")
    set_policy(station, {"max_age_hours": {"status_entry": 24}, "on_stale": "deny"})
    outcome = station.checkpoint.scan(sample.text)
    assert (outcome.decision.colour, outcome.decision.action) == (Colour.RED, Action.DENY)
    assert outcome.decision.reason.text("en") == "Verification data out of date: status_entry"


def test_stale_status_list_fails_open_with_a_warning(station, clock):
    sample = sample_dcc(clock())
    trust(station, sample.key)
    set_policy(station, {"max_age_hours": {"status_entry": 24}, "on_stale": "warn"})  # never refreshed at all
    outcome = station.checkpoint.scan(sample.text)
    assert (outcome.decision.colour, outcome.decision.action) == (Colour.GREEN, Action.CHECK_IN)
    assert [w.code for w in outcome.decision.warnings] == ["stale_data"]


def test_fresh_data_and_a_broken_policy_change_nothing(station, clock):
    sample = sample_dcc(clock())
    trust(station, sample.key)
    with station.db.transaction() as session:
        reference.mark_fresh(session, "status_entry", clock() - timedelta(hours=1), "sync")
    set_policy(station, {"max_age_hours": {"status_entry": 24, "bogus": "x"}, "on_stale": "explode"})
    outcome = station.checkpoint.scan(sample.text)
    assert outcome.decision.colour is Colour.GREEN and outcome.decision.warnings == ()


def test_guard_sees_data_age_and_staleness(gui, station, clock):
    set_policy(station, {"max_age_hours": {"status_entry": 24}, "on_stale": "deny"})
    window = gui().window
    text = window.freshness.text()
    assert "Umur data:" in text and "daftar status" in text and "⚠" in text
    assert window.freshness.stale == ("status_entry",)
    assert "DITOLAK" in window.freshness.toolTip()


def test_data_age_timer_runs_only_while_shown_and_survives_a_lost_database(gui, station, monkeypatch):
    from sqlalchemy.exc import OperationalError

    window = gui().window
    label = window.freshness
    assert label._timer.isActive()
    window.close()
    assert not label._timer.isActive()  # a closed window no longer reads the database

    def gone():
        raise OperationalError("SELECT", {}, Exception("unable to open database file"))

    monkeypatch.setattr(station.checkpoint, "freshness", gone)
    label.refresh()
    assert label.text() == "Umur data: tidak diketahui"
