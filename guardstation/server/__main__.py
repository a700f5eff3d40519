"""`python -m guardstation.server ...` is `guardstation-server ...`."""
import sys

from .cli import main

sys.exit(main())
