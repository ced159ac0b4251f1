"""The policy radar in the platform (政策找人): policy books and their versions, screening runs, explanations.

Wraps `magnet.core.radar` (the engine: books, screening, explanations, cases) with the four-eyes approval
of policy versions, runs kept with their book version and snapshot (results as Parquet files under
MAGNET_DATA_DIR/radar/runs, totals in the database), the staff console under /console/radar/, the API
under /api/v1/radar and `python -m magnet radar run`. Talents' own pages and the public calculator are
`views_talent.py` and `calculator.py`.
"""
