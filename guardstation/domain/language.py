"""The languages GuardStation speaks: the one list the settings, the command line, the setup wizard,
the verdict reasons and the report catalogue all read.

Text tables elsewhere hold one entry per language in the order of `LANGUAGES` (Indonesian first).
"""

from __future__ import annotations

from enum import StrEnum


class Language(StrEnum):
    """A language code as stored in config.json; `display_name` is how the language names itself."""

    ID = "id", "Bahasa Indonesia"
    EN = "en", "English"

    def __new__(cls, code: str, display_name: str) -> Language:
        member = str.__new__(cls, code)
        member._value_ = code
        member.display_name = display_name
        return member


LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)  # plain codes: ("id", "en")
DEFAULT_LANGUAGE = Language.ID
