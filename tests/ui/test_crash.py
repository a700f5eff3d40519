"""An unexpected error: logged with its traceback, shown in a non-blocking dialog naming the log folder."""

from __future__ import annotations

import logging
import sys
import threading

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def reporter(qtbot, tmp_path):
    from guardstation.ui.crash import CrashReporter

    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    crash = CrashReporter(log_dir)
    previous = (sys.excepthook, threading.excepthook)
    crash.install()
    yield crash
    crash.uninstall()
    assert (sys.excepthook, threading.excepthook) == previous
    if crash.box is not None:
        crash.box.close()


def _raise(exc):
    try:
        raise exc
    except type(exc):
        return sys.exc_info()


# pytest-qt's own exception capture would be the "previous hook" and fail the test: off for these.
@pytest.mark.qt_no_exception_capture
def test_gui_thread_error_is_logged_and_shown_with_the_log_folder(reporter, qtbot, caplog, capsys):
    with caplog.at_level(logging.CRITICAL, logger="guardstation.crash"):
        sys.excepthook(*_raise(ZeroDivisionError("boom in a slot")))
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible(), timeout=2000)
    box = reporter.box
    assert str(reporter.log_dir) in box.text()
    assert "ZeroDivisionError: boom in a slot" in box.detailedText()
    assert not box.isModal() or box.windowModality().name != "ApplicationModal"  # open(), not exec()
    assert "boom in a slot" in caplog.text  # the log has the traceback
    assert "ZeroDivisionError" in capsys.readouterr().err  # and the previous hook still saw it


def test_worker_thread_error_reaches_the_gui_thread(reporter, qtbot, caplog):
    def work():
        raise RuntimeError("camera driver exploded")

    with caplog.at_level(logging.CRITICAL, logger="guardstation.crash"):
        thread = threading.Thread(target=work, name="guardstation-test-worker")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible(), timeout=2000)
    assert "camera driver exploded" in reporter.box.detailedText()
    assert "guardstation-test-worker" in caplog.text


@pytest.mark.qt_no_exception_capture
def test_repeated_errors_reuse_one_dialog(reporter, qtbot):
    for i in range(3):
        sys.excepthook(*_raise(ValueError(f"again {i}")))
    qtbot.waitUntil(lambda: reporter.count == 3, timeout=2000)
    assert "(3 errors)" in reporter.box.text()
    assert (
        len(
            [
                w
                for w in qtbot._request.getfixturevalue("qapp").topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()
            ]
        )
        == 1
    )


def test_qt_messages_go_to_the_log(reporter, caplog):
    from PySide6.QtCore import qWarning

    with caplog.at_level(logging.WARNING, logger="guardstation.crash"):
        qWarning("a Qt warning for the log")
    assert "a Qt warning for the log" in caplog.text
