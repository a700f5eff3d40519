"""Builds the one-folder bundle (dist/guardstation/) and runs its self-test.

    python packaging/build.py             compile translations, run PyInstaller, slim the bundle
                                          (packaging/slim.py), run the bundled `guardstation --self-test`
                                          and a camera check (image folder + video file) in fresh homes
                                          (exit 1 if either fails)
    python packaging/build.py --measure   also print JSON: bundle_mb, startup_s (median time from
                                          starting the bundled exe to the main window shown), breakdown_mb
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import slim  # noqa: E402  (packaging/slim.py)

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
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from PySide6.scripts.pyside_tool import lrelease; lrelease()",
                "-silent",
                str(ts),
                "-qm",
                str(qm),
            ],
            check=True,
            timeout=120,
        )
        if not qm.exists() or qm.stat().st_size == 0:
            raise SystemExit(f"lrelease produced nothing for {ts}")
        out.append(qm)
    return out


def run_pyinstaller() -> None:
    env = {**os.environ, "GUARDSTATION_QM_DIR": str(QM_DIR)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(SPEC),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )


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
        result = subprocess.run(
            [str(executable(cli=True)), "--self-test", "--home", home],
            env=child_env(Path(home)),
            capture_output=True,
            text=True,
            timeout=300,
        )
        print(result.stdout, end="", flush=True)
        if result.returncode != 0:
            say(f"bundled self-test FAILED (exit {result.returncode})\n{result.stderr[-4000:]}")
            return False
    say("bundled self-test passed")
    return True


def camera_check() -> bool:
    """The bundled app reads a camera from an image folder and from a video file (OpenCV + FFmpeg) and
    records the visit of the pass it sees; the bundled OpenCV decoder reads the same pass."""
    import sqlite3

    import cv2  # the build's own OpenCV only writes the test video
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="guardstation-camera-check-") as tmp:
        work = Path(tmp)
        home, folder = work / "home", work / "folder"
        folder.mkdir()
        env = child_env(home)

        def bundled(*args: str, cli: bool = False, timeout: int = 120) -> subprocess.CompletedProcess:
            return subprocess.run(
                [str(executable(cli=cli)), *args, "--home", str(home)],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
            )

        for name, out in (("Camera Folder", folder / "pass.png"), ("Camera Video", work / "video-pass.png")):
            issued = bundled("pass", "issue", "--name", name, "--doses", "3", "--out", str(out), cli=True)
            if issued.returncode != 0:
                say(f"camera check: pass issue failed (exit {issued.returncode})\n{issued.stderr[-2000:]}")
                return False
        card = cv2.imread(str(work / "video-pass.png"))
        frame = np.full((720, 1280, 3), 220, np.uint8)
        frame[40 : 40 + card.shape[0], 40 : 40 + card.shape[1]] = card
        writer = cv2.VideoWriter(str(work / "pass.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 10, (1280, 720))
        for _ in range(30):
            writer.write(frame)
        writer.release()
        # OpenCV's QR reader misses about one random pass in 40 (zxing, the default, reads them all), so the
        # bundled OpenCV is checked on the fixed self-test card: decoded and recognised as our pass format.
        sample = ROOT / "resources" / "selftest" / "sample-pass.png"
        verified = bundled("verify", "--decoder", "opencv", "--json", str(sample), cli=True)
        if verified.returncode != 0 or '"kind": "gspass"' not in verified.stdout:
            say(
                f"camera check: bundled OpenCV decoder failed (exit {verified.returncode})\n"
                f"{verified.stdout[-1000:]}{verified.stderr[-2000:]}"
            )
            return False
        (home / "config.json").write_text(json.dumps({"configured": True}), "utf-8")
        for camera, name in ((folder, "Camera Folder"), (work / "pass.avi", "Camera Video")):
            run = bundled("--camera", str(camera), "--gate-mode", "in", "--quit-after", "5")
            with sqlite3.connect(home / "guardstation.sqlite") as db:
                names = {row[0] for row in db.execute("select display_name from visit")}
            if run.returncode != 0 or name not in names:
                say(
                    f"camera check: no visit of {name!r} from --camera {camera.name} (exit {run.returncode})\n"
                    f"{run.stderr[-2000:]}"
                )
                return False
        report = work / "report.pdf"  # PDF reports (reportlab + Pillow) work in the bundle too
        import datetime

        today = datetime.date.today()
        exported = bundled(
            "export",
            "--from",
            str(today - datetime.timedelta(days=1)),
            "--to",
            str(today + datetime.timedelta(days=1)),
            "--out",
            str(report),
            "--json",
            cli=True,
        )
        if exported.returncode != 0 or not report.exists() or report.read_bytes()[:5] != b"%PDF-":
            say(f"camera check: bundled PDF export failed (exit {exported.returncode})\n{exported.stderr[-2000:]}")
            return False
    say(
        "bundled camera check passed: image folder and video file read, both visits recorded; "
        "OpenCV decoder verified the pass; PDF export written"
    )
    return True


def bundle_mb() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 1e6, 1)


def startup_once(home: Path) -> float:
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(executable()), "--home", str(home), "--exit-when-shown"],
        env=child_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
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
    return {
        "bundle_mb": bundle_mb(),
        "startup_s": round(statistics.median(times), 2),
        "startup_runs_s": [round(t, 2) for t in times],
        "platform": sys.platform,
        "breakdown_mb": slim.breakdown(BUNDLE),
    }


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
        unslimmed = bundle_mb()
        saved = slim.slim_bundle(BUNDLE)
        say(f"slimmed {unslimmed} MB by {saved}")
        say(f"bundle built in {time.monotonic() - started:.0f} s: {BUNDLE} ({bundle_mb()} MB)")
    if not executable().exists():
        say(f"no bundle at {BUNDLE}")
        return 1
    if not self_test() or not camera_check():
        return 1
    if args.measure:
        print(json.dumps(measure(args.runs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
