"""Registering a person through the form: inline Chinese errors, duplicates, guardians."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from uihelpers import birth_id, valid_id, wait_idle, wrong_id

from wushe_desktop.domain.enums import Role
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.people import (
    ConsentInput,
    HouseholdInput,
    PersonInput,
    create_person,
    get_person,
    person_for_edit,
    reveal_id_number,
    search_people,
)
from wushe_desktop.storage.models import AuditLog
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.person_form import (
    ConsentDialog,
    EndDateDialog,
    HouseholdDialog,
    PersonForm,
    PersonPicker,
)


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
    assert form.isVisible() and asked == ["表中填写的内容尚未保存。关闭并放弃这些内容吗？"]
    monkeypatch.setattr(messages, "confirm", answer(True))
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.reject()
    assert len(asked) == 2 and form.saved is None


def test_closing_an_untouched_form_does_not_ask(qtbot: QtBot, form: PersonForm, questions: list[str]) -> None:
    with qtbot.waitSignal(form.finished, timeout=5000):
        form.reject()
    assert questions == []


# -- editing a registered person --------------------------------------------------------------


def _registered(ctx: UiContext, name: str, number: str, categories: tuple[str, ...] = ("DB",)) -> PersonInput:
    data = PersonInput(name=name, id_number=number, phone="13904711234", address="毕克齐镇什报气村",
                       categories=categories)
    return data


def _open_edit(qtbot: QtBot, ctx: UiContext, person_id: object) -> PersonForm:
    dialog = PersonForm(ctx, person_id=person_id)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    return dialog


def test_edit_a_person_mongolian_name_and_an_id_ending_in_x(qtbot: QtBot, ctx: UiContext) -> None:
    old_id = birth_id(date(1961, 7, 9), "013")
    person = create_person(ctx.db, ctx.actor, _registered(ctx, "乌云巴图", old_id)).person
    form = _open_edit(qtbot, ctx, person.uuid)
    assert form.windowTitle() == "编辑服务对象"
    assert form.name.text() == "乌云巴图" and form.id_number.text() == ""
    assert old_id[-4:] in form.id_number.placeholderText() and old_id not in form.id_number.placeholderText()
    assert form.category_boxes["DB"].isChecked() and not form.category_boxes["DB"].isEnabled()

    new_id = next(n for n in (valid_id(f"1501211961070901{d}") for d in range(10)) if n.endswith("X"))
    form.name.setText("乌云·巴图")
    form.id_number.setText(new_id.lower())
    form.address.setText("毕克齐镇讨速号村")
    _save_accepted(qtbot, form)
    wait_idle(qtbot, ctx)

    record = person_for_edit(ctx.db, ctx.actor, person.uuid)
    assert record.data.name == "乌云·巴图" and record.data.address == "毕克齐镇讨速号村"
    assert reveal_id_number(ctx.db, CLI_ACTOR, person.uuid, "test") == new_id
    assert record.data.categories == ("DB",)


def test_saving_without_touching_the_id_keeps_it(qtbot: QtBot, ctx: UiContext) -> None:
    number = birth_id(date(1950, 2, 3), "021")
    person = create_person(ctx.db, ctx.actor, _registered(ctx, "高娃", number)).person
    form = _open_edit(qtbot, ctx, person.uuid)
    form.phone.setText("15847100000")
    _save_accepted(qtbot, form)
    wait_idle(qtbot, ctx)
    assert reveal_id_number(ctx.db, CLI_ACTOR, person.uuid, "test") == number
    assert person_for_edit(ctx.db, ctx.actor, person.uuid).data.phone == "15847100000"


def test_end_a_category_with_a_date(qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    person = create_person(ctx.db, ctx.actor, _registered(ctx, "刘凤英", birth_id(date(1940, 4, 4), "022"),
                                                          ("DB", "GL"))).person
    form = _open_edit(qtbot, ctx, person.uuid)
    ended = date.today().replace(day=1)
    monkeypatch.setattr(EndDateDialog, "ask", classmethod(lambda _cls, _parent, _what, _start, withdraw=False: ended))
    items = form.status_tab.items
    db_row = next(i for i in range(items.count()) if items.item(i).text().startswith("低保"))
    items.setCurrentRow(db_row)
    with qtbot.waitSignal(form.record_changed, timeout=10_000):
        form.status_tab.end_button.click()

    record = person_for_edit(ctx.db, ctx.actor, person.uuid)
    statuses = {s.category: s.valid_to for s in record.statuses}
    assert statuses == {"DB": ended, "GL": None}
    assert any(f"至 {ended.isoformat()}（已结束）" in items.item(i).text() for i in range(items.count()))
    if ended < date.today():
        assert form.category_boxes["DB"].isEnabled() and not form.category_boxes["DB"].isChecked()


def test_consent_and_household_are_recorded_from_the_form(qtbot: QtBot, ctx: UiContext,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    person = create_person(ctx.db, ctx.actor, _registered(ctx, "那仁", birth_id(date(1955, 5, 5), "031"))).person
    form = _open_edit(qtbot, ctx, person.uuid)
    monkeypatch.setattr(ConsentDialog, "ask", classmethod(
        lambda _cls, _parent, signer, _child: ConsentInput("个案服务及资料保存", signer, date.today())))
    with qtbot.waitSignal(form.record_changed, timeout=10_000):
        form.consent_tab.add_button.click()
    assert form.consent_tab.items.count() == 1
    monkeypatch.setattr(EndDateDialog, "ask", classmethod(
        lambda _cls, _parent, _what, _start, withdraw=False: date.today()))
    with qtbot.waitSignal(form.record_changed, timeout=10_000):
        form.consent_tab.withdraw_button.click()
    monkeypatch.setattr(HouseholdDialog, "ask", classmethod(
        lambda _cls, _parent: HouseholdInput("那日苏", "儿子", 1980, phone="13947100000")))
    with qtbot.waitSignal(form.record_changed, timeout=10_000):
        form.household_tab.add_button.click()

    record = person_for_edit(ctx.db, ctx.actor, person.uuid)
    assert [(c.signer_name, c.withdrawn_on) for c in record.consents] == [("那仁", date.today())]
    assert [(m.name, m.relation) for m in record.household] == [("那日苏", "儿子")]
    assert "已于" in form.consent_tab.items.item(0).text()
    assert not form.consent_tab.withdraw_button.isEnabled()


def test_a_worker_cannot_reveal_an_id_but_the_head_can_and_it_is_audited(
        qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    number = birth_id(date(1947, 8, 8), "024")
    person = create_person(ctx.db, ctx.actor, _registered(ctx, "萨仁", number)).person
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, error: shown.append(messages.message_for(error)))

    worker_ctx = make_context(ctx.db, Opening(ctx.station, Actor("李娜", Role.SOCIAL_WORKER)))
    try:
        form = _open_edit(qtbot, worker_ctx, person.uuid)
        assert form.reveal_button.isVisible()
        form.reveal_button.click()
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        assert shown == ["您的角色无权查看完整证件号码。如确需该号码，请找站长。"]
        assert form.id_number.text() == ""
        form.reject()
    finally:
        worker_ctx.shutdown()

    head_form = _open_edit(qtbot, ctx, person.uuid)
    head_form.reveal_button.click()
    qtbot.waitUntil(lambda: head_form.id_number.text() == number, timeout=10_000)
    assert not head_form.dirty or head_form.id_number.text() == number
    with ctx.db.read_sessions() as session:
        reveals = session.execute(select(AuditLog.actor, AuditLog.entity_uuid).where(
            AuditLog.action == "reveal")).all()
    assert (ctx.actor.name, str(person.uuid)) in [(a, u) for a, u in reveals]
    assert ("李娜", str(person.uuid)) not in [(a, u) for a, u in reveals]


def test_the_village_on_file_is_shown_and_kept_on_save(qtbot: QtBot, ctx: UiContext) -> None:
    wang = search_people(ctx.db, ctx.actor, "王桂花", 5)[0]
    before = person_for_edit(ctx.db, ctx.actor, wang.uuid).data
    assert before.community_id is not None
    form = _open_edit(qtbot, ctx, wang.uuid)
    # the combo's UUID and the record's are equal but distinct objects
    assert form.community.currentText() == "什报气村" and form.community.currentData() == before.community_id
    form.notes.setPlainText("每周三探访")
    _save_accepted(qtbot, form)
    wait_idle(qtbot, ctx)
    after = person_for_edit(ctx.db, ctx.actor, wang.uuid).data
    assert after.community_id == before.community_id and after.notes == "每周三探访"
