"""Staff tables. Staff are not respondents: exact times are kept here, addresses never."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    totp_secret: str = Field(max_length=200)  # sealed (app/staff/sealed.py)
    totp_enrolled: bool = False
    last_totp_step: int = 0  # a code's 30-second step is accepted once
    role: str = Field(default="admin", max_length=16)  # admin | reviewer
    title: str = Field(default="", max_length=80)  # e.g. "immigration attorney", for reviews
    failed_logins: int = 0  # consecutive
    lockouts: int = 0  # consecutive lockouts, for the backoff
    locked_until: datetime | None = None
    disabled: bool = False
    created_on: date


class StaffSession(SQLModel, table=True):
    """Server-side staff sessions; the cookie holds a random token, the table only its hash."""

    __tablename__ = "staff_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="staff_user.id", index=True)
    stage: str = Field(max_length=16)  # password (second factor pending) | full
    created_at: datetime
    last_seen: datetime


class AuditEvent(SQLModel, table=True):
    """Who did what, when. No client address, no respondent data."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int | None = Field(default=None, foreign_key="staff_user.id", index=True)
    event: str = Field(max_length=32)
    detail: str = Field(default="", max_length=200)
    at: datetime = Field(index=True)
    times: int = 1  # a refusal repeated in the same minute counts here (app/staff/audit.py)


class ContentReview(SQLModel, table=True):
    """A reviewer marked a question, finding or page reviewed, for the text it had then."""

    __tablename__ = "content_review"

    id: int | None = Field(default=None, primary_key=True)
    item: str = Field(max_length=120, index=True)  # node:<id> | finding:<code> | page:<name>
    text_hash: str = Field(max_length=64)
    role: str = Field(max_length=80)
    reviewed_on: date
    staff_id: int = Field(foreign_key="staff_user.id")
