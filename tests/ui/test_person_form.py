"""Registering a person through the form: inline Chinese errors, duplicates, guardians."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from uihelpers import birth_id, valid_id, wait_idle, wrong_id

from wushe_desktop.services.people import PersonInput, create_person, get_person, search_people
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.person_form import PersonForm, PersonPicker


@pytest.fixture
def form(qtbot: QtBot, ctx: UiContext) -> Iterator[PersonForm]:
    dialog = PersonForm(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    yield dialog
    wait_idle(qtbot, ctx)


def _save_refused(qtbot: QtBot, form: PersonForm) -> dict[str, str]:
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.save_button.click()
    return form.errors()


def _save_accepted(qtbot: QtBot, form: PersonForm) -> None:
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    assert form.saved is not None


def test_register_a_person_after_fixing_the_check_digit(qtbot: QtBot, form: PersonForm, ctx: UiContext) -> None:
    changed: list[str] = []
    ctx.events.changed.connect(changed.append)
    form.name.setText("  萨日朗  ")
    form.id_number.setText(wrong_id("15012119520304214"))
    form.phone.setText("13912345678")
    form.address.setText("毕克齐镇什报气村3组")
    form.category_boxes["DB"].setChecked(True)
    form.category_boxes["DJ"].setChecked(True)
    errors = _save_refused(qtbot, form)
    assert list(errors) == ["id_number"]
    expected = valid_id("15012119520304214")[-1]
    assert errors["id_number"] == f"身份证号码最后一位（校验位）不正确，按前 17 位应为 {expected}。请对照证件核对号码。"
    assert form.rows["id_number"].error.isVisible()
    assert form.isVisible()

    form.id_number.setText(valid_id("15012119520304214"))
    _save_accepted(qtbot, form)
    person = form.saved.person  # type: ignore[union-attr]
    assert person.name == "萨日朗"
    assert person.birth_date == date(1952, 3, 4)
    assert person.categories == ("DB", "DJ")
    assert changed == ["people"]
    found = search_people(ctx.db, ctx.actor, "srl")
    assert person.uuid in {p.uuid for p in found}


def test_errors_appear_next_to_their_fields(qtbot: QtBot, form: PersonForm) -> None:
    form.phone.setText("1391234567")
    form.birth_date.setText("1950-13-01")
    errors = _save_refused(qtbot, form)
    assert errors == {
        "name": "请填写姓名。",
        "birth_date": "日期请按 1956-03-12 的格式填写。",
        "phone": "电话号码有 10 位，手机号码应为 11 位，请核对。",
    }
    assert form.name.hasFocus()
    form.name.setText("张三")
    form.birth_date.setText("")
    errors = _save_refused(qtbot, form)
    assert errors == {"phone": "电话号码有 10 位，手机号码应为 11 位，请核对。"}
    assert form.phone.hasFocus()


def test_leaving_a_field_checks_only_what_was_typed(qtbot: QtBot, form: PersonForm) -> None:
    form.phone.setText("1391234567")
    form.phone.editingFinished.emit()
    assert form.errors() == {"phone": "电话号码有 10 位，手机号码应为 11 位，请核对。"}  # not the empty name yet
    form.phone.setText("13912345678")
    form.phone.editingFinished.emit()
    assert form.errors() == {}


def test_a_registered_id_number_is_flagged_and_refused(qtbot: QtBot, form: PersonForm, ctx: UiContext) -> None:
    number = birth_id(date(1948, 6, 1), "021")
    create_person(ctx.db, ctx.actor, PersonInput(name="巴雅尔", id_number=number))
    form.name.setText("巴雅尔")
    form.id_number.setText(number)
    form.id_number.editingFinished.emit()
    qtbot.waitUntil(form.id_warning.isVisible, timeout=10_000)
    assert form.id_warning.text() == "该证件号码已登记：巴雅尔。请勿重复登记。"
    errors = _save_refused(qtbot, form)
    assert errors == {"id_number": "已有人登记了该证件号码。请打开已登记的人员，不要重复登记。"}
    assert form.saved is None and form.save_button.isEnabled()
    form.name.editingFinished.emit()  # leaving another field keeps the refusal shown
    assert list(form.errors()) == ["id_number"]
    form.id_number.setText(birth_id(date(1948, 6, 1), "031"))
    form.id_number.editingFinished.emit()
    assert form.errors() == {}


def test_a_child_under_14_needs_a_guardian(qtbot: QtBot, form: PersonForm, ctx: UiContext,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert not form.guardian_caption.isVisibleTo(form)
    born = date(date.today().year - 9, 5, 17)
    form.name.setText("其其格")
    form.id_number.setText(birth_id(born, "024"))
    assert form.guardian_caption.isVisibleTo(form)
    errors = _save_refused(qtbot, form)
    assert errors == {"guardian_id": "未满 14 周岁的儿童须有监护人，请先选择监护人再保存。"}

    grandmother = search_people(ctx.db, ctx.actor, "wgh")[0]
    monkeypatch.setattr(PersonPicker, "ask", classmethod(lambda cls, parent, c: grandmother))
    form.guardian_button.click()
    assert form.guardian_label.text() == grandmother.name
    form.guardian_relation.setText("祖母")
    _save_accepted(qtbot, form)
    saved = get_person(ctx.db, ctx.actor, form.saved.person.uuid)  # type: ignore[union-attr]
    assert saved.guardian_id == grandmother.uuid
    assert saved.age is not None and saved.age < 14


def test_the_guardian_picker_searches_people(qtbot: QtBot, ctx: UiContext) -> None:
    picker = PersonPicker(ctx)
    qtbot.addWidget(picker)
    picker.show()
    picker.search.setText("wgh")
    qtbot.waitUntil(lambda: picker.results.count() > 0, timeout=10_000)
    assert picker.results.item(0).text().startswith("王桂花，")
    with qtbot.waitSignal(picker.finished, timeout=5000):
        picker.results.itemActivated.emit(picker.results.item(0))
    assert picker.chosen is not None and picker.chosen.name == "王桂花"
    wait_idle(qtbot, ctx)


def test_closing_with_unsaved_changes_asks_first(qtbot: QtBot, form: PersonForm,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def answer(result: bool):  # type: ignore[no-untyped-def]
        def confirm(parent, title, text, yes, no) -> bool:  # type: ignore[no-untyped-def]
            asked.append(text)
            return result
        return confirm

    form.notes.setPlainText("上门时老人不在家")
    monkeypatch.setattr(messages, "confirm", answer(False))
    form.reject()
    assert form.isVisible() and asked == ["表单中填写的内容还没有保存。确定要关闭并放弃这些内容吗？"]
    monkeypatch.setattr(messages, "confirm", answer(True))
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.reject()
    assert len(asked) == 2 and form.saved is None


def test_closing_an_untouched_form_does_not_ask(qtbot: QtBot, form: PersonForm, questions: list[str]) -> None:
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.reject()
    assert questions == []
