"""The case workspace's remaining paths on the demo database: evaluation, closure and its
approval, referral with its answer, closure by referral, reopening, follow-up, printing
every form (ID numbers masked), intake correction and suspending/resuming a case."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot
from uihelpers import wait_idle

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    CaseSource,
    CaseStage,
    ReferralOutcome,
    Role,
)
from wushe_desktop.services.cases import (
    get_case,
    list_follow_ups,
    list_referrals,
    list_service_records,
)
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.lists import list_records
from wushe_desktop.services.people import get_person
from wushe_desktop.services.staff import list_staff
from wushe_desktop.ui.case_dialogs import (
    ClosureDialog,
    DecisionDialog,
    EvaluationDialog,
    FollowUpDialog,
    IntakeDialog,
    ReferralDialog,
    ReferralOutcomeDialog,
    ReopenDialog,
)
from wushe_desktop.ui.case_workspace import CaseWorkspace
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog

WAIT = 15_000
MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


@pytest.fixture
def worker_ctx(demo_db: Any) -> Iterator[UiContext]:
    """The screens' context acting as 李娜, a social worker."""
    lina = next(s for s in list_staff(demo_db, CLI_ACTOR) if s.name == "李娜")
    opening = Opening(station_info(demo_db), Actor(name="李娜", role=Role.SOCIAL_WORKER, staff_id=lina.uuid))
    context = make_context(demo_db, opening)
    yield context
    context.shutdown()


def cases_at(ctx: UiContext, stage: CaseStage) -> list[dict[str, Any]]:
    """The demo's cases at a stage, by case number."""
    return [r for r in list_records(ctx.db, ctx.actor, "cases") if r["stage"] == stage.value]


def cases_page(qtbot: QtBot, ctx: UiContext) -> CasesPage:
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_idle(qtbot, ctx)
    return page


def opened(qtbot: QtBot, page: CasesPage, case_id: Any) -> CaseWorkspace:
    workspace = page.workspace
    with qtbot.waitSignal(workspace.loaded, timeout=WAIT):
        page.open_case(case_id)
    return workspace


def reloaded(qtbot: QtBot, ctx: UiContext, workspace: CaseWorkspace) -> None:
    """Wait until the saves and the workspace's reading are done."""
    wait_idle(qtbot, ctx)
    qtbot.waitUntil(lambda: not workspace.busy, timeout=WAIT)
    wait_idle(qtbot, ctx)


def click(qtbot: QtBot, workspace: CaseWorkspace, key: str, kind: type[QDialog]) -> Any:
    """Press one of the workspace's buttons (it must be shown) and take the form it opens."""
    button = workspace.buttons[key]
    assert button.isVisible() and button.isEnabled(), key
    button.click()
    qtbot.waitUntil(lambda: isinstance(workspace.dialog, kind), timeout=WAIT)
    return workspace.dialog


def save(qtbot: QtBot, ctx: UiContext, workspace: CaseWorkspace, dialog: Any) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    reloaded(qtbot, ctx, workspace)


def refused(qtbot: QtBot, dialog: Any) -> dict[str, str]:
    with qtbot.waitSignal(dialog.save_failed, timeout=WAIT):
        dialog.save()
    return dialog.errors()


def stage_of(ctx: UiContext, case_id: Any) -> CaseStage:
    return get_case(ctx.db, ctx.actor, case_id).case.stage


def pdf_text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def printed(qtbot: QtBot, ctx: UiContext, workspace: CaseWorkspace, key: str) -> str:
    """Choose an entry of the workspace's 打印 menu; the preview's PDF as text."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, PdfPreviewDialog):
            widget.close()
    action = workspace.print_actions[key]
    assert action.isEnabled(), key
    action.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=WAIT)
    wait_idle(qtbot, ctx)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    assert preview.document.pageCount() >= 1
    text = pdf_text(preview.pdf)
    preview.close()
    return text


# ---------------------------------------------------------------------------
# 介入 → 评估 → 结案
# ---------------------------------------------------------------------------


def test_evaluation_closure_report_and_approval_close_the_case(
        qtbot: QtBot, worker_ctx: UiContext, ctx: UiContext) -> None:
    row = next(r for r in cases_at(worker_ctx, CaseStage.INTERVENTION)
               if get_case(ctx.db, ctx.actor, UUID(r["uuid"])).current_plan is not None and r["name"] != "王桂花")
    case_id = UUID(row["uuid"])
    page = cases_page(qtbot, worker_ctx)
    workspace = opened(qtbot, page, case_id)
    assert workspace.stage_bar.current_text() == "介入"
    plan = get_case(ctx.db, ctx.actor, case_id).current_plan
    assert plan is not None and plan.objectives

    # 评估…: each objective of the plan being carried out is rated
    evaluation: EvaluationDialog = click(qtbot, workspace, "evaluation", EvaluationDialog)
    assert evaluation.windowTitle() == "评估"
    assert list(evaluation.attainment) == [o.uuid for o in plan.objectives]
    first = plan.objectives[0].uuid
    assert evaluation.attainment[first].set_value(Attainment.FULL)
    assert evaluation.overall.set_value(Attainment.PARTIAL)
    evaluation.satisfaction.setValue(4)
    evaluation.narrative.setPlainText("服务对象生活基本稳定，按时服药，邻里探访增多。")
    save(qtbot, worker_ctx, workspace, evaluation)
    detail = get_case(ctx.db, ctx.actor, case_id)
    assert detail.current_plan is not None
    assert next(o for o in detail.current_plan.objectives if o.uuid == first).status.value == "achieved"

    # 进入“评估”
    button = workspace.buttons["next_stage"]
    assert button.isVisible() and button.text() == "进入“评估”"
    button.click()
    reloaded(qtbot, worker_ctx, workspace)
    assert stage_of(ctx, case_id) == CaseStage.EVALUATION and workspace.stage_bar.current_text() == "评估"
    assert "结案报告" in workspace.missing.text()

    # 结案报告…: the closure type is required; then it goes to the station head
    closure: ClosureDialog = click(qtbot, workspace, "closure", ClosureDialog)
    closure.summary.setPlainText("共家访 6 次，链接低保复核与慈善物资。")
    errors = refused(qtbot, closure)
    assert "closure_type" in errors and "结案类型" in errors["closure_type"]
    assert closure.closure_type.set_value("goals_achieved")
    closure.reason.setPlainText("服务目标基本达成")
    closure.follow_up_on.setText("2099-13-01")
    errors = refused(qtbot, closure)
    assert "follow_up_on" in errors
    closure.follow_up_on.setText(date.today().isoformat())
    closure.follow_up_method.setText("电话回访")
    save(qtbot, worker_ctx, workspace, closure)
    detail = get_case(ctx.db, ctx.actor, case_id)
    assert detail.closure is not None and detail.closure.approval_status == ApprovalStatus.PENDING
    assert detail.case.stage == CaseStage.EVALUATION
    assert not workspace.buttons["closure"].isVisible()  # submitted: not offered twice
    assert not workspace.buttons["decide_closure"].isVisible()  # a social worker does not approve
    assert "待审批" in workspace.info.text()

    # the station head approves: the case is closed
    head_page = cases_page(qtbot, ctx)
    head = opened(qtbot, head_page, case_id)
    decision: DecisionDialog = click(qtbot, head, "decide_closure", DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, head)
    detail = get_case(ctx.db, ctx.actor, case_id)
    assert detail.case.stage == CaseStage.CLOSED and detail.case.closed_on == date.today()
    assert head.stage_bar.current_text() == "结案"
    assert head.buttons["reopen"].isVisible() and head.buttons["follow_up"].isVisible()
    assert not head.buttons["evaluation"].isVisible() and not head.add_record_button.isEnabled()


# ---------------------------------------------------------------------------
# 转介 and its answer; closing by referral
# ---------------------------------------------------------------------------


def test_referral_out_with_its_answer_then_closure_by_referral(qtbot: QtBot, ctx: UiContext) -> None:
    row = next(r for r in cases_at(ctx, CaseStage.EVALUATION)
               if get_case(ctx.db, ctx.actor, UUID(r["uuid"])).closure is None)
    case_id = UUID(row["uuid"])
    before = list_referrals(ctx.db, ctx.actor, case_id)
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, case_id)
    assert not workspace.print_actions["referral"].isEnabled() or before

    referral: ReferralDialog = click(qtbot, workspace, "referral", ReferralDialog)
    referral.to_party.setText("土默特左旗医院")
    referral.reason.setPlainText("需要专科康复治疗")
    referral.disclosed.setText("基本信息、联系方式、服务记录")
    errors = refused(qtbot, referral)  # passing on information needs the client's separate consent
    assert "client_consented" in errors and "同意" in errors["client_consented"]
    assert list_referrals(ctx.db, ctx.actor, case_id) == before
    referral.consented.setChecked(True)
    save(qtbot, ctx, workspace, referral)
    made = list_referrals(ctx.db, ctx.actor, case_id)[-1]
    assert made.to_party == "土默特左旗医院" and made.outcome == ReferralOutcome.PENDING
    assert made.disclosed_items == ("基本信息", "联系方式", "服务记录")
    assert "土默特左旗医院" in workspace.info.text() and "尚未答复" in workspace.info.text()

    # the hospital's answer
    answer: ReferralOutcomeDialog = click(qtbot, workspace, "referral_outcome", ReferralOutcomeDialog)
    assert answer.referral.value() == made.uuid and answer.outcome.currentText() == "已接收"
    answer.follow_up.setPlainText("医院康复科已接收，每周二复诊。")
    save(qtbot, ctx, workspace, answer)
    made = list_referrals(ctx.db, ctx.actor, case_id)[-1]
    assert made.outcome == ReferralOutcome.ACCEPTED and made.outcome_on == date.today()
    assert "已接收" in workspace.info.text()

    # closing by referral needs the referral chosen; approved, the case is 已转介
    closure: ClosureDialog = click(qtbot, workspace, "closure", ClosureDialog)
    assert closure.closure_type.set_value("referred")
    closure.reason.setPlainText("转介至医院继续康复")
    errors = refused(qtbot, closure)
    assert "referral_id" in errors
    assert closure.referral.set_value(made.uuid)
    save(qtbot, ctx, workspace, closure)
    decision: DecisionDialog = click(qtbot, workspace, "decide_closure", DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, workspace)
    assert stage_of(ctx, case_id) == CaseStage.REFERRED
    assert "已转介" in workspace.stage_bar.side.text() and workspace.stage_bar.current_text() == "结案"
    assert workspace.buttons["reopen"].isVisible()


# ---------------------------------------------------------------------------
# 重新开案 and 跟进记录
# ---------------------------------------------------------------------------


def test_reopen_a_closed_case_with_a_reason(qtbot: QtBot, worker_ctx: UiContext) -> None:
    ctx = worker_ctx
    row = cases_at(ctx, CaseStage.CLOSED)[0]
    case_id = UUID(row["uuid"])
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, case_id)
    assert workspace.stage_bar.current_text() == "结案" and not workspace.add_record_button.isEnabled()

    reopen: ReopenDialog = click(qtbot, workspace, "reopen", ReopenDialog)
    errors = refused(qtbot, reopen)
    assert "reason" in errors and "原因" in errors["reason"]
    assert stage_of(ctx, case_id) == CaseStage.CLOSED
    reopen.reason.setPlainText("老人再次跌倒，独居照料出现困难")
    save(qtbot, ctx, workspace, reopen)
    detail = get_case(ctx.db, ctx.actor, case_id)
    assert detail.case.stage == CaseStage.INTERVENTION and detail.case.closed_on is None
    assert detail.closure is None
    assert workspace.stage_bar.current_text() == "介入"
    assert "老人再次跌倒" in workspace.info.text()  # the reason stays with the case
    assert workspace.add_record_button.isEnabled() and workspace.buttons["evaluation"].isVisible()
    assert not workspace.buttons["reopen"].isVisible()


def test_follow_up_after_closure(qtbot: QtBot, worker_ctx: UiContext) -> None:
    ctx = worker_ctx
    row = cases_at(ctx, CaseStage.CLOSED)[-1]
    case_id = UUID(row["uuid"])
    closed_on = get_case(ctx.db, ctx.actor, case_id).case.closed_on
    assert closed_on is not None
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, case_id)

    follow: FollowUpDialog = click(qtbot, workspace, "follow_up", FollowUpDialog)
    follow.followed_on.setDate(follow.followed_on.date().addYears(-30))  # before the closure
    errors = refused(qtbot, follow)
    assert "followed_on" in errors
    follow.followed_on.setDate(follow.followed_on.date().addYears(30))
    follow.method.setText("电话回访")
    follow.outcome.setPlainText("身体状况稳定，邻居每天照看。")
    save(qtbot, ctx, workspace, follow)
    done = list_follow_ups(ctx.db, ctx.actor, case_id)
    assert [(f.method, f.result) for f in done][-1] == ("电话回访", "身体状况稳定，邻居每天照看。")
    assert stage_of(ctx, case_id) == CaseStage.CLOSED
    assert "电话回访" in workspace.info.text() and "身体状况稳定" in workspace.info.text()
    # the closure report lists it
    assert "身体状况稳定" in printed(qtbot, ctx, workspace, "closure")


# ---------------------------------------------------------------------------
# Printing from the 打印 menu, ID numbers masked
# ---------------------------------------------------------------------------


def test_print_menu_prints_every_form_with_id_numbers_masked(qtbot: QtBot, ctx: UiContext) -> None:
    row = cases_at(ctx, CaseStage.REFERRED)[0]
    case_id = UUID(row["uuid"])
    detail = get_case(ctx.db, ctx.actor, case_id)
    person = get_person(ctx.db, ctx.actor, detail.case.person_id)
    masked = person.id_number_masked
    assert masked and MASKED_ID.fullmatch(masked)
    full_id = re.compile(re.escape(masked[:6]) + r"\d{8}" + re.escape(masked[-4:]))
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, case_id)
    records = list_service_records(ctx.db, ctx.actor, case_id)
    assert records and list_referrals(ctx.db, ctx.actor, case_id)

    texts = {key: printed(qtbot, ctx, workspace, key)
             for key in ("file", "intake", "consent", "plan", "closure", "referral")}
    for key, text in texts.items():
        assert not full_id.search(text), key
    for key in ("file", "intake"):
        assert masked in texts[key], key
    assert MASKED_ID.search(texts["consent"])  # a child's consent shows the guardian's number, masked
    assert "个案接案登记表" in texts["intake"] and detail.case.case_no in texts["intake"]
    assert "服务计划" in texts["plan"] and "结案" in texts["closure"] and "转介" in texts["referral"]
    assert "知情同意" in texts["consent"]
    assert texts["file"].count(detail.case.case_no) >= 1 and len(texts["file"]) > len(texts["intake"])

    # one service record: the selected line of the timeline (the newest first)
    top = workspace.timeline.topLevelItem(0)
    assert top is not None and workspace.selected_record() is not None
    text = printed(qtbot, ctx, workspace, "record")
    assert not full_id.search(text)
    assert f"第{records[-1].seq}次" in text and "个案服务记录" in text
    # a case without a referral: the entry is greyed out
    other = next(r for r in cases_at(ctx, CaseStage.INTERVENTION)
                 if not list_referrals(ctx.db, ctx.actor, UUID(r["uuid"]))
                 and not list_follow_ups(ctx.db, ctx.actor, UUID(r["uuid"])))  # never closed
    workspace = opened(qtbot, page, UUID(other["uuid"]))
    assert not workspace.print_actions["referral"].isEnabled()
    assert not workspace.print_actions["closure"].isEnabled()


# ---------------------------------------------------------------------------
# 编辑接案信息 before the opening is approved
# ---------------------------------------------------------------------------


def test_intake_corrected_while_pending_and_after_a_return(
        qtbot: QtBot, worker_ctx: UiContext, ctx: UiContext) -> None:
    row = next(r for r in cases_at(ctx, CaseStage.INTAKE) if r["opening_status"] == "pending")
    case_id = UUID(row["uuid"])
    before = get_case(ctx.db, ctx.actor, case_id).case
    page = cases_page(qtbot, worker_ctx)
    workspace = opened(qtbot, page, case_id)
    assert not workspace.buttons["next_stage"].isEnabled()

    intake: IntakeDialog = click(qtbot, workspace, "edit_intake", IntakeDialog)
    qtbot.waitUntil(lambda: intake.choices is not None, timeout=WAIT)
    assert intake.windowTitle() == f"编辑接案信息 {before.case_no}"
    assert not intake.search.isVisible() and before.person_name in intake.chosen_label.text()
    assert not intake.consent.isVisible() and not intake.take_on.isVisible() and not intake.resubmit.isVisible()
    assert intake.problem.toPlainText() == before.presenting_problem
    assert intake.service_area.value() == before.service_area and intake.risk.value() == before.risk_level
    assert intake.worker.value() == before.worker_id
    assert intake.source.set_value(CaseSource.REFERRAL)
    intake.referrer.clear()
    errors = refused(qtbot, intake)
    assert "referrer" in errors and "转介" in errors["referrer"]
    intake.referrer.setText("什报气村委会")
    intake.problem.setPlainText(before.presenting_problem + "；另需协助办理残疾证。")
    save(qtbot, worker_ctx, workspace, intake)
    after = get_case(ctx.db, ctx.actor, case_id).case
    assert after.case_no == before.case_no and after.person_id == before.person_id
    assert after.referrer == "什报气村委会" and after.presenting_problem.endswith("残疾证。")
    assert (after.project_id, after.worker_id, after.initial_impression) == (
        before.project_id, before.worker_id, before.initial_impression)
    assert after.opening_status == ApprovalStatus.PENDING and "残疾证" in workspace.info.text()

    # the station head sends it back; the worker corrects it and it goes back to her
    head = opened(qtbot, cases_page(qtbot, ctx), case_id)
    decision: DecisionDialog = click(qtbot, head, "decide_opening", DecisionDialog)
    decision.comment.setPlainText("请补充转介人联系电话")
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.send_back()
    reloaded(qtbot, ctx, head)
    reloaded(qtbot, worker_ctx, workspace)
    workspace.reload()
    reloaded(qtbot, worker_ctx, workspace)
    assert workspace.buttons["resubmit_opening"].isVisible()
    intake = click(qtbot, workspace, "edit_intake", IntakeDialog)
    qtbot.waitUntil(lambda: intake.choices is not None, timeout=WAIT)
    assert intake.resubmit.isVisible() and intake.resubmit.isChecked()
    assert any("请补充转介人联系电话" in label.text() for label in intake.findChildren(QLabel))
    intake.referrer_contact.setText("0471-1234567")
    save(qtbot, worker_ctx, workspace, intake)
    after = get_case(ctx.db, ctx.actor, case_id).case
    assert after.referrer_contact == "0471-1234567" and after.opening_status == ApprovalStatus.PENDING
    assert not workspace.buttons["resubmit_opening"].isVisible()

    # once approved the intake is the approved one: no more editing
    head.reload()
    reloaded(qtbot, ctx, head)
    decision = click(qtbot, head, "decide_opening", DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, head)
    assert not head.buttons["edit_intake"].isVisible()


# ---------------------------------------------------------------------------
# 暂停 / 恢复服务
# ---------------------------------------------------------------------------


def test_suspend_and_resume(qtbot: QtBot, worker_ctx: UiContext, questions: list[str]) -> None:
    ctx = worker_ctx
    row = cases_at(ctx, CaseStage.INTERVENTION)[-1]
    case_id = UUID(row["uuid"])
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, case_id)
    assert not workspace.buttons["resume"].isVisible()
    workspace.buttons["suspend"].click()
    reloaded(qtbot, ctx, workspace)
    assert "暂停" in questions[-1] and row["name"] in questions[-1]
    detail = get_case(ctx.db, ctx.actor, case_id)
    assert detail.case.stage == CaseStage.SUSPENDED
    assert detail.case.stage_before_suspension == CaseStage.INTERVENTION
    assert "暂停" in workspace.stage_bar.side.text() and workspace.stage_bar.current_text() == "介入"
    assert "恢复服务" in workspace.missing.text()
    assert not workspace.add_record_button.isEnabled() and not workspace.buttons["suspend"].isVisible()
    assert not workspace.buttons["evaluation"].isVisible()
    workspace.buttons["resume"].click()
    reloaded(qtbot, ctx, workspace)
    assert stage_of(ctx, case_id) == CaseStage.INTERVENTION
    assert workspace.add_record_button.isEnabled() and workspace.stage_bar.side.text() == ""

    # the demo's suspended case goes back to where it was left
    other = cases_at(ctx, CaseStage.SUSPENDED)[0]
    other_id = UUID(other["uuid"])
    left = get_case(ctx.db, ctx.actor, other_id).case.stage_before_suspension
    workspace = opened(qtbot, page, other_id)
    workspace.buttons["resume"].click()
    reloaded(qtbot, ctx, workspace)
    assert stage_of(ctx, other_id) == (left or CaseStage.INTERVENTION)
