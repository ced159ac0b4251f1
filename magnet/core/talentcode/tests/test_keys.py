import hashlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from magnet.core.talentcode import (
    EDDSA,
    ES256,
    PS256,
    KeyFormatError,
    KeyRing,
    KeySet,
    PublicKey,
    SigningKey,
    thumbprint,
)


def test_rfc_9679_thumbprint_example():
    # RFC 9679 §6: EC2 P-256 key and its SHA-256 COSE Key Thumbprint.
    x = bytes.fromhex("65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d")
    y = bytes.fromhex("1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c")
    key = PublicKey.from_cose({1: 2, -1: 1, -2: x, -3: y})
    assert thumbprint(key.key).hex() == "496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec"
    assert key.kid == bytes.fromhex("496bd8afadf307e5")  # kid defaults to the first 8 bytes


def test_signing_key_round_trip_and_kid():
    key = SigningKey.generate()
    again = SigningKey.from_private_bytes(key.private_bytes())
    assert again.kid == key.kid and len(key.kid) == 8
    assert key.public == again.public
    assert key.kid == thumbprint(key.public.key)[:8]
    assert "private" not in repr(key) and key.private_bytes().hex() not in repr(key)
    assert SigningKey.generate(kid=b"city-2026").kid == b"city-2026"


@pytest.mark.parametrize(
    ("private", "alg"),
    [
        (Ed25519PrivateKey.generate(), EDDSA),
        (ec.generate_private_key(ec.SECP256R1()), ES256),
        (rsa.generate_private_key(public_exponent=65537, key_size=2048), PS256),
    ],
)
def test_cose_key_round_trip(private, alg):
    key = PublicKey(private.public_key())
    encoded = key.encode()
    back = PublicKey.decode(encoded)
    assert back == key and back.kid == key.kid
    assert cbor2.loads(encoded)[3] == alg
    assert back.accepts(alg) and not back.accepts(EDDSA if alg != EDDSA else ES256)


def test_key_set_round_trip_and_single_key_file():
    keys = KeySet.of(
        SigningKey.generate(), SigningKey.generate(), PublicKey(ec.generate_private_key(ec.SECP256R1()).public_key())
    )
    back = KeySet.decode(keys.encode())
    assert [k.kid for k in back] == [k.kid for k in keys] and back == keys
    single = KeySet.decode(keys.keys[0].encode())
    assert len(single) == 1 and keys.keys[0].kid in single


def test_duplicate_kids_are_refused():
    key = SigningKey.generate()
    with pytest.raises(KeyFormatError):
        KeySet.of(key, SigningKey.generate(kid=key.kid))


def test_compressed_ec_point_and_private_parameters_ignored():
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    x = numbers.x.to_bytes(32, "big")
    key = PublicKey.from_cose({1: 2, -1: 1, -2: x, -3: bool(numbers.y & 1), -4: b"\x01" * 32, 2: b"k"})
    assert key.key.public_numbers() == numbers
    assert -4 not in cbor2.loads(key.encode())  # never written


@pytest.mark.parametrize(
    "cose",
    [
        [],
        {1: 1, -1: 6, -2: b"short"},
        {1: 1, -1: 4, -2: b"\0" * 32},  # X25519 is not a signature key
        {1: 2, -1: 2, -2: b"\0" * 48, -3: b"\0" * 48},  # P-384
        {1: 2, -1: 1, -2: b"\0" * 32, -3: b"\0" * 32},  # not on the curve
        {1: 4, -1: b"secret"},  # symmetric
        {1: 1, -1: 6, -2: b"\0" * 32, 3: -7},  # alg does not fit the key type
        {1: 1, -1: 6, -2: b"\0" * 32, 3: "EdDSA"},
        {1: 1, -1: 6, -2: b"\0" * 32, 2: "text-kid"},
        {1: 3, -1: b"\x01" * 128, -2: b"\x01\x00\x01"},  # 1024-bit RSA
    ],
)
def test_bad_cose_keys(cose):
    with pytest.raises(KeyFormatError):
        PublicKey.from_cose(cose)


@pytest.mark.parametrize("data", [b"", b"\xff", b"\x18", cbor2.dumps("a key"), cbor2.dumps([{1: 9}]), "text"])
def test_bad_key_set_bytes(data):
    with pytest.raises(KeyFormatError):
        KeySet.decode(data)


def test_from_x509_uses_the_dcc_kid():
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(private, hashes.SHA256())
    )
    der = cert.public_bytes(Encoding.DER)
    key = PublicKey.from_x509(der)
    assert key.kid == hashlib.sha256(der).digest()[:8]
    with pytest.raises(KeyFormatError):
        PublicKey.from_x509(b"not a certificate")


def test_key_ring_rotation_and_retirement():
    first, second, third = SigningKey.generate(), SigningKey.generate(), SigningKey.generate()
    ring = KeyRing.from_keys(first)
    assert [k.kid for k in ring.keyset] == [first.kid]
    ring = ring.rotate(second)
    assert ring.current is second and [k.kid for k in ring.keyset] == [second.kid, first.kid]
    ring = ring.rotate(third)
    assert [k.kid for k in ring.keyset] == [third.kid, second.kid, first.kid]
    ring = ring.retire(first.kid)
    assert first.kid not in ring.keyset and second.kid in ring.keyset
    with pytest.raises(ValueError):
        ring.retire(third.kid)
    assert [k.kid for k in ring.rotate(first, keep_previous=False).keyset] == [first.kid, second.kid]


# Ed25519 verification runs on libsodium (PyNaCl) for speed; it must agree with cryptography (OpenSSL).
L = 2**252 + 27742317777372353535851937790883648493  # the order of the Ed25519 base point


def _both(public: PublicKey, signature: bytes, data: bytes) -> tuple[bool, bool]:
    from cryptography.exceptions import InvalidSignature

    try:
        public.key.verify(signature, data)
        openssl = True
    except InvalidSignature:
        openssl = False
    return public.verify(EDDSA, signature, data), openssl


@given(st.binary(max_size=300), st.integers(0, 511), st.integers(0, 2))
@settings(max_examples=200, deadline=None)
def test_ed25519_libsodium_agrees_with_openssl(data, bit, mode):
    key = SigningKey.generate()
    signature = key.sign(data)
    assert _both(key.public, signature, data) == (True, True)
    if mode == 0:  # flip a bit of the signature
        changed = bytearray(signature)
        changed[bit // 8] ^= 1 << (bit % 8)
        assert _both(key.public, bytes(changed), data) == (False, False)
    elif mode == 1:  # change the message
        assert _both(key.public, signature, data + b"\0") == (False, False)
    else:  # the malleable twin: S + L is the same scalar, but not canonical (RFC 8032 §5.1.7)
        s = int.from_bytes(signature[32:], "little") + L
        if s < 2**256:
            twin = signature[:32] + s.to_bytes(32, "little")
            assert _both(key.public, twin, data) == (False, False)


def test_ed25519_wrong_lengths_are_refused():
    key = SigningKey.generate()
    signature = key.sign(b"m")
    assert not key.public.verify(EDDSA, signature[:-1], b"m")
    assert not key.public.verify(EDDSA, signature + b"\0", b"m")
    assert not key.public.verify(EDDSA, b"", b"m")
