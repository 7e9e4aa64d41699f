"""Setting up a station database: codes, banners, settings, taxonomies, keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.errors import DatabaseError, ValidationError
from wushe_desktop.services.context import Actor, station_info
from wushe_desktop.services.keys import show_keys
from wushe_desktop.services.station import (
    init_database,
    passphrase_matches,
    set_setting,
    set_taxonomy_item,
    settings,
    taxonomy,
)
from wushe_desktop.storage.db import Database
from wushe_desktop.sync.keys import fingerprint, read_private_key


def test_init_finds_the_banner_and_makes_a_key(tmp_path: Path) -> None:
    db, result = init_database(tmp_path / "s.sqlite3", code="150121101000", name="毕克齐镇社工站",
                               passphrase="correct horse battery")
    try:
        assert (result.station.banner_code, result.station.banner_name) == ("150121000000", "土默特左旗")
        assert station_info(db).name == "毕克齐镇社工站"
        from nacl.signing import SigningKey

        public = bytes(SigningKey(read_private_key(result.key_path)).verify_key)
        assert fingerprint(public) == result.fingerprint == show_keys(db).fingerprint
        assert len(result.fingerprint) == 39 and result.fingerprint.count("-") == 7
        assert (result.key_path.stat().st_mode & 0o077) == 0
        assert passphrase_matches(settings(db)["recovery.verifier"], "correct horse battery")
        assert not passphrase_matches(settings(db)["recovery.verifier"], "wrong horse battery")
    finally:
        db.dispose()
    with pytest.raises(DatabaseError) as info:
        init_database(tmp_path / "s.sqlite3", code="150121101000", name="x")
    assert info.value.code == "database.exists"


def test_banner_must_agree_and_unknown_codes_warn(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        init_database(tmp_path / "a.sqlite3", code="150121101000", name="毕克齐镇社工站", banner="托克托县")
    assert info.value.code == "station.banner_mismatch"
    assert not (tmp_path / "a.sqlite3").exists()
    db, result = init_database(tmp_path / "b.sqlite3", code="150121188000", name="新设镇社工站")
    db.dispose()
    assert result.warnings == ("station.code_unknown",) and result.station.banner_name == "土默特左旗"
    with pytest.raises(ValidationError) as info:
        init_database(tmp_path / "c.sqlite3", code="159901101000", name="旧盟某镇社工站")
    assert info.value.code == "station.banner_required"


def test_taxonomies_are_data_with_defaults_and_editable(db: Database, actor: Actor) -> None:
    areas = taxonomy(db, actor, TaxonomyKind.SERVICE_AREA)
    assert list(areas.values()) == ["老", "小", "困", "残", "基层社会治理", "乡村振兴"]
    set_taxonomy_item(db, actor, TaxonomyKind.SERVICE_AREA, "veterans", "退役军人服务")
    set_taxonomy_item(db, actor, TaxonomyKind.SERVICE_AREA, "elderly", "养老服务")
    set_taxonomy_item(db, actor, TaxonomyKind.SERVICE_AREA, "rural_revitalisation", "乡村振兴", active=False)
    areas = taxonomy(db, actor, TaxonomyKind.SERVICE_AREA)
    assert areas["elderly"] == "养老服务" and areas["veterans"] == "退役军人服务"
    assert "rural_revitalisation" not in areas
    set_setting(db, actor, "stars.thresholds_hours", [30, 60, 100, 200, 300])
    assert settings(db)["stars.thresholds_hours"] == [30, 60, 100, 200, 300]
    assert settings(db)["hours.daily_cap_tenths"] == 80
