"""The GUI fixtures (gui, passes, translator) of tests/ui are used here too."""
from tests.ui.conftest import gui, pass_png, passes, translator  # noqa: F401
