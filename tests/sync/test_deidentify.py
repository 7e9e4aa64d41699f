"""The de-identified profile: pseudonyms, masked IDs, keyed hashes, figures unchanged."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import JSON, String, Text

from wushe_desktop.storage.models import Base
from wushe_desktop.sync.deidentify import (
    DEFAULT_POLICY,
    REVIEWED_KEEP,
    Deidentifier,
    id_hash,
    mask_id,
    pseudonym,
)

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
ORIGIN = "150121101000"
ID_NUMBER = "15012119880715003X"


def person(**extra: Any) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "origin": ORIGIN,
        "row_version": 7,
        "name": "王格日乐图",
        "name_pinyin": "wanggeriletu",
        "name_initials": "wgrlt",
        "mongolian_name": "ᠭᠡᠷᠡᠯᠲᠦ",
        "sex": "male",
        "ethnicity": "02",
        "id_number": ID_NUMBER,
        "id_tail": "003X",
        "birth_date": "1988-07-15",
        "phone": "13812345678",
        "phone2": "",
        "hukou_address": "土默特左旗毕克齐镇",
        "community_id": str(uuid.uuid4()),
        "address": "某村3组12号",
        "disability_cert_no": "1501211988071500354",
        "health": "高血压",
        "lives_alone": True,
        "emergency_name": "王某",
        "emergency_phone": "13900000000",
        "notes": "独居",
        "deleted_at": None,
        **extra,
    }


def test_person_row() -> None:
    row = person()
    out = Deidentifier(KEY).row("person", row)
    assert out["name"] == pseudonym(KEY, row["uuid"], "对象")
    assert out["name"].startswith("对象-") and len(out["name"]) == len("对象-") + 8
    assert out["id_number"] == "150121********003X"
    assert out["id_hash"] == id_hash(KEY, ID_NUMBER)
    assert out["birth_date"] == "1988-01-01"
    for column in ("name_pinyin", "name_initials", "mongolian_name", "phone", "hukou_address", "address",
                   "disability_cert_no", "health", "emergency_name", "emergency_phone", "notes"):
        assert out[column] == "", column
    # What figures count stays as it was.
    for column in ("uuid", "origin", "row_version", "sex", "ethnicity", "community_id", "lives_alone",
                   "deleted_at", "id_tail"):
        assert out[column] == row[column], column
    assert set(out) == set(row) | {"id_hash"}
    assert row["name"] == "王格日乐图"  # the input is not changed


def test_pseudonyms_are_stable_per_person_and_keyed() -> None:
    subject = str(uuid.uuid4())
    assert pseudonym(KEY, subject, "对象") == pseudonym(KEY, subject.upper(), "对象")
    assert pseudonym(KEY, subject, "对象") != pseudonym(OTHER_KEY, subject, "对象")
    assert pseudonym(KEY, subject, "对象") != pseudonym(KEY, str(uuid.uuid4()), "对象")


def test_an_attendee_gets_the_pseudonym_of_the_person_or_volunteer_and_walk_ins_no_name() -> None:
    person_id, volunteer_id = str(uuid.uuid4()), str(uuid.uuid4())
    d = Deidentifier(KEY)
    known = d.row("activity_attendee", {"person_id": person_id, "volunteer_id": None, "name": "王某"})
    assert known["name"] == d.row("person", {"uuid": person_id, "name": "王某"})["name"]
    helper = d.row("activity_attendee", {"person_id": None, "volunteer_id": volunteer_id, "name": "李某"})
    assert helper["name"] == pseudonym(KEY, volunteer_id, "志愿者")
    walk_in = d.row("activity_attendee", {"person_id": None, "volunteer_id": None, "name": "路人"})
    assert walk_in["name"] == ""


def test_id_hash_finds_one_person_typed_differently_at_two_stations() -> None:
    assert id_hash(KEY, ID_NUMBER) == id_hash(KEY, " 15012119880715003x ")
    assert id_hash(KEY, ID_NUMBER) == id_hash(KEY, "１５０１２１１９８８０７１５００３Ｘ")  # full-width
    assert id_hash(KEY, ID_NUMBER) != id_hash(OTHER_KEY, ID_NUMBER)
    assert len(id_hash(KEY, ID_NUMBER)) == 64


@pytest.mark.parametrize(
    ("number", "masked"),
    [(ID_NUMBER, "150121********003X"), ("E12345678", "*********"), ("", "")],
)
def test_mask(number: str, masked: str) -> None:
    assert mask_id(number) == masked


def test_missing_id_number_gets_no_hash() -> None:
    out = Deidentifier(KEY).row("person", person(id_number=None))
    assert out["id_number"] is None and out["id_hash"] is None


def test_donors_who_are_people_are_pseudonymised_and_companies_kept() -> None:
    d = Deidentifier(KEY)
    row = {"uuid": str(uuid.uuid4()), "donor_type": "individual", "donor_name": "张三", "donor_id_no": ID_NUMBER,
           "donor_contact": "13800000000", "amount_fen": 50_000, "purpose": "给张三的孩子"}
    out = d.row("donation", row)
    assert out["donor_name"].startswith("捐赠人-")
    assert out["donor_id_no"] == "150121********003X" and out["donor_id_no_hash"] == id_hash(KEY, ID_NUMBER)
    assert out["donor_contact"] == "" and out["purpose"] == ""
    assert out["amount_fen"] == 50_000
    company = d.row("donation", row | {"donor_type": "company", "donor_name": "某某公司"})
    assert company["donor_name"] == "某某公司"


def test_structured_notes_become_empty_of_their_type() -> None:
    out = Deidentifier(KEY).row("assessment", {"needs": [{"need": "看病"}], "scales": [{"score": 3}],
                                               "summary": "很多细节", "risk_level": "high"})
    assert out == {"needs": [], "scales": [{"score": 3}], "summary": "", "risk_level": "high"}


def test_no_row_is_dropped() -> None:
    rows = [person() for _ in range(25)]
    tables = list(Deidentifier(KEY).tables([("person", iter(rows)), ("case_file", iter([{"uuid": "x"}]))]))
    assert [(t, len(list(r))) for t, r in tables] == [("person", 25), ("case_file", 1)]


def test_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError):
        Deidentifier(b"short")


def test_every_text_column_of_the_models_is_reviewed() -> None:
    """A new free-text column must be classified before it can travel de-identified."""
    unreviewed = []
    for table in Base.metadata.sorted_tables:
        if "origin" not in table.columns:
            continue  # local tables never travel
        transformed = DEFAULT_POLICY.transformed(table.name)
        kept = REVIEWED_KEEP.get(table.name, frozenset())
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON) or column.name in {"origin"}:
                continue
            if column.name not in transformed and column.name not in kept:
                unreviewed.append(f"{table.name}.{column.name}")
    assert unreviewed == []
