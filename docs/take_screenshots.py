"""Save a screenshot of every screen and the key dialogs to docs/screenshots/ (for the manuals).

Builds throwaway databases in a temporary folder: a station (毕克齐镇社工站, 150121101000)
filled with the demo data, a banner centre (土默特左旗社会工作服务中心) and two more small
stations that report to it. Then, offscreen on a 1366×768 screen with the bundled font and
the Chinese translations, it shows every screen of the station's main window, the case
workspace and its forms, the volunteer, activity and resource forms, the system menu's
dialogs, the set-up wizard and the centre's window, and saves ``QWidget.grab()`` of each
as PNG (reduced to a 256-colour palette when Pillow is installed, to keep docs/ small).

    python docs/take_screenshots.py [--out docs/screenshots] [--cases 120] [--only NAME...]

Look at the pictures afterwards: Chinese everywhere, no boxes, no English, nothing cut
off. A picture that cannot be taken is reported and the others are still taken; the exit
status is then 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1366, 768)
# A maximised window on a 1366×768 screen with a 40-pixel taskbar and a title bar.
WINDOW_SIZE = (1366, 700)
STATION_CODE, STATION_NAME = "150121101000", "毕克齐镇社工站"
CENTRE_NAME = "土默特左旗社会工作服务中心"
PASSPHRASE = "草原上的社工站很好"
OTHER_STATIONS = {"150121100000": "察素齐镇社工站", "150121102000": "善岱镇社工站"}


class Shooter:
    """Saves pictures, waits for the workers, and remembers which pictures failed."""

    def __init__(self, app: Any, out: Path, only: set[str]) -> None:
        self.app = app
        self.out = out
        self.only = only
        self.failed: list[str] = []
        self.workers: list[Any] = []

    def settle(self, minimum_ms: int = 150, timeout_ms: int = 60_000) -> None:
        """Run the event loop until every worker is idle (and at least ``minimum_ms``)."""
        start = time.monotonic()
        quiet = 0
        while (time.monotonic() - start) * 1000 < timeout_ms:
            self.app.processEvents()
            time.sleep(0.01)
            if any(worker.busy for worker in self.workers):
                quiet = 0
                continue
            quiet += 1
            if quiet > 10 and (time.monotonic() - start) * 1000 >= minimum_ms:
                return
        raise TimeoutError("the screen did not finish loading")

    def wanted(self, name: str) -> bool:
        return not self.only or any(name.startswith(prefix) for prefix in self.only)

    def save(self, widget: Any, name: str) -> None:
        """Grab ``widget`` into ``<out>/<name>.png``."""
        self.settle()
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        _shrink(path)
        size = widget.size()
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}  {size.width()}×{size.height()}  {path.stat().st_size // 1024} KB")

    def take(self, name: str, make: Callable[[], Any], close: bool = True) -> Any:
        """``make()`` a window or dialog (or bring a screen up) and save it; errors are reported."""
        if not self.wanted(name):
            return None
        try:
            widget = make()
            self.settle()
            self.save(widget, name)
            if close and widget is not None and hasattr(widget, "done") and widget.isWindow():
                widget.done(0)
                self.settle(0)
            return widget
        except Exception:
            traceback.print_exc()
            self.failed.append(name)
            return None


def _shrink(path: Path) -> None:
    """Reduce a screenshot to a 256-colour palette (text stays sharp; a third of the size)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _show(dialog: Any, size: tuple[int, int] | None = None) -> Any:
    if size is not None:
        dialog.resize(*size)
    dialog.show()
    return dialog


def build_databases(folder: Path, cases: int) -> dict[str, Any]:
    """The station (demo data), the centre and two small stations with bundles for it."""
    from wushe_desktop.services import accounts, centre, keys
    from wushe_desktop.services.backup import backup_now
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.demo import DemoSize, generate_demo
    from wushe_desktop.services.export import export_bundle
    from wushe_desktop.services.station import init_database

    usb = folder / "usb"
    usb.mkdir()
    cards = folder / "cards"
    cards.mkdir()
    station, _ = init_database(folder / "station" / "wushe.sqlite3", code=STATION_CODE, name=STATION_NAME,
                               passphrase=PASSPHRASE)
    generate_demo(station, CLI_ACTOR, DemoSize(cases=cases))
    centre_db, _ = centre.init_centre(folder / "centre" / "centre.sqlite3", name=CENTRE_NAME, passphrase=PASSPHRASE)
    centre_card = keys.export_card(centre_db, CLI_ACTOR, cards)
    new_card = None
    for i, (code, name) in enumerate(OTHER_STATIONS.items()):
        other, _ = init_database(folder / code / "wushe.sqlite3", code=code, name=name, passphrase=PASSPHRASE)
        generate_demo(other, CLI_ACTOR, DemoSize(cases=25, volunteers=8, activities=8), seed=7 + i)
        keys.import_centre_card(other, CLI_ACTOR, centre_card.path, expect_fingerprint=centre_card.fingerprint)
        card = keys.export_card(other, CLI_ACTOR, cards).path
        if i == 0:
            centre.trust_station(centre_db, CLI_ACTOR, card)
            export_bundle(other, CLI_ACTOR, usb)
        else:  # registered in the centre's window (the trust dialog's picture); it has not reported yet
            new_card = card
        other.dispose()
    keys.import_centre_card(station, CLI_ACTOR, centre_card.path, expect_fingerprint=centre_card.fingerprint)
    centre.trust_station(centre_db, CLI_ACTOR, keys.export_card(station, CLI_ACTOR, cards).path)
    export_bundle(station, CLI_ACTOR, usb)
    backup = backup_now(station, CLI_ACTOR, folder / "backups", PASSPHRASE)
    return {"station": station, "centre": centre_db, "usb": usb, "new_card": new_card,
            "backup": backup.path, "accounts": accounts}


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--cases", type=int, default=120)
    parser.add_argument("--only", nargs="*", default=[], help="take only the pictures whose names start so")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="wushe-shots-"))
    # an offscreen screen of 1366×768 (the offscreen default is 800×600)
    screen = {"screens": [{"name": "screen", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1],
                           "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}
    (scratch / "screen.json").write_text(json.dumps(screen), encoding="utf-8")
    os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={scratch / 'screen.json'}")
    os.environ["WUSHE_DATA_DIR"] = str(scratch / "data")
    os.environ["TZ"] = "Asia/Shanghai"  # times shown as on a station's PC (Beijing time)
    time.tzset()
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QSettings  # noqa: TID251 - a GUI tool
    from PySide6.QtWidgets import QApplication  # noqa: TID251

    from wushe_desktop.domain.enums import Role
    from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
    from wushe_desktop.services.lists import list_records
    from wushe_desktop.ui import main_window as mw
    from wushe_desktop.ui import messages
    from wushe_desktop.ui.context import Opening, load_opening, make_context
    from wushe_desktop.ui.i18n import install_font, install_translations

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    install_font(app)
    install_translations(app)
    # no modal message boxes in an unattended run
    messages.inform = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    messages.confirm = lambda *_args, **_kwargs: True  # type: ignore[assignment]

    args.out.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(app, args.out, set(args.only))
    print("building the demo databases…", flush=True)
    made = build_databases(scratch, args.cases)
    db = made["station"]
    ctx = make_context(db, load_opening(db, "乌兰"))
    shooter.workers += [ctx.writer, ctx.reader]
    settings = QSettings(str(scratch / "ui.ini"), QSettings.Format.IniFormat)
    window = mw.MainWindow(ctx, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    shooter.settle(500)

    def page(index: int) -> Callable[[], Any]:
        def bring() -> Any:
            shown = window.show_page(index)
            shooter.settle(300)
            if hasattr(shown, "show_list"):
                shown.show_list()
            return window
        return bring

    # -- 1. the main screens ----------------------------------------------------------------
    shooter.take("01-dashboard", page(mw.DASHBOARD), close=False)
    shooter.take("02-people", page(mw.PEOPLE), close=False)
    shooter.take("03-cases", page(mw.CASES), close=False)
    shooter.take("04-volunteers", page(mw.VOLUNTEERS), close=False)
    shooter.take("05-activities", page(mw.ACTIVITIES), close=False)
    shooter.take("06-resources", page(mw.RESOURCES), close=False)
    shooter.take("07-statistics", page(mw.STATISTICS), close=False)
    shooter.take("08-sync", page(mw.SYNC), close=False)
    shooter.take("09-settings", page(mw.SETTINGS), close=False)

    # -- 2. people ---------------------------------------------------------------------------
    from wushe_desktop.services.people import search_people
    from wushe_desktop.ui.person_form import PersonForm
    from wushe_desktop.ui.roster_import_dialog import RosterImportDialog, RosterKind

    def new_person() -> Any:
        form = _show(PersonForm(ctx, window), (920, 600))
        shooter.settle()
        form.name.setText("其其格")
        form.id_number.setText("150121201603150021")
        form.save()  # shows the check-digit sentence under the field
        return form

    def edit_person(tab: int) -> Callable[[], Any]:
        def make() -> Any:
            person = search_people(db, CLI_ACTOR, "王桂花", 5)[0]
            form = _show(PersonForm(ctx, window, person_id=person.uuid))
            shooter.settle()
            if form.tabs is not None:
                form.tabs.setCurrentIndex(tab)
            return form
        return make

    for name, make in (("10-person-form", new_person), ("11-person-edit", edit_person(0)),
                       ("12-person-categories", edit_person(1))):
        form = shooter.take(name, make, close=False)
        if form is not None:
            form.done(0)  # close without the unsaved-changes question

    def roster(skip: bool) -> Callable[[], Any]:
        def make() -> Any:
            dialog = _show(RosterImportDialog(ctx, RosterKind.VOLUNTEERS, window))
            dialog.set_file(ROOT / "tests" / "fixtures" / "rosters" / "volunteers_wps_bad.csv")
            shooter.settle(300)
            if skip:
                dialog.skip_bad.setChecked(True)
            return dialog
        return make

    shooter.take("13-roster-import", roster(False))

    # -- 3. cases ----------------------------------------------------------------------------
    cases_page = window.page(mw.CASES)
    rows = list_records(db, CLI_ACTOR, "cases")

    def open_case(stage: str, name: str | None = None,
                  test: Callable[[Any], bool] = lambda _detail: True) -> Callable[[], Any]:
        """Open the first case at ``stage`` (of ``name``) whose detail passes ``test``."""
        from uuid import UUID

        def make() -> Any:
            window.show_page(mw.CASES)
            for row in rows:
                if row["stage"] == stage and (name is None or row["name"] == name):
                    cases_page.open_case(UUID(row["uuid"]))
                    shooter.settle(300)
                    if test(cases_page.workspace.data.detail):
                        return window
            raise RuntimeError(f"no {stage} case to show")
        return make

    workspace = cases_page.workspace

    def case_dialog(opener: Callable[[], Any], size: tuple[int, int] | None = None) -> Callable[[], Any]:
        def make() -> Any:
            opener()
            shooter.settle(200)
            if workspace.dialog is None:
                raise RuntimeError("no dialog opened")
            if size is not None:
                workspace.dialog.resize(*size)
            return workspace.dialog
        return make

    from wushe_desktop.ui.case_dialogs import IntakeDialog
    shooter.take("14-case-intake", lambda: _show(IntakeDialog(ctx, window)))
    shooter.take("15-case-workspace", open_case("intervention", "王桂花"), close=False)
    shooter.take("16-case-record", case_dialog(workspace.add_record))
    shooter.take("17-case-assessment", case_dialog(workspace.assess))
    shooter.take("18-case-plan", case_dialog(workspace.edit_plan))
    shooter.take("19-case-evaluation", case_dialog(workspace.evaluate))
    shooter.take("20-case-referral", case_dialog(workspace.refer))
    shooter.take("21-case-child-protection", case_dialog(workspace.report_child_protection))
    def pending_closure(detail: Any) -> bool:
        return detail.closure is not None and detail.closure.approval_status.name == "PENDING"

    shooter.take("22-case-closure-pending", open_case("evaluation", test=pending_closure), close=False)
    shooter.take("23-case-closure-approval", case_dialog(workspace.decide_closure))
    open_case("evaluation", test=lambda detail: detail.closure is None)()
    shooter.take("24-case-closure", case_dialog(workspace.close_case))
    shooter.take("25-case-intake-pending", open_case("intake"), close=False)
    cases_page.show_list()

    # -- 4. volunteers -----------------------------------------------------------------------
    from wushe_desktop.ui.volunteer_dialogs import CertificateDialog, HoursDialog, VolunteerForm
    volunteers = window.page(mw.VOLUNTEERS)

    def volunteer_record() -> Any:
        window.show_page(mw.VOLUNTEERS)
        volunteers.show_record("苏日娜")
        shooter.settle(300)
        return window

    def volunteer_tab(index: int) -> Callable[[], Any]:
        def make() -> Any:
            window.show_page(mw.VOLUNTEERS)
            volunteers.tabs.setCurrentIndex(index)
            shooter.settle(300)
            return window
        return make

    shooter.take("26-volunteer-record", volunteer_record, close=False)
    shooter.take("27-volunteer-pending", volunteer_tab(1), close=False)
    shooter.take("28-volunteer-teams", volunteer_tab(2), close=False)
    volunteer_record()
    suna = volunteers.detail.volunteer
    shooter.take("29-volunteer-form", lambda: _show(VolunteerForm(ctx, None, window)))
    shooter.take("30-volunteer-hours", lambda: _show(HoursDialog(ctx, suna, window)))
    shooter.take("31-volunteer-certificate", lambda: _show(CertificateDialog(
        ctx, suna, date(date.today().year, 3, 1), date.today(), window), (760, 600)))

    # -- 5. activities and charity resources -------------------------------------------------
    from wushe_desktop.ui.activity_dialogs import ActivityForm, HoursGridDialog, NewFaceDialog
    from wushe_desktop.ui.resource_dialogs import DistributionDialog, DonationDialog
    activities = window.page(mw.ACTIVITIES)
    panel_holder: list[Any] = []

    def activity_panel(tab: int, search: str = "") -> Callable[[], Any]:
        def make() -> Any:
            window.show_page(mw.ACTIVITIES)
            if not panel_holder:
                shooter.settle(300)
                panel_holder.append(activities.open_activity(activities.list_page.model.rows[0].uuid))
            panel = panel_holder[0]
            shooter.settle(300)
            panel.tabs.setCurrentIndex(tab)
            if search:
                panel.search.setText(search)
                panel.run_search()
            return window
        return make

    shooter.take("32-activity", activity_panel(0, "王"), close=False)
    shooter.take("33-activity-hours-tab", activity_panel(1), close=False)
    if panel_holder:
        panel = panel_holder[0]
        detail = panel.screen_data.detail.activity
        shooter.take("34-activity-form", lambda: _show(ActivityForm(ctx, window, detail), (1000, 680)))

        def grid() -> Any:
            dialog = _show(HoursGridDialog(ctx, detail, panel.grid_volunteers(), window), (900, 600))
            shooter.settle()
            dialog.fill_empty_rows()
            return dialog
        shooter.take("35-activity-hours-grid", grid)
        shooter.take("36-activity-new-face", lambda: _show(NewFaceDialog(ctx, panel.activity_id, window)))
        activities.show_list()
    resources = window.page(mw.RESOURCES)

    def busiest_month() -> Any:
        from wushe_desktop.services.resources import ledger
        today = date.today()
        months = [date(today.year, m, 1) for m in range(1, today.month + 1)]
        best = max(months, key=lambda m: len(ledger(db, ctx.actor, m)))
        window.show_page(mw.RESOURCES)
        resources.set_month(best)
        shooter.settle(300)
        return window

    shooter.take("37-resources-ledger", busiest_month, close=False)
    shooter.take("38-resources-donation", lambda: _show(DonationDialog(ctx, window), (960, 660)))
    shooter.take("39-resources-distribution", lambda: _show(DistributionDialog(ctx, window)))

    # -- 6. statistics -----------------------------------------------------------------------
    from wushe_desktop.ui.batch_print_dialog import BatchPrintDialog
    shooter.take("40-batch-print", lambda: _show(BatchPrintDialog(ctx, window)))

    # -- 7. settings -------------------------------------------------------------------------
    settings_page = window.page(mw.SETTINGS)

    def settings_tab(index: int) -> Callable[[], Any]:
        def make() -> Any:
            window.show_page(mw.SETTINGS)
            settings_page.tabs.setCurrentIndex(index)
            shooter.settle(300)
            return window
        return make

    for index, name in enumerate(("communities", "lists", "hours", "staff"), start=1):
        shooter.take(f"{40 + index}-settings-{name}", settings_tab(index), close=False)

    # -- 8. the system menu -------------------------------------------------------------------
    from wushe_desktop.ui.audit_viewer import AuditViewer
    from wushe_desktop.ui.backup_dialogs import BackupDialog, RecoverySheetDialog, RestoreDialog
    from wushe_desktop.ui.login_dialog import AccountsDialog, ChangePasswordDialog, LoginDialog
    from wushe_desktop.ui.worker import Worker

    accounts = made["accounts"]
    head = ctx.actor.name
    accounts.create_account(db, CLI_ACTOR, "wulan", head, Role.STATION_HEAD, "caoyuan-2026")
    accounts.create_account(db, CLI_ACTOR, "lina", "李娜", Role.SOCIAL_WORKER, "shegong-2026")
    ctx.username = "wulan"  # as after logging in: the window can lock
    login_worker = Worker("login")
    shooter.workers.append(login_worker)

    def login() -> Any:
        dialog = _show(LoginDialog(db, login_worker, station_info(db), window,
                                   settings=QSettings(str(scratch / "login.ini"), QSettings.Format.IniFormat)))
        dialog.username.setText("wulan")
        dialog.password.setText("wrong-password")
        dialog.log_in()  # one wrong password: the sentence under the fields
        shooter.settle(500)
        return dialog

    shooter.take("45-login", login)

    def locked() -> Any:
        window.show_page(mw.DASHBOARD)
        window.system.lock()
        shooter.settle(300)
        return window.system.idle.overlay  # a window of its own over the main window

    shooter.take("46-lock", locked, close=False)
    if window.system.idle.overlay is not None:
        window.system.idle._unlocked(None)

    shooter.take("47-backup", lambda: _show(BackupDialog(ctx, window, folder="/media/wulan/U盘/本站备份")))

    def restore() -> Any:
        dialog = _show(RestoreDialog(ctx.writer, window, current_code=STATION_CODE))
        dialog.set_file(made["backup"])
        return dialog

    shooter.take("48-restore", restore)
    shooter.take("49-accounts", lambda: _show(AccountsDialog(ctx, window)))
    shooter.take("50-audit", lambda: _show(AuditViewer(ctx, window)))
    shooter.take("51-recovery-sheet", lambda: _show(RecoverySheetDialog(ctx, window)))
    shooter.take("52-change-password", lambda: _show(ChangePasswordDialog(db, login_worker, "wulan", window)))

    # -- 9. sync: the bundle went out; then the centre's receipt comes back -------------------
    from wushe_desktop.services import centre
    from wushe_desktop.services.receipts import import_receipt
    shooter.take("53-sync-pending", page(mw.SYNC), close=False)
    bundle = sorted(made["usb"].glob(f"{STATION_CODE}-*.wsb"))[-1]
    outcome = centre.import_bundle(made["centre"], CLI_ACTOR, bundle)
    if outcome.receipt_path is None:
        raise RuntimeError(f"the centre refused the station's bundle: {outcome.reason}")
    import_receipt(db, CLI_ACTOR, outcome.receipt_path)
    ctx.events.changed.emit("sync")
    shooter.take("54-sync-acknowledged", page(mw.SYNC), close=False)
    window.show_page(mw.DASHBOARD)

    # -- 10. the set-up wizard on a new PC ------------------------------------------------------
    from wushe_desktop.ui.setup_wizard import SetupWizard
    wizard = SetupWizard(ctx.writer, scratch / "new" / "wushe.sqlite3")
    wizard.show()
    shooter.settle(500)
    wizard.station_page.search.setText("毕克齐")

    def wizard_page(step: int, fill: Callable[[], Any]) -> Callable[[], Any]:
        def make() -> Any:
            for _ in range(step):
                if wizard.currentId() < step:
                    wizard.next()
                    shooter.settle(100)
            fill()
            return wizard
        return make

    shooter.take("55-setup-station", wizard_page(0, lambda: None), close=False)

    def people() -> None:
        wizard.people_page.communities.setPlainText("什报气村\n毕克齐社区\n巴彦嘎查")
        wizard.people_page.head.setText("乌兰")
        wizard.people_page.username.setText("wulan")
        wizard.people_page.password.setText("caoyuan-2026")
        wizard.people_page.password_again.setText("caoyuan-2026")

    shooter.take("56-setup-people", wizard_page(1, people), close=False)

    def passphrase() -> None:
        wizard.passphrase_page.first.setText(PASSPHRASE)
        wizard.passphrase_page.second.setText(PASSPHRASE)

    shooter.take("57-setup-passphrase", wizard_page(2, passphrase), close=False)
    wizard.reject()

    window.close()
    ctx.shutdown()
    login_worker.shutdown()
    db.dispose()

    # -- 11. the banner centre ------------------------------------------------------------------
    from wushe_desktop.ui import centre_window as cw
    centre_db = made["centre"]
    cctx = make_context(centre_db, Opening(station_info(centre_db), Actor(name="其木格", role=Role.CENTRE_ADMIN)))
    shooter.workers += [cctx.writer, cctx.reader]
    cwin = cw.CentreWindow(cctx, QSettings(str(scratch / "centre.ini"), QSettings.Format.IniFormat))
    cwin.resize(*WINDOW_SIZE)
    cwin.show()
    shooter.settle(500)

    def centre_page(index: int, then: Callable[[Any], Any] | None = None) -> Callable[[], Any]:
        def make() -> Any:
            shown = cwin.show_page(index)
            shooter.settle(300)
            if then is not None:
                then(shown)
                shooter.settle(300)
            return cwin
        return make

    stations = cwin.page(cw.STATIONS)

    def trust() -> Any:
        cwin.show_page(cw.STATIONS)
        stations.register_card(made["new_card"])
        shooter.settle(300)
        if stations.trust_dialog is None:
            raise RuntimeError("no trust dialog")
        return stations.trust_dialog

    dialog = shooter.take("58-centre-trust", trust, close=False)
    if dialog is not None:
        dialog.confirm_button.click()
    shooter.take("59-centre-stations", centre_page(cw.STATIONS), close=False)

    def import_preview(page: Any) -> None:
        page.add_files([made["usb"]])
        page.run(dry_run=True)
        shooter.settle(300)
        page.table.selectRow(0)

    shooter.take("60-centre-import-preview", centre_page(cw.IMPORT, import_preview), close=False)

    def import_done(page: Any) -> None:
        page.run(dry_run=False)
        shooter.settle(300)
        page.table.selectRow(0)

    shooter.take("61-centre-import-done", centre_page(cw.IMPORT, import_done), close=False)
    shooter.take("62-centre-overview", centre_page(cw.OVERVIEW), close=False)

    def supervision(page: Any) -> None:
        page.high_risk.setChecked(True)

    shooter.take("63-centre-supervision", centre_page(cw.SUPERVISION, supervision), close=False)
    cwin.close()
    cctx.shutdown()
    centre_db.dispose()

    if shooter.failed:
        print("could not take:", ", ".join(shooter.failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
