"""The recovery sheet (数据恢复单): what a station head keeps in the safe (scenario 8).

One A4 page in Chinese: the station, its code and key fingerprint, the date, where the
backups live, a box for the recovery passphrase (left blank to be written by hand, or
with the passphrase printed only when the head chose so), and the steps that bring the
station back on a new PC. A pure function of :class:`RecoverySheet`.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from wushe_desktop.printing.data import PrintContext
from wushe_desktop.printing.fonts import FONT_NAME, styles
from wushe_desktop.printing.layout import (
    Signature,
    content_width,
    field_table,
    fmt_date,
    heading,
    para,
    render,
    signature_block,
    title_block,
)

TITLE = "数据恢复单"


@dataclass(frozen=True)
class RecoverySheet:
    """What the recovery sheet says.

    Attributes:
        station_name: The station's name.
        station_code: Its 12-digit division code.
        banner_name: Its banner (旗县).
        fingerprint: The station key's fingerprint (read to the centre on the phone).
        database_path: Where the database lives on this PC.
        automatic_backups: The folder of the automatic daily copies on this PC.
        passphrase: The recovery passphrase, printed only if the head chose so; ``None``
            leaves the box empty for handwriting.
    """

    station_name: str
    station_code: str
    banner_name: str
    fingerprint: str
    database_path: str
    automatic_backups: str
    passphrase: str | None = None


STEPS = (
    "在新电脑上安装“五社联动 社工站桌面端”（安装盘或U盘）。",
    "第一次打开程序时出现“设置社工站”向导，点“从备份恢复…”。",
    "选择最近一次的加密备份文件（扩展名 .wbak，通常在备份U盘上）。",
    "核对屏幕上显示的站点名称和备份日期，输入本单上的恢复口令，点“恢复”。",
    "恢复完成后用原来的账号登录。若提示“本机没有签名密钥”，到“数据同步”页生成新密钥，"
    "并打电话把新密钥指纹念给旗县社会工作服务中心，请中心重新登记。",
    "之后照常导出数据包；中心收到后数据接续，不会出现缺口。",
)


def _passphrase_box(passphrase: str | None) -> Flowable:
    st = styles()
    width = content_width()
    if passphrase:
        body = para(passphrase, st.title)
        note = para("（口令已印在本单上：本单必须锁在保险柜里，不得复印、拍照或放在电脑旁。）", st.small)
    else:
        body = Spacer(1, 16 * mm)
        note = para("（请站长亲笔填写恢复口令。填写后本单必须锁在保险柜里，不得复印、拍照或放在电脑旁。）",
                    st.small)
    table = Table([[para("恢复口令", st.label)], [body], [note]], colWidths=[width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def build_recovery_sheet(sheet: RecoverySheet, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """The sheet as a PDF (one A4 page)."""
    st = styles()
    story: list[Flowable] = [*title_block(TITLE, f"打印日期：{fmt_date(ctx.printed_on)}")]
    story.append(para("本单用于电脑损坏、被盗或重装后恢复本站全部数据。请站长妥善保管，锁在保险柜里。",
                      st.body))
    story.append(heading("一、本站信息"))
    story.append(field_table([
        [("站点名称", sheet.station_name)],
        [("站点代码", sheet.station_code), ("所属旗县", sheet.banner_name)],
        [("密钥指纹", sheet.fingerprint or "（无）")],
    ], label_width=22 * mm))
    story.append(heading("二、备份在哪里"))
    story.append(field_table([
        [("数据库", sheet.database_path)],
        [("自动备份", sheet.automatic_backups)],
        [("加密备份", "菜单“系统 → 备份到…”写到U盘上的 .wbak 文件（建议每周一次，U盘与电脑分开存放）")],
    ], label_width=22 * mm))
    story.append(para("自动备份每天一份，保留最近7天、4周、12个月；它们在本机硬盘上，电脑损坏时会一起丢失，"
                      "所以还要定期备份到U盘。", st.small))
    story.append(heading("三、恢复口令"))
    story.append(_passphrase_box(sheet.passphrase))
    story.append(heading("四、换新电脑后怎样恢复"))
    for number, step in enumerate(STEPS, start=1):
        story.append(para(f"{number}. {step}", st.cell))
        story.append(Spacer(1, 2))
    story.append(signature_block([Signature("站长签名"), Signature("保管人签名")]))
    return render(story, ctx, title=TITLE, invariant=invariant)


__all__ = ["STEPS", "TITLE", "RecoverySheet", "build_recovery_sheet"]
