"""Drafts in the real forms (scenario 7, issue 6 item 4): typing is kept, a crash leaves a
draft that is offered back at the next start, reopening the right screen and form filled in;
saving (or throwing the form away) removes it.

"A crash" here is a second UiContext and MainWindow on the same database file while the first
form is still open and never cleaned up; the last test kills a real child process instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from uihelpers import ini_settings, wait_idle

from wushe_desktop.domain.enums import CaseStage
from wushe_desktop.services.cases import list_service_records
from wushe_desktop.services.checks import run_checks
from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.database import open_db
from wushe_desktop.services.drafts import list_drafts, load_draft
from wushe_desktop.services.people import search_people
from wushe_desktop.storage.models import Assessment
from wushe_desktop.ui.activity_dialogs import ActivityForm
from wushe_desktop.ui.case_dialogs import AssessmentDialog, ServiceRecordDialog
from wushe_desktop.ui.cases_page import CasesPage
from wushe_desktop.ui.context import UiContext, load_opening, make_context
from wushe_desktop.ui.drafts import offer_drafts
from wushe_desktop.ui.list_sources import CasesSource
from wushe_desktop.ui.main_window import CASES, MainWindow
from wushe_desktop.ui.person_form import PersonForm
from wushe_desktop.ui.volunteer_dialogs import VolunteerForm

WAIT = 15_000
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def second_ctx(demo_db: Any) -> Iterator[UiContext]:
    """The context of the application started again after the crash (same database file)."""
    context = make_context(demo_db, load_opening(demo_db, "站长"))
    yield context
    context.shutdown()


def main_window(qtbot: QtBot, ctx: UiContext, tmp_path: Path, name: str) -> MainWindow:
    window = MainWindow(ctx, ini_settings(tmp_path, name))
    qtbot.addWidget(window)
    window.resize(1366, 700)
    window.show()
    return window


def wang_guihua_case(qtbot: QtBot, window: MainWindow, ctx: UiContext) -> tuple[CasesPage, UUID]:
    """The cases screen and 王桂花's case (in intervention in the demo)."""
    page = window.show_page(CASES)
    assert isinstance(page, CasesPage)
    with qtbot.waitSignal(page.list_page.loaded, timeout=WAIT):
        page.list_page.search.setText("wgh")
    row = next(r for r in page.list_page.model.rows if r.name == "王桂花")
    assert row.stage == CaseStage.INTERVENTION
    with qtbot.waitSignal(page.workspace.loaded, timeout=WAIT):
        page.open_case(row.uuid)
    return page, row.uuid


def reopened(qtbot: QtBot, window: MainWindow, ctx: UiContext, kind: type[Any]) -> Any:
    """Start again: the drafts are offered (and accepted); the form they reopen."""
    offer_drafts(window, ctx)
    page = window.page(CASES)
    assert isinstance(page, CasesPage)
    qtbot.waitUntil(lambda: isinstance(page.workspace.dialog, kind), timeout=WAIT)
    wait_idle(qtbot, ctx)
    return page.workspace.dialog


def assessments(db: Any, case_id: UUID) -> list[str]:
    with db.read_sessions() as s:
        return list(s.scalars(select(Assessment.summary).where(Assessment.case_id == case_id)).all())


def test_assessment_draft_survives_a_crash_and_is_saved(qtbot: QtBot, ctx: UiContext, second_ctx: UiContext,
                                                        tmp_path: Path, questions: list[str]) -> None:
    first = main_window(qtbot, ctx, tmp_path, "first")
    page, case_id = wang_guihua_case(qtbot, first, ctx)
    page.workspace.assess()
    dialog = page.workspace.dialog
    assert isinstance(dialog, AssessmentDialog)
    summary = "老人独居，右腿骨折后行动不便，儿子在呼和浩特打工，每月回来一次。需要送餐和定期探访。"
    dialog.summary.setPlainText(summary)
    dialog.domains["family"].setPlainText("儿子每月回来一次，女儿远嫁包头。")
    dialog.needs.set_rows([["送餐服务", "1"], ["定期探访", "2"]])
    dialog.risk.setCurrentIndex(dialog.risk.count() - 1)
    risk_text = dialog.risk.currentText()
    assert dialog.drafts is not None
    dialog.drafts.save_now()  # what the timer does a few seconds after the last keystroke
    wait_idle(qtbot, ctx)
    kept = load_draft(ctx.db, ctx.actor, "case_assessment", str(case_id))
    assert kept is not None and kept.data["summary"] == summary
    assert kept.data["_about"] == {"case": str(case_id), "name": "王桂花"}
    before = assessments(ctx.db, case_id)

    # the power goes: nothing of the first window is cleaned up; the application starts again
    dialog.drafts.timer.stop()
    second = main_window(qtbot, second_ctx, tmp_path, "second")
    restored = reopened(qtbot, second, second_ctx, AssessmentDialog)
    question = questions[-1]
    assert question.startswith("您有未保存的草稿：王桂花的需求评估（") and question.endswith("）。要继续填写吗？")
    assert len(questions) == 1  # no second question from the form itself
    assert restored is not dialog and restored.case_id == case_id
    assert restored.summary.toPlainText() == summary
    assert restored.domains["family"].toPlainText() == "儿子每月回来一次，女儿远嫁包头。"
    assert restored.needs.values() == [["送餐服务", "1"], ["定期探访", "2"]]
    assert restored.risk.currentText() == risk_text

    with qtbot.waitSignal(restored.saved, timeout=WAIT):
        restored.save()
    wait_idle(qtbot, second_ctx)
    assert assessments(ctx.db, case_id) == [*before, summary]
    assert load_draft(ctx.db, ctx.actor, "case_assessment", str(case_id)) is None


def test_service_record_draft_round_trip(qtbot: QtBot, ctx: UiContext, second_ctx: UiContext,
                                         tmp_path: Path) -> None:
    first = main_window(qtbot, ctx, tmp_path, "first")
    page, case_id = wang_guihua_case(qtbot, first, ctx)
    page.workspace.add_record()
    qtbot.waitUntil(lambda: isinstance(page.workspace.dialog, ServiceRecordDialog), timeout=WAIT)
    dialog = page.workspace.dialog
    assert isinstance(dialog, ServiceRecordDialog) and dialog.drafts is not None
    note = "上门探望，帮老人到镇卫生院复查，医生说恢复良好。"
    dialog.content.setPlainText(note)
    dialog.location.setText("毕克齐镇卫生院")
    dialog.add_resource("service", "陪同就医", "镇卫生院", "0")
    dialog.drafts.save_now()
    wait_idle(qtbot, ctx)
    dialog.drafts.timer.stop()
    before = list_service_records(ctx.db, ctx.actor, case_id)

    second = main_window(qtbot, second_ctx, tmp_path, "second")
    restored = reopened(qtbot, second, second_ctx, ServiceRecordDialog)
    assert restored.content.toPlainText() == note and restored.location.text() == "毕克齐镇卫生院"
    assert restored.resources.values() == [["service", "陪同就医", "镇卫生院", "0"]]
    with qtbot.waitSignal(restored.saved, timeout=WAIT):
        restored.save()
    wait_idle(qtbot, second_ctx)
    after = list_service_records(ctx.db, ctx.actor, case_id)
    assert len(after) == len(before) + 1 and after[-1].content == note
    assert after[-1].location == "毕克齐镇卫生院"
    assert load_draft(ctx.db, ctx.actor, "service_record_new", str(case_id)) is None


def test_person_form_draft_round_trip(qtbot: QtBot, ctx: UiContext, second_ctx: UiContext, tmp_path: Path) -> None:
    form = PersonForm(ctx)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.drafts is not None, timeout=WAIT)
    assert form.drafts is not None
    form.name.setText("乌云其木格")
    form.birth_date.setText("1950-06-01")
    form.phone.setText("13947100000")
    form.address.setText("毕克齐镇腮忽洞村三组")
    form.notes.setPlainText("老伴去年去世，女儿在呼市。")
    code, box = next(iter(form.category_boxes.items()))
    box.setChecked(True)
    form.drafts.save_now()
    wait_idle(qtbot, ctx)
    form.drafts.timer.stop()
    kept = load_draft(ctx.db, ctx.actor, "person", None)
    assert kept is not None and kept.data["_about"] == {"name": "乌云其木格"}

    second = main_window(qtbot, second_ctx, tmp_path, "second")
    offer_drafts(second, second_ctx)

    def restored_form() -> PersonForm | None:
        found = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, PersonForm) and w is not form and w.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: restored_form() is not None and restored_form().name.text() == "乌云其木格",
                    timeout=WAIT)
    restored = restored_form()
    assert restored is not None
    assert restored.phone.text() == "13947100000" and restored.address.text() == "毕克齐镇腮忽洞村三组"
    assert restored.notes.toPlainText() == "老伴去年去世，女儿在呼市。"
    assert restored.category_boxes[code].isChecked()
    restored.save()
    qtbot.waitUntil(lambda: restored.saved is not None, timeout=WAIT)
    wait_idle(qtbot, second_ctx)
    assert any(p.name == "乌云其木格" for p in search_people(ctx.db, ctx.actor, "乌云其木格", 10))
    assert load_draft(ctx.db, ctx.actor, "person", None) is None


def other_form(kind: type[Any], first: Any) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w is not first and w.isVisible()]
    return found[0] if found else None


def test_volunteer_and_activity_drafts_come_back(qtbot: QtBot, ctx: UiContext, second_ctx: UiContext,
                                                 tmp_path: Path, questions: list[str]) -> None:
    volunteer = VolunteerForm(ctx)
    qtbot.addWidget(volunteer)
    volunteer.show()
    qtbot.waitUntil(lambda: volunteer.drafts is not None, timeout=WAIT)
    volunteer.name.setText("萨仁")
    volunteer.availability.setText("周末和寒暑假")
    activity = ActivityForm(ctx)
    qtbot.addWidget(activity)
    activity.show()
    qtbot.waitUntil(lambda: activity.drafts is not None, timeout=WAIT)
    activity.title.setText("重阳节敬老活动")
    activity.counts["volunteers"].setValue(12)
    summary = "为腮忽洞村60岁以上老人义诊、理发，发放慰问品，共服务老人46人次。"
    activity.summary.setPlainText(summary)
    assert volunteer.drafts is not None and activity.drafts is not None
    volunteer.drafts.save_now()
    activity.drafts.save_now()
    wait_idle(qtbot, ctx)
    volunteer.drafts.timer.stop()
    activity.drafts.timer.stop()

    second = main_window(qtbot, second_ctx, tmp_path, "second")
    offer_drafts(second, second_ctx)
    qtbot.waitUntil(lambda: other_form(VolunteerForm, volunteer) is not None
                    and other_form(VolunteerForm, volunteer).name.text() == "萨仁", timeout=WAIT)
    qtbot.waitUntil(lambda: other_form(ActivityForm, activity) is not None
                    and other_form(ActivityForm, activity).summary.toPlainText() == summary, timeout=WAIT)
    assert any(q.startswith("您有未保存的草稿：萨仁的志愿者登记表（") for q in questions)
    assert any(q.startswith("您有未保存的草稿：重阳节敬老活动的活动记录（") for q in questions)
    again = other_form(ActivityForm, activity)
    assert again.title.text() == "重阳节敬老活动" and again.counts["volunteers"].value() == 12
    assert other_form(VolunteerForm, volunteer).availability.text() == "周末和寒暑假"
    # thrown away by the user: asked first, then the drafts are gone
    other_form(VolunteerForm, volunteer).reject()
    again.reject()
    wait_idle(qtbot, second_ctx)
    assert load_draft(ctx.db, ctx.actor, "volunteer", None) is None
    assert load_draft(ctx.db, ctx.actor, "activity", None) is None


def test_a_saved_or_cancelled_form_leaves_no_draft(qtbot: QtBot, ctx: UiContext, tmp_path: Path,
                                                   questions: list[str]) -> None:
    window = main_window(qtbot, ctx, tmp_path, "only")
    page, case_id = wang_guihua_case(qtbot, window, ctx)
    page.workspace.evaluate()
    dialog = page.workspace.dialog
    assert dialog is not None and getattr(dialog, "drafts", None) is not None
    dialog.narrative.setPlainText("老人能自己做简单的饭了。")
    dialog.drafts.save_now()
    wait_idle(qtbot, ctx)
    assert load_draft(ctx.db, ctx.actor, "case_evaluation", str(case_id)) is not None
    # Cancel: asked first ("close and lose it?"), then the draft goes with the form
    dialog.reject()
    wait_idle(qtbot, ctx)
    assert "还没有保存" in questions[-1] or "未保存" in questions[-1]
    assert load_draft(ctx.db, ctx.actor, "case_evaluation", str(case_id)) is None

    # a saved assessment leaves nothing behind
    page.workspace.assess()
    assessment = page.workspace.dialog
    assert isinstance(assessment, AssessmentDialog) and assessment.drafts is not None
    assessment.summary.setPlainText("复评：情况稳定。")
    assessment.drafts.save_now()
    with qtbot.waitSignal(assessment.saved, timeout=WAIT):
        assessment.save()
    wait_idle(qtbot, ctx)
    assert [d for d in list_drafts(ctx.db, ctx.actor) if d.record_uuid == str(case_id)] == []


CHILD = textwrap.dedent('''
    """Open the app on a copy, type an assessment, wait for the draft, then wait to be killed."""
    import sys, time
    from PySide6.QtWidgets import QApplication
    from wushe_desktop.services.database import open_db
    from wushe_desktop.services.drafts import load_draft
    from wushe_desktop.ui.case_dialogs import AssessmentDialog
    from wushe_desktop.ui.context import load_opening, make_context
    from wushe_desktop.ui.i18n import install_translations
    from wushe_desktop.ui.main_window import CASES, MainWindow
    from PySide6.QtCore import QSettings

    app = QApplication([])
    install_translations(app)
    db = open_db(sys.argv[1])
    ctx = make_context(db, load_opening(db, "站长"))
    window = MainWindow(ctx, QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window.show()
    page = window.show_page(CASES)

    def pump(until, seconds=30.0):
        end = time.monotonic() + seconds
        while not until():
            if time.monotonic() > end:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.01)

    page.open_case(__import__("uuid").UUID(sys.argv[3]))
    pump(lambda: page.workspace.data is not None)
    page.workspace.assess()
    dialog = page.workspace.dialog
    assert isinstance(dialog, AssessmentDialog)
    dialog.summary.setPlainText(sys.argv[4])
    pump(lambda: load_draft(db, ctx.actor, "case_assessment", sys.argv[3]) is not None)  # the keeper's timer
    print("DRAFT SAVED", flush=True)
    pump(lambda: False, seconds=120)
''')


def test_power_cut_in_a_child_process(ctx: UiContext, demo_db: Any, tmp_path: Path) -> None:
    """A real process is SIGKILLed while the assessment is open; the draft and the database survive."""
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this system")
    copy = tmp_path / "station"
    shutil.copytree(Path(demo_db.path).parent, copy, ignore=shutil.ignore_patterns("*.lock", "backups"))
    target = copy / Path(demo_db.path).name
    case_id = next(r.uuid for r in CasesSource().load_all(ctx.db, ctx.actor) if r.name == "王桂花")
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    summary = "停电前没写完的评估：老人独居，需要送餐。"
    child = subprocess.Popen([sys.executable, str(script), str(target), str(tmp_path / "child.ini"),
                              str(case_id), summary], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             cwd=str(REPO), text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # the child says when its keeper has written the draft
    finally:
        child.send_signal(signal.SIGKILL)  # the power cut
        _out, err = child.communicate(timeout=30)
    assert line.strip() == "DRAFT SAVED", err
    assert child.returncode == -signal.SIGKILL

    db = open_db(target)
    try:
        kept = load_draft(db, ctx.actor, "case_assessment", str(case_id))
        assert kept is not None and kept.data["summary"] == summary
        assert all(f.ok for f in run_checks(db, CLI_ACTOR)), [f for f in run_checks(db, CLI_ACTOR) if not f.ok]
    finally:
        db.dispose()
    result = subprocess.run([sys.executable, "-m", "wushe_desktop.cli", "--db", str(target), "check"],
                            capture_output=True, text=True, cwd=str(REPO), env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
