"""Form building blocks shared by every dialog: a field with its error line, a red sentence.

Inline validation (STYLE.md): a problem is said in Chinese right under the field it is
about, in one colour, hidden while there is nothing to say.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

#: The colour of every error sentence.
ERROR_COLOUR = "#b3261e"


def error_label(parent: QWidget, name: str = "fieldError") -> QLabel:
    """A red sentence under the fields, hidden until there is something to say."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


class FieldRow(QWidget):
    """A field with its error line beneath it (focus goes to the field)."""

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.error = error_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(field)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setFocusProxy(field)

    def set_error(self, text: str) -> None:
        """Show (or with an empty text, hide) the error line."""
        self.error.setText(text)
        self.error.setVisible(bool(text))


def select_data(combo: QComboBox, value: object) -> bool:
    """Choose the combo entry whose data equals ``value``, or whose data's text is
    ``value`` (a draft keeps a UUID or an enum member as text); False: none does.

    Compared in Python: Qt's ``findData`` misses an equal UUID that is another object.
    """
    index = next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)
    if index < 0 and isinstance(value, str):
        index = next((i for i in range(combo.count())
                      if combo.itemData(i) is not None and str(combo.itemData(i)) == value), -1)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0
