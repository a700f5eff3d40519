# PyInstaller hook for the optional pyzbar decoder: bundle the zbar shared library where the
# system has one (Linux: libzbar0). Windows wheels of pyzbar carry their own DLLs.
import ctypes.util
import os
import subprocess
import sys

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("pyzbar")


def _system_zbar():
    if not sys.platform.startswith("linux"):
        return None
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in listing.splitlines():
        if line.strip().startswith("libzbar.so.0 ") and "=>" in line:
            path = line.split("=>")[1].strip()
            if os.path.exists(path):
                return path
    return None


_zbar = _system_zbar()
if _zbar:
    binaries.append((_zbar, "."))
elif ctypes.util.find_library("zbar") is None and not binaries:
    print("hook-pyzbar: no zbar library found; the bundle's pyzbar decoder will be unavailable (optional)")
