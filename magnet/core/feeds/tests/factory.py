"""Small builders for test snapshots: valid identifiers, valid rows for every feed, CSV/Parquet writers."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from magnet.core.feeds.checks import id_number_check_char, uscc_check_char
from magnet.core.feeds.contract import FEEDS, ColumnType


def id_number(area: str = "320602", birth: str = "19900101", seq: int = 123) -> str:
    """A valid identity number (the 17th digit, seq's last, odd means male)."""
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + id_number_check_char(first17)


def uscc(area: str = "320602", org: str = "MA1W2Y3T4") -> str:
    """A valid unified social credit code of an enterprise (91) registered in `area`."""
    first17 = "91" + area + org
    return first17 + uscc_check_char(first17)


P1 = id_number("320602", "19900101", 123)  # M
P2 = id_number("320611", "19851231", 456)  # F
P3 = "11010519491231002X"  # F, check character X
E1 = uscc("320602", "MA1W2Y3T4")
E2 = uscc("320611", "0000000A1")


def valid_rows() -> dict[str, list[dict]]:
    """One small valid snapshot: rows per feed, with Python values (str, date, Decimal, bool, int)."""
    d = dt.date
    return {
        "persons": [
            {
                "id_number": P1,
                "name": "张伟",
                "gender": "M",
                "birth_date": d(1990, 1, 1),
                "hukou_adcode": "320602",
                "phone": "13800000001",
            },
            {
                "id_number": P2,
                "name": "李娜",
                "gender": "F",
                "birth_date": d(1985, 12, 31),
                "hukou_adcode": "320611",
                "phone": None,
            },
            {
                "id_number": P3,
                "name": "王芳",
                "gender": "F",
                "birth_date": d(1949, 12, 31),
                "hukou_adcode": "110105",
                "phone": "13900000003",
            },
        ],
        "education": [
            {
                "id_number": P1,
                "degree": "bachelor",
                "full_time": True,
                "school_code": "4132010284",
                "school_name": "南京大学",
                "double_first_class": True,
                "major_code": "080901",
                "major_name": "计算机科学与技术",
                "graduation_date": d(2012, 6, 30),
            },
            {
                "id_number": P2,
                "degree": "master",
                "full_time": False,
                "school_code": "10285",
                "school_name": "苏州大学",
                "double_first_class": False,
                "major_code": "120203K",
                "major_name": "会计学",
                "graduation_date": d(2010, 7, 1),
            },
        ],
        "social_insurance": [
            {
                "id_number": P1,
                "month": "2024-01",
                "kind": "employee",
                "employer_uscc": E1,
                "adcode": "320602",
                "base": Decimal("8000.50"),
            },
            {
                "id_number": P1,
                "month": "2024-02",
                "kind": "employee",
                "employer_uscc": E1,
                "adcode": "320602",
                "base": Decimal("8000"),
            },
            {
                "id_number": P2,
                "month": "2024-01",
                "kind": "flexible",
                "employer_uscc": None,
                "adcode": "320611",
                "base": Decimal("4500.25"),
            },
        ],
        "enterprises": [
            {
                "uscc": E1,
                "name": "南通船舶有限公司",
                "industry_code": "C3731",
                "industry_chain": "shipbuilding_offshore",
                "adcode": "320602",
                "key_enterprise": True,
                "established": d(2005, 3, 1),
            },
            {
                "uscc": E2,
                "name": "崇川纺织有限公司",
                "industry_code": "C1711",
                "industry_chain": None,
                "adcode": "320611",
                "key_enterprise": False,
                "established": d(2011, 9, 15),
            },
        ],
        "property": [
            {
                "id_number": P1,
                "property_id": "NT-2020-000123",
                "adcode": "320602",
                "use": "residential",
                "contract_date": d(2020, 5, 20),
                "price": Decimal("1850000.00"),
                "sold_date": None,
            },
        ],
        "skill_certs": [
            {"id_number": P2, "occupation_code": "6-18-01-01", "level": 3, "issued": d(2019, 11, 2)},
        ],
        "business_registrations": [
            {
                "id_number": P1,
                "uscc": E1,
                "role": "legal_rep",
                "registered": d(2015, 1, 5),
                "adcode": "320602",
                "deregistered": None,
            },
        ],
    }


def cell(value: object) -> str:
    """A Python value as feeds.md writes it in CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)  # dates are ISO, Decimals keep their places


def write_csv(folder: Path, feed: str, rows: list[dict], columns: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{feed}.csv"
    columns = columns or list(FEEDS[feed].column_names)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in columns])
    return path


_ARROW = {
    ColumnType.STRING: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.MONTH: pa.date32(),
    ColumnType.BOOL: pa.bool_(),
    ColumnType.DECIMAL: pa.decimal128(18, 2),
    ColumnType.INT: pa.int32(),
}


def _native(col_type: ColumnType, value: object) -> object:
    if value is None:
        return None
    if col_type is ColumnType.MONTH and isinstance(value, str):
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)
    return value


def write_parquet(folder: Path, feed: str, rows: list[dict], *, native: bool = True) -> Path:
    """Parquet with native types (month as the first day), or with every column as text like CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays, names = [], []
    for col in FEEDS[feed].columns:
        if native:
            arrays.append(pa.array([_native(col.type, r.get(col.name)) for r in rows], _ARROW[col.type]))
        else:
            arrays.append(pa.array([cell(r.get(col.name)) for r in rows], pa.string()))
        names.append(col.name)
    path = folder / f"{feed}.parquet"
    pq.write_table(pa.table(arrays, names=names), path)
    return path


def write_snapshot(
    folder: Path, rows: dict[str, list[dict]], fmt: str = "csv", *, native: bool = True
) -> Path:
    for feed, feed_rows in rows.items():
        if fmt == "csv":
            write_csv(folder, feed, feed_rows)
        else:
            write_parquet(folder, feed, feed_rows, native=native)
    return folder


def many_persons(n: int, months: int = 10) -> dict[str, list[dict]]:
    """A larger valid snapshot: n persons with `months` social-insurance rows each."""
    rows = valid_rows()
    people, si = [], []
    start = dt.date(1960, 1, 1)
    for i in range(n):
        birth = start + dt.timedelta(days=i // 1000 * 7 + i % 997)
        pid = id_number("320602", birth.strftime("%Y%m%d"), i % 1000)
        people.append(
            {
                "id_number": pid,
                "name": f"人{i}",
                "gender": "M" if i % 2 else "F",
                "birth_date": birth,
                "hukou_adcode": "320602",
                "phone": None,
            }
        )
        for m in range(months):
            si.append(
                {
                    "id_number": pid,
                    "month": f"{2020 + m // 12}-{m % 12 + 1:02d}",
                    "kind": "employee",
                    "employer_uscc": E1,
                    "adcode": "320602",
                    "base": Decimal(5000 + i % 100) / 4,
                }
            )
    rows["persons"] = people
    rows["social_insurance"] = si
    return rows
