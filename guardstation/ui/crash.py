"""Unexpected errors: logged with their traceback and shown in a dialog that names the log folder.

Hooks sys.excepthook (errors on the GUI thread, including in Qt slots), threading.excepthook
(worker threads) and Qt's message handler (a fatal Qt message is logged before Qt aborts).
Nothing is swallowed: the traceback goes to the log and to stderr through the previous hook,
and the app keeps running; every scan is already committed when its verdict shows, so the
current shift's data is on disk whatever happens next.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger("guardstation.crash")


def _flush_logs() -> None:
    for handler in logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # pragma: no cover - a broken handler must not hide the error
            pass


class CrashReporter(QObject):
    report = Signal(str)  # traceback text; emitted from any thread, handled on the GUI thread

    def __init__(self, log_dir: Path | None, parent_window: QWidget | None = None) -> None:
        super().__init__()
        self.log_dir = log_dir
        self.parent_window = parent_window
        self.box: QMessageBox | None = None
        self.count = 0
        self._previous = None
        self.report.connect(self.show_dialog)

    # -- installing ----------------------------------------------------------------------------
    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._previous_qt = qInstallMessageHandler(self.qt_message)

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            qInstallMessageHandler(self._previous_qt)
            self._previous = None

    # -- the hooks -----------------------------------------------------------------------------
    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("unexpected error on the GUI thread\n%s", text)
        _flush_logs()
        previous = self._previous[0] if self._previous else None
        if previous not in (None, self.excepthook):
            previous(exc_type, exc, tb)  # stderr (or whatever was there before) sees it too
        self.report.emit(text)

    def thread_excepthook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        text = f"thread {name}:\n" + "".join(
            traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        )
        log.critical("unexpected error in a worker thread\n%s", text)
        _flush_logs()
        self.report.emit(text)  # queued to the GUI thread: no worker touches a widget

    def qt_message(self, mode, context, message) -> None:
        where = f" ({context.file}:{context.line})" if context is not None and context.file else ""
        if mode == QtMsgType.QtFatalMsg:
            log.critical("Qt fatal error%s: %s", where, message)
            _flush_logs()  # Qt aborts after this returns
        elif mode == QtMsgType.QtCriticalMsg:
            log.error("Qt%s: %s", where, message)
        elif mode == QtMsgType.QtWarningMsg:
            log.warning("Qt%s: %s", where, message)
        else:
            log.debug("Qt%s: %s", where, message)

    # -- the dialog ----------------------------------------------------------------------------
    def show_dialog(self, details: str) -> None:
        self.count += 1
        where = str(self.log_dir) if self.log_dir else "?"
        text = self.tr(
            "Something unexpected went wrong. GuardStation keeps running, and every scan shown "
            "so far is saved.\n\nPlease tell the technician. Log folder: %1"
        ).replace("%1", where)
        if self.box is not None and self.box.isVisible():
            # One dialog at a time: a repeating error must not bury the guard's screen in windows.
            self.box.setText(text + "\n" + self.tr("(%n errors)", "", self.count))
            self.box.setDetailedText(details)
            return
        self.count = 1
        self.box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Unexpected error"),
            text,
            QMessageBox.StandardButton.NoButton,
            self.parent_window,
        )
        self.box.addButton(self.tr("Close"), QMessageBox.ButtonRole.AcceptRole)
        self.box.setDetailedText(details)
        self.box.open()  # never blocks: the gate keeps working behind it
