"""packaging/slim.py: the OpenBLAS forwarder and the reference BLAS/LAPACK give NumPy and OpenCV the same
answers, OpenCV still reads videos and images with the codec stand-ins (and fails cleanly on AVIF), a
gap-closed library still loads, and Qt works on the slimmed ICU data (all checked in this Python, with the
replacement libraries loaded first: no bundle build needed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "packaging"))
import slim  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the slimming steps are Linux only")
SITE = Path(__import__("numpy").__file__).resolve().parents[1]

CV_LINALG = r"""
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
    solved = cv2.solve(tall, rhs, flags=cv2.DECOMP_QR)[1]
    out[f"least squares {np.dtype(dt).name}"] = solved.astype(np.float64).ravel().tolist()
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
"""


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


NP_LINALG = r"""
import json
import numpy as np
rng = np.random.default_rng(11)
out = {}
def put(name, arr):
    arr = np.asarray(arr)
    if np.iscomplexobj(arr):
        arr = np.concatenate([arr.real.ravel(), arr.imag.ravel()])
    out[name] = arr.astype(np.float64).ravel()[:400].tolist()
for dt in (np.float32, np.float64, np.complex64, np.complex128):
    n = np.dtype(dt).name
    def r(*shape):
        a = rng.standard_normal(shape)
        if np.issubdtype(dt, np.complexfloating):
            a = a + 1j * rng.standard_normal(shape)
        return a.astype(dt)
    a, b, v, w, big = r(60, 60) + 60 * np.eye(60, dtype=dt), r(60, 4), r(60), r(60), r(130, 130)
    put(f"matmul {n}", big @ big)
    put(f"syrk {n}", big @ big.T)
    put(f"gemv {n}", big @ r(130))
    put(f"dot {n}", [np.dot(v, w)])
    put(f"vdot {n}", [np.vdot(v, w)])
    put(f"solve {n}", np.linalg.solve(a, b))
    put(f"inv {n}", np.linalg.inv(a))
    put(f"slogdet {n}", [np.linalg.slogdet(a)[1]])
    put(f"svd {n}", np.linalg.svd(a, compute_uv=False))
    herm = a @ a.conj().T
    put(f"eigh {n}", np.linalg.eigh(herm)[0])
    put(f"eigvals {n}", np.sort_complex(np.linalg.eigvals(a).astype(np.complex128)))
    put(f"cholesky {n}", np.linalg.cholesky(herm))
    put(f"qr {n}", np.abs(np.linalg.qr(r(50, 30))[1]))
    tall, rhs = r(80, 20), r(80, 2)
    put(f"lstsq {n}", np.linalg.lstsq(tall, rhs, rcond=None)[0])
    put(f"pinv {n}", np.linalg.pinv(tall))
    put(f"rank {n}", [np.linalg.matrix_rank(tall)])
maps = open("/proc/self/maps").read()
print(json.dumps({"results": out, "blas": sorted({l.split()[-1] for l in maps.splitlines()
                                                  if "blas" in l or "gfortran" in l})}))
"""


def _compare(plain: dict, replaced: dict) -> None:
    assert plain["results"].keys() == replaced["results"].keys()
    for name, expected in plain["results"].items():
        got = replaced["results"][name]
        tolerance = 1e-3 if ("float32" in name or "complex64" in name) else 1e-9
        assert len(got) == len(expected), name
        scale = max(1.0, max(abs(v) for v in expected))
        assert max(abs(g - e) for g, e in zip(got, expected)) <= tolerance * scale, name


def _run_script(script: str, env_extra: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, **env_extra}, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_numpy_and_opencv_give_the_same_answers_on_the_reference_blas(tmp_path):
    cv_blas = sorted((SITE / "opencv_python_headless.libs").glob("libopenblas*.so*"))
    np_blas = sorted((SITE / "numpy.libs").glob("libscipy_openblas64_*.so*"))
    if len(cv_blas) != 1 or len(np_blas) != 1 or slim._missing("gcc", "nm", "readelf"):
        pytest.skip("needs the manylinux wheels of OpenCV and NumPy, gcc and binutils")
    archives = slim.reference_archives()
    if archives is None:
        pytest.skip("needs Debian's liblapack64-dev and libblas64-dev")
    # What a bundle imports from NumPy's OpenBLAS: NumPy's own extensions and OpenCV's forwarder.
    fake = tmp_path / "bundle" / "_internal"
    fake.mkdir(parents=True)
    for ext in [*(SITE / "numpy" / "_core").glob("_multiarray_umath*.so"), *(SITE / "numpy" / "linalg").glob("*.so")]:
        shutil.copyfile(ext, fake / ext.name)
    slim.build_openblas_shim(fake / cv_blas[0].name, np_blas[0])
    symbols = slim._imported_from(tmp_path / "bundle", np_blas[0])
    assert {"scipy_cblas_dgemm64_", "scipy_dgesdd_64_", "scipy_zheevd_64_", "scipy_sposv_64_"} <= symbols
    reference = slim.build_reference_blas(tmp_path / np_blas[0].name, symbols, archives)
    assert reference.stat().st_size < 3_000_000
    assert not [n for n in slim._needed(reference) if "gfortran" in n or "quadmath" in n]
    preload = {"LD_PRELOAD": f"{fake / cv_blas[0].name} {reference}"}
    for script in (NP_LINALG, CV_LINALG):
        plain, replaced = _run_script(script, {}), _run_script(script, preload)
        assert str(reference) in replaced["blas"] and str(np_blas[0]) not in replaced["blas"]
        assert not any("gfortran" in lib for lib in replaced["blas"])
        _compare(plain, replaced)
    # An illegal argument prints a message and returns, as in OpenBLAS (reference LAPACK would exit).
    bad_call = (
        "import ctypes, sys; lib = ctypes.CDLL(sys.argv[1]); i = ctypes.c_int64; n = i(-1); info = i(0); "
        "lib.scipy_dgetrf_64_(ctypes.byref(n), ctypes.byref(n), None, ctypes.byref(i(1)), None, "
        "ctypes.byref(info)); print(info.value)"
    )
    done = subprocess.run([sys.executable, "-c", bad_call, str(reference)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "-1", done.stderr
    assert "DGETRF" in done.stderr and "parameter number 1" in done.stderr


def test_openblas_names_map_to_reference_names():
    assert slim.openblas_target("scipy_dgesv_64_") == "dgesv_"
    assert slim.openblas_target("scipy_cblas_zdotc_sub64_") == "cblas_zdotc_sub"
    with pytest.raises(ValueError):
        slim.openblas_target("dgesv_")


CODECS = r"""
import json, sys
import cv2
import numpy as np
work = sys.argv[1]
out = {}
frames = [np.full((120, 160, 3), 40 * i, np.uint8) for i in range(5)]
if sys.argv[2] == "write":   # with the real libraries: an MJPEG AVI, and VP8/VP9 (libvpx encodes them)
    for fourcc, name in (("MJPG", "m.avi"), ("VP80", "v8.webm"), ("VP90", "v9.webm")):
        writer = cv2.VideoWriter(f"{work}/{name}", cv2.VideoWriter_fourcc(*fourcc), 10, (160, 120))
        for frame in frames:
            writer.write(frame)
        writer.release()
    cv2.imwrite(f"{work}/p.png", frames[2]); cv2.imwrite(f"{work}/p.jpg", frames[2])
    out["avif written"] = bool(cv2.imwrite(f"{work}/p.avif", frames[2]))
for name in ("m.avi", "v8.webm", "v9.webm"):
    capture = cv2.VideoCapture(f"{work}/{name}")
    count = 0
    while capture.read()[0]:
        count += 1
    out[name] = count
for name in ("p.png", "p.jpg", "p.avif"):
    image = cv2.imread(f"{work}/{name}")
    out[name] = None if image is None else int(image.mean())
if sys.argv[2] == "read":
    out["avif write"] = bool(cv2.imwrite(f"{work}/q.avif", frames[2]))
    writer = cv2.VideoWriter(f"{work}/w.webm", cv2.VideoWriter_fourcc(*"VP80"), 10, (160, 120))
    out["vp8 writer"] = writer.isOpened()
print(json.dumps(out))
"""


def test_opencv_reads_videos_and_images_with_the_codec_stand_ins(tmp_path):
    cv_libs = SITE / "opencv_python_headless.libs"
    libs = {switch: sorted(cv_libs.glob(pattern)) for pattern, switch in slim.CODEC_STUBS}
    if any(len(found) != 1 for found in libs.values()) or slim._missing("gcc", "nm", "readelf"):
        pytest.skip("needs the manylinux wheel of OpenCV (with libvpx and libaom), gcc and binutils")
    stubs = []
    for switch, (lib,) in libs.items():
        stub = slim.build_codec_stub(tmp_path / lib.name, switch)
        assert stub.stat().st_size < 100_000
        # It defines everything OpenCV's FFmpeg and libavif import from the real library.
        importers = [p for p in cv_libs.iterdir() if p != lib and lib.name in slim._needed(p)]
        assert importers, lib.name
        wanted = set().union(*(slim._dynamic_symbols(p, defined=False) for p in importers)) & slim._dynamic_symbols(
            lib, defined=True
        )
        assert wanted and wanted <= slim._dynamic_symbols(stub, defined=True), lib.name
        stubs.append(stub)
    written = subprocess.run(
        [sys.executable, "-c", CODECS, str(tmp_path), "write"], capture_output=True, text=True, timeout=120
    )
    assert written.returncode == 0, written.stderr[-3000:]
    plain = json.loads(written.stdout)
    assert plain["m.avi"] == plain["v8.webm"] == plain["v9.webm"] == 5 and plain["p.avif"] is not None
    read = subprocess.run(
        [sys.executable, "-c", CODECS, str(tmp_path), "read"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LD_PRELOAD": " ".join(map(str, stubs))},
    )
    assert read.returncode == 0, read.stderr[-3000:]
    stubbed = json.loads(read.stdout)
    # MJPEG, and VP8/VP9 through FFmpeg's own decoders, read as before; PNG and JPEG too.
    for key in ("m.avi", "v8.webm", "v9.webm", "p.png", "p.jpg"):
        assert stubbed[key] == plain[key], key
    # AVIF and libvpx encoding fail cleanly, saying why.
    assert stubbed["p.avif"] is None and not stubbed["avif write"] and not stubbed["vp8 writer"]
    assert "libaom is not in this bundle" in read.stderr and "libvpx is not in this bundle" in read.stderr


def test_close_gap_keeps_the_library_loadable(tmp_path):
    libs = sorted((SITE / "pillow.libs").glob("libXau-*.so*"))
    if len(libs) != 1 or slim._missing("readelf"):
        pytest.skip("needs Pillow's manylinux wheel (its patchelf'd libXau) and binutils")
    original = libs[0].read_bytes()
    closed = slim.close_gap(original)
    if closed is None:
        pytest.skip(f"{libs[0].name} has no gap to close in this Pillow version")
    assert len(closed) < len(original) - slim.MIN_GAP and slim.close_gap(closed) is None
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before, after = tmp_path / "a" / libs[0].name, tmp_path / "b" / libs[0].name
    before.write_bytes(original)
    after.write_bytes(closed)
    dynamic = [slim._run(["readelf", "--dyn-syms", "-d", "-W", str(p)]).stdout for p in (before, after)]
    assert dynamic[0] == dynamic[1]
    assert slim._loadable(after) and slim._loads(after, [tmp_path / "b"])
    # The same code and data, only moved: every section's address and bytes are unchanged.
    assert _sections(closed) == _sections(original)
    assert slim.close_gap(b"not an ELF file") is None


def _sections(data: bytes) -> list[tuple[int, int, bytes]]:
    header = slim._EHDR.unpack_from(data)
    shoff, shentsize, shnum = header[6], header[11], header[12]
    out = []
    for i in range(shnum):
        name, kind, _flags, addr, offset, size = slim._SHDR.unpack_from(data, shoff + i * shentsize)[:6]
        out.append((name, addr, b"" if kind == 8 else data[offset : offset + size]))
    return out


def test_icu_items_kept():
    kept = slim.icu_item_kept
    for item in (
        "root.res",
        "id.res",
        "en_US.res",
        "coll/root.res",
        "coll/ucadata.icu",
        "zone/id.res",
        "zoneinfo64.res",
        "supplementalData.res",
        "metaZones.res",
        "timezoneTypes.res",
        "pool.res",
        "curr/res_index.res",
        "nfkc.nrm",
        "cnvalias.icu",
        "uts46.nrm",
    ):
        assert kept(item, 10_000), item
    assert kept("ibm-5348_P100-1997.cnv", 30_000)  # windows-1252 stays
    for item in ("de.res", "zh_Hant_TW.res", "coll/de_.res", "zone/ja.res", "es_419.res", "ars.res"):
        assert not kept(item, 10_000), item
    assert not kept("gb18030.cnv", 232_816) and not kept("brkitr/cjdict.dict", 2_000_000)
    assert not kept("brkitr/root.res", 1_000)


QT_ICU = r"""
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
"""


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
    runs = [
        subprocess.run([sys.executable, "-c", QT_ICU], env=extra_env, capture_output=True, text=True, timeout=120)
        for extra_env in (env, {**env, "LD_PRELOAD": str(bundle / libs[0].name)})
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
    plain, slimmed = (json.loads(run.stdout) for run in runs)
    assert slimmed["tz"][0]
    for key in ("sort id_ID", "sort en_US", "upper id_ID", "upper en_US", "tz", "tz name"):
        assert slimmed[key] == plain[key], key
