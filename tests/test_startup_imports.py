"""Cold start (DESIGN.md §9): what the window needs is imported at start, the rest on first use.

Each check runs in a fresh interpreter, so what earlier tests imported does not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Imported only when a print, an Excel file, a migration, a backup check or pinyin needs them.
DEFERRED = ("reportlab", "openpyxl", "alembic", "pypinyin", "PIL", "wushe_desktop.printing.case_forms",
            "wushe_desktop.printing.recovery_sheet", "wushe_desktop.printing.key_card",
            "wushe_desktop.printing.layout")


REPO = str(Path(__file__).resolve().parents[1])  # this checkout, not an installed copy


def _loaded_after(code: str, *args: str) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": REPO}
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                         check=True, timeout=300)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == d or m.startswith(d + ".") for d in DEFERRED))


def test_the_start_up_code_and_main_window_import_no_printing_excel_or_alembic() -> None:
    modules = _loaded_after("import wushe_desktop.app, wushe_desktop.ui.startup, wushe_desktop.ui.main_window")
    assert "wushe_desktop.ui.main_window" in modules
    assert _heavy(modules) == []


def test_opening_an_up_to_date_station_and_its_window_imports_none_of_them(db_path: Path, tmp_path: Path) -> None:
    code = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from wushe_desktop.services.database import open_db
from wushe_desktop.ui.context import load_opening, make_context
from wushe_desktop.ui.main_window import MainWindow
db = open_db(sys.argv[1])
ctx = make_context(db, load_opening(db, "站长"))
window = MainWindow(ctx)
window.show()
app.processEvents()
ctx.shutdown()
db.dispose()
"""
    modules = _loaded_after(code, str(db_path))
    assert "wushe_desktop.storage.models" in modules
    assert _heavy(modules) == []


def test_printing_still_loads_its_builders_on_first_use() -> None:
    modules = _loaded_after("from wushe_desktop import printing\nprinting.build_certificate_pdf")
    assert "wushe_desktop.printing.volunteer_forms" in modules and "reportlab" in modules


def test_quit_when_ready_says_shown_then_ready_for_an_existing_database(db_path: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WUSHE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": REPO}
    out = subprocess.run([sys.executable, "-m", "wushe_desktop.app", "--db", str(db_path), "--quit-when-ready"],
                         capture_output=True, text=True, env=env, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith(("shown: ", "ready: "))]
    assert [line.split(":")[0] for line in lines] == ["shown", "ready"]
    assert lines[-1].endswith("毕克齐镇社工站")


def test_the_window_is_on_screen_before_the_database_layer_is_imported(db_path: Path, tmp_path: Path) -> None:
    code = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from wushe_desktop.ui.startup import Startup
startup = Startup(Path(sys.argv[1]), settings=QSettings(sys.argv[2], QSettings.Format.IniFormat))
seen = []
startup.window_shown.connect(lambda w: seen.append(
    {"visible": w.isVisible(), "attached": w.attached, "sqlalchemy": "sqlalchemy" in sys.modules}))
startup.ready.connect(lambda w: (seen.append({"ready": w.attached}), w.close(), app.quit()))
startup.begin()
app.exec()
startup.shutdown()
print(json.dumps(seen))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WUSHE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": REPO}
    out = subprocess.run([sys.executable, "-c", code, str(db_path), str(tmp_path / "ui.ini")], capture_output=True,
                         text=True, env=env, timeout=300, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == [{"visible": True, "attached": False, "sqlalchemy": False}, {"ready": True}]
