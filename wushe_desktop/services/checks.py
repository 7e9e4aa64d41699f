"""Database health: integrity, foreign keys, schema, version clock, audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from wushe_desktop.services.context import Actor, own_station
from wushe_desktop.services.permissions import Permission, require
from wushe_desktop.storage import sqlite as sqlite_mod
from wushe_desktop.storage.audit import ChainResult, verify_chain
from wushe_desktop.storage.db import Database, current_revision, head_revision
from wushe_desktop.storage.models import SYNCED_MODELS
from wushe_desktop.storage.tracking import current_version


@dataclass(frozen=True)
class Finding:
    """One check's outcome: ``code`` says what was checked or what is wrong."""

    check: str
    ok: bool
    code: str
    detail: str = ""


def audit_chain(db: Database, actor: Actor) -> ChainResult:
    """Verify the audit chain (``wushe audit verify``)."""
    require(actor, Permission.READ)
    return verify_chain(db)


def run_checks(db: Database, actor: Actor) -> list[Finding]:
    """Every check of ``wushe check``, in order; all run even when one fails."""
    require(actor, Permission.READ)
    findings: list[Finding] = []
    if db.path is not None:
        problems = sqlite_mod.integrity_problems(db.path)
        findings.append(Finding("integrity", not problems, "check.integrity" if problems else "ok",
                                "; ".join(problems[:5])))
    rev, head = current_revision(db.engine), head_revision()
    findings.append(Finding("schema", rev == head, "ok" if rev == head else "check.schema",
                            f"{rev} (head {head})"))
    with db.read_sessions() as s:
        clock = current_version(s)
        own = own_station(s).code
        highest = 0
        for model in SYNCED_MODELS:  # a centre's copies keep their stations' versions
            highest = max(highest, int(s.scalar(
                select(func.max(model.row_version)).where(model.origin == own)) or 0))
    ok = highest <= clock
    findings.append(Finding("versions", ok, "ok" if ok else "check.version_clock",
                            f"clock {clock}, highest row {highest}"))
    chain = verify_chain(db)
    findings.append(Finding("audit", chain.ok, "ok" if chain.ok else "check.audit_chain",
                            f"{chain.rows} rows" if chain.ok else f"first broken at {chain.first_broken} ({chain.reason})"))
    return findings
