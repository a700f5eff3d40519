"""DCC signer certificates and trust lists: every accepted encoding, every rejection with a message."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from guardstation.credentials.trust import TrustStore, kid_for
from guardstation.credentials.x509_keys import (
    TrustImportError,
    certificate_der,
    dcc_kid,
    dcc_trusted_key,
    dcc_usage,
    load_certificates,
    parse_dcc_trust_list,
)

NOT_BEFORE = datetime(2021, 5, 1, tzinfo=UTC)
NOT_AFTER = datetime(2023, 5, 1, tzinfo=UTC)
OID_T, OID_V, OID_R = (x509.ObjectIdentifier(f"1.3.6.1.4.1.1847.2021.1.{n}") for n in (1, 2, 3))
ALT_T, ALT_V, ALT_R = (x509.ObjectIdentifier(f"1.3.6.1.4.1.0.1847.2021.1.{n}") for n in (1, 2, 3))
EC_KEY = ec.derive_private_key(0xC0FFEE, ec.SECP256R1())


def make_cert(
    key=EC_KEY, *, eku=None, cn="DSC Test", country="DE", serial=1, not_before=NOT_BEFORE, not_after=NOT_AFTER
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.COUNTRY_NAME, country)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    return builder.sign(key, hashes.SHA256())


def der_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem_of(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


CERT = make_cert(eku=[OID_V])
OTHER = make_cert(ec.derive_private_key(0xBEEF, ec.SECP256R1()), cn="Other DSC", country="AT", serial=2)


# ---------------------------------------------------------------- encodings


def test_single_pem():
    assert load_certificates(pem_of(CERT)) == [CERT]


def test_pem_as_text_with_surrounding_noise():
    text = "Bag Attributes: x\n" + pem_of(CERT).decode() + "\ntrailing words\n"
    assert load_certificates(text) == [CERT]


def test_multi_pem_keeps_order():
    assert load_certificates(pem_of(CERT) + b"\n" + pem_of(OTHER)) == [CERT, OTHER]


def test_der():
    assert load_certificates(der_of(CERT)) == [CERT]


@pytest.mark.parametrize("wrap", [None, 64])
def test_base64_der(wrap):
    text = base64.b64encode(der_of(CERT)).decode()
    if wrap:
        text = "\n".join(text[i : i + wrap] for i in range(0, len(text), wrap))
    assert load_certificates(text.encode()) == [CERT]
    assert load_certificates("  " + text + "\n") == [CERT]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"hello world", "not a certificate"),
        (b"\x00\x01\x02garbage", "not a certificate"),
        (b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "BEGIN CERTIFICATE"),
        (b"-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----", "damaged"),
        (b"-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----", "not a valid X.509"),
        (b"\x30\x03\x02\x01\x01", "not a valid X.509"),
        (base64.b64encode(b"\x30\x82\x01\x00" + b"\x00" * 10), "not a valid X.509"),
    ],
)
def test_garbage_is_rejected_with_a_message(data, words):
    with pytest.raises(TrustImportError) as info:
        load_certificates(data)
    assert words.lower() in str(info.value).lower()
    assert isinstance(info.value, ValueError)


def test_truncated_der_is_rejected():
    with pytest.raises(TrustImportError, match="X.509"):
        load_certificates(der_of(CERT)[:-20])


# ---------------------------------------------------------------- the trusted key


def test_trusted_key_fields():
    key = dcc_trusted_key(CERT)
    assert key.scheme == "dcc"
    assert key.kid == hashlib.sha256(der_of(CERT)).digest()[:8]
    assert key.kid != kid_for(EC_KEY.public_key())  # the DCC kid hashes the certificate, not the key
    assert key.not_before == NOT_BEFORE and key.not_after == NOT_AFTER
    assert key.label == "DSC Test / DE"
    assert key.public_der == EC_KEY.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert key.valid_at(NOT_BEFORE) and key.valid_at(NOT_AFTER) and not key.valid_at(NOT_AFTER + timedelta(seconds=1))


def test_rsa_certificate():
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = dcc_trusted_key(make_cert(rsa_key, eku=[OID_T, OID_R]))
    assert isinstance(key.public_key, rsa.RSAPublicKey)
    assert key.usage == frozenset("tr")


@pytest.mark.parametrize(
    "eku, usage",
    [
        (None, ""),
        ([OID_T], "t"),
        ([OID_V], "v"),
        ([OID_R], "r"),
        ([OID_T, OID_V, OID_R], "tvr"),
        ([ALT_T], "t"),
        ([ALT_V, ALT_R], "vr"),
        ([ALT_T, ALT_V, ALT_R], "tvr"),
        ([OID_V, ExtendedKeyUsageOID.SERVER_AUTH], "v"),
        ([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH], ""),  # no DCC OID: any type
    ],
)
def test_extended_key_usage_gives_the_usage_set(eku, usage):
    cert = make_cert(eku=eku)
    assert dcc_usage(cert) == frozenset(usage)
    assert dcc_trusted_key(cert).usage == frozenset(usage)


def test_label_without_country():
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Only CN")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(EC_KEY.public_key())
        .serial_number(9)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .sign(EC_KEY, hashes.SHA256())
    )
    assert dcc_trusted_key(cert).label == "Only CN"
    assert dcc_trusted_key(cert, country="NL").label == "Only CN / NL"


# ---------------------------------------------------------------- lenient DER (real national certificates)


def _tree(der: bytes):
    """Minimal DER tree for the tests: (tag, children | bytes)."""

    def parse(buf):
        out, pos = [], 0
        while pos < len(buf):
            tag, first = buf[pos], buf[pos + 1]
            pos += 2
            if first & 0x80:
                n = first & 0x7F
                length, pos = int.from_bytes(buf[pos : pos + n], "big"), pos + n
            else:
                length = first
            content = buf[pos : pos + length]
            pos += length
            out.append([tag, parse(content) if tag & 0x20 else content])
        return out

    return parse(der)


def _encode(nodes) -> bytes:
    out = b""
    for tag, value in nodes:
        content = _encode(value) if isinstance(value, list) else value
        n = len(content)
        length = (
            bytes([n])
            if n < 0x80
            else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
        )
        out += bytes([tag]) + length + content
    return out


def _edit_extension(cert: x509.Certificate, oid_der: bytes, new_value: bytes | None, explicit_false=False) -> bytes:
    tree = _tree(der_of(cert))
    tbs = tree[0][1][0][1]
    extensions = next(v for t, v in tbs if t == 0xA3)[0][1]
    for ext in extensions:
        if ext[1][0][1] == oid_der:
            if new_value is not None:
                ext[1][-1][1] = new_value
            if explicit_false and len(ext[1]) == 2:
                ext[1].insert(1, [0x01, b"\x00"])
    return _encode(tree)


def test_explicit_ca_false_in_basic_constraints_is_read_and_keeps_the_published_kid():
    # Finnish DSCs spell out BasicConstraints cA FALSE, which strict DER (and `cryptography`) refuses.
    der = _edit_extension(CERT, bytes.fromhex("551d13"), bytes.fromhex("3003010100"))
    with pytest.raises(ValueError):
        _ = x509.load_der_x509_certificate(der).extensions
    (cert,) = load_certificates(der)
    assert certificate_der(cert) == der
    assert dcc_kid(cert) == hashlib.sha256(der).digest()[:8]
    assert dcc_trusted_key(cert).usage == frozenset("v")
    assert load_certificates(base64.b64encode(der)) == [cert]


def test_empty_extended_key_usage_means_any_type():
    der = _edit_extension(CERT, bytes.fromhex("551d25"), bytes.fromhex("3000"))  # SIZE (1..MAX) broken
    with pytest.raises(ValueError):
        _ = x509.load_der_x509_certificate(der).extensions
    (cert,) = load_certificates(der)
    key = dcc_trusted_key(cert)
    assert key.usage == frozenset()
    assert key.kid == hashlib.sha256(der).digest()[:8]


def test_explicit_critical_false_is_read():
    der = _edit_extension(CERT, bytes.fromhex("551d25"), None, explicit_false=True)
    with pytest.raises(ValueError):
        _ = x509.load_der_x509_certificate(der).extensions
    (cert,) = load_certificates(der)
    assert dcc_trusted_key(cert).kid == hashlib.sha256(der).digest()[:8]


# ---------------------------------------------------------------- trust lists


def entry(cert=CERT, **kw) -> dict:
    values = {
        "kid": base64.b64encode(dcc_kid(cert)).decode(),
        "rawData": base64.b64encode(der_of(cert)).decode(),
        "country": "DE",
        "certificateType": "DSC",
    }
    values.update(kw)
    return values


def test_trust_list_as_a_list():
    keys = parse_dcc_trust_list(json.dumps([entry(), entry(OTHER, country="AT")]))
    assert [k.kid for k in keys] == [dcc_kid(CERT), dcc_kid(OTHER)]
    assert all(k.scheme == "dcc" for k in keys)
    store = TrustStore(keys)
    assert store.find("dcc", dcc_kid(OTHER))[0].label == "Other DSC / AT"


def test_trust_list_certificates_wrapper_and_certificate_field():
    doc = {"certificates": [{"kid": entry()["kid"], "certificate": entry()["rawData"], "country": "DE"}]}
    (key,) = parse_dcc_trust_list(json.dumps(doc).encode())
    assert key.kid == dcc_kid(CERT) and key.usage == frozenset("v")


def test_trust_list_kid_map():
    kid = entry()["kid"]
    doc = {
        kid: [{"certificateType": "DSC", "country": "DE", "kid": kid, "rawData": entry()["rawData"]}],
        entry(OTHER)["kid"]: [entry(OTHER)],
    }
    keys = parse_dcc_trust_list(json.dumps(doc))
    assert sorted(k.kid for k in keys) == sorted([dcc_kid(CERT), dcc_kid(OTHER)])


def test_entry_without_kid_takes_the_certificates_kid():
    (key,) = parse_dcc_trust_list(json.dumps([{"rawData": entry()["rawData"]}]))
    assert key.kid == dcc_kid(CERT)


def test_kid_mismatch_is_rejected():
    wrong = base64.b64encode(b"\x00" * 8).decode()
    with pytest.raises(TrustImportError, match="does not match the certificate"):
        parse_dcc_trust_list(json.dumps([entry(kid=wrong)]))
    with pytest.raises(TrustImportError, match="list key"):
        parse_dcc_trust_list(json.dumps({wrong: [{"rawData": entry()["rawData"]}]}))


def test_rejected_entries_can_be_collected_instead():
    rejected: list[str] = []
    wrong = base64.b64encode(b"\x00" * 8).decode()
    keys = parse_dcc_trust_list(json.dumps([entry(kid=wrong), entry(OTHER), {"rawData": "!!"}, 5]), rejected)
    assert [k.kid for k in keys] == [dcc_kid(OTHER)]
    assert len(rejected) == 3
    assert "entry 0" in rejected[0] and "does not match" in rejected[0]
    assert "entry 2" in rejected[1] and "entry 3" in rejected[2]


def test_non_signer_certificates_are_ignored():
    keys = parse_dcc_trust_list(json.dumps([entry(certificateType="CSCA"), entry(OTHER)]))
    assert [k.kid for k in keys] == [dcc_kid(OTHER)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("not json", "not JSON"),
        ("42", "expected a list"),
        ('[{"kid": "AAAAAAAAAAA="}]', "certificate"),
        ('[{"rawData": "aGVsbG8="}]', "not DER"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_bad_trust_lists_are_rejected_with_a_message(text, words):
    with pytest.raises(TrustImportError) as info:
        parse_dcc_trust_list(text)
    assert words.lower() in str(info.value).lower()
