"""One clear sentence per error code for the command line: English, then Chinese.

The core raises coded errors (wushe_desktop.errors); this table turns a code into the
line the CLI prints on stderr. The GUI has its own Chinese sentences in Qt .ts files.
Placeholders are ``str.format`` names from the error's ``params`` plus ``field``; a
template only names params that every raise of its code passes (tests/cli/test_messages.py
checks this against the source).

Before formatting, a few values are made readable in each language: ``field`` and
``earlier_field`` (:data:`FIELD_LABELS`), enum values such as roles, case stages and
approval states (:data:`VALUE_LABELS`), tenths of an hour (``cap_tenths`` also gives
``cap_hours``) and 0-based positions (``index`` also gives the 1-based ``item``).
Codes ending in ``.not_found`` without an entry of their own are worded from
:data:`NOT_FOUND_NOUNS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wushe_desktop.errors import ValidationErrors, WusheError

MESSAGES: dict[str, tuple[str, str]] = {
    # database
    "database.missing": ("No database at {path}. Run `wushe init` first, or give --db.",
                         "找不到数据库 {path}。请先运行 wushe init，或用 --db 指定数据库。"),
    "database.exists": ("A database already exists at {path}; init will not overwrite it.",
                        "{path} 已有数据库，init 不会覆盖它。"),
    "database.not_sqlite": ("{path} is not a Wushe database file. Check the path.",
                            "{path} 不是五社联动数据库文件，请检查路径。"),
    "database.not_a_file": ("{path} is a folder, not a database file.", "{path} 是文件夹，不是数据库文件。"),
    "database.corrupt": ("The database file is damaged. Restore the newest backup (wushe restore).",
                         "数据库文件已损坏。请用最近的备份恢复（wushe restore）。"),
    "database.foreign": ("This SQLite file belongs to another program, not Wushe Desktop.",
                         "该 SQLite 文件属于其他程序，不是五社联动数据库。"),
    "database.too_new": ("The database was made by a newer version of Wushe Desktop; upgrade this program.",
                         "数据库由更新版本的程序创建，请升级本程序。"),
    "database.locked": ("The database is busy in another window or program; close it and try again.",
                        "数据库正被其他窗口或程序使用，请关闭后重试。"),
    "database.readonly": ("The database folder cannot be written; check permissions or free space.",
                          "无法写入数据库所在文件夹，请检查权限或磁盘空间。"),
    "database.in_use": ("The database is open in another window of Wushe Desktop on this PC; close that "
                        "window first.",
                        "该数据库已在本电脑上另一个五社联动窗口中打开，请先关闭那个窗口。"),
    "database.disk_full": ("The disk is full; nothing was saved. Free some space and try again.",
                           "磁盘已满，本次未保存任何内容。请清理空间后重试。"),
    "database.cannot_open": ("The database cannot be opened at {path}.", "无法打开数据库 {path}。"),
    "database.bad_url": ("The database address {url} cannot be used: give a SQLite file, or a PostgreSQL address "
                         "like postgresql+psycopg://user:password@server/database.",
                         "数据库地址 {url} 无法使用：请给出 SQLite 文件，或形如 "
                         "postgresql+psycopg://用户:密码@服务器/数据库 的 PostgreSQL 地址。"),
    "database.driver_missing": ("The driver for {driver} databases is not installed; install the PostgreSQL "
                                "extra (pip install \"wushe-desktop[postgres]\") or use the packaged program.",
                                "没有安装 {driver} 数据库的驱动程序；请安装 PostgreSQL 扩展"
                                "（pip install \"wushe-desktop[postgres]\"），或使用安装包版本的程序。"),
    "database.server_unreachable": ("The database server {server} cannot be reached; check that it is running "
                                    "and that this PC can reach it, then try again.",
                                    "无法连接数据库服务器 {server}；请确认服务器已启动、本机网络能访问它，然后重试。"),
    "database.server_login_refused": ("The database server {server} refused the login; check the user name and "
                                      "password in the address.",
                                      "数据库服务器 {server} 拒绝登录；请检查地址中的用户名和密码。"),
    "database.server_no_database": ("The database server {server} has no database of that name; create it first "
                                    "or correct the address.",
                                    "数据库服务器 {server} 上没有这个数据库；请先创建，或更正地址。"),
    "database.error": ("The database reported an unexpected error; try again, and if it happens again, "
                       "tell technical support.",
                       "数据库出现意外错误，请重试；如再次出现，请联系技术支持。"),
    "database.migration_foreign_keys": ("Upgrading the database left {count} broken links; it was not changed. "
                                        "Send the file to support.",
                                        "升级数据库时发现 {count} 处关联错误，数据库未改动，请联系技术支持。"),
    # program errors: a bug, not the user's doing
    "session.no_actor": ("Program error (session.no_actor): a change had no user attached. Nothing was saved; "
                         "please report this to technical support.",
                         "程序内部错误（session.no_actor）：修改未关联操作人员，本次未保存。请将情况告知技术支持。"),
    "storage.hard_delete": ("Program error (storage.hard_delete): a record was to be erased instead of deleted. "
                            "Nothing was saved; please report this to technical support.",
                            "程序内部错误（storage.hard_delete）：记录被直接抹除而非标记删除，本次未保存。"
                            "请将情况告知技术支持。"),
    # station set-up
    "station.not_initialised": ("This database has no station yet. Run `wushe init`.",
                                "该数据库尚未设置社工站，请先运行 wushe init。"),
    "station.is_centre": ("This is a centre database; the command is for stations.",
                          "这是中心数据库，该命令只用于社工站。"),
    "station.not_centre": ("This is a station database; the command is for a centre.",
                           "这是社工站数据库，该命令只用于中心。"),
    "station.name_empty": ("Give the station's name (--station-name).", "请填写社工站名称（--station-name）。"),
    "station.banner_mismatch": ("The banner '{banner}' does not match the station code (it belongs to {expected}).",
                                "旗县“{banner}”与站点代码不符（该代码属于{expected}）。"),
    "station.banner_required": ("Code {station_code} is not in the division table; give --banner as well.",
                                "代码 {station_code} 不在区划表中，请同时用 --banner 指定旗县。"),
    "station.code_unknown": ("The station code is not in the division table; it was kept as given.",
                             "站点代码不在区划表中，已按输入保存。"),
    "centre.station_unknown": ("No station with code {station_code} is registered at this centre.",
                               "本中心没有登记站点代码为 {station_code} 的社工站。"),
    "division_code.format": ("A station code is the township's 12-digit division code, e.g. 150121101000.",
                             "站点代码应为乡镇的 12 位统计用区划代码，例如 150121101000。"),
    "taxonomy.empty": ("A list entry needs both a code and a label.", "列表项的代码和名称都必须填写。"),
    "taxonomy.unknown_code": ("'{value}' is not in the station's list of {kind}; choose an entry of the list "
                              "or add it in the settings.",
                              "“{value}”不在本站的{kind}列表中，请从列表中选择，或在设置中添加。"),
    "list.unknown_kind": ("Unknown list '{kind}'.", "未知的列表“{kind}”。"),
    "list.unknown_sort": ("This list cannot be sorted by '{sort}'.", "该列表不能按“{sort}”排序。"),
    "period.order": ("--from is after --to.", "开始日期晚于结束日期。"),
    "volunteer_system.bad_template": (
        "The volunteer-system export template (setting volunteer_system.template, sheet {sheet}) is malformed: "
        "each sheet needs a title and a list of [header, field] columns.",
        "志愿服务系统导出模板（设置 volunteer_system.template，{sheet} 表）格式不对：每个表须有表名和“[表头, 字段]”列清单。"),
    "volunteer_system.unknown_field": (
        "The volunteer-system export template names an unknown field {field_name} (sheet {sheet}); correct the "
        "template in the settings.",
        "志愿服务系统导出模板中的字段 {field_name}（{sheet} 表）无法识别，请在设置中改正模板。"),
    "volunteer_system.bad_sheet_name": (
        "The sheet name '{name}' in the volunteer-system export template cannot be used in Excel: at most {max} "
        "characters, and none of / ? * : [ ] or a backslash.",
        "志愿服务系统导出模板中的表名“{name}”不能用于 Excel：最多 {max} 个字，且不能含有 / ? * : [ ] 或反斜杠。"),
    "volunteer_system.same_sheet_names": (
        "The two sheets of the volunteer-system export template have the same name '{name}'.",
        "志愿服务系统导出模板的两个表同名（“{name}”），请改用不同的表名。"),
    "export.cannot_write": ("The file cannot be written ({reason}). It may be open in Excel or WPS, or the folder "
                            "is read-only; close it or choose another folder.",
                            "无法写入文件（{reason}）。文件可能正在 Excel 或 WPS 中打开，或文件夹只读；请关闭文件或换一个文件夹。"),
    # recovery passphrase, backups, restore
    "passphrase.too_short": ("The recovery passphrase needs at least {min} characters.",
                             "恢复口令至少需要 {min} 个字符。"),
    "passphrase.missing": ("This needs the station's recovery passphrase: type it when asked, or set "
                           "WUSHE_BACKUP_PASSPHRASE.",
                           "此操作需要本站的恢复口令：请按提示输入，或设置环境变量 WUSHE_BACKUP_PASSPHRASE。"),
    "passphrase.wrong": ("The recovery passphrase is wrong; check it against the recovery sheet (capitals, "
                         "full-width characters) and try again.",
                         "恢复口令不对，请对照恢复单重新输入（注意大小写和全角/半角）。"),
    "passphrase.not_set": ("No recovery passphrase has been set for this database yet; the first backup sets one.",
                           "本数据库尚未设置恢复口令，第一次做 U 盘备份时会设置。"),
    "backup.wrong_passphrase": ("The passphrase does not open this backup; use the recovery passphrase of the "
                                "station that made it.",
                                "该口令打不开这份备份，请输入制作备份的社工站的恢复口令。"),
    "backup.not_found": ("The backup file {path} was not found.", "找不到备份文件 {path}。"),
    "backup.not_a_backup": ("{path} is not a Wushe backup; choose a .wbak file or an automatic backup.",
                            "{path} 不是备份文件，请选择 .wbak 文件或 backups/auto/ 中的自动备份。"),
    "backup.corrupt": ("The backup {path} is damaged or incomplete; nothing was changed. Use an older backup.",
                       "备份文件 {path} 已损坏或不完整，未改动任何数据。请换一份较早的备份。"),
    "backup.unreadable": ("The backup {path} cannot be read; check the USB stick, or copy the file to this PC first.",
                          "无法读取备份 {path}，请检查 U 盘，或先把文件复制到本机。"),
    "backup.too_new": ("The backup {path} was made by a newer version of Wushe Desktop; upgrade this program "
                       "first.",
                       "备份 {path} 由更新版本的程序生成，请先升级本程序再恢复。"),
    "backup.no_station": ("The backup {path} holds no station, so it cannot be restored.",
                          "备份 {path} 中没有社工站信息，无法恢复。"),
    "backup.other_station": ("The backup is of station {backup}, but this database is station {current}; "
                             "nothing was restored. Check you chose the right file; to replace it anyway, "
                             "contact technical support.",
                             "这是其他社工站（{backup}）的备份，本机数据库是 {current}，未恢复任何数据。"
                             "请确认选对了文件；确需替换请联系技术支持。"),
    "backup.same_as_database": ("The backup cannot be written over the database itself; choose another file or "
                                "folder, e.g. on a USB stick.",
                                "备份不能覆盖数据库文件本身，请另选文件或文件夹（如 U 盘）。"),
    "backup.cannot_write": ("Could not write to {path}; check that the folder or USB stick can be written and "
                            "has free space.",
                            "无法写入 {path}，请检查该文件夹或 U 盘是否可写、空间是否足够。"),
    "backup.not_sqlite": ("Backups work only for a database file on this PC.", "只能备份本机上的数据库文件。"),
    "draft.too_large": ("The form is too long to keep as a draft (at most {max} characters); save it instead.",
                        "表单内容太长，无法保存为草稿（最多 {max} 个字符），请直接保存。"),
    # accounts and logging in
    "account.username_empty": ("Give a user name.", "请填写用户名。"),
    "account.username_too_long": ("The user name is too long; at most {max} characters.",
                                  "用户名太长，最多 {max} 个字符。"),
    "account.username_invalid": ("The user name cannot contain spaces or control characters.",
                                 "用户名不能包含空格或控制字符。"),
    "account.display_name_empty": ("Give the name shown for the account.", "请填写账号的显示名称。"),
    "account.display_name_too_long": ("The display name is too long; at most {max} characters.",
                                      "显示名称太长，最多 {max} 个字符。"),
    "account.exists": ("An account named '{username}' already exists.", "账号“{username}”已存在。"),
    "account.not_found": ("There is no account named '{username}'.", "没有名为“{username}”的账号。"),
    "account.role_invalid": ("The role '{role}' cannot be given in a {mode} database.",
                             "{mode}数据库不能设置“{role}”角色。"),
    "account.not_head": ("The recovery passphrase only resets the head's account; ask the station head to reset "
                         "the password of '{username}'.",
                         "恢复口令只能重设负责人的账号，请由站长为“{username}”重设密码。"),
    "account.last_head": ("'{username}' is the last active head account, so it cannot be deactivated.",
                          "“{username}”是最后一个启用的负责人账号，不能停用。"),
    "password.weak": ("The password is too weak ({reason}): use at least {min} characters, not only digits, "
                      "and not the user name or the old password.",
                      "密码强度不够（{reason}）：请至少使用 {min} 个字符，不能全是数字，不能与用户名或旧密码相同。"),
    "login.failed": ("Wrong user name or password; {remaining} more wrong attempt(s) lock the account.",
                     "用户名或密码错误，再错 {remaining} 次账号将被锁定。"),
    "login.locked": ("Too many wrong passwords: the account is locked; try again in {minutes} minute(s).",
                     "密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试。"),
    "login.inactive": ("The account '{username}' is deactivated; ask the station head.",
                       "账号“{username}”已停用，请联系站长。"),
    # permissions: one per services.permissions.Permission member
    "permission.read": ("Your role ({role}) may not view the records.", "您的角色（{role}）无权查看记录。"),
    "permission.edit_records": ("Your role ({role}) may not add or change records.",
                                "您的角色（{role}）无权新增或修改记录。"),
    "permission.approve": ("Your role ({role}) may not approve case openings, plans, closures or volunteer hours; "
                           "ask the station head.",
                           "您的角色（{role}）无权审批开案、服务计划、结案或志愿服务时长，请由站长办理。"),
    "permission.issue_certificate": ("Your role ({role}) may not issue volunteer service certificates.",
                                     "您的角色（{role}）无权开具志愿服务记录证明。"),
    "permission.reveal_id": ("Your role ({role}) may not see or print full ID numbers.",
                             "您的角色（{role}）无权查看或打印完整证件号码。"),
    "permission.export": ("Your role ({role}) may not export data or make backups.",
                          "您的角色（{role}）无权导出数据或制作备份。"),
    "permission.import_roster": ("Your role ({role}) may not import rosters.", "您的角色（{role}）无权导入花名册。"),
    "permission.manage_settings": ("Your role ({role}) may not change the settings or restore a backup.",
                                   "您的角色（{role}）无权修改设置或恢复备份。"),
    "permission.manage_users": ("Your role ({role}) may not manage staff and accounts.",
                                "您的角色（{role}）无权管理工作人员和账号。"),
    "permission.centre_import": ("Your role ({role}) may not import station data bundles.",
                                 "您的角色（{role}）无权导入社工站数据包。"),
    "permission.demo": ("Your role ({role}) may not add demo data.", "您的角色（{role}）无权添加演示数据。"),
    # people and validation
    "invalid.many": ("Some of the values are not valid.", "部分内容不符合要求。"),
    "id_number.empty": ("The ID number is empty.", "证件号码为空。"),
    "id_number.format": ("The ID number must have 18 characters (17 digits and a digit or X).",
                         "身份证号码应为 18 位（17 位数字加 1 位数字或 X）。"),
    "id_number.checksum": ("The ID number's last character is wrong (it should be {expected}); check the digits.",
                           "身份证号码校验位不正确（应为 {expected}），请核对号码。"),
    "id_number.birth_date": ("The birth date inside the ID number is not a real date.",
                             "身份证号码中的出生日期不是有效日期。"),
    "id_number.future_birth": ("The birth date inside the ID number is in the future.",
                               "身份证号码中的出生日期晚于今天。"),
    "id_number.province": ("The ID number starts with {prefix}, which is no province code.",
                           "身份证号码开头 {prefix} 不是有效的省级代码。"),
    "id_number.excel_number": ("Excel turned the ID number into a number (like 1.50121E+17); format the column "
                               "as text and type the numbers again.",
                               "Excel 把身份证号码变成了数字（如 1.50121E+17），请把该列设为“文本”格式后重新录入。"),
    "id_number.fifteen_digit_invalid": ("The 15-digit ID number holds no real birth date.",
                                        "15 位身份证号码中的出生日期无效。"),
    "id_number.duplicate": ("Someone with this ID number is already registered.", "已登记过该证件号码的人员。"),
    "id_number.sex_mismatch": ("The sex does not match the ID number.", "性别与身份证号码不符。"),
    "id_number.birth_date_differs": ("The birth date differs from the ID number; the ID number's date is used.",
                                     "出生日期与身份证号码不符，已按身份证号码填写。"),
    "name.empty": ("The name is empty.", "姓名为空。"),
    "name.too_long": ("The name has {length} characters; at most {max} are allowed.",
                      "姓名有 {length} 个字，最多 {max} 个。"),
    "name.invalid_char": ("The name contains '{char}', which a legal name cannot hold.",
                          "姓名中含有“{char}”，证件姓名不能包含该字符。"),
    "name.bad_separator": ("The name separator · must stand between two parts of the name.",
                           "姓名分隔符“·”只能用在两段姓名之间。"),
    "mongolian.invalid_char": ("The Mongolian-script name contains '{char}', which is not traditional Mongolian "
                               "script.",
                               "蒙古文姓名中含有“{char}”，它不是传统蒙古文字符。"),
    "mongolian.legacy_encoding": ("The Mongolian-script name uses an old font's private encoding; type it again "
                                  "with a standard Mongolian input method.",
                                  "蒙古文姓名使用了旧字体的私有编码，请用标准蒙古文输入法重新输入。"),
    "phone.empty": ("The phone number is empty.", "电话号码为空。"),
    "phone.length": ("The phone number has {digits} digits; a mobile number has 11.",
                     "电话号码有 {digits} 位，手机号码应为 11 位。"),
    "phone.format": ("The phone number is not a mobile or landline number.", "电话号码不是有效的手机或固话号码。"),
    "phone.area_code": ("A landline number needs its area code, e.g. 0471.", "固定电话需要加区号，例如 0471。"),
    "uscc.format": ("A unified social credit code has 18 characters: digits and capital letters except I, O, S, "
                    "V and Z.",
                    "统一社会信用代码应为 18 位，由数字和大写字母组成（不含 I、O、S、V、Z）。"),
    "uscc.checksum": ("The unified social credit code's last character is wrong (it should be {expected}); "
                      "check the code.",
                      "统一社会信用代码校验位不正确（应为 {expected}），请核对。"),
    "disability_cert.format": ("A disability certificate number is the holder's 18-character ID number followed "
                               "by two digits (category and grade).",
                               "残疾人证号应为持证人的 18 位身份证号码加 2 位数字（残疾类别和等级）。"),
    "disability_cert.category": ("The category digit of the disability certificate number must be 1 to 7.",
                                 "残疾人证号中的残疾类别应为 1 至 7。"),
    "disability_cert.grade": ("The grade digit of the disability certificate number must be 1 to 4.",
                              "残疾人证号中的残疾等级应为 1 至 4。"),
    "disability_cert.checksum": ("The ID number inside the disability certificate number has a wrong last "
                                 "character (it should be {expected}).",
                                 "残疾人证号中身份证号码的校验位不正确（应为 {expected}）。"),
    "disability_cert.id_mismatch": ("The disability certificate number does not contain this person's ID number.",
                                    "残疾人证号与本人的身份证号码不符。"),
    "date.future": ("The {field} is later than today; check it.", "{field}晚于今天，请核对。"),
    "date.order": ("The {field} is before the {earlier_field}; check both dates.",
                   "{field}早于{earlier_field}，请核对这两个日期。"),
    "time.order": ("The {field} is before the {earlier_field}.", "{field}早于{earlier_field}。"),
    "text.required": ("Fill in the {field}.", "请填写{field}。"),
    "text.too_long": ("The {field} has {length} characters; at most {max} are allowed.",
                      "{field}有 {length} 个字，最多 {max} 个。"),
    "count.negative": ("The number of {field} cannot be negative.", "{field}不能为负数。"),
    "amount.negative": ("The amount cannot be negative.", "金额不能为负数。"),
    "number.format": ("Type the amount as a number, like 200 or 12.5.", "请按数字填写金额，如 200 或 12.5。"),
    "time.format": ("Type the time like 9:30 or 14:05.", "请按 9:30 或 14:05 的格式填写时间。"),
    "case.person_required": ("Choose the person served by the case.", "请选择个案的服务对象。"),
    "person.minor_needs_guardian": ("This person is under 14; record a guardian.",
                                    "该服务对象未满 14 周岁，请登记监护人。"),
    "consent.child_needs_guardian": ("A child under 14 needs a guardian recorded before a consent is signed.",
                                     "未满 14 周岁的儿童须先登记监护人，才能签署知情同意书。"),
    "consent.child_signer_must_be_guardian": ("For a child under 14 the guardian signs the consent, not the child.",
                                              "未满 14 周岁儿童的知情同意书须由监护人签署。"),
    "community.name_empty": ("Give the village's or community's name.", "请填写嘎查村（社区）名称。"),
    "community.duplicate": ("A village or community named '{name}' already exists.",
                            "已有名为“{name}”的嘎查村（社区）。"),
    "certificate.kind_empty": ("Give the certificate's name.", "请填写证书名称。"),
    "staff.inactive": ("That worker has left or is deactivated; choose a current worker.",
                       "该工作人员已离职或停用，请选择在岗人员。"),
    # cases (个案): intake and stages
    "case.referrer_required": ("A case referred by an organisation needs the referrer.",
                               "机构转介的个案须填写转介方。"),
    "case.service_area_required": ("Choose the service area.", "请选择服务领域。"),
    "case.service_area_unknown": ("'{value}' is not a service area in the station's list.",
                                  "“{value}”不在本站的服务领域列表中。"),
    "case.not_accepted_reason_required": ("Give the reason the case is not opened.", "请填写不开案的原因。"),
    "case.child_needs_guardian_consent": ("The person is {age} years old: record the guardian and the guardian's signed "
                                          "consent before the case is opened.",
                                          "服务对象现年 {age} 岁，开案前须登记监护人并取得监护人签署的知情同意书。"),
    "case.person_cannot_change": ("The person served by a case cannot be changed; register a new case instead.",
                                  "个案的服务对象不能更改，如有需要请另行接案。"),
    "case.decline_via_stage": ("To decline a case (不开案), change its stage; the intake form cannot do it.",
                               "如不开案，请通过变更阶段办理，接案表中不能修改。"),
    "case.intake_locked": ("The intake can no longer be edited: the case has been opened.",
                           "接案信息已不能修改：该个案已开案。"),
    "case.reopen_reason_required": ("Give the reason for reopening the case.", "请填写重新开案的原因。"),
    "case.not_closed": ("Only a closed case can be reopened; this case is at the {stage} stage.",
                        "只有已结案的个案才能重新开案，该个案目前处于“{stage}”阶段。"),
    "case.not_opened_yet": ("The case has not been opened yet; add service records after the opening is approved.",
                            "该个案尚未开案，批准开案后才能添加服务记录。"),
    "case.suspended": ("The case is suspended; resume it before adding service records.",
                       "该个案已暂停，请恢复后再添加服务记录。"),
    "case.closed": ("The case is {stage}, so no service record can be added; reopen the case first.",
                    "该个案处于“{stage}”状态，不能添加服务记录，请先重新开案。"),
    "case.stage.same": ("The case is already at the {source} stage.", "该个案已处于“{source}”阶段。"),
    "case.stage.illegal": ("A case cannot move from {source} to {target}.",
                           "个案不能从“{source}”阶段转到“{target}”阶段。"),
    "case.stage.needs_opening_approval": ("The station head must approve opening the case before the assessment.",
                                          "须经站长批准开案后，才能进入预估阶段。"),
    "case.stage.needs_assessment": ("Record the assessment before moving on to planning.",
                                    "请先填写预估记录，再进入计划阶段。"),
    "case.stage.needs_approved_plan": ("The service plan must be approved before the intervention starts.",
                                       "服务计划须经批准后，才能进入介入阶段。"),
    "case.stage.needs_evaluation": ("Record the evaluation before closing the case.",
                                    "请先填写评估记录，再办理结案。"),
    "case.stage.needs_approved_closure": ("The closure must be approved by the station head before the case is "
                                          "closed.",
                                          "结案申请须经站长批准后才能结案。"),
    "case.stage.needs_referral_closure": ("The closure type does not fit: a case ends as referred only with a "
                                          "referral closure, and a referral closure ends as referred.",
                                          "结案类型不符：只有“转介”类型的结案才能以转介结案，转介结案也只能以转介方式结束。"),
    "case.stage.use_reopen": ("A closed case goes back to intervention by reopening it, not by a stage change.",
                              "已结案的个案请通过“重新开案”回到介入阶段，不能直接变更阶段。"),
    "case.stage.wrong_for_record": ("This record cannot be added while the case is at the {stage} stage.",
                                    "个案处于“{stage}”阶段，不能添加此类记录。"),
    # approvals
    "approval.comment_required": ("Give a comment when sending it back.", "退回时请填写意见。"),
    "approval.not_pending": ("This is not awaiting approval (it is {status}).", "该事项不在待审核状态（当前为“{status}”）。"),
    "approval.not_returned": ("Only an opening request that was sent back can be submitted again (this one is "
                              "{status}).",
                              "只有被退回的开案申请才能重新提交（该申请当前为“{status}”）。"),
    "approval.not_submittable": ("Only a draft or a sent-back plan can be submitted for approval (this one is "
                                 "{status}).",
                                 "只有草稿或被退回的计划才能提交审核（该计划当前为“{status}”）。"),
    # assessment, plan, records, evaluation, closure, referral
    "assessment.need_empty": ("Need {item} is empty; fill it in or remove it.", "第 {item} 项需求为空，请填写或删除。"),
    "assessment.scale_name_empty": ("Scale {item} has no name.", "第 {item} 个量表未填写名称。"),
    "child_protection.informed_party_required": ("Record whom the report was made to.",
                                                 "请填写接收报告的单位或人员。"),
    "plan.aim_required": ("Give the plan's overall aim.", "请填写服务计划的总目标。"),
    "plan.objectives_required": ("A plan needs at least one objective.", "服务计划至少需要一个具体目标。"),
    "plan.objective_empty": ("Objective {item} is empty.", "第 {item} 个目标为空。"),
    "plan.model_unknown": ("'{value}' is not an intervention model in the station's list.",
                           "“{value}”不在本站的介入模式列表中。"),
    "plan.pending_approval": ("Plan version {version} is awaiting approval; wait for the decision before writing a "
                              "new version.",
                              "第 {version} 版计划正在等待审核，请审批后再制订新版本。"),
    "plan.not_latest": ("Only the latest plan (version {latest}) can be submitted.",
                        "只能提交最新版本的计划（第 {latest} 版）。"),
    "service_record.duration_negative": ("The duration cannot be negative.", "服务时长不能为负数。"),
    "service_record.objective_not_in_case": ("The chosen objective is not in this case's plan.",
                                             "所选目标不属于该个案的服务计划。"),
    "resource.kind_unknown": ("Resource {item} has an unknown kind '{kind}'.", "第 {item} 项资源的类型“{kind}”无效。"),
    "resource.value_negative": ("The value of resource {item} cannot be negative.", "第 {item} 项资源的价值不能为负数。"),
    "resource.donation_not_found": ("Resource {item} names a donation that does not exist or was deleted.",
                                    "第 {item} 项资源关联的捐赠记录不存在或已删除。"),
    "evaluation.satisfaction_range": ("Satisfaction must be between {min} and {max}.", "满意度应在 {min} 到 {max} 之间。"),
    "evaluation.objective_not_in_case": ("Line {item} of the evaluation names an objective that is not in this "
                                         "case's plan.",
                                         "评估第 {item} 项对应的目标不属于该个案的服务计划。"),
    "evaluation.objective_repeated": ("Line {item} of the evaluation repeats an objective already evaluated.",
                                      "评估第 {item} 项重复评估了同一个目标。"),
    "closure.type_required": ("Choose the closure type.", "请选择结案类型。"),
    "closure.type_unknown": ("'{value}' is not a closure type in the station's list.",
                             "“{value}”不在本站的结案类型列表中。"),
    "closure.needs_referral": ("A referral closure needs the referral record it rests on.",
                               "转介结案须关联相应的转介记录。"),
    "closure.referral_not_of_case": ("The chosen referral is not a referral out of this case.",
                                     "所选转介记录不是该个案的转出记录。"),
    "closure.already_pending": ("A closure of this case is already awaiting approval.",
                                "该个案已有待审核的结案申请。"),
    "referral.to_party_required": ("Give the organisation the person is referred to.", "请填写转介接收方。"),
    "referral.from_party_required": ("Give who referred the person to the station.", "请填写转介来源（转出方）。"),
    "referral.needs_consent": ("Referring someone out needs their consent, unless it is a statutory duty or an "
                               "emergency.",
                               "转出须取得服务对象同意（法定职责或紧急情况除外）。"),
    "referral.person_not_of_case": ("The person is not the one served by this case.", "该人员不是此个案的服务对象。"),
    "handover.same_staff": ("Choose another worker to hand the cases over to.", "移交对象不能是同一名社工，请另选。"),
    # volunteers, teams, hours, certificates
    "volunteer.minor_without_guardian_consent": ("A volunteer under 18 needs the guardian's consent.",
                                                 "未满 18 岁的志愿者需监护人同意。"),
    "team.duplicate_name": ("A volunteer team with this name already exists.", "已有同名的志愿服务队伍。"),
    "hours.format": ("Type the hours as a number, e.g. 2 or 2.5.", "时长请填写数字，例如 2 或 2.5。"),
    "hours.precision": ("Hours take at most {max_decimals} decimal place, e.g. 2.5.",
                        "时长最多保留 {max_decimals} 位小数，例如 2.5。"),
    "hours.not_positive": ("The hours must be more than zero.", "时长必须大于零。"),
    "hours.time_missing": ("Give the minutes served, or both the sign-in and sign-out times.",
                           "请填写服务分钟数，或同时填写签到和签退时间。"),
    "hours.sign_order": ("The sign-out time must be after the sign-in time.", "签退时间应晚于签到时间。"),
    "hours.below_unit": ("The time served is less than one counting unit ({unit_hours} h), so no hours can be "
                         "credited.",
                         "服务时间不足一个计时单位（{unit_hours} 小时），无法记录时长。"),
    "hours.daily_cap": ("That makes {total_hours} h in one day; the daily limit is {cap_hours} h.",
                        "当天累计将达 {total_hours} 小时，超过每日上限 {cap_hours} 小时。"),
    "hours.duplicate_line": ("The volunteer already has hours for this activity on that day.",
                             "该志愿者当天在此活动中已有时长记录。"),
    "hours.activity_mismatch": ("This hours line belongs to another activity.", "该时长记录属于其他活动。"),
    "hours.not_pending": ("Only hours awaiting confirmation can be confirmed (this line is {status}).",
                          "只有待确认的时长才能确认（该记录当前为“{status}”）。"),
    "hours.void": ("These hours were voided and can no longer be changed.", "该时长记录已作废，不能再修改。"),
    "hours.reason_required": ("Give the reason for correcting or voiding the hours.", "请填写更正或作废的原因。"),
    "hours.correction_value": ("Give either the minutes served or the credited hours for the correction, not both.",
                               "更正时请填写服务分钟数或认定时长，两者只填一项。"),
    "certificate.no_issuing_body": ("Set the issuing body of certificates in the settings first.",
                                    "请先在设置中填写证明的出具单位。"),
    "certificate.no_confirmed_hours": ("The volunteer has no confirmed hours in that period, so no certificate "
                                       "can be issued.",
                                       "该志愿者在所选期间没有已确认的服务时长，不能开具证明。"),
    "certificate.no_hours": ("A certificate needs hours above zero.", "证明中的服务时长必须大于零。"),
    # printing (wushe print …)
    "print.unknown_form": ("Unknown form '{kind}'; choose intake, assessment, plan, closure or referral.",
                           "未知的表单“{kind}”，请选择 intake、assessment、plan、closure 或 referral。"),
    "print.no_assessment": ("The case has no needs assessment yet, so there is none to print.",
                            "该个案还没有需求评估表，无法打印。"),
    "print.no_plan": ("The case has no service plan yet, so there is none to print.",
                      "该个案还没有服务计划，无法打印。"),
    "print.no_closure": ("The case has no closure report yet, so there is none to print.",
                         "该个案还没有结案报告，无法打印。"),
    "print.no_referral": ("The case has no referral, so there is none to print.",
                          "该个案没有转介记录，无法打印。"),
    "print.no_record": ("The case has no service record number {seq} (it has {count}); check the number.",
                        "该个案没有第 {seq} 次服务记录（共 {count} 次），请核对次数。"),
    "print.month_format": ("Give the month as YYYY-MM, e.g. 2026-11.", "月份请按 YYYY-MM 填写，例如 2026-11。"),
    "print.batch_empty": ("There is nothing to print in the period chosen.", "所选期间内没有可打印的记录。"),
    "print.rows_range": ("A sign-in sheet has {min} to {max} rows.", "签到表的行数应在 {min} 到 {max} 之间。"),
    "print.days_range": ("The days without contact must be at least {min}.", "未服务天数至少为 {min} 天。"),
    "print.risk_unsupported": ("The supervision list prints high-risk cases only.", "督导清单只列出高风险个案。"),
    "print.handler_required": ("No station head is registered to sign as handling officer; give the handler "
                               "(--handler NAME).",
                               "系统中没有登记站长作为经办人，请填写经办人姓名（--handler 姓名）。"),
    "print.cannot_write": ("Could not write {path}; check that the folder exists and can be written and that the "
                           "disk is not full.",
                           "无法写入 {path}，请检查文件夹是否存在、是否可写以及磁盘空间是否充足。"),
    # activities, groups, partners
    "activity.session_no": ("The session number starts at 1.", "活动节次应从 1 开始。"),
    "activity.group_required": ("A group session must name its group.", "小组活动须选择所属小组。"),
    "activity.group_type_mismatch": ("Only a group session can belong to a group; change the activity type or "
                                     "remove the group.",
                                     "只有小组活动才能关联小组，请修改活动类型或取消关联小组。"),
    "activity.has_hours": ("The activity has {lines} volunteer hour line(s); void them before deleting it.",
                           "该活动已有 {lines} 条志愿服务时长记录，请先作废后再删除活动。"),
    "attendee.one_of": ("Each sign-in line needs exactly one of: a person served, a volunteer, or a name.",
                        "签到名单的每一行须且只能填写服务对象、志愿者或姓名中的一项。"),
    "attendee.duplicate": ("This person is already on the sign-in list.", "该人员已在签到名单中。"),
    "group.duplicate_member": ("This person is already a member of the group.", "该服务对象已是本小组成员。"),
    "organisation.duplicate_uscc": ("An organisation with this unified social credit code is already registered.",
                                    "已登记过该统一社会信用代码的组织。"),
    # donations and distribution
    "donation.donor_name_required": ("Give the donor's name, or mark the donation as anonymous.",
                                     "请填写捐赠人名称，或标记为匿名捐赠。"),
    "donation.amount_required": ("A money donation needs an amount above zero.", "货币捐赠须填写大于零的金额。"),
    "donation.recipient_required": ("A money donation must name the charity that received the money; a station "
                                    "cannot receive it.",
                                    "货币捐赠须填写接收款项的慈善组织，社工站不能直接接收。"),
    "donation.amount_only_for_money": ("Only a money donation has an amount; value goods per item instead.",
                                       "只有货币捐赠填写金额，实物请按单价估值。"),
    "donation.items_required": ("A goods donation needs at least one goods line.", "实物捐赠至少需要一项物资明细。"),
    "donation.items_only_for_goods": ("Only a goods donation has goods lines.", "只有实物捐赠才能填写物资明细。"),
    "donation.purpose_required": ("A restricted donation needs its purpose.", "定向捐赠须填写用途。"),
    "donation.receipt_kind_mismatch": ("The receipt kind 'anonymous' is only for anonymous donations.",
                                       "只有匿名捐赠才能选择“匿名”票据类型。"),
    "donation.receipt_no_required": ("Give the number of the receipt the charity issued.",
                                     "请填写慈善组织开具的票据号码。"),
    "donation.has_distributions": ("Part of this donation has already been handed out, so this change or deletion "
                                   "is not possible.",
                                   "该捐赠已有发放记录，不能进行此项修改或删除。"),
    "donation.below_distributed": ("More than that has already been handed out; the donation cannot be reduced "
                                   "below it.",
                                   "已发放的数量（金额）超过修改后的数额，不能调低。"),
    "donation_item.quantity_not_positive": ("The quantity must be more than zero.", "物资数量必须大于零。"),
    "donation_item.expired": ("The goods were already past their expiry date when received.",
                              "该物资在接收时已过期。"),
    "distribution.target_required": ("Say who or what received it: a person served, an activity or a service "
                                      "record.",
                                      "请选择发放对象：服务对象、活动或服务记录。"),
    "distribution.item_required": ("Choose which goods are handed out.", "请选择发放的物资。"),
    "distribution.item_mismatch": ("The goods line does not belong to this donation (a money donation has none).",
                                   "所选物资不属于该捐赠（货币捐赠没有物资明细）。"),
    "distribution.amount_only_for_money": ("Goods are handed out by quantity; leave the amount empty.",
                                           "实物按数量发放，请不要填写金额。"),
    "distribution.quantity_not_positive": ("The quantity handed out must be more than zero.", "发放数量必须大于零。"),
    "distribution.amount_not_positive": ("The amount handed out must be more than zero.", "发放金额必须大于零。"),
    "distribution.exceeds_stock": ("That is more than what is left of the donation.",
                                   "发放数量（金额）超过该捐赠的剩余库存。"),
    "distribution.expired": ("The goods expired on {expiry} and cannot be handed out.",
                             "该物资已于 {expiry} 过期，不能发放。"),
    "distribution.not_distributable": ("A {form} donation is not handed out; only money and goods are.",
                                       "“{form}”捐赠不能发放，只有货币和实物捐赠可以发放。"),
    # roster files
    "roster.not_found": ("The roster file was not found.", "找不到名册文件。"),
    "roster.xls_unsupported": ("Old .xls files cannot be read; open it in Excel or WPS and save as .xlsx.",
                               "无法读取旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx。"),
    "roster.unsupported_format": ("Rosters must be .xlsx or .csv files.", "名册须为 .xlsx 或 .csv 文件。"),
    "roster.unreadable": ("The roster file cannot be read; it may be damaged or password-protected.",
                          "无法读取名册文件，文件可能已损坏或设有密码。"),
    "roster.encoding": ("The CSV file is neither UTF-8 nor GB18030; save it again as CSV (UTF-8).",
                        "CSV 文件编码不是 UTF-8 或 GB18030，请重新另存为 CSV（UTF-8）。"),
    "roster.no_header": ("The roster has no header row.", "名册没有表头行。"),
    "roster.missing_column": ("The roster has no '{column}' column.", "名册缺少“{column}”列。"),
    "roster.duplicate_column": ("Two columns of the roster mean '{column}'.", "名册中有两列都表示“{column}”。"),
    "roster.duplicate_in_file": ("The same ID number is already on row {first_row}.", "与第 {first_row} 行的证件号码重复。"),
    "roster.id_required": ("A volunteer needs an ID number.", "志愿者须填写证件号码。"),
    "roster.id_matches_several": ("{count} people already registered have this ID number; merge them or leave the row out.",
                                  "已有 {count} 人登记了该证件号码，请先合并或跳过该行。"),
    "roster.unknown_sex": ("Sex must be 男 or 女.", "性别应填“男”或“女”。"),
    "roster.date_format": ("The date is not a real date like 1956-03-12.", "日期无效，应为 1956-03-12 这样的格式。"),
    "roster.unknown_ethnicity": ("'{value}' is not an ethnicity in the list.", "“{value}”不在民族列表中。"),
    "roster.unknown_category": ("'{value}' is not a category in the station's list (settings).",
                                "“{value}”不在本站的服务对象类别中（可在设置中添加）。"),
    "roster.too_long": ("The text has {length} characters; at most {max}.", "内容有 {length} 个字，最多 {max} 个。"),
    "roster.changed": ("The file changed since the preview; check it again.", "文件在预览后被修改，请重新预览。"),
    # keys and sync files (docs/bundle-format.md §7): bundles (数据包), receipts (回执), cards (名片)
    "fingerprint.invalid": ("A key fingerprint is 32 characters 0-9 and A-F, in eight groups of four "
                            "(3F2A-9C01-...).",
                            "密钥指纹由 32 个 0–9、A–F 字符组成，分为 8 组，每组 4 个（如 3F2A-9C01-…）。"),
    "bundle.unreadable": ("The data bundle cannot be read; check the USB stick and copy the file again.",
                          "无法读取数据包，请检查 U 盘并重新复制文件。"),
    "bundle.too_large": ("The file is larger than a data bundle may be; ask the station for an incremental export.",
                         "文件超过数据包的大小上限，请让社工站导出增量数据包。"),
    "bundle.not_zip": ("The file is not a data bundle; choose the .wsb file the station exported.",
                       "该文件不是数据包，请选择社工站导出的 .wsb 文件。"),
    "bundle.truncated": ("The data bundle is cut off; copy it again (safely remove the USB stick first).",
                         "数据包不完整，请重新复制（拔 U 盘前请先安全弹出）。"),
    "bundle.container": ("The data bundle's layout was altered; nothing was imported. Ask the station to export "
                         "it again.",
                         "数据包的结构被改动过，未导入任何数据。请让社工站重新导出。"),
    "bundle.member_path": ("The data bundle holds a file named like a path; it was altered and was refused.",
                           "数据包中有文件名为路径形式的文件，文件已被改动，已拒绝导入。"),
    "bundle.duplicate_member": ("The data bundle holds the same file twice; it was altered and was refused.",
                                "数据包中有重复的文件，文件已被改动，已拒绝导入。"),
    "bundle.members": ("The data bundle does not hold exactly its three files; it was altered and was refused.",
                       "数据包中的文件与规定不符，文件已被改动，已拒绝导入。"),
    "bundle.header_mismatch": ("The data bundle's file headers disagree; it was altered and was refused.",
                               "数据包的文件头信息前后不一致，文件已被改动，已拒绝导入。"),
    "bundle.manifest_too_large": ("The data bundle's contents list is over the size limit; it was refused.",
                                  "数据包清单超过大小上限，已拒绝导入。"),
    "bundle.signature": ("The data bundle's signature does not verify: the file was altered or damaged. Nothing "
                         "was imported.",
                         "数据包签名验证失败：文件被改动或已损坏，未导入任何数据。"),
    "bundle.demo_station": ("The data bundle comes from the demo station; demo data is never imported.",
                            "数据包来自演示站点，演示数据不会导入。"),
    "bundle.unknown_station": ("The data bundle comes from a station not registered at this centre; register the "
                               "station's card first.",
                               "数据包来自本中心未登记的社工站，请先登记该站的站点名片。"),
    "bundle.unknown_key": ("The data bundle was signed with a key this centre has not registered (a new PC or a "
                           "key change); check the fingerprint by phone and register the new key.",
                           "数据包的签名密钥未在本中心登记（可能换了电脑或更换了密钥），请电话核对指纹后登记新密钥。"),
    "bundle.key_revoked": ("The data bundle was signed with a revoked key; nothing was imported. The station must "
                           "register its key again.",
                           "数据包使用已作废的密钥签名，未导入任何数据。请该社工站重新登记密钥。"),
    "bundle.manifest_invalid": ("The data bundle's contents list is not valid; ask the station to export again with "
                                "the current version of the program.",
                                "数据包清单无效，请社工站用当前版本的程序重新导出。"),
    "bundle.format_version": ("The data bundle was made by a newer version of Wushe Desktop; upgrade the centre's "
                              "program.",
                              "数据包由更新版本的程序生成，请升级中心的程序。"),
    "bundle.suite": ("The data bundle uses a signing or encryption method this program does not know; upgrade the "
                     "centre's program.",
                     "数据包使用了本程序不支持的签名或加密方式，请升级中心的程序。"),
    "bundle.wrong_centre": ("The data bundle was made for another centre; the station must import this centre's "
                            "card and export again.",
                            "该数据包是为其他中心制作的，请社工站导入本中心的名片后重新导出。"),
    "bundle.schema_unknown": ("The data bundle comes from a database version this program does not know; upgrade "
                              "the centre's program.",
                              "数据包来自本程序无法识别的数据库版本，请升级中心的程序。"),
    "bundle.payload_hash": ("The data bundle's data does not match its signed contents list: the file was altered. "
                            "Nothing was imported.",
                            "数据包内容与签名清单不符：文件已被改动，未导入任何数据。"),
    "bundle.decrypt": ("The data bundle's data cannot be decrypted or is cut short; nothing was imported.",
                       "数据包内容无法解密或不完整，未导入任何数据。"),
    "bundle.decompression_bomb": ("The data bundle unpacks to more than the limit; it was refused.",
                                  "数据包解压后超过大小上限，已拒绝导入。"),
    "bundle.payload_invalid": ("The data bundle holds a row that is not valid; nothing was imported. Tell the "
                               "station.",
                               "数据包中有无效的数据行，未导入任何数据，请告知该社工站。"),
    "bundle.foreign_rows": ("The data bundle holds records of another station, so the whole bundle was refused.",
                            "数据包中含有其他社工站的记录，整个数据包已拒绝导入。"),
    "bundle.table_counts": ("The data bundle's record counts do not match its contents list; it was refused.",
                            "数据包的记录数与清单不符，已拒绝导入。"),
    "bundle.changed": ("The data bundle file changed while it was being checked; copy it somewhere safe and import "
                       "it again.",
                       "检查过程中数据包文件发生了变化，请把文件复制到稳妥的位置后重新导入。"),
    "receipt.invalid": ("The receipt (回执) file is not valid; ask the centre for the receipt again.",
                        "回执文件无效，请向中心重新索取回执。"),
    "receipt.signature": ("The receipt was altered; ask the centre for the receipt again.",
                          "回执已被改动，请向中心重新索取回执。"),
    "receipt.wrong_centre": ("The receipt was not signed by this station's centre; import the right centre card or "
                             "the right receipt.",
                             "该回执不是本站所属中心签发的，请导入正确的中心名片或回执。"),
    "receipt.wrong_station": ("The receipt is for another station, not this one.", "该回执是发给其他社工站的，不是本站的。"),
    "receipt.format_version": ("The receipt was made by a newer version of Wushe Desktop; upgrade this program.",
                               "回执由更新版本的程序生成，请升级本程序。"),
    "card.invalid": ("The card (名片) file is not valid; get the card again.", "名片文件无效，请重新获取名片。"),
    "card.signature": ("The card was altered; get the card again.", "名片已被改动，请重新获取名片。"),
    "card.fingerprint": ("A fingerprint written on the card does not match its key; get the card again.",
                         "名片上的指纹与密钥不符，请重新获取名片。"),
    "card.unexpected_fingerprint": ("The card's key fingerprint is not the one read out on the phone; do not "
                                    "register it, and call the other side again.",
                                    "名片的密钥指纹与电话核对的指纹不一致，请勿登记，并再次与对方电话核对。"),
    "card.format_version": ("The card was made by a newer version of Wushe Desktop; upgrade this program.",
                            "名片由更新版本的程序生成，请升级本程序。"),
    "rotation.invalid": ("The key change statement is not valid; get the statement again.",
                         "密钥更换声明无效，请重新获取。"),
    "rotation.signature": ("The key change statement was altered; get the statement again.",
                           "密钥更换声明已被改动，请重新获取。"),
    "rotation.wrong_key": ("The key change statement was not signed by the key registered now; it was refused. "
                           "Register the new key by card and phone.",
                           "密钥更换声明不是用当前已登记的密钥签名的，已拒绝。请通过名片和电话核对重新登记密钥。"),
    # keys, export and the centre (services/keys.py, export.py, centre.py, receipts.py)
    "keys.private_missing": ("This PC does not hold the private key of {code} (a new PC, or a restored backup); make a "
                             "new key pair with `wushe keys rotate` and have it registered again.",
                             "本机没有 {code} 的私钥（换了电脑或恢复了备份）。请运行 wushe keys rotate 生成新密钥，并重新登记。"),
    "keys.centre_already_set": ("A centre card is already imported (fingerprint {current}); the new card has "
                                "fingerprint {new}. Check it with the centre by phone, then add --replace.",
                                "已导入过中心名片（指纹 {current}），新名片指纹为 {new}。请与中心电话核对后加 --replace 替换。"),
    "export.no_centre_card": ("Import the centre's card first (wushe keys import-centre FILE): bundles are encrypted "
                              "to the centre and receipts are checked with its key.",
                              "请先导入中心名片（wushe keys import-centre 文件）：数据包要用中心的密钥加密，回执要用它核验。"),
    "centre.banner_not_found": ("No banner's name is in the centre's name; give the banner's code with --code.",
                                "中心名称中没有旗县名称，请用 --code 指定旗县代码。"),
    "centre.banner_ambiguous": ("{count} banners are called {banner}; give the banner's code with --code.",
                                "有 {count} 个旗县名为{banner}，请用 --code 指定旗县代码。"),
    "centre.code_not_banner": ("{code} is not a banner's code; a centre's code is its banner's, e.g. "
                               "150121000000.",
                               "{code} 不是旗县代码。中心代码应为所在旗县的代码，例如 150121000000。"),
    "centre.demo_station": ("That is the demo station's card; demo stations are never registered.",
                            "这是演示站点的名片，演示站点不能登记。"),
    "centre.key_revoked_before": ("Key {fingerprint} of station {station_code} was revoked; it is never registered "
                                  "again. The station must make a new key pair.",
                                  "{station_code} 的密钥 {fingerprint} 已作废，不能再次登记。请该社工站生成新密钥。"),
    "centre.station_revoked": ("Station {station_code}'s key is revoked, so its key change statement is refused; "
                               "register its new card after checking the fingerprint by phone.",
                               "社工站 {station_code} 的密钥已作废，其密钥更换声明不予受理。请电话核对指纹后登记其新名片。"),
    "centre.uuid_conflict": ("The data bundle holds records whose identity belongs to another station's records; "
                             "nothing was imported. Tell technical support.",
                             "数据包中有记录与其他社工站的记录标识相同，未导入任何数据，请联系技术支持。"),
    "centre.import_conflict": ("The data bundle's records clash with records the centre already holds from station "
                               "{station} (e.g. the station set up a new database instead of restoring its backup); "
                               "nothing was imported. Tell technical support.",
                               "数据包中的记录与中心已有的 {station} 记录冲突（例如该站新建了数据库而没有恢复备份），"
                               "未导入任何数据，请联系技术支持。"),
    "centre.missing_parents": ("The data bundle refers to records of station {station} that the centre never "
                               "received; nothing was imported. Ask the station for a full export "
                               "(wushe export --full).",
                               "数据包引用了中心从未收到的 {station} 记录，未导入任何数据。请社工站做一次完整导出"
                               "（wushe export --full）。"),
    "centre.row_invalid": ("The data bundle holds a value the centre cannot store ({table}.{column}); nothing was "
                           "imported. The station or the centre may need upgrading.",
                           "数据包中有中心无法保存的值（{table}.{column}），未导入任何数据。社工站或中心的程序可能需要升级。"),
    "centre.unknown_table": ("The data bundle holds a kind of record ({table}) that is never exchanged; nothing was "
                             "imported.",
                             "数据包中含有不应交换的记录类型（{table}），未导入任何数据。"),
    "database.unsupported": ("This kind of database is not supported; use SQLite or PostgreSQL.",
                             "不支持该类型的数据库，请使用 SQLite 或 PostgreSQL。"),
}

#: Records named by ``<noun>.not_found`` codes without an entry in :data:`MESSAGES`.
NOT_FOUND_NOUNS: dict[str, tuple[str, str]] = {
    "activity": ("activity", "活动"),
    "attendee": ("sign-in line", "签到记录"),
    "case": ("case", "个案"),
    "certificate": ("certificate", "志愿服务记录证明"),
    "closure": ("closure record", "结案记录"),
    "community": ("village or community", "嘎查村（社区）"),
    "consent": ("consent", "知情同意书"),
    "distribution": ("distribution record", "发放记录"),
    "donation": ("donation", "捐赠记录"),
    "donation_item": ("goods line", "物资明细"),
    "group": ("group", "小组"),
    "hours": ("volunteer hours line", "志愿服务时长记录"),
    "organisation": ("organisation", "社会组织"),
    "person": ("person served", "服务对象"),
    "plan": ("service plan", "服务计划"),
    "project": ("service project", "服务项目"),
    "referral": ("referral", "转介记录"),
    "service_record": ("service record", "服务记录"),
    "staff": ("staff member", "工作人员"),
    "team": ("volunteer team", "志愿服务队伍"),
    "volunteer": ("volunteer", "志愿者"),
}

#: How ``field`` and ``earlier_field`` read in a sentence (English, Chinese); others stay as named.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    # dates and times
    "date": ("date", "日期"),
    "date_from": ("start of the period", "起始日期"),
    "date_to": ("end of the period", "截止日期"),
    "birth_date": ("birth date", "出生日期"),
    "registered_on": ("registration date", "登记日期"),
    "signed_on": ("signing date", "签署日期"),
    "held_on": ("date held", "举办日期"),
    "intake_date": ("intake date", "接案日期"),
    "assessed_on": ("assessment date", "预估日期"),
    "made_on": ("plan date", "计划制订日期"),
    "review_on": ("review date", "计划回顾日期"),
    "client_agreed_on": ("date the person agreed", "服务对象同意日期"),
    "objectives": ("target date of an objective", "目标预期完成日期"),
    "service_date": ("service date", "服务日期"),
    "evaluated_on": ("evaluation date", "评估日期"),
    "closed_on": ("closure date", "结案日期"),
    "referred_on": ("referral date", "转介日期"),
    "outcome_on": ("date of the receiver's reply", "接收反馈日期"),
    "followed_on": ("follow-up date", "跟进日期"),
    "informed_at": ("report date", "报告日期"),
    "starts_at": ("start time", "开始时间"),
    "ends_at": ("end time", "结束时间"),
    "start_time": ("start time", "开始时间"),
    "end_time": ("end time", "结束时间"),
    "starts_on": ("start date", "开始日期"),
    "ends_on": ("end date", "结束日期"),
    "received_on": ("date received", "接收日期"),
    "receipt_date": ("receipt date", "票据日期"),
    "distributed_on": ("distribution date", "发放日期"),
    # text
    "name": ("name", "名称"),
    "title": ("title", "标题"),
    "place": ("place", "地点"),
    "satisfaction": ("satisfaction", "满意度"),
    "activity_type": ("activity type", "活动类型"),
    "organisers": ("organiser's name", "主办/承办单位名称"),
    "group_type": ("group type", "小组类型"),
    "theory": ("theoretical basis", "理论依据"),
    "funder": ("funder", "资助方"),
    "kind": ("kind", "类型"),
    "evaluation": ("evaluation", "评价"),
    "id_number": ("ID number", "证件号码"),
    "teams": ("team name", "服务队名称"),
    "skills_text": ("skills", "专业技能"),
    "availability": ("availability", "可服务时间"),
    "address": ("address", "地址"),
    "political_status": ("political status", "政治面貌"),
    "national_no": ("national volunteer number", "全国志愿者编号"),
    "insurance_policy": ("insurance policy number", "保险单号"),
    "donor_name": ("donor's name", "捐赠人名称"),
    "donor_contact": ("donor's contact", "捐赠人联系方式"),
    "payment_method": ("payment method", "支付方式"),
    "receiving_account": ("receiving account", "收款账户"),
    "recipient_name": ("receiving charity", "接收慈善组织"),
    "receipt_no": ("receipt number", "票据号码"),
    "spec": ("specification", "规格"),
    "unit": ("unit", "计量单位"),
    "valuation_basis": ("valuation basis", "估值依据"),
    "condition": ("condition", "物品状况"),
    # counts
    "social_workers": ("social workers", "社工人次"),
    "volunteers": ("volunteers", "志愿者人次"),
    "caring_people": ("caring people", "爱心人士人次"),
    "clients": ("people served", "服务对象人次"),
    "others": ("others", "其他人员人次"),
    "beneficiaries": ("beneficiaries", "受益人次"),
    "planned_sessions": ("planned sessions", "计划节数"),
}

_STATION_MODES: dict[str, tuple[str, str]] = {"station": ("station", "社工站"), "centre": ("centre", "中心")}
_CASE_STAGES: dict[str, tuple[str, str]] = {
    "intake": ("intake", "接案"),
    "assessment": ("assessment", "预估"),
    "planning": ("planning", "计划"),
    "intervention": ("intervention", "介入"),
    "evaluation": ("evaluation", "评估"),
    "closed": ("closed", "结案"),
    "not_opened": ("not opened", "不开案"),
    "referred": ("closed by referral", "转介结案"),
    "suspended": ("suspended", "暂停"),
    "follow_up": ("follow-up", "跟进"),
}

#: Stored enum values quoted in messages, by param name: value -> (English, Chinese).
VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "role": {
        "station_head": ("station head", "站长"),
        "social_worker": ("social worker", "社工"),
        "deputy": ("deputy head", "副站长"),
        "centre_admin": ("centre administrator", "中心管理员"),
        "supervisor": ("supervisor", "督导"),
        "local_admin": ("local administrator", "本机管理员"),
    },
    "stage": _CASE_STAGES,
    "source": _CASE_STAGES,
    "target": _CASE_STAGES,
    "status": {
        "draft": ("a draft", "草稿"),
        "pending": ("awaiting approval", "待审核"),
        "approved": ("approved", "已批准"),
        "returned": ("sent back", "已退回"),
        "confirmed": ("confirmed", "已确认"),
        "corrected": ("corrected", "已更正"),
        "void": ("void", "已作废"),
    },
    "mode": _STATION_MODES,
    "form": {
        "money": ("money", "货币"),
        "goods": ("goods", "实物"),
        "service": ("service", "服务"),
        "other": ("other", "其他"),
    },
}

#: Like :data:`VALUE_LABELS`, for a param name that means different things in different codes.
CODE_VALUE_LABELS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("password.weak", "reason"): {
        "short": ("too short", "太短"),
        "digits": ("digits only", "只有数字"),
        "username": ("same as the user name", "与用户名相同"),
        "same": ("same as the old password", "与旧密码相同"),
    },
    ("taxonomy.unknown_code", "kind"): {
        "service_area": ("service areas", "服务领域"),
        "person_category": ("categories of people served", "服务对象类别"),
        "activity_type": ("activity types", "活动类型"),
        "closure_type": ("closure types", "结案类型"),
        "intervention_model": ("intervention models", "介入模式"),
        "ethnicity": ("ethnicities", "民族"),
        "skill": ("volunteer skills", "志愿者专业技能"),
    },
}

_NOT_FOUND = ".not_found"
_TENTHS = "_tenths"


def message_for(code: str) -> tuple[str, str] | None:
    """The (English, Chinese) templates of a code, or None when it has no message."""
    pair = MESSAGES.get(code)
    if pair is None and code.endswith(_NOT_FOUND):
        noun = NOT_FOUND_NOUNS.get(code[: -len(_NOT_FOUND)])
        if noun is not None:
            en, zh = noun
            pair = (f"The {en} was not found; it may have been deleted. Check it and try again.",
                    f"找不到该{zh}，可能已被删除，请核对后重试。")
    return pair


def available_placeholders(params: Iterable[str]) -> set[str]:
    """The placeholders a template may use when an error carries ``params`` (and ``field``)."""
    names = set(params) | {"field"}
    names |= {name[: -len(_TENTHS)] + "_hours" for name in names if name.endswith(_TENTHS)}
    if "index" in names:
        names.add("item")
    return names


def _hours(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return str(whole) if tenth == 0 else f"{whole}.{tenth}"


def _params(code: str, field: str | None, params: Mapping[str, Any], lang: int) -> dict[str, Any]:
    values: dict[str, Any] = {"field": field or ""}
    values.update(params)
    for name, value in list(values.items()):
        if name.endswith(_TENTHS) and isinstance(value, int) and not isinstance(value, bool):
            values[name[: -len(_TENTHS)] + "_hours"] = _hours(value)
        labels = CODE_VALUE_LABELS.get((code, name)) or VALUE_LABELS.get(name)
        if labels is not None and isinstance(value, str) and value in labels:
            values[name] = labels[value][lang]
    index = values.get("index")
    if isinstance(index, int) and not isinstance(index, bool):
        values["item"] = index + 1
    for name in ("field", "earlier_field"):
        value = values.get(name)
        if isinstance(value, str) and value:
            label = FIELD_LABELS.get(value)
            values[name] = label[lang] if label else (value.replace("_", " ") if lang == 0 else value)
    return values


def _format(template: str, params: dict[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _render(code: str, field: str | None, params: Mapping[str, Any]) -> tuple[str, str] | None:
    pair = message_for(code)
    if pair is None:
        return None
    en, zh = (_format(template, _params(code, field, params, lang)) for lang, template in enumerate(pair))
    return _one_line(en), _one_line(zh)


def _pair(error: WusheError) -> tuple[str, str]:
    rendered = _render(error.code, error.field, error.params)
    if rendered is None:
        return _one_line(f"Refused ({error.describe()})."), f"操作未完成（{error.code}）。"
    return rendered


def describe(error: WusheError) -> str:
    """The CLI line for a coded error: 'English. / 中文。'.

    Several errors (:class:`ValidationErrors`) give all the English sentences, then all
    the Chinese ones, still on one line.
    """
    if isinstance(error, ValidationErrors) and error.errors:
        pairs = list(dict.fromkeys(_pair(e) for e in error.errors))
        return " ".join(en for en, _ in pairs) + " / " + "".join(zh for _, zh in pairs)
    en, zh = _pair(error)
    return f"{en} / {zh}"


def describe_problem(problem: Any) -> str:
    """A roster problem as 'Row N, column C: reason / 第N行“C”列：原因'."""
    en, zh = _render(problem.code, problem.field, problem.params) or (problem.code, problem.code)
    return f"Row {problem.row}, column {problem.column}: {en} / 第 {problem.row} 行“{problem.column}”列：{zh}"
