"""Printed forms: frozen data in, A4 PDF bytes out (DESIGN.md §7).

Templates are pure functions of the dataclasses in :mod:`wushe_desktop.printing.data`
and a :class:`~wushe_desktop.printing.data.PrintContext`; they import only the domain
layer, the standard library and reportlab. Every page carries the station name, the form
title, "第 x 页 共 y 页" and the print date; the CJK font is embedded as a subset; ID and
phone numbers are masked unless the context reveals them. ``invariant=True`` gives
byte-stable output for tests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The builders are loaded on first use (PEP 562): importing ``wushe_desktop.printing.data``
# or this package must not import reportlab, so the window starts fast (DESIGN.md §9).
_BUILDERS = {
    "build_activity_pdf": "activity_forms",
    "build_sign_in_sheet_pdf": "activity_forms",
    "build_assessment_pdf": "case_forms",
    "build_case_file_pdf": "case_forms",
    "build_closure_pdf": "case_forms",
    "build_consent_pdf": "case_forms",
    "build_evaluation_pdf": "case_forms",
    "build_intake_pdf": "case_forms",
    "build_plan_pdf": "case_forms",
    "build_referral_pdf": "case_forms",
    "build_service_record_pdf": "case_forms",
    "build_ledger_pdf": "report_forms",
    "build_monthly_report_pdf": "report_forms",
    "build_supervision_list_pdf": "report_forms",
    "build_certificate_pdf": "volunteer_forms",
    "build_volunteer_form_pdf": "volunteer_forms",
}

if TYPE_CHECKING:
    from wushe_desktop.printing.activity_forms import build_activity_pdf, build_sign_in_sheet_pdf
    from wushe_desktop.printing.case_forms import (
        build_assessment_pdf,
        build_case_file_pdf,
        build_closure_pdf,
        build_consent_pdf,
        build_evaluation_pdf,
        build_intake_pdf,
        build_plan_pdf,
        build_referral_pdf,
        build_service_record_pdf,
    )
    from wushe_desktop.printing.report_forms import (
        build_ledger_pdf,
        build_monthly_report_pdf,
        build_supervision_list_pdf,
    )
    from wushe_desktop.printing.volunteer_forms import (
        build_certificate_pdf,
        build_volunteer_form_pdf,
    )


def __getattr__(name: str) -> Any:
    module = _BUILDERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "build_activity_pdf",
    "build_assessment_pdf",
    "build_case_file_pdf",
    "build_certificate_pdf",
    "build_closure_pdf",
    "build_consent_pdf",
    "build_evaluation_pdf",
    "build_intake_pdf",
    "build_ledger_pdf",
    "build_monthly_report_pdf",
    "build_plan_pdf",
    "build_referral_pdf",
    "build_service_record_pdf",
    "build_sign_in_sheet_pdf",
    "build_supervision_list_pdf",
    "build_volunteer_form_pdf",
]
