"""Matching jobs and talents both ways, with a score a person can read (人才产业对接).

For a talent, the best open jobs; for a job, the best visible talents; every result carries its score
broken down in words, Chinese and English (`score` lists the parts and weights). `MatchIndex` keeps
jobs and talents in memory and follows upserts and removals at once; `digest` ranks every talent for
the nightly e-mail. `files` reads and writes JSON Lines so the scorer runs without a database
(`python -m magnet matching rank`), and `synthetic` makes realistic demo data for benchmarks.

Framework-free: no Django. Loading rows from the database, deciding who is visible and refreshing the
index across processes are the app's (`magnet.apps.matching`).
"""

from .catalogue import Catalogue
from .files import InputRejected, rank_files, read_jobs, read_talents, write_jsonl
from .index import MatchIndex
from .model import DEGREES, Filters, Job, Match, Part, Talent

__all__ = [
    "DEGREES",
    "Catalogue",
    "Filters",
    "InputRejected",
    "Job",
    "Match",
    "MatchIndex",
    "Part",
    "Talent",
    "rank_files",
    "read_jobs",
    "read_talents",
    "write_jsonl",
]
