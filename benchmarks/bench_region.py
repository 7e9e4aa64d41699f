"""Region scale: a centre on PostgreSQL importing the bundles of many stations (issue 7 §4).

Usage::

    python benchmarks/bench_region.py [--stations 850] [--import-stations 85] [--cases 250]
                                      [--pg-url postgresql+psycopg://user:pw@host:port/db]
                                      [--overview-only]

The PostgreSQL URL (default: ``WUSHE_BENCH_PG_URL``, else ``WUSHE_TEST_PG_URL`` as ``.ci/run``
sets it) names a server and a database the role may connect to; a scratch database
``wushe_region_bench`` is created on it (dropped and made again each run) and left for
inspection.

One template station of ``--cases`` demo cases (about 20 synced rows a case: 250 cases give
about 5k records, the issue's "~5k records each") is built once with the demo generator.
Each simulated station gets its own code, its own Ed25519 key (registered at the centre
with a station card, as ``wushe centre trust`` does) and the template's rows with every
UUID mapped to a new one (uuid5 in the station's namespace), ``origin`` set to its code and
the template's code inside printed numbers replaced by its code; its full bundle is
written with ``sync.bundle.write_bundle`` and imported with ``services.centre.import_bundle``
(verification, decryption, upsert, receipt: what ``wushe centre import`` runs).

All ``--stations`` are registered; bundles of the first ``--import-stations`` are imported
(the full region takes long on a shared machine: the figures for all 850 are then
extrapolated from the measured rate, and labelled so). Reports the import's total time and
rows/s (bundle writing not included), the rate of the first and last tenth of the imported
stations (does the import slow down as the tables grow?), and the latency of the centre
window's overview queries (``station_statuses``, the region total, one station's figures,
and the whole overview screen: statuses and every station's figures in one read, for a
month, a year and all time). ``--overview-only`` measures those again on the database the
last run left (no import). Never asserted
in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasets import station_db  # also puts this checkout first on the path
from sqlalchemy import Table, Uuid, func, select
from sqlalchemy.engine import make_url

from wushe_desktop.services import centre, keys
from wushe_desktop.services.context import CLI_ACTOR
from wushe_desktop.services.export import _audit_head, _rows
from wushe_desktop.services.stats import Period, centre_stats, centre_stats_by_station
from wushe_desktop.storage.db import SCHEMA_HEAD, Database, open_database
from wushe_desktop.storage.models import SYNCED_MODELS
from wushe_desktop.storage.tracking import current_version
from wushe_desktop.sync import bundle, cards
from wushe_desktop.sync import keys as sync_keys
from wushe_desktop.sync.common import AuditHead

TEMPLATE_CODE = "150121101000"
CENTRE_NAME = "土默特左旗社会工作服务中心"
BENCH_DB = "wushe_region_bench"


def pg_url(option: str | None) -> str:
    url = option or os.environ.get("WUSHE_BENCH_PG_URL") or os.environ.get("WUSHE_TEST_PG_URL")
    if not url:
        raise SystemExit("name a PostgreSQL server: --pg-url, WUSHE_BENCH_PG_URL or WUSHE_TEST_PG_URL")
    return url


def fresh_database(url: str) -> str:
    """Drop and create the scratch database; its URL."""
    import psycopg

    u = make_url(url)
    with psycopg.connect(host=u.host or "localhost", port=u.port or 5432, user=u.username, password=u.password,
                         dbname=u.database, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
        version = conn.execute("SHOW server_version").fetchone()
    print(f"PostgreSQL {version[0] if version else '?'}", file=sys.stderr)
    return u.set(drivername="postgresql+psycopg", database=BENCH_DB).render_as_string(hide_password=False)


def station_code(i: int) -> str:
    return f"1599{i:05d}000"  # 12 digits, outside the real division table: clearly simulated


def template_rows(path: Path) -> tuple[list[tuple[str, list[dict[str, Any]]]], int, AuditHead]:
    db = open_database(path)
    try:
        with db.read_sessions() as session:
            high = current_version(session)
            tables = [(m.__table__.name, list(_rows(db, session, m.__table__, TEMPLATE_CODE, 0, high)))  # type: ignore[attr-defined]
                      for m in SYNCED_MODELS]
            return tables, high, _audit_head(session)
    finally:
        db.dispose()


def uuid_columns() -> dict[str, frozenset[str]]:
    out = {}
    for model in SYNCED_MODELS:
        table: Table = model.__table__  # type: ignore[attr-defined]
        out[table.name] = frozenset(c.name for c in table.columns if isinstance(c.type, Uuid))
    return out


def station_rows(tables: list[tuple[str, list[dict[str, Any]]]], code: str,
                 uuids: dict[str, frozenset[str]]) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    namespace = uuid.uuid5(uuid.NAMESPACE_OID, f"wushe-bench-{code}")
    mapped: dict[str, str] = {}

    def remap(value: str) -> str:
        found = mapped.get(value)
        if found is None:
            found = mapped[value] = str(uuid.uuid5(namespace, value))
        return found

    def rows(name: str, source: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        columns = uuids[name]
        for row in source:
            new = {}
            for key, value in row.items():
                if key in columns and value is not None:
                    value = remap(value)
                elif type(value) is str and TEMPLATE_CODE in value:
                    value = value.replace(TEMPLATE_CODE, code)
                new[key] = value
            new["origin"] = code
            yield new

    for name, source in tables:
        yield name, rows(name, source)


def timed(fn: Any, *args: Any, runs: int = 3) -> float:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        fn(*args)
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds), 4)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=850)
    parser.add_argument("--import-stations", type=int, default=85)
    parser.add_argument("--cases", type=int, default=250)
    parser.add_argument("--pg-url")
    parser.add_argument("--overview-only", action="store_true",
                        help="measure the overview queries on the database the last run left (no import)")
    args = parser.parse_args()
    if args.overview_only:
        kept = make_url(pg_url(args.pg_url)).set(drivername="postgresql+psycopg", database=BENCH_DB)
        cdb = open_database(kept.render_as_string(hide_password=False))
        try:
            print(json.dumps({"benchmark": "region overview", "cpus": os.cpu_count(),
                              "load_average_start": os.getloadavg(),
                              "overview_latency_s": overview_latency(cdb, station_code(0)),
                              "load_average_end": os.getloadavg()}, ensure_ascii=False, indent=2))
        finally:
            cdb.dispose()
        return
    url = fresh_database(pg_url(args.pg_url))
    load_start = os.getloadavg()
    template = station_db(args.cases, log=False)
    tables, high, audit_head = template_rows(template)
    rows_per_station = sum(len(rows) for _, rows in tables)
    uuids = uuid_columns()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["WUSHE_DATA_DIR"] = str(folder / "data")  # the centre's keys (a URL has no folder)
        cdb, _ = centre.init_centre(url, name=CENTRE_NAME)
        centre_card = keys.export_card(cdb, CLI_ACTOR, folder)
        box_public = cards.read_centre_card(centre_card.path.read_bytes()).box_key
        signing: dict[str, bytes] = {}
        start = time.perf_counter()
        for i in range(args.stations):
            code = station_code(i)
            pair = sync_keys.generate()
            signing[code] = pair.private
            card = cards.StationCard(code, f"模拟社工站{i + 1:03d}", "模拟旗", pair.public)
            path = folder / f"{code}.card"
            path.write_bytes(cards.write_card(card, pair.private))
            centre.trust_station(cdb, CLI_ACTOR, path, expect_fingerprint=card.fingerprint)
            path.unlink()
        register_s = time.perf_counter() - start
        per_station: list[dict[str, float]] = []
        write_s = 0.0
        imported = 0
        for i in range(args.import_stations):
            code = station_code(i)
            out = folder / f"{code}.wsb"
            start = time.perf_counter()
            bundle.write_bundle(out, station_code=code, sequence=1, prev_bundle_sha256="", full=True,
                                row_version_from=0, row_version_to=high, schema_revision=SCHEMA_HEAD,
                                audit_head=audit_head, tables=station_rows(tables, code, uuids),
                                signing_key=signing[code], centre_public_key=box_public)
            write_s += time.perf_counter() - start
            start = time.perf_counter()
            outcome = centre.import_bundle(cdb, CLI_ACTOR, out)
            seconds = time.perf_counter() - start
            if not outcome.accepted:
                raise SystemExit(f"{code}: refused: {outcome.reason}")
            imported += outcome.rows
            per_station.append({"rows": outcome.rows, "seconds": seconds})
            out.unlink()
            if outcome.receipt_path is not None:
                Path(outcome.receipt_path).unlink(missing_ok=True)
            print(f"{i + 1}/{args.import_stations} {outcome.rows} rows {seconds:.2f} s", file=sys.stderr, flush=True)
        dashboard = overview_latency(cdb, station_code(0))
        with cdb.read_sessions() as session:
            held = {table.name: session.scalar(select(func.count()).select_from(table))
                    for table in (m.__table__ for m in SYNCED_MODELS)}  # type: ignore[attr-defined]
        cdb.dispose()

    import_s = sum(s["seconds"] for s in per_station)
    tenth = max(1, len(per_station) // 10)

    def rate(part: list[dict[str, float]]) -> int:
        return round(sum(s["rows"] for s in part) / sum(s["seconds"] for s in part))

    rps = rate(per_station)
    total_rows = rows_per_station * args.stations
    doc = {
        "benchmark": "region", "python": sys.version.split()[0], "machine": platform.machine(),
        "cpus": os.cpu_count(), "database": "PostgreSQL (" + make_url(url).render_as_string() + ")",
        "load_average_start": load_start, "load_average_end": os.getloadavg(),
        "template": {"cases": args.cases, "rows_per_station": rows_per_station},
        "stations_registered": args.stations, "register_seconds": round(register_s, 1),
        "stations_imported": args.import_stations,
        "import": {"rows": imported, "seconds": round(import_s, 1), "rows_per_second": rps,
                   "first_tenth_rows_per_second": rate(per_station[:tenth]),
                   "last_tenth_rows_per_second": rate(per_station[-tenth:]),
                   "median_seconds_per_station": round(statistics.median(s["seconds"] for s in per_station), 2),
                   "note": "centre.import_bundle per bundle: verify, decrypt, decode, upsert, commit, receipt; "
                           "writing the bundles not included"},
        "bundle_writing_seconds": round(write_s, 1),
        "rows_held_by_the_centre": held,
        "overview_latency_s": dashboard,
    }
    if args.import_stations < args.stations:
        doc["extrapolated_full_region"] = {
            "label": f"EXTRAPOLATED from {args.import_stations} of {args.stations} stations at the measured "
                     "rate (the last tenth's rate, so a slowdown as tables grow is carried forward)",
            "rows": total_rows,
            "seconds_at_last_tenth_rate": round(total_rows / rate(per_station[-tenth:])),
        }
    print(json.dumps(doc, ensure_ascii=False, indent=2))


def overview_latency(cdb: Database, one_station: str) -> dict[str, Any]:
    """The centre window's overview queries, median of 3 runs each."""
    today = date.today()
    month = Period(today.replace(day=1), today)
    year = Period(date(today.year, 1, 1), today)
    every = Period(None, None)
    out: dict[str, Any] = {
        "station_statuses": timed(centre.station_statuses, cdb, CLI_ACTOR),
        "region_total_this_month": timed(centre_stats, cdb, CLI_ACTOR, month, None, today),
        "region_total_this_year": timed(centre_stats, cdb, CLI_ACTOR, year, None, today),
        "region_total_all_time": timed(centre_stats, cdb, CLI_ACTOR, every, None, today),
        "one_station_this_month": timed(centre_stats, cdb, CLI_ACTOR, month, one_station, today),
        "station_cases_list": timed(centre.centre_list, cdb, CLI_ACTOR, "cases", one_station),
    }
    # the overview screen (ui.centre_pages.load_overview): statuses, then every station's figures and their sum
    def overview(period: Period) -> None:
        centre.station_statuses(cdb, CLI_ACTOR)
        centre_stats_by_station(cdb, CLI_ACTOR, period, today)

    out["whole_overview_screen_this_month"] = timed(overview, month)
    out["whole_overview_screen_this_year"] = timed(overview, year)
    out["whole_overview_screen_all_time"] = timed(overview, every)
    out["registered_stations"] = len(centre.station_statuses(cdb, CLI_ACTOR))
    out["note"] = ("medians of 3 runs; the whole overview screen: statuses, then every station's figures and their "
                   f"sum in one read; measured {datetime.now(UTC).isoformat(timespec='minutes')}")
    return out


if __name__ == "__main__":
    main()
