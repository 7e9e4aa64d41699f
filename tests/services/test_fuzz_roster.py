"""Hostile rosters (issue 6 §6): the importer never crashes and never half-writes.

Hypothesis builds csv and xlsx files with headers drawn from the known Chinese and
English aliases, junk and duplicates; cells of any Unicode (CJK Extension B, emoji,
control characters, very long text, numbers in scientific notation); csv bytes in
UTF-8, UTF-8 with BOM or GB18030; and sometimes cuts the file's bytes short.

Property: :func:`~wushe_desktop.services.roster_import.import_roster` either returns a
report or raises a :class:`~wushe_desktop.errors.WusheError`; when it raises or does not
write, the database is exactly as before (records and audit rows).
"""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select

from wushe_desktop.errors import WusheError
from wushe_desktop.services.context import Actor
from wushe_desktop.services.roster_files import PEOPLE_COLUMNS, VOLUNTEER_COLUMNS
from wushe_desktop.services.roster_import import RosterKind, import_roster
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    AuditLog,
    Person,
    PersonStatus,
    Volunteer,
    VolunteerTeam,
    VolunteerTeamMember,
)

TODAY = date(2026, 5, 1)
_counter = itertools.count()

KNOWN_HEADERS = sorted({h for cols in (PEOPLE_COLUMNS, VOLUNTEER_COLUMNS) for hs in cols.values() for h in hs})
JUNK_HEADERS = ["", " ", "备注", "户籍", "序号", "姓名*", "*姓名", "姓名（必填）", "NAME ", "身份证号\n", "=1+1"]

# Text that looks like roster data, mixed with hostile text.
_plausible = st.sampled_from([
    "张三", "苏日娜", "男", "女", "male", "F", "汉", "蒙古族", "蒙", "GL", "低保", "失能/半失能老人",
    "150121195803150012", "15012119580315001X", "1.50121E+17", "150121195803150000", "13800138000",
    "1958-03-15", "1958/3/15", "19580315", "1958年3月15日", "2099-01-01", "1958-02-30", "毕克齐镇",
    "文艺、蒙汉翻译", "敬老服务队", "1e308", "-0", "NaN", "  ", "",
])
_hostile = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.text(st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF), min_size=1, max_size=6),  # CJK Ext-B
    st.text(st.sampled_from("😀👨‍👩‍👧🇨🇳\u200b\u200d\ufeff\u3000"), min_size=1, max_size=6),
    st.text(st.characters(max_codepoint=0x1F), max_size=5),  # control characters
    st.builds(lambda s, n: s * n, st.sampled_from(["长", "a", "1", "地址"]), st.integers(150, 3000)),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: f"{f:E}"),
    st.integers(-(10**20), 10**20).map(str),
)
cell_text = st.one_of(_plausible, _hostile)
header_text = st.one_of(st.sampled_from(KNOWN_HEADERS), st.sampled_from(JUNK_HEADERS), _hostile)


@st.composite
def rosters(draw: st.DrawFn) -> tuple[str, list[list[str]], str, float | None]:
    """A file format, rows (header first), an encoding and an optional cut point."""
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    width = draw(st.integers(1, 8))
    header = draw(st.lists(header_text, min_size=width, max_size=width))
    if draw(st.booleans()):  # most files name the person: give the importer something to chew on
        header[0] = draw(st.sampled_from(["姓名", "name", "姓名*"]))
    body = draw(st.lists(st.lists(cell_text, min_size=0, max_size=width + 1), max_size=6))
    title = draw(st.lists(st.lists(cell_text, max_size=1), max_size=2))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    cut = draw(st.one_of(st.none(), st.floats(0.0, 1.0)))
    return fmt, [*title, header, *body], encoding, cut


def _csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:  # not encodable in GB18030? (it encodes all but surrogates)
        return text.encode("utf-8")


def _xlsx_bytes(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        # openpyxl refuses control characters in cells; Excel cannot hold them either
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _snapshot(db: Database) -> tuple[int, ...]:
    with db.read_sessions() as s:
        counts = [s.scalar(select(func.count()).select_from(model)) or 0
                  for model in (Person, PersonStatus, Volunteer, VolunteerTeam, VolunteerTeamMember, AuditLog)]
        return (*counts, int(s.scalar(select(func.max(AuditLog.seq))) or 0))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(roster=rosters(), kind=st.sampled_from(list(RosterKind)), dry_run=st.booleans())
def test_hostile_rosters_never_crash_or_half_write(
    db: Database, actor: Actor, tmp_path: Path, roster: tuple[str, list[list[str]], str, float | None],
    kind: RosterKind, dry_run: bool,
) -> None:
    fmt, rows, encoding, cut = roster
    data = _csv_bytes(rows, encoding) if fmt == "csv" else _xlsx_bytes(rows)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = tmp_path / f"roster-{next(_counter)}.{fmt}"
    path.write_bytes(data)
    before = _snapshot(db)
    try:
        report = import_roster(db, actor, path, kind, dry_run=dry_run, today=TODAY)
    except WusheError:
        assert _snapshot(db) == before
        return
    # anything else escaping is a bug: hypothesis reports the file that caused it
    if not report.written:
        assert _snapshot(db) == before
        assert dry_run or report.blocking_rows or report.total_rows == 0 or not report.changes
    else:
        assert not report.blocking_rows
        assert _snapshot(db)[-2] > before[-2], "a written import leaves an audit row"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_cut_of_a_good_roster(db: Database, actor: Actor, tmp_path: Path, fmt: str) -> None:
    """Each prefix of a valid file: a clean error or a consistent (possibly shorter) import."""
    rows = [["姓名", "性别", "证件号码", "联系电话", "类别"],
            ["张三", "男", "150121195803150012", "13800138000", "低保"],
            ["苏日娜", "女", "", "13900139000", ""]]
    data = _csv_bytes(rows, "utf-8-sig") if fmt == "csv" else _xlsx_bytes(rows)
    step = max(1, len(data) // 60)
    for n in range(0, len(data), step):
        path = tmp_path / f"cut-{n}.{fmt}"
        path.write_bytes(data[:n])
        before = _snapshot(db)
        try:
            report = import_roster(db, actor, path, RosterKind.PEOPLE, dry_run=True, today=TODAY)
        except WusheError:
            pass
        else:
            assert not report.written
        assert _snapshot(db) == before
