"""The division table, built from the real CSV shipped in resources/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe_desktop.domain.divisions import (
    Division,
    DivisionLevel,
    DivisionTable,
    normalize_code,
)

CSV_PATH = (
    Path(__file__).resolve().parents[2] / "resources" / "data" / "inner-mongolia-divisions.csv"
)

BIKEQI = "150121101000"  # 毕克齐镇
TUZUOQI = "150121000000"  # 土默特左旗
HOHHOT = "150100000000"  # 呼和浩特市
REGION = "150000000000"  # 内蒙古自治区


@pytest.fixture(scope="module")
def table() -> DivisionTable:
    return DivisionTable.from_csv_text(CSV_PATH.read_text(encoding="utf-8"))


def test_counts(table: DivisionTable) -> None:
    assert len(table.leagues()) == 12
    assert len(table.banners()) == 108
    townships = [d for d in table if d.level is DivisionLevel.TOWNSHIP]
    assert len(townships) == 1225
    assert len(table) == 1 + 12 + 108 + 1225
    assert sum(len(table.townships(b.code)) for b in table.banners()) == 1225
    assert sum(len(table.banners(lg.code)) for lg in table.leagues()) == 108


def test_township_banner_league_chain(table: DivisionTable) -> None:
    bikeqi = table.get(BIKEQI)
    assert bikeqi == Division(DivisionLevel.TOWNSHIP, BIKEQI, "毕克齐镇", TUZUOQI)

    banner = table.banner_of(BIKEQI)
    assert banner is not None
    assert (banner.code, banner.name, banner.level) == (TUZUOQI, "土默特左旗", DivisionLevel.BANNER)

    league = table.league_of(BIKEQI)
    assert league is not None
    assert (league.code, league.name, league.level) == (HOHHOT, "呼和浩特市", DivisionLevel.LEAGUE)
    assert table.league_of(TUZUOQI) == league
    assert league.parent_code == REGION


def test_banner_and_league_return_themselves(table: DivisionTable) -> None:
    assert table.banner_of(TUZUOQI) == table.get(TUZUOQI)
    assert table.league_of(HOHHOT) == table.get(HOHHOT)
    assert table.banner_of(HOHHOT) is None
    assert table.banner_of(REGION) is None
    assert table.league_of(REGION) is None


def test_unknown_township_still_finds_its_banner(table: DivisionTable) -> None:
    """A withdrawn township code (not in the table) keeps its banner prefix."""
    assert table.get("150121999000") is None
    banner = table.banner_of("150121999000")
    assert banner is not None
    assert banner.code == TUZUOQI


def test_six_digit_and_short_codes(table: DivisionTable) -> None:
    assert table.get("150121") == table.get(TUZUOQI)
    assert table.get(" 150121 ") == table.get(TUZUOQI)
    assert table.get("1501") == table.get(HOHHOT)
    assert table.get("150121101") == table.get(BIKEQI)
    assert table.banner_of("150121") == table.get(TUZUOQI)
    assert [t.code for t in table.townships("150121")] == [t.code for t in table.townships(TUZUOQI)]
    assert "150121" in table
    assert normalize_code("150121") == TUZUOQI


@pytest.mark.parametrize(
    "bad", ["", "15012", "1501210", "15012110100a", "1501211010001", "１５０１２１"]
)
def test_malformed_codes_are_not_found(table: DivisionTable, bad: str) -> None:
    assert normalize_code(bad) is None
    assert table.get(bad) is None
    assert table.banner_of(bad) is None
    assert table.league_of(bad) is None
    assert table.townships(bad) == []
    assert bad not in table


def test_townships_of_a_banner(table: DivisionTable) -> None:
    townships = table.townships(TUZUOQI)
    assert BIKEQI in [t.code for t in townships]
    assert all(t.parent_code == TUZUOQI and t.level is DivisionLevel.TOWNSHIP for t in townships)
    assert [t.code for t in townships] == sorted(t.code for t in townships)
    assert table.townships(HOHHOT) == []  # a league has banners, not townships
    assert table.townships("159999000000") == []


def test_banners_of_a_league(table: DivisionTable) -> None:
    banners = table.banners(HOHHOT)
    assert TUZUOQI in [b.code for b in banners]
    assert all(b.parent_code == HOHHOT for b in banners)
    assert table.banners("1501") == banners
    assert table.banners("159900000000") == []


def test_search(table: DivisionTable) -> None:
    assert [d.code for d in table.search("毕克齐")] == [BIKEQI]
    assert table.search("  ") == []
    assert table.search("毕克齐", limit=0) == []
    assert len(table.search("镇", limit=7)) == 7


def test_search_puts_townships_first(table: DivisionTable) -> None:
    hits = table.search("呼和浩特")
    levels = [d.level for d in hits]
    rank = [DivisionLevel.TOWNSHIP, DivisionLevel.BANNER, DivisionLevel.LEAGUE]
    assert set(levels) == set(rank)
    assert levels == sorted(levels, key=rank.index)
    assert hits[-1].code == HOHHOT
    assert [(d.name, d.level) for d in table.search("元宝山")] == [
        ("元宝山镇", DivisionLevel.TOWNSHIP),
        ("元宝山区", DivisionLevel.BANNER),
    ]


def test_search_by_code_prefix(table: DivisionTable) -> None:
    hits = table.search("150121", limit=200)
    assert {d.code for d in hits} == {TUZUOQI} | {t.code for t in table.townships(TUZUOQI)}


def test_full_name(table: DivisionTable) -> None:
    assert table.full_name(BIKEQI) == "呼和浩特市土默特左旗毕克齐镇"
    assert table.full_name("150121") == "呼和浩特市土默特左旗"
    assert table.full_name(HOHHOT) == "呼和浩特市"
    assert table.full_name(REGION) == "内蒙古自治区"
    with pytest.raises(KeyError):
        table.full_name("150121999000")


def test_levels_have_chinese_labels() -> None:
    assert [level.label for level in DivisionLevel] == ["自治区", "盟市", "旗县", "苏木乡镇"]
    assert DivisionLevel.from_label("旗县") is DivisionLevel.BANNER
    assert DivisionLevel.from_label("township") is DivisionLevel.TOWNSHIP
    with pytest.raises(ValueError, match="嘎查村"):
        DivisionLevel.from_label("嘎查村")


def test_bom_and_blank_lines_are_accepted() -> None:
    text = "\ufefflevel,code,name,parent_code\r\n自治区,150000000000,内蒙古自治区,\r\n\r\n"
    assert len(DivisionTable.from_csv_text(text)) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code,name\n", "header"),
        ("level,code,name,parent_code\n自治区,15,内蒙古自治区,\n", "line 2"),
        ("level,code,name,parent_code\n村,150000000000,内蒙古自治区,\n", "line 2"),
        ("level,code,name,parent_code\n自治区,150000000000,,\n", "empty name"),
        ("level,code,name,parent_code\n自治区,150000000000,内蒙古自治区\n", "columns"),
        (
            "level,code,name,parent_code\n自治区,150000000000,内蒙古,\n自治区,150000000000,内蒙古,\n",
            "duplicate",
        ),
        (
            "level,code,name,parent_code\n盟市,150100000000,呼和浩特市,150000000000\n",
            "unknown parent",
        ),
    ],
)
def test_malformed_csv_is_rejected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DivisionTable.from_csv_text(text)
