"""Shared fixtures. Qt runs offscreen; each test gets its own data folder."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_runtime = tempfile.mkdtemp(prefix="wushe-xdg-")
Path(_runtime).chmod(0o700)
os.environ["XDG_RUNTIME_DIR"] = _runtime
os.environ.pop("WUSHE_BACKUP_PASSPHRASE", None)
os.environ.pop("WUSHE_DB", None)

from wushe_desktop.services.context import CLI_ACTOR, Actor  # noqa: E402
from wushe_desktop.services.station import init_database  # noqa: E402
from wushe_desktop.storage.db import Database, open_database  # noqa: E402

STATION_CODE = "150121101000"  # 毕克齐镇, 土默特左旗


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/ui as gui, so `pytest -m "not gui"` runs the core alone."""
    for item in items:
        if "/tests/ui/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("WUSHE_DATA_DIR", str(data))
    return data


@pytest.fixture
def actor() -> Actor:
    """The command line's local administrator (holds every permission)."""
    return CLI_ACTOR


PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="session")
def _station_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised station database per test run; each test gets a copy (fast)."""
    folder = tmp_path_factory.mktemp("template")
    database, _ = init_database(folder / "station.sqlite3", code=STATION_CODE, name="毕克齐镇社工站",
                                passphrase=PASSPHRASE)
    database.dispose()
    return folder


@pytest.fixture
def db_path(tmp_path: Path, _station_template: Path) -> Path:
    """Path of a fresh copy of the initialised station database (with its key folder)."""
    target = tmp_path / "station"
    shutil.copytree(_station_template, target)
    return target / "station.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A freshly initialised station database (毕克齐镇社工站), opened."""
    database = open_database(db_path)
    yield database
    database.dispose()
