"""The volunteers screen on the demo database: 苏日娜's record and certificate (scenario 5),
registration with inline errors, corrections with history, teams, and refusals."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from uihelpers import valid_id, wait_idle, wrong_id

from wushe_desktop.domain.enums import HoursStatus, Role
from wushe_desktop.services.context import Actor
from wushe_desktop.services.volunteers import (
    HoursView,
    list_certificates,
    list_hours,
    list_team_members,
    list_volunteers,
)
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.main_window import VOLUNTEERS, MainWindow
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.volunteer_dialogs import (
    CertificateDialog,
    CorrectionDialog,
    HoursDialog,
    TeamDialog,
    VolunteerForm,
)
from wushe_desktop.ui.volunteers_page import (
    PENDING_TAB,
    PendingHoursView,
    TeamsView,
    VolunteersPage,
)

# 苏日娜's confirmed demo lines lie 30 to 250 days back (March to November in the scenario);
# her two pending lines are 3 and 4 days old.
PERIOD = (date.today() - timedelta(days=260), date.today() - timedelta(days=20))


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages))


def _surina(ctx: UiContext) -> Any:
    return next(v for v in list_volunteers(ctx.db, ctx.actor, "苏日娜") if v.name == "苏日娜")


@pytest.fixture
def page(window: MainWindow) -> VolunteersPage:
    found = window.show_page(VOLUNTEERS)
    assert isinstance(found, VolunteersPage)
    return found


def _show_surina(qtbot: QtBot, page: VolunteersPage) -> None:
    with qtbot.waitSignal(page.detail.loaded, timeout=10_000):
        page.show_record("苏日娜")
    assert page.detail.volunteer is not None and page.detail.volunteer.name == "苏日娜"


def _print(qtbot: QtBot, dialog: CertificateDialog) -> bytes:
    with qtbot.waitSignal(dialog.printed, timeout=20_000) as shown:
        dialog.print_button.click()
    preview = shown.args[0]
    assert isinstance(preview, PdfPreviewDialog)
    pdf = preview.pdf
    preview.close()
    return pdf


def test_surina_record_by_period_and_certificate_then_copy(qtbot: QtBot, page: VolunteersPage,
                                                           ctx: UiContext) -> None:
    _show_surina(qtbot, page)
    detail = page.detail
    assert detail.particulars["id"].text().count("*") == 8  # the ID number masked
    assert "0 星志愿者" in detail.stars.text() and "累计确认 46.5 小时" in detail.stars.text()
    with qtbot.waitSignal(detail.loaded, timeout=10_000):
        detail.set_period(*PERIOD)
    summary = detail.summary
    assert summary is not None and summary.confirmed_tenths == 465
    assert "本期间：已确认 46.5 小时（11 条）" in detail.totals.text()
    statuses = {detail.lines.item(r, 2).text() for r in range(detail.lines.rowCount())}
    assert statuses == {"已确认"} and detail.lines.rowCount() == 11  # the pending lines fall outside

    dialog = CertificateDialog(ctx, summary.volunteer, *detail.period(), parent=page)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planned, timeout=10_000):
        dialog.show()
    assert "46.5" in dialog.total_label.text() and dialog.lines.rowCount() == 11
    assert "副本" not in dialog.register_label.text()
    with qtbot.waitSignal(dialog.planned, timeout=20_000):
        first = _text(_print(qtbot, dialog))
    for words in ("志愿服务记录证明", "苏日娜", "46.5小时", "毕克齐镇社工站"):
        assert words in first, words
    assert "副本" not in first
    certificates = list_certificates(ctx.db, ctx.actor, summary.volunteer.uuid)
    assert len(certificates) == 1 and certificates[0].cert_no in first

    # before the second print the dialog says it will be a copy
    assert "副本" in dialog.register_label.text() and certificates[0].cert_no in dialog.register_label.text()
    assert dialog.plan is not None and dialog.plan.copy and "副本" in dialog.print_button.text()
    second = _text(_print(qtbot, dialog))
    assert "副本" in second and "46.5小时" in second
    assert [c.cert_no for c in list_certificates(ctx.db, ctx.actor, summary.volunteer.uuid)] == [
        certificates[0].cert_no]  # the same register entry, printed twice
    dialog.close()


def test_registration_shows_a_bad_check_digit_next_to_the_field(qtbot: QtBot, ctx: UiContext) -> None:
    before = len(list_volunteers(ctx.db, ctx.actor))
    form = VolunteerForm(ctx)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.ready, timeout=10_000):
        form.show()
    form.name.setText("格日勒")
    form.id_number.setText(wrong_id("15012120030512062"))
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.save_button.click()
    expected = valid_id("15012120030512062")[-1]
    assert form.errors() == {
        "id_number": f"身份证号码最后一位（校验位）不正确，按前 17 位应为 {expected}。请对照证件核对号码。"}
    assert form.rows["id_number"].error.isVisible() and form.isVisible()
    assert len(list_volunteers(ctx.db, ctx.actor)) == before  # nothing written

    changed: list[str] = []
    ctx.events.changed.connect(changed.append)
    form.id_number.setText(valid_id("15012120030512062"))
    form.phone.setText("13847112233")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    saved = form.saved
    assert saved is not None and saved.volunteer.name == "格日勒" and saved.volunteer.birth_date == date(2003, 5, 12)
    assert "volunteers" in changed and len(list_volunteers(ctx.db, ctx.actor)) == before + 1

    again = VolunteerForm(ctx)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.ready, timeout=10_000):
        again.show()
    again.name.setText("格日勒")
    again.id_number.setText(valid_id("15012120030512062"))
    again.id_number.editingFinished.emit()
    qtbot.waitUntil(again.id_warning.isVisible, timeout=10_000)
    assert "格日勒" in again.id_warning.text() and saved.volunteer.volunteer_no in again.id_warning.text()
    with qtbot.waitSignal(again.save_failed, timeout=10_000):
        again.save_button.click()
    assert "已" in again.errors()["id_number"]  # the service's refusal, under the field
    again._dirty = False
    again.close()


def test_edit_keeps_the_id_number_it_does_not_show(qtbot: QtBot, page: VolunteersPage, ctx: UiContext) -> None:
    _show_surina(qtbot, page)
    volunteer = page.detail.volunteer
    assert volunteer is not None
    form = VolunteerForm(ctx, volunteer.uuid)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.ready, timeout=10_000):
        form.show()
    assert form.id_number.text() == "" and volunteer.id_number_masked in form.id_number.placeholderText()
    form.availability.setText("周末")
    with qtbot.waitSignal(form.finished, timeout=10_000):
        form.save_button.click()
    assert form.saved is not None
    edited = form.saved.volunteer
    assert (edited.id_number_masked, edited.phone_masked, edited.availability) == (
        volunteer.id_number_masked, volunteer.phone_masked, "周末")


def test_ctrl_n_opens_the_registration_form(page: VolunteersPage, window: MainWindow,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    monkeypatch.setattr(VolunteerForm, "ask", classmethod(lambda cls, parent, ctx, vid=None: asked.append(vid)))
    window.new_action.trigger()
    assert asked == [None]


def test_enter_hours_then_correct_a_confirmed_line_keeping_history(qtbot: QtBot, page: VolunteersPage,
                                                                   ctx: UiContext) -> None:
    _show_surina(qtbot, page)
    volunteer = page.detail.volunteer
    assert volunteer is not None
    hours = HoursDialog(ctx, volunteer, page)
    qtbot.addWidget(hours)
    hours.show()
    hours.service_date.setDate(hours.service_date.date().addDays(-40))
    hours.hours.setText("abc")
    with qtbot.waitSignal(hours.save_failed, timeout=10_000):
        hours.save_button.click()
    assert list(hours.errors()) == ["hours"]
    hours.hours.setText("2.5")
    hours.content.setPlainText("蒙汉双语政策宣传")
    with qtbot.waitSignal(hours.finished, timeout=10_000):
        hours.save_button.click()
    entered = hours.saved
    assert isinstance(entered, HoursView) and entered.status == HoursStatus.PENDING
    assert entered.credited_tenths == 25 and entered.recorded_by == ctx.actor.name

    confirmed = next(line for line in list_hours(ctx.db, ctx.actor, volunteer_id=volunteer.uuid)
                     if line.status == HoursStatus.CONFIRMED)
    dialog = CorrectionDialog(ctx, confirmed, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.hours.setText("6.5")
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000):
        dialog.save_button.click()
    assert list(dialog.errors()) == ["reason"]
    dialog.reason.setText("补记撰写活动总结时间")
    with qtbot.waitSignal(page.detail.loaded, timeout=10_000), qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save_button.click()
    after = next(line for line in list_hours(ctx.db, ctx.actor, volunteer_id=volunteer.uuid)
                 if line.uuid == confirmed.uuid)
    assert (after.status, after.credited_tenths) == (HoursStatus.CORRECTED, 65)
    assert [(c.old_tenths, c.new_tenths, c.reason, c.by) for c in after.corrections] == [
        (confirmed.credited_tenths, 65, "补记撰写活动总结时间", ctx.actor.name)]
    wait_idle(qtbot, ctx)
    lines = page.detail.lines
    row = next(r for r in range(lines.rowCount()) if lines.item(r, 2).text().startswith("已更正"))
    assert lines.item(r := row, 1).text() == "6.5" and lines.item(r, 0).text() == confirmed.service_date.isoformat()
    lines.selectRow(row)
    assert "补记撰写活动总结时间" in page.detail.history.text()


def test_a_social_worker_may_not_confirm_hours(qtbot: QtBot, demo_db: Any, ctx: UiContext) -> None:
    worker_ctx = make_context(demo_db, Opening(ctx.station, Actor("李娜", Role.SOCIAL_WORKER)))
    try:
        view = PendingHoursView(worker_ctx)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.loaded, timeout=10_000):
            view.show()
        before = {line.uuid for line in view.lines}
        assert before
        view.tick_all(True)
        view.confirm_button.click()
        qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
        assert "角色" in box.text() and "站长" in box.text()  # "your role does not allow this; ask the head"
        box.close()
        still = {line.uuid for line in list_hours(ctx.db, ctx.actor, status=HoursStatus.PENDING)}
        assert before <= still  # nothing confirmed
        wait_idle(qtbot, worker_ctx)
    finally:
        worker_ctx.shutdown()


def test_create_a_team_add_and_remove_a_member(qtbot: QtBot, page: VolunteersPage, ctx: UiContext) -> None:
    teams = page.teams
    assert isinstance(teams, TeamsView)
    with qtbot.waitSignal(teams.loaded, timeout=10_000):
        page.tabs.setCurrentIndex(2)
    dialog = TeamDialog(ctx, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText(teams.teams[0].name)  # the demo's team: a duplicate
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000):
        dialog.save_button.click()
    assert list(dialog.errors()) == ["name"]
    dialog.name.setText("敬老助残服务队")
    dialog.leader_name.setText("巴特尔")
    with qtbot.waitSignal(teams.loaded, timeout=10_000), qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save_button.click()
    wait_idle(qtbot, ctx)
    row = next(r for r, t in enumerate(teams.teams) if t.name == "敬老助残服务队")
    with qtbot.waitSignal(teams.members_loaded, timeout=10_000):
        teams.team_table.selectRow(row)
    team = teams.current_team()
    assert team is not None and team.name == "敬老助残服务队" and teams.member_table.rowCount() == 0

    surina = _surina(ctx)
    with qtbot.waitSignal(teams.members_loaded, timeout=10_000):
        teams.add(team, surina)
    assert [m.name for m in teams.members] == ["苏日娜"]
    assert [m.name for m in list_team_members(ctx.db, ctx.actor, team.uuid)] == ["苏日娜"]
    teams.member_table.selectRow(0)
    with qtbot.waitSignal(teams.members_loaded, timeout=10_000):
        teams.remove_button.click()
    assert teams.members == [] and list_team_members(ctx.db, ctx.actor, team.uuid) == []


def test_dashboard_line_opens_the_pending_hours_with_the_volunteer_ticked(
        qtbot: QtBot, window: MainWindow, ctx: UiContext) -> None:
    window.open_volunteer("苏日娜")
    page = window.current_page()
    assert isinstance(page, VolunteersPage) and page.tabs.currentIndex() == PENDING_TAB
    qtbot.waitUntil(lambda: bool(page.pending.ticked()), timeout=10_000)
    assert {line.volunteer_name for line in page.pending.ticked()} == {"苏日娜"}
    assert len(page.pending.lines) == len(list_hours(ctx.db, ctx.actor, status=HoursStatus.PENDING))
