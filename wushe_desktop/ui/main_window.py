"""The main window: navigation on the left, one screen at a time, a status bar.

Screens are built the first time they are shown, so the window appears fast. Keyboard:
Ctrl+N (new record on the current screen), Ctrl+F (search box), Ctrl+S (save), Ctrl+P
(print), Ctrl+1 … Ctrl+9 (screens). The window remembers its size, splitter and screen in
``QSettings``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from wushe_desktop.services.export import SyncStatus, sync_status
from wushe_desktop.ui.activities_page import ActivitiesPage
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.dashboard import DashboardPage
from wushe_desktop.ui.labels import role_labels
from wushe_desktop.ui.navigated_window import NavigatedWindow
from wushe_desktop.ui.people_page import PeoplePage
from wushe_desktop.ui.person_form import PersonForm
from wushe_desktop.ui.resources_page import ResourcesPage
from wushe_desktop.ui.settings_page import SettingsPage
from wushe_desktop.ui.statistics_page import StatisticsPage
from wushe_desktop.ui.sync_page import SyncPage, local_time
from wushe_desktop.ui.volunteers_page import VolunteersPage

# Screen indexes, in navigation order.
DASHBOARD, PEOPLE, CASES, VOLUNTEERS, ACTIVITIES, RESOURCES, STATISTICS, SYNC, SETTINGS = range(9)

class MainWindow(NavigatedWindow):
    """The station's main window."""

    SETTINGS_GROUP = "mainWindow"

    def __init__(self, ctx: UiContext, settings: QSettings | None = None) -> None:
        super().__init__(ctx, self.page_titles(), settings)
        self.setWindowTitle(self.tr("Wushe Desktop: {station}").format(station=ctx.station.name))

        roles = role_labels()
        self.station_label = QLabel(self.tr("Station: {name} ({code})").format(
            name=ctx.station.name, code=ctx.station.code), self)
        self.user_label = QLabel(self.tr("User: {name} ({role})").format(
            name=ctx.actor.name, role=roles.get(ctx.actor.role, "")), self)
        self.export_label = QLabel(self.tr("Last export: not yet exported"), self)
        bar = self.statusBar()
        for label in (self.station_label, self.user_label, self.export_label):
            bar.addPermanentWidget(label)
        self.refresh_export_label()
        ctx.events.changed.connect(lambda kind: self.refresh_export_label() if kind == "sync" else None)

        self._make_actions()
        self.add_system_menu()
        self.restore_layout()

    # -- screens ---------------------------------------------------------------------------

    def page_titles(self) -> list[str]:
        """The navigation entries, in order."""
        return [self.tr("Dashboard"), self.tr("People served"), self.tr("Cases"), self.tr("Volunteers"),
                self.tr("Activities"), self.tr("Charity resources"), self.tr("Statistics and reports"),
                self.tr("Data sync"), self.tr("Settings")]

    def _build_page(self, index: int) -> QWidget:
        ctx = self.ctx
        if index == DASHBOARD:
            dashboard = DashboardPage(ctx)
            dashboard.open_case.connect(self.open_case)
            dashboard.open_volunteer.connect(self.open_volunteer)
            return dashboard
        if index == PEOPLE:
            people = PeoplePage(ctx, new_person=self.new_person)
            people.message.connect(self.show_message)
            return people
        if index == SETTINGS:
            settings_page = SettingsPage(ctx)
            settings_page.message.connect(self.show_message)
            return settings_page
        if index == CASES:
            cases = CasesPage(ctx)
            cases.message.connect(self.show_message)
            return cases
        if index == VOLUNTEERS:
            volunteers = VolunteersPage(ctx)
            volunteers.message.connect(self.show_message)
            return volunteers
        if index == ACTIVITIES:
            activities = ActivitiesPage(ctx)
            activities.message.connect(self.show_message)
            return activities
        if index == RESOURCES:
            resources = ResourcesPage(ctx)
            resources.message.connect(self.show_message)
            return resources
        if index == STATISTICS:
            statistics = StatisticsPage(ctx, self._settings)
            statistics.message.connect(self.show_message)
            return statistics
        if index == SYNC:
            sync = SyncPage(ctx, self._settings)
            sync.message.connect(self.show_message)
            return sync
        raise ValueError(f"no screen at navigation index {index}")

    # -- records -----------------------------------------------------------------------------

    def open_case(self, case_no: str) -> None:
        """Show a case's workspace (from the dashboard's to-do list)."""
        page = self.show_page(CASES)
        assert isinstance(page, CasesPage)
        page.open_case_no(case_no)

    def open_volunteer(self, name: str) -> None:
        """From the dashboard's to-do list: the hours awaiting confirmation with this
        volunteer's lines ticked, or the volunteer's record once none wait."""
        page = self.show_page(VOLUNTEERS)
        assert isinstance(page, VolunteersPage)
        page.open_volunteer(name)

    def new_person(self, parent: QWidget | None = None) -> None:
        """Register a person served (the form saves on the writer worker)."""
        result = PersonForm.ask(parent or self, self.ctx)
        if result is not None:
            self.show_message(self.tr("Registered: {name}.").format(name=result.person.name))

    def refresh_export_label(self) -> None:
        """Read the last export for the status bar (on the reader worker)."""
        self.ctx.reader.run(sync_status, self.ctx.db, self.ctx.actor, on_done=self._show_export_label, parent=self)

    def _show_export_label(self, status: SyncStatus) -> None:
        if status.last_export_at is None:
            self.export_label.setText(self.tr("Last export: not yet exported"))
        else:
            self.export_label.setText(self.tr("Last export: {when}, {count} not yet acknowledged").format(
                when=local_time(status.last_export_at), count=status.unacknowledged_rows))

    # -- keyboard ---------------------------------------------------------------------------

    def _make_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = self._action(menu, self.tr("&New"), QKeySequence.StandardKey.New, self.new_record)
        self.find_action = self._action(menu, self.tr("&Find"), QKeySequence.StandardKey.Find, self.focus_search)
        self.save_action = self._action(menu, self.tr("&Save"), QKeySequence.StandardKey.Save, self.save)
        self.print_action = self._action(menu, self.tr("&Print"), QKeySequence.StandardKey.Print, self.print_page)
        menu.addSeparator()
        self._action(menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        go = self.menuBar().addMenu(self.tr("&Go"))
        for i, title in enumerate(self.page_titles()):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, i=i: self.show_page(i))
            go.addAction(action)

    def _action(self, menu: object, text: str, key: QKeySequence.StandardKey,
                slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def new_record(self) -> None:
        """Ctrl+N: a new record on the current screen."""
        page = self.current_page()
        handler = getattr(page, "new_record", None)
        if handler is None or not handler():
            self.show_message(self.tr("There is nothing to create on this screen yet."))

    def focus_search(self) -> None:
        """Ctrl+F: the current screen's search box."""
        handler = getattr(self.current_page(), "focus_search", None)
        if handler is None:
            self.show_message(self.tr("This screen has no search box."))
        else:
            handler()

    def save(self) -> None:
        """Ctrl+S: save the current screen's form."""
        handler = getattr(self.current_page(), "save", None)
        if handler is None:
            self.show_message(self.tr("There is nothing to save on this screen: records are saved in their "
                                      "forms."))
        else:
            handler()

    def print_page(self) -> None:
        """Ctrl+P: print what the current screen shows."""
        handler = getattr(self.current_page(), "print_page", None)
        if handler is None:
            self.show_message(self.tr("Printing from this screen is not available yet."))
        else:
            handler()
