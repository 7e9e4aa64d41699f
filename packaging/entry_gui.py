"""PyInstaller entry point of the GUI (`wushe-desktop`)."""

import sys

from wushe_desktop.app import main

sys.exit(main())
