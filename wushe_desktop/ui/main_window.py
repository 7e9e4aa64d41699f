"""The main window: navigation on the left, one screen at a time, a status bar.

Screens are built the first time they are shown, so the window appears fast. Keyboard:
Ctrl+N (new record on the current screen), Ctrl+F (search box), Ctrl+S (save), Ctrl+P
(print), Ctrl+1 … Ctrl+9 (screens). The window remembers its size, splitter and screen in
``QSettings``. The screens (and the services behind them) are imported when first built,
so the window can be drawn before the database layer has loaded (see ``ui/startup.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import role_labels
from wushe_desktop.ui.navigated_window import NavigatedWindow

if TYPE_CHECKING:
    from wushe_desktop.services.export import SyncStatus

# Screen indexes, in navigation order.
DASHBOARD, PEOPLE, CASES, VOLUNTEERS, ACTIVITIES, RESOURCES, STATISTICS, SYNC, SETTINGS = range(9)

#: Each screen's class in ``wushe_desktop.ui``, imported when the screen is first built.
SCREEN_CLASSES = {
    DASHBOARD: "dashboard.DashboardPage", PEOPLE: "people_page.PeoplePage", CASES: "cases_page.CasesPage",
    VOLUNTEERS: "volunteers_page.VolunteersPage", ACTIVITIES: "activities_page.ActivitiesPage",
    RESOURCES: "resources_page.ResourcesPage", STATISTICS: "statistics_page.StatisticsPage",
    SYNC: "sync_page.SyncPage", SETTINGS: "settings_page.SettingsPage",
}


def screen_class(index: int) -> Any:
    """The class of the screen at a navigation index (importing its module).

    Start-up calls it on the worker for the screen the window will open on, so the main
    thread finds the module loaded.
    """
    if index not in SCREEN_CLASSES:
        raise ValueError(f"no screen at navigation index {index}")
    module, name = SCREEN_CLASSES[index].rsplit(".", 1)
    return getattr(importlib.import_module(f"wushe_desktop.ui.{module}"), name)


class MainWindow(NavigatedWindow):
    """The station's main window."""

    SETTINGS_GROUP = "mainWindow"

    def __init__(self, ctx: UiContext | None, settings: QSettings | None = None) -> None:
        """Build the window; with ``ctx`` None it waits for :meth:`attach` (start-up draws
        it before the database is open)."""
        super().__init__(self.page_titles(), settings)
        self.setWindowTitle(self.tr("Wushe Desktop"))
        self._make_actions()
        self.restore_layout()
        if ctx is not None:
            self.attach(ctx)

    def _attached(self) -> None:
        ctx = self.ctx
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

    # -- screens ---------------------------------------------------------------------------

    def page_titles(self) -> list[str]:
        """The navigation entries, in order."""
        return [self.tr("Dashboard"), self.tr("People served"), self.tr("Cases"), self.tr("Volunteers"),
                self.tr("Activities"), self.tr("Charity resources"), self.tr("Statistics and reports"),
                self.tr("Data sync"), self.tr("Settings")]

    def _build_page(self, index: int) -> QWidget:
        ctx, screen = self.ctx, screen_class(index)
        if index == DASHBOARD:
            dashboard = screen(ctx)
            dashboard.open_case.connect(self.open_case)
            dashboard.open_volunteer.connect(self.open_volunteer)
            return dashboard  # type: ignore[no-any-return]
        if index == PEOPLE:
            page = screen(ctx, new_person=self.new_person)
        elif index in (STATISTICS, SYNC):
            page = screen(ctx, self._settings)
        else:
            page = screen(ctx)
        page.message.connect(self.show_message)
        return page  # type: ignore[no-any-return]

    # -- records -----------------------------------------------------------------------------

    def open_case(self, case_no: str) -> None:
        """Show a case's workspace (from the dashboard's to-do list)."""
        page: Any = self.show_page(CASES)
        page.open_case_no(case_no)

    def open_volunteer(self, name: str) -> None:
        """From the dashboard's to-do list: the hours awaiting confirmation with this
        volunteer's lines ticked, or the volunteer's record once none wait."""
        page: Any = self.show_page(VOLUNTEERS)
        page.open_volunteer(name)

    def new_person(self, parent: QWidget | None = None) -> None:
        """Register a person served (the form saves on the writer worker)."""
        from wushe_desktop.ui.person_form import PersonForm

        result = PersonForm.ask(parent or self, self.ctx)
        if result is not None:
            self.show_message(self.tr("Registered: {name}.").format(name=result.person.name))

    def refresh_export_label(self) -> None:
        """Read the last export for the status bar (on the reader worker)."""
        from wushe_desktop.services.export import sync_status

        self.ctx.reader.run(sync_status, self.ctx.db, self.ctx.actor, on_done=self._show_export_label, parent=self)

    def _show_export_label(self, status: SyncStatus) -> None:
        from wushe_desktop.ui.sync_page import local_time

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
