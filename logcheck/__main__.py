import sys

from logcheck.cli import main

sys.exit(main())
