"""Entry point of the packaged executable (PyInstaller runs this as __main__)."""

import sys

from guardstation.app import main

if __name__ == "__main__":
    sys.exit(main())
