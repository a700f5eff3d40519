"""SMART Health Cards: cards built here with a test issuer key, verified offline, damage rejected with a reason."""

from __future__ import annotations

import json
import time
import zlib
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardstation.credentials import shc
from guardstation.credentials.jwks import jwk_for
from guardstation.credentials.shc import STAGES, join_chunks, verify_shc, verify_shc_chunks
from guardstation.credentials.trust import TrustedKey, TrustStore
from guardstation.domain.credential import CredentialKind, Vaccination
from guardstation.domain.rules import parse_rule_pack
from guardstation.domain.subject import identity_from_name
from guardstation.domain.verdict import decide
from guardstation.domain.verdict_types import Action, Colour
from tests.helpers.paths import REPO_ROOT as REPO

WIB = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)
ISSUED = NOW - timedelta(days=30)
ISS = "https://vaksin.example.id/shc"
OTHER_ISS = "https://other-issuer.example.org"

ISSUER = ec.derive_private_key(0x5A17_C0DE_0001, ec.SECP256R1())
OTHER = ec.derive_private_key(0x5A17_C0DE_0002, ec.SECP256R1())
KID = jwk_for(ISSUER.public_key())["kid"]
OTHER_KID = jwk_for(OTHER.public_key())["kid"]
CVX = "http://hl7.org/fhir/sid/cvx"


# ---- building cards -------------------------------------------------------------------------------


def immunization(day: str, cvx: str = "511", status: str = "completed") -> dict:
    return {
        "resourceType": "Immunization",
        "status": status,
        "vaccineCode": {"coding": [{"system": CVX, "code": cvx}]},
        "patient": {"reference": "resource:0"},
        "occurrenceDateTime": day,
        "performer": [{"actor": {"display": "Puskesmas Kraksaan"}}],
        "lotNumber": "A123",
    }


def bundle(immunizations=None, patient=None) -> dict:
    if immunizations is None:
        immunizations = [immunization("2021-07-01"), immunization("2021-07-29")]
    if patient is None:
        patient = {
            "resourceType": "Patient",
            "name": [{"family": "Rahmawati", "given": ["Siti"]}],
            "birthDate": "1985-04-12",
        }
    entries = [{"fullUrl": "resource:0", "resource": patient}]
    entries += [{"fullUrl": f"resource:{i + 1}", "resource": r} for i, r in enumerate(immunizations)]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def claims(fhir=None, iss=ISS, nbf=ISSUED, exp=None, types=None) -> dict:
    body = {
        "iss": iss,
        "nbf": int(nbf.timestamp()),
        "vc": {
            "type": types or ["https://smarthealth.cards#health-card", "https://smarthealth.cards#immunization"],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": fhir or bundle()},
        },
    }
    if exp is not None:
        body["exp"] = int(exp.timestamp())
    return body


def b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def sign_jws(payload: bytes, key=ISSUER, kid: str = KID, header: dict | None = None) -> str:
    head = b64url(json.dumps(header or {"zip": "DEF", "alg": "ES256", "kid": kid}, separators=(",", ":")).encode())
    body = b64url(payload)
    r, s = decode_dss_signature(key.sign(f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256())))
    return f"{head}.{body}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def numeric(jws: str) -> str:
    return "".join(f"{ord(c) - 45:02d}" for c in jws)


def card(
    body: dict | None = None, key=ISSUER, kid: str = KID, header: dict | None = None, raw_payload: bytes | None = None
) -> str:
    payload = (
        raw_payload
        if raw_payload is not None
        else deflate(json.dumps(body or claims(), separators=(",", ":")).encode())
    )
    return "shc:/" + numeric(sign_jws(payload, key, kid, header))


def trusted(key=ISSUER, kid: str = KID, issuer: str = ISS, **kw) -> TrustedKey:
    return TrustedKey(kid.encode("ascii"), "shc", key.public_key(), issuer, issuer=issuer, **kw)


@pytest.fixture(scope="module")
def valid_text() -> str:
    return card()


@pytest.fixture
def trust() -> TrustStore:
    return TrustStore([trusted()])


@pytest.fixture(scope="module")
def pack():
    return parse_rule_pack(json.loads((REPO / "resources" / "rules" / "id-2021.json").read_text("utf-8")))


def assert_stages_stop_at(credential, failed_stage: str | None):
    assert set(credential.stages) == set(STAGES)
    cut = STAGES.index(failed_stage) if failed_stage else len(STAGES)
    for i, stage in enumerate(STAGES):
        assert credential.stages[stage] is (i < cut), (stage, credential.stages)


# ---- the valid card -------------------------------------------------------------------------------


def test_valid_card_is_trusted_with_name_and_doses(valid_text, trust):
    credential = verify_shc(valid_text, trust, NOW)
    assert credential.trusted, credential.failure
    assert credential.kind is CredentialKind.SHC and credential.signed
    assert_stages_stop_at(credential, None)
    assert credential.display_name == "Siti Rahmawati"
    assert credential.identity == identity_from_name("Siti Rahmawati", "1985-04-12")
    assert credential.vaccination == Vaccination(2, date(2021, 7, 29))
    assert credential.valid_from == ISSUED and credential.valid_until is None
    assert credential.decoded == valid_text
    assert credential.credential_id.startswith("shc:")
    assert verify_shc(valid_text, trust, NOW).credential_id == credential.credential_id  # stable
    assert verify_shc(card(), trust, NOW).credential_id != credential.credential_id  # another card


def test_card_with_expiry_inside_its_window(trust):
    credential = verify_shc(card(claims(exp=NOW + timedelta(days=1))), trust, NOW)
    assert credential.trusted
    assert credential.valid_until == NOW + timedelta(days=1)


def test_name_parts_and_partial_birth_date(trust):
    patient = {
        "resourceType": "Patient",
        "birthDate": "1951",
        "name": [
            {"use": "nickname", "given": ["Ucok"]},
            {"use": "official", "family": "Siregar", "given": ["Maruli", " Tua "]},
        ],
    }
    credential = verify_shc(card(claims(bundle(patient=patient))), trust, NOW)
    assert credential.trusted
    assert credential.display_name == "Maruli Tua Siregar"
    assert credential.identity == identity_from_name("Maruli Tua Siregar", "1951")


# ---- the verdict ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doses, colour, action",
    [
        (2, Colour.GREEN, Action.CHECK_IN),
        (1, Colour.YELLOW, Action.CHECK_IN),
        (0, Colour.RED, Action.DENY),
    ],
)
def test_verdict_with_the_2021_rule_pack(doses, colour, action, trust, pack):
    shots = [immunization(f"2021-0{7 + i}-01") for i in range(doses)] or [immunization("2021-07-01", status="not-done")]
    credential = verify_shc(card(claims(bundle(shots))), trust, NOW)
    assert credential.trusted
    assert credential.vaccination.doses == doses
    decision = decide(credential, pack=pack, now=NOW)
    assert (decision.colour, decision.action) == (colour, action)


def test_one_dose_of_a_single_dose_vaccine_completes_the_series(trust, pack):
    credential = verify_shc(card(claims(bundle([immunization("2021-08-01", cvx="212")]))), trust, NOW)
    assert credential.vaccination == Vaccination(1, date(2021, 8, 1), 1)
    assert decide(credential, pack=pack, now=NOW).colour is Colour.GREEN


def test_vaccines_not_known_as_covid_do_not_count(trust, pack):
    flu = [immunization("2021-10-01", cvx="140"), immunization("2022-10-01", cvx="140")]
    credential = verify_shc(card(claims(bundle(flu))), trust, NOW)
    assert credential.trusted
    assert credential.vaccination is None  # unknown, not "two doses"
    assert decide(credential, pack=pack, now=NOW).colour is Colour.RED


def test_a_dose_listed_twice_counts_once(trust):
    shots = [immunization("2021-07-01"), immunization("2021-07-01"), immunization("2021-07-29")]
    assert verify_shc(card(claims(bundle(shots))), trust, NOW).vaccination.doses == 2


def test_a_covid19_typed_card_counts_its_immunizations(trust):
    types = ["https://smarthealth.cards#health-card", "https://smarthealth.cards#covid19"]
    shots = [immunization("2021-07-01", cvx="999"), immunization("2021-08-01", cvx="999")]
    assert verify_shc(card(claims(bundle(shots), types=types)), trust, NOW).vaccination.doses == 2


def test_untrusted_card_is_red_whatever_it_says(valid_text, pack):
    credential = verify_shc(valid_text, TrustStore(), NOW)
    decision = decide(credential, pack=pack, now=NOW)
    assert (decision.colour, decision.action, decision.reason.code) == (Colour.RED, Action.DENY, "unknown_key")


# ---- keys and issuers -----------------------------------------------------------------------------


def test_unknown_kid_is_unknown_key(valid_text):
    credential = verify_shc(valid_text, TrustStore([trusted(OTHER, OTHER_KID)]), NOW)
    assert credential.failure.code == "unknown_key"
    assert_stages_stop_at(credential, "signature")


def test_key_of_another_issuer_with_the_same_kid_is_unknown_key():
    # Another issuer's key, filed under the same kid, signs a card naming our issuer.
    store = TrustStore([trusted(OTHER, KID, issuer=OTHER_ISS)])
    credential = verify_shc(card(key=OTHER), store, NOW)
    assert credential.failure.code == "unknown_key"
    assert credential.display_name is None and credential.vaccination is None


def test_a_trusted_issuer_cannot_sign_in_another_issuers_name():
    store = TrustStore([trusted(), trusted(OTHER, OTHER_KID, issuer=OTHER_ISS)])
    forged = card(claims(iss=ISS), key=OTHER, kid=OTHER_KID)
    assert verify_shc(forged, store, NOW).failure.code == "unknown_key"
    assert verify_shc(card(claims(iss=OTHER_ISS), key=OTHER, kid=OTHER_KID), store, NOW).trusted


def test_forgery_with_the_trusted_kid_is_a_bad_signature(trust):
    credential = verify_shc(card(claims(bundle([immunization("2021-07-01")] * 3)), key=OTHER), trust, NOW)
    assert credential.failure.code == "bad_signature"
    assert_stages_stop_at(credential, "signature")
    assert credential.vaccination is None


def test_expired_key_is_unknown_key(valid_text):
    retired = TrustStore([trusted(not_after=NOW - timedelta(days=1))])
    assert verify_shc(valid_text, retired, NOW).failure.code == "unknown_key"
    assert verify_shc(valid_text, TrustStore([trusted(not_after=NOW + timedelta(days=1))]), NOW).trusted


def test_key_for_another_scheme_does_not_verify(valid_text):
    dcc = TrustedKey(KID.encode(), "dcc", ISSUER.public_key(), issuer=ISS)
    assert verify_shc(valid_text, TrustStore([dcc]), NOW).failure.code == "unknown_key"


@pytest.mark.parametrize("alg", ["ES384", "none", "HS256", None])
def test_algorithms_other_than_es256_are_refused(alg, trust):
    header = {"zip": "DEF", "kid": KID, **({"alg": alg} if alg else {})}
    credential = verify_shc(card(header=header), trust, NOW)
    assert credential.failure.code == "bad_signature"
    assert_stages_stop_at(credential, "signature")


# ---- validity dates -------------------------------------------------------------------------------


def test_nbf_in_the_future_is_not_yet_valid(trust):
    credential = verify_shc(card(claims(nbf=NOW + timedelta(days=2))), trust, NOW)
    assert credential.failure.code == "not_yet_valid"
    assert credential.failure.params["date"] == (NOW + timedelta(days=2)).astimezone(UTC).date().isoformat()
    assert_stages_stop_at(credential, "expiry")


def test_a_few_minutes_of_clock_skew_are_tolerated(trust):
    assert verify_shc(card(claims(nbf=NOW + timedelta(minutes=2))), trust, NOW).trusted


def test_exp_in_the_past_is_expired(trust):
    credential = verify_shc(card(claims(exp=NOW - timedelta(seconds=1))), trust, NOW)
    assert credential.failure.code == "expired"
    assert_stages_stop_at(credential, "expiry")


@pytest.mark.parametrize("nbf", [None, "2021-01-01", True, -1, float("inf"), 10**20])
def test_missing_or_silly_nbf_is_schema_invalid(nbf, trust):
    body = claims()
    body["nbf"] = nbf
    payload = deflate(json.dumps(body).encode())  # json.dumps writes inf as Infinity, which is refused too
    credential = verify_shc(card(raw_payload=payload), trust, NOW)
    assert not credential.trusted
    assert credential.failure.code in ("schema_invalid", "malformed")


# ---- damage ---------------------------------------------------------------------------------------


def test_tampered_digit_pairs_never_verify(valid_text, trust):
    digits = valid_text[len("shc:/") :]
    rng = __import__("random").Random(7)
    for _ in range(300):
        i = rng.randrange(0, len(digits) // 2) * 2
        old = int(digits[i : i + 2])
        new = (old + rng.randrange(1, 78)) % 78
        text = "shc:/" + digits[:i] + f"{new:02d}" + digits[i + 2 :]
        credential = verify_shc(text, trust, NOW)
        assert not credential.trusted, i
        assert credential.failure.code in ("malformed", "bad_signature", "unknown_key", "schema_invalid"), (
            i,
            credential.failure,
        )


def test_changed_payload_is_a_bad_signature(trust):
    # Same header and signature, a payload claiming three doses: the signature must fail.
    good = sign_jws(deflate(json.dumps(claims()).encode()))
    head, _, sig = good.split(".")
    fake = b64url(deflate(json.dumps(claims(bundle([immunization("2021-07-01")] * 3))).encode()))
    credential = verify_shc("shc:/" + numeric(f"{head}.{fake}.{sig}"), trust, NOW)
    assert credential.failure.code == "bad_signature"
    assert_stages_stop_at(credential, "signature")


@pytest.mark.parametrize(
    "text, stage",
    [
        ("", "unprefix"),
        ("SHC:/5676", "unprefix"),
        ("shc:/", "numeric"),
        ("shc:/567", "numeric"),  # odd number of digits
        ("shc:/5699", "numeric"),  # 99 is above 77
        ("shc:/56 76", "numeric"),
        ("shc:/\u0665\u0666", "numeric"),  # Arabic-Indic digits are not digits here
        ("shc:/" + "5" * 7090, "unprefix"),  # longer than any QR code
        ("shc:/" + numeric("abc"), "jws_decode"),
        ("shc:/" + numeric("a.b.c.d"), "jws_decode"),
        ("shc:/" + numeric("e30.e30.e30"), "jws_decode"),  # {} header: no kid
        ("shc:/" + numeric("@@@.e30.e30"), "jws_decode"),
    ],
)
def test_malformed_texts_fail_at_their_stage(text, stage, trust):
    credential = verify_shc(text, trust, NOW)
    assert credential.failure is not None and credential.failure.code == "malformed"
    assert credential.failure.params.get("detail")
    assert_stages_stop_at(credential, stage)


def test_uncompressed_payload_is_refused(trust):
    header = {"alg": "ES256", "kid": KID}
    credential = verify_shc(card(header=header, raw_payload=json.dumps(claims()).encode()), trust, NOW)
    assert credential.failure.code == "malformed" and "DEF" in credential.failure.params["detail"]
    assert_stages_stop_at(credential, "inflate")


@pytest.mark.parametrize(
    "payload, words",
    [
        (b"\x00\x01\x02 not deflate", "DEFLATE"),
        (deflate(b'{"iss": 1}')[:-3], "truncated"),
        (deflate(json.dumps(claims()).encode()) + b"extra", "after the end"),
        (deflate(b"[1, 2, 3]"), "object"),
        (deflate(b"\xff\xfe not utf-8"), "JSON"),
        (deflate(b"[" * 50_000 + b"]" * 50_000), "JSON"),  # nesting deep enough to exhaust recursion
    ],
)
def test_bad_payloads_fail_at_inflate(payload, words, trust):
    credential = verify_shc(card(raw_payload=payload), trust, NOW)
    assert credential.failure.code == "malformed"
    assert words in credential.failure.params["detail"]
    assert_stages_stop_at(credential, "inflate")


def test_deflate_bomb_is_rejected_quickly(trust):
    bomb = deflate(b"\x00" * 2_400_000)  # ~2.3 kB that inflate to 2.4 MB
    text = card(raw_payload=bomb)
    assert len(text) <= shc.MAX_TEXT  # it fits in one QR code
    started = time.perf_counter()
    credential = verify_shc(text, trust, NOW)
    elapsed = time.perf_counter() - started
    assert credential.failure.code == "malformed"
    assert "inflates beyond" in credential.failure.params["detail"]
    assert elapsed < 0.05


def test_chunked_bomb_is_rejected_quickly(trust):
    bomb = "shc:/" + numeric(sign_jws(deflate(b" " * 40_000_000)))  # 40 MB in ~39 kB: only fits in chunks
    parts = chunks_of(bomb, 20)
    assert all(len(p) <= shc.MAX_TEXT for p in parts)
    started = time.perf_counter()
    credential = verify_shc_chunks(parts, trust, NOW)
    assert credential.failure.code == "malformed"
    assert time.perf_counter() - started < 0.2


@pytest.mark.parametrize(
    "change, detail",
    [
        (lambda c: c["vc"].update(type=["VerifiableCredential"]), "health-card"),
        (lambda c: c["vc"]["credentialSubject"].pop("fhirBundle"), "Bundle"),
        (lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"].pop(0), "Patient"),
        (
            lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"].append(
                {"resource": {"resourceType": "Patient", "name": [{"text": "Budi"}], "birthDate": "1990-01-01"}}
            ),
            "Patient",
        ),
        (lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"][0]["resource"].pop("birthDate"), "birthDate"),
        (
            lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"][0]["resource"].update(birthDate="1985-02-30"),
            "birthDate",
        ),
        (lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"][0]["resource"].update(name=[]), "name"),
        (
            lambda c: c["vc"]["credentialSubject"]["fhirBundle"]["entry"][0]["resource"].update(
                name=[{"given": ["Siti\x00"], "family": "R"}]
            ),
            "name",
        ),
        (lambda c: c.pop("vc"), "vc"),
    ],
)
def test_signed_but_nonstandard_content_is_schema_invalid(change, detail, trust):
    body = claims()
    change(body)
    credential = verify_shc(card(body), trust, NOW)
    assert credential.failure.code == "schema_invalid"
    assert detail in credential.failure.params["detail"]
    assert_stages_stop_at(credential, "schema")


def test_payload_without_issuer_is_malformed(trust):
    body = claims()
    del body["iss"]
    credential = verify_shc(card(body), trust, NOW)
    assert credential.failure.code == "malformed"
    assert_stages_stop_at(credential, "signature")


# ---- chunked cards --------------------------------------------------------------------------------


def chunks_of(text: str, count: int) -> list[str]:
    digits = text[len("shc:/") :]
    size = -(-len(digits) // count // 2) * 2
    return [f"shc:/{i + 1}/{count}/{digits[i * size : (i + 1) * size]}" for i in range(count)]


def test_one_chunk_alone_asks_for_every_part(valid_text, trust):
    credential = verify_shc(chunks_of(valid_text, 2)[0], trust, NOW)
    assert credential.failure.code == "chunked_shc"
    assert credential.failure.text("id") == "Kartu SMART terdiri dari beberapa kode QR — pindai semua bagian"
    assert "part 1 of 2" in credential.failure.params["detail"]


def test_all_chunks_in_any_order_verify(valid_text, trust):
    parts = chunks_of(valid_text, 3)
    assert join_chunks(parts[::-1]) == valid_text
    assert verify_shc_chunks([parts[2], parts[0], parts[1]], trust, NOW).trusted


@pytest.mark.parametrize(
    "pick",
    [
        lambda p: p[:2],
        lambda p: p + p[:1],
        lambda p: [p[0], p[1], "shc:/3/4/00"],
        lambda p: [],
        lambda p: p[:2] + ["hello"],
    ],
)
def test_incomplete_chunk_sets_are_malformed(pick, valid_text, trust):
    credential = verify_shc_chunks(pick(chunks_of(valid_text, 3)), trust, NOW)
    assert credential.failure.code == "malformed"


# ---- fuzzing --------------------------------------------------------------------------------------


def _check(credential):
    assert credential.kind is CredentialKind.SHC
    if not credential.trusted:
        assert credential.failure is not None and isinstance(credential.failure.code, str)
        assert credential.display_name is None and credential.vaccination is None and not credential.signed


FUZZ = settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_never_raises(text):
    _check(verify_shc(text, TrustStore([trusted()]), NOW))
    _check(verify_shc("shc:/" + text, TrustStore([trusted()]), NOW))


@FUZZ
@given(st.text(alphabet="0123456789", max_size=600))
def test_random_digits_never_raise(digits):
    _check(verify_shc("shc:/" + digits, TrustStore([trusted()]), NOW))


VALID = card()


@FUZZ
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["replace", "insert", "delete", "truncate"]),
            st.integers(min_value=0, max_value=len(VALID)),
            st.text(alphabet="0123456789shc:/.\x00\u00e9\U0001f600", min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_cards_never_raise(edits):
    text = VALID
    for op, at, chunk in edits:
        at = min(at, len(text))
        if op == "replace":
            text = text[:at] + chunk + text[at + len(chunk) :]
        elif op == "insert":
            text = text[:at] + chunk + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + len(chunk) :]
        else:
            text = text[:at]
    credential = verify_shc(text, TrustStore([trusted()]), NOW)
    _check(credential)
    if text != VALID:
        # A change can only ever leave the very same card (e.g. replacing a digit by itself).
        assert not credential.trusted or text == VALID


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["payload", "header"]))
def test_signed_garbage_never_raises(blob, where):
    # Correctly signed JWS whose content is garbage: the verifier must still answer calmly.
    if where == "payload":
        text = card(raw_payload=blob)
    else:
        head = b64url(blob)
        text = "shc:/" + numeric(f"{head}.{b64url(deflate(b'{}'))}.{b64url(bytes(64))}")
    _check(verify_shc(text, TrustStore([trusted()]), NOW))


@FUZZ
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
        max_leaves=30,
    ),
    st.sampled_from(
        ["nbf", "exp", "vc", "credentialSubject", "fhirBundle", "entry", "patient", "name", "birthDate", "immunization"]
    ),
)
def test_signed_cards_with_arbitrary_json_never_raise(value, where):
    body = claims()
    subject = body["vc"]["credentialSubject"]
    entries = subject["fhirBundle"]["entry"]
    if where in ("nbf", "exp", "vc"):
        body[where] = value
    elif where == "credentialSubject":
        body["vc"]["credentialSubject"] = value
    elif where == "fhirBundle":
        subject["fhirBundle"] = value
    elif where == "entry":
        subject["fhirBundle"]["entry"] = value
    elif where == "patient":
        entries[0]["resource"] = value
    elif where in ("name", "birthDate"):
        entries[0]["resource"][where] = value
    else:
        entries[1]["resource"] = value
    credential = verify_shc(card(body), TrustStore([trusted()]), NOW)
    _check(credential)
    if credential.trusted:
        assert credential.display_name and credential.identity


# ---- interoperability -----------------------------------------------------------------------------

# The example card of the SMART Health Cards specification (issuer https://spec.smarthealth.cards/examples/issuer,
# patient "John B. Anyperson", two Moderna doses), as a compact JWS; its public key is the spec's example JWK.
SPEC_JWS = (
    "eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IjNLZmRnLVh3UC03Z1h5eXd0VWZVQUR3QnVtRE9QS01ReC1pRUxMMTFXOXMifQ."
    "3ZJJb9swEIX_SjC9ytoSR5VutQt0Q4sWTXMpfKCpscWCi8BFsBvov3dIO2haJDn1VN1GM_PxvUfegXAOOhi8H11XFG5EnjvFrB-QST_knNneFXhg"
    "apToCpoOaCEDvd1BV11ftldtednU-XL5MoOJQ3cH_jgidN9_M__GvTgVi1gQ6uk5oVTQ4ifzwuhnB7mZRF-1sMmAW-xRe8Hk17D9gdxHSbtB2Fu0"
    "LnI6uMrLvCJe_LsKupcYZyw6EyzHmyQfzo3sbAe4kZJoJyV0gD2SRyIHKb9ZSQP3-11JA_fFI-DPZIf2Y4ZM4QnClJDEg1eaZqxLZ-zFhDrm-N4M"
    "sV7lsJnJ4FaQ-dfMR1bVLqtFWS3qEuY5e1RN9byad39G7DzzwSW78cI9xguaGOdC49r0icBNL_Q-CXdH51Gd3w_dzCCb3Nh9EZMtnOgLPh0IwNMm"
    "1GUD82bOYDxHkOTs0KKO2h4mSEOG82BTK5q9EeqEqJPhMtqiqHbGKnqPUQvj3tiI7IUbJUtxrtYXb1CjZfLirXGj8ExSUBSiNP5TUNu4CmX6qicT"
    "rP_LBOv2XyfYxAaFCFb09PPjh-P6MDTjdfhCjV8."
    "F248favB7uvtKSo9GbwIC-QtmpWeAsB-AtiFq2iACiDZQE0s38603dJp50vc1HEvZAB80RXecKQ1LYdkZbq8Rw"
)
SPEC_ISSUER = "https://spec.smarthealth.cards/examples/issuer"
SPEC_JWKS = json.dumps(
    {
        "keys": [
            {
                "kty": "EC",
                "kid": "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s",
                "use": "sig",
                "alg": "ES256",
                "crv": "P-256",
                "x": "11XvRWy1I2S0EyJlyf_bWfw_TQ5CJJNLw78bHXNxcgw",
                "y": "eZXwxvO1hvCY0KucrPfKo7yAyMT6Ajc3N7OkAB6VYy8",
            }
        ]
    }
)


def test_the_spec_example_card_verifies_with_the_published_key(pack):
    from guardstation.credentials.jwks import parse_jwks

    text = "shc:/" + numeric(SPEC_JWS)
    assert text.startswith("shc:/56762909524320603460292437404460")  # the well-known opening of every SHC
    credential = verify_shc(text, TrustStore(parse_jwks(SPEC_JWKS, SPEC_ISSUER)), NOW)
    assert credential.trusted, credential.failure
    assert credential.display_name == "John B. Anyperson"
    assert credential.identity == identity_from_name("John B. Anyperson", "1951-01-20")
    assert credential.vaccination == Vaccination(2, date(2021, 1, 29))
    assert credential.valid_from == datetime.fromtimestamp(1639490372.558, UTC)  # nbf with a fraction
    assert decide(credential, pack=pack, now=NOW).colour is Colour.GREEN
    # The same key trusted for another issuer does not vouch for the spec's card.
    other = TrustStore(parse_jwks(SPEC_JWKS, "https://another.example"))
    assert verify_shc(text, other, NOW).failure.code == "unknown_key"
