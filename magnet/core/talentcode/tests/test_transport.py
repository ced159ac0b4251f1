import zlib

import pytest

from magnet.core.talentcode import PREFIX, CodeRefused, decode_code, encode_code
from magnet.core.talentcode.base45 import b45encode
from magnet.core.talentcode.transport import MAX_CODE_CHARS, inflate


def refused(reason, fn, *args, **kwargs):
    with pytest.raises(CodeRefused) as info:
        fn(*args, **kwargs)
    assert info.value.reason == reason, info.value
    return info.value


def test_round_trip_with_prefixes():
    cose = b"\xd2\x84" + bytes(range(200))
    assert encode_code(cose).startswith("MG1:")
    assert decode_code(encode_code(cose)) == cose
    assert decode_code(encode_code(cose, prefix="HC1:"), prefix="HC1:") == cose
    assert decode_code(encode_code(cose) + "\r\n") == cose  # a scanner's line end


def test_prefix():
    assert PREFIX == "MG1:"
    refused("bad_prefix", decode_code, "HC1:" + b45encode(zlib.compress(b"x")))
    refused("bad_prefix", decode_code, "")
    refused("bad_prefix", decode_code, "mg1:ABC")


def test_not_text_or_too_long():
    refused("malformed", decode_code, b"MG1:")
    refused("malformed", decode_code, None)
    refused("malformed", decode_code, "MG1:" + "0" * MAX_CODE_CHARS)


def test_bad_base45():
    refused("bad_base45", decode_code, "MG1:abc")
    refused("bad_base45", decode_code, "MG1:GGW")
    refused("bad_base45", decode_code, "MG1:ABCD")


def test_zip_bomb_is_stopped_at_the_bound():
    bomb = zlib.compress(b"\0" * 50_000_000, 9)  # ~50 MB of zeros in ~50 kB
    error = refused("bad_compression", inflate, bomb, max_size=16384)
    assert "more than 16384" in error.message


def test_truncated_corrupt_and_trailing_compressed_data():
    data = zlib.compress(bytes(range(256)) * 4)
    refused("bad_compression", inflate, data[:-5])
    refused("bad_compression", inflate, data[:2] + bytes(len(data) - 2))
    refused("bad_compression", inflate, data + b"junk")


def test_uncompressed_cbor_passes_through():
    # The DCC allows an uncompressed payload; CBOR's first bytes can never pass for a zlib header.
    for first in (0x84, 0xD2, 0xD8):
        assert inflate(bytes([first, 0x78, 0x9C])) == bytes([first, 0x78, 0x9C])
