"""The case workspace (个案工作台): one case, from intake to closure.

At the top: the case number, the client (ID masked), the worker, risk and categories;
the stage bar 接案 → 预估 → 计划 → 介入 → 评估 → 结案 with what is missing for the next
step (``CaseDetail.missing_for_next``). Below: the buttons that fit the stage (the
station head's decisions only for someone who may approve; the services refuse anyway),
the plan and approvals on the left and the timeline of service records on the right.

Everything is read in one job on the reader worker (:func:`load_case_screen`); every
form saves on the writer worker and announces ``ctx.events.changed("cases")``, upon
which the workspace reads the case again.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.case_stage import CLOSED_STAGES, MAIN_LINE, WORKING_STAGES
from wushe_desktop.domain.enums import ApprovalStatus, CaseStage
from wushe_desktop.services.cases import (
    CaseDetail,
    FollowUpView,
    ReferralView,
    ServiceRecordDefaults,
    ServiceRecordView,
    decide_closure,
    decide_opening,
    decide_plan,
    delete_service_record,
    get_case,
    list_follow_ups,
    list_referrals,
    list_service_records,
    move_stage,
    resubmit_opening,
    service_record_defaults,
    submit_plan,
)
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonView, get_person
from wushe_desktop.services.permissions import Permission, allowed
from wushe_desktop.services.printing import (
    print_case_file,
    print_case_form,
    print_consent,
    print_service_record,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.case_dialogs import (
    AssessmentDialog,
    CaseChoices,
    CaseFormDialog,
    ChildProtectionDialog,
    ClosureDialog,
    DecisionDialog,
    EvaluationDialog,
    FollowUpDialog,
    IntakeDialog,
    PlanDialog,
    ReferralDialog,
    ReferralOutcomeDialog,
    ReopenDialog,
    ServiceRecordDialog,
    fen_text,
    load_case_choices,
    mode_labels,
    outcome_labels,
    resource_kind_labels,
)
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import approval_labels, risk_labels, stage_labels
from wushe_desktop.ui.pdf_preview import preview_pdf

# The next main-line stage a user moves to by hand (closing happens by approval).
NEXT_STAGE: dict[CaseStage, CaseStage] = {
    CaseStage.INTAKE: CaseStage.ASSESSMENT,
    CaseStage.ASSESSMENT: CaseStage.PLANNING,
    CaseStage.PLANNING: CaseStage.INTERVENTION,
    CaseStage.INTERVENTION: CaseStage.EVALUATION,
}

# Stages in which the forms may be filled (the services enforce the same).
ASSESSMENT_STAGES = frozenset({CaseStage.ASSESSMENT, CaseStage.PLANNING, CaseStage.INTERVENTION,
                               CaseStage.EVALUATION})
PLAN_STAGES = frozenset({CaseStage.PLANNING, CaseStage.INTERVENTION})
EVALUATION_STAGES = frozenset({CaseStage.INTERVENTION, CaseStage.EVALUATION})
RECORD_STAGES = frozenset({CaseStage.ASSESSMENT, CaseStage.PLANNING, CaseStage.INTERVENTION,
                           CaseStage.EVALUATION, CaseStage.FOLLOW_UP})

# The width of the plan and approvals column (pixels).
INFO_WIDTH = 330

# Characters of a record's note shown in the timeline.
NOTE_PREVIEW = 80

STYLE = """
QLabel#caseTitle { font-size: 15pt; font-weight: bold; }
QLabel#stageStep { padding: 4px 10px; border: 1px solid #c9d3e0; border-radius: 4px; color: #666666; }
QLabel#stageStep[state="done"] { background: #e4efe4; color: #2e5e2e; }
QLabel#stageStep[state="current"] { background: #1f4e79; color: white; font-weight: bold; }
QLabel#missing { color: #8a5300; }
QLabel#flag { color: #b3261e; font-weight: bold; }
QPushButton#approval { background: #fff4d6; }
"""


@dataclass(frozen=True)
class CaseScreen:
    """Everything the workspace shows, read in one job."""

    detail: CaseDetail
    person: PersonView
    records: tuple[ServiceRecordView, ...]
    referrals: tuple[ReferralView, ...]
    choices: CaseChoices
    follow_ups: tuple[FollowUpView, ...] = ()

    @property
    def staff_names(self) -> dict[UUID, str]:
        """Staff uuid → name (former staff too)."""
        return {s.uuid: s.name for s in self.choices.staff}


def load_case_screen(db: Any, actor: Actor, case_id: UUID) -> CaseScreen:
    """Read a case for the workspace (runs on the reader worker)."""
    detail = get_case(db, actor, case_id)
    return CaseScreen(detail=detail, person=get_person(db, actor, detail.case.person_id),
                      records=tuple(list_service_records(db, actor, case_id)),
                      referrals=tuple(list_referrals(db, actor, case_id)),
                      choices=load_case_choices(db, actor),
                      follow_ups=tuple(list_follow_ups(db, actor, case_id)))


def _e(text: str) -> str:
    return html.escape(text)


class StageBar(QWidget):
    """接案 → 预估 → 计划 → 介入 → 评估 → 结案, the current stage marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        labels = stage_labels()
        self.steps: dict[CaseStage, QLabel] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for i, stage in enumerate(MAIN_LINE):
            if i:
                layout.addWidget(QLabel("→", self))
            step = QLabel(labels[stage], self)
            step.setObjectName("stageStep")
            self.steps[stage] = step
            layout.addWidget(step)
        self.side = QLabel(self)
        self.side.setObjectName("flag")
        layout.addWidget(self.side)
        layout.addStretch(1)

    def show_stage(self, stage: CaseStage, before: CaseStage | None) -> None:
        """Mark the stages done, the current one, and a side stage (suspended, referred...)."""
        labels = stage_labels()
        shown = stage
        side = ""
        if stage not in MAIN_LINE:
            side = labels[stage]
            shown = {CaseStage.REFERRED: CaseStage.CLOSED, CaseStage.FOLLOW_UP: CaseStage.CLOSED,
                     CaseStage.SUSPENDED: before or CaseStage.INTERVENTION}.get(stage, CaseStage.INTAKE)
        index = MAIN_LINE.index(shown)
        for i, (_stage, step) in enumerate(self.steps.items()):
            state = "done" if i < index else "current" if i == index else ""
            if stage == CaseStage.NOT_OPENED:
                state = ""
            step.setProperty("state", state)
            step.style().unpolish(step)
            step.style().polish(step)
        self.side.setText(QCoreApplication.translate("StageBar", "Now: {stage}").format(stage=side) if side else "")

    def current_text(self) -> str:
        """The text of the step marked current."""
        for step in self.steps.values():
            if step.property("state") == "current":
                return step.text()
        return ""


class CaseWorkspace(QWidget):
    """One case's screen.

    Signals:
        loaded(): the case was read and is shown.
        back(): 返回列表 was pressed.
        message(str): a line for the status bar.
        dialog_opened(QDialog): a form was opened (tests use it).
    """

    loaded = Signal()
    back = Signal()
    message = Signal(str)
    dialog_opened = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id: UUID | None = None
        self.data: CaseScreen | None = None
        self.dialog: QDialog | None = None
        self._generation = 0
        self._pending = False
        self._select_next: UUID | None = None  # the record just saved, selected after the reload
        self.setStyleSheet(STYLE)

        self.back_button = QPushButton(self.tr("← Back to the list"), self)
        self.back_button.clicked.connect(self.back.emit)
        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QToolButton(self)
        self.print_button.setText(self.tr("Print"))
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_menu = QMenu(self.print_button)
        self.print_button.setMenu(self.print_menu)
        self._make_print_menu()
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.print_button)

        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stage_bar = StageBar(self)
        self.missing = QLabel(self)
        self.missing.setObjectName("missing")
        self.missing.setWordWrap(True)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for key, text, slot in self._action_specs():
            button = QPushButton(text, self)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            if key.startswith("decide"):
                button.setObjectName("approval")
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)

        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setContentsMargins(4, 4, 8, 4)
        info_scroll = QScrollArea(self)
        info_scroll.setWidget(self.info)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QFrame.Shape.StyledPanel)

        timeline_title = QLabel(self.tr("Service records"), self)
        timeline_title.setObjectName("sectionTitle")
        self.timeline = QTreeWidget(self)
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.timeline.setHeaderLabels([self.tr("No."), self.tr("Date"), self.tr("Mode"), self.tr("Worker"),
                                       self.tr("Note"), self.tr("Resources")])
        header = self.timeline.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.timeline.itemActivated.connect(lambda _item, _col: self.edit_record())
        self.add_record_button = QPushButton(self.tr("Add service record (Ctrl+R)"), self)
        self.edit_record_button = QPushButton(self.tr("Edit…"), self)
        self.delete_record_button = QPushButton(self.tr("Delete"), self)
        self.print_record_button = QPushButton(self.tr("Print this record"), self)
        self.add_record_button.clicked.connect(self.add_record)
        self.edit_record_button.clicked.connect(self.edit_record)
        self.delete_record_button.clicked.connect(self.delete_record)
        self.print_record_button.clicked.connect(self.print_record)
        record_bar = QHBoxLayout()
        record_bar.addWidget(timeline_title)
        record_bar.addStretch(1)
        for button in (self.add_record_button, self.edit_record_button, self.delete_record_button,
                       self.print_record_button):
            record_bar.addWidget(button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(record_bar)
        right_layout.addWidget(self.timeline, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(info_scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([INFO_WIDTH, 3 * INFO_WIDTH])
        info_scroll.setMinimumWidth(INFO_WIDTH * 3 // 4)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.facts)
        layout.addWidget(self.stage_bar)
        layout.addWidget(self.missing)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)

        shortcut = QShortcut(QKeySequence("Ctrl+R"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.add_record)
        ctx.events.changed.connect(self._on_changed)
        self._show_nothing()

    # -- building ------------------------------------------------------------------------

    def _action_specs(self) -> list[tuple[str, str, Callable[[], object]]]:
        return [
            ("decide_opening", self.tr("Decide opening…"), self.decide_opening),
            ("edit_intake", self.tr("Edit intake…"), self.edit_intake),
            ("resubmit_opening", self.tr("Submit opening again"), self.resubmit_opening),
            ("assessment", self.tr("Needs assessment…"), self.assess),
            ("plan", self.tr("Service plan…"), self.edit_plan),
            ("submit_plan", self.tr("Submit plan for approval"), self.submit_plan),
            ("decide_plan", self.tr("Decide plan…"), self.decide_plan),
            ("evaluation", self.tr("Evaluation…"), self.evaluate),
            ("closure", self.tr("Closure report…"), self.close_case),
            ("decide_closure", self.tr("Decide closure…"), self.decide_closure),
            ("next_stage", self.tr("Next stage"), self.next_stage),
            ("referral", self.tr("Refer…"), self.refer),
            ("referral_outcome", self.tr("Referral outcome…"), self.referral_outcome),
            ("reopen", self.tr("Reopen…"), self.reopen),
            ("follow_up", self.tr("Follow-up…"), self.follow_up),
            ("suspend", self.tr("Suspend…"), self.suspend),
            ("resume", self.tr("Resume service"), self.resume),
        ]

    def _make_print_menu(self) -> None:
        self.print_actions = {
            "file": self.print_menu.addAction(self.tr("Whole case file"), self.print_file),
            "intake": self.print_menu.addAction(self.tr("Intake form"), lambda: self.print_form("intake")),
            "consent": self.print_menu.addAction(self.tr("Consent form"), self.print_consent),
            "assessment": self.print_menu.addAction(self.tr("Needs assessment"),
                                                    lambda: self.print_form("assessment")),
            "plan": self.print_menu.addAction(self.tr("Service plan"), lambda: self.print_form("plan")),
            "closure": self.print_menu.addAction(self.tr("Closure report"), lambda: self.print_form("closure")),
            "referral": self.print_menu.addAction(self.tr("Referral form"), lambda: self.print_form("referral")),
            "record": self.print_menu.addAction(self.tr("Selected service record"), self.print_record),
        }

    # -- loading -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether the case is being read."""
        return self._pending

    def load(self, case_id: UUID) -> None:
        """Read a case and show it."""
        if case_id != self.case_id:
            self.data = None
            self._show_nothing()
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the shown case again."""
        if self.case_id is None:
            return
        self._generation += 1
        generation = self._generation
        self._pending = True
        self._ctx.reader.run(load_case_screen, self._ctx.db, self._ctx.actor, self.case_id,
                             on_done=lambda screen: self._show(generation, screen),
                             on_error=lambda exc: self._failed(generation, exc), parent=self)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._pending = False
        messages.show_error(self, error)

    def _on_changed(self, kind: str) -> None:
        if kind in ("cases", "people") and self.case_id is not None:
            self.reload()

    def _show_nothing(self) -> None:
        self.title.setText(self.tr("Reading the case…"))
        self.facts.clear()
        self.missing.clear()
        self.info.clear()
        self.timeline.clear()
        for button in self.buttons.values():
            button.hide()
        for widget in (self.add_record_button, self.edit_record_button, self.delete_record_button,
                       self.print_record_button, self.print_button):
            widget.setEnabled(False)

    def _show(self, generation: int, screen: CaseScreen) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self.data = screen
        case, person, detail = screen.detail.case, screen.person, screen.detail
        risks = risk_labels()
        names = screen.staff_names
        self.title.setText(self.tr("{case_no}  {name}").format(case_no=case.case_no, name=person.name))
        categories = "、".join(screen.choices.categories.get(c, c) for c in person.categories) or self.tr("none")
        worker = names.get(case.worker_id, self.tr("not assigned")) if case.worker_id else self.tr("not assigned")
        facts = self.tr("ID {id} · {age} years · worker {worker} · risk <b>{risk}</b> · area {area} · "
                        "categories {categories} · intake {intake}").format(
            id=_e(person.id_number_masked or self.tr("none")), age="?" if person.age is None else person.age,
            worker=_e(worker), risk=_e(risks[case.risk_level]),
            area=_e(screen.choices.service_areas.get(case.service_area, case.service_area)),
            categories=_e(categories), intake=case.intake_date.isoformat())
        if case.child_protection_flag:
            facts += " · <span style='color:#b3261e'><b>{}</b></span>".format(_e(self.tr(
                "Child protection: mandatory report")))
        self.facts.setText(facts)
        self.stage_bar.show_stage(case.stage, case.stage_before_suspension)
        self.missing.setText(self._missing_text(detail))
        self._show_buttons(screen)
        self.info.setText(self._info_html(screen))
        self._fill_timeline(screen)
        self._enable_printing(screen)
        self.print_button.setEnabled(True)
        self.loaded.emit()

    def _enable_printing(self, screen: CaseScreen) -> None:
        """Grey out the forms the case does not have yet."""
        detail, stage = screen.detail, screen.detail.case.stage
        had_closure = detail.closure is not None or any(f.reopened for f in screen.follow_ups)
        enabled = {
            "assessment": stage not in (CaseStage.INTAKE, CaseStage.NOT_OPENED),
            "plan": detail.latest_plan is not None,
            "closure": had_closure,
            "referral": bool(screen.referrals),
            "record": bool(screen.records),
        }
        for key, action in self.print_actions.items():
            action.setEnabled(enabled.get(key, True))

    def _missing_text(self, detail: CaseDetail) -> str:
        stage = detail.case.stage
        words = {
            "opening_approval": self.tr("the station head's approval of the opening"),
            "assessment": self.tr("a needs assessment"),
            "plan": self.tr("a service plan"),
            "plan_approval": self.tr("the station head's approval of the plan"),
            "evaluation": self.tr("an evaluation"),
            "closure": self.tr("a closure report"),
            "closure_approval": self.tr("the station head's approval of the closure"),
        }
        if stage == CaseStage.SUSPENDED:
            return self.tr("The service is suspended; resume it to go on at {stage}.").format(
                stage=stage_labels()[detail.case.stage_before_suspension or CaseStage.INTERVENTION])
        nxt = NEXT_STAGE.get(stage) or (CaseStage.CLOSED if stage == CaseStage.EVALUATION else None)
        if nxt is None:
            return ""
        stages = stage_labels()
        if detail.missing_for_next:
            return self.tr("Before {stage}: {missing}.").format(
                stage=stages[nxt], missing=self.tr(", ").join(words.get(m, m) for m in detail.missing_for_next))
        return self.tr("Ready for the next stage: {stage}.").format(stage=stages[nxt])

    def may_approve(self) -> bool:
        """Whether the acting user may decide approvals (the station head)."""
        return allowed(self._ctx.actor.role, Permission.APPROVE)

    def _show_buttons(self, screen: CaseScreen) -> None:
        detail, case = screen.detail, screen.detail.case
        stage, head = case.stage, self.may_approve()
        latest = detail.latest_plan
        closure = detail.closure
        shown = {
            "decide_opening": head and stage == CaseStage.INTAKE and case.opening_status == ApprovalStatus.PENDING,
            "edit_intake": stage == CaseStage.INTAKE and case.opening_status != ApprovalStatus.APPROVED,
            "resubmit_opening": stage == CaseStage.INTAKE and case.opening_status == ApprovalStatus.RETURNED,
            "assessment": stage in ASSESSMENT_STAGES,
            "plan": stage in PLAN_STAGES,
            "submit_plan": stage in PLAN_STAGES and latest is not None
            and latest.approval_status in (ApprovalStatus.DRAFT, ApprovalStatus.RETURNED),
            "decide_plan": head and latest is not None and latest.approval_status == ApprovalStatus.PENDING,
            "evaluation": stage in EVALUATION_STAGES,
            "closure": stage == CaseStage.EVALUATION
            and (closure is None or closure.approval_status == ApprovalStatus.RETURNED),
            "decide_closure": head and closure is not None and closure.approval_status == ApprovalStatus.PENDING,
            "next_stage": stage in NEXT_STAGE,
            "referral": stage not in (CaseStage.NOT_OPENED,),
            "referral_outcome": bool(screen.referrals),
            "reopen": stage in CLOSED_STAGES,
            "follow_up": stage in CLOSED_STAGES,
            "suspend": stage in WORKING_STAGES,
            "resume": stage == CaseStage.SUSPENDED,
        }
        for key, button in self.buttons.items():
            button.setVisible(shown[key])
        nxt = NEXT_STAGE.get(stage)
        if nxt is not None:
            self.buttons["next_stage"].setText(self.tr("Move on to {stage}").format(stage=stage_labels()[nxt]))
            self.buttons["next_stage"].setEnabled(not detail.missing_for_next)
        can_record = stage in RECORD_STAGES
        self.add_record_button.setEnabled(can_record)
        self.edit_record_button.setEnabled(can_record and bool(screen.records))
        self.delete_record_button.setEnabled(can_record and bool(screen.records))
        self.print_record_button.setEnabled(bool(screen.records))

    def _info_html(self, screen: CaseScreen) -> str:
        detail, case = screen.detail, screen.detail.case
        approvals = approval_labels()
        parts: list[str] = []

        def section(title: str, body: str) -> None:
            parts.append(f"<p><b>{_e(title)}</b><br>{body}</p>")

        opening = approvals[case.opening_status]
        if case.opening_by:
            opening = self.tr("{status} by {name}").format(status=opening, name=case.opening_by)
        if not case.accepted:
            opening = self.tr("Not taken on: {reason}").format(reason=case.not_accepted_reason)
        body = _e(opening)
        if case.opening_comment:
            body += "<br>" + _e(self.tr("Comment: {comment}").format(comment=case.opening_comment))
        if case.referrer:
            body += "<br>" + _e(self.tr("Referred by: {referrer}").format(referrer=case.referrer))
        if case.presenting_problem:
            body += "<br>" + _e(case.presenting_problem)
        section(self.tr("Opening"), body)

        plan = detail.latest_plan
        if plan is None:
            section(self.tr("Service plan"), _e(self.tr("No plan yet.")))
        else:
            status = approvals[plan.approval_status]
            if plan.approval_by:
                status = self.tr("{status} by {name}").format(status=status, name=plan.approval_by)
            body = _e(self.tr("Version {version}, {made_on}: {status}").format(
                version=plan.version, made_on=plan.made_on.isoformat(), status=status))
            if plan.approval_comment:
                body += "<br>" + _e(self.tr("Comment: {comment}").format(comment=plan.approval_comment))
            body += "<br>" + _e(plan.overall_aim)
            for objective in plan.objectives:
                body += "<br>" + _e(f"{objective.seq}. {objective.text}")
            if detail.current_plan is not None and detail.current_plan.uuid != plan.uuid:
                body += "<br>" + _e(self.tr("Version {version} stays in force until this one is approved.").format(
                    version=detail.current_plan.version))
            section(self.tr("Service plan"), body)

        closure = detail.closure
        if closure is not None:
            status = approvals[closure.approval_status]
            if closure.approval_by:
                status = self.tr("{status} by {name}").format(status=status, name=closure.approval_by)
            body = _e(self.tr("{closed_on} ({type}): {status}").format(
                closed_on=closure.closed_on.isoformat(),
                type=screen.choices.closure_types.get(closure.closure_type, closure.closure_type), status=status))
            if closure.approval_comment:
                body += "<br>" + _e(self.tr("Comment: {comment}").format(comment=closure.approval_comment))
            section(self.tr("Closure"), body)

        contacts = self.tr("{count} service records").format(count=detail.service_record_count)
        if detail.last_contact is not None:
            contacts += self.tr(", last on {day}").format(day=detail.last_contact.isoformat())
        section(self.tr("Contacts"), _e(contacts))
        if case.child_protection_flag:
            text = (self.tr("{count} mandatory report(s) on file.").format(count=detail.child_protection_reports)
                    if detail.child_protection_reports else
                    self.tr("Suspected harm to a child: record who was informed (Needs assessment…)."))
            section(self.tr("Child protection"), f"<span style='color:#b3261e'>{_e(text)}</span>")
        if screen.referrals:
            outcomes = outcome_labels()
            lines = [_e(self.tr("{day} → {party}: {outcome}").format(
                day=r.referred_on.isoformat(), party=r.to_party or r.from_party, outcome=outcomes[r.outcome]))
                for r in screen.referrals]
            section(self.tr("Referrals"), "<br>".join(lines))
        if screen.follow_ups:
            lines = []
            for f in screen.follow_ups:
                if f.reopened:
                    line = self.tr("{day} reopened: {reason}").format(day=f.followed_on.isoformat(), reason=f.result)
                else:
                    line = self.tr("{day} {method}: {result}").format(
                        day=f.followed_on.isoformat(), method=f.method or self.tr("follow-up"), result=f.result)
                lines.append(_e(" ".join(line.split())))
            section(self.tr("Follow-ups and reopenings"), "<br>".join(lines))
        return "".join(parts)

    def _fill_timeline(self, screen: CaseScreen) -> None:
        selected = self.selected_record()
        wanted = self._select_next or (selected.uuid if selected is not None else None)
        self._select_next = None
        self.timeline.clear()
        modes, kinds, names = mode_labels(), resource_kind_labels(), screen.staff_names
        chosen: QTreeWidgetItem | None = None
        for record in reversed(screen.records):
            note = " ".join(record.content.split())
            if len(note) > NOTE_PREVIEW:
                note = note[:NOTE_PREVIEW] + "…"
            resources = self.tr(", ").join(
                f"{kinds.get(r.kind, r.kind)} {r.description} ¥{fen_text(r.value_fen)}".strip()
                for r in record.resources)
            item = QTreeWidgetItem([
                self.tr("No. {seq}").format(seq=record.seq), record.service_date.isoformat(),
                modes.get(record.mode, record.mode.value),
                names.get(record.worker_id, "") if record.worker_id else "", note, resources])
            item.setData(0, Qt.ItemDataRole.UserRole, record)
            item.setToolTip(4, record.content)
            self.timeline.addTopLevelItem(item)
            if record.uuid == wanted:
                chosen = item
        if chosen is None and self.timeline.topLevelItemCount():
            chosen = self.timeline.topLevelItem(0)
        if chosen is not None:
            self.timeline.setCurrentItem(chosen)

    def selected_record(self) -> ServiceRecordView | None:
        """The service record selected in the timeline."""
        item = self.timeline.currentItem()
        record = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return record if isinstance(record, ServiceRecordView) else None

    # -- forms ---------------------------------------------------------------------------

    def _open(self, dialog: QDialog, on_saved: Callable[[Any], None] | None = None) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        if isinstance(dialog, CaseFormDialog):
            if self.data is not None:  # whose form a draft is, when it is offered back after a crash
                dialog.name_draft(self.data.detail.case.person_name)
            dialog.saved.connect(lambda result: self.message.emit(self.tr("Saved.")))
            if on_saved is not None:
                dialog.saved.connect(on_saved)
        dialog.finished.connect(lambda _result, d=dialog: self._closed(d))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _ready(self) -> CaseScreen | None:
        if self.data is None or self.data.detail.case.uuid != self.case_id:
            return None
        return self.data

    def assess(self) -> None:
        """需求评估: opens the assessment form; a child-harm flag then asks for the report."""
        screen = self._ready()
        if screen is None:
            return
        dialog = AssessmentDialog(self._ctx, screen.detail.case.uuid, screen.detail.case.risk_level, self)

        def saved(_result: Any) -> None:
            if dialog.report_needed:
                self.report_child_protection()

        self._open(dialog, saved)

    def edit_intake(self) -> None:
        """编辑接案信息: correct the intake while the opening awaits (or was sent back by) the head."""
        screen = self._ready()
        if screen is not None:
            self._open(IntakeDialog(self._ctx, self, case=screen.detail.case, person=screen.person))

    def report_child_protection(self) -> None:
        """强制报告: who was informed, and when."""
        if self.case_id is not None:
            self._open(ChildProtectionDialog(self._ctx, self.case_id, self))

    def edit_plan(self) -> None:
        """服务计划: a new version, starting from the latest one."""
        screen = self._ready()
        if screen is not None:
            self._open(PlanDialog(self._ctx, screen.detail.case.uuid, screen.detail.latest_plan, self))

    def evaluate(self) -> None:
        """评估 against the plan being carried out."""
        screen = self._ready()
        if screen is not None:
            plan = screen.detail.current_plan or screen.detail.latest_plan
            self._open(EvaluationDialog(self._ctx, screen.detail.case.uuid, plan, self))

    def close_case(self) -> None:
        """结案报告, sent to the station head."""
        screen = self._ready()
        if screen is not None:
            closure = screen.detail.closure
            returned = closure if closure is not None and closure.approval_status == ApprovalStatus.RETURNED else None
            self._open(ClosureDialog(self._ctx, screen.detail.case.uuid, screen.choices.closure_types,
                                     screen.referrals, self, returned=returned))

    def refer(self) -> None:
        """转介 the client out."""
        screen = self._ready()
        if screen is not None:
            self._open(ReferralDialog(self._ctx, screen.detail.case.uuid, screen.detail.case.person_id, self))

    def referral_outcome(self) -> None:
        """The answer to a referral."""
        screen = self._ready()
        if screen is not None and screen.referrals:
            self._open(ReferralOutcomeDialog(self._ctx, screen.referrals, self))

    def reopen(self) -> None:
        """重新开案."""
        if self.case_id is not None:
            self._open(ReopenDialog(self._ctx, self.case_id, self))

    def follow_up(self) -> None:
        """跟进记录 after closure."""
        if self.case_id is not None:
            self._open(FollowUpDialog(self._ctx, self.case_id, self))

    # -- service records -----------------------------------------------------------------

    def add_record(self) -> None:
        """Ctrl+R: a new service record, pre-filled from the defaults."""
        screen = self._ready()
        if screen is None:
            return
        if screen.detail.case.stage not in RECORD_STAGES:
            self.message.emit(self.tr("Service records are added once the case is opened and until it is closed."))
            return
        case_id = screen.detail.case.uuid
        self._ctx.reader.run(service_record_defaults, self._ctx.db, self._ctx.actor, case_id,
                             on_done=lambda defaults: self._record_form(screen, defaults), parent=self)

    def _record_form(self, screen: CaseScreen, defaults: ServiceRecordDefaults) -> None:
        plan = screen.detail.current_plan or screen.detail.latest_plan
        self._open(ServiceRecordDialog(self._ctx, screen.detail.case.uuid, screen.choices.staff, plan,
                                       defaults=defaults, parent=self), self._record_saved)

    def _record_saved(self, record: ServiceRecordView) -> None:
        self._select_next = record.uuid

    def edit_record(self) -> None:
        """Edit the selected service record."""
        screen, record = self._ready(), self.selected_record()
        if screen is None or record is None:
            return
        if screen.detail.case.stage not in RECORD_STAGES:
            self.message.emit(self.tr("The case is closed; reopen it to change its records."))
            return
        plan = screen.detail.current_plan or screen.detail.latest_plan
        self._open(ServiceRecordDialog(self._ctx, screen.detail.case.uuid, screen.choices.staff, plan,
                                       record=record, parent=self))

    def delete_record(self) -> None:
        """Delete the selected service record (its number is not reused)."""
        record = self.selected_record()
        if record is None:
            return
        if not messages.confirm(self, self.tr("Delete service record"),
                                self.tr("Delete service record no. {seq} of {day}? Its number is not used "
                                        "again.").format(seq=record.seq, day=record.service_date.isoformat()),
                                self.tr("Delete"), self.tr("Keep it")):
            return
        self._write(delete_service_record, record.uuid, done=self.tr("Service record no. {seq} deleted.").format(
            seq=record.seq))

    # -- moves and approvals -------------------------------------------------------------

    def _write(self, fn: Callable[..., Any], *args: Any, done: str) -> None:
        def finished(_result: Any) -> None:
            self._ctx.events.changed.emit("cases")
            self.message.emit(done)

        self._ctx.writer.run(fn, self._ctx.db, self._ctx.actor, *args, on_done=finished, parent=self)

    def next_stage(self) -> None:
        """Move the case on to the next main-line stage."""
        screen = self._ready()
        if screen is None:
            return
        target = NEXT_STAGE.get(screen.detail.case.stage)
        if target is None:
            return
        label = stage_labels()[target]
        if not messages.confirm(self, self.tr("Next stage"), self.tr("Move the case on to {stage}?").format(
                stage=label), self.tr("Move on"), self.tr("Not now")):
            return
        self._write(move_stage, screen.detail.case.uuid, target,
                    done=self.tr("The case is now at {stage}.").format(stage=label))

    def suspend(self) -> None:
        """暂停服务: no records until the case is resumed; it then returns to the stage it left."""
        screen = self._ready()
        if screen is None or screen.detail.case.stage not in WORKING_STAGES:
            return
        case = screen.detail.case
        if not messages.confirm(self, self.tr("Suspend the case"), self.tr(
                "Suspend case {case_no} of {name} (e.g. the client is in hospital or away)? No service records can "
                "be added until the service is resumed; it then goes on at {stage}.").format(
                case_no=case.case_no, name=case.person_name, stage=stage_labels()[case.stage]),
                self.tr("Suspend"), self.tr("Not now")):
            return
        self._write(move_stage, case.uuid, CaseStage.SUSPENDED, done=self.tr("The case is suspended."))

    def resume(self) -> None:
        """恢复服务: back to the stage the case was suspended at."""
        screen = self._ready()
        if screen is None or screen.detail.case.stage != CaseStage.SUSPENDED:
            return
        target = screen.detail.case.stage_before_suspension or CaseStage.INTERVENTION
        self._write(move_stage, screen.detail.case.uuid, target, done=self.tr(
            "Service resumed; the case is at {stage}.").format(stage=stage_labels()[target]))

    def resubmit_opening(self) -> None:
        """Submit a sent-back opening again."""
        if self.case_id is not None:
            self._write(resubmit_opening, self.case_id, done=self.tr("The opening was submitted again."))

    def submit_plan(self) -> None:
        """Submit the latest plan for approval."""
        screen = self._ready()
        if screen is not None and screen.detail.latest_plan is not None:
            self._write(submit_plan, screen.detail.latest_plan.uuid,
                        done=self.tr("The plan was submitted to the station head."))

    def _decision(self, title: str, question: str, fn: Callable[..., Any], record_id: UUID) -> QDialog:
        ctx = self._ctx

        def decide(approve: bool, comment: str) -> tuple[Callable[..., Any], tuple[Any, ...]]:
            return fn, (ctx.db, ctx.actor, record_id, approve, comment)

        return self._open(DecisionDialog(ctx, title, question, decide, self))

    def decide_opening(self) -> QDialog | None:
        """开案审批."""
        screen = self._ready()
        if screen is None:
            return None
        case = screen.detail.case
        return self._decision(self.tr("Decide opening"), self.tr(
            "Open case {case_no} for {name}? Approve, or send it back with a comment.").format(
            case_no=case.case_no, name=case.person_name), decide_opening, case.uuid)

    def decide_plan(self) -> QDialog | None:
        """服务计划审批 (the latest version)."""
        screen = self._ready()
        if screen is None or screen.detail.latest_plan is None:
            return None
        plan = screen.detail.latest_plan
        return self._decision(self.tr("Decide plan"), self.tr(
            "Approve version {version} of the service plan for {name}? Or send it back with a comment.").format(
            version=plan.version, name=screen.detail.case.person_name), decide_plan, plan.uuid)

    def decide_closure(self) -> QDialog | None:
        """结案审批."""
        screen = self._ready()
        if screen is None or screen.detail.closure is None:
            return None
        closure = screen.detail.closure
        return self._decision(self.tr("Decide closure"), self.tr(
            "Close case {case_no} for {name} on {day}? Approve, or send the closure report back with a "
            "comment.").format(case_no=closure.case_no, name=screen.detail.case.person_name,
                               day=closure.closed_on.isoformat()), decide_closure, closure.uuid)

    # -- printing ------------------------------------------------------------------------

    def _case_no(self) -> str | None:
        return self.data.detail.case.case_no if self.data is not None else None

    def print_file(self) -> None:
        """The whole case file."""
        case_no, ctx = self._case_no(), self._ctx
        if case_no is not None:
            preview_pdf(self, ctx, self.tr("Case file {case_no}").format(case_no=case_no),
                        lambda: print_case_file(ctx.db, ctx.actor, case_no), f"{case_no}.pdf")

    def print_form(self, kind: str) -> None:
        """One form of the case: intake, assessment, plan, closure or referral (the latest)."""
        case_no, ctx = self._case_no(), self._ctx
        if case_no is None:
            return
        titles = {"intake": self.tr("Intake form"), "assessment": self.tr("Needs assessment"),
                  "plan": self.tr("Service plan"), "closure": self.tr("Closure report"),
                  "referral": self.tr("Referral form")}
        preview_pdf(self, ctx, f"{titles[kind]} {case_no}",
                    lambda: print_case_form(ctx.db, ctx.actor, kind, case_no), f"{case_no}-{kind}.pdf")

    def print_consent(self) -> None:
        """The consent form (the recorded one, or one to sign)."""
        case_no, ctx = self._case_no(), self._ctx
        if case_no is not None:
            preview_pdf(self, ctx, self.tr("Consent form {case_no}").format(case_no=case_no),
                        lambda: print_consent(ctx.db, ctx.actor, case_no), f"{case_no}-consent.pdf")

    def print_record(self) -> None:
        """The selected service record."""
        case_no, record, ctx = self._case_no(), self.selected_record(), self._ctx
        if case_no is None or record is None:
            self.message.emit(self.tr("Select a service record first."))
            return
        seq = record.seq
        preview_pdf(self, ctx, self.tr("Service record no. {seq}").format(seq=seq),
                    lambda: print_service_record(ctx.db, ctx.actor, case_no, seq), f"{case_no}-{seq}.pdf")
