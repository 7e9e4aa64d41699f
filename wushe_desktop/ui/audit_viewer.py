"""The audit log viewer (审计日志): read-only, filtered, paged, with the chain's state.

Filters: a date range, the user, the action and the record kind; rows come newest first,
:data:`PAGE_ROWS` a page. The line at the top says whether the hash chain verifies, or the
first entry where it is broken (someone edited the database file behind the program's
back). Details show field *names* and counts only, never personal values.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.domain.enums import Role
from wushe_desktop.services.audit_log import (
    AuditChoices,
    AuditFilter,
    AuditPage,
    audit_choices,
    query_audit,
    verify_audit,
)
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import role_labels

#: Rows per page.
PAGE_ROWS = 100
#: Days shown when the viewer opens.
DEFAULT_DAYS = 30


class AuditViewer(QDialog):
    """The station's audit log, for the head."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.page: AuditPage | None = None
        self.offset = 0
        today = today or date.today()
        self._today = today
        self.setWindowTitle(self.tr("Audit log"))
        self.chain = QLabel(self.tr("Checking the audit chain…"), self)
        self.chain.setWordWrap(True)
        self.chain.setObjectName("chainState")
        self.date_from = QDateEdit(_qdate(today - timedelta(days=DEFAULT_DAYS)), self)
        self.date_to = QDateEdit(_qdate(today), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.user = QComboBox(self)
        self.action = QComboBox(self)
        self.entity = QComboBox(self)
        for combo in (self.user, self.action, self.entity):
            combo.addItem(self.tr("All"), None)
            combo.setMinimumContentsLength(8)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search_button = QPushButton(self.tr("Search"), self)
        filters = QHBoxLayout()
        for label, widget in ((self.tr("From"), self.date_from), (self.tr("to"), self.date_to),
                              (self.tr("User"), self.user), (self.tr("Action"), self.action),
                              (self.tr("Record kind"), self.entity)):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        self.table = QTableWidget(0, 7, self)
        self.table.setHorizontalHeaderLabels([self.tr("No."), self.tr("Time"), self.tr("User"), self.tr("Role"),
                                              self.tr("Action"), self.tr("Record kind"), self.tr("Details")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.previous_button = QPushButton(self.tr("Previous page"), self)
        self.next_button = QPushButton(self.tr("Next page"), self)
        self.position = QLabel("", self)
        close = QPushButton(self.tr("Close"), self)
        paging = QHBoxLayout()
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        paging.addWidget(self.position)
        paging.addStretch(1)
        paging.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chain)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(paging)
        self.search_button.clicked.connect(self.search)
        self.previous_button.clicked.connect(lambda: self.load(max(0, self.offset - PAGE_ROWS)))
        self.next_button.clicked.connect(lambda: self.load(self.offset + PAGE_ROWS))
        close.clicked.connect(self.accept)
        self.resize(1180, 640)
        ctx.reader.run(verify_audit, ctx.db, ctx.actor, on_done=self._verified, parent=self)
        ctx.reader.run(audit_choices, ctx.db, ctx.actor, on_done=self._choices, parent=self)

    # -- labels --------------------------------------------------------------------------

    def action_labels(self) -> dict[str, str]:
        """Actions as people read them."""
        return {
            "login": self.tr("Logged in"), "login_failed": self.tr("Wrong password"),
            "login_locked": self.tr("Account locked"), "login_refused": self.tr("Login refused"),
            "password_change": self.tr("Changed password"), "password_change_failed": self.tr("Password change failed"),
            "password_reset": self.tr("Password reset by the head"),
            "recovery_reset": self.tr("Password reset with the recovery passphrase"),
            "recovery_reset_failed": self.tr("Wrong recovery passphrase"),
            "account_create": self.tr("Account created"), "account_enable": self.tr("Account switched on"),
            "account_disable": self.tr("Account switched off"),
            "insert": self.tr("Added"), "update": self.tr("Changed"), "delete": self.tr("Deleted"),
            "approve": self.tr("Approved"), "return": self.tr("Sent back"), "print": self.tr("Printed"),
            "reveal": self.tr("Full ID shown"), "export": self.tr("Exported"), "backup": self.tr("Backed up"),
            "restore": self.tr("Restored from backup"), "setting": self.tr("Setting changed"),
            "bulk": self.tr("Bulk change"), "init": self.tr("Station set up"), "import": self.tr("Imported"),
        }

    def entity_labels(self) -> dict[str, str]:
        """Record kinds as people read them."""
        return {
            "person": self.tr("Person served"), "case": self.tr("Case"), "volunteer": self.tr("Volunteer"),
            "activity": self.tr("Activity"), "user_account": self.tr("Account"), "station": self.tr("Station"),
            "setting": self.tr("Setting"), "database": self.tr("Database"), "staff": self.tr("Staff"),
            "service_record": self.tr("Service record"), "volunteer_hours": self.tr("Volunteer hours"),
            "donation": self.tr("Donation"), "community": self.tr("Community"),
            "taxonomy_item": self.tr("List entry"),
        }

    # -- loading -------------------------------------------------------------------------

    def _verified(self, result: Any) -> None:
        if result.ok:
            self.chain.setText(self.tr("Audit chain verified: all {count} entries are intact.").format(
                count=result.rows))
            self.chain.setStyleSheet("color: #1e6b2e; font-weight: bold;")
        else:
            self.chain.setText(self.tr("Audit chain broken at entry {seq}: this entry or the one before it was "
                                       "changed outside the program. Tell the banner centre.").format(
                seq=result.first_broken))
            self.chain.setStyleSheet("color: #b3261e; font-weight: bold;")

    def _choices(self, choices: AuditChoices) -> None:
        """The filter lists arrived: fill them, end the range at the station's today, search."""
        if self.date_to.date() == _qdate(self._today):
            self.date_to.setDate(_qdate(choices.today))
            self.date_from.setDate(_qdate(choices.today - timedelta(days=DEFAULT_DAYS)))
        actions, entities = self.action_labels(), self.entity_labels()
        for combo, values, labels in ((self.user, choices.actors, {}), (self.action, choices.actions, actions),
                                      (self.entity, choices.entities, entities)):
            for value in values:
                combo.addItem(labels.get(value, value), value)
        self.search()

    def current_filter(self) -> AuditFilter:
        """What the filter fields say."""
        return AuditFilter(date_from=_pydate(self.date_from.date()), date_to=_pydate(self.date_to.date()),
                           actor=self.user.currentData(), action=self.action.currentData(),
                           entity=self.entity.currentData())

    def search(self) -> None:
        """Apply the filters from the first page."""
        self.load(0)

    def load(self, offset: int) -> None:
        """Read a page (reader worker)."""
        self.ctx.reader.run(_query, self.ctx.db, self.ctx.actor, self.current_filter(), offset,
                            on_done=self._loaded, parent=self)

    def _loaded(self, page: AuditPage) -> None:
        self.page = page
        self.offset = page.offset
        actions, entities, roles = self.action_labels(), self.entity_labels(), role_labels()
        self.table.setRowCount(len(page.rows))
        for r, row in enumerate(page.rows):
            try:
                role = roles.get(Role(row.role), row.role)
            except ValueError:
                role = row.role
            values = [str(row.seq), row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), row.actor, role,
                      actions.get(row.action, row.action), entities.get(row.entity, row.entity),
                      _details(row.details)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        pages = max(1, -(-page.total // PAGE_ROWS))
        self.position.setText(self.tr("Page {page} of {pages} ({count} entries)").format(
            page=page.offset // PAGE_ROWS + 1, pages=pages, count=page.total))
        self.previous_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.offset + PAGE_ROWS < page.total)

    def rows_text(self) -> list[list[str]]:
        """The table's cells as shown (tests, copying)."""
        return [[self.table.item(r, c).text() if self.table.item(r, c) else ""  # type: ignore[union-attr]
                 for c in range(self.table.columnCount())] for r in range(self.table.rowCount())]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _query(db: Any, actor: Any, flt: AuditFilter, offset: int) -> AuditPage:
    return query_audit(db, actor, flt, offset=offset, limit=PAGE_ROWS)


def _details(details: dict[str, Any]) -> str:
    parts = []
    for key, value in details.items():
        if isinstance(value, list | tuple):
            value = "、".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = "，".join(f"{k} {v}" for k, v in value.items())
        parts.append(f"{key}: {value}")
    return "；".join(parts)
