"""`python -m guardstation.server ...` is `guardstation-server ...`."""

import sys

from guardstation.server.cli import main

sys.exit(main())
