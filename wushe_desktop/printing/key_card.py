"""The printable key registration card (密钥登记卡) that goes with a card file.

A station hands the centre its card file (``wushe keys export-card``) and this paper
beside it: station name and code, banner, and the key fingerprint in large groups of four
characters, so the two sides can read it aloud on the phone group by group before the
centre registers the key (DESIGN.md §6, docs/decisions.md §6). A centre's paper card
carries its two fingerprints for the stations to check in the same way. Nothing secret
is printed: a fingerprint identifies a public key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from wushe_desktop.printing.data import PrintContext
from wushe_desktop.printing.fonts import FONT_NAME, styles
from wushe_desktop.printing.layout import (
    GRID_COLOR,
    LABEL_BG,
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

__all__ = [
    "CENTRE_CARD_TITLE",
    "STATION_CARD_TITLE",
    "KeyCardForm",
    "build_key_card_pdf",
    "fingerprint_groups",
    "key_card_story",
]

STATION_CARD_TITLE: Final = "社工站密钥登记卡"
CENTRE_CARD_TITLE: Final = "社会工作服务中心密钥卡"

#: Characters per group and groups per printed line of a fingerprint.
GROUP: Final = 4
GROUPS_PER_LINE: Final = 4


@dataclass(frozen=True)
class KeyCardForm:
    """What the paper card shows.

    Attributes:
        kind: ``station`` or ``centre``.
        name: The station's (or centre's) name.
        code: Its 12-digit division code (a centre: its banner's).
        banner_name: The banner (旗县) it belongs to.
        fingerprint: The Ed25519 key fingerprint (``3F2A-9C01-…``, 32 hex digits).
        box_fingerprint: A centre's X25519 key fingerprint ("" for a station).
        centre_name: At a station: the centre it reports to, if its card was imported.
        issued_on: The day the card was made.
    """

    kind: str
    name: str
    code: str
    banner_name: str
    fingerprint: str
    issued_on: date
    box_fingerprint: str = ""
    centre_name: str = ""


def fingerprint_groups(fingerprint: str) -> list[str]:
    """The fingerprint's characters in groups of four (``3F2A-9C01`` → ``["3F2A", "9C01"]``).

    Raises:
        ValueError: Not 32 hexadecimal digits (a bug in the caller).
    """
    digits = "".join(c for c in fingerprint.upper() if c not in "- ")
    if len(digits) != 32 or any(c not in "0123456789ABCDEF" for c in digits):
        raise ValueError(f"not a key fingerprint: {fingerprint!r}")
    return [digits[i:i + GROUP] for i in range(0, len(digits), GROUP)]


def _fingerprint_table(fingerprint: str) -> Table:
    """The fingerprint as numbered boxes, large enough to read aloud from arm's length."""
    groups = fingerprint_groups(fingerprint)
    number_style = ParagraphStyle("fp_no", fontName=FONT_NAME, fontSize=8, leading=10, alignment=TA_CENTER,
                                  textColor=colors.Color(0.4, 0.4, 0.4))
    group_style = ParagraphStyle("fp_group", fontName=FONT_NAME, fontSize=24, leading=30, alignment=TA_CENTER)
    data: list[list[Flowable]] = []
    for start in range(0, len(groups), GROUPS_PER_LINE):
        line = groups[start:start + GROUPS_PER_LINE]
        data.append([para(f"第 {start + i + 1} 组", number_style) for i in range(len(line))])
        # Spaced digits: 0 and 8, B and 8 stay apart when read from paper.
        data.append([para(" ".join(group), group_style) for group in line])
    width = content_width() / GROUPS_PER_LINE
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("BOX", (0, 0), (-1, -1), 1.2, GRID_COLOR),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        *[("BACKGROUND", (0, r), (-1, r), LABEL_BG) for r in range(0, len(data), 2)],
    ])
    return Table(data, colWidths=[width] * GROUPS_PER_LINE, style=style)


def key_card_story(form: KeyCardForm, ctx: PrintContext) -> list[Flowable]:
    """The flowables of the paper key card."""
    st = styles()
    centre = form.kind == "centre"
    title = CENTRE_CARD_TITLE if centre else STATION_CARD_TITLE
    if centre:
        rows: list[list[tuple[str, str]]] = [
            [("中心名称", form.name)],
            [("旗县代码", form.code), ("所属旗县", form.banner_name)],
            [("制卡日期", fmt_date(form.issued_on))],
        ]
    else:
        rows = [
            [("社工站名称", form.name)],
            [("站点代码", form.code), ("所属旗县", form.banner_name)],
            [("上级中心", form.centre_name or "（尚未导入中心名片）")],
            [("制卡日期", fmt_date(form.issued_on))],
        ]
    story: list[Flowable] = [
        *title_block(title, f"{'中心' if centre else '站点'}代码：{form.code}"),
        field_table(rows, label_width=26 * mm),
        heading("一、签名密钥指纹" if centre else "一、密钥指纹"),
        _fingerprint_table(form.fingerprint),
        Spacer(1, 3 * mm),
    ]
    if centre:
        story += [
            heading("二、加密密钥指纹"),
            _fingerprint_table(form.box_fingerprint),
            Spacer(1, 3 * mm),
            heading("三、核对说明"),
            para("社工站导入中心名片（文件）之前，请与中心电话联系，由中心逐组朗读以上两个指纹，"
                 "社工站对照屏幕上显示的指纹逐组核对；全部一致方可导入。任何一组不一致，"
                 "请勿导入，并再次与中心联系。", st.body),
            para("名片文件含化名密钥，只交给本中心所辖社工站；本卡不含任何私钥。", st.body),
        ]
        signatures = [Signature("中心负责人签名"), Signature("社工站核对人签名")]
    else:
        story += [
            heading("二、核对说明"),
            para("中心登记本站密钥之前，请与本站电话联系，由站长逐组朗读以上指纹，中心对照名片文件"
                 "显示的指纹逐组核对；全部一致方可登记。任何一组不一致，请勿登记，并再次与本站联系。", st.body),
            para("本卡只记录公开密钥的指纹，不含私钥，可随名片文件一同交给中心；更换电脑或更换密钥后，"
                 "须重新打印本卡并重新登记。", st.body),
            heading("三、电话核对记录"),
            field_table([[("核对日期", "        年      月      日"), ("核对方式", "□ 电话　□ 当面")],
                         [("中心核对人", ""), ("本站朗读人", "")],
                         [("核对结果", "□ 全部一致，已登记　　　□ 不一致，未登记")]], label_width=26 * mm),
        ]
        signatures = [Signature("站长签名"), Signature("中心核对人签名")]
    story += [Spacer(1, 6 * mm), signature_block(signatures)]
    return story


def build_key_card_pdf(form: KeyCardForm, ctx: PrintContext, *, invariant: bool = False) -> bytes:
    """Print the key registration card (one A4 page).

    Args:
        form: The station's (or centre's) name, code and fingerprints.
        ctx: Station and print date.
        invariant: Byte-stable output, for tests.

    Returns:
        The PDF bytes.

    Raises:
        ValueError: A fingerprint that is not 32 hexadecimal digits.
    """
    fingerprint_groups(form.fingerprint)
    if form.kind == "centre":
        fingerprint_groups(form.box_fingerprint)
    title = CENTRE_CARD_TITLE if form.kind == "centre" else STATION_CARD_TITLE
    return render(key_card_story(form, ctx), ctx, title=title, subject=form.code, invariant=invariant)
