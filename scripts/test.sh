#!/usr/bin/env bash
# Sets up everything the tests need (system libraries included) and runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m slow` for the long fuzz/soak runs; with no
# arguments the PyInstaller bundle is built and self-tested after the tests (packaging/build.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
# Static checks first: imports point down the layers, no cycles, Qt only in ui/; lint; formatting.
.venv/bin/lint-imports --no-cache
.venv/bin/ruff check .
.venv/bin/ruff format --check .
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest -p no:cacheprovider --timeout=600 -q "$@"
fi
.venv/bin/python -m pytest -p no:cacheprovider --timeout=600 -q -m "not slow"
# The whole run (CI) also builds the packaged executable and runs its own --self-test; --measure
# prints its size and start-up time (JSON).
.venv/bin/python packaging/build.py --measure
