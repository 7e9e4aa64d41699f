"""Editable taxonomies and their defaults.

domain.md marks these ❓: each banner may change them, so they are data (the
``taxonomy_item`` table), seeded from :data:`DEFAULT_TAXONOMIES` when a database is made.
Codes are stable identifiers stored in records; labels are what people read (Chinese
here because these are data, not UI strings: a banner edits them in Chinese).
Figures never depend on a taxonomy setting applied at query time (DESIGN.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TaxonomyKind(StrEnum):
    """The editable vocabularies."""

    SERVICE_AREA = "service_area"  # 6+X 服务领域
    PERSON_CATEGORY = "person_category"  # 服务对象类别
    ACTIVITY_TYPE = "activity_type"  # 活动类型
    CLOSURE_TYPE = "closure_type"  # 结案类型
    INTERVENTION_MODEL = "intervention_model"  # 介入模式
    ETHNICITY = "ethnicity"  # 民族
    SKILL = "skill"  # 志愿者专业技能


@dataclass(frozen=True)
class TaxonomyEntry:
    """One item of a vocabulary."""

    code: str
    label: str


def _entries(*pairs: tuple[str, str]) -> tuple[TaxonomyEntry, ...]:
    return tuple(TaxonomyEntry(code, label) for code, label in pairs)


DEFAULT_TAXONOMIES: dict[TaxonomyKind, tuple[TaxonomyEntry, ...]] = {
    TaxonomyKind.SERVICE_AREA: _entries(
        ("elderly", "老"),
        ("children", "小"),
        ("difficulty", "困"),
        ("disability", "残"),
        ("governance", "基层社会治理"),
        ("rural_revitalisation", "乡村振兴"),
    ),
    TaxonomyKind.PERSON_CATEGORY: _entries(
        ("DB", "低保"),
        ("DBBY", "低保边缘家庭"),
        ("TK", "特困人员"),
        ("ZCKN", "刚性支出困难家庭"),
        ("LSJZ", "临时救助对象"),
        ("LSLR", "农村留守老年人"),
        ("GL", "高龄老人"),
        ("DJ", "独居老人"),
        ("KC", "空巢老人"),
        ("SN", "失能/半失能老人"),
        ("LSET", "农村留守儿童"),
        ("KJET", "困境儿童"),
        ("GE", "孤儿"),
        ("SSWR", "事实无人抚养儿童"),
        ("CJR", "残疾人"),
        ("LSFN", "农村留守妇女"),
        ("FPJC", "防止返贫监测对象"),
        ("LLQT", "生活无着流浪乞讨人员"),
        ("SZ", "受灾人员"),
        ("QT", "其他"),
    ),
    TaxonomyKind.ACTIVITY_TYPE: _entries(
        ("community_event", "社区活动"),
        ("group_session", "小组活动"),
        ("advocacy", "宣传倡导"),
        ("festival_visit", "节日慰问"),
        ("home_visits", "走访探视"),
        ("training", "培训"),
        ("resource_drive", "资源链接"),
        ("volunteer_action", "志愿服务"),
        ("meeting", "会议/议事"),
    ),
    TaxonomyKind.CLOSURE_TYPE: _entries(
        ("goals_achieved", "目标实现"),
        ("client_withdrew", "服务对象不愿继续"),
        ("referred", "客观原因无法实现，转介"),
        ("status_changed", "社工或服务对象身份变化"),
        ("lost_contact", "失联"),
    ),
    TaxonomyKind.INTERVENTION_MODEL: _entries(
        ("psychosocial", "心理社会治疗"),
        ("cbt", "认知行为"),
        ("task_centred", "任务中心"),
        ("crisis", "危机介入"),
        ("person_centred", "人本"),
        ("family", "家庭治疗"),
        ("strengths", "优势视角"),
        ("case_management", "个案管理"),
        ("other", "其他"),
    ),
    TaxonomyKind.ETHNICITY: _entries(
        ("01", "汉族"),
        ("02", "蒙古族"),
        ("03", "回族"),
        ("04", "藏族"),
        ("05", "维吾尔族"),
        ("06", "苗族"),
        ("07", "彝族"),
        ("08", "壮族"),
        ("09", "布依族"),
        ("10", "朝鲜族"),
        ("11", "满族"),
        ("12", "侗族"),
        ("13", "瑶族"),
        ("14", "白族"),
        ("15", "土家族"),
        ("16", "哈尼族"),
        ("17", "哈萨克族"),
        ("18", "傣族"),
        ("19", "黎族"),
        ("20", "傈僳族"),
        ("21", "佤族"),
        ("22", "畲族"),
        ("23", "高山族"),
        ("24", "拉祜族"),
        ("25", "水族"),
        ("26", "东乡族"),
        ("27", "纳西族"),
        ("28", "景颇族"),
        ("29", "柯尔克孜族"),
        ("30", "土族"),
        ("31", "达斡尔族"),
        ("32", "仫佬族"),
        ("33", "羌族"),
        ("34", "布朗族"),
        ("35", "撒拉族"),
        ("36", "毛南族"),
        ("37", "仡佬族"),
        ("38", "锡伯族"),
        ("39", "阿昌族"),
        ("40", "普米族"),
        ("41", "塔吉克族"),
        ("42", "怒族"),
        ("43", "乌孜别克族"),
        ("44", "俄罗斯族"),
        ("45", "鄂温克族"),
        ("46", "德昂族"),
        ("47", "保安族"),
        ("48", "裕固族"),
        ("49", "京族"),
        ("50", "塔塔尔族"),
        ("51", "独龙族"),
        ("52", "鄂伦春族"),
        ("53", "赫哲族"),
        ("54", "门巴族"),
        ("55", "珞巴族"),
        ("56", "基诺族"),
        ("97", "其他"),
        ("98", "外国血统中国籍人士"),
    ),
    TaxonomyKind.SKILL: _entries(
        ("medical", "医疗护理"),
        ("psychology", "心理咨询"),
        ("legal", "法律服务"),
        ("education", "教育辅导"),
        ("arts", "文艺"),
        ("repair", "维修"),
        ("translation_mn", "蒙汉翻译"),
        ("it", "电脑/网络"),
        ("driving", "驾驶"),
        ("general", "综合服务"),
    ),
}


@dataclass(frozen=True)
class StarRule:
    """Volunteer star levels: thresholds in confirmed hours (❓ banner-configurable)."""

    thresholds_hours: tuple[int, ...] = (100, 300, 600, 1000, 1500)

    def level(self, total_tenths: int) -> int:
        """Star level 0–5 for a total in tenths of an hour."""
        return sum(1 for t in self.thresholds_hours if total_tenths >= t * 10)


DEFAULT_SETTINGS: dict[str, object] = {
    "timezone": "Asia/Shanghai",
    "hours.unit_tenths": 5,
    "hours.rounding": "down",
    "hours.daily_cap_tenths": 80,
    "stars.thresholds_hours": [100, 300, 600, 1000, 1500],
    "certificate.issuing_body": "",
    "todo.no_contact_days": 30,
    "todo.plan_review_days": 90,
    "centre.overdue_days": 35,  # a centre: days without a bundle before a station is overdue
}
