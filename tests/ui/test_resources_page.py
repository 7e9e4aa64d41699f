"""The charity resources screen: recording donations and distributions, the month's
ledger and balance, printing it — on the real demo database."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.resources import (
    DonationInput,
    DonationItemInput,
    get_donation,
    ledger,
    ledger_totals,
    record_donation,
)
from wushe_desktop.ui import resources_page
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.resource_dialogs import DistributionDialog, DonationDialog, parse_yuan, yuan
from wushe_desktop.ui.resources_page import ResourcesPage


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> Iterator[ResourcesPage]:
    screen = ResourcesPage(ctx)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.show()
    yield screen
    wait_idle(qtbot, ctx)


@pytest.fixture
def donation_form(qtbot: QtBot, ctx: UiContext) -> Iterator[DonationDialog]:
    dialog = DonationDialog(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    yield dialog
    wait_idle(qtbot, ctx)


def _refused(qtbot: QtBot, dialog: DonationDialog | DistributionDialog) -> dict[str, str]:
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000):
        dialog.save_button.click()
    return dialog.errors()


def test_amounts_in_yuan_are_read_exactly() -> None:
    assert [parse_yuan(t) for t in ("", "60", "12.5", "1,200.00", "¥35.05", "3元")] == [
        None, 6000, 1250, 120000, 3505, 300]
    for wrong in ("abc", "-3", "1.234", "nan"):
        with pytest.raises(ValueError):
            parse_yuan(wrong)
    assert (yuan(300_000), yuan(5), yuan(-150)) == ("3000.00", "0.05", "-1.50")


def test_a_goods_line_without_a_value_is_refused_next_to_the_goods(qtbot: QtBot, ctx: UiContext,
                                                                   donation_form: DonationDialog) -> None:
    form = donation_form
    form.donor_name.setText("毕克齐镇惠民超市")
    form.receipt_no.setText("NMGCS-2026-0001")
    form.items.item(0, 0).setText("面粉")
    form.items.item(0, 2).setText("20")
    form.items.item(0, 3).setText("袋")
    errors = _refused(qtbot, form)
    assert errors == {"items": "第 1 行：请填写单价估值（元），可按市场价估算。"}
    assert form.isVisible() and form.saved is None

    form.items.item(0, 4).setText("55")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    assert form.saved is not None and form.saved.goods_value_fen == 110_000
    assert form.value_label.text() == "合计价值：1100.00 元"


def test_a_money_donation_without_an_amount_says_so_in_chinese(qtbot: QtBot, donation_form: DonationDialog) -> None:
    form = donation_form
    form.form.setCurrentIndex(form.form.findData(DonationForm.MONEY))
    assert form.rows["amount_fen"].isVisibleTo(form) and not form.goods_box.isVisibleTo(form)
    form.donor_type.setCurrentIndex(form.donor_type.findData(DonorType.INDIVIDUAL))
    form.donor_name.setText("巴特尔")
    form.receipt_kind.setCurrentIndex(form.receipt_kind.findData(ReceiptKind.PENDING))
    errors = _refused(qtbot, form)
    assert errors == {"amount_fen": "货币捐赠须填写大于零的金额。",
                      "recipient_name": "请填写依法接收这笔资金的慈善组织；社工站本身不能接收资金捐赠。"}
    form.amount.setText("两千")
    assert _refused(qtbot, form)["amount_fen"] == "金额请按元填写，如 2000 或 350.50。"


def test_an_anonymous_donor_needs_no_name(qtbot: QtBot, ctx: UiContext, donation_form: DonationDialog) -> None:
    form = donation_form
    form.donor_type.setCurrentIndex(form.donor_type.findData(DonorType.ANONYMOUS))
    assert not form.donor_name.isEnabled()
    form.form.setCurrentIndex(form.form.findData(DonationForm.MONEY))
    form.amount.setText("500")
    form.recipient_name.setText("土默特左旗慈善总会")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    saved = get_donation(ctx.db, ctx.actor, form.saved.uuid)  # type: ignore[union-attr]
    assert (saved.donor_name, saved.receipt_kind, saved.amount_fen) == ("", ReceiptKind.ANONYMOUS, 50_000)


def test_a_distribution_to_a_person_appears_in_the_ledger(qtbot: QtBot, ctx: UiContext,
                                                          page: ResourcesPage) -> None:
    today = date.today()
    before = ledger_totals(ctx.db, ctx.actor, today)
    rice = record_donation(ctx.db, ctx.actor, DonationInput(
        received_on=today, donor_type=DonorType.COMPANY, form=DonationForm.GOODS, donor_name="察素齐粮油公司",
        items=(DonationItemInput("大米", 30, unit="袋", spec="10kg", unit_value_fen=4_500),),
        receipt_kind=ReceiptKind.WAIVED))
    person = create_person(ctx.db, ctx.actor, PersonInput(name="乌云其其格")).person

    dialog = DistributionDialog(ctx, page)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=10_000):
        dialog.show()
    dialog.choose_donation(rice.uuid)
    assert dialog.left_label.text() == "剩余：30 袋"
    dialog.quantity.setValue(2)
    errors = _refused(qtbot, dialog)
    assert errors == {"person_id": "请选择发放对象：服务对象或活动。"}
    dialog.set_person(person)
    dialog.quantity.setValue(40)
    assert _refused(qtbot, dialog) == {"quantity": "发放数量（金额）超过这笔捐赠的剩余库存。"}
    dialog.quantity.setValue(2)
    with qtbot.waitSignal(page.loaded, timeout=10_000), qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save_button.click()

    out = [line for line in ledger(ctx.db, ctx.actor, today) if line.counterpart == person.name]
    assert [(line.item, line.quantity, line.amount_fen) for line in out] == [("大米", 2, 9_000)]
    rows = [[page.table.item(r, c).text() for c in range(page.table.columnCount())]
            for r in range(page.table.rowCount())]
    row = next(r for r in rows if r[7] == person.name)
    assert (row[1], row[4], row[5], row[6]) == ("支", "大米 10kg", "2 袋", "90.00")
    after = ledger_totals(ctx.db, ctx.actor, today)
    assert (after.goods_in - before.goods_in, after.goods_out - before.goods_out) == (135_000, 9_000)
    assert page.goods_label.text().endswith(f"库存 {yuan(after.goods_closing)} 元。")


def test_ctrl_n_records_a_donation_and_the_month_can_change(qtbot: QtBot, ctx: UiContext, page: ResourcesPage,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []
    monkeypatch.setattr(DonationDialog, "ask", classmethod(lambda cls, parent, c, activity=None: opened.append(c)))
    assert page.new_record() is True and opened == [ctx]
    month = page.selected_month()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.previous_button.click()
    earlier = page.selected_month()
    assert earlier < month and earlier.day == 1
    assert page.data is not None and page.data.totals.money_closing == page.data.totals.money_opening + \
        page.data.totals.money_in - page.data.totals.money_out


def test_the_months_ledger_is_printed_through_the_preview(qtbot: QtBot, ctx: UiContext, page: ResourcesPage,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[tuple[str, Callable[[], bytes], str]] = []
    monkeypatch.setattr(resources_page, "preview_pdf",
                        lambda _parent, _ctx, title, build, name: sent.append((title, build, name)))
    record_donation(ctx.db, ctx.actor, DonationInput(
        received_on=date.today(), donor_type=DonorType.COMPANY, form=DonationForm.GOODS, donor_name="蒙牛乳业",
        items=(DonationItemInput("纯牛奶", 50, unit="箱", unit_value_fen=6_000),), receipt_kind=ReceiptKind.WAIVED))
    page.print_button.click()
    month = f"{page.selected_month():%Y-%m}"
    (title, build, name), = sent
    assert title == f"慈善资源台账 {month}" and name == f"慈善资源台账-{month}.pdf"
    text: Any = "".join(p.extract_text() for p in PdfReader(io.BytesIO(build())).pages)
    assert "纯牛奶" in text.replace(" ", "")
