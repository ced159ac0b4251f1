"""The vectorised check characters agree with `magnet.core.feeds.checks`."""

from __future__ import annotations

import numpy as np

from magnet.core.democity import codes
from magnet.core.feeds import checks


def test_id_check_chars_match_checks_py():
    rng = np.random.default_rng(1)
    first17 = rng.integers(10**16, 10**17, 5000)
    ids = codes.id_numbers(first17)
    for row in ids:
        text = row.tobytes().decode()
        assert checks.id_number_check_char(text[:17]) == text[17]
    assert codes.id_numbers(np.array([11010519491231002])).tobytes() == b"11010519491231002X"


def test_uscc_check_chars_match_checks_py():
    rng = np.random.default_rng(2)
    n = 5000
    body = codes.USCC_ALPHABET[rng.integers(0, 31, (n, 8))]
    usccs = codes.usccs(np.full(n, ord("9")), np.full(n, ord("1")), rng.integers(110000, 660000, n), body)
    for row in usccs:
        assert checks.is_valid_uscc(row.tobytes().decode())


def test_organisation_code_check_char_of_a_published_example():
    # 91350100M000100Y43 (GB 32100's example): organisation code M000100Y4.
    assert chr(codes.org_check_chars(np.frombuffer(b"M000100Y", np.uint8)[None, :])[0]) == "4"


def test_ascii_strings_with_nulls():
    matrix = codes.digits(np.array([13905130001, 0, 13800000000]), 11)
    array = codes.ascii_strings(matrix, valid=np.array([True, False, True]))
    assert array.to_pylist() == ["13905130001", None, "13800000000"]
