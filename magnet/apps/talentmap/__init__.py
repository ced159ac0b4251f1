"""The industry-chain talent map (引才图谱) and the talent-demand catalogue (人才需求目录).

For each key chain of the city: the majors it needs (a curated seed, `magnet/data/talentmap/chains.yaml`,
plus enterprises' monthly demand reports and open postings), the city's graduates of those majors (the
education feed of the latest snapshot, through DuckDB), the gap, and the universities to visit first
(`compute.py`, framework-free). Enterprises file monthly demand reports (用工台账); staff publish the
quarter's catalogue, frozen at publication and public as a page, XLSX and PDF (`exports.py`).

Postings belong to the matching app: they are read only through `selectors.postings_for_chain`.
"""
