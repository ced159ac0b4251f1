import base45 as pypi_base45
import pytest
from hypothesis import given
from hypothesis import strategies as st

from magnet.core.talentcode.base45 import ALPHABET, b45decode, b45encode

# RFC 9285 §4.3 and §4.4 examples.
RFC_EXAMPLES = [(b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0")]


@pytest.mark.parametrize(("raw", "text"), RFC_EXAMPLES)
def test_rfc_9285_examples(raw, text):
    assert b45encode(raw) == text
    assert b45decode(text) == raw
    assert b45decode(text.encode()) == raw


def test_empty():
    assert b45encode(b"") == "" and b45decode("") == b""


@pytest.mark.parametrize(
    "bad",
    [
        "GGW",  # 65536: above the largest 16-bit value (RFC 9285 §4.4)
        ":::",  # 44 + 44*45 + 44*2025 = 91124
        "A",  # a single trailing character
        "BB8A",  # length ≡ 1 (mod 3)
        "bb8",  # lower case is not in the alphabet
        "BB\n",
        "BB8é",
        "::",  # final pair 44 + 44*45 = 2024 > 255
    ],
)
def test_refuses_invalid(bad):
    with pytest.raises(ValueError):
        b45decode(bad)


def test_alphabet_is_qr_alphanumeric():
    assert len(ALPHABET) == 45 and len(set(ALPHABET)) == 45


@given(st.binary(max_size=600))
def test_round_trip_and_agrees_with_pypi_base45(data):
    text = b45encode(data)
    assert text == pypi_base45.b45encode(data).decode()
    assert b45decode(text) == data


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_decoders_agree_on_any_alphabet_text(text):
    try:
        expected = pypi_base45.b45decode(text)
    except ValueError:
        with pytest.raises(ValueError):
            b45decode(text)
    else:
        assert b45decode(text) == expected
