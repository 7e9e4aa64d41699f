"""`wushe print …` run as a subprocess, like a user or a script would."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from wushe_desktop.services.context import Actor
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.storage.db import open_database
from wushe_desktop.storage.models import Activity, AuditLog, Case, Person, Volunteer

_WS = re.compile(r"\s+")


def wushe(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "wushe_desktop.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, check=False, timeout=300)


def pdf_text(path: Path) -> list[str]:
    return [_WS.sub("", page.extract_text()) for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def wrote(result: subprocess.CompletedProcess[str], out: Path) -> list[str]:
    """The command succeeded with one line naming the file and its pages; the pages read back."""
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Wrote {out} (") and "已生成" in lines[0], result.stdout
    assert not out.with_name(out.name + ".tmp").exists()
    pages = pdf_text(out)
    assert f"({len(pages)} page" in lines[0] and f"共 {len(pages)} 页" in lines[0]
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in text
    return pages


@pytest.fixture
def station(db_path: Path, actor: Actor) -> Path:
    db = open_database(db_path)
    try:
        generate_demo(db, actor, DemoSize(cases=12, volunteers=5, activities=4), seed=3)
    finally:
        db.dispose()
    return db_path


def test_print_commands_write_pdfs(station: Path, tmp_path: Path) -> None:
    db = open_database(station)
    with db.read_sessions() as s:
        case_no, id_number = s.execute(select(Case.case_no, Person.id_number)
                                       .join(Person, Person.uuid == Case.person_id)
                                       .where(Person.name == "王桂花")).one()
        volunteer_no = s.scalars(select(Volunteer.volunteer_no).where(Volunteer.name == "苏日娜")
                                 .order_by(Volunteer.volunteer_no)).first()
        activity_no = s.scalars(select(Activity.activity_no).order_by(Activity.activity_no)).first()
    db.dispose()
    assert volunteer_no and activity_no
    base = ("--db", str(station), "print")

    out = tmp_path / "case-file.pdf"
    pages = wrote(wushe(*base, "case-file", case_no, "--out", str(out)), out)
    text = "".join(pages)
    assert "王桂花" in text and id_number[:6] + "********" + id_number[-4:] in text and id_number not in text

    out = tmp_path / "intake.pdf"
    assert id_number in "".join(wrote(wushe(*base, "--show-ids", "intake", case_no, "--out", str(out)), out))

    first, second = tmp_path / "cert.pdf", tmp_path / "cert-copy.pdf"
    issued = wushe(*base, "certificate", volunteer_no, "--out", str(first))
    assert "46.5" in "".join(wrote(issued, first)) and "issued" in issued.stdout
    again = wushe(*base, "certificate", volunteer_no, "--out", str(second))
    copy = wrote(again, second)
    assert "copy" in again.stdout and all("副本" in page for page in copy)
    assert re.search(r"-Z\d{4}-0001", issued.stdout) and re.search(r"-Z\d{4}-0001", again.stdout)

    out = tmp_path / "sign-in.pdf"
    sheet = wrote(wushe(*base, "signin-sheet", activity_no, "--blank", "--rows", "80", "--out", str(out)), out)
    assert len(sheet) >= 3 and "80" in sheet[-1]

    out = tmp_path / "month.pdf"
    month = f"{date.today():%Y-%m}"
    report = wrote(wushe(*base, "monthly-report", "--month", month, "--out", str(out)), out)
    assert "社工站月度工作报告" in report[0] and "五社联动" in "".join(report)

    db = open_database(station)
    with db.read_sessions() as s:
        forms = [row.details.get("form") for row in s.scalars(
            select(AuditLog).where(AuditLog.action == "print").order_by(AuditLog.seq)) if "form" in row.details]
        reveals = s.scalars(select(AuditLog.details).where(AuditLog.action == "reveal")).all()
    db.dispose()
    assert forms == ["case_file", "intake", "certificate", "certificate", "signin_sheet", "monthly_report"]
    assert [r["form"] for r in reveals] == ["intake"]


def test_print_refusals_are_one_clear_line(station: Path, tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    result = wushe("--db", str(station), "print", "case-file", "150121101000-2026-9999", "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "个案" in result.stderr
    assert not out.exists() and not out.with_name("none.pdf.tmp").exists()
    usage = wushe("--db", str(station), "print", "ledger", "--month", "2026-13", "--out", str(out))
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
