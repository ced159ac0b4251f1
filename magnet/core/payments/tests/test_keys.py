import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magnet.core.payments import idempotency_key

from .factory import person_ref

parts = st.text(
    alphabet=st.characters(blacklist_characters="\x1f", blacklist_categories=("Cs",)), min_size=1, max_size=12
)


def test_key_is_32_lowercase_hex_and_the_same_every_time():
    key = idempotency_key(person_ref(1), "living_subsidy", "2025-06")
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    assert key == idempotency_key(person_ref(1), "living_subsidy", "2025-06", 1)


def test_each_part_changes_the_key():
    base = idempotency_key(person_ref(1), "living_subsidy", "2025-06", 1)
    assert idempotency_key(person_ref(2), "living_subsidy", "2025-06", 1) != base
    assert idempotency_key(person_ref(1), "rent_subsidy", "2025-06", 1) != base
    assert idempotency_key(person_ref(1), "living_subsidy", "2025-07", 1) != base
    assert idempotency_key(person_ref(1), "living_subsidy", "2025-06", 2) != base


@given(a=st.tuples(parts, parts, parts, st.integers(1, 5)), b=st.tuples(parts, parts, parts, st.integers(1, 5)))
def test_different_parts_never_give_the_same_key(a, b):
    if a[0].strip() and a[1].strip() and a[2].strip() and b[0].strip() and b[1].strip() and b[2].strip():
        try:
            ka, kb = idempotency_key(*a), idempotency_key(*b)
        except ValueError:  # a part shaped like a phone number
            return
        assert (ka == kb) == (a == b)


def test_separators_inside_parts_cannot_shift_the_boundary():
    assert idempotency_key("ab", "c", "d") != idempotency_key("a", "bc", "d")
    with pytest.raises(ValueError, match="U\\+001F"):
        idempotency_key("a\x1fb", "c", "d")


@pytest.mark.parametrize("ref", ["32060219900101123X", "320602199001011234", "13800001234", "id 32060219900101123X"])
def test_refuses_an_identity_or_phone_number_as_person_ref_without_repeating_it(ref):
    with pytest.raises(ValueError, match="blind index") as info:
        idempotency_key(ref, "living_subsidy", "2025-06")
    assert "3206021990" not in str(info.value) and "13800001234" not in str(info.value)


@pytest.mark.parametrize("version", [0, -1, True, "1"])
def test_refuses_a_version_that_is_not_a_positive_integer(version):
    with pytest.raises(ValueError, match="version"):
        idempotency_key(person_ref(1), "living_subsidy", "2025-06", version)


@pytest.mark.parametrize("args", [("", "p", "m"), ("r", " ", "m"), ("r", "p", "")])
def test_refuses_an_empty_part(args):
    with pytest.raises(ValueError, match="non-empty"):
        idempotency_key(*args)
