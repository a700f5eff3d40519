"""packaging/slim.py: the OpenBLAS forwarder gives OpenCV the same answers, and Qt works on the slimmed
ICU data (both checked in this Python, with the slimmed library loaded first: no bundle build needed)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import slim  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the slimming steps are Linux only")
SITE = Path(__import__("numpy").__file__).resolve().parents[1]

CV_LINALG = r'''
import json
import numpy as np
import cv2
rng = np.random.default_rng(7)
out = {}
for dt in (np.float32, np.float64):
    a = rng.standard_normal((40, 40)).astype(dt) + 40 * np.eye(40, dtype=dt)
    b = rng.standard_normal((40, 3)).astype(dt)
    spd = (a @ a.T).astype(dt)
    for flag in ("DECOMP_LU", "DECOMP_SVD", "DECOMP_QR", "DECOMP_CHOLESKY", "DECOMP_EIG"):
        m = spd if flag in ("DECOMP_CHOLESKY", "DECOMP_EIG") else a
        ok, x = cv2.solve(m, b, flags=getattr(cv2, flag))
        out[f"solve {flag} {np.dtype(dt).name}"] = x.astype(np.float64).ravel().tolist()
    tall, rhs = rng.standard_normal((60, 20)).astype(dt), rng.standard_normal((60, 2)).astype(dt)
    out[f"least squares {np.dtype(dt).name}"] = cv2.solve(tall, rhs, flags=cv2.DECOMP_QR)[1].astype(np.float64).ravel().tolist()
    out[f"svd {np.dtype(dt).name}"] = cv2.SVDecomp(a)[0].ravel().astype(np.float64).tolist()
    out[f"determinant {np.dtype(dt).name}"] = [float(np.log(abs(cv2.determinant(a))))]
    big = rng.standard_normal((300, 300)).astype(dt)
    out[f"gemm {np.dtype(dt).name}"] = cv2.gemm(big, big, 1.0, None, 0.0).astype(np.float64).ravel()[:500].tolist()
    c = rng.standard_normal((64, 64, 2)).astype(dt)
    out[f"gemm complex {np.dtype(dt).name}"] = cv2.gemm(c, c, 1.0, None, 0.0).astype(np.float64).ravel()[:500].tolist()
out["eigen non-symmetric"] = sorted(np.abs(cv2.eigenNonSymmetric(rng.standard_normal((12, 12)))[0].ravel()).tolist())
src = np.float32([[0, 0], [100, 0], [100, 100], [0, 100], [50, 20], [20, 70]])
out["homography"] = cv2.findHomography(src, src * 1.5 + 3)[0].ravel().tolist()
maps = open("/proc/self/maps").read()
print(json.dumps({"results": out, "blas": sorted({l.split()[-1] for l in maps.splitlines() if "blas" in l})}))
'''


def _run(env_extra: dict[str, str]) -> dict:
    env = {**os.environ, **env_extra}
    done = subprocess.run([sys.executable, "-c", CV_LINALG], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_opencv_gives_the_same_answers_through_the_openblas_forwarder(tmp_path):
    cv_blas = sorted((SITE / "opencv_python_headless.libs").glob("libopenblas*.so*"))
    np_blas = sorted((SITE / "numpy.libs").glob("libscipy_openblas64_*.so*"))
    if len(cv_blas) != 1 or len(np_blas) != 1 or shutil.which("gcc") is None:
        pytest.skip("needs the manylinux wheels of OpenCV and NumPy and gcc")
    shim = slim.build_openblas_shim(tmp_path / cv_blas[0].name, np_blas[0])
    assert shim.stat().st_size < 100_000
    plain = _run({})
    # cv2 finds its OpenBLAS through an RPATH, so the forwarder is preloaded (it has the same soname).
    shimmed = _run({"LD_PRELOAD": str(shim), "LD_LIBRARY_PATH": str(np_blas[0].parent)})
    assert str(shim) in shimmed["blas"] and str(cv_blas[0]) not in shimmed["blas"]
    assert str(cv_blas[0]) in plain["blas"]
    for name, expected in plain["results"].items():
        got = shimmed["results"][name]
        tolerance = 1e-3 if "float32" in name else 1e-9
        assert len(got) == len(expected), name
        scale = max(1.0, max(abs(v) for v in expected))
        assert max(abs(g - e) for g, e in zip(got, expected)) <= tolerance * scale, name


def test_icu_items_kept():
    kept = slim.icu_item_kept
    for item in ("root.res", "id.res", "en_US.res", "coll/root.res", "coll/ucadata.icu", "zone/id.res",
                 "zoneinfo64.res", "supplementalData.res", "metaZones.res", "timezoneTypes.res", "pool.res",
                 "curr/res_index.res", "nfkc.nrm", "cnvalias.icu", "uts46.nrm"):
        assert kept(item, 10_000), item
    assert kept("ibm-5348_P100-1997.cnv", 30_000)            # windows-1252 stays
    for item in ("de.res", "zh_Hant_TW.res", "coll/de_.res", "zone/ja.res", "es_419.res", "ars.res"):
        assert not kept(item, 10_000), item
    assert not kept("gb18030.cnv", 232_816) and not kept("brkitr/cjdict.dict", 2_000_000)
    assert not kept("brkitr/root.res", 1_000)


QT_ICU = r'''
import json
from PySide6.QtCore import QCollator, QLocale, QTimeZone
out = {}
for lang in ("id_ID", "en_US", "de_DE"):
    c = QCollator(QLocale(lang))
    out["sort " + lang] = sorted(["zebra", "Äpfel", "apel", "Bandung", "bandeng", "éclair"], key=c.sortKey)
    out["upper " + lang] = QLocale(lang).toUpper("istimewa ß")
tz = QTimeZone(b"Asia/Jakarta")
out["tz"] = [tz.isValid(), tz.offsetFromUtc(__import__("PySide6.QtCore").QtCore.QDateTime.currentDateTimeUtc())]
out["tz name"] = tz.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, QLocale("en_US"))
print(json.dumps(out))
'''


def test_qt_works_on_the_slimmed_icu_data(tmp_path):
    import PySide6

    libs = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if len(libs) != 1 or slim._missing("icupkg", "genccode", "gcc", "nm", "readelf"):
        pytest.skip("needs PySide6's own ICU and icu-devtools, gcc, binutils")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copyfile(libs[0], bundle / libs[0].name)
    assert slim.slim_icu_data(bundle) > 20_000_000
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    runs = [subprocess.run([sys.executable, "-c", QT_ICU], env=extra_env, capture_output=True, text=True, timeout=120)
            for extra_env in (env, {**env, "LD_PRELOAD": str(bundle / libs[0].name)})]
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
    plain, slimmed = (json.loads(run.stdout) for run in runs)
    assert slimmed["tz"][0]
    for key in ("sort id_ID", "sort en_US", "upper id_ID", "upper en_US", "tz", "tz name"):
        assert slimmed[key] == plain[key], key
