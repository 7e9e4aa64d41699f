"""`wushe print …` commands (DESIGN.md §8), kept apart from cli.py.

Every command writes one PDF (to ``FILE.tmp``, then renamed over ``FILE``, so a reader
never sees half a file), prints one line saying what it wrote, and exits 0; a refusal
exits 1 with one coded line on stderr (cli.py's ``main``). ID and phone numbers are masked
unless ``--show-ids`` is given, which the audit log records.
"""

from __future__ import annotations

import argparse
import contextlib
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from wushe_desktop.errors import WusheError

EXIT_OK = 0

#: Case documents printed by ``wushe print KIND CASE_NO`` (services.printing.CASE_FORMS).
CASE_FORM_COMMANDS: dict[str, str] = {
    "intake": "intake registration (接案登记表)",
    "assessment": "the newest needs assessment (需求评估表)",
    "plan": "the newest service plan version (服务计划表)",
    "closure": "the newest closure report (结案报告)",
    "referral": "the newest referral (转介表)",
}

_SHOW_IDS_HELP = "print ID and phone numbers in full (needs the reveal permission; audited)"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text.strip()):
        raise argparse.ArgumentTypeError(f"not a month (YYYY-MM): {text!r}")
    return text.strip()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return value


# --- running a print --------------------------------------------------------------------


def _write(target: str, pdf: bytes) -> Path:
    """Write ``FILE.tmp`` and rename it over ``FILE`` (no half-written PDF is ever left)."""
    out = Path(target)
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_bytes(pdf)
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise WusheError("print.cannot_write", path=str(out), detail=str(exc)) from None
    return out


def _pages_en(pages: int) -> str:
    return f"{pages} page" if pages == 1 else f"{pages} pages"


def _run(args: argparse.Namespace, make: Callable[[Any, Any, bool], bytes]) -> int:
    """Open the database, print as the command line's actor, write the file, say so."""
    from wushe_desktop.cli import _open
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.printing import page_count

    db = _open(args)
    try:
        pdf = make(db, CLI_ACTOR, bool(args.show_ids))
    finally:
        db.dispose()
    out = _write(args.out, pdf)
    pages = page_count(pdf)
    print(f"Wrote {out} ({_pages_en(pages)}) / 已生成 {out}（共 {pages} 页）")
    return EXIT_OK


# --- commands ---------------------------------------------------------------------------


def cmd_case_file(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_case_file

    return _run(args, lambda db, actor, reveal: print_case_file(db, actor, args.case_no, reveal_ids=reveal))


def cmd_case_form(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_case_form

    return _run(args, lambda db, actor, reveal: print_case_form(db, actor, args.form_kind, args.case_no,
                                                                reveal_ids=reveal))


def cmd_record(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_service_record

    return _run(args, lambda db, actor, reveal: print_service_record(db, actor, args.case_no, args.seq,
                                                                     reveal_ids=reveal))


def cmd_consent(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_consent

    return _run(args, lambda db, actor, reveal: print_consent(db, actor, args.case_no, reveal_ids=reveal))


def cmd_volunteer_form(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_volunteer_form

    return _run(args, lambda db, actor, reveal: print_volunteer_form(db, actor, args.volunteer_no,
                                                                     reveal_ids=reveal))


def cmd_certificate(args: argparse.Namespace) -> int:
    from wushe_desktop.cli import _open
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.printing import certificate_print

    db = _open(args)
    try:
        result = certificate_print(db, CLI_ACTOR, args.volunteer_no, args.date_from, args.date_to,
                                   handler=args.handler, reveal_ids=bool(args.show_ids))
    finally:
        db.dispose()
    out = _write(args.out, result.pdf)
    whole, tenth = divmod(result.hours_tenths, 10)
    hours = f"{whole}.{tenth}"
    how_en = "issued" if result.issued else ("copy" if result.copy else "reprint")
    how_zh = "新开具" if result.issued else ("副本" if result.copy else "重新打印")
    print(f"Wrote {out} ({_pages_en(result.pages)}): certificate {result.cert_no}, {hours} h, {how_en} / "
          f"已生成 {out}（共 {result.pages} 页）：证明编号 {result.cert_no}，{hours} 小时，{how_zh}")
    return EXIT_OK


def cmd_activity(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_activity

    return _run(args, lambda db, actor, reveal: print_activity(db, actor, args.activity_no, reveal_ids=reveal))


def cmd_signin_sheet(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_signin_sheet

    return _run(args, lambda db, actor, reveal: print_signin_sheet(db, actor, args.activity_no, args.blank,
                                                                   args.rows, reveal_ids=reveal))


def cmd_ledger(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_ledger

    return _run(args, lambda db, actor, reveal: print_ledger(db, actor, args.month, reveal_ids=reveal))


def cmd_monthly_report(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_monthly_report

    return _run(args, lambda db, actor, reveal: print_monthly_report(db, actor, args.month, reveal_ids=reveal))


def cmd_supervision_list(args: argparse.Namespace) -> int:
    from wushe_desktop.services.printing import print_supervision_list

    return _run(args, lambda db, actor, reveal: print_supervision_list(db, actor, args.days, reveal_ids=reveal))


# --- parser -----------------------------------------------------------------------------


def add_print_commands(sub: Any) -> None:
    """Register the `print` command group on the top-level subparsers.

    ``--show-ids`` is accepted before the form (``wushe print --show-ids case-file …``)
    and after it; the form's copy is SUPPRESSed so it never resets the group's value.
    """
    group = sub.add_parser("print", help="print a form to a PDF file (ID and phone numbers masked)")
    group.add_argument("--show-ids", action="store_true", help=_SHOW_IDS_HELP)
    forms = group.add_subparsers(dest="print_command", required=True, metavar="FORM")

    def form(name: str, help_text: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = forms.add_parser(name, help=help_text)
        parser.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
        parser.add_argument("--show-ids", action="store_true", default=argparse.SUPPRESS, help=_SHOW_IDS_HELP)
        parser.set_defaults(func=func)
        return parser

    form("case-file", "the whole case file, in order (个案档案)", cmd_case_file).add_argument("case_no")
    for kind, help_text in CASE_FORM_COMMANDS.items():
        p = form(kind, help_text, cmd_case_form)
        p.add_argument("case_no")
        p.set_defaults(form_kind=kind)
    p = form("record", "the case's N-th service record (个案服务记录表)", cmd_record)
    p.add_argument("case_no")
    p.add_argument("--seq", type=_positive, required=True, metavar="N", help="the record's number (第N次)")
    form("consent", "informed consent form, recorded or to sign (知情同意书)", cmd_consent).add_argument("case_no")
    form("volunteer-form", "volunteer registration form (志愿者登记表)", cmd_volunteer_form).add_argument(
        "volunteer_no")
    p = form("certificate", "volunteer service record certificate (志愿服务记录证明)", cmd_certificate)
    p.add_argument("volunteer_no")
    p.add_argument("--from", dest="date_from", type=_date, help="first day of the period (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=_date, help="last day of the period (YYYY-MM-DD)")
    p.add_argument("--handler", help="handling officer (经办人) of a new certificate (default: the station head)")
    form("activity", "activity record with participant counts (活动记录表)", cmd_activity).add_argument(
        "activity_no")
    p = form("signin-sheet", "sign-in sheet, blank or filled from the roster (签到表)", cmd_signin_sheet)
    p.add_argument("activity_no")
    p.add_argument("--blank", action="store_true", help="numbered empty rows only")
    p.add_argument("--rows", type=_positive, metavar="N",
                   help="rows (default 30 blank; filled: the roster plus 10 empty rows)")
    form("ledger", "charity resource ledger of a month (慈善资源台账)", cmd_ledger).add_argument(
        "--month", type=_month, required=True, metavar="YYYY-MM")
    form("monthly-report", "monthly station report (月度工作报告)", cmd_monthly_report).add_argument(
        "--month", type=_month, required=True, metavar="YYYY-MM")
    form("supervision-list", "high-risk cases without recent contact (督导清单)", cmd_supervision_list).add_argument(
        "--days", type=_positive, default=30, metavar="N", help="days without contact (default 30)")
