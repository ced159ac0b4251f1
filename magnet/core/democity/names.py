"""Chinese names of people and of enterprises, composed from weighted word lists.

Surname weights follow the order of the national surname frequency ranking (王 李 张 ... each about
7% down to well under 0.5%), with the surnames common along the Jiangsu coast (陈 顾 陆 施 季 钱
曹 缪 ...) given a little extra weight, and a few compound surnames for the long tail.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# (surname, weight in per mille), roughly national frequency adjusted for Nantong.
SURNAMES = (
    ("王", 70),
    ("李", 66),
    ("张", 66),
    ("刘", 52),
    ("陈", 58),
    ("杨", 30),
    ("黄", 20),
    ("赵", 18),
    ("吴", 22),
    ("周", 20),
    ("徐", 22),
    ("孙", 14),
    ("马", 10),
    ("朱", 18),
    ("胡", 11),
    ("郭", 9),
    ("何", 8),
    ("高", 8),
    ("林", 8),
    ("罗", 6),
    ("郑", 6),
    ("梁", 5),
    ("谢", 5),
    ("宋", 5),
    ("唐", 5),
    ("许", 8),
    ("韩", 5),
    ("冯", 5),
    ("邓", 4),
    ("曹", 8),
    ("彭", 4),
    ("曾", 3),
    ("肖", 4),
    ("田", 4),
    ("董", 5),
    ("袁", 5),
    ("潘", 4),
    ("于", 4),
    ("蒋", 5),
    ("蔡", 5),
    ("余", 3),
    ("杜", 3),
    ("叶", 3),
    ("程", 3),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 5),
    ("任", 3),
    ("沈", 6),
    ("姚", 3),
    ("卢", 3),
    ("姜", 4),
    ("崔", 2),
    ("钟", 2),
    ("谭", 2),
    ("陆", 9),
    ("汪", 2),
    ("范", 3),
    ("金", 3),
    ("石", 2),
    ("廖", 2),
    ("贾", 2),
    ("夏", 3),
    ("韦", 1),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 1),
    ("薛", 2),
    ("闫", 1),
    ("段", 1),
    ("雷", 1),
    ("侯", 1),
    ("龙", 1),
    ("史", 2),
    ("陶", 2),
    ("黎", 1),
    ("贺", 1),
    ("顾", 9),
    ("毛", 1),
    ("郝", 1),
    ("龚", 1),
    ("邵", 2),
    ("万", 1),
    ("钱", 5),
    ("严", 2),
    ("施", 6),
    ("季", 5),
    ("缪", 3),
    ("葛", 2),
    ("瞿", 1),
    ("仇", 1),
    ("冒", 1),
    ("保", 1),
    ("欧阳", 1),
    ("司马", 0.3),
    ("诸葛", 0.2),
    ("上官", 0.2),
)

MALE_CHARS = (
    "伟强磊军洋勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建亮成峰振博文轩睿皓天泽昊诚哲逸航晨毅坤锋"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧颖琳倩晶洁莉萍红欣怡梦雨思涵馨悦诗雅琪若妍婉萱瑶璐蕾薇月琴露岚菲"
NEUTRAL_CHARS = "子一佳嘉晨欣宇安然心乐诗雨文清新春秋云宁海"


def _chars(text: str) -> pa.StringArray:
    return pa.array(list(text), pa.string())


def person_names(rng: np.random.Generator, male: np.ndarray) -> pa.StringArray:
    """One name per person: a weighted surname and a one- or two-character given name."""
    n = len(male)
    weights = np.array([w for _, w in SURNAMES], dtype=float)
    surname = pa.array([s for s, _ in SURNAMES], pa.string()).take(
        rng.choice(len(SURNAMES), size=n, p=weights / weights.sum())
    )
    pools = [_chars(FEMALE_CHARS), _chars(MALE_CHARS), _chars(NEUTRAL_CHARS)]

    def given_char() -> pa.Array:
        # 15% of characters come from the neutral pool, the rest from the gendered one.
        neutral = rng.random(n) < 0.15
        pool = np.where(neutral, 2, male.astype(np.int64))
        out = pa.chunked_array([pools[0].take(pa.array(rng.integers(0, len(pools[0]), n)))]).combine_chunks()
        for p in (1, 2):
            idx = rng.integers(0, len(pools[p]), n)
            out = pc.if_else(pa.array(pool == p), pools[p].take(pa.array(idx)), out)
        return out

    first, second = given_char(), given_char()
    # About one person in five has a one-character given name, fewer among the young.
    single = pa.array(rng.random(n) < 0.2)
    second = pc.if_else(single, pa.scalar("", pa.string()), second)
    return pc.binary_join_element_wise(surname, first, second, "")


# Enterprise name parts: place + brand (字号) + trade words + legal form.
BRANDS = tuple(
    "海晟 华鑫 恒泰 盛达 通远 润安 嘉宏 瑞博 新锦 辰中 天成 永信 宏图 远航 金港 江海 蓝海 东方 紫琅 濠河 "
    "狼山 启明 海韵 通达 鸿运 中天 锦绣 文峰 长江 星辰 凯瑞 正和 德源 华通 众诚 明阳 华强 广源 福瑞 "
    "联创 鼎信 宝丰 振华 新纪元 安泰 海润 通洋 银河 蓝天 海航 瀚海 泰和 旭日 腾飞 久和 百川 立信 "
    "科创 青橙 云帆 智联 数海 芯源 恒通 长青 万邦 和美 佳禾 融通 凯达 伟业 新潮 北斗 沃德 海纳".split()
)
LEGAL_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
