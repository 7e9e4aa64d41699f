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
    if info.box_fingerprint:
        print(f"Encryption key fingerprint / 加密密钥指纹: {info.box_fingerprint}")
    if not info.private_key_present:
        print("This PC does not hold the private key: make a new key pair (wushe keys rotate). / "
              "本机没有私钥：请生成新密钥（wushe keys rotate）。")
    if info.mode.value == "station":
        if info.centre_fingerprint:
            print(f"Centre / 中心: {info.centre_name} ({info.centre_code}), fingerprint / 指纹 {info.centre_fingerprint}")
        else:
            print("No centre card imported yet (wushe keys import-centre). / 尚未导入中心名片（wushe keys import-centre）。")
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


# --- keys, bundles, receipts and the centre (DESIGN.md §6, §8) --------------------------


def _progress_rows() -> Callable[[int, int | None], None] | None:
    """Rows done / total on a terminal's stderr (nothing when not a terminal)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        sys.stderr.write(f"\r{done}/{total if total is not None else '?'}")
        if total is not None and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def cmd_keys_export_card(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.print_keys import export_card_with_print

    db = _open(args)
    try:
        written = export_card_with_print(db, CLI_ACTOR, Path(args.out))
    finally:
        db.dispose()
    card = written.card
    kind_zh = "中心名片" if card.kind == "centre" else "站点名片"
    print(f"{card.kind.capitalize()} card written / 已写入{kind_zh}: {card.path}")
    print(f"Printable card / 可打印的密钥卡: {written.pdf_path}")
    print(f"{card.code} {card.name}")
    print(f"Fingerprint / 密钥指纹: {card.fingerprint}")
    if card.kind == "centre":
        print(f"Encryption key fingerprint / 加密密钥指纹: {card.box_fingerprint}")
        print("The card carries the pseudonym key: hand it to this centre's stations only. / "
              "名片含化名密钥，只交给本中心所辖社工站。")
    return EXIT_OK


def cmd_keys_import_centre(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.keys import import_centre_card

    db = _open(args)
    try:
        result = import_centre_card(db, CLI_ACTOR, Path(args.file), replace=args.replace,
                                    expect_fingerprint=args.expect_fingerprint)
    finally:
        db.dispose()
    print(f"Centre / 中心: {result.centre_name} ({result.centre_code})")
    print(f"Fingerprint / 密钥指纹: {result.fingerprint}")
    if result.unchanged:
        print("This centre card was already imported; nothing changed. / 该中心名片已导入过，未做更改。")
    elif result.replaced_fingerprint:
        print(f"Replaced the centre card with fingerprint {result.replaced_fingerprint}. / "
              f"已替换原中心名片（指纹 {result.replaced_fingerprint}）。")
    else:
        print("Centre card imported: compare the fingerprint with the one the centre reads out. / "
              "已导入中心名片：请与中心电话告知的指纹核对。")
    return EXIT_OK


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.keys import rotate_keys

    db = _open(args)
    try:
        result = rotate_keys(db, CLI_ACTOR, Path(args.out) if args.out else None)
    finally:
        db.dispose()
    print(f"New key fingerprint / 新密钥指纹: {result.new_fingerprint}")
    if result.old_fingerprint:
        print(f"Old key / 原密钥: {result.old_fingerprint}")
    print(f"New card / 新名片: {result.card_path}")
    if result.statement_path is not None:
        print(f"Key change statement (signed by the old key) / 密钥更换声明（由原密钥签名）: {result.statement_path}")
        print("Take the statement to the centre (wushe centre trust STATEMENT). / "
              "请把更换声明交给中心登记（wushe centre trust 声明文件）。")
    else:
        print("The old private key is not on this PC: the centre must register the new card after checking its "
              "fingerprint by phone. / 本机没有原私钥：中心须电话核对指纹后登记新名片。")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.export import export_bundle

    out = Path(args.out)
    if args.out.endswith(("/", "\\")):  # a folder, maybe not made yet
        out.mkdir(parents=True, exist_ok=True)
    db = _open(args)
    try:
        result = export_bundle(db, CLI_ACTOR, out, full=args.full, profile=args.profile,
                               progress=_progress_rows())
    finally:
        db.dispose()
    kind, kind_zh = ("full", "完整") if result.full else ("incremental", "增量")
    print(f"Bundle written / 已导出数据包: {result.path}")
    print(f"Sequence {result.sequence}, {kind}, profile {result.profile}, {result.rows} rows, for "
          f"{result.centre_name}. / 第 {result.sequence} 号{kind_zh}数据包，{result.rows} 条记录，发往{result.centre_name}。")
    print(f"SHA-256: {result.sha256}")
    if not result.full and result.rows == 0:
        print("No changes since the centre's last receipt. / 自中心上次回执以来没有新的更改。")
    if result.demo:
        print("Note: this is the demo station; a centre refuses its bundles. / "
              "提示：这是演示站点，中心不会导入其数据包。")
    return EXIT_OK


def cmd_export_volunteers(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.volunteer_system import export_for_volunteer_system

    db = _open(args)
    try:
        result = export_for_volunteer_system(db, CLI_ACTOR, Path(args.out), date_from=args.date_from,
                                             date_to=args.date_to)
    finally:
        db.dispose()
    hours = f"{result.hours_tenths / 10:.1f}"
    print(f"Written / 已导出: {result.path}")
    print(f"{result.volunteers} volunteers, {result.hours_lines} confirmed hours lines ({hours} h). / "
          f"志愿者 {result.volunteers} 人，已确认服务记录 {result.hours_lines} 条（共 {hours} 小时）。")
    print("The file holds full ID numbers: keep it safe and delete it after uploading. / "
          "文件含完整证件号码，请妥善保管，上传后删除。")
    return EXIT_OK


def cmd_receipt_import(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.receipts import import_receipt

    db = _open(args)
    try:
        result = import_receipt(db, CLI_ACTOR, Path(args.file))
    finally:
        db.dispose()
    if result.already_imported:
        print("This receipt was already imported; nothing changed. / 该回执已导入过，未做更改。")
    else:
        print(f"Receipt imported for bundle {result.bundle_sequence} (centre import {result.received_at}). / "
              f"已导入第 {result.bundle_sequence} 号数据包的回执（中心导入时间 {result.received_at}）。")
    print(f"The centre holds up to row version {result.row_version} and bundle {result.high_bundle_sequence}; "
          f"{result.unacknowledged_rows} changed rows not yet acknowledged. / 中心已收到至第 "
          f"{result.high_bundle_sequence} 号数据包；尚有 {result.unacknowledged_rows} 条更改未被中心确认。")
    for key, value in result.floors_raised.items():
        print(f"Numbering {key} continues above {value}. / 编号 {key} 将从 {value} 之后继续。")
    if not result.known_bundle:
        print("The bundle is not in this database's export log (exported before a restore?). / "
              "该数据包不在本库的导出记录中（可能导出于恢复备份之前）。")
    if result.audit_mismatch:
        sys.stderr.write("Warning: this database's audit log differs from what the centre received, and no restore "
                         "explains it; the log may have been altered. Run `wushe audit verify` and tell the centre. / "
                         "警告：本库审计日志与中心收到的不一致，且并非恢复备份所致，日志可能被改动。请运行 wushe audit verify "
                         "并告知中心。\n")
    return EXIT_OK


def cmd_centre_init(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import init_centre

    db, result = init_centre(_db_target(args), name=args.name, code=args.code)
    db.dispose()
    c = result.centre
    print(f"Initialised centre {c.code} {c.name} ({c.banner_name}) at {_db_target(args)}")
    print(f"已创建中心数据库：{c.name}（{c.banner_name}），代码 {c.code}")
    print(f"Signing key fingerprint / 签名密钥指纹: {result.fingerprint}")
    print(f"Encryption key fingerprint / 加密密钥指纹: {result.box_fingerprint}")
    print(f"Private keys / 私钥位置: {result.key_folder}")
    print("Next: `wushe keys export-card --out FOLDER` and hand the card to the stations. / "
          "下一步：运行 wushe keys export-card --out 文件夹，把中心名片交给各社工站。")
    return EXIT_OK


def cmd_centre_trust(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import trust_station
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        result = trust_station(db, CLI_ACTOR, Path(args.card), expect_fingerprint=args.expect_fingerprint)
    finally:
        db.dispose()
    print(f"{result.code} {result.name} ({result.banner_name})")
    print(f"Fingerprint registered / 已登记指纹: {result.fingerprint}")
    messages = {
        "registered": ("Station registered.", "已登记该社工站。"),
        "unchanged": ("This key was already registered; nothing changed.", "该密钥已登记过，未做更改。"),
        "replaced": (f"New key registered; it replaces {result.previous_fingerprint}.",
                     f"已登记新密钥，替换原密钥 {result.previous_fingerprint}。"),
        "rotated": (f"Key change registered (signed by {result.previous_fingerprint}).",
                    f"已登记密钥更换（由原密钥 {result.previous_fingerprint} 签名）。"),
    }
    en, zh = messages[result.status]
    print(f"{en} / {zh}")
    if args.expect_fingerprint is None and result.status in ("registered", "replaced"):
        print("Compare this fingerprint with the one the station reads out on the phone. / "
              "请与社工站电话告知的指纹逐组核对。")
    if result.other_banner:
        print("Note: the station is not in this centre's banner. / 提示：该社工站不属于本中心所在旗县。")
    return EXIT_OK


def cmd_centre_revoke(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import revoke_station
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        result = revoke_station(db, CLI_ACTOR, args.code)
    finally:
        db.dispose()
    if result.already_revoked:
        print(f"{result.code} {result.name}: already revoked; nothing changed. / 该站密钥已作废，未做更改。")
    else:
        print(f"Revoked / 已作废: {result.code} {result.name}: {', '.join(result.fingerprints)}")
        print("Its bundles are refused until it registers a new card. / 在重新登记新名片之前，该站的数据包将被拒绝。")
    return EXIT_OK


def _outcome_line(outcome: Any) -> str:
    """One line per bundle: ``OK``/``REFUSED``, then the English sentences / the Chinese ones."""
    name = outcome.path.name
    if not outcome.accepted:
        where = f" Copied to / 已复制到: {outcome.quarantined}" if outcome.quarantined else ""
        return f"REFUSED {name}: {describe(outcome.error)}{where}"
    verb, verb_zh = ("Would import", "预检（未写入）") if outcome.dry_run else ("Imported", "已导入")
    en = [f"{verb} {outcome.station_code} bundle {outcome.sequence}{' (full)' if outcome.full else ''}, "
          f"{outcome.rows} rows ({outcome.new} new, {outcome.updated} updated, {outcome.unchanged} unchanged)."]
    zh = [f"{verb_zh}：{outcome.station_name} 第 {outcome.sequence} 号数据包，{outcome.rows} 条（新增 {outcome.new}，"
          f"更新 {outcome.updated}，未变 {outcome.unchanged}）。"]
    if outcome.already_imported:
        en.append("Already imported before: nothing changed.")
        zh.append("此前已导入，数据未变。")
    elif outcome.older:
        en.append("Older than a bundle imported before: nothing newer was rolled back.")
        zh.append("该数据包早于已导入的数据包，较新的数据未被回退。")
    if outcome.gap:
        first, last = outcome.gap
        span = str(first) if first == last else f"{first}-{last}"
        en.append(f"Bundle(s) {span} never arrived; ask the station for a full export (wushe export --full).")
        zh.append(f"缺少第 {span} 号数据包，请社工站做一次完整导出（wushe export --full）。")
    elif outcome.rows_may_be_missing:
        en.append("Some changes may be missing; ask the station for a full export (wushe export --full).")
        zh.append("可能缺少部分更改，请社工站做一次完整导出。")
    if outcome.receipt_path is not None:
        en.append(f"Receipt: {outcome.receipt_path}")
        zh.append("回执已写入。")
    elif not outcome.dry_run:
        en.append("The receipt could not be written.")
        zh.append("回执未能写入。")
    return f"OK {name}: {' '.join(en)} / {''.join(zh)}"


def cmd_centre_import(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import import_bundle, quarantine_dir
    from wushe_desktop.services.context import CLI_ACTOR

    files: list[Path] = []
    for name in args.files:  # a folder stands for the bundles in it
        path = Path(name)
        files.extend(sorted(path.glob("*.wsb")) if path.is_dir() else [path])
    if not files:
        raise UsageError("no .wsb file given / 未指定 .wsb 数据包")
    db = _open(args)
    refused = 0
    try:
        for path in files:
            outcome = import_bundle(db, CLI_ACTOR, path, dry_run=args.dry_run, explain=describe,
                                    progress=_progress_rows())
            print(_outcome_line(outcome), flush=True)
            refused += not outcome.accepted
        folder = quarantine_dir(db)
    finally:
        db.dispose()
    if refused:
        en, zh = ("", "") if args.dry_run else (f" Refused files are copied with the reason into {folder}.",
                                                f"被拒绝的文件已连同原因复制到 {folder}。")
        sys.stderr.write(f"{refused} of {len(files)} bundle(s) refused; nothing of them was imported.{en} / "
                         f"{len(files)} 个数据包中有 {refused} 个被拒绝，其数据均未导入。{zh}\n")
        return EXIT_FAILED
    return EXIT_OK


def cmd_centre_stats(args: argparse.Namespace) -> int:
    from wushe_desktop.services.context import CLI_ACTOR
    from wushe_desktop.services.stats import centre_stats

    db = _open(args)
    try:
        codes, stats = centre_stats(db, CLI_ACTOR, _period(args), args.station)
    finally:
        db.dispose()
    _print_stats(codes, stats, args)
    return EXIT_OK


def cmd_centre_list(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import centre_list
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        rows = centre_list(db, CLI_ACTOR, args.kind, args.station)
    finally:
        db.dispose()
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            key = next(k for k in ("case_no", "volunteer_no", "activity_no", "uuid") if k in row)
            print(f"{row[key]}\t{row.get('name') or row.get('title')}")
    return EXIT_OK


def cmd_centre_stations(args: argparse.Namespace) -> int:
    from wushe_desktop.services.centre import station_statuses
    from wushe_desktop.services.context import CLI_ACTOR

    db = _open(args)
    try:
        rows = station_statuses(db, CLI_ACTOR, overdue_days=args.overdue_days)
    finally:
        db.dispose()
    if args.json:
        _print_json([{
            "code": r.code, "name": r.name, "banner": r.banner_name, "fingerprint": r.fingerprint,
            "revoked": r.revoked, "bundles": r.bundles, "last_sequence": r.last_sequence,
            "last_imported_at": r.last_imported_at.isoformat() if r.last_imported_at else None,
            "last_gap": r.last_gap, "overdue": r.overdue,
        } for r in rows])
        return EXIT_OK
    for r in rows:
        state = "revoked/已作废" if r.revoked else ("OVERDUE/逾期" if r.overdue else "ok/正常")
        last = (f"bundle {r.last_sequence} at {r.last_imported_at:%Y-%m-%d}" if r.last_imported_at
                else "no bundle yet / 尚无数据包")
        print(f"{r.code}\t{r.name}\t{state}\t{last}{'  gap/缺号' if r.last_gap else ''}")
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
    p = keys_sub.add_parser("export-card", help="write this database's card (a station's or a centre's)")
    p.add_argument("--out", required=True, help="card file or folder")
    p.set_defaults(func=cmd_keys_export_card)
    p = keys_sub.add_parser("import-centre", help="import the centre's card (its public keys)")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="replace a centre card already imported")
    p.add_argument("--expect-fingerprint", help="refuse a card without this fingerprint (read out by the centre)")
    p.set_defaults(func=cmd_keys_import_centre)
    p = keys_sub.add_parser("rotate", help="make a new signing key pair (statement signed by the old key)")
    p.add_argument("--out", help="folder for the statement and the new card (default: the database's)")
    p.set_defaults(func=cmd_keys_rotate)

    p = sub.add_parser("export", help="write a signed, encrypted bundle for the centre")
    p.add_argument("--out", required=True, help="bundle file (.wsb) or folder (e.g. a USB stick)")
    p.add_argument("--full", action="store_true", help="every record, not only what the centre has not acknowledged")
    p.add_argument("--profile", choices=["supervision", "deidentified"], default="supervision")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("export-volunteers",
                       help="volunteers and confirmed hours for the national volunteer system (xlsx)")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--from", dest="date_from", type=_date, help="first service date of the hours")
    p.add_argument("--to", dest="date_to", type=_date, help="last service date of the hours")
    p.set_defaults(func=cmd_export_volunteers)

    p = sub.add_parser("receipt", help="receipts (回执) from the centre")
    receipt_sub = p.add_subparsers(dest="receipt_command", required=True, metavar="ACTION")
    p = receipt_sub.add_parser("import", help="import the centre's receipt")
    p.add_argument("file")
    p.set_defaults(func=cmd_receipt_import)

    p = sub.add_parser("centre", help="centre mode: stations, bundles, figures")
    centre_sub = p.add_subparsers(dest="centre_command", required=True, metavar="ACTION")
    p = centre_sub.add_parser("init", help="create a centre database and its keys")
    p.add_argument("--name", required=True, help="e.g. 土默特左旗社会工作服务中心")
    p.add_argument("--code", help="the banner's division code (default: found from the name)")
    p.set_defaults(func=cmd_centre_init)
    p = centre_sub.add_parser("trust", help="register a station card (or a key change statement)")
    p.add_argument("card")
    p.add_argument("--expect-fingerprint", help="the fingerprint the station read out; refuse any other")
    p.set_defaults(func=cmd_centre_trust)
    p = centre_sub.add_parser("revoke", help="revoke a station's keys")
    p.add_argument("code")
    p.set_defaults(func=cmd_centre_revoke)
    p = centre_sub.add_parser("import", help="import bundles; a line per file, receipts beside accepted files")
    p.add_argument("files", nargs="+", metavar="FILE", help="bundle files, or folders holding them")
    p.add_argument("--dry-run", action="store_true", help="verify and count, write nothing")
    p.set_defaults(func=cmd_centre_import)
    p = centre_sub.add_parser("stats", help="figures of one station or of all (same keys as stats)")
    p.add_argument("--station", help="a station's code (default: the sum over stations)")
    p.add_argument("--from", dest="date_from", type=_date)
    p.add_argument("--to", dest="date_to", type=_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_centre_stats)
    p = centre_sub.add_parser("list", help="a station's records (read-only copies)")
    p.add_argument("kind", choices=["people", "cases", "volunteers", "activities"])
    p.add_argument("--station", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_centre_list)
    p = centre_sub.add_parser("stations", help="registered stations, their last bundle, overdue ones")
    p.add_argument("--overdue-days", type=int, default=None,
                   help="days without a bundle before a station is overdue (default: the centre.overdue_days "
                        "setting, 35)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_centre_stations)
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
