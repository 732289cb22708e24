"""Staff sign-in (security.md R3.3, R3.4): argon2id passwords, a TOTP second factor, a pause
after failures that cannot keep out someone who has both factors, server-side sessions with
idle and absolute timeouts, rotated at each stage.

The lockout policy (F8, docs/privacy-and-security.md):
- every sign-in costs one argon2 verification, whatever the name (unknown, disabled, paused),
  and every refusal is the same 401 with the same words, so names cannot be told apart by
  status, words or time;
- 5 consecutive failures pause *password-only* sign-in for that name: 15 minutes, doubling,
  at most 24 hours. During a pause a right password alone is refused like a wrong one;
- the password and the current code typed together sign in at any time, pause or not. So a
  stranger who knows a name can pause the password step but never keep its owner out, and
  learns nothing from guessing during a pause without also guessing the 6-digit code;
- failures never disable an account (they used to after 100: a known name could be switched
  off with ~100 requests over ~13 days).
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from app.db import Database
from app.staff.audit import record, record_refusal
from app.staff.models import StaffSession, StaffUser
from app.staff.sealed import SealBroken, SecretBox, is_sealed

FAILURES_BEFORE_LOCK = 5
LOCK_MINUTES = 15
MAX_LOCK = timedelta(hours=24)
IDLE = timedelta(minutes=15)
ABSOLUTE = timedelta(hours=8)
PENDING = timedelta(minutes=5)  # between the password and the code
ROLES = ("admin", "reviewer")
ISSUER = "Puente staff"

log = logging.getLogger("puente.staff")
_hasher = PasswordHasher()  # argon2-cffi defaults: argon2id, t=3, m=64 MiB, p=4 (RFC 9106)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when the name is unknown, made with the same settings as the
    real ones. Made at the first such sign-in, not at import: hashing takes 64 MiB, which had
    been every worker's peak memory."""
    return hasher.hash(secrets.token_urlsafe(16))


def utc_now() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Signed:
    """A staff session: its cookie token and the user it belongs to."""

    token: str
    user: StaffUser
    stage: str


def create_user(
    db: Database,
    box: SecretBox,
    username: str,
    password: str,
    role: str = "admin",
    title: str = "",
    today: date | None = None,
) -> StaffUser:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < 12:
        raise ValueError("the password must have at least 12 characters")
    user = StaffUser(
        username=username,
        password_hash=_hasher.hash(password),
        totp_secret=box.seal(pyotp.random_base32()),
        role=role,
        title=title,
        created_on=today or utc_now().date(),
    )
    with db.write() as session:
        session.add(user)
        session.flush()
        record(session, user.id, "account_created", role)
    return user


def provisioning_uri(user: StaffUser, box: SecretBox) -> str:
    return pyotp.TOTP(box.open(user.totp_secret)).provisioning_uri(
        name=user.username, issuer_name=ISSUER
    )


def reset_second_factor(db: Database, box: SecretBox, username: str) -> bool:
    """A new TOTP secret to set up at the next sign-in (a lost phone; a changed SECRET_KEY).
    An operator's act on the server, never something a password alone can do."""
    with db.write() as session:
        user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
        if user is None:
            return False
        user.totp_secret = box.seal(pyotp.random_base32())
        user.totp_enrolled = False
        user.last_totp_step = 0
        session.add(user)
        record(session, user.id, "second_factor_reset")
    return True


class Auth:
    def __init__(self, db: Database, box: SecretBox, now: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.box = box
        self.now = now

    # --- first factor ---------------------------------------------------------------------

    def check_password(self, username: str, password: str, code: str = "") -> Signed | None:
        """A session, or None. Password alone: a pending session (the code step next), unless
        the name's sign-in is paused. Password and code together: a full session, paused or
        not. Every call costs one argon2 verification, and every refusal looks the same."""
        with self.db.write() as session:
            user = session.exec(
                select(StaffUser).where(StaffUser.username == username[:64])
            ).first()
            if user is None or user.disabled:
                _verify(_dummy_hash(_hasher), password)  # the same work as for a real account
                why = "unknown name" if user is None else "account disabled"
                record_refusal(session, user.id if user else None, "sign_in_failed", why)
                return None
            right = _verify(user.password_hash, password)  # paused or not: the same time
            if code:
                return self._both_factors(session, user, right, code)
            if not right:
                self._fail(session, user)
                return None
            if self._paused(user):
                record_refusal(session, user.id, "sign_in_paused", "password alone")
                return None
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            session.add(user)
            return self._new_session(session, user, "password")

    def _both_factors(
        self, session: Session, user: StaffUser, right: bool, code: str
    ) -> Signed | None:
        try:
            step = self._code_step(user, code) if right and user.totp_enrolled else None
        except SealBroken:
            return None  # not the person's fault, so not counted
        if step is None:
            self._fail(session, user)
            return None
        return self._signed_in(session, user, step)  # a rehash waits for a password-only one

    # --- second factor --------------------------------------------------------------------

    def check_code(self, pending: Signed, code: str) -> Signed | None:
        """A full session when the TOTP code is right and unused; the pending one is dropped.

        Not refused during a pause: the pending session proves the password. A wrong code
        while the name is paused ends the pending session, so codes cannot be guessed on it.
        """
        with self.db.write() as session:
            user = session.get(StaffUser, pending.user.id)
            if user is None or user.disabled:
                return None
            try:
                step = self._code_step(user, code)
            except SealBroken:
                return None  # not the person's fault, so not counted
            if step is None:
                self._fail(session, user)
                if self._paused(user):
                    self._drop(session, pending.token)
                return None
            self._drop(session, pending.token)
            return self._signed_in(session, user, step)

    def _code_step(self, user: StaffUser, code: str) -> int | None:
        """The step of a right, unused code for `user`, else None; SealBroken when the secret
        does not open (the operator resets it with `reset-second-factor`)."""
        try:
            secret = self.box.open(user.totp_secret)
        except SealBroken:
            log.error(
                "staff user %s: the TOTP secret does not open (was SECRET_KEY "
                "changed?); run `reset-second-factor`",
                user.id,
            )
            raise
        step = _matching_step(secret, code, self.now())
        if step is None or step <= user.last_totp_step:
            return None
        if not is_sealed(user.totp_secret):  # stored before sealing existed
            user.totp_secret = self.box.seal(secret)
        return step

    def _signed_in(self, session: Session, user: StaffUser, step: int) -> Signed:
        user.last_totp_step = step
        user.failed_logins = 0
        user.lockouts = 0
        user.locked_until = None
        first = not user.totp_enrolled
        user.totp_enrolled = True
        session.add(user)
        if first:
            record(session, user.id, "second_factor_enrolled")
        record(session, user.id, "signed_in")
        return self._new_session(session, user, "full")

    def _drop(self, session: Session, token: str) -> None:
        session.execute(
            delete(StaffSession).where(col(StaffSession.token_hash) == token_hash(token))
        )

    def staff_id_for(self, token: str | None) -> int | None:
        """Whose session a cookie holds, without touching it (for the audit of a refusal)."""
        if not token or len(token) > 100:
            return None
        with self.db.read() as session:
            row = session.get(StaffSession, token_hash(token))
            return row.user_id if row is not None else None

    # --- sessions -------------------------------------------------------------------------

    def session_for(self, token: str | None, stage: str = "full") -> Signed | None:
        """The live session for a cookie token (touching it), or None if absent or expired."""
        if not token or len(token) > 100:
            return None
        now = self.now()
        with self.db.write() as session:
            row = session.get(StaffSession, token_hash(token))
            if row is None or row.stage != stage:
                return None
            limit = PENDING if stage == "password" else IDLE
            if now - row.last_seen > limit or now - row.created_at > ABSOLUTE:
                session.delete(row)
                return None
            user = session.get(StaffUser, row.user_id)
            if user is None or user.disabled:
                session.delete(row)
                return None
            row.last_seen = now
            session.add(row)
            return Signed(token, user, stage)

    def sign_out(self, token: str | None) -> None:
        if not token:
            return
        with self.db.write() as session:
            row = session.get(StaffSession, token_hash(token))
            if row is not None:
                record(session, row.user_id, "signed_out")
                session.delete(row)

    # --- helpers --------------------------------------------------------------------------

    def _new_session(self, session: Session, user: StaffUser, stage: str) -> Signed:
        token = secrets.token_urlsafe(32)
        now = self.now()
        session.add(
            StaffSession(
                token_hash=token_hash(token),
                user_id=user.id or 0,
                stage=stage,
                created_at=now,
                last_seen=now,
            )
        )
        return Signed(token, user, stage)

    def _paused(self, user: StaffUser) -> bool:
        return user.locked_until is not None and _aware(user.locked_until) > self.now()

    def _fail(self, session: Session, user: StaffUser) -> None:
        user.failed_logins += 1
        if user.failed_logins % FAILURES_BEFORE_LOCK == 0:
            user.lockouts += 1
            minutes = LOCK_MINUTES * 2 ** (user.lockouts - 1)
            user.locked_until = self.now() + min(timedelta(minutes=minutes), MAX_LOCK)
            record(
                session,
                user.id,
                "account_locked",
                f"password-only sign-in paused {minutes} minutes",
            )
        else:
            record_refusal(session, user.id, "sign_in_failed")
        session.add(user)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step a code belongs to (now, or one step either side), or None."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    moment = now if now.tzinfo else now.replace(tzinfo=UTC)
    for offset in (0, -1, 1):
        at = moment + timedelta(seconds=30 * offset)
        if secrets.compare_digest(totp.at(at), code):
            return totp.timecode(at)
    return None


def purge_expired_sessions(db: Database, now: datetime) -> None:
    with db.write() as session:
        session.execute(delete(StaffSession).where(col(StaffSession.last_seen) < now - IDLE))
