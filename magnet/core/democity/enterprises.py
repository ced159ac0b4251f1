"""The enterprises feed (法人库): employers with valid USCCs, Chinese names and industry codes.

About three employers per hundred persons. Industries lean toward the city's key chains
(shipbuilding and offshore, high-end textiles, new materials, ICT, aerospace, marine); public
bodies (USCC starting `1`) and social organisations (`5`) employ people too. A handful of codes
absent from the GB/T 4754-2017 catalogue are included on purpose: the platform must keep them and
warn, not reject.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa

from . import codes, dates, places
from .names import BRANDS, LEGAL_FORMS
from .reference import Reference

# (chain key or None, class-code prefixes, share of all employers, trade words for the name).
# Chains lean on the city's key industries; words follow the classes so that names and codes agree.
COMPANIES = (
    (
        "shipbuilding_offshore",
        ("C373",),
        0.12,
        ("船舶重工", "船舶工程", "海洋工程装备", "船舶配套", "船务工程"),
    ),
    ("high_end_textile", ("C17",), 0.08, ("纺织", "家纺", "丝绸", "印染", "纺织科技")),
    ("high_end_textile", ("C18",), 0.04, ("服饰", "服装", "针织服饰")),
    ("new_materials", ("C265",), 0.015, ("新材料", "合成材料")),
    ("new_materials", ("C282",), 0.015, ("化纤", "纤维科技")),
    ("new_materials", ("C3091", "C3240", "C3985"), 0.02, ("新材料科技", "复合材料", "碳纤维")),
    ("ict", ("I65",), 0.05, ("信息技术", "软件", "数字科技", "网络科技")),
    ("ict", ("C39",), 0.04, ("电子科技", "智能科技", "通信设备")),
    ("aerospace", ("C374",), 0.02, ("航空科技", "航天装备", "航空装备")),
    ("marine", ("A0411", "A0421", "C136"), 0.02, ("水产", "海洋渔业", "海洋生物")),
    ("marine", ("G552",), 0.02, ("港航物流", "海运")),
    (None, ("C13", "C14"), 0.04, ("食品",)),
    (None, ("C34", "C35"), 0.05, ("机械", "精密机械", "智能装备")),
    (None, ("C38",), 0.03, ("电气", "电器")),
    (None, ("C33",), 0.02, ("五金", "金属制品")),
    (None, ("C367",), 0.02, ("汽车零部件",)),
    (None, ("F51",), 0.07, ("商贸", "贸易", "医药")),
    (None, ("F52",), 0.07, ("超市", "百货", "建材")),
    (None, ("E47", "E48"), 0.05, ("建设工程", "市政工程")),
    (None, ("E49", "E50"), 0.02, ("建筑安装", "装饰工程")),
    (None, ("K70",), 0.03, ("房地产开发", "物业管理")),
    (None, ("L72",), 0.04, ("企业管理咨询", "人力资源", "广告")),
    (None, ("M74", "M75"), 0.04, ("检测技术", "工程设计", "环保科技")),
    (None, ("H61", "H62"), 0.03, ("酒店管理", "餐饮管理")),
    (None, ("G54", "G59"), 0.03, ("物流", "货运", "仓储")),
    (None, ("N77",), 0.01, ("环境工程", "园林绿化")),
    (None, ("R86", "R87"), 0.01, ("文化传媒",)),
    (None, ("O80", "O81"), 0.01, ("家政服务", "汽车维修")),
)
# Public bodies and social organisations: prefixes, share, USCC authority and kind, name words.
PUBLIC = {
    "school": (
        ("P8331", "P8334", "P8336", "P8321"),
        0.012,
        "1",
        "2",
        ("中学", "实验学校", "小学", "职业学校"),
    ),
    "hospital": (("Q8411", "Q8412", "Q8421"), 0.006, "1", "2", ("人民医院", "中医院", "社区卫生服务中心")),
    "agency": (("S9224", "S9225", "S9226"), 0.004, "1", "1", ("街道办事处", "镇人民政府")),
    "society": (("S9521", "S9522"), 0.004, "5", "1", ("商会", "行业协会")),
}
# Plausible classes missing from the 2017 catalogue (amendments add codes): warned about, kept.
UNKNOWN_CODES = {
    "C3738": "船舶智能装备",
    "C3986": "电子元件",
    "I6580": "数据科技",
    "M7521": "知识产权服务",
    "C3746": "无人机",
}


@dataclass
class Enterprises:
    uscc: np.ndarray  # (n, 18) ASCII
    name: pa.StringArray
    industry: pa.StringArray
    chain: pa.Array  # string, null when not on a key chain
    adcode: np.ndarray
    key: np.ndarray
    established: np.ndarray  # datetime64[D]
    weight: np.ndarray  # relative headcount, for drawing employers

    def __len__(self) -> int:
        return len(self.adcode)

    def table(self) -> pa.Table:
        return pa.table(
            {
                "uscc": codes.ascii_strings(self.uscc),
                "name": self.name,
                "industry_code": self.industry,
                "industry_chain": self.chain,
                "adcode": codes.ascii_strings(codes.digits(self.adcode, 6)),
                "key_enterprise": pa.array(self.key),
                "established": dates.date32(self.established),
            }
        )

    def concat(self, other: Enterprises) -> Enterprises:
        def join(a: np.ndarray | pa.Array, b: np.ndarray | pa.Array) -> np.ndarray | pa.Array:
            if isinstance(a, np.ndarray):
                return np.concatenate([a, b])
            return pa.concat_arrays([a, b.cast(a.type)])

        return Enterprises(
            **{f.name: join(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)}
        )


# (class codes, share, USCC authority, USCC kind, chain, name words, is a public body)
Category = tuple[list[str], float, str, str, str | None, tuple[str, ...], bool]


def _categories(ref: Reference) -> list[Category]:
    """(class codes, share, authority, kind, chain, name words, is public body) per category."""
    classes = ref.industry_classes
    out = []
    for chain, prefixes, share, words in COMPANIES:
        out.append(([c for c in classes if c.startswith(prefixes)], share, "9", "1", chain, words, False))
    for prefixes, share, authority, kind, words in PUBLIC.values():
        out.append(
            ([c for c in classes if c.startswith(prefixes)], share, authority, kind, None, words, True)
        )
    assert all(codes_ for codes_, *_ in out), "a category matches no class of the catalogue"
    return out


def _org_bodies(rng: np.random.Generator, established: np.ndarray) -> np.ndarray:
    """Organisation-code bodies: 8 digits before the 2016 reform, `MA` + 6 symbols after."""
    n = len(established)
    old = codes.digits(rng.integers(10_000_000, 99_999_999, n), 8)
    new = codes.USCC_ALPHABET[rng.integers(0, 31, (n, 8))]
    new[:, 0], new[:, 1] = ord("M"), ord("A")
    return np.where((established < np.datetime64("2016-01-01"))[:, None], old, new)


def unique_usccs(
    rng: np.random.Generator,
    authority: np.ndarray,
    kind: np.ndarray,
    adcode: np.ndarray,
    established: np.ndarray,
    reserved: np.ndarray | None = None,
) -> np.ndarray:
    """USCCs distinct from each other and from the `reserved` ones (an `(m, 18)` ASCII matrix)."""
    body = _org_bodies(rng, established)
    taken = np.empty((0, 18), np.uint8) if reserved is None else reserved
    for _ in range(100):
        uscc = codes.usccs(authority, kind, adcode, body)
        both = np.concatenate([taken, uscc])[:, :17].copy().view("S17").ravel()
        _, first = np.unique(both, return_index=True)
        dup = np.ones(len(both), dtype=bool)
        dup[first] = False
        dup = dup[len(taken) :]
        if not dup.any():
            return uscc
        body[dup] = _org_bodies(rng, established[dup])
    raise RuntimeError("could not draw unique USCCs")


def _names(
    rng: np.random.Generator,
    cat: np.ndarray,
    cats: list[Category],
    adcode: np.ndarray,
    ref: Reference,
    words_of: dict[int, tuple[str, ...]],
) -> list[str]:
    """Firm names (place + brand + trade + legal form) and public-body names, all distinct."""
    out: list[str] = []
    seen: set[str] = set()
    for i, (c, ad) in enumerate(zip(cat.tolist(), adcode.tolist(), strict=True)):
        words, public = words_of.get(i, cats[c][5]), cats[c][6]
        for attempt in range(50):
            r = rng.random(4)
            if public:
                county, towns = ref.divisions.names.get(ad, ""), places.TOWNS.get(ad, ("城东",))
                town = towns[int(r[0] * len(towns))]
                name = county + town + words[int(r[1] * len(words))]
                if attempt:  # 第二中学, 第三人民医院 ...
                    name = (
                        county + town + "第" + "二三四五六七八九"[attempt % 8] + words[int(r[1] * len(words))]
                    )
            else:
                place = "南通" if r[3] < 0.4 else "江苏" if r[3] > 0.88 else places.short_name(ad, ref)
                if ad // 100 != 3206:
                    place = places.short_name(ad, ref)
                brand = BRANDS[int(r[0] * len(BRANDS))]
                if attempt > 2:  # a longer brand when the short ones are taken
                    brand += BRANDS[int(r[2] * len(BRANDS))][0]
                name = (
                    place + brand + words[int(r[1] * len(words))] + LEGAL_FORMS[int(r[2] * len(LEGAL_FORMS))]
                )
            if name not in seen:
                break
        else:
            name = f"{name}（{i}）"
        seen.add(name)
        out.append(name)
    return out


def draw_enterprises(
    rng: np.random.Generator,
    n: int,
    as_of_end: np.datetime64,
    ref: Reference,
    reserved: np.ndarray | None = None,
) -> Enterprises:
    """`n` employers, about 90% of them in the city, with USCCs distinct from the `reserved` ones."""
    cats = _categories(ref)
    share = np.array([c[1] for c in cats])
    cat = rng.choice(len(cats), size=n, p=share / share.sum())
    pools = [np.array(c[0]) for c in cats]
    industry = np.array(
        [pools[c][int(u * len(pools[c]))] for c, u in zip(cat.tolist(), rng.random(n), strict=True)],
        dtype=object,
    )
    public = np.array([cats[c][6] for c in cat.tolist()], dtype=bool)
    in_city = public | (rng.random(n) < 0.9)
    adcode = np.where(in_city, places.city_counties(rng, n), places.outside_counties(rng, n, ref))
    # Founding years: most firms are young; public bodies are old.
    year = np.clip(
        dates.year_of(np.array([as_of_end]))[0] - np.floor(rng.exponential(9, n)).astype(np.int64), 1985, None
    )
    year = np.where(public, rng.integers(1950, 2006, n), year)
    established = np.minimum(
        dates.make_dates(year, rng.integers(1, 13, n), rng.integers(1, 29, n)),
        as_of_end - np.timedelta64(20, "D"),
    )
    chain_key = np.array([cats[c][4] for c in cat.tolist()], dtype=object)
    # Only firms in the city are on its chains, and not every one of them is listed.
    chain_key[~in_city | (rng.random(n) < 0.12)] = None
    on_chain = np.array([c is not None for c in chain_key.tolist()], dtype=bool)
    key = np.where(on_chain, rng.random(n) < 0.08, in_city & ~public & (rng.random(n) < 0.02))
    # The odd new industry code: always a few, whatever the size.
    unknown = np.flatnonzero(~public)[: len(UNKNOWN_CODES)]
    assert not set(UNKNOWN_CODES) & set(ref.industry_classes)
    industry[unknown] = list(UNKNOWN_CODES)[: len(unknown)]
    chain_key[unknown] = None
    words_of = {int(i): (w,) for i, w in zip(unknown, UNKNOWN_CODES.values(), strict=False)}
    authority = np.array([ord(cats[c][2]) for c in cat.tolist()], dtype=np.uint8)
    kind = np.array([ord(cats[c][3]) for c in cat.tolist()], dtype=np.uint8)
    # Larger firms register with the prefecture's bureau, so the code carries 320600.
    reg_ad = np.where(rng.random(n) < 0.25, adcode // 100 * 100, adcode)
    weight = np.minimum(1 + rng.pareto(1.1, n) * 3, 400) * np.where(key, 6, 1) * np.where(public, 4, 1)
    return Enterprises(
        uscc=unique_usccs(rng, authority, kind, reg_ad, established, reserved),
        name=pa.array(_names(rng, cat, cats, adcode, ref, words_of), pa.string()),
        industry=pa.array(industry.tolist(), pa.string()),
        chain=pa.array(chain_key.tolist(), pa.string()),
        adcode=adcode,
        key=key,
        established=established,
        weight=weight,
    )
