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


#: The keys of ``wushe stats --json`` in the order of the printed monthly report.
STAT_KEYS: tuple[str, ...] = (
    "activities",
    "participant_person_times.social_workers",
    "participant_person_times.volunteers",
    "participant_person_times.caring_people",
    "beneficiary_person_times",
    "beneficiary_persons",
    "cases.opened",
    "cases.active",
    "cases.closed",
    "cases.referred",
    "service_records",
    "volunteers",
    "volunteer_hours",
    "funds_raised_yuan",
    "goods_value_yuan",
)


def stat_labels() -> dict[str, str]:
    """Every figure of ``stats``, named as the printed monthly report names it, with its unit.

    The one table of these names: the dashboard, the statistics screen and the centre's
    overview all read it, so a figure is called the same on every screen and on paper.
    """
    return {
        "activities": QCoreApplication.translate("Labels", "Activities held (sessions)"),
        "participant_person_times.social_workers":
            QCoreApplication.translate("Labels", "Social workers taking part (person-times)"),
        "participant_person_times.volunteers":
            QCoreApplication.translate("Labels", "Volunteers taking part (person-times)"),
        "participant_person_times.caring_people":
            QCoreApplication.translate("Labels", "Caring people taking part (person-times)"),
        "beneficiary_person_times": QCoreApplication.translate("Labels", "Beneficiary person-times"),
        "beneficiary_persons": QCoreApplication.translate("Labels", "People benefiting (people)"),
        "cases.opened": QCoreApplication.translate("Labels", "New cases (cases)"),
        "cases.active": QCoreApplication.translate("Labels", "Open cases (at period end)"),
        "cases.closed": QCoreApplication.translate("Labels", "Cases closed (cases)"),
        "cases.referred": QCoreApplication.translate("Labels", "Cases referred (cases)"),
        "service_records": QCoreApplication.translate("Labels", "Case service records (times)"),
        "volunteers": QCoreApplication.translate("Labels", "Registered volunteers (at period end)"),
        "volunteer_hours": QCoreApplication.translate("Labels", "Volunteer service hours (hours)"),
        "funds_raised_yuan": QCoreApplication.translate("Labels", "Funds linked (yuan)"),
        "goods_value_yuan": QCoreApplication.translate("Labels", "Goods at valued price (yuan)"),
    }


def stat_short_labels() -> dict[str, str]:
    """The same names without the counting unit, for narrow table columns (the centre's
    overview); hours and money keep theirs."""
    return {
        "activities": QCoreApplication.translate("Labels", "Activities held"),
        "participant_person_times.social_workers": QCoreApplication.translate("Labels", "Social workers taking part"),
        "participant_person_times.volunteers": QCoreApplication.translate("Labels", "Volunteers taking part"),
        "participant_person_times.caring_people": QCoreApplication.translate("Labels", "Caring people taking part"),
        "beneficiary_person_times": QCoreApplication.translate("Labels", "Beneficiary person-times"),
        "beneficiary_persons": QCoreApplication.translate("Labels", "People benefiting"),
        "cases.opened": QCoreApplication.translate("Labels", "New cases"),
        "cases.active": QCoreApplication.translate("Labels", "Open cases"),
        "cases.closed": QCoreApplication.translate("Labels", "Cases closed"),
        "cases.referred": QCoreApplication.translate("Labels", "Cases referred"),
        "service_records": QCoreApplication.translate("Labels", "Case service records"),
        "volunteers": QCoreApplication.translate("Labels", "Registered volunteers"),
        "volunteer_hours": QCoreApplication.translate("Labels", "Volunteer service hours (hours)"),
        "funds_raised_yuan": QCoreApplication.translate("Labels", "Funds linked (yuan)"),
        "goods_value_yuan": QCoreApplication.translate("Labels", "Goods at valued price (yuan)"),
    }
