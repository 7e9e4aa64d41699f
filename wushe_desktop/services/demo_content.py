"""Realistic content for demo data: Han and Mongolian names, villages, notes.

Pure data and a seeded random source; no database. Names follow the 2016 rule that a
transliterated name's parts are joined with '·' (U+00B7).
"""

from __future__ import annotations

import random
from datetime import date

from wushe_desktop.domain.enums import Sex
from wushe_desktop.domain.validation import id_number_check_char

HAN_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
HAN_GIVEN_MALE = ["建国", "国庆", "志强", "永平", "振华", "德胜", "玉林", "宝山", "文军", "海龙", "俊峰", "子涵",
                  "浩然", "宇轩", "明", "军", "伟", "强", "磊", "勇", "涛", "斌", "福", "贵"]
HAN_GIVEN_FEMALE = ["桂花", "秀兰", "玉兰", "淑珍", "凤英", "桂英", "秀英", "丽", "娜", "敏", "静", "艳", "芳",
                    "雅琪", "欣怡", "梓涵", "佳怡", "春梅", "海霞", "金凤", "翠花", "小红"]
MONGOLIAN_MALE = ["巴特尔", "额尔德木图", "巴图", "朝鲁", "苏和", "宝音", "乌力吉", "特木尔", "达来", "孟和",
                  "毕力格", "那顺", "阿拉坦仓", "布和", "斯琴巴特尔", "乌云毕力格", "哈斯朝鲁", "格日勒图"]
MONGOLIAN_FEMALE = ["其木格", "苏日娜", "乌云", "萨仁", "其其格", "斯琴", "娜仁", "托娅", "高娃", "琪琪格",
                    "乌兰", "图雅", "萨日娜", "塔娜", "阿拉坦其其格", "乌日汗"]
MONGOLIAN_CLAN_INITIALS = ["乌云", "宝音", "包", "白", "韩", "敖"]

VILLAGES = ["什报气村", "毕克齐村", "讨合气村", "西沟门村", "东营子村", "兵州亥村", "三两村", "水磨村",
            "乌兰嘎查", "巴彦嘎查", "毕克齐社区", "康居社区"]

PROBLEMS = {
    "elderly": ["独居，行动不便，日常照料缺乏", "高龄，慢性病多，需定期探访与就医陪同", "子女在外务工，精神孤独",
                "家中无暖气，冬季取暖困难"],
    "children": ["父母在外务工，随祖辈生活，学习辅导缺乏", "单亲家庭，情绪低落，学校适应困难",
                 "家庭经济困难，面临辍学风险"],
    "difficulty": ["因病致贫，医疗费用负担重", "失业后收入中断，申请救助材料不全", "住房破旧，需危房改造"],
    "disability": ["肢体残疾，康复训练中断", "精神残疾，服药依从性差，家属照护压力大", "听力残疾，沟通与就业困难"],
    "governance": ["邻里纠纷，需调解", "社区议事参与不足"],
    "rural_revitalisation": ["返乡创业缺少技能培训", "留守妇女就业需求"],
}

SERVICE_NOTES = [
    "入户探访，了解近期身体状况与生活安排，服务对象情绪稳定。",
    "电话回访，确认药品已按时领取，提醒注意保暖。",
    "陪同前往镇卫生院复查，协助办理慢病报销手续。",
    "链接爱心超市物资，送去米面油，服务对象表示感谢。",
    "与家属沟通照护分工，约定每周探视两次。",
    "协助准备低保复核材料，讲解政策要点。",
    "开展情绪疏导，运用优势视角肯定其应对能力。",
    "联系村委会，协调邻里志愿者日常关照。",
    "辅导作业并与班主任沟通学习情况。",
    "召开个案会议，讨论下一阶段服务重点。",
]

ACTIVITY_TITLES = {
    "festival_visit": ["重阳节敬老慰问", "春节走访慰问困难群众", "中秋节关爱留守老人", "六一关爱困境儿童"],
    "community_event": ["邻里守望文艺汇演", "社区健康义诊", "夏季防溺水安全宣传进村"],
    "advocacy": ["反诈宣传进社区", "《民法典》普法讲座", "防范养老诈骗宣传"],
    "training": ["志愿者服务技能培训", "社工专业能力提升培训"],
    "volunteer_action": ["冬季扫雪志愿行动", "爱心理发进村", "为独居老人清洁家居"],
    "group_session": ["长者互助小组活动", "儿童成长小组活动"],
    "meeting": ["五社联动议事会", "村民议事协商会"],
    "resource_drive": ["爱心物资募集", "慈善超市开放日"],
    "home_visits": ["集中走访高龄老人", "入户排查困境儿童"],
}


class DemoRandom(random.Random):
    """A seeded random source with helpers for people."""

    def person_name(self, sex: Sex) -> str:
        """A Han name or a Mongolian name (a few with a clan initial and '·')."""
        roll = self.random()
        if roll < 0.55:
            given = HAN_GIVEN_MALE if sex == Sex.MALE else HAN_GIVEN_FEMALE
            return self.choice(HAN_SURNAMES) + self.choice(given)
        names = MONGOLIAN_MALE if sex == Sex.MALE else MONGOLIAN_FEMALE
        if roll < 0.62:
            return self.choice(MONGOLIAN_CLAN_INITIALS) + "·" + self.choice(names)
        return self.choice(names)

    def id_number(self, region: str, birth: date, sex: Sex) -> str:
        """A valid 18-digit ID number (odd sequence for men, even for women)."""
        seq = self.randrange(0, 500) * 2 + (1 if sex == Sex.MALE else 0)
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        return first17 + id_number_check_char(first17)

    def mobile(self) -> str:
        """A plausible mobile number."""
        return self.choice(["138", "139", "150", "151", "152", "158", "176", "186", "187", "189", "199"]) + \
            f"{self.randrange(0, 10**8):08d}"
