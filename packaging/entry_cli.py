"""PyInstaller entry point of the command line (`wushe`)."""

import sys

from wushe_desktop.cli import main

sys.exit(main())
