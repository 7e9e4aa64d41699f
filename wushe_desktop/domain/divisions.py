"""Inner Mongolia's administrative divisions: region, leagues, banners and townships.

The table is reference data (统计用区划代码, National Bureau of Statistics, 2022-10-31; see
``resources/data/README.md``), loaded by :func:`wushe_desktop.services.reference.division_table`.
This module only parses and queries it, so it stays plain Python.

Codes are 12 digits: ``15`` region, ``01`` league/city (盟市), ``21`` banner/county/district
(旗县), ``101`` township (苏木乡镇), ``000`` village (not in the table). Lookups also accept the
usual shortened forms (2, 4, 6 or 9 digits, e.g. the 6-digit county code at the front of an
ID number) and pad them with zeros. A code missing from the table is not an error: codes
change and old records keep old ones, so lookups return ``None`` rather than raise.

Standard library only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["CODE_LENGTH", "Division", "DivisionLevel", "DivisionTable", "normalize_code"]

CODE_LENGTH = 12
"""Digits in a full statistical division code."""

_SHORT_LENGTHS = frozenset({2, 4, 6, 9, CODE_LENGTH})
_CSV_COLUMNS = ("level", "code", "name", "parent_code")


class DivisionLevel(StrEnum):
    """The level of a division; values are stable English codes, :attr:`label` is Chinese."""

    REGION = "region"  # 自治区
    LEAGUE = "league"  # 盟市
    BANNER = "banner"  # 旗县 (banners, counties, city districts)
    TOWNSHIP = "township"  # 苏木乡镇 (sumu, townships, towns, subdistricts, farms...)

    @property
    def label(self) -> str:
        """The Chinese level name used in the CSV file (e.g. ``旗县``)."""
        return _LABELS[self]

    @classmethod
    def from_label(cls, label: str) -> DivisionLevel:
        """Return the level whose Chinese :attr:`label` (or English value) is ``label``.

        Args:
            label: ``自治区``, ``盟市``, ``旗县`` or ``苏木乡镇`` (or the English value).

        Raises:
            ValueError: if ``label`` names no level.
        """
        text = label.strip()
        for level, chinese in _LABELS.items():
            if text in (chinese, level.value):
                return level
        raise ValueError(f"unknown division level {label!r}")


_LABELS: dict[DivisionLevel, str] = {
    DivisionLevel.REGION: "自治区",
    DivisionLevel.LEAGUE: "盟市",
    DivisionLevel.BANNER: "旗县",
    DivisionLevel.TOWNSHIP: "苏木乡镇",
}

# Townships first in search results, then banners, leagues and the region.
_SEARCH_RANK: dict[DivisionLevel, int] = {
    DivisionLevel.TOWNSHIP: 0,
    DivisionLevel.BANNER: 1,
    DivisionLevel.LEAGUE: 2,
    DivisionLevel.REGION: 3,
}


def normalize_code(code: str) -> str | None:
    """Return the 12-digit form of a division code, or ``None`` if it is not one.

    Surrounding whitespace is ignored; 2, 4, 6 and 9-digit prefixes are padded with zeros
    (``"150121"`` becomes ``"150121000000"``).

    Args:
        code: a full or shortened division code.

    Returns:
        The 12-digit code, or ``None`` when ``code`` is not ASCII digits of a usable length.
    """
    text = code.strip()
    if not (text.isascii() and text.isdigit()) or len(text) not in _SHORT_LENGTHS:
        return None
    return text.ljust(CODE_LENGTH, "0")


@dataclass(frozen=True)
class Division:
    """One administrative division.

    Attributes:
        level: region, league, banner or township.
        code: the 12-digit statistical division code.
        name: the official name, e.g. ``毕克齐镇``.
        parent_code: the code of the enclosing division; ``None`` for the region.
    """

    level: DivisionLevel
    code: str
    name: str
    parent_code: str | None


class DivisionTable:
    """An immutable, indexed set of divisions.

    Build it with :meth:`from_csv_text` (or from :class:`Division` objects). All list
    results are in code order unless stated otherwise.
    """

    def __init__(self, divisions: Iterable[Division]) -> None:
        """Index ``divisions``.

        Args:
            divisions: every division; each parent must be present too.

        Raises:
            ValueError: on a malformed or duplicate code, or a parent missing from the set.
        """
        by_code: dict[str, Division] = {}
        for division in divisions:
            if len(division.code) != CODE_LENGTH or normalize_code(division.code) != division.code:
                raise ValueError(f"division code must be {CODE_LENGTH} digits: {division.code!r}")
            if division.code in by_code:
                raise ValueError(f"duplicate division code {division.code}")
            by_code[division.code] = division
        children: dict[str, list[Division]] = {}
        for division in by_code.values():
            parent = division.parent_code
            if parent is None:
                continue
            if parent not in by_code:
                raise ValueError(f"division {division.code} has unknown parent {parent}")
            children.setdefault(parent, []).append(division)
        self._by_code = dict(sorted(by_code.items()))
        self._children = {code: sorted(kids, key=_code_key) for code, kids in children.items()}

    @classmethod
    def from_csv_text(cls, text: str) -> DivisionTable:
        """Parse the reference CSV (columns ``level,code,name,parent_code``, header row).

        ``level`` holds the Chinese level name (``自治区``, ``盟市``, ``旗县``, ``苏木乡镇``);
        an empty ``parent_code`` means no parent. A leading byte-order mark is ignored.

        Args:
            text: the whole file, already decoded.

        Returns:
            The indexed table.

        Raises:
            ValueError: if the header, a level, a code or a parent reference is wrong
                (the message names the line).
        """
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != _CSV_COLUMNS:
            raise ValueError(
                f"division CSV header must be {','.join(_CSV_COLUMNS)}, got {header!r}"
            )
        divisions: list[Division] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"division CSV line {reader.line_num}"
            if len(row) != len(_CSV_COLUMNS):
                raise ValueError(f"{where}: expected {len(_CSV_COLUMNS)} columns, got {len(row)}")
            level_text, code, name, parent_code = (cell.strip() for cell in row)
            try:
                level = DivisionLevel.from_label(level_text)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
            if len(code) != CODE_LENGTH or normalize_code(code) != code:
                raise ValueError(f"{where}: code must be {CODE_LENGTH} digits, got {code!r}")
            if not name:
                raise ValueError(f"{where}: empty name")
            divisions.append(Division(level, code, name, parent_code or None))
        return cls(divisions)

    def __len__(self) -> int:
        """Number of divisions, all levels together."""
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        """Every division in code order."""
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` (full or shortened) is in the table."""
        return isinstance(code, str) and self.get(code) is not None

    def get(self, code: str) -> Division | None:
        """Look a division up by code.

        Args:
            code: a 12-digit code, or a 2/4/6/9-digit prefix (``"150121"``).

        Returns:
            The division, or ``None`` if the code is malformed or not in the table.
        """
        full = normalize_code(code)
        return None if full is None else self._by_code.get(full)

    def banner_of(self, code: str) -> Division | None:
        """The banner (旗县) containing a township code; a banner code returns itself.

        The banner is found from the code's first 6 digits, so a township code that has
        since been withdrawn still finds its banner.

        Args:
            code: a township or banner code (full or shortened).

        Returns:
            The banner, or ``None`` for a league or region code, a malformed code or an
            unknown banner.
        """
        full = normalize_code(code)
        if full is None or full[4:6] == "00":
            return None
        return self._at_level(full[:6].ljust(CODE_LENGTH, "0"), DivisionLevel.BANNER)

    def league_of(self, code: str) -> Division | None:
        """The league or city (盟市) containing a code; a league code returns itself.

        Args:
            code: a township, banner or league code (full or shortened).

        Returns:
            The league, or ``None`` for the region code, a malformed code or an unknown
            league.
        """
        full = normalize_code(code)
        if full is None or full[2:4] == "00":
            return None
        return self._at_level(full[:4].ljust(CODE_LENGTH, "0"), DivisionLevel.LEAGUE)

    def leagues(self) -> list[Division]:
        """All leagues and cities (盟市)."""
        return [d for d in self._by_code.values() if d.level is DivisionLevel.LEAGUE]

    def banners(self, league_code: str | None = None) -> list[Division]:
        """Banners, counties and districts (旗县), all of them or those of one league.

        Args:
            league_code: a league code (full or 4-digit); ``None`` for every banner.

        Returns:
            The banners; empty for an unknown league.
        """
        if league_code is None:
            return [d for d in self._by_code.values() if d.level is DivisionLevel.BANNER]
        return self._children_at_level(league_code, DivisionLevel.BANNER)

    def townships(self, banner_code: str) -> list[Division]:
        """The townships (苏木乡镇) of a banner.

        Args:
            banner_code: a banner code (full or 6-digit).

        Returns:
            The townships; empty for an unknown banner.
        """
        return self._children_at_level(banner_code, DivisionLevel.TOWNSHIP)

    def search(self, text: str, limit: int = 50) -> list[Division]:
        """Find divisions whose name contains ``text`` (e.g. ``毕克齐``).

        An all-digit ``text`` matches the start of codes instead (``"150121"`` finds the
        banner and its townships). Results: townships first, then banners, leagues and the
        region; within a level, names starting with ``text`` come first, then code order.

        Args:
            text: the fragment the user typed; surrounding whitespace is ignored.
            limit: at most this many results.

        Returns:
            The matches; empty for blank ``text`` or a non-positive ``limit``.
        """
        needle = text.strip()
        if not needle or limit <= 0:
            return []
        if needle.isascii() and needle.isdigit():
            hits = [d for d in self._by_code.values() if d.code.startswith(needle)]
        else:
            hits = [d for d in self._by_code.values() if needle in d.name]
        hits.sort(key=lambda d: (_SEARCH_RANK[d.level], not d.name.startswith(needle), d.code))
        return hits[:limit]

    def full_name(self, code: str) -> str:
        """The name with its league and banner, as written on forms.

        The region is left out below region level: ``150121101000`` gives
        ``呼和浩特市土默特左旗毕克齐镇``, ``150121`` gives ``呼和浩特市土默特左旗``.

        Args:
            code: any code in the table (full or shortened).

        Returns:
            The concatenated names.

        Raises:
            KeyError: if the code is not in the table.
        """
        division = self.get(code)
        if division is None:
            raise KeyError(code)
        names: list[str] = []
        current: Division | None = division
        while current is not None:
            if current.level is not DivisionLevel.REGION or current is division:
                names.append(current.name)
            current = (
                None if current.parent_code is None else self._by_code.get(current.parent_code)
            )
        return "".join(reversed(names))

    def _at_level(self, full_code: str, level: DivisionLevel) -> Division | None:
        division = self._by_code.get(full_code)
        return division if division is not None and division.level is level else None

    def _children_at_level(self, code: str, level: DivisionLevel) -> list[Division]:
        full = normalize_code(code)
        if full is None:
            return []
        return [d for d in self._children.get(full, []) if d.level is level]


def _code_key(division: Division) -> str:
    return division.code
