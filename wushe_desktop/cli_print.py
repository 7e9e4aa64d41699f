"""`wushe print …` commands (DESIGN.md §8), kept apart from cli.py."""

from __future__ import annotations

import argparse
from typing import Any


def add_print_commands(sub: Any) -> None:
    """Register the `print` command group on the top-level subparsers."""
    _ = (sub, argparse)
