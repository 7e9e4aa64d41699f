"""Where things live: packaged resources, migrations and the PC's data folder.

``resources/`` and ``migrations/`` sit at the top of the repository and are mapped into
the wheel as ``wushe_desktop/resources`` and ``wushe_desktop/migrations`` (hatchling
``force-include``). :func:`package_dir` finds them in both layouts, so a plain
``pip install .`` and a source checkout behave the same.

Standard library only, so every layer may import it.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

APP_NAME = "WusheDesktop"
APP_AUTHOR = "Wushe"
DB_FILENAME = "wushe.sqlite3"


def package_dir(name: str) -> Path:
    """Return the folder of a top-level data directory (``resources`` or ``migrations``).

    Looks inside the installed package first, then beside it in a source checkout.

    Raises:
        FileNotFoundError: if neither layout has the folder (a broken install).
    """
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{name}/ not found next to {_PACKAGE}: the installation is incomplete")


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/`` (e.g. ``resource_path("fonts", "wqy-microhei.ttc")``)."""
    return package_dir("resources").joinpath(*parts)


def migrations_dir() -> Path:
    """The Alembic script folder."""
    return package_dir("migrations")


def data_dir() -> Path:
    """The PC-wide data folder (one per PC, not per OS account; DESIGN.md §1).

    ``WUSHE_DATA_DIR`` overrides it (tests, portable installs). Otherwise the site data
    folder of platformdirs (``C:\\ProgramData\\Wushe\\WusheDesktop`` on Windows), falling
    back to the per-user folder where the PC-wide one cannot be written (Linux desktops
    without root, where ``/usr/local/share`` is read-only).
    """
    override = os.environ.get("WUSHE_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # deferred: not needed for most commands

    site = Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR))
    if os.name == "nt" and _writable(site):
        return site
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """The embedded default database file."""
    return data_dir() / DB_FILENAME


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)
