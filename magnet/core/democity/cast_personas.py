"""The named personas: people demo staff sign in as, one per situation the platform must handle.

Their identities do not depend on the seed, so accounts and documentation stay valid when a
snapshot is regenerated; a few dates follow the as-of month (the doctor is 38 and arrived four months
ago, the flexible worker graduated last June), the rest are fixed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from . import dates
from .cast import Member, Persona, person

DEFAULT_AS_OF = "2026-10"


def _relative(as_of: int) -> dict[str, str]:
    """Dates of the personas that move with the as-of month."""
    year = as_of // 12
    start = dates.month_start(as_of)
    doctor_birth = dates.add_years(np.array([start - np.timedelta64(100, "D")]), -38)[0]
    arrival = as_of - 4
    grad = (year - 1) * 12 + 5  # last June
    return {
        "doctor_birth": str(doctor_birth),
        "doctor_bachelor": f"{dates.year_of(np.array([doctor_birth]))[0] + 22}-06-25",
        "doctor_master": f"{dates.year_of(np.array([doctor_birth]))[0] + 25}-06-26",
        "doctor_grad": f"{year - 4}-06-28",
        "doctor_postdoc": f"{year - 4}-07",
        "doctor_left": dates.month_label(arrival - 1),
        "doctor_arrival": dates.month_label(arrival),
        "flex_birth": f"{year - 22}-04-11",
        "flex_grad": f"{year - 1}-06-26",
        "flex_first": dates.month_label(grad + 1),
        "flex_twice": dates.month_label(grad + 6),
        "flex_employee": dates.month_label(grad + 9),
        "flex_until": dates.month_label(grad + 23),
    }


def members(as_of: int) -> list[Member]:
    r = _relative(as_of)
    return [
        Member(
            person(
                "bachelor_2021",
                "林晓雯",
                "F",
                "1999-03-14",
                "320602",
                "062",
                "13905130001",
                "2021 bachelor of 东南大学 (双一流), software engineer in 崇川区 since July 2021: living "
                "subsidy 800 and rent subsidy 500 a month from 2022-01 to 2024-12.",
                "2021年东南大学（双一流）本科毕业，2021年7月起在崇川区做软件工程师：2022-01至2024-12每月生活补贴800元、租房补贴500元。",
            ),
            True,
            "320613",
            degrees=(("bachelor", True, "10286", "080901", "2021-06-25"),),
            spells=(("2021-07", None, "employee", "tonglian", "320613", 8500),),
        ),
        Member(
            person(
                "doctor_38",
                "周启航",
                "M",
                r["doctor_birth"],
                "330106",
                "135",
                "13905130002",
                f"Doctor aged 38 (materials, 浙江大学, {r['doctor_grad'][:7]}), worked in 苏州, arrived in "
                f"通州区 in {r['doctor_arrival']}: living subsidy 3,000 and rent subsidy 1,200 a month "
                "since.",
                f"38岁博士（浙江大学材料专业，{r['doctor_grad'][:7]}毕业），曾在苏州工作，{r['doctor_arrival']}来通州区：此后每月生活补贴3000元、租房补贴1200元。",
            ),
            True,
            "330106",
            degrees=(
                ("bachelor", True, "10291", "080401", r["doctor_bachelor"]),
                ("master", True, "10335", "080401", r["doctor_master"]),
                ("doctor", True, "10335", "080401", r["doctor_grad"]),
            ),
            spells=(
                (r["doctor_postdoc"], r["doctor_left"], "employee", "hengtai", "320505", 15000),
                (r["doctor_arrival"], None, "employee", "xinhai", "320612", 22000),
            ),
        ),
        Member(
            person(
                "master_renting",
                "陈思远",
                "F",
                "1997-08-09",
                "341302",
                "248",
                "13905130003",
                "Master of textile engineering (苏州大学, 2022) renting in 海门区: living subsidy 1,500 and "
                "rent subsidy 800 a month from 2022-08 to 2025-07.",
                "2022年苏州大学纺织工程硕士，在海门区租房：2022-08至2025-07每月生活补贴1500元、租房补贴800元。",
            ),
            True,
            "320614",
            degrees=(
                ("bachelor", True, "10304", "081601", "2019-06-26"),
                ("master", True, "10285", "081601", "2022-06-28"),
            ),
            spells=(("2022-08", None, "employee", "jincheng", "320614", 9800),),
        ),
        Member(
            person(
                "home_buyer",
                "张浩然",
                "M",
                "1998-01-19",
                "320684",
                "317",
                "13905130004",
                "Naval architecture bachelor (江苏科技大学, 2020) at a 通州区 shipyard; first flat bought "
                "on 2023-09-16 for 1,386,000: purchase subsidy 34,650 in 2023-09.",
                "2020年江苏科技大学船舶与海洋工程本科，在通州区船厂工作；2023-09-16以138.6万元购首套房：2023-09购房补贴34650元。",
            ),
            True,
            "320614",
            degrees=(("bachelor", True, "10289", "081901", "2020-06-28"),),
            spells=(("2020-07", None, "employee", "haisheng", "320612", 7200),),
            homes=(
                ("320612004011GB00218F00060802", "320612", "residential", "2023-09-16", "1386000.00", None),
            ),
        ),
        Member(
            person(
                "home_seller",
                "顾佳怡",
                "F",
                "1999-11-02",
                "320611",
                "184",
                "13905130005",
                "Bachelor (南京理工大学, 2021) who bought a flat in 崇川区 on 2022-03-05 for 1,234,567.40 "
                "(purchase subsidy 30,864.19, half up) and sold it on 2024-06-30: rent subsidy again from "
                "2024-06.",
                "2021年南京理工大学本科，2022-03-05以1234567.40元在崇川区购房（购房补贴30864.19元，四舍五入），2024-06-30售出：2024-06起重新享受租房补贴。",
            ),
            True,
            "320613",
            degrees=(("bachelor", True, "10288", "080202", "2021-06-24"),),
            spells=(("2021-07", None, "employee", "haisheng", "320612", 7600),),
            homes=(
                (
                    "320613002007GB00431F00120501",
                    "320613",
                    "residential",
                    "2022-03-05",
                    "1234567.40",
                    "2024-06-30",
                ),
            ),
        ),
        Member(
            person(
                "flexible_graduate",
                "王子涵",
                "M",
                r["flex_birth"],
                "320623",
                "453",
                "13905130006",
                f"Logistics associate graduate ({r['flex_grad'][:7]}) working flexibly in 如东县: flexible "
                f"insurance subsidy (12% of the base) monthly from {r['flex_first']} (eligible up to "
                f"{r['flex_until']}), except "
                f"{r['flex_employee']} (also an employee in 上海); {r['flex_twice']} paid twice, the larger "
                "base counts.",
                f"{r['flex_grad'][:7]}专科毕业（物流管理），在如东县灵活就业：{r['flex_first']}起（最长至{r['flex_until']}）每月按缴费基数12%享受灵活就业社保补贴，{r['flex_employee']}因在上海有职工参保记录除外；{r['flex_twice']}缴费两笔，按较高基数计。",
            ),
            True,
            "320623",
            degrees=(("associate", True, "12703", "120601", r["flex_grad"]),),
            spells=(
                (r["flex_first"], None, "flexible", None, "320623", 1.0),
                (r["flex_twice"], r["flex_twice"], "flexible", None, "320623", 1.25),
                (r["flex_employee"], r["flex_employee"], "employee", "pujiang", "310115", 6000),
            ),
        ),
        Member(
            person(
                "skilled_worker",
                "施建军",
                "M",
                "1988-07-23",
                "320682",
                "271",
                "13905130007",
                "Welder without a degree at a 通州区 shipyard: level-2 (技师) certificate on 2025-05-18, "
                "skill subsidy 3,000 in 2025-05 (1,500 for level 3 in 2020-11).",
                "无学历焊工，在通州区船厂工作：2025-05-18取得技师（二级）证书，2025-05技能人才补贴3000元（2020-11高级工1500元）。",
            ),
            True,
            "320682",
            spells=(("2019-01", None, "employee", "haisheng", "320612", 6800),),
            certs=(
                ("6-18-02-04", 4, "2016-05-20"),
                ("6-18-02-04", 3, "2020-11-12"),
                ("6-18-02-04", 2, "2025-05-18"),
            ),
        ),
        Member(
            person(
                "graduate_founder",
                "李沐阳",
                "M",
                "2000-02-15",
                "320681",
                "095",
                "13905130008",
                "Software bachelor (南京邮电大学, 2022) who founded 南通青橙数字科技有限公司 on 2024-03-18 "
                "as its legal representative (and a tea shop the same month): one start-up subsidy of "
                "10,000 in 2024-03.",
                "2022年南京邮电大学软件工程本科，2024-03-18创办南通青橙数字科技有限公司任法定代表人（同月另开一家茶饮店）：2024-03一次性创业补贴10000元（仅一笔）。",
            ),
            True,
            "320613",
            degrees=(("bachelor", True, "10293", "080902", "2022-06-24"),),
            spells=(
                ("2022-07", "2024-02", "employee", "tonglian", "320613", 8000),
                ("2024-04", None, "employee", "qingcheng", "320613", 9000),
            ),
            businesses=(
                ("qingcheng", "legal_rep", "2024-03-18", "320613", None),
                ("tea_shop", "legal_rep", "2024-03-25", "320613", "2025-01-10"),
            ),
        ),
        Member(
            person(
                "enterprise_founder",
                "钱国栋",
                "M",
                "1976-10-08",
                "320625",
                "013",
                "13905130009",
                "Founder and legal representative since 2008 of 南通海晟船舶重工有限公司, a key "
                "shipbuilding enterprise, and shareholder of a textile firm; past the age limits of the "
                "youth policies.",
                "2008年起任重点船舶企业南通海晟船舶重工有限公司创始人、法定代表人，并持股一家家纺企业；已超出青年人才政策年龄。",
            ),
            True,
            "320614",
            degrees=(("bachelor", True, "10289", "081901", "1998-07-01"),),
            spells=(("2019-01", None, "employee", "haisheng", "320612", 30000),),
            businesses=(
                ("haisheng", "legal_rep", "2008-05-12", "320612", None),
                ("jincheng", "shareholder", "2016-03-08", "320614", None),
            ),
        ),
        Member(
            person(
                "leap_day",
                "季欣然",
                "F",
                "1988-02-29",
                "320621",
                "326",
                "13905130010",
                "Born on 29 February 1988, so 35 only on 1 March 2023: her flat contracted on 28 February "
                "2023 (1,120,000) earns the purchase subsidy of 28,000; her living subsidy ends with "
                "2023-02.",
                "1988年2月29日出生，2023年3月1日才满35岁：2023-02-28以112万元签约购房，享受购房补贴28000元；生活补贴至2023-02止。",
            ),
            True,
            "320685",
            degrees=(("bachelor", True, "11117", "120203K", "2018-06-28"),),
            spells=(("2018-07", None, "employee", "jincheng", "320614", 6500),),
            homes=(
                ("320685001003GB00057F00030401", "320685", "residential", "2023-02-28", "1120000.00", None),
            ),
        ),
        Member(
            person(
                "no_phone",
                "缪桂英",
                "F",
                "1972-12-05",
                "320624",
                "208",
                None,
                "No phone on record (no sign-in code can be sent); flexible worker in 通州区 until she "
                "retired at 50 at the end of 2022.",
                "无手机号（无法发送登录验证码）；在通州区灵活就业，2022年底50岁退休。",
            ),
            True,
            "320612",
            spells=(("2019-01", "2022-11", "flexible", None, "320612", 1.0),),
        ),
    ]


def personas(seed: int | None = None, *, as_of: str = DEFAULT_AS_OF) -> list[Persona]:
    """The named cast included in every snapshot generated for `as_of`.

    `seed` is accepted for symmetry with `generate` and has no effect: the cast is the same in every
    snapshot, so sign-in accounts made for it stay valid when the city is regenerated.
    """
    del seed
    return [m.persona for m in members(dates.parse_month(as_of))]


def persona_json(p: Persona) -> dict[str, str | None]:
    return {
        "key": p.key,
        "id_number": p.id_number,
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth_date.isoformat(),
        "phone": p.phone,
        "description": p.description,
        "description_zh": p.description_zh,
    }


__all__ = ["DEFAULT_AS_OF", "Persona", "dt", "members", "persona_json", "personas"]
