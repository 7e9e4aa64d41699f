"""The paper key card (密钥登记卡): its text read back, one page, embedded fonts only."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pdf_checks import Pdf, flat, font_problems

from wushe_desktop.printing.data import PrintContext
from wushe_desktop.printing.key_card import (
    CENTRE_CARD_TITLE,
    STATION_CARD_TITLE,
    KeyCardForm,
    build_key_card_pdf,
    fingerprint_groups,
)
from wushe_desktop.services import keys
from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.print_keys import card_pdf_path, export_card_with_print, print_key_card
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog

FINGERPRINT = "3F2A-9C01-0B8D-1234-ABCD-EF00-8888-B0B0"
BOX = "0000-1111-2222-3333-4444-5555-6666-7777"
CTX = PrintContext("毕克齐镇社工站", "150121101000", date(2024, 5, 6), "乌兰")


def station_card() -> KeyCardForm:
    return KeyCardForm("station", "毕克齐镇社工站", "150121101000", "土默特左旗", FINGERPRINT, date(2024, 5, 6),
                       centre_name="土默特左旗社会工作服务中心")


def centre_card() -> KeyCardForm:
    return KeyCardForm("centre", "土默特左旗社会工作服务中心", "150121000000", "土默特左旗", FINGERPRINT,
                       date(2024, 5, 6), box_fingerprint=BOX)


def test_station_card_text() -> None:
    pdf = Pdf(build_key_card_pdf(station_card(), CTX, invariant=True))
    assert pdf.page_count == 1
    text = pdf.flat_text
    for expected in (STATION_CARD_TITLE, "毕克齐镇社工站", "150121101000", "土默特左旗", "土默特左旗社会工作服务中心",
                     "2024年5月6日", "站长签名", "中心核对人签名", "第1页共1页", "打印人：乌兰", "打印日期：2024年5月6日"):
        assert expected in text, expected
    # the groups in order, each numbered
    assert "3F2A9C010B8D1234" in text and "ABCDEF008888B0B0" in text
    assert all(f"第{i}组" in text for i in range(1, 9))


def test_centre_card_has_both_fingerprints() -> None:
    text = Pdf(build_key_card_pdf(centre_card(), CTX, invariant=True)).flat_text
    assert CENTRE_CARD_TITLE in text and "3F2A9C010B8D1234" in text and "0000111122223333" in text
    assert "化名密钥" in text and "中心负责人签名" in text


def test_fonts_are_embedded(tmp_path: Path) -> None:
    data = build_key_card_pdf(station_card(), CTX, invariant=True)
    assert font_problems(Pdf(data)) == []
    pdffonts = shutil.which("pdffonts")
    if pdffonts is not None:  # poppler, where installed: every font line says "emb yes"
        path = tmp_path / "card.pdf"
        path.write_bytes(data)
        lines = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
        fonts = lines[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), lines


def test_invariant_output_is_byte_stable() -> None:
    assert build_key_card_pdf(station_card(), CTX, invariant=True) == build_key_card_pdf(station_card(), CTX,
                                                                                          invariant=True)


@pytest.mark.parametrize("bad", ["", "3F2A-9C01", "ZZZZ-9C01-0B8D-1234-ABCD-EF00-8888-B0B0"])
def test_a_bad_fingerprint_is_a_bug(bad: str) -> None:
    with pytest.raises(ValueError):
        fingerprint_groups(bad)


def test_groups_accept_lower_case_and_spaces() -> None:
    assert fingerprint_groups(FINGERPRINT.lower().replace("-", " "))[0] == "3F2A"


def test_print_service_uses_this_station_and_is_audited(db: Database) -> None:
    pdf = Pdf(print_key_card(db, CLI_ACTOR, today=date(2024, 5, 6)))
    info = keys.show_keys(db)
    assert all(group in pdf.flat_text for group in info.fingerprint.split("-"))
    assert flat("毕克齐镇社工站") in pdf.flat_text and "（尚未导入中心名片）" in pdf.flat_text
    with db.read_sessions() as s:
        audit = s.query(AuditLog).filter(AuditLog.action == "print").order_by(AuditLog.seq.desc()).first()
    assert audit is not None and audit.details["form"] == "key_card"


def test_export_writes_the_pdf_beside_the_card(db: Database, tmp_path: Path) -> None:
    written = export_card_with_print(db, CLI_ACTOR, tmp_path)
    assert written.card.path == tmp_path / "150121101000-station.card"
    assert written.pdf_path == card_pdf_path(written.card.path) == tmp_path / "150121101000-station.pdf"
    assert written.pdf_path.read_bytes() == written.pdf
    assert written.card.fingerprint.split("-")[0] in Pdf(written.pdf).flat_text
