"""批量打印 from the statistics screen: the count first, then the PDF with progress and cancel.

Counts and register entries are read back from the services on the same demo database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings, wait_idle

from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.print_batch import certificate_batch_count, month_record_count
from wushe_desktop.services.volunteers import list_certificates
from wushe_desktop.ui.batch_print_dialog import BatchPrintDialog
from wushe_desktop.ui.context import UiContext
from wushe_desktop.ui.statistics_page import StatisticsPage

TODAY = date.today()
YEAR_START = date(TODAY.year, 1, 1)


@pytest.fixture
def dialog(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> Iterator[BatchPrintDialog]:
    page = StatisticsPage(ctx, ini_settings(tmp_path), today=TODAY)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    wait_idle(qtbot, ctx)
    assert page.batch_button.isVisible()
    with qtbot.waitSignal(page.batch_button.clicked):
        page.batch_button.click()
    found = page.findChildren(BatchPrintDialog)
    assert len(found) == 1
    yield found[0]
    found[0].close()


def busiest_month(ctx: UiContext) -> date:
    """A month of this year with service records (read through the service)."""
    counts = {month: month_record_count(ctx.db, CLI_ACTOR, month)[0]
              for month in (date(TODAY.year, n, 1) for n in range(1, TODAY.month + 1))}
    return max(counts, key=lambda k: counts[k])


def test_a_months_records_are_counted_then_previewed(qtbot: QtBot, ctx: UiContext,
                                                     dialog: BatchPrintDialog) -> None:
    month = busiest_month(ctx)
    expected, cases = month_record_count(ctx.db, CLI_ACTOR, month)
    assert expected > 0
    with qtbot.waitSignal(dialog.counted, timeout=20_000) as counted:
        dialog.month_edit.setDate(QDate(month.year, month.month, 1))
    assert counted.args == [expected]
    assert str(expected) in dialog.count_label.text() and str(cases) in dialog.count_label.text()
    assert dialog.print_button.isEnabled()
    assert dialog.width() <= 1366 and dialog.height() <= 768

    with qtbot.waitSignal(dialog.previewed, timeout=120_000) as shown:
        dialog.print_button.click()
    preview = shown.args[0]
    assert dialog.result_batch is not None and dialog.result_batch.forms == expected
    assert preview.document.pageCount() == dialog.result_batch.pages >= expected
    assert f"{month:%Y-%m}" in preview.suggested_name
    preview.close()


def test_an_empty_month_cannot_be_printed(qtbot: QtBot, dialog: BatchPrintDialog) -> None:
    with qtbot.waitSignal(dialog.counted, timeout=20_000) as counted:
        dialog.month_edit.setDate(QDate(2001, 1, 1))
    assert counted.args == [0]
    assert not dialog.print_button.isEnabled()
    assert dialog.count_label.text() == dialog.tr("Nothing to print in the period chosen.")


def test_certificates_cancelled_issue_nothing_then_print_in_full(qtbot: QtBot, ctx: UiContext,
                                                                 dialog: BatchPrintDialog) -> None:
    expected = certificate_batch_count(ctx.db, CLI_ACTOR, YEAR_START, TODAY)
    assert expected > 2
    with qtbot.waitSignal(dialog.counted, timeout=20_000) as counted:
        dialog.certificates_radio.setChecked(True)
    assert counted.args == [expected]
    assert dialog.period() == (YEAR_START, TODAY)
    register = list_certificates(ctx.db, CLI_ACTOR)

    dialog.print_button.click()
    job = dialog.job
    assert job is not None
    job.cancel()  # what 取消 in the progress dialog does
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    assert job.cancelled and dialog.preview is None and dialog.result_batch is None
    assert list_certificates(ctx.db, CLI_ACTOR) == register
    assert dialog.print_button.isEnabled()

    with qtbot.waitSignal(dialog.previewed, timeout=120_000) as shown:
        dialog.print_button.click()
    batch = dialog.result_batch
    assert batch is not None and (batch.forms, batch.issued + batch.copies) == (expected, expected)
    after = list_certificates(ctx.db, CLI_ACTOR)
    assert len(after) == len(register) + batch.issued
    assert shown.args[0].document.pageCount() == batch.pages
    shown.args[0].close()
