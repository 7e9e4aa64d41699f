"""Importing rosters of people served and volunteers (DESIGN.md §8, SCENARIOS scenario 9)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from wushe_desktop.domain.enums import Role, Sex, StationMode
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import ConfigError, ImportFileError, PermissionDenied
from wushe_desktop.services.checks import audit_chain
from wushe_desktop.services.context import Actor
from wushe_desktop.services.roster_import import (
    ImportReport,
    RosterKind,
    RowProblem,
    import_roster,
    preview_roster,
)
from wushe_desktop.services.station import init_database
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import (
    AuditLog,
    Person,
    PersonStatus,
    Volunteer,
    VolunteerTeam,
    VolunteerTeamMember,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"
TODAY = date(2026, 5, 1)

PEOPLE_HEADER = ["姓名", "性别", "民族", "证件号码", "出生日期", "联系电话", "现居住地", "类别", "备注", "户籍"]
VOLUNTEER_HEADER = ["姓名", "证件号码", "联系电话", "专业技能", "所属队伍", "备注"]


def make_id(prefix6: str, birth: str, seq: str) -> str:
    """A valid 18-character ID number."""
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


def make_id_ending(prefix6: str, birth: str, *, female: bool, check: str) -> str:
    """A valid ID number with the wanted sex digit and check character."""
    for n in range(1000):
        seq = f"{n:03d}"
        if int(seq[2]) % 2 == (0 if female else 1):
            number = make_id(prefix6, birth, seq)
            if number[-1] == check:
                return number
    raise AssertionError("no such number")


def wrong_check(number: str) -> str:
    """The same number with a wrong check character."""
    return number[:-1] + ("1" if number[-1] != "1" else "2")


WANG = make_id_ending("150121", "19440312", female=True, check="X")  # 王桂花
WUYUN = make_id("150121", "19560312", "013")  # 乌云·巴图, male
QIMUGE = make_id("150121", "19620805", "022")  # 其木格, female
ERDEMT = make_id("152301", "19800101", "015")  # 额尔德木图, male (old 哲里木盟 code)


def people_rows(*, wang_id: str = WANG, erdemt_phone: str = "13947133333") -> list[list[str]]:
    """A people roster: header, then four rows (spreadsheet rows 2-5)."""
    return [
        PEOPLE_HEADER,
        ["王桂花", "女", "汉族", wang_id.lower(), "1944/03/12", "138 1234 5678", "毕克齐镇什报气村", "低保、高龄老人", "", ""],
        ["乌云·巴图", "男", "蒙古族", WUYUN, "19560312", "13904711234", "毕克齐镇讨速号村", "特困人员", "", ""],
        ["其木格", "女", "蒙族", QIMUGE, "1962.08.05", "15847123456", "察素齐镇把什村", "农村留守老年人 独居老人", "", ""],
        ["额尔德木图", "male", "蒙古", ERDEMT, "", erdemt_phone, "毕克齐镇什报气村", "", "党员", ""],
    ]


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gb18030") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def count(db: Database, model: type[object]) -> int:
    with db.read_sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def person_by_id(db: Database, number: str) -> Person:
    with db.read_sessions() as session:
        person = session.scalars(select(Person).where(Person.id_number == number)).one()
        session.expunge(person)
        return person


def categories_of(db: Database, number: str) -> set[str]:
    with db.read_sessions() as session:
        return set(session.scalars(
            select(PersonStatus.category).join(Person, Person.uuid == PersonStatus.person_id)
            .where(Person.id_number == number, PersonStatus.valid_to.is_(None))
        ))


def codes(report: ImportReport) -> set[tuple[int, str, str]]:
    return {(p.row, p.column, p.code) for p in report.problems}


# --- people ------------------------------------------------------------------------------


def test_bad_rows_block_everything_and_every_problem_is_named(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    rows = people_rows(wang_id=wrong_check(WANG), erdemt_phone="1394713333")
    path = write_csv(tmp_path / "people.csv", rows)

    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)

    assert not report.written
    assert count(db, Person) == 0
    assert report.total_rows == 4
    assert codes(report) == {(2, "证件号码", "id_number.checksum"), (5, "联系电话", "phone.length")}
    checksum = report.problems[0]
    assert checksum.field == "id_number"
    assert checksum.params["expected"] == WANG[-1]
    assert report.problems[1].params["digits"] == 10
    assert report.unknown_columns == ("备注", "户籍")
    assert report.blocking_rows == (2, 5)
    # The two good rows are shown as they would be imported.
    assert [(c.row, c.name, c.action) for c in report.changes] == [(3, "乌云·巴图", "add"), (4, "其木格", "add")]
    assert report.added == 2


def test_corrected_roster_imports_all_rows(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", people_rows())

    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)

    assert report.written and report.problems == ()
    assert (report.added, report.updated, report.unchanged) == (4, 0, 0)
    assert report.unknown_columns == ("备注", "户籍")
    wang = person_by_id(db, WANG)
    assert wang.id_number is not None and wang.id_number.endswith("X")
    assert (wang.name, wang.sex, wang.ethnicity) == ("王桂花", Sex.FEMALE, "01")
    assert (wang.birth_date, wang.phone, wang.address) == (date(1944, 3, 12), "13812345678", "毕克齐镇什报气村")
    assert wang.name_initials == "wgh" and wang.id_tail == WANG[-4:]
    assert categories_of(db, WANG) == {"DB", "GL"}
    assert categories_of(db, QIMUGE) == {"LSLR", "DJ"}
    assert person_by_id(db, QIMUGE).ethnicity == "02"  # 蒙族, the usual short form
    erdemt = person_by_id(db, ERDEMT)
    assert (erdemt.ethnicity, erdemt.sex, erdemt.birth_date) == ("02", Sex.MALE, date(1980, 1, 1))
    assert person_by_id(db, WUYUN).name == "乌云·巴图"
    assert audit_chain(db, actor).ok


def test_reimport_adds_nothing_and_updates_changed_fields_only(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "people.csv", people_rows())
    import_roster(db, actor, first, RosterKind.PEOPLE, today=TODAY)
    audit_rows = count(db, AuditLog)

    again = import_roster(db, actor, first, RosterKind.PEOPLE, today=TODAY)
    assert again.written
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert {c.action for c in again.changes} == {"unchanged"}
    assert count(db, Person) == 4
    assert count(db, AuditLog) == audit_rows + 1  # only the summary row

    rows = people_rows(erdemt_phone="15004712222")
    rows[1][5] = ""  # 王桂花's phone left empty: kept as it was
    rows[1][7] = "低保"  # a category left out: never removed
    rows[3][7] = "农村留守老年人、空巢老人"  # one category added
    changed = import_roster(db, actor, write_csv(tmp_path / "changed.csv", rows), RosterKind.PEOPLE, today=TODAY)

    assert (changed.added, changed.updated, changed.unchanged) == (0, 2, 2)
    updates = {c.row: c.changed_fields for c in changed.changes if c.action == "update"}
    assert updates == {4: ("category",), 5: ("phone",)}
    assert count(db, Person) == 4
    assert person_by_id(db, ERDEMT).phone == "15004712222"
    assert person_by_id(db, WANG).phone == "13812345678"
    assert categories_of(db, WANG) == {"DB", "GL"}
    assert categories_of(db, QIMUGE) == {"LSLR", "DJ", "KC"}
    assert audit_chain(db, actor).ok


def test_summary_audit_row_names_kind_counts_and_file_hash(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "people.csv", people_rows())
    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)
    with db.read_sessions() as session:
        summary = session.scalars(select(AuditLog).where(AuditLog.action == "import")).one()
        assert (summary.entity, summary.entity_uuid) == ("roster", "")
        assert summary.details == {"kind": "people", "added": 4, "updated": 0, "unchanged": 0,
                                   "skipped": 0, "file_sha256": report.file_sha256}
        assert len(report.file_sha256) == 64


def test_dry_run_and_preview_write_nothing(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", people_rows())
    before = (count(db, Person), count(db, AuditLog))

    dry = import_roster(db, actor, path, RosterKind.PEOPLE, dry_run=True, today=TODAY)
    preview = preview_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)

    assert (count(db, Person), count(db, AuditLog)) == before
    assert not dry.written and not preview.written
    assert dry.added == preview.added == 4
    assert dry.changes == preview.changes


def test_skip_rows_lets_the_rest_import(db: Database, actor: Actor, tmp_path: Path) -> None:
    rows = people_rows(wang_id=wrong_check(WANG), erdemt_phone="1394713333")
    path = write_csv(tmp_path / "people.csv", rows)
    preview = preview_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)

    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY,
                           skip_rows=frozenset(preview.blocking_rows) | {99},
                           expect_sha256=preview.file_sha256)

    assert report.written
    assert report.skipped_rows == (2, 5)  # 99 is no data row
    assert report.blocking_rows == ()
    assert {p.row for p in report.problems} == {2, 5}  # still shown
    assert report.added == 2 and count(db, Person) == 2
    with db.read_sessions() as session:
        assert session.scalars(select(AuditLog.details).where(AuditLog.action == "import")).one()["skipped"] == 2


def test_changed_file_after_preview_is_refused(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", people_rows())
    preview = preview_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)
    write_csv(path, people_rows()[:3])
    with pytest.raises(ImportFileError) as info:
        import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY, expect_sha256=preview.file_sha256)
    assert info.value.code == "roster.changed"
    assert count(db, Person) == 0


def test_duplicate_id_in_file_is_a_problem_on_the_later_row(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    rows = people_rows()
    rows.append(["王桂华", "女", "汉族", WANG, "", "", "", "", "", ""])  # row 6
    report = import_roster(db, actor, write_csv(tmp_path / "p.csv", rows), RosterKind.PEOPLE, today=TODAY)
    assert not report.written
    assert report.problems == (
        RowProblem(6, "证件号码", "id_number", "roster.duplicate_in_file", {"first_row": 2}),
    )
    # Leaving out the first row lets the second stand in for it.
    report = import_roster(db, actor, tmp_path / "p.csv", RosterKind.PEOPLE, today=TODAY,
                           skip_rows=frozenset({2}))
    assert report.written and person_by_id(db, WANG).name == "王桂华"


def test_rows_without_id_number_are_always_added(db: Database, actor: Actor, tmp_path: Path) -> None:
    rows = [["姓名", "性别", "民族", "证件号码", "联系电话"], ["其木格", "女", "蒙古族", "", "15847123456"]]
    path = write_csv(tmp_path / "p.csv", rows)
    assert import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY).added == 1
    assert import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY).added == 1
    assert count(db, Person) == 2


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1956-03-12", date(1956, 3, 12)),
        ("1956/3/12", date(1956, 3, 12)),
        ("1956.03.12", date(1956, 3, 12)),
        ("19560312", date(1956, 3, 12)),
        ("1956年3月12日", date(1956, 3, 12)),
        ("１９５６－０３－１２", date(1956, 3, 12)),
        ("12/03/1956", None),
        ("1956-02-30", None),
        ("三月十二", None),
    ],
)
def test_birth_date_formats(db: Database, actor: Actor, tmp_path: Path, cell: str, expected: date | None) -> None:
    rows = [["姓名", "性别", "出生日期"], ["其木格", "女", cell]]
    report = preview_roster(db, actor, write_csv(tmp_path / "p.csv", rows, "utf-8"), RosterKind.PEOPLE, today=TODAY)
    if expected is None:
        assert codes(report) == {(2, "出生日期", "roster.date_format")}
    else:
        assert report.problems == () and report.added == 1


def test_unknown_values_are_row_problems(db: Database, actor: Actor, tmp_path: Path) -> None:
    rows = [
        PEOPLE_HEADER[:8],
        ["王桂花", "F", "达斡尔", "", "", "", "", "低保,五保户；高龄老人"],
        ["乌云·巴图", "未知", "土著", "", "2030-01-01", "", "村" * 201, "失能/半失能老人"],
    ]
    report = preview_roster(db, actor, write_csv(tmp_path / "p.csv", rows), RosterKind.PEOPLE, today=TODAY)
    assert codes(report) == {
        (2, "类别", "roster.unknown_category"),
        (3, "性别", "roster.unknown_sex"),
        (3, "民族", "roster.unknown_ethnicity"),
        (3, "出生日期", "date.future"),
        (3, "现居住地", "roster.too_long"),
    }
    by_code = {p.code: p for p in report.problems}
    assert by_code["roster.unknown_category"].params == {"value": "五保户"}
    assert by_code["roster.unknown_ethnicity"].params == {"value": "土著"}
    assert by_code["roster.too_long"].params == {"max": 200, "length": 201}
    # Problems come in row order, then in column order.
    assert [p.row for p in report.problems] == [2, 3, 3, 3, 3]
    assert [p.column for p in report.problems[1:]] == ["性别", "民族", "出生日期", "现居住地"]


@pytest.mark.parametrize(
    ("cell", "code"),
    [("蒙古族", "02"), ("蒙古", "02"), ("蒙", "02"), ("02", "02"), ("2", "02"), ("汉", "01"),
     ("达斡尔", "31"), ("鄂温克族", "45")],
)
def test_ethnicity_label_short_form_or_code(
    db: Database, actor: Actor, tmp_path: Path, cell: str, code: str
) -> None:
    path = write_csv(tmp_path / "p.csv", [["姓名", "民族", "证件号码"], ["其木格", cell, QIMUGE]])
    import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)
    assert person_by_id(db, QIMUGE).ethnicity == code


def test_sex_and_birth_date_that_disagree_with_the_id_are_warnings(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    rows = [["姓名", "性别", "证件号码", "出生日期"], ["乌云·巴图", "女", WUYUN, "1956-03-13"]]
    report = import_roster(db, actor, write_csv(tmp_path / "p.csv", rows), RosterKind.PEOPLE, today=TODAY)
    assert report.written and report.problems == ()
    assert {(w.row, w.column, w.code) for w in report.warnings} == {
        (2, "性别", "id_number.sex_mismatch"), (2, "出生日期", "id_number.birth_date_differs")}
    person = person_by_id(db, WUYUN)
    assert (person.sex, person.birth_date) == (Sex.FEMALE, date(1956, 3, 12))


def test_excel_mangled_id_numbers_are_explained(db: Database, actor: Actor, tmp_path: Path) -> None:
    # An xlsx cell holding the ID as a number, and a csv Excel saved from a number cell.
    xlsx = write_xlsx(tmp_path / "p.xlsx", [["姓名", "证件号码"], ["王桂花", float(WUYUN)]])
    report = preview_roster(db, actor, xlsx, RosterKind.PEOPLE, today=TODAY)
    assert codes(report) == {(2, "证件号码", "id_number.excel_number")}
    zeroed = WUYUN[:15] + "000"
    assert id_number_check_char(zeroed[:17]) != "0"
    csv_path = write_csv(tmp_path / "p.csv", [["姓名", "证件号码"], ["王桂花", zeroed], ["其木格", "1.50121E+17"]])
    report = preview_roster(db, actor, csv_path, RosterKind.PEOPLE, today=TODAY)
    assert codes(report) == {(2, "证件号码", "id_number.excel_number"), (3, "证件号码", "id_number.excel_number")}


def test_people_xlsx_roster(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "people.xlsx", [["XX嘎查服务对象花名册"], *people_rows()])
    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)
    assert report.written and report.added == 4
    assert [c.row for c in report.changes] == [3, 4, 5, 6]  # the title is row 1


def test_people_fixture_roster(db: Database, actor: Actor) -> None:
    path = FIXTURES / "people_ok.csv"
    report = import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY)
    assert report.written and report.problems == () and report.unknown_columns == ()
    assert report.added == report.total_rows == count(db, Person) == 10
    assert categories_of(db, "15012119490127004X") == {"DB", "CJR"}
    assert import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY).unchanged == 10


def test_progress_is_reported_to_the_end(db: Database, actor: Actor, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    path = write_csv(tmp_path / "p.csv", people_rows())
    import_roster(db, actor, path, RosterKind.PEOPLE, today=TODAY, progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (8, 8)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_import_needs_the_permission(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", people_rows())
    deputy = Actor("副站长", Role.DEPUTY)
    with pytest.raises(PermissionDenied):
        preview_roster(db, deputy, path, RosterKind.PEOPLE)
    with pytest.raises(PermissionDenied):
        import_roster(db, deputy, path, RosterKind.PEOPLE)
    worker = Actor("社工", Role.SOCIAL_WORKER)
    assert import_roster(db, worker, path, RosterKind.PEOPLE, today=TODAY).written


def test_a_centre_refuses_rosters(actor: Actor, tmp_path: Path) -> None:
    centre, _ = init_database(tmp_path / "centre.sqlite3", code="150121000000", name="土默特左旗社工总站",
                              mode=StationMode.CENTRE)
    try:
        with pytest.raises(ConfigError) as info:
            preview_roster(centre, actor, write_csv(tmp_path / "p.csv", people_rows()), RosterKind.PEOPLE)
        assert info.value.code == "station.is_centre"
    finally:
        centre.dispose()


# --- volunteers --------------------------------------------------------------------------------

ALATAN = make_id("150121", "19900514", "011")
QIQIGE = make_id("150121", "19921109", "022")
BAOYIN = make_id_ending("150121", "19750828", female=False, check="X")
TEAM_A = "土默特左旗毕克齐镇志愿服务队"
TEAM_B = "什报气村党员志愿服务队"


def volunteer_rows() -> list[list[object]]:
    return [
        list[object](VOLUNTEER_HEADER),
        ["阿拉坦仓", ALATAN, "13848711111", "驾驶、蒙汉双语翻译", TEAM_A, ""],
        ["其其格", QIQIGE, "", "护理", TEAM_A, "持护士资格证"],
        ["包·宝音", BAOYIN.lower(), "13604714444", "电工、家电维修", TEAM_B, ""],
    ]


def teams_of(db: Database, number: str) -> set[str]:
    with db.read_sessions() as session:
        return set(session.scalars(
            select(VolunteerTeam.name)
            .join(VolunteerTeamMember, VolunteerTeamMember.team_id == VolunteerTeam.uuid)
            .join(Volunteer, Volunteer.uuid == VolunteerTeamMember.volunteer_id)
            .where(Volunteer.id_number == number, VolunteerTeamMember.deleted_at.is_(None))
        ))


def volunteer_by_id(db: Database, number: str) -> Volunteer:
    with db.read_sessions() as session:
        volunteer = session.scalars(select(Volunteer).where(Volunteer.id_number == number)).one()
        session.expunge(volunteer)
        return volunteer


def test_volunteer_roster_creates_and_joins_teams(db: Database, actor: Actor, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "v.xlsx", volunteer_rows())
    report = import_roster(db, actor, path, RosterKind.VOLUNTEERS, today=TODAY)

    assert report.written and report.problems == ()
    assert (report.added, report.unknown_columns) == (3, ("备注",))
    assert count(db, VolunteerTeam) == 2
    assert teams_of(db, ALATAN) == teams_of(db, QIQIGE) == {TEAM_A}
    alatan = volunteer_by_id(db, ALATAN)
    assert alatan.skills_text == "驾驶、蒙汉双语翻译"
    assert alatan.skills == ["driving"]  # a token that is a skill label is also coded
    assert (alatan.sex, alatan.birth_date, alatan.registered_on) == (Sex.MALE, date(1990, 5, 14), TODAY)
    assert alatan.volunteer_no == "150121101000-V00001"
    assert volunteer_by_id(db, QIQIGE).phone == ""
    baoyin = volunteer_by_id(db, BAOYIN)
    assert baoyin.id_number == BAOYIN.upper() and baoyin.volunteer_no == "150121101000-V00003"

    # Next month: one new volunteer, 其其格 joins a second team, a phone is added.
    rows = volunteer_rows()
    rows[2][2] = "15148722222"
    rows[2][4] = f"{TEAM_A}、{TEAM_B}"
    rows.append(["赵丽娜", make_id("150121", "19880303", "024"), "18748133333", "心理疏导", "察素齐镇巾帼志愿服务队", ""])
    again = import_roster(db, actor, write_xlsx(tmp_path / "v2.xlsx", rows), RosterKind.VOLUNTEERS, today=TODAY)

    assert (again.added, again.updated, again.unchanged) == (1, 1, 2)
    assert [c.changed_fields for c in again.changes if c.action == "update"] == [("phone", "team")]
    assert count(db, Volunteer) == 4 and count(db, VolunteerTeam) == 3
    assert again.warnings == ()
    assert teams_of(db, QIQIGE) == {TEAM_A, TEAM_B}
    assert volunteer_by_id(db, QIQIGE).phone == "15148722222"
    assert audit_chain(db, actor).ok


def test_volunteer_rows_need_an_id_number(db: Database, actor: Actor, tmp_path: Path) -> None:
    rows = volunteer_rows()
    rows[1][1] = ""
    rows[3][1] = float(BAOYIN[:-1] + "0")  # typed as a number into a General cell
    report = import_roster(db, actor, write_xlsx(tmp_path / "v.xlsx", rows), RosterKind.VOLUNTEERS, today=TODAY)
    assert not report.written and count(db, Volunteer) == 0
    assert codes(report) == {(2, "证件号码", "roster.id_required"), (4, "证件号码", "id_number.excel_number")}

    no_column = write_xlsx(tmp_path / "n.xlsx", [["姓名", "联系电话"], ["阿拉坦仓", "13848711111"]])
    with pytest.raises(ImportFileError) as info:
        preview_roster(db, actor, no_column, RosterKind.VOLUNTEERS)
    assert (info.value.code, info.value.params["column"]) == ("roster.missing_column", "id_number")


def test_minor_volunteer_is_a_warning(db: Database, actor: Actor, tmp_path: Path) -> None:
    rows = [VOLUNTEER_HEADER[:2], ["其其格", make_id("150121", "20120603", "026")]]
    report = import_roster(db, actor, write_csv(tmp_path / "v.csv", rows), RosterKind.VOLUNTEERS, today=TODAY)
    assert report.written and report.added == 1
    assert [(w.row, w.column, w.code) for w in report.warnings] == [
        (2, "证件号码", "volunteer.minor_without_guardian_consent")]


def test_volunteers_fixture_roster(db: Database, actor: Actor) -> None:
    path = FIXTURES / "volunteers_ok.xlsx"
    report = import_roster(db, actor, path, RosterKind.VOLUNTEERS, today=TODAY)
    assert report.written and report.problems == () and report.unknown_columns == ("备注",)
    assert report.added == count(db, Volunteer) == 10
    assert count(db, VolunteerTeam) == 4
    assert teams_of(db, "150121197508280018") == {"什报气村党员志愿服务队"}
    assert volunteer_by_id(db, "150121197508280018").skills_text == "电工、家电维修"
    again = import_roster(db, actor, path, RosterKind.VOLUNTEERS, today=TODAY)
    assert (again.added, again.unchanged) == (0, 10)
    assert count(db, VolunteerTeamMember) == 10
