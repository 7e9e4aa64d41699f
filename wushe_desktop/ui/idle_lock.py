"""Idle lock: after some minutes without input the window is covered until the password
is typed again (PIPL Art. 51 access control on a shared office PC).

:class:`IdleLock` watches the application's input events (an event filter on the
``QApplication``) and restarts a timer on each; when the timer runs out
(:meth:`IdleLock.lock`, also callable directly) the main window is covered by
:class:`LockOverlay` and every other open window by a plain cover, and input to anything
but the overlay is swallowed (menus and shortcuts included). Unlocking checks the
logged-in account's password on the writer worker, with the same lock-out as a login.
Nothing is lost while locked: open forms stay as they are under the cover.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.errors import WusheError
from wushe_desktop.services.accounts import authenticate
from wushe_desktop.ui import messages
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.labels import role_labels

#: Input that counts as activity (and that is swallowed while locked).
INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.KeyPress, QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.ContextMenu, QEvent.Type.InputMethod,
})

_COVER_STYLE = "background: #e9eef5;"
#: The lock card's width, its narrowest width (small windows), and its side margins.
_CARD_WIDTH, _CARD_MIN_WIDTH, _CARD_MARGIN = 460, 300, 28


class _Cover(QFrame):
    """A plain cover over another open window while locked."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setStyleSheet(_COVER_STYLE)
        label = QLabel(self.tr("Locked"), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(self).addWidget(label)
        self.setGeometry(parent.rect())


class LockOverlay(QFrame):
    """What covers the main window while it is locked: who, the password, 解锁.

    A frameless, application-modal window of its own over the main window, so it takes
    the input even when a dialog was open when the lock came (that dialog is covered).
    """

    def __init__(self, parent: QWidget, name: str, role: str) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("QFrame#lockOverlay { background: #e9eef5; } QFrame#lockCard { background: white; "
                           "border: 1px solid #c5cfdc; border-radius: 8px; }")
        self.card = card = QFrame(self)
        card.setObjectName("lockCard")
        title = QLabel(self.tr("The window is locked"), card)
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.who = who = QLabel(self.tr("Locked because nobody used it for a while. {name} ({role}): type your password to "
                             "go on.").format(name=name, role=role), card)
        who.setWordWrap(True)
        who.setStyleSheet("font-size: 11pt; color: #333;")
        self.password = QLineEdit(card)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setMinimumHeight(30)
        self.error = QLabel(card)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; font-size: 10pt;")
        self.error.hide()
        self.unlock_button = QPushButton(self.tr("Unlock"), card)
        self.unlock_button.setDefault(True)
        self.quit_button = QPushButton(self.tr("Quit the program"), card)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(_CARD_MARGIN, 20, _CARD_MARGIN, 20)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(who)
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.password.returnPressed.connect(self.unlock_button.click)
        self._fit(_CARD_WIDTH)

    def _fit(self, width: int) -> None:
        """Give the card ``width`` and the wrapped sentences the height they need at it.

        A word-wrapped label inside a centred card gets the height of its one-line size hint
        from the layout, which squashes a two-line sentence; so the heights are set here.
        """
        card_width = max(_CARD_MIN_WIDTH, min(_CARD_WIDTH, width))
        self.card.setFixedWidth(card_width)
        text_width = card_width - 2 * _CARD_MARGIN - 4  # the card's border
        for label in (self.who, self.error):
            label.ensurePolished()
            label.setFixedHeight(max(label.heightForWidth(text_width), label.fontMetrics().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrow windows get a narrower card (never wider than the window allows)."""
        self._fit(self.width() - 40)
        super().resizeEvent(event)

    def say(self, text: str) -> None:
        """A sentence under the password ("" hides it)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self._fit(self.card.width())


class IdleLock(QObject):
    """Locks ``window`` after ``minutes`` without input (0: never; nobody logged in: never)."""

    def __init__(self, window: QWidget, ctx: UiContext, minutes: int) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.overlay: LockOverlay | None = None
        self._covers: list[_Cover] = []
        self._checking = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.destroyed.connect(self._detach)

    @property
    def enabled(self) -> bool:
        """Whether the window locks at all."""
        return self.minutes > 0 and bool(self.ctx.username)

    @property
    def locked(self) -> bool:
        """Whether the window is covered now."""
        return self.overlay is not None

    def set_minutes(self, minutes: int) -> None:
        """Change the idle time (the setting changed)."""
        self.minutes = max(0, int(minutes))
        if self.enabled and not self.locked:
            self.timer.start(self.minutes * 60_000)
        else:
            self.timer.stop()

    def _detach(self, *_args: Any) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    # -- watching input ----------------------------------------------------------------

    def _inside_overlay(self, target: QObject) -> bool:
        overlay = self.overlay
        node: QObject | None = target
        while node is not None:
            if node is overlay:
                return True
            node = node.parent()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in INPUT_EVENTS:
            if (kind in (QEvent.Type.Resize, QEvent.Type.Move) and watched is self.window
                    and self.overlay is not None):
                self.overlay.setGeometry(self.window.frameGeometry())
            return False
        if self.locked:
            return not self._inside_overlay(watched)
        if self.enabled:
            self.timer.start(self.minutes * 60_000)
        return False

    # -- locking -----------------------------------------------------------------------

    def lock(self) -> None:
        """Cover the window (the timer ran out)."""
        if self.locked or not self.enabled:
            return
        self.timer.stop()
        role = role_labels().get(self.ctx.actor.role, "")
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not isinstance(widget, _Cover | LockOverlay):
                cover = _Cover(widget)
                cover.show()
                cover.raise_()
                self._covers.append(cover)
        overlay = LockOverlay(self.window, self.ctx.actor.name, role)
        overlay.setGeometry(self.window.frameGeometry())
        overlay.unlock_button.clicked.connect(self.unlock)
        overlay.quit_button.clicked.connect(self._quit)
        self.overlay = overlay
        overlay.show()  # a new window shows above the others; raise() is not needed
        overlay.activateWindow()
        overlay.password.setFocus()

    def _quit(self) -> None:
        """Close the program from the lock screen (the close-time backup still runs); the
        lock stays if the window refuses to close."""
        self.window.close()

    def unlock(self) -> None:
        """Check the password typed on the overlay (writer worker)."""
        overlay = self.overlay
        if overlay is None or self._checking:
            return
        if not overlay.password.text():
            overlay.say(self.tr("Type your password."))
            return
        self._checking = True
        overlay.unlock_button.setEnabled(False)
        self.ctx.writer.run(authenticate, self.ctx.db, self.ctx.username, overlay.password.text(),
                            on_done=self._unlocked, on_error=self._refused, parent=self.window)

    def _unlocked(self, _result: Any) -> None:
        self._checking = False
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None
        for cover in self._covers:
            cover.hide()
            cover.deleteLater()
        self._covers.clear()
        if self.enabled:
            self.timer.start(self.minutes * 60_000)

    def _refused(self, error: BaseException) -> None:
        self._checking = False
        overlay = self.overlay
        if overlay is None:
            return
        overlay.unlock_button.setEnabled(True)
        overlay.password.clear()
        overlay.password.setFocus()
        if isinstance(error, WusheError):
            overlay.say(messages.message_for(error))
        else:
            messages.show_error(self.window, error)
