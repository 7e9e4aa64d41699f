"""Tests for reading roster files (xlsx / csv) into plain text rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from wushe_desktop.errors import ImportFileError
from wushe_desktop.services.roster_files import (
    PEOPLE_COLUMNS,
    VOLUNTEER_COLUMNS,
    RosterFile,
    RosterKind,
    RosterRow,
    normalize_header,
    read_roster,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rosters"

PEOPLE_HEADER = ["姓名", "性别", "民族", "证件号码", "出生日期", "联系电话", "现居住地", "类别"]
PERSON_WUYUN = [
    "乌云·巴图",
    "男",
    "蒙古族",
    "150121195603120013",
    "1956-03-12",
    "13904711234",
    "毕克齐镇什报气村",
    "特困人员",
]
PERSON_QIMUGE = [
    "其木格",
    "女",
    "蒙古族",
    "150121196208050021",
    "1962-08-05",
    "15847123456",
    "毕克齐镇什报气村",
    "农村留守老年人",
]

Cell = object


def write_xlsx(path: Path, rows: Sequence[Sequence[Cell]], title: str = "花名册") -> Path:
    """Write rows (row 1 first) into the first sheet of a new workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[str]],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write rows as csv text in the given encoding (CRLF, as Excel/WPS do)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def error_of(path: Path, kind: RosterKind = RosterKind.PEOPLE) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        read_roster(path, kind)
    return info.value


# --- column tables -------------------------------------------------------------------


def test_column_tables_name_every_field_of_the_spec() -> None:
    assert set(PEOPLE_COLUMNS) == {
        "name",
        "sex",
        "ethnicity",
        "id_number",
        "birth_date",
        "phone",
        "address",
        "category",
    }
    assert set(VOLUNTEER_COLUMNS) == {"name", "id_number", "phone", "skills", "team"}
    assert "公民身份号码" in PEOPLE_COLUMNS["id_number"]
    assert VOLUNTEER_COLUMNS["id_number"] == PEOPLE_COLUMNS["id_number"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (" 姓名（必填） ", "姓名"),
        ("姓名(必填)", "姓名"),
        ("姓名*", "姓名"),
        ("姓名＊", "姓名"),
        ("姓 名", "姓名"),
        ("ID Number", "idnumber"),
        ("id_number", "idnumber"),
        ("ＮＡＭＥ", "name"),
        ("Date  of\nBirth", "dateofbirth"),
    ],
)
def test_normalize_header(header: str, expected: str) -> None:
    assert normalize_header(header) == expected


# --- headers -------------------------------------------------------------------------


def test_people_xlsx_with_chinese_headers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "people.xlsx", [PEOPLE_HEADER, PERSON_WUYUN, PERSON_QIMUGE])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert isinstance(roster, RosterFile)
    assert roster.kind is RosterKind.PEOPLE
    assert roster.encoding is None
    assert roster.columns == dict(zip(PEOPLE_COLUMNS, PEOPLE_HEADER, strict=True))
    assert roster.unknown_columns == ()
    assert roster.rows == (
        RosterRow(2, dict(zip(PEOPLE_COLUMNS, PERSON_WUYUN, strict=True))),
        RosterRow(3, dict(zip(PEOPLE_COLUMNS, PERSON_QIMUGE, strict=True))),
    )


def test_people_csv_with_english_headers_any_case_and_markers(tmp_path: Path) -> None:
    header = [
        " Full Name* ",
        "GENDER",
        "Ethnic Group",
        "ID_Number（必填）",
        "Date of Birth",
        "Mobile",
        "Current Address",
        "Categories",
    ]
    path = write_csv(tmp_path / "people.csv", [header, PERSON_WUYUN])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns == {
        "name": "Full Name*",
        "sex": "GENDER",
        "ethnicity": "Ethnic Group",
        "id_number": "ID_Number（必填）",
        "birth_date": "Date of Birth",
        "phone": "Mobile",
        "address": "Current Address",
        "category": "Categories",
    }
    assert roster.rows[0].values["name"] == "乌云·巴图"
    assert roster.rows[0].values["address"] == "毕克齐镇什报气村"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证号", "id_number"),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("ID", "id_number"),
        ("手机号", "phone"),
        ("电话", "phone"),
        ("Telephone", "phone"),
        ("现住址", "address"),
        ("居住地址", "address"),
        ("地址", "address"),
        ("服务对象类别", "category"),
        ("人员类别", "category"),
        ("Birthday", "birth_date"),
        ("Sex", "sex"),
    ],
)
def test_people_header_aliases(tmp_path: Path, header: str, field: str) -> None:
    path = write_csv(tmp_path / "people.csv", [["姓名", header], ["其木格", "x"]])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns == {"name": "姓名", field: header}
    assert roster.rows[0].values == {"name": "其木格", field: "x"}


def test_volunteer_headers_and_unknown_columns_in_file_order(tmp_path: Path) -> None:
    header = ["序号", "姓名", "身份证号码", "手机", "特长", "志愿服务队伍", "备注", "民族"]
    row = [
        "1",
        "阿拉坦仓",
        "150121199005140012",
        "13848711111",
        "驾驶",
        "毕克齐镇志愿服务队",
        "",
        "蒙古族",
    ]
    path = write_xlsx(tmp_path / "volunteers.xlsx", [header, row])

    roster = read_roster(path, RosterKind.VOLUNTEERS)

    assert roster.columns == {
        "name": "姓名",
        "id_number": "身份证号码",
        "phone": "手机",
        "skills": "特长",
        "team": "志愿服务队伍",
    }
    # 民族 is a people column: for volunteers it is not understood, and it is reported.
    assert roster.unknown_columns == ("序号", "备注", "民族")
    assert roster.rows[0].values == {
        "name": "阿拉坦仓",
        "id_number": "150121199005140012",
        "phone": "13848711111",
        "skills": "驾驶",
        "team": "毕克齐镇志愿服务队",
    }


def test_missing_optional_columns_are_absent_and_empty_cells_are_empty(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [
            ["姓名", "联系电话", "现居住地"],
            ["其木格", None, "  毕克齐镇什报气村\u3000"],
            ["巴特尔"],
        ],
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [row.values for row in roster.rows] == [
        {"name": "其木格", "phone": "", "address": "毕克齐镇什报气村"},
        {"name": "巴特尔", "phone": "", "address": ""},
    ]


def test_column_without_header_is_ignored(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["姓名", "", "性别"], ["其木格", "?", "女"]])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns == {"name": "姓名", "sex": "性别"}
    assert roster.unknown_columns == ()
    assert roster.rows[0].values == {"name": "其木格", "sex": "女"}


# --- header position and row numbers ------------------------------------------------------------


def test_title_row_above_header_in_merged_cell(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "什报气村志愿者花名册"
    sheet.merge_cells("A1:E1")
    sheet.append(["姓名", "证件号码", "联系电话", "专业技能", "所属队伍"])
    sheet.append(["其其格", "150121199211090026", "15148722222", "护理", "毕克齐镇志愿服务队"])
    sheet.append(["哈斯", "150121198306100019", "13947166666", "理发", "党员志愿服务队"])
    path = tmp_path / "volunteers.xlsx"
    workbook.save(path)

    roster = read_roster(path, RosterKind.VOLUNTEERS)

    assert roster.columns["name"] == "姓名"
    assert roster.unknown_columns == ()
    assert [(row.row_number, row.values["name"]) for row in roster.rows] == [
        (3, "其其格"),
        (4, "哈斯"),
    ]


def test_title_and_blank_rows_above_header_keep_real_row_numbers(tmp_path: Path) -> None:
    rows: list[Sequence[Cell]] = [
        [],
        ["什报气村服务对象花名册"],
        [None, "填表日期：2024年5月"],
        [],
        PEOPLE_HEADER,
        PERSON_WUYUN,
    ]
    path = write_xlsx(tmp_path / "people.xlsx", rows)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns["id_number"] == "证件号码"
    assert [row.row_number for row in roster.rows] == [6]


def test_title_row_in_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [["某某嘎查服务对象名单", "", ""], ["姓名", "性别", "民族"], ["其木格", "女", "蒙古族"]],
        encoding="gb18030",
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns == {"name": "姓名", "sex": "性别", "ethnicity": "民族"}
    assert roster.rows == (RosterRow(3, {"name": "其木格", "sex": "女", "ethnicity": "蒙古族"}),)


def test_single_column_file_is_not_mistaken_for_a_title(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["姓名"], ["其木格"], ["乌云·巴图"]])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [(row.row_number, row.values) for row in roster.rows] == [
        (2, {"name": "其木格"}),
        (3, {"name": "乌云·巴图"}),
    ]


def test_blank_rows_are_skipped_and_row_numbers_stay_real(tmp_path: Path) -> None:
    rows: list[Sequence[Cell]] = [
        PEOPLE_HEADER,
        PERSON_WUYUN,
        [],
        [None, "  ", None],
        PERSON_QIMUGE,
    ]
    xlsx = write_xlsx(tmp_path / "people.xlsx", rows)
    csv_path = write_csv(
        tmp_path / "people.csv",
        [[str(c) if c is not None else "" for c in row] for row in rows],
    )

    for path in (xlsx, csv_path):
        roster = read_roster(path, RosterKind.PEOPLE)
        assert [(r.row_number, r.values["name"]) for r in roster.rows] == [
            (2, "乌云·巴图"),
            (5, "其木格"),
        ]


def test_row_with_data_only_in_unknown_column_is_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["姓名", "备注"], ["", "姓名待补"]])

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.unknown_columns == ("备注",)
    assert roster.rows == (RosterRow(2, {"name": ""}),)


def test_csv_row_number_counts_a_multiline_cell_as_one_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [["姓名", "现居住地"], ["其木格", "毕克齐镇\n什报气村"], ["巴特尔", "北什轴乡"]],
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [(r.row_number, r.values["address"]) for r in roster.rows] == [
        (2, "毕克齐镇\n什报气村"),
        (3, "北什轴乡"),
    ]


def test_sparse_sheet_with_wrong_dimension_reads_every_cell(tmp_path: Path) -> None:
    # Rows missing from the sheet XML and a stale <dimension> must not shift or cut rows.
    path = tmp_path / "people.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "姓名"
    sheet["B1"] = "性别"
    sheet["H1"] = "类别"
    sheet["A7"] = "其木格"
    sheet["H7"] = "农村留守老年人"
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    stale_xml, count = re.subn(
        r'<dimension ref="A1:H7"\s*/>', '<dimension ref="A1:B1"/>', sheet_xml
    )
    assert count == 1
    parts["xl/worksheets/sheet1.xml"] = stale_xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.rows == (
        RosterRow(7, {"name": "其木格", "sex": "", "category": "农村留守老年人"}),
    )


def test_only_the_active_sheet_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["姓名"])
    first.append(["其木格"])
    second = workbook.create_sheet("说明")
    second.append(["填写说明"])
    path = tmp_path / "people.xlsm"
    workbook.save(path)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [row.values["name"] for row in roster.rows] == ["其木格"]


# --- cell values ---------------------------------------------------------------------


def test_xlsx_cell_values_become_text(tmp_path: Path) -> None:
    header = ["姓名", "证件号码", "联系电话", "出生日期", "类别", "分数", "在册"]
    rows: list[Sequence[Cell]] = [
        header,
        # An ID number typed into a number cell: Excel keeps 15 digits and shows 1.50121E+17.
        ["乌云·巴图", 1.50121199001011e17, 13904711234.0, date(1956, 3, 12), 3, 2.5, True],
        [
            "其木格",
            "15012119620805002X",
            15847123456,
            datetime(1962, 8, 5, 0, 0),
            "",
            0.1 + 0.2,
            False,
        ],
        ["巴特尔", -2.0e17, 1.0, None, None, None, None],
    ]
    path = write_xlsx(tmp_path / "people.xlsx", rows)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.unknown_columns == ("分数", "在册")
    assert [row.values for row in roster.rows] == [
        {
            "name": "乌云·巴图",
            "id_number": "1.50121E+17",
            "phone": "13904711234",
            "birth_date": "1956-03-12",
            "category": "3",
        },
        {
            "name": "其木格",
            "id_number": "15012119620805002X",
            "phone": "15847123456",
            "birth_date": "1962-08-05",
            "category": "",
        },
        {"name": "巴特尔", "id_number": "-2E+17", "phone": "1", "birth_date": "", "category": ""},
    ]


def test_boolean_and_fraction_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "people.xlsx",
        [["姓名", "类别", "现居住地"], ["其木格", True, 2.5], ["巴特尔", False, 0.1 + 0.2]],
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [(r.values["category"], r.values["address"]) for r in roster.rows] == [
        ("是", "2.5"),
        ("否", "0.3"),
    ]


def test_date_cell_with_impossible_serial_does_not_warn(tmp_path: Path) -> None:
    # openpyxl warns (an error under filterwarnings=error) when a date-formatted cell
    # holds a number too large to be a date, e.g. an ID number typed into a date column.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["姓名", "出生日期"])
    sheet.append(["其木格", 1.50121199001011e17])
    sheet["B2"].number_format = "yyyy-mm-dd"
    path = tmp_path / "people.xlsx"
    workbook.save(path)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.rows[0].values["name"] == "其木格"
    assert roster.rows[0].values["birth_date"] == "#VALUE!"


def test_csv_cells_are_taken_as_written(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [["姓名", "证件号码", "联系电话"], [" 其木格 ", "1.50121E+17", "0471-1234567"]],
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.rows[0].values == {
        "name": "其木格",
        "id_number": "1.50121E+17",
        "phone": "0471-1234567",
    }


# --- csv encodings and delimiters -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(
        tmp_path / "people.csv", [PEOPLE_HEADER, PERSON_WUYUN, PERSON_QIMUGE], encoding
    )

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.encoding == encoding
    assert roster.columns["name"] == "姓名"  # no BOM glued to the first header
    assert [row.values["name"] for row in roster.rows] == ["乌云·巴图", "其木格"]
    assert roster.rows[0].values["address"] == "毕克齐镇什报气村"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    rows = [
        ["姓名", "现居住地", "类别"],
        ["其木格", "毕克齐镇,什报气村;3组", "低保、残疾人"],
        ["乌云·巴图", "察素齐镇\t把什村", "特困人员"],
    ]
    path = write_csv(tmp_path / "people.csv", rows, "gb18030", delimiter)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.columns == {"name": "姓名", "address": "现居住地", "category": "类别"}
    assert roster.rows[0].values["address"] == "毕克齐镇,什报气村;3组"
    assert roster.rows[1].values["category"] == "特困人员"


def test_csv_with_utf16_bom_is_read(tmp_path: Path) -> None:
    # Excel's "Unicode text" export (UTF-16, tab separated) renamed to .csv.
    path = tmp_path / "people.csv"
    path.write_bytes("姓名\t性别\r\n其木格\t女\r\n".encode("utf-16"))

    roster = read_roster(path, RosterKind.PEOPLE)

    assert roster.encoding == "utf-16"
    assert roster.rows == (RosterRow(2, {"name": "其木格", "sex": "女"}),)


def test_ragged_csv_rows(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("姓名,性别,民族\n其木格\n巴特尔,男,蒙古族,多余\n", encoding="utf-8")

    roster = read_roster(path, RosterKind.PEOPLE)

    assert [row.values for row in roster.rows] == [
        {"name": "其木格", "sex": "", "ethnicity": ""},
        {"name": "巴特尔", "sex": "男", "ethnicity": "蒙古族"},
    ]


# --- size -----------------------------------------------------------------------------


def test_ten_thousand_rows_are_read_in_full(tmp_path: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(PEOPLE_HEADER)
    for index in range(10_000):
        sheet.append(
            [f"其木格{index}", "女", "蒙古族", f"150121{index:012d}", None, None, None, None]
        )
    path = tmp_path / "big.xlsx"
    workbook.save(path)

    roster = read_roster(path, RosterKind.PEOPLE)

    assert len(roster.rows) == 10_000
    assert roster.rows[-1] == RosterRow(
        10_001,
        {
            "name": "其木格9999",
            "sex": "女",
            "ethnicity": "蒙古族",
            "id_number": "150121000000009999",
            "birth_date": "",
            "phone": "",
            "address": "",
            "category": "",
        },
    )


# --- errors ---------------------------------------------------------------------------


def test_not_found(tmp_path: Path) -> None:
    assert error_of(tmp_path / "missing.xlsx").code == "roster.not_found"


def test_directory_is_not_found(tmp_path: Path) -> None:
    folder = tmp_path / "rosters.csv"
    folder.mkdir()
    assert error_of(folder).code == "roster.not_found"


def test_old_xls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "people.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)

    error = error_of(path)

    assert error.code == "roster.xls_unsupported"
    assert error.detail is not None and "xlsx" in error.detail


def test_old_xls_renamed_to_xlsx_is_refused_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"))
    assert error_of(path).code == "roster.xls_unsupported"


def test_password_protected_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))

    error = error_of(path)

    assert error.code == "roster.unreadable"
    assert error.params == {"reason": "encrypted"}


@pytest.mark.parametrize("name", ["people.txt", "people.ods", "people", "people.xlsb"])
def test_unsupported_format(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("姓名\n其木格\n", encoding="utf-8")

    error = error_of(path)

    assert error.code == "roster.unsupported_format"
    assert error.params["extension"] == path.suffix


def test_extension_is_case_insensitive(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "PEOPLE.CSV", [["姓名"], ["其木格"]])
    assert len(read_roster(path, RosterKind.PEOPLE).rows) == 1


def test_corrupt_xlsx_is_unreadable(tmp_path: Path) -> None:
    not_a_zip = tmp_path / "garbage.xlsx"
    not_a_zip.write_bytes(b"this is not a workbook")
    foreign_zip = tmp_path / "foreign.xlsx"
    with zipfile.ZipFile(foreign_zip, "w") as archive:
        archive.writestr("hello.txt", "你好")

    assert error_of(not_a_zip).code == "roster.unreadable"
    assert error_of(foreign_zip).code == "roster.unreadable"


def test_truncated_sheet_xml_is_unreadable(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [PEOPLE_HEADER, PERSON_WUYUN, PERSON_QIMUGE])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)

    assert error_of(broken).code == "roster.unreadable"


def test_workbook_named_csv_is_unreadable(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "people.xlsx", [["姓名"], ["其木格"]])
    renamed = path.rename(tmp_path / "people.csv")
    assert error_of(renamed).code == "roster.unreadable"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("blank.csv", b"\r\n,,\r\n \r\n"),
        ("bom_only.csv", b"\xef\xbb\xbf"),
    ],
)
def test_csv_without_header(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert error_of(path).code == "roster.no_header"


def test_empty_xlsx_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    assert error_of(path).code == "roster.no_header"


def test_missing_required_column(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "volunteers.xlsx", [["证件号码", "联系电话"], ["150121199005140012", "1"]]
    )

    error = error_of(path, RosterKind.VOLUNTEERS)

    assert error.code == "roster.missing_column"
    assert error.params == {"column": "name"}


def test_title_only_file_misses_the_name_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["什报气村服务对象花名册"]], "gb18030")
    error = error_of(path)
    assert error.code == "roster.missing_column"
    assert error.params == {"column": "name"}


def test_duplicate_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "people.csv",
        [["姓名", "身份证号", "公民身份号码"], ["其木格", "150121196208050021", ""]],
    )

    error = error_of(path)

    assert error.code == "roster.duplicate_column"
    assert error.params == {"column": "id_number"}


def test_duplicate_unknown_columns_are_all_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "people.csv", [["备注", "姓名", "备注"], ["a", "其木格", "b"]])
    assert read_roster(path, RosterKind.PEOPLE).unknown_columns == ("备注", "备注")


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    # 0xFF is neither UTF-8 nor a GB18030 lead byte.
    path.write_bytes("姓名\n".encode() + b"\xff\xfe\xff\x80\x80\n")

    error = error_of(path)

    assert error.code == "roster.encoding"


# --- fixtures --------------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_is_valid(number: str) -> bool:
    body, check = number[:17], number[17:]
    total = sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True))
    return len(number) == 18 and body.isdigit() and check == "10X98765432"[total % 11]


def test_people_fixture() -> None:
    roster = read_roster(FIXTURES / "people_ok.csv", RosterKind.PEOPLE)

    assert roster.encoding == "gb18030"
    assert roster.columns == dict(zip(PEOPLE_COLUMNS, PEOPLE_HEADER, strict=True))
    assert roster.unknown_columns == ()
    assert len(roster.rows) == 10
    assert [row.row_number for row in roster.rows] == list(range(2, 12))
    ids = [row.values["id_number"] for row in roster.rows]
    assert all(number.startswith("150121") and _id_is_valid(number) for number in ids)
    assert any(number.endswith("X") for number in ids)
    assert roster.rows[0].values["name"] == "乌云·巴图"


def test_volunteers_fixture() -> None:
    roster = read_roster(FIXTURES / "volunteers_ok.xlsx", RosterKind.VOLUNTEERS)

    assert roster.encoding is None
    assert list(roster.columns.values()) == ["姓名", "证件号码", "联系电话", "专业技能", "所属队伍"]
    assert roster.unknown_columns == ("备注",)
    assert len(roster.rows) == 10
    assert all(_id_is_valid(row.values["id_number"]) for row in roster.rows)
    assert all(len(row.values["phone"]) == 11 for row in roster.rows)
