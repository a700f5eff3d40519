#!/usr/bin/env bash
# Sets up and starts the guard's station. With no arguments: demo mode (no webcam, no server needed).
#   scripts/run.sh                 demo site, demo passes, simulated camera
#   scripts/run.sh --camera 0      the first webcam
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
[ $# -eq 0 ] && set -- --demo
exec .venv/bin/guardstation "$@"
