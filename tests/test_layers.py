"""The layer rules of DESIGN.md §3 hold (import-linter contracts in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_ui_and_app_import_qt() -> None:
    offenders = []
    for path in (ROOT / "wushe_desktop").rglob("*.py"):
        rel = path.relative_to(ROOT / "wushe_desktop").as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "import PySide6" in text or "from PySide6" in text:
            offenders.append(rel)
    assert offenders == []
