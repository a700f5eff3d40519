"""`guardstation --self-test`: is this installation able to run a gate?

One line per check (PASS/FAIL and a detail), exit status non-zero if any failed.
It may create the database in the home (and checks it), but it never seeds a
station: no site, no gate, no keys, no trust entries are written. The bundled
sample pass is verified against an in-memory trust store holding only the
bundled self-test key, and the main window is built over a throw-away station
in a temporary folder.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from guardstation import __version__
from guardstation.resources import DEFAULT_RULE_PACK, resource, resources_dir

log = logging.getLogger(__name__)

SELFTEST_DIR = "selftest"


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.ok else 'FAIL'}  {self.name:<12} {self.detail}"


class _Context:
    """What the checks learn and hand on (the open database, the rule pack)."""

    def __init__(self, home: Path, lang: str, decoder: str) -> None:
        self.home = home
        self.lang = lang
        self.decoder = decoder
        self.db = None
        self.pack = None


def _check_home(ctx: _Context) -> str:
    import shutil

    probe = ctx.home / f".selftest-{os.getpid()}"
    probe.write_text("ok", "utf-8")
    probe.unlink()
    free_mb = shutil.disk_usage(ctx.home).free / 1e6
    return f"{ctx.home} writable, {free_mb:,.0f} MB free"


def _check_database(ctx: _Context) -> str:
    from guardstation.station.context import DB_FILENAME
    from guardstation.store.db import DatabaseError, open_database

    path = ctx.home / DB_FILENAME
    existed = path.exists()
    ctx.db = open_database(path)  # migrations, quick_check, durability pragmas
    verdict = ctx.db.integrity_check(quick=False)
    if verdict != "ok":
        raise DatabaseError(f"integrity check: {verdict}")
    return f"{path.name} {'opened' if existed else 'created'}, integrity ok, WAL + synchronous=FULL"


def _check_rules(ctx: _Context) -> str:
    from guardstation.domain.rules import pack_in_force, parse_rule_pack
    from guardstation.store import reference

    source = "bundled"
    packs = []
    if ctx.db is not None:
        with ctx.db.read() as session:
            packs = reference.load_rule_packs(session)
        source = "stored" if packs else "bundled (nothing stored yet)"
    bundled = parse_rule_pack(json.loads(resource(*DEFAULT_RULE_PACK).read_text("utf-8")))
    if not packs:
        packs = [bundled]
    now = datetime.now().astimezone()
    ctx.pack = bundled
    in_force = pack_in_force(packs, now)
    if in_force is None:
        raise RuntimeError(f"no rule pack in force now ({len(packs)} {source})")
    return f"{in_force.pack_id} in force ({source}, {len(packs)} pack(s))"


def _check_trust(ctx: _Context) -> str:
    from guardstation.store import reference

    if ctx.db is None:
        raise RuntimeError("database unavailable")
    with ctx.db.read() as session:
        store = reference.load_trust_store(session)
    schemes = sorted({key.scheme for key in store})
    return f"{len(store)} trusted key(s)" + (f" ({', '.join(schemes)})" if schemes else "")


def _check_decoders(ctx: _Context) -> str:
    import numpy as np

    from guardstation.scanner import DECODER_NAMES, DecoderUnavailable, make_decoder

    blank = np.full((120, 160), 255, np.uint8)
    states = []
    for name in DECODER_NAMES:
        try:
            make_decoder(name).decode(blank)
            states.append(f"{name} ok")
        except DecoderUnavailable as exc:
            if name == ctx.decoder:
                raise RuntimeError(f"the chosen decoder {name} is unavailable: {exc}") from exc
            states.append(f"{name} not available (optional)")
    return "; ".join(states) + f"; using {ctx.decoder}"


def _check_sample(ctx: _Context) -> str:
    import cv2
    from cryptography.hazmat.primitives import serialization

    from guardstation.credentials.trust import TrustedKey, TrustStore, kid_for
    from guardstation.credentials.verify import parse_and_verify
    from guardstation.domain.verdict import decide
    from guardstation.scanner import make_decoder
    from guardstation.scanner.sources import load_bgr_image

    spec = json.loads(resource(SELFTEST_DIR, "sample.json").read_text("utf-8"))
    public = serialization.load_pem_public_key(resource(SELFTEST_DIR, spec["public_key"]).read_bytes())
    trust = TrustStore([TrustedKey(kid_for(public), "gspass", public, "GuardStation self-test key")])
    image = load_bgr_image(resource(SELFTEST_DIR, spec["picture"]))
    if image is None:
        raise RuntimeError(f"cannot read {spec['picture']}")
    codes = make_decoder(ctx.decoder).decode(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    if len(codes) != 1:
        raise RuntimeError(f"{ctx.decoder} found {len(codes)} codes in {spec['picture']}, expected 1")
    at = datetime.fromisoformat(spec["verify_at"])
    credential = parse_and_verify(codes[0].text, trust, at)
    if not credential.trusted:
        raise RuntimeError(f"sample pass not verified: {credential.failure.code} (stages {credential.stages})")
    decision = decide(credential, pack=ctx.pack, now=at)
    expect = spec["expect"]
    got = {"kind": credential.kind.value, "name": credential.display_name, "colour": decision.colour.value}
    if got != expect:
        raise RuntimeError(f"sample pass judged {got}, expected {expect}")
    return f"{spec['picture']} decoded ({ctx.decoder}), signature verified, {decision.colour.value}"


def _check_window(ctx: _Context) -> str:
    if "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from guardstation.settings.model import Settings
    from guardstation.station.checkpoint import Checkpoint
    from guardstation.station.context import DB_FILENAME, StationContext, seed_reference
    from guardstation.store.db import open_database
    from guardstation.store.secrets import MemoryKeyring, SecretStore
    from guardstation.ui.i18n import install_translator
    from guardstation.ui.main_window import MainWindow
    from guardstation.ui.qt_helpers import application
    from guardstation.ui.sound import SoundPlayer

    app = application([sys.argv[0] if sys.argv else "guardstation"])
    translator = install_translator(app, ctx.lang)
    if ctx.lang != "en" and translator is None:
        raise RuntimeError(f"no compiled translations for {ctx.lang!r}")
    scratch = tempfile.TemporaryDirectory(prefix="guardstation-selftest-")
    db = None
    try:
        home = Path(scratch.name)
        db = open_database(home / DB_FILENAME)
        now = datetime.now().astimezone()
        seed_reference(db, now, site_id="selftest", site_name="Self-test", capacity=10, gate_name="Self-test")
        checkpoint = Checkpoint(db, deployment_key=os.urandom(32))
        station = StationContext(
            home, Settings(), db, SecretStore(MemoryKeyring(), fallback=False, namespace=str(home)), checkpoint
        )
        window = MainWindow(station, SoundPlayer(enabled=False), ctx.lang)
        try:
            window.show()
            app.processEvents()
            picture = window.grab()
            if picture.isNull() or picture.width() < 100:
                raise RuntimeError("the window did not paint")
            platform = app.platformName()
            size = f"{picture.width()}x{picture.height()}"
        finally:
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        if translator is not None:
            app.removeTranslator(translator)
        if db is not None:
            db.close()
        scratch.cleanup()
    words = "English" if ctx.lang == "en" else f"translations {ctx.lang} loaded"
    return f"built and painted on '{platform}' ({size}), {words}"


def _check_keyring(ctx: _Context) -> str:
    from guardstation.store.secrets import MemoryKeyring, SecretStore

    store = SecretStore.for_home(ctx.home)
    store.get("selftest-probe")  # read only: nothing is written to the keyring
    if store.fallback:
        return f"{store.description} — FILE FALLBACK (no OS keyring service): {store.backend.path}, owner-only"
    if isinstance(store.backend, MemoryKeyring):
        return f"{store.description} (in memory, set by the caller: tests and benchmarks only)"
    return f"{store.description} (OS keyring)"


CHECKS: list[tuple[str, Callable[[_Context], str]]] = [
    ("data folder", _check_home),
    ("database", _check_database),
    ("rule pack", _check_rules),
    ("trust store", _check_trust),
    ("decoders", _check_decoders),
    ("sample QR", _check_sample),
    ("main window", _check_window),
    ("keyring", _check_keyring),
]


def run_checks(home: Path, *, lang: str = "id", decoder: str = "zxing") -> list[CheckResult]:
    ctx = _Context(Path(home), lang, decoder)
    results = []
    try:
        for name, check in CHECKS:
            started = time.perf_counter()
            try:
                detail = check(ctx)
                ok = True
            except Exception as exc:  # every failure becomes a FAIL line; the log keeps the traceback
                log.exception("self-test check %s failed", name)
                detail, ok = f"{type(exc).__name__}: {exc}", False
            log.info(
                "self-test %s %s in %.0f ms: %s",
                name,
                "PASS" if ok else "FAIL",
                (time.perf_counter() - started) * 1000,
                detail,
            )
            results.append(CheckResult(name, ok, detail))
    finally:
        if ctx.db is not None:
            ctx.db.close()
    return results


def run_self_test(home: Path, *, lang: str | None = None, decoder: str | None = None, out: TextIO | None = None) -> int:
    from guardstation.log import setup_logging
    from guardstation.settings.model import Settings

    out = out or sys.stdout
    setup_logging(home)
    settings = Settings.load(home)
    lang = lang or settings.language
    decoder = decoder or settings.decoder
    frozen = "packaged" if getattr(sys, "frozen", False) else "source"
    header = f"GuardStation {__version__} self-test ({frozen}; home {home}; resources {resources_dir()})"
    results = run_checks(home, lang=lang, decoder=decoder)
    failed = [r for r in results if not r.ok]
    lines = [header, *(r.line() for r in results)]
    lines.append(
        f"self-test: {len(failed)} of {len(results)} checks FAILED"
        if failed
        else f"self-test: all {len(results)} checks passed"
    )
    if out is not None:  # a windowed Windows build has no stdout: the log has every line too
        for line in lines:
            print(line, file=out, flush=True)
    return 1 if failed else 0
