"""Reading a snapshot folder safely: which files are feeds, private copies, file types by content, CSV.

The folder is untrusted. File names only select feeds (they are never used to build a stored path);
each feed file is copied, while hashing it, into the loader's work directory under a generated name, so
that what is validated is exactly what was hashed even if the folder changes meanwhile. Types are
decided by content: a Parquet file must start and end with `PAR1`; a CSV file must be strict UTF-8
without a byte order mark. CSV is converted, streaming and in order, into a Parquet file of text
columns, so that both formats are then validated by the same SQL with exact row numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .contract import FEEDS, REQUIRED_FEEDS
from .problems import Problem

FORMATS = ("parquet", "csv")
PARQUET_MAGIC = b"PAR1"
UTF8_BOM = b"\xef\xbb\xbf"
_CHUNK = 8 * 2**20


@dataclass(frozen=True)
class Limits:
    """Bounds on what one snapshot may make the loader read (SECURITY.md IN-3)."""

    max_file_bytes: int = 16 * 2**30
    max_rows: int = 200_000_000
    max_parquet_uncompressed_bytes: int = 64 * 2**30  # what the Parquet metadata says decompression yields
    max_csv_header_bytes: int = 64 * 2**10


@dataclass(frozen=True)
class FeedFile:
    """A feed file found in the snapshot folder."""

    feed: str
    name: str  # as found, e.g. "persons.csv"; only ever used in messages and the manifest
    format: str  # "parquet" or "csv"
    source: Path


@dataclass(frozen=True)
class CopiedFile:
    """A private copy of a feed file, with the hash of its bytes."""

    file: FeedFile
    path: Path
    sha256: str
    size: int


def scan_folder(src_dir: Path) -> tuple[dict[str, FeedFile], list[Problem], list[Problem]]:
    """Classify the folder's entries: (feed -> file, problems, warnings).

    Files named after a feed with an unknown extension, or a feed sent twice, are problems; anything
    else that is not a feed is ignored with a warning.
    """
    found: dict[str, list[FeedFile]] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for entry in sorted(os.scandir(src_dir), key=lambda e: e.name):
        stem, _, ext = entry.name.partition(".")
        if stem not in FEEDS:
            warnings.append(Problem(entry.name, None, None, "not a feed of the contract; ignored"))
        elif ext not in FORMATS:
            problems.append(
                Problem(
                    entry.name,
                    None,
                    None,
                    f"unknown file type '.{ext}' for feed {stem}: use .parquet or .csv",
                )
            )
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(entry.name, None, None, "not a regular file (a link or a folder)"))
        else:
            found.setdefault(stem, []).append(FeedFile(stem, entry.name, ext, Path(entry.path)))
    feeds: dict[str, FeedFile] = {}
    for feed, files in found.items():
        if len(files) > 1:
            names = " and ".join(f.name for f in files)
            problems.append(Problem(files[0].name, None, None, f"both {names} are present: send one of them"))
        else:
            feeds[feed] = files[0]
    for feed in REQUIRED_FEEDS:
        if feed not in found:
            problems.append(
                Problem(
                    feed, None, None, f"the required {feed} feed is missing ({feed}.parquet or {feed}.csv)"
                )
            )
    return feeds, problems, warnings


def copy_and_hash(file: FeedFile, dest: Path, limits: Limits) -> tuple[CopiedFile | None, Problem | None]:
    """Copy `file` to `dest` while hashing it; refuse links and files over the size limit."""
    try:
        fd = os.open(file.source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        return None, Problem(file.name, None, None, f"cannot be opened: {exc.strerror}")
    with os.fdopen(fd, "rb") as src:
        size = os.fstat(src.fileno()).st_size
        if size > limits.max_file_bytes:
            return None, Problem(
                file.name,
                None,
                None,
                f"file is {size} bytes, over the limit of {limits.max_file_bytes} bytes",
            )
        digest = hashlib.sha256()
        copied = 0
        with open(dest, "wb") as out:
            while chunk := src.read(_CHUNK):
                copied += len(chunk)
                if copied > limits.max_file_bytes:  # it grew while we read it
                    return None, Problem(
                        file.name, None, None, "file grew over the size limit while being read"
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
    return CopiedFile(file, dest, digest.hexdigest(), copied), None


def content_problem(copy: CopiedFile) -> Problem | None:
    """A problem when the bytes do not have the type the name claims (decided by content)."""
    with open(copy.path, "rb") as f:
        head = f.read(4)
        f.seek(max(0, copy.size - 4))
        tail = f.read(4)
    name = copy.file.name
    if copy.file.format == "parquet":
        if head != PARQUET_MAGIC or tail != PARQUET_MAGIC or copy.size < 12:
            return Problem(name, None, None, "not a Parquet file: it does not start and end with PAR1")
        return None
    if head == PARQUET_MAGIC:
        return Problem(name, None, None, "this is a Parquet file, not CSV: name it .parquet")
    if head.startswith(UTF8_BOM):
        return Problem(
            name, None, None, "the file starts with a byte order mark (BOM): save it as UTF-8 without BOM"
        )
    if copy.size == 0:
        return Problem(name, None, None, "the file is empty: a header row is required")
    return None


def parquet_problems(copy: CopiedFile, limits: Limits) -> list[Problem]:
    """Bounds from the Parquet footer (row count, decompressed size), before any data is read."""
    name = copy.file.name
    try:
        meta = pq.ParquetFile(copy.path).metadata
    except (pa.ArrowException, OSError) as exc:
        return [Problem(name, None, None, f"not a readable Parquet file: {exc}")]
    problems = []
    if meta.num_rows > limits.max_rows:
        problems.append(
            Problem(name, None, None, f"{meta.num_rows} rows, over the limit of {limits.max_rows}")
        )
    uncompressed = sum(
        meta.row_group(i).column(j).total_uncompressed_size
        for i in range(meta.num_row_groups)
        for j in range(meta.num_columns)
    )
    if uncompressed > limits.max_parquet_uncompressed_bytes:
        problems.append(
            Problem(
                name,
                None,
                None,
                f"decompresses to {uncompressed} bytes, "
                f"over the limit of {limits.max_parquet_uncompressed_bytes}",
            )
        )
    return problems


def csv_header(copy: CopiedFile, limits: Limits) -> tuple[list[str] | None, Problem | None]:
    """The column names of a CSV file's header row (strict UTF-8)."""
    with open(copy.path, "rb") as f:
        raw = f.readline(limits.max_csv_header_bytes + 1)
    name = copy.file.name
    if len(raw) > limits.max_csv_header_bytes:
        return None, Problem(name, None, None, f"header row longer than {limits.max_csv_header_bytes} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Problem(name, None, None, f"header row is not valid UTF-8 (byte {exc.start + 1})")
    names = next(csv.reader(io.StringIO(text)), [])
    return names, None


def csv_to_parquet(
    copy: CopiedFile, header_len: int, columns: list[str], dest: Path, limits: Limits, max_problems: int
) -> tuple[int, list[Problem], int]:
    """Stream the CSV into `dest` as a Parquet file of text columns `columns`, rows in file order.

    Returns (rows, problems, total problems). Rows with the wrong number of fields and cells that are
    not valid UTF-8 are problems; when there are any, `dest` must not be used (row numbers of later rows
    could be off), so the caller only reports them.
    """
    name = copy.file.name
    bad_rows: list[str] = []

    def on_invalid_row(row: pacsv.InvalidRow) -> str:
        bad_rows.append(row.text)
        return "skip"

    reader = pacsv.open_csv(
        copy.path,
        read_options=pacsv.ReadOptions(block_size=16 * 2**20, use_threads=True),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=on_invalid_row
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns,
            column_types={c: pa.binary() for c in columns},  # UTF-8 is checked below, per cell
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            check_utf8=False,
        ),
    )
    schema = pa.schema([(c, pa.string()) for c in columns])
    problems: list[Problem] = []
    total = 0
    rows = 0
    with pq.ParquetWriter(dest, schema, compression="lz4", write_statistics=False) as writer:
        for batch in _batches(reader):
            if rows + batch.num_rows > limits.max_rows:
                return rows, [Problem(name, None, None, f"more than {limits.max_rows} rows, the limit")], 1
            arrays = []
            for col, arr in zip(columns, batch.columns, strict=True):
                try:
                    arrays.append(arr.cast(pa.string()))
                except pa.ArrowInvalid:
                    found = _invalid_utf8_rows(arr, rows, name, col)
                    total += len(found)
                    problems.extend(found[: max(0, max_problems - len(problems))])
            if not problems:
                writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            rows += batch.num_rows
    if bad_rows:
        found, count = _wrong_field_counts(copy, header_len, max_problems)
        if count == 0:  # Python's csv module disagrees with Arrow's parser: still report what Arrow saw
            found = [
                Problem(name, None, None, f"a row has the wrong number of fields: {t[:60]!r}")
                for t in bad_rows
            ]
            count = len(bad_rows)
        merged = sorted(problems + found, key=lambda p: p.row or 0)
        return rows, merged[:max_problems], total + count
    problems.sort(key=lambda p: p.row or 0)
    return rows, problems, total


def _batches(reader: pacsv.CSVStreamingReader) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return


def _invalid_utf8_rows(arr: pa.Array, offset: int, name: str, column: str) -> list[Problem]:
    """The cells of a batch that are not UTF-8 (only called when the batch has some)."""
    found = []
    for i, value in enumerate(arr.to_pylist()):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError as exc:
            found.append(
                Problem(name, offset + i + 1, column, f"not valid UTF-8 (byte {exc.start + 1} of the value)")
            )
    return found


def _wrong_field_counts(copy: CopiedFile, expected: int, max_problems: int) -> tuple[list[Problem], int]:
    """Rows whose field count differs from the header's (a slow exact pass, only on the error path)."""
    found: list[Problem] = []
    count = 0
    with open(copy.path, encoding="utf-8", errors="replace", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        for row_number, row in enumerate(reader, start=1):
            if len(row) != expected:
                count += 1
                if len(found) < max_problems:
                    what = "an empty line" if not row else f"{len(row)} fields"
                    found.append(
                        Problem(copy.file.name, row_number, None, f"expected {expected} fields, found {what}")
                    )
    return found, count
