"""The matching tests' cast: the city's shipyard (EMPLOYER, on the shipbuilding chain in the feed) posts
jobs; Zhang Wei (a 2021 computer-science bachelor of 南京大学, identity verified) looks for one; another
enterprise (not in the feed) must never see the shipyard's applicants."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from magnet.apps.accounts.models import Enterprise, IdentityStatus
from magnet.apps.accounts.services import talent_create
from magnet.apps.common.fixtures import make_user
from magnet.apps.common.pii import cipher, id_number_index
from magnet.apps.common.testing import LI_NA, OUT_OF_FEED_USCC, ZHANG_WEI
from magnet.apps.matching import services
from magnet.apps.matching.models import Job


def job_data(**overrides) -> dict:
    """A valid posting, as the form's cleaned data and the page's POST alike."""
    data = {
        "title": "Java后端开发工程师",
        "description": "负责船厂生产管理系统的后端开发，编写接口和单元测试。欢迎应届毕业生。",
        "majors": ["0809"],
        "min_degree": "bachelor",
        "skills": ["Java", "SQL"],
        "adcode": "320613",
        "pay_min": 9000,
        "pay_max": 15000,
        "headcount": 2,
        "deadline": timezone.localdate() + dt.timedelta(days=30),
    }
    data.update(overrides)
    return data


def form_post(**overrides) -> dict:
    """The posting as the browser sends it (skills in one text box)."""
    data = job_data(**overrides)
    data["skills"] = "、".join(data["skills"])
    data["deadline"] = data["deadline"].isoformat() if data["deadline"] else ""
    return {k: v for k, v in data.items() if v is not None}


def publish(hr, **overrides) -> Job:
    job = services.job_save(actor=hr, data=job_data(**overrides))
    return services.job_publish(job=job, actor=hr)


def other_enterprise_user(username: str = "hr.other"):
    other, _ = Enterprise.objects.get_or_create(uscc=OUT_OF_FEED_USCC, defaults={"name": "北京另一家科技有限公司"})
    return make_user("enterprise", username=username, enterprise=other)


def bind(user, persona=ZHANG_WEI) -> None:
    """The state identity binding leaves for a persona of the cast (verified; the degree comes from the feed)."""
    user.display_name = persona.name
    user.id_number_cipher = cipher().encrypt(persona.id_number, context="id_number")
    user.id_number_index = id_number_index(persona.id_number)
    user.identity_status = IdentityStatus.VERIFIED
    user.save()


def bind_zhang_wei(user) -> None:
    bind(user, ZHANG_WEI)


def zhang_wei(*, discoverable: bool = True, phone: str = "13800000001"):
    """Zhang Wei's account, bound and with a profile: Java and SQL, wants 10,000 a month in the city."""
    user = talent_create(phone=phone)
    bind(user, ZHANG_WEI)
    services.talent_profile_save(user=user, data={
        "skills": ["Java", "SQL", "Python"], "wish_adcodes": ["3206"], "wish_chains": ["shipbuilding_offshore"],
        "wish_pay": 10000, "about": "熟悉Java后端开发", "discoverable": discoverable,
    })  # fmt: skip
    return user


def li_na(*, discoverable: bool = False, phone: str = "13900000002"):
    """Li Na's account (a 2024 doctor in naval architecture), who has not opted in to be found."""
    user = talent_create(phone=phone)
    bind(user, LI_NA)
    services.talent_profile_save(user=user, data={
        "skills": ["CFD", "Java"], "wish_adcodes": ["3206"], "wish_pay": 15000, "discoverable": discoverable,
    })  # fmt: skip
    return user
