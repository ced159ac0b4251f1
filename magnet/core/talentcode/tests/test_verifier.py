import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from magnet.core.talentcode import (
    EDDSA,
    ES256,
    PS256,
    CodeRefused,
    KeyRing,
    KeySet,
    PublicKey,
    Reason,
    RevocationList,
    SigningKey,
    Verifier,
    encode_code,
    issue,
    sign1,
    sign_claims,
)
from magnet.core.talentcode.base45 import b45decode, b45encode

from .conftest import CITY, NOW, make_claims
from .cosehelp import code_of, cose_of, sign_with


def refused(reason, fn, *args, **kwargs) -> CodeRefused:
    with pytest.raises(CodeRefused) as info:
        fn(*args, **kwargs)
    assert info.value.reason == reason, repr(info.value)
    assert info.value.message
    return info.value


# -- round trip ------------------------------------------------------------------------------------


def test_round_trip(verifier, code, claims):
    assert code.startswith("MG1:")
    assert verifier.verify(code, at=NOW + 10) == claims


def test_round_trip_bare_cose_and_generic_cwt(verifier, key, claims):
    cose = sign_claims(claims, key)
    assert cose[0] == 0xD2  # tag 18
    assert verifier.verify_bytes(cose, at=NOW) == claims
    verified = verifier.verify_cwt(cose, at=NOW)
    assert verified.kid == key.kid and verified.alg == EDDSA
    assert verified.to_json()["tier"] == "B" and verified.to_json()["cti"] == claims.cti.hex()


def test_untagged_and_cwt_tagged_messages_verify(verifier, code, claims):
    items = cose_of(code)
    assert verifier.verify(code_of(items, tag=False), at=NOW) == claims
    cwt_tagged = cbor2.dumps(cbor2.CBORTag(61, cbor2.CBORTag(18, items)))
    assert verifier.verify_bytes(cwt_tagged, at=NOW) == claims


def test_protected_header_has_alg_and_kid(code, key):
    protected, unprotected, _, signature = cose_of(code)
    assert cbor2.loads(protected) == {1: -8, 4: key.kid} and unprotected == {} and len(signature) == 64


def test_default_time_is_now(key):
    code = issue(make_claims(now=None), key)
    assert Verifier(KeySet.of(key)).verify(code).tier == "B"


# -- tampering -------------------------------------------------------------------------------------


def test_flipped_payload_byte(verifier, code):
    protected, unprotected, payload, signature = cose_of(code)
    for i in (0, len(payload) // 2, len(payload) - 1):
        tampered = bytearray(payload)
        tampered[i] ^= 0x01
        refused("bad_signature", verifier.verify, code_of([protected, unprotected, bytes(tampered), signature]), at=NOW)


def test_flipped_signature_byte(verifier, code):
    protected, unprotected, payload, signature = cose_of(code)
    for i in (0, 31, 32, 63):
        tampered = bytearray(signature)
        tampered[i] ^= 0x80
        refused("bad_signature", verifier.verify, code_of([protected, unprotected, payload, bytes(tampered)]), at=NOW)


def test_changed_claim_resigned_by_nobody(verifier, code):
    protected, unprotected, payload, signature = cose_of(code)
    claims = cbor2.loads(payload)
    claims[-65537] = "A"  # promote oneself to tier A
    refused("bad_signature", verifier.verify, code_of([protected, unprotected, cbor2.dumps(claims), signature]), at=NOW)


def test_short_or_empty_signature(verifier, code):
    protected, unprotected, payload, signature = cose_of(code)
    refused("bad_signature", verifier.verify, code_of([protected, unprotected, payload, signature[:63]]), at=NOW)
    refused("bad_signature", verifier.verify, code_of([protected, unprotected, payload, b""]), at=NOW)


# -- time ------------------------------------------------------------------------------------------


def test_expired(verifier, code, claims):
    assert verifier.verify(code, at=claims.exp - 1)
    error = refused("expired", verifier.verify, code, at=claims.exp)  # RFC 8392: not on or after exp
    assert "expired" in error.message
    refused("expired", verifier.verify, code, at=claims.exp + 3600)


def test_not_yet_valid(verifier, key):
    code = issue(make_claims(nbf=NOW + 60), key)
    refused("not_yet_valid", verifier.verify, code, at=NOW + 59)
    assert verifier.verify(code, at=NOW + 60)


def test_issued_in_the_future(verifier, code):
    refused("not_yet_valid", verifier.verify, code, at=NOW - 1)


def test_leeway(key, code, claims):
    lenient = Verifier(KeySet.of(key), leeway=30)
    assert lenient.verify(code, at=claims.exp + 29) and lenient.verify(code, at=NOW - 29)
    refused("expired", lenient.verify, code, at=claims.exp + 30)


def test_float_times(verifier, code, claims):
    assert verifier.verify(code, at=claims.exp - 0.5)
    refused("expired", verifier.verify, code, at=claims.exp + 0.0)
    with pytest.raises(TypeError):
        verifier.verify(code, at="now")


# -- keys ------------------------------------------------------------------------------------------


def test_wrong_key_same_kid(code, key):
    impostor = SigningKey.generate(kid=key.kid)  # a key that claims the city's kid
    refused("bad_signature", Verifier(KeySet.of(impostor)).verify, code, at=NOW)
    forged = issue(make_claims(), impostor)
    refused("bad_signature", Verifier(KeySet.of(key)).verify, forged, at=NOW)


def test_unknown_kid(code):
    error = refused("unknown_kid", Verifier(KeySet.of(SigningKey.generate())).verify, code, at=NOW)
    assert "no trusted key" in error.message
    refused("unknown_kid", Verifier(KeySet()).verify, code, at=NOW)


def test_missing_kid(verifier, key, claims):
    cose = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()))
    refused("unknown_kid", verifier.verify_bytes, cose, at=NOW)


def test_kid_in_unprotected_header_is_accepted(verifier, key, claims):
    cose = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()), unprotected={4: key.kid})
    assert verifier.verify_bytes(cose, at=NOW) == claims


def test_protected_kid_wins_over_unprotected(verifier, key, claims):
    cose = sign_with(
        key._key, EDDSA, cbor2.dumps(claims.to_cwt()), protected={1: EDDSA, 4: b"other"}, unprotected={4: key.kid}
    )
    refused("unknown_kid", verifier.verify_bytes, cose, at=NOW)


def test_rotation(claims):
    old, new = SigningKey.generate(), SigningKey.generate()
    ring = KeyRing.from_keys(old).rotate(new)
    old_code, new_code = issue(claims, old), issue(claims, ring.current)
    verifier = Verifier(ring.keyset)
    assert verifier.verify(old_code, at=NOW) == verifier.verify(new_code, at=NOW) == claims
    retired = Verifier(ring.retire(old.kid).keyset)
    refused("unknown_kid", retired.verify, old_code, at=NOW)
    assert retired.verify(new_code, at=NOW)
    # the published key set survives the trip through CBOR
    assert Verifier(KeySet.decode(ring.keyset.encode())).verify(old_code, at=NOW)


# -- algorithms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("private", "alg"),
    [
        (ec.generate_private_key(ec.SECP256R1()), ES256),
        (rsa.generate_private_key(public_exponent=65537, key_size=2048), PS256),
    ],
)
def test_es256_and_ps256_talent_codes_verify(private, alg, claims):
    public = PublicKey(private.public_key())
    cose = sign_with(private, alg, cbor2.dumps(claims.to_cwt()), protected={1: alg, 4: public.kid})
    verifier = Verifier(KeySet.of(public))
    assert verifier.verify(encode_code(cose), at=NOW) == claims
    signature = cbor2.loads(cose).value[3]
    assert len(signature) == (64 if alg == ES256 else 256)  # ES256 is raw r‖s, not DER
    only_eddsa = Verifier(KeySet.of(public), algorithms=frozenset({EDDSA}))
    refused("unsupported_alg", only_eddsa.verify_bytes, cose, at=NOW)


def test_der_ecdsa_signature_is_refused(claims):
    from cryptography.hazmat.primitives import hashes

    from magnet.core.talentcode.cose import sig_structure

    private = ec.generate_private_key(ec.SECP256R1())
    public = PublicKey(private.public_key())
    protected = cbor2.dumps({1: ES256, 4: public.kid})
    payload = cbor2.dumps(claims.to_cwt())
    der = private.sign(sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, der]))
    refused("bad_signature", Verifier(KeySet.of(public)).verify_bytes, cose, at=NOW)


def test_algorithm_must_fit_the_key(verifier, key, claims):
    # An EdDSA key named under ES256: no algorithm switching.
    cose = sign_with(key._key, ES256, cbor2.dumps(claims.to_cwt()), protected={1: ES256, 4: key.kid})
    refused("unsupported_alg", verifier.verify_bytes, cose, at=NOW)


def test_algorithm_must_be_protected(verifier, key, claims):
    cose = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()), protected={4: key.kid}, unprotected={1: EDDSA})
    error = refused("unsupported_alg", verifier.verify_bytes, cose, at=NOW)
    assert "protected" in error.message


@pytest.mark.parametrize("alg", [-35, -259, 5, "EdDSA", True])
def test_unsupported_algorithms(verifier, key, claims, alg):
    cose = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()), protected={1: alg, 4: key.kid})
    refused("unsupported_alg", verifier.verify_bytes, cose, at=NOW)


def test_unknown_critical_header(verifier, key, claims):
    cose = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()), protected={1: EDDSA, 4: key.kid, 2: [99], 99: 1})
    refused("not_cose", verifier.verify_bytes, cose, at=NOW)
    ok = sign_with(key._key, EDDSA, cbor2.dumps(claims.to_cwt()), protected={1: EDDSA, 4: key.kid, 2: [1]})
    assert verifier.verify_bytes(ok, at=NOW) == claims


# -- claims, issuer, type ----------------------------------------------------------------------------


def test_wrong_issuer(key):
    code = issue(make_claims(iss="https://talent.other-city.example"), key)
    refused("wrong_issuer", Verifier(KeySet.of(key), issuer=CITY).verify, code, at=NOW)
    assert Verifier(KeySet.of(key)).verify(code, at=NOW)  # no issuer required


@pytest.mark.parametrize(
    "payload",
    [
        cbor2.dumps([1, 2]),
        b"\xff\xff",
        cbor2.dumps({1: CITY, 4: NOW + 60}),  # a CWT, but not a talent code
        cbor2.dumps({1: CITY, 2: "110101199003071234", 4: NOW + 60, 6: NOW, 7: b"x", -65537: "A", -65538: []}),
        cbor2.dumps({1: CITY, 2: "t_1", 4: NOW + 60, 6: NOW, 7: b"x", -65537: "Z", -65538: []}),
    ],
)
def test_signed_but_bad_claims(verifier, key, payload):
    refused("bad_claims", verifier.verify_bytes, sign1(payload, key), at=NOW)


def test_generic_cwt_needs_exp(verifier, key):
    refused("bad_claims", verifier.verify_cwt, sign1(cbor2.dumps({1: CITY}), key), at=NOW)
    refused("bad_claims", verifier.verify_cwt, sign1(cbor2.dumps({1: CITY, 4: "tomorrow"}), key), at=NOW)
    refused("bad_claims", verifier.verify_cwt, sign1(cbor2.dumps({1: CITY, 4: NOW + 9, 5: "x"}), key), at=NOW)
    assert verifier.verify_cwt(sign1(cbor2.dumps({1: CITY, 4: NOW + 9}), key), at=NOW).claims == {1: CITY, 4: NOW + 9}


def test_revocation_list_is_not_a_code(verifier, key):
    signed_list = RevocationList.of(iss=CITY, iat=NOW).sign(key)
    refused("wrong_type", verifier.verify_bytes, signed_list, at=NOW)
    refused("wrong_type", verifier.verify, encode_code(signed_list), at=NOW)


def test_cwt_content_type_is_accepted(verifier, key, claims):
    cose = sign1(cbor2.dumps(claims.to_cwt()), key, content_type=61)
    assert verifier.verify_bytes(cose, at=NOW) == claims


# -- revocation ------------------------------------------------------------------------------------


def test_revoked_by_cti_and_by_subject(key, code, claims):
    keys = KeySet.of(key)
    by_cti = RevocationList.verify(RevocationList.of(iss=CITY, iat=NOW, ctis=[claims.cti]).sign(key), keys)
    refused("revoked", Verifier(keys, by_cti).verify, code, at=NOW)
    by_sub = RevocationList.of(iss=CITY, iat=NOW, subjects=[claims.sub])
    refused("revoked", Verifier(keys, by_sub).verify, code, at=NOW)
    others = RevocationList.of(iss=CITY, iat=NOW, ctis=[b"\0" * 16], subjects=["t_other"])
    assert Verifier(keys, others).verify(code, at=NOW) == claims


# -- input shape -----------------------------------------------------------------------------------


def test_truncated(verifier, code):
    for cut in (1, 2, 3, 30, len(code) - 5):
        with pytest.raises(CodeRefused) as info:
            verifier.verify(code[:-cut], at=NOW)
        assert info.value.reason in {"bad_base45", "bad_compression", "bad_prefix"}
    compressed = b45decode(code[4:])
    for cut in (1, 4, len(compressed) // 2):  # valid base45 of a zlib stream cut short
        refused("bad_compression", verifier.verify, "MG1:" + b45encode(compressed[:-cut]), at=NOW)
    refused("not_cose", verifier.verify_bytes, cbor2.dumps(cbor2.CBORTag(18, cose_of(code)))[:-1], at=NOW)


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        ("", "bad_prefix"),
        ("hello", "bad_prefix"),
        ("MG1:", "not_cose"),
        ("MG1:%%%%%%", "bad_base45"),
        ("MG1:hello", "bad_base45"),
        ("MG1:0123456789", "bad_base45"),
        ("MG1:BB8", "not_cose"),
        (None, "malformed"),
        (42, "malformed"),
    ],
)
def test_garbage(verifier, garbage, reason):
    refused(reason, verifier.verify, garbage, at=NOW)


def test_wrong_prefix(verifier, code, key, claims):
    refused("bad_prefix", verifier.verify, "HC1:" + code[4:], at=NOW)
    refused("bad_prefix", verifier.verify, code[4:], at=NOW)
    hc1 = Verifier(KeySet.of(key), prefix="HC1:")
    assert hc1.verify(issue(claims, key, prefix="HC1:"), at=NOW) == claims


@pytest.mark.parametrize(
    "value",
    [
        cbor2.CBORTag(17, []),
        cbor2.CBORTag(98, []),
        [b"", {}, b""],
        [b"", {}, None, b""],  # detached payload
        [b"\xa1\x01", {}, b"", b""],  # protected header not valid CBOR
        [cbor2.dumps([1]), {}, b"", b""],  # protected header not a map
        [b"", [], b"", b""],
        [b"", {}, b"", "sig"],
        {"a": 1},
        "text",
    ],
)
def test_not_cose(verifier, value):
    refused("not_cose", verifier.verify_bytes, cbor2.dumps(value), at=NOW)


def test_trailing_bytes_after_the_message(verifier, key, claims):
    refused("not_cose", verifier.verify_bytes, sign_claims(claims, key) + b"\0", at=NOW)


def test_bare_bytes_are_bounded(verifier):
    refused("malformed", verifier.verify_bytes, b"\0" * 20000, at=NOW)
    refused("malformed", verifier.verify_bytes, "d284", at=NOW)


def test_reason_values_are_stable():
    assert {r.value for r in Reason} == {
        "malformed", "bad_prefix", "bad_base45", "bad_compression", "not_cose", "wrong_type", "unsupported_alg",
        "unknown_kid", "bad_signature", "bad_claims", "wrong_issuer", "expired", "not_yet_valid", "revoked",
    }  # fmt: skip
    error = CodeRefused(Reason.EXPIRED, "the code expired")
    assert error.reason == "expired" and str(error) == "the code expired" and "expired" in repr(error)
