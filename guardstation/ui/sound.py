"""Verdict sounds, played without blocking and without Qt Multimedia.

Qt's multimedia module is not in PySide6-Essentials and would add ~200 MB
to the bundle for six short WAVs; the OS players do the job: winsound on
Windows (stdlib), PipeWire/PulseAudio/ALSA command-line players on Linux.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from guardstation.resources import resource

log = logging.getLogger(__name__)

CUES = ("green", "yellow", "red", "black", "full", "out")
_LINUX_PLAYERS = (("pw-play", []), ("paplay", []), ("aplay", ["-q"]))


class SoundPlayer:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []  # what was asked for, newest last (the UI tests read it)
        self._files = {cue: resource("sounds", f"{cue}.wav") for cue in CUES}
        self._command = self._find_linux_player() if sys.platform.startswith("linux") else None
        self._warned = False

    @staticmethod
    def _find_linux_player() -> list[str] | None:
        for name, extra in _LINUX_PLAYERS:
            path = shutil.which(name)
            if path:
                return [path, *extra]
        return None

    @property
    def available(self) -> bool:
        return sys.platform == "win32" or self._command is not None

    def play(self, cue: str) -> None:
        if cue not in self._files:
            raise ValueError(f"unknown sound cue {cue!r}")
        self.played.append(cue)
        del self.played[:-50]
        if not self.enabled:
            return
        path = self._files[cue]
        try:
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
            elif self._command:
                subprocess.Popen(
                    [*self._command, str(path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            elif not self._warned:
                self._warned = True
                log.warning("no audio player found (pw-play, paplay or aplay); verdicts will be silent")
        except OSError as exc:  # a broken audio device must never disturb the scan
            log.warning("sound %s not played: %s", cue, exc)

    def path(self, cue: str) -> Path:
        return self._files[cue]
