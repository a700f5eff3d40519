"""Small widget factories that set Qt properties through setters.

Passing Qt properties as constructor keywords (QLabel(wordWrap=True)) mis-counts
references to None/True in PySide6 6.12.0 and crashes later in garbage
collection; setters are safe in every version.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit


def application(argv: list[str] | None = None) -> QApplication:
    """The process's one QApplication, made on first need. A QApplication (not a QCoreApplication) even
    for models alone: in one process (tests, the self-test) the same instance must serve widgets too."""
    return QApplication.instance() or QApplication(argv if argv is not None else [])


def label(text: str = "", *, centered: bool = False, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if centered:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    widget.setWordWrap(wrap)
    return widget


def line_edit(placeholder: str, *, max_length: int = 200, clear_button: bool = False) -> QLineEdit:
    widget = QLineEdit()
    widget.setPlaceholderText(placeholder)
    widget.setMaxLength(max_length)
    widget.setClearButtonEnabled(clear_button)
    return widget


def timer(parent: QObject, interval_ms: int, slot: Callable[[], None], *, single_shot: bool = False) -> QTimer:
    widget = QTimer(parent)
    widget.setInterval(interval_ms)
    widget.setSingleShot(single_shot)
    widget.timeout.connect(slot)
    return widget
