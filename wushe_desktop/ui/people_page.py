"""The people-served screen (服务对象): the list, opening a person to edit, roster import.

The list is the shared :class:`~wushe_desktop.ui.list_page.ListPage`; this screen adds what
is particular to people: Enter or a double-click opens the person in the edit form, and
从Excel导入 opens the roster import (preview first, nothing written until chosen).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QBoxLayout, QLayout, QPushButton, QVBoxLayout, QWidget

from wushe_desktop.services.people import SaveResult
from wushe_desktop.services.roster_files import RosterKind
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.list_page import ListPage
from wushe_desktop.ui.list_sources import PersonRow
from wushe_desktop.ui.lists import people_spec
from wushe_desktop.ui.person_form import PersonForm
from wushe_desktop.ui.roster_import_dialog import RosterImportDialog
from wushe_desktop.ui.table_model import ROW_ROLE


def _bar_of(layout: QLayout | None, widget: QWidget) -> QBoxLayout | None:
    """The box layout (at any depth) that holds ``widget`` directly."""
    if layout is None:
        return None
    if isinstance(layout, QBoxLayout) and layout.indexOf(widget) >= 0:
        return layout
    for i in range(layout.count()):
        item = layout.itemAt(i)
        child = item.layout() if item is not None else None
        found = _bar_of(child, widget)
        if found is not None:
            return found
    return None


class PeoplePage(QWidget):
    """The list of people served, with editing and roster import.

    Signals:
        message(str): a line for the status bar.
        person_saved(object): a person was saved from the edit form (the ``SaveResult``).
    """

    message = Signal(str)
    person_saved = Signal(object)

    def __init__(self, ctx: UiContext, new_person: Callable[[QWidget], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.list_page: ListPage[PersonRow] = ListPage(ctx, people_spec(new_record=new_person), self)
        self.list_page.message.connect(self.message)
        self.list_page.record_activated.connect(self.open_person)
        self.import_button = QPushButton(self.tr("Import from Excel…"), self.list_page)
        self.import_button.setToolTip(self.tr(
            "Add people from a roster (xlsx or csv, e.g. saved by WPS). You see every problem before anything is "
            "saved."))
        self.import_button.clicked.connect(self.import_roster)
        bar = _bar_of(self.list_page.layout(), self.list_page.export_button)
        if bar is not None:
            bar.insertWidget(bar.indexOf(self.list_page.export_button), self.import_button)
        # Enter on a row opens it, like a double-click.
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.list_page.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._open_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list_page)
        ctx.events.changed.connect(self._on_changed)

    # -- what the main window calls ----------------------------------------------------------

    def new_record(self) -> bool:
        """Register a new person (Ctrl+N)."""
        return self.list_page.new_record()

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F)."""
        self.list_page.focus_search()

    def show_record(self, key: str) -> None:
        """Find a person by name and select them."""
        self.list_page.show_record(key)

    # -- actions -------------------------------------------------------------------------------

    def open_person(self, row: object) -> None:
        """Open a person from the list in the edit form."""
        if not isinstance(row, PersonRow):
            return
        result = self.edit_person(row)
        if result is not None:
            self.message.emit(self.tr("Saved: {name}.").format(name=result.person.name))
            self.person_saved.emit(result)

    def edit_person(self, row: PersonRow) -> SaveResult | None:
        """Show the edit form modally (tests replace this)."""
        return PersonForm.ask(self, self._ctx, row.uuid)

    def import_roster(self) -> None:
        """Open the roster import for people served."""
        RosterImportDialog.ask(self, self._ctx, RosterKind.PEOPLE)

    # -- internals -----------------------------------------------------------------------------

    def _open_current(self) -> None:
        row = self.list_page.table.currentIndex().data(ROW_ROLE)
        if row is not None:
            self.list_page.record_activated.emit(row)

    def _on_changed(self, kind: str) -> None:
        # A renamed category shows in the filter: let the list build it again (ListPage
        # fills its filter once; it has no public way to refill it yet).
        if kind == "taxonomy":
            self.list_page._filter_codes = []
            self.list_page.reload()
