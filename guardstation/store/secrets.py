"""Secrets (signing keys, deployment HMAC key, station token) in the OS keyring.

Where the OS offers no keyring service (a bare Linux box), a file-backed
keyring in the data folder with owner-only permissions takes over, and the
app says so on screen (`SecretStore.fallback`).
"""

from __future__ import annotations

import base64
import json
import os
import secrets as _random
import threading
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import fail
from keyring.compat import properties

SERVICE = "guardstation"

# The names of every secret a station keeps, in one place.
ISSUER_SECRET = "pass-issuer-ed25519"  # the Ed25519 key this station signs its own passes with
DEPLOYMENT_SECRET = "deployment-hmac-key"  # the key of subject keys, the same on every station of a deployment
TOKEN_SECRET = "station-token"  # the bearer token the server gave this station at enrolment
ENROLMENT_CODE_SECRET = "enrolment-code"  # a one-time code waiting for the server to be reachable


class SecretStoreError(RuntimeError):
    """No usable keyring; the message says what to do."""


class FileKeyring(keyring.backend.KeyringBackend):
    """JSON file readable by the owner only. Used only when no OS keyring exists."""

    priority = 0.5  # below any real backend

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self._lock = threading.Lock()

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SecretStoreError(f"keyring file {self.path} is unreadable: {exc}") from exc

    def _save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def get_password(self, service, username):
        with self._lock:
            return self._load().get(service, {}).get(username)

    def set_password(self, service, username, password):
        with self._lock:
            data = self._load()
            data.setdefault(service, {})[username] = password
            self._save(data)

    def delete_password(self, service, username):
        with self._lock:
            data = self._load()
            if username not in data.get(service, {}):
                raise keyring.errors.PasswordDeleteError(username)
            del data[service][username]
            self._save(data)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets that vanish with the process: the self-test's scratch station; tests and benchmarks
    install one with keyring.set_keyring().

    Never chosen by keyring's own discovery (which considers every loaded backend class):
    on a box without an OS keyring it would otherwise win over the file fallback, and the
    station's keys would vanish at exit.
    """

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is only used when chosen explicitly")

    def __init__(self) -> None:
        super().__init__()
        self._data: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self._data.get((service, username))

    def set_password(self, service, username, password):
        self._data[(service, username)] = password

    def delete_password(self, service, username):
        if self._data.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def _os_backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring):
        return False
    chained = getattr(backend, "backends", None)
    if chained is not None:  # the chainer: usable only if it chains something real
        return any(not isinstance(b, fail.Keyring) for b in chained)
    return True


class SecretStore:
    def __init__(self, backend: keyring.backend.KeyringBackend, *, fallback: bool, namespace: str) -> None:
        self.backend = backend
        self.fallback = fallback
        # One OS keyring may hold several stations' homes (tests, demo): keep them apart.
        self.namespace = namespace

    @classmethod
    def for_home(cls, home: Path) -> SecretStore:
        if os.environ.get("GUARDSTATION_KEYRING", "") != "file":
            backend = keyring.get_keyring()
            if _os_backend_usable(backend):
                return cls(backend, fallback=False, namespace=str(home))
        return cls(FileKeyring(Path(home) / "secrets" / "keyring.json"), fallback=True, namespace=str(home))

    @property
    def description(self) -> str:
        return f"{type(self.backend).__module__}.{type(self.backend).__name__}"

    def _name(self, name: str) -> str:
        return f"{self.namespace}:{name}"

    def get(self, name: str) -> str | None:
        try:
            return self.backend.get_password(SERVICE, self._name(name))
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"keyring unavailable: {exc}") from exc

    def put(self, name: str, value: str) -> None:
        try:
            self.backend.set_password(SERVICE, self._name(name), value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"keyring unavailable: {exc}") from exc

    def delete(self, name: str) -> None:
        """Forget a secret (a used enrolment code); absent is fine."""
        try:
            self.backend.delete_password(SERVICE, self._name(name))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError(f"keyring unavailable: {exc}") from exc

    def get_or_create_bytes(self, name: str, size: int = 32) -> tuple[bytes, bool]:
        """(secret, created): a random secret made and stored on first use."""
        existing = self.get(name)
        if existing is not None:
            return base64.b64decode(existing), False
        value = _random.token_bytes(size)
        self.put(name, base64.b64encode(value).decode("ascii"))
        return value, True
