"""The casework stage machine (接案 → 预估 → 计划 → 介入 → 评估 → 结案).

Pure rules: given where a case is and what it holds, may it move? Services call
:func:`check_move` before changing a stage and :func:`check_can_add_record` before
adding a service record, and translate nothing: refusals are coded
:class:`~wushe_desktop.errors.StateError` values the UI and CLI explain.
"""

from __future__ import annotations

from dataclasses import dataclass

from wushe_desktop.domain.enums import ApprovalStatus, CaseStage
from wushe_desktop.errors import StateError

S = CaseStage

#: Moves a user may ask for directly. Closing, not-opening and referral closure happen
#: through their own records (closure approval, intake decision, referral).
ALLOWED_MOVES: dict[CaseStage, frozenset[CaseStage]] = {
    S.INTAKE: frozenset({S.ASSESSMENT, S.NOT_OPENED, S.SUSPENDED}),
    S.ASSESSMENT: frozenset({S.PLANNING, S.SUSPENDED}),
    S.PLANNING: frozenset({S.INTERVENTION, S.ASSESSMENT, S.SUSPENDED}),
    S.INTERVENTION: frozenset({S.EVALUATION, S.ASSESSMENT, S.PLANNING, S.SUSPENDED}),
    S.EVALUATION: frozenset({S.CLOSED, S.REFERRED, S.INTERVENTION, S.SUSPENDED}),
    S.CLOSED: frozenset({S.FOLLOW_UP, S.INTERVENTION}),
    S.REFERRED: frozenset({S.FOLLOW_UP, S.INTERVENTION}),
    S.FOLLOW_UP: frozenset({S.CLOSED, S.INTERVENTION}),
    S.SUSPENDED: frozenset(),  # resumes to the stage it left: see check_move
    S.NOT_OPENED: frozenset(),
}

#: The main line, in order, for stage bars and "what is missing" hints.
MAIN_LINE: tuple[CaseStage, ...] = (
    S.INTAKE,
    S.ASSESSMENT,
    S.PLANNING,
    S.INTERVENTION,
    S.EVALUATION,
    S.CLOSED,
)

#: Stages in which a case counts as open (cases.active).
OPEN_STAGES = frozenset({S.INTAKE, S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION, S.SUSPENDED})

#: Stages in which new service records may be added.
RECORDING_STAGES = frozenset({S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION, S.FOLLOW_UP})

#: Stages after an approved closure (``Case.closed_on`` is set); reopening leaves them.
CLOSED_STAGES = frozenset({S.CLOSED, S.REFERRED, S.FOLLOW_UP})

#: Opened, not suspended and not closed: the stages the "no contact for N days" list watches.
WORKING_STAGES = frozenset({S.ASSESSMENT, S.PLANNING, S.INTERVENTION, S.EVALUATION})


@dataclass(frozen=True)
class CaseFacts:
    """What the rules need to know about a case; services fill it from the database."""

    stage: CaseStage
    opening_status: ApprovalStatus
    has_assessment: bool
    plan_status: ApprovalStatus | None  # latest plan's status, None if no plan
    has_evaluation: bool
    closure_status: ApprovalStatus | None  # latest closure record's status
    closure_is_referral: bool = False
    stage_before_suspension: CaseStage | None = None


def check_move(facts: CaseFacts, target: CaseStage) -> None:
    """Raise :class:`StateError` unless the case may move to ``target`` now.

    Codes: ``case.stage.same``, ``case.stage.illegal`` (params ``source``, ``target``),
    ``case.stage.needs_opening_approval``, ``case.stage.needs_assessment``,
    ``case.stage.needs_approved_plan``, ``case.stage.needs_evaluation``,
    ``case.stage.needs_approved_closure``, ``case.stage.needs_referral_closure``.
    """
    source = facts.stage
    if target == source:
        raise StateError("case.stage.same", field="stage", source=source.value)
    if source == S.SUSPENDED:
        resume = facts.stage_before_suspension or S.INTERVENTION
        if target != resume:
            raise StateError("case.stage.illegal", field="stage", source=source.value, target=target.value)
        return
    if target not in ALLOWED_MOVES[source]:
        raise StateError("case.stage.illegal", field="stage", source=source.value, target=target.value)
    if target == S.ASSESSMENT and source == S.INTAKE and facts.opening_status != ApprovalStatus.APPROVED:
        raise StateError("case.stage.needs_opening_approval", field="stage")
    if target == S.PLANNING and not facts.has_assessment:
        raise StateError("case.stage.needs_assessment", field="stage")
    if target == S.INTERVENTION and source == S.PLANNING and facts.plan_status != ApprovalStatus.APPROVED:
        raise StateError("case.stage.needs_approved_plan", field="stage")
    if target in (S.CLOSED, S.REFERRED) and source == S.EVALUATION:
        if not facts.has_evaluation:
            raise StateError("case.stage.needs_evaluation", field="stage")
        if facts.closure_status != ApprovalStatus.APPROVED:
            raise StateError("case.stage.needs_approved_closure", field="stage")
        if (target == S.REFERRED) != facts.closure_is_referral:
            raise StateError("case.stage.needs_referral_closure", field="stage")


def check_can_add_record(stage: CaseStage) -> None:
    """Service records need an opened, not closed case (reopen a closed case first).

    Codes: ``case.closed`` (closed, referred or not opened: reopen first),
    ``case.not_opened_yet`` (still at intake), ``case.suspended``.
    """
    if stage in RECORDING_STAGES:
        return
    if stage == S.INTAKE:
        raise StateError("case.not_opened_yet", field="stage")
    if stage == S.SUSPENDED:
        raise StateError("case.suspended", field="stage")
    raise StateError("case.closed", field="stage", stage=stage.value)


def missing_for_next(facts: CaseFacts) -> list[str]:
    """Codes of what the case lacks before it can take the next main-line step."""
    missing: list[str] = []
    if facts.stage == S.INTAKE and facts.opening_status != ApprovalStatus.APPROVED:
        missing.append("opening_approval")
    if facts.stage == S.ASSESSMENT and not facts.has_assessment:
        missing.append("assessment")
    if facts.stage == S.PLANNING and facts.plan_status != ApprovalStatus.APPROVED:
        missing.append("plan" if facts.plan_status is None else "plan_approval")
    if facts.stage == S.EVALUATION:
        if not facts.has_evaluation:
            missing.append("evaluation")
        if facts.closure_status is None:
            missing.append("closure")
        elif facts.closure_status != ApprovalStatus.APPROVED:
            missing.append("closure_approval")
    return missing
