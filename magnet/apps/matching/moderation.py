"""A rule-based detector of discriminatory wording in Chinese job postings (就业歧视).

《就业促进法》 (Employment Promotion Law) arts. 3, 26–31 forbid discrimination by ethnicity, race, sex,
religious belief, hukou (rural origin), disability and carrying an infectious pathogen; 《妇女权益保障法》
art. 43 forbids asking about or restricting marriage and childbearing, and limiting a job to men or
giving men priority; notices of the Ministry of Human Resources (人社部发〔2019〕17号) name 限男性、男性优先、
婚育状况 as forbidden; age ceilings below the statutory retirement age are treated as age discrimination
in the bureau's review practice, and hiring under 16 is child labour (《劳动法》 art. 15).

A posting with a finding is not refused: it waits for staff review (the detector errs toward asking a
person). Each rule is a regular expression with the negations around it that make it harmless
("男女不限", "不限户籍"); the tests list positives and negatives. Pure Python, no Django.

>>> [f.category for f in detect("招聘焊工，限男性，35岁以下，本地户口优先")]
['gender', 'age', 'hukou']
>>> detect("男女不限，年龄不限，欢迎应届毕业生")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The oldest age a posting may require people to be under: the statutory retirement age (60 for men
# before the 2025 reform). An upper bound below it is flagged; a minimum of 16 is the legal working age.
RETIREMENT_AGE = 60
MIN_WORKING_AGE = 16

CATEGORIES = {
    "gender": ("性别", "gender"),
    "marriage": ("婚育状况", "marriage and childbearing"),
    "ethnicity": ("民族", "ethnicity"),
    "hukou": ("户籍或地域", "hukou or place of origin"),
    "age": ("年龄", "age"),
    "appearance": ("身高或相貌", "height or looks"),
    "health": ("病原携带或残疾", "pathogen carriers or disability"),
    "religion": ("宗教信仰", "religion"),
}


@dataclass(frozen=True)
class Finding:
    category: str
    text: str  # the words found, as written
    start: int
    end: int

    @property
    def label_zh(self) -> str:
        return CATEGORIES[self.category][0]

    @property
    def label_en(self) -> str:
        return CATEGORIES[self.category][1]

    def as_dict(self) -> dict:
        return {"category": self.category, "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: re.Pattern[str]
    # A match is harmless when the text right before it ends with, or right after it starts with, one of these.
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()


def _rule(category: str, pattern: str, not_before=(), not_after=()) -> Rule:
    return Rule(category, re.compile(pattern), tuple(not_before), tuple(not_after))


ANY_OK = ("不限", "均可", "皆可", "也可", "亦可", "不论", "无要求", "不做要求", "不作要求", "无限制")
NEGATED = ("不限", "无", "不要求", "不论", "不问", "不考虑", "不区分", "不设", "无需", "不需")

RULES: tuple[Rule, ...] = (
    # --- sex (《妇女权益保障法》 art. 43; 就业促进法 art. 27)
    _rule(
        "gender",
        r"(?:限|只招|仅招|只要|限招|只限)(?:男|女)(?:性|生|士)?",
        not_before=("不", "无"),
        not_after=("女", "男", "不限"),
    ),
    _rule("gender", r"要求(?:为|是)?(?:男|女)(?:性|生|士)"),
    _rule("gender", r"(?:男|女)(?:性|生|士)?(?:优先|为主|者优先)"),
    _rule("gender", r"性别[:：\s]*(?:要求)?[:：\s]*(?:男|女)(?!女|男|不限)"),
    _rule("gender", r"(?:不招|不收|不要|谢绝|拒收)(?:男|女)(?:性|生|士)?"),
    _rule(
        "gender",
        r"(?:招|招聘|需)(?:男|女)(?:性|生)?(?:员工|职员|工人|工)?\s*(?:\d+|[一二三四五六七八九十两若]+)\s*(?:名|人|干)",
    ),
    # --- marriage and childbearing (《妇女权益保障法》 art. 43)
    _rule("marriage", r"已婚已育|已婚未育|未婚未育|已育|未育"),
    _rule("marriage", r"未婚|已婚", not_before=NEGATED, not_after=ANY_OK),
    _rule("marriage", r"(?:要求|限|仅限)单身|单身(?:优先|者优先)"),
    _rule(
        "marriage",
        r"(?:\d+|[一二两三四五]+)年内(?:不|无)(?:生育|怀孕|结婚)|(?:不得|不能|承诺不)(?:生育|怀孕|结婚)|生育计划",
    ),
    _rule("marriage", r"婚育|婚姻状况", not_before=NEGATED, not_after=ANY_OK),
    # --- ethnicity (就业促进法 art. 28)
    _rule("ethnicity", r"汉族|(?<!各)民族[:：]\s*汉"),
    _rule(
        "ethnicity",
        r"少数民族(?:除外|勿扰|不考虑|免谈|谢绝)|(?:不招|不要|谢绝|拒收)\S{0,3}(?:少数民族|回族|维吾尔族|藏族|彝族)",
    ),
    # --- hukou and place of origin (就业促进法 art. 31)
    _rule(
        "hukou",
        r"(?:本地|本市|本省|本区|本县|当地|城镇|非农业?|农业|农村)(?:户口|户籍|常住户口)",
        not_before=NEGATED + ("办理", "落户", "迁入", "协助", "解决", "提供", "申请", "转为"),
        not_after=ANY_OK,
    ),
    _rule(
        "hukou",
        r"(?:户口|户籍)(?:要求|限制)?[:：\s]*(?:限|须为|必须为|需为|为)?(?:本地|本市|本省|城镇|非农)",
        not_after=ANY_OK,
    ),
    _rule("hukou", r"(?:限|仅限|只招|只要)?本地人(?!才|口|员)(?:优先)?|外地人(?:勿扰|免谈|不要)"),
    _rule("hukou", r"籍贯", not_before=NEGATED, not_after=ANY_OK),
    _rule("hukou", r"(?:[\u4e00-\u9fff]{1,3})人(?:勿扰|免谈|谢绝|除外)"),
    # --- age: upper bounds below the retirement age; minimums below the legal working age
    _rule("age", r"(?P<n>\d{2})\s*周?岁\s*(?:以下|以内|之内|及以下|或以下|以下优先)"),
    _rule("age", r"(?:不超过|不大于|小于|低于|不满|未满|不得超过|不高于)\s*(?P<n>\d{2})\s*周?岁"),
    _rule("age", r"(?:年龄|年纪)[^，。；,;\n\d]{0,6}(?P<lo>\d{2})\s*(?:周?岁)?\s*[-~～—–至到]\s*(?P<n>\d{2})\s*周?岁"),
    _rule("age", r"(?<!\d)(?P<n>[6-9]0|[7-9]5|0[05])\s*后(?:优先)?(?!勤|期|续|端|台|来)"),
    _rule("age", r"(?:年满|满|年龄)\s*(?P<lo>\d{1,2})\s*周?岁(?:以上|及以上)?"),
    _rule("age", r"(?:年龄|年纪)(?:要求)?[:：\s]*(?:较轻|年轻|偏小|小)|年轻(?:女性|男性|人优先|优先)"),
    # --- looks and height
    _rule("appearance", r"身高", not_after=("不限", "体重不限")),
    _rule("appearance", r"体重", not_before=("身高",), not_after=("不限",)),
    _rule("appearance", r"相貌|容貌|长相|颜值|五官端正|形象(?:气质)?(?:好|佳|姣好)|气质佳|貌美"),
    # --- pathogen carriers and disability (就业促进法 arts. 29, 30)
    _rule("health", r"乙肝|澳抗|HBV|大三阳|小三阳|病原携带", not_after=("携带者可", "不限", "携带者均可")),
    _rule("health", r"(?:不招|不要|谢绝|拒收)\S{0,3}(?:残疾人|残疾|残障)|(?:残疾人|残疾|残障)(?:勿扰|免谈|除外)"),
    _rule("health", r"(?:无|没有)(?:任何)?(?:残疾|传染病史|病史)"),
    # --- religion (就业促进法 art. 3)
    _rule("religion", r"无宗教信仰|不信(?:仰)?(?:宗教|教)|(?:限|仅限|只招)\S{0,3}(?:教徒|信徒)"),
)


def _age_is_lawful(match: re.Match[str]) -> bool:
    """An age bound the law allows: an upper bound at or above the retirement age, a minimum of at least 16."""
    groups = match.groupdict()
    upper, lower = groups.get("n"), groups.get("lo")
    if upper is not None:
        value = int(upper)
        if match.group(0).rstrip("优先").endswith("后"):  # "90后": born in the nineties, an age band
            return False
        return value >= RETIREMENT_AGE
    if lower is not None:
        return int(lower) >= MIN_WORKING_AGE
    return False


def _harmless(rule: Rule, text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 6) : match.start()]
    after = text[match.end() : match.end() + 8]
    if any(before.endswith(word) for word in rule.not_before):
        return True
    if any(after.lstrip(" ：:，,").startswith(word) for word in rule.not_after):
        return True
    return rule.category == "age" and _age_is_lawful(match)


def detect(text: str) -> list[Finding]:
    """Every discriminatory wording found in the text, in order; overlapping findings are reported once."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if _harmless(rule, text, match):
                continue
            span = (match.start(), match.end())
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            findings.append(Finding(rule.category, match.group(0), *span))
    findings.sort(key=lambda f: f.start)
    return findings
