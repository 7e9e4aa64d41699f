"""Chinese labels for printed forms: fixed enums here, editable vocabularies from the station.

The templates take labels, never codes (:mod:`wushe_desktop.printing.data`). Enum labels
are the paper forms' own wording and live in the tables below; taxonomy codes (service
areas, categories, activity types ...) are labelled from the station's own
``taxonomy_item`` rows, deactivated items included, because old records keep them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.domain.enums import (
    ApprovalStatus,
    Attainment,
    AttendeeRole,
    CaseSource,
    CaseStage,
    ContactMode,
    DonationForm,
    DonorType,
    EvaluationKind,
    HoursStatus,
    IdDocumentType,
    LegalBasis,
    LinkageParty,
    ObjectiveStatus,
    OrganiserRole,
    ReceiptKind,
    ReferralDirection,
    ReferralOutcome,
    RiskLevel,
    Sex,
    Willingness,
)
from wushe_desktop.domain.taxonomy import TaxonomyKind
from wushe_desktop.storage.models import TaxonomyItem

__all__ = [
    "DISABILITY_CATEGORY_LABELS",
    "DISABILITY_GRADE_LABELS",
    "ENUM_LABELS",
    "RESOURCE_KIND_LABELS",
    "Taxonomies",
    "enum_label",
    "load_taxonomies",
]


def _labels(pairs: Mapping[StrEnum, str]) -> Mapping[str, str]:
    return MappingProxyType({str(key.value): value for key, value in pairs.items()})


#: Enum → Chinese label, per enum class. A test checks that every member has one.
ENUM_LABELS: Mapping[type[StrEnum], Mapping[str, str]] = MappingProxyType({
    Sex: _labels({Sex.MALE: "男", Sex.FEMALE: "女"}),
    IdDocumentType: _labels({
        IdDocumentType.RESIDENT_ID: "居民身份证",
        IdDocumentType.HMT_RESIDENCE: "港澳台居民居住证",
        IdDocumentType.FOREIGN_PERMANENT: "外国人永久居留身份证",
        IdDocumentType.PASSPORT: "护照",
        IdDocumentType.NONE: "无",
    }),
    CaseStage: _labels({
        CaseStage.INTAKE: "接案",
        CaseStage.ASSESSMENT: "预估",
        CaseStage.PLANNING: "计划",
        CaseStage.INTERVENTION: "服务中",
        CaseStage.EVALUATION: "评估",
        CaseStage.CLOSED: "已结案",
        CaseStage.NOT_OPENED: "不开案",
        CaseStage.REFERRED: "已转介",
        CaseStage.SUSPENDED: "暂停",
        CaseStage.FOLLOW_UP: "跟进",
    }),
    ApprovalStatus: _labels({
        ApprovalStatus.DRAFT: "草稿",
        ApprovalStatus.PENDING: "待审核",
        ApprovalStatus.APPROVED: "已批准",
        ApprovalStatus.RETURNED: "已退回",
    }),
    RiskLevel: _labels({RiskLevel.LOW: "低", RiskLevel.MEDIUM: "中", RiskLevel.HIGH: "高"}),
    CaseSource: _labels({
        CaseSource.SELF: "主动求助",
        CaseSource.INTRODUCED: "他人介绍",
        CaseSource.REFERRAL: "机构转介",
        CaseSource.OUTREACH: "社工外展·走访",
        CaseSource.SCREENING: "摸排",
    }),
    Willingness: _labels({Willingness.VOLUNTARY: "自愿", Willingness.INVOLUNTARY: "非自愿"}),
    ContactMode: _labels({
        ContactMode.INTERVIEW: "面谈",
        ContactMode.HOME_VISIT: "家访",
        ContactMode.PHONE: "电话",
        ContactMode.ONLINE: "线上",
        ContactMode.ACCOMPANIMENT: "陪同就医/办事",
        ContactMode.RESOURCE_LINKING: "资源链接",
        ContactMode.CASE_CONFERENCE: "个案会议",
    }),
    EvaluationKind: _labels({EvaluationKind.PROCESS: "过程评估", EvaluationKind.OUTCOME: "结果评估"}),
    Attainment: _labels({
        Attainment.FULL: "完全达成",
        Attainment.PARTIAL: "部分达成",
        Attainment.NONE: "未达成",
    }),
    ObjectiveStatus: _labels({
        ObjectiveStatus.OPEN: "进行中",
        ObjectiveStatus.ACHIEVED: "已达成",
        ObjectiveStatus.DROPPED: "已放弃",
    }),
    ReferralDirection: _labels({ReferralDirection.OUT: "转出", ReferralDirection.IN: "转入"}),
    ReferralOutcome: _labels({
        ReferralOutcome.PENDING: "待反馈",
        ReferralOutcome.ACCEPTED: "已接收",
        ReferralOutcome.DECLINED: "未接收",
    }),
    LegalBasis: _labels({
        LegalBasis.CONSENT: "个人同意",
        LegalBasis.SEPARATE_CONSENT: "单独同意",
        LegalBasis.STATUTORY_DUTY: "履行法定职责",
        LegalBasis.EMERGENCY: "紧急情况",
    }),
    HoursStatus: _labels({
        HoursStatus.PENDING: "待审核",
        HoursStatus.CONFIRMED: "已确认",
        HoursStatus.CORRECTED: "已更正",
        HoursStatus.VOID: "已作废",
    }),
    LinkageParty: _labels({
        LinkageParty.COMMUNITY: "社区",
        LinkageParty.SOCIAL_ORG: "社会组织",
        LinkageParty.SOCIAL_WORKER: "社会工作者",
        LinkageParty.VOLUNTEER_TEAM: "社区志愿者",
        LinkageParty.CHARITY: "社会慈善资源",
    }),
    OrganiserRole: _labels({
        OrganiserRole.HOST: "主办",
        OrganiserRole.ORGANISER: "承办",
        OrganiserRole.PARTNER: "协办",
    }),
    AttendeeRole: _labels({
        AttendeeRole.BENEFICIARY: "服务对象",
        AttendeeRole.SOCIAL_WORKER: "社工",
        AttendeeRole.VOLUNTEER: "志愿者",
        AttendeeRole.CARING_PERSON: "爱心人士",
        AttendeeRole.OTHER: "其他",
    }),
    DonorType: _labels({
        DonorType.INDIVIDUAL: "个人",
        DonorType.COMPANY: "企业",
        DonorType.SOCIAL_ORG: "社会组织",
        DonorType.PUBLIC_BODY: "机关事业单位",
        DonorType.ANONYMOUS: "匿名",
    }),
    DonationForm: _labels({
        DonationForm.MONEY: "货币",
        DonationForm.GOODS: "实物",
        DonationForm.SERVICE: "服务",
        DonationForm.OTHER: "其他",
    }),
    ReceiptKind: _labels({
        ReceiptKind.PAPER: "纸质票据",
        ReceiptKind.ELECTRONIC: "电子票据",
        ReceiptKind.ANONYMOUS: "匿名捐赠，无票据",
        ReceiptKind.WAIVED: "捐赠人放弃票据",
        ReceiptKind.PENDING: "票据待开具",
    }),
})

#: Kinds of a resource linked in a service record (``ResourceLink.kind``).
RESOURCE_KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {"funds": "资金", "goods": "物资", "service": "服务", "policy": "政策"})

#: 残疾类别 (GB/T 26341-2010) by the digit stored in ``Person.disability_category``.
DISABILITY_CATEGORY_LABELS: Mapping[int, str] = MappingProxyType(
    {1: "视力残疾", 2: "听力残疾", 3: "言语残疾", 4: "肢体残疾", 5: "智力残疾", 6: "精神残疾", 7: "多重残疾"})

#: 残疾等级 by the digit stored in ``Person.disability_grade``.
DISABILITY_GRADE_LABELS: Mapping[int, str] = MappingProxyType({1: "一级", 2: "二级", 3: "三级", 4: "四级"})


def enum_label(value: StrEnum | None) -> str:
    """The printed label of an enum value; "" for None, the raw value if unlabelled."""
    if value is None:
        return ""
    table = ENUM_LABELS.get(type(value))
    return table.get(str(value.value), str(value.value)) if table is not None else str(value.value)


@dataclass(frozen=True)
class Taxonomies:
    """The station's vocabularies: kind → code → label."""

    items: Mapping[str, Mapping[str, str]]

    def label(self, kind: TaxonomyKind, code: str | None) -> str:
        """The label of a code; the code itself when the station has no such item."""
        if not code:
            return ""
        return self.items.get(kind.value, {}).get(code, code)

    def labels(self, kind: TaxonomyKind, codes: Iterable[str]) -> tuple[str, ...]:
        """Labels of several codes, in the order given, blanks left out."""
        return tuple(self.label(kind, code) for code in codes if code)


def load_taxonomies(session: Session, origin: str) -> Taxonomies:
    """Read every vocabulary of a station in one query (deactivated items included)."""
    items: dict[str, dict[str, str]] = {}
    rows = session.execute(
        select(TaxonomyItem.kind, TaxonomyItem.code, TaxonomyItem.label)
        .where(TaxonomyItem.origin == origin, TaxonomyItem.deleted_at.is_(None)))
    for kind, code, label in rows:
        items.setdefault(str(kind), {})[str(code)] = str(label)
    return Taxonomies(MappingProxyType({k: MappingProxyType(v) for k, v in items.items()}))
