"""Same arguments, same bytes; another seed, another city."""

from __future__ import annotations

import hashlib

import pytest

from magnet.core.democity import generate


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path, fmt):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    counts_a = generate(a, persons=3000, seed=11, fmt=fmt)
    counts_b = generate(b, persons=3000, seed=11, fmt=fmt)
    generate(c, persons=3000, seed=12, fmt=fmt)
    assert counts_a == counts_b
    assert _digests(a) == _digests(b)
    differing = {name for name, digest in _digests(c).items() if _digests(a)[name] != digest}
    assert differing == set(_digests(a)) - {"personas.json"}


def test_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="fmt"):
        generate(tmp_path, persons=1000, seed=1, fmt="xlsx")
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path, persons=5, seed=1)
    with pytest.raises(ValueError, match="as_of"):
        generate(tmp_path, persons=1000, seed=1, as_of="2019-01")
