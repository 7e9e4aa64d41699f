"""One clear sentence per error code for the command line: English, then Chinese.

The core raises coded errors (wushe_desktop.errors); this table turns a code into the
line the CLI prints on stderr. The GUI has its own Chinese sentences in Qt .ts files.
Placeholders are ``str.format`` names from the error's ``params``.
"""

from __future__ import annotations

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
    "database.disk_full": ("The disk is full; nothing was saved. Free some space and try again.",
                           "磁盘已满，本次未保存任何内容。请清理空间后重试。"),
    "database.cannot_open": ("The database cannot be opened at {path}.", "无法打开数据库 {path}。"),
    "database.migration_foreign_keys": ("Upgrading the database left {count} broken links; it was not changed. "
                                        "Send the file to support.",
                                        "升级数据库时发现 {count} 处关联错误，数据库未改动，请联系技术支持。"),
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
    "station.banner_required": ("Code {code} is not in the division table; give --banner as well.",
                                "代码 {code} 不在区划表中，请同时用 --banner 指定旗县。"),
    "passphrase.too_short": ("The recovery passphrase needs at least {min} characters.",
                             "恢复口令至少需要 {min} 个字符。"),
    "division_code.format": ("A station code is the township's 12-digit division code, e.g. 150121101000.",
                             "站点代码应为乡镇的 12 位统计用区划代码，例如 150121101000。"),
    # people and validation
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
    "name.empty": ("The name is empty.", "姓名为空。"),
    "name.too_long": ("The name has {length} characters; at most {max} are allowed.",
                      "姓名有 {length} 个字，最多 {max} 个。"),
    "name.invalid_char": ("The name contains '{char}', which a legal name cannot hold.",
                          "姓名中含有“{char}”，证件姓名不能包含该字符。"),
    "name.bad_separator": ("The name separator · must stand between two parts of the name.",
                           "姓名分隔符“·”只能用在两段姓名之间。"),
    "phone.empty": ("The phone number is empty.", "电话号码为空。"),
    "phone.length": ("The phone number has {digits} digits; a mobile number has 11.",
                     "电话号码有 {digits} 位，手机号码应为 11 位。"),
    "phone.format": ("The phone number is not a mobile or landline number.", "电话号码不是有效的手机或固话号码。"),
    "phone.area_code": ("A landline number needs its area code, e.g. 0471.", "固定电话需要加区号，例如 0471。"),
    "date.future": ("The date {field} lies in the future.", "日期（{field}）晚于今天。"),
    "date.order": ("The date {field} is before {earlier_field}.", "日期（{field}）早于{earlier_field}。"),
    "period.order": ("--from is after --to.", "开始日期晚于结束日期。"),
    "permission.reveal_id": ("Your role may not see full ID numbers.", "您的角色无权查看完整证件号码。"),
    "list.unknown_kind": ("Unknown list '{kind}'.", "未知的列表“{kind}”。"),
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
    "person.birth_date_differs": ("The birth date differs from the ID number; the ID number's date is used.",
                                  "出生日期与身份证号码不符，已按身份证号码填写。"),
    "volunteer.minor_without_guardian_consent": ("A volunteer under 18 needs the guardian's consent.",
                                                 "未满 18 岁的志愿者需监护人同意。"),
}


def _format(template: str, params: dict[str, Any]) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def describe(error: WusheError) -> str:
    """The CLI line for a coded error: 'English. / 中文。'."""
    if isinstance(error, ValidationErrors):
        return " ".join(describe(e) for e in error.errors)
    params: dict[str, Any] = {"field": error.field or ""}
    params.update(error.params)
    pair = MESSAGES.get(error.code)
    if pair is None:
        return f"Refused ({error.describe()}). / 操作未完成（{error.code}）。"
    en, zh = (_format(t, params) for t in pair)
    return f"{en} / {zh}"


def describe_problem(problem: Any) -> str:
    """A roster problem as 'Row N, column C: reason / 第N行“C”列：原因'."""
    params: dict[str, Any] = {"field": problem.field}
    params.update(problem.params)
    pair = MESSAGES.get(problem.code, (problem.code, problem.code))
    en, zh = (_format(t, params) for t in pair)
    return f"Row {problem.row}, column {problem.column}: {en} / 第 {problem.row} 行“{problem.column}”列：{zh}"
