"""Shared set-up for the export and centre tests (no tests here).

Two real stations with demo data (毕克齐镇 and 察素齐镇 of 土默特左旗) and a real centre, with
real keys: each station imported the centre's card and the centre trusted both stations'
cards. The set-up is built once per test run and copied for each test (fast).

The centre runs on SQLite and, when ``WUSHE_TEST_PG_URL`` names a PostgreSQL database
whose role may create databases (``.ci/run`` always sets it), on PostgreSQL too: the
template centre is a PostgreSQL database and each test gets ``CREATE DATABASE ... TEMPLATE``
of it. For a PostgreSQL centre ``WUSHE_DATA_DIR`` points at the world's ``centre/`` folder,
so its keys, quarantine and receipts sit where a SQLite centre's do.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from wushe_desktop.domain.enums import CaseSource, RiskLevel, Sex
from wushe_desktop.services import centre, keys
from wushe_desktop.services.activities import ActivityInput, create_activity
from wushe_desktop.services.cases import IntakeInput, open_case
from wushe_desktop.services.context import CLI_ACTOR, Actor
from wushe_desktop.services.demo import DemoSize, generate_demo
from wushe_desktop.services.export import ExportResult, export_bundle
from wushe_desktop.services.people import PersonInput, create_person
from wushe_desktop.services.receipts import ReceiptResult, import_receipt
from wushe_desktop.services.station import init_database
from wushe_desktop.services.stats import Period, centre_stats, station_stats
from wushe_desktop.storage.db import Database, open_database
from wushe_desktop.storage.models import SYNCED_MODELS, Base

ACTOR: Actor = CLI_ACTOR
BIKEQI = "150121101000"  # 毕克齐镇
CHASUQI = "150121100000"  # 察素齐镇
STATIONS = {BIKEQI: "毕克齐镇社工站", CHASUQI: "察素齐镇社工站"}
CENTRE_NAME = "土默特左旗社会工作服务中心"
CENTRE_CODE = "150121000000"
TODAY = date.today()

PG_URL_ENV = "WUSHE_TEST_PG_URL"
#: The centre's database: SQLite, and PostgreSQL (skipped only when WUSHE_TEST_PG_URL is unset).
BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]

_TEMPLATE: dict[str, Path] = {}
_PG_TEMPLATE: dict[str, tuple[Path, str]] = {}
_pg_names = itertools.count(1)


class PgServer:
    """Makes and drops scratch databases on the server WUSHE_TEST_PG_URL names."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        self.url = make_url(url)
        self.prefix = f"wushe_t{os.getpid()}"

    def _admin(self) -> Any:
        import psycopg

        u = self.url
        return psycopg.connect(host=u.host or "localhost", port=u.port or 5432, user=u.username,
                               password=u.password, dbname=u.database, autocommit=True)

    def create(self, name: str, template: str | None = None) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url_of(name)

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url_of(self, name: str) -> str:
        return self.url.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)

    def fresh_name(self) -> str:
        return f"{self.prefix}_{next(_pg_names)}"


def pg_server() -> PgServer:
    """The test server, or skip (only where WUSHE_TEST_PG_URL is unset; .ci/run sets it)."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(f"{PG_URL_ENV} is not set (.ci/run sets it)")
    return PgServer(url)


def build_template(folder: Path, centre_target: str | Path | None = None) -> Path:
    """Two stations with demo data, a centre, cards exchanged both ways; no bundle yet.

    ``centre_target`` is the centre's database (default: ``centre/centre.sqlite3``); a
    PostgreSQL URL's keys go into ``centre/`` through ``WUSHE_DATA_DIR``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    usb = folder / "usb"
    usb.mkdir()
    (folder / "centre").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        if centre_target is not None:
            mp.setenv("WUSHE_DATA_DIR", str(folder / "centre"))
        cdb, _ = centre.init_centre(centre_target or folder / "centre" / "centre.sqlite3", name=CENTRE_NAME)
        try:
            card = keys.export_card(cdb, ACTOR, usb)
            for i, (code, name) in enumerate(STATIONS.items()):
                db, _ = init_database(folder / code / "station.sqlite3", code=code, name=name)
                try:
                    generate_demo(db, ACTOR, DemoSize(cases=12 + 4 * i, volunteers=4, activities=5), seed=11 + i)
                    keys.import_centre_card(db, ACTOR, card.path, expect_fingerprint=card.fingerprint)
                    station_card = keys.export_card(db, ACTOR, usb)
                finally:
                    db.dispose()
                centre.trust_station(cdb, ACTOR, station_card.path, expect_fingerprint=station_card.fingerprint)
        finally:
            cdb.dispose()
    return folder


@pytest.fixture(scope="session")
def pg_world_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The PostgreSQL world's template: its folder and its centre database's name.

    Built once per run (modules that import this fixture share it); dropped at the end.
    """
    server = pg_server()
    if "t" not in _PG_TEMPLATE:
        name = f"{server.prefix}_tpl"
        url = server.create(name)
        folder = build_template(tmp_path_factory.mktemp("pgworld") / "template", url)
        _PG_TEMPLATE["t"] = (folder, name)
    yield _PG_TEMPLATE["t"]
    if "t" in _PG_TEMPLATE:
        server.drop(_PG_TEMPLATE.pop("t")[1])


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per run, shared by every module that imports this fixture."""
    if "path" not in _TEMPLATE:
        _TEMPLATE["path"] = build_template(tmp_path_factory.mktemp("world") / "template")
    return _TEMPLATE["path"]


@dataclass
class World:
    """A copy of the template, opened: a centre, two stations and a USB stick folder."""

    folder: Path
    centre: Database
    stations: dict[str, Database]
    usb: Path
    opened: list[Database] = field(default_factory=list)
    pg: PgServer | None = None
    pg_names: list[str] = field(default_factory=list)

    def station(self, code: str = BIKEQI) -> Database:
        return self.stations[code]

    def export(self, code: str = BIKEQI, **kwargs: Any) -> ExportResult:
        return export_bundle(self.stations[code], ACTOR, self.usb, **kwargs)

    def import_(self, path: Path, **kwargs: Any) -> centre.ImportOutcome:
        return centre.import_bundle(self.centre, ACTOR, path, **kwargs)

    def receipt(self, code: str, outcome: centre.ImportOutcome) -> ReceiptResult:
        assert outcome.receipt_path is not None
        return import_receipt(self.stations[code], ACTOR, outcome.receipt_path)

    def sync(self, code: str = BIKEQI, **kwargs: Any) -> tuple[ExportResult, centre.ImportOutcome]:
        """Export, import at the centre, take the receipt back: one full round."""
        result = self.export(code, **kwargs)
        outcome = self.import_(result.path)
        assert outcome.accepted, outcome.error
        self.receipt(code, outcome)
        return result, outcome

    def backup_centre(self) -> Database:
        """A copy of the centre as it is now, opened (the centre restored from a backup)."""
        self.centre.dispose()
        if self.pg is not None:
            name = self.pg.fresh_name()
            self.pg_names.append(name)
            copy = open_database(self.pg.create(name, template=self.pg_names[0]))
        else:
            shutil.copytree(self.folder / "centre", self.folder / "old-centre")
            copy = open_database(self.folder / "old-centre" / "centre.sqlite3")
        self.opened.append(copy)
        return copy

    def close(self) -> None:
        for db in [self.centre, *self.stations.values(), *self.opened]:
            db.dispose()
        if self.pg is not None:
            for name in self.pg_names:
                self.pg.drop(name)


def make_world(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """A fresh copy of the two stations and the centre, the centre on ``backend``."""
    folder = tmp_path / "world"
    if backend == "postgresql":
        template, template_db = request.getfixturevalue("pg_world_template")
        shutil.copytree(template, folder)
        server = pg_server()
        name = server.fresh_name()
        url = server.create(name, template=template_db)
        monkeypatch = request.getfixturevalue("monkeypatch")
        monkeypatch.setenv("WUSHE_DATA_DIR", str(folder / "centre"))
        w = open_world(folder, url)
        w.pg, w.pg_names = server, [name]
    else:
        shutil.copytree(request.getfixturevalue("world_template"), folder)
        w = open_world(folder)
    try:
        yield w
    finally:
        w.close()


@pytest.fixture
def world(world_template: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    """A fresh copy of the two stations and the centre (SQLite)."""
    yield from make_world("sqlite", request, tmp_path)


def open_world(folder: Path, centre_target: str | Path | None = None) -> World:
    return World(folder, open_database(centre_target or folder / "centre" / "centre.sqlite3"),
                 {code: open_database(folder / code / "station.sqlite3") for code in STATIONS}, folder / "usb")


# --- comparisons ------------------------------------------------------------------------


def assert_figures_equal(w: World, code: str, periods: list[Period] | None = None) -> None:
    """The centre's figures for a station equal the station's own, for every period."""
    for period in periods or default_periods():
        own_code, own = station_stats(w.stations[code], ACTOR, period, TODAY)
        codes, at_centre = centre_stats(w.centre, ACTOR, period, code, TODAY)
        assert (own_code, codes) == (code, [code])
        assert at_centre.to_json(stations=codes, period=period) == own.to_json(stations=[own_code], period=period)


def default_periods() -> list[Period]:
    from datetime import timedelta

    return [Period(), Period(TODAY - timedelta(days=90), TODAY), Period(date(TODAY.year, 1, 1), TODAY),
            Period(TODAY - timedelta(days=365), TODAY - timedelta(days=180))]


def table_rows(db: Database, model: Any, origin: str) -> list[dict[str, Any]]:
    """A station's rows of one table, as Python values, in UUID order (``is_self`` left out)."""
    table = model.__table__
    with db.read_sessions() as s:
        rows = [dict(r._mapping) for r in s.execute(select(table).where(table.c.origin == origin)
                                                      .order_by(table.c.uuid))]
    for row in rows:
        row.pop("is_self", None)
    return rows


def assert_copy_equals_station(w: World, code: str) -> None:
    """The centre's copy of every synced table equals the station's rows."""
    for model in SYNCED_MODELS:
        assert table_rows(w.centre, model, code) == table_rows(w.stations[code], model, code), model.__tablename__


def database_hash(db: Database, *, tables: set[str] | None = None) -> str:
    """SHA-256 over every row of every table (or of ``tables``), in primary-key order."""
    digest = hashlib.sha256()
    with db.read_sessions() as s:
        for table in Base.metadata.sorted_tables:
            if tables is not None and table.name not in tables:
                continue
            digest.update(table.name.encode())
            for row in s.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def synced_hash(db: Database) -> str:
    """:func:`database_hash` over the synced tables only (the stations' records)."""
    return database_hash(db, tables={m.__tablename__ for m in SYNCED_MODELS})


# --- edits at a station -----------------------------------------------------------------


def add_person(db: Database, name: str = "新登记老人") -> UUID:
    result = create_person(db, ACTOR, PersonInput(name=name, sex=Sex.FEMALE, birth_date=date(1950, 3, 1),
                                                  phone="13812345678", categories=("GL",)))
    return result.person.uuid


def open_intake(db: Database, person: UUID) -> UUID:
    return open_case(db, ACTOR, IntakeInput(person_id=person, intake_date=TODAY, source=CaseSource.OUTREACH,
                                            service_area="elderly", risk_level=RiskLevel.LOW)).uuid


def intake_input(person: UUID, risk: RiskLevel) -> IntakeInput:
    return IntakeInput(person_id=person, intake_date=TODAY, source=CaseSource.OUTREACH, service_area="elderly",
                       risk_level=risk, presenting_problem="独居，需要定期探访")


def add_activity(db: Database, title: str = "重阳节敬老活动") -> UUID:
    return create_activity(db, ACTOR, ActivityInput(
        title=title, activity_type="community_event", start_date=TODAY, service_areas=("elderly",),
        social_workers=2, volunteers=3, beneficiaries=15)).uuid
