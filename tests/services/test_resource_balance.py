"""The ledger's month balance and the list of donations (by activity, with stock)."""

from __future__ import annotations

from datetime import date

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind
from wushe_desktop.services.activities import ActivityInput, create_activity
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.resources import (
    DistributionInput,
    DonationInput,
    DonationItemInput,
    distribute,
    ledger_totals,
    list_donations,
    record_donation,
)
from wushe_desktop.storage.db import Database

TODAY = date(2026, 12, 20)
MILK = DonationItemInput("纯牛奶", 50, unit="箱", spec="250ml×24", unit_value_fen=6_000, valuation_basis="市场价")


def _money(on: date, fen: int) -> DonationInput:
    return DonationInput(received_on=on, donor_type=DonorType.ANONYMOUS, form=DonationForm.MONEY, amount_fen=fen,
                         recipient_name="土默特左旗慈善总会")


def test_the_balance_carries_over_from_month_to_month(db: Database, actor: Actor) -> None:
    person = create_person(db, actor, PersonInput(name="王桂花")).person
    october = record_donation(db, actor, _money(date(2026, 10, 8), 100_000), today=TODAY)
    goods = record_donation(db, actor, DonationInput(
        received_on=date(2026, 10, 18), donor_type=DonorType.COMPANY, form=DonationForm.GOODS,
        donor_name="蒙牛乳业", items=(MILK,), receipt_kind=ReceiptKind.WAIVED), today=TODAY)
    distribute(db, actor, DistributionInput(october.uuid, date(2026, 10, 20), "李娜", amount_fen=30_000,
                                            person_id=person.uuid), today=TODAY)
    distribute(db, actor, DistributionInput(goods.uuid, date(2026, 11, 2), "李娜", item_id=goods.items[0].uuid,
                                            quantity=10, person_id=person.uuid), today=TODAY)
    record_donation(db, actor, _money(date(2026, 11, 9), 50_000), today=TODAY)
    record_donation(db, actor, DonationInput(date(2026, 11, 9), DonorType.INDIVIDUAL, DonationForm.SERVICE,
                                             donor_name="张医生"), today=TODAY)

    oct_totals = ledger_totals(db, actor, date(2026, 10, 31))
    assert (oct_totals.money_opening, oct_totals.money_in, oct_totals.money_out, oct_totals.money_closing) == (
        0, 100_000, 30_000, 70_000)
    assert (oct_totals.goods_opening, oct_totals.goods_in, oct_totals.goods_out, oct_totals.goods_closing) == (
        0, 300_000, 0, 300_000)
    nov = ledger_totals(db, actor, date(2026, 11, 1))
    assert nov.month == date(2026, 11, 1)
    assert (nov.money_opening, nov.money_in, nov.money_out, nov.money_closing) == (70_000, 50_000, 0, 120_000)
    assert (nov.goods_opening, nov.goods_in, nov.goods_out, nov.goods_closing) == (300_000, 0, 60_000, 240_000)


def test_donations_by_activity_and_with_stock_left(db: Database, actor: Actor) -> None:
    activity = create_activity(db, actor, ActivityInput("重阳节敬老活动", "festival_visit", date(2026, 10, 18)))
    person = create_person(db, actor, PersonInput(name="王桂花")).person
    milk = record_donation(db, actor, DonationInput(
        received_on=date(2026, 10, 18), donor_type=DonorType.COMPANY, form=DonationForm.GOODS,
        donor_name="蒙牛乳业", items=(MILK,), receipt_kind=ReceiptKind.WAIVED, activity_id=activity.uuid),
        today=TODAY)
    spent = record_donation(db, actor, _money(date(2026, 10, 8), 10_000), today=TODAY)
    service = record_donation(db, actor, DonationInput(date(2026, 11, 9), DonorType.INDIVIDUAL,
                                                       DonationForm.SERVICE, donor_name="张医生"), today=TODAY)
    distribute(db, actor, DistributionInput(spent.uuid, date(2026, 10, 9), "李娜", amount_fen=10_000,
                                            person_id=person.uuid), today=TODAY)
    assert [d.uuid for d in list_donations(db, actor)] == [service.uuid, milk.uuid, spent.uuid]
    assert [d.uuid for d in list_donations(db, actor, activity_id=activity.uuid)] == [milk.uuid]
    assert [d.uuid for d in list_donations(db, actor, in_stock=True)] == [milk.uuid]
