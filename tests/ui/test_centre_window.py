"""The centre's window on a real centre database with two real demo stations (scenarios 6, 10).

A centre and two stations (毕克齐镇, 察素齐镇) with demo data are built once per run: each
station imported the centre's card, wrote its own card and exported a bundle; a third
bundle was made for another centre's key, and a fourth is a damaged copy. No station is
registered yet: the tests register them through the window's dialog.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from uihelpers import ini_settings

from wushe_desktop.domain.enums import RiskLevel, Role
from wushe_desktop.services import keys
from wushe_desktop.services.centre import (
    centre_list,
    import_bundle,
    init_centre,
    people_across_stations,
    station_statuses,
    trust_station,
)
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.export import export_bundle
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.station import init_database, settings
from wushe_desktop.services.stats import Period, centre_stats
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.ui import messages
from wushe_desktop.ui.centre_pages import (
    AcrossStationsPanel,
    ImportPage,
    OverviewPage,
    StationsPage,
    SupervisionPage,
    no_contact_since,
)
from wushe_desktop.ui.centre_window import IMPORT, OVERVIEW, STATIONS, SUPERVISION, CentreWindow
from wushe_desktop.ui.context import Opening, UiContext, make_context
from wushe_desktop.ui.pdf_preview import PdfPreviewDialog
from wushe_desktop.ui.startup import Startup

BIKEQI = "150121101000"  # 毕克齐镇
CHASUQI = "150121100000"  # 察素齐镇
STATIONS_ = {BIKEQI: "毕克齐镇社工站", CHASUQI: "察素齐镇社工站"}
CENTRE_NAME = "土默特左旗社会工作服务中心"
ADMIN = Actor(name="其木格", role=Role.CENTRE_ADMIN)
TODAY = date.today()


@dataclass(frozen=True)
class Kit:
    """Where the files of one copy of the template are."""

    folder: Path

    @property
    def centre_path(self) -> Path:
        return self.folder / "centre" / "centre.sqlite3"

    def card(self, code: str) -> Path:
        return self.folder / "cards" / f"{code}-station.card"

    @property
    def bundles(self) -> Path:
        return self.folder / "usb"

    @property
    def foreign(self) -> Path:
        return next((self.folder / "foreign").glob("*.wsb"))

    @property
    def damaged(self) -> Path:
        return self.folder / "damaged" / "damaged.wsb"

    def fingerprint(self, code: str) -> str:
        db = open_database(self.folder / code / "station.sqlite3")
        try:
            return keys.show_keys(db).fingerprint
        finally:
            db.dispose()


@pytest.fixture(scope="session")
def centre_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("centre-world")
    for name in ("usb", "cards", "foreign", "damaged", "other"):
        (folder / name).mkdir()
    cdb, _ = init_centre(folder / "centre" / "centre.sqlite3", name=CENTRE_NAME)
    other, _ = init_centre(folder / "other" / "other.sqlite3", name="托克托县社会工作服务中心")
    try:
        card = keys.export_card(cdb, CLI_ACTOR, folder / "cards")
        other_card = keys.export_card(other, CLI_ACTOR, folder / "other")
        for i, (code, name) in enumerate(STATIONS_.items()):
            db, _ = init_database(folder / code / "station.sqlite3", code=code, name=name)
            try:
                generate_demo(db, CLI_ACTOR, DemoSize(cases=12 + 4 * i, volunteers=4, activities=5), seed=21 + i)
                keys.import_centre_card(db, CLI_ACTOR, card.path, expect_fingerprint=card.fingerprint)
                keys.export_card(db, CLI_ACTOR, folder / "cards")
                bundle = export_bundle(db, CLI_ACTOR, folder / "usb")
                if code == CHASUQI:  # the station took another centre's card by mistake
                    keys.import_centre_card(db, CLI_ACTOR, other_card.path, replace=True)
                    export_bundle(db, CLI_ACTOR, folder / "foreign", full=True)
                else:
                    data = bytearray(bundle.path.read_bytes())
                    data[len(data) // 2] ^= 1
                    (folder / "damaged" / "damaged.wsb").write_bytes(bytes(data))
            finally:
                db.dispose()
    finally:
        cdb.dispose()
        other.dispose()
    return folder


@pytest.fixture
def kit(centre_template: Path, tmp_path: Path) -> Kit:
    shutil.copytree(centre_template, tmp_path / "world")
    return Kit(tmp_path / "world")


@pytest.fixture
def centre_db(kit: Kit) -> Iterator[Database]:
    db = open_database(kit.centre_path)
    yield db
    db.dispose()


@pytest.fixture
def centre_ctx(centre_db: Database) -> Iterator[UiContext]:
    context = make_context(centre_db, Opening(station_info(centre_db), ADMIN))
    yield context
    context.shutdown()


@pytest.fixture
def win(qtbot: QtBot, centre_ctx: UiContext, tmp_path: Path) -> Iterator[CentreWindow]:
    window = CentreWindow(centre_ctx, ini_settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    yield window
    window.close()


def wait_idle(qtbot: QtBot, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.writer.busy and not ctx.reader.busy, timeout=30_000)


def trust_through_dialog(qtbot: QtBot, win: CentreWindow, kit: Kit, code: str, *, confirm: bool = True) -> str:
    """Register a station card as the admin does; returns the fingerprint the dialog showed."""
    page = win.show_page(STATIONS)
    assert isinstance(page, StationsPage)
    page.register_card(kit.card(code))
    qtbot.waitUntil(lambda: page.trust_dialog is not None and page.trust_dialog.isVisible(), timeout=10_000)
    dialog = page.trust_dialog
    assert dialog is not None
    shown = dialog.fingerprint.text()
    (dialog.confirm_button if confirm else dialog.cancel_button).click()
    wait_idle(qtbot, win.ctx)
    return shown


def test_the_admin_registers_both_stations_after_comparing_fingerprints(
        qtbot: QtBot, win: CentreWindow, kit: Kit, centre_db: Database, told: list[str]) -> None:
    # Cancelled: nothing registered.
    shown = trust_through_dialog(qtbot, win, kit, BIKEQI, confirm=False)
    assert shown == kit.fingerprint(BIKEQI)
    assert station_statuses(centre_db, ADMIN) == []
    for code in STATIONS_:
        assert trust_through_dialog(qtbot, win, kit, code) == kit.fingerprint(code)
    statuses = {s.code: s for s in station_statuses(centre_db, ADMIN)}
    assert {c: s.fingerprint for c, s in statuses.items()} == {c: kit.fingerprint(c) for c in STATIONS_}
    assert told[-2:] == [f"已登记{STATIONS_[c]}（{c}），密钥指纹 {kit.fingerprint(c)}。" for c in STATIONS_]
    page = win.page(STATIONS)
    assert isinstance(page, StationsPage)
    qtbot.waitUntil(lambda: not page.busy and page.table.rowCount() == 2, timeout=10_000)
    assert page.table.rowCount() == 2
    assert [page.table.item(r, 3).text() for r in range(2)] == [kit.fingerprint(c) for c in sorted(STATIONS_)]
    # The centre's own card, for the stations.
    page.save_centre_card(kit.folder / "cards")
    wait_idle(qtbot, win.ctx)
    card = kit.folder / "cards" / "150121000000-centre.card"
    assert card.is_file() and keys.show_keys(centre_db).fingerprint in told[-1]
    # Revoke one (confirmed): its bundles would be refused from now on.
    page.table.selectRow(0)
    page.revoke_selected()
    wait_idle(qtbot, win.ctx)
    revoked = {s.code: s.revoked for s in station_statuses(centre_db, ADMIN)}
    assert revoked == {CHASUQI: True, BIKEQI: False}
    assert "已作废" in told[-1]


def test_a_card_that_is_not_a_station_card_is_refused_in_one_sentence(
        qtbot: QtBot, win: CentreWindow, kit: Kit, centre_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, error, _tb="": shown.append(
        messages.message_for(error)))
    page = win.show_page(STATIONS)
    assert isinstance(page, StationsPage)
    page.register_card(kit.folder / "cards" / "150121000000-centre.card")
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown == ["名片文件无效，请重新获取名片。"]
    assert page.trust_dialog is None and station_statuses(centre_db, ADMIN) == []


def test_month_end_preview_then_import_then_the_overview(
        qtbot: QtBot, win: CentreWindow, kit: Kit, centre_db: Database, tmp_path: Path) -> None:
    for code in STATIONS_:
        trust_through_dialog(qtbot, win, kit, code)
    page = win.show_page(IMPORT)
    assert isinstance(page, ImportPage)
    assert page.add_files([kit.bundles, kit.foreign, kit.damaged]) == 4
    good = sorted(kit.bundles.glob("*.wsb"))

    # Preview: every bundle checked, nothing written.
    page.run(dry_run=True)
    qtbot.waitUntil(lambda: not page.running, timeout=60_000)
    outcomes = {p: page.results[p].outcome for p in page.paths}
    assert [outcomes[p].accepted for p in page.paths] == [True, True, False, False]
    assert all(o.dry_run for o in outcomes.values())
    assert all(s.bundles == 0 for s in station_statuses(centre_db, ADMIN))
    assert not list(kit.bundles.glob("*.receipt")) and not (kit.folder / "centre" / "quarantine").exists()
    first = page.results[good[0]]
    assert first.tables and sum(first.tables.values()) == first.outcome.rows == first.outcome.new
    page.table.selectRow(0)
    assert "预览" in page.detail.toPlainText() and "服务对象" in page.detail.toPlainText()
    assert "可以导入 2 个" in page.summary.text()

    # Import: receipts beside the good ones, the others refused in one sentence and quarantined.
    page.run(dry_run=False)
    qtbot.waitUntil(lambda: not page.running, timeout=60_000)
    for path in good:
        outcome = page.results[path].outcome
        assert outcome.accepted and not outcome.dry_run
        assert outcome.receipt_path == path.with_name(path.name + ".receipt") and outcome.receipt_path.is_file()
    foreign = page.results[kit.foreign].outcome
    damaged = page.results[kit.damaged].outcome
    assert foreign.error is not None and foreign.error.code == "bundle.wrong_centre"
    sentence = "该数据包是为其他中心的密钥制作的。请社工站导入本中心的名片后重新导出数据包。"
    assert page.verdict(foreign) == f"已拒绝：{sentence}"
    assert foreign.quarantined is not None and foreign.quarantined.is_file()
    reason = foreign.quarantined.with_name(foreign.quarantined.name + ".reason.txt").read_text(encoding="utf-8")
    assert sentence in reason
    assert damaged.error is not None and not damaged.accepted and damaged.quarantined is not None
    page.table.selectRow(page.paths.index(kit.foreign))
    assert str(foreign.quarantined) in page.detail.toPlainText()
    assert {s.code: s.bundles for s in station_statuses(centre_db, ADMIN)} == {BIKEQI: 1, CHASUQI: 1}

    # The overview: one row per station equal to centre_stats, totals, and the same in Excel.
    overview = win.show_page(OVERVIEW)
    assert isinstance(overview, OverviewPage)
    overview.kind.setCurrentIndex(OverviewPage.CUSTOM)
    overview.date_from.setDate(date(2000, 1, 1))
    overview.date_to.setDate(TODAY)
    overview.refresh()
    qtbot.waitUntil(lambda: not overview.busy, timeout=30_000)
    period = Period(date(2000, 1, 1), TODAY)
    expected: list[list[str]] = []
    for code in sorted(STATIONS_):
        _, stats = centre_stats(centre_db, ADMIN, period, code)
        expected.append([c.text(stats) for c in overview.columns])
    _, total = centre_stats(centre_db, ADMIN, period)
    expected.append([c.text(total) for c in overview.columns])
    table = overview.table
    assert table.rowCount() == 3
    shown = [[table.item(r, c).text() for c in range(3, table.columnCount())] for r in range(3)]
    assert shown == expected
    assert int(shown[0][0]) > 0  # activities: real figures, not zeros
    assert table.item(2, 0).text() == "合计"
    assert "第 1 号" in table.item(0, 1).text()
    written: list[int] = []
    overview.export_excel(tmp_path / "figures.xlsx", on_done=written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=30_000)
    sheet = load_workbook(tmp_path / "figures.xlsx").active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [[float(v) for v in row[3:]] for row in values] == [[float(v) for v in row] for row in expected]
    assert sheet.cell(row=1, column=4).value == "开展活动"
    header = overview.table.horizontalHeaderItem(3 + len(overview.columns) - 1)
    assert header is not None and header.text() == "物资折价（元）" and header.toolTip() == "物资折价（元）"
    header = overview.table.horizontalHeaderItem(3)
    assert header is not None and header.text() == "开展活动" and header.toolTip() == "开展活动（场）"


def test_overdue_stations_are_highlighted(qtbot: QtBot, win: CentreWindow, kit: Kit) -> None:
    for code in STATIONS_:
        trust_through_dialog(qtbot, win, kit, code)
    overview = win.show_page(OVERVIEW)
    assert isinstance(overview, OverviewPage)
    overview.refresh()
    qtbot.waitUntil(lambda: not overview.busy, timeout=30_000)
    # Registered, nothing received: overdue, highlighted, named above the table.
    assert overview.table.item(0, 2).text() == "尚未报送；逾期"
    assert overview.table.item(0, 0).background().color().name() == "#fde2e2"
    assert "逾期" in overview.summary.text() and STATIONS_[BIKEQI] in overview.summary.text()
    assert "超过 35 天" in overview.summary.text()
    # the centre sets its own limit: kept in the settings, the overview shown by it
    overview.overdue_days.setValue(60)
    overview.overdue_days.editingFinished.emit()
    qtbot.waitUntil(lambda: "超过 60 天" in overview.summary.text() and not overview.busy, timeout=30_000)
    assert settings(win.ctx.db)["centre.overdue_days"] == 60


def test_bundles_dropped_on_the_window_go_to_the_import_list(qtbot: QtBot, win: CentreWindow, kit: Kit) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(kit.bundles)), QUrl.fromLocalFile(str(kit.folder / "cards"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    win.dropEvent(event)
    page = win.current_page()
    assert isinstance(page, ImportPage) and win.stack.currentIndex() == IMPORT
    assert page.paths == sorted(kit.bundles.glob("*.wsb"))
    assert page.table.item(0, 3).text() == "尚未检查"


def test_supervision_reads_a_stations_cases_and_prints_the_list(
        qtbot: QtBot, win: CentreWindow, kit: Kit, centre_db: Database) -> None:
    for code in STATIONS_:
        trust_through_dialog(qtbot, win, kit, code)
    imports = win.show_page(IMPORT)
    assert isinstance(imports, ImportPage)
    imports.add_files([kit.bundles])
    imports.run(dry_run=False)
    qtbot.waitUntil(lambda: not imports.running, timeout=60_000)
    page = win.show_page(SUPERVISION)
    assert isinstance(page, SupervisionPage)
    qtbot.waitUntil(lambda: not page.busy and page.station.count() == 2, timeout=30_000)
    page.station.setCurrentIndex(page.station.findData(BIKEQI))
    qtbot.waitUntil(lambda: not page.busy, timeout=30_000)
    wait_idle(qtbot, win.ctx)
    cases = centre_list(centre_db, ADMIN, "cases", BIKEQI)
    assert page.table.rowCount() == len(cases) > 0
    page.high_risk.setChecked(True)
    page.no_contact.setChecked(True)
    expected = [c["case_no"] for c in cases
                if c["risk_level"] == RiskLevel.HIGH.value and no_contact_since(c, TODAY, 30)]
    assert sorted(page.table.item(r, 0).text() for r in range(page.table.rowCount())) == sorted(expected)
    page.print_list()
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=30_000)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    assert dialog.pdf.startswith(b"%PDF")
    dialog.close()


def test_start_up_on_a_centre_database_shows_the_centre_window(qtbot: QtBot, kit: Kit, tmp_path: Path) -> None:
    settings = ini_settings(tmp_path)
    for attempt in ("first", "again"):
        startup = Startup(kit.centre_path, settings=settings)
        firsts: list[object] = []
        startup.window_shown.connect(firsts.append)
        try:
            with qtbot.waitSignal(startup.ready, timeout=30_000) as blocker:
                startup.begin()
            window = blocker.args[0]
            assert isinstance(window, CentreWindow)
            qtbot.addWidget(window)
            assert [window.navigation.item(i).text() for i in range(4)] == ["总览", "导入数据包", "站点登记", "督导查阅"]
            assert window.ctx.actor.role == Role.CENTRE_ADMIN
            # the first time the station's window is drawn while the file opens, then replaced;
            # once the file is known as a centre's, the centre's window is the first one shown
            assert isinstance(firsts[0], CentreWindow) == (attempt == "again")
            assert startup.window is None
            qtbot.waitUntil(lambda s=startup: not s.worker.busy and s.ctx is not None
                            and not s.ctx.reader.busy, timeout=10_000)
            window.close()
        finally:
            startup.shutdown()


def test_the_centre_has_the_system_menu_and_backs_up_on_close(qtbot: QtBot, win: CentreWindow, kit: Kit) -> None:
    """Backups, the audit log and accounts matter at the centre as much as at a station."""
    titles = [a.text() for a in win.menuBar().actions()]
    assert titles[-1] == "系统(&Y)"
    entries = {key for key, action in win.system.actions.items() if action.isVisible()}
    assert {"accounts", "audit", "backup", "restore"} <= entries
    win.close()
    wait_idle(qtbot, win.ctx)
    copies = list((kit.centre_path.parent / "backups" / "auto").glob("*"))
    assert copies, "no automatic copy of the centre database was taken on close"


def test_supervision_lists_a_person_served_by_two_stations_with_the_id_masked(
        qtbot: QtBot, win: CentreWindow, kit: Kit, centre_db: Database) -> None:
    """毕克齐镇 sends full records, 察素齐镇 de-identified data; one woman is served by both."""
    number = "150121194803050027"  # a valid resident ID number
    centre_card = next((kit.folder / "cards").glob("*-centre.card"))
    bundles = []
    (kit.folder / "again").mkdir()
    for code, name, profile in ((BIKEQI, "王秀兰", "supervision"), (CHASUQI, "王淑兰", "deidentified")):
        trust_station(centre_db, ADMIN, kit.card(code), expect_fingerprint=kit.fingerprint(code))
        db = open_database(kit.folder / code / "station.sqlite3")
        try:
            keys.import_centre_card(db, CLI_ACTOR, centre_card, replace=True)  # 察素齐镇 had the wrong card
            create_person(db, CLI_ACTOR, PersonInput(name=name, id_number=number))
            bundles.append(export_bundle(db, CLI_ACTOR, kit.folder / "again", full=True, profile=profile).path)
        finally:
            db.dispose()
    for path in bundles:
        assert import_bundle(centre_db, ADMIN, path).accepted
    expected = [p for p in people_across_stations(centre_db, ADMIN) if p.masked_id == "150121********0027"]
    assert len(expected) == 1

    page = win.show_page(SUPERVISION)
    assert isinstance(page, SupervisionPage)
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["各站个案", "跨站服务对象"]
    page.tabs.setCurrentWidget(page.across)
    panel = page.across
    assert isinstance(panel, AcrossStationsPanel)
    qtbot.waitUntil(lambda: not panel.busy and panel.tree.topLevelItemCount() > 0, timeout=30_000)
    wait_idle(qtbot, win.ctx)
    header = panel.tree.headerItem()
    assert [header.text(c) for c in range(5)] == ["身份证号（已遮蔽）", "站点", "所记姓名", "个案数", "数据来源"]
    rows = panel.rows_as_text()
    assert number not in "".join("".join(r) for r in rows)
    at = next(i for i, r in enumerate(rows) if r[0] == "150121********0027")
    assert rows[at][1] == "2 个站点"
    stations = sorted(rows[at + 1:at + 3], key=lambda r: r[1])
    assert stations[0][1] == f"察素齐镇社工站（{CHASUQI}）" and stations[0][2].startswith("对象-")
    assert stations[0][4] == "去标识化"
    assert stations[1][1:3] == [f"毕克齐镇社工站（{BIKEQI}）", "王秀兰"] and stations[1][4] == "完整记录"
    assert panel.count_label.text() == f"共 {len(panel.people)} 位服务对象在多个站点有记录。"
    panel.kind.setCurrentIndex(panel.kind.findData("volunteer"))
    qtbot.waitUntil(lambda: not panel.busy, timeout=30_000)
    assert panel.tree.headerItem().text(3) == "服务记录数"
    assert panel.tree.topLevelItemCount() == len(people_across_stations(centre_db, ADMIN, "volunteer"))
