"""The Chinese translation is complete, compiled, and matches the source (STYLE.md §11)."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from wushe_desktop.ui.i18n import CATALOGUE, install_font, translations_dir

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "wushe_desktop" / "ui"
TS = translations_dir() / f"{CATALOGUE}.ts"
QM = translations_dir() / f"{CATALOGUE}.qm"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

Message = tuple[str, str]  # (context, source)


def _messages() -> dict[Message, ET.Element]:
    found: dict[Message, ET.Element] = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message
    return found


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    problems = []
    for (context, source), message in _messages().items():
        translation = message.find("translation")
        assert translation is not None
        text = translation.text or ""
        if translation.get("type") in ("unfinished", "obsolete", "vanished") or not text.strip():
            problems.append(f"{context}: {source!r} is not translated")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{context}: {source!r} → {text!r} has other placeholders")
        elif source.count("&") != text.count("&"):
            problems.append(f"{context}: {source!r} → {text!r} lost its shortcut mark")
    assert problems == []


def test_translations_are_chinese() -> None:
    """No translation is left in English (Latin words other than names a user types or sees as such)."""
    allowed = {
        "Excel", "WPS", "CSV", "UTF", "GB", "PDF", "ID", "U",  # product and format names; U盘: a USB stick
        "xls", "xlsx", "csv",  # file types named as such
        "E", "X",  # letters of an ID number
        "A", "F",  # 0–9, A–F: the characters of a key fingerprint
        "wgh", "qqg", "wulan",  # examples of what to type (pinyin initials, a user name)
        "backups",  # the folder's real name on disk
        "SQLite", "PostgreSQL", "postgresql", "psycopg",  # database products, and an address as typed
    }
    english = []
    for (context, source), message in _messages().items():
        text = PLACEHOLDER.sub("", message.findtext("translation") or "")
        text = re.sub(r"\(&[A-Z]\)", "", text)  # the keyboard shortcut, as in 文件(&F)
        text = re.sub(r"<[^>]+>", "", text)  # rich-text tags
        text = re.sub(r"\b(Ctrl|Shift|Alt)\+\w+", "", text)  # key names, as on the keyboard
        text = re.sub(r"[\w-]*\.[a-z0-9]+\b", "", text)  # file names and extensions: *.wsb, .wbak, 报告.pdf
        words = set(re.findall(r"[A-Za-z]+", text)) - allowed
        if words:
            english.append((context, source, sorted(words)))
    assert english == []


def _tr_strings(path: Path) -> set[Message]:
    """(context, source) of every self.tr / translate / QT_TRANSLATE_NOOP call with literals."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[Message] = set()

    def literal(node: ast.expr) -> str | None:
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None

    def visit(node: ast.AST, cls: str | None) -> None:
        if isinstance(node, ast.ClassDef):
            cls = node.name
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            args = node.args
            if name == "tr" and isinstance(func, ast.Attribute) and args and literal(args[0]) is not None:
                assert cls is not None, f"{path.name}: self.tr outside a class"
                found.add((cls, literal(args[0]) or ""))
            elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
                context, source = literal(args[0]), literal(args[1])
                if context is not None and source is not None:
                    found.add((context, source))
        for child in ast.iter_child_nodes(node):
            visit(child, cls)

    visit(tree, None)
    return found


def test_every_source_string_is_in_the_catalogue() -> None:
    in_code: set[Message] = set()
    for path in sorted(UI.glob("*.py")):
        in_code |= _tr_strings(path)
    in_catalogue = set(_messages())
    assert len(in_code) > 250
    assert sorted(in_code - in_catalogue) == [], "run pyside6-lupdate (see resources/i18n/README.md)"
    assert sorted(in_catalogue - in_code) == [], "the catalogue holds strings the code no longer uses"


def test_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    rebuilt = tmp_path / "rebuilt.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(rebuilt)], check=True, capture_output=True)
    assert rebuilt.read_bytes() == QM.read_bytes(), "rebuild the .qm with pyside6-lrelease"


def test_committed_qm_translates_every_message() -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    for (context, source), message in _messages().items():
        assert translator.translate(context, source) == message.findtext("translation"), (context, source)


def test_qt_speaks_chinese_and_the_font_is_registered(qapp: QApplication) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    texts = [buttons.button(b).text() for b in (QDialogButtonBox.StandardButton.Save,
                                                 QDialogButtonBox.StandardButton.Cancel)]
    assert texts == ["保存", "取消"]
    family = install_font(qapp)
    assert family is not None and "WenQuanYi" in family
    assert qapp.font().family() == family
    assert "WenQuanYi Micro Hei" in QFontDatabase.families()
    assert QCoreApplication.translate("MainWindow", "Dashboard") == "工作台"


@pytest.mark.parametrize("source", ["Intake", "Assessment", "Planning", "Intervention", "Evaluation", "Closed"])
def test_stage_names_follow_the_casework_stages(source: str) -> None:
    expected = dict(zip(["Intake", "Assessment", "Planning", "Intervention", "Evaluation", "Closed"],
                        ["接案", "预估", "计划", "介入", "评估", "结案"], strict=True))
    assert QCoreApplication.translate("Labels", source) == expected[source]
