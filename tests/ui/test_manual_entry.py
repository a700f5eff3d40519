"""Manual entry: the NIK check says which part is wrong; a good entry is recorded and masked."""

from __future__ import annotations

import pytest

from guardstation.domain.verdict_types import Action, Colour


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("3513", "kurang 12 digit"),
        ("9913011708800008", "Kode wilayah 9913 tidak dikenal"),
        ("3513013202900001", "Tanggal lahir 320290 tidak mungkin"),
        ("35130117088000089", "NIK harus 16 digit"),
        ("35130117088O0008", "hanya boleh berisi angka"),
    ],
)
def test_nik_feedback_names_the_wrong_part(gui, qtbot, typed, expected):
    panel = gui().window.manual_panel
    panel.name.setText("Budi")
    qtbot.keyClicks(panel.nik, typed)
    assert expected in panel.nik_status.text()
    assert not panel.submit.isEnabled()


def test_valid_manual_entry_is_recorded_with_masked_nik(gui, qtbot, station):
    window = gui().window
    panel = window.manual_panel
    qtbot.keyClicks(panel.nik, "3513 0151 0890 0009")
    assert "PROBOLINGGO" in panel.nik_status.text() and "perempuan" in panel.nik_status.text()
    assert not panel.submit.isEnabled()  # no name yet
    qtbot.keyClicks(panel.name, "Siti Rahmawati")
    qtbot.keyClicks(panel.purpose, "Layanan KTP")
    qtbot.keyClicks(panel.host, "Dispendukcapil")
    assert panel.submit.isEnabled()
    with qtbot.waitSignal(window.verdict_shown, timeout=5000) as shown:
        panel.submit.click()
    outcome = shown.args[0]
    assert (outcome.decision.colour, outcome.decision.action) == (Colour.YELLOW, Action.CHECK_IN)
    assert window.banner.reason.text() == "Entri manual — periksa KTP dan kartu vaksin"
    row = [window.inside_model.data(window.inside_model.index(0, c)) for c in range(5)]
    assert row[1:] == ["Siti Rahmawati", "3513********0009", "Layanan KTP", "Dispendukcapil"]
    assert panel.nik.text() == ""  # cleared for the next person
    # Neither the screen nor the database holds the full NIK.
    raw = station.db.path.read_bytes() + station.db.path.with_name(station.db.path.name + "-wal").read_bytes()
    assert b"3513015108900009" not in raw
