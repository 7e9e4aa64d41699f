"""The benchmark command: every figure of DESIGN.md §9 beside its baseline, one JSON document.

Usage::

    python benchmarks/run.py [--sizes 1000 100000] [--runs 5] [--skip-slow] [--out FILE]

Builds (once, cached under ``WUSHE_BENCH_DATA`` or ``benchmarks/data/``) station databases
of the given sizes with the demo generator, then measures, each figure beside the baseline
it is judged against, measured in the same run, medians of ``--runs`` runs:

* ``cold_start``: a fresh ``wushe-desktop --quit-when-ready`` process that opens a copy of the
  largest database to its main window painted and usable (``shown``; start-up draws it before
  the database layer loads), and on to the dashboard's figures on screen (``to_dashboard_s``:
  open-time check, schema check, the figures), against a fresh process that shows a bare
  PySide6 window with a 200-row table; wall time and CPU time, bytecode compiled once
  beforehand (as installed). Target ≤ 3×.
* ``open_check``: the open-time integrity check against the full ``PRAGMA quick_check``
  it replaced (docs/decisions.md §12).
* ``lists`` (``bench_lists.py``, its own process): each record list's first screen
  (≤ 100 ms), search as you type over it (``SEARCHES`` below: 1 and 2 Chinese characters,
  pinyin initials, ID-number tail, phone end; ≤ 50 ms p95 against an indexed ``sqlite3``
  lookup), the longest GUI-thread gap of a real list screen opened and typed into
  (≤ 100 ms), and peak RSS (≤ 300 MB).
* ``export`` / ``centre_import`` (``bench_sync.py``) and ``printing`` (``bench_printing.py``)
  run as their own scripts (each prints its own JSON, folded in here); ``--skip-slow``
  leaves them out (they take minutes at 100k cases).

Each figure carries ``meets`` (True/False) and, when it misses, ``why``. Never asserted in
tests (DESIGN.md §9).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from datasets import data_dir, station_db  # noqa: E402

BARE_WINDOW = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv)
table = QTableWidget(200, 8)
for r in range(200):
    for c in range(8):
        table.setItem(r, c, QTableWidgetItem(f"{r}-{c}"))
table.resize(1280, 700)
table.show()
QTimer.singleShot(0, lambda: print("ready: bare", flush=True))  # after the show and paint events
app.exec()
"""


def _child_env(work: Path) -> dict[str, str]:
    """Offscreen Qt, this checkout, compiled bytecode kept (an installed app ships .pyc files;
    ``PYTHONDONTWRITEBYTECODE`` would make every start compile the whole package), and a data
    folder of its own."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(HERE.parent),
           "PYTHONPYCACHEPREFIX": str(data_dir() / "pycache"), "WUSHE_DATA_DIR": str(work / "data"),
           "HOME": str(work / "home"), "PYTHONFAULTHANDLER": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time_to_lines(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Start ``cmd`` and time each ``<word>: …`` line it prints, until ``ready:``; then end it.

    Returns seconds from the start to each word, and ``cpu_<word>`` the CPU time used by then.
    """
    seen: dict[str, float] = {}
    with tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                word = line.split(":", 1)[0]
                if word in ("shown", "ready"):
                    seen[word] = time.perf_counter() - start
                    with contextlib.suppress(OSError):
                        seen[f"cpu_{word}"] = _cpu_seconds(proc.pid)
                if word == "ready":
                    break
        finally:
            proc.kill()  # what follows "ready" (closing, the close-time backup) is not start-up
            proc.wait()
        errors.seek(0)
        text = errors.read()
    if "ready" not in seen:
        raise RuntimeError(f"{cmd[:3]} never said ready (exit {proc.returncode}): {text[-3000:]}")
    return seen


def cold_start(path: Path, runs: int) -> dict[str, Any]:
    """Fresh processes: the bare window, and the app opening a copy of ``path`` (an existing
    station database: open-time check, schema check, main window, the dashboard's figures).

    One warm-up run of each is not counted (it compiles the bytecode once, as installing does).
    """
    with tempfile.TemporaryDirectory(dir=data_dir()) as tmp:
        work = Path(tmp)
        station = work / "station"
        shutil.copytree(path.parent, station, ignore=shutil.ignore_patterns("backups", "*.lock"))
        env = _child_env(work)
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        app_cmd = [sys.executable, "-m", "wushe_desktop.app", "--db", str(station / path.name), "--quit-when-ready"]
        _time_to_lines(bare_cmd, env)
        _time_to_lines(app_cmd, env)
        bare, app = [], []
        crashes: list[str] = []
        for _ in range(runs):  # interleaved, so a burst of load hits both alike
            bare.append(_time_to_lines(bare_cmd, env))
            for _attempt in range(3):  # a start that crashes is recorded, then tried again
                try:
                    app.append(_time_to_lines(app_cmd, env))
                    break
                except RuntimeError as exc:
                    crashes.append(str(exc)[-1500:])
            else:
                raise RuntimeError("the app did not start three times running: " + crashes[-1])
    b = median([r["ready"] for r in bare])
    out = figure(median([r["shown"] for r in app]), 3 * b, b, unit="s", ratio_target=3.0,
                 why="importing PySide6, the translations and the window before anything is drawn "
                     "(see docs/performance.md)")
    out["to_dashboard_s"] = median([r["ready"] for r in app])
    out["to_dashboard_ratio_to_baseline"] = round(out["to_dashboard_s"] / b, 2) if b else None
    out["crashed_starts"] = crashes  # each with the end of its error output (faulthandler's stack)
    out["note"] = ("value: start of the process to the main window painted and usable (navigation, menus; "
                   "--quit-when-ready's 'shown' line): start-up draws it before the database layer loads, "
                   "then opens the database on a worker; to_dashboard_s: to the dashboard's figures on "
                   "screen ('ready')")
    with contextlib.suppress(KeyError, statistics.StatisticsError):
        out["cpu_s"] = median([r["cpu_shown"] for r in app])
        out["baseline_cpu_s"] = median([r["cpu_ready"] for r in bare])
        out["cpu_ratio_to_baseline"] = round(out["cpu_s"] / out["baseline_cpu_s"], 2)
        out["to_dashboard_cpu_s"] = median([r["cpu_ready"] for r in app])
    return out


def median(values: list[float]) -> float:
    return round(statistics.median(values), 4)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 4)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def figure(value: float, target: float, baseline: float | None, *, unit: str, ratio_target: float | None = None,
           why: str = "") -> dict[str, Any]:
    """A figure with its target, its baseline and whether it meets the target."""
    out: dict[str, Any] = {"value": value, "unit": unit, "target": target}
    if baseline is not None:
        out["baseline"] = baseline
        out["ratio_to_baseline"] = round(value / baseline, 2) if baseline else None
    if ratio_target is not None and baseline:
        meets = value / baseline <= ratio_target
        out["target_ratio"] = ratio_target
    else:
        meets = value <= target
    out["meets"] = meets
    if not meets:
        out["why"] = why or "see docs/performance.md"
    return out


def open_check(path: Path, runs: int) -> dict[str, Any]:
    from wushe_desktop.storage.sqlite import open_time_problem

    cheap, full = [], []
    for _ in range(runs):
        t = time.perf_counter()
        open_time_problem(path)
        cheap.append(time.perf_counter() - t)
        t = time.perf_counter()
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        conn.execute("PRAGMA quick_check").fetchall()
        conn.close()
        full.append(time.perf_counter() - t)
    return {"open_time_check_s": median(cheap), "full_quick_check_s": median(full)}


SEARCHES = ("王", "张", "王桂", "乌云", "w", "wg", "wgh", "12", "1234", "5678", "138")


def slow(script: str, *args: str) -> Any:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}  # this checkout, not an installed copy
    out = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True, check=False,
                         timeout=5400, env=env)
    try:
        return json.loads(out.stdout)
    except json.JSONDecodeError:
        return {"error": (out.stderr or out.stdout)[-2000:]}


def machine() -> dict[str, Any]:
    mem = ""
    with contextlib.suppress(OSError, StopIteration):
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    return {"python": sys.version.split()[0], "machine": platform.machine(), "cpu": model,
            "cpus": os.cpu_count(), "memory": mem.split(":", 1)[-1].strip(), "sqlite": sqlite3.sqlite_version,
            "load_average": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(description="DESIGN.md §9 figures, one JSON document")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-slow", action="store_true", help="leave out export, import and printing")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    doc: dict[str, Any] = {"benchmark": "design-9", "machine": machine(), "data": str(data_dir()),
                           "runs": args.runs, "sizes": {}}
    for cases in args.sizes:
        path = station_db(cases, log=False)
        doc["sizes"][str(cases)] = {
            "db_mb": round(path.stat().st_size / 2**20, 1),
            "open_check": open_check(path, args.runs),
            "lists": slow("bench_lists.py", "--cases", str(cases), "--runs", str(args.runs)),
            "cold_start": cold_start(path, args.runs),
        }
    doc["cold_start"] = doc["sizes"][str(max(args.sizes))]["cold_start"]  # DESIGN §9: the largest
    if not args.skip_slow:
        doc["printing"] = slow("bench_printing.py", "--runs", "3")
        doc["sync"] = slow("bench_sync.py", "--cases", str(max(args.sizes)))
    doc["peak_rss_mb"] = peak_rss_mb()
    sync_missed = doc.get("sync", {}).get("targets", {}).get("missed", [])
    finish(doc, args.out, extra_misses=[{"figure": "sync", "why": text} for text in sync_missed])


def finish(doc: dict[str, Any], out: Path | None, extra_misses: list[dict[str, Any]] | None = None) -> None:
    """List every figure that misses its target (``misses``), note the load at the end, and
    print the document (and write it to ``out``)."""
    misses: list[dict[str, Any]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("meets") is False:
                misses.append({"figure": path, "value": node.get("value"), "why": node.get("why", "")})
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)

    walk(doc, "")
    doc["misses"] = misses + (extra_misses or [])
    doc["machine"]["load_average_end"] = os.getloadavg()
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
