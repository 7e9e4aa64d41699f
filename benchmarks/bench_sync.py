"""Station export and centre import (`wushe export` / `wushe centre import`), beside raw baselines.

Usage: python benchmarks/bench_sync.py [--cases 100000] [--runs 1]

Builds a station with the demo generator and a centre whose card the station imported
and which trusts the station's card, then times, in the same run:

- a full export (``services.export.export_bundle(full=True)``, what ``wushe export --full``
  calls) against the export baseline: the same rows read with plain ``sqlite3``,
  serialised with orjson (as DESIGN.md §9 names it; one line per row), compressed
  with ``zlib`` (DESIGN.md says zip: a zip member is deflate, i.e. zlib, so the stream is
  compressed directly, at the bundle's level 6) and hashed with SHA-256 — no signature,
  no encryption, no bookkeeping;
- the centre's import of that bundle (``services.centre.import_bundle``: verification,
  decryption, upsert, receipt) into a fresh copy of the empty centre for each run,
  against raw ``sqlite3.executemany`` INSERT of the same number of rows into an empty
  table of the same shape (DDL and indexes copied from the station) as the largest table,
  ``service_record``, with the database's own pragmas (WAL, synchronous=FULL);
- an incremental export after the receipt was imported and a small edit, and its import.

Prints one JSON document with rows/s, the ratios against the targets of DESIGN.md §9
(export ≥ 100k records/s; centre import ≥ 30 % of raw executemany rows/s) and which
targets are missed. Never asserted in tests.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
import zlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import station_db

from wushe_desktop.services import centre, keys
from wushe_desktop.services.context import CLI_ACTOR, transaction
from wushe_desktop.services.export import export_bundle
from wushe_desktop.services.receipts import import_receipt
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.storage.models import SYNCED_MODELS, Person

STATION_CODE = "150121101000"
STATION_NAME = "毕克齐镇社工站"
CENTRE_NAME = "土默特左旗社会工作服务中心"
EXPORT_TARGET_ROWS_PER_S = 100_000
IMPORT_TARGET_RATIO = 0.30
EDITED_PEOPLE = 100
ZLIB_LEVEL = 6  # the bundle's (sync.bundle.ZLIB_LEVEL)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rate(rows: int, seconds: float) -> int:
    return round(rows / seconds) if seconds > 0 else 0


# --- set-up ----------------------------------------------------------------------------


def build(folder: Path, cases: int) -> dict[str, Any]:
    """Station with demo data, centre, cards exchanged; the centre is closed (a pristine copy)."""
    usb = folder / "usb"
    usb.mkdir()
    cdb, _ = centre.init_centre(folder / "centre" / "centre.sqlite3", name=CENTRE_NAME)
    card = keys.export_card(cdb, CLI_ACTOR, usb)
    start = time.perf_counter()
    shutil.copytree(station_db(cases, log=False).parent, folder / "station")  # built once, cached
    demo_s = time.perf_counter() - start
    db = open_database(folder / "station" / "station.sqlite3")
    keys.import_centre_card(db, CLI_ACTOR, card.path, expect_fingerprint=card.fingerprint)
    station_card = keys.export_card(db, CLI_ACTOR, usb)
    db.dispose()
    centre.trust_station(cdb, CLI_ACTOR, station_card.path, expect_fingerprint=station_card.fingerprint)
    cdb.dispose()
    return {"copy_cached_station_seconds": round(demo_s, 1),
            "station_db_mb": round((folder / "station" / "station.sqlite3").stat().st_size / 2**20, 1)}


def fresh_centre(folder: Path, n: int) -> Database:
    """A copy of the pristine (empty, station trusted) centre folder, opened."""
    copy = folder / f"centre-{n}"
    shutil.copytree(folder / "centre", copy)
    return open_database(copy / "centre.sqlite3")


# --- the timed operations ----------------------------------------------------------------


def timed_export(db: Database, out: Path, *, full: bool) -> dict[str, Any]:
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    result = export_bundle(db, CLI_ACTOR, out, full=full)
    seconds = time.perf_counter() - start
    return {"path": result.path, "rows": result.rows, "seconds": seconds, "size": result.size,
            "sequence": result.sequence}


def timed_import(cdb: Database, path: Path) -> dict[str, Any]:
    start = time.perf_counter()
    outcome = centre.import_bundle(cdb, CLI_ACTOR, path)
    seconds = time.perf_counter() - start
    if not outcome.accepted:
        raise SystemExit(f"import refused: {outcome.reason}")
    return {"rows": outcome.rows, "new": outcome.new, "updated": outcome.updated, "seconds": seconds,
            "receipt": outcome.receipt_path}


def export_baseline(station_file: Path) -> tuple[int, float, int]:
    """Plain sqlite3 read of the synced rows + orjson + zlib + SHA-256: (rows, seconds, bytes)."""
    tables = [m.__table__.name for m in SYNCED_MODELS]  # type: ignore[attr-defined]
    start = time.perf_counter()
    conn = sqlite3.connect(station_file)
    sha = hashlib.sha256()
    compressor = zlib.compressobj(ZLIB_LEVEL)
    rows = size = 0
    dumps = orjson.dumps
    for table in tables:
        cur = conn.execute(f'SELECT * FROM "{table}" WHERE origin = ? ORDER BY row_version', (STATION_CODE,))
        names = [d[0] for d in cur.description]
        while batch := cur.fetchmany(5000):
            data = b"\n".join([dumps(dict(zip(names, row, strict=True))) for row in batch]) + b"\n"
            chunk = compressor.compress(data)
            sha.update(chunk)
            size += len(chunk)
            rows += len(batch)
    chunk = compressor.flush()
    sha.update(chunk)
    size += len(chunk)
    sha.hexdigest()
    conn.close()
    return rows, time.perf_counter() - start, size


def import_baseline(station_file: Path, n: int, folder: Path) -> float:
    """Raw executemany of n service_record-shaped rows into an empty identical table; seconds."""
    src = sqlite3.connect(station_file)
    ddl = [sql for (sql,) in src.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'service_record' AND sql IS NOT NULL "
        "ORDER BY type = 'index'")]
    names = [r[1] for r in src.execute('PRAGMA table_info("service_record")')]
    base = src.execute('SELECT * FROM "service_record"').fetchall()
    src.close()
    i_uuid, i_seq = names.index("uuid"), names.index("seq")
    rows: list[tuple[Any, ...]] = []
    rounds = 0
    while len(rows) < n:  # the real rows first; then copies with fresh UUIDs and shifted seq
        for row in base[: n - len(rows)]:
            if rounds:
                row = list(row)
                row[i_uuid] = uuid.uuid4().hex
                row[i_seq] = row[i_seq] + rounds * 1_000_000
                row = tuple(row)
            rows.append(row)
        rounds += 1
    target = folder / f"raw-{uuid.uuid4().hex[:8]}.sqlite3"
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    for sql in ddl:
        conn.execute(sql)
    conn.commit()
    marks = ",".join("?" * len(names))
    start = time.perf_counter()
    with conn:
        conn.executemany(f'INSERT INTO "service_record" VALUES ({marks})', rows)
    seconds = time.perf_counter() - start
    conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return seconds


def small_edit(db: Database) -> None:
    with transaction(db, CLI_ACTOR) as session:
        for person in session.scalars(select(Person).order_by(Person.uuid).limit(EDITED_PEOPLE)):
            person.name = person.name + "（改）"


# --- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        setup = build(folder, args.cases)
        rss_after_build = rss_mb()
        station_file = folder / "station" / "station.sqlite3"
        db = open_database(station_file)
        exports, imports, base_export, base_import = [], [], [], []
        last_import: dict[str, Any] = {}
        rss_after_export = rss_after_import = 0.0
        for run in range(args.runs):
            exp = timed_export(db, folder / f"out-{run}", full=True)
            exports.append(exp)
            rss_after_export = rss_after_export or rss_mb()
            cdb = fresh_centre(folder, run)
            last_import = timed_import(cdb, exp["path"])
            imports.append(last_import)
            rss_after_import = rss_after_import or rss_mb()
            cdb.dispose()
            base_export.append(export_baseline(station_file))
            base_import.append(import_baseline(station_file, exp["rows"], folder))
        # Incremental: take the last centre's receipt, edit a little, export the changes.
        import_receipt(db, CLI_ACTOR, last_import["receipt"])
        small_edit(db)
        inc = timed_export(db, folder / "out-inc", full=False)
        cdb = open_database(folder / f"centre-{args.runs - 1}" / "centre.sqlite3")
        inc_import = timed_import(cdb, inc["path"])
        cdb.dispose()
        db.dispose()

    rows = exports[0]["rows"]
    full_s = statistics.median(e["seconds"] for e in exports)
    imp_s = statistics.median(i["seconds"] for i in imports)
    base_rows = base_export[0][0]
    base_exp_s = statistics.median(b[1] for b in base_export)
    base_imp_s = statistics.median(base_import)
    export_rps, import_rps = rate(rows, full_s), rate(rows, imp_s)
    base_export_rps, base_import_rps = rate(base_rows, base_exp_s), rate(rows, base_imp_s)
    import_ratio = round(import_rps / base_import_rps, 3)
    inc_rps = rate(inc["rows"], inc["seconds"])
    missed = []
    if export_rps < EXPORT_TARGET_ROWS_PER_S:
        missed.append(f"full export {export_rps} rows/s < {EXPORT_TARGET_ROWS_PER_S}: the export needs ~25 us of "
                      "CPU a row (SQLite reading and formatting, zlib, encryption, hashing), so two cores top out "
                      "near 80k rows/s; see docs/performance.md")
    if inc_rps < EXPORT_TARGET_ROWS_PER_S:
        missed.append(f"incremental export {inc_rps} rows/s < {EXPORT_TARGET_ROWS_PER_S} "
                      f"({inc['rows']} rows: fixed cost dominates)")
    if import_ratio < IMPORT_TARGET_RATIO:
        missed.append(f"centre import {import_ratio:.1%} of raw executemany < {IMPORT_TARGET_RATIO:.0%}")
    doc = {
        "benchmark": "sync", "python": sys.version.split()[0], "machine": platform.machine(),
        "cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version, "cases": args.cases, "runs": args.runs,
        "setup": setup | {"rows": rows, "bundle_mb": round(exports[0]["size"] / 2**20, 1)},
        "full_export": {"rows": rows, "seconds": round(full_s, 3), "rows_per_second": export_rps,
                        "bundle_bytes": exports[0]["size"]},
        "baseline_export_json_zlib_sha256": {
            "rows": base_rows, "seconds": round(base_exp_s, 3), "rows_per_second": base_export_rps,
            "compressed_bytes": base_export[0][2],
            "note": "plain sqlite3 read, rows as stored (no UUID or time formatting), orjson, one thread; "
                    "DESIGN.md's zip is a zlib (deflate) stream here, level 6 like the bundle; SHA-256 of the "
                    "compressed bytes; no encryption, no signature",
        },
        "ratio_full_export_vs_baseline": round(export_rps / base_export_rps, 3),
        "ratio_full_export_vs_target": round(export_rps / EXPORT_TARGET_ROWS_PER_S, 3),
        "centre_import": {"rows": rows, "new": imports[0]["new"], "seconds": round(imp_s, 3),
                          "rows_per_second": import_rps,
                          "note": "whole import_bundle: verify, decrypt, decode, upsert, commit, receipt"},
        "baseline_executemany_service_record": {
            "rows": rows, "seconds": round(base_imp_s, 3), "rows_per_second": base_import_rps,
            "note": "raw sqlite3.executemany INSERT into an empty table with service_record's DDL and "
                    "indexes, WAL + synchronous=FULL, one transaction"},
        "ratio_centre_import_vs_baseline": import_ratio,
        "incremental_export": {"edited_people": EDITED_PEOPLE, "rows": inc["rows"],
                               "seconds": round(inc["seconds"], 3), "rows_per_second": inc_rps},
        "incremental_import": {"rows": inc_import["rows"], "updated": inc_import["updated"],
                               "seconds": round(inc_import["seconds"], 3)},
        "targets": {
            "export_rows_per_second": EXPORT_TARGET_ROWS_PER_S,
            "centre_import_ratio_vs_executemany": IMPORT_TARGET_RATIO,
            "full_export_met": export_rps >= EXPORT_TARGET_ROWS_PER_S,
            "incremental_export_met": inc_rps >= EXPORT_TARGET_ROWS_PER_S,
            "centre_import_met": import_ratio >= IMPORT_TARGET_RATIO,
            "missed": missed,
        },
        "peak_rss_mb": {"after_build": rss_after_build, "after_full_export": rss_after_export,
                        "after_centre_import": rss_after_import, "end_with_baselines": rss_mb(),
                        "note": "process-wide ru_maxrss (monotonic); the baselines hold their rows in memory"},
    }
    print(json.dumps(doc, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
