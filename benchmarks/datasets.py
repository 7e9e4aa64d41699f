"""Benchmark databases built once with the demo generator and cached (never committed).

``station_db(cases)`` returns ``<data>/station-<cases>.sqlite3`` (with its ``keys/``),
building it with ``wushe demo`` (seed 1) when it is missing. ``<data>`` is
``WUSHE_BENCH_DATA`` or ``benchmarks/data/`` (ignored by git). A file is built under a
temporary name and renamed when complete, so an interrupted build is never reused.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

# Measure this checkout's code, not whatever copy of the package is installed.
REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

from wushe_desktop.services.context import CLI_ACTOR  # noqa: E402
from wushe_desktop.services.demo import DemoSize, generate_demo  # noqa: E402
from wushe_desktop.services.station import init_database  # noqa: E402

STATION_CODE = "150121101000"  # 毕克齐镇
STATION_NAME = "毕克齐镇社工站"


def data_dir() -> Path:
    folder = Path(os.environ.get("WUSHE_BENCH_DATA") or Path(__file__).resolve().parent / "data")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def station_db(cases: int, *, log: bool = True) -> Path:
    """The cached station database with ``cases`` demo cases (built if missing)."""
    folder = data_dir() / f"station-{cases}"
    target = folder / "station.sqlite3"
    if target.is_file():
        return target
    building = data_dir() / f"station-{cases}.building"
    shutil.rmtree(building, ignore_errors=True)
    start = time.perf_counter()
    db, _ = init_database(building / "station.sqlite3", code=STATION_CODE, name=STATION_NAME)
    try:
        generate_demo(db, CLI_ACTOR, DemoSize(cases=cases), seed=1)
    finally:
        db.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    if log:
        print(f"built {target} in {time.perf_counter() - start:.0f} s", flush=True)
    return target


if __name__ == "__main__":
    for n in sys.argv[1:] or ["1000", "100000"]:
        print(station_db(int(n)))
