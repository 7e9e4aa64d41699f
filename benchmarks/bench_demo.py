"""How long `wushe demo` takes, beside raw sqlite3.executemany of the same rows.

Usage: python benchmarks/bench_demo.py [--cases 1000 100000] [--runs 1]

Prints one JSON document. The baseline inserts the same number of service-record rows
(the bulk of the data) with plain ``sqlite3.executemany`` into an identically indexed
table, in the same run, so the ratio says how much the ORM-free bulk path costs on top of
SQLite itself. Never asserted in tests (DESIGN.md §9).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.station import init_database
from wushe_desktop.storage.models import SYNCED_MODELS, ServiceRecord


def run_demo(cases: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as folder:
        db, _ = init_database(Path(folder) / "bench.sqlite3", code="150121101000", name="毕克齐镇社工站")
        start = time.perf_counter()
        generate_demo(db, CLI_ACTOR, DemoSize(cases=cases), seed=1)
        seconds = time.perf_counter() - start
        with db.read_sessions() as s:
            rows = sum(int(s.scalar(select(func.count()).select_from(m)) or 0) for m in SYNCED_MODELS)
            records = int(s.scalar(select(func.count()).select_from(ServiceRecord)) or 0)
        size = (Path(folder) / "bench.sqlite3").stat().st_size
        db.dispose()
    return {"seconds": round(seconds, 3), "rows": rows, "service_records": records,
            "rows_per_second": round(rows / seconds), "db_mb": round(size / 2**20, 1)}


def run_baseline(n: int) -> float:
    """Raw executemany of n service-record-like rows with the same indexes; seconds."""
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "raw.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE sr (uuid CHAR(32) PRIMARY KEY, origin VARCHAR(12), row_version BIGINT, "
                     "created_at DATETIME, updated_at DATETIME, deleted_at DATETIME, case_id CHAR(32), seq INT, "
                     "service_date DATE, mode VARCHAR(32), duration_min INT, location VARCHAR(200), content TEXT)")
        conn.execute("CREATE UNIQUE INDEX u1 ON sr (case_id, seq)")
        conn.execute("CREATE INDEX i1 ON sr (case_id, service_date)")
        conn.execute("CREATE INDEX i2 ON sr (service_date)")
        conn.execute("CREATE INDEX i3 ON sr (origin, row_version)")
        today = date.today()
        cases = [uuid.uuid4().hex for _ in range(max(1, n // 10))]
        rows = [(uuid.uuid4().hex, "150121101000", i, "2026-01-01 00:00:00", "2026-01-01 00:00:00", None,
                 cases[i // 10 % len(cases)], i % 10 + 1 + (i // (10 * len(cases))) * 10,
                 (today - timedelta(days=i % 365)).isoformat(), "home_visit", 60, "服务对象家中",
                 "入户探访，了解近期身体状况与生活安排，服务对象情绪稳定。") for i in range(n)]
        start = time.perf_counter()
        with conn:
            conn.executemany("INSERT INTO sr VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        seconds = time.perf_counter() - start
        conn.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results = []
    for cases in args.cases:
        demo_runs = [run_demo(cases) for _ in range(args.runs)]
        demo = demo_runs[0] | {"seconds": statistics.median(r["seconds"] for r in demo_runs)}
        baseline_s = statistics.median(run_baseline(int(demo["service_records"])) for _ in range(args.runs))
        results.append({
            "cases": cases, "demo": demo,
            "baseline_executemany_service_records": {"rows": demo["service_records"], "seconds": round(baseline_s, 3),
                                                     "rows_per_second": round(demo["service_records"] / baseline_s)},
            "ratio_rows_per_second_vs_baseline": round(demo["rows_per_second"] / (demo["service_records"] / baseline_s), 3),
        })
    doc = {"benchmark": "demo", "python": sys.version.split()[0], "machine": platform.machine(),
           "cpus": __import__("os").cpu_count(), "sqlite": sqlite3.sqlite_version,
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "results": results}
    print(json.dumps(doc, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
