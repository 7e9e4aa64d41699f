"""Drafts of open forms for crash recovery (scenario 7; docs/decisions.md §8).

A form hooks in with three lines::

    self.drafts = DraftKeeper(self, ctx, "assessment", record_uuid,
                              {"notes": self.notes, "score": self.score, "date": self.date})
    self.drafts.offer_existing()          # once the form is filled with the record
    ...
    self.drafts.discard()                 # after a successful save, or when the user throws it away

:class:`DraftKeeper` saves the fields' values as JSON a few seconds after the last change
(:data:`DRAFT_DELAY_MS`), on the writer worker (``services.drafts.save_draft``). To have
a form's drafts offered back at start (after a power cut), register how to open the form
with a draft::

    register_draft_form("assessment", lambda: tr("needs assessment"), open_assessment_with_draft)

where the opener is ``opener(window, ctx, draft)``: it calls :func:`resume_next` with the
draft and opens the form the usual way; the form's ``offer_existing()`` then fills it from
that draft without asking again. :func:`offer_drafts` runs when the window is up and asks
about each draft of the logged-in user ("您有未保存的草稿：王桂花的需求评估（11月25日 14:32）").

``about`` (e.g. ``{"name": "王桂花", "case": "<uuid>"}``) is kept with the draft under
``"_about"``: it names whose form it was in that question and tells the opener where to go.

Besides Qt's own fields, a widget with ``draft_value()``, ``set_draft_value(value)`` and a
``draft_changed`` signal is kept too (e.g. the case forms' tables of lines).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)

from wushe_desktop.services.drafts import Draft, discard_draft, list_drafts, load_draft, save_draft
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.fields import select_data

log = logging.getLogger("wushe_desktop.ui.drafts")

#: How long after the last change a draft is written.
DRAFT_DELAY_MS = 3000

DraftOpener = Callable[[QWidget, UiContext, Draft], None]


@dataclass(frozen=True)
class DraftForm:
    """How to name and reopen the drafts of one form kind."""

    title: Callable[[], str]
    opener: DraftOpener


#: Form kinds whose drafts are offered back at start.
DRAFT_FORMS: dict[str, DraftForm] = {}


def register_draft_form(form: str, title: Callable[[], str], opener: DraftOpener) -> None:
    """Offer this form's drafts back at start (``title()`` names it in the question)."""
    DRAFT_FORMS[form] = DraftForm(title, opener)


#: The key of a draft's description (who and what it is about), never a field's name.
ABOUT = "_about"

#: Drafts the user chose at start, waiting for their form to open: (form, record) → draft.
_RESUMING: dict[tuple[str, str | None], Draft] = {}


def resume_next(draft: Draft) -> None:
    """The next form of this kind and record fills itself from ``draft`` without asking."""
    _RESUMING[(draft.form, draft.record_uuid)] = draft


def show_screen(window: QWidget, screen: str) -> None:
    """Show a screen of the station's main window ("people", "cases", "volunteers", "activities")
    before a draft's form opens over it; other windows (the centre's) are left as they are."""
    show_page = getattr(window, "show_page", None)
    if show_page is None:
        return
    from wushe_desktop.ui import main_window

    index = {"people": main_window.PEOPLE, "cases": main_window.CASES, "volunteers": main_window.VOLUNTEERS,
             "activities": main_window.ACTIVITIES}.get(screen)
    if index is not None:
        show_page(index)


def field_value(widget: QWidget) -> Any:
    """A field's value as JSON (text, bool, number, ISO date, combo data or text)."""
    custom = getattr(widget, "draft_value", None)
    if callable(custom):
        return custom()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        if isinstance(data, uuid.UUID):
            data = str(data)
        if isinstance(data, str | int | float | bool):
            return {"data": data, "text": widget.currentText()}
        return {"data": None, "text": widget.currentText()}
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        day = widget.date()
        return date(day.year(), day.month(), day.day()).isoformat()
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    raise TypeError(f"DraftKeeper cannot read a {type(widget).__name__}")


def set_field_value(widget: QWidget, value: Any) -> None:
    """Put a value read by :func:`field_value` back into its field."""
    custom = getattr(widget, "set_draft_value", None)
    if callable(custom):
        custom(value)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QComboBox) and isinstance(value, dict):
        if value.get("data") is not None and select_data(widget, value.get("data")):
            return
        index = widget.findText(str(value.get("text", "")))
        if index >= 0:
            widget.setCurrentIndex(index)
        elif widget.isEditable():
            widget.setEditText(str(value.get("text", "")))
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(bool(value))
    elif isinstance(widget, QDateEdit) and isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return
        widget.setDate(QDate(day.year, day.month, day.day))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(value or 0))


def _changed_signal(widget: QWidget) -> Any:
    custom = getattr(widget, "draft_changed", None)
    if custom is not None:
        return custom
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.valueChanged
    raise TypeError(f"DraftKeeper cannot watch a {type(widget).__name__}")


class DraftKeeper(QObject):
    """Keeps the draft of one open form (see the module docstring for the hook)."""

    def __init__(self, form_widget: QWidget, ctx: UiContext, form: str, record_uuid: str | None,
                 fields: dict[str, QWidget], delay_ms: int = DRAFT_DELAY_MS,
                 about: dict[str, str] | None = None) -> None:
        super().__init__(form_widget)
        self.form_widget = form_widget
        self.ctx = ctx
        self.form = form
        self.record_uuid = record_uuid
        self.fields = dict(fields)
        self.about: dict[str, str] = dict(about or {})
        self.saves = 0
        self.changed = False  # something was typed (or a draft applied) since the form opened
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.save_now)
        for widget in self.fields.values():
            _changed_signal(widget).connect(self._changed)

    def _changed(self, *_args: Any) -> None:
        if not self._stopped:
            self.changed = True
            self.timer.start()

    def watch(self, fields: dict[str, QWidget]) -> None:
        """Keep more fields (built once the form's choices arrived, e.g. category boxes)."""
        for name, widget in fields.items():
            self.fields[name] = widget
            _changed_signal(widget).connect(self._changed)

    def values(self) -> dict[str, Any]:
        """The fields' values now (and ``"_about"``, if given)."""
        found = {name: field_value(widget) for name, widget in self.fields.items()}
        if self.about:
            found[ABOUT] = dict(self.about)
        return found

    def apply(self, data: dict[str, Any]) -> None:
        """Fill the fields from a draft (unknown names are ignored)."""
        for name, value in data.items():
            widget = self.fields.get(name)
            if widget is not None:
                set_field_value(widget, value)

    def save_now(self) -> None:
        """Write the draft now (writer worker); a failure is logged, typing goes on."""
        if self._stopped:
            return
        self.timer.stop()
        self.saves += 1
        self.ctx.writer.run(save_draft, self.ctx.db, self.ctx.actor, self.form, self.record_uuid, self.values(),
                            on_error=lambda error: log.warning("draft not saved: %r", error))

    def discard(self) -> None:
        """The form was saved or thrown away: stop keeping it and delete the draft."""
        self._stopped = True
        self.timer.stop()
        self.ctx.writer.run(discard_draft, self.ctx.db, self.ctx.actor, self.form, self.record_uuid,
                            on_error=lambda error: log.warning("draft not discarded: %r", error))

    def offer_existing(self) -> None:
        """If a draft of this form and record exists, ask whether to carry on with it.

        A draft chosen at start (:func:`resume_next`) is applied without asking.
        """
        chosen = _RESUMING.pop((self.form, self.record_uuid), None)
        if chosen is not None:
            self.apply(chosen.data)
            return
        self.ctx.reader.run(load_draft, self.ctx.db, self.ctx.actor, self.form, self.record_uuid,
                            on_done=self._found, parent=self.form_widget)

    def _found(self, draft: Draft | None) -> None:
        if draft is None:
            return
        if messages.confirm(self.form_widget, self.tr("Unsaved draft"),
                            self.tr("This form has an unsaved draft from {time}. Carry on with it?").format(
                                time=_when(draft.updated_at)),
                            self.tr("Carry on with the draft"), self.tr("Start afresh")):
            self.apply(draft.data)
        # "start afresh" (also Enter, the safe default) deletes nothing: the new typing replaces
        # the draft, and saving or cancelling the form removes it


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _short_when(iso: str) -> str:
    """11月25日 14:32 (the year too if it is not this year's)."""
    try:
        moment = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return iso
    text = QCoreApplication.translate("DraftKeeper", "{month}/{day} {time}").format(
        month=moment.month, day=moment.day, time=moment.strftime("%H:%M"))
    if moment.year != datetime.now().year:
        text = QCoreApplication.translate("DraftKeeper", "{year}/{rest}").format(year=moment.year, rest=text)
    return text


def describe(draft: Draft, title: str) -> str:
    """王桂花的需求评估: the form's title and, if known, whose it is."""
    about = draft.data.get(ABOUT)
    name = about.get("name", "") if isinstance(about, dict) else ""
    if name:
        return QCoreApplication.translate("DraftKeeper", "{name}'s {form}").format(name=name, form=title)
    return title


def offer_drafts(window: QWidget, ctx: UiContext) -> None:
    """At start: offer back the user's drafts of forms that registered an opener."""
    if not DRAFT_FORMS:
        return
    ctx.reader.run(list_drafts, ctx.db, ctx.actor, on_done=lambda found: _offer(window, ctx, found),
                   on_error=lambda error: log.warning("drafts not read: %r", error), parent=window)


def _offer(window: QWidget, ctx: UiContext, drafts: list[Draft]) -> None:
    for draft in drafts:
        kind = DRAFT_FORMS.get(draft.form)
        if kind is None:
            continue
        if messages.confirm(window, QCoreApplication.translate("DraftKeeper", "Unsaved draft"),
                            QCoreApplication.translate(
                                "DraftKeeper", "You have an unsaved draft: {form} ({time}). Carry on filling it "
                                "in?").format(form=describe(draft, kind.title()), time=_short_when(draft.updated_at)),
                            QCoreApplication.translate("DraftKeeper", "Open the draft"),
                            QCoreApplication.translate("DraftKeeper", "Not now")):
            try:
                kind.opener(window, ctx, draft)
            except Exception:  # a form that cannot be opened must not stop the others being offered
                log.exception("draft %s could not be opened", draft.form)
        # "not now" (the default button, so Enter never loses typing) keeps the draft: it is offered
        # again at the next start and when its form is opened; Cancel in that form throws it away
