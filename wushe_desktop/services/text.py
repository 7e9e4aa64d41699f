"""Search keys of Chinese names: full pinyin and initials (pypinyin)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_


@lru_cache(maxsize=4096)
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin without tones, initials) of a name; '·' and other marks dropped.

    ``王桂花`` → ``("wangguihua", "wgh")``; Latin letters keep themselves.
    """
    from pypinyin import Style, lazy_pinyin  # deferred: a large import

    syllables = [s for s in lazy_pinyin(name, style=Style.NORMAL, errors="ignore") if s.isalpha()]
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables).lower()
    return full[:200], initials[:60]


def id_tail_query(text: str) -> str | None:
    """The search box's text as the end of an ID number, or ``None`` if it cannot be one.

    Digits, or digits then the check character X (either case): ``"008x"`` → ``"008X"``,
    so a person whose number ends in X is found by its last four characters too.
    """
    q = text.strip().upper()
    if q.isdigit() or (len(q) >= 2 and q[:-1].isdigit() and q.endswith("X")):
        return q
    return None


def id_tail_matches(column: Any, tail: str) -> Any:
    """A condition on an ``id_tail`` column (its last four characters) for :func:`id_tail_query`'s
    result: the last four typed must be equal; fewer, the tail starts (digits) or ends (…X) with them.

    A start is written as a range (``'12' <= id_tail < '13'``), which the column's index
    answers; SQLite's case-insensitive ``LIKE 'x%'`` cannot use it.
    """
    if len(tail) >= 4:
        return column == tail[-4:]
    if tail.endswith("X"):
        return column.endswith(tail)
    return and_(column >= tail, column < prefix_end(tail))


def prefix_end(prefix: str) -> str:
    """The least string after every string that starts with ``prefix`` (ASCII letters or
    digits): ``"wg"`` → ``"wh"``, ``"19"`` → ``"1:"``. ``start <= column < prefix_end`` is a
    prefix match an index can answer."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
