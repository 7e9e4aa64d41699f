"""The 数据同步 screen on real databases: a demo station and a real centre with real keys.

Scenario 6 end to end: the station exports from the screen, the bundle imports at the
centre, the screen shows what the centre has not acknowledged, the centre's receipt
turns it green. Cancelling an export leaves no file. Dialogs that ask for files are
replaced (``ask_*``), so nothing waits for a click.
"""

from __future__ import annotations

import io
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings, wait_idle

from wushe_desktop.domain.enums import Role
from wushe_desktop.services import centre, keys
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.database import open_db
from wushe_desktop.services.export import export_log, sync_status
from wushe_desktop.ui import sync_page
from wushe_desktop.ui.context import UiContext, load_opening, make_context
from wushe_desktop.ui.main_window import SYNC, MainWindow
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.sync_page import SyncPage

CENTRE_NAME = "土默特左旗社会工作服务中心"
STATION_CODE = "150121101000"


@pytest.fixture(scope="module")
def sync_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo station and a centre that trust each other (cards exchanged); no bundle yet."""
    folder = tmp_path_factory.mktemp("sync-world")
    shutil.copytree(demo_template, folder / "station")
    usb = folder / "usb"
    usb.mkdir()
    cdb, _ = centre.init_centre(folder / "centre" / "centre.sqlite3", name=CENTRE_NAME,
                                passphrase="correct horse battery")
    station = open_db(folder / "station" / "demo.sqlite3")
    try:
        card = keys.export_card(cdb, CLI_ACTOR, usb)
        keys.import_centre_card(station, CLI_ACTOR, card.path, expect_fingerprint=card.fingerprint)
        station_card = keys.export_card(station, CLI_ACTOR, usb)
        centre.trust_station(cdb, CLI_ACTOR, station_card.path, expect_fingerprint=station_card.fingerprint)
    finally:
        station.dispose()
        cdb.dispose()
    return folder


@dataclass
class World:
    """A fresh copy of the station and the centre, opened."""

    folder: Path
    station: Any
    centre: Any
    usb: Path


@pytest.fixture
def world(sync_template: Path, tmp_path: Path) -> Iterator[World]:
    folder = tmp_path / "world"
    shutil.copytree(sync_template, folder)
    w = World(folder, open_db(folder / "station" / "demo.sqlite3"), open_db(folder / "centre" / "centre.sqlite3"),
              folder / "usb")
    yield w
    w.station.dispose()
    w.centre.dispose()


@pytest.fixture
def sctx(world: World) -> Iterator[UiContext]:
    context = make_context(world.station, load_opening(world.station, "站长"))
    yield context
    context.shutdown()


@pytest.fixture
def page(qtbot: QtBot, sctx: UiContext, tmp_path: Path) -> SyncPage:
    widget = SyncPage(sctx, ini_settings(tmp_path))
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show()
    return widget


@pytest.fixture
def files(monkeypatch: pytest.MonkeyPatch, world: World) -> dict[str, Any]:
    """Answers to the file dialogs: ``save`` (a path), ``open`` (a path), ``folder`` (a path)."""
    answers: dict[str, Any] = {"save": None, "open": None, "folder": world.usb, "suggested": []}

    def save(_parent: object, _title: str, suggested: Path, _filter: str) -> Path | None:
        answers["suggested"].append(suggested)
        return answers["save"] or world.usb / suggested.name

    monkeypatch.setattr(sync_page, "ask_save_file", save)
    monkeypatch.setattr(sync_page, "ask_open_file", lambda *_args: answers["open"])
    monkeypatch.setattr(sync_page, "ask_folder", lambda *_args: answers["folder"])
    return answers


def _close_previews(qtbot: QtBot) -> list[PdfPreviewDialog]:
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=10_000)
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()]
    for dialog in found:
        dialog.close()
    return found


def test_export_import_at_the_centre_and_the_receipt_turns_it_green(
        qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World, files: dict[str, Any]) -> None:
    before = sync_status(world.station, CLI_ACTOR)
    assert before.unacknowledged_rows > 0 and before.last_export_at is None
    assert not page.all_acknowledged and page.next_label.property("green") is False
    assert page.pending_value.text() == str(before.unacknowledged_rows)

    files["save"] = None  # take the suggested name, in the USB folder
    page.export()
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=30_000)
    wait_idle(qtbot, sctx)
    result = page.last_export
    assert result is not None
    bundle = world.usb / f"{STATION_CODE}-000001.wsb"
    assert files["suggested"][0].name == bundle.name and result.path == bundle and bundle.is_file()

    # The screen says the centre has not acknowledged it yet, and shows the log line.
    qtbot.waitUntil(lambda: page.data is not None and page.data.status.last_export_sequence == 1, timeout=10_000)
    status = sync_status(world.station, CLI_ACTOR)
    assert status.unacknowledged_rows == before.unacknowledged_rows
    assert page.pending_value.text() == str(status.unacknowledged_rows)
    assert not page.all_acknowledged
    assert "1" in page.next_label.text() and page.next_label.property("green") is False
    log = export_log(world.station, CLI_ACTOR)
    assert page.log_table.rowCount() == len(log) == 1
    assert page.log_table.item(0, 6).text() == log[0].sha256 == result.sha256
    assert page.log_table.item(0, 4).text() == str(result.rows)

    # The centre accepts it and writes a receipt.
    outcome = centre.import_bundle(world.centre, CLI_ACTOR, bundle)
    assert outcome.accepted, outcome.error
    assert outcome.receipt_path is not None and outcome.rows == result.rows

    files["open"] = outcome.receipt_path
    page.import_receipt()
    qtbot.waitUntil(lambda: page.all_acknowledged, timeout=10_000)
    assert sync_status(world.station, CLI_ACTOR).unacknowledged_rows == 0
    assert page.pending_value.text() == "0"
    assert page.next_label.property("green") is True
    assert page.receipt_value.text() != page.tr("None yet.")


def test_cancelling_an_export_leaves_no_file(qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World,
                                             files: dict[str, Any]) -> None:
    target = world.usb / "cancelled.wsb"
    files["save"] = target
    gate = threading.Event()
    sctx.writer.run(gate.wait, 30)  # hold the writer, so the export is still queued when cancelled
    page.export()
    qtbot.waitUntil(lambda: page.last_job is not None, timeout=10_000)
    job = page.last_job
    assert job is not None
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        gate.set()
    wait_idle(qtbot, sctx)
    assert job.cancelled and page.last_export is None
    assert sorted(p.name for p in world.usb.iterdir() if p.suffix not in (".card",)) == []
    assert export_log(world.station, CLI_ACTOR) == []
    # and the next export is still number 1
    assert sync_status(world.station, CLI_ACTOR).last_export_sequence is None


def test_cancel_keeps_a_file_the_user_chose_to_replace(qtbot: QtBot, page: SyncPage, sctx: UiContext,
                                                       world: World, files: dict[str, Any]) -> None:
    target = world.usb / "old.wsb"
    target.write_bytes(b"an older bundle")
    files["save"] = target
    gate = threading.Event()
    sctx.writer.run(gate.wait, 30)
    page.export()
    qtbot.waitUntil(lambda: page.last_job is not None, timeout=10_000)
    job = page.last_job
    assert job is not None
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        gate.set()
    assert target.read_bytes() == b"an older bundle"
    assert [p.name for p in world.usb.iterdir() if p.name.startswith(".")] == []


def test_centre_card_shows_the_fingerprint_before_it_is_trusted(
        qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World, files: dict[str, Any],
        questions: list[str], tmp_path: Path) -> None:
    other, _ = centre.init_centre(tmp_path / "other" / "c.sqlite3", name="托克托县社会工作服务中心",
                                  passphrase="correct horse battery")
    try:
        card = keys.export_card(other, CLI_ACTOR, tmp_path)
    finally:
        other.dispose()
    old = sync_status(world.station, CLI_ACTOR).centre_fingerprint
    files["open"] = card.path
    page.import_centre_card()
    qtbot.waitUntil(lambda: sync_status(world.station, CLI_ACTOR).centre_fingerprint == card.fingerprint,
                    timeout=10_000)
    wait_idle(qtbot, sctx)
    # The question named the new fingerprint and the one it replaces.
    assert len(questions) == 1 and card.fingerprint in questions[0] and old in questions[0]
    qtbot.waitUntil(lambda: page.data is not None and "托克托县" in page.centre_value.text(), timeout=10_000)


def test_a_refused_centre_card_changes_nothing(qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World,
                                               files: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    from wushe_desktop.ui import messages

    other, _ = centre.init_centre(tmp_path / "other" / "c.sqlite3", name="托克托县社会工作服务中心",
                                  passphrase="correct horse battery")
    try:
        card = keys.export_card(other, CLI_ACTOR, tmp_path)
    finally:
        other.dispose()
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text, _y, _n: asked.append(text) or False)
    old = sync_status(world.station, CLI_ACTOR).centre_fingerprint
    files["open"] = card.path
    page.import_centre_card()
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    wait_idle(qtbot, sctx)
    assert sync_status(world.station, CLI_ACTOR).centre_fingerprint == old


def test_station_card_and_its_printable_card(qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World,
                                             files: dict[str, Any], tmp_path: Path) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    files["folder"] = folder
    page.export_station_card()
    dialogs = _close_previews(qtbot)
    card = folder / f"{STATION_CODE}-station.card"
    pdf = folder / f"{STATION_CODE}-station.pdf"
    assert card.is_file() and pdf.is_file()
    assert dialogs[0].pdf == pdf.read_bytes()
    text = "".join(PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text().split())
    fingerprint = keys.show_keys(world.station).fingerprint
    assert all(group in text for group in fingerprint.split("-"))
    assert "毕克齐镇社工站" in text and STATION_CODE in text


def test_only_the_station_head_exports_and_changes_keys(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    opening = load_opening(world.station, "站长")
    worker = type(opening)(opening.station, Actor(name="李娜", role=Role.SOCIAL_WORKER))
    context = make_context(world.station, worker)
    try:
        widget = SyncPage(context, ini_settings(tmp_path))
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.loaded, timeout=10_000):
            widget.show()
        assert not widget.export_button.isEnabled() and not widget.rotate_button.isEnabled()
        assert not widget.centre_card_button.isEnabled() and widget.export_button.toolTip()
    finally:
        context.shutdown()


def test_status_bar_shows_the_last_export(qtbot: QtBot, sctx: UiContext, world: World, files: dict[str, Any],
                                          tmp_path: Path) -> None:
    win = MainWindow(sctx, ini_settings(tmp_path, "win"))
    qtbot.addWidget(win)
    win.resize(1366, 700)
    win.show()
    wait_idle(qtbot, sctx)
    assert win.export_label.text() == win.tr("Last export: not yet exported")
    page = win.show_page(SYNC)
    assert isinstance(page, SyncPage)
    page.export()
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=30_000)
    qtbot.waitUntil(lambda: win.export_label.text() != win.tr("Last export: not yet exported"), timeout=10_000)
    assert str(sync_status(world.station, CLI_ACTOR).unacknowledged_rows) in win.export_label.text()
    win.close()


def test_key_change_writes_statement_and_card_and_previews_the_new_paper_card(
        qtbot: QtBot, page: SyncPage, sctx: UiContext, world: World, files: dict[str, Any],
        questions: list[str]) -> None:
    old = keys.show_keys(world.station).fingerprint
    page.rotate_key()
    dialogs = _close_previews(qtbot)
    wait_idle(qtbot, sctx)
    new = keys.show_keys(world.station).fingerprint
    assert new != old and len(questions) == 1
    assert list(world.usb.glob("*.rotation")) and (world.usb / f"{STATION_CODE}-station.card").is_file()
    text = "".join(PdfReader(io.BytesIO(dialogs[0].pdf)).pages[0].extract_text().split())
    assert all(group in text for group in new.split("-"))
