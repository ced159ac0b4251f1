"""The breakdown of a score in words, Chinese and English, one `Part` per part of the score."""

from __future__ import annotations

from .catalogue import Catalogue
from .model import DEGREE_ZH, DEGREES, Part

CHAIN_NAMES = {
    "shipbuilding_offshore": ("船舶海工", "shipbuilding and offshore"),
    "high_end_textile": ("高端纺织", "high-end textiles"),
    "new_materials": ("新材料", "new materials"),
    "ict": ("新一代信息技术", "information and communication technology"),
    "aerospace": ("航空航天", "aerospace"),
    "marine": ("海洋经济", "marine economy"),
}


def chain_name(chain: str) -> tuple[str, str]:
    return CHAIN_NAMES.get(chain, (chain, chain))


def major_part(cat: Catalogue, level: int, points: float, talent_code: str | None, job_codes: tuple[str, ...]) -> Part:
    if level == 4 and talent_code:
        name = cat.name(talent_code)
        return Part("major", points, f"专业对口（{name}）", f"same major ({name})")
    if level == 3 and talent_code:
        code = talent_code[:4]
        return Part("major", points, f"专业同类（{cat.name(code)}）", f"same major class ({cat.name_en(code)})")
    if level == 2 and talent_code:
        code = talent_code[:2]
        return Part("major", points, f"同一学科门类（{cat.name(code)}）", f"same discipline ({cat.name_en(code)})")
    if level == 1:
        return Part("major", points, "专业不限", "open to any major")
    asked_zh = "、".join(cat.name(c) for c in job_codes[:3])
    asked_en = ", ".join(cat.name_en(c) for c in job_codes[:3])
    if not talent_code:
        return Part("major", points, f"未填写专业（岗位要求：{asked_zh}）", f"no major given (job asks: {asked_en})")
    return Part("major", points, f"专业不在要求之列（要求：{asked_zh}）", f"major not among those asked ({asked_en})")


def degree_part(level: int, points: float, talent_level: int, job_level: int) -> Part:
    asked = DEGREES[job_level - 1] if job_level else ""
    if level == 0:
        return Part("degree", points, "学历不限", "any degree")
    if level == 1:
        return Part("degree", points, f"学历符合（{DEGREE_ZH[asked]}）", f"degree as asked ({asked})")
    if level in (2, 3):
        held = DEGREES[talent_level - 1]
        return Part(
            "degree",
            points,
            f"学历高于要求（要求{DEGREE_ZH[asked]}，具有{DEGREE_ZH[held]}）",
            f"degree above the one asked ({held}, asked {asked})",
        )
    return Part("degree", points, f"学历低于要求（要求{DEGREE_ZH[asked]}）", f"below the degree asked ({asked})")


def place_part(level: int, points: float, job_adcode: str | None) -> Part:
    place = job_adcode or ""
    words = {
        3: (f"工作地在意向地区（{place}）", f"in a wished place ({place})"),
        2: (f"工作地与意向地区同城（{place}）", f"same city as a wished place ({place})"),
        1: (f"工作地与意向地区同省（{place}）", f"same province as a wished place ({place})"),
        0: (f"工作地不在意向地区（{place}）", f"outside the wished places ({place})"),
        4: (f"未限定工作地（{place}）", f"no place wished ({place})"),
        5: ("岗位未注明工作地", "job gives no place"),
    }
    zh, en = words[level]
    return Part("place", points, zh, en)


def pay_part(level: int, points: float, wish: int | None, pay_min: int | None, pay_max: int | None) -> Part:
    pay = "–".join(str(p) for p in (pay_min, pay_max) if p is not None)
    words = {
        3: (f"薪酬满足期望（{pay}元/月，期望{wish}元）", f"pay meets the wish ({pay} yuan a month, wish {wish})"),
        2: (f"薪酬上限达到期望（{pay}元/月，期望{wish}元）", f"top of the pay reaches the wish ({pay}, wish {wish})"),
        1: (f"薪酬低于期望（{pay}元/月，期望{wish}元）", f"pay below the wish ({pay}, wish {wish})"),
        0: ("薪酬或期望未注明", "pay or wish not given"),
    }
    zh, en = words[level]
    return Part("pay", points, zh, en)


def text_part(points: float, shared: list[str]) -> Part:
    if not shared:
        return Part("text", points, "技能与岗位描述无共同关键词", "no skill or word in common with the posting")
    zh, en = "、".join(shared), ", ".join(shared)
    return Part("text", points, f"技能与岗位描述相关（{zh}）", f"skills and description match ({en})")


def recency_part(points: float, days: int) -> Part:
    if days < 0:
        return Part("recency", points, "发布日期未知", "posting date unknown")
    return Part("recency", points, f"{days}天前发布", f"posted {days} days ago")


def chain_part(level: int, points: float, chain: str | None) -> Part:
    zh, en = chain_name(chain) if chain else ("", "")
    words = {
        0: ("非重点产业链岗位", "not on a key chain") if not chain else (f"产业链：{zh}", f"chain: {en}"),
        1: (f"重点产业链岗位（{zh}）", f"on a key chain ({en})"),
        2: (f"意向产业链（{zh}）", f"a wished chain ({en})"),
        3: (f"重点产业链且为意向产业链（{zh}）", f"on a key chain the talent wishes ({en})"),
    }
    zh_text, en_text = words[level]
    return Part("chain", points, zh_text, en_text)
