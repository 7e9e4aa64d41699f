"""Accounts, logins, lock-out, password resets and permissions at the service layer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from wushe_desktop.domain.enums import Role
from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.errors import (
    ConfigError,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
    WusheError,
)
from wushe_desktop.services import accounts
from wushe_desktop.services.accounts import (
    LOCK_DURATION,
    MAX_FAILED_ATTEMPTS,
    authenticate,
    change_password,
    create_account,
    list_accounts,
    login,
    reset_head_with_passphrase,
    reset_password,
    set_account_active,
)
from wushe_desktop.services.backup import backup_now
from wushe_desktop.services.cases import decide_closure, decide_opening, decide_plan
from wushe_desktop.services.context import Actor
from wushe_desktop.services.people import PersonInput, create_person, reveal_id_number
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.services.staff import StaffInput, add_staff
from wushe_desktop.storage.audit import verify_chain
from wushe_desktop.storage.db import Database
from wushe_desktop.storage.models import AuditLog, Setting, UserAccount

PASSPHRASE = "correct horse battery"  # the station fixture's (tests/conftest.py)
T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
HEAD_PW = "站长的密码2026"
WORKER_PW = "worker-pass-1"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest, so a lock-out test runs in milliseconds."""
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def staffed(db: Database, actor: Actor) -> Database:
    """The station with a head (zhang) and a social worker (li)."""
    head = add_staff(db, actor, StaffInput(name="张海燕", role=Role.STATION_HEAD))
    worker = add_staff(db, actor, StaffInput(name="李明", role=Role.SOCIAL_WORKER))
    create_account(db, actor, "zhang", "张海燕", Role.STATION_HEAD, HEAD_PW, staff_id=head.uuid)
    create_account(db, actor, "li", "李明", Role.SOCIAL_WORKER, WORKER_PW, staff_id=worker.uuid)
    return db


def audit_rows(db: Database, prefix: str) -> list[AuditLog]:
    with db.read_sessions() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action.startswith(prefix)).order_by(AuditLog.seq)))


# -- creating accounts -------------------------------------------------------------------


def test_login_gives_an_actor_with_the_accounts_role_and_staff(staffed: Database) -> None:
    me = login(staffed, "ZHANG", HEAD_PW, now=T0)  # usernames ignore case
    assert me.role == Role.STATION_HEAD and me.name == "张海燕" and me.staff_id is not None
    worker = login(staffed, "ｌｉ", WORKER_PW, now=T0)  # full-width letters from the IME
    assert worker.role == Role.SOCIAL_WORKER
    rows = audit_rows(staffed, "login")
    assert [(r.action, r.actor, r.role) for r in rows] == [("login", "zhang", "station_head"),
                                                           ("login", "li", "social_worker")]
    assert all("password" not in str(r.details).lower() for r in rows)
    assert verify_chain(staffed).ok


def test_the_password_hash_is_argon2id_and_never_the_password(staffed: Database) -> None:
    with staffed.read_sessions() as s:
        row = s.scalars(select(UserAccount).where(UserAccount.username == "zhang")).one()
    assert row.password_hash.startswith("$argon2id$") and HEAD_PW not in row.password_hash


@pytest.mark.parametrize(("password", "reason"), [
    ("short1", "short"), ("12345678901", "digits"), ("wangfang", "username"), ("ＷＡＮＧＦＡＮＧ", "username"),
])
def test_weak_passwords_are_refused(db: Database, actor: Actor, password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as info:
        create_account(db, actor, "wangfang", "王芳", Role.SOCIAL_WORKER, password)
    assert info.value.code == "password.weak" and info.value.field == "password"
    assert info.value.params["reason"] == reason and info.value.params["min"] == 8


def test_usernames_are_unique_whatever_the_case_or_width(staffed: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as info:
        create_account(staffed, actor, " Ｚhang ", "另一个张", Role.DEPUTY, "another-pass")
    assert info.value.code == "account.exists"
    for bad, code in (("", "account.username_empty"), ("li ming", "account.username_invalid"),
                      ("x" * 61, "account.username_too_long")):
        with pytest.raises(ValidationError) as info:
            create_account(staffed, actor, bad, "某人", Role.DEPUTY, "another-pass")
        assert info.value.code == code


def test_roles_must_fit_the_database_mode(db: Database, actor: Actor) -> None:
    for role in (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LOCAL_ADMIN):
        with pytest.raises(ValidationError) as info:
            create_account(db, actor, "someone", "某人", role, "good-password")
        assert info.value.code == "account.role_invalid"


def test_an_unknown_staff_record_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(NotFoundError) as info:
        create_account(db, actor, "ghost", "某人", Role.DEPUTY, "good-password", staff_id=uuid.uuid4())
    assert info.value.code == "staff.not_found" and info.value.field == "staff_id"


def test_only_user_managers_create_accounts(staffed: Database) -> None:
    worker = login(staffed, "li", WORKER_PW, now=T0)
    with pytest.raises(PermissionDenied) as info:
        create_account(staffed, worker, "new", "新人", Role.SOCIAL_WORKER, "good-password")
    assert info.value.code == "permission.manage_users"
    head = login(staffed, "zhang", HEAD_PW, now=T0)
    create_account(staffed, head, "new", "新人", Role.SOCIAL_WORKER, "good-password")
    assert [a.username for a in list_accounts(staffed, head)] == ["zhang", "li", "new"]
    with pytest.raises(PermissionDenied):
        list_accounts(staffed, worker)


# -- lock-out ---------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_fifteen_minutes(staffed: Database) -> None:
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(ValidationError) as info:
            login(staffed, "li", "wrong-password", now=T0 + timedelta(seconds=attempt))
        assert info.value.code == "login.failed"
        assert info.value.params["remaining"] == MAX_FAILED_ATTEMPTS - attempt
    with pytest.raises(StateError) as locked:
        login(staffed, "li", "wrong-password", now=T0 + timedelta(seconds=5))
    assert locked.value.code == "login.locked"
    until = locked.value.params["until"]
    assert until == T0 + timedelta(seconds=5) + LOCK_DURATION and locked.value.params["minutes"] == 15
    # Even the right password waits for the lock.
    with pytest.raises(StateError) as still:
        login(staffed, "li", WORKER_PW, now=until - timedelta(seconds=1))
    assert still.value.code == "login.locked" and still.value.params["minutes"] == 1
    assert login(staffed, "li", WORKER_PW, now=until).role == Role.SOCIAL_WORKER
    # After a success the count starts again from zero.
    with pytest.raises(ValidationError) as again:
        login(staffed, "li", "wrong-password", now=until + timedelta(minutes=1))
    assert again.value.params["remaining"] == MAX_FAILED_ATTEMPTS - 1
    actions = [r.action for r in audit_rows(staffed, "login")]
    assert actions == ["login_failed"] * 4 + ["login_locked", "login_refused", "login", "login_failed"]
    assert all(r.actor == "li" for r in audit_rows(staffed, "login"))
    assert verify_chain(staffed).ok


def test_a_success_resets_the_failure_count(staffed: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(ValidationError):
            login(staffed, "li", "wrong-password", now=T0)
    login(staffed, "li", WORKER_PW, now=T0)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(ValidationError):
            login(staffed, "li", "wrong-password", now=T0)


def test_a_clock_that_went_back_does_not_lock_for_years(staffed: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(WusheError):
            login(staffed, "li", "wrong-password", now=T0)
    # Power cut: the PC now believes it is 2000.
    assert login(staffed, "li", WORKER_PW, now=datetime(2000, 1, 1, tzinfo=UTC)).role == Role.SOCIAL_WORKER


def test_an_unknown_username_reads_like_a_wrong_password_and_is_audited(staffed: Database) -> None:
    with pytest.raises(ValidationError) as info:
        login(staffed, "nobody", "whatever-pass", now=T0)
    assert info.value.code == "login.failed"
    (row,) = audit_rows(staffed, "login")
    assert row.action == "login_failed" and row.actor == "nobody" and row.details["reason"] == "unknown"


def test_a_switched_off_account_cannot_log_in_and_the_last_head_stays(staffed: Database, actor: Actor) -> None:
    set_account_active(staffed, actor, "li", False)
    with pytest.raises(StateError) as info:
        login(staffed, "li", WORKER_PW, now=T0)
    assert info.value.code == "login.inactive"
    with pytest.raises(StateError) as last:
        set_account_active(staffed, actor, "zhang", False)
    assert last.value.code == "account.last_head"
    set_account_active(staffed, actor, "li", True)
    assert login(staffed, "li", WORKER_PW, now=T0).role == Role.SOCIAL_WORKER


# -- changing and resetting passwords ------------------------------------------------------


def test_the_head_resets_a_password_which_must_then_be_changed(staffed: Database) -> None:
    head = login(staffed, "zhang", HEAD_PW, now=T0)
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(WusheError):
            login(staffed, "li", "forgotten-it", now=T0)
    view = reset_password(staffed, head, "li", "temporary-1")
    assert view.must_change_password and view.locked_until is None and view.failed_attempts == 0
    result = authenticate(staffed, "li", "temporary-1", now=T0)
    assert result.account.must_change_password
    with pytest.raises(ValidationError) as same:
        change_password(staffed, "li", "temporary-1", "temporary-1", now=T0)
    assert same.value.params["reason"] == "same"
    change_password(staffed, "li", "temporary-1", "my-own-secret", now=T0)
    assert not authenticate(staffed, "li", "my-own-secret", now=T0).account.must_change_password
    with pytest.raises(ValidationError):
        login(staffed, "li", "temporary-1", now=T0)
    actions = [r.action for r in audit_rows(staffed, "password")]
    assert actions == ["password_reset", "password_change"]
    assert audit_rows(staffed, "password_reset")[0].actor == "张海燕"


def test_a_wrong_old_password_counts_towards_the_lock(staffed: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(ValidationError):
            change_password(staffed, "li", "not-the-old-one", "brand-new-pass", now=T0)
    with pytest.raises(StateError) as info:
        login(staffed, "li", "still-wrong", now=T0)
    assert info.value.code == "login.locked"


def test_a_social_worker_cannot_reset_passwords(staffed: Database) -> None:
    worker = login(staffed, "li", WORKER_PW, now=T0)
    with pytest.raises(PermissionDenied):
        reset_password(staffed, worker, "zhang", "taken-over-1")


def test_a_locked_out_head_resets_with_the_recovery_passphrase(staffed: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(WusheError):
            login(staffed, "zhang", "forgotten-pw", now=T0)
    with pytest.raises(ValidationError) as wrong:
        reset_head_with_passphrase(staffed, "correct horse batery", "zhang", "new-head-pass")
    assert wrong.value.code == "passphrase.wrong" and wrong.value.field == "passphrase"
    view = reset_head_with_passphrase(staffed, PASSPHRASE, "zhang", "new-head-pass")
    assert view.locked_until is None and not view.must_change_password
    assert login(staffed, "zhang", "new-head-pass", now=T0).role == Role.STATION_HEAD
    actions = [(r.action, r.actor) for r in audit_rows(staffed, "recovery")]
    assert actions == [("recovery_reset_failed", "zhang"), ("recovery_reset", "zhang")]
    assert verify_chain(staffed).ok


def test_the_passphrase_resets_only_a_head(staffed: Database) -> None:
    with pytest.raises(StateError) as info:
        reset_head_with_passphrase(staffed, PASSPHRASE, "li", "new-worker-pass")
    assert info.value.code == "account.not_head"
    with pytest.raises(NotFoundError):
        reset_head_with_passphrase(staffed, PASSPHRASE, "nobody", "new-worker-pass")


def test_without_a_recovery_passphrase_the_head_cannot_reset(staffed: Database) -> None:
    with staffed.sessions.begin() as s:
        s.delete(s.get(Setting, "recovery.verifier"))
    with pytest.raises(ConfigError) as info:
        reset_head_with_passphrase(staffed, PASSPHRASE, "zhang", "new-head-pass")
    assert info.value.code == "passphrase.not_set"


# -- permissions at the service layer --------------------------------------------------------


@pytest.mark.parametrize("permission", [Permission.APPROVE, Permission.EXPORT, Permission.REVEAL_ID,
                                        Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS])
def test_a_social_worker_lacks(permission: Permission) -> None:
    with pytest.raises(PermissionDenied) as info:
        require(Actor("李明", Role.SOCIAL_WORKER), permission)
    assert info.value.code == f"permission.{permission.value}"


def test_a_social_worker_cannot_approve_export_or_reveal_through_the_services(staffed: Database, actor: Actor,
                                                                             tmp_path: Path) -> None:
    first17 = "150121" + "19440312" + "022"
    person = create_person(staffed, actor, PersonInput(name="王桂花", id_number=first17 + id_number_check_char(first17)))
    worker = login(staffed, "li", WORKER_PW, now=T0)
    head = login(staffed, "zhang", HEAD_PW, now=T0)
    with pytest.raises(PermissionDenied) as reveal:
        reveal_id_number(staffed, worker, person.person.uuid, "核对低保材料")
    assert reveal.value.code == "permission.reveal_id"
    assert reveal_id_number(staffed, head, person.person.uuid, "核对低保材料") is not None
    for decide in (decide_closure, decide_opening, decide_plan):
        with pytest.raises(PermissionDenied) as approve:
            decide(staffed, worker, uuid.uuid4(), True)
        assert approve.value.code == "permission.approve"
    out = tmp_path / "stick"
    out.mkdir()
    with pytest.raises(PermissionDenied) as export:
        backup_now(staffed, worker, out, PASSPHRASE)
    assert export.value.code == "permission.export"
    assert list(out.iterdir()) == []
    reveals = audit_rows(staffed, "reveal")
    assert [r.actor for r in reveals] == ["张海燕"]  # the refused attempt wrote nothing
