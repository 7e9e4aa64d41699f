"""The case workspace on the demo database: scenarios 2 and 3, approvals, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QListWidgetItem
from pytestqt.qtbot import QtBot
from uihelpers import birth_id, wait_idle

from wushe_desktop.domain.enums import ApprovalStatus, CaseSource, CaseStage, ContactMode, Role
from wushe_desktop.services.cases import get_case, list_service_records, todo
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.people import PersonInput, create_person, search_people
from wushe_desktop.services.staff import list_staff
from wushe_desktop.ui.case_dialogs import (
    AssessmentDialog,
    ChildProtectionDialog,
    ClosureDialog,
    DecisionDialog,
    IntakeDialog,
    PlanDialog,
    ServiceRecordDialog,
)
from wushe_desktop.ui.case_workspace import CaseWorkspace
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.main_window import CASES, MainWindow
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog

WAIT = 15_000


@pytest.fixture
def worker_ctx(demo_db: Any) -> Iterator[UiContext]:
    """The screens' context acting as 李娜, a social worker (scenario 2)."""
    lina = next(s for s in list_staff(demo_db, CLI_ACTOR) if s.name == "李娜")
    opening = Opening(station_info(demo_db), Actor(name="李娜", role=Role.SOCIAL_WORKER, staff_id=lina.uuid))
    context = make_context(demo_db, opening)
    yield context
    context.shutdown()


def cases_page(qtbot: QtBot, ctx: UiContext) -> CasesPage:
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1180, 680)
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


def dialog_of(qtbot: QtBot, workspace: CaseWorkspace, kind: type[QDialog]) -> Any:
    qtbot.waitUntil(lambda: isinstance(workspace.dialog, kind), timeout=WAIT)
    return workspace.dialog


def save(qtbot: QtBot, ctx: UiContext, workspace: CaseWorkspace, dialog: Any) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save()
    reloaded(qtbot, ctx, workspace)


def test_scenario_2_home_visit_from_defaults_with_a_linked_parcel(qtbot: QtBot, worker_ctx: UiContext) -> None:
    ctx = worker_ctx
    page = cases_page(qtbot, ctx)
    # find the case by typing wgh, open it with Enter
    with qtbot.waitSignal(page.list_page.loaded, timeout=WAIT):
        page.list_page.search.setText("wgh")
    rows = page.list_page.model.rows
    row = next(i for i, r in enumerate(rows) if r.name == "王桂花")
    page.list_page.table.setCurrentIndex(page.list_page.model.index(row, 0))
    with qtbot.waitSignal(page.workspace.loaded, timeout=WAIT):
        qtbot.keyClick(page.list_page.table, Qt.Key.Key_Return)
    workspace = page.workspace
    assert page.showing_case() and workspace.data is not None
    case = workspace.data.detail.case
    assert case.person_name == "王桂花" and case.stage == CaseStage.INTERVENTION
    before = list_service_records(ctx.db, ctx.actor, case.uuid)
    assert "王桂花" in workspace.title.text() and workspace.stage_bar.current_text() == "介入"

    # Ctrl+R: the form starts with today, 李娜, 家访 and the plan's current objective
    qtbot.keyClick(workspace.timeline, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog: ServiceRecordDialog = dialog_of(qtbot, workspace, ServiceRecordDialog)
    assert dialog.mode.value() is ContactMode.HOME_VISIT and dialog.mode.currentText() == "家访"
    assert dialog.worker.currentText() == "李娜"
    assert dialog.objective.currentText().endswith("每周探访一次，保障基本生活")
    assert dialog.service_date.date().toString("yyyy-MM-dd") == date.today().isoformat()
    note = "上门探望，老人精神尚好，送去慈善超市食品包一份，叮嘱按时服药。"
    dialog.content.setPlainText(note)
    dialog.add_resource("goods", "食品包", "慈善超市", "200")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        qtbot.keyClick(dialog.content, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    reloaded(qtbot, ctx, workspace)

    after = list_service_records(ctx.db, ctx.actor, case.uuid)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert new.content == note and new.mode == ContactMode.HOME_VISIT and new.service_date == date.today()
    assert new.worker_id == ctx.actor.staff_id and new.objective_id is not None
    assert [(r.kind, r.description, r.provider, r.value_fen) for r in new.resources] == [
        ("goods", "食品包", "慈善超市", 20000)]
    top = workspace.timeline.topLevelItem(0)
    assert top is not None
    assert top.text(0) == f"第 {new.seq} 次" and top.text(1) == date.today().isoformat()
    assert "上门探望" in top.text(4) and "食品包" in top.text(5) and "¥200" in top.text(5)
    # back to the list
    workspace.back_button.click()
    assert not page.showing_case()


def _child_with_guardian(ctx: UiContext) -> Any:
    granny = next(p for p in search_people(ctx.db, ctx.actor, "其木格") if p.name == "其木格")
    child = create_person(ctx.db, ctx.actor, PersonInput(
        name="其其格", id_number=birth_id(date(2017, 6, 5), "026"), guardian_id=granny.uuid,
        guardian_relation="祖母")).person
    return child


def _choose(qtbot: QtBot, dialog: IntakeDialog, person_id: Any, text: str) -> None:
    with qtbot.waitSignal(dialog.searched, timeout=WAIT):
        dialog.search.setText(text)
    items: list[QListWidgetItem] = [dialog.results.item(i) for i in range(dialog.results.count())]
    chosen = next(i for i in items if i.data(Qt.ItemDataRole.UserRole).uuid == person_id)
    dialog.results.setCurrentItem(chosen)
    assert dialog.person is not None and dialog.person.uuid == person_id


def test_scenario_3_child_intake_assessment_report_plan_approved(qtbot: QtBot, ctx: UiContext) -> None:
    child = _child_with_guardian(ctx)
    page = cases_page(qtbot, ctx)
    assert page.new_record() is True
    dialog = page.intake
    assert isinstance(dialog, IntakeDialog)
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=WAIT)
    _choose(qtbot, dialog, child.uuid, child.id_number_masked[-4:] if child.id_number_masked else "其其格")
    assert dialog.child_note.isVisible() and "14" in dialog.child_note.text()
    assert dialog.source.set_value(CaseSource.REFERRAL)
    assert dialog.service_area.set_value("children")
    dialog.problem.setPlainText("父母在呼和浩特务工，与祖母同住，近期常不上学。")
    # no consent: the services' refusal appears next to the client, in Chinese; nothing is saved
    dialog.consent.setChecked(False)
    with qtbot.waitSignal(dialog.save_failed, timeout=WAIT):
        dialog.save()
    errors = dialog.errors()
    assert "person_id" in errors and "9 岁" in errors["person_id"] and "监护人" in errors["person_id"]
    assert "referrer" in errors and "转介" in errors["referrer"]
    # the grandmother signs as guardian; the village committee is the referrer
    dialog.consent.setChecked(True)
    dialog.signer_name.setText("其木格")
    dialog.signer_relation.setText("祖母")
    dialog.referrer.setText("什报气村委会")
    with qtbot.waitSignal(page.workspace.loaded, timeout=WAIT):
        dialog.save()
    workspace = page.workspace
    reloaded(qtbot, ctx, workspace)
    assert workspace.data is not None
    case = workspace.data.detail.case
    assert case.person_name == "其其格" and case.referrer == "什报气村委会" and case.stage == CaseStage.INTAKE
    assert "opening_approval" in workspace.data.detail.missing_for_next
    assert "站长批准开案" in workspace.missing.text()

    # the station head approves the opening; the case moves on to assessment
    assert workspace.buttons["decide_opening"].isVisible()
    decision = workspace.decide_opening()
    assert isinstance(decision, DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, workspace)
    assert workspace.buttons["next_stage"].isEnabled()
    workspace.next_stage()
    reloaded(qtbot, ctx, workspace)
    assert get_case(ctx.db, ctx.actor, case.uuid).case.stage == CaseStage.ASSESSMENT

    # assessment with signs of neglect: the mandatory report asks who was informed and when
    workspace.assess()
    assessment: AssessmentDialog = dialog_of(qtbot, workspace, AssessmentDialog)
    assessment.summary.setPlainText("祖母年迈，照料不足，有疏于照顾的迹象。")
    assessment.needs.set_rows([["日常照料", "1"], ["返校就学", "2"]])
    assessment.child_harm.setChecked(True)
    save(qtbot, ctx, workspace, assessment)
    report: ChildProtectionDialog = dialog_of(qtbot, workspace, ChildProtectionDialog)
    with qtbot.waitSignal(report.save_failed, timeout=WAIT):
        report.save()
    assert "informed_party" in report.errors()
    report.informed_party.setText("毕克齐派出所")
    report.concern.setPlainText("疑似疏于照顾")
    save(qtbot, ctx, workspace, report)
    detail = get_case(ctx.db, ctx.actor, case.uuid)
    assert detail.case.child_protection_flag and detail.child_protection_reports == 1
    workspace.next_stage()
    reloaded(qtbot, ctx, workspace)

    # the plan with two objectives, submitted; the station head approves it
    workspace.edit_plan()
    plan: PlanDialog = dialog_of(qtbot, workspace, PlanDialog)
    plan.aim.setPlainText("保障其其格的日常照料并恢复正常上学")
    plan.objectives.set_rows([["每周家访一次，跟进照料情况", "家访记录"], ["一个月内恢复正常上学", "学校出勤"]])
    save(qtbot, ctx, workspace, plan)
    detail = get_case(ctx.db, ctx.actor, case.uuid)
    assert detail.latest_plan is not None and detail.latest_plan.approval_status == ApprovalStatus.PENDING
    assert len(detail.latest_plan.objectives) == 2
    assert workspace.buttons["decide_plan"].isVisible()
    decision = workspace.decide_plan()
    assert isinstance(decision, DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, workspace)
    detail = get_case(ctx.db, ctx.actor, case.uuid)
    assert detail.latest_plan is not None and detail.latest_plan.approval_status == ApprovalStatus.APPROVED
    assert detail.missing_for_next == ()

    # the intake form prints for the paper file, ID masked
    workspace.print_form("intake")
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) for w in QApplication.topLevelWidgets()),
                    timeout=WAIT)
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog))
    assert preview.document.pageCount() >= 1 and preview.pdf.startswith(b"%PDF")
    preview.close()


def test_closure_approved_and_another_sent_back(qtbot: QtBot, ctx: UiContext) -> None:
    pending = todo(ctx.db, ctx.actor).closures_pending.items
    assert len(pending) >= 2
    page = cases_page(qtbot, ctx)
    first, second = pending[0], pending[1]

    workspace = opened(qtbot, page, first.case_id)
    assert workspace.buttons["decide_closure"].isVisible()
    decision = workspace.decide_closure()
    assert isinstance(decision, DecisionDialog)
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.approve()
    reloaded(qtbot, ctx, workspace)
    assert get_case(ctx.db, ctx.actor, first.case_id).case.stage == CaseStage.CLOSED
    assert workspace.stage_bar.current_text() == "结案"
    assert workspace.buttons["reopen"].isVisible() and not workspace.buttons["decide_closure"].isVisible()

    workspace = opened(qtbot, page, second.case_id)
    decision = workspace.decide_closure()
    assert isinstance(decision, DecisionDialog)
    with qtbot.waitSignal(decision.save_failed, timeout=WAIT):
        decision.send_back()  # no comment yet
    assert "退回" in decision.errors()["comment"]
    decision.comment.setPlainText("结案报告未写明后续跟进安排，请补充后再提交。")
    with qtbot.waitSignal(decision.saved, timeout=WAIT):
        decision.send_back()
    reloaded(qtbot, ctx, workspace)
    detail = get_case(ctx.db, ctx.actor, second.case_id)
    assert detail.case.stage == CaseStage.EVALUATION
    assert detail.closure is not None and detail.closure.approval_status == ApprovalStatus.RETURNED
    assert "请补充" in workspace.info.text() and workspace.buttons["closure"].isVisible()

    # the worker corrects the report sent back (it opens filled in, with the comment) and submits it again
    returned = detail.closure
    workspace.buttons["closure"].click()
    closure: ClosureDialog = dialog_of(qtbot, workspace, ClosureDialog)
    assert any("请补充" in label.text() for label in closure.findChildren(QLabel))
    assert closure.closure_type.value() == returned.closure_type
    assert closure.closed_on.date().toString("yyyy-MM-dd") == returned.closed_on.isoformat()
    closure.follow_up_on.setText(date.today().isoformat())
    closure.follow_up_method.setText("电话回访")
    save(qtbot, ctx, workspace, closure)
    detail = get_case(ctx.db, ctx.actor, second.case_id)
    assert detail.closure is not None and detail.closure.uuid != returned.uuid
    assert detail.closure.approval_status == ApprovalStatus.PENDING
    assert detail.closure.closure_type == returned.closure_type and detail.closure.summary == returned.summary
    assert [(f.on, f.method) for f in detail.closure.follow_up_plan] == [(date.today(), "电话回访")]
    assert workspace.buttons["decide_closure"].isVisible() and not workspace.buttons["closure"].isVisible()


def test_a_social_worker_cannot_approve(qtbot: QtBot, worker_ctx: UiContext) -> None:
    ctx = worker_ctx
    openings = todo(ctx.db, ctx.actor).openings_pending.items
    assert openings, "the demo has intakes awaiting the station head"
    item = openings[0]
    page = cases_page(qtbot, ctx)
    workspace = opened(qtbot, page, item.case_id)
    assert not workspace.buttons["decide_opening"].isVisible()  # not offered to a social worker
    decision = workspace.decide_opening()  # asked for anyway: the service refuses
    assert isinstance(decision, DecisionDialog)
    with qtbot.waitSignal(decision.save_failed, timeout=WAIT):
        decision.approve()
    refusal = decision.errors()[""]
    assert "站长" in refusal and "角色" in refusal
    assert get_case(ctx.db, ctx.actor, item.case_id).case.opening_status == ApprovalStatus.PENDING


def test_dashboard_opens_the_case_workspace(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    item = todo(ctx.db, ctx.actor).no_contact.items[0]
    dashboard = window.page(0)
    page = window.page(CASES)
    assert isinstance(page, CasesPage)
    with qtbot.waitSignal(page.workspace.loaded, timeout=WAIT):
        dashboard.open_case.emit(item.case_no)  # type: ignore[attr-defined]
    assert window.stack.currentIndex() == CASES and page.showing_case()
    assert page.workspace.data is not None and page.workspace.data.detail.case.case_no == item.case_no
    # Ctrl+N on this screen opens the intake form
    window.new_record()
    assert isinstance(page.intake, IntakeDialog)
    page.intake.reject()
    wait_idle(qtbot, ctx)


def test_record_mistakes_show_by_their_field_then_edit_and_delete(qtbot: QtBot, worker_ctx: UiContext) -> None:
    ctx = worker_ctx
    page = cases_page(qtbot, ctx)
    with qtbot.waitSignal(page.list_page.loaded, timeout=WAIT):
        page.list_page.search.setText("王桂花")
    case = next(r for r in page.list_page.model.rows if r.name == "王桂花")
    workspace = opened(qtbot, page, case.uuid)
    count = len(list_service_records(ctx.db, ctx.actor, case.uuid))
    workspace.add_record_button.click()
    dialog: ServiceRecordDialog = dialog_of(qtbot, workspace, ServiceRecordDialog)
    dialog.content.setPlainText("电话回访")
    dialog.start.setText("9点")
    dialog.add_resource("funds", "临时救助金", "镇民政办", "两百")
    with qtbot.waitSignal(dialog.save_failed, timeout=WAIT):
        dialog.save()
    errors = dialog.errors()
    assert "9:30" in errors["end_time"] and "200" in errors["resources"]
    assert len(list_service_records(ctx.db, ctx.actor, case.uuid)) == count  # nothing saved
    dialog.start.setText("9:30")
    dialog.end.setText("10:15")
    dialog.resources.table.setRowCount(0)
    save(qtbot, ctx, workspace, dialog)
    saved = list_service_records(ctx.db, ctx.actor, case.uuid)[-1]
    assert saved.content == "电话回访" and saved.duration_min == 45

    # edit the newest record (the timeline's first line), then delete it
    workspace.edit_record_button.click()
    edit: ServiceRecordDialog = dialog_of(qtbot, workspace, ServiceRecordDialog)
    assert edit.content.toPlainText() == "电话回访" and edit.start.text() == "09:30"
    edit.content.setPlainText("电话回访，老人说身体好转。")
    save(qtbot, ctx, workspace, edit)
    records = list_service_records(ctx.db, ctx.actor, case.uuid)
    assert records[-1].uuid == saved.uuid and records[-1].content == "电话回访，老人说身体好转。"
    workspace.delete_record_button.click()
    reloaded(qtbot, ctx, workspace)
    assert [r.uuid for r in list_service_records(ctx.db, ctx.actor, case.uuid)] == [
        r.uuid for r in records[:-1]]
    top = workspace.timeline.topLevelItem(0)
    assert top is not None and top.text(0) == f"第 {records[-2].seq} 次"
