"""COSE_Sign1: malformed envelopes are CoseErrors; signatures hold only for the exact content."""

from __future__ import annotations

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from guardstation.credentials.cose import (
    ALG_EDDSA,
    ALG_ES256,
    COSE_SIGN1_TAG,
    HEADER_ALG,
    HEADER_KID,
    CoseError,
    Sign1,
    decode_sign1,
    sign1_ed25519,
    verify_signature,
)

KEY = ed25519.Ed25519PrivateKey.from_private_bytes(b"\x11" * 32)
KID = b"kid-0001"
PROTECTED = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: KID})


@pytest.mark.parametrize("data", [b"", b"\xff", b"\x9f\x01", b"not cbor at all \xfe\xff", b"\x5a\xff\xff\xff\xff"])
def test_non_cbor_is_rejected(data):
    with pytest.raises(CoseError):
        decode_sign1(data)


def test_wrong_tag_is_rejected():
    with pytest.raises(CoseError, match="tag"):
        decode_sign1(cbor2.dumps(cbor2.CBORTag(98, [PROTECTED, {}, b"x", b"y"])))


@pytest.mark.parametrize("arity", [0, 1, 3, 5])
def test_wrong_arity_is_rejected(arity):
    items = [PROTECTED, {}, b"payload", b"sig", b"extra"][:arity]
    with pytest.raises(CoseError):
        decode_sign1(cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, items)))
    with pytest.raises(CoseError):
        decode_sign1(cbor2.dumps(items))


@pytest.mark.parametrize(
    "items",
    [
        ["not bytes", {}, b"payload", b"sig"],  # protected must be a byte string
        [PROTECTED, {}, "payload", b"sig"],  # payload must be bytes
        [PROTECTED, {}, b"payload", 12345],  # signature must be bytes
        [PROTECTED, [1, 2], b"payload", b"sig"],  # unprotected must be a map
        [b"\xff", {}, b"payload", b"sig"],  # protected header is not CBOR
        [cbor2.dumps([1, 2]), {}, b"payload", b"sig"],  # protected header is not a map
    ],
)
def test_wrong_field_types_are_rejected(items):
    with pytest.raises(CoseError):
        decode_sign1(cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, items)))


@pytest.mark.parametrize("obj", [{"a": 1}, 42, "text", None])
def test_not_an_array_is_rejected(obj):
    with pytest.raises(CoseError):
        decode_sign1(cbor2.dumps(obj))


def test_cose_error_is_a_value_error():
    assert issubclass(CoseError, ValueError)


def test_valid_ed25519_message_decodes_and_verifies():
    data = sign1_ed25519(KEY, KID, b"claims")
    message = decode_sign1(data)
    assert message.alg == ALG_EDDSA
    assert message.kid == KID
    assert message.payload == b"claims"
    assert verify_signature(message, KEY.public_key())


def test_untagged_message_is_accepted():
    tagged = cbor2.loads(sign1_ed25519(KEY, KID, b"claims"))
    untagged = cbor2.dumps(list(tagged.value))
    assert verify_signature(decode_sign1(untagged), KEY.public_key())


def test_modified_payload_does_not_verify():
    message = decode_sign1(sign1_ed25519(KEY, KID, b"doses=2"))
    forged = Sign1(message.protected_bytes, message.protected, message.unprotected, b"doses=3", message.signature)
    assert not verify_signature(forged, KEY.public_key())


def test_modified_protected_header_does_not_verify():
    message = decode_sign1(sign1_ed25519(KEY, KID, b"claims"))
    other_protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: b"kid-0002"})
    forged = Sign1(other_protected, cbor2.loads(other_protected), {}, message.payload, message.signature)
    assert not verify_signature(forged, KEY.public_key())


def test_other_key_does_not_verify():
    message = decode_sign1(sign1_ed25519(KEY, KID, b"claims"))
    other = ed25519.Ed25519PrivateKey.from_private_bytes(b"\x22" * 32)
    assert not verify_signature(message, other.public_key())


def test_algorithm_and_key_type_must_match():
    # An EdDSA message checked against an EC key, or an ES256 header over an Ed25519 signature: never valid.
    message = decode_sign1(sign1_ed25519(KEY, KID, b"claims"))
    ec_key = ec.generate_private_key(ec.SECP256R1())
    assert not verify_signature(message, ec_key.public_key())
    es_protected = cbor2.dumps({HEADER_ALG: ALG_ES256, HEADER_KID: KID})
    relabelled = Sign1(es_protected, cbor2.loads(es_protected), {}, message.payload, message.signature)
    assert not verify_signature(relabelled, KEY.public_key())


def test_kid_in_the_unprotected_header_is_found_and_protected_wins():
    only_unprotected = decode_sign1(
        cbor2.dumps([cbor2.dumps({HEADER_ALG: ALG_EDDSA}), {HEADER_KID: b"u-kid"}, b"p", b"s"])
    )
    assert only_unprotected.kid == b"u-kid"
    both = decode_sign1(cbor2.dumps([PROTECTED, {HEADER_KID: b"u-kid"}, b"p", b"s"]))
    assert both.kid == KID
    text_kid = decode_sign1(cbor2.dumps([cbor2.dumps({HEADER_KID: "text"}), {}, b"p", b"s"]))
    assert text_kid.kid is None
