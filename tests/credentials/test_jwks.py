"""SMART issuer key sets: thumbprint kids, no private keys, an issuer per key, clear errors for junk."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from guardstation.credentials.jwks import JwksError, jwk_for, parse_jwks, read_jwks, thumbprint
from guardstation.credentials.shc import verify_shc
from guardstation.credentials.trust import TrustStore

ISS = "https://vaksin.example.id/shc"
KEY = ec.derive_private_key(0x1155_AA01, ec.SECP256R1())
OTHER = ec.derive_private_key(0x1155_AA02, ec.SECP256R1())

# The example issuer of the SMART Health Cards specification (spec.smarthealth.cards/examples/issuer):
# a published EC key whose kid is its RFC 7638 thumbprint. (RFC 7638's own example is an RSA key.)
SPEC_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
SPEC_JWK = {
    "kty": "EC",
    "kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
    "use": "sig",
    "alg": "ES256",
    "crv": "P-256",
    "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
    "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8",
}


def jwks(*keys, **extra) -> str:
    return json.dumps({**extra, "keys": list(keys)})


def b64url(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()


def certificate_for(key, signer=None, days=365) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Issuer test")])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .sign(signer or key, hashes.SHA256())
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    return base64.b64encode(cert.public_bytes(Encoding.DER)).decode()


def test_thumbprint_of_the_spec_example_key():
    assert thumbprint(SPEC_JWK) == SPEC_JWK["kid"]


def test_spec_example_key_set_is_read():
    [key] = parse_jwks(jwks(SPEC_JWK), SPEC_ISSUER)
    assert key.kid == SPEC_JWK["kid"].encode("ascii")
    assert key.scheme == "shc" and key.issuer == SPEC_ISSUER and key.label == SPEC_ISSUER
    numbers = key.public_key.public_numbers()
    assert b64url(numbers.x) == SPEC_JWK["x"] and b64url(numbers.y) == SPEC_JWK["y"]
    assert key.not_before is None and key.not_after is None


def minimal_card(key, kid: str, iss: str) -> str:
    """A small SMART Health Card signed by `key` (test_shc.py builds the full ones)."""
    import zlib

    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    def enc(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    body = {
        "iss": iss,
        "nbf": 1_700_000_000,
        "vc": {
            "type": ["https://smarthealth.cards#health-card"],
            "credentialSubject": {
                "fhirBundle": {
                    "resourceType": "Bundle",
                    "entry": [
                        {
                            "resource": {
                                "resourceType": "Patient",
                                "name": [{"given": ["Budi"], "family": "Santoso"}],
                                "birthDate": "1980-02-03",
                            }
                        }
                    ],
                }
            },
        },
    }
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    payload = enc(deflater.compress(json.dumps(body).encode()) + deflater.flush())
    header = enc(json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid}).encode())
    r, s = decode_dss_signature(key.sign(f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256())))
    jws = f"{header}.{payload}.{enc(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    return "shc:/" + "".join(f"{ord(c) - 45:02d}" for c in jws)


def test_published_key_round_trips_and_verifies_a_card():
    keys = parse_jwks(jwks(jwk_for(KEY)), ISS)
    text = minimal_card(KEY, jwk_for(KEY)["kid"], ISS)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    assert verify_shc(text, TrustStore(keys), now).trusted
    # The same key filed for another issuer does not vouch for this card.
    assert (
        verify_shc(text, TrustStore(parse_jwks(jwks(jwk_for(KEY)), "https://else.example")), now).failure.code
        == "unknown_key"
    )


def test_kid_that_is_not_the_thumbprint_is_rejected():
    wrong = {**jwk_for(KEY), "kid": jwk_for(OTHER)["kid"]}
    with pytest.raises(JwksError, match="thumbprint"):
        parse_jwks(jwks(wrong), ISS)
    with pytest.raises(JwksError, match="thumbprint"):
        parse_jwks(jwks(jwk_for(KEY), {**jwk_for(OTHER), "kid": "my-key-2021"}), ISS)  # one bad key refuses all
    result = read_jwks(jwks(jwk_for(KEY), wrong), ISS)
    assert len(result.keys) == 1 and len(result.rejected) == 1


def test_private_keys_are_refused_loudly():
    private = {**jwk_for(KEY), "d": b64url(KEY.private_numbers().private_value)}
    with pytest.raises(JwksError, match="PRIVATE"):
        parse_jwks(jwks(private), ISS)
    # Even on a key that would otherwise be skipped.
    with pytest.raises(JwksError, match="PRIVATE"):
        parse_jwks(jwks(jwk_for(OTHER), {"kty": "oct", "k": "c2VjcmV0", "d": "x"}), ISS)


def test_wrapper_carries_the_issuer():
    [key] = parse_jwks(jwks(jwk_for(KEY), iss=ISS), None)
    assert key.issuer == ISS
    assert parse_jwks(jwks(jwk_for(KEY), iss=ISS), ISS)[0].issuer == ISS
    with pytest.raises(JwksError, match="names issuer"):
        parse_jwks(jwks(jwk_for(KEY), iss=ISS), "https://someone-else.example")
    with pytest.raises(JwksError, match="issuer URL is missing"):
        parse_jwks(jwks(jwk_for(KEY)), None)


@pytest.mark.parametrize(
    "issuer", ["http://vaksin.example.id", "https://vaksin.example.id/", "vaksin.example.id", "https://a b.example", ""]
)
def test_issuer_must_be_an_https_url_without_trailing_slash(issuer):
    with pytest.raises(JwksError, match="issuer"):
        parse_jwks(jwks(jwk_for(KEY)), issuer)


def test_keys_for_other_purposes_are_skipped():
    rsa_like = {"kty": "RSA", "kid": "r1", "n": "AQAB", "e": "AQAB"}
    encryption = {**jwk_for(OTHER), "use": "enc"}
    result = read_jwks(jwks(rsa_like, encryption, jwk_for(KEY)), ISS)
    assert [k.kid for k in result.keys] == [jwk_for(KEY)["kid"].encode()]
    assert len(result.skipped) == 2 and not result.rejected
    assert len(parse_jwks(jwks(rsa_like, jwk_for(KEY)), ISS)) == 1
    with pytest.raises(JwksError, match="no SMART Health Card signing key"):
        parse_jwks(jwks(rsa_like), ISS)
    with pytest.raises(JwksError, match="no SMART Health Card signing key"):
        parse_jwks(jwks(), ISS)


@pytest.mark.parametrize(
    "change, words",
    [
        ({"crv": "P-384"}, "P-256"),
        ({"alg": "ES384"}, "ES256"),
        ({"x": "AAAA"}, "32 bytes"),
        ({"x": "not base64!"}, "base64url"),
        ({"y": 42}, "base64url"),
        ({"kid": None}, "kid"),
    ],
)
def test_broken_signing_keys_are_rejected(change, words):
    with pytest.raises(JwksError, match=words):
        parse_jwks(jwks({**jwk_for(KEY), **change}), ISS)


def test_point_not_on_the_curve_is_rejected():
    bad = {"kty": "EC", "crv": "P-256", "x": b64url(1), "y": b64url(1)}
    bad["kid"] = thumbprint(bad)
    with pytest.raises(JwksError, match="not a point on P-256"):
        parse_jwks(jwks(bad), ISS)


def test_x5c_must_hold_the_same_key_and_bounds_its_validity():
    [key] = parse_jwks(jwks({**jwk_for(KEY), "x5c": [certificate_for(KEY)]}), ISS)
    assert key.not_before == datetime(2026, 1, 1, tzinfo=UTC)
    assert key.not_after == datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(JwksError, match="different public key"):
        parse_jwks(jwks({**jwk_for(KEY), "x5c": [certificate_for(OTHER)]}), ISS)
    with pytest.raises(JwksError, match="x5c"):
        parse_jwks(jwks({**jwk_for(KEY), "x5c": ["bm90IGEgY2VydA=="]}), ISS)
    with pytest.raises(JwksError, match="x5c"):
        parse_jwks(jwks({**jwk_for(KEY), "x5c": "MIIB"}), ISS)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not json",
        "[]",
        "null",
        '{"keys": 5}',
        '{"kes": []}',
        '{"keys": [1, "a", null]}',
        '{"keys": [{"kty": "EC", "x": NaN}]}',
        "[" * 10_000 + "]" * 10_000,
        "{" * 100_000,
        b"\xff\xfe\x00",
        "x" * 2_000_000,
        '{"keys": [' + ",".join(["{}"] * 1001) + "]}",
    ],
)
def test_garbage_is_a_jwks_error_with_a_message(text):
    with pytest.raises(JwksError) as caught:
        parse_jwks(text, ISS)
    assert str(caught.value)


def test_bytes_with_a_bom_are_accepted():
    data = ("\ufeff" + jwks(jwk_for(KEY))).encode("utf-8")
    assert len(parse_jwks(data, ISS)) == 1


@settings(max_examples=500, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=50),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(
                st.sampled_from(["keys", "kty", "crv", "x", "y", "kid", "d", "use", "alg", "x5c", "iss"]), c, max_size=6
            )
        ),
        max_leaves=25,
    )
)
def test_arbitrary_json_is_keys_or_a_jwks_error(value):
    for candidate in (value, {"keys": value}, {"keys": [value]}, {"keys": [{**jwk_for(KEY), "x5c": value}]}):
        try:
            keys = parse_jwks(json.dumps(candidate), ISS)
        except JwksError as exc:
            assert str(exc)
        else:
            assert keys and all(k.issuer == ISS and k.scheme == "shc" for k in keys)
