"""Demo data: monthly demand reports of the demo city's key enterprises, so the talent map shows demand.

Deterministic for a seed. Occupation codes are in the 职业分类大典 format and the post names are the
enterprises' own job titles; they are demo values, not quotations of the catalogue (which is not among
the reference data)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from magnet.apps.accounts.models import Enterprise
from magnet.apps.talentmap import services
from magnet.apps.talentmap.chains import shipped_seed
from magnet.apps.talentmap.models import DemandReport

# chain → (occupation code, post title, major code, degree, typical headcount) the demo draws from.
POSTS = {
    "shipbuilding_offshore": [
        ("2-02-07-01", "船舶设计工程师", "081901", "bachelor", 4),
        ("6-18-02-04", "船体装配工", "0819", "associate", 15),
        ("2-02-07-02", "轮机调试工程师", "081804K", "bachelor", 3),
        ("6-18-01-01", "电焊工", "080411T", "associate", 20),
        ("2-02-11-02", "船舶电气工程师", "080601", "bachelor", 4),
    ],
    "high_end_textile": [
        ("2-02-16-01", "纺织工艺工程师", "081601", "bachelor", 5),
        ("4-08-08-07", "家纺设计师", "130504", "bachelor", 6),
        ("6-04-02-01", "印染工艺员", "081701", "associate", 8),
        ("4-01-02-03", "跨境电商运营", "120803T", "bachelor", 4),
    ],
    "new_materials": [
        ("2-02-14-01", "材料研发工程师", "080401", "master", 4),
        ("2-02-13-01", "化工工艺工程师", "081301", "bachelor", 5),
        ("2-02-14-02", "复合材料工程师", "080408", "bachelor", 3),
        ("4-08-05-01", "分析检测员", "070302", "bachelor", 3),
    ],
    "ict": [
        ("2-02-10-03", "软件工程师", "080902", "bachelor", 10),
        ("2-02-10-03", "算法工程师", "080717T", "master", 4),
        ("2-02-10-01", "通信工程师", "080703", "bachelor", 5),
        ("2-02-10-06", "数据分析师", "080910T", "bachelor", 3),
        ("2-02-10-01", "嵌入式开发工程师", "080701", "bachelor", 4),
    ],
    "aerospace": [
        ("2-02-08-01", "飞行器结构工程师", "082002", "master", 3),
        ("2-02-07-03", "数控工艺工程师", "080202", "bachelor", 4),
        ("2-02-14-02", "复合材料工程师", "080408", "master", 2),
    ],
    "marine": [
        ("5-04-01-01", "海水养殖技术员", "090601", "associate", 6),
        ("2-03-05-01", "海洋资源调查员", "070701", "bachelor", 3),
        ("2-02-20-01", "船舶驾驶员", "081803K", "bachelor", 4),
        ("4-02-06-01", "港航物流专员", "120601", "bachelor", 5),
    ],
}
URGENCIES = ["normal", "normal", "urgent", "very_urgent"]


def _months_back(today: dt.date, n: int) -> list[dt.date]:
    index = today.year * 12 + today.month - 1
    return [dt.date((index - k) // 12, (index - k) % 12 + 1, 1) for k in range(n - 1, -1, -1)]


def demand_demo_seed(*, snapshot, seed: int = 1, months: int = 3, limit: int = 30) -> int:
    """File `months` monthly reports for up to `limit` key enterprises of the city's chains in the snapshot
    (creating their Enterprise rows); months already reported are left alone. Returns reports filed."""
    from magnet.apps.feeds.selectors import _query

    rows = _query(snapshot.id, "enterprises", "key_enterprise AND industry_chain IS NOT NULL AND "
                  "starts_with(adcode, '3206') ORDER BY uscc LIMIT ?", [limit])  # fmt: skip
    chains = {c.key for c in shipped_seed().chains}
    filed = 0
    for row in rows:
        if row["industry_chain"] not in chains:
            continue
        enterprise, _ = Enterprise.objects.get_or_create(uscc=row["uscc"], defaults={
            "name": row["name"], "industry_code": row["industry_code"] or "", "industry_chain": row["industry_chain"],
            "adcode": row["adcode"] or "", "key_enterprise": True, "feed_snapshot_id": snapshot.id})  # fmt: skip
        rng = random.Random(f"{seed}:{row['uscc']}")  # noqa: S311 (demo data, not security)
        posts = rng.sample(POSTS[row["industry_chain"]], k=min(3, len(POSTS[row["industry_chain"]])))
        for month in _months_back(timezone.localdate(), months):
            if DemandReport.objects.filter(enterprise=enterprise, month=month).exists():
                continue
            lines = [services.LineIn(code, title, major, degree, max(1, round(n * rng.uniform(0.5, 1.5))),
                                     rng.choice(URGENCIES)) for code, title, major, degree, n in posts]  # fmt: skip
            services.demand_report_file(enterprise=enterprise, month=month, lines=lines, actor=None,
                                        note="演示数据")  # fmt: skip
            filed += 1
    return filed
