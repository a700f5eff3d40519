"""Subject keys: a keyed hash of a normalised identity (docs/architecture.md §4).

The same person gets the same key at every station of a deployment (they
share the deployment key), but the key reveals nothing without that secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Upper case, accents folded, punctuation dropped, single spaces: 'Siti  Nur’aini' -> 'SITI NURAINI'."""
    folded = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    letters = "".join(c if c.isalnum() or c.isspace() else "" for c in letters)
    return _SPACES.sub(" ", letters).strip().upper()


def identity_from_nik(nik: str) -> str:
    return "NIK:" + re.sub(r"\D", "", nik)


def identity_from_name(name: str, born: date | str) -> str:
    born_text = born.isoformat() if isinstance(born, date) else str(born)
    return f"NAME:{normalise_name(name)}|{born_text}"


def subject_key(deployment_key: bytes, identity: str) -> str:
    digest = hmac.new(deployment_key, identity.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest[:32]  # 128 bits: collision-free at any deployment size, half the storage
