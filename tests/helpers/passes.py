"""Credentials for tests: passes issued by a station, and valid samples of every signed format.

The samples (sample_gspass, sample_dcc, sample_shc) live in bench/samples.py, where the verify and
faults benchmarks use them too; tests import them from here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bench.samples import DEFAULT_AT, SHC_ISSUER, Sample, sample_dcc, sample_gspass, sample_shc

__all__ = ["DEFAULT_AT", "SHC_ISSUER", "PassFactory", "Sample", "sample_dcc", "sample_gspass", "sample_shc"]


class PassFactory:
    """Pass texts signed with a station's own issuer key, which the station then trusts.

    make(name, doses=2, nik=None, days=30, forged=False, kind=VISITOR, valid_from=None, signer=None, kid=None)

    valid_from: the call's, else the factory's, else an hour before the station's clock at the call.
    forged: signed by a stranger's key under the station key's kid. signer/kid: sign with another key.
    """

    def __init__(self, station: Any, *, valid_from: datetime | None = None) -> None:
        from guardstation.station.pass_issuer import deployment_key, issuer_key

        self.station = station
        self.key = issuer_key(station.secrets, station.db, station.checkpoint.now())
        station.checkpoint.reload_reference()
        self.hmac_key = deployment_key(station.secrets)
        self.valid_from = valid_from

    def __call__(
        self,
        name: str,
        doses: int | None = 2,
        nik: str | None = None,
        days: int = 30,
        forged: bool = False,
        kind: Any = None,
        valid_from: datetime | None = None,
        signer: Any = None,
        kid: bytes | None = None,
    ) -> str:
        from cryptography.hazmat.primitives.asymmetric import ed25519

        from guardstation.credentials.trust import kid_for
        from guardstation.domain.credential import PersonKind
        from guardstation.station.pass_issuer import PassRequest, make_pass_text

        start = valid_from or self.valid_from or self.station.checkpoint.now() - timedelta(hours=1)
        request = PassRequest(
            name=name, kind=kind or PersonKind.VISITOR, doses=doses, valid_from=start, valid_days=days, nik=nik
        )
        if forged:
            signer, kid = ed25519.Ed25519PrivateKey.generate(), kid_for(self.key.public_key())
        return make_pass_text(request, signer or self.key, self.hmac_key, kid=kid)
