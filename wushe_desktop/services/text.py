"""Search keys of Chinese names: full pinyin and initials (pypinyin)."""

from __future__ import annotations

from functools import lru_cache


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
