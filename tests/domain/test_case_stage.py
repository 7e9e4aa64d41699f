"""The casework stage machine, as pure rules."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe_desktop.domain.case_stage import (
    ALLOWED_MOVES,
    CaseFacts,
    check_can_add_record,
    check_move,
    missing_for_next,
)
from wushe_desktop.domain.enums import ApprovalStatus as A
from wushe_desktop.domain.enums import CaseStage as S
from wushe_desktop.errors import StateError


def facts(stage: S, **kw: object) -> CaseFacts:
    base: dict[str, object] = dict(stage=stage, opening_status=A.APPROVED, has_assessment=True,
                                   plan_status=A.APPROVED, has_evaluation=True, closure_status=A.APPROVED)
    base.update(kw)
    return CaseFacts(**base)  # type: ignore[arg-type]


def code_of(f: CaseFacts, target: S) -> str | None:
    try:
        check_move(f, target)
    except StateError as exc:
        return exc.code
    return None


def test_the_main_line_moves_with_its_approvals() -> None:
    line = [S.INTAKE, S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION, S.CLOSED]
    for source, target in itertools.pairwise(line):
        assert code_of(facts(source), target) is None


@pytest.mark.parametrize(("f", "target", "code"), [
    (facts(S.INTAKE, opening_status=A.PENDING), S.ASSESSMENT, "case.stage.needs_opening_approval"),
    (facts(S.INTAKE, opening_status=A.RETURNED), S.ASSESSMENT, "case.stage.needs_opening_approval"),
    (facts(S.ASSESSMENT, has_assessment=False), S.PLANNING, "case.stage.needs_assessment"),
    (facts(S.PLANNING, plan_status=A.PENDING), S.INTERVENTION, "case.stage.needs_approved_plan"),
    (facts(S.PLANNING, plan_status=None), S.INTERVENTION, "case.stage.needs_approved_plan"),
    (facts(S.EVALUATION, has_evaluation=False), S.CLOSED, "case.stage.needs_evaluation"),
    (facts(S.EVALUATION, closure_status=None), S.CLOSED, "case.stage.needs_approved_closure"),
    (facts(S.EVALUATION, closure_status=A.PENDING), S.CLOSED, "case.stage.needs_approved_closure"),
    (facts(S.EVALUATION), S.REFERRED, "case.stage.needs_referral_closure"),
    (facts(S.EVALUATION, closure_is_referral=True), S.CLOSED, "case.stage.needs_referral_closure"),
    (facts(S.INTAKE), S.CLOSED, "case.stage.illegal"),
    (facts(S.INTAKE), S.INTERVENTION, "case.stage.illegal"),
    (facts(S.NOT_OPENED), S.ASSESSMENT, "case.stage.illegal"),
    (facts(S.INTERVENTION), S.INTERVENTION, "case.stage.same"),
    (facts(S.SUSPENDED, stage_before_suspension=S.PLANNING), S.INTERVENTION, "case.stage.illegal"),
])
def test_illegal_or_premature_moves_are_refused_with_a_code(f: CaseFacts, target: S, code: str) -> None:
    assert code_of(f, target) == code


def test_suspension_resumes_where_it_left() -> None:
    assert code_of(facts(S.SUSPENDED, stage_before_suspension=S.PLANNING), S.PLANNING) is None


@given(st.sampled_from(list(S)), st.sampled_from(list(S)))
def test_no_move_outside_the_table_is_ever_allowed(source: S, target: S) -> None:
    if source == S.SUSPENDED:
        return
    if code_of(facts(source, closure_is_referral=target == S.REFERRED), target) is None:
        assert target in ALLOWED_MOVES[source]


@pytest.mark.parametrize(("stage", "code"), [(S.CLOSED, "case.closed"), (S.REFERRED, "case.closed"),
                                             (S.NOT_OPENED, "case.closed"), (S.INTAKE, "case.not_opened_yet"),
                                             (S.SUSPENDED, "case.suspended")])
def test_records_need_an_open_case(stage: S, code: str) -> None:
    with pytest.raises(StateError) as info:
        check_can_add_record(stage)
    assert info.value.code == code
    check_can_add_record(S.INTERVENTION)


def test_missing_for_next_names_what_the_stage_bar_shows() -> None:
    assert missing_for_next(facts(S.INTAKE, opening_status=A.PENDING)) == ["opening_approval"]
    assert missing_for_next(facts(S.PLANNING, plan_status=None)) == ["plan"]
    assert missing_for_next(facts(S.EVALUATION, has_evaluation=False, closure_status=A.PENDING)) == [
        "evaluation", "closure_approval"]
