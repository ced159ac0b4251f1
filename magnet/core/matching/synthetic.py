"""Demo jobs and talents for benchmarks: Chinese postings and profiles drawn from the real catalogues.

Majors come from the MOE catalogue weighted by how many universities offer them; job titles from the
job directions 阳光高考 lists for each major, or from the trades written out below for the classes the
demo city's key chains hire (shipbuilding and offshore, high-end textiles, new materials, ICT,
aerospace, marine); places from the demo city's counties (`democity.places`). Deterministic by seed:
`jobs(n, seed)` and `talents(n, seed)` give the same values on every machine.

    uv run python -m magnet.core.matching.synthetic --jobs 2000 --talents 10000 --out DIR
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from magnet.core.democity.places import CITY_COUNTY_WEIGHTS, OUTSIDE

from .catalogue import DEFAULT_CSV
from .model import DEGREE_ZH, Job, Talent

PROFILES_CSV = DEFAULT_CSV.with_name("major_profiles_undergrad.csv")
TODAY = date(2026, 11, 1)

# Trades by class: titles, skills, duties. The rest of the catalogue uses its job directions.
TRADES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "0819": (
        ("船舶结构设计工程师", "船体建造工艺工程师", "海洋工程结构工程师", "船舶舾装设计师", "船舶轮机设计工程师"),
        ("AutoCAD", "TRIBON", "AVEVA Marine", "SolidWorks", "有限元分析", "ANSYS", "船级社规范", "水动力分析"),
        (
            "船体结构详细设计与生产设计",
            "船舶分段建造工艺编制",
            "海洋平台结构强度计算",
            "舾装件布置与送审图纸",
            "与船东、船检沟通技术问题",
        ),
    ),
    "0802": (
        ("机械设计工程师", "工艺工程师", "设备工程师", "结构工程师", "自动化设备调试工程师"),
        ("SolidWorks", "AutoCAD", "UG NX", "CATIA", "公差分析", "PLC", "精益生产", "CNC编程"),
        (
            "非标设备机械结构设计",
            "编制零部件加工工艺文件",
            "生产设备维护与改造",
            "产品结构设计与BOM管理",
            "现场装配调试与问题分析",
        ),
    ),
    "0806": (
        ("电气工程师", "电气设计工程师", "电力系统工程师", "电气自动化工程师"),
        ("PLC", "EPLAN", "电气原理图", "变频器", "高低压配电", "西门子S7", "MATLAB"),
        ("电气控制系统设计", "船舶电站与配电系统设计", "电气设备安装调试", "编写电气图纸与技术文件"),
    ),
    "0807": (
        ("电子工程师", "硬件工程师", "嵌入式工程师", "通信工程师", "射频工程师"),
        ("电路设计", "Altium Designer", "嵌入式C", "STM32", "示波器", "5G", "射频测试", "FPGA"),
        ("电子产品硬件电路设计", "嵌入式软件开发与调试", "通信设备测试与维护", "PCB设计与样机验证"),
    ),
    "0808": (
        ("自动化工程师", "控制工程师", "机器人应用工程师", "PLC工程师"),
        ("PLC", "工业机器人", "运动控制", "组态软件", "MATLAB", "西门子S7", "视觉检测"),
        ("自动化产线控制程序开发", "工业机器人编程与调试", "控制系统方案设计", "现场设备联调"),
    ),
    "0809": (
        (
            "Java开发工程师",
            "Python开发工程师",
            "前端开发工程师",
            "数据分析师",
            "算法工程师",
            "软件测试工程师",
            "运维工程师",
        ),
        ("Java", "Python", "Spring Boot", "MySQL", "Vue", "Linux", "机器学习", "大数据", "Docker", "SQL"),
        (
            "后端服务开发与接口设计",
            "前端页面开发与性能优化",
            "数据分析与报表",
            "机器学习模型训练与部署",
            "软件测试用例编写与执行",
            "服务器运维与监控",
        ),
    ),
    "0804": (
        ("材料研发工程师", "复合材料工艺工程师", "材料检测工程师", "碳纤维工艺工程师"),
        ("材料表征", "SEM", "XRD", "复合材料成型", "碳纤维", "高分子材料", "热处理", "力学性能测试"),
        ("新材料配方与工艺研发", "复合材料成型工艺优化", "材料性能检测与分析", "实验数据整理与专利撰写"),
    ),
    "0813": (
        ("化工工艺工程师", "研发工程师", "质检员", "安全环保工程师"),
        ("化工工艺", "Aspen Plus", "液相色谱", "GMP", "DCS操作", "安全生产"),
        ("化工生产工艺优化", "原料与成品质量检测", "新产品小试中试", "安全环保管理"),
    ),
    "0816": (
        ("纺织工艺工程师", "面料开发工程师", "印染工艺员", "纺织品检验员", "家纺设计师"),
        ("纺织工艺", "面料分析", "印染", "织造", "色彩搭配", "质量检验", "ERP"),
        ("纺织面料开发与打样", "织造与染整工艺管理", "家纺产品设计", "面料质量检验与客户跟单"),
    ),
    "0820": (
        ("飞行器结构设计工程师", "航空发动机工程师", "无人机研发工程师", "航空装配工艺工程师"),
        ("CATIA", "有限元分析", "ANSYS", "飞控", "无人机", "复合材料", "适航"),
        ("飞行器结构设计与强度校核", "无人机飞控系统开发", "航空零部件装配工艺编制", "试验数据分析"),
    ),
    "0906": (
        ("水产养殖技术员", "水产品质量检测员", "海洋渔业技术员"),
        ("水产养殖", "水质检测", "病害防治", "饲料配方", "育苗"),
        ("水产养殖技术指导", "水质与病害监测", "苗种繁育管理"),
    ),
    "0707": (
        ("海洋环境监测工程师", "海洋调查员"),
        ("海洋调查", "水文观测", "GIS", "数据处理"),
        ("海洋环境监测与调查", "海洋观测数据处理"),
    ),
    "0810": (
        ("土建工程师", "施工员", "结构设计师", "造价工程师"),
        ("AutoCAD", "广联达", "PKPM", "BIM", "施工管理"),
        ("施工现场技术管理", "建筑结构设计", "工程量计算与造价"),
    ),
    "1202": (
        ("会计", "销售代表", "人力资源专员", "市场专员", "财务分析师"),
        ("财务软件", "Excel", "用友", "税务申报", "招聘", "市场调研", "客户关系管理"),
        ("日常账务处理与报税", "客户开发与维护", "招聘与员工关系", "市场活动策划执行"),
    ),
    "1206": (
        ("物流专员", "供应链专员", "港口调度员", "仓储主管"),
        ("WMS", "供应链管理", "报关", "Excel", "港口调度"),
        ("物流计划与运输调度", "仓储管理与库存盘点", "报关报检与单证处理"),
    ),
    "1011": (("护士", "护理师"), ("护理", "急救", "静脉输液", "护理文书"), ("临床护理与病房管理", "患者健康教育")),
    "1305": (
        ("服装设计师", "平面设计师", "UI设计师", "产品设计师"),
        ("Photoshop", "Illustrator", "CorelDRAW", "服装制版", "Figma", "手绘"),
        ("服装款式设计与打版跟进", "品牌视觉设计", "界面与交互设计"),
    ),
}
# Classes each key chain hires (first listed most), and the share of postings on chains.
CHAIN_CLASSES = {
    "shipbuilding_offshore": ("0819", "0802", "0806", "0807", "0808", "1206"),
    "high_end_textile": ("0816", "1305", "0813", "1202"),
    "new_materials": ("0804", "0813", "0703", "0802"),
    "ict": ("0809", "0807", "0808", "1208"),
    "aerospace": ("0820", "0802", "0804", "0807"),
    "marine": ("0906", "0707", "1206", "0818"),
}
CHAIN_SHARE = {
    "shipbuilding_offshore": 0.14,
    "high_end_textile": 0.10,
    "new_materials": 0.06,
    "ict": 0.10,
    "aerospace": 0.04,
    "marine": 0.04,
}
GENERIC = ("公务员", "事业单位", "考研", "出国", "参军", "教师", "银行会计", "警察")
COMPANY_WORDS = ("重工", "科技", "股份", "集团", "新材料", "智能", "实业", "家纺", "船舶", "信息")
PERKS = ("五险一金", "双休", "包住宿", "年终奖", "带薪年假", "人才公寓", "餐补", "定期体检")
DEGREE_PAY = {"associate": 4500, "bachelor": 6000, "master": 8500, "doctor": 13000, None: 5000}


@dataclass(frozen=True)
class _Major:
    code: str
    full: str
    name: str
    class_code: str
    weight: float
    directions: tuple[str, ...]


def _majors() -> list[_Major]:
    weights, directions = {}, {}
    with open(PROFILES_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            weights[row["major_code"]] = float(row["n_offering_schools"] or 0)
            directions[row["major_code"]] = tuple(
                d for d in row["job_directions"].split(";") if d and not any(g in d for g in GENERIC)
            )
    out = []
    with open(DEFAULT_CSV, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["major_code"]
            out.append(
                _Major(
                    code,
                    row["major_code_full"],
                    row["major_name"],
                    row["class_code"],
                    max(weights.get(code, 0.0), 1.0),
                    directions.get(code, ()),
                )
            )
    return out


class Generator:
    """Draws jobs and talents; one instance per seed."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.majors = _majors()
        self.by_class: dict[str, list[_Major]] = {}
        for m in self.majors:
            self.by_class.setdefault(m.class_code, []).append(m)
        self.class_codes = sorted(self.by_class)
        self.class_weights = [sum(m.weight for m in self.by_class[c]) for c in self.class_codes]
        self.counties = [str(c) for c in CITY_COUNTY_WEIGHTS]
        self.county_weights = list(CITY_COUNTY_WEIGHTS.values())
        self.outside = [f"{p}00" for p in OUTSIDE]

    def _trade(self, rng: random.Random, cls: str, major: _Major):
        if cls in TRADES:
            return TRADES[cls]
        titles = major.directions or (f"{major.name}专员", f"{major.name}技术员")
        skills = (major.name, "Office", "沟通协调", "文档撰写")
        return titles, skills, (f"{major.name}相关业务工作", "项目资料整理与汇报")

    def _place(self, rng: random.Random) -> str:
        if rng.random() < 0.85:
            return rng.choices(self.counties, self.county_weights)[0]
        return rng.choice(self.outside)

    def job(self, rng: random.Random, number: int) -> Job:
        chain = None
        r, acc = rng.random(), 0.0
        for key, share in CHAIN_SHARE.items():
            acc += share
            if r < acc:
                chain = key
                break
        if chain:
            classes = CHAIN_CLASSES[chain]
            cls = rng.choices(classes, [len(classes) - i for i in range(len(classes))])[0]
        else:
            cls = rng.choices(self.class_codes, self.class_weights)[0]
        if cls not in self.by_class:
            cls = rng.choice(self.class_codes)
        major = rng.choices(self.by_class[cls], [m.weight for m in self.by_class[cls]])[0]
        titles, skills, duties = self._trade(rng, cls, major)
        title = rng.choice(titles)
        kind = rng.random()
        if kind < 0.35:
            majors = tuple(sorted({major.full, rng.choice(self.by_class[cls]).full}))
        elif kind < 0.65:
            majors = (cls,) if rng.random() < 0.7 else (cls, rng.choice(self.class_codes))
        elif kind < 0.75:
            majors = (cls[:2],)
        elif kind < 0.87:
            majors = ()
        else:
            majors = (major.full, cls)
        degree = rng.choices(["associate", "bachelor", "master", "doctor", None], [0.22, 0.55, 0.14, 0.02, 0.07])[0]
        base = DEGREE_PAY[degree] + 500 * rng.randint(-2, 8)
        picked = rng.sample(skills, min(len(skills), rng.randint(2, 4)))
        duty = "；".join(rng.sample(duties, min(len(duties), 2)))
        years = rng.choice(("应届毕业生可投", "1年以上相关经验", "3年以上相关经验", "经验不限"))
        perks = "、".join(rng.sample(PERKS, 3))
        description = (
            f"岗位职责：{duty}。任职要求：{major.name}等相关专业，{years}，熟悉{'、'.join(picked)}，"
            f"具备良好的沟通能力和团队合作精神。福利待遇：{perks}。"
        )
        return Job(
            id=f"J{self.seed}-{number:07d}",
            title=title,
            description=description,
            majors=majors,
            min_degree=degree,
            skills=tuple(picked),
            adcode=self._place(rng),
            pay_min=base,
            pay_max=base + 500 * rng.randint(2, 12),
            chain=chain,
            posted=TODAY - timedelta(days=min(120, int(rng.expovariate(1 / 20)))),
            key_chain=bool(chain) and rng.random() < 0.6,
        )

    def talent(self, rng: random.Random, number: int) -> Talent:
        cls = rng.choices(self.class_codes, self.class_weights)[0]
        major = rng.choices(self.by_class[cls], [m.weight for m in self.by_class[cls]])[0]
        _, skills, duties = self._trade(rng, cls, major)
        degree = rng.choices(["associate", "bachelor", "master", "doctor"], [0.25, 0.55, 0.17, 0.03])[0]
        picked = rng.sample(skills, min(len(skills), rng.randint(2, 5)))
        r = rng.random()
        if r < 0.6:
            wishes = tuple(sorted(set(rng.choices(self.counties, self.county_weights, k=rng.randint(1, 2)))))
        elif r < 0.8:
            wishes = ("320600",)
        elif r < 0.9:
            wishes = (rng.choice(self.outside),)
        else:
            wishes = ()
        chains = tuple(k for k, classes in CHAIN_CLASSES.items() if cls in classes and rng.random() < 0.5)
        about = (
            f"{major.name}专业{DEGREE_ZH[degree]}，熟悉{'、'.join(picked)}，希望从事{rng.choice(duties)}方向的工作。"
        )
        return Talent(
            id=f"T{self.seed}-{number:08d}",
            degree=degree,
            major_code=major.full,
            skills=tuple(picked),
            wish_adcodes=wishes,
            wish_pay=DEGREE_PAY[degree] + 500 * rng.randint(-1, 6) if rng.random() < 0.9 else None,
            wish_chains=chains,
            about=about,
        )


def jobs(n: int, seed: int = 1) -> Iterator[Job]:
    """`n` open jobs, the same for the same seed."""
    gen, rng = Generator(seed), random.Random(f"jobs-{seed}")
    for i in range(n):
        yield gen.job(rng, i)


def talents(n: int, seed: int = 1) -> Iterator[Talent]:
    """`n` talent profiles, the same for the same seed."""
    gen, rng = Generator(seed), random.Random(f"talents-{seed}")
    for i in range(n):
        yield gen.talent(rng, i)


def main(argv: list[str] | None = None) -> None:
    from .files import write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--talents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "jobs.jsonl", jobs(args.jobs, args.seed))
    write_jsonl(args.out / "talents.jsonl", talents(args.talents, args.seed))


if __name__ == "__main__":
    main()
