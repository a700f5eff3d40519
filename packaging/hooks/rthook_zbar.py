# PyInstaller runtime hook: let pyzbar find the libzbar bundled next to the executable.
# pyzbar looks the library up with ctypes.util.find_library("zbar"), which only searches the
# system; when the bundle carries its own copy (Linux/macOS builds), point the lookup there.
import ctypes.util
import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle:
    _candidates = [os.path.join(_bundle, name) for name in ("libzbar.so.0", "libzbar.0.dylib", "libzbar.dylib")]
    _bundled = next((path for path in _candidates if os.path.exists(path)), None)
    if _bundled:
        _original_find_library = ctypes.util.find_library

        def _find_library(name, _original=_original_find_library, _bundled=_bundled):
            return _bundled if name == "zbar" else _original(name)

        ctypes.util.find_library = _find_library
