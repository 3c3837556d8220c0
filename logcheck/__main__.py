import sys

from logcheck.interfaces.cli import main

sys.exit(main())
