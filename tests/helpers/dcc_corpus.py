"""The EU DCC test vectors (tests/data/dcc): which verifier stage each expected result names."""

from __future__ import annotations

# EXPECTEDRESULTS key -> the stage of guardstation.credentials.dcc it speaks of.
STAGE_OF = {
    "EXPECTEDUNPREFIX": "unprefix",
    "EXPECTEDB45DECODE": "base45",
    "EXPECTEDCOMPRESSION": "decompress",
    "EXPECTEDDECODE": "cose_decode",
    "EXPECTEDVERIFY": "signature",
    "EXPECTEDEXPIRATIONCHECK": "expiry",
    "EXPECTEDSCHEMAVALIDATION": "schema",
    "EXPECTEDKEYUSAGE": "key_usage",
}
# The same, when the case's picture is read first (the command line and the scanner).
PICTURE_STAGE_OF = {"EXPECTEDPICTUREDECODE": "picture_decode", **STAGE_OF}


def expected_stages(case: dict, stage_of: dict[str, str] = STAGE_OF) -> dict[str, bool]:
    """What the case asserts, by stage; a stage the case does not name is not asserted."""
    return {stage_of[k]: v for k, v in case.get("EXPECTEDRESULTS", {}).items() if k in stage_of}
