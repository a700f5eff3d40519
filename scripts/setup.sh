#!/usr/bin/env bash
# Sets up GuardStation in ./.venv on a fresh machine (Debian/Ubuntu or any system with python3 >= 3.11).
#   scripts/setup.sh            the app
#   scripts/setup.sh test       the app + everything the tests need (zbar, pytest, PyInstaller, ...)
# System libraries (zbar for the optional pyzbar decoder, the few libraries Qt needs even offscreen)
# are installed with apt-get when they are missing and we are root or have sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-app}"

apt_packages=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0)
# Qt's xcb platform plugin (a desktop with X11) loads these; the bundle carries what it finds here.
apt_packages+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
               libxcb-randr0 libxcb-shape0 libxcb-xkb1)
# binutils: PyInstaller reads ELF headers; icu-devtools + gcc: packaging/slim.py;
# liblapack64-dev + libblas64-dev: the reference BLAS/LAPACK slim.py builds in place of OpenBLAS.
[ "$want" = test ] && apt_packages+=(libzbar0 binutils icu-devtools gcc liblapack64-dev libblas64-dev)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "setup: installing system packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want" = test ]; then
  .venv/bin/python -m pip install -q -e ".[test,zbar,server,packaging]"
else
  .venv/bin/python -m pip install -q -e .
fi
