"""Builds the one-folder bundle (dist/guardstation/) and runs its self-test.

    python packaging/build.py             compile translations, run PyInstaller, run the bundled
                                          `guardstation --self-test` in a fresh home (exit 1 if it fails)
    python packaging/build.py --measure   also print JSON: bundle_mb and startup_s (median time from
                                          starting the bundled exe to the main window shown)
    python packaging/build.py --no-build  self-test (and --measure) an existing bundle

Needs the `packaging` extra (PyInstaller): pip install -e ".[packaging]".
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / "guardstation"
QM_DIR = BUILD / "qm"
SPEC = ROOT / "packaging" / "guardstation.spec"
MARKER = "GUARDSTATION_WINDOW_SHOWN"


def say(message: str) -> None:
    print(f"build: {message}", file=sys.stderr, flush=True)


def compile_translations() -> list[Path]:
    """resources/i18n/*.ts -> build/qm/*.qm with Qt's lrelease (shipped in PySide6)."""
    QM_DIR.mkdir(parents=True, exist_ok=True)
    for old in QM_DIR.glob("*.qm"):
        old.unlink()
    out = []
    for ts in sorted((ROOT / "resources" / "i18n").glob("*.ts")):
        qm = QM_DIR / ts.with_suffix(".qm").name
        subprocess.run([sys.executable, "-c", "from PySide6.scripts.pyside_tool import lrelease; lrelease()",
                        "-silent", str(ts), "-qm", str(qm)], check=True, timeout=120)
        if not qm.exists() or qm.stat().st_size == 0:
            raise SystemExit(f"lrelease produced nothing for {ts}")
        out.append(qm)
    return out


def run_pyinstaller() -> None:
    env = {**os.environ, "GUARDSTATION_QM_DIR": str(QM_DIR)}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(SPEC)],
                   check=True, cwd=ROOT, env=env)


def strip_libpython() -> None:
    """libpython from a source-built Python carries ~18 MB of symbols; nothing in the bundle needs them.

    Only libpython: stripping the libraries inside wheels breaks some of them (auditwheel-patched ELF files).
    """
    if not sys.platform.startswith("linux") or shutil.which("strip") is None:
        return
    for lib in BUNDLE.rglob("libpython3*.so*"):
        if lib.is_file() and not lib.is_symlink():
            before = lib.stat().st_size
            subprocess.run(["strip", "--strip-unneeded", str(lib)], check=True)
            say(f"stripped {lib.name}: {before / 1e6:.1f} MB -> {lib.stat().st_size / 1e6:.1f} MB")


def executable(cli: bool = False) -> Path:
    if sys.platform == "win32":
        return BUNDLE / ("guardstation-cli.exe" if cli else "guardstation.exe")
    return BUNDLE / "guardstation"


def child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUARDSTATION_", "PYTHON"))}
    env["QT_QPA_PLATFORM"] = env.get("QT_QPA_PLATFORM") or "offscreen"
    env["GUARDSTATION_HOME"] = str(home)
    return env


def self_test() -> bool:
    with tempfile.TemporaryDirectory(prefix="guardstation-bundle-home-") as home:
        result = subprocess.run([str(executable(cli=True)), "--self-test", "--home", home],
                                env=child_env(Path(home)), capture_output=True, text=True, timeout=300)
        print(result.stdout, end="", flush=True)
        if result.returncode != 0:
            say(f"bundled self-test FAILED (exit {result.returncode})\n{result.stderr[-4000:]}")
            return False
    say("bundled self-test passed")
    return True


def bundle_mb() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 1e6, 1)


def startup_once(home: Path) -> float:
    started = time.monotonic()
    proc = subprocess.Popen([str(executable()), "--home", str(home), "--exit-when-shown"], env=child_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.startswith(MARKER):
                elapsed = time.monotonic() - started
                proc.wait(30)
                return elapsed
        raise RuntimeError(f"the bundle never showed its window (exit {proc.wait(30)})")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def measure(runs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="guardstation-measure-") as tmp:
        home = Path(tmp)
        # A station that has been through the first-run setup, with its database already created
        # (the first, unmeasured run): what a guard sees every morning.
        (home / "config.json").write_text(json.dumps({"configured": True, "camera": "0"}), "utf-8")
        startup_once(home)
        times = [startup_once(home) for _ in range(runs)]
    return {"bundle_mb": bundle_mb(), "startup_s": round(statistics.median(times), 2),
            "startup_runs_s": [round(t, 2) for t in times], "platform": sys.platform}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", action="store_true", help="print JSON with bundle_mb and startup_s")
    parser.add_argument("--runs", type=int, default=5, help="measured start-ups (median reported)")
    parser.add_argument("--no-build", action="store_true", help="use the existing dist/guardstation")
    args = parser.parse_args(argv)
    if not args.no_build:
        started = time.monotonic()
        qms = compile_translations()
        say(f"compiled {len(qms)} translation catalogue(s) into {QM_DIR}")
        if BUNDLE.exists():
            shutil.rmtree(BUNDLE)
        run_pyinstaller()
        strip_libpython()
        say(f"bundle built in {time.monotonic() - started:.0f} s: {BUNDLE} ({bundle_mb()} MB)")
    if not executable().exists():
        say(f"no bundle at {BUNDLE}")
        return 1
    if not self_test():
        return 1
    if args.measure:
        print(json.dumps(measure(args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
