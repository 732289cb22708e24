"""Partner codes (security.md R5.5): what a share link carries, checked before anything else.

A code is 4 to 12 capital letters and digits and must name an active partner. Anything else is
ignored: never echoed, never put in a page, a script or an hx- attribute.
"""

import re
import secrets

from sqlmodel import select

from app.db import Database
from app.partners.models import Partner

CODE = re.compile(r"^[A-Z0-9]{4,12}$")
# No 0/O or 1/I/L, so a code read off paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NEW_CODE_LENGTH = 6


def well_formed(code: str | None) -> bool:
    return code is not None and bool(CODE.fullmatch(code))


def find_active(db: Database, code: str | None) -> Partner | None:
    if not well_formed(code):
        return None
    with db.read() as session:
        return session.exec(
            select(Partner).where(Partner.code == code).where(Partner.active == True)  # noqa: E712
        ).first()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(NEW_CODE_LENGTH))
