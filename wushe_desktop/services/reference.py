"""Reference data shipped in ``resources/data/``, loaded once per process.

The parsing and queries live in the domain (:mod:`wushe_desktop.domain.divisions`); this
module only finds the packaged file and caches the result.
"""

from __future__ import annotations

import functools

from wushe_desktop.domain.divisions import DivisionTable
from wushe_desktop.paths import resource_path

__all__ = ["DIVISIONS_CSV", "division_table"]

DIVISIONS_CSV = "inner-mongolia-divisions.csv"
"""File name of the division table under ``resources/data/``."""


@functools.cache
def division_table() -> DivisionTable:
    """Inner Mongolia's division table (region to township), read once and cached.

    Returns:
        The table parsed from ``resources/data/inner-mongolia-divisions.csv`` (UTF-8).

    Raises:
        FileNotFoundError: if the packaged file is missing (a broken installation).
        ValueError: if the file is malformed.
    """
    text = resource_path("data", DIVISIONS_CSV).read_text(encoding="utf-8")
    return DivisionTable.from_csv_text(text)
