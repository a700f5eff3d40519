"""A cancelled export, a bad path or a full disk leaves nothing under the target name, and no temp file."""

from __future__ import annotations

import errno
import threading

import pytest

from guardstation.reports import ExportCancelled, ExportError, output, shift, xlsx
from guardstation.reports.pdf import ReportTemplate

ALL = [
    ("shift", "csv"),
    ("shift", "xlsx"),
    ("shift", "pdf"),
    ("monitoring", "pdf"),
    ("monitoring", "xlsx"),
    ("evacuation", "pdf"),
    ("exposure", "csv"),
]


def files_in(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def request_fields(kind: str, gate_day) -> dict:
    return {"subject_key": gate_day.keys["Budi Santoso"]} if kind == "exposure" else {}


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "other.txt").write_text("someone else's file")
    return folder


@pytest.mark.parametrize("kind,fmt", ALL)
def test_cancel_before_the_end_leaves_nothing(gate_day, export, day_period, out_dir, kind, fmt):
    cancel = threading.Event()
    cancel.set()
    target = out_dir / f"report.{fmt}"
    with pytest.raises(ExportCancelled) as caught:
        export(
            kind,
            fmt,
            target,
            None if kind == "evacuation" else day_period,
            cancel=cancel,
            **request_fields(kind, gate_day),
        )
    assert files_in(out_dir) == ["other.txt"]
    assert caught.value.message("id") == "Ekspor dibatalkan; tidak ada berkas yang ditulis."
    assert caught.value.message("en") == "Export cancelled; no file was written."


def test_cancel_from_the_progress_callback_mid_export(gate_day, export, day_period, out_dir, monkeypatch, station):
    """The GUI's cancel button sets the flag while rows stream: the export stops at the next check."""
    original = output.Ticker.__init__
    monkeypatch.setattr(
        output.Ticker,
        "__init__",
        lambda self, total, progress=None, cancel=None, every=1000: original(self, total, progress, cancel, every=2),
    )
    cancel = threading.Event()
    seen = []

    def progress(done, total):
        seen.append(done)
        if done >= 4:
            cancel.set()

    for fmt in ("csv", "xlsx", "pdf"):
        seen.clear()
        cancel.clear()
        with pytest.raises(ExportCancelled):
            export("shift", fmt, out_dir / f"log.{fmt}", day_period, progress=progress, cancel=cancel)
        assert seen == [0, 2, 4], fmt  # it stopped at the first check after the flag was set
    assert files_in(out_dir) == ["other.txt"]
    with station.db.read() as session:  # nothing recorded as exported
        from sqlalchemy import select

        from guardstation.store.models import AuditLog

        assert session.scalars(select(AuditLog).where(AuditLog.action == "export")).all() == []


def test_bad_paths_give_clear_messages(gate_day, export, day_period, tmp_path):
    missing = tmp_path / "no-such-folder" / "log.csv"
    with pytest.raises(ExportError) as caught:
        export("shift", "csv", missing, day_period)
    assert caught.value.code == "no_folder"
    assert caught.value.message("id") == f"Folder {missing.parent} tidak ada. Pilih folder yang ada."
    assert caught.value.message("en") == f"Folder {missing.parent} does not exist. Choose an existing folder."
    assert not missing.parent.exists()

    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    with pytest.raises(ExportError) as caught:
        export("shift", "xlsx", a_file / "log.xlsx", day_period)
    assert caught.value.code == "not_a_folder"

    folder = tmp_path / "log.pdf"
    folder.mkdir()
    with pytest.raises(ExportError) as caught:
        export("shift", "pdf", folder, day_period)
    assert caught.value.code == "is_folder"
    assert files_in(tmp_path) == ["home", "log.pdf", "notes.txt"]
    assert list(folder.iterdir()) == []


class FullDisk:
    """Stands in for the csv module: writes a few rows, then the disk is full."""

    def __init__(self, rows_before_full: int) -> None:
        self.left = rows_before_full

    def writer(self, handle, **kw):
        import csv

        real = csv.writer(handle, **kw)
        outer = self

        class Writer:
            def writerow(self, row):
                if outer.left <= 0:
                    raise OSError(errno.ENOSPC, "No space left on device")
                outer.left -= 1
                real.writerow(row)
                handle.flush()  # the partial file really is on disk

        return Writer()


def test_full_disk_csv(gate_day, export, day_period, out_dir, monkeypatch):
    target = out_dir / "log.csv"
    target.write_text("yesterday's export")
    monkeypatch.setattr(shift, "csv", FullDisk(3))
    with pytest.raises(ExportError) as caught:
        export("shift", "csv", target, day_period)
    assert caught.value.code == "disk_full"
    assert caught.value.message("id").startswith("Disk penuh: ekspor dihentikan dan tidak ada berkas yang ditulis")
    assert caught.value.message("en").startswith("Disk full: the export stopped and nothing was written")
    assert target.read_text() == "yesterday's export"  # the old file is untouched
    assert files_in(out_dir) == ["log.csv", "other.txt"]


def test_full_disk_xlsx(gate_day, export, day_period, out_dir, monkeypatch):
    real_flush = xlsx.Sheet._flush

    def flush_then_full(self):
        real_flush(self)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx.Sheet, "_flush", flush_then_full)
    with pytest.raises(ExportError) as caught:
        export("shift", "xlsx", out_dir / "log.xlsx", day_period)
    assert caught.value.code == "disk_full"
    assert files_in(out_dir) == ["other.txt"]


def test_full_disk_pdf(gate_day, export, day_period, out_dir, monkeypatch):
    def half_written(self, story):
        with open(self.filename, "wb") as handle:
            handle.write(b"%PDF-1.4\n% half a report")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ReportTemplate, "build_story", half_written)
    for kind in ("shift", "evacuation"):
        with pytest.raises(ExportError) as caught:
            export(kind, "pdf", out_dir / f"{kind}.pdf", None if kind == "evacuation" else day_period)
        assert caught.value.code == "disk_full"
    assert files_in(out_dir) == ["other.txt"]


def test_no_permission_and_file_in_use(gate_day, export, day_period, out_dir, monkeypatch):
    import os
    import tempfile

    def refuse(*a, **kw):
        raise PermissionError(errno.EACCES, "Permission denied")

    with monkeypatch.context() as m:
        m.setattr(tempfile, "mkstemp", refuse)
        with pytest.raises(ExportError) as caught:
            export("shift", "csv", out_dir / "log.csv", day_period)
    assert caught.value.code == "no_permission"
    assert caught.value.message("en") == f"Not allowed to write to {out_dir}. Choose another folder."

    target = out_dir / "log.xlsx"
    target.write_bytes(b"open in Excel")
    with monkeypatch.context() as m:
        m.setattr(os, "replace", refuse)  # Windows refuses to replace a file another program holds open
        with pytest.raises(ExportError) as caught:
            export("shift", "xlsx", target, day_period)
    assert caught.value.code == "in_use"
    assert "Excel" in caught.value.message("id")
    assert target.read_bytes() == b"open in Excel"
    assert files_in(out_dir) == ["log.xlsx", "other.txt"]


def test_a_bug_in_a_writer_propagates_and_cleans_up(gate_day, export, day_period, out_dir, monkeypatch):
    def broken(self, row, *, excel):
        raise KeyError("a bug, not a user error")

    monkeypatch.setattr(shift.LogFormatter, "cells", broken)
    with pytest.raises(KeyError):
        export("shift", "xlsx", out_dir / "log.xlsx", day_period)
    assert files_in(out_dir) == ["other.txt"]


def test_overwrites_only_when_complete(gate_day, export, day_period, out_dir):
    target = out_dir / "log.csv"
    target.write_text("old")
    result = export("shift", "csv", target, day_period)
    assert result.path == target and target.read_text(encoding="utf-8-sig").startswith('"Waktu masuk')
    assert files_in(out_dir) == ["log.csv", "other.txt"]
