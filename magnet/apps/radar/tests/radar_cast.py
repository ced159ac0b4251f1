"""The radar's test snapshot: the shared cast, plus a few people whose entitlements move when a policy changes.

For 2022-06, with the demo book:

- Zhang Wei (bachelor, double first class, employed in 320613): living subsidy 800.
- Chen Jing (master, graduated 2020-06, employed in 320602 from 2022-03): living subsidy 1,500; she came
  21 months after graduating, so a rule "within 12 months" drops her.
- Liu Yang (bachelor of 2021, born 1985, employed in 320612 from 2022-01): 37, over the age limit of 35;
  "under 40" admits him (living subsidy 600).
- Zhao Lei and Sun Li (associates, flexibly insured in the city, base 4,000): flexible insurance subsidy
  480 each; Zhao Lei's hukou is outside the city (district 'other'), Sun Li's is 320623 (her district).

The property, skill certificate and business registration feeds are sent empty, so every policy can run.
"""

from __future__ import annotations

from pathlib import Path

from magnet.apps.common.testing import EMPLOYER, Persona, make_id_number, write_cast_snapshot, write_csv

CHEN_JING = Persona("chen_jing", "陈静", make_id_number("320602", "19940810", "024"), "", "F", "1994-08-10", "320602")
LIU_YANG = Persona("liu_yang", "刘洋", make_id_number("320612", "19850401", "135"), "", "M", "1985-04-01", "320612")
ZHAO_LEI = Persona("zhao_lei", "赵磊", make_id_number("340104", "20011111", "157"), "", "M", "2001-11-11", "340104")
SUN_LI = Persona("sun_li", "孙丽", make_id_number("320623", "20020202", "168"), "", "F", "2002-02-02", "320623")
EXTRA = [CHEN_JING, LIU_YANG, ZHAO_LEI, SUN_LI]
MONTH = "2022-06"


def _append(path: Path, rows: list[list]) -> None:
    import csv

    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def write_radar_snapshot(folder: Path, *, empty_feeds: bool = True) -> Path:
    """The cast and the people above, as a snapshot folder (CSV)."""
    write_cast_snapshot(folder)
    _append(folder / "persons.csv", [[p.id_number, p.name, p.gender, p.birth_date, p.hukou_adcode, ""] for p in EXTRA])
    _append(folder / "education.csv", [
        [CHEN_JING.id_number, "master", "true", "10304", "南通大学", "false", "081901", "船舶与海洋工程", "2020-06-30"],
        [LIU_YANG.id_number, "bachelor", "true", "10304", "南通大学", "false", "080901", "计算机科学与技术",
         "2021-06-30"],
        [ZHAO_LEI.id_number, "associate", "true", "10304", "南通大学", "false", "080901", "计算机科学与技术",
         "2021-12-31"],
        [SUN_LI.id_number, "associate", "true", "10304", "南通大学", "false", "080901", "计算机科学与技术",
         "2021-12-31"],
    ])  # fmt: skip
    months = [f"2022-{m:02d}" for m in range(1, 13)]
    _append(folder / "social_insurance.csv", [
        *[[CHEN_JING.id_number, m, "employee", EMPLOYER, "320602", "9000.00"] for m in months if m >= "2022-03"],
        *[[LIU_YANG.id_number, m, "employee", EMPLOYER, "320612", "7000.00"] for m in months],
        *[[ZHAO_LEI.id_number, m, "flexible", "", "320602", "4000.00"] for m in months],
        *[[SUN_LI.id_number, m, "flexible", "", "320623", "4000.00"] for m in months],
    ])  # fmt: skip
    if empty_feeds:
        write_csv(
            folder / "property.csv",
            ["id_number", "property_id", "adcode", "use", "contract_date", "price", "sold_date"],
            [],
        )
        write_csv(folder / "skill_certs.csv", ["id_number", "occupation_code", "level", "issued"], [])
        write_csv(folder / "business_registrations.csv",
                  ["id_number", "uscc", "role", "registered", "adcode", "deregistered"], [])  # fmt: skip
    return folder


def load(folder: Path):
    """Store the folder as a snapshot (as a console upload would) and return the Snapshot row."""
    from magnet.apps.feeds.services import snapshot_load

    snapshot, _ = snapshot_load(src_dir=folder)
    return snapshot


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    """The text with each (old, new) replaced exactly once (so a test fails loudly if the book moves)."""
    for old, new in pairs:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text
