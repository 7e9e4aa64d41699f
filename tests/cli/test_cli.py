"""The `wushe` command line, run as a subprocess like a user or a script would."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wushe_desktop.domain.validation import id_number_check_char

STATS_KEYS = {"activities", "funds_raised_yuan", "goods_value_yuan", "participant_person_times",
              "beneficiary_person_times", "beneficiary_persons", "cases", "service_records", "volunteers",
              "volunteer_hours"}


def wushe(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "wushe_desktop.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", env=full_env, check=False, timeout=300)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def station(tmp_path: Path) -> Path:
    db = tmp_path / "station.sqlite3"
    result = wushe("--db", str(db), "init", "--station-code", "150121101000", "--station-name", "毕克齐镇社工站",
                   "--banner", "土默特左旗")
    assert result.returncode == 0, result.stderr
    assert "土默特左旗" in result.stdout
    return db


def test_init_demo_stats_list_check(station: Path) -> None:
    assert wushe("--db", str(station), "demo", "--cases", "120", "--seed", "7").returncode == 0
    stats = wushe("--db", str(station), "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    doc = json.loads(stats.stdout)
    assert doc.keys() >= STATS_KEYS
    assert set(doc["cases"]) == {"opened", "active", "closed", "referred"}
    assert set(doc["participant_person_times"]) == {"social_workers", "volunteers", "caring_people"}
    assert doc["cases"]["opened"] + 1 >= doc["cases"]["active"] > 0
    assert doc["service_records"] > 0 and doc["volunteer_hours"] > 0 and doc["beneficiary_persons"] > 0
    assert doc["beneficiary_person_times"] >= doc["service_records"]
    cases = json.loads(wushe("--db", str(station), "list", "cases", "--json").stdout)
    assert len(cases) == 120 and all(c["case_no"].startswith("150121101000-") for c in cases)
    people = wushe("--db", str(station), "list", "people", "--json")
    assert "王桂花" in people.stdout  # Chinese written as itself, not \u escapes
    assert any(p["name"] == "王桂花" for p in json.loads(people.stdout))
    check = wushe("--db", str(station), "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert wushe("--db", str(station), "audit", "verify").returncode == 0
    month = wushe("--db", str(station), "stats", "--from", "2026-11-01", "--to", "2026-11-30", "--json")
    assert json.loads(month.stdout)["from"] == "2026-11-01"


def test_mistakes_give_one_clear_line_and_no_traceback(tmp_path: Path, station: Path) -> None:
    err = assert_clean_failure(wushe("--db", str(tmp_path / "none.sqlite3"), "stats", "--json"))
    assert "wushe init" in err and len(err.strip().splitlines()) == 1
    err = assert_clean_failure(wushe("--db", str(station), "init", "--station-code", "150121101000",
                                     "--station-name", "x"))
    assert "already exists" in err
    err = assert_clean_failure(wushe("--db", str(tmp_path / "b.sqlite3"), "init", "--station-code", "150121101000",
                                     "--station-name", "x", "--banner", "托克托县"))
    assert "土默特左旗" in err
    assert_clean_failure(wushe("--db", str(station), "stats", "--from", "yesterday"), code=2)
    assert_clean_failure(wushe("--db", str(station), "frobnicate"), code=2)
    assert_clean_failure(wushe("--db", str(station), "stats", "--from", "2026-12-01", "--to", "2026-11-01"))


def _id(birth: str, seq: str) -> str:
    first17 = "150121" + birth + seq
    return first17 + id_number_check_char(first17)


def _write_roster(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "性别", "民族", "证件号码", "联系电话", "现居住地", "类别", "备注"])
        writer.writerows(rows)


def test_roster_import_is_all_or_nothing_and_idempotent(tmp_path: Path, station: Path) -> None:
    good = [
        ["王桂花", "女", "汉族", _id("19440312", "022"), "13812345678", "毕克齐镇什报气村", "低保、高龄老人", ""],
        ["乌云·巴图", "男", "蒙古族", _id("19600101", "013"), "13912345678", "毕克齐镇毕克齐村", "残疾人", "新"],
        ["其木格", "女", "蒙古族", _id("19580704", "024"), "", "毕克齐镇讨合气村", "", ""],
    ]
    bad = [list(r) for r in good]
    bad[1][3] = bad[1][3][:-1] + ("0" if bad[1][3][-1] != "0" else "1")
    roster = tmp_path / "名册.csv"
    _write_roster(roster, bad)
    err = assert_clean_failure(wushe("--db", str(station), "import", "people", str(roster)))
    assert "Row 3" in err and "证件号码" in err and "nothing was imported" in err
    assert json.loads(wushe("--db", str(station), "list", "people", "--json").stdout) == []
    _write_roster(roster, good)
    dry = wushe("--db", str(station), "import", "people", str(roster), "--dry-run")
    assert dry.returncode == 0 and "备注" in dry.stdout
    assert json.loads(wushe("--db", str(station), "list", "people", "--json").stdout) == []
    first = wushe("--db", str(station), "import", "people", str(roster))
    assert first.returncode == 0, first.stderr
    assert "3 added" in first.stdout
    again = wushe("--db", str(station), "import", "people", str(roster))
    assert "0 added" in again.stdout and "3 unchanged" in again.stdout
    people = json.loads(wushe("--db", str(station), "list", "people", "--json").stdout)
    assert sorted(p["name"] for p in people) == ["乌云·巴图", "其木格", "王桂花"]


def test_backup_and_restore(tmp_path: Path, station: Path) -> None:
    env = {"WUSHE_BACKUP_PASSPHRASE": "correct horse battery"}
    assert wushe("--db", str(station), "demo", "--cases", "10").returncode == 0
    before = json.loads(wushe("--db", str(station), "list", "cases", "--json").stdout)
    usb = tmp_path / "usb"
    usb.mkdir()
    result = wushe("--db", str(station), "backup", "--out", str(usb / "station.wsbak"), env=env)
    assert result.returncode == 0, result.stderr
    assert b"\xe7\x8e\x8b\xe6\xa1\x82\xe8\x8a\xb1" not in (usb / "station.wsbak").read_bytes()  # 王桂花 in UTF-8
    assert wushe("--db", str(station), "demo", "--cases", "5").returncode == 0
    assert_clean_failure(wushe("--db", str(station), "restore", str(usb / "station.wsbak"), env=env))  # no --yes
    err = assert_clean_failure(wushe("--db", str(station), "restore", "--yes", str(usb / "station.wsbak"),
                                     env={"WUSHE_BACKUP_PASSPHRASE": "wrong horse battery"}))
    assert "passphrase" in err.lower()
    restored = wushe("--db", str(station), "restore", "--yes", str(usb / "station.wsbak"), env=env)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(wushe("--db", str(station), "list", "cases", "--json").stdout) == before
    assert wushe("--db", str(station), "check").returncode == 0
