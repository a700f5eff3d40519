#!/usr/bin/env bash
# Installs the built bundle (dist/guardstation) for all users on Linux:
#   /opt/guardstation/            the bundle
#   /usr/local/bin/guardstation   a link to its executable
#   the .desktop entry and icon   in /usr/local/share
# Each user's data stays in ~/.local/share/GuardStation. Run as root: sudo packaging/linux/install.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x dist/guardstation/guardstation ] || { echo "build first: python packaging/build.py" >&2; exit 1; }
prefix=${PREFIX:-/usr/local}
rm -rf /opt/guardstation
cp -a dist/guardstation /opt/guardstation
ln -sf /opt/guardstation/guardstation "$prefix/bin/guardstation"
install -Dm644 packaging/linux/guardstation.desktop "$prefix/share/applications/guardstation.desktop"
install -Dm644 resources/icons/guardstation.png "$prefix/share/icons/hicolor/256x256/apps/guardstation.png"
install -Dm644 resources/icons/guardstation.svg "$prefix/share/icons/hicolor/scalable/apps/guardstation.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
echo "installed: /opt/guardstation (run: guardstation --self-test)"
