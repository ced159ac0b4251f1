"""Demo postings for `make demo`: realistic published jobs of the demo city's key enterprises, and job
profiles for the demo talents, so recommendations and matched candidates show something at once.

Called by `democity.services.demo_build`; safe to run again (earlier demo postings without applications
are replaced, profiles updated).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from magnet.apps.accounts.models import Enterprise, IdentityStatus, Role, User
from magnet.apps.matching.models import Job, TalentProfile


@dataclass(frozen=True)
class Template:
    title: str
    majors: tuple[str, ...]
    degree: str
    skills: tuple[str, ...]
    pay: tuple[int, int]
    duties: str


# By industry chain (None: any employer). Major codes are the 2026 MOE catalogue's.
TEMPLATES: dict[str | None, tuple[Template, ...]] = {
    "ict": (
        Template(
            "Java后端开发工程师",
            ("0809",),
            "bachelor",
            ("Java", "Spring Boot", "MySQL"),
            (9000, 16000),
            "负责政务与企业信息系统的后端设计与开发，编写接口文档和单元测试，参与性能优化。",
        ),
        Template(
            "嵌入式软件工程师",
            ("0807", "080901"),
            "bachelor",
            ("C语言", "嵌入式Linux", "单片机"),
            (8000, 14000),
            "负责通信设备与智能终端的嵌入式软件开发、驱动调试和现场问题分析。",
        ),
        Template(
            "数据分析师",
            ("080910T", "0712"),
            "bachelor",
            ("Python", "SQL", "数据分析"),
            (8000, 13000),
            "搭建业务指标体系，完成数据清洗、报表和专题分析，为产品和运营决策提供依据。",
        ),
        Template(
            "前端开发工程师",
            ("0809",),
            "associate",
            ("JavaScript", "Vue", "HTML/CSS"),
            (7000, 12000),
            "负责网页与移动端界面开发，与设计和后端协作，保证页面的可用性和无障碍。",
        ),
        Template(
            "网络运维工程师",
            ("080903", "080703"),
            "associate",
            ("Linux", "网络安全", "运维"),
            (6000, 9000),
            "负责机房与云上网络、服务器的日常运维、监控告警和安全加固。",
        ),
        Template(
            "算法工程师",
            ("0809", "0701"),
            "master",
            ("Python", "机器学习", "深度学习"),
            (15000, 25000),
            "研究并落地视觉检测与预测模型，负责数据标注规范、模型训练评估与部署。",
        ),
    ),
    "shipbuilding_offshore": (
        Template(
            "船舶结构设计工程师",
            ("081901",),
            "bachelor",
            ("CAD", "结构设计", "船舶"),
            (8000, 13000),
            "负责散货船、海工平台的结构详细设计与生产设计出图，配合船级社审图。",
        ),
        Template(
            "轮机工程师",
            ("081804K", "0802"),
            "bachelor",
            ("轮机", "设备调试", "设备维护"),
            (7500, 12000),
            "负责主辅机系统的安装调试、系泊与航行试验，编写调试报告。",
        ),
        Template(
            "焊接工艺技术员",
            ("0802",),
            "associate",
            ("焊接", "焊接工艺评定", "识图"),
            (6000, 9000),
            "编制焊接工艺文件，指导现场焊接作业，参与焊接质量检验与工艺评定。",
        ),
        Template(
            "海洋工程项目经理",
            ("0819",),
            "master",
            ("项目管理", "海工装备", "英语"),
            (15000, 22000),
            "统筹海工装备项目的进度、成本和质量，对接船东与船级社，组织项目评审。",
        ),
        Template(
            "舾装设计工程师",
            ("0802", "081901"),
            "bachelor",
            ("舾装", "CAD", "三维建模"),
            (7000, 11000),
            "负责船舶舾装系统的布置设计和生产设计，解决现场施工技术问题。",
        ),
    ),
    "high_end_textile": (
        Template(
            "纺织工艺工程师",
            ("081601",),
            "bachelor",
            ("纺织工艺", "面料开发", "质量控制"),
            (6500, 10000),
            "负责新面料的工艺设计与试样，优化织造参数，提升产品一次合格率。",
        ),
        Template(
            "家纺产品设计师",
            ("1305",),
            "bachelor",
            ("图案设计", "Photoshop", "家纺"),
            (6000, 10000),
            "根据流行趋势开发床品、窗帘等家纺系列产品，完成花型设计与打样跟进。",
        ),
        Template(
            "印染技术员",
            ("0813",),
            "associate",
            ("染整", "化验", "配色"),
            (5500, 8000),
            "负责印染工序的配方打样、色差控制和化验记录。",
        ),
        Template(
            "跨境电商运营",
            ("1208",),
            "associate",
            ("跨境电商", "英语", "店铺运营"),
            (6000, 10000),
            "负责海外平台店铺的商品上架、广告投放和数据复盘，拓展海外客户。",
        ),
    ),
    "new_materials": (
        Template(
            "材料研发工程师",
            ("0804",),
            "master",
            ("高分子材料", "实验设计", "表征测试"),
            (10000, 16000),
            "开展碳纤维复合材料与功能材料的配方研究、性能测试和中试放大。",
        ),
        Template(
            "质量检测工程师",
            ("0804", "0703"),
            "bachelor",
            ("质量管理", "检测分析", "ISO9001"),
            (6500, 9500),
            "负责原材料与成品的理化检测，维护质量体系，处理客户质量反馈。",
        ),
        Template(
            "化工工艺工程师",
            ("081301",),
            "bachelor",
            ("工艺优化", "安全生产", "DCS"),
            (7000, 11000),
            "负责生产装置的工艺管理、技术改造与安全环保措施落实。",
        ),
    ),
    "aerospace": (
        Template(
            "飞行器结构工程师",
            ("0820",),
            "master",
            ("有限元分析", "CATIA", "结构强度"),
            (12000, 20000),
            "负责航空部件的结构设计与强度校核，参与试验方案制定和数据分析。",
        ),
        Template(
            "航空装配技师",
            ("0802",),
            "associate",
            ("装配", "识图", "质量检验"),
            (6000, 9000),
            "按工艺文件完成航空零部件装配与检验，记录装配数据。",
        ),
    ),
    "marine": (
        Template(
            "水产养殖技术员",
            ("090601",),
            "associate",
            ("水产养殖", "水质管理", "病害防治"),
            (5000, 7500),
            "负责养殖池塘与工厂化车间的日常管理、投喂方案与病害防控。",
        ),
        Template(
            "港口物流调度员",
            ("1206",),
            "bachelor",
            ("物流调度", "ERP", "沟通协调"),
            (6000, 9000),
            "负责集装箱与散货的作业计划、车船调度和单证管理。",
        ),
        Template(
            "海洋生物研发助理",
            ("0710", "0707"),
            "master",
            ("分子生物学", "实验", "数据分析"),
            (9000, 14000),
            "参与海洋生物活性物质的提取、纯化和功效评价实验。",
        ),
    ),
    None: (
        Template(
            "会计",
            ("120203K",),
            "bachelor",
            ("会计", "财务软件", "税务"),
            (6000, 9000),
            "负责日常账务处理、纳税申报与月度报表编制，配合年度审计。",
        ),
        Template(
            "人力资源专员",
            ("120206",),
            "bachelor",
            ("招聘", "薪酬核算", "员工关系"),
            (5500, 8000),
            "负责招聘渠道维护、面试安排、社保公积金办理和员工档案管理。",
        ),
        Template(
            "机械设计工程师",
            ("0802",),
            "bachelor",
            ("SolidWorks", "CAD", "机械设计"),
            (7000, 12000),
            "负责非标设备与工装夹具的设计、出图和装配调试。",
        ),
        Template(
            "电气工程师",
            ("0806",),
            "bachelor",
            ("PLC", "电气设计", "调试"),
            (7500, 12000),
            "负责产线电气控制系统设计、PLC编程与现场调试。",
        ),
        Template(
            "销售代表",
            (),
            "associate",
            ("沟通", "客户开发", "商务谈判"),
            (5000, 12000),
            "负责区域客户开发与维护，完成销售目标，收集市场信息。",
        ),
    ),
}

WELCOME = "欢迎应届毕业生，五险一金，带薪年休假，提供人才公寓或住房补贴，可协助申请本市人才政策。"

# Skills a demo talent lists, by the class of their major.
SKILLS_BY_CLASS = {
    "0809": ["Python", "Java", "SQL"], "0807": ["C语言", "单片机"], "0819": ["CAD", "结构设计", "船舶"],
    "0802": ["CAD", "SolidWorks"], "0816": ["纺织工艺", "面料开发"], "0804": ["高分子材料", "实验设计"],
    "1202": ["财务软件", "办公软件"], "0712": ["Python", "数据分析"],
}  # fmt: skip


def _enterprises(city: str, limit: int) -> list[Enterprise]:
    """The city's key enterprises in the latest snapshot (the first ones have HR accounts), as records."""
    from magnet.apps.feeds.selectors import key_enterprises_in_city, snapshot_latest

    latest = snapshot_latest()
    rows = key_enterprises_in_city(latest.id, city=city, limit=limit) if latest else []
    out = []
    for row in rows:
        enterprise, _ = Enterprise.objects.get_or_create(uscc=row["uscc"], defaults={
            "name": row["name"], "industry_code": row["industry_code"] or "",
            "industry_chain": row["industry_chain"] or "", "adcode": row["adcode"] or "",
            "key_enterprise": True, "feed_snapshot_id": latest.id,
        })  # fmt: skip
        out.append(enterprise)
    return out


def seed_demo(n_jobs: int = 200, *, seed: int = 1, city: str = "3206") -> int:
    """Publish `n_jobs` demo postings across the city's key enterprises; returns how many were created."""
    rng = random.Random(seed)
    enterprises = _enterprises(city, limit=40)
    if not enterprises:
        return 0
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        Job.objects.filter(created_by__isnull=True, applications__isnull=True).delete()
        jobs = []
        for number in range(n_jobs):
            # The enterprises with HR accounts (the first three) get a larger share, so their pages are full.
            enterprise = enterprises[number % min(3, len(enterprises))] if number % 4 == 0 else rng.choice(enterprises)
            chain = enterprise.industry_chain or None
            own = TEMPLATES.get(chain, ())
            pool = own + TEMPLATES[None] if not own or rng.random() < 0.25 else own
            template = rng.choice(pool)
            low = round(template.pay[0] * rng.uniform(0.9, 1.15), -2)
            high = max(low, round(template.pay[1] * rng.uniform(0.9, 1.15), -2))
            jobs.append(Job(
                enterprise=enterprise, title=template.title, majors=list(template.majors),
                description=f"{enterprise.name}招聘{template.title}。{template.duties}{WELCOME}",
                min_degree=template.degree, skills=list(template.skills),
                adcode=enterprise.adcode if enterprise.adcode.startswith(city) else f"{city}13",
                pay_min=int(low), pay_max=int(high), headcount=rng.choice([1, 1, 2, 2, 3, 5, 10]),
                deadline=today + dt.timedelta(days=rng.randint(20, 120)), chain=enterprise.industry_chain,
                key_enterprise=enterprise.key_enterprise, status=Job.Status.PUBLISHED,
                published_at=now - dt.timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600)),
            ))  # fmt: skip
        Job.objects.bulk_create(jobs, batch_size=500)
        _profiles(rng)
    return len(jobs)


def _profiles(rng: random.Random) -> None:
    """Job profiles for the demo talents whose identity is verified: education from the feed, a few skills,
    wished places in the city; they opt in to be found (these are demo personas)."""
    from magnet.apps.matching.services.profiles import _apply_education, talent_education

    talents = User.objects.filter(
        role=Role.TALENT, identity_status=IdentityStatus.VERIFIED, username__startswith="talent-demo-"
    )
    for user in talents:
        profile, _ = TalentProfile.objects.get_or_create(user=user)
        _apply_education(profile, talent_education(user))
        profile.skills = SKILLS_BY_CLASS.get(profile.major_code[:4], ["办公软件", "沟通"])
        profile.wish_adcodes = ["3206"]
        profile.wish_pay = rng.choice([6000, 8000, 10000])
        profile.discoverable = True
        profile.save()
