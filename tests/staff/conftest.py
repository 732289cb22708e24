"""Staff tests hash with cheap argon2id settings (the real ones cost 64 MiB and ~0.1 s each);
test_passwords_use_the_library_defaults checks what production uses."""

import pytest
from argon2 import PasswordHasher

import app.staff.auth as staff_auth

PRODUCTION_HASHER = staff_auth._hasher
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_auth, "_hasher", CHEAP)
