"""Property: any JSON-ready rows come back from a bundle exactly as they went in."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wushe_desktop.sync import bundle, keys
from wushe_desktop.sync.common import EMPTY_AUDIT_HEAD

STATION = "150121101000"
SIGNING = keys.generate()
CENTRE = keys.generate_box()

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.text(max_size=30)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    extra = draw(st.dictionaries(st.text(max_size=10).filter(lambda k: k not in {"uuid", "origin", "row_version"}),
                                 json_values, max_size=5))
    return {
        "uuid": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)))),
        "origin": STATION,
        "row_version": draw(st.integers(1, 2**50)),
        **extra,
    }


tables = st.lists(
    st.tuples(st.sampled_from(["person", "case_file", "service_record", "t", "x_9"]), st.lists(rows(), max_size=6)),
    max_size=4,
)


def _trusted(code: str, fingerprint: str) -> bundle.TrustDecision:
    return bundle.TrustDecision.trusted(SIGNING.public)


@settings(max_examples=40, deadline=None)
@given(data=tables, chunk_bytes=st.sampled_from([bundle.CHUNK_BYTES, 64, 1]))
def test_round_trip(data: list[tuple[str, list[dict[str, Any]]]], chunk_bytes: int) -> None:
    # Tiny chunks exercise chunk boundaries, empty final chunks and many chunks per row.
    with pytest.MonkeyPatch.context() as patch, tempfile.TemporaryDirectory() as folder:
        patch.setattr(bundle, "CHUNK_BYTES", chunk_bytes)
        path = Path(folder) / "b.wsb"
        bundle.write_bundle(
            path, station_code=STATION, sequence=1, prev_bundle_sha256="", full=True, row_version_from=0,
            row_version_to=2**50, schema_revision="0001", audit_head=EMPTY_AUDIT_HEAD, tables=data,
            signing_key=SIGNING.private, centre_public_key=CENTRE.public,
        )
        verified = bundle.read_bundle(
            path, trusted_keys=_trusted, centre_fingerprint=CENTRE.fingerprint, centre_private_key=CENTRE.private,
            known_schemas={"0001"},
        )
        assert list(verified.rows()) == [(table, row) for table, table_rows in data for row in table_rows]
        counts: dict[str, int] = {}
        for table, table_rows in data:
            counts[table] = counts.get(table, 0) + len(table_rows)
        assert dict(verified.manifest.table_counts) == counts
