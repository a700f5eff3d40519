"""Child processes in tests: the environment they get, and a station process driven over stdin/stdout.

serve_process (the central server under uvicorn on a free loopback port) is bench/sync.py's, shared
with the sync benchmark.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.sync import serve_process
from tests.helpers.paths import REPO_ROOT

__all__ = ["STATION_SCRIPT", "Shown", "StationProcess", "child_env", "serve_process"]

STATION_SCRIPT = Path(__file__).with_name("station_process.py")


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a child that opens a station: keys in the file keyring of its home
    (the same keys a test in this process reads with GUARDSTATION_KEYRING=file), no display, unbuffered."""
    return {
        **os.environ,
        "GUARDSTATION_KEYRING": "file",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


class ProcessFailure(AssertionError):
    pass


@dataclass
class Shown:
    gate: str
    visit_id: str
    action: str
    nik: str


@dataclass
class StationProcess:
    """One station process (tests/helpers/station_process.py): commands on stdin, replies read by a thread
    (so a killed process never blocks the test)."""

    gate: str
    home: Path
    url: str
    env: dict[str, str]
    shown: list[Shown] = field(default_factory=list)
    proc: subprocess.Popen | None = None
    station_id: str = ""
    site_id: str = ""
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    starts: int = 0
    _reader: threading.Thread | None = None

    def start(self, code: str | None = None) -> None:
        cmd = [
            sys.executable,
            str(STATION_SCRIPT),
            "--home",
            str(self.home),
            "--gate",
            self.gate,
            "--server",
            self.url,
            "--interval",
            "1.0",
        ]
        if code:
            cmd += ["--code", code]
        self.starts += 1
        with open(self.home.parent / f"{self.home.name}.stderr.{self.starts}", "w") as stderr:
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env=self.env,
                bufsize=1,
                cwd=REPO_ROOT,
            )
        self.lines = queue.Queue()
        self._reader = threading.Thread(target=self._read, args=(self.proc, self.lines), daemon=True)
        self._reader.start()

    def _read(self, proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("SHOWN "):
                _, visit_id, action, nik = line.split(" ")
                self.shown.append(Shown(self.gate, visit_id, action, nik))
            lines.put(line)
        lines.put(None)

    def expect(self, *prefixes: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise ProcessFailure(
                    f"{self.gate}: no {'/'.join(prefixes)} reply within {timeout} s; stderr: {self.stderr_tail()}"
                ) from None
            if line is None:
                raise ProcessFailure(
                    f"{self.gate}: the station process ended (rc={self.proc.wait()}); stderr: {self.stderr_tail()}"
                )
            if line.startswith(prefixes):
                return line

    def ready(self, timeout: float = 60.0) -> None:
        _, _pid, self.station_id, self.site_id = self.expect("READY", timeout=timeout).split(" ")

    def do(self, command: str, timeout: float = 30.0) -> str:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.expect("SHOWN", "NOOP", "STATUS", "BYE", timeout=timeout)

    def status(self) -> dict:
        return json.loads(self.do("status").split(" ", 1)[1])

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._close_pipes()

    def quit(self) -> None:
        reply = self.do("quit", timeout=60)
        if reply != "BYE stopped":
            raise ProcessFailure(f"{self.gate}: {reply}")
        self.proc.wait(30)
        self._close_pipes()

    def stop(self) -> None:
        """Whatever state it is in: killed if still running, pipes closed."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)
            self._close_pipes()

    def _close_pipes(self) -> None:
        if self._reader is not None:
            self._reader.join(10)  # EOF once the process is gone
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:  # stdin of a killed process: the flush hits a broken pipe
                pass

    def stderr_tail(self) -> str:
        path = self.home.parent / f"{self.home.name}.stderr.{self.starts}"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    @property
    def db_path(self) -> Path:
        return self.home / "guardstation.sqlite"
