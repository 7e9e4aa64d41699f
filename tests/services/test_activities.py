"""Activities, rosters, groups and partners; scenario 4 (重阳节) end to end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from wushe_desktop.domain.enums import (
    AttendeeRole,
    DonationForm,
    DonorType,
    HoursStatus,
    LinkageParty,
    OrganiserRole,
    ReceiptKind,
    Role,
)
from wushe_desktop.domain.validation import USCC_ALPHABET, USCC_WEIGHTS, id_number_check_char
from wushe_desktop.errors import StateError, ValidationError, ValidationErrors
from wushe_desktop.services.activities import (
    ActivityInput,
    AttendeeInput,
    GroupInput,
    OrganisationInput,
    OrganiserInput,
    activity_detail,
    add_attendees,
    add_group_member,
    create_activity,
    create_group,
    create_organisation,
    delete_activity,
    list_activities,
    remove_attendee,
    update_activity,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.resources import (
    DistributionInput,
    DonationInput,
    DonationItemInput,
    LedgerDirection,
    distribute,
    ledger,
    record_donation,
    stock,
)
from wushe_desktop.services.volunteers import (
    HoursInput,
    VolunteerInput,
    add_hours_bulk,
    confirm_hours,
    list_hours,
    register_volunteer,
    void_hours,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import ActivityOrganiser

STATION_CODE = "150121101000"  # the conftest station, 毕克齐镇
TODAY = date(2026, 11, 25)
DOUBLE_NINTH = date(2026, 10, 18)  # 重阳节 2026
HEAD = Actor("乌兰", Role.STATION_HEAD)
WORKER = Actor("李娜", Role.SOCIAL_WORKER)


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


def make_uscc(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


ASSOCIATION_USCC = make_uscc("51150121MJ0123456")  # 土默特左旗老年协会 (social organisation)
DAIRY_USCC = make_uscc("91150121MA0N2K3L4")  # the dairy (company)

SURNAMES = "王李张刘赵孙周吴郑"
GIVEN = ("桂花", "秀英", "玉兰", "金山", "宝山", "德胜", "淑珍", "凤英", "福林", "长海")
MONGOLIAN = ("其木格", "巴图", "乌云", "苏和", "额尔敦", "敖登", "斯琴", "那日松", "图雅", "宝音")
#: 24 registered elderly people: Han names and Mongolian names in transliteration.
ELDERLY = tuple(SURNAMES[i % 9] + GIVEN[i % 10] if i % 2 else MONGOLIAN[i % 10] for i in range(24))
#: 36 new faces signed in by name on the day.
NEW_FACES = tuple(SURNAMES[i % 9] + GIVEN[(i + 3) % 10] if i % 3 else MONGOLIAN[(i + 5) % 10] for i in range(36))
VOLUNTEERS = ("苏日娜", "巴特尔", "乌云·巴图", "萨仁", "阿拉坦", "朝鲁", "哈斯", "格日勒", "孟和", "张晓燕",
              "刘建军", "赵丽娜")

ORGANISERS = (
    OrganiserInput("什报气村村民委员会", OrganiserRole.HOST, LinkageParty.COMMUNITY),
    OrganiserInput("土默特左旗老年协会", OrganiserRole.ORGANISER, LinkageParty.SOCIAL_ORG),
    OrganiserInput("毕克齐镇社工站志愿服务队", OrganiserRole.PARTNER, LinkageParty.VOLUNTEER_TEAM),
)


def _festival(**changes: object) -> ActivityInput:
    base = ActivityInput(
        title="重阳节敬老慰问活动", activity_type="festival_visit", start_date=DOUBLE_NINTH,
        service_areas=("elderly", "governance"), target_groups=("GL", "DJ"), place="什报气村村委会",
        starts_at=datetime(2026, 10, 18, 1, 0, tzinfo=UTC), ends_at=datetime(2026, 10, 18, 4, 0, tzinfo=UTC),
        objectives="关爱高龄、独居老人", organisers=ORGANISERS)
    return replace(base, **changes)


def test_scenario4_double_ninth_end_to_end(db: Database, actor: Actor) -> None:
    # A week before: the activity with its three organisers tagged by 五社 party.
    association = create_organisation(db, WORKER, OrganisationInput(
        "土默特左旗老年协会", uscc=ASSOCIATION_USCC.lower(), kind="社会组织", linkage_party=LinkageParty.SOCIAL_ORG,
        contact_name="王德胜", contact_phone="0471-8123456"))
    assert association.uscc == ASSOCIATION_USCC and association.contact_phone_masked == "0471-***3456"
    organisers = (ORGANISERS[0], OrganiserInput("", OrganiserRole.ORGANISER, LinkageParty.SOCIAL_ORG,
                                                association.uuid), ORGANISERS[2])  # name from the record
    planned = create_activity(db, WORKER, _festival(organisers=organisers))
    assert planned.activity_no == f"{STATION_CODE}-A2026-0001"
    assert planned.service_areas == ("elderly", "governance")
    assert [(o.name, o.linkage_party) for o in planned.organisers] == [
        ("什报气村村民委员会", LinkageParty.COMMUNITY), ("土默特左旗老年协会", LinkageParty.SOCIAL_ORG),
        ("毕克齐镇社工站志愿服务队", LinkageParty.VOLUNTEER_TEAM)]

    # On the day: 60 elderly people (24 registered, 36 new faces) and 12 volunteers.
    people = [create_person(db, WORKER, PersonInput(name=name)).person.uuid for name in ELDERLY]
    volunteers = [register_volunteer(db, WORKER, VolunteerInput(
        name=name, id_number=make_id("150121", f"{1970 + i}0101", f"{i:02d}1"),
        teams=("毕克齐镇社工站志愿服务队",)), today=TODAY).volunteer.uuid for i, name in enumerate(VOLUNTEERS)]
    roster = ([AttendeeInput(person_id=p) for p in people]
              + [AttendeeInput(name=name) for name in NEW_FACES]
              + [AttendeeInput(volunteer_id=v, role=AttendeeRole.VOLUNTEER) for v in volunteers])
    assert len(add_attendees(db, WORKER, planned.uuid, roster)) == 72
    with pytest.raises(ValidationErrors) as dup:
        add_attendees(db, WORKER, planned.uuid, [AttendeeInput(person_id=people[0]),
                                                 AttendeeInput(person_id=people[1], name="王桂花")])
    assert [(e.code, e.params["line"]) for e in dup.value.errors] == [("attendee.duplicate", 0),
                                                                      ("attendee.one_of", 1)]

    # Afterwards: counts, summary; the organisers are saved again (old lines soft-deleted).
    held = update_activity(db, WORKER, planned.uuid, _festival(
        organisers=organisers, social_workers=3, volunteers=12, caring_people=8, clients=60, beneficiaries=60,
        summary="为60位老人送去慰问品并开展健康讲座。", reflection="新面孔较多，需提前摸排名单。"))
    assert (held.social_workers, held.volunteers, held.caring_people, held.beneficiaries) == (3, 12, 8, 60)
    assert held.activity_no == planned.activity_no and len(held.organisers) == 3
    with db.read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(ActivityOrganiser)) == 6

    # Volunteer hours for all 12 in one grid, confirmed by the head in one action.
    grid = [HoursInput(v, DOUBLE_NINTH, sign_in=time(8, 30), sign_out=time(11, 45), content="陪伴老人、发放慰问品")
            for v in volunteers]
    entered = add_hours_bulk(db, WORKER, planned.uuid, grid, today=TODAY)
    assert {(x.credited_tenths, x.place, x.activity_id) for x in entered} == {(30, "什报气村村委会", planned.uuid)}
    pending = list_hours(db, HEAD, status=HoursStatus.PENDING)
    assert len(pending) == 12
    confirm_hours(db, HEAD, [x.uuid for x in pending])

    # The dairy's 50 boxes of milk: valued goods with the receipt of the charity that took them.
    milk = record_donation(db, WORKER, DonationInput(
        received_on=DOUBLE_NINTH, donor_type=DonorType.COMPANY, form=DonationForm.GOODS,
        donor_name="土左旗草原乳业有限公司", donor_id_no=DAIRY_USCC, donor_contact="0471-8234567",
        publish_consent=True,
        items=(DonationItemInput("纯牛奶", 50, unit="箱", spec="250ml×12盒", unit_value_fen=4800,
                                 valuation_basis="市场价", expiry=date(2027, 3, 1)),),
        restricted=True, purpose="重阳节慰问高龄、独居老人", recipient_name="土默特左旗慈善总会",
        receipt_kind=ReceiptKind.PAPER, receipt_no="NO.0012345", receipt_date=date(2026, 10, 20),
        receipt_handler="赵丽娜", activity_id=planned.uuid), today=TODAY)
    assert milk.ledger_no == f"{STATION_CODE}-J2026-0001" and milk.goods_value_fen == 240_000
    assert milk.donor_contact_masked == "0471-***4567" and milk.receipt_kind == ReceiptKind.PAPER
    given = distribute(db, WORKER, DistributionInput(milk.uuid, DOUBLE_NINTH, "李娜", item_id=milk.items[0].uuid,
                                                     quantity=45, activity_id=planned.uuid), today=TODAY)
    assert given.amount_fen == 45 * 4800
    distribute(db, WORKER, DistributionInput(milk.uuid, date(2026, 10, 19), "李娜", item_id=milk.items[0].uuid,
                                             quantity=5, person_id=people[0], signed=True), today=TODAY)
    left = stock(db, WORKER, milk.uuid)
    assert (left.items[0].distributed, left.items[0].remaining, left.remaining_fen) == (50, 0, 0)
    with pytest.raises(ValidationError) as none_left:
        distribute(db, WORKER, DistributionInput(milk.uuid, date(2026, 10, 20), "李娜", item_id=milk.items[0].uuid,
                                                 quantity=1, person_id=people[1]), today=TODAY)
    assert (none_left.value.code, none_left.value.params["available"]) == ("distribution.exceeds_stock", 0)

    # What the activity record and the month's ledger show.
    detail = activity_detail(db, WORKER, planned.uuid)
    assert detail.roster_by_role[AttendeeRole.BENEFICIARY] == 60
    assert detail.roster_by_role[AttendeeRole.VOLUNTEER] == 12 and detail.roster_persons == 24
    assert (detail.hours_lines, detail.hours_confirmed_tenths, detail.hours_pending_tenths) == (12, 360, 0)
    assert {a.name for a in detail.attendees if a.volunteer_id} == set(VOLUNTEERS)
    october = ledger(db, WORKER, date(2026, 10, 1))
    assert [(x.direction, x.item, x.quantity, x.amount_fen, x.counterpart) for x in october] == [
        (LedgerDirection.IN, "纯牛奶", 50, 240_000, "土默特左旗慈善总会"),
        (LedgerDirection.OUT, "纯牛奶", 45, 216_000, "重阳节敬老慰问活动"),
        (LedgerDirection.OUT, "纯牛奶", 5, 24_000, ELDERLY[0]),
    ]
    assert [a.uuid for a in list_activities(db, WORKER, date(2026, 10, 1), date(2026, 10, 31))] == [planned.uuid]


def test_activity_validation_codes_and_references(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationErrors) as form:
        create_activity(db, actor, _festival(title=" ", volunteers=-1,
                                             ends_at=datetime(2026, 10, 17, tzinfo=UTC)))
    assert {(e.code, e.field) for e in form.value.errors} == {
        ("text.required", "title"), ("count.negative", "volunteers"), ("date.order", "ends_at")}
    with pytest.raises(ValidationError) as area:
        create_activity(db, actor, _festival(service_areas=("elderly", "sports")))
    assert (area.value.code, area.value.params["value"]) == ("taxonomy.unknown_code", "sports")
    with pytest.raises(ValueError):
        create_activity(db, actor, _festival(starts_at=datetime(2026, 10, 18, 9, 0)))  # naive: a bug
    next_year = create_activity(db, actor, _festival(start_date=date(2027, 1, 20), starts_at=None, ends_at=None))
    assert next_year.activity_no == f"{STATION_CODE}-A2027-0001"  # numbered by the year it takes place


def test_roster_remove_and_delete_activity_with_hours(db: Database, actor: Actor) -> None:
    act = create_activity(db, actor, _festival()).uuid
    vid = register_volunteer(db, actor, VolunteerInput(name="巴特尔"), today=TODAY).volunteer.uuid
    (line_id,) = add_attendees(db, actor, act, [AttendeeInput(name="其木格")])
    remove_attendee(db, actor, line_id)
    assert activity_detail(db, actor, act).attendees == ()
    (hours,) = add_hours_bulk(db, actor, act, [HoursInput(vid, DOUBLE_NINTH, minutes=120)], today=TODAY)
    with pytest.raises(StateError) as busy:
        delete_activity(db, actor, act)
    assert (busy.value.code, busy.value.params["lines"]) == ("activity.has_hours", 1)
    void_hours(db, actor, hours.uuid, "活动改期")
    delete_activity(db, actor, act)
    assert list_activities(db, actor) == []


def test_group_sessions_are_activities_numbered_per_group(db: Database, actor: Actor) -> None:
    group = create_group(db, actor, GroupInput("留守儿童成长小组", group_type="成长", planned_sessions=6,
                                               session_plan=({"no": 1, "theme": "相识"},)))
    child = create_person(db, actor, PersonInput(name="其其格")).person.uuid
    add_group_member(db, actor, group.uuid, child)
    with pytest.raises(ValidationError) as twice:
        add_group_member(db, actor, group.uuid, child)
    assert twice.value.code == "group.duplicate_member"
    start = date(2026, 7, 4)
    sessions = [create_activity(db, actor, ActivityInput("成长小组", "group_session", start + timedelta(weeks=i),
                                                         group_id=group.uuid)) for i in range(2)]
    assert [s.session_no for s in sessions] == [1, 2]
    renamed = update_activity(db, actor, sessions[0].uuid, ActivityInput("成长小组·相识", "group_session", start,
                                                                         group_id=group.uuid))
    assert renamed.session_no == 1  # an edit keeps the session's number
    with pytest.raises(ValidationError) as missing:
        create_activity(db, actor, ActivityInput("成长小组", "group_session", start))
    assert missing.value.code == "activity.group_required"
    with pytest.raises(ValidationError) as wrong:
        create_activity(db, actor, ActivityInput("社区活动", "community_event", start, group_id=group.uuid))
    assert wrong.value.code == "activity.group_type_mismatch"


def test_organisation_uscc_is_checked(db: Database, actor: Actor) -> None:
    bad = ASSOCIATION_USCC[:-1] + ("0" if ASSOCIATION_USCC[-1] != "0" else "1")
    with pytest.raises(ValidationErrors) as info:
        create_organisation(db, actor, OrganisationInput("土默特左旗老年协会", uscc=bad, contact_phone="12345"))
    assert {(e.code, e.field) for e in info.value.errors} == {("uscc.checksum", "uscc"),
                                                               ("phone.length", "contact_phone")}
    create_organisation(db, actor, OrganisationInput("土默特左旗老年协会", uscc=ASSOCIATION_USCC))
    with pytest.raises(ValidationError) as dup:
        create_organisation(db, actor, OrganisationInput("老年协会", uscc=ASSOCIATION_USCC))
    assert dup.value.code == "organisation.duplicate_uscc"
    assert create_organisation(db, actor, OrganisationInput("什报气村村民委员会")).uscc == ""
