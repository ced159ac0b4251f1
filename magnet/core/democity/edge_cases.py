"""Edge cases of the policy book, one unnamed cast member each, present in every snapshot.

Each description says what a correct screening must conclude; `tests/test_policies.py` checks those
conclusions against a plain SQL reading of the policy book. Phones are 1390513 9xxx.
"""

from __future__ import annotations

from .cast import Member, Persona, person


def _p(
    key: str,
    name: str,
    gender: str,
    birth: str,
    address: str,
    sequence: str,
    phone_tail: str,
    description: str,
) -> Persona:
    return person(
        key, name, gender, birth, address, sequence, f"1390513{phone_tail}", description, description
    )


def members() -> list[Member]:
    e = "employee"
    return [
        Member(
            _p(
                "pt_master",
                "蒋文博",
                "M",
                "1999-05-06",
                "320612",
                "551",
                "9001",
                "Full-time bachelor 2021 and part-time master 2024-12: highest full-time degree stays "
                "bachelor (living subsidy 600, not 1,500).",
            ),
            False,
            "320612",
            degrees=(
                ("bachelor", True, "10304", "080901", "2021-06-27"),
                ("master", False, "10304", "080901", "2024-12-20"),
            ),
            spells=(("2021-07", None, e, "tonglian", "320613", 7000),),
        ),
        Member(
            _p(
                "pt_only",
                "陆雨婷",
                "F",
                "1996-09-30",
                "320682",
                "602",
                "9002",
                "Only a part-time bachelor's degree: no highest degree, no youth subsidies; a level-4 "
                "certificate earns nothing.",
            ),
            False,
            "320682",
            degrees=(("bachelor", False, "10304", "120203K", "2020-01-10"),),
            spells=(("2019-03", None, e, "jincheng", "320614", 5200),),
            certs=(("6-05-01-01", 4, "2024-09-12"),),
        ),
        Member(
            _p(
                "double_degree",
                "孙浩宇",
                "M",
                "2000-01-12",
                "340104",
                "779",
                "9003",
                "Two full-time bachelor's degrees the same day, one from a 双一流 school: living subsidy "
                "800.",
            ),
            False,
            "320613",
            degrees=(
                ("bachelor", True, "10304", "080901", "2022-06-30"),
                ("bachelor", True, "4132010286", "080902", "2022-06-30"),
            ),
            spells=(("2022-08", None, e, "tonglian", "320613", 8200),),
        ),
        Member(
            _p(
                "late_arrival",
                "吴俊杰",
                "M",
                "1994-03-03",
                "410105",
                "417",
                "9004",
                "Arrived 61 months after graduating (2016-06 to 2021-07): never eligible for the living "
                "subsidy.",
            ),
            False,
            "410105",
            degrees=(("bachelor", True, "10294", "081001", "2016-06-25"),),
            spells=(
                ("2019-01", "2021-06", e, "pujiang", "310115", 9000),
                ("2021-07", None, e, "haisheng", "320612", 9500),
            ),
        ),
        Member(
            _p(
                "arrival_on_limit",
                "朱梦瑶",
                "F",
                "1996-04-17",
                "320583",
                "386",
                "9005",
                "Arrived exactly 60 months after graduating (2018-06 to 2023-06): living subsidy 800 from "
                "2023-06 to 2026-05 (36 months), none in 2026-06.",
            ),
            False,
            "320583",
            degrees=(("bachelor", True, "10285", "050201", "2018-06-27"),),
            spells=(
                ("2019-01", "2023-05", e, "pujiang", "310115", 8000),
                ("2023-06", None, e, "tonglian", "320613", 8800),
            ),
        ),
        Member(
            _p(
                "turns_35",
                "徐振华",
                "M",
                "1991-06-01",
                "321012",
                "231",
                "9006",
                "Master 2023 at 32, turns 35 on 1 June 2026: living subsidy 1,500 up to 2026-05, none in "
                "2026-06.",
            ),
            False,
            "320612",
            degrees=(
                ("bachelor", True, "10299", "080202", "2013-06-28"),
                ("master", True, "10299", "080202", "2023-06-26"),
            ),
            spells=(
                ("2019-01", "2020-08", e, "haisheng", "320612", 7000),
                ("2023-07", None, e, "haisheng", "320612", 9000),
            ),
        ),
        Member(
            _p(
                "doctor_turns_40",
                "何凯",
                "M",
                "1986-08-15",
                "420111",
                "159",
                "9007",
                "Doctor turning 40 on 15 August 2026: living subsidy 3,000 for 2026-08 (39 on 1 August), "
                "none for 2026-09.",
            ),
            False,
            "320612",
            degrees=(
                ("bachelor", True, "10287", "082001", "2008-06-25"),
                ("master", True, "10287", "082001", "2011-06-25"),
                ("doctor", True, "10287", "082001", "2023-06-29"),
            ),
            spells=(("2023-09", None, e, "xinhai", "320612", 18000),),
        ),
        Member(
            _p(
                "rent_edges",
                "唐诗雨",
                "F",
                "1998-12-01",
                "320613",
                "442",
                "9008",
                "A shop in the city (2023-01) and a flat in 苏州 (2023-03) leave her rent subsidy; her "
                "first flat in the city, contracted 2024-05-31 for 2,380,000, ends it from 2024-05 and "
                "earns 50,000 (cap).",
            ),
            False,
            "320613",
            degrees=(("bachelor", True, "10298", "082803", "2021-06-26"),),
            spells=(("2021-07", None, e, "tonglian", "320613", 7800),),
            homes=(
                ("320613005002GB00311F00010103", "320613", "commercial", "2023-01-10", "980000.00", None),
                ("320505003001GB01022F00150602", "320505", "residential", "2023-03-18", "2150000.00", None),
                ("320613001004GB00076F00080901", "320613", "residential", "2024-05-31", "2380000.00", None),
            ),
        ),
        Member(
            _p(
                "home_before_2022",
                "曹宇航",
                "M",
                "1997-07-07",
                "320612",
                "615",
                "9009",
                "First flat in the city contracted 2021-11-20, before 2022: no purchase subsidy, nor for "
                "the second in 2023.",
            ),
            False,
            "320612",
            degrees=(("bachelor", True, "10304", "080202", "2019-06-24"),),
            spells=(("2019-07", None, e, "haisheng", "320612", 7000),),
            homes=(
                ("320612002008GB00190F00020301", "320612", "residential", "2021-11-20", "1050000.00", None),
                ("320612002009GB00205F00110702", "320612", "residential", "2023-05-06", "1480000.00", None),
            ),
        ),
        Member(
            _p(
                "same_day_homes",
                "沈佳琪",
                "F",
                "1999-09-19",
                "320681",
                "288",
                "9010",
                "Two flats contracted the same day (2024-09-12): the first home is the smaller property_id "
                "(...F00090202, 1,650,000), so the purchase subsidy is 41,250.",
            ),
            False,
            "320681",
            degrees=(("bachelor", True, "10304", "101101K", "2022-06-25"),),
            spells=(("2022-07", None, e, "clinic", "320613", 6800),),
            homes=(
                ("320613003002GB00107F00100101", "320613", "residential", "2024-09-12", "980000.00", None),
                ("320613003002GB00107F00090202", "320613", "residential", "2024-09-12", "1650000.00", None),
            ),
        ),
        Member(
            _p(
                "leap_graduate",
                "邱天成",
                "M",
                "1997-10-10",
                "320612",
                "739",
                "9011",
                "Graduated on 29 February 2020; the flat contracted 28 February 2025 is within five years: "
                "purchase subsidy 32,750.",
            ),
            False,
            "320612",
            degrees=(("bachelor", True, "12056", "080202", "2020-02-29"),),
            spells=(("2020-03", None, e, "haisheng", "320612", 6900),),
            homes=(
                ("320612006003GB00412F00050602", "320612", "residential", "2025-02-28", "1310000.00", None),
            ),
        ),
        Member(
            _p(
                "one_day_late",
                "葛雅琪",
                "F",
                "1997-02-14",
                "320685",
                "564",
                "9012",
                "Flat contracted 2024-06-29, one day past five years from graduating on 2019-06-28: no "
                "purchase subsidy.",
            ),
            False,
            "320685",
            degrees=(("bachelor", True, "10304", "120203K", "2019-06-28"),),
            spells=(("2019-07", None, e, "jincheng", "320614", 6600),),
            homes=(
                ("320685002001GB00233F00070201", "320685", "residential", "2024-06-29", "1200000.00", None),
            ),
        ),
        Member(
            _p(
                "five_of_twelve",
                "冯志强",
                "M",
                "1998-06-06",
                "320623",
                "853",
                "9013",
                "Employed in the city 5 of the 12 months up to his contract (2024-08-20): no purchase "
                "subsidy.",
            ),
            False,
            "320623",
            degrees=(("bachelor", True, "10289", "081901", "2021-06-25"),),
            spells=(
                ("2021-07", "2024-03", e, "pujiang", "310115", 8500),
                ("2024-04", None, e, "haisheng", "320612", 8200),
            ),
            homes=(
                ("320612007002GB00098F00020502", "320612", "residential", "2024-08-20", "1360000.00", None),
            ),
        ),
        Member(
            _p(
                "six_of_twelve",
                "袁婉清",
                "F",
                "1998-08-08",
                "320682",
                "468",
                "9014",
                "Employed in the city 6 of the 12 months up to her contract (2024-09-20): purchase subsidy "
                "36,111.11.",
            ),
            False,
            "320682",
            degrees=(("bachelor", True, "10304", "080901", "2021-06-25"),),
            spells=(
                ("2021-07", "2024-03", e, "pujiang", "310115", 8600),
                ("2024-04", None, e, "tonglian", "320613", 8400),
            ),
            homes=(
                ("320613004006GB00150F00120802", "320613", "residential", "2024-09-20", "1444444.44", None),
            ),
        ),
        Member(
            _p(
                "master_cap",
                "彭俊",
                "M",
                "1996-01-21",
                "320104",
                "377",
                "9015",
                "Master buying at 3,600,000: 2.5% is 90,000, capped at 80,000.",
            ),
            False,
            "320613",
            degrees=(
                ("bachelor", True, "10286", "080901", "2018-06-26"),
                ("master", True, "10286", "080901", "2021-06-28"),
            ),
            spells=(("2021-07", None, e, "tonglian", "320613", 12000),),
            homes=(
                ("320613001001GB00012F00010101", "320613", "residential", "2022-10-15", "3600000.00", None),
            ),
        ),
        Member(
            _p(
                "flexible_edges",
                "范晓雪",
                "F",
                "2002-03-03",
                "320682",
                "926",
                "9016",
                "Graduated 2024-06-20, flexible in 如皋市 from that month: subsidy 2024-06 to 2026-05 "
                "(G+23), none in 2025-02 (also an employee in 上海), 2025-05 (paid in 上海) or 2026-06 "
                "(G+24).",
            ),
            False,
            "320682",
            degrees=(("associate", True, "12684", "120801", "2024-06-20"),),
            spells=(
                ("2024-06", "2025-04", "flexible", None, "320682", 1.0),
                ("2025-02", "2025-02", e, "pujiang", "310115", 5500),
                ("2025-05", "2025-05", "flexible", None, "310115", 1.0),
                ("2025-06", "2026-06", "flexible", None, "320682", 1.0),
                ("2026-07", None, e, "haisheng", "320612", 6000),
            ),
        ),
        Member(
            _p(
                "skill_edges",
                "邓建国",
                "M",
                "1985-05-05",
                "320614",
                "117",
                "9017",
                "Level 2 while employed in 上海 (2023-06: nothing); levels 2 and 3 in one month (2025-03: "
                "3,000 once); level 1 in 2026-04: 5,000.",
            ),
            False,
            "320614",
            spells=(
                ("2019-01", "2023-12", e, "pujiang", "310115", 7500),
                ("2024-01", None, e, "haisheng", "320612", 7800),
            ),
            certs=(
                ("6-18-01-01", 2, "2023-06-15"),
                ("6-31-01-03", 2, "2025-03-10"),
                ("6-18-02-04", 3, "2025-03-22"),
                ("6-18-01-01", 1, "2026-04-08"),
            ),
        ),
        Member(
            _p(
                "startup_edges",
                "马晨",
                "M",
                "1999-12-12",
                "320613",
                "031",
                "9018",
                "Businesses registered before graduating (2022-03), deregistered within the month "
                "(2025-02), held as a shareholder (2025-06) or registered in 上海 (2025-09) earn nothing; "
                "the one registered 2025-04-08 and deregistered 2025-05-02 earns 10,000.",
            ),
            False,
            "320613",
            degrees=(("bachelor", True, "10304", "120801", "2022-06-26"),),
            spells=(("2022-07", None, e, "tonglian", "320613", 7000),),
            businesses=(
                ("shop_early", "legal_rep", "2022-03-01", "320613", None),
                ("startup_a", "legal_rep", "2025-02-10", "320613", "2025-02-27"),
                ("startup_b", "legal_rep", "2025-04-08", "320612", "2025-05-02"),
                ("startup_c", "shareholder", "2025-06-18", "320613", None),
                ("startup_sh", "legal_rep", "2025-09-09", "310115", None),
            ),
        ),
        Member(
            _p(
                "startup_limit",
                "蔡静",
                "F",
                "1998-03-30",
                "320685",
                "642",
                "9019",
                "Registered a business exactly five years after graduating (2020-06-24 to 2025-06-24): "
                "start-up subsidy 10,000.",
            ),
            False,
            "320682",
            degrees=(("bachelor", True, "10285", "120203K", "2020-06-24"),),
            spells=(("2020-07", None, e, "jincheng", "320614", 7200),),
            businesses=(("shop_limit", "legal_rep", "2025-06-24", "320682", None),),
        ),
    ]
