"""Allows `python -m syncd`."""

import sys

from syncd.entrypoints.cli import main

sys.exit(main())
