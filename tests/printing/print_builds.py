"""Every sample form, built once per test run from print_samples."""

from __future__ import annotations

from collections.abc import Callable

import print_samples as s
from pdf_checks import Pdf

from wushe_desktop import printing as p

#: name -> (builder, title in the page header)
FORMS: dict[str, tuple[Callable[[], bytes], str]] = {
    "intake": (lambda: p.build_intake_pdf(s.intake(), s.ctx(), invariant=True), "个案接案登记表"),
    "intake-child": (
        lambda: p.build_intake_pdf(s.child_intake(), s.ctx(), invariant=True),
        "个案接案登记表",
    ),
    "consent": (lambda: p.build_consent_pdf(s.consent(), s.ctx(), invariant=True), "知情同意书"),
    "assessment": (
        lambda: p.build_assessment_pdf(s.assessment(), s.ctx(), invariant=True),
        "需求评估表",
    ),
    "plan": (lambda: p.build_plan_pdf(s.plan(), s.ctx(), invariant=True), "服务计划表"),
    "record": (
        lambda: p.build_service_record_pdf(s.record(1), s.ctx(), invariant=True),
        "个案服务记录表",
    ),
    "evaluation": (
        lambda: p.build_evaluation_pdf(s.evaluation(), s.ctx(), invariant=True),
        "个案评估表",
    ),
    "closure": (lambda: p.build_closure_pdf(s.closure(), s.ctx(), invariant=True), "结案报告"),
    "referral": (lambda: p.build_referral_pdf(s.referral(), s.ctx(), invariant=True), "转介表"),
    "case-file": (
        lambda: p.build_case_file_pdf(s.case_file(records=3), s.ctx(), invariant=True),
        "",  # the header follows the section
    ),
    "activity": (
        lambda: p.build_activity_pdf(s.activity(12), s.ctx(), invariant=True),
        "活动记录表",
    ),
    "sign-in-blank": (
        lambda: p.build_sign_in_sheet_pdf(s.sign_in(blank=True, rows=80), s.ctx(), invariant=True),
        "活动签到表",
    ),
    "sign-in-filled": (
        lambda: p.build_sign_in_sheet_pdf(
            s.sign_in(blank=False, rows=30, count=12), s.ctx(), invariant=True
        ),
        "活动签到表",
    ),
    "volunteer": (
        lambda: p.build_volunteer_form_pdf(s.volunteer(), s.ctx(), invariant=True),
        "志愿者登记表",
    ),
    "volunteer-minor": (
        lambda: p.build_volunteer_form_pdf(s.volunteer(minor=True), s.ctx(), invariant=True),
        "志愿者登记表",
    ),
    "certificate": (
        lambda: p.build_certificate_pdf(s.certificate(), s.ctx(), invariant=True),
        "志愿服务记录证明",
    ),
    "certificate-copy": (
        lambda: p.build_certificate_pdf(s.certificate(copy=True), s.ctx(), invariant=True),
        "志愿服务记录证明",
    ),
    "ledger": (lambda: p.build_ledger_pdf(s.ledger(), s.ctx(), invariant=True), "慈善资源台账"),
    "monthly-report": (
        lambda: p.build_monthly_report_pdf(s.monthly(), s.ctx(), invariant=True),
        "社工站月度工作报告",
    ),
    "supervision-list": (
        lambda: p.build_supervision_list_pdf(s.supervision(5), s.ctx(), invariant=True),
        "高风险个案督导清单",
    ),
}

_built: dict[str, Pdf] = {}


def built(name: str) -> Pdf:
    """The named sample form, built once per run."""
    if name not in _built:
        _built[name] = Pdf(FORMS[name][0]())
    return _built[name]
