"""The `wushe` command line (DESIGN.md §8): the same services as the GUI.

Exit status: 0 done, 1 refused or failed (one clear line on stderr), 2 wrong usage.
``--json`` output is UTF-8 with Chinese written as itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from wushe_desktop import __version__
from wushe_desktop.cli_messages import describe
from wushe_desktop.errors import WusheError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong usage detected after parsing (exit 2)."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _print_json(doc: Any) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n")


def _db_target(args: argparse.Namespace) -> str:
    from wushe_desktop.paths import default_db_path

    return str(args.db or os.environ.get("WUSHE_DB") or default_db_path())


def _open(args: argparse.Namespace) -> Any:
    from wushe_desktop.storage.db import open_database

    return open_database(_db_target(args))


# --- commands -------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from wushe_desktop.services.station import init_database

    db, result = init_database(_db_target(args), code=args.station_code, name=args.station_name,
                               banner=args.banner)
    db.dispose()
    st = result.station
    print(f"Initialised station {st.code} {st.name} ({st.banner_name}) at {_db_target(args)}")
    print(f"已创建社工站数据库：{st.name}（{st.banner_name}），站点代码 {st.code}")
    print(f"Key fingerprint / 密钥指纹: {result.fingerprint}")
    if "station.code_unknown" in result.warnings:
        print("Note: the code is not in the division table (kept as given). / 提示：该代码不在区划表中，已按输入保存。")
    if not result.has_passphrase:
        print("No recovery passphrase yet: the first backup (or the app at start) will ask for one. / "
              "尚未设置恢复口令：首次备份或下次启动程序时会要求设置。")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.demo import DemoSize, generate_demo

    db = _open(args)
    try:
        size = DemoSize(cases=args.cases, volunteers=args.volunteers, activities=args.activities)
        report = generate_demo(db, CLI_ACTOR, size, seed=args.seed, progress=_progress_printer())
    finally:
        db.dispose()
    print("Demo data added / 已添加演示数据: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
    return EXIT_OK


def _progress_printer() -> Callable[[int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def cmd_import(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.roster_files import RosterKind
    from wushe_desktop.services.roster_import import import_roster

    db = _open(args)
    try:
        report = import_roster(db, CLI_ACTOR, Path(args.file), RosterKind(args.kind), dry_run=args.dry_run)
    finally:
        db.dispose()
    return _print_import_report(report, args.dry_run)


def _print_import_report(report: Any, dry_run: bool) -> int:
    from wushe_desktop.cli_messages import describe_problem

    if report.unknown_columns:
        cols = "、".join(report.unknown_columns)
        print(f"Columns not used / 未使用的列: {cols}")
    for p in report.problems:
        sys.stderr.write(describe_problem(p) + "\n")
    if report.problems:
        sys.stderr.write(f"{len(report.problems)} problem(s); nothing was imported. Fix the rows and import again. / "
                         f"共 {len(report.problems)} 处问题，未导入任何数据，请改正后重新导入。\n")
        return EXIT_FAILED
    for change in report.changes:
        if change.action == "update":
            print(f"Row {change.row} 第{change.row}行 {change.name}: updated / 已更新 {', '.join(change.changed_fields)}")
    verb = "Would import" if dry_run else "Imported"
    zh = "预检（未写入）" if dry_run else "已导入"
    print(f"{verb} {report.total_rows} rows: {report.added} added, {report.updated} updated, "
          f"{report.unchanged} unchanged. / {zh}：新增 {report.added}，更新 {report.updated}，未变 {report.unchanged}。")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.lists import list_records

    db = _open(args)
    try:
        rows = list_records(db, CLI_ACTOR, args.kind)
    finally:
        db.dispose()
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            key = next(k for k in ("case_no", "volunteer_no", "activity_no", "uuid") if k in row)
            print(f"{row[key]}\t{row.get('name') or row.get('title')}")
    return EXIT_OK


def _period(args: argparse.Namespace) -> Any:
    from wushe_desktop.services.stats import Period

    return Period(args.date_from, args.date_to)


def _print_stats(stations: Sequence[str], stats: Any, args: argparse.Namespace) -> None:
    doc = stats.to_json(stations=stations, period=_period(args))
    if args.json:
        _print_json(doc)
        return
    for key, value in doc.items():
        print(f"{key}: {value}")


def cmd_stats(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.stats import station_stats

    db = _open(args)
    try:
        code, stats = station_stats(db, CLI_ACTOR, _period(args))
    finally:
        db.dispose()
    _print_stats([code], stats, args)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from wushe_desktop.services.checks import run_checks
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        findings = run_checks(db, CLI_ACTOR)
    finally:
        db.dispose()
    for f in findings:
        print(f"{'OK  ' if f.ok else 'FAIL'} {f.check}: {f.detail}")
    if all(f.ok for f in findings):
        print("All checks passed. / 全部检查通过。")
        return EXIT_OK
    sys.stderr.write("The database failed a check; restore the newest backup or contact support. / "
                     "数据库检查未通过，请用最近的备份恢复或联系技术支持。\n")
    return EXIT_FAILED


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from wushe_desktop.services.checks import audit_chain
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        result = audit_chain(db, CLI_ACTOR)
    finally:
        db.dispose()
    if result.ok:
        print(f"Audit chain intact: {result.rows} rows, head {result.head_hash[:16]}. / 审计链完整：共 {result.rows} 条。")
        return EXIT_OK
    sys.stderr.write(f"The audit log was altered at entry {result.first_broken} ({result.reason}); entries from there "
                     f"on cannot be trusted. / 审计日志在第 {result.first_broken} 条处被改动，此后的记录不可信。\n")
    return EXIT_FAILED


def cmd_keys_show(args: argparse.Namespace) -> int:
    from wushe_desktop.services.keys import show_keys

    db = _open(args)
    try:
        info = show_keys(db)
    finally:
        db.dispose()
    print(f"{info.code} {info.name}")
    print(f"Fingerprint / 密钥指纹: {info.fingerprint}")
    return EXIT_OK


def _passphrase(prompt: str) -> str | None:
    """The recovery passphrase: WUSHE_BACKUP_PASSPHRASE, else asked on a terminal."""
    from wushe_desktop.services.station import PASSPHRASE_ENV

    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return None


def cmd_backup(args: argparse.Namespace) -> int:
    from wushe_desktop.services.backup import backup_now
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        result = backup_now(db, CLI_ACTOR, Path(args.out),
                            _passphrase("Recovery passphrase / 恢复口令: "))
    finally:
        db.dispose()
    print(f"Encrypted backup written / 已写入加密备份: {result.path} ({result.size} bytes)")
    if result.passphrase_set:
        print("This passphrase is now the station's recovery passphrase; print the recovery sheet. / "
              "该口令已设为本站恢复口令，请打印恢复口令单妥善保管。")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from wushe_desktop.services.backup import inspect_backup, restore

    backup = Path(args.file)
    info = inspect_backup(backup)
    target = Path(_db_target(args))
    print(f"Backup of {info.station_code} {info.station_name}, taken {info.created_at or '(plain copy)'} / "
          f"备份：{info.station_name}（{info.station_code}），时间 {info.created_at or '（自动副本）'}")
    if not args.yes:
        if sys.stdin is None or not sys.stdin.isatty():
            sys.stderr.write("Restoring replaces the current database; add --yes to confirm. / "
                             "恢复将替换当前数据库，请加 --yes 确认。\n")
            return EXIT_FAILED
        answer = input(f"Replace {target}? [y/N] 替换当前数据库？ ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("Nothing was changed. / 未做任何更改。")
            return EXIT_FAILED
    passphrase = _passphrase("Recovery passphrase / 恢复口令: ") if info.encrypted else None
    result = restore(target, backup, passphrase)
    print(f"Restored / 已恢复: {result.station_name} ({result.station_code}); version epoch {result.epoch}.")
    if result.kept:
        print(f"The replaced database was kept at / 原数据库已保留在: {result.kept}")
    if result.needs_new_key:
        print("This PC has no station key: make a new key pair and have the centre register it again. / "
              "本机没有站点密钥：请生成新密钥并请中心重新登记。")
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wushe", description="Wushe Desktop command line / 五社联动 社工站 命令行")
    parser.add_argument("--version", action="version", version=f"wushe {__version__}")
    parser.add_argument("--db", help="database file or SQLAlchemy URL (default: WUSHE_DB or the PC's data folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="create a station database and its key pair")
    p.add_argument("--station-code", required=True, help="the township's 12-digit division code")
    p.add_argument("--station-name", required=True)
    p.add_argument("--banner", help="banner name (must agree with the code)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="add realistic demo data")
    p.add_argument("--cases", type=int, default=200)
    p.add_argument("--volunteers", type=int, default=None)
    p.add_argument("--activities", type=int, default=None)
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="import a roster (xlsx or csv), all or nothing")
    p.add_argument("kind", choices=["people", "volunteers"])
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list records")
    p.add_argument("kind", choices=["people", "cases", "volunteers", "activities"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("stats", help="the station's figures")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("check", help="integrity, foreign keys, schema, audit chain")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("audit", help="audit log")
    audit_sub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    audit_sub.add_parser("verify", help="verify the hash chain").set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="write an encrypted backup (recovery passphrase)")
    p.add_argument("--out", required=True, help="backup file or folder (e.g. a USB stick)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a backup")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="do not ask before replacing")
    p.set_defaults(func=cmd_restore)

    from wushe_desktop.cli_print import add_print_commands

    add_print_commands(sub)

    p = sub.add_parser("keys", help="this database's keys")
    keys_sub = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    keys_sub.add_parser("show", help="print the key fingerprint").set_defaults(func=cmd_keys_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `wushe`."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except WusheError as exc:
        sys.stderr.write(describe(exc) + "\n")
        return EXIT_FAILED
    except UsageError as exc:
        parser.error(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted; nothing half-done was saved. / 已中断，未保存不完整的数据。\n")
        return EXIT_FAILED
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
