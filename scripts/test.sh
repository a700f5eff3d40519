#!/usr/bin/env bash
# Sets up everything the tests need (system libraries included) and runs the whole test suite.
# Extra arguments go to pytest, e.g. `scripts/test.sh -m slow` for the long fuzz/soak runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
[ -d ../shared/corpus ] || { echo "test: ../shared/corpus is missing (the public test corpora)" >&2; exit 1; }
if [ $# -eq 0 ]; then
  set -- -m "not slow"
fi
exec .venv/bin/python -m pytest -p no:cacheprovider --timeout=600 -q "$@"
