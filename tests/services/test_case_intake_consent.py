"""The intake records a guardian's consent in the same transaction; a case's referrals are listed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.services.test_cases import INTAKE_DAY, TODAY, WORKER, add_person
from wushe_desktop.domain.enums import CaseSource, CaseStage, LegalBasis, ReferralDirection
from wushe_desktop.errors import ValidationError, ValidationErrors
from wushe_desktop.services.cases import (
    IntakeInput,
    ReferralInput,
    list_referrals,
    make_referral,
    open_case,
)
from wushe_desktop.services.context import reading
from wushe_desktop.services.people import ConsentInput
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import Consent


def child_intake(person_id: object, **kw: object) -> IntakeInput:
    fields: dict[str, object] = {"person_id": person_id, "intake_date": INTAKE_DAY, "source": CaseSource.REFERRAL,
                                 "referrer": "什报气村委会", "service_area": "children"}
    fields.update(kw)
    return IntakeInput(**fields)  # type: ignore[arg-type]


def consents(db: Database) -> list[Consent]:
    with reading(db, WORKER) as s:
        return list(s.scalars(select(Consent)))


def test_guardian_consent_at_intake_opens_a_childs_case(db: Database) -> None:
    granny = add_person(db, "其木格", "19630301", "024")
    child = add_person(db, "其其格", "20170605", "026", guardian_id=granny, guardian_relation="祖母")
    consent = ConsentInput("个案服务", "其木格", INTAKE_DAY, signer_relation="祖母")
    case = open_case(db, WORKER, child_intake(child), consent=consent, today=TODAY)
    assert case.stage == CaseStage.INTAKE
    [row] = consents(db)
    assert row.case_id == case.uuid and row.signer_name == "其木格"


def test_refused_intake_keeps_no_consent(db: Database) -> None:
    granny = add_person(db, "其木格", "19630301", "024")
    child = add_person(db, "其其格", "20170605", "026", guardian_id=granny, guardian_relation="祖母")
    consent = ConsentInput("个案服务", "其木格", INTAKE_DAY, signer_relation="祖母")
    with pytest.raises(ValidationError) as info:
        open_case(db, WORKER, child_intake(child, referrer=""), consent=consent, today=TODAY)
    assert info.value.code == "case.referrer_required"
    assert consents(db) == []
    # a child's own signature is refused, next to the signer's relation
    with pytest.raises((ValidationError, ValidationErrors)) as refused:
        open_case(db, WORKER, child_intake(child), consent=ConsentInput("个案服务", "其其格", INTAKE_DAY),
                  today=TODAY)
    assert refused.value.field == "signer_relation"
    with pytest.raises(ValidationError) as bad_name:
        open_case(db, WORKER, child_intake(child), consent=ConsentInput("个案服务", "", INTAKE_DAY, "祖母"),
                  today=TODAY)
    assert bad_name.value.field == "signer_name"
    assert consents(db) == []


def test_list_referrals_of_a_case(db: Database) -> None:
    person = add_person(db, "王桂花", "19440312", "028")
    case = open_case(db, WORKER, child_intake(person, service_area="elderly"), today=TODAY)
    assert list_referrals(db, WORKER, case.uuid) == []
    made = make_referral(db, WORKER, ReferralInput(ReferralDirection.OUT, person, INTAKE_DAY + timedelta(days=3),
                                                   to_party="旗医院", client_consented=True,
                                                   legal_basis=LegalBasis.SEPARATE_CONSENT, case_id=case.uuid),
                         today=TODAY)
    assert [r.uuid for r in list_referrals(db, WORKER, case.uuid)] == [made.uuid]
    with reading(db, WORKER) as s:
        assert s.scalar(select(func.count()).select_from(Consent)) == 0
