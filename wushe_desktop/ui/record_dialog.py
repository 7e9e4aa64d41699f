"""What a record's registration or editing dialog does around its own fields.

The person form and the volunteer form share it: a field is checked once it was edited and
left (and again after a refused save, with the service's reasons kept until the field
changes); the first field in error gets the focus; what is typed is kept as a draft; a save
announces the change; closing with unsaved changes asks first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from wushe_desktop.errors import ValidationErrors, WusheError
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.drafts import DraftKeeper
from wushe_desktop.ui.fields import FieldRow


def confirm_discard(parent: QWidget) -> bool:
    """Ask before a form with unsaved changes is closed: close and lose them?"""
    # translate(), not self.tr(): PySide would look the strings up under each form's class name
    return messages.confirm(
        parent, QCoreApplication.translate("RecordDialog", "Unsaved changes"),
        QCoreApplication.translate("RecordDialog", "What you typed in this form is not saved yet. Close it and "
                                   "lose it?"),
        QCoreApplication.translate("RecordDialog", "Close without saving"),
        QCoreApplication.translate("RecordDialog", "Keep editing"))


class RecordDialog(QDialog):
    """A dialog that registers or edits one record (a person, a volunteer).

    A subclass sets :attr:`field_order` and :attr:`changes`, builds :attr:`rows` and
    :attr:`save_button`, and gives :meth:`validate` and :meth:`errors`; it calls
    :meth:`_edited` when a field changes, :meth:`_left_field` when one loses the focus, and
    :meth:`_saved` / :meth:`_save_refused` when the writer answers.

    Signals:
        save_failed(): saving was refused (the errors are shown).
    """

    save_failed = Signal()
    #: The fields in the order the first error among them gets the focus.
    field_order: tuple[str, ...] = ()
    #: The kind of records a save changes (``ctx.events.changed``).
    changes: str = ""

    rows: dict[str, FieldRow]
    save_button: QPushButton

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._dirty = False
        self._touched: set[str] = set()
        self._refused: dict[str, str] = {}  # the service's refusals, kept until the field changes
        self.saved: Any = None
        self.drafts: DraftKeeper | None = None  # kept from when the form is ready (scenario 7)

    def validate(self, only_touched: bool = False) -> Any:
        """Check the fields (those edited so far, with ``only_touched``) and show the errors;
        what to save, or ``None``."""
        raise NotImplementedError

    def errors(self) -> dict[str, str]:
        """The errors shown, by field."""
        raise NotImplementedError

    def _name_draft(self, text: str) -> None:
        if self.drafts is not None:
            self.drafts.about["name"] = text.strip()

    def _discard_draft(self) -> None:
        if self.drafts is not None:
            self.drafts.discard()

    def _mark_dirty(self, *_args: object) -> None:
        self._dirty = True

    def _edited(self, name: str) -> None:
        self._dirty = True
        self._touched.add(name)
        self._refused.pop(name, None)

    def _left_field(self) -> None:
        if self._touched:
            self.validate(only_touched=True)

    def _focus_first_error(self) -> None:
        shown = self.errors()
        for name in self.field_order:
            if name in shown:
                self.rows[name].field.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _saved(self, result: Any) -> None:
        self.saved = result
        self._dirty = False
        self._discard_draft()
        self._ctx.events.changed.emit(self.changes)
        self.accept()

    def _save_refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, WusheError) and (error.field in self.rows or isinstance(error, ValidationErrors)):
            self._refused = {name: text for name, text in messages.field_errors(error).items() if name in self.rows}
            self.validate(only_touched=True)
            self._focus_first_error()
            self.save_failed.emit()
            return
        messages.show_error(self, error)
        self.save_failed.emit()

    def reject(self) -> None:
        """Cancel, Esc or the window's close button (``QDialog.closeEvent`` calls this): with
        unsaved changes, ask first; the draft goes with the form."""
        if self._dirty and not confirm_discard(self):
            return
        self._dirty = False
        self._discard_draft()
        super().reject()
