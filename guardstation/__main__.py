import sys

from guardstation.app import main

sys.exit(main())
