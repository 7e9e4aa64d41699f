"""Helpers shared by the GUI tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.ui.context import UiContext


def valid_id(prefix17: str) -> str:
    """An ID number with the right check character."""
    return prefix17 + id_number_check_char(prefix17)


def wrong_id(prefix17: str) -> str:
    """An ID number whose check character is wrong."""
    right = id_number_check_char(prefix17)
    return prefix17 + ("0" if right != "0" else "1")


def birth_id(born: date, seq: str = "002") -> str:
    """A valid ID number of someone from 土默特左旗 born on a day (odd ``seq``: male)."""
    return valid_id(f"150121{born:%Y%m%d}{seq}")


def wait_idle(qtbot: QtBot, ctx: UiContext, timeout: int = 10_000) -> None:
    """Wait until both workers have finished everything (handlers included)."""
    qtbot.waitUntil(lambda: not ctx.writer.busy and not ctx.reader.busy, timeout=timeout)


def ini_settings(folder: Path, name: str = "ui") -> QSettings:
    """A window's settings kept in ``folder/name.ini`` (never the user's own settings)."""
    return QSettings(str(folder / f"{name}.ini"), QSettings.Format.IniFormat)
