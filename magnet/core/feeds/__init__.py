"""The feed contract of `shared/spec/feeds.md`: identifier checks, column types, validation, snapshots.

It validates other departments' extracts and stores them as immutable, content-addressed Parquet
snapshots. Recording a snapshot in a database, access rules and pages are left to `magnet.apps.feeds`.

Public API:

- `load_snapshot(src_dir, data_dir, *, known_industry_codes=None, max_problems=100, limits=Limits(), ...)`
  -> `StoredSnapshot`, or raises `SnapshotRejected` (its `.problems` are `Problem`s).
- `open_snapshot(data_dir, snapshot_id)` -> `Snapshot`; `register_views(con, snapshot)` makes DuckDB views;
  `list_snapshots(data_dir)`.
- `contract.FEEDS`: the feeds as data; `checks`: the identifier checks in Python; `sql`: the same in SQL.
"""

from .contract import CONTRACT_VERSION, FEEDS
from .inputs import Limits
from .problems import Problem, SnapshotRejected
from .store import Snapshot, StoredSnapshot, list_snapshots, load_snapshot, open_snapshot, register_views

__all__ = [
    "CONTRACT_VERSION",
    "FEEDS",
    "Limits",
    "Problem",
    "Snapshot",
    "SnapshotRejected",
    "StoredSnapshot",
    "list_snapshots",
    "load_snapshot",
    "open_snapshot",
    "register_views",
]
