"""Typed errors that say whose fault a problem is.

Environment and user problems (a wrong ID-card check digit, a locked or corrupt
database, a refused stage move) are :class:`WusheError` subclasses carrying a stable
``code`` and, where it applies, the ``field`` at fault plus ``params`` for the message.
The core never builds user sentences: the GUI and the CLI turn the code into one clear
sentence in their own language. Anything else that escapes is a bug.

This module is standard library only, so every layer may import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class WusheError(Exception):
    """A problem caused by the user's input or the environment, not by a bug.

    Attributes:
        code: Stable machine-readable code, e.g. ``"id_number.checksum"``.
        field: The field at fault, if any (``"id_number"``, ``"phone"``...).
        params: Values a message may quote (never personal data beyond what the
            user just typed).
    """

    default_code = "error"

    def __init__(
        self,
        code: str | None = None,
        /,
        field: str | None = None,
        detail: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code or self.default_code
        self.field = field
        self.params: Mapping[str, Any] = params
        self.detail = detail
        super().__init__(self.describe())

    def describe(self) -> str:
        """An English one-liner for logs and for the CLI fallback."""
        parts = [self.code]
        if self.field:
            parts.append(f"field={self.field}")
        if self.params:
            parts.append(", ".join(f"{k}={v}" for k, v in self.params.items()))
        if self.detail:
            parts.append(self.detail)
        return ": ".join(parts)


class ValidationError(WusheError):
    """A value the user entered breaks a rule (ID number, phone, dates, hours...)."""

    default_code = "invalid"


class ValidationErrors(WusheError):
    """Several validation errors found at once (a form or a roster row)."""

    default_code = "invalid.many"

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = list(errors)
        super().__init__(self.default_code, detail="; ".join(e.describe() for e in self.errors))


class NotFoundError(WusheError):
    """A record the user named does not exist (or was deleted)."""

    default_code = "not_found"


class StateError(WusheError):
    """An action is not allowed in the record's current state (e.g. a stage move)."""

    default_code = "state"


class PermissionDenied(WusheError):
    """The acting user's role does not allow the action."""

    default_code = "permission"


class DatabaseError(WusheError):
    """The database cannot be used: missing, locked, corrupt, foreign, full disk."""

    default_code = "database"


class ImportFileError(WusheError):
    """A roster or bundle file cannot be read at all (format, encoding, missing)."""

    default_code = "import_file"


class ConfigError(WusheError):
    """The station is not set up for this action (no station, wrong mode...)."""

    default_code = "config"
