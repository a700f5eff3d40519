"""`python -m bench SUBCOMMAND [--json]`: the project's own benchmarks.

Figures are printed, never asserted: ratios are computed against a baseline
measured in the same run, and goals are shown next to the figures.
"""

from __future__ import annotations

import sys

from bench import main

if __name__ == "__main__":
    sys.exit(main())
