"""The keyring of the tests: one in-memory keyring in the test process, a file keyring in each child."""

from __future__ import annotations

import os

import keyring

from guardstation.store.secrets import MemoryKeyring

# Inherited by child processes (the app, station processes): keyring's discovery finds no service, so a
# child keeps its keys in the file keyring of its own (temporary) home, never in the developer's keyring.
CHILD_ENV = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def use_memory_keyring() -> MemoryKeyring:
    """Before any station opens: this process's keyring is one MemoryKeyring (a station reopened in the same
    process finds its secrets again; homes are kept apart by SecretStore's namespace), children get CHILD_ENV."""
    os.environ.update(CHILD_ENV)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
