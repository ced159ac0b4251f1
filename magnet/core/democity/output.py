"""Feed files: the Arrow schema of each feed and writers for Parquet or CSV, one chunk at a time.

CSV follows `feeds.md`: UTF-8 without BOM, a header row, commas, ISO dates, `true`/`false`, decimals
with two places, empty for null. No value needs quoting (no commas, quotes or line breaks occur),
and pyarrow refuses to write one that would, so the files stay plain.
Parquet carries dates as `date32`, decimals as `decimal128(12, 2)` and months as `YYYY-MM` strings.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

_S, _D, _B, _M = pa.string(), pa.date32(), pa.bool_(), pa.decimal128(12, 2)

SCHEMAS = {
    "persons": pa.schema(
        [
            ("id_number", _S),
            ("name", _S),
            ("gender", _S),
            ("birth_date", _D),
            ("hukou_adcode", _S),
            ("phone", _S),
        ]
    ),
    "education": pa.schema(
        [
            ("id_number", _S),
            ("degree", _S),
            ("full_time", _B),
            ("school_code", _S),
            ("school_name", _S),
            ("double_first_class", _B),
            ("major_code", _S),
            ("major_name", _S),
            ("graduation_date", _D),
        ]
    ),
    "social_insurance": pa.schema(
        [("id_number", _S), ("month", _S), ("kind", _S), ("employer_uscc", _S), ("adcode", _S), ("base", _M)]
    ),
    "enterprises": pa.schema(
        [
            ("uscc", _S),
            ("name", _S),
            ("industry_code", _S),
            ("industry_chain", _S),
            ("adcode", _S),
            ("key_enterprise", _B),
            ("established", _D),
        ]
    ),
    "property": pa.schema(
        [
            ("id_number", _S),
            ("property_id", _S),
            ("adcode", _S),
            ("use", _S),
            ("contract_date", _D),
            ("price", _M),
            ("sold_date", _D),
        ]
    ),
    "skill_certs": pa.schema(
        [("id_number", _S), ("occupation_code", _S), ("level", pa.int32()), ("issued", _D)]
    ),
    "business_registrations": pa.schema(
        [
            ("id_number", _S),
            ("uscc", _S),
            ("role", _S),
            ("registered", _D),
            ("adcode", _S),
            ("deregistered", _D),
        ]
    ),
}
FEEDS = tuple(SCHEMAS)
FORMATS = ("parquet", "csv")
ROW_GROUP = 1_000_000


class FeedWriter:
    """Appends Arrow tables to one feed file; counts rows. Use as a context manager."""

    def __init__(self, out_dir: Path, feed: str, fmt: str):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}, found {fmt!r}")
        self.schema = SCHEMAS[feed]
        self.path = Path(out_dir) / f"{feed}.{fmt}"
        self.rows = 0
        if fmt == "parquet":
            # zstd: about a third smaller than snappy on these columns for little extra time.
            self._writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")
        else:
            self._writer = pa_csv.CSVWriter(
                self.path,
                self.schema,
                write_options=pa_csv.WriteOptions(
                    quoting_style="none", quoting_header="none", batch_size=65536
                ),
            )
        self._parquet = fmt == "parquet"

    def write(self, table: pa.Table) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        if self._parquet:
            self._writer.write_table(table, row_group_size=ROW_GROUP)
        else:
            self._writer.write_table(table)
        self.rows += table.num_rows

    def __enter__(self) -> FeedWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._writer.close()


def from_rows(feed: str, rows: list[dict]) -> pa.Table:
    """A small table (the cast's rows) in the feed's schema; decimals are given in cents."""
    schema = SCHEMAS[feed]
    decimals = [f.name for f in schema if pa.types.is_decimal(f.type)]
    rows = [{**r, **{k: Decimal(r[k]).scaleb(-2) for k in decimals}} for r in rows]
    return pa.Table.from_pylist(rows, schema=schema)
