"""How the domain's enums read on screen.

Enum values are stable English codes stored in records; these functions give the
translated words (call them after the translators are installed; the dictionaries they
return are plain data, safe to read on the worker thread, e.g. for an Excel export).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from wushe_desktop.domain.enums import ApprovalStatus, CaseStage, HoursStatus, RiskLevel, Role, Sex


def stage_labels() -> dict[CaseStage, str]:
    """Case stages (接案 → 预估 → 计划 → 介入 → 评估 → 结案, and the side stages)."""
    return {
        CaseStage.INTAKE: QCoreApplication.translate("Labels", "Intake"),
        CaseStage.ASSESSMENT: QCoreApplication.translate("Labels", "Assessment"),
        CaseStage.PLANNING: QCoreApplication.translate("Labels", "Planning"),
        CaseStage.INTERVENTION: QCoreApplication.translate("Labels", "Intervention"),
        CaseStage.EVALUATION: QCoreApplication.translate("Labels", "Evaluation"),
        CaseStage.CLOSED: QCoreApplication.translate("Labels", "Closed"),
        CaseStage.NOT_OPENED: QCoreApplication.translate("Labels", "Not opened"),
        CaseStage.REFERRED: QCoreApplication.translate("Labels", "Referred"),
        CaseStage.SUSPENDED: QCoreApplication.translate("Labels", "Suspended"),
        CaseStage.FOLLOW_UP: QCoreApplication.translate("Labels", "Follow-up"),
    }


def sex_labels() -> dict[Sex, str]:
    """Male / female."""
    return {
        Sex.MALE: QCoreApplication.translate("Labels", "Male"),
        Sex.FEMALE: QCoreApplication.translate("Labels", "Female"),
    }


def risk_labels() -> dict[RiskLevel, str]:
    """Risk levels of a case."""
    return {
        RiskLevel.LOW: QCoreApplication.translate("Labels", "Low"),
        RiskLevel.MEDIUM: QCoreApplication.translate("Labels", "Medium"),
        RiskLevel.HIGH: QCoreApplication.translate("Labels", "High"),
    }


def approval_labels() -> dict[ApprovalStatus, str]:
    """Approval states."""
    return {
        ApprovalStatus.DRAFT: QCoreApplication.translate("Labels", "Draft"),
        ApprovalStatus.PENDING: QCoreApplication.translate("Labels", "Awaiting approval"),
        ApprovalStatus.APPROVED: QCoreApplication.translate("Labels", "Approved"),
        ApprovalStatus.RETURNED: QCoreApplication.translate("Labels", "Sent back"),
    }


def hours_status_labels() -> dict[HoursStatus, str]:
    """States of a volunteer-hours line."""
    return {
        HoursStatus.PENDING: QCoreApplication.translate("Labels", "Awaiting confirmation"),
        HoursStatus.CONFIRMED: QCoreApplication.translate("Labels", "Confirmed"),
        HoursStatus.CORRECTED: QCoreApplication.translate("Labels", "Corrected"),
        HoursStatus.VOID: QCoreApplication.translate("Labels", "Void"),
    }


def role_labels() -> dict[Role, str]:
    """Staff roles."""
    return {
        Role.STATION_HEAD: QCoreApplication.translate("Labels", "Station head"),
        Role.SOCIAL_WORKER: QCoreApplication.translate("Labels", "Social worker"),
        Role.DEPUTY: QCoreApplication.translate("Labels", "Deputy head"),
        Role.CENTRE_ADMIN: QCoreApplication.translate("Labels", "Centre administrator"),
        Role.SUPERVISOR: QCoreApplication.translate("Labels", "Supervisor"),
        Role.LOCAL_ADMIN: QCoreApplication.translate("Labels", "Local administrator"),
    }
