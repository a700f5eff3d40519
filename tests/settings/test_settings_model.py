"""config.json as the station reads it: versions and their upgrades, field-by-field checks, the
damaged-settings report, and the one list of languages, decoders and gate modes."""

from __future__ import annotations

import json
from dataclasses import asdict, fields

import pytest

from guardstation.settings import upgrade as versions
from guardstation.settings.model import LAST_GOOD, Settings
from guardstation.settings.schema import Decoder, Enrolment, GateMode, Language

# The example from the issue: read as given before the checks existed.
MIXED = {"sound": "no", "rescan_cooldown_s": "3", "retention_visit_days": -5, "gate_mode": "sideways"}


def write(home, data) -> None:
    (home / "config.json").write_text(json.dumps(data), "utf-8")


def on_disk(home) -> dict:
    return json.loads((home / "config.json").read_text("utf-8"))


def files(home) -> list[str]:
    return sorted(p.name for p in home.iterdir())


def notice_for(settings: Settings, qapp) -> str:
    """The start-up notice the guard sees for these settings (English: no translator installed)."""
    from PySide6.QtWidgets import QWidget

    from guardstation.health.hardware_check import settings_file
    from guardstation.ui.hardware_notices import NoticeBar

    window = QWidget()  # not shown: the bar is a child, as above the feed, not a window of its own
    bar = NoticeBar(window)
    [text] = bar.show_findings([settings_file(settings.load_fallback, settings.damaged_copy, settings.reset_fields)])
    return text


# -- valid values kept, invalid ones reset and reported ------------------------------------------------


def test_a_file_with_some_bad_values_keeps_the_good_ones_and_names_the_rest(home, qapp):
    original = json.dumps({**MIXED, "language": "en", "camera": "2", "configured": True, "kiosk": True})
    (home / "config.json").write_text(original, "utf-8")

    settings = Settings.load(home)

    # What the guard set validly is in use; "3" seconds written as text is understood.
    assert (settings.language, settings.camera, settings.configured, settings.kiosk) == ("en", "2", True, True)
    assert settings.rescan_cooldown_s == 3.0
    # The rest is back at its default (no last good copy here), and named.
    assert (settings.sound, settings.gate_mode, settings.retention_visit_days) == (True, "auto", 30)
    assert set(settings.reset_fields) == {"sound", "gate_mode", "retention_visit_days"}
    assert settings.load_fallback == "defaults"
    for why in ("'no' is not true or false", "'sideways' is not one of auto, in, out", "-5 is below the minimum 14"):
        assert why in settings.load_problem
    # The file as the guard left it is kept; config.json now holds what is in use.
    [kept] = home.glob("config.json.damaged-*")
    assert kept.read_text("utf-8") == original
    assert on_disk(home)["gate_mode"] == "auto" and on_disk(home)["language"] == "en"
    assert on_disk(home)["schema_version"] == versions.SCHEMA_VERSION
    # The start-up notice says which fields were reset and where the file was kept.
    notice = notice_for(settings, qapp)
    assert str(kept) in notice and all(name in notice for name in settings.reset_fields)
    # Reported once: the next start is clean and makes no new copy.
    again = Settings.load(home)
    assert again == settings and again.load_problem == "" and again.load_fallback == ""
    assert len(list(home.glob("config.json.damaged-*"))) == 1


def test_a_refused_value_falls_back_to_the_last_good_one(home):
    """A hand-edited value that cannot be used must not undo what the guard set in the program, nor
    send a set-up station back to the first-run wizard."""
    Settings(gate_mode=GateMode.IN, sound=False, retention_visit_days=60, camera="1", configured=True).save(home)
    data = on_disk(home)
    data.update(gate_mode="sideways", configured="yes", camera="3")  # camera: a valid change
    write(home, data)

    settings = Settings.load(home)

    assert (settings.gate_mode, settings.configured, settings.camera) == ("in", True, "3")
    assert (settings.sound, settings.retention_visit_days) == (False, 60)
    assert settings.reset_fields == ("gate_mode", "configured")
    assert settings.load_fallback == "last_good"


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("sound", False, True),
        ("sound", 0, False),
        ("sound", "true", False),
        ("sound", None, False),
        ("kiosk", 1, False),
        ("configured", "false", False),
        ("rescan_cooldown_s", 0, True),
        ("rescan_cooldown_s", 1.5, True),
        ("rescan_cooldown_s", -1, False),
        ("rescan_cooldown_s", True, False),
        ("rescan_cooldown_s", "3", False),  # text is a number only in version 1
        ("rescan_cooldown_s", 1e9, False),
        ("retention_visit_days", 14, True),
        ("retention_visit_days", 13, False),
        ("retention_visit_days", 3650, True),
        ("retention_visit_days", 3651, False),
        ("retention_visit_days", 30.0, True),
        ("retention_visit_days", 30.5, False),
        ("retention_denied_days", 1, True),
        ("retention_denied_days", 0, False),
        ("retention_export_days", "x", False),
        ("overstay_hours", 0, True),
        ("overstay_hours", 6.5, True),
        ("overstay_hours", -2, False),
        ("decoder", "pyzbar", True),
        ("decoder", "ZXing", False),
        ("decoder", "zbar", False),
        ("language", "en", True),
        ("language", "fr", False),
        ("language", ["en"], False),
        ("gate_mode", "out", True),
        ("gate_mode", "IN", False),
        ("enrolment", "enrolled", True),
        ("enrolment", "maybe", False),
        ("camera", "rtsp://10.0.0.2/feed", True),
        ("camera", "", True),
        ("camera", 0, False),
        ("auto_checkout_at", "16:30", True),
        ("auto_checkout_at", "off", True),
        ("auto_checkout_at", "", True),
        ("auto_checkout_at", "25:00", False),
        ("auto_checkout_at", "sore", False),
        ("server_url", "https://sync.example.go.id", True),
        ("server_url", None, False),
        ("supervisor_pin_hash", 1234, False),
    ],
)
def test_each_field_is_checked_on_its_own(home, field, value, accepted):
    others = {"camera": "2", "configured": True, "language": "en"}
    write(home, {"schema_version": versions.SCHEMA_VERSION, **others, field: value})
    settings = Settings.load(home)
    if accepted:
        assert getattr(settings, field) == value and settings.reset_fields == () and settings.load_problem == ""
    else:
        assert getattr(settings, field) == getattr(Settings(), field) and settings.reset_fields == (field,)
        assert field in settings.load_problem and settings.load_fallback == "defaults"
    # The other fields are untouched either way.
    assert all(getattr(settings, name) == given for name, given in others.items() if name != field)


def test_checked_values_have_their_types(home):
    write(
        home,
        {
            "schema_version": versions.SCHEMA_VERSION,
            "language": "en",
            "decoder": "opencv",
            "gate_mode": "in",
            "enrolment": "pending",
            "rescan_cooldown_s": 2,
            "retention_visit_days": 20.0,
        },
    )
    settings = Settings.load(home)
    assert settings.language is Language.EN and settings.language.display_name == "English"
    assert (settings.decoder, settings.gate_mode, settings.enrolment) == (
        Decoder.OPENCV,
        GateMode.IN,
        Enrolment.PENDING,
    )
    assert f"{settings.language}" == "en"  # used in file names (translations)
    assert isinstance(settings.rescan_cooldown_s, float) and type(settings.retention_visit_days) is int


def test_a_file_that_is_not_settings_still_falls_back_as_a_whole_and_the_next_start_is_set_up(home):
    Settings(language="en", camera="2", configured=True).save(home)
    (home / "config.json").write_text('{"language": "en", "cam', "utf-8")
    first = Settings.load(home)
    assert (first.load_fallback, first.configured, first.reset_fields) == ("last_good", True, ())
    assert first.damaged_copy.startswith(str(home / "config.json.damaged-"))
    # The damaged file was moved aside; the settings in use were written back, so the next start does
    # not find an empty home and show the first-run wizard.
    second = Settings.load(home)
    assert (second.configured, second.camera, second.load_problem) == (True, "2", "")


# -- versions ------------------------------------------------------------------------------------------

TODAYS_FILE = {  # every field as the program wrote it before schema_version existed
    "language": "en",
    "decoder": "pyzbar",
    "camera": "1",
    "gate_mode": "in",
    "sound": False,
    "rescan_cooldown_s": 2.5,
    "configured": True,
    "kiosk": True,
    "supervisor_pin_hash": "$argon2id$v=19$x",
    "enrolment": "pending",
    "server_url": "https://sync.example.go.id",
    "auto_checkout_at": "16:00",
    "overstay_hours": 6,
    "retention_visit_days": 45,
    "retention_denied_days": 7,
    "retention_export_days": 10,
}


def test_a_version_1_file_loads_unchanged_and_is_saved_as_the_current_version(home):
    original = json.dumps(TODAYS_FILE, indent=2)
    (home / "config.json").write_text(original, "utf-8")

    settings = Settings.load(home)

    assert {k: v for k, v in asdict(settings).items()} == TODAYS_FILE
    assert settings.load_problem == "" and settings.load_fallback == ""  # nothing to tell the guard
    assert on_disk(home) == {"schema_version": versions.SCHEMA_VERSION, **TODAYS_FILE}
    assert (home / "config.json.v1").read_text("utf-8") == original  # the old file, for an older program
    assert Settings.load(home) == settings
    assert files(home) == ["config.json", "config.json.v1", LAST_GOOD]


def test_upgrade_1_to_2_keeps_what_version_1_readers_understood():
    upgraded = versions.upgrade_1_to_2(
        {
            "camera": 0,
            "decoder": " ZXing ",
            "rescan_cooldown_s": "3",
            "retention_visit_days": "30",
            "overstay_hours": "2.5",
            "retention_export_days": "lama",
            "sound": "no",
            "language": "en",
        }
    )
    assert upgraded == {
        "camera": "0",
        "decoder": "zxing",
        "rescan_cooldown_s": 3,
        "retention_visit_days": 30,
        "overstay_hours": 2.5,
        "retention_export_days": "lama",
        "sound": "no",
        "language": "en",
    }
    assert versions.upgrade_1_to_2({"camera": True})["camera"] is True  # not a webcam number


def test_numbers_written_as_text_are_understood_in_version_1_only(home):
    write(home, {"rescan_cooldown_s": "3", "decoder": "ZXing", "camera": 1})
    old = Settings.load(home)
    assert (old.rescan_cooldown_s, old.decoder, old.camera, old.reset_fields) == (3.0, "zxing", "1", ())
    write(home, {"schema_version": 2, "rescan_cooldown_s": "3"})
    assert Settings.load(home).reset_fields == ("rescan_cooldown_s",)  # version 2 is written by the program


def test_there_is_one_upgrade_for_every_version_step():
    assert sorted(versions.UPGRADES) == list(range(1, versions.SCHEMA_VERSION))


def test_upgrades_run_one_step_at_a_time_in_order_up_to_the_current_version(home, monkeypatch):
    seen = []

    def upgrade_2_to_3(data):  # a made-up next version: the camera becomes a list of cameras
        seen.append(data["schema_version"])
        data = dict(data)
        data["cameras"] = [data.pop("camera")]
        return data

    monkeypatch.setattr(versions, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(versions.UPGRADES, 2, upgrade_2_to_3)
    assert versions.upgrade({"camera": 0}, 1) == {"cameras": ["0"], "schema_version": 3}
    assert seen == [2]  # step 2 saw the output of step 1 (camera already text)
    assert versions.upgrade({"schema_version": 3, "cameras": ["1"]}, 3) == {"schema_version": 3, "cameras": ["1"]}

    write(home, {"camera": 4, "configured": True})
    Settings.load(home)
    assert on_disk(home)["schema_version"] == 3


@pytest.mark.parametrize("version", ["2", 0, -1, 1.5, True, None])
def test_an_unusable_schema_version_is_read_as_version_1_and_reported(home, version):
    write(home, {"schema_version": version, "camera": "2", "configured": True})
    settings = Settings.load(home)
    assert (settings.camera, settings.configured) == ("2", True)
    assert settings.reset_fields == ("schema_version",) and "schema_version" in settings.load_problem
    assert on_disk(home)["schema_version"] == versions.SCHEMA_VERSION


def test_a_file_from_a_newer_version_is_used_as_far_as_understood_and_not_destroyed(home, qapp):
    newer = {
        "schema_version": versions.SCHEMA_VERSION + 5,
        "language": "en",
        "camera": "1",
        "configured": True,
        "decoder": "zbar2",
        "cameras": [{"index": 1, "role": "in"}],
    }
    text = json.dumps(newer)
    (home / "config.json").write_text(text, "utf-8")

    settings = Settings.load(home)

    assert (settings.language, settings.camera, settings.configured) == ("en", "1", True)
    assert settings.decoder == "zxing" and settings.reset_fields == ("decoder",)  # not known here
    assert "newer" in settings.load_problem and "cameras" in settings.load_problem
    assert "decoder" in notice_for(settings, qapp)
    # Loading never rewrites it, nor piles up copies.
    assert (home / "config.json").read_text("utf-8") == text
    assert files(home) == ["config.json"]
    # A later save (e.g. the gate mode changed on the main window) changes only that setting.
    settings.gate_mode = GateMode.OUT.value
    settings.save(home)
    assert on_disk(home) == {**newer, "gate_mode": "out"}


def test_a_newer_file_without_bad_values_shows_no_damage_notice(home):
    write(home, {"schema_version": versions.SCHEMA_VERSION + 1, "camera": "2", "configured": True, "zoom": 2})
    settings = Settings.load(home)
    assert (settings.camera, settings.configured) == ("2", True)
    assert settings.load_fallback == "" and "newer" in settings.load_problem


# -- saving --------------------------------------------------------------------------------------------


def test_settings_survive_a_save_and_load(home):
    chosen = Settings(
        language=Language.EN,
        decoder=Decoder.OPENCV,
        camera="/media/cards",
        gate_mode=GateMode.OUT,
        sound=False,
        rescan_cooldown_s=1.5,
        configured=True,
        kiosk=True,
        supervisor_pin_hash="$argon2id$v=19$abc",
        enrolment=Enrolment.ENROLLED,
        server_url="https://sync.example.go.id",
        auto_checkout_at="off",
        overstay_hours=4.0,
        retention_visit_days=14,
        retention_denied_days=1,
        retention_export_days=3650,
    )
    assert {f.name: getattr(chosen, f.name) for f in fields(chosen)} != asdict(Settings())
    chosen.save(home)
    loaded = Settings.load(home)
    assert loaded == chosen and loaded.load_problem == ""
    # The file holds the same plain strings as before the enums.
    assert {k: on_disk(home)[k] for k in ("language", "decoder", "gate_mode", "enrolment")} == {
        "language": "en",
        "decoder": "opencv",
        "gate_mode": "out",
        "enrolment": "enrolled",
    }
    assert loaded.gate_mode == "out" and loaded.enrolment == "enrolled"  # as the rest of the program compares
    assert files(home) == ["config.json", LAST_GOOD]


def test_plain_strings_set_by_the_program_are_saved(home):
    settings = Settings()
    settings.gate_mode, settings.language, settings.enrolment = "in", "en", "pending"  # as other modules set them
    settings.save(home)
    assert Settings.load(home) == Settings(gate_mode=GateMode.IN, language=Language.EN, enrolment=Enrolment.PENDING)


# -- one definition of each list -----------------------------------------------------------------------


def _choices(option: str) -> tuple:
    from guardstation.app import build_parser

    return tuple(build_parser()._option_string_actions[option].choices)


def test_the_wizard_and_the_command_line_offer_the_same_languages(qapp):
    from guardstation.domain import reasons
    from guardstation.domain.language import LANGUAGES
    from guardstation.reports import catalogue
    from guardstation.ui.setup_wizard import LanguagePage

    page = LanguagePage()
    assert tuple(page.buttons) == _choices("--lang") == LANGUAGES == ("id", "en")
    assert [b.text() for b in page.buttons.values()] == ["Bahasa Indonesia", "English"]
    assert catalogue.LANGS is LANGUAGES and reasons.LANGUAGES is LANGUAGES


def test_decoder_and_gate_mode_choices_come_from_the_enums():
    from guardstation.scanner import DECODER_NAMES

    assert _choices("--decoder") == tuple(d.value for d in Decoder) == DECODER_NAMES
    assert _choices("--gate-mode") == tuple(m.value for m in GateMode) == ("auto", "in", "out")


def test_retention_bounds_are_those_the_purge_and_its_dialog_use(home):
    from guardstation.settings import schema
    from guardstation.station import retention

    assert (schema.MIN_VISIT_DAYS, schema.MIN_DAYS, schema.MAX_DAYS) == (
        retention.MIN_VISIT_DAYS,
        retention.MIN_DAYS,
        retention.MAX_DAYS,
    )
    # A file the checks accept is obeyed by the purge as it is (not clamped).
    write(
        home,
        {
            "schema_version": versions.SCHEMA_VERSION,
            "retention_visit_days": schema.MIN_VISIT_DAYS,
            "retention_denied_days": schema.MIN_DAYS,
            "retention_export_days": schema.MAX_DAYS,
        },
    )
    policy = retention.RetentionPolicy.from_settings(Settings.load(home))
    assert (policy.visit_days, policy.denied_days, policy.export_days) == (14, 1, 3650) and not policy.problems()
