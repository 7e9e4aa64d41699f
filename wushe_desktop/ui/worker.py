"""Database work off the GUI thread (STYLE.md §2, §4).

A :class:`Worker` owns one ``QThread`` and runs the service calls given to
:meth:`Worker.run` one after another, in the order they were given. The result, or the
exception, comes back to the GUI thread by signal and is handed to the caller's
``on_done`` / ``on_error``; a failure nobody handles is shown with
:func:`wushe_desktop.ui.messages.show_error` (a Chinese sentence for a coded error, the
bug dialog for anything else).

The application runs two workers: one for writes (so saves happen in the order the user
made them) and one for lists, search and the dashboard, which read on their own
connection (SQLite WAL), so a long export never delays typing (DESIGN.md §3).

Long work reports progress through a plain ``progress(done, total)`` callback that the
core accepts; the progress dialog appears only if the job is still running after
:data:`PROGRESS_DELAY_MS`, so quick work never flashes one.
"""

from __future__ import annotations

import itertools
import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import Shiboken

from wushe_desktop.ui.messages import show_error

log = logging.getLogger("wushe_desktop.ui.worker")

# How long a job runs before its progress dialog appears (STYLE.md §4).
PROGRESS_DELAY_MS = 600

DoneHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class Cancelled(Exception):
    """Raised inside a job's progress callback once the user pressed Cancel."""


class Withdrawn(Cancelled):
    """Raised instead of running a job that was withdrawn while it waited its turn."""


class Job(QObject):
    """One call handed to a worker; emits :attr:`finished` after its handlers ran.

    Attributes:
        result: The function's return value, once done.
        error: The exception it raised, if it failed.
    """

    finished = Signal()

    def __init__(self, job_id: int, on_done: DoneHandler | None, on_error: ErrorHandler | None,
                 parent_widget: QWidget | None, progress_label: str | None, cancellable: bool) -> None:
        super().__init__()
        self.job_id = job_id
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.progress_dialog: QProgressDialog | None = None
        self._on_done = on_done
        self._on_error = on_error
        self._parent_widget = parent_widget
        self._label = progress_label
        self._cancellable = cancellable
        self._cancel = threading.Event()
        self._withdrawn = threading.Event()
        self._progress: tuple[int, int] | None = None

    # -- called on the worker thread ---------------------------------------------------

    def check_withdrawn(self) -> None:
        """Raise :class:`Withdrawn` if the job was withdrawn before its turn came."""
        if self._withdrawn.is_set():
            raise Withdrawn

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` if the user cancelled (safe on any thread)."""
        if self._cancel.is_set():
            raise Cancelled

    # -- GUI thread ----------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked for."""
        return self._cancel.is_set()

    def withdraw(self) -> None:
        """Nobody needs this job's answer any more (a newer search replaced it): if it has
        not started it never runs, and its handlers never run either way. A list withdraws
        the query it is still waiting for, so a slow one does not hold up the next."""
        self._withdrawn.set()

    @property
    def withdrawn(self) -> bool:
        """Whether the job was withdrawn."""
        return self._withdrawn.is_set()

    def _start_progress_timer(self) -> None:
        if self._label is not None:
            QTimer.singleShot(PROGRESS_DELAY_MS, self, self._show_progress)

    def _owner_gone(self) -> bool:
        """Whether the window this job belongs to was closed and deleted meanwhile."""
        return self._parent_widget is not None and not Shiboken.isValid(self._parent_widget)

    def _show_progress(self) -> None:
        if self.done or self.progress_dialog is not None or self._label is None or self._owner_gone():
            return
        dialog = QProgressDialog(self._label, "", 0, 0, self._parent_widget)
        dialog.setWindowModality(Qt.WindowModality.WindowModal if self._parent_widget is not None
                                 else Qt.WindowModality.ApplicationModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        self.progress_dialog = dialog
        if self._progress is not None:
            self._apply_progress(*self._progress)
        dialog.show()

    def _apply_progress(self, done: int, total: int) -> None:
        self._progress = (done, total)
        if self.progress_dialog is not None and total > 0:
            self.progress_dialog.setMaximum(total)
            self.progress_dialog.setValue(min(done, total))

    def _finish(self, result: Any, error: BaseException | None, traceback_text: str) -> None:
        self.done = True
        self.result, self.error = result, error
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        try:
            if self.withdrawn:
                log.debug("job %d withdrawn", self.job_id)
            elif self._owner_gone():
                # the window that asked is gone: nobody is left to show the answer to
                log.info("job %d finished after its window closed (%s)", self.job_id,
                         "ok" if error is None else repr(error))
            elif error is None:
                if self._on_done is not None:
                    self._on_done(result)
            elif isinstance(error, Cancelled):
                log.info("job %d cancelled", self.job_id)
            elif self._on_error is not None:
                self._on_error(error)
            else:
                show_error(self._parent_widget, error, traceback_text)
        finally:
            self.finished.emit()


class _Runner(QObject):
    """Lives on the worker thread and calls the functions."""

    done = Signal(int, object)
    failed = Signal(int, object, str)
    progressed = Signal(int, int, int)

    @Slot(int, object, object, object)
    def execute(self, job_id: int, fn: Any, args: Any, kwargs: Any) -> None:
        if fn is None:  # the shutdown marker: every job before it has run
            thread = QThread.currentThread()
            thread.quit()
            return
        try:
            result = fn(*args, **kwargs)
        except Exception as exc:  # every failure goes back to the GUI thread, never swallowed
            self.failed.emit(job_id, exc, traceback.format_exc())
        else:
            self.done.emit(job_id, result)


class Worker(QObject):
    """One background thread that runs service calls in order.

    Signals:
        busy_changed(bool): True when the first job starts waiting, False when the last
            one has finished (its handlers included).
    """

    busy_changed = Signal(bool)
    _submit = Signal(int, object, object, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        """Start the thread.

        Args:
            name: The thread's name, shown in logs (``"writer"``, ``"reader"``).
            parent: The owning QObject (shut the worker down before it is deleted).
        """
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner()
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.execute, Qt.ConnectionType.QueuedConnection)
        self._runner.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self._runner.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._runner.progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._running = True
        self._thread.start()

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running."""
        return bool(self._jobs)

    def run(self, fn: Callable[..., Any], *args: Any, on_done: DoneHandler | None = None,
            on_error: ErrorHandler | None = None, parent: QWidget | None = None,
            progress_label: str | None = None, with_progress: bool = False,
            cancellable: bool = False) -> Job:
        """Run ``fn(*args)`` on the worker thread.

        Args:
            fn: A service call (or a plain function composing service calls).
            *args: Its positional arguments.
            on_done: Called on the GUI thread with the result.
            on_error: Called on the GUI thread with the exception; without it, the
                error dialog is shown.
            parent: The window that dialogs (progress, errors) belong to.
            progress_label: If given, a progress dialog with this text appears once the
                job has run for :data:`PROGRESS_DELAY_MS`.
            with_progress: Pass ``progress=callback(done, total)`` to ``fn``.
            cancellable: Offer Cancel (only where stopping halfway is safe): the
                progress callback then raises :class:`Cancelled`.

        Returns:
            The job, whose ``finished`` signal fires after its handlers ran.

        Raises:
            RuntimeError: after :meth:`shutdown`.
        """
        if not self._running:
            raise RuntimeError("worker is shut down")
        job_id = next(self._ids)
        job = Job(job_id, on_done, on_error, parent, progress_label, cancellable)
        kwargs: dict[str, Any] = {}
        if with_progress:
            runner = self._runner

            def progress(done: int, total: int) -> None:
                job.check_cancelled()
                runner.progressed.emit(job_id, done, total)

            kwargs["progress"] = progress
        def call(*call_args: Any, **call_kwargs: Any) -> Any:
            job.check_withdrawn()
            return fn(*call_args, **call_kwargs)

        was_busy = self.busy
        self._jobs[job_id] = job
        job._start_progress_timer()
        self._submit.emit(job_id, call, args, kwargs)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def shutdown(self) -> None:
        """Let every queued job finish, then stop the thread (their handlers do not run)."""
        if not self._running:
            return
        self._running = False
        self._submit.emit(0, None, (), {})
        self._thread.wait()
        self._jobs.clear()

    @Slot(int, object)
    def _on_done(self, job_id: int, result: Any) -> None:
        self._complete(job_id, result, None, "")

    @Slot(int, object, str)
    def _on_failed(self, job_id: int, error: BaseException, traceback_text: str) -> None:
        self._complete(job_id, None, error, traceback_text)

    @Slot(int, int, int)
    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        job = self._jobs.get(job_id)
        if job is not None:
            job._apply_progress(done, total)

    def _complete(self, job_id: int, result: Any, error: BaseException | None, traceback_text: str) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        try:
            job._finish(result, error, traceback_text)
        finally:
            self._jobs.pop(job_id, None)
            if not self._jobs:
                self.busy_changed.emit(False)
