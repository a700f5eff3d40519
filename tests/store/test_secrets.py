"""Secrets: the file-backed keyring fallback and the secret store on top of it."""

from __future__ import annotations

import json
import stat

import pytest
from keyring.errors import PasswordDeleteError

from guardstation.store.secrets import FileKeyring, MemoryKeyring, SecretStore, SecretStoreError


def test_file_keyring_is_owner_only_and_round_trips(tmp_path):
    path = tmp_path / "secrets" / "keyring.json"
    ring = FileKeyring(path)
    assert ring.get_password("guardstation", "token") is None
    ring.set_password("guardstation", "token", "s3cr3t-Ω")
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.get_password("guardstation", "token") == "s3cr3t-Ω"
    # A new process (a new backend object) reads the same secret back.
    assert FileKeyring(path).get_password("guardstation", "token") == "s3cr3t-Ω"
    assert not list(path.parent.glob("*.tmp"))


def test_file_keyring_stays_owner_only_after_updates(tmp_path):
    path = tmp_path / "keyring.json"
    ring = FileKeyring(path)
    ring.set_password("svc", "a", "1")
    ring.set_password("svc", "b", "2")
    ring.delete_password("svc", "a")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.get_password("svc", "a") is None
    assert ring.get_password("svc", "b") == "2"
    with pytest.raises(PasswordDeleteError):
        ring.delete_password("svc", "a")


def test_damaged_keyring_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "keyring.json"
    path.write_text("{not json", "utf-8")
    store = SecretStore(FileKeyring(path), fallback=True, namespace="home")
    with pytest.raises(SecretStoreError, match="unreadable"):
        store.get("token")


def test_get_or_create_bytes_returns_the_same_secret_twice(tmp_path):
    store = SecretStore(FileKeyring(tmp_path / "k.json"), fallback=True, namespace=str(tmp_path))
    first, created = store.get_or_create_bytes("deployment-hmac-key")
    again, created_again = store.get_or_create_bytes("deployment-hmac-key")
    assert created is True and created_again is False
    assert first == again and len(first) == 32
    other, _ = store.get_or_create_bytes("another", size=16)
    assert len(other) == 16 and other != first[:16]
    # The secret never appears raw in the file (it is base64 text there), and it survives a reopen.
    reopened = SecretStore(FileKeyring(tmp_path / "k.json"), fallback=True, namespace=str(tmp_path))
    assert reopened.get_or_create_bytes("deployment-hmac-key") == (first, False)


def test_namespaces_keep_two_homes_apart():
    backend = MemoryKeyring()
    a = SecretStore(backend, fallback=False, namespace="/homes/a")
    b = SecretStore(backend, fallback=False, namespace="/homes/b")
    a.put("token", "for-a")
    assert b.get("token") is None
    assert a.get_or_create_bytes("k")[0] != b.get_or_create_bytes("k")[0]


def test_keyring_env_file_uses_the_file_backend_with_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("GUARDSTATION_KEYRING", "file")
    home = tmp_path / "home"
    store = SecretStore.for_home(home)
    assert isinstance(store.backend, FileKeyring)
    assert store.fallback is True
    store.put("station-token", "abc")
    keyfile = home / "secrets" / "keyring.json"
    assert keyfile.is_file()
    assert stat.S_IMODE(keyfile.stat().st_mode) == 0o600
    assert "abc" in json.loads(keyfile.read_text("utf-8"))["guardstation"].values()
    assert SecretStore.for_home(home).get("station-token") == "abc"


def test_the_tests_memory_keyring_is_what_for_home_uses(tmp_path):
    """tests/helpers/memory_keyring.py installs it with keyring.set_keyring() (tests/conftest.py)."""
    store = SecretStore.for_home(tmp_path)
    assert isinstance(store.backend, MemoryKeyring)
    assert store.fallback is False
    store.put("x", "y")
    assert not (tmp_path / "secrets").exists()
    # Shared per process: the same home opened again finds its secrets.
    assert SecretStore.for_home(tmp_path).get("x") == "y"
