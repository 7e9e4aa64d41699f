"""The audit log viewer (审计日志): read-only, filtered, paged, with the chain's state.

Filters: a date range, the user, the action and the record kind; rows come newest first,
:data:`PAGE_ROWS` a page. The line at the top says whether the hash chain verifies, or the
first entry where it is broken (someone edited the database file behind the program's
back). Details show field *names* and counts only, never personal values.

Every action, record kind and detail key the program writes has a Chinese label here
(:func:`action_labels`, :func:`entity_labels`, :func:`detail_key_labels`); details read
as 字段：值 (:func:`details_text`), an error code as its Chinese sentence. A value without
a label is shown as written.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
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

from wushe_desktop.domain.enums import RiskLevel, Role
from wushe_desktop.errors import WusheError
from wushe_desktop.services.audit_log import (
    AuditChoices,
    AuditFilter,
    AuditPage,
    audit_choices,
    query_audit,
    verify_audit,
)
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import risk_labels, role_labels

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
        return action_labels()

    def entity_labels(self) -> dict[str, str]:
        """Record kinds as people read them."""
        return entity_labels()

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
                      details_text(row.details, row.action)]
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


# -- labels -------------------------------------------------------------------------------

#: Qt's translate under the name lupdate looks for (the context is written in each call).
translate = QCoreApplication.translate


def action_labels() -> dict[str, str]:
    """Every action the program writes to the audit log, as people read it."""
    return {
        "login": translate("AuditViewer", "Logged in"),
        "login_failed": translate("AuditViewer", "Wrong password"),
        "login_locked": translate("AuditViewer", "Account locked"),
        "login_refused": translate("AuditViewer", "Login refused"),
        "password_change": translate("AuditViewer", "Changed password"),
        "password_change_failed": translate("AuditViewer", "Password change failed"),
        "password_reset": translate("AuditViewer", "Password reset by the head"),
        "recovery_reset": translate("AuditViewer", "Password reset with the recovery passphrase"),
        "recovery_reset_failed": translate("AuditViewer", "Wrong recovery passphrase"),
        "account_create": translate("AuditViewer", "Account created"),
        "account_enable": translate("AuditViewer", "Account switched on"),
        "account_disable": translate("AuditViewer", "Account switched off"),
        "insert": translate("AuditViewer", "Added"),
        "update": translate("AuditViewer", "Changed"),
        "delete": translate("AuditViewer", "Deleted"),
        "approve": translate("AuditViewer", "Approved"),
        "return": translate("AuditViewer", "Sent back"),
        "print": translate("AuditViewer", "Printed"),
        "reveal": translate("AuditViewer", "Full ID shown"),
        "export": translate("AuditViewer", "Exported"),
        "backup": translate("AuditViewer", "Backed up"),
        "restore": translate("AuditViewer", "Restored from backup"),
        "setting": translate("AuditViewer", "Setting changed"),
        "bulk": translate("AuditViewer", "Bulk change"),
        "init": translate("AuditViewer", "Station set up"),
        "import": translate("AuditViewer", "Imported"),
        "receipt": translate("AuditViewer", "Receipt from the centre read"),
        "handover": translate("AuditViewer", "Cases handed over"),
        "card": translate("AuditViewer", "Key card saved"),
        "centre_card": translate("AuditViewer", "Centre key card read"),
        "key_rotation": translate("AuditViewer", "Station key changed"),
        "trust": translate("AuditViewer", "Station key trusted"),
        "revoke": translate("AuditViewer", "Station key withdrawn"),
        "volunteer_system_export": translate("AuditViewer", "Exported for the volunteer service system"),
    }


def entity_labels() -> dict[str, str]:
    """Every record kind in the audit log (the synced tables and the others), as people read it."""
    return {
        "person": translate("AuditViewer", "Person served"),
        "case_file": translate("AuditViewer", "Case"),
        "volunteer": translate("AuditViewer", "Volunteer"),
        "activity": translate("AuditViewer", "Activity"),
        "user_account": translate("AuditViewer", "Account"),
        "station": translate("AuditViewer", "Station"),
        "setting": translate("AuditViewer", "Setting"),
        "database": translate("AuditViewer", "Database"),
        "staff": translate("AuditViewer", "Staff"),
        "service_record": translate("AuditViewer", "Service record"),
        "volunteer_hours": translate("AuditViewer", "Volunteer hours"),
        "donation": translate("AuditViewer", "Donation"),
        "community": translate("AuditViewer", "Community"),
        "taxonomy_item": translate("AuditViewer", "List entry"),
        "staff_certificate": translate("AuditViewer", "Staff certificate"),
        "staff_training": translate("AuditViewer", "Staff training"),
        "social_organisation": translate("AuditViewer", "Social organisation"),
        "service_project": translate("AuditViewer", "Service project"),
        "person_status": translate("AuditViewer", "Person's category"),
        "household_member": translate("AuditViewer", "Household member"),
        "consent": translate("AuditViewer", "Consent form"),
        "assessment": translate("AuditViewer", "Assessment"),
        "service_plan": translate("AuditViewer", "Service plan"),
        "plan_objective": translate("AuditViewer", "Plan objective"),
        "referral": translate("AuditViewer", "Referral"),
        "case_closure": translate("AuditViewer", "Case closure"),
        "evaluation": translate("AuditViewer", "Evaluation"),
        "follow_up": translate("AuditViewer", "Follow-up visit"),
        "child_protection_report": translate("AuditViewer", "Child protection report"),
        "supervision_record": translate("AuditViewer", "Supervision record"),
        "volunteer_team": translate("AuditViewer", "Volunteer team"),
        "volunteer_team_member": translate("AuditViewer", "Team member"),
        "volunteer_training": translate("AuditViewer", "Volunteer training"),
        "volunteer_certificate": translate("AuditViewer", "Volunteer certificate"),
        "work_group": translate("AuditViewer", "Group"),
        "group_member": translate("AuditViewer", "Group member"),
        "activity_organiser": translate("AuditViewer", "Activity organiser"),
        "activity_attendee": translate("AuditViewer", "Activity attendee"),
        "donation_item": translate("AuditViewer", "Donated item"),
        "distribution": translate("AuditViewer", "Distribution of goods"),
        "resource_link": translate("AuditViewer", "Resource link"),
        "key": translate("AuditViewer", "Station key"),
        "centre_key": translate("AuditViewer", "Centre key"),
        "bundle": translate("AuditViewer", "Data bundle"),
        "demo": translate("AuditViewer", "Demo data"),
        "registered_station": translate("AuditViewer", "Registered station"),
        "roster": translate("AuditViewer", "Roster"),
    }


def detail_key_labels() -> dict[str, str]:
    """The keys of the audit details, as people read them."""
    return {
        "username": translate("AuditViewer", "User name"),
        "reason": translate("AuditViewer", "Reason"),
        "role": translate("AuditViewer", "Role"),
        "failed_attempts": translate("AuditViewer", "Wrong tries in a row"),
        "file": translate("AuditViewer", "File"),
        "size": translate("AuditViewer", "Size"),
        "encrypted": translate("AuditViewer", "Encrypted"),
        "rows": translate("AuditViewer", "Records"),
        "key": translate("AuditViewer", "Setting"),
        "by": translate("AuditViewer", "By"),
        "mode": translate("AuditViewer", "Mode"),
        "fingerprint": translate("AuditViewer", "Key fingerprint"),
        "fingerprints": translate("AuditViewer", "Key fingerprints"),
        "kind": translate("AuditViewer", "Kind"),
        "centre": translate("AuditViewer", "Centre code"),
        "replaced": translate("AuditViewer", "Replaced key"),
        "old": translate("AuditViewer", "Old key"),
        "new": translate("AuditViewer", "New"),
        "updated": translate("AuditViewer", "Updated"),
        "unchanged": translate("AuditViewer", "Unchanged"),
        "added": translate("AuditViewer", "Added"),
        "skipped": translate("AuditViewer", "Skipped"),
        "station": translate("AuditViewer", "Station code"),
        "sequence": translate("AuditViewer", "Bundle no."),
        "bundle_sequence": translate("AuditViewer", "Bundle no."),
        "sha256": translate("AuditViewer", "Check sum"),
        "file_sha256": translate("AuditViewer", "Check sum"),
        "gap": translate("AuditViewer", "Missing bundles"),
        "already_imported": translate("AuditViewer", "Imported before"),
        "status": translate("AuditViewer", "Result"),
        "batch": translate("AuditViewer", "Batch"),
        "counts": translate("AuditViewer", "Counts"),
        "form": translate("AuditViewer", "Form"),
        "pages": translate("AuditViewer", "Pages"),
        "reveal": translate("AuditViewer", "Full ID numbers"),
        "case_no": translate("AuditViewer", "Case no."),
        "records": translate("AuditViewer", "Service records"),
        "seq": translate("AuditViewer", "Record no."),
        "signed": translate("AuditViewer", "Signed"),
        "cases": translate("AuditViewer", "Cases"),
        "no_contact_days": translate("AuditViewer", "Days without contact"),
        "risk": translate("AuditViewer", "Risk level"),
        "volunteer_no": translate("AuditViewer", "Volunteer no."),
        "cert_no": translate("AuditViewer", "Certificate no."),
        "copy": translate("AuditViewer", "Copy"),
        "issued": translate("AuditViewer", "Newly issued"),
        "activity_no": translate("AuditViewer", "Activity no."),
        "blank": translate("AuditViewer", "Blank sheet"),
        "month": translate("AuditViewer", "Month"),
        "lines": translate("AuditViewer", "Lines"),
        "field": translate("AuditViewer", "Field"),
        "fields": translate("AuditViewer", "Fields"),
        "purpose": translate("AuditViewer", "Purpose"),
        "record": translate("AuditViewer", "Record"),
        "to_staff": translate("AuditViewer", "Handed to"),
        "row_version": translate("AuditViewer", "Version"),
        "row_version_from": translate("AuditViewer", "From version"),
        "row_version_to": translate("AuditViewer", "To version"),
        "full": translate("AuditViewer", "Everything again"),
        "profile": translate("AuditViewer", "Export kind"),
        "epoch": translate("AuditViewer", "Restore count"),
        "backup_created_at": translate("AuditViewer", "Backup made at"),
        "schema_revision": translate("AuditViewer", "Database layout"),
        "kept": translate("AuditViewer", "Old database kept as"),
        "floors_raised": translate("AuditViewer", "Numbering raised"),
        "from": translate("AuditViewer", "From"),
        "to": translate("AuditViewer", "To"),
        "certificates": translate("AuditViewer", "Certificates"),
        "copies": translate("AuditViewer", "Copies"),
        "prints": translate("AuditViewer", "Prints"),
        "passphrase_printed": translate("AuditViewer", "Passphrase printed"),
        "volunteers": translate("AuditViewer", "Volunteers"),
        "hours_lines": translate("AuditViewer", "Hours lines"),
        "hours_tenths": translate("AuditViewer", "Hours"),
        "signed_by_old_key": translate("AuditViewer", "Signed with the old key"),
    }


def _action_key_labels() -> dict[tuple[str, str], str]:
    """Keys that mean something else under one action."""
    return {
        ("key_rotation", "new"): translate("AuditViewer", "New key"),
        ("print", "rows"): translate("AuditViewer", "Rows"),
    }


def value_labels() -> dict[str, dict[str, str]]:
    """Coded values of some detail keys (the forms printed, kinds, modes...)."""
    forms = {
        "case_file": translate("AuditViewer", "Whole case file"),
        "intake": translate("AuditViewer", "Intake form"),
        "assessment": translate("AuditViewer", "Assessment form"),
        "plan": translate("AuditViewer", "Service plan form"),
        "closure": translate("AuditViewer", "Closure form"),
        "referral": translate("AuditViewer", "Referral form"),
        "record": translate("AuditViewer", "Service record form"),
        "consent": translate("AuditViewer", "Consent form"),
        "supervision_list": translate("AuditViewer", "Supervision list"),
        "volunteer_form": translate("AuditViewer", "Volunteer registration form"),
        "certificate": translate("AuditViewer", "Volunteer certificate"),
        "activity": translate("AuditViewer", "Activity record"),
        "signin_sheet": translate("AuditViewer", "Sign-in sheet"),
        "ledger": translate("AuditViewer", "Donation ledger"),
        "monthly_report": translate("AuditViewer", "Monthly report"),
        "records_month": translate("AuditViewer", "Service records of a month"),
        "certificates": translate("AuditViewer", "Volunteer certificates"),
        "recovery_sheet": translate("AuditViewer", "Recovery sheet"),
        "key_card": translate("AuditViewer", "Key fingerprint sheet"),
    }
    return {
        "form": forms,
        "kind": {
            "station": translate("AuditViewer", "Station"),
            "centre": translate("AuditViewer", "Centre"),
            "person": translate("AuditViewer", "Person served"),
            "volunteer": translate("AuditViewer", "Volunteer"),
        },
        "mode": {
            "station": translate("AuditViewer", "Station"),
            "centre": translate("AuditViewer", "Centre"),
        },
        "profile": {
            "supervision": translate("AuditViewer", "For supervision (complete)"),
            "deidentified": translate("AuditViewer", "De-identified"),
        },
        "purpose": {
            "print": translate("AuditViewer", "Printing"),
        },
        "batch": {
            "base": translate("AuditViewer", "Basics"),
            "volunteers and activities": translate("AuditViewer", "Volunteers and activities"),
        },
        "status": {
            "unchanged": translate("AuditViewer", "Unchanged"),
            "replaced": translate("AuditViewer", "Replaced"),
            "rotated": translate("AuditViewer", "Key changed"),
            "imported": translate("AuditViewer", "Imported"),
            "gap": translate("AuditViewer", "Bundles missing"),
        },
        "record": {
            "opening": translate("AuditViewer", "Opening the case"),
            "plan": translate("AuditViewer", "Service plan"),
            "closure": translate("AuditViewer", "Case closure"),
        },
        "by": {
            "backup": translate("AuditViewer", "Backup"),
        },
    }


#: Detail values that are database column names (``fields``), read through ``messages.FIELDS``
#: when listed there, else through :func:`column_labels`.
def column_labels() -> dict[str, str]:
    """The columns most often changed, as people read them."""
    return {
        "name": translate("AuditViewer", "name"),
        "sex": translate("AuditViewer", "sex"),
        "ethnicity": translate("AuditViewer", "ethnicity"),
        "id_number": translate("AuditViewer", "ID number"),
        "phone": translate("AuditViewer", "phone"),
        "phone2": translate("AuditViewer", "second phone"),
        "address": translate("AuditViewer", "address"),
        "community_id": translate("AuditViewer", "village (community)"),
        "hukou_address": translate("AuditViewer", "household registration address"),
        "marital_status": translate("AuditViewer", "marital status"),
        "education": translate("AuditViewer", "education"),
        "occupation": translate("AuditViewer", "occupation"),
        "health": translate("AuditViewer", "health"),
        "notes": translate("AuditViewer", "notes"),
        "stage": translate("AuditViewer", "stage"),
        "worker_id": translate("AuditViewer", "social worker"),
        "risk_level": translate("AuditViewer", "risk level"),
        "approval_status": translate("AuditViewer", "approval"),
        "opening_status": translate("AuditViewer", "opening approval"),
        "status": translate("AuditViewer", "status"),
        "hours_tenths": translate("AuditViewer", "hours"),
        "credited_tenths": translate("AuditViewer", "hours credited"),
        "title": translate("AuditViewer", "title"),
        "content": translate("AuditViewer", "content"),
        "summary": translate("AuditViewer", "summary"),
        "active": translate("AuditViewer", "in use"),
        "label": translate("AuditViewer", "wording"),
        "sort_order": translate("AuditViewer", "order"),
        "emergency_name": translate("AuditViewer", "emergency contact"),
        "emergency_phone": translate("AuditViewer", "emergency phone"),
        "category": translate("AuditViewer", "category"),
        "quantity": translate("AuditViewer", "quantity"),
        "value_fen": translate("AuditViewer", "value"),
        "location": translate("AuditViewer", "place"),
        "start_date": translate("AuditViewer", "start date"),
        "presenting_problem": translate("AuditViewer", "presenting problem"),
        "lives_alone": translate("AuditViewer", "lives alone"),
        "left_on": translate("AuditViewer", "date left"),
        "team_id": translate("AuditViewer", "team"),
        "prints": translate("AuditViewer", "prints"),
    }


def _reason(code: str) -> str:
    """A reason code as its Chinese sentence (the first sentence of the error's message)."""
    if code == "unknown":
        return translate("AuditViewer", "No such user name")
    if code in messages.MESSAGES or "." in code:
        text = messages.message_for(WusheError(code))
        for stop in ("。", ". "):
            if stop in text:
                return text.split(stop, 1)[0] + stop.strip()
        return text
    return code


def _size(value: int) -> str:
    if value >= 1024 * 1024:
        return f"{value / (1024 * 1024):.1f} MB"
    if value >= 1024:
        return f"{value / 1024:.0f} KB"
    return f"{value} B"


def _value(key: str, value: Any, coded: dict[str, dict[str, str]], entities: dict[str, str],
           columns: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return translate("AuditViewer", "yes") if value else translate("AuditViewer", "no")
    if key == "reason" and isinstance(value, str):
        return _reason(value)
    if key == "role" and isinstance(value, str):
        try:
            return role_labels().get(Role(value), value)
        except ValueError:
            return value
    if key == "risk" and isinstance(value, str):
        try:
            return risk_labels().get(RiskLevel(value), value)
        except ValueError:
            return value
    if key == "size" and isinstance(value, int):
        return _size(value)
    if key == "hours_tenths" and isinstance(value, int):
        return f"{value / 10:g}"
    if key in ("field", "fields"):
        names = value if isinstance(value, list | tuple) else [value]
        return "、".join(_column(str(n), columns) for n in names)
    if key == "counts" and isinstance(value, dict):
        return "，".join(f"{entities.get(str(k), str(k))} {v}" for k, v in value.items())
    if key == "batch" and isinstance(value, str) and value.startswith("cases"):
        return translate("AuditViewer", "{count} cases").format(count=value.removeprefix("cases").strip())
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    return coded.get(key, {}).get(str(value), str(value))


def _column(name: str, columns: dict[str, str]) -> str:
    if name in messages.FIELDS:
        return messages.translate("Fields", messages.FIELDS[name])
    return columns.get(name, name)


def details_text(details: dict[str, Any], action: str = "") -> str:
    """The details of an audit row as 字段：值；字段：值 (unknown keys are shown as written)."""
    keys, special = detail_key_labels(), _action_key_labels()
    coded, entities, columns = value_labels(), entity_labels(), column_labels()
    parts = []
    for key, value in details.items():
        label = special.get((action, key)) or keys.get(key, key)
        parts.append(f"{label}：{_value(key, value, coded, entities, columns)}")
    return "；".join(parts)
