"""Registering and editing people served."""

from __future__ import annotations

from datetime import date

import pytest

from wushe_desktop.domain.enums import Role, Sex
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import PermissionDenied, ValidationError, ValidationErrors
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import (
    ConsentInput,
    PersonInput,
    create_person,
    record_consent,
    reveal_id_number,
    search_people,
    update_person,
)
from wushe_desktop.storage.db import Database


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


WANG = make_id("150121", "19440312", "022")  # 王桂花, female (even)


def test_register_person_derives_birth_and_sex_and_masks(db: Database, actor: Actor) -> None:
    result = create_person(db, actor, PersonInput(name="王桂花", id_number=WANG.lower(), phone="138 1234 5678",
                                                  address="毕克齐镇什报气村", categories=("DB", "GL")),
                           today=date(2026, 11, 25))
    p = result.person
    assert p.birth_date == date(1944, 3, 12) and p.sex == Sex.FEMALE and p.age == 82
    assert p.id_number_masked == WANG[:6] + "********" + WANG[-4:]
    assert p.phone_masked == "138****5678"
    assert p.categories == ("DB", "GL")
    assert result.warnings == ()
    assert search_people(db, actor, "wgh")[0].uuid == p.uuid
    assert search_people(db, actor, WANG[-4:])[0].uuid == p.uuid
    assert search_people(db, actor, "桂花")[0].uuid == p.uuid


def test_wrong_check_digit_and_phone_are_reported_together(db: Database, actor: Actor) -> None:
    bad = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    with pytest.raises(ValidationErrors) as info:
        create_person(db, actor, PersonInput(name="王桂花", id_number=bad, phone="1381234567"))
    assert {(e.code, e.field) for e in info.value.errors} == {("id_number.checksum", "id_number"),
                                                               ("phone.length", "phone")}


def test_duplicate_id_number_is_refused_and_sex_mismatch_warns(db: Database, actor: Actor) -> None:
    create_person(db, actor, PersonInput(name="王桂花", id_number=WANG))
    with pytest.raises(ValidationError) as info:
        create_person(db, actor, PersonInput(name="王桂华", id_number=WANG))
    assert info.value.code == "id_number.duplicate"
    other = make_id("152301", "19800101", "013")  # historical 哲里木盟 code, male
    res = create_person(db, actor, PersonInput(name="乌云·巴图", id_number=other, sex=Sex.FEMALE))
    assert [w.code for w in res.warnings] == ["id_number.sex_mismatch"]
    assert res.person.sex == Sex.FEMALE  # kept as entered; the user confirms


def test_child_consent_needs_guardian_signature(db: Database, actor: Actor) -> None:
    today = date(2026, 11, 25)
    granny = create_person(db, actor, PersonInput(name="其木格", id_number=make_id("150121", "19560101", "024")),
                           today=today).person
    child_id = make_id("150121", "20170605", "026")
    res = create_person(db, actor, PersonInput(name="其其格", id_number=child_id), today=today)
    assert [w.code for w in res.warnings] == ["person.minor_needs_guardian"]
    with pytest.raises(ValidationError) as info:
        record_consent(db, actor, res.person.uuid, ConsentInput("个案服务", "其其格", today), today=today)
    assert info.value.code == "consent.child_needs_guardian"
    update_person(db, actor, res.person.uuid,
                  PersonInput(name="其其格", id_number=child_id, guardian_id=granny.uuid, guardian_relation="祖母"),
                  today=today)
    with pytest.raises(ValidationError):
        record_consent(db, actor, res.person.uuid, ConsentInput("个案服务", "其其格", today), today=today)
    record_consent(db, actor, res.person.uuid,
                   ConsentInput("个案服务", "其木格", today, signer_relation="祖母"), today=today)


def test_reveal_needs_permission(db: Database, actor: Actor) -> None:
    p = create_person(db, actor, PersonInput(name="王桂花", id_number=WANG)).person
    worker = Actor("李娜", Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        reveal_id_number(db, worker, p.uuid, "打印")
    assert reveal_id_number(db, actor, p.uuid, "打印") == WANG
