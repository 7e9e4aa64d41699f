"""Fixed vocabularies: values the code branches on.

Values are stable English codes stored in the database and carried in bundles; the
Chinese label is a translation concern of the UI and the printed forms. Vocabularies that
banners may change (service areas, person categories, activity types, closure types...)
are *not* here: they are data, see :mod:`wushe_desktop.domain.taxonomy`.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    """性别."""

    MALE = "male"  # 男
    FEMALE = "female"  # 女


class StationMode(StrEnum):
    """A database is either one station's own records or a centre's copies."""

    STATION = "station"
    CENTRE = "centre"


class Role(StrEnum):
    """Staff roles; permissions hang off these (see services.permissions)."""

    STATION_HEAD = "station_head"  # 站长
    SOCIAL_WORKER = "social_worker"  # 社工 / 驻站社工
    DEPUTY = "deputy"  # 副站长 / 民政助理
    CENTRE_ADMIN = "centre_admin"  # 中心管理员
    SUPERVISOR = "supervisor"  # 督导
    LOCAL_ADMIN = "local_admin"  # the command line: whoever can read the database file


class IdDocumentType(StrEnum):
    """证件类型."""

    RESIDENT_ID = "resident_id"  # 居民身份证
    HMT_RESIDENCE = "hmt_residence"  # 港澳台居民居住证
    FOREIGN_PERMANENT = "foreign_permanent"  # 外国人永久居留身份证
    PASSPORT = "passport"  # 护照
    NONE = "none"  # 无


class CaseStage(StrEnum):
    """Casework stages (MZ/T 094-2017) plus the side states; see domain.case_stage."""

    INTAKE = "intake"  # 接案
    ASSESSMENT = "assessment"  # 预估
    PLANNING = "planning"  # 计划
    INTERVENTION = "intervention"  # 介入
    EVALUATION = "evaluation"  # 评估
    CLOSED = "closed"  # 结案
    NOT_OPENED = "not_opened"  # 不开案
    REFERRED = "referred"  # 已转介 (closed by referral out)
    SUSPENDED = "suspended"  # 暂停
    FOLLOW_UP = "follow_up"  # 跟进 (after closure)


class ApprovalStatus(StrEnum):
    """State of a record that the station head signs (opening, plan, closure)."""

    DRAFT = "draft"  # 草稿, not yet submitted
    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # 已批准
    RETURNED = "returned"  # 已退回 (sent back with a comment)


class RiskLevel(StrEnum):
    """风险等级."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CaseSource(StrEnum):
    """个案来源."""

    SELF = "self"  # 主动求助
    INTRODUCED = "introduced"  # 他人介绍
    REFERRAL = "referral"  # 机构转介
    OUTREACH = "outreach"  # 社工外展·走访
    SCREENING = "screening"  # 摸排


class Willingness(StrEnum):
    """服务对象意愿."""

    VOLUNTARY = "voluntary"
    INVOLUNTARY = "involuntary"


class ContactMode(StrEnum):
    """服务方式 of a per-contact service record."""

    INTERVIEW = "interview"  # 面谈
    HOME_VISIT = "home_visit"  # 家访
    PHONE = "phone"  # 电话
    ONLINE = "online"  # 线上
    ACCOMPANIMENT = "accompaniment"  # 陪同就医/办事
    RESOURCE_LINKING = "resource_linking"  # 资源链接
    CASE_CONFERENCE = "case_conference"  # 个案会议


class EvaluationKind(StrEnum):
    """过程评估 / 结果评估."""

    PROCESS = "process"
    OUTCOME = "outcome"


class Attainment(StrEnum):
    """Per-objective attainment."""

    FULL = "full"  # 完全达成
    PARTIAL = "partial"  # 部分达成
    NONE = "none"  # 未达成


class ObjectiveStatus(StrEnum):
    """Status of one plan objective."""

    OPEN = "open"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class ReferralDirection(StrEnum):
    """转出 / 转入."""

    OUT = "out"
    IN = "in"


class ReferralOutcome(StrEnum):
    """接收反馈."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class LegalBasis(StrEnum):
    """PIPL Art. 13 legal basis of a processing purpose or a disclosure."""

    CONSENT = "consent"
    SEPARATE_CONSENT = "separate_consent"
    STATUTORY_DUTY = "statutory_duty"
    EMERGENCY = "emergency"


class HoursStatus(StrEnum):
    """志愿服务记录 状态: 待审核/已确认/已更正/已作废."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    VOID = "void"

    @property
    def counts(self) -> bool:
        """Whether the line's credited hours count (confirmed or corrected)."""
        return self in (HoursStatus.CONFIRMED, HoursStatus.CORRECTED)


class LinkageParty(StrEnum):
    """The five "社" of 五社联动, used to tag organisers and resources."""

    COMMUNITY = "community"  # 社区
    SOCIAL_ORG = "social_org"  # 社会组织
    SOCIAL_WORKER = "social_worker"  # 社会工作者
    VOLUNTEER_TEAM = "volunteer_team"  # 社区志愿服务队伍
    CHARITY = "charity"  # 社会公益慈善资源


class OrganiserRole(StrEnum):
    """主办 / 承办 / 协办."""

    HOST = "host"
    ORGANISER = "organiser"
    PARTNER = "partner"


class AttendeeRole(StrEnum):
    """Role of a person on an activity's sign-in roster."""

    BENEFICIARY = "beneficiary"  # 服务对象 / 受益人
    SOCIAL_WORKER = "social_worker"  # 社工
    VOLUNTEER = "volunteer"  # 志愿者
    CARING_PERSON = "caring_person"  # 爱心人士
    OTHER = "other"  # 其他


class DonorType(StrEnum):
    """捐赠人类型."""

    INDIVIDUAL = "individual"
    COMPANY = "company"
    SOCIAL_ORG = "social_org"
    PUBLIC_BODY = "public_body"  # 机关事业单位
    ANONYMOUS = "anonymous"


class DonationForm(StrEnum):
    """捐赠形式."""

    MONEY = "money"  # 货币
    GOODS = "goods"  # 实物
    SERVICE = "service"  # 服务
    OTHER = "other"


class ReceiptKind(StrEnum):
    """捐赠票据 (慈善法 Art. 38), or the recorded reason there is none."""

    PAPER = "paper"  # 公益事业捐赠统一票据 (纸质)
    ELECTRONIC = "electronic"  # 电子票据
    ANONYMOUS = "anonymous"  # 匿名捐赠, recorded
    WAIVED = "waived"  # 捐赠人放弃票据, recorded
    PENDING = "pending"  # not yet issued by the receiving charity


class CommunityKind(StrEnum):
    """嘎查 / 村 / 社区."""

    GACHA = "gacha"
    VILLAGE = "village"
    COMMUNITY = "community"


class SupervisionForm(StrEnum):
    """督导形式."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    ON_SITE = "on_site"
    ONLINE = "online"


class GroupStage(StrEnum):
    """小组工作 stages (MZ/T 095-2017)."""

    PREPARATION = "preparation"
    FORMATION = "formation"
    TRANSITION = "transition"
    MATURITY = "maturity"
    ENDING = "ending"
