"""Our own signed pass: issue, verify offline, and reject every kind of damage with a reason."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardstation.credentials import gspass
from guardstation.credentials.gspass import STAGES, PassClaims, issue_pass, verify_pass
from guardstation.credentials.trust import TrustedKey, TrustStore, kid_for
from guardstation.credentials.verify import parse_and_verify
from guardstation.domain.credential import CredentialKind, PersonKind, Vaccination

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)
FROM = datetime(2026, 11, 1, 0, 0, tzinfo=WIB)
UNTIL = datetime(2026, 12, 1, 0, 0, tzinfo=WIB)


def _key(seed: int) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


ISSUER = _key(1)
OTHER = _key(2)


def claims(**kw) -> PassClaims:
    values = dict(
        pass_id=str(uuid.UUID(int=0x0192A3B4C5D67E8F9A0B1C2D3E4F5061)),
        subject_key="5a" * 16,
        display_name="Siti Rahmawati",
        kind=PersonKind.VISITOR,
        doses=2,
        valid_from=FROM,
        valid_until=UNTIL,
        last_dose=date(2021, 9, 14),
        issued_at=FROM - timedelta(hours=1),
    )
    values.update(kw)
    return PassClaims(**values)


def trusted(key=ISSUER, **kw) -> TrustedKey:
    return TrustedKey(kid_for(key.public_key()), "gspass", key.public_key(), "test issuer", **kw)


@pytest.fixture
def trust() -> TrustStore:
    return TrustStore([trusted()])


@pytest.fixture
def valid_text() -> str:
    return issue_pass(claims(), ISSUER)


def assert_stages_stop_at(credential, failed_stage: str | None):
    """Stages before the failed one passed; the failed one and every later one is False.

    The verifier checks the schema before the validity dates (a date is read from the claims),
    so that is the order used here.
    """
    order = ["unprefix", "base45", "cose_decode", "signature", "schema", "expiry"]
    assert set(credential.stages) == set(STAGES)
    cut = order.index(failed_stage) if failed_stage else len(order)
    for i, stage in enumerate(order):
        assert credential.stages[stage] is (i < cut), (stage, credential.stages)


def test_valid_pass_is_trusted_and_round_trips(valid_text, trust):
    assert valid_text.startswith("GS1:")
    assert len(valid_text) < 300  # fits a small, easily scanned QR
    credential = verify_pass(valid_text, trust, NOW)
    assert credential.trusted
    assert credential.failure is None
    assert credential.kind is CredentialKind.GSPASS
    assert credential.signed
    assert credential.decoded == valid_text
    assert all(credential.stages.values()) and set(credential.stages) == set(STAGES)
    original = claims()
    assert credential.credential_id == original.pass_id
    assert credential.subject_key == original.subject_key
    assert credential.display_name == "Siti Rahmawati"
    assert credential.person_kind is PersonKind.VISITOR
    assert credential.vaccination == Vaccination(2, date(2021, 9, 14))
    assert credential.valid_from == FROM
    assert credential.valid_until == UNTIL


def test_pass_without_dose_count_has_unknown_vaccination(trust):
    credential = verify_pass(issue_pass(claims(doses=None, last_dose=None), ISSUER), trust, NOW)
    assert credential.trusted
    assert credential.vaccination is None


def test_unicode_name_round_trips(trust):
    text = issue_pass(
        claims(display_name="Ni Luh Putu Ayu Sr\u00ec \u2014 \u4f60\u597d", kind=PersonKind.EMPLOYEE), ISSUER
    )
    credential = verify_pass(text, trust, NOW)
    assert credential.display_name == "Ni Luh Putu Ayu Sr\u00ec \u2014 \u4f60\u597d"
    assert credential.person_kind is PersonKind.EMPLOYEE


def test_unknown_key_is_rejected(valid_text):
    credential = verify_pass(valid_text, TrustStore([trusted(OTHER)]), NOW)
    assert not credential.trusted
    assert credential.failure.code == "unknown_key"
    assert_stages_stop_at(credential, "signature")


def test_empty_trust_store_rejects_as_unknown_key(valid_text):
    assert verify_pass(valid_text, TrustStore(), NOW).failure.code == "unknown_key"


def test_forgery_claiming_the_trusted_kid_is_a_bad_signature(trust):
    forged = issue_pass(claims(display_name="Tamu Palsu", doses=3), OTHER, kid=kid_for(ISSUER.public_key()))
    credential = verify_pass(forged, trust, NOW)
    assert not credential.trusted
    assert credential.failure.code == "bad_signature"
    assert_stages_stop_at(credential, "signature")
    # Unsigned content is never interpreted.
    assert credential.display_name is None
    assert credential.vaccination is None


def test_key_for_another_scheme_does_not_verify_passes(valid_text):
    dcc_key = TrustedKey(kid_for(ISSUER.public_key()), "dcc", ISSUER.public_key())
    assert verify_pass(valid_text, TrustStore([dcc_key]), NOW).failure.code == "unknown_key"


def test_trusted_key_past_its_not_after_is_unknown(valid_text):
    retired = TrustStore([trusted(not_after=NOW - timedelta(days=1))])
    assert verify_pass(valid_text, retired, NOW).failure.code == "unknown_key"
    not_yet = TrustStore([trusted(not_before=NOW + timedelta(days=1))])
    assert verify_pass(valid_text, not_yet, NOW).failure.code == "unknown_key"
    in_window = TrustStore([trusted(not_before=NOW - timedelta(days=30), not_after=NOW + timedelta(days=1))])
    assert verify_pass(valid_text, in_window, NOW).trusted


def test_expired_pass_says_when(valid_text, trust):
    credential = verify_pass(valid_text, trust, UNTIL + timedelta(seconds=1))
    assert credential.failure.code == "expired"
    assert credential.failure.params["date"] == "2026-11-30"  # UNTIL is midnight WIB = 30 Nov 17:00 UTC
    assert "2026-11-30" in credential.failure.text("en")
    assert_stages_stop_at(credential, "expiry")
    # Exactly at the end it is already expired.
    assert verify_pass(valid_text, trust, UNTIL).failure.code == "expired"


def test_not_yet_valid_pass_says_from_when(trust):
    text = issue_pass(
        claims(valid_from=datetime(2026, 12, 5, 12, 0, tzinfo=WIB), valid_until=datetime(2027, 1, 5, tzinfo=WIB)),
        ISSUER,
    )
    credential = verify_pass(text, trust, NOW)
    assert credential.failure.code == "not_yet_valid"
    assert credential.failure.params["date"] == "2026-12-05"
    assert "2026-12-05" in credential.failure.text("id")
    assert_stages_stop_at(credential, "expiry")


def test_first_second_of_validity_is_valid(valid_text, trust):
    assert verify_pass(valid_text, trust, FROM).trusted
    assert verify_pass(valid_text, trust, FROM - timedelta(seconds=1)).failure.code == "not_yet_valid"


def _flip(text: str, pos: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    replacement = alphabet[(alphabet.index(text[pos]) + 1) % len(alphabet)]
    return text[:pos] + replacement + text[pos + 1 :]


def test_every_single_flipped_character_is_rejected_with_a_reason(valid_text, trust):
    for pos in range(len(gspass.PREFIX), len(valid_text)):
        credential = verify_pass(_flip(valid_text, pos), trust, NOW)
        assert not credential.trusted, pos
        assert credential.failure.code in {"malformed", "bad_signature", "unknown_key"}, pos
        assert credential.failure.text("id")
        assert not credential.stages["signature"], pos


def test_flipped_character_in_the_middle_is_rejected(valid_text, trust):
    credential = verify_pass(_flip(valid_text, len(valid_text) // 2), trust, NOW)
    assert credential.failure is not None
    assert credential.display_name is None


@pytest.mark.parametrize(
    "make_text, stage",
    [
        (lambda t: t[:-7], None),  # truncated
        (lambda t: t[: len(t) // 2], None),
        (lambda t: "GS1:", "unprefix"),  # empty after the prefix
        (lambda t: "GS1:" + "A" * 2996, "unprefix"),  # 3000 characters: over the size limit
        (lambda t: t + "0" * (3000 - len(t)), "unprefix"),
        (lambda t: "GS1:" + "abc", "unprefix"),  # lower case is not base45
        (lambda t: "gs1:" + t[4:], "unprefix"),  # wrong prefix
        (lambda t: "GS1:" + "00", "base45"),  # valid base45, not CBOR
    ],
)
def test_damaged_text_is_malformed(valid_text, trust, make_text, stage):
    text = make_text(valid_text)
    credential = verify_pass(text, trust, NOW)
    assert credential.failure.code == "malformed"
    assert not credential.stages["signature"]
    assert not credential.stages["expiry"] and not credential.stages["schema"]
    if stage == "unprefix" and (len(text) > gspass.MAX_TEXT or not text.startswith("GS1:")):
        assert not credential.stages["unprefix"]
    if stage == "base45":
        assert credential.stages["unprefix"] and credential.stages["base45"]
        assert not credential.stages["cose_decode"]


def test_truncated_pass_is_malformed_at_decode(valid_text, trust):
    credential = verify_pass(valid_text[:-7], trust, NOW)
    assert credential.failure.code == "malformed"
    assert credential.stages["unprefix"]
    assert_stages_stop_at(credential, "base45" if not credential.stages["base45"] else "cose_decode")


def test_signed_but_nonsensical_claims_are_malformed_after_the_signature(trust):
    # A correctly signed pass whose claims break the schema (e.g. an issuer bug): 25 doses.
    text = issue_pass(claims(doses=25), ISSUER)
    credential = verify_pass(text, trust, NOW)
    assert credential.failure.code == "malformed"
    assert credential.stages["signature"]
    assert_stages_stop_at(credential, "schema")


def test_parse_and_verify_routes_gs1_to_the_pass_verifier(valid_text, trust):
    assert parse_and_verify(valid_text, trust, NOW).trusted
    none = parse_and_verify(None, trust, NOW)
    assert none.kind is CredentialKind.NONE
    assert none.failure.code == "no_code"


@pytest.mark.parametrize(
    "text, kind, code",
    [
        ("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", CredentialKind.DCC, "malformed"),  # cut-off certificate
        ("shc:/5676290952432060346029243740", CredentialKind.SHC, "malformed"),  # not a JWS
        ("UKC19TRACING:1:eyJ0eXAiOiJKV1Qi", CredentialKind.VENUE, "venue_code"),
        ("3513011708800008", CredentialKind.NIK, "unsigned_nik"),
        ("hello", CredentialKind.TEXT, "plain_text"),
        ("", CredentialKind.TEXT, "plain_text"),
    ],
)
def test_other_codes_are_never_trusted(trust, text, kind, code):
    credential = parse_and_verify(text, trust, NOW)
    assert credential.kind is kind
    assert not credential.trusted
    assert credential.failure.code == code


# --- fuzzing: the verifier never raises and never trusts damage ------------------------------------------
VALID = issue_pass(claims(), ISSUER)
TRUST = TrustStore([trusted()])

_mutation = st.tuples(
    st.sampled_from(["insert", "delete", "replace"]),
    st.integers(0, len(VALID)),
    st.characters(codec="utf-8") | st.sampled_from(list("0123456789ABCXYZ $%*+-./:")),
)


def _mutate(text: str, ops) -> str:
    for op, pos, char in ops:
        pos = min(pos, len(text))
        if op == "insert":
            text = text[:pos] + char + text[pos:]
        elif op == "delete" and text:
            text = text[:pos] + text[pos + 1 :]
        elif text:
            pos = min(pos, len(text) - 1)
            text = text[:pos] + char + text[pos + 1 :]
    return text


def _check_never_raises(text: str) -> None:
    credential = parse_and_verify(text, TRUST, NOW)
    if not credential.trusted:
        assert credential.failure is not None
        assert credential.failure.code
        assert credential.failure.text("en")
    else:
        assert credential.signed


@settings(
    max_examples=2_000, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(_mutation, min_size=1, max_size=6))
def test_mutated_passes_never_raise(ops):
    text = _mutate(VALID, ops)
    credential = parse_and_verify(text, TRUST, NOW)
    if text != VALID:
        # Any change that still verifies would have to be a signature forgery.
        assert not credential.trusted, text
    _check_never_raises(text)


@settings(
    max_examples=2_000, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.one_of(
        st.text(max_size=300),
        st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", max_size=400).map(lambda s: "GS1:" + s),
    )
)
def test_random_text_never_raises(text):
    _check_never_raises(text)
    assert not parse_and_verify(text, TRUST, NOW).trusted


def test_seeded_random_byte_damage_never_raises():
    import base45
    import cbor2

    rng = random.Random(45)
    raw = bytearray(base45.b45decode(VALID[4:]))
    for _ in range(500):
        damaged = bytearray(raw)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        text = "GS1:" + base45.b45encode(bytes(damaged)).decode()
        credential = parse_and_verify(text, TRUST, NOW)
        assert not credential.trusted
        assert credential.failure is not None
    # Hostile CBOR structures after a valid prefix.
    for obj in (
        [],
        [b"", {}, b"", b""],
        cbor2.CBORTag(18, [b"\xa0", {}, b"", b""]),
        {"a": 1},
        cbor2.CBORTag(18, [cbor2.dumps({1: -8, 4: b"x" * 8}), {}, b"", b"\x00" * 64]),
        2**80,
    ):
        text = "GS1:" + base45.b45encode(cbor2.dumps(obj)).decode()
        credential = parse_and_verify(text, TRUST, NOW)
        assert credential.failure is not None
