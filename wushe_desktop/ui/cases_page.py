"""The 个案管理 screen: the list of cases and, in its place, one case's workspace.

Enter or a double-click on a row opens the case; 返回列表 goes back to the list as it was.
Ctrl+N opens the intake form (接案), Ctrl+P prints the open case's file, Ctrl+F goes to
the list's search box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from wushe_desktop.services.cases import CaseView, find_case_by_no
from wushe_desktop.services.drafts import Draft
from wushe_desktop.ui.case_dialogs import IntakeDialog
from wushe_desktop.ui.case_workspace import CaseWorkspace
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import ABOUT, DraftOpener, register_draft_form, resume_next
from wushe_desktop.ui.list_page import ListPage
from wushe_desktop.ui.list_sources import CaseRow
from wushe_desktop.ui.lists import cases_spec
from wushe_desktop.ui.table_model import ROW_ROLE


class CasesPage(QWidget):
    """Cases: the list, or one case's workspace.

    Signals:
        message(str): a line for the status bar.
    """

    message = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.intake: IntakeDialog | None = None
        spec = cases_spec()
        spec.new_record = self._new_from_list
        self.list_page: ListPage[CaseRow] = ListPage(ctx, spec, self)
        self.workspace = CaseWorkspace(ctx, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.workspace)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.list_page.message.connect(self.message)
        self.workspace.message.connect(self.message)
        self.workspace.back.connect(self.show_list)
        # Enter and double-click both emit activated (the list's own signal is double-click only)
        self.list_page.table.activated.connect(self._activated)

    # -- what the main window calls ----------------------------------------------------------

    def new_record(self) -> bool:
        """Ctrl+N: the intake form; the new case opens when it is saved."""
        dialog = IntakeDialog(self._ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._intake_saved)
        dialog.finished.connect(lambda _r: setattr(self, "intake", None))
        self.intake = dialog
        dialog.open()
        return True

    def print_page(self) -> None:
        """Ctrl+P: the open case's whole file."""
        if self.showing_case():
            self.workspace.print_file()
        else:
            self.message.emit(self.tr("Open a case first (Enter on its row), then print its file."))

    def focus_search(self) -> None:
        """Ctrl+F: back to the list, in its search box."""
        self.show_list()
        self.list_page.focus_search()

    def open_case(self, case_id: UUID) -> None:
        """Show a case's workspace."""
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.load(case_id)
        self.workspace.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_case_no(self, case_no: str) -> None:
        """Show the case with this number (from the dashboard's to-do list)."""
        self._ctx.reader.run(find_case_by_no, self._ctx.db, self._ctx.actor, case_no,
                             on_done=lambda case: self.open_case(case.uuid), parent=self)

    def show_list(self) -> None:
        """Back to the list of cases."""
        self.stack.setCurrentWidget(self.list_page)
        self.list_page.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def showing_case(self) -> bool:
        """Whether a case's workspace is shown."""
        return self.stack.currentWidget() is self.workspace

    # -- internals -------------------------------------------------------------------------------

    def _new_from_list(self, _parent: QWidget) -> None:
        self.new_record()

    def _activated(self, index: QModelIndex) -> None:
        row: Any = index.data(ROW_ROLE)
        if isinstance(row, CaseRow):
            self.open_case(row.uuid)

    def _intake_saved(self, case: CaseView) -> None:
        if case.accepted:
            text = self.tr("Case {case_no} registered for {name}; it waits for the station head's approval.")
        else:
            text = self.tr("Case {case_no} recorded for {name} as not taken on.")
        self.message.emit(text.format(case_no=case.case_no, name=case.person_name))
        self.open_case(case.uuid)


# -- drafts left by a crash (scenario 7): reopen the case and its form --------------------------


def _cases_page(window: QWidget) -> CasesPage | None:
    show_page = getattr(window, "show_page", None)
    if show_page is None:  # not the station's main window (e.g. the centre's)
        return None
    from wushe_desktop.ui.main_window import CASES

    page = show_page(CASES)
    return page if isinstance(page, CasesPage) else None


def _draft_case(draft: Draft) -> UUID | None:
    about = draft.data.get(ABOUT)
    try:
        return UUID(str(about["case"])) if isinstance(about, dict) and about.get("case") else None
    except ValueError:
        return None


def _case_form_opener(action: Callable[[CaseWorkspace, Draft], None]) -> DraftOpener:
    """Open the draft's case, then (once it is shown) its form, filled from the draft."""

    def opener(window: QWidget, _ctx: UiContext, draft: Draft) -> None:
        page, case_id = _cases_page(window), _draft_case(draft)
        if page is None or case_id is None:
            return
        resume_next(draft)
        workspace = page.workspace
        workspace.loaded.connect(lambda: action(workspace, draft), Qt.ConnectionType.SingleShotConnection)
        page.open_case(case_id)

    return opener


def _edit_record(workspace: CaseWorkspace, draft: Draft) -> None:
    for i in range(workspace.timeline.topLevelItemCount()):
        item = workspace.timeline.topLevelItem(i)
        if item is None:
            continue
        record = item.data(0, Qt.ItemDataRole.UserRole)
        if record is not None and str(record.uuid) == draft.record_uuid:
            workspace.timeline.setCurrentItem(item)
            workspace.edit_record()
            return


def _new_intake(window: QWidget, _ctx: UiContext, draft: Draft) -> None:
    page = _cases_page(window)
    if page is not None:
        resume_next(draft)
        page.new_record()


def _intake(window: QWidget, ctx: UiContext, draft: Draft) -> None:
    if draft.record_uuid is None:
        _new_intake(window, ctx, draft)
    else:
        _case_form_opener(lambda workspace, _draft: workspace.edit_intake())(window, ctx, draft)


register_draft_form("case_intake", lambda: QCoreApplication.translate("CaseDrafts", "intake form"), _intake)
register_draft_form("case_assessment", lambda: QCoreApplication.translate("CaseDrafts", "needs assessment"),
                    _case_form_opener(lambda workspace, _draft: workspace.assess()))
register_draft_form("case_plan", lambda: QCoreApplication.translate("CaseDrafts", "service plan"),
                    _case_form_opener(lambda workspace, _draft: workspace.edit_plan()))
register_draft_form("service_record_new", lambda: QCoreApplication.translate("CaseDrafts", "new service record"),
                    _case_form_opener(lambda workspace, _draft: workspace.add_record()))
register_draft_form("service_record", lambda: QCoreApplication.translate("CaseDrafts", "service record"),
                    _case_form_opener(_edit_record))
register_draft_form("case_evaluation", lambda: QCoreApplication.translate("CaseDrafts", "evaluation"),
                    _case_form_opener(lambda workspace, _draft: workspace.evaluate()))
register_draft_form("case_closure", lambda: QCoreApplication.translate("CaseDrafts", "closure report"),
                    _case_form_opener(lambda workspace, _draft: workspace.close_case()))
