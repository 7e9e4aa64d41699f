"""Permissions by role, checked at the top of every service (not only hidden in the UI)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import PermissionDenied

if TYPE_CHECKING:
    from wushe_desktop.services.context import Actor


class Permission(StrEnum):
    """What an action needs."""

    READ = "read"
    EDIT_RECORDS = "edit_records"  # people, cases, activities, volunteers, resources
    APPROVE = "approve"  # case opening, plans, closures; confirming volunteer hours
    ISSUE_CERTIFICATE = "issue_certificate"
    REVEAL_ID = "reveal_id"  # see or print full ID numbers
    EXPORT = "export"
    IMPORT_ROSTER = "import_roster"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_USERS = "manage_users"
    CENTRE_IMPORT = "centre_import"
    DEMO = "demo"


_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LOCAL_ADMIN: _ALL,
    Role.STATION_HEAD: _ALL - {Permission.CENTRE_IMPORT},
    Role.SOCIAL_WORKER: frozenset({Permission.READ, Permission.EDIT_RECORDS, Permission.IMPORT_ROSTER}),
    Role.DEPUTY: frozenset({Permission.READ, Permission.EDIT_RECORDS}),
    Role.CENTRE_ADMIN: frozenset({Permission.READ, Permission.CENTRE_IMPORT, Permission.MANAGE_USERS,
                                  Permission.MANAGE_SETTINGS, Permission.EXPORT}),
    Role.SUPERVISOR: frozenset({Permission.READ, Permission.REVEAL_ID}),
}


def allowed(role: Role, permission: Permission) -> bool:
    """Whether a role holds a permission."""
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Raise :class:`PermissionDenied` (code ``permission.<name>``) unless allowed."""
    if not allowed(actor.role, permission):
        raise PermissionDenied(f"permission.{permission.value}", role=actor.role.value)
