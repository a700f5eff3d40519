"""Make the Linux one-folder bundle smaller without losing a feature (run by packaging/build.py).

Three steps, each measured and each optional (a missing tool skips it with a message):

* ``share_openblas``: OpenCV's wheel and NumPy's wheel each carry a full OpenBLAS (39 + 25 MB). OpenCV
  calls 19 of its functions; a 17 kB library compiled from ``openblas_shim.c`` under OpenCV's file name
  forwards them to NumPy's OpenBLAS, and OpenCV's copy goes (with the gfortran runtime only it needed).
* ``slim_icu_data``: Qt's ICU data library (32 MB) holds every language's locale data, CJK/Thai word
  dictionaries and ~200 legacy code-page tables. Qt uses ICU only for collation, case mapping, time-zone
  names and legacy text codecs; the app speaks Indonesian and English. The rebuilt library keeps every
  non-language item (time zones, normalisation, collation root, plural rules...), the root, English
  and Indonesian data of every tree and the single-byte code pages, and drops the rest. Any other
  locale falls back to the root data, as ICU does for a locale it does not know.
* ``strip_binaries``: symbol tables of shared libraries that still carry them (``strip
  --strip-unneeded``; the dynamic symbols everything links against stay).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIM_SOURCE = HERE / "openblas_shim.c"
# Kept in every ICU data tree: the root (fallback of every locale), the tree's index and key pool, and
# the app's two languages (Indonesian also under its legacy code "in").
ICU_KEEP_LOCALES = frozenset({"root", "pool", "res_index", "en", "en_001", "en_150", "en_GB", "en_US",
                              "en_US_POSIX", "id", "id_ID", "in", "in_ID"})
ICU_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")  # "zh_Hant_TW", "es_419", "ars", "de_" (not "zoneinfo64")
ICU_MAX_CODEPAGE = 64_000   # single-byte code-page tables are a few kB; CJK multi-byte ones 100-550 kB


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
    still_needed = {name for lib in internal.rglob("*.so*") if lib.is_file() and _is_elf(lib)
                    for name in _needed(lib)}
    for lib in sorted(cv_libs.iterdir()):
        if lib.name in only_blas and lib.name not in still_needed:
            lib.unlink()
    saved = before - tree_bytes(cv_libs)
    say(f"OpenCV now uses NumPy's OpenBLAS ({provider.name}) through a {shim_size(target)} forwarder: "
        f"-{saved / 1e6:.1f} MB")
    return saved


def build_openblas_shim(out: Path, provider: Path) -> Path:
    """Compile openblas_shim.c as `out` (its file name is the soname), linked to NumPy's OpenBLAS."""
    _run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(out), str(SHIM_SOURCE),
          f"-L{provider.parent}", f"-l:{provider.name}", f"-Wl,-soname,{out.name}",
          "-Wl,-rpath,$ORIGIN/../numpy.libs", "-Wl,--no-undefined", "-Wl,-z,noexecstack"])
    return out


def shim_size(path: Path) -> str:
    return f"{path.stat().st_size / 1e3:.0f} kB"


# --- ICU data --------------------------------------------------------------------------------------------
def icu_item_kept(item: str, size: int) -> bool:
    """Whether an item of ICU's data package ("coll/de.res", "gb18030.cnv", "zoneinfo64.res") stays."""
    tree, _, name = item.rpartition("/")
    stem, _, ext = name.rpartition(".")
    if tree == "brkitr":    # text-break rules and dictionaries: Qt calls no ICU break iterator
        return False
    if ext == "res":
        # Per-language data goes except root/en/id; data that is not per language stays.
        return stem in ICU_KEEP_LOCALES or not ICU_LOCALE.fullmatch(stem)
    if ext == "cnv":        # legacy code pages: the single-byte ones stay, the big CJK multi-byte tables go
        return size <= ICU_MAX_CODEPAGE
    return True             # normalisation, collation (ucadata), names, break rules, spoof data...


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
    package = symbol[: -len("_dat")] + "l"                     # icudt73l: little-endian data, ICU 73
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
            result = subprocess.run(["icupkg", "-r", "drop.txt", f"{package}.dat", f"out/{package}.dat"],
                                    cwd=work, capture_output=True, text=True, timeout=300)
            dependents = set(re.findall(r"Item (\S+) depends on missing item", result.stdout + result.stderr))
            if result.returncode == 0 or not dependents - drop:
                break
            drop |= dependents
        if result.returncode != 0:
            raise RuntimeError(f"icupkg failed: {(result.stdout + result.stderr)[-2000:]}")
        _run(["genccode", "-e", symbol[: -len("_dat")], "-a", "gcc", "-d", str(work), f"out/{package}.dat"],
             cwd=work)
        assembly = next(work.glob("*.S"))
        rebuilt = work / lib.name
        soname = next((line.split("[", 1)[1].split("]", 1)[0] for line in _run(["readelf", "-d", str(lib)])
                       .stdout.splitlines() if "(SONAME)" in line), lib.name)
        _run(["gcc", "-shared", "-nostdlib", "-o", str(rebuilt), str(assembly), f"-Wl,-soname,{soname}",
              "-Wl,-z,noexecstack"])
        _elf_symbol(rebuilt, re.escape(symbol))                # the entry point ICU looks for is there
        shutil.copyfile(rebuilt, lib)
    saved = before - lib.stat().st_size
    say(f"ICU data: kept {len(listing) - len(drop)} of {len(listing)} items, "
        f"{before / 1e6:.1f} MB -> {lib.stat().st_size / 1e6:.1f} MB")
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
            continue   # the executables: PyInstaller appends its archive to them
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


def slim_bundle(bundle: Path) -> dict[str, float]:
    """All steps (Linux only); returns MB saved per step."""
    if not sys.platform.startswith("linux"):
        return {}
    return {name: round(step(bundle) / 1e6, 1)
            for name, step in (("share_openblas", share_openblas), ("slim_icu_data", slim_icu_data),
                               ("strip_binaries", strip_binaries))}


# --- what is in a bundle -----------------------------------------------------------------------------------
GROUPS = (   # (label, path prefixes under _internal/)
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
            label = next((name for name, prefixes in GROUPS if top.startswith(prefixes)),
                         "system libraries" if top.startswith("lib") and ".so" in top else "other packages")
        sizes[label] = sizes.get(label, 0) + path.stat().st_size
    return {k: round(v / 1e6, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])}


if __name__ == "__main__":   # python packaging/slim.py dist/guardstation [--breakdown]
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/guardstation")
    if "--breakdown" not in sys.argv:
        print(slim_bundle(target))
    print(breakdown(target))
