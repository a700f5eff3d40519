"""The export errors a person can act on: each carries its message in Indonesian and English.

Anything else raised while exporting is a bug and propagates unchanged (after the temporary
file has been removed).
"""

from __future__ import annotations

from guardstation.reports.catalogue import DEFAULT_LANG, tr


class ExportError(Exception):
    """An export that could not be written; `message(lang)` is meant for the guard or supervisor."""

    def __init__(self, key: str, **params) -> None:
        self.key = key
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(self.message("en"))

    @property
    def code(self) -> str:
        return self.key.removeprefix("err.")

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return tr(self.key, lang, **self.params)


class ExportCancelled(ExportError):
    """The cancel flag was set; nothing was written under the target name."""

    def __init__(self, *_reraised) -> None:
        # reportlab re-raises errors from page callbacks as type(exc)(message): accept and ignore it.
        super().__init__("err.cancelled")
