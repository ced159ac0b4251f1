"""A deterministic demo city (adcode prefix 3206, the real 南通市) for demos, tests and benchmarks.

`generate(out_dir, persons=..., seed=...)` writes a snapshot of every feed of `shared/spec/feeds.md`
(Parquet or CSV) built on the real catalogues of `magnet/data/reference/`: valid identity numbers and
USCCs, real universities and the majors they teach, GB/T 4754 industries weighted toward the city's
key chains, monthly social-insurance histories (about thirty rows a person), homes, certificates and
businesses. `personas()` lists the fixed cast of named people present in every snapshot; unnamed edge
cases (`edge_cases.py`) make every policy of `shared/spec/policy-book.md` meet data at any size.

Framework-free (no Django): the app that loads snapshots and creates demo accounts wraps this.
"""

from .cast import Persona
from .cast_personas import personas
from .generate import generate

__all__ = ["Persona", "generate", "personas"]
