"""Render every form from the sample data to PNG (first page) for a look by eye.

Not a test: run ``python tests/printing/render_samples.py [OUT_DIR] [--all-pages]``
(needs ``pdftoppm`` from poppler-utils). Writes ``OUT_DIR/<form>.png`` (default
``docs/forms``; 60 dpi, 16 greys) and, with ``--keep-pdf``, the PDFs beside them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import print_samples as s
from PIL import Image

from wushe_desktop import printing as p

FORMS: dict[str, Callable[[], bytes]] = {
    "intake": lambda: p.build_intake_pdf(s.intake(), s.ctx()),
    "intake-child": lambda: p.build_intake_pdf(s.child_intake(), s.ctx()),
    "consent": lambda: p.build_consent_pdf(s.consent(), s.ctx()),
    "assessment": lambda: p.build_assessment_pdf(s.assessment(), s.ctx()),
    "plan": lambda: p.build_plan_pdf(s.plan(), s.ctx()),
    "service-record": lambda: p.build_service_record_pdf(s.record(1, s.long_note()), s.ctx()),
    "evaluation": lambda: p.build_evaluation_pdf(s.evaluation(), s.ctx()),
    "closure": lambda: p.build_closure_pdf(s.closure(), s.ctx()),
    "referral": lambda: p.build_referral_pdf(s.referral(), s.ctx()),
    "case-file": lambda: p.build_case_file_pdf(s.case_file(records=3), s.ctx()),
    "activity": lambda: p.build_activity_pdf(s.activity(300), s.ctx()),
    "sign-in-blank": lambda: p.build_sign_in_sheet_pdf(s.sign_in(blank=True, rows=80), s.ctx()),
    "sign-in-filled": lambda: p.build_sign_in_sheet_pdf(
        s.sign_in(blank=False, rows=30, count=12), s.ctx()
    ),
    "volunteer": lambda: p.build_volunteer_form_pdf(s.volunteer(), s.ctx()),
    "volunteer-minor": lambda: p.build_volunteer_form_pdf(s.volunteer(minor=True), s.ctx()),
    "certificate": lambda: p.build_certificate_pdf(s.certificate(), s.ctx()),
    "certificate-copy": lambda: p.build_certificate_pdf(s.certificate(copy=True), s.ctx()),
    "ledger": lambda: p.build_ledger_pdf(s.ledger(), s.ctx()),
    "monthly-report": lambda: p.build_monthly_report_pdf(s.monthly(), s.ctx()),
    "supervision-list": lambda: p.build_supervision_list_pdf(s.supervision(5), s.ctx()),
}


def _shrink(png: Path) -> None:
    """Re-save a render with a 16-grey palette: a tenth of the size, still legible."""
    with Image.open(png) as image:
        small = image.convert("L").quantize(colors=16)
    small.save(png, optimize=True)


def main(argv: list[str]) -> int:
    """Render the forms; returns the exit status."""
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "docs" / "forms"
    all_pages = "--all-pages" in argv
    keep_pdf = "--keep-pdf" in argv
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found: apt-get install poppler-utils", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in FORMS.items():
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(build())
            if keep_pdf:
                shutil.copy(pdf, out / pdf.name)
            pages = [] if all_pages else ["-f", "1", "-l", "1", "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", *pages, str(pdf), str(out / name)], check=True
            )
            for png in out.glob(f"{name}*.png"):
                _shrink(png)
            print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
