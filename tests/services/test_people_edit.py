"""Reading a person for the edit form, and saving without knowing the full ID number."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select

from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import (
    ConsentInput,
    HouseholdInput,
    PersonInput,
    add_household_member,
    create_person,
    end_category,
    person_for_edit,
    record_consent,
    update_person,
    withdraw_consent,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Person

TODAY = date(2026, 11, 25)


def make_id(prefix6: str, birth: str, seq: str) -> str:
    first17 = prefix6 + birth + seq
    return first17 + id_number_check_char(first17)


WANG = make_id("150121", "19440312", "022")


def stored_id(db: Database, name: str) -> str | None:
    with db.read_sessions() as session:
        return session.scalars(select(Person.id_number).where(Person.name == name)).one()


def test_person_for_edit_holds_everything_the_form_shows(db: Database, actor: Actor) -> None:
    saved = create_person(db, actor, PersonInput(name="王桂花", id_number=WANG, phone="13812345678",
                                                 address="什报气村", categories=("DB", "GL")), today=TODAY)
    person_id = saved.person.uuid
    end_category(db, actor, person_id, "DB", date(2026, 6, 30))
    consent = record_consent(db, actor, person_id, ConsentInput("个案服务", "王桂花", date(2026, 1, 5)),
                             today=TODAY)
    withdraw_consent(db, actor, consent, date(2026, 3, 1))
    add_household_member(db, actor, person_id, HouseholdInput("李强", "儿子", 1970, phone="13912345678"))

    record = person_for_edit(db, actor, person_id, today=TODAY)

    assert record.data.name == "王桂花" and record.data.phone == "13812345678"
    assert record.data.id_number == "" and record.id_number_masked == WANG[:6] + "********" + WANG[-4:]
    assert record.data.birth_date == date(1944, 3, 12) and record.age == 82
    assert record.data.categories == ("GL",)
    assert [(st.category, st.valid_to) for st in record.statuses] == [("GL", None), ("DB", date(2026, 6, 30))]
    assert [(c.signer_name, c.withdrawn_on) for c in record.consents] == [("王桂花", date(2026, 3, 1))]
    assert [(m.name, m.relation, m.phone_masked) for m in record.household] == [("李强", "儿子", "139****5678")]


def test_saving_the_edit_form_keeps_the_id_number_it_never_showed(db: Database, actor: Actor) -> None:
    saved = create_person(db, actor, PersonInput(name="王桂花", id_number=WANG), today=TODAY)
    record = person_for_edit(db, actor, saved.person.uuid, today=TODAY)

    update_person(db, actor, record.uuid, replace(record.data, address="毕克齐镇什报气村3组"),
                  keep_id_number=True, today=TODAY)

    assert stored_id(db, "王桂花") == WANG
    again = person_for_edit(db, actor, saved.person.uuid, today=TODAY)
    assert again.data.address == "毕克齐镇什报气村3组"
    assert again.row_version > record.row_version
