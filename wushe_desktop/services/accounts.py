"""Login accounts: create, log in with lock-out, change and reset passwords.

Accounts are local to this database (``user_account``; hashes never travel). Passwords
are hashed with Argon2id (argon2-cffi). Five failures in a row lock an account for
fifteen minutes; the station head resets other people's passwords; a locked-out head
resets their own with the station's recovery passphrase (DESIGN.md §11). Every attempt,
successful or not, writes an audit row whose actor is the username typed.

Roles and logins govern the GUI; the command line acts as the local administrator
(docs/decisions.md §2).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import Role, StationMode
from wushe_desktop.errors import ConfigError, NotFoundError, StateError, ValidationError
from wushe_desktop.services.context import Actor, own_station, reading, transaction
from wushe_desktop.services.permissions import Permission
from wushe_desktop.services.station import passphrase_matches
from wushe_desktop.storage.db import Database, map_operational_error
from wushe_desktop.storage.models import Setting, Staff, UserAccount
from wushe_desktop.storage.tracking import ActorInfo, AuditEntry, append_audit, bind_actor
from wushe_desktop.storage.types import utcnow

MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 8
MAX_USERNAME_LENGTH = 60

#: The hasher for account passwords (Argon2id, argon2-cffi defaults). Tests swap in a
#: cheaper one; hashes made with other parameters still verify and are renewed at login.
PASSWORD_HASHER = PasswordHasher()

#: Roles an account may hold, by the mode of the database (DESIGN.md §1).
ROLES_BY_MODE: dict[StationMode, frozenset[Role]] = {
    StationMode.STATION: frozenset({Role.STATION_HEAD, Role.SOCIAL_WORKER, Role.DEPUTY}),
    StationMode.CENTRE: frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR}),
}

#: The head of a database: the account the recovery passphrase may reset.
HEAD_ROLES = frozenset({Role.STATION_HEAD, Role.CENTRE_ADMIN})

_ENTITY = "user_account"
_DUMMY_HASHES: dict[int, str] = {}


class Weakness(StrEnum):
    """Why a password was refused (param ``reason`` of ``password.weak``)."""

    SHORT = "short"
    DIGITS = "digits"
    USERNAME = "username"
    SAME = "same"


@dataclass(frozen=True)
class AccountView:
    """An account as the user-management screen shows it (no hash)."""

    username: str
    display_name: str
    role: Role
    staff_id: uuid.UUID | None
    active: bool
    must_change_password: bool
    locked_until: datetime | None
    failed_attempts: int
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class LoginResult:
    """A successful login: the actor for every service call, and the account.

    The GUI asks for a new password before anything else when
    ``account.must_change_password`` is set (after a reset by the head).
    """

    actor: Actor
    account: AccountView


def _view(row: UserAccount) -> AccountView:
    return AccountView(row.username, row.display_name, row.role, row.staff_id, row.active,
                       row.must_change_password, row.locked_until, row.failed_attempts,
                       row.created_at, row.last_login_at)


def _actor_of(row: UserAccount) -> Actor:
    return Actor(name=row.display_name, role=row.role, staff_id=row.staff_id)


def normalize_username(username: str) -> str:
    """A username as stored: NFKC (full-width letters from a Chinese IME become ASCII),
    stripped, lower case.

    Raises:
        ValidationError: ``account.username_empty``, ``account.username_too_long``,
            ``account.username_invalid`` (spaces or control characters inside).
    """
    name = unicodedata.normalize("NFKC", username).strip().lower()
    if not name:
        raise ValidationError("account.username_empty", field="username")
    if len(name) > MAX_USERNAME_LENGTH:
        raise ValidationError("account.username_too_long", field="username", max=MAX_USERNAME_LENGTH)
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError("account.username_invalid", field="username")
    return name


def _normalize_password(password: str) -> str:
    # NFKC, so a password typed with the IME in full-width mode still matches.
    return unicodedata.normalize("NFKC", password)


def check_password_policy(password: str, username: str = "", *, old: str | None = None) -> str:
    """Check a new password; returns it normalised (NFKC).

    Rules: at least :data:`MIN_PASSWORD_LENGTH` characters, not digits only, not the
    username, not the old password.

    Raises:
        ValidationError: ``password.weak`` (field ``password``) with ``reason``
            (:class:`Weakness`) and ``min``.
    """
    value = _normalize_password(password)
    reason: Weakness | None = None
    if len(value) < MIN_PASSWORD_LENGTH:
        reason = Weakness.SHORT
    elif value.isdigit():
        reason = Weakness.DIGITS
    elif username and value.strip().lower() == username:
        reason = Weakness.USERNAME
    elif old is not None and value == _normalize_password(old):
        reason = Weakness.SAME
    if reason is not None:
        raise ValidationError("password.weak", field="password", reason=reason.value, min=MIN_PASSWORD_LENGTH)
    return value


def _hash(password: str) -> str:
    return PASSWORD_HASHER.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return PASSWORD_HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _waste_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown username takes as long as a known one."""
    key = id(PASSWORD_HASHER)
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = PASSWORD_HASHER.hash("wushe-no-such-account")
    _verify(_DUMMY_HASHES[key], password)


def _account(session: Session, username: str) -> UserAccount | None:
    return session.scalars(select(UserAccount).where(UserAccount.username == username)).first()


def _require_account(session: Session, username: str) -> UserAccount:
    row = _account(session, username)
    if row is None:
        raise NotFoundError("account.not_found", field="username", username=username)
    return row


def _is_locked(row: UserAccount, now: datetime) -> bool:
    """Whether the lock still holds.

    A lock further ahead than :data:`LOCK_DURATION` means the PC clock went back (power
    cut); it is treated as expired rather than locking the account for years.
    """
    until = row.locked_until
    return until is not None and now < until <= now + LOCK_DURATION


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, -(-int((until - now).total_seconds()) // 60))


def _check_attempt(row: UserAccount, password: str, now: datetime) -> tuple[str, ValidationError | StateError | None]:
    """Check a password against an account and update its counters.

    Returns the audit action and the error to raise once the audit row is committed.
    """
    if not row.active:
        return "login_refused", StateError("login.inactive", username=row.username)
    if _is_locked(row, now):
        assert row.locked_until is not None
        return "login_refused", StateError("login.locked", until=row.locked_until,
                                           minutes=_minutes_left(row.locked_until, now))
    if row.locked_until is not None:  # the lock has run out: a fresh start
        row.locked_until = None
        row.failed_attempts = 0
    if _verify(row.password_hash, password):
        row.failed_attempts = 0
        if PASSWORD_HASHER.check_needs_rehash(row.password_hash):
            row.password_hash = _hash(password)
        return "", None
    row.failed_attempts += 1
    if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
        row.locked_until = now + LOCK_DURATION
        return "login_locked", StateError("login.locked", until=row.locked_until,
                                          minutes=_minutes_left(row.locked_until, now))
    return "login_failed", ValidationError("login.failed", field="password",
                                           remaining=MAX_FAILED_ATTEMPTS - row.failed_attempts)


def _bind_anonymous(session: Session, name: str, role: str) -> None:
    """Bind the typed username as the audit actor (nobody is logged in yet)."""
    station = own_station(session)
    bind_actor(session, ActorInfo(name[:MAX_USERNAME_LENGTH], role, station.code))


def authenticate(db: Database, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Log in: check the password, count failures, lock after five, audit every attempt.

    Args:
        db: The open database.
        username: As typed (normalised here).
        password: As typed.
        now: The current time (aware); tests pass it instead of sleeping.

    Returns:
        The actor for service calls and the account (``must_change_password``...).

    Raises:
        ValidationError: ``login.failed`` (param ``remaining``: attempts left before the
            lock; an unknown username reads the same as a wrong password).
        StateError: ``login.locked`` (params ``until``, an aware UTC datetime, and
            ``minutes`` left), ``login.inactive`` (the account was switched off).
    """
    now = now or utcnow()
    name = normalize_username(username)
    typed = _normalize_password(password)
    error: ValidationError | StateError | None = None
    result: LoginResult | None = None
    try:
        with db.sessions.begin() as s:
            row = _account(s, name)
            if row is None:
                _waste_time(typed)
                _bind_anonymous(s, name, "")
                append_audit(s, AuditEntry("login_failed", _ENTITY, "", {"username": name, "reason": "unknown"}))
                error = ValidationError("login.failed", field="password", remaining=MAX_FAILED_ATTEMPTS)
            else:
                _bind_anonymous(s, name, row.role.value)
                action, error = _check_attempt(row, typed, now)
                if error is None:
                    row.last_login_at = now
                    action = "login"
                    result = LoginResult(_actor_of(row), _view(row))
                details: dict[str, Any] = {"username": name}
                if error is not None:
                    details["reason"] = error.code
                    details["failed_attempts"] = row.failed_attempts
                append_audit(s, AuditEntry(action, _ENTITY, "", details))
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc
    # Raised after the commit, so the failure and its audit row are kept.
    if error is not None:
        raise error
    assert result is not None
    return result


def login(db: Database, username: str, password: str, now: datetime | None = None) -> Actor:
    """Log in and return the actor (see :func:`authenticate` for the errors)."""
    return authenticate(db, username, password, now).actor


def create_account(db: Database, actor: Actor, username: str, display_name: str, role: Role,
                   password: str, staff_id: uuid.UUID | None = None) -> AccountView:
    """Create a login account (needs ``manage_users``).

    Raises:
        PermissionDenied: ``permission.manage_users``.
        ValidationError: ``account.username_*``, ``account.display_name_empty``,
            ``account.role_invalid`` (a role this database's mode has no use for, or the
            command line's own role), ``account.exists``, ``password.weak``.
        NotFoundError: ``staff.not_found`` (field ``staff_id``).
    """
    name = normalize_username(username)
    shown = unicodedata.normalize("NFKC", display_name).strip()
    if not shown:
        raise ValidationError("account.display_name_empty", field="display_name")
    if len(shown) > MAX_USERNAME_LENGTH:
        raise ValidationError("account.display_name_too_long", field="display_name", max=MAX_USERNAME_LENGTH)
    secret = _hash(check_password_policy(password, name))
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        mode = own_station(s).mode
        if role not in ROLES_BY_MODE[mode]:
            raise ValidationError("account.role_invalid", field="role", role=role.value, mode=mode.value)
        if _account(s, name) is not None:
            raise ValidationError("account.exists", field="username", username=name)
        if staff_id is not None:
            staff = s.get(Staff, staff_id)
            if staff is None or staff.deleted_at is not None:
                raise NotFoundError("staff.not_found", field="staff_id")
        row = UserAccount(username=name, display_name=shown, role=role, staff_id=staff_id,
                          password_hash=secret, failed_attempts=0, active=True,
                          must_change_password=False, created_at=utcnow())
        s.add(row)
        s.flush()
        append_audit(s, AuditEntry("account_create", _ENTITY, "", {"username": name, "role": role.value}))
        return _view(row)


def change_password(db: Database, username: str, old_password: str, new_password: str,
                    now: datetime | None = None) -> None:
    """A user changes their own password; the old one proves who they are.

    A wrong old password counts towards the lock-out like a failed login.

    Raises:
        ValidationError: ``password.weak``, ``login.failed``.
        StateError: ``login.locked``, ``login.inactive``.
    """
    now = now or utcnow()
    name = normalize_username(username)
    fresh = check_password_policy(new_password, name, old=old_password)
    secret = _hash(fresh)
    error: ValidationError | StateError | None = None
    try:
        with db.sessions.begin() as s:
            row = _account(s, name)
            if row is None:
                _waste_time(_normalize_password(old_password))
                _bind_anonymous(s, name, "")
                append_audit(s, AuditEntry("password_change_failed", _ENTITY, "", {"username": name, "reason": "unknown"}))
                error = ValidationError("login.failed", field="password", remaining=MAX_FAILED_ATTEMPTS)
            else:
                _bind_anonymous(s, name, row.role.value)
                action, error = _check_attempt(row, _normalize_password(old_password), now)
                details: dict[str, Any] = {"username": name}
                if error is None:
                    row.password_hash = secret
                    row.must_change_password = False
                    action = "password_change"
                else:
                    action = "password_change_failed"
                    details["reason"] = error.code
                append_audit(s, AuditEntry(action, _ENTITY, "", details))
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc
    if error is not None:
        raise error


def reset_password(db: Database, actor: Actor, username: str, new_password: str) -> AccountView:
    """The head sets a new password for someone (needs ``manage_users``).

    The account is unlocked and must change the password at its next login.

    Raises:
        PermissionDenied: ``permission.manage_users``.
        NotFoundError: ``account.not_found``.
        ValidationError: ``password.weak``.
    """
    name = normalize_username(username)
    secret = _hash(check_password_policy(new_password, name))
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        row = _require_account(s, name)
        row.password_hash = secret
        row.must_change_password = True
        row.failed_attempts = 0
        row.locked_until = None
        append_audit(s, AuditEntry("password_reset", _ENTITY, "", {"username": name}))
        return _view(row)


def reset_head_with_passphrase(db: Database, passphrase: str, username: str, new_password: str) -> AccountView:
    """A locked-out head sets a new password with the recovery passphrase (offline).

    The passphrase is checked against the ``recovery.verifier`` setting. Both outcomes
    are audited (the wrong ones too: someone may be guessing). The account is unlocked
    and switched on again.

    Raises:
        ConfigError: ``passphrase.not_set`` (the station never chose one).
        ValidationError: ``passphrase.wrong`` (field ``passphrase``), ``password.weak``.
        NotFoundError: ``account.not_found``.
        StateError: ``account.not_head`` (the passphrase resets only the head).
    """
    name = normalize_username(username)
    fresh = check_password_policy(new_password, name)
    with db.read_sessions() as s:
        setting = s.get(Setting, "recovery.verifier")
        verifier = setting.value if setting is not None else None
    if not isinstance(verifier, str) or not verifier:
        raise ConfigError("passphrase.not_set")
    matches = passphrase_matches(verifier, passphrase)
    secret = _hash(fresh) if matches else ""
    error: ValidationError | None = None
    view: AccountView | None = None
    try:
        with db.sessions.begin() as s:
            row = _account(s, name)
            if row is None:
                raise NotFoundError("account.not_found", field="username", username=name)
            if row.role not in HEAD_ROLES:
                raise StateError("account.not_head", username=name, role=row.role.value)
            _bind_anonymous(s, name, row.role.value)
            if matches:
                row.password_hash = secret
                row.failed_attempts = 0
                row.locked_until = None
                row.active = True
                row.must_change_password = False
                append_audit(s, AuditEntry("recovery_reset", _ENTITY, "", {"username": name}))
                view = _view(row)
            else:
                append_audit(s, AuditEntry("recovery_reset_failed", _ENTITY, "",
                                           {"username": name, "reason": "passphrase.wrong"}))
                error = ValidationError("passphrase.wrong", field="passphrase")
    except OperationalError as exc:
        raise map_operational_error(exc, db.path) from exc
    if error is not None:
        raise error
    assert view is not None
    return view


def set_account_active(db: Database, actor: Actor, username: str, active: bool) -> AccountView:
    """Switch an account off (someone left) or on again (needs ``manage_users``).

    Raises:
        NotFoundError: ``account.not_found``.
        StateError: ``account.last_head`` (the last active head cannot be switched off).
    """
    name = normalize_username(username)
    with transaction(db, actor, Permission.MANAGE_USERS) as s:
        row = _require_account(s, name)
        if not active and row.active and row.role in HEAD_ROLES:
            heads = s.scalar(select(func.count()).select_from(UserAccount).where(
                UserAccount.role.in_([r.value for r in HEAD_ROLES]), UserAccount.active.is_(True)))
            if (heads or 0) <= 1:
                raise StateError("account.last_head", username=name)
        if row.active != active:
            row.active = active
            append_audit(s, AuditEntry("account_enable" if active else "account_disable", _ENTITY, "",
                                       {"username": name}))
        return _view(row)


def list_accounts(db: Database, actor: Actor) -> list[AccountView]:
    """Every account, heads first then by username (needs ``manage_users``)."""
    with reading(db, actor, Permission.MANAGE_USERS) as s:
        rows = s.scalars(select(UserAccount).order_by(UserAccount.username)).all()
        heads = [r for r in rows if r.role in HEAD_ROLES]
        others = [r for r in rows if r.role not in HEAD_ROLES]
        return [_view(r) for r in heads + others]


def has_accounts(db: Database) -> bool:
    """Whether anyone can log in yet (the GUI's first start creates the head's account)."""
    with db.read_sessions() as s:
        return bool(s.scalar(select(func.count()).select_from(UserAccount).where(UserAccount.active.is_(True))))


__all__ = [
    "HEAD_ROLES",
    "LOCK_DURATION",
    "MAX_FAILED_ATTEMPTS",
    "MIN_PASSWORD_LENGTH",
    "PASSWORD_HASHER",
    "ROLES_BY_MODE",
    "AccountView",
    "LoginResult",
    "Weakness",
    "authenticate",
    "change_password",
    "check_password_policy",
    "create_account",
    "has_accounts",
    "list_accounts",
    "login",
    "normalize_username",
    "reset_head_with_passphrase",
    "reset_password",
    "set_account_active",
]
