"""Make the Linux one-folder bundle smaller without losing a feature (run by packaging/build.py).

Six steps, each measured and each optional (a missing tool or input skips it with a message):

* ``share_openblas``: OpenCV's wheel and NumPy's wheel each carry a full OpenBLAS (39 + 25 MB). OpenCV
  calls 19 of its functions; a 17 kB library compiled from ``openblas_shim.c`` under OpenCV's file name
  forwards them to NumPy's OpenBLAS, and OpenCV's copy goes (with the gfortran runtime only it needed).
* ``reference_blas``: NumPy's OpenBLAS (25 MB: every CPU's kernels, all of BLAS and LAPACK, plus its
  gfortran run time, 3 MB) becomes a 1.4 MB library of the same name holding only the 62 routines the
  bundle imports (NumPy's matmul/dot and numpy.linalg, OpenCV through the forwarder above), linked from
  Debian's reference 64-bit-integer BLAS/LAPACK (``liblapack64-dev``, ``libblas64-dev``) with
  ``blas_reference.c``. Same results (tests/packaging/test_slim.py); slower only on large matrices, which
  the station never multiplies (a QR code's homography is 3x3).
* ``stub_codecs``: libaom (AVIF, 7.7 MB) and libvpx (VP8/VP9 via libvpx, 3.5 MB), which OpenCV's wheel
  links, become stand-ins compiled from ``codec_stubs.c`` (that file says why no feature needs them).
* ``slim_icu_data``: Qt's ICU data library (32 MB) holds every language's locale data, CJK/Thai word
  dictionaries and ~200 legacy code-page tables. Qt uses ICU only for collation, case mapping, time-zone
  names and legacy text codecs; the app speaks Indonesian and English. The rebuilt library keeps every
  non-language item (time zones, normalisation, collation root, plural rules...), the root, English
  and Indonesian data of every tree and the single-byte code pages, and drops the rest. Any other
  locale falls back to the root data, as ICU does for a locale it does not know.
* ``strip_binaries``: symbol tables of shared libraries that still carry them (``strip
  --strip-unneeded``; the dynamic symbols everything links against stay).
* ``close_file_gaps``: patchelf (auditwheel) left Pillow's libXau with 2 MB of zeros between its code and
  its relocated dynamic tables (a 2 MB segment alignment); the later segments move down over the gap,
  byte for byte, with a page alignment (what the loader needs), and the file must still load.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIM_SOURCE = HERE / "openblas_shim.c"
BLAS_SOURCE = HERE / "blas_reference.c"
STUB_SOURCE = HERE / "codec_stubs.c"
# Debian's reference BLAS/LAPACK with 64-bit integers (what NumPy's scipy-openblas64 uses), as static
# archives of position-independent objects: (package, path of the archive).
REFERENCE_ARCHIVES = (
    ("liblapack64-dev", "usr/lib/x86_64-linux-gnu/liblapack64_pic.a"),
    ("libblas64-dev", "usr/lib/x86_64-linux-gnu/blas64/libblas64.a"),
)
DEB_CACHE = HERE.parent / "build" / "debs"
# Libraries replaced by codec_stubs.c: (file name pattern in opencv_python_headless.libs, -D switch).
CODEC_STUBS = (("libvpx-*.so*", "STUB_VPX"), ("libaom-*.so*", "STUB_AOM"))
MIN_GAP = 64 * 1024
# Kept in every ICU data tree: the root (fallback of every locale), the tree's index and key pool, and
# the app's two languages (Indonesian also under its legacy code "in").
ICU_KEEP_LOCALES = frozenset(
    {
        "root",
        "pool",
        "res_index",
        "en",
        "en_001",
        "en_150",
        "en_GB",
        "en_US",
        "en_US_POSIX",
        "id",
        "id_ID",
        "in",
        "in_ID",
    }
)
ICU_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")  # "zh_Hant_TW", "es_419", "ars", "de_" (not "zoneinfo64")
ICU_MAX_CODEPAGE = 64_000  # single-byte code-page tables are a few kB; CJK multi-byte ones 100-550 kB


def say(message: str) -> None:
    print(f"slim: {message}", file=sys.stderr, flush=True)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def _is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def _has_symtab(path: Path) -> bool:
    return " .symtab " in _run(["readelf", "-S", "--wide", str(path)]).stdout


def _needed(path: Path) -> list[str]:
    out = _run(["readelf", "-d", str(path)]).stdout
    return [line.split("[", 1)[1].split("]", 1)[0] for line in out.splitlines() if "(NEEDED)" in line]


def _missing(*tools: str) -> list[str]:
    return [tool for tool in tools if shutil.which(tool) is None]


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# --- one OpenBLAS --------------------------------------------------------------------------------------
def share_openblas(bundle: Path) -> int:
    """Replace OpenCV's OpenBLAS with a forwarder to NumPy's; returns the bytes saved (0 if skipped)."""
    internal = bundle / "_internal"
    cv_libs = internal / "opencv_python_headless.libs"
    np_libs = internal / "numpy.libs"
    cv_blas = sorted(cv_libs.glob("libopenblas*.so*"))
    np_blas = sorted(np_libs.glob("libscipy_openblas64_*.so*"))
    if len(cv_blas) != 1 or len(np_blas) != 1:
        say(f"OpenBLAS sharing skipped: OpenCV's {[p.name for p in cv_blas]}, NumPy's {[p.name for p in np_blas]}")
        return 0
    if _missing("gcc", "readelf"):
        say(f"OpenBLAS sharing skipped: {', '.join(_missing('gcc', 'readelf'))} not installed")
        return 0
    target, provider = cv_blas[0], np_blas[0]
    before = tree_bytes(cv_libs)
    with tempfile.TemporaryDirectory(prefix="gs-shim-") as tmp:
        shim = Path(tmp) / target.name
        build_openblas_shim(shim, provider)
        # Libraries that only OpenCV's OpenBLAS needed (its own gfortran and quadmath runtimes).
        only_blas = set(_needed(target)) - {target.name}
        shutil.copyfile(shim, target)
    _drop_unneeded(internal, only_blas, cv_libs)
    saved = before - tree_bytes(cv_libs)
    say(
        f"OpenCV now uses NumPy's OpenBLAS ({provider.name}) through a {shim_size(target)} forwarder: "
        f"-{saved / 1e6:.1f} MB"
    )
    return saved


def build_openblas_shim(out: Path, provider: Path) -> Path:
    """Compile openblas_shim.c as `out` (its file name is the soname), linked to NumPy's OpenBLAS."""
    _run(
        [
            "gcc",
            "-O2",
            "-shared",
            "-fPIC",
            "-o",
            str(out),
            str(SHIM_SOURCE),
            f"-L{provider.parent}",
            f"-l:{provider.name}",
            f"-Wl,-soname,{out.name}",
            "-Wl,-rpath,$ORIGIN/../numpy.libs",
            "-Wl,--no-undefined",
            "-Wl,-z,noexecstack",
        ]
    )
    return out


def shim_size(path: Path) -> str:
    return f"{path.stat().st_size / 1e3:.0f} kB"


def _soname(lib: Path) -> str:
    return next(
        (
            line.split("[", 1)[1].split("]", 1)[0]
            for line in _run(["readelf", "-d", str(lib)]).stdout.splitlines()
            if "(SONAME)" in line
        ),
        lib.name,
    )


def _dynamic_symbols(lib: Path, defined: bool) -> set[str]:
    out = _run(["nm", "-D", "--defined-only" if defined else "--undefined-only", str(lib)]).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split()}


def _imported_from(bundle: Path, lib: Path) -> set[str]:
    """The symbols that the other ELF files of the bundle import and `lib` defines."""
    provided = _dynamic_symbols(lib, defined=True)
    wanted: set[str] = set()
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink() and path != lib and _is_elf(path) and path.parent != bundle:
            wanted |= _dynamic_symbols(path, defined=False) & provided
    return wanted


def _drop_unneeded(internal: Path, candidates: set[str], folder: Path) -> list[str]:
    """Delete the libraries in `folder` named in `candidates` that no ELF file of the bundle needs any more,
    then those that only they needed, and so on (and PyInstaller's links to them); returns their names."""
    dropped: list[str] = []
    while True:
        still_needed = {
            name
            for lib in internal.rglob("*.so*")
            if lib.is_file() and not lib.is_symlink() and _is_elf(lib)
            for name in _needed(lib)
        }
        going = [lib for lib in sorted(folder.iterdir()) if lib.name in candidates and lib.name not in still_needed]
        if not going:
            break
        for lib in going:
            candidates = candidates | set(_needed(lib))
            lib.unlink()
            dropped.append(lib.name)
    for link in internal.iterdir():
        if link.is_symlink() and link.name in dropped:
            link.unlink()
    return dropped


# --- reference BLAS/LAPACK instead of NumPy's OpenBLAS ----------------------------------------------------
def reference_archives() -> list[Path] | None:
    """The two archives: installed, or unpacked from `apt-get download` into build/debs (no root needed)."""
    paths = [Path("/") / rel for _package, rel in REFERENCE_ARCHIVES]
    if all(p.exists() for p in paths):
        return paths
    unpacked = [DEB_CACHE / "root" / rel for _package, rel in REFERENCE_ARCHIVES]
    if all(p.exists() for p in unpacked):
        return unpacked
    if _missing("apt-get", "dpkg-deb"):
        return None
    DEB_CACHE.mkdir(parents=True, exist_ok=True)
    for package, _rel in REFERENCE_ARCHIVES:
        fetched = subprocess.run(
            ["apt-get", "download", package], cwd=DEB_CACHE, capture_output=True, text=True, timeout=300
        )
        debs = sorted(DEB_CACHE.glob(f"{package}_*.deb"))
        if fetched.returncode != 0 or not debs:
            say(f"apt-get download {package} failed: {(fetched.stderr or fetched.stdout).strip()[-300:]}")
            return None
        _run(["dpkg-deb", "-x", str(debs[-1]), str(DEB_CACHE / "root")])
    return unpacked if all(p.exists() for p in unpacked) else None


def openblas_target(symbol: str) -> str:
    """OpenBLAS's exported name -> the reference library's: scipy_dgesv_64_ -> dgesv_,
    scipy_cblas_dgemm64_ -> cblas_dgemm."""
    if not (symbol.startswith("scipy_") and symbol.endswith("64_")):
        raise ValueError(f"not a scipy-openblas64 symbol: {symbol}")
    return symbol[len("scipy_") : -len("64_")]


def build_reference_blas(out: Path, symbols: set[str], archives: list[Path]) -> Path:
    """Link `out` (its file name is the soname) exporting `symbols` (OpenBLAS names) as aliases of the
    reference routines; only those routines and what they call come from the archives."""
    args = []
    for symbol in sorted(symbols):
        target = openblas_target(symbol)
        args += [f"-Wl,-u,{target}", f"-Wl,--defsym,{symbol}={target}"]
    with tempfile.TemporaryDirectory(prefix="gs-blas-") as tmp:
        script = Path(tmp) / "exports.map"  # only the OpenBLAS names are visible outside
        script.write_text("{ global: " + " ".join(f"{s};" for s in sorted(symbols)) + " local: *; };\n")
        _run(
            [
                "gcc",
                "-O2",
                "-shared",
                "-fPIC",
                "-o",
                str(out),
                str(BLAS_SOURCE),
                *args,
                "-Wl,--start-group",
                *map(str, archives),
                "-Wl,--end-group",
                "-lm",
                f"-Wl,-soname,{out.name}",
                f"-Wl,--version-script={script}",
                "-Wl,--no-undefined",
                "-Wl,-z,noexecstack",
                "-s",
            ]
        )
    missing = symbols - _dynamic_symbols(out, defined=True)
    if missing:
        raise RuntimeError(f"{out.name} lacks {sorted(missing)}")
    return out


def reference_blas(bundle: Path) -> int:
    """Replace NumPy's OpenBLAS by the reference routines the bundle calls; returns the bytes saved."""
    internal = bundle / "_internal"
    np_libs = internal / "numpy.libs"
    np_blas = sorted(np_libs.glob("libscipy_openblas64_*.so*"))
    if len(np_blas) != 1:
        say(f"reference BLAS skipped: NumPy's OpenBLAS is {[p.name for p in np_blas]}")
        return 0
    if _missing("gcc", "nm", "readelf"):
        say(f"reference BLAS skipped: {', '.join(_missing('gcc', 'nm', 'readelf'))} not installed")
        return 0
    archives = reference_archives()
    if archives is None:
        say(
            "reference BLAS skipped: needs Debian's liblapack64-dev and libblas64-dev "
            "(apt install liblapack64-dev libblas64-dev)"
        )
        return 0
    target = np_blas[0]
    if not any(name.startswith("scipy_openblas_") for name in _dynamic_symbols(target, defined=True)):
        say(f"reference BLAS skipped: {target.name} is not OpenBLAS (already replaced?)")
        return 0
    symbols = _imported_from(bundle, target)
    before = tree_bytes(np_libs)
    with tempfile.TemporaryDirectory(prefix="gs-blas-") as tmp:
        try:
            built = build_reference_blas(Path(tmp) / target.name, symbols, archives)
        except (RuntimeError, ValueError, subprocess.CalledProcessError) as exc:
            detail = exc.stderr[-1500:] if isinstance(exc, subprocess.CalledProcessError) else exc
            say(f"reference BLAS skipped: {detail}")
            return 0
        only_blas = set(_needed(target)) - {target.name}  # its gfortran and quadmath run times
        shutil.copyfile(built, target)
    dropped = _drop_unneeded(internal, only_blas, np_libs)
    saved = before - tree_bytes(np_libs)
    say(
        f"NumPy's OpenBLAS -> reference BLAS/LAPACK ({len(symbols)} routines, {shim_size(target)}), "
        f"dropped {' '.join(dropped) or 'nothing'}: -{saved / 1e6:.1f} MB"
    )
    return saved


# --- codec libraries no feature uses ------------------------------------------------------------------------
def build_codec_stub(out: Path, switch: str, trace: bool = False) -> Path:
    _run(
        [
            "gcc",
            "-O2",
            "-shared",
            "-fPIC",
            f"-D{switch}",
            *(["-DSTUB_TRACE"] if trace else []),
            "-o",
            str(out),
            str(STUB_SOURCE),
            f"-Wl,-soname,{out.name}",
            "-Wl,--no-undefined",
            "-Wl,-z,noexecstack",
            "-s",
        ]
    )
    return out


def stub_codecs(bundle: Path, trace: bool = False) -> int:
    """Replace libvpx and libaom with the stand-ins of codec_stubs.c; returns the bytes saved."""
    cv_libs = bundle / "_internal" / "opencv_python_headless.libs"
    if _missing("gcc", "nm", "readelf"):
        say(f"codec stubs skipped: {', '.join(_missing('gcc', 'nm', 'readelf'))} not installed")
        return 0
    saved = 0
    for pattern, switch in CODEC_STUBS:
        libs = sorted(cv_libs.glob(pattern))
        if len(libs) != 1:
            say(f"codec stub {switch} skipped: {len(libs)} files match {pattern}")
            continue
        lib = libs[0]
        if _soname(lib) != lib.name:
            say(f"codec stub {switch} skipped: {lib.name} has the soname {_soname(lib)}")
            continue
        wanted = _imported_from(bundle, lib)
        with tempfile.TemporaryDirectory(prefix="gs-stub-") as tmp:
            stub = build_codec_stub(Path(tmp) / lib.name, switch, trace)
            missing = wanted - _dynamic_symbols(stub, defined=True)
            if missing:  # a newer wheel calls more of the library: keep it rather than break the loader
                say(f"codec stub {switch} skipped: the bundle also imports {sorted(missing)}")
                continue
            before = lib.stat().st_size
            shutil.copyfile(stub, lib)
        saved += before - lib.stat().st_size
        say(f"{lib.name}: {before / 1e6:.1f} MB -> {shim_size(lib)} stand-in ({len(wanted)} symbols)")
    return saved


# --- ICU data --------------------------------------------------------------------------------------------
def icu_item_kept(item: str, size: int) -> bool:
    """Whether an item of ICU's data package ("coll/de.res", "gb18030.cnv", "zoneinfo64.res") stays."""
    tree, _, name = item.rpartition("/")
    stem, _, ext = name.rpartition(".")
    if tree == "brkitr":  # text-break rules and dictionaries: Qt calls no ICU break iterator
        return False
    if ext == "res":
        # Per-language data goes except root/en/id; data that is not per language stays.
        return stem in ICU_KEEP_LOCALES or not ICU_LOCALE.fullmatch(stem)
    if ext == "cnv":  # legacy code pages: the single-byte ones stay, the big CJK multi-byte tables go
        return size <= ICU_MAX_CODEPAGE
    return True  # normalisation, collation (ucadata), names, break rules, spoof data...


def _elf_symbol(lib: Path, pattern: str) -> tuple[str, int, int]:
    out = _run(["nm", "-D", "-S", "--defined-only", str(lib)]).stdout
    for line in out.split("\n"):
        fields = line.split()
        if len(fields) == 4 and re.fullmatch(pattern, fields[3]):
            return fields[3], int(fields[0], 16), int(fields[1], 16)
    raise ValueError(f"{lib.name}: no symbol matching {pattern}")


def _file_offset(lib: Path, address: int) -> int:
    """File offset of a virtual address, from the program headers."""
    out = _run(["readelf", "-l", "--wide", str(lib)]).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, vaddr, filesz = int(fields[1], 16), int(fields[2], 16), int(fields[5], 16)
            if vaddr <= address < vaddr + filesz:
                return offset + address - vaddr
    raise ValueError(f"{lib.name}: address {address:#x} is in no loaded segment")


def slim_icu_data(bundle: Path) -> int:
    """Rebuild Qt's libicudata with only the data the app can use; returns the bytes saved."""
    libs = [p for p in bundle.rglob("libicudata.so*") if p.is_file() and not p.is_symlink()]
    if len(libs) != 1:
        say(f"ICU data slimming skipped: {len(libs)} libicudata files in the bundle")
        return 0
    missing = _missing("icupkg", "genccode", "gcc", "nm", "readelf")
    if missing:
        say(f"ICU data slimming skipped: {', '.join(missing)} not installed (apt install icu-devtools gcc binutils)")
        return 0
    lib = libs[0]
    symbol, address, size = _elf_symbol(lib, r"icudt\d+_dat")
    package = symbol[: -len("_dat")] + "l"  # icudt73l: little-endian data, ICU 73
    before = lib.stat().st_size
    with tempfile.TemporaryDirectory(prefix="gs-icu-") as tmp:
        work = Path(tmp)
        with lib.open("rb") as fh:
            fh.seek(_file_offset(lib, address))
            (work / f"{package}.dat").write_bytes(fh.read(size))
        items_dir = work / "items"
        items_dir.mkdir()
        _run(["icupkg", "-x", "*", "-d", str(items_dir), f"{package}.dat"], cwd=work)
        listing = _run(["icupkg", "-l", f"{package}.dat"], cwd=work).stdout.split()
        drop = {item for item in listing if not icu_item_kept(item, (items_dir / item).stat().st_size)}
        (work / "out").mkdir()
        for _ in range(5):
            # An item that refers to a dropped one goes too (e.g. a CJK code page's variant tables).
            (work / "drop.txt").write_text("\n".join(sorted(drop)) + "\n", "ascii")
            result = subprocess.run(
                ["icupkg", "-r", "drop.txt", f"{package}.dat", f"out/{package}.dat"],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=300,
            )
            dependents = set(re.findall(r"Item (\S+) depends on missing item", result.stdout + result.stderr))
            if result.returncode == 0 or not dependents - drop:
                break
            drop |= dependents
        if result.returncode != 0:
            raise RuntimeError(f"icupkg failed: {(result.stdout + result.stderr)[-2000:]}")
        _run(["genccode", "-e", symbol[: -len("_dat")], "-a", "gcc", "-d", str(work), f"out/{package}.dat"], cwd=work)
        assembly = next(work.glob("*.S"))
        rebuilt = work / lib.name
        soname = next(
            (
                line.split("[", 1)[1].split("]", 1)[0]
                for line in _run(["readelf", "-d", str(lib)]).stdout.splitlines()
                if "(SONAME)" in line
            ),
            lib.name,
        )
        _run(
            [
                "gcc",
                "-shared",
                "-nostdlib",
                "-o",
                str(rebuilt),
                str(assembly),
                f"-Wl,-soname,{soname}",
                "-Wl,-z,noexecstack",
            ]
        )
        _elf_symbol(rebuilt, re.escape(symbol))  # the entry point ICU looks for is there
        shutil.copyfile(rebuilt, lib)
    saved = before - lib.stat().st_size
    say(
        f"ICU data: kept {len(listing) - len(drop)} of {len(listing)} items, "
        f"{before / 1e6:.1f} MB -> {lib.stat().st_size / 1e6:.1f} MB"
    )
    return saved


# --- symbols ---------------------------------------------------------------------------------------------
def strip_binaries(bundle: Path) -> int:
    """strip --strip-unneeded every ELF file that still has a symbol table; returns the bytes saved."""
    if _missing("strip", "readelf"):
        say("strip skipped: binutils not installed")
        return 0
    saved, kept = 0, []
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or not _is_elf(path) or not _has_symtab(path):
            continue
        if path.parent == bundle:
            continue  # the executables: PyInstaller appends its archive to them
        stripped = path.with_name(path.name + ".stripped")
        _run(["strip", "--strip-unneeded", "-o", str(stripped), str(path)])
        if not _loadable(stripped):
            # binutils' strip moves segments of files that patchelf rewrote (auditwheel does, for the
            # libraries inside wheels) so that the loader refuses them: keep such a file as it was.
            stripped.unlink()
            kept.append(path.name)
            continue
        saved += path.stat().st_size - stripped.stat().st_size
        os.replace(stripped, path)
    say(f"stripped symbol tables: -{saved / 1e6:.1f} MB" + (f" (left as they were: {' '.join(kept)})" if kept else ""))
    return saved


def _loadable(path: Path) -> bool:
    """glibc refuses a LOAD segment whose file offset and address differ by other than whole pages."""
    out = _run(["readelf", "-l", "--wide", str(path)]).stdout
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"] and (int(fields[2], 16) - int(fields[1], 16)) % 4096:
            return False
    return True


# --- gaps left by patchelf ---------------------------------------------------------------------------------
_EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
_PHDR = struct.Struct("<IIQQQQQQ")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_PT_LOAD, _SHT_NOBITS, _PAGE = 1, 8, 4096


def _largest_gap(data: bytes) -> tuple[int, int]:
    """(start, end) of the largest stretch of the file that no header, section or segment covers."""
    eh = _EHDR.unpack_from(data)
    phoff, shoff, phentsize, phnum, shentsize, shnum = eh[5], eh[6], eh[9], eh[10], eh[11], eh[12]
    used = [(0, _EHDR.size), (phoff, phoff + phentsize * phnum), (shoff, shoff + shentsize * shnum)]
    for i in range(phnum):
        p = _PHDR.unpack_from(data, phoff + i * phentsize)
        used.append((p[2], p[2] + p[5]))
    for i in range(shnum):
        sh = _SHDR.unpack_from(data, shoff + i * shentsize)
        if sh[1] != _SHT_NOBITS:
            used.append((sh[4], sh[4] + sh[5]))
    best, end = (0, 0), 0
    for start, stop in sorted(used):
        if start > end and start - end > best[1] - best[0]:
            best = (end, start)
        end = max(end, stop)
    return best


def close_gap(data: bytes) -> bytes | None:
    """The same ELF file with its largest unused gap (>= MIN_GAP) cut out, or None. Everything after the
    gap moves down by whole pages; the segments that move get a page alignment, so that file offset and
    address still agree modulo the page size, which is all the loader asks."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:  # 64-bit little-endian only
        return None
    start, end = _largest_gap(data)
    delta = (end - start) // _PAGE * _PAGE
    if end - start < MIN_GAP or delta == 0:
        return None
    out = bytearray(data[: end - delta] + data[end:])
    eh = list(_EHDR.unpack_from(out))
    phoff, shoff, phentsize, phnum, shentsize, shnum = eh[5], eh[6], eh[9], eh[10], eh[11], eh[12]
    if phoff >= end:
        phoff -= delta
    if shoff >= end:
        shoff -= delta
    eh[5], eh[6] = phoff, shoff
    _EHDR.pack_into(out, 0, *eh)
    for i in range(phnum):
        p = list(_PHDR.unpack_from(out, phoff + i * phentsize))
        if p[2] >= end:
            p[2] -= delta
            if p[0] == _PT_LOAD:
                p[7] = min(p[7], _PAGE)
                if (p[3] - p[2]) % _PAGE:
                    return None
        _PHDR.pack_into(out, phoff + i * phentsize, *p)
    for i in range(shnum):
        sh = list(_SHDR.unpack_from(out, shoff + i * shentsize))
        if sh[4] >= end:
            sh[4] -= delta
        _SHDR.pack_into(out, shoff + i * shentsize, *sh)
    return bytes(out)


def _loads(lib: Path, search: list[Path]) -> bool:
    """The library loads (and its dependencies resolve) in a fresh process."""
    env = {**os.environ, "LD_LIBRARY_PATH": os.pathsep.join(map(str, search))}
    probe = subprocess.run(
        [sys.executable, "-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])", str(lib)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.returncode == 0


def close_file_gaps(bundle: Path) -> int:
    """Cut the unused gaps out of the bundle's ELF libraries; returns the bytes saved."""
    if _missing("readelf"):
        say("gap closing skipped: binutils not installed")
        return 0
    saved, done = 0, []
    for path in sorted(bundle.rglob("*.so*")):
        if not path.is_file() or path.is_symlink() or not _is_elf(path):
            continue
        data = original = path.read_bytes()
        while (smaller := close_gap(data)) is not None:
            data = smaller
        if data is original:
            continue
        before_dyn = _run(["readelf", "--dyn-syms", "-d", "-W", str(path)]).stdout
        closed = path.with_name(path.name + ".closed")
        closed.write_bytes(data)
        closed.chmod(path.stat().st_mode)
        same = _run(["readelf", "--dyn-syms", "-d", "-W", str(closed)]).stdout == before_dyn
        if not same or not _loadable(closed) or not _loads(closed, [path.parent, bundle / "_internal"]):
            closed.unlink()
            say(f"gap closing: {path.name} left as it was (the rewritten file did not check out)")
            continue
        os.replace(closed, path)
        saved += len(original) - len(data)
        done.append(f"{path.name} -{(len(original) - len(data)) / 1e6:.1f} MB")
    say(f"closed file gaps: {', '.join(done) or 'none found'}")
    return saved


def slim_bundle(bundle: Path) -> dict[str, float]:
    """All steps (Linux only); returns MB saved per step."""
    if not sys.platform.startswith("linux"):
        return {}
    return {
        name: round(step(bundle) / 1e6, 1)
        for name, step in (
            ("share_openblas", share_openblas),
            ("reference_blas", reference_blas),
            ("stub_codecs", stub_codecs),
            ("slim_icu_data", slim_icu_data),
            ("strip_binaries", strip_binaries),
            ("close_file_gaps", close_file_gaps),
        )
    }


# --- what is in a bundle -----------------------------------------------------------------------------------
GROUPS = (  # (label, path prefixes under _internal/)
    ("opencv", ("cv2", "opencv_python_headless.libs")),
    ("qt", ("PySide6", "shiboken6")),
    ("numpy", ("numpy", "numpy.libs")),
    ("python", ("python3.", "libpython3", "base_library.zip")),
    ("cryptography", ("cryptography",)),
    ("sqlalchemy", ("sqlalchemy",)),
)


def breakdown(bundle: Path) -> dict[str, float]:
    """MB per component (the executable includes the compressed Python code)."""
    sizes: dict[str, int] = {}
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(bundle).parts
        if rel[0] != "_internal":
            label = "executable+python code"
        else:
            top = rel[1] if len(rel) > 1 else ""
            label = next(
                (name for name, prefixes in GROUPS if top.startswith(prefixes)),
                "system libraries" if top.startswith("lib") and ".so" in top else "other packages",
            )
        sizes[label] = sizes.get(label, 0) + path.stat().st_size
    return {k: round(v / 1e6, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])}


if __name__ == "__main__":  # python packaging/slim.py dist/guardstation [--breakdown]
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/guardstation")
    if "--breakdown" not in sys.argv:
        print(slim_bundle(target))
    print(breakdown(target))
