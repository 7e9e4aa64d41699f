"""Error codes read as one Chinese sentence (STYLE.md §1, §11)."""

from __future__ import annotations

import re

import pytest

from wushe_desktop.errors import (
    DatabaseError,
    PermissionDenied,
    StateError,
    ValidationError,
    ValidationErrors,
)
from wushe_desktop.ui.messages import (
    FAMILIES,
    GENERIC,
    MESSAGES,
    field_errors,
    message_for,
    template_for,
)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_a_chinese_sentence(code: str) -> None:
    text = message_for(ValidationError(code, field="birth_date", expected="X", prefix="99", digits=10, length=30,
                                       max=20, char="@", earlier_field="intake_date", min=8, count=2, name="x",
                                       column="姓名", unit_tenths=5, total_tenths=90, cap_tenths=80))
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize(("error", "expected"), [
    (ValidationError("id_number.checksum", field="id_number", expected="X"),
     "身份证号码最后一位（校验位）不正确，按前 17 位应为 X。请对照证件核对号码。"),
    (ValidationError("date.future", field="birth_date"), "出生日期晚于今天，请核对日期。"),
    (ValidationError("date.order", field="closed_on", earlier_field="intake_date"),
     "结案日期早于接案日期，请核对这两个日期。"),
    (ValidationError("hours.daily_cap", field="hours", cap_tenths=80, total_tenths=95),
     "当天累计 9.5 小时，每天最多只计 8 小时。"),
    (DatabaseError("database.locked", path="/x"), "数据库正被其他窗口或程序使用。请关闭后重试，内容没有丢失。"),
])
def test_sentences_fill_their_placeholders(error: ValidationError, expected: str) -> None:
    assert message_for(error) == expected


@pytest.mark.parametrize(("code", "family"), [
    ("id_number.something_new", "id_number."), ("phone.odd", "phone."), ("name.odd", "name."),
    ("date.odd", "date."), ("database.odd", "database."), ("permission.approve", "permission."),
    ("case.stage.odd", "case.stage."), ("roster.odd", "roster."), ("hours.odd", "hours."),
    ("certificate.odd", "certificate."),
])
def test_unknown_codes_fall_back_to_their_family(code: str, family: str) -> None:
    assert template_for(code) == FAMILIES[family]
    assert "{" not in message_for(PermissionDenied(code))


def test_an_unknown_family_names_the_code() -> None:
    assert template_for("widget.broken") == GENERIC
    assert message_for(StateError("widget.broken")) == (
        "操作未完成（代码：widget.broken）。请检查填写的内容；如果确认无误，请把这个代码告诉技术支持。")


def test_several_errors_are_listed_by_field() -> None:
    errors = ValidationErrors([ValidationError("name.empty", field="name"),
                               ValidationError("phone.length", field="phone", digits=10),
                               ValidationError("phone.format", field="phone")])
    found = field_errors(errors)
    assert found["name"] == "请填写姓名。"
    assert found["phone"].count("\n") == 1
    assert message_for(errors).count("\n") == 2
