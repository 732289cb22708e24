"""Staff TOTP secrets, sealed at rest with AES-GCM under a key derived from SECRET_KEY.

A copy of the database alone (a backup, a dump) then holds no usable second factor. The price:
after SECRET_KEY changes, no sealed secret opens, and each staff member is given a new one to
set up in their authenticator app (README, "Settings"). Secrets stored before sealing existed
are read as they are and sealed at the next sign-in.
"""

from __future__ import annotations

import base64
import os
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1."  # a base32 secret from before sealing never starts like this
_PURPOSE = b"puente staff totp secret v1"  # HKDF info and the AEAD's associated data
_NONCE_BYTES = 12


class SealBroken(Exception):
    """Sealed under another SECRET_KEY, or altered."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


class SecretBox:
    """Made at start-up, keyed at first use: `cryptography` (about 6 MB in a worker) is loaded
    only by a worker that serves a staff sign-in."""

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key

    @cached_property
    def _aead(self) -> AESGCM:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
            self._secret_key.encode()
        )
        return AESGCM(key)

    def seal(self, secret: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, secret.encode(), _PURPOSE)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, stored: str) -> str:
        """The secret itself; a secret stored before sealing comes back as it is."""
        if not is_sealed(stored):
            return stored
        aead = self._aead
        from cryptography.exceptions import InvalidTag  # loaded by now: cheap

        try:
            raw = base64.urlsafe_b64decode(stored[len(PREFIX) :])
            return aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _PURPOSE).decode()
        except (InvalidTag, ValueError) as error:
            raise SealBroken from error
