"""The donation ledger: validation, receipts, goods, distribution, stock, monthly ledger."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from wushe_desktop.domain.enums import DonationForm, DonorType, ReceiptKind, Role
from wushe_desktop.domain.validation import USCC_ALPHABET, USCC_WEIGHTS, id_number_check_char
from wushe_desktop.errors import (
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
    ValidationErrors,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.resources import (
    DistributionInput,
    DonationInput,
    DonationItemInput,
    LedgerDirection,
    cancel_distribution,
    delete_donation,
    distribute,
    get_donation,
    ledger,
    record_donation,
    stock,
    update_donation,
)
from wushe_desktop.storage.db import Database

STATION_CODE = "150121101000"  # the conftest station, 毕克齐镇
TODAY = date(2026, 11, 25)
SUPERVISOR = Actor("高娃", Role.SUPERVISOR)


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


def make_uscc(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


BATER_ID = make_id("150121", "19750606", "031")
SUPERMARKET_USCC = make_uscc("91150121MA0P7R8T6")

MONEY = DonationInput(received_on=date(2026, 11, 3), donor_type=DonorType.INDIVIDUAL, form=DonationForm.MONEY,
                      donor_name="巴特尔", donor_id_no=BATER_ID, amount_fen=200_000,
                      recipient_name="土默特左旗慈善总会", receipt_kind=ReceiptKind.ELECTRONIC,
                      receipt_no="15012126000123", receipt_date=date(2026, 11, 5), receipt_handler="赵丽娜")
FLOUR = DonationItemInput("面粉", 20, unit="袋", spec="10kg", unit_value_fen=5_500, valuation_basis="发票")
OIL = DonationItemInput("食用油", 10, unit="桶", spec="5L", unit_value_fen=7_900, valuation_basis="市场价",
                        expiry=date(2026, 12, 31))
GOODS = DonationInput(received_on=date(2026, 11, 10), donor_type=DonorType.COMPANY, form=DonationForm.GOODS,
                      donor_name="毕克齐镇惠民超市", donor_id_no=SUPERMARKET_USCC, items=(FLOUR, OIL),
                      receipt_kind=ReceiptKind.WAIVED)


def test_money_needs_an_amount_and_the_charity_that_received_it(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationErrors) as info:
        record_donation(db, actor, DonationInput(date(2026, 11, 3), DonorType.INDIVIDUAL, DonationForm.MONEY,
                                                 donor_id_no=BATER_ID[:-1] + "Y",
                                                 items=(FLOUR,), receipt_kind=ReceiptKind.PAPER), today=TODAY)
    assert {(e.code, e.field) for e in info.value.errors} == {
        ("donation.donor_name_required", "donor_name"), ("id_number.format", "donor_id_no"),
        ("donation.amount_required", "amount_fen"), ("donation.recipient_required", "recipient_name"),
        ("donation.items_only_for_goods", "items"), ("donation.receipt_no_required", "receipt_no")}
    saved = record_donation(db, actor, MONEY, today=TODAY)
    assert saved.ledger_no == f"{STATION_CODE}-J2026-0001"
    assert (saved.amount_fen, saved.goods_value_fen, saved.has_donor_id) == (200_000, 0, True)
    assert record_donation(db, actor, GOODS, today=TODAY).ledger_no == f"{STATION_CODE}-J2026-0002"


def test_anonymous_donor_forces_the_receipt_record(db: Database, actor: Actor) -> None:
    anon = record_donation(db, actor, DonationInput(
        date(2026, 11, 12), DonorType.ANONYMOUS, DonationForm.MONEY, amount_fen=50_000, publish_consent=True,
        recipient_name="土默特左旗慈善总会", receipt_kind=ReceiptKind.PENDING), today=TODAY)
    assert (anon.receipt_kind, anon.publish_consent, anon.donor_name) == (ReceiptKind.ANONYMOUS, False, "")
    with pytest.raises(ValidationErrors) as info:
        record_donation(db, actor, DonationInput(
            date(2026, 11, 12), DonorType.COMPANY, DonationForm.GOODS, donor_name="惠民超市",
            donor_id_no=SUPERMARKET_USCC[:-1] + ("0" if SUPERMARKET_USCC[-1] != "0" else "1"),
            items=(DonationItemInput("牛奶", 0, unit="箱"), DonationItemInput("面包", 5, expiry=date(2026, 11, 1))),
            receipt_kind=ReceiptKind.ANONYMOUS, restricted=True), today=TODAY)
    assert {(e.code, e.field, e.params.get("line")) for e in info.value.errors} == {
        ("uscc.checksum", "donor_id_no", None), ("donation_item.quantity_not_positive", "quantity", 0),
        ("donation_item.expired", "expiry", 1), ("donation.receipt_kind_mismatch", "receipt_kind", None),
        ("donation.purpose_required", "purpose", None)}
    with pytest.raises(ValidationErrors) as future:
        record_donation(db, actor, DonationInput(date(2026, 11, 26), DonorType.ANONYMOUS, DonationForm.SERVICE),
                        today=TODAY)
    assert [e.code for e in future.value.errors] == ["date.future"]


def test_goods_are_valued_and_never_handed_out_twice(db: Database, actor: Actor) -> None:
    goods = record_donation(db, actor, GOODS, today=TODAY)
    assert goods.goods_value_fen == 20 * 5_500 + 10 * 7_900
    flour, oil = goods.items
    wang = create_person(db, actor, PersonInput(name="王桂花")).person.uuid
    first = distribute(db, actor, DistributionInput(goods.uuid, date(2026, 11, 20), "李娜", item_id=flour.uuid,
                                                    quantity=15, person_id=wang, signed=True), today=TODAY)
    assert first.amount_fen == 15 * 5_500
    with pytest.raises(ValidationError) as over:
        distribute(db, actor, DistributionInput(goods.uuid, date(2026, 11, 20), "李娜", item_id=flour.uuid,
                                                quantity=6, person_id=wang), today=TODAY)
    assert (over.value.code, over.value.params) == ("distribution.exceeds_stock", {"available": 5})
    with pytest.raises(ValidationError) as target:
        distribute(db, actor, DistributionInput(goods.uuid, date(2026, 11, 20), "李娜", item_id=flour.uuid,
                                                quantity=1), today=TODAY)
    assert target.value.code == "distribution.target_required"
    with pytest.raises(ValidationError) as early:
        distribute(db, actor, DistributionInput(goods.uuid, date(2026, 11, 9), "李娜", item_id=oil.uuid,
                                                quantity=1, person_id=wang), today=TODAY)
    assert early.value.code == "date.order"
    left = stock(db, actor, goods.uuid)
    assert [(i.name, i.distributed, i.remaining) for i in left.items] == [("面粉", 15, 5), ("食用油", 0, 10)]
    assert left.remaining_fen == 5 * 5_500 + 10 * 7_900

    # Editing: a line below what was handed out, or removing a used line, is refused.
    with pytest.raises(StateError) as below:
        update_donation(db, actor, goods.uuid, replace(GOODS, items=(
            replace(FLOUR, quantity=10, item_id=flour.uuid), replace(OIL, item_id=oil.uuid))), today=TODAY)
    assert (below.value.code, below.value.params["distributed"]) == ("donation.below_distributed", 15)
    with pytest.raises(StateError) as removed:
        update_donation(db, actor, goods.uuid, replace(GOODS, items=(replace(OIL, item_id=oil.uuid),)), today=TODAY)
    assert removed.value.code == "donation.has_distributions"
    with pytest.raises(StateError):
        delete_donation(db, actor, goods.uuid)

    cancel_distribution(db, actor, first.uuid)
    assert stock(db, actor, goods.uuid).items[0].remaining == 20
    fewer = update_donation(db, actor, goods.uuid,
                            replace(GOODS, items=(replace(OIL, quantity=8, item_id=oil.uuid),)), today=TODAY)
    assert [(i.name, i.quantity) for i in fewer.items] == [("食用油", 8)] and fewer.goods_value_fen == 8 * 7_900
    delete_donation(db, actor, goods.uuid)
    with pytest.raises(NotFoundError) as gone:
        get_donation(db, actor, goods.uuid)
    assert gone.value.code == "donation.not_found"


def test_money_distribution_and_monthly_ledger(db: Database, actor: Actor) -> None:
    money = record_donation(db, actor, MONEY, today=TODAY)
    wang = create_person(db, actor, PersonInput(name="王桂花")).person.uuid
    with pytest.raises(ValidationError) as over:
        distribute(db, actor, DistributionInput(money.uuid, date(2026, 11, 6), "李娜", amount_fen=200_001,
                                                person_id=wang), today=TODAY)
    assert over.value.code == "distribution.exceeds_stock"
    distribute(db, actor, DistributionInput(money.uuid, date(2026, 11, 6), "李娜", amount_fen=80_000,
                                            person_id=wang), today=TODAY)
    left = stock(db, actor, money.uuid)
    assert (left.distributed_fen, left.remaining_fen) == (80_000, 120_000)
    with pytest.raises(ValidationError) as item:
        distribute(db, actor, DistributionInput(money.uuid, date(2026, 11, 6), "李娜", quantity=1,
                                                person_id=wang), today=TODAY)
    assert item.value.code == "distribution.item_mismatch"
    service = record_donation(db, actor, DonationInput(date(2026, 10, 31), DonorType.INDIVIDUAL,
                                                       DonationForm.SERVICE, donor_name="乌云·巴图",
                                                       purpose="义诊"), today=TODAY)
    with pytest.raises(ValidationError) as not_stock:
        distribute(db, actor, DistributionInput(service.uuid, date(2026, 11, 6), "李娜", person_id=wang),
                   today=TODAY)
    assert not_stock.value.code == "distribution.not_distributable"

    november = ledger(db, actor, date(2026, 11, 30))
    assert [(x.direction, x.on, x.amount_fen, x.counterpart, x.donor_name) for x in november] == [
        (LedgerDirection.IN, date(2026, 11, 3), 200_000, "土默特左旗慈善总会", "巴特尔"),
        (LedgerDirection.OUT, date(2026, 11, 6), 80_000, "王桂花", "巴特尔"),
    ]
    assert [x.ledger_no for x in ledger(db, actor, date(2026, 10, 1))] == [service.ledger_no]
    assert ledger(db, actor, date(2026, 12, 1)) == []
    with pytest.raises(PermissionDenied):
        record_donation(db, SUPERVISOR, MONEY, today=TODAY)
