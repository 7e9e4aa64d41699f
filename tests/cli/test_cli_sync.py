"""Scenario 6 on the command line: a station reports to its banner centre by USB stick."""

from __future__ import annotations

import json
import re
from pathlib import Path

from test_cli import STATS_KEYS, assert_clean_failure, wushe

STATION = "150121101000"
CENTRE = "150121000000"
FINGERPRINT_RE = re.compile(r"[0-9A-F]{4}(?:-[0-9A-F]{4}){7}")


def _fingerprint(text: str) -> str:
    found = FINGERPRINT_RE.findall(text)
    assert found, text
    return found[0]


def test_scenario_6_station_to_centre_and_back(tmp_path: Path) -> None:
    station, centre, usb = str(tmp_path / "station.sqlite3"), str(tmp_path / "centre" / "centre.sqlite3"), tmp_path / "usb"
    usb.mkdir()
    assert wushe("--db", station, "init", "--station-code", STATION, "--station-name", "毕克齐镇社工站").returncode == 0
    assert wushe("--db", station, "demo", "--cases", "10", "--seed", "5").returncode == 0
    err = assert_clean_failure(wushe("--db", station, "export", "--out", str(usb)))
    assert "import-centre" in err and len(err.strip().splitlines()) == 1

    made = wushe("--db", centre, "centre", "init", "--name", "土默特左旗社会工作服务中心")
    assert made.returncode == 0, made.stderr
    assert CENTRE in made.stdout and "土默特左旗" in made.stdout
    card = wushe("--db", centre, "keys", "export-card", "--out", str(usb))
    assert card.returncode == 0, card.stderr
    centre_fp = _fingerprint(card.stdout)
    centre_card = usb / f"{CENTRE}-centre.card"
    assert centre_card.is_file()

    # The station takes the centre's card after comparing the fingerprint read out.
    taken = wushe("--db", station, "keys", "import-centre", str(centre_card), "--expect-fingerprint", centre_fp)
    assert taken.returncode == 0, taken.stderr
    assert centre_fp in taken.stdout and "土默特左旗社会工作服务中心" in taken.stdout
    shown = wushe("--db", station, "keys", "show")
    station_fp = _fingerprint(shown.stdout)
    assert centre_fp in shown.stdout
    assert wushe("--db", station, "keys", "export-card", "--out", str(usb)).returncode == 0

    # The centre registers the station's card after the phone call.
    trust = wushe("--db", centre, "centre", "trust", str(usb / f"{STATION}-station.card"),
                  "--expect-fingerprint", station_fp.lower().replace("-", " "))
    assert trust.returncode == 0, trust.stderr
    assert station_fp in trust.stdout and "毕克齐镇社工站" in trust.stdout

    # Export, carry, import (a dry run first), receipt back.
    exported = wushe("--db", station, "export", "--out", str(usb))
    assert exported.returncode == 0, exported.stderr
    bundle = usb / f"{STATION}-000001.wsb"
    assert bundle.is_file() and str(bundle.name) in exported.stdout
    dry = wushe("--db", centre, "centre", "import", "--dry-run", str(bundle))
    assert dry.returncode == 0 and "Would import" in dry.stdout
    assert not Path(f"{bundle}.receipt").exists()
    imported = wushe("--db", centre, "centre", "import", str(bundle))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert imported.stdout.startswith("OK ") and "毕克齐镇社工站" in imported.stdout
    assert len(imported.stdout.strip().splitlines()) == 1
    receipt = Path(f"{bundle}.receipt")
    assert receipt.is_file()
    back = wushe("--db", station, "receipt", "import", str(receipt))
    assert back.returncode == 0, back.stderr
    assert "0 changed rows not yet acknowledged" in back.stdout

    # The centre's figures and lists equal the station's.
    own = json.loads(wushe("--db", station, "stats", "--json").stdout)
    at_centre = json.loads(wushe("--db", centre, "centre", "stats", "--station", STATION, "--json").stdout)
    assert own.keys() >= STATS_KEYS and at_centre == own
    month = ("--from", "2026-01-01", "--to", "2026-12-31", "--json")
    assert (json.loads(wushe("--db", centre, "centre", "stats", "--station", STATION, *month).stdout)
            == json.loads(wushe("--db", station, "stats", *month).stdout))
    listed = wushe("--db", centre, "centre", "list", "cases", "--station", STATION, "--json")
    assert json.loads(listed.stdout) == json.loads(wushe("--db", station, "list", "cases", "--json").stdout)
    total = json.loads(wushe("--db", centre, "centre", "stats", "--json").stdout)
    assert total["stations"] == [STATION]
    stations = json.loads(wushe("--db", centre, "centre", "stations", "--json").stdout)
    assert [(s["code"], s["last_sequence"], s["overdue"]) for s in stations] == [(STATION, 1, False)]

    # A re-import changes nothing; a damaged copy is refused and quarantined.
    again = wushe("--db", centre, "centre", "import", str(bundle))
    assert again.returncode == 0 and "Already imported" in again.stdout
    damaged = usb / "damaged.wsb"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 1
    damaged.write_bytes(bytes(data))
    refused = wushe("--db", centre, "centre", "import", str(damaged), str(bundle))
    err = assert_clean_failure(refused)
    lines = refused.stdout.strip().splitlines()
    assert lines[0].startswith("REFUSED damaged.wsb") and "altered" in lines[0] and lines[1].startswith("OK ")
    assert "1 of 2" in err and len(err.strip().splitlines()) == 1
    quarantine = tmp_path / "centre" / "quarantine"
    assert len(list(quarantine.glob("*damaged.wsb"))) == 1 and damaged.is_file()
    reason = next(quarantine.glob("*.reason.txt")).read_text(encoding="utf-8")
    assert "bundle.payload_hash" in reason and "数据包" in reason

    # Mistakes give one clear line.
    err = assert_clean_failure(wushe("--db", station, "centre", "stats", "--json"))
    assert "centre" in err and len(err.strip().splitlines()) == 1
    err = assert_clean_failure(wushe("--db", centre, "centre", "list", "cases", "--station", "150121199000"))
    assert "150121199000" in err
    err = assert_clean_failure(wushe("--db", station, "keys", "import-centre", str(usb / f"{STATION}-station.card")))
    assert "card" in err
    assert_clean_failure(wushe("--db", centre, "centre", "import"), code=2)


def test_key_changes_and_revocation(tmp_path: Path) -> None:
    station, centre, usb = str(tmp_path / "s.sqlite3"), str(tmp_path / "c" / "c.sqlite3"), tmp_path / "usb"
    usb.mkdir()
    assert wushe("--db", station, "init", "--station-code", STATION, "--station-name", "毕克齐镇社工站").returncode == 0
    assert wushe("--db", centre, "centre", "init", "--name", "土左旗中心", "--code", "150121").returncode == 0
    assert wushe("--db", centre, "keys", "export-card", "--out", str(usb / "centre.card")).returncode == 0
    assert wushe("--db", station, "keys", "import-centre", str(usb / "centre.card")).returncode == 0
    other = str(tmp_path / "o" / "o.sqlite3")
    assert wushe("--db", other, "centre", "init", "--name", "托克托县社会工作服务中心").returncode == 0
    assert wushe("--db", other, "keys", "export-card", "--out", str(usb / "other.card")).returncode == 0
    err = assert_clean_failure(wushe("--db", station, "keys", "import-centre", str(usb / "other.card")))
    assert "--replace" in err and len(FINGERPRINT_RE.findall(err)) >= 2
    assert wushe("--db", station, "keys", "export-card", "--out", str(usb)).returncode == 0
    assert wushe("--db", centre, "centre", "trust", str(usb / f"{STATION}-station.card")).returncode == 0
    wrong = "0000-0000-0000-0000-0000-0000-0000-0000"
    err = assert_clean_failure(wushe("--db", centre, "centre", "trust", str(usb / f"{STATION}-station.card"),
                                     "--expect-fingerprint", wrong))
    assert "phone" in err
    rotated = wushe("--db", station, "keys", "rotate", "--out", str(usb))
    assert rotated.returncode == 0, rotated.stderr
    statement = next(usb.glob("*.rotation"))
    trust = wushe("--db", centre, "centre", "trust", str(statement))
    assert trust.returncode == 0 and "Key change registered" in trust.stdout
    assert wushe("--db", station, "export", "--out", str(usb)).returncode == 0
    assert wushe("--db", centre, "centre", "import", str(usb / f"{STATION}-000001.wsb")).returncode == 0
    revoked = wushe("--db", centre, "centre", "revoke", STATION)
    assert revoked.returncode == 0 and "Revoked" in revoked.stdout
    refused = wushe("--db", centre, "centre", "import", str(usb))  # a folder: the bundles in it
    assert_clean_failure(refused)
    assert refused.stdout.startswith(f"REFUSED {STATION}-000001.wsb") and "revoked" in refused.stdout


def test_export_card_also_writes_the_printable_card(tmp_path: Path) -> None:
    station, usb = str(tmp_path / "s.sqlite3"), tmp_path / "usb"
    usb.mkdir()
    assert wushe("--db", station, "init", "--station-code", STATION, "--station-name", "毕克齐镇社工站").returncode == 0
    card = wushe("--db", station, "keys", "export-card", "--out", str(usb))
    assert card.returncode == 0, card.stderr
    pdf = usb / f"{STATION}-station.pdf"
    assert (usb / f"{STATION}-station.card").is_file() and pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in card.stdout and _fingerprint(card.stdout)
