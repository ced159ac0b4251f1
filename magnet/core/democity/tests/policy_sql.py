"""A plain DuckDB reading of `shared/spec/policy-book.md`, used to check that the demo city's rows
exercise every policy (and that the cast's edge cases land on the side of each edge they claim).

It is a test oracle, deliberately naive and written straight from the text, not the platform's
engine: one query per policy and month, returning (id_number, policy, period, amount).
"""

# ruff: noqa: S608 - the SQL is built from month strings and paths this test controls
from __future__ import annotations

from pathlib import Path

import duckdb

FEEDS = ("persons", "education", "social_insurance", "property", "skill_certs", "business_registrations")


def connect(snapshot: Path, fmt: str = "parquet") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for feed in FEEDS:
        path = snapshot / f"{feed}.{fmt}"
        reader = f"read_parquet('{path}')" if fmt == "parquet" else f"read_csv('{path}', all_varchar=false)"
        con.execute(f"CREATE VIEW {feed} AS SELECT * FROM {reader}")
    return con


def _facts(month: str) -> str:
    """Common table expressions: highest degree (hd), employment in the city (emp), arrival (arr)."""
    return f"""
    m AS (SELECT DATE '{month}-01' AS m_start, last_day(DATE '{month}-01') AS m_end,
                 {int(month[:4])} * 12 + {int(month[5:])} - 1 AS mi),
    lvl AS (SELECT e.*, CASE degree WHEN 'associate' THEN 1 WHEN 'bachelor' THEN 2 WHEN 'master' THEN 3
                                    WHEN 'doctor' THEN 4 END AS lv
            FROM education e, m WHERE e.full_time AND e.graduation_date <= m.m_end),
    top AS (SELECT id_number, max(lv) AS lv FROM lvl GROUP BY 1),
    topd AS (SELECT id_number, lv, max(graduation_date) AS gd FROM lvl JOIN top USING (id_number, lv)
             GROUP BY 1, 2),
    hd AS (SELECT t.id_number, t.lv, t.gd, bool_or(l.double_first_class) AS dfc,
                  year(t.gd) * 12 + month(t.gd) - 1 AS g
           FROM topd t JOIN lvl l ON l.id_number = t.id_number AND l.lv = t.lv AND l.graduation_date = t.gd
           GROUP BY ALL),
    si AS (SELECT s.id_number,
                  CAST(substr(s.month, 1, 4) AS INT) * 12 + CAST(substr(s.month, 6, 2) AS INT) - 1 AS mi,
                  s.kind, s.adcode, s.base
           FROM social_insurance s, m WHERE s.month <= '{month}'),
    emp AS (SELECT DISTINCT id_number, mi FROM si WHERE kind = 'employee' AND adcode LIKE '3206%'),
    arr AS (SELECT h.id_number, min(e.mi) AS a
            FROM hd h JOIN emp e ON e.id_number = h.id_number AND e.mi >= h.g
            GROUP BY 1),
    per AS (SELECT id_number, birth_date FROM persons)
    """


def _age(birth: str, day: str) -> str:
    # Completed years; a 29 February birthday is reached on 1 March in common years.
    return (
        f"(year({day}) - year({birth}) - CASE WHEN month({day}) * 100 + day({day}) < "
        f"month({birth}) * 100 + day({birth}) THEN 1 ELSE 0 END)"
    )


def _under_limit(birth: str, day: str) -> str:
    return f"({_age(birth, day)} < CASE WHEN hd.lv = 4 THEN 40 ELSE 35 END)"


def living_sql(month: str) -> str:
    return f"""WITH {_facts(month)},
    living AS (
      SELECT hd.id_number, hd.lv, hd.dfc FROM hd JOIN per USING (id_number) JOIN arr USING (id_number), m
      WHERE {_under_limit("per.birth_date", "m.m_start")}
        AND EXISTS (SELECT 1 FROM emp WHERE emp.id_number = hd.id_number AND emp.mi = m.mi)
        AND arr.a <= hd.g + 60
        AND m.mi BETWEEN greatest(arr.a, 2022 * 12) AND greatest(arr.a, 2022 * 12) + 35)
    """


def living(con, month: str):
    return con.sql(
        living_sql(month)
        + f"""
      SELECT id_number, 'living_subsidy' AS policy, '{month}' AS period,
             CAST(CASE lv WHEN 1 THEN 300 WHEN 2 THEN (CASE WHEN dfc THEN 800 ELSE 600 END) WHEN 3 THEN 1500
                  ELSE 3000 END AS DECIMAL(12, 2)) AS amount
      FROM living"""
    ).fetchall()


def rent(con, month: str):
    return con.sql(
        living_sql(month)
        + f"""
      SELECT id_number, 'rent_subsidy', '{month}',
             CAST(CASE lv WHEN 1 THEN 300 WHEN 2 THEN 500 WHEN 3 THEN 800 ELSE 1200 END AS DECIMAL(12, 2))
      FROM living, m
      WHERE NOT EXISTS (SELECT 1 FROM property p
                        WHERE p.id_number = living.id_number AND p.use = 'residential'
                        AND p.adcode LIKE '3206%' AND p.contract_date <= m.m_end
                        AND (p.sold_date IS NULL OR p.sold_date > m.m_end))"""
    ).fetchall()


def purchase(con, month: str):
    return con.sql(f"""WITH {_facts(month)},
    first_home AS (
      SELECT * FROM (SELECT p.*, row_number() OVER (PARTITION BY id_number
                                                    ORDER BY contract_date, CAST(property_id AS VARCHAR)) AS k
                     FROM property p, m WHERE p.use = 'residential' AND p.adcode LIKE '3206%'
                       AND p.contract_date <= m.m_end) WHERE k = 1)
    SELECT f.id_number, 'purchase_subsidy', '{month}',
           least(round(f.price * 0.025, 2), CASE hd.lv WHEN 2 THEN 50000 WHEN 3 THEN 80000 ELSE 150000 END)
    FROM first_home f JOIN hd USING (id_number) JOIN per USING (id_number), m
    WHERE strftime(f.contract_date, '%Y-%m') = '{month}' AND hd.lv >= 2
      AND f.contract_date >= DATE '2022-01-01'
      AND f.contract_date >= hd.gd AND f.contract_date <= hd.gd + INTERVAL 5 YEAR
      AND {_under_limit("per.birth_date", "f.contract_date")}
      AND (SELECT count(*) FROM emp
           WHERE emp.id_number = f.id_number AND emp.mi BETWEEN m.mi - 11 AND m.mi) >= 6
    """).fetchall()


def flexible(con, month: str):
    return con.sql(f"""WITH {_facts(month)}
    SELECT hd.id_number, 'flexible_insurance_subsidy', '{month}', round(max(s.base) * 0.12, 2)
    FROM hd JOIN si s ON s.id_number = hd.id_number, m
    WHERE m.mi BETWEEN hd.g AND hd.g + 23 AND s.mi = m.mi AND s.kind = 'flexible' AND s.adcode LIKE '3206%'
      AND NOT EXISTS (SELECT 1 FROM si e
                      WHERE e.id_number = hd.id_number AND e.mi = m.mi AND e.kind = 'employee')
    GROUP BY hd.id_number""").fetchall()


def skill(con, month: str):
    return con.sql(f"""WITH {_facts(month)}
    SELECT c.id_number, 'skill_subsidy', '{month}',
           CAST(CASE min(c.level) WHEN 1 THEN 5000 WHEN 2 THEN 3000 ELSE 1500 END AS DECIMAL(12, 2))
    FROM skill_certs c, m
    WHERE strftime(c.issued, '%Y-%m') = '{month}' AND c.level <= 3
      AND EXISTS (SELECT 1 FROM emp WHERE emp.id_number = c.id_number AND emp.mi = m.mi)
    GROUP BY c.id_number""").fetchall()


def startup(con, month: str):
    return con.sql(f"""WITH {_facts(month)}
    SELECT DISTINCT b.id_number, 'startup_subsidy', '{month}', CAST(10000 AS DECIMAL(12, 2))
    FROM business_registrations b JOIN hd USING (id_number), m
    WHERE b.role = 'legal_rep' AND b.adcode LIKE '3206%' AND strftime(b.registered, '%Y-%m') = '{month}'
      AND (b.deregistered IS NULL OR b.deregistered > m.m_end)
      AND hd.gd <= b.registered AND b.registered <= hd.gd + INTERVAL 5 YEAR""").fetchall()


POLICIES = {
    "living_subsidy": living,
    "rent_subsidy": rent,
    "purchase_subsidy": purchase,
    "flexible_insurance_subsidy": flexible,
    "skill_subsidy": skill,
    "startup_subsidy": startup,
}
