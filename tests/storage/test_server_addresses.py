"""A server address that cannot be used gets one sentence, never a traceback (issue #7:
the centre may run on PostgreSQL, and its address is typed by hand)."""

from __future__ import annotations

import os
import socket

import pytest
from sqlalchemy.engine import make_url

from wushe_desktop.cli_messages import describe as render
from wushe_desktop.errors import DatabaseError
from wushe_desktop.storage.db import open_database


def _refused(target: str) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught:
        open_database(target)
    return caught.value


def _closed_port() -> int:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_address_no_driver_knows_is_refused_in_one_sentence() -> None:
    error = _refused("foo+bar://server/centre")
    assert error.code == "database.bad_url"
    assert "foo+bar://server/centre" in render(error)


def test_a_server_that_does_not_answer_is_named_without_its_password() -> None:
    port = _closed_port()
    error = _refused(f"postgresql+psycopg://centre:secret@127.0.0.1:{port}/wushe")
    assert error.code == "database.server_unreachable"
    text = render(error)
    assert f"127.0.0.1:{port}/wushe" in text and "secret" not in text


@pytest.mark.postgres
def test_a_wrong_password_and_a_missing_database_are_told_apart() -> None:
    url = os.environ.get("WUSHE_TEST_PG_URL")
    if not url:
        pytest.skip("WUSHE_TEST_PG_URL is not set (.ci/run sets it)")
    good = make_url(url)
    wrong = good.set(password="not-the-password").render_as_string(hide_password=False)
    assert _refused(wrong).code == "database.server_login_refused"
    missing = good.set(database="wushe_no_such_database").render_as_string(hide_password=False)
    assert _refused(missing).code == "database.server_no_database"
