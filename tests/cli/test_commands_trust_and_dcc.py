"""Trust imports and DCC verification from the command line, as an installer or inspector uses them."""

from __future__ import annotations

import base64
import json
from collections import Counter

import pytest

from guardstation.app import main
from tests.helpers.dcc_corpus import PICTURE_STAGE_OF, expected_stages

# ES 1101/1103 contradict PL 7/8/9 on value sets (see tests/credentials/test_dcc_corpus.py KNOWN_CONFLICTS).
KNOWN_CONFLICTS = {"ES/2DCode/raw/1101.json", "ES/2DCode/raw/1103.json"}


def run(capsys, *argv) -> tuple[int, list[dict], str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")], err


def test_import_certificate_then_list(tmp_path, capsys, corpus):
    home = tmp_path / "home"
    case = json.loads((corpus / "dcc/DE/2DCode/raw/1.json").read_text("utf-8"))
    cert = tmp_path / "dsc.pem"
    der = base64.b64decode(case["TESTCTX"]["CERTIFICATE"])
    cert.write_text("-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der).decode() + "-----END CERTIFICATE-----\n")
    code, (summary,), _ = run(capsys, "trust", "import", str(cert), "--home", home, "--json")
    assert code == 0 and summary["added"] == 1
    code, again, _ = run(capsys, "trust", "import", str(cert), "--home", home, "--json")
    assert again[0] == {**summary, "added": 0, "already_trusted": 1}
    code, listed, _ = run(capsys, "trust", "list", "--home", home, "--json")
    dcc_keys = [k for k in listed if k["scheme"] == "dcc"]
    assert len(dcc_keys) == 1 and dcc_keys[0]["not_after"] and dcc_keys[0]["label"]
    # The imported signer now verifies that case at its validation clock.
    code, (result,), _ = run(
        capsys, "verify", "--home", home, "--json", "--at", case["TESTCTX"]["VALIDATIONCLOCK"], "text:" + case["PREFIX"]
    )
    assert result["kind"] == "dcc" and result["stages"]["signature"] is True


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a certificate at all", "not"),
        (b'{"keys": [{"kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA", "kid": "x"}]}', "SMART"),
        (b"{ broken json", "JSON"),
    ],
)
def test_bad_trust_file_is_refused_whole_with_a_message(tmp_path, capsys, content, message):
    home = tmp_path / "home"
    bad = tmp_path / "bad.bin"
    bad.write_bytes(content)
    code, _, err = run(capsys, "trust", "import", str(bad), "--home", home)
    assert code == 2 and message in err and "nothing was imported" in err
    code, listed, _ = run(capsys, "trust", "list", "--home", home, "--json")
    assert [k for k in listed if k["source"] == "import"] == []


def test_jwks_needs_and_keeps_its_issuer(tmp_path, capsys):
    from guardstation.credentials.jwks import jwk_for
    from tests.helpers.passes import DEFAULT_AT, SHC_ISSUER, sample_shc

    sample = sample_shc(DEFAULT_AT)
    jwk = {**jwk_for(sample.key.public_key), "kid": sample.key.kid.decode(), "use": "sig", "alg": "ES256"}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [jwk]}))
    home = tmp_path / "home"
    code, (summary,), _ = run(capsys, "trust", "import", str(path), "--issuer", SHC_ISSUER, "--home", home, "--json")
    assert summary["added"] == 1
    code, (result,), _ = run(
        capsys, "verify", "--home", home, "--json", "--at", DEFAULT_AT.isoformat(), "text:" + sample.text
    )
    assert (result["kind"], result["colour"], result["name"]) == ("shc", "green", "Budi Santoso")


def test_every_dcc_picture_through_the_command_line(tmp_path, capsys, corpus):
    """Import each case's signer, verify its PICTURE at its clock: every stage as the corpus expects."""
    table: Counter = Counter()
    agree: Counter = Counter()
    for path in sorted((corpus / "dcc").rglob("2DCode/raw/*.json")):
        case = json.loads(path.read_text("utf-8"))
        rel = path.relative_to(corpus / "dcc").as_posix()
        if not case.get("2DCODE") or rel in KNOWN_CONFLICTS:
            continue
        home = tmp_path / rel.replace("/", "_")
        args = ["--home", home]
        if case.get("TESTCTX", {}).get("CERTIFICATE"):
            cert = tmp_path / (home.name + ".b64")
            cert.write_text(case["TESTCTX"]["CERTIFICATE"])
            assert main(["trust", "import", str(cert), *map(str, args)]) == 0
        picture = tmp_path / (home.name + ".png")
        picture.write_bytes(base64.b64decode(case["2DCODE"]))
        clock = case.get("TESTCTX", {}).get("VALIDATIONCLOCK")
        capsys.readouterr()
        code, (result,), _ = run(capsys, "verify", *args, "--json", *(["--at", clock] if clock else []), str(picture))
        expected = expected_stages(case, PICTURE_STAGE_OF)
        if clock is None:  # without a clock only the decoding stages are judged here
            expected = {
                k: v
                for k, v in expected.items()
                if k in ("picture_decode", "unprefix", "base45", "decompress", "cose_decode")
            }
        country = rel.split("/")[0]
        table[country] += 1
        got = {stage: result["stages"].get(stage, False) for stage in expected}
        if expected.get("picture_decode") is False:
            got["picture_decode"] = result["decoded"] == case["PREFIX"]
        if got == expected:
            agree[country] += 1
        else:
            print(f"{rel}: expected {expected}, got {got}")
    print("\ncountry  pictures  agree")
    for country in sorted(table):
        print(f"{country:8} {table[country]:8}  {agree[country]:5}")
    assert sum(table.values()) >= 115
    assert agree == table
