"""`wushe export-volunteers`: the national volunteer system's upload file, from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from wushe_desktop.services.context import Actor
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.storage.db import open_database


def wushe(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "wushe_desktop.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, check=False, timeout=300)


def test_export_volunteers_writes_the_upload_file(db_path: Path, actor: Actor, tmp_path: Path) -> None:
    db = open_database(db_path)
    try:
        generate_demo(db, actor, DemoSize(cases=4, volunteers=6, activities=3), seed=5)
    finally:
        db.dispose()
    out = tmp_path / "志愿服务上传.xlsx"
    result = wushe("--db", str(db_path), "export-volunteers", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"Written / 已导出: {out}" in result.stdout
    assert "志愿者" in result.stdout and "完整证件号码" in result.stdout
    book = load_workbook(out)
    assert book.sheetnames == ["志愿者信息", "服务时长"]
    volunteers = list(book["志愿者信息"].iter_rows(values_only=True))
    assert len(volunteers) > 1 and all(isinstance(row[4], str) and len(row[4]) == 18 for row in volunteers[1:])

    bad = wushe("--db", str(db_path), "export-volunteers", "--out", str(out), "--from", "2026-11-01",
                "--to", "2026-01-01")
    assert bad.returncode == 1
    assert "开始日期晚于结束日期" in bad.stderr and "Traceback" not in bad.stderr
