"""The worker: calls run off the GUI thread, results and failures come back by signal."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from wushe_desktop.errors import ValidationError
from wushe_desktop.ui import worker as worker_module
from wushe_desktop.ui.worker import Cancelled, Worker


@pytest.fixture
def worker() -> Iterator[Worker]:
    w = Worker("test")
    yield w
    w.shutdown()


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _close_boxes() -> None:
    for box in _boxes():
        box.close()


def test_result_comes_back_on_the_gui_thread(qtbot: QtBot, worker: Worker) -> None:
    threads: list[Any] = []
    results: list[int] = []

    def work(a: int, b: int) -> int:
        threads.append(QThread.currentThread())
        return a + b

    job = worker.run(work, 2, 3, on_done=lambda r: (results.append(r), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert results == [5]
    assert threads[0] is not threads[1]
    assert threads[1] is QApplication.instance().thread()  # type: ignore[union-attr]
    assert not worker.busy


def test_jobs_run_in_order(qtbot: QtBot, worker: Worker) -> None:
    seen: list[int] = []
    for i in range(20):
        worker.run(seen.append, i)
    qtbot.waitUntil(lambda: not worker.busy, timeout=5000)
    assert seen == list(range(20))


def test_errors_go_to_the_error_handler(qtbot: QtBot, worker: Worker) -> None:
    errors: list[BaseException] = []

    def fail() -> None:
        raise ValidationError("phone.length", field="phone", digits=10)

    job = worker.run(fail, on_done=lambda _r: pytest.fail("not done"), on_error=errors.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert isinstance(errors[0], ValidationError) and errors[0].code == "phone.length"


def test_an_unhandled_coded_error_shows_its_chinese_sentence(qtbot: QtBot, worker: Worker) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fail() -> None:
        raise ValidationError("phone.length", field="phone", digits=10)

    job = worker.run(fail, parent=parent)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    texts = [box.text() for box in _boxes()]
    _close_boxes()
    assert texts == ["电话号码有 10 位，手机号码应为 11 位，请核对。"]


def test_a_bug_says_it_is_a_bug_and_where_the_log_is(qtbot: QtBot, worker: Worker, tmp_path: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from wushe_desktop.ui import messages

    monkeypatch.setattr(messages, "log_file", lambda: tmp_path / "wushe-desktop.log")

    def fail() -> None:
        raise KeyError("oops")

    job = worker.run(fail)
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    boxes = _boxes()
    text, details = boxes[0].text(), boxes[0].detailedText()
    _close_boxes()
    assert "程序的缺陷" in text and str(tmp_path / "wushe-desktop.log") in text
    assert "KeyError" in details and "fail" in details


def test_quick_work_shows_no_progress_dialog(qtbot: QtBot, worker: Worker) -> None:
    job = worker.run(lambda: 1, progress_label="…")
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.progress_dialog is None
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.inherits("QProgressDialog")]


def test_slow_work_shows_progress_after_the_delay(qtbot: QtBot, worker: Worker,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker_module, "PROGRESS_DELAY_MS", 100)
    release = threading.Event()
    seen: list[tuple[int, int]] = []

    def slow(progress: Callable[[int, int], None]) -> str:
        progress(1, 4)
        assert release.wait(10)
        progress(3, 4)
        return "done"

    job = worker.run(slow, progress_label="正在处理…", with_progress=True, on_done=lambda r: seen.append((0, 0)))
    assert job.progress_dialog is None
    qtbot.waitUntil(lambda: job.progress_dialog is not None and job.progress_dialog.isVisible(), timeout=5000)
    dialog = job.progress_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.maximum() == 4 and dialog.value() == 1, timeout=5000)
    release.set()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert job.result == "done" and seen == [(0, 0)]
    assert job.progress_dialog is None


def test_cancel_stops_at_the_next_progress_report(qtbot: QtBot, worker: Worker) -> None:
    started = threading.Event()
    go_on = threading.Event()
    reached: list[int] = []

    def long_work(progress: Callable[[int, int], None]) -> None:
        progress(0, 10)
        started.set()
        assert go_on.wait(10)
        for i in range(1, 10):
            progress(i, 10)
            reached.append(i)

    job = worker.run(long_work, with_progress=True, cancellable=True,
                     on_done=lambda _r: pytest.fail("cancelled work is not done"))
    assert started.wait(5)
    job.cancel()
    go_on.set()
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert reached == [] and isinstance(job.error, Cancelled)


def test_shutdown_lets_queued_work_finish() -> None:
    w = Worker("shutdown")
    gate = threading.Event()
    done: list[int] = []

    def first() -> None:
        assert gate.wait(10)
        done.append(1)

    w.run(first)
    w.run(done.append, 2)
    gate.set()
    w.shutdown()
    assert done == [1, 2]
    with pytest.raises(RuntimeError):
        w.run(done.append, 3)


def test_a_withdrawn_job_never_runs_and_the_next_one_does_not_wait_for_it(qtbot: QtBot, worker: Worker) -> None:
    gate = threading.Event()
    ran: list[str] = []
    answers: list[str] = []
    worker.run(gate.wait, 10)  # a slow query already running
    stale = worker.run(lambda: ran.append("stale") or "stale", on_done=answers.append)
    stale.withdraw()  # the user typed on: nobody wants that answer
    fresh = worker.run(lambda: ran.append("fresh") or "fresh", on_done=answers.append)
    gate.set()
    with qtbot.waitSignal(fresh.finished, timeout=5_000):
        pass
    assert ran == ["fresh"] and answers == ["fresh"]
    assert stale.done and stale.withdrawn and stale.result is None
