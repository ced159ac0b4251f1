"""Fuzzing: whatever is scanned, the verifier answers with CodeRefused (or verified claims), never a crash.

Random bytes and text, random edits of a valid code at every layer (text, compressed bytes, COSE bytes),
and random CBOR structures in the COSE_Sign1's four places (including CBOR tags that cbor2 decodes into
Python objects: dates, bignums, decimals, regular expressions, fractions, shared references …).
"""

from __future__ import annotations

import zlib

import cbor2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from magnet.core.talentcode import (
    CodeRefused,
    KeyFormatError,
    KeySet,
    RevocationList,
    RevocationListRefused,
    SigningKey,
    Verifier,
    decode_code,
    issue,
)
from magnet.core.talentcode.base45 import ALPHABET, b45encode

from .conftest import CITY, NOW, make_claims

KEY = SigningKey.generate()
CLAIMS = make_claims()
CODE = issue(CLAIMS, KEY)
COSE = decode_code(CODE)
COMPRESSED = zlib.compress(COSE, 9)
VERIFIER = Verifier(KeySet.of(KEY), RevocationList.of(iss=CITY, iat=NOW, ctis=[b"\0" * 16]), issuer=CITY)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def accepts_or_refuses(fn, value) -> None:
    """The only acceptable outcomes: claims, or CodeRefused."""
    try:
        fn(value, at=NOW)
    except CodeRefused as exc:
        assert exc.reason and exc.message


def mutate(data: bytes | str, edits: list[tuple[int, int, int]]):
    """Apply (kind, position, value) edits: replace, delete or insert one element."""
    is_text = isinstance(data, str)
    items = list(data)
    for kind, position, value in edits:
        if not items:
            break
        i = position % len(items)
        new = ALPHABET[value % 45] if is_text else value % 256
        if kind == 0:
            items[i] = new
        elif kind == 1:
            del items[i]
        else:
            items.insert(i, new)
    return "".join(items) if is_text else bytes(items)


EDITS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=6)

# Tags cbor2 turns into Python objects, plus COSE/CWT ones and some unknown ones.
TAGS = [0, 1, 2, 3, 4, 5, 18, 21, 22, 23, 24, 25, 28, 29, 30, 32, 35, 36, 37, 61, 100, 256, 258, 260, 261, 1004, 55799]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.binary(max_size=40),
    st.text(max_size=20),
)
cbor_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.integers(-70000, 10), st.text(max_size=5)), inner, max_size=5),
        st.builds(cbor2.CBORTag, st.sampled_from(TAGS), inner),
    ),
    max_leaves=20,
)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    accepts_or_refuses(VERIFIER.verify_bytes, data)
    accepts_or_refuses(VERIFIER.verify_cwt, data)
    accepts_or_refuses(VERIFIER.verify, data)  # bytes where text is expected


@FUZZ
@given(st.text(max_size=500))
def test_random_text(text):
    accepts_or_refuses(VERIFIER.verify, text)
    accepts_or_refuses(VERIFIER.verify, "MG1:" + text)


@FUZZ
@given(st.text(alphabet=ALPHABET, max_size=600))
def test_random_base45_text(text):
    accepts_or_refuses(VERIFIER.verify, "MG1:" + text)


@FUZZ
@given(st.binary(max_size=800))
def test_random_compressed_payloads(data):
    accepts_or_refuses(VERIFIER.verify, "MG1:" + b45encode(zlib.compress(data)))


@FUZZ
@given(EDITS)
def test_edited_codes(edits):
    accepts_or_refuses(VERIFIER.verify, "MG1:" + mutate(CODE[4:], edits))


@FUZZ
@given(EDITS)
def test_edited_compressed_bytes(edits):
    accepts_or_refuses(VERIFIER.verify, "MG1:" + b45encode(mutate(COMPRESSED, edits)))


@FUZZ
@given(EDITS)
def test_edited_cose_bytes(edits):
    mutated = mutate(COSE, edits)
    accepts_or_refuses(VERIFIER.verify_bytes, mutated)
    accepts_or_refuses(VERIFIER.verify, "MG1:" + b45encode(zlib.compress(mutated)))


@FUZZ
@given(st.integers(0, len(COSE) * 8 - 1))
def test_any_single_bit_flip_is_refused(bit):
    flipped = bytearray(COSE)
    flipped[bit // 8] ^= 1 << (bit % 8)
    try:
        VERIFIER.verify_bytes(bytes(flipped), at=NOW)
    except CodeRefused:
        return
    raise AssertionError(f"bit {bit} flipped and the code still verified")


@FUZZ
@given(cbor_values, cbor_values, cbor_values, cbor_values, st.booleans())
def test_random_cbor_structures(protected, unprotected, payload, signature, tag):
    items = [protected, unprotected, payload, signature]
    for value in (items, cbor2.CBORTag(18, items) if tag else cbor2.CBORTag(61, cbor2.CBORTag(18, items))):
        accepts_or_refuses(VERIFIER.verify_bytes, cbor2.dumps(value))


@FUZZ
@given(st.dictionaries(st.integers(-10, 10), cbor_values, max_size=4), cbor_values, cbor_values)
def test_random_headers_and_payloads_in_real_shape(protected, unprotected, payload):
    # A well-formed COSE_Sign1 skeleton, so the fuzz reaches the header and signature logic.
    protected.setdefault(4, KEY.kid)
    items = [cbor2.dumps(protected), unprotected, cbor2.dumps(payload), b"\0" * 64]
    accepts_or_refuses(VERIFIER.verify_bytes, cbor2.dumps(cbor2.CBORTag(18, items)))


@FUZZ
@given(st.one_of(st.binary(max_size=500), cbor_values.map(cbor2.dumps)))
def test_revocation_lists_and_key_sets_never_crash(data):
    try:
        RevocationList.verify(data, KeySet.of(KEY))
    except RevocationListRefused:
        pass
    try:
        KeySet.decode(data)
    except KeyFormatError:
        pass
