"""The banner centre's main window: the same application opened on a centre database.

Navigation on the left like the station's window (总览, 导入数据包, 站点登记, 督导查阅),
one screen at a time, built when first shown. Bundle files dropped anywhere on the window
go to the import screen. Keyboard: Ctrl+1 … Ctrl+4 (screens), Ctrl+O (add bundles),
Ctrl+P (print the supervision list). The window keeps its size and screen in
``QSettings`` (apart from the station window's).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from wushe_desktop.domain.enums import Role
from wushe_desktop.services.context import Actor
from wushe_desktop.ui.centre_pages import (
    ImportPage,
    OverviewPage,
    StationsPage,
    SupervisionPage,
    dropped_paths,
)
from wushe_desktop.ui.context import Opening, UiContext
from wushe_desktop.ui.labels import role_labels
from wushe_desktop.ui.navigated_window import NavigatedWindow

# Screen indexes, in navigation order.
OVERVIEW, IMPORT, STATIONS, SUPERVISION = range(4)

#: Roles that work at a centre.
CENTRE_ROLES = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LOCAL_ADMIN})


def centre_opening(opening: Opening) -> Opening:
    """Who acts at a centre database.

    A logged-in account acts as itself. Without accounts (nobody logs in), the GUI acts
    as the centre's administrator, as it acts as the station head at a station.
    """
    if opening.username or opening.actor.role in CENTRE_ROLES:
        return opening
    name = QCoreApplication.translate("CentreWindow", "Centre administrator")
    return dataclasses.replace(opening, actor=Actor(name=name, role=Role.CENTRE_ADMIN))


class CentreWindow(NavigatedWindow):
    """The centre's main window."""

    SETTINGS_GROUP = "centreWindow"

    def __init__(self, ctx: UiContext, settings: QSettings | None = None) -> None:
        super().__init__(self.page_titles(), settings)
        self.setAcceptDrops(True)
        self._make_actions()
        self.restore_layout()
        self.attach(ctx)

    def _attached(self) -> None:
        ctx = self.ctx
        self.setWindowTitle(self.tr("Wushe Desktop (centre): {name}").format(name=ctx.station.name))
        roles = role_labels()
        self.centre_label = QLabel(self.tr("Centre: {name} ({code})").format(
            name=ctx.station.name, code=ctx.station.code), self)
        self.user_label = QLabel(self.tr("User: {name} ({role})").format(
            name=ctx.actor.name, role=roles.get(ctx.actor.role, "")), self)
        for label in (self.centre_label, self.user_label):
            self.statusBar().addPermanentWidget(label)

    # -- screens ---------------------------------------------------------------------------

    def page_titles(self) -> list[str]:
        """The navigation entries, in order."""
        return [self.tr("Overview"), self.tr("Import bundles"), self.tr("Station register"),
                self.tr("Supervision")]

    def _build_page(self, index: int) -> QWidget:
        if index == OVERVIEW:
            return OverviewPage(self.ctx)
        if index == IMPORT:
            page = ImportPage(self.ctx)
            page.imported.connect(lambda: self.show_message(self.tr(
                "Import finished; the overview shows the new figures.")))
            return page
        if index == STATIONS:
            return StationsPage(self.ctx)
        return SupervisionPage(self.ctx)

    def import_page(self) -> ImportPage:
        """The import screen, shown."""
        page = self.show_page(IMPORT)
        assert isinstance(page, ImportPage)
        return page

    # -- drag and drop --------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        added = self.import_page().add_files(paths)
        event.acceptProposedAction()
        self.show_message(self.tr("{count} bundle files added to the import list.").format(count=added))

    # -- keyboard ---------------------------------------------------------------------------

    def _make_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        self._action(menu, self.tr("&Add bundles…"), QKeySequence(QKeySequence.StandardKey.Open),
                     lambda: self.import_page()._ask_files())
        self._action(menu, self.tr("&Print the supervision list…"), QKeySequence(QKeySequence.StandardKey.Print),
                     self.print_page)
        menu.addSeparator()
        self._action(menu, self.tr("&Quit"), QKeySequence(QKeySequence.StandardKey.Quit), self.close)
        go = self.menuBar().addMenu(self.tr("&Go"))
        for i, title in enumerate(self.page_titles()):
            self._action(go, title, QKeySequence(f"Ctrl+{i + 1}"), partial(self.show_page, i))

    def _action(self, menu: object, text: str, key: QKeySequence, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(key)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def print_page(self) -> None:
        """Ctrl+P: the supervision list of the station chosen on the supervision screen."""
        page = self.show_page(SUPERVISION)
        assert isinstance(page, SupervisionPage)
        page.print_list()
