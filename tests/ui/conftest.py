"""GUI fixtures of tests/ui (gui, translator, passes and pass_png are in tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def db_thread():
    """A started QThread standing in for the app's database thread."""
    from PySide6.QtCore import QThread

    thread = QThread()
    thread.start()
    yield thread
    thread.quit()
    thread.wait(5000)
