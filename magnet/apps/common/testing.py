"""The test cast and helpers shared by the apps' tests and the browser tests.

A small cast of named personas, each a row in a tiny feed snapshot written as CSV, so tests read like
"Zhang Wei, a 2021 bachelor working in 3206, binds his identity"."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from magnet.core.feeds.checks import id_number_check_char, uscc_check_char


def make_id_number(address: str, birth: str, sequence: str) -> str:
    """A valid identity number from its parts: `make_id_number("320602", "19990315", "123")`."""
    body = f"{address}{birth}{sequence}"
    return body + id_number_check_char(body)


def make_uscc(body17: str) -> str:
    return body17 + uscc_check_char(body17)


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    id_number: str
    phone: str
    gender: str
    birth_date: str
    hukou_adcode: str


ZHANG_WEI = Persona(
    "zhang_wei", "张伟", make_id_number("320602", "19990315", "131"), "13800000001", "M", "1999-03-15", "320602"
)
LI_NA = Persona(
    "li_na", "李娜", make_id_number("110105", "19880229", "242"), "13900000002", "F", "1988-02-29", "110105"
)
WANG_FANG = Persona("wang_fang", "王芳", make_id_number("320681", "20010620", "022"), "", "F", "2001-06-20", "320681")
CAST = [ZHANG_WEI, LI_NA, WANG_FANG]

EMPLOYER = make_uscc("91320602MA1XYW123")
OUT_OF_FEED_USCC = make_uscc("91110105MA0ABC456")


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_cast_snapshot(folder: Path) -> Path:
    """A valid snapshot with the cast: Zhang Wei works in 3206 for EMPLOYER since 2021-07."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(
        folder / "persons.csv",
        ["id_number", "name", "gender", "birth_date", "hukou_adcode", "phone"],
        [[p.id_number, p.name, p.gender, p.birth_date, p.hukou_adcode, p.phone] for p in CAST],
    )
    write_csv(
        folder / "education.csv",
        [
            "id_number",
            "degree",
            "full_time",
            "school_code",
            "school_name",
            "double_first_class",
            "major_code",
            "major_name",
            "graduation_date",
        ],
        [
            [
                ZHANG_WEI.id_number,
                "bachelor",
                "true",
                "10284",
                "南京大学",
                "true",
                "080901",
                "计算机科学与技术",
                "2021-06-30",
            ],
            [LI_NA.id_number, "doctor", "true", "10304", "南通大学", "false", "081901", "船舶与海洋工程", "2024-06-28"],
        ],
    )
    write_csv(
        folder / "enterprises.csv",
        ["uscc", "name", "industry_code", "industry_chain", "adcode", "key_enterprise", "established"],
        [[EMPLOYER, "南通远洋船舶制造有限公司", "C3731", "shipbuilding_offshore", "320613", "true", "2005-04-01"]],
    )
    write_csv(
        folder / "social_insurance.csv",
        ["id_number", "month", "kind", "employer_uscc", "adcode", "base"],
        [
            [ZHANG_WEI.id_number, f"{y}-{m:02d}", "employee", EMPLOYER, "320613", "8000.00"]
            for y in (2021, 2022)
            for m in range(1, 13)
            if (y, m) >= (2021, 7)
        ],
    )
    return folder
