"""Resume codes: shown once, typed into a form, stored only as a hash.

20 Crockford base32 characters carry 100 random bits, shown in five groups of four
(K7QM-3XPA-9DTR-F2WN-A8CE). Crockford's alphabet has no I, L, O or U, and typing those maps to
the digits they look like, so a code read aloud or copied by hand still works.
"""

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(typed: str) -> str | None:
    """The canonical code for what a person typed, or None if it cannot be a code."""
    if len(typed) > 64:
        return None
    cleaned = "".join(ch for ch in typed.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def code_hash(code: str) -> str:
    canonical = normalize(code)
    if canonical is None:
        raise ValueError("not a resume code")
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
