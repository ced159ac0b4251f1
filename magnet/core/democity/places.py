"""Where people work and firms sit outside the demo city, and short place names for firm names."""

from __future__ import annotations

import numpy as np

from .reference import Reference

# Population weights of the city's counties (崇川 is the urban core).
CITY_COUNTY_WEIGHTS = {
    320612: 0.15,
    320613: 0.22,
    320614: 0.12,
    320623: 0.11,
    320681: 0.11,
    320682: 0.16,
    320685: 0.13,
}
# Towns of each county, for the names of schools, hospitals and local offices.
TOWNS = {
    320613: ("濠河", "文峰", "钟秀", "唐闸", "天生港", "任港", "虹桥", "学田", "秦灶"),
    320612: ("平潮", "金沙", "兴仁", "石港", "刘桥", "三余"),
    320614: ("临江", "悦来", "海永", "三厂"),
    320681: ("汇龙", "南阳", "吕四", "北新"),
    320623: ("栟茶", "掘港", "岔河"),
    320682: ("丁堰", "白蒲", "林梓", "搬经", "石庄"),
    320685: ("李堡", "曲塘", "南莫", "墩头", "角斜"),
}
# Prefectures the city's people commute or move to, with weights, and the short name firms use.
OUTSIDE = {
    3101: ("上海", 0.35),
    3205: ("苏州", 0.2),
    3201: ("南京", 0.12),
    3202: ("无锡", 0.08),
    3301: ("杭州", 0.1),
    4403: ("深圳", 0.05),
    3212: ("泰州", 0.05),
    3209: ("盐城", 0.05),
}


def pick(rng: np.random.Generator, weights: dict[int, float], size: int) -> np.ndarray:
    """Draw keys of `weights` in proportion to their values."""
    keys = np.array(list(weights), dtype=np.int64)
    p = np.array(list(weights.values()), dtype=float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def city_counties(rng: np.random.Generator, size: int) -> np.ndarray:
    """County adcodes of the city, weighted by population."""
    return pick(rng, CITY_COUNTY_WEIGHTS, size)


def outside_counties(rng: np.random.Generator, size: int, ref: Reference) -> np.ndarray:
    """County adcodes outside the city where its people work, weighted by prefecture."""
    div = ref.divisions
    prefs = np.array(list(OUTSIDE), dtype=np.int64)
    p = np.array([w for _, w in OUTSIDE.values()])
    pref = prefs[rng.choice(len(prefs), size=size, p=p / p.sum())]
    members = div.counties[np.isin(div.prefecture4, prefs)]
    members = members[np.argsort(members // 100, kind="stable")]
    start = np.searchsorted(members // 100, pref, "left")
    count = np.searchsorted(members // 100, pref, "right") - start
    return members[start + (rng.random(size) * count).astype(np.int64)]


def short_name(adcode: int, ref: Reference) -> str:
    """Name a firm puts first: the county without its suffix in the city (如皋), else the prefecture."""
    if adcode // 100 == 3206:
        name = ref.divisions.names.get(adcode, "南通")
        return name[:-1] if len(name) > 2 else name
    return OUTSIDE.get(adcode // 100, ("江苏", 0))[0]
