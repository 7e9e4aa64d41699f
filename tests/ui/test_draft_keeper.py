"""Drafts: a form's fields are kept while typing and offered back after a crash (scenario 7)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.uihelpers import wait_idle
from wushe_desktop.services.drafts import Draft, list_drafts, load_draft
from wushe_desktop.ui import drafts as drafts_module
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper, offer_drafts, register_draft_form


class VisitForm(QDialog):
    """A small form standing in for a long assessment."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notes = QPlainTextEdit(self)
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        self.kind.addItem("入户", "home")
        self.kind.addItem("电话", "phone")
        self.urgent = QCheckBox(self)
        self.day = QDateEdit(QDate(2026, 3, 1), self)
        layout = QVBoxLayout(self)
        for widget in (self.name, self.kind, self.urgent, self.day, self.notes):
            layout.addWidget(widget)
        self.drafts = DraftKeeper(self, ctx, "test_visit", None, {
            "name": self.name, "kind": self.kind, "urgent": self.urgent, "day": self.day, "notes": self.notes},
            delay_ms=50)


@pytest.fixture
def clean(ctx: UiContext) -> Iterator[None]:
    yield
    from wushe_desktop.services.drafts import discard_draft

    discard_draft(ctx.db, ctx.actor, "test_visit", None)
    drafts_module.DRAFT_FORMS.pop("test_visit", None)


def test_typing_keeps_a_draft_and_saving_discards_it(qtbot: QtBot, ctx: UiContext, clean: None) -> None:
    form = VisitForm(ctx)
    qtbot.addWidget(form)
    form.name.setText("王桂花")
    form.kind.setCurrentIndex(1)
    form.urgent.setChecked(True)
    form.day.setDate(QDate(2026, 3, 5))
    form.notes.setPlainText("老人独居，腿脚不便，需要每周探访。")
    qtbot.waitUntil(lambda: form.drafts.saves > 0 and not form.drafts.timer.isActive(), timeout=5_000)
    wait_idle(qtbot, ctx)
    kept = load_draft(ctx.db, ctx.actor, "test_visit", None)
    assert kept is not None and kept.data == {
        "name": "王桂花", "kind": {"data": "phone", "text": "电话"}, "urgent": True, "day": "2026-03-05",
        "notes": "老人独居，腿脚不便，需要每周探访。"}
    # after the power cut: a new form, filled from the draft
    again = VisitForm(ctx)
    qtbot.addWidget(again)
    again.drafts.offer_existing()
    wait_idle(qtbot, ctx)
    assert again.drafts.values() == kept.data
    again.drafts.discard()
    wait_idle(qtbot, ctx)
    assert load_draft(ctx.db, ctx.actor, "test_visit", None) is None


def test_drafts_are_offered_back_at_start(qtbot: QtBot, ctx: UiContext, clean: None,
                                          questions: list[str]) -> None:
    form = VisitForm(ctx)
    qtbot.addWidget(form)
    form.notes.setPlainText("没写完的评估")
    form.drafts.save_now()
    wait_idle(qtbot, ctx)
    opened: list[VisitForm] = []

    def reopen(parent: QWidget, context: UiContext, draft: Draft) -> None:
        dialog = VisitForm(context, parent)
        dialog.drafts.apply(draft.data)
        opened.append(dialog)

    register_draft_form("test_visit", lambda: "入户探访记录", reopen)
    host = QWidget()
    qtbot.addWidget(host)
    offer_drafts(host, ctx)
    wait_idle(qtbot, ctx)
    assert questions and "您有未保存的草稿：入户探访记录（" in questions[-1]
    assert opened and opened[0].notes.toPlainText() == "没写完的评估"
    assert [d.form for d in list_drafts(ctx.db, ctx.actor)].count("test_visit") == 1


def test_a_choice_kept_by_its_data_comes_back_even_when_two_entries_read_alike(qtbot: QtBot) -> None:
    import json
    import uuid

    from PySide6.QtWidgets import QComboBox

    from wushe_desktop.domain.enums import Sex
    from wushe_desktop.ui.drafts import field_value, set_field_value

    first, second = uuid.uuid4(), uuid.uuid4()
    villages = QComboBox()
    qtbot.addWidget(villages)
    for name, key in (("未填写", None), ("巴彦嘎查", first), ("巴彦嘎查", second)):  # two villages of one name
        villages.addItem(name, key)
    villages.setCurrentIndex(2)
    sexes = QComboBox()
    qtbot.addWidget(sexes)
    for name, key in (("男", Sex.MALE), ("女", Sex.FEMALE)):
        sexes.addItem(name, key)
    sexes.setCurrentIndex(1)
    kept = json.loads(json.dumps([field_value(villages), field_value(sexes)]))  # as the draft file holds them
    villages.setCurrentIndex(0)
    sexes.setCurrentIndex(0)
    set_field_value(villages, kept[0])
    set_field_value(sexes, kept[1])
    assert villages.currentData() == second and sexes.currentData() == Sex.FEMALE
